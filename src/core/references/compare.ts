/**
 * Compares a bibliography entry with the record a service returned for it, robust to what real
 * services do: titles ending with a period, sentence or title case, NLM journal abbreviations,
 * shortened page ranges (`316-9`), initials for given names and dropped accents.
 */
import type { LiteratureRecord, RecordAuthor } from '../literature/types';

/** Lower case, accents dropped, every run of non-letters and non-digits one space. */
export function foldText(text: string | undefined): string {
  return decodeCharacterReferences(text ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[øØ]/g, 'o')
    .replace(/[łŁ]/g, 'l')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const namedReferences: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** `&amp;`, `&#38;` and `&#x26;` as the characters they stand for (exports often leave HTML escapes in titles). */
function decodeCharacterReferences(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]{2,6}));/gi, (whole, decimal?: string, hex?: string, name?: string) => {
    if (decimal) return String.fromCodePoint(Math.min(Number(decimal), 0x10ffff));
    if (hex) return String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff));
    return namedReferences[(name ?? '').toLowerCase()] ?? whole;
  });
}

/** The words of a folded text. */
function words(text: string | undefined): string[] {
  const folded = foldText(text);
  return folded === '' ? [] : folded.split(' ');
}

/** Levenshtein distance, bounded: stops counting past `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      // A transposition ("Statistcial") is one typing slip, not two.
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (previous[j - 2] ?? value) + 1);
      current.push(value);
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

/** How two titles relate. */
export type TitleRelation =
  /** The same words (case, punctuation, accents and a subtitle separator aside). */
  | 'same'
  /** The same words but for typing slips: a letter or two in a word or two. */
  | 'typo'
  /** Mostly the same words, but some replaced, added or dropped: another title, or an invented variant. */
  | 'changed'
  /** Another title. */
  | 'different';

/** The comparison of two titles. */
export interface TitleComparison {
  readonly relation: TitleRelation;
  /** Dice coefficient of the two word multisets, 0 to 1. */
  readonly similarity: number;
}

function diceOfWords(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const word of a) counts.set(word, (counts.get(word) ?? 0) + 1);
  let shared = 0;
  for (const word of b) {
    const count = counts.get(word) ?? 0;
    if (count > 0) {
      shared++;
      counts.set(word, count - 1);
    }
  }
  return (2 * shared) / (a.length + b.length);
}

/**
 * Compares an entry's title with a record's.
 * @param cited The title in the bibliography.
 * @param resolved The title a service returned.
 */
export function compareTitles(cited: string | undefined, resolved: string | undefined): TitleComparison {
  const a = words(cited);
  const b = words(resolved);
  const similarity = diceOfWords(a, b);
  if (a.length === 0 || b.length === 0) return { relation: 'different', similarity };
  if (a.join('') === b.join('')) return { relation: 'same', similarity: 1 };
  // A service may drop or add a subtitle: the shorter title as the whole start of the longer one.
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (shorter.length >= 4 && longer.slice(0, shorter.length).join(' ') === shorter.join(' ')) return { relation: 'same', similarity };
  if (a.length === b.length) {
    let slips = 0;
    let replaced = 0;
    for (let index = 0; index < a.length; index++) {
      if (a[index] === b[index]) continue;
      const distance = editDistance(a[index], b[index], 3);
      const longest = Math.max(a[index].length, b[index].length);
      // A plural made singular or the reverse is a changed word, not a slip of the keyboard.
      const plural = a[index] === `${b[index]}s` || b[index] === `${a[index]}s`;
      if (!plural && distance <= 2 && longest >= 4 && distance / longest <= 0.34) slips++;
      else replaced++;
    }
    if (replaced === 0 && slips <= 2) return { relation: 'typo', similarity };
  } else if (Math.abs(a.length - b.length) === 1 && editDistance(a.join(' '), b.join(' '), 3) <= 2) {
    // A word split or joined ("data set" / "dataset").
    return { relation: 'typo', similarity };
  }
  return { relation: similarity >= 0.5 ? 'changed' : 'different', similarity };
}

