/**
 * Which language a paragraph is written in, from its letters alone: the script of its letters
 * (Hangul, kana, Han, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Thai) and, for Latin script,
 * how often each language's commonest words occur. Meant for deciding whether a checker that knows
 * some languages can judge a paragraph: it answers `und` (undetermined) rather than guess on short
 * or mixed text, and a Latin-script paragraph is only called non-English when that is clear, since
 * biomedical English is full of Latin, Greek and foreign names.
 */

/** A language code (ISO 639-1 where the language is known, else `und`). */
export type DetectedLanguageCode = 'en' | 'ko' | 'zh' | 'ja' | 'fr' | 'de' | 'es' | 'pt' | 'it' | 'nl' | 'ru' | 'el' | 'ar' | 'he' | 'hi' | 'th' | 'und';

/** The result of {@link detectLanguage}. */
export interface DetectedLanguage {
  /** The language, or `und` when the text is too short or too mixed to tell. */
  readonly code: DetectedLanguageCode;
  /** Letters looked at (a measure of how sure the answer is). */
  readonly letters: number;
}

// Fewer letters than this say too little (a table cell, a label, "p < 0.05").
const MIN_LETTERS = 12;
// Longest text looked at: a paragraph's language is settled well before, and this bounds the work.
const MAX_SCAN = 4000;

const LATIN_STOPWORDS: Readonly<Record<'en' | 'fr' | 'de' | 'es' | 'pt' | 'it' | 'nl', ReadonlySet<string>>> = {
  en: new Set(['the', 'of', 'and', 'to', 'in', 'is', 'are', 'that', 'for', 'with', 'by', 'we', 'this', 'was', 'were', 'be', 'from', 'which', 'these', 'has', 'have', 'been', 'not', 'or', 'can', 'it', 'its', 'their', 'than', 'such', 'also', 'between', 'using', 'used', 'our', 'at', 'an', 'as', 'on']),
  fr: new Set(['le', 'la', 'les', 'des', 'du', 'est', 'une', 'et', 'dans', 'pour', 'par', 'sur', 'qui', 'que', 'avec', 'sont', 'nous', 'au', 'aux', 'cette', 'ces', 'pas', 'ont', 'été', 'entre', 'chez', 'leur', 'ainsi', 'plus', 'mais']),
  de: new Set(['der', 'die', 'das', 'und', 'ist', 'sind', 'mit', 'von', 'den', 'dem', 'des', 'ein', 'eine', 'einer', 'nicht', 'wir', 'auf', 'für', 'bei', 'wurde', 'wurden', 'werden', 'zu', 'im', 'auch', 'sich', 'als', 'oder', 'nach', 'zwischen']),
  es: new Set(['el', 'los', 'las', 'del', 'es', 'una', 'y', 'en', 'para', 'por', 'con', 'que', 'se', 'son', 'al', 'como', 'más', 'fue', 'han', 'sido', 'entre', 'sus', 'este', 'esta', 'pero', 'también', 'estos', 'lo']),
  pt: new Set(['o', 'os', 'as', 'do', 'da', 'dos', 'das', 'um', 'uma', 'e', 'em', 'para', 'por', 'com', 'que', 'se', 'são', 'ao', 'como', 'mais', 'foi', 'foram', 'entre', 'seus', 'este', 'esta', 'não', 'também', 'pelo', 'pela', 'no', 'na']),
  it: new Set(['il', 'lo', 'la', 'gli', 'le', 'dei', 'delle', 'della', 'del', 'è', 'un', 'una', 'e', 'di', 'per', 'con', 'che', 'sono', 'come', 'più', 'stato', 'stati', 'tra', 'nel', 'nella', 'questo', 'questa', 'non', 'anche', 'alla']),
  nl: new Set(['de', 'het', 'een', 'en', 'van', 'is', 'zijn', 'met', 'voor', 'op', 'dat', 'die', 'niet', 'wij', 'we', 'werd', 'werden', 'worden', 'bij', 'ook', 'als', 'aan', 'naar', 'tussen', 'deze', 'dit', 'door', 'om', 'te']),
};

type Script = 'latin' | 'hangul' | 'kana' | 'han' | 'cyrillic' | 'greek' | 'arabic' | 'hebrew' | 'devanagari' | 'thai';

