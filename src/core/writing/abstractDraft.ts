/**
 * Drafts an abstract with a model: condenses long manuscripts section by section so that prompts fit the
 * context window, streams the draft, and runs the grounding checks on it.
 */
import * as l10n from '@vscode/l10n';
import type { GroundingIssue } from '../../shared/protocol';
import { LlmError, type LlmClient, type TokenUsage } from '../llm/types';
import { buildAbstractMessages, buildCondenseMessages } from '../llm/prompts/abstract';
import type { AbstractStructure } from './abstractStructures';
import { checkGrounding } from './grounding';
import type { ManuscriptFormat } from './markupFreeze';
import { addUsage, noUsage } from './structured';
import { countLength, defaultLengthUnit, estimateTokens, stripAnswerWrapper, type LengthUnit } from './text';
import { findExistingAbstract } from './abstractPlacement';

/** Default context window assumed for the model, in tokens. */
export const defaultContextTokens = 8192;

/** Options of {@link draftAbstract}. */
export interface DraftAbstractOptions {
  readonly client: LlmClient;
  /** The text to draft from: the manuscript or the user's selection (already redacted if the user chose so). */
  readonly source: string;
  /** The full manuscript, for the number check (optional; default: `source`). */
  readonly manuscript?: string;
  readonly format: ManuscriptFormat;
  readonly structure: AbstractStructure;
  /** The length limit, in {@link lengthUnit}s. */
  readonly wordLimit: number;
  /** Language code of the abstract. */
  readonly language: string;
  /** What the limit counts (optional; default: {@link defaultLengthUnit} of the language). */
  readonly lengthUnit?: LengthUnit;
  /** The model's context window in tokens (optional; default: {@link defaultContextTokens}). */
  readonly contextTokens?: number;
  /** Run the LLM grounding check (optional; default: true; the offline checks always run). */
  readonly llmGrounding?: boolean;
  readonly signal: AbortSignal;
  /** Receives progress: condensing, draft deltas (optional). */
  readonly onEvent?: (event: DraftEvent) => void;
}

/** Progress of a draft. */
export type DraftEvent =
  | { readonly kind: 'condensing'; readonly section: string; readonly index: number; readonly total: number }
  | { readonly kind: 'delta'; readonly text: string }
  | { readonly kind: 'checking' };

/** The typed result of drafting an abstract. */
export interface AbstractDraftResult {
  /** The draft, without an "Abstract" heading. */
  readonly text: string;
  /** The draft's length in {@link lengthUnit}s. */
  readonly wordCount: number;
  readonly wordLimit: number;
  /** What `wordCount` and `wordLimit` count. */
  readonly lengthUnit: LengthUnit;
  readonly issues: readonly GroundingIssue[];
  /** Summed over every request (condensing, drafting, checking), as the server reported it. */
  readonly usage: TokenUsage;
  /** Estimated prompt tokens of the drafting request, to compare with the context window. */
  readonly estimatedPromptTokens: number;
  /** How many sections were condensed first (0 when the manuscript fitted). */
  readonly sectionsCondensed: number;
  /** How statements were checked. */
  readonly groundingMethod: 'llm' | 'lexical' | 'none';
  /** Why the model's check was not used, when it fell back to the lexical one (optional). */
  readonly groundingFallbackReason?: string;
  /** Set when the user stopped the draft: `text` is what had arrived. */
  readonly cancelled: boolean;
}

/** One section of a manuscript, for condensing. */
export interface ManuscriptSection {
  readonly heading: string;
  readonly text: string;
}

/**
 * Splits a manuscript into sections at its headings (Markdown `#`, LaTeX `\section` family), leaving out
 * an existing abstract and the reference list.
 * @param text The manuscript.
 * @param format Its format.
 * @returns The sections, in order; text before the first heading is a section named "Front".
 */
