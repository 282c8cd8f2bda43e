/**
 * Finds the sentence and paragraph around an offset of a manuscript, for searches started from a
 * selection or the cursor. Uses the manuscript module's sentence splitter on the paragraph.
 */
import { splitSentences } from '../manuscript/sentences';

/** A span of a text, as offsets. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** The paragraph (lines between blank lines) holding an offset. */
export function paragraphAt(text: string, offset: number): Span {
  const at = Math.max(0, Math.min(offset, text.length));
  const lineStart = (position: number): number => text.lastIndexOf('\n', position - 1) + 1;
  let start = lineStart(at);
  while (start > 0) {
    const previous = lineStart(start - 1);
    if (text.slice(previous, start - 1).trim() === '') break;
    start = previous;
  }
  let newline = text.indexOf('\n', at);
  let end = text.length;
  while (newline >= 0) {
    const next = text.indexOf('\n', newline + 1);
    const line = text.slice(newline + 1, next < 0 ? text.length : next);
    if (line.trim() === '') {
      end = newline;
      break;
    }
    newline = next;
  }
  if (end > 0 && text[end - 1] === '\r') end--;
  return { start, end };
}

/** The sentence holding an offset (within its paragraph), or undefined between sentences. */
export function sentenceAt(text: string, offset: number): Span | undefined {
  const paragraph = paragraphAt(text, offset);
  const body = text.slice(paragraph.start, paragraph.end);
  const spans = splitSentences(body);
  const local = offset - paragraph.start;
  const span = spans.find((s) => local >= s.start && local <= s.end) ?? spans.find((s) => s.start >= local);
  return span ? { start: paragraph.start + span.start, end: paragraph.start + span.end } : undefined;
}

/**
 * The sentence a selection is about: from the selection's first non-blank character to the end of the
 * sentence holding its last character (so a partial selection still cites at the sentence end).
 * @param text The document.
 * @param selection The selection's offsets.
 */
export function sentenceForSelection(text: string, selection: Span): Span | undefined {
  let start = selection.start;
  let end = selection.end;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  if (end <= start) {
    return sentenceAt(text, selection.start);
  }
  const last = sentenceAt(text, end - 1);
  if (last && last.end > end && last.start < end) end = last.end;
  return { start, end };
}
