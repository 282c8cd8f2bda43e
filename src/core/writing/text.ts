/**
 * Small text measures shared by abstract drafting and translation: words, sentences, tokens.
 */

/**
 * Counts the words of a draft as journals do: runs of letters or digits, markup ignored.
 * @param text Plain text or light Markdown.
 * @returns The number of words.
 */
export function countWords(text: string): number {
  const plain = text.replace(/[*_#>`]+/g, ' ');
  const words = plain.match(/[\p{L}\p{N}]+(?:[-'’.,][\p{L}\p{N}]+)*/gu);
  return words ? words.length : 0;
}

/** Whether a text is mostly Korean, Chinese or Japanese (its letters, not its markup or numbers). */
export function isMostlyCjk(text: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const cjk = text.match(/[\p{sc=Hangul}\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/gu)?.length ?? 0;
  return letters > 0 && cjk / letters >= 0.5;
}

/**
 * Counts characters as Korean, Chinese and Japanese journals do (자, 字, 文字): letters, digits and
 * punctuation, markup ignored; spaces only when `withSpaces` (Korean journals say which they mean).
 * @param text Plain text or light Markdown.
 * @param withSpaces Count the spaces between words too (optional; default: false).
 * @returns The number of characters (code points).
 */
export function countCharacters(text: string, withSpaces = false): number {
  const plain = text.replace(/[*_#>`]+/g, '').replace(/\s+/g, ' ').trim();
  const kept = withSpaces ? plain : plain.replace(/\s/g, '');
  return [...kept].length;
}

/** The unit of an abstract's length limit. */
export type LengthUnit = 'words' | 'characters' | 'charactersWithSpaces';

/**
 * The unit journals use for abstracts in a language: characters with spaces (자) for Korean,
 * characters (字, 文字) for Chinese and Japanese, words for the rest.
 * @param language A language code such as `ko`, `zh-Hans` or `en`.
 */
export function defaultLengthUnit(language: string): LengthUnit {
  const code = language.trim().toLowerCase().split(/[-_]/)[0];
  if (code === 'ko') return 'charactersWithSpaces';
  if (code === 'zh' || code === 'ja') return 'characters';
  return 'words';
}

/**
 * The length of a text in a unit.
 * @param text Plain text or light Markdown.
 * @param unit Words (English), or characters with or without spaces (Korean, Chinese, Japanese).
 */
export function countLength(text: string, unit: LengthUnit): number {
  switch (unit) {
    case 'words':
      return countWords(text);
    case 'characters':
      return countCharacters(text, false);
    case 'charactersWithSpaces':
      return countCharacters(text, true);
  }
}

/**
 * Estimates the tokens a model needs for `text`: about four characters a token for Latin script,
 * fewer for other scripts. Deliberately errs on the high side so prompts fit.
 * @param text Any text.
 * @returns An estimated token count.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const char of text) {
    if (char.charCodeAt(0) < 128) ascii += 1;
    else other += 1;
  }
  return Math.ceil(ascii / 3.6 + other / 1.5);
}

/** A sentence with its position in the text. */
export interface SentenceSpan {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Splits prose into sentences, keeping abbreviations such as "e.g." and decimals such as "0.05" whole.
 * @param text Prose.
 * @returns The sentences, trimmed, with their offsets in `text`.
 */
export function splitSentences(text: string): SentenceSpan[] {
  const sentences: SentenceSpan[] = [];
  // Korean sentences end in ". " before a Hangul syllable (no case to test); Chinese and Japanese ones at
  // full-width marks with no space after.
  const boundary = /(?<!\b(?:e\.g|i\.e|et al|vs|Fig|Figs|Ref|No|approx|ca|cf|Dr|Mr|Mrs|Ms))([.!?])(?=\s+(?:[\p{Lu}\p{N}*(["“\p{sc=Hangul}\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}「『]|$))|([。！？]+(?![」』）”’]+\p{sc=Hiragana})[」』）”’]*)|\n\s*\n/gu;
  let start = 0;
  let match: RegExpExecArray | null;
  while ((match = boundary.exec(text)) !== null) {
    const end = match.index + (match[1] ? 1 : match[2] ? match[2].length : 0);
    pushSentence(text, start, end, sentences);
    start = match.index + match[0].length;
  }
  pushSentence(text, start, text.length, sentences);
  return sentences;
}

function pushSentence(text: string, start: number, end: number, into: SentenceSpan[]): void {
  const raw = text.slice(start, end);
  const leading = raw.length - raw.trimStart().length;
  const trimmed = raw.trim();
  if (trimmed !== '') into.push({ text: trimmed, start: start + leading, end: start + leading + trimmed.length });
}

/**
 * Removes a code fence the model wrapped its whole answer in, and surrounding blank lines.
 * @param answer The model's answer.
 * @returns The answer without the wrapper.
 */
export function stripAnswerWrapper(answer: string): string {
  const fenced = /^\s*```[\w-]*\n([\s\S]*?)\n```\s*$/.exec(answer);
  return (fenced ? fenced[1] : answer).replace(/^\s*\n/, '').replace(/\s+$/, '');
}
