/**
 * Translates a manuscript chunk by chunk with its markup frozen: each chunk (paragraphs up to a token
 * budget, with the previous paragraph as read-only context) is sent with placeholders and a token limit
 * sized to it, freed of any prompt the model echoed, checked, repaired or retried, and thawed. A chunk
 * that cannot be made right is kept in its original language, so that markup is never lost and no
 * instruction ends up in the manuscript, and the user is told why.
 */
import * as l10n from '@vscode/l10n';
import type { GroundingIssue } from '../../shared/protocol';
import { LlmError, type LlmClient, type TokenUsage } from '../llm/types';
import { buildTranslationMessages, extractTranslation, type TranslationPromptInput } from '../llm/prompts/translate';
import { checkTerms, glossaryEntriesIn, termsToKeep, type GlossaryEntry, type TermProblem } from './glossary';
import { countSpansByKind, freezeMarkup, type ExtraProtection, type ManuscriptFormat, type ProtectedKind, type ProtectedSpan } from './markupFreeze';
import { checkPlaceholders } from './placeholderRepair';
import { addUsage, noUsage } from './structured';
import { estimateTokens } from './text';

/** Options of {@link translateManuscript}. */
export interface TranslateOptions {
  readonly client: LlmClient;
  /** The text to translate: a whole manuscript or a selection. */
  readonly source: string;
  readonly format: ManuscriptFormat;
  /** Target language code, e.g. `fr`, or `en` to translate into English. */
  readonly targetLanguage: string;
  /** Source language code (optional; default: detected by the model). */
  readonly sourceLanguage?: string;
  /** Glossary entries, always applied (optional). */
  readonly glossary?: readonly GlossaryEntry[];
  /** Ranges to hold back from the model, e.g. redacted patient identifiers (optional). */
  readonly extraProtected?: readonly ExtraProtection[];
  /** Largest chunk in estimated tokens (optional; default: 400). */
  readonly maxChunkTokens?: number;
  /** Retries per chunk after a bad answer (optional; default: 2). */
  readonly maxRetries?: number;
  readonly signal: AbortSignal;
  /** Receives progress (optional). */
  readonly onEvent?: (event: TranslateEvent) => void;
}

/** Progress of a translation. */
export type TranslateEvent =
  | { readonly kind: 'chunkStart'; readonly index: number; readonly total: number }
  | { readonly kind: 'delta'; readonly text: string }
  | { readonly kind: 'chunkRetry'; readonly index: number; readonly attempt: number; readonly problems: readonly string[] }
  /** `preview` is the whole text so far: translated chunks, then the rest untranslated. */
  | { readonly kind: 'chunkDone'; readonly index: number; readonly preview: string };

/** Why a chunk was kept in its original language: what was still wrong with the model's last answer. */
export type KeptReason =
  /** Placeholders missing, altered or added beyond repair. */
  | 'markup'
  /** Parts of the prompt that could not be told apart from the translation. */
  | 'scaffolding'
  /** The answer reached the token limit (a model that repeats itself). */
  | 'truncated'
  | 'empty';

/** A chunk kept in its original language. */
export interface KeptChunk {
  /** The chunk's index among all chunks. */
  readonly index: number;
  /** The line of the source where it starts, from 1. */
  readonly line: number;
  readonly reason: KeptReason;
}

