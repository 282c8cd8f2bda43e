/**
 * Plans the insertion of a citation at the end of a sentence, in the document's own syntax
 * (Pandoc `[@key]`, Manubot `[@doi:…]`, LaTeX `\cite{key}`), merged into a citation that already
 * closes the sentence, and placed before or after the final punctuation as the document does.
 * Pure: returns offset edits; the editor layer applies them.
 */
import { canWriteKey, detectCitationSyntax, extractCitations, formatPandocKey, type Citation, type ManuscriptLanguage, type TextEdit } from '../manuscript/citations';
import type { LiteratureRecord } from '../literature/types';

export type { TextEdit };

/** Where citations sit relative to the sentence's final punctuation. */
export type CitationPlacement = 'beforePunctuation' | 'afterPunctuation';

/** The Markdown style setting: `auto` follows the document. */
export type MarkdownStyleSetting = 'auto' | 'pandoc' | 'manubot';

/** The syntax a citation is inserted in. */
export type InsertSyntax = 'pandoc' | 'manubot' | 'latex';

/** The document's citation conventions. */
export interface DocumentConventions {
  readonly syntax: InsertSyntax;
  readonly placement: CitationPlacement;
  /** LaTeX only: the command to use, without backslash. */
  readonly latexCommand: string;
}

/**
 * Detects how a document cites: syntax (from the setting, or what the document uses when `auto`)
 * and whether citations sit before the period (`claim [@a].`) or after it (`claim.[@a]`).
 * @param text The whole document.
 * @param language Its language.
 * @param settings `markdownStyle` and `latexCommand` settings (the LaTeX command found in the document wins only when the setting is the default `cite`).
 */
export function detectConventions(
  text: string,
  language: ManuscriptLanguage,
  settings: { readonly markdownStyle?: MarkdownStyleSetting; readonly latexCommand?: string } = {},
): DocumentConventions {
  const report = detectCitationSyntax(text, language);
  const citations = extractCitations(text, language);
  let before = 0;
  let after = 0;
  for (const citation of citations) {
    if (/^\s*[.!?;,]/.test(text.slice(citation.end, citation.end + 3))) before++;
    else if (/[.!?]\s*$/.test(text.slice(Math.max(0, citation.start - 3), citation.start))) after++;
  }
  const placement: CitationPlacement = after > before ? 'afterPunctuation' : 'beforePunctuation';
  const settingCommand = settings.latexCommand?.trim().replace(/^\\/, '') || 'cite';
  if (language === 'latex') {
    const latexCommand = settingCommand !== 'cite' ? settingCommand : (report.latexCommand ?? 'cite');
    return { syntax: 'latex', placement, latexCommand };
  }
  const style = settings.markdownStyle ?? 'auto';
  const syntax: InsertSyntax = style === 'auto' ? (report.syntax === 'manubot' ? 'manubot' : 'pandoc') : style;
  return { syntax, placement, latexCommand: settingCommand };
}

/**
 * The key to cite a record by in Manubot syntax: `doi:…`, else `pmid:…`, else `pmcid:…`;
 * undefined when the record has none of these that can be written in a citation.
 */
export function manubotKeyFor(record: LiteratureRecord): string | undefined {
  for (const key of [record.doi && `doi:${record.doi}`, record.pmid && `pmid:${record.pmid}`, record.pmcid && `pmcid:${record.pmcid}`]) {
    if (key && canWriteKey(key)) return key;
  }
  return undefined;
}

function isMergeable(citation: Citation, syntax: InsertSyntax): boolean {
  return syntax === 'latex' ? citation.kind === 'latex' : citation.kind === 'bracketed';
}

/** The edit that adds `keys` to an existing citation (before its closing bracket), skipping keys already there. */
function mergeInto(text: string, citation: Citation, keys: readonly string[], syntax: InsertSyntax): TextEdit | 'alreadyCited' {
  const present = new Set(citation.keys.map((k) => k.toLowerCase()));
  const missing = keys.filter((k) => !present.has(k.toLowerCase()));
  if (missing.length === 0) return 'alreadyCited';
  const closeAt = citation.end - 1;
  if (syntax === 'latex') {
    const separator = /,\s/.test(text.slice(citation.start, citation.end)) ? ', ' : ',';
    return { start: closeAt, end: closeAt, newText: missing.map((k) => `${separator}${k}`).join('') };
  }
  return { start: closeAt, end: closeAt, newText: missing.map((k) => `; ${formatPandocKey(k)}`).join('') };
}