export function splitSections(text: string, format: ManuscriptFormat): ManuscriptSection[] {
  const existing = findExistingAbstract(text, format);
  const body = existing ? text.slice(0, existing.start) + text.slice(existing.end) : text;
  const heading = format === 'latex' ? /^\\(?:part|chapter|section|subsection)\*?\{([^}]*)\}/gm : /^#{1,6}[ \t]+(.+?)[ \t]*(?:\{[^}]*\})?[ \t]*$/gm;
  const sections: ManuscriptSection[] = [];
  let last = 0;
  let lastHeading = 'Front';
  let match: RegExpExecArray | null;
  while ((match = heading.exec(body)) !== null) {
    sections.push({ heading: lastHeading, text: body.slice(last, match.index) });
    lastHeading = match[1].trim();
    last = match.index;
  }
  sections.push({ heading: lastHeading, text: body.slice(last) });
  return sections.filter((section) => section.text.trim() !== '' && !/^(references|bibliography|literature cited)$/i.test(section.heading));
}

/** Splits text into parts of at most `maxTokens` estimated tokens, at paragraph boundaries where possible. */
function splitByTokens(text: string, maxTokens: number): string[] {
  const parts: string[] = [];
  let current = '';
  for (const paragraph of text.split(/\n\s*\n/)) {
    const candidate = current === '' ? paragraph : `${current}\n\n${paragraph}`;
    if (estimateTokens(candidate) <= maxTokens) {
      current = candidate;
      continue;
    }
    if (current !== '') parts.push(current);
    if (estimateTokens(paragraph) <= maxTokens) {
      current = paragraph;
      continue;
    }
    // One paragraph longer than the budget: cut by characters.
    const size = Math.max(200, Math.floor(maxTokens * 3.6));
    for (let offset = 0; offset < paragraph.length; offset += size) parts.push(paragraph.slice(offset, offset + size));
    current = '';
  }
  if (current !== '') parts.push(current);
  return parts;
}

async function completeText(client: LlmClient, messages: Parameters<typeof buildCondenseMessages>[0], signal: AbortSignal): Promise<{ text: string; usage?: TokenUsage }> {
  const completion = await client.complete({ messages: buildCondenseMessages(messages), signal, temperature: 0 });
  return { text: stripAnswerWrapper(completion.text), ...(completion.usage ? { usage: completion.usage } : {}) };
}

/**
 * Drafts an abstract.
 * @param options Source, structure, limits, client and signal.
 * @returns The draft and its checks; when the user stopped it, the partial draft with `cancelled`.
 * @throws LlmError when a request fails (other than by the user's stop).
 */
