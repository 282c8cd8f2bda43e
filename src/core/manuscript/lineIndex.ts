/**
 * Converts between string offsets and 0-based line / UTF-16 character positions
 * (VS Code `Position` semantics). JavaScript strings are UTF-16, so a string offset
 * is already a UTF-16 offset; only lines need an index.
 */

/** A 0-based line and UTF-16 character. */
export interface TextPosition {
  readonly line: number;
  readonly character: number;
}

/** A half-open range of positions. */
export interface TextRange {
  readonly start: TextPosition;
  readonly end: TextPosition;
}

/** Line starts of one text, for offset ↔ position conversion in O(log lines). */
export class LineIndex {
  /** Offset of the first character of each line. */
  readonly lineStarts: readonly number[];

  /**
   * @param text The whole text. `\n`, `\r\n` and `\r` end lines, as in VS Code.
   */
  constructor(readonly text: string) {
    const starts = [0];
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code === 10) starts.push(index + 1);
      else if (code === 13) {
        if (text.charCodeAt(index + 1) === 10) index++;
        starts.push(index + 1);
      }
    }
    this.lineStarts = starts;
  }

  /** Number of lines (an empty text has one). */
  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The position of a string offset, clamped to the text. */
  positionAt(offset: number): TextPosition {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low] };
  }

  /** The string offset of a position, clamped to its line. */
  offsetAt(position: TextPosition): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line];
    const end = this.lineEnd(position.line);
    return Math.max(start, Math.min(start + position.character, end));
  }

  /** Offset just past the last character of a line, before its line break. */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length + 1;
    let end = next - 1;
    if (end > this.text.length) end = this.text.length;
    if (line + 1 < this.lineStarts.length) {
      // Step back over the line break, `\r\n` counting as one.
      end = next - 1;
      if (this.text.charCodeAt(end) === 10 && this.text.charCodeAt(end - 1) === 13) end--;
    }
    return end;
  }

  /** The range of two offsets. */
  rangeAt(start: number, end: number): TextRange {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}