/** An author's family name, folded; for a literal name (consortium or unsplit), its last word. */
export function familyKey(author: RecordAuthor): string {
  // “Truong Jr” and “Truong” are one family name, whichever way a service splits the suffix off.
  const withoutSuffix = (list: string[]): string[] => (list.length > 1 && /^(?:jr|sr|ii|iii|iv)$/.test(list[list.length - 1]) ? list.slice(0, -1) : list);
  if (author.family) return withoutSuffix(words(author.family)).join('') || foldText(author.family).replace(/ /g, '');
  const literal = withoutSuffix(words(author.literal));
  return literal.length > 0 ? literal[literal.length - 1] : '';
}

/** How two author lists relate. */
export interface AuthorComparison {
  /** Share of the shorter list's family names found in the other list, 0 to 1 (1 when either list is empty). */
  readonly overlap: number;
  /** Whether the first authors are the same person (true when either list is empty). */
  readonly sameFirst: boolean;
  /** Whether both lists hold the same names in another order. */
  readonly reordered: boolean;
  /** Whether either list is empty (nothing to compare). */
  readonly unknown: boolean;
}

function sameFamily(a: string, b: string): boolean {
  if (a === b) return true;
  // "Beaulieu-Jones" / "BeaulieuJones", "van der Maaten" / "Maaten": one name inside the other.
  return (a.length >= 4 && b.length >= 4 && (a.endsWith(b) || b.endsWith(a))) || (Math.min(a.length, b.length) >= 6 && editDistance(a, b, 1) <= 1);
}

/**
 * Compares author lists by family name (given names may be initials, accents dropped).
 * @param cited The entry's authors.
 * @param resolved The record's authors.
 */
export function compareAuthors(cited: readonly RecordAuthor[], resolved: readonly RecordAuthor[]): AuthorComparison {
  const a = cited.map(familyKey).filter((key) => key !== '');
  const b = resolved.map(familyKey).filter((key) => key !== '');
  if (a.length === 0 || b.length === 0) return { overlap: 1, sameFirst: true, reordered: false, unknown: true };
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  const found = shorter.filter((name) => longer.some((other) => sameFamily(name, other))).length;
  const overlap = found / shorter.length;
  const sameFirst = sameFamily(a[0], b[0]);
  // In order when the names both lists hold come in the same order (a service may drop or add a middle author).
  let last = -1;
  let inOrder = true;
  for (const name of shorter) {
    const at = longer.findIndex((other, index) => index > last && sameFamily(name, other));
    if (at >= 0) last = at;
    else if (longer.some((other) => sameFamily(name, other))) inOrder = false;
  }
  return { overlap, sameFirst, reordered: overlap === 1 && !inOrder, unknown: false };
}

// "Journal" and its abbreviation "J" name no journal in particular (J Pathol, The Journal of Pathology).
const venueStopwords = new Set(['the', 'of', 'and', 'in', 'on', 'for', 'a', 'an', 'de', 'la', 'und', 'fur', 'journal', 'j']);

function venueWords(venue: string | undefined): string[] {
  return words(venue?.replace(/&/g, ' and ')).filter((word) => !venueStopwords.has(word));
}

/**
 * Whether two venue names name the same journal or proceedings: equal, one the NLM/ISO abbreviation of the
 * other (every abbreviated word the start of the full word, in order), or sharing most of their words.
 * @param cited The entry's journal or proceedings.
 * @param resolved The record's.
 */
export function sameVenue(cited: string | undefined, resolved: string | undefined): boolean {
  const a = venueWords(cited);
  const b = venueWords(resolved);
  if (a.length === 0 || b.length === 0) return true;
  if (a.join(' ') === b.join(' ')) return true;
  // Every word of the short name starts a word of the full one, in order, from the first word on; the full
  // name may go on (“Bioinformatics (Oxford, England)”), but the short one cannot be a word found somewhere
  // inside a longer name (“Bioinformatics” in “Proceedings of the 10th ACM Conference on Bioinformatics”).
  const abbreviates = (short: readonly string[], full: readonly string[]): boolean => {
    let at = 0;
    for (const [index, word] of short.entries()) {
      const matches = (candidate: string): boolean => candidate.startsWith(word) || (word.length >= 4 && editDistance(word, candidate.slice(0, word.length), 1) <= 1);
      if (index === 0 && !matches(full[0])) return false;
      while (at < full.length && !matches(full[at])) at++;
      if (at >= full.length) return false;
      at++;
    }
    return true;
  };
  if (abbreviates(a, b) || abbreviates(b, a)) return true;
  if (acronymOf(cited, resolved) || acronymOf(resolved, cited)) return true;
  const shared = a.filter((word) => b.some((other) => other === word || (word.length >= 3 && other.startsWith(word)) || (other.length >= 3 && word.startsWith(other)))).length;
  // One shared word is not enough when the names are long: “Bioinformatics” and a conference on bioinformatics.
  return shared / Math.max(a.length, b.length) >= 0.6 || (shared >= 2 && shared / Math.min(a.length, b.length) >= 0.6);
}

