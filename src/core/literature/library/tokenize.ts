/**
 * Biomedical tokenisation for the library search: Greek letters spelled out (α → alpha),
 * hyphenated compounds kept whole and split (IL-6 → il6, il, 6), gene and protein symbols
 * such as TP53 or BRCA1 kept intact, acronyms kept, plurals and common suffixes lightly stemmed.
 */

const GREEK: Readonly<Record<string, string>> = {
  α: 'alpha', β: 'beta', γ: 'gamma', δ: 'delta', ε: 'epsilon', ζ: 'zeta', η: 'eta', θ: 'theta',
  ι: 'iota', κ: 'kappa', λ: 'lambda', μ: 'mu', ν: 'nu', ξ: 'xi', π: 'pi', ρ: 'rho', σ: 'sigma',
  ς: 'sigma', τ: 'tau', υ: 'upsilon', φ: 'phi', χ: 'chi', ψ: 'psi', ω: 'omega',
};

/** Words too common to help ranking. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also although am an and any are as at be because been before being ' +
    'below between both but by can could did do does doing down during each either et al etc few for from further ' +
    'had has have having he her here hers herself him himself his how however i if in into is it its itself just ' +
    'may me might more most much must my myself no nor not now of off often on once only or other our ours ' +
    'ourselves out over own same several she should since so some such than that the their theirs them themselves ' +
    'then there these they this those through thus to too under until up upon us use used using very via was ' +
    'we were what when where whether which while who whom why will with within without would yet you your ' +
    'e.g i.e eg ie fig figure table ref refs see example recent recently many one two new well can including ' +
    'include includes shown show shows based approach approaches work studies study'
  ).split(' '),
);

/** Replaces Greek letters with their names, surrounded by word boundaries kept as-is. */
export function spellGreek(text: string): string {
  return text.replace(/[α-ω]/gu, (letter) => GREEK[letter] ?? letter);
}

/**
 * Light stemmer: plurals and a few derivational suffixes, enough to match "networks"/"network",
 * "predicting"/"prediction"/"predicted" without Porter's over-stemming of gene names.
 */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ss') || w.endsWith('us') || w.endsWith('is')) {
    // keep: "class", "virus", "analysis"
  } else if (w.endsWith('es') && /(?:ch|sh|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ous')) w = w.slice(0, -1);
  for (const [suffix, min] of [
    ['ational', 4], ['ization', 4], ['ations', 4], ['ation', 4], ['ingly', 4], ['ings', 4], ['ing', 4],
    ['edly', 4], ['ed', 4], ['ally', 4], ['ly', 5], ['ities', 4], ['ity', 4], ['ment', 4], ['ness', 4],
    ['ional', 4], ['ive', 4], ['al', 5], ['er', 5], ['ic', 5], ['ical', 4],
  ] as const) {
    if (w.endsWith(suffix) && w.length - suffix.length >= min) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/** One raw token with whether it looked like a symbol (acronym, gene, tool name) in the text. */
export interface RawToken {
  /** Lower-cased surface form (hyphens removed for compounds). */
  readonly text: string;
  /** Upper-case or mixed-case with digits (TP53, BRCA1, DeepBind, word2vec): never stemmed. */
  readonly symbol: boolean;
}

const WORD = /[\p{L}\p{N}]+(?:[-'’/.][\p{L}\p{N}]+)*/gu;

/** Splits text into raw tokens; hyphenated compounds yield the joined form and each part. */
export function rawTokens(text: string): RawToken[] {
  const out: RawToken[] = [];
  const normalised = spellGreek(text.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''));
  for (const match of normalised.matchAll(WORD)) {
    const surface = match[0];
    const parts = surface.split(/[-'’/.]/).filter((part) => part.length > 0);
    const symbolLike = (part: string): boolean =>
      /\d/.test(part) ? /\p{L}/u.test(part) : /\p{Lu}.*\p{Lu}/u.test(part.slice(1)) || /^\p{Lu}{2,}$/u.test(part) || /\p{Ll}\p{Lu}/u.test(part);
    if (parts.length > 1) {
      const joined = parts.join('').toLowerCase();
      out.push({ text: joined, symbol: parts.some(symbolLike) || /\d/.test(joined) });
      for (const part of parts) out.push({ text: part.toLowerCase(), symbol: symbolLike(part) });
    } else {
      out.push({ text: surface.toLowerCase(), symbol: symbolLike(surface) });
    }
  }
  return out;
}

/** Normalises one raw token to an index term, or undefined for stopwords and noise. */
export function term(token: RawToken): string | undefined {
  const t = token.text;
  if (t.length < 2 && !/\d/.test(t)) return undefined;
  if (STOPWORDS.has(t)) return undefined;
  if (/^\d+$/.test(t) && !(t.length === 4 && (t.startsWith('19') || t.startsWith('20')))) return t.length <= 2 ? t : undefined;
  return token.symbol ? t : truncate(stem(t));
}

/** Prefix length long stems are cut to (tuned on deep-review and context-review). */
const TRUNCATE_AT = 7;

/** Cuts long stems to a prefix, so "mammography" and "mammograms" meet. */
export function truncate(word: string): string {
  return word.length > TRUNCATE_AT ? word.slice(0, TRUNCATE_AT) : word;
}

/** Index terms of a text, in order, with duplicates. */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  for (const token of rawTokens(text)) {
    const t = term(token);
    if (t !== undefined) terms.push(t);
  }
  return terms;
}

/** The surface words of a text worth marking in a snippet (lower-cased, stopwords removed). */
export function highlightWords(text: string): string[] {
  const seen = new Set<string>();
  for (const token of rawTokens(text)) {
    if (token.text.length >= 3 && !STOPWORDS.has(token.text) && !/^\d+$/.test(token.text)) seen.add(token.text);
  }
  return [...seen];
}

