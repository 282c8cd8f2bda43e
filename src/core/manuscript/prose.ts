/**
 * Prose units: the text of one paragraph, list item or table cell as the reader sees it, with a
 * map back to the source. Markup is gone, citations are removed (their places remembered),
 * inline math and code become placeholders, so sentence splitting and scoring see plain prose.
 */

// Placeholders look like short Markdown math and code so the scorer's text normalisation
// (`normalizeText` in claims/features.ts) folds them exactly as it folds its training text.
/** Stands for inline math in prose text (`$x^2$`, `\(x\)`). */
export const MATH_PLACEHOLDER = '$math$';
/** Stands for inline code in prose text (`` `x` ``, `\verb|x|`). */
export const CODE_PLACEHOLDER = '`code`';
/** Stands for a URL in prose text (`\url{…}`). */
export const URL_PLACEHOLDER = 'https://url';

/** A placeholder in prose text and the source it stands for. */
export interface Placeholder {
  /** Offset in the prose text. */
  readonly start: number;
  readonly end: number;
  /** The source text it replaced (`$x^2$`). */
  readonly original: string;
}

/** One paragraph-like piece of prose. */
export interface ProseUnit {
  /** Text as the reader sees it (citations removed, placeholders for math and code). */
  readonly text: string;
  /** For each character of `text`, its offset in the source that was parsed. */
  readonly offsets: Int32Array;
  /** Offsets in `text` where a citation stood (a sentence holding one is cited). */
  readonly citations: readonly number[];
  /** Offsets in `text` where an ignore comment stood (see `claims/ignore.ts`). */
  readonly ignoreMarkers: readonly number[];
  /** Every sentence of the unit is ignored (an ignore comment stood on its own before it). */
  readonly ignoreAll: boolean;
  /** The headings above the unit, outermost first. */
  readonly headingPath: readonly string[];
  readonly inListItem: boolean;
  readonly inTableCell: boolean;
  readonly placeholders: readonly Placeholder[];
}

/**
 * The source offset of each character of a parsed `value` whose source was
 * `source.slice(sourceStart, sourceEnd)`; the two differ where the parser dropped characters
 * (escapes, indentation, entities). Characters are matched greedily, so the map stays monotonic
 * and inside the source range.
 */
export function alignOffsets(value: string, source: string, sourceStart: number, sourceEnd: number): Int32Array {
  const offsets = new Int32Array(value.length);
  if (sourceEnd - sourceStart === value.length && source.startsWith(value, sourceStart)) {
    for (let index = 0; index < value.length; index++) offsets[index] = sourceStart + index;
    return offsets;
  }
  let at = sourceStart;
  const last = Math.max(sourceStart, sourceEnd - 1);
  for (let index = 0; index < value.length; index++) {
    const c = value[index];
    let probe = at;
    // Look a little ahead for the character; entities and escapes are short.
    const stop = Math.min(sourceEnd, at + 12);
    while (probe < stop && source[probe] !== c) probe++;
    if (probe < stop) at = probe;
    offsets[index] = Math.min(at, last);
    if (probe < stop) at++;
  }
  return offsets;
}

/** What a unit's context says about it, given when the unit is started. */
export interface ProseContext {
  readonly headingPath: readonly string[];
  readonly inListItem: boolean;
  readonly inTableCell: boolean;
  readonly ignoreAll: boolean;
}

/** Builds one {@link ProseUnit}, character by character, keeping the source map. */
export class ProseBuilder {
  private readonly parts: string[] = [];
  private readonly offsetList: number[] = [];
  private length = 0;
  private readonly citationList: number[] = [];
  private readonly ignoreList: number[] = [];
  private readonly placeholderList: Placeholder[] = [];
  private words = false;

  /** Appends text whose characters map one to one onto `source` from `sourceStart`. */
  appendLinear(value: string, sourceStart: number): void {
    this.noteWords(value);
    for (let index = 0; index < value.length; index++) this.offsetList.push(sourceStart + index);
    this.parts.push(value);
    this.length += value.length;
  }

  /** Appends text with the source offset of each of its characters. */
  appendOffsets(value: string, offsets: ArrayLike<number>, from = 0): void {
    this.noteWords(value);
    for (let index = 0; index < value.length; index++) this.offsetList.push(offsets[from + index]);
    this.parts.push(value);
    this.length += value.length;
  }