/** The typed result of a translation. */
export interface TranslationResult {
  /** The translated text, markup byte-identical. */
  readonly text: string;
  readonly chunks: number;
  /** Chunks sent to the model (the others held markup only). */
  readonly chunksSent: number;
  /** Chunks whose translation is in `text`. */
  readonly chunksTranslated: number;
  /** Chunks kept in the original language because no answer could be made right. */
  readonly chunksKept: number;
  /** The chunks kept in the original language, and why. */
  readonly kept: readonly KeptChunk[];
  readonly spans: readonly ProtectedSpan[];
  readonly protectedCounts: Readonly<Record<ProtectedKind, number>>;
  /** Chunks whose answer needed a placeholder repair. */
  readonly repairedChunks: number;
  /** Repairs made, summed. */
  readonly repairs: number;
  /** Extra requests made after bad answers. */
  readonly retries: number;
  /** Placeholder problems found in the model's answers (before repair), summed. */
  readonly placeholderProblems: number;
  /** What the user should know: chunks kept, glossary or terms not followed. */
  readonly issues: readonly GroundingIssue[];
  readonly usage: TokenUsage;
  /** Set when the user stopped: `text` holds the chunks done and the rest untranslated. */
  readonly cancelled: boolean;
}

/** One unit of work. */
interface Chunk {
  /** Offsets in the frozen text. */
  readonly start: number;
  readonly end: number;
  readonly context: string;
  readonly singleLine: boolean;
}

/**
 * Cuts a frozen text into chunks: front-matter lines one by one, then paragraphs grouped up to a budget.
 * @param frozen The frozen text.
 * @param frontMatterEnd Where the front matter ends in it.
 * @param maxTokens The budget per chunk.
 * @returns The chunks, in order, covering every paragraph (separators stay outside).
 */
export function planChunks(frozen: string, frontMatterEnd: number, maxTokens: number): Chunk[] {
  const chunks: Chunk[] = [];
  let previous = '';
  let lineStart = 0;
  while (lineStart < frontMatterEnd) {
    const newline = frozen.indexOf('\n', lineStart);
    const lineEnd = newline < 0 || newline > frontMatterEnd ? frontMatterEnd : newline;
    chunks.push({ start: lineStart, end: lineEnd, context: '', singleLine: true });
    lineStart = lineEnd + 1;
  }
  const separator = /\n[ \t]*\n\s*/g;
  separator.lastIndex = frontMatterEnd;
  const paragraphs: { start: number; end: number }[] = [];
  let cursor = frontMatterEnd;
  let match: RegExpExecArray | null;
  while ((match = separator.exec(frozen)) !== null) {
    if (match.index > cursor) paragraphs.push({ start: cursor, end: match.index });
    cursor = match.index + match[0].length;
  }
  if (cursor < frozen.length) paragraphs.push({ start: cursor, end: frozen.length });
  let group: { start: number; end: number } | undefined;
  const flush = () => {
    if (!group) return;
    chunks.push({ start: group.start, end: group.end, context: previous, singleLine: false });
    previous = frozen.slice(group.start, group.end).split(/\n[ \t]*\n/).pop() ?? '';
    group = undefined;
  };
  for (const paragraph of paragraphs) {
    if (group && estimateTokens(frozen.slice(group.start, paragraph.end)) <= maxTokens) {
      group = { start: group.start, end: paragraph.end };
      continue;
    }
    flush();
    group = paragraph;
  }
  flush();
  return chunks;
}

/** A term problem as the user reads it, in the user's language (the model gets its English retry instruction). */
function describeTermProblem(problem: TermProblem): string {
  return problem.kind === 'glossary' ? l10n.t('Use the glossary: “{0}” must be translated as “{1}”.', problem.term, problem.expected) : l10n.t('Keep “{0}” exactly as written.', problem.term);
}

/** Latin-script languages, whose translations take about as many tokens as the source (others take more). */
const latinScript = new Set([
  'en', 'es', 'fr', 'de', 'pt', 'it', 'nl', 'pl', 'tr', 'id', 'ms', 'vi', 'sv', 'da', 'no', 'nb', 'nn', 'fi', 'is', 'cs', 'sk', 'sl', 'hr', 'bs',
  'ro', 'hu', 'et', 'lv', 'lt', 'ca', 'eu', 'gl', 'ga', 'cy', 'sq', 'af', 'sw', 'tl', 'mt', 'la', 'eo',
]);