export async function draftAbstract(options: DraftAbstractOptions): Promise<AbstractDraftResult> {
  const { client, signal } = options;
  const contextTokens = options.contextTokens ?? defaultContextTokens;
  const manuscript = options.manuscript ?? options.source;
  const lengthUnit = options.lengthUnit ?? defaultLengthUnit(options.language);
  // A CJK character is about one token, an English word about 1.3, with room for the headings.
  const outputReserve = Math.ceil(options.wordLimit * (lengthUnit === 'words' ? 2.2 : 1.5)) + 200;
  const promptOverhead = estimateTokens(buildAbstractMessages({ source: '', condensed: true, structure: options.structure, wordLimit: options.wordLimit, language: options.language, lengthUnit }).map((m) => m.content).join('\n')) + 50;
  const sourceBudget = contextTokens - outputReserve - promptOverhead;
  if (sourceBudget < 300) {
    throw new LlmError(
      'notConfigured',
      l10n.t('A context window of {0} tokens is too small to draft a {1}-word abstract. Raise “biowrite.abstract.contextTokens”.', contextTokens, options.wordLimit),
    );
  }
  let usage = noUsage;
  let evidence = options.source;
  let sectionsCondensed = 0;
  const existing = findExistingAbstract(evidence, options.format);
  if (existing) evidence = evidence.slice(0, existing.start) + evidence.slice(existing.end);

  // Condense until the notes fit; each round shrinks them, two rounds cover any manuscript in practice.
  for (let round = 0; round < 3 && estimateTokens(evidence) > sourceBudget; round += 1) {
    const sections = round === 0 ? splitSections(evidence, options.format) : [{ heading: 'Notes', text: evidence }];
    const condenseInput = Math.max(500, contextTokens - 700 - Math.floor(sourceBudget / 2));
    const pieces = sections.flatMap((section) =>
      splitByTokens(section.text, condenseInput).map((text, index, all) => ({ heading: all.length > 1 ? `${section.heading} (part ${index + 1} of ${all.length})` : section.heading, text })),
    );
    const total = estimateTokens(evidence);
    const notes: string[] = [];
    for (const [index, piece] of pieces.entries()) {
      if (signal.aborted) throw new LlmError('aborted', l10n.t('The request was cancelled.'));
      options.onEvent?.({ kind: 'condensing', section: piece.heading, index, total: pieces.length });
      const share = Math.max(40, Math.floor(((sourceBudget * 0.8) / 1.4) * (estimateTokens(piece.text) / total)));
      const answer = await completeText(client, { heading: piece.heading, text: piece.text, targetWords: share }, signal);
      usage = addUsage(usage, answer.usage);
      notes.push(`## ${piece.heading}\n${answer.text}`);
    }
    sectionsCondensed += pieces.length;
    evidence = notes.join('\n\n');
  }
  if (estimateTokens(evidence) > sourceBudget) evidence = evidence.slice(0, Math.floor(sourceBudget * 3.6));

  const messages = buildAbstractMessages({ source: evidence, condensed: sectionsCondensed > 0, structure: options.structure, wordLimit: options.wordLimit, language: options.language, lengthUnit });
  const estimatedPromptTokens = estimateTokens(messages.map((message) => message.content).join('\n'));
  let text = '';
  let cancelled = false;
  try {
    for await (const event of client.stream({ messages, signal, temperature: 0.3, maxTokens: outputReserve })) {
      if (event.kind === 'delta') {
        text += event.text;
        options.onEvent?.({ kind: 'delta', text: event.text });
      } else {
        usage = addUsage(usage, event.usage);
      }
    }
  } catch (error) {
    if (!(error instanceof LlmError && error.kind === 'aborted' && signal.aborted)) throw error;
    cancelled = true;
  }
  const draft = cleanDraft(text);
  const wordCount = countLength(draft, lengthUnit);
  const stopped = (): AbstractDraftResult => ({ text: draft, wordCount, wordLimit: options.wordLimit, lengthUnit, issues: [], usage, estimatedPromptTokens, sectionsCondensed, groundingMethod: 'none', cancelled: true });
  if (cancelled) return stopped();
  options.onEvent?.({ kind: 'checking' });
  let report: Awaited<ReturnType<typeof checkGrounding>>;
  try {
    report = await checkGrounding({
      ...(options.llmGrounding === false ? {} : { client }),
      draft,
      manuscript,
      evidence,
      ...(options.structure.checklist ? { checklist: options.structure.checklist } : {}),
      wordLimit: options.wordLimit,
      wordCount,
      lengthUnit,
      signal,
    });
  } catch (error) {
    // A stop during the check still leaves the user the draft, unchecked.
    if (signal.aborted) return stopped();
    throw error;
  }
  usage = addUsage(usage, report.usage);
  return {
    text: draft,
    wordCount,
    wordLimit: options.wordLimit,
    lengthUnit,
    issues: report.issues,
    usage,
    estimatedPromptTokens,
    sectionsCondensed,
    groundingMethod: report.method,
    ...(report.fallbackReason ? { groundingFallbackReason: report.fallbackReason } : {}),
    cancelled,
  };
}

/**
 * Tidies a model's abstract: no code fence, no leading "Abstract" heading or label.
 * @param text The model's answer.
 * @returns The abstract's body.
 */
export function cleanDraft(text: string): string {
  return stripAnswerWrapper(text)
    .replace(/^\s*(?:#{1,6}\s*Abstract\s*|\*\*Abstract\*\*:?\s*|Abstract:\s*)\n+/i, '')
    .trim();
}