function scriptOf(code: number): Script | undefined {
  if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7)) return 'latin';
  if ((code >= 0xac00 && code <= 0xd7a3) || (code >= 0x1100 && code <= 0x11ff) || (code >= 0x3130 && code <= 0x318f)) return 'hangul';
  if ((code >= 0x3040 && code <= 0x30ff) || (code >= 0x31f0 && code <= 0x31ff) || (code >= 0xff66 && code <= 0xff9d)) return 'kana';
  if ((code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0xf900 && code <= 0xfaff)) return 'han';
  if (code >= 0x400 && code <= 0x4ff) return 'cyrillic';
  if (code >= 0x370 && code <= 0x3ff) return 'greek';
  if ((code >= 0x600 && code <= 0x6ff) || (code >= 0x750 && code <= 0x77f)) return 'arabic';
  if (code >= 0x5d0 && code <= 0x5ea) return 'hebrew';
  if (code >= 0x900 && code <= 0x97f) return 'devanagari';
  if (code >= 0xe00 && code <= 0xe7f) return 'thai';
  return undefined;
}

/**
 * The language of a paragraph of prose (citations, math and code already taken out or reduced to
 * placeholders). Deterministic and linear in the text (only its first 4,000 characters are read).
 * @param text The paragraph.
 */
export function detectLanguage(text: string): DetectedLanguage {
  const sample = typeof text === 'string' ? text.slice(0, MAX_SCAN) : '';
  const counts: Record<Script, number> = { latin: 0, hangul: 0, kana: 0, han: 0, cyrillic: 0, greek: 0, arabic: 0, hebrew: 0, devanagari: 0, thai: 0 };
  let letters = 0;
  for (let i = 0; i < sample.length; i++) {
    const script = scriptOf(sample.charCodeAt(i));
    if (script) {
      counts[script]++;
      letters++;
    }
  }
  if (letters < MIN_LETTERS) return { code: 'und', letters };
  // A Hangul or Han character carries about a Latin word's worth of text: weigh scripts by that,
  // so "TP53 변이는 … 보고되었다" counts as Korean despite its Latin gene names.
  const cjk = counts.hangul + counts.kana + counts.han;
  const latinWords = counts.latin / 5;
  if (cjk > 0 && cjk >= latinWords * 0.5) {
    if (counts.hangul >= Math.max(counts.kana, counts.han * 0.5)) return { code: 'ko', letters };
    if (counts.kana > 0 && counts.kana >= cjk * 0.1) return { code: 'ja', letters };
    return { code: counts.han > counts.hangul ? 'zh' : 'ko', letters };
  }
  const other: readonly [Script, DetectedLanguageCode][] = [
    ['cyrillic', 'ru'],
    ['greek', 'el'],
    ['arabic', 'ar'],
    ['hebrew', 'he'],
    ['devanagari', 'hi'],
    ['thai', 'th'],
  ];
  for (const [script, code] of other) {
    // Greek letters are symbols in biomedical English (α-synuclein, TNF-α): only a run of them is Greek.
    if (counts[script] > counts.latin && counts[script] >= MIN_LETTERS) return { code, letters };
  }
  if (counts.latin < letters * 0.5) return { code: 'und', letters };
  return { code: latinLanguage(sample), letters };
}

/** English unless another language's common words clearly outnumber English ones. */
function latinLanguage(text: string): DetectedLanguageCode {
  const words = text.toLowerCase().match(/[a-zà-öø-ÿ]+/g) ?? [];
  if (words.length < 4) return 'und';
  const scores = new Map<DetectedLanguageCode, number>();
  for (const [language, stopwords] of Object.entries(LATIN_STOPWORDS) as [DetectedLanguageCode, ReadonlySet<string>][]) {
    let n = 0;
    for (const word of words) if (stopwords.has(word)) n++;
    scores.set(language, n);
  }
  const english = scores.get('en') ?? 0;
  let best: DetectedLanguageCode = 'en';
  let bestScore = english;
  for (const [language, n] of scores) {
    if (language !== 'en' && n > bestScore) {
      best = language;
      bestScore = n;
    }
  }
  if (best === 'en') return english > 0 || words.length < 8 ? 'en' : 'und';
  // Clearly another language: its common words are at least a sixth of the words and twice the English ones.
  return bestScore >= Math.max(3, words.length / 6) && bestScore >= 2 * english ? best : english > 0 ? 'en' : 'und';
}
