/**
 * Grounding checks of a drafted abstract: numbers absent from the manuscript, statements the manuscript
 * does not support (LLM check with a validated JSON answer, lexical overlap when that fails), and
 * checklist items the draft misses.
 */
import * as l10n from '@vscode/l10n';
import type { GroundingIssue } from '../../shared/protocol';
import type { LlmClient, TokenUsage } from '../llm/types';
import { buildGroundingMessages, groundingSchemaDescription } from '../llm/prompts/abstract';
import type { ChecklistItem } from './abstractStructures';
import { findUnsupportedNumbers } from './numbers';
import { completeStructured, noUsage, type Validation } from './structured';
import { splitSentences } from './text';

/** The grounding check's JSON answer, validated. */
export interface GroundingAnswer {
  readonly unsupported: readonly { readonly sentence: number; readonly reason: string }[];
  readonly missingItems: readonly string[];
}

/**
 * Validates the model's grounding answer against {@link groundingSchemaDescription}.
 * @param value Parsed JSON.
 * @param sentenceCount How many sentences the draft has (numbers are 1-based).
 * @param itemIds The checklist ids the model may name.
 * @returns The typed answer, or what is wrong with it.
 */
export function validateGroundingAnswer(value: unknown, sentenceCount: number, itemIds: readonly string[]): Validation<GroundingAnswer> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'the answer must be a JSON object' };
  const record = value as Record<string, unknown>;
  if (!Array.isArray(record.unsupported)) return { ok: false, error: '"unsupported" must be an array' };
  const unsupported: { sentence: number; reason: string }[] = [];
  for (const [index, entry] of record.unsupported.entries()) {
    if (typeof entry !== 'object' || entry === null) return { ok: false, error: `"unsupported"[${index}] must be an object` };
    const { sentence, reason } = entry as Record<string, unknown>;
    if (typeof sentence !== 'number' || !Number.isInteger(sentence) || sentence < 1 || sentence > sentenceCount) {
      return { ok: false, error: `"unsupported"[${index}].sentence must be an integer from 1 to ${sentenceCount}` };
    }
    if (typeof reason !== 'string') return { ok: false, error: `"unsupported"[${index}].reason must be a string` };
    unsupported.push({ sentence, reason });
  }
  const missingRaw = record.missingItems ?? [];
  if (!Array.isArray(missingRaw)) return { ok: false, error: '"missingItems" must be an array of checklist ids' };
  const missingItems: string[] = [];
  for (const id of missingRaw) {
    if (typeof id !== 'string' || !itemIds.includes(id)) return { ok: false, error: `"missingItems" holds ${JSON.stringify(id)}, which is not one of: ${itemIds.join(', ') || '(none)'}` };
    missingItems.push(id);
  }
  return { ok: true, value: { unsupported, missingItems } };
}

const stopWords = new Set(
  'a an the and or of in on at to for with by from as is are was were be been being this that these those it its we our their they than then there which who whom whose what when where while not no nor but also into over under between among after before during both each more most less least such can could may might will would should shall has have had do does did however thus therefore using used use based study studies patients results methods background conclusions conclusion'.split(' '),
);

function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => word.length > 2 && !stopWords.has(word)).map((word) => word.replace(/(?:ies|es|s)$/, ''));
}

/**
 * Lexical-overlap fallback: a sentence is unsupported when fewer than `threshold` of its content words
 * occur in the best-matching window of the manuscript (three sentences).
 * @param sentences The draft's sentences.
 * @param manuscript The manuscript.
 * @param threshold Share of content words that must be found (optional; default: 0.5).
 * @returns The 0-based indexes of unsupported sentences, with the share found.
 */
export function lexicalUnsupported(sentences: readonly string[], manuscript: string, threshold = 0.5): { index: number; overlap: number }[] {
  const windows: Set<string>[] = [];
  const manuscriptSentences = splitSentences(manuscript).map((sentence) => contentWords(sentence.text));
  for (let index = 0; index < manuscriptSentences.length; index += 1) {
    windows.push(new Set([...(manuscriptSentences[index - 1] ?? []), ...manuscriptSentences[index], ...(manuscriptSentences[index + 1] ?? [])]));
  }
  const result: { index: number; overlap: number }[] = [];
  sentences.forEach((sentence, index) => {
    const words = [...new Set(contentWords(sentence.replace(/^\*\*[^*]+:\*\*\s*/, '')))];
    if (words.length < 3) return;
    let best = 0;
    for (const window of windows) {
      const found = words.filter((word) => window.has(word)).length / words.length;
      if (found > best) best = found;
      if (best >= threshold) break;
    }
    if (best < threshold) result.push({ index, overlap: best });
  });
  return result;
}

