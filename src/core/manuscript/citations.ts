/**
 * Citation syntax: finding citations in Markdown (Pandoc, Manubot, Quarto) and LaTeX text,
 * telling which syntax a document uses, and planning where a new citation goes.
 *
 * Pure functions over strings; offsets are string (UTF-16) offsets into the text given.
 * Used by the claims checker (a sentence with a citation is sourced) and by the sources
 * feature (to insert a citation in the document's own syntax).
 */

/** How a citation is written. */
export type CitationKind =
  /** `[@key]`, `[see @a, p. 3; -@b]`, `[@doi:10.1/x]`. */
  | 'bracketed'
  /** `@key` in running text. */
  | 'inText'
  /** `[1]`, `[1-3]`, `[1, 4]`. */
  | 'numeric'
  /** `^1^`, `^1,2^`. */
  | 'superscript'
  /** `[^1]` whose note holds a reference. */
  | 'footnote'
  /** Pandoc `^[note with @key]`. */
  | 'inlineFootnote'
  /** `\cite{…}` and the natbib/biblatex variants. */
  | 'latex';

/** One citation found in a text. */
export interface Citation {
  /** Offset of the first character. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
  readonly kind: CitationKind;
  /** The keys cited, without `@` or `-@` (`doi:10.1/x`, `smith2020`); numbers for numeric citations. */
  readonly keys: readonly string[];
  /** The LaTeX command without backslash (`citep`), for `latex` citations. */
  readonly command?: string;
}

/** The document languages Biowrite reads. */
export type ManuscriptLanguage = 'markdown' | 'latex';

/** Options of {@link extractMarkdownCitations}. */
export interface MarkdownCitationOptions {
  /**
   * Footnote labels (without `^`, case-insensitive) whose note holds a reference; `[^label]` counts
   * as a citation only for these (optional; default: none). See {@link footnotesWithReferences}.
   */
  readonly citingFootnotes?: ReadonlySet<string>;
}

/** Manubot's citation-key prefixes (`@doi:…`). */
export const MANUBOT_PREFIXES: readonly string[] = ['doi', 'pmid', 'pmcid', 'arxiv', 'isbn', 'url', 'wikidata', 'tag'];

/** pandoc-crossref prefixes: `@fig:x` is a cross-reference, not a citation. */
export const CROSS_REFERENCE_PREFIXES: readonly string[] = ['fig', 'tbl', 'eq', 'sec', 'lst'];

/**
 * Quarto's reserved cross-reference types: `@fig-x`, `@tbl-x`, `@thm-x`… are cross-references there
 * (Quarto's documentation: "cross reference identifiers must start with their type").
 */
export const QUARTO_CROSS_REFERENCE_TYPES: readonly string[] = [
  'fig', 'tbl', 'lst', 'tip', 'nte', 'wrn', 'imp', 'cau', 'thm', 'lem', 'cor', 'prp', 'cnj', 'def', 'exm', 'exr', 'sol', 'rem', 'alg', 'eq', 'sec',
];

