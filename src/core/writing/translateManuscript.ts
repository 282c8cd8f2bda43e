/**
 * Translates a manuscript chunk by chunk with its markup frozen: each chunk (paragraphs up to a token
 * budget, with the previous paragraph as read-only context) is sent with placeholders, checked,
 * repaired or retried, and thawed. A chunk that cannot be made right is kept in its original language,
 * so that markup is never lost, and the user is told.
 */
import * as l10n from '@vscode/l10n';
import type { GroundingIssue } from '../../shared/protocol';
import { LlmError, type LlmClient, type TokenUsage } from '../llm/types';
import { buildTranslationMessages } from '../llm/prompts/translate';
import { checkTerms, glossaryEntriesIn, termsToKeep, type GlossaryEntry, type TermProblem } from './glossary';
import { countSpansByKind, freezeMarkup, type ExtraProtection, type ManuscriptFormat, type ProtectedKind, type ProtectedSpan } from './markupFreeze';
import { checkPlaceholders } from './placeholderRepair';
import { addUsage, noUsage } from './structured';
import { estimateTokens, stripAnswerWrapper } from './text';

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

/** The typed result of a translation. */
export interface TranslationResult {
  /** The translated text, markup byte-identical. */
  readonly text: string;
  readonly chunks: number;
  /** Chunks sent to the model (the others held markup only). */
  readonly chunksSent: number;
  /** Chunks kept in the original language because no answer could be made right. */
  readonly chunksKept: number;
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

function hasProse(text: string): boolean {
  return /\p{L}/u.test(text.replace(/⟦\d+⟧/g, ''));
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
  let chunksKept = 0;
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
    let chunkRepaired = false;
    for (let attempt = 0; attempt <= maxRetries && accepted === undefined; attempt += 1) {
      if (attempt > 0) {
        retries += 1;
        options.onEvent?.({ kind: 'chunkRetry', index, attempt, problems: retryProblems });
      }
      const messages = buildTranslationMessages({
        chunk: local.trim(),
        targetLanguage: options.targetLanguage,
        ...(options.sourceLanguage ? { sourceLanguage: options.sourceLanguage } : {}),
        ...(context.trim() ? { context } : {}),
        glossary,
        keep,
        placeholderCount: originals.length,
        ...(retryProblems.length > 0 ? { retryProblems } : {}),
        singleLine: chunk.singleLine,
      });
      let answer = '';
      // A child signal per request, so that hundreds of requests do not pile listeners onto the caller's signal.
      const request = new AbortController();
      const forward = () => request.abort();
      signal.addEventListener('abort', forward, { once: true });
      try {
        for await (const event of client.stream({ messages, signal: request.signal, temperature: 0 })) {
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
      // Models sometimes echo the markers or introduce the answer; neither is part of the translation.
      let cleaned = stripAnswerWrapper(answer)
        .replace(/^\s*(?:here is|here's|voici)[^\n]*:\s*\n+/i, '')
        .replace(/^\s*<<<TEXT\s*\n?|\n?\s*TEXT>>>\s*$/g, '')
        .trim();
      if (chunk.singleLine) cleaned = cleaned.replace(/\s*\n\s*/g, ' ');
      if (cleaned === '') {
        retryProblems = ['The answer was empty; translate the whole text.'];
        continue;
      }
      const check = checkPlaceholders(local.trim(), cleaned, originals, format);
      if (!check.ok) {
        placeholderProblems += check.problems.length;
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
      chunksKept += 1;
      issues.push({
        kind: 'protectedMarkup',
        text: l10n.t('Line {0}', line),
        detail: l10n.t('Kept untranslated: after {0} attempts the model still broke the protected markup ({1}).', maxRetries + 1, retryProblems.slice(0, 3).join(' ')),
      });
    } else {
      if (chunkRepaired) repairedChunks += 1;
      outputs[index] = leading + accepted.replace(/⟦(\d+)⟧/g, (_whole, id: string) => `⟦${globalIds[Number(id)]}⟧`) + trailing;
    }
    options.onEvent?.({ kind: 'chunkDone', index, preview: assemble() });
  }

  return {
    text: assemble(),
    chunks: chunks.length,
    chunksSent,
    chunksKept,
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
