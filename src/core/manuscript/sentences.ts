/**
 * Sentence segmentation for scientific prose. Survives "e.g.", "i.e.", "et al.", "Fig. 2",
 * "Figs.", "Eq.", "vs.", "p < 0.05", decimals, species names ("E. coli"), initials, ellipses,
 * quotes and brackets. Works on prose text where inline math and code are already placeholders
 * (see `prose.ts`), so their dots never end a sentence.
 */

/** A sentence as offsets into the text it was found in, trimmed of surrounding white space. */
export interface SentenceSpan {
  readonly start: number;
  readonly end: number;
}

// Words that end with a period without ending the sentence (compared case-insensitively unless listed in `caseSensitive`).
const abbreviations = new Set([
  'e.g', 'i.e', 'al', 'fig', 'figs', 'eq', 'eqs', 'ref', 'refs', 'vs', 'cf', 'approx', 'ca', 'resp', 'incl',
  'suppl', 'supp', 'sec', 'secs', 'tab', 'tabs', 'ch', 'chap', 'vol', 'pp', 'dr', 'prof', 'mr', 'mrs', 'ms',
  'st', 'jr', 'sr', 'inc', 'ltd', 'co', 'dept', 'univ', 'viz', 'sp', 'spp', 'subsp', 'var', 'ed', 'eds',
  'est', 'min', 'max', 'avg', 'nos', 'no', 'e.g.,', 'ibid', 'op', 'cit', 'et', 'n.b', 'a.k.a', 'w.r.t', 'aka',
  'mol', 'wt', 'conc', 'temp', 'ext', 'exp', 'ie', 'eg', 'vs', 'ver', 'fl', 'art', 'sect', 'p', 'pg',
]);
// Abbreviations that only hold before a number ("No. 5", "p. 3"), else they may end a sentence.
const beforeNumberOnly = new Set(['no', 'nos', 'p', 'pp', 'pg', 'vol', 'art', 'min', 'max', 'est', 'exp', 'ext', 'temp', 'co', 'ed', 'eds', 'st', 'var']);

// Nouns followed by a one-letter label, so "vitamin D." can end a sentence.
const labelNouns = new Set([
  'vitamin', 'group', 'groups', 'type', 'types', 'hepatitis', 'chromosome', 'class', 'phase', 'grade', 'stage', 'model',
  'models', 'panel', 'panels', 'figure', 'table', 'appendix', 'section', 'category', 'subtype', 'region', 'domain', 'complex',
  'factor', 'allele', 'strain', 'lineage', 'cohort', 'arm', 'site', 'condition', 'scenario', 'option', 'plan', 'protein',
  'influenza', 'immunoglobulin', 'coenzyme', 'method', 'dataset', 'sample', 'patient', 'point', 'level', 'version',
]);
const terminal = /[.!?…。！？．]/;
// Chinese and Japanese end sentences with full-width marks and no space after them.
const fullWidthTerminal = /[。！？．]/;
const closing = /["'”’)\]»}」』）】〉》]/;
// Hangul, Han and kana have no case: a sentence in them starts with any of their characters.
const sentenceStart = /[\p{Lu}\p{N}\p{sc=Hangul}\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}"“‘'([¿¡$`*_「『（【]/u;

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 0xa0 || code === 0x2009 || code === 0x202f;
}

/** The word that ends at `end` (exclusive), from the previous white space or opening bracket. */
function wordBefore(text: string, end: number): string {
  let start = end;
  while (start > 0 && !isSpace(text.charCodeAt(start - 1)) && !/[(["“‘]/.test(text[start - 1])) start--;
  return text.slice(start, end);
}

/** Whether the period at `dot` belongs to an abbreviation, an initial or a number, given the next word starts at `next`. */
function isAbbreviationPeriod(text: string, dot: number, next: number): boolean {
  const word = wordBefore(text, dot);
  if (word.length === 0) return false;
  const lower = word.toLowerCase();
  const nextIsNumber = /[\p{N}]/u.test(text[next] ?? '');
  if (beforeNumberOnly.has(lower)) return nextIsNumber;
  if (abbreviations.has(lower)) return true;
  // "e.g", "i.e", "U.S", "a.k.a": letters separated by dots.
  if (/^(?:\p{L}\.)+\p{L}$/u.test(word)) return true;
  // An initial or a genus abbreviation: "J. Smith", "E. coli", "S. aureus"; but not a
  // label after a noun that takes one ("vitamin D.", "group A.", "Model B.").
  if (/^\p{Lu}$/u.test(word)) {
    let end = dot - word.length;
    while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
    return !labelNouns.has(wordBefore(text, end).toLowerCase());
  }
  // A two-letter capitalised genus abbreviation ("Sc. pombe") only before a lower-case word.
  if (/^\p{Lu}\p{Ll}$/u.test(word) && /\p{Ll}/u.test(text[next] ?? '')) return true;
  return false;
}

/**
 * Splits prose into sentences.
 *
 * A sentence ends at `.`, `!`, `?` or `…` (runs of them included), followed by closing quotes or
 * brackets, then white space and a capital letter, a digit, a Hangul, Han or kana character, an
 * opening quote or bracket, or the end of the text; or at the full-width `。！？．` of Chinese and
 * Japanese, with or without white space after. A period after a known abbreviation, an initial or a letter-dot sequence does
 * not end a sentence; neither does a period inside a number (no white space follows it).
 *
 * @param text Prose text (one paragraph; line breaks count as spaces).
 * @returns Spans trimmed of white space; spans without a letter or digit are left out.
 */
export function splitSentences(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  let start = 0;
  const length = text.length;
  const push = (end: number): void => {
    let s = start;
    let e = end;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    if (e > s && /[\p{L}\p{N}]/u.test(text.slice(s, e))) spans.push({ start: s, end: e });
  };
  for (let index = 0; index < length; index++) {
    if (!terminal.test(text[index])) continue;
    let end = index + 1;
    while (end < length && terminal.test(text[end])) end++;
    while (end < length && closing.test(text[end])) end++;
    if (fullWidthTerminal.test(text[index])) {
      // 「…。」と述べた: a quotation closed and carried on by a particle is still the same sentence.
      const quoted = end > index + 1 && closing.test(text[end - 1]);
      if (quoted && /\p{sc=Hiragana}/u.test(text[end] ?? '')) {
        index = end - 1;
        continue;
      }
      push(end);
      start = end;
      index = end - 1;
      continue;
    }
    if (end < length && !isSpace(text.charCodeAt(end))) {
      index = end - 1;
      continue;
    }
    let next = end;
    while (next < length && isSpace(text.charCodeAt(next))) next++;
    if (next < length && !sentenceStart.test(text[next])) {
      index = end - 1;
      continue;
    }
    // Only a single period can be an abbreviation's; "?" and "!" and ellipses end sentences.
    if (text[index] === '.' && end - index >= 1 && !terminal.test(text[index + 1] ?? '') && isAbbreviationPeriod(text, index, next)) {
      index = end - 1;
      continue;
    }
    push(end);
    start = end;
    index = end - 1;
  }
  push(length);
  return spans;
}