/**
 * The token limit for translating `chunk`: enough for a translation well longer than the chunk (more for
 * targets outside the Latin script, whose text costs more tokens, and for each placeholder), so that only
 * a model that repeats itself reaches it. Between 512 (short chunks, front-matter values) and 4096 (a limit
 * most models accept).
 * @param chunk The chunk as sent, with its placeholders.
 * @param targetLanguage The target language code.
 * @returns The `maxTokens` for the request.
 */
export function translationMaxTokens(chunk: string, targetLanguage: string): number {
  const base = targetLanguage.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  const factor = latinScript.has(base) ? 2.5 : 4;
  const placeholders = (chunk.match(/⟦\d+⟧/g) ?? []).length;
  const wanted = Math.ceil(estimateTokens(chunk) * factor) + 16 * placeholders + 64;
  return Math.min(4096, Math.max(512, wanted));
}

/** What each reason asks of the model on the next attempt (in English, like the prompt). */
const retryNotes: Readonly<Record<Exclude<KeptReason, 'markup'>, string>> = {
  empty: 'The answer was empty; translate the whole text.',
  scaffolding: 'Your answer repeated parts of these instructions (the markers, the previous paragraph or the rules). Answer with the translation of the text between the markers only.',
  truncated: 'Your answer was cut off at the length limit: it was far longer than the text and may have repeated itself. Translate the text once, with nothing else.',
};

/** The reason a chunk was kept, as the user reads it in the summary. */
function describeReason(reason: KeptReason): string {
  switch (reason) {
    case 'markup':
      return l10n.t('the model broke the protected markup');
    case 'scaffolding':
      return l10n.t('the model repeated its instructions');
    case 'truncated':
      return l10n.t('the answer reached the length limit');
    case 'empty':
      return l10n.t('the answer was empty');
    default: {
      const _exhaustive: never = reason;
      return _exhaustive;
    }
  }
}

/**
 * One line saying how much was translated and, when chunks were kept in the original language, how many
 * and why, e.g. "1 of 52 chunks translated; 51 kept in the original language: the model repeated its
 * instructions (51)."
 * @param result The translation's counts.
 * @returns The sentence, in the user's language.
 */
export function summarizeTranslation(result: Pick<TranslationResult, 'chunksSent' | 'chunksTranslated' | 'kept'>): string {
  if (result.kept.length === 0) return l10n.t('{0} of {1} chunks translated.', result.chunksTranslated, result.chunksSent);
  const counts = new Map<KeptReason, number>();
  for (const kept of result.kept) counts.set(kept.reason, (counts.get(kept.reason) ?? 0) + 1);
  const reasons = [...counts].map(([reason, count]) => `${describeReason(reason)} (${count})`).join(', ');
  return l10n.t('{0} of {1} chunks translated; {2} kept in the original language: {3}.', result.chunksTranslated, result.chunksSent, result.kept.length, reasons);
}

function hasProse(text: string): boolean {
  return /\p{L}/u.test(text.replace(/⟦\d+⟧/g, ''));
}

/** Why a chunk was kept, for its issue: in the user's language, with the model's last problems when they help. */
function describeKept(reason: KeptReason, attempts: number, problems: readonly string[], maxTokens: number): string {
  switch (reason) {
    case 'markup':
      return l10n.t('Kept untranslated: after {0} attempts the model still broke the protected markup ({1}).', attempts, problems.slice(0, 3).join(' '));
    case 'scaffolding':
      return l10n.t('Kept untranslated: after {0} attempts the model still repeated parts of its instructions instead of only translating.', attempts);
    case 'truncated':
      return l10n.t('Kept untranslated: after {0} attempts the answer still reached the length limit of {1} tokens; the model may be repeating itself.', attempts, maxTokens);
    case 'empty':
      return l10n.t('Kept untranslated: after {0} attempts the model’s answer was still empty.', attempts);
    default: {
      const _exhaustive: never = reason;
      return _exhaustive;
    }
  }
}