/** The result of planning an insertion. */
export type InsertionPlan = { readonly kind: 'edit'; readonly edit: TextEdit } | { readonly kind: 'alreadyCited' };

/**
 * Plans the edit that cites `keys` at the end of the sentence `[sentenceStart, sentenceEnd)`.
 * @param text The whole document.
 * @param sentenceStart Offset of the sentence's first character.
 * @param sentenceEnd Offset just past its last character (final punctuation included, a trailing citation optional).
 * @param keys The keys, without `@` (`smith2020`, `doi:10.1/x`).
 * @param language The document's language.
 * @param conventions From {@link detectConventions}.
 */
export function planCitation(
  text: string,
  sentenceStart: number,
  sentenceEnd: number,
  keys: readonly string[],
  language: ManuscriptLanguage,
  conventions: DocumentConventions,
): InsertionPlan {
  if (keys.length === 0) throw new Error('planCitation: no key to cite.');
  let end = sentenceEnd;
  while (end > sentenceStart && /\s/.test(text[end - 1])) end--;
  // A citation right after the sentence (`claim.[@a]` or `claim. [@a]` on the same line) belongs to it.
  const lineEnd = text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end);
  const tail = extractCitations(text.slice(end, lineEnd), language)[0];
  if (tail && /^[ \t]*$/.test(text.slice(end, end + tail.start)) && /[.!?]["'”’)]*$/.test(text.slice(sentenceStart, end)) && isMergeable(tail, conventions.syntax)) {
    const merged = mergeInto(text, { ...tail, start: end + tail.start, end: end + tail.end }, keys, conventions.syntax);
    return merged === 'alreadyCited' ? { kind: 'alreadyCited' } : { kind: 'edit', edit: merged };
  }
  // The sentence body ends before its final punctuation (and closing quotes after it).
  let bodyEnd = end;
  while (bodyEnd > sentenceStart && /["'”’]/.test(text[bodyEnd - 1])) bodyEnd--;
  const punctuationEnd = bodyEnd;
  while (bodyEnd > sentenceStart && /[.!?…]/.test(text[bodyEnd - 1])) bodyEnd--;
  const hasPunctuation = bodyEnd < punctuationEnd;
  const body = text.slice(sentenceStart, bodyEnd);
  const citations = extractCitations(body, language);
  const last = citations[citations.length - 1];
  if (last && body.slice(last.end).trim() === '' && isMergeable(last, conventions.syntax)) {
    const merged = mergeInto(text, { ...last, start: sentenceStart + last.start, end: sentenceStart + last.end }, keys, conventions.syntax);
    return merged === 'alreadyCited' ? { kind: 'alreadyCited' } : { kind: 'edit', edit: merged };
  }
  const citation = conventions.syntax === 'latex' ? `\\${conventions.latexCommand}{${keys.join(',')}}` : `[${keys.map(formatPandocKey).join('; ')}]`;
  if (conventions.placement === 'afterPunctuation' && hasPunctuation) {
    return { kind: 'edit', edit: { start: end, end, newText: citation } };
  }
  let trimmed = bodyEnd;
  while (trimmed > sentenceStart && /[ \t]/.test(text[trimmed - 1])) trimmed--;
  const glue = conventions.syntax === 'latex' ? '~' : ' ';
  return { kind: 'edit', edit: { start: trimmed, end: bodyEnd, newText: `${glue}${citation}` } };
}

/**
 * Finds where a sentence now is in a changed document: its offset when the text occurs exactly
 * once, undefined when it is gone (edited) or ambiguous (occurs twice): never a guess.
 * @param text The current document.
 * @param sentence The sentence's text at search time.
 */
export function relocateSentence(text: string, sentence: string): number | undefined {
  if (sentence.trim().length === 0) return undefined;
  const first = text.indexOf(sentence);
  if (first < 0) return undefined;
  return text.indexOf(sentence, first + 1) < 0 ? first : undefined;
}
