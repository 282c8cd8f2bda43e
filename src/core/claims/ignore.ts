/**
 * "This sentence needs no source": the inline comments and the workspace list.
 *
 * Inline comments: `<!-- biowrite-ignore -->` in Markdown, `% biowrite-ignore` in LaTeX.
 * - Placed inside a paragraph, the comment ignores the sentence it ends or stands in: put it
 *   right after the sentence (`… a claim. <!-- biowrite-ignore -->`).
 * - Placed at the start of a paragraph, or on its own line directly above it (no blank line
 *   between), it ignores every sentence of that paragraph.
 *
 * The workspace list (`.biowrite/ignore.json`) holds sentences by their text, so it survives
 * edits elsewhere in the document; a sentence whose words change is checked again.
 */
import * as l10n from '@vscode/l10n';

/** The Markdown comment that marks a sentence as needing no source. */
export const MARKDOWN_IGNORE_COMMENT = '<!-- biowrite-ignore -->';

/** The LaTeX comment that marks a sentence as needing no source. */
export const LATEX_IGNORE_COMMENT = '% biowrite-ignore';

/** Where the workspace list lives, relative to the workspace folder. */
export const IGNORE_LIST_PATH = '.biowrite/ignore.json';

/** The workspace list's content. */
export interface IgnoreList {
  readonly version: 1;
  /** Sentences that need no source, as shown in the panel (compared after normalising white space and case). */
  readonly sentences: readonly string[];
}

/** The form in which sentences are compared: white space collapsed, case and typographic quotes folded. */
export function normalizeSentence(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[“”]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * Parses the workspace list. Accepts `{"version":1,"sentences":[…]}` or a bare array of strings.
 *
 * @throws Error with a message naming the problem when the JSON is invalid or has another shape.
 */
export function parseIgnoreList(json: string): IgnoreList {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new Error(l10n.t('{0} is not valid JSON ({1}). Fix it or delete it.', IGNORE_LIST_PATH, error instanceof Error ? error.message : String(error)), { cause: error });
  }
  const list = Array.isArray(value) ? value : typeof value === 'object' && value !== null ? (value as { sentences?: unknown }).sentences : undefined;
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
    throw new Error(l10n.t('{0} must be {1}. Fix it or delete it.', IGNORE_LIST_PATH, '{"version": 1, "sentences": ["…"]}'));
  }
  return { version: 1, sentences: list as string[] };
}

/** The list with one more sentence (unchanged when it is already there), serialised for the file. */
export function addToIgnoreList(list: IgnoreList | undefined, sentence: string): string {
  const sentences = [...(list?.sentences ?? [])];
  const key = normalizeSentence(sentence);
  if (!sentences.some((existing) => normalizeSentence(existing) === key)) sentences.push(sentence.replace(/\s+/g, ' ').trim());
  return `${JSON.stringify({ version: 1, sentences }, null, 2)}\n`;
}

/** The normalised set of a list's sentences, for `CheckOptions.ignoredSentences`. */
export function ignoredSentenceSet(list: IgnoreList | undefined): Set<string> {
  return new Set((list?.sentences ?? []).map(normalizeSentence));
}
