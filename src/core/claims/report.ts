/**
 * From prose units to messages: splits each unit into sentences, leaves out cited, ignored and
 * skipped ones, scores the rest and reports those at or above the threshold on the file.
 * Shared by the remark plugin (Markdown) and the LaTeX checker.
 */
import * as l10n from '@vscode/l10n';
import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import { detectLanguage } from '../manuscript/languageDetect';
import { LineIndex } from '../manuscript/lineIndex';
import { displayText, sourceRangeOf, type ProseUnit } from '../manuscript/prose';
import { splitSentences } from '../manuscript/sentences';
import { sentenceInParagraph } from './features';
import { normalizeSentence } from './ignore';
import type { ClaimScorer } from './scorer';

import { CLAIM_RULE_ID, CLAIM_SOURCE, CLAIMS_LANGUAGES, UNCHECKED_LANGUAGE_RULE_ID } from './constants';
export { CLAIM_RULE_ID, CLAIM_SOURCE, CLAIMS_LANGUAGES, DEFAULT_SKIP_SECTIONS, DEFAULT_THRESHOLD, UNCHECKED_LANGUAGE_RULE_ID } from './constants';

/** A message about one sentence that may need a source: a `VFileMessage` with the score attached. */
export interface ClaimMessage extends VFileMessage {
  /** Citation-worthiness in [0, 1]. */
  score: number;
  /** The sentence as the user sees it (citations removed, math and code as written). */
  sentence: string;
  /** The text the scorer saw. */
  scoredText: string;
}

/**
 * A message saying a paragraph was not checked because it is written in a language the checker
 * does not judge: a `VFileMessage` with the language and the number of sentences left unchecked.
 */
export interface UncheckedLanguageMessage extends VFileMessage {
  /** ISO 639-1 code of the detected language. */
  language: string;
  /** Sentences of the paragraph that were not checked. */
  sentenceCount: number;
}

declare module 'vfile' {
  interface DataMap {
    /** Sentences scored by the claims checker in this file (written by `reportSentences`). */
    biowriteSentencesChecked: number;
  }
}

/** What decides which sentences are reported. */
export interface ReportOptions {
  readonly scorer: ClaimScorer;
  readonly threshold: number;
  readonly skipSections: readonly string[];
  readonly ignoredSentences?: ReadonlySet<string>;
}

function normalizeHeadingForSkip(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/^(?:\d+(?:\.\d+)*\.?|[ivxlc]+\.|[a-z]\.)\s+/, '')
    .replace(/[:.]\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Whether a heading path falls in a section to skip. A skip entry matches a heading equal to it
 * (case-insensitive, numbering such as "2.1" ignored) or starting with it and a space or colon,
 * except "… and …": "Methods" skips "Methods: data sets" but not "Results and Discussion".
 */
export function isSkippedSection(headingPath: readonly string[], skipSections: readonly string[]): boolean {
  if (skipSections.length === 0 || headingPath.length === 0) return false;
  const skips = skipSections.map(normalizeHeadingForSkip).filter((skip) => skip.length > 0);
  return headingPath.some((heading) => {
    const normalized = normalizeHeadingForSkip(heading);
    return skips.some((skip) => {
      if (normalized === skip) return true;
      if (!normalized.startsWith(skip)) return false;
      const rest = normalized.slice(skip.length);
      return /^[\s:]/.test(rest) && !/^\s+(?:and|&)\s/.test(rest);
    });
  });
}

/** A point of a message's place, as unist counts: 1-based line and column, 0-based offset. */
interface PlacePoint {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** A message's place (a unist `Position`) from source offsets. */
function placeOf(lineIndex: LineIndex, startOffset: number, endOffset: number): { start: PlacePoint; end: PlacePoint } {
  const start = lineIndex.positionAt(startOffset);
  const end = lineIndex.positionAt(endOffset);
  return {
    start: { line: start.line + 1, column: start.character + 1, offset: startOffset },
    end: { line: end.line + 1, column: end.character + 1, offset: endOffset },
  };
}

/**
 * Reports the sentences of `units` that need a source on `file`.
 *
 * @param file The file the units were read from (offsets in units point into its value).
 * @param units Prose units of the file.
 * @param options Scorer, threshold, sections to skip, ignored sentences.
 */
export function reportSentences(file: VFile, units: readonly ProseUnit[], options: ReportOptions): void {
  let lineIndex: LineIndex | undefined;
  const source = String(file.value ?? '');
  // Both kinds of message are built here, so they place, name and attach their fields the same way.
  const report = <T extends VFileMessage>(text: string, startOffset: number, endOffset: number, ruleId: string, fields: Omit<T, keyof VFileMessage>): T => {
    lineIndex ??= new LineIndex(source);
    const message = file.message(text, { place: placeOf(lineIndex, startOffset, endOffset), ruleId, source: CLAIM_SOURCE });
    return Object.assign(message, fields) as unknown as T;
  };
  for (const unit of units) {
    if (unit.ignoreAll || isSkippedSection(unit.headingPath, options.skipSections)) continue;
    const spans = splitSentences(unit.text);
    if (spans.length === 0) continue;
    const cited = new Array<boolean>(spans.length).fill(false);
    const ignored = new Array<boolean>(spans.length).fill(false);
    const sentenceAt = (position: number): number => {
      let found = 0;
      for (let index = 0; index < spans.length; index++) if (spans[index].start <= position) found = index;
      return found;
    };
    for (const position of unit.citations) cited[sentenceAt(position)] = true;
    let ignoreAll = false;
    // A marker ignores the sentence it ends or stands in: the last one starting before it.
    for (const position of unit.ignoreMarkers) {
      if (position <= spans[0].start) ignoreAll = true;
      else ignored[sentenceAt(position - 1)] = true;
    }
    if (ignoreAll) continue;
    const language = detectLanguage(unit.text).code;
    if (language !== 'und' && !CLAIMS_LANGUAGES.includes(language)) {
      // Scoring text in a language the model never saw gives confident nonsense: say so instead.
      const uncheckedCount = spans.filter((_, index) => !cited[index] && !ignored[index]).length;
      if (uncheckedCount === 0) continue;
      const { start } = sourceRangeOf(unit, source, spans[0].start, spans[0].end);
      const { end } = sourceRangeOf(unit, source, spans[spans.length - 1].start, spans[spans.length - 1].end);
      report<UncheckedLanguageMessage>(l10n.t('not checked: the claims checker does not judge text in this language ({0})', language), start, end, UNCHECKED_LANGUAGE_RULE_ID, {
        language,
        sentenceCount: uncheckedCount,
      });
      continue;
    }
    const texts = spans.map((span) => unit.text.slice(span.start, span.end).replace(/\s+/g, ' '));
    for (let index = 0; index < spans.length; index++) {
      if (cited[index] || ignored[index]) continue;
      const span = spans[index];
      const sentence = displayText(unit, span.start, span.end);
      if (options.ignoredSentences && options.ignoredSentences.size > 0 && options.ignoredSentences.has(normalizeSentence(sentence))) continue;
      file.data.biowriteSentencesChecked = (file.data.biowriteSentencesChecked ?? 0) + 1;
      const { score, reason } = options.scorer.score(sentenceInParagraph(texts, index, unit));
      if (!(score >= options.threshold)) continue;
      const { start, end } = sourceRangeOf(unit, source, span.start, span.end);
      report<ClaimMessage>(reason, start, end, CLAIM_RULE_ID, { score, sentence, scoredText: texts[index] });
    }
  }
}
