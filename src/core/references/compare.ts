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
  if (author.family) return foldText(author.family).replace(/ /g, '');
  const literal = words(author.literal);
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

const venueStopwords = new Set(['the', 'of', 'and', 'in', 'on', 'for', 'a', 'an', 'de', 'la', 'und', 'fur', 'journal']);

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
  const abbreviates = (short: readonly string[], full: readonly string[]): boolean => {
    let at = 0;
    for (const word of short) {
      while (at < full.length && !full[at].startsWith(word) && !(word.length >= 4 && editDistance(word, full[at].slice(0, word.length), 1) <= 1)) at++;
      if (at >= full.length) return false;
      at++;
    }
    return true;
  };
  if (abbreviates(a, b) || abbreviates(b, a)) return true;
  // An acronym: JOSS, PNAS, NIPS for the initials of the full name (with or without its small words).
  const acronym = (short: readonly string[], full: string | undefined): boolean => {
    if (short.length !== 1 || short[0].length < 2 || short[0].length > 8) return false;
    const all = words(full?.replace(/&/g, ' and '));
    const initials = (list: readonly string[]): string => list.map((word) => word[0]).join('');
    return initials(all) === short[0] || initials(all.filter((word) => !['the', 'of', 'and', 'in', 'on', 'for', 'a', 'an'].includes(word))) === short[0];
  };
  if (acronym(a, resolved) || acronym(b, cited)) return true;
  const shared = a.filter((word) => b.some((other) => other === word || (word.length >= 3 && other.startsWith(word)) || (other.length >= 3 && word.startsWith(other)))).length;
  return shared / Math.min(a.length, b.length) >= 0.6;
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