  /** Appends a placeholder standing for `source.slice(sourceStart, sourceEnd)`. */
  appendPlaceholder(placeholder: string, source: string, sourceStart: number, sourceEnd: number): void {
    const start = this.length;
    const span = Math.max(1, sourceEnd - sourceStart);
    for (let index = 0; index < placeholder.length; index++) {
      const ratio = placeholder.length === 1 ? 0 : index / (placeholder.length - 1);
      this.offsetList.push(sourceStart + Math.round(ratio * (span - 1)));
    }
    this.parts.push(placeholder);
    this.length += placeholder.length;
    this.placeholderList.push({ start, end: this.length, original: source.slice(sourceStart, sourceEnd) });
  }

  /** Appends a separator (a space for a line break) mapped to one source offset. */
  appendSeparator(value: string, sourceOffset: number): void {
    for (let index = 0; index < value.length; index++) this.offsetList.push(sourceOffset);
    this.parts.push(value);
    this.length += value.length;
  }

  /** Notes a citation here, dropping the white space before it ("claim [@a]." reads "claim."). */
  markCitation(): void {
    this.trimEnd();
    this.citationList.push(this.length);
  }

  /** Notes an ignore comment here. */
  markIgnore(): void {
    this.ignoreList.push(this.length);
  }

  /** Current length of the text. */
  get size(): number {
    return this.length;
  }

  private trimEnd(): void {
    // Only the last parts are touched, so many citations in one long paragraph stay linear.
    while (this.parts.length > 0) {
      const last = this.parts[this.parts.length - 1];
      let end = last.length;
      while (end > 0 && (last.charCodeAt(end - 1) === 32 || last.charCodeAt(end - 1) === 9)) end--;
      const removed = last.length - end;
      this.length -= removed;
      this.offsetList.length = this.length;
      if (end > 0) {
        this.parts[this.parts.length - 1] = last.slice(0, end);
        return;
      }
      this.parts.pop();
    }
  }

  /** The finished unit. */
  build(context: ProseContext): ProseUnit {
    const text = this.parts.join('');
    return {
      text,
      offsets: Int32Array.from(this.offsetList),
      citations: this.citationList,
      ignoreMarkers: this.ignoreList,
      ignoreAll: context.ignoreAll,
      headingPath: context.headingPath,
      inListItem: context.inListItem,
      inTableCell: context.inTableCell,
      placeholders: this.placeholderList,
    };
  }

  /** Whether the text so far holds a letter or digit outside placeholders (a lone equation is not prose). */
  hasContent(): boolean {
    return this.words;
  }

  private noteWords(value: string): void {
    if (!this.words && /[\p{L}\p{N}]/u.test(value)) this.words = true;
  }
}

/**
 * The text of `unit.text.slice(start, end)` with placeholders replaced by what they stand for:
 * the sentence as shown to the user ("with $p < 0.05$").
 */
export function displayText(unit: ProseUnit, start: number, end: number): string {
  let out = '';
  let at = start;
  for (const placeholder of unit.placeholders) {
    if (placeholder.end <= start || placeholder.start >= end) continue;
    out += unit.text.slice(at, Math.max(at, placeholder.start));
    out += placeholder.original;
    at = Math.min(end, placeholder.end);
  }
  out += unit.text.slice(at, end);
  return out.replace(/\s+/g, ' ').trim();
}

/**
 * The source range of the prose `unit.text.slice(start, end)`, widened over emphasis markers
 * that open or close right at its edges (`**Bold lead**: …`, `_A whole sentence._`), so a
 * diagnostic covers the sentence as written.
 *
 * @param base Offset in `source` that the unit's offsets are relative to (optional; default: 0).
 * @returns Offsets in `source`.
 */
export function sourceRangeOf(unit: ProseUnit, source: string, start: number, end: number, base = 0): { start: number; end: number } {
  let from = base + unit.offsets[start];
  let to = base + unit.offsets[end - 1] + 1;
  while (from > 0 && (source[from - 1] === '*' || source[from - 1] === '_') && source[from - 2] !== '\\') from--;
  while (to < source.length && (source[to] === '*' || source[to] === '_')) to++;
  return { start: from, end: to };
}

/** Cleans a heading's source line: `## 2. Methods {.page_break_before}` → `2. Methods`. */
export function cleanHeading(line: string): string {
  return line
    .replace(/^\s{0,3}#{1,6}(?=\s|$)/, '')
    .replace(/\s#+\s*$/, '')
    .replace(/\{[^}]*\}\s*$/, '')
    .replace(/[*_`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
