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
  const boundary = /(?<!\b(?:e\.g|i\.e|et al|vs|Fig|Figs|Ref|No|approx|ca|cf|Dr|Mr|Mrs|Ms))([.!?])(?=\s+(?:[\p{Lu}\p{N}*(["“]|$))|\n\s*\n/gu;
  let start = 0;
  let match: RegExpExecArray | null;
  while ((match = boundary.exec(text)) !== null) {
    const end = match.index + (match[1] ? 1 : 0);
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