const crossReference = new RegExp(`^(?:(?:${CROSS_REFERENCE_PREFIXES.join('|')}):|(?:${QUARTO_CROSS_REFERENCE_TYPES.join('|')})-[\\p{L}\\p{N}])`, 'iu');
const manubotKey = new RegExp(`^(?:${MANUBOT_PREFIXES.join('|')}):`, 'i');
const numericContent = /^\s*\d{1,4}(?:\s*[-–—,]\s*\d{1,4})*\s*$/;
const superscriptContent = /^\d{1,4}(?:[-–—,]\d{1,4})*$/;
// A key character after the first: Pandoc allows internal punctuation; Manubot keys hold URLs and DOIs.
const keyCharacter = /[\p{L}\p{N}_:.#$%&\-+?<>~/=()]/u;
const keyStart = /[\p{L}\p{N}_]/u;
const trailingKeyPunctuation = /[.,;:!?)]/;
// What may stand before an in-text `@key`: not a letter or digit, so e-mail addresses never match.
const inTextBefore = /[\s([;\-"'“‘—–]/;

/** Whether a key is a cross-reference: pandoc-crossref's `fig:…`, `tbl:…`, `eq:…`, `sec:…`, `lst:…`, or Quarto's `fig-…`, `tbl-…`, `thm-…`… */
export function isCrossReference(key: string): boolean {
  return crossReference.test(key);
}

/** Whether a key uses a Manubot prefix (`doi:`, `pmid:`, `pmcid:`, `arxiv:`, `isbn:`, `url:`, `wikidata:`, `tag:`). */
export function isManubotKey(key: string): boolean {
  return manubotKey.test(key);
}

interface KeyMatch {
  readonly key: string;
  readonly end: number;
}

// Pandoc's bare key: a letter, digit or `_` first, then alphanumerics and `_`, with single punctuation
// characters from its list only between them (a run of two, or one at the end, ends the key).
const bareKey = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*$/u;

/**
 * Writes a key as Pandoc reads it back whole: `@key`, or `@{key}` when the key has characters a bare
 * key cannot hold (old DOIs such as `10.1002/(SICI)1097-4636(199909)46:3<350::AID-JBM8>3.0.CO;2-U`).
 * @param key The key without `@`; it must not contain `{`, `}`, `[` or `]` (see {@link canWriteKey}).
 */
export function formatPandocKey(key: string): string {
  return bareKey.test(key) ? `@${key}` : `@{${key}}`;
}

/** Whether a key can be written in a Markdown citation at all (braces and brackets would end it early). */
export function canWriteKey(key: string): boolean {
  return key.length > 0 && !/[{}[\]\s]/.test(key);
}

/** Reads a citation key after an `@` at `at` (the offset of `@`). */
function readKey(text: string, at: number, limit: number): KeyMatch | undefined {
  let index = at + 1;
  if (text[index] === '{') {
    const close = text.indexOf('}', index);
    if (close < 0 || close > limit || close === index + 1) return undefined;
    return { key: text.slice(index + 1, close), end: close + 1 };
  }
  if (index >= limit || !keyStart.test(text[index])) return undefined;
  index++;
  while (index < limit && keyCharacter.test(text[index])) index++;
  let key = text.slice(at + 1, index);
  // `)` is only part of a key when balanced (Manubot URL keys); a sentence-final period never is.
  while (key.length > 0 && trailingKeyPunctuation.test(key[key.length - 1])) {
    if (key.endsWith(')') && countOf(key, '(') >= countOf(key, ')')) break;
    key = key.slice(0, -1);
  }
  if (key.length === 0) return undefined;
  return { key, end: at + 1 + key.length };
}

function countOf(text: string, character: string): number {
  let count = 0;
  for (const c of text) if (c === character) count++;
  return count;
}

/** Offset of the `]` matching the `[` at `open`, or -1 (brackets nest; a blank line or 4,000 characters end the search). */
function matchingBracket(text: string, open: number, limit: number): number {
  let depth = 0;
  const stop = Math.min(limit, open + 4000);
  for (let index = open; index < stop; index++) {
    const c = text[index];
    if (c === '\\') {
      index++;
    } else if (c === '[') {
      depth++;
    } else if (c === ']') {
      depth--;
      if (depth === 0) return index;
    } else if (c === '\n' && /^\n[ \t]*(?:\n|$)/.test(text.slice(index, index + 80))) {
      return -1;
    }
  }
  return -1;
}

/** Keys of the `@key`s in a bracket's content; cross-references are left out. */
function keysInBracket(text: string, start: number, end: number): string[] {
  const keys: string[] = [];
  for (let index = start; index < end; index++) {
    if (text[index] !== '@') continue;
    const before = index === start ? ' ' : text[index - 1];
    if (!/[\s[;,-]/.test(before) && index !== start) continue;
    const match = readKey(text, index, end);
    if (!match) continue;
    if (!isCrossReference(match.key)) keys.push(match.key);
    index = match.end - 1;
  }
  return keys;
}

/** End of a code span opened by the backtick run at `at`, or -1 when it is not closed. */
function codeSpanEnd(text: string, at: number, limit: number): number {
  let run = 0;
  while (text[at + run] === '`') run++;
  const fence = '`'.repeat(run);
  let search = at + run;
  while (search < limit) {
    const found = text.indexOf(fence, search);
    if (found < 0 || found >= limit) return -1;
    let after = found + run;
    if (text[after] !== '`') return after;
    while (text[after] === '`') after++;
    search = after;
  }
  return -1;
}

/** End of inline math `$…$` opened at `at` (Pandoc's rules), or -1. */
function inlineMathEnd(text: string, at: number, limit: number): number {
  if (text[at + 1] === '$') {
    const close = text.indexOf('$$', at + 2);
    return close < 0 || close >= limit ? -1 : close + 2;
  }
  if (at + 1 >= limit || /\s/.test(text[at + 1])) return -1;
  for (let index = at + 1; index < limit; index++) {
    const c = text[index];
    if (c === '\\') index++;
    else if (c === '\n' && text[index + 1] === '\n') return -1;
    else if (c === '$') {
      if (/\s/.test(text[index - 1]) || /\d/.test(text[index + 1] ?? '')) continue;
      return index + 1;
    }
  }
  return -1;
}

/**
 * Finds the citations in Markdown text (Pandoc, Manubot, Quarto).
 *
 * Counts `[@key]`, `[see @a, p. 3; -@b]`, in-text `@key`, the Manubot prefixes, numeric `[1]`,
 * `[1-3]`, `[1,4]`, superscript `^1^`, Pandoc inline notes `^[… @key …]` and footnotes `[^1]` whose
 * note holds a reference. Leaves out cross-references (`@fig:…`, `@tbl:…`, `@eq:…`, `@sec:…`),
 * e-mail addresses, link destinations, HTML comments, code spans and inline math. A sentence-final
 * period is not part of a key.
 *
 * @param text Markdown text, a whole document or a part of one.
 * @param options (optional) Which footnotes cite.
 * @returns The citations in document order.
 */
export function extractMarkdownCitations(text: string, options: MarkdownCitationOptions = {}): Citation[] {
  const citations: Citation[] = [];
  const citingFootnotes = options.citingFootnotes;
  const limit = text.length;
  for (let index = 0; index < limit; index++) {
    const c = text[index];
    switch (c) {
      case '\\':
        index++;
        break;
      case '`': {
        const end = codeSpanEnd(text, index, limit);
        if (end > 0) index = end - 1;
        else while (text[index + 1] === '`') index++;
        break;
      }
      case '$': {
        const end = inlineMathEnd(text, index, limit);
        if (end > 0) index = end - 1;
        break;
      }
      case '<': {
        if (text.startsWith('<!--', index)) {
          const end = text.indexOf('-->', index + 4);
          index = end < 0 ? limit : end + 2;
        } else if (/^<[a-z][a-z0-9+.-]*:[^\s<>]*>/i.test(text.slice(index, index + 2048))) {
          // An autolink `<https://…>` or `<mailto:a@b>`.
          index = text.indexOf('>', index);
        }
        break;
      }
      case '^': {
        if (text[index + 1] === '[') {
          const close = matchingBracket(text, index + 1, limit);
          if (close > 0) {
            const inner = extractMarkdownCitations(text.slice(index + 2, close), options);
            if (inner.length > 0) {
              citations.push({ start: index, end: close + 1, kind: 'inlineFootnote', keys: inner.flatMap((citation) => citation.keys) });
            }
            index = close;
          }
        } else {
          const close = text.indexOf('^', index + 1);
          if (close > index + 1 && close - index < 40 && superscriptContent.test(text.slice(index + 1, close))) {
            citations.push({ start: index, end: close + 1, kind: 'superscript', keys: splitNumbers(text.slice(index + 1, close)) });
            index = close;
          }
        }
        break;
      }
      case '[': {
        const close = matchingBracket(text, index, limit);
        if (close < 0) break;
        const after = text[close + 1];
        const content = text.slice(index + 1, close);
        if (content.startsWith('^')) {
          const label = content.slice(1).toLowerCase();
          if (after !== ':' && citingFootnotes?.has(label)) {
            citations.push({ start: index, end: close + 1, kind: 'footnote', keys: [content.slice(1)] });
          }
          index = close;
          break;
        }
        if (after === '(' || after === '[' || (after === ':' && isLineStart(text, index))) {
          // A link or a link definition: its text may still hold an in-text citation, its destination never.
          // An image's text is its caption, where Pandoc resolves every citation.
          const isImage = after === '(' && index > 0 && text[index - 1] === '!';
          const inner = extractMarkdownCitations(content, options).filter((citation) => isImage || citation.kind === 'inText');
          for (const citation of inner) citations.push({ ...citation, start: citation.start + index + 1, end: citation.end + index + 1 });
          if (after === '(') {
            const destinationEnd = matchingParenthesis(text, close + 1, limit);
            index = destinationEnd > 0 ? destinationEnd : close;
          } else {
            index = close;
          }
          break;
        }
        if (content.includes('@')) {
          const keys = keysInBracket(text, index + 1, close);
          if (keys.length > 0) {
            citations.push({ start: index, end: close + 1, kind: 'bracketed', keys });
            index = close;
          } else if (/(?:^|[\s;])-?@/.test(content)) {
            // Only cross-references: not a citation, and nothing inside is one either.
            index = close;
          }
          break;
        }
        if (numericContent.test(content)) {
          citations.push({ start: index, end: close + 1, kind: 'numeric', keys: splitNumbers(content) });
          index = close;
        }
        break;
      }
      case '@': {
        const before = index === 0 ? ' ' : text[index - 1];
        if (!inTextBefore.test(before)) break;
        const match = readKey(text, index, limit);
        if (!match) break;
        if (!isCrossReference(match.key)) {
          const start = before === '-' && (index < 2 || /[\s([;]/.test(text[index - 2])) ? index - 1 : index;
          citations.push({ start, end: match.end, kind: 'inText', keys: [match.key] });
        }
        index = match.end - 1;
        break;
      }
      default:
        break;
    }
  }
  return citations;
}

function isLineStart(text: string, index: number): boolean {
  let at = index - 1;
  while (at >= 0 && (text[at] === ' ' || text[at] === '\t')) at--;
  return at < 0 || text[at] === '\n';
}

function matchingParenthesis(text: string, open: number, limit: number): number {
  let depth = 0;
  const stop = Math.min(limit, open + 4000);
  for (let index = open; index < stop; index++) {
    const c = text[index];
    if (c === '\\') index++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return index;
    else if (c === '\n' && text[index + 1] === '\n') return -1;
  }
  return -1;
}

function splitNumbers(content: string): string[] {
  return content
    .split(/[,]/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/**
 * The labels (lower-cased, without `^`) of the footnotes whose note holds a reference:
 * a citation, a DOI, a PMID or a URL.
 *
 * @param text The whole Markdown document (notes are usually at its end).
 */
export function footnotesWithReferences(text: string): Set<string> {
  const labels = new Set<string>();
  const definition = /^ {0,3}\[\^([^\]\s]+)\]:[ \t]*(.*(?:\n(?:[ \t]+\S.*|[ \t]*(?=\n[ \t]+\S)))*)/gm;
  for (let match = definition.exec(text); match; match = definition.exec(text)) {
    const note = match[2];
    if (
      extractMarkdownCitations(note).length > 0 ||
      /\b(?:doi:\s*10\.\d{4,}|10\.\d{4,}\/\S+|PMID:?\s*\d+|PMC\d+|https?:\/\/\S+|arXiv:\s*\d)/i.test(note) ||
      /\(\d{4}[a-z]?\)|\b(?:19|20)\d{2}[a-z]?\b.*\b(?:J|Journal|Nature|Science|Cell|Proc|Lancet|Bioinformatics|PLoS|BMC)\b/i.test(note)
    ) {
      labels.add(match[1].toLowerCase());
    }
  }
  return labels;
}

const latexCommand = /^(?:[A-Za-z]*cite[A-Za-z]*|Cite[A-Za-z]*)$/;
// `\nocite` adds to the bibliography without citing in the text; `\citestyle` and kin configure.
const latexNotCitations = new Set(['nocite', 'citestyle', 'citeindexfalse', 'citeindextrue', 'citetrackerfalse', 'citetrackertrue', 'excite']);

/** Whether a LaTeX command name (without backslash) is a citation command (`cite`, `citep`, `parencite`, `Textcite`…). */
export function isLatexCiteCommand(name: string): boolean {
  return latexCommand.test(name) && !latexNotCitations.has(name);
}

/** Skips spaces and at most one line break (TeX treats that as a space). */
function skipTexSpace(text: string, index: number, limit: number): number {
  let newlines = 0;
  while (index < limit) {
    const c = text[index];
    if (c === ' ' || c === '\t' || c === '\r') index++;
    else if (c === '\n' && newlines === 0) {
      newlines++;
      index++;
    } else break;
  }
  return index;
}

/** End (past the closing brace) of a `{…}` group opened at `open`, or -1. */
export function texGroupEnd(text: string, open: number, limit: number, closeCharacter = '}'): number {
  const openCharacter = text[open];
  let depth = 0;
  const stop = Math.min(limit, open + 20000);
  for (let index = open; index < stop; index++) {
    const c = text[index];
    if (c === '\\') index++;
    else if (c === '%') {
      const newline = text.indexOf('\n', index);
      if (newline < 0) return -1;
      index = newline;
    } else if (c === openCharacter) depth++;
    else if (c === closeCharacter && --depth === 0) return index + 1;
  }
  return -1;
}

/**
 * Reads a LaTeX citation command whose backslash is at `at`: `\cite{a,b}`, `\citep[p.~3]{a}`,
 * `\parencite*[see][12]{a}`, `\cites[pre][post]{a}{b}`.
 *
 * @returns The citation, or `undefined` when `at` does not start one.
 */
export function readLatexCitation(text: string, at: number, limit = text.length): Citation | undefined {
  let index = at + 1;
  while (index < limit && /[A-Za-z]/.test(text[index])) index++;
  const command = text.slice(at + 1, index);
  if (!isLatexCiteCommand(command)) return undefined;
  if (text[index] === '*') index++;
  const keys: string[] = [];
  let groups = 0;
  for (;;) {
    const next = skipTexSpace(text, index, limit);
    if (text[next] === '[') {
      const end = texGroupEnd(text, next, limit, ']');
      if (end < 0) break;
      index = end;
    } else if (text[next] === '{') {
      const end = texGroupEnd(text, next, limit);
      if (end < 0) break;
      for (const key of text.slice(next + 1, end - 1).split(',')) {
        const trimmed = key.replace(/%[^\n]*/g, '').trim();
        if (trimmed) keys.push(trimmed);
      }
      groups++;
      index = end;
      // Only the multicite commands (`\cites`, `\parencites`…) take more than one key group.
      if (!/s$/.test(command)) break;
    } else break;
  }
  if (groups === 0) return undefined;
  return { start: at, end: index, kind: 'latex', keys, command };
}

/**
 * Finds the LaTeX citation commands in a text, skipping `%` comments and verbatim-like environments.
 *
 * @param text LaTeX source.
 * @returns The citations in document order.
 */
export function extractLatexCitations(text: string): Citation[] {
  const citations: Citation[] = [];
  const limit = text.length;
  for (let index = 0; index < limit; index++) {
    const c = text[index];
    if (c === '%') {
      const newline = text.indexOf('\n', index);
      index = newline < 0 ? limit : newline;
    } else if (c === '\\') {
      const next = text[index + 1];
      if (next === undefined) break;
      if (!/[A-Za-z]/.test(next)) {
        index++;
        continue;
      }
      if (text.startsWith('begin{verbatim}', index + 1) || text.startsWith('begin{lstlisting}', index + 1) || text.startsWith('begin{minted}', index + 1)) {
        const name = text.slice(index + 7, text.indexOf('}', index + 7));
        const end = text.indexOf(`\\end{${name}}`, index);
        index = end < 0 ? limit : end + name.length + 5;
        continue;
      }
      const citation = readLatexCitation(text, index, limit);
      if (citation) {
        citations.push(citation);
        index = citation.end - 1;
      } else {
        while (index + 1 < limit && /[A-Za-z]/.test(text[index + 1])) index++;
      }
    }
  }
  return citations;
}

/**
 * Finds the citations of a text in the given language.
 *
 * @param text The text.
 * @param language `markdown` (Pandoc, Manubot, Quarto) or `latex`.
 * @param options (optional) Markdown options.
 */
export function extractCitations(text: string, language: ManuscriptLanguage, options: MarkdownCitationOptions = {}): Citation[] {
  return language === 'latex' ? extractLatexCitations(text) : extractMarkdownCitations(text, options);
}

/** The citation syntax a document uses. */
export type CitationSyntax = 'pandoc' | 'manubot' | 'numeric' | 'latex';

/** What {@link detectCitationSyntax} found. */
export interface CitationSyntaxReport {
  /** The syntax to insert new citations in. */
  readonly syntax: CitationSyntax;
  /** For LaTeX, the cite command used most (`citep`), when there is one. */
  readonly latexCommand?: string;
  /** How many citations the document holds. */
  readonly citationCount: number;
}

/**
 * Tells which citation syntax a document uses, so a new citation can match it: Manubot when most
 * keys carry a Manubot prefix (`@doi:…`), numeric when only numeric citations are found, LaTeX for
 * LaTeX, Pandoc otherwise (also for a document with no citation yet).
 *
 * @param text The whole document.
 * @param language Its language.
 */
export function detectCitationSyntax(text: string, language: ManuscriptLanguage): CitationSyntaxReport {
  const citations = extractCitations(text, language, { citingFootnotes: footnotesWithReferences(text) });
  if (language === 'latex') {
    const counts = new Map<string, number>();
    for (const citation of citations) if (citation.command) counts.set(citation.command, (counts.get(citation.command) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1])[0];
    return top ? { syntax: 'latex', latexCommand: top[0], citationCount: citations.length } : { syntax: 'latex', citationCount: 0 };
  }
  let manubot = 0;
  let plain = 0;
  let numeric = 0;
  for (const citation of citations) {
    if (citation.kind === 'numeric' || citation.kind === 'superscript') numeric++;
    else for (const key of citation.keys) if (isManubotKey(key)) manubot++;
    else plain++;
  }
  const syntax: CitationSyntax = manubot > 0 && manubot >= plain ? 'manubot' : plain === 0 && manubot === 0 && numeric > 0 ? 'numeric' : 'pandoc';
  return { syntax, citationCount: citations.length };
}

/** One text edit, as offsets into the text it was planned on. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/** Options of {@link planCitationInsertion}. */
export interface CitationInsertionOptions {
  /** The document's language. */
  readonly language: ManuscriptLanguage;
  /** LaTeX command for a new citation, without backslash (optional; default: `'cite'`). */
  readonly latexCommand?: string;
}

/**
 * Plans the edit that cites `keys` at the end of the sentence `[sentenceStart, sentenceEnd)`:
 * merged into a citation that already closes the sentence (`[@a]` → `[@a; @b]`, `\cite{a}` →
 * `\cite{a,b}`), otherwise inserted before the sentence's final punctuation (`claim [@b].`,
 * `claim~\cite{b}.`), or appended when the sentence has none.
 *
 * @param text The whole document.
 * @param sentenceStart Offset of the sentence's first character.
 * @param sentenceEnd Offset just past its last character (its final punctuation included).
 * @param keys Keys to cite, without `@` (`smith2020`, `doi:10.1/x`); at least one.
 * @param options The language and the LaTeX command.
 */
export function planCitationInsertion(
  text: string,
  sentenceStart: number,
  sentenceEnd: number,
  keys: readonly string[],
  options: CitationInsertionOptions,
): TextEdit {
  if (keys.length === 0) throw new Error('planCitationInsertion: no key to cite.');
  let end = sentenceEnd;
  while (end > sentenceStart && /\s/.test(text[end - 1])) end--;
  let insertAt = end;
  // Step back over closing quotes and brackets, then the final punctuation.
  while (insertAt > sentenceStart && /[.!?…]/.test(text[insertAt - 1])) insertAt--;
  if (insertAt === end) insertAt = end;
  const sentence = text.slice(sentenceStart, insertAt);
  const citations = extractCitations(sentence, options.language);
  const last = citations[citations.length - 1];
  if (last && sentence.slice(last.end).trim() === '') {
    const closeAt = sentenceStart + last.end - 1;
    if (options.language === 'latex' && last.kind === 'latex') {
      return { start: closeAt, end: closeAt, newText: keys.map((key) => `,${key}`).join('') };
    }
    if (options.language === 'markdown' && last.kind === 'bracketed') {
      return { start: closeAt, end: closeAt, newText: keys.map((key) => `; @${key}`).join('') };
    }
  }
  let trimmedAt = insertAt;
  while (trimmedAt > sentenceStart && /[ \t]/.test(text[trimmedAt - 1])) trimmedAt--;
  if (options.language === 'latex') {
    return { start: trimmedAt, end: insertAt, newText: `~\\${options.latexCommand ?? 'cite'}{${keys.join(',')}}` };
  }
  return { start: trimmedAt, end: insertAt, newText: ` [${keys.map((key) => `@${key}`).join('; ')}]` };
}