/**
 * Offline checklist fallback: an item is missing when none of its cue words occur in the draft.
 * @param draft The drafted abstract.
 * @param checklist The checklist.
 * @returns The missing items.
 */
export function heuristicMissingItems(draft: string, checklist: readonly ChecklistItem[]): ChecklistItem[] {
  const lower = draft.toLowerCase();
  return checklist.filter((item) => !item.cues.some((cue) => lower.includes(cue)));
}

/** Options of {@link checkGrounding}. */
export interface GroundingOptions {
  /** The model, for the statement and checklist check (optional: without one, the offline checks run). */
  readonly client?: LlmClient;
  /** The drafted abstract. */
  readonly draft: string;
  /** The full manuscript, for the number check. */
  readonly manuscript: string;
  /** What the model is shown for the statement check: the manuscript or its condensed notes. */
  readonly evidence: string;
  /** The checklist (optional). */
  readonly checklist?: readonly ChecklistItem[];
  readonly wordLimit: number;
  readonly wordCount: number;
  /** What the limit counts (optional; default: words). */
  readonly lengthUnit?: 'words' | 'characters' | 'charactersWithSpaces';
  readonly signal: AbortSignal;
}

/** The result of {@link checkGrounding}. */
export interface GroundingReport {
  readonly issues: readonly GroundingIssue[];
  /** How statements and checklist items were checked. */
  readonly method: 'llm' | 'lexical';
  /** Why the LLM check was not used, when it was not. */
  readonly fallbackReason?: string;
  readonly usage: TokenUsage;
}

/**
 * Runs every grounding check on a draft. The LLM check is repaired once on an invalid answer and falls
 * back to lexical overlap (statements) and cue words (checklist) when it still fails or errors.
 * Cancellation propagates.
 * @param options The draft, the manuscript, the checklist and the client.
 * @returns The issues to show.
 */
export async function checkGrounding(options: GroundingOptions): Promise<GroundingReport> {
  const issues: GroundingIssue[] = [];
  for (const mention of findUnsupportedNumbers(options.draft, options.manuscript)) {
    issues.push({ kind: 'unsupportedNumber', text: mention.text, detail: l10n.t('This number does not appear in the manuscript.') });
  }
  if (options.wordCount > options.wordLimit) {
    issues.push({
      kind: 'wordLimit',
      text: `${options.wordCount} / ${options.wordLimit}`,
      detail:
        (options.lengthUnit ?? 'words') === 'words'
          ? l10n.t('The draft is {0} words over the limit.', options.wordCount - options.wordLimit)
          : l10n.t('The draft is {0} characters over the limit.', options.wordCount - options.wordLimit),
    });
  }
  const sentences = splitSentences(options.draft).map((sentence) => sentence.text);
  const checklist = options.checklist ?? [];
  let usage = noUsage;
  let fallbackReason: string | undefined;
  if (options.client && sentences.length > 0) {
    try {
      const answer = await completeStructured(
        options.client,
        buildGroundingMessages({ source: options.evidence, sentences, ...(options.checklist ? { checklist: options.checklist } : {}) }),
        (value) => validateGroundingAnswer(value, sentences.length, checklist.map((item) => item.id)),
        groundingSchemaDescription,
        options.signal,
      );
      usage = answer.usage;
      if (answer.ok) {
        for (const entry of answer.value.unsupported) issues.push({ kind: 'unsupportedStatement', text: sentences[entry.sentence - 1], detail: entry.reason });
        for (const id of answer.value.missingItems) {
          const item = checklist.find((candidate) => candidate.id === id);
          if (item) issues.push({ kind: 'missingChecklistItem', text: item.label, detail: item.description });
        }
        return { issues, method: 'llm', usage };
      }
      fallbackReason = l10n.t('The model\'s check was not valid JSON after a repair ({0}).', answer.error);
    } catch (error) {
      if (options.signal.aborted) throw error;
      fallbackReason = l10n.t('The model\'s check failed ({0}).', error instanceof Error ? error.message : String(error));
    }
  } else if (!options.client) {
    fallbackReason = l10n.t('No model was available for the check.');
  }
  for (const { index, overlap } of lexicalUnsupported(sentences, options.evidence === options.manuscript ? options.manuscript : `${options.manuscript}\n\n${options.evidence}`)) {
    issues.push({
      kind: 'unsupportedStatement',
      text: sentences[index],
      detail: l10n.t('Lexical check: only {0}% of its content words occur near each other in the manuscript.', Math.round(overlap * 100)),
    });
  }
  for (const item of heuristicMissingItems(options.draft, checklist)) {
    issues.push({ kind: 'missingChecklistItem', text: item.label, detail: l10n.t('{0} (keyword check)', item.description) });
  }
  return { issues, method: 'lexical', ...(fallbackReason ? { fallbackReason } : {}), usage };
}