const acronymSmallWords = new Set(['the', 'of', 'and', 'in', 'on', 'for', 'a', 'an']);

/**
 * Whether a one-word venue is the acronym of a longer one: the initials of its words, small words
 * optional (JOSS, PNAS, “MBoC” for Molecular Biology of the Cell), or a name made of the starts of its
 * words (“SciPy” for the Python in Science Conference).
 */
function acronymOf(short: string | undefined, full: string | undefined): boolean {
  const token = (short ?? '').trim().replace(/[.\s]+$/, '');
  if (!/^[A-Za-z][A-Za-z0-9-]{1,11}$/.test(token)) return false;
  const letters = foldText(token).replace(/[^a-z0-9]/g, '');
  const all = words(full?.replace(/&/g, ' and '));
  if (all.length < 2 || letters.length < 2) return false;
  // Initials, each small word's initial optional.
  const initials = (at: number, word: number): boolean => {
    if (at === letters.length) return all.slice(word).every((rest) => acronymSmallWords.has(rest));
    if (word === all.length) return false;
    const small = acronymSmallWords.has(all[word]);
    if (all[word][0] === letters[at] && initials(at + 1, word + 1)) return true;
    return small && initials(at, word + 1);
  };
  if (initials(0, 0)) return true;
  // Starts of words: “Sci” + “Py”, each the start of a different word, at least two parts of two letters or more.
  const parts = token.split(/(?=[A-Z])/).map((part) => foldText(part)).filter((part) => part !== '');
  if (parts.length < 2 || parts.some((part) => part.length < 2)) return false;
  const used = new Set<number>();
  return parts.every((part) => {
    const index = all.findIndex((word, i) => !used.has(i) && !acronymSmallWords.has(word) && word.startsWith(part));
    if (index < 0) return false;
    used.add(index);
    return true;
  });
}

/** Preprint servers and repositories: a venue that says "preprint", not a journal. */
export function isPreprintVenue(venue: string | undefined): boolean {
  return /\b(arxiv|biorxiv|medrxiv|chemrxiv|psyarxiv|ssrn|research square|preprints?|zenodo|figshare|osf|peerj preprints|openreview|repository)\b/i.test(venue ?? '');
}

/** Whether a record is a preprint (by its CSL type or its venue). */
export function isPreprintRecord(record: LiteratureRecord): boolean {
  return record.type === 'article' || record.type === 'manuscript' || isPreprintVenue(record.containerTitle) || /^10\.(48550|1101|21203|31234|20944)\//.test(record.doi ?? '');
}

/** The first and last page of a range, with PubMed's shortened end (`316-9` → 316, 319) expanded. */
export function pageRange(page: string | undefined): { first: string; last?: string } | undefined {
  const text = page?.trim().replace(/[\u2010-\u2015]/g, '-');
  if (!text) return undefined;
  const match = /^([A-Za-z]*\d+[A-Za-z]*)(?:\s*-+\s*([A-Za-z]*\d+[A-Za-z]*))?/.exec(text);
  if (!match) return { first: text.toLowerCase() };
  const first = match[1].toLowerCase();
  let last = match[2]?.toLowerCase();
  if (last && /^\d+$/.test(first) && /^\d+$/.test(last) && last.length < first.length) last = first.slice(0, first.length - last.length) + last;
  return { first, last };
}

/**
 * Whether two page fields agree: the same first page (a service may give only the first page, or an
 * article number, where the entry has the range).
 * @param cited The entry's pages.
 * @param resolved The record's.
 */
export function samePages(cited: string | undefined, resolved: string | undefined): boolean {
  const a = pageRange(cited);
  const b = pageRange(resolved);
  if (!a || !b) return true;
  const strip = (value: string): string => value.replace(/^[a-z]+/, '').replace(/^0+/, '');
  return a.first === b.first || strip(a.first) === strip(b.first) || (a.last !== undefined && b.last !== undefined && a.last === b.last && a.first.startsWith(b.first));
}
