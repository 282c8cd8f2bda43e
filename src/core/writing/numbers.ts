/**
 * Numbers in a draft that the manuscript does not contain: percentages, p-values, confidence
 * intervals, sample sizes, ratios. Formats are normalised before comparing ("0.05" = ".05",
 * "1,200" = "1200", "1.2–3.4" = "1.2-3.4", unicode minus = hyphen).
 */

/** One number found in a text. */
export interface NumberMention {
  /** As written. */
  readonly text: string;
  /** Normalised value, e.g. `0.05`, `1200`, `-0.3`. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

// A number, optionally signed, with thousands separators or decimals; `.05` included.
// Korean, Chinese and Japanese attach counters and particles to numbers ("3,120명", "12.4%의"): a CJK
// character around a number does not make it part of a word, as a Latin letter does ("H1N1").
const numberPattern = /(?<!(?![\p{sc=Hangul}\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])[\p{L}\p{N}_.,/:])(?:[-−–‒]\s?)?(?:\d{1,3}(?:[,\u00a0\u202f]\d{3})+(?![\d])|\d+)?(?:[.·]\d+)?(?!(?![\p{sc=Hangul}\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])[\p{L}_])/gu;

/**
 * Normalises one written number.
 * @param written A number as written, e.g. `1,200`, `.05`, `−0.3`, `0·05`.
 * @returns A canonical string, or `undefined` when it is not a number.
 */
export function normaliseNumber(written: string): string | undefined {
  let text = written.trim().replace(/[−–‒]/g, '-').replace(/·/g, '.').replace(/\s/g, '');
  const negative = text.startsWith('-');
  text = text.replace(/^-/, '');
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) text = text.replace(/,/g, '');
  if (!/^(\d+)?(\.\d+)?$/.test(text) || text === '' || text === '.') return undefined;
  if (text.startsWith('.')) text = `0${text}`;
  const [whole, fraction] = text.split('.');
  const cleanWhole = whole.replace(/^0+(?=\d)/, '');
  const cleanFraction = fraction?.replace(/0+$/, '');
  const value = cleanFraction ? `${cleanWhole}.${cleanFraction}` : cleanWhole;
  return negative && value !== '0' ? `-${value}` : value;
}

/**
 * Finds the numbers of a text. Numbers inside citations (`[@…]`, `\cite{…}`), URLs and DOIs are skipped;
 * a range such as `1.2–3.4` gives two numbers, not a negative one.
 * @param text Any text.
 * @returns The numbers, in order.
 */
export function findNumbers(text: string): NumberMention[] {
  const masked = text
    .replace(/\[[^\]\n]*@[^\]\n]*\]|\\[A-Za-z]*cite[A-Za-z]*\*?(?:\[[^\]]*\])*\{[^}]*\}|https?:\/\/\S+|\b10\.\d{4,}\/\S+|⟦\d+⟧/g, (match) => ' '.repeat(match.length))
    // A dash between two numbers is a range, not a sign.
    .replace(/(\d)\s?[-−–‒]\s?(?=[.\d])/g, (match, digit: string) => `${digit}${' '.repeat(match.length - 1)}`);
  const mentions: NumberMention[] = [];
  numberPattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = numberPattern.exec(masked)) !== null) {
    if (match[0] === '') {
      numberPattern.lastIndex += 1;
      continue;
    }
    const raw = text.slice(match.index, match.index + match[0].length);
    const value = normaliseNumber(match[0]);
    if (value !== undefined && /\d/.test(match[0])) mentions.push({ text: raw.trim(), value, start: match.index, end: match.index + match[0].length });
  }
  return mentions;
}

/**
 * The numbers of a draft that its manuscript does not contain (after normalisation).
 * A sign difference is tolerated ("−0.3" in one, "0.3" in the other) only when the absolute value is present.
 * @param draft The drafted abstract.
 * @param manuscript The full manuscript.
 * @returns The unsupported mentions, in draft order.
 */
export function findUnsupportedNumbers(draft: string, manuscript: string): NumberMention[] {
  const known = new Set<string>();
  for (const mention of findNumbers(manuscript)) {
    known.add(mention.value);
    known.add(mention.value.replace(/^-/, ''));
  }
  return findNumbers(draft).filter((mention) => !known.has(mention.value) && !known.has(mention.value.replace(/^-/, '')));
}
