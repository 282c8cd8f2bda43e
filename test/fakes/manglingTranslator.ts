/**
 * A fake translating model for the fake OpenAI server that breaks protected markup on purpose:
 * on the first attempt at a chunk it alters every placeholder it is shown (drops, renumbers, "fixes"
 * into a made-up citation, duplicates, respells), and rewrites any raw citation or math it sees; on the
 * second attempt it still drops some; on the third it behaves. It "translates" by a small word list
 * so the result visibly differs from the source.
 */
import type { FakeReply, RecordedRequest } from './fakeOpenAiServer';
import { retryHeading, translateBegin, translateEnd } from '../../src/core/llm/prompts/translate';

/** What the mangler did, for reports. */
export interface ManglingStats {
  /** Placeholders altered (any way), summed over all answers. */
  placeholdersAltered: number;
  /** Raw citations or math spans rewritten (non-zero only if protection failed). */
  rawMarkupAltered: number;
  /** Requests answered. */
  requests: number;
  /** Requests that were retries. */
  retryRequests: number;
}

const words: Readonly<Record<string, string>> = {
  the: 'le', The: 'Le', and: 'et', of: 'de', in: 'dans', is: 'est', are: 'sont', for: 'pour', with: 'avec', to: 'à', a: 'un',
  deep: 'profond', learning: 'apprentissage', data: 'données', patients: 'patients', model: 'modèle', models: 'modèles',
  methods: 'méthodes', these: 'ces', that: 'que', we: 'nous', We: 'Nous', network: 'réseau', networks: 'réseaux',
};

/**
 * Translates the word-list words of a text, leaving placeholders alone.
 * @param text Text with placeholders.
 * @returns The "translation".
 */
export function fakeTranslate(text: string): string {
  return text.replace(/⟦\d+⟧|[A-Za-z]+/g, (token) => words[token] ?? token);
}

/**
 * Creates the mangling handler.
 * @returns The handler for `setHandler` and its live statistics.
 */
export function createManglingTranslator(): { handler: (request: RecordedRequest) => FakeReply; stats: ManglingStats } {
  const stats: ManglingStats = { placeholdersAltered: 0, rawMarkupAltered: 0, requests: 0, retryRequests: 0 };
  const attempts = new Map<string, number>();
  const handler = (request: RecordedRequest): FakeReply => {
    stats.requests += 1;
    const messages = ((request.body as { messages?: { role: string; content: string }[] }).messages ?? []);
    const user = messages.filter((message) => message.role === 'user').pop()?.content ?? '';
    const begin = user.lastIndexOf(`${translateBegin}\n`);
    const end = user.lastIndexOf(`\n${translateEnd}`);
    if (begin < 0 || end < begin) return { kind: 'text', text: 'I can only translate.', chunkSize: 64 };
    const chunk = user.slice(begin + translateBegin.length + 1, end);
    if (user.includes(retryHeading)) stats.retryRequests += 1;
    const attempt = (attempts.get(chunk) ?? 0) + 1;
    attempts.set(chunk, attempt);
    let text = fakeTranslate(chunk);
    // Any raw citation or math that slipped through protection gets "fixed" too.
    text = text.replace(/\[@[^\]\n]+\]|\$[^$\n]+\$|@(?:fig|tbl|eq):[\w-]+/g, (raw) => {
      stats.rawMarkupAltered += 1;
      return raw.startsWith('[') ? raw.replace(/\]$/, '; @doi:10.1000/fixed]') : raw.startsWith('$') ? raw.replace(/\$$/, ' \\,$') : raw.toUpperCase();
    });
    const appended: string[] = [];
    text = text.replace(/⟦(\d+)⟧/g, (whole, idText: string) => {
      const id = Number(idText);
      const mode = attempt === 1 ? id % 6 : attempt === 2 && id % 3 === 0 ? 0 : -1;
      if (mode < 0) return whole;
      stats.placeholdersAltered += 1;
      switch (mode) {
        case 0:
          return '';
        case 1:
          return `[@doi:10.1000/fixed.${id}]`;
        case 2:
          return `⟦${id + 100}⟧`;
        case 3:
          appended.push(whole);
          return whole;
        case 4:
          return `[[${id}]]`;
        default:
          return `⟦ ${id} ⟧`;
      }
    });
    if (appended.length > 0) text = `${text} ${appended.join(' ')}`;
    return { kind: 'text', text, chunkSize: 256 };
  };
  return { handler, stats };
}
