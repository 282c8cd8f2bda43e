/**
 * remark plugin that marks sentences making a claim a reader would expect to be backed by a
 * source, but carrying no citation.
 */
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { collectMarkdownProse, type HeadingEntry } from '../manuscript/markdown';
import { DEFAULT_SKIP_SECTIONS, DEFAULT_THRESHOLD, reportSentences } from './report';
import { loadDefaultScorer, type ClaimScorer } from './scorer';

/** Configuration of {@link remarkClaims}. */
export interface RemarkClaimsOptions {
  /** Scorer of citation-worthiness (default: the shipped model, `loadDefaultScorer()`). */
  readonly scorer?: ClaimScorer | null;
  /** Lowest score reported, from 0 to 1; `0` reports every sentence with its score (default: `0.6`). */
  readonly threshold?: number | null;
  /** Headings whose sections are not checked, case-insensitive (default: `DEFAULT_SKIP_SECTIONS`). */
  readonly skipSections?: readonly string[] | null;
  /** Sentences that need no source, normalised with `normalizeSentence` (default: none). */
  readonly ignoredSentences?: ReadonlySet<string> | null;
  /** Headings above the tree, when the file is a part of a document (default: `file.data.biowriteHeadings`, else none). */
  readonly headings?: readonly HeadingEntry[] | null;
  /** Labels of footnotes whose note holds a reference (default: found in the file itself). */
  readonly citingFootnotes?: ReadonlySet<string> | null;
}

declare module 'vfile' {
  interface DataMap {
    /** Headings above the file's text when it is one block of a document (read by `remarkClaims`). */
    biowriteHeadings: readonly HeadingEntry[];
    /** Headings in force after the file's text (written by `remarkClaims`). */
    biowriteHeadingsAfter: readonly HeadingEntry[];
  }
}

let defaultScorer: ClaimScorer | undefined;

/**
 * Mark claims without sources.
 *
 * Each sentence that carries no citation, is not ignored (`<!-- biowrite-ignore -->`) and is not
 * in a skipped section is scored; those scoring at least `threshold` are reported with
 * `file.message(reason, {place, ruleId: 'claim-without-source', source: 'biowrite'})`, the
 * message carrying `score`, `sentence` and `scoredText`.
 *
 * @param options
 *   Configuration (optional).
 * @returns
 *   Transform.
 */
export default function remarkClaims(options?: Readonly<RemarkClaimsOptions> | null): (tree: Root, file: VFile) => void {
  const settings = options ?? {};
  const threshold = typeof settings.threshold === 'number' && Number.isFinite(settings.threshold) ? settings.threshold : DEFAULT_THRESHOLD;
  return (tree, file) => {
    const scorer = settings.scorer ?? (defaultScorer ??= loadDefaultScorer());
    const source = String(file.value ?? '');
    const { units, headings } = collectMarkdownProse(tree, source, {
      citingFootnotes: settings.citingFootnotes ?? undefined,
      headings: settings.headings ?? file.data.biowriteHeadings ?? undefined,
    });
    file.data.biowriteHeadingsAfter = headings;
    reportSentences(file, units, {
      scorer,
      threshold,
      skipSections: settings.skipSections ?? DEFAULT_SKIP_SECTIONS,
      ignoredSentences: settings.ignoredSentences ?? undefined,
    });
  };
}

export { remarkClaims };