/**
 * Translates a manuscript or a selection with its markup frozen.
 * @param options Text, languages, glossary, client and signal.
 * @returns The translation and what happened on the way.
 * @throws LlmError when a request fails (other than by the user's stop): nothing is returned to apply.
 */
export async function translateManuscript(options: TranslateOptions): Promise<TranslationResult> {
  const { client, signal, format } = options;
  const maxRetries = options.maxRetries ?? 2;
  const frozen = freezeMarkup(options.source, { format, ...(options.extraProtected ? { extra: options.extraProtected } : {}) });
  const chunks = planChunks(frozen.frozen, frozen.frontMatterEnd, options.maxChunkTokens ?? 400);
  const spans = frozen.spans;
  const thawGlobal = (text: string) => text.replace(/⟦(\d+)⟧/g, (_whole, id: string) => spans[Number(id)].text);

  const outputs: string[] = chunks.map((chunk) => frozen.frozen.slice(chunk.start, chunk.end));
  const assemble = (): string => {
    let result = '';
    let cursor = 0;
    chunks.forEach((chunk, index) => {
      result += frozen.frozen.slice(cursor, chunk.start) + outputs[index];
      cursor = chunk.end;
    });
    return thawGlobal(result + frozen.frozen.slice(cursor));
  };

  let usage = noUsage;
  let retries = 0;
  let repairs = 0;
  let repairedChunks = 0;
  let placeholderProblems = 0;
  let chunksSent = 0;
  let chunksTranslated = 0;
  const kept: KeptChunk[] = [];
  const issues: GroundingIssue[] = [];
  let cancelled = false;
  let line = 1;
  let lineCursor = 0;

  for (const [index, chunk] of chunks.entries()) {
    const chunkText = frozen.frozen.slice(chunk.start, chunk.end);
    line += (thawGlobal(frozen.frozen.slice(lineCursor, chunk.start)).match(/\n/g) ?? []).length;
    lineCursor = chunk.start;
    if (!hasProse(chunkText)) continue;
    if (signal.aborted) {
      cancelled = true;
      break;
    }
    options.onEvent?.({ kind: 'chunkStart', index, total: chunks.length });
    chunksSent += 1;

    // Local numbering ⟦0⟧… so that the model sees small, dense ids.
    const globalIds: number[] = [];
    const local = chunkText.replace(/⟦(\d+)⟧/g, (_whole, id: string) => {
      globalIds.push(Number(id));
      return `⟦${globalIds.length - 1}⟧`;
    });
    const originals = globalIds.map((id) => spans[id].text);
    const leading = /^\s*/.exec(local)?.[0] ?? '';
    const trailing = /\s*$/.exec(local)?.[0] ?? '';
    const glossary = glossaryEntriesIn(options.glossary ?? [], local);
    const keep = termsToKeep(local).slice(0, 40);
    const context = chunk.context.replace(/⟦\d+⟧/g, '⟦…⟧');

    let accepted: string | undefined;
    let acceptedWithWarnings: { text: string; problems: readonly TermProblem[] } | undefined;
    let retryProblems: string[] = [];
    let lastProblem: KeptReason = 'markup';
    let chunkRepaired = false;
    const maxTokens = translationMaxTokens(local.trim(), options.targetLanguage);
    for (let attempt = 0; attempt <= maxRetries && accepted === undefined; attempt += 1) {
      if (attempt > 0) {
        retries += 1;
        options.onEvent?.({ kind: 'chunkRetry', index, attempt, problems: retryProblems });
      }
      const prompt: TranslationPromptInput = {
        chunk: local.trim(),
        targetLanguage: options.targetLanguage,
        ...(options.sourceLanguage ? { sourceLanguage: options.sourceLanguage } : {}),
        ...(context.trim() ? { context } : {}),
        glossary,
        keep,
        placeholderCount: originals.length,
        ...(retryProblems.length > 0 ? { retryProblems } : {}),
        singleLine: chunk.singleLine,
      };
      const messages = buildTranslationMessages(prompt);
      let answer = '';
      let finishReason: string | undefined;
      // A child signal per request, so that hundreds of requests do not pile listeners onto the caller's signal.
      const request = new AbortController();
      const forward = () => request.abort();
      signal.addEventListener('abort', forward, { once: true });
      try {
        const stream = client.stream({
          messages,
          signal: request.signal,
          temperature: 0,
          maxTokens,
          onFinish: (reason) => {
            finishReason = reason;
          },
        });
        for await (const event of stream) {
          if (event.kind === 'delta') {
            answer += event.text;
            options.onEvent?.({ kind: 'delta', text: event.text });
          } else {
            usage = addUsage(usage, event.usage);
          }
        }
      } catch (error) {
        if (error instanceof LlmError && error.kind === 'aborted' && signal.aborted) {
          cancelled = true;
          break;
        }
        throw error;
      } finally {
        signal.removeEventListener('abort', forward);
      }
      // Cut off at the limit, the answer is incomplete however clean it looks.
      const extracted = finishReason === 'length' ? ({ ok: false, problem: 'truncated' } as const) : extractTranslation(answer, prompt);
      if (!extracted.ok) {
        lastProblem = extracted.problem;
        retryProblems = [retryNotes[extracted.problem]];
        continue;
      }
      const cleaned = chunk.singleLine ? extracted.text.replace(/\s*\n\s*/g, ' ') : extracted.text;
      const check = checkPlaceholders(local.trim(), cleaned, originals, format);
      if (!check.ok) {
        placeholderProblems += check.problems.length;
        lastProblem = 'markup';
        retryProblems = [...check.problems];
        continue;
      }
      if (check.repairs.length > 0) {
        chunkRepaired = true;
        repairs += check.repairs.length;
      }
      const termProblems = checkTerms(local, check.text, glossary);
      if (termProblems.length > 0) {
        // The retry instruction goes to the model, so it stays in English like the prompt.
        const described = termProblems.map((problem) =>
          problem.kind === 'glossary' ? `Use the glossary: “${problem.term}” must be translated as “${problem.expected}”.` : `Keep “${problem.term}” exactly as written.`,
        );
        // Terms are worth one more try; after that the translation stands, with a warning.
        if (!acceptedWithWarnings && attempt < maxRetries) {
          acceptedWithWarnings = { text: check.text, problems: termProblems };
          retryProblems = described;
          continue;
        }
        acceptedWithWarnings = { text: check.text, problems: termProblems };
        break;
      }
      accepted = check.text;
    }
    if (cancelled) break;
    if (accepted === undefined && acceptedWithWarnings) {
      accepted = acceptedWithWarnings.text;
      for (const problem of acceptedWithWarnings.problems) issues.push({ kind: 'terminology', text: l10n.t('Line {0}', line), detail: describeTermProblem(problem) });
    }
    if (accepted === undefined) {
      kept.push({ index, line, reason: lastProblem });
      issues.push({ kind: 'protectedMarkup', text: l10n.t('Line {0}', line), detail: describeKept(lastProblem, maxRetries + 1, retryProblems, maxTokens) });
    } else {
      chunksTranslated += 1;
      if (chunkRepaired) repairedChunks += 1;
      outputs[index] = leading + accepted.replace(/⟦(\d+)⟧/g, (_whole, id: string) => `⟦${globalIds[Number(id)]}⟧`) + trailing;
    }
    options.onEvent?.({ kind: 'chunkDone', index, preview: assemble() });
  }

  return {
    text: assemble(),
    chunks: chunks.length,
    chunksSent,
    chunksTranslated,
    chunksKept: kept.length,
    kept,
    spans,
    protectedCounts: countSpansByKind(spans),
    repairedChunks,
    repairs,
    retries,
    placeholderProblems,
    issues,
    usage,
    cancelled,
  };
}
