/**
 * Markdown manuscripts (Pandoc, Manubot, Quarto, R Markdown): the unified parser, the walk from
 * the syntax tree to prose units, and a cheap block splitter for incremental checking.
 */
import type { Root, RootContent, PhrasingContent, Paragraph, Table } from 'mdast';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import { extractMarkdownCitations, footnotesWithReferences } from './citations';
import { CODE_PLACEHOLDER, MATH_PLACEHOLDER, ProseBuilder, alignOffsets, cleanHeading, type ProseUnit } from './prose';

/** A heading above some text: its level (1 for `#`) and cleaned text. */
export interface HeadingEntry {
  readonly depth: number;
  readonly text: string;
}

/** The unified processor for manuscripts: remark-parse with YAML front matter, GFM and math. */
export function createMarkdownProcessor() {
  return unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkMath);
}

let sharedParser: ReturnType<typeof createMarkdownProcessor> | undefined;

/** Parses Markdown with the manuscript processor (created once, on first use). */
export function parseMarkdown(text: string): Root {
  sharedParser ??= createMarkdownProcessor().freeze();
  return sharedParser.parse(text);
}

/** Options of {@link collectMarkdownProse}. */
export interface CollectOptions {
  /** Footnote labels whose note holds a reference (optional; default: found in `source`). */
  readonly citingFootnotes?: ReadonlySet<string>;
  /** Headings above the parsed text, when it is a part of a document (optional; default: none). */
  readonly headings?: readonly HeadingEntry[];
}

/** The inline comment that marks a sentence as needing no source. */
export const MARKDOWN_IGNORE_COMMENT = '<!-- biowrite-ignore -->';
const ignoreComment = /^<!--\s*biowrite-ignore\s*-->$/i;
// Pandoc attributes after images, headings and spans: `{#fig:x width="50%"}`.
const attributes = /\{[#.][^{}\n]*\}/g;

/**
 * Walks a parsed Markdown tree and returns its prose: paragraphs, list-item paragraphs and table
 * body cells, each with its heading path. Headings, code, math, HTML, front matter, footnote
 * definitions, figure-only paragraphs and `Table:` captions are not prose.
 *
 * @param tree The tree `parseMarkdown(source)` returned.
 * @param source The text that was parsed (offsets in the units point into it).
 * @param options (optional) Footnotes and the heading context.
 */
export function collectMarkdownProse(tree: Root, source: string, options: CollectOptions = {}): { units: ProseUnit[]; headings: HeadingEntry[] } {
  const citingFootnotes = options.citingFootnotes ?? footnotesWithReferences(source);
  const headings: HeadingEntry[] = [...(options.headings ?? [])];
  const units: ProseUnit[] = [];

  const pathOf = (): string[] => headings.map((heading) => heading.text);

  const paragraph = (node: Paragraph | Table['children'][number]['children'][number], inListItem: boolean, inTableCell: boolean, ignoreAll: boolean): void => {
    const builder = new ProseBuilder();
    let superscriptDepth = 0;
    // Citations are found on the paragraph's source, not per text node: GFM autolinks and
    // emphasis split text nodes, and a citation such as `[@url:https://…]` spans several.
    const paragraphStart = node.position?.start.offset ?? 0;
    const paragraphEnd = node.position?.end.offset ?? paragraphStart;
    const citations = extractMarkdownCitations(source.slice(paragraphStart, paragraphEnd), { citingFootnotes }).map((citation) => ({
      start: citation.start + paragraphStart,
      end: citation.end + paragraphStart,
      marked: false,
    }));
    const citationAt = (offset: number): (typeof citations)[number] | undefined => {
      for (const citation of citations) if (citation.start <= offset && offset < citation.end) return citation;
      return undefined;
    };
    const text = (value: string, start: number, end: number): void => {
      const offsets = alignOffsets(value, source, start, end);
      const cuts: { start: number; end: number; citation: boolean }[] = [];
      if (superscriptDepth > 0 && /^\s*\d{1,4}(?:\s*[-–,]\s*\d{1,4})*\s*$/.test(value)) {
        cuts.push({ start: 0, end: value.length, citation: true });
      } else {
        if (citations.length > 0) {
          let cutStart = -1;
          for (let index = 0; index <= value.length; index++) {
            const citation = index < value.length ? citationAt(offsets[index]) : undefined;
            if (citation && cutStart < 0) {
              cutStart = index;
              const first = !citation.marked;
              citation.marked = true;
              cuts.push({ start: index, end: index, citation: first });
            } else if (!citation && cutStart >= 0) {
              cuts[cuts.length - 1] = { ...cuts[cuts.length - 1], end: index };
              cutStart = -1;
            }
          }
        }
        if (value.includes('{')) {
          attributes.lastIndex = 0;
          for (let match = attributes.exec(value); match; match = attributes.exec(value)) {
            const from = match.index;
            const to = match.index + match[0].length;
            if (!cuts.some((cut) => cut.start < to && from < cut.end)) cuts.push({ start: from, end: to, citation: false });
          }
          cuts.sort((a, b) => a.start - b.start);
        }
      }
      let at = 0;
      for (const cut of cuts) {
        if (cut.start > at) builder.appendOffsets(value.slice(at, cut.start), offsets, at);
        if (cut.citation) builder.markCitation();
        at = Math.max(at, cut.end);
      }
      if (at < value.length) builder.appendOffsets(value.slice(at), offsets, at);
    };
    // GFM autolink literals come without positions (and split the text around them without
    // positions too): such nodes are placed after their previous sibling, up to the next
    // positioned one, and their end is found by matching their text in the source.
    const inlineChildren = (children: readonly PhrasingContent[], parentStart: number, parentEnd: number): number => {
      let cursor = parentStart;
      for (let index = 0; index < children.length; index++) {
        const child = children[index];
        if (child.position?.start.offset !== undefined && child.position.end.offset !== undefined) {
          inline(child, child.position.start.offset, child.position.end.offset);
          cursor = Math.max(cursor, child.position.end.offset);
          continue;
        }
        let limit = parentEnd;
        for (let later = index + 1; later < children.length; later++) {
          const laterStart = children[later].position?.start.offset;
          if (laterStart !== undefined) {
            limit = laterStart;
            break;
          }
        }
        cursor = inline(child, cursor, Math.max(cursor, limit), true);
      }
      return cursor;
    };
    /** Adds one phrasing node spanning `start`–`end` (or, when `open`, starting at `start` and ending by `end`); returns its end. */
    const inline = (child: PhrasingContent, start: number, end: number, open = false): number => {
      if (child.type !== 'text' && citations.length > 0) {
        const citation = citationAt(start);
        if (citation && (end <= citation.end || open)) {
          // A node inside a citation (the autolinked URL of `[@url:https://…]`) is part of it.
          if (!citation.marked) builder.markCitation();
          citation.marked = true;
          return open ? Math.min(end, alignedEnd(plainText(child), start, end)) : end;
        }
      }
      switch (child.type) {
        case 'text': {
          const stop = open ? alignedEnd(child.value, start, end) : end;
          text(child.value, start, stop);
          return stop;
        }
        case 'inlineCode':
          builder.appendPlaceholder(CODE_PLACEHOLDER, source, start, end);
          break;
        case 'inlineMath':
          builder.appendPlaceholder(MATH_PLACEHOLDER, source, start, end);
          break;
        case 'emphasis':
        case 'strong':
        case 'delete':
        case 'link':
          return inlineChildren(child.children, start, end);
        case 'linkReference':
          // A numeric reference link (`[1]` with `[1]: https://…` below) is a numbered citation.
          if (/^\d{1,4}$/.test(child.identifier)) builder.markCitation();
          else inlineChildren(child.children, start, end);
          break;
        case 'footnoteReference':
          if (citingFootnotes.has(child.identifier.toLowerCase()) || citingFootnotes.has((child.label ?? '').toLowerCase())) builder.markCitation();
          break;
        case 'html':
          if (ignoreComment.test(child.value.trim())) builder.markIgnore();
          else if (/^<sup\b[^>]*>$/i.test(child.value)) superscriptDepth++;
          else if (/^<\/sup>$/i.test(child.value)) superscriptDepth = Math.max(0, superscriptDepth - 1);
          break;
        case 'break':
          builder.appendSeparator(' ', start);
          break;
        case 'image':
        case 'imageReference':
          break;
        default:
          // Other phrasing nodes (from plugins) hold no prose we can map.
          break;
      }
      return end;
    };
    const alignedEnd = (value: string, start: number, limit: number): number => {
      if (value.length === 0) return start;
      const offsets = alignOffsets(value, source, start, limit);
      return offsets[offsets.length - 1] + 1;
    };
    inlineChildren(node.children, paragraphStart, paragraphEnd);
    if (!builder.hasContent()) return;
    const unit = builder.build({ headingPath: pathOf(), inListItem, inTableCell, ignoreAll });
    const trimmed = unit.text.trimStart();
    // Pandoc table captions and fenced-div fences are not running prose.
    if (/^(?:Table:|:{3,})/.test(trimmed)) return;
    units.push(unit);
  };

  const blocks = (children: readonly RootContent[], inListItem: boolean): void => {
    for (let index = 0; index < children.length; index++) {
      const child = children[index];
      switch (child.type) {
        case 'heading': {
          const start = child.position?.start.offset ?? 0;
          const end = child.position?.end.offset ?? start;
          const line = source.slice(start, end).split(/\r?\n/)[0];
          while (headings.length > 0 && headings[headings.length - 1].depth >= child.depth) headings.pop();
          headings.push({ depth: child.depth, text: cleanHeading(line) });
          break;
        }
        case 'paragraph': {
          const previous = children[index - 1];
          const ignoreAll =
            previous?.type === 'html' &&
            ignoreComment.test(previous.value.trim()) &&
            (previous.position?.end.line ?? -2) + 1 >= (child.position?.start.line ?? 0);
          paragraph(child, inListItem, false, ignoreAll);
          break;
        }
        case 'blockquote':
          blocks(child.children, inListItem);
          break;
        case 'list':
          for (const item of child.children) blocks(item.children, true);
          break;
        case 'table':
          // The header row labels columns; body cells may hold prose.
          for (const row of child.children.slice(1)) for (const cell of row.children) paragraph(cell, inListItem, true, false);
          break;
        default:
          // code, math, html, yaml, thematicBreak, definition, footnoteDefinition: not prose.
          break;
      }
    }
  };
  blocks(tree.children, false);
  return { units, headings };
}

/** The text of a phrasing node and its descendants, as parsed. */
function plainText(node: PhrasingContent): string {
  if ('value' in node) return node.value;
  if ('children' in node) return node.children.map(plainText).join('');
  return '';
}

/** What a block of a Markdown document is, for incremental checking. */
export type MarkdownBlockKind = 'prose' | 'heading' | 'skip';

/** A run of lines checked as one piece. */
export interface MarkdownBlock {
  readonly kind: MarkdownBlockKind;
  /** Offset of the block's first character in the document. */
  readonly start: number;
  /** Offset just past its last line (before that line's break). */
  readonly end: number;
  /** 0-based line of the first character. */
  readonly startLine: number;
  /** For headings: the level and cleaned text. */
  readonly heading?: HeadingEntry;
}

const atxHeading = /^ {0,3}(#{1,6})(?:[ \t]|$)/;
const fenceOpen = /^[ \t]*(`{3,}|~{3,})/;
const setextUnderline = /^ {0,3}(=+|-+)[ \t]*$/;
const listMarker = /^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;

/**
 * Splits a Markdown document into blocks cheaply (one pass over lines, no parsing): runs of
 * non-blank lines, with indented runs joined to the block above (list continuations), ATX and
 * setext headings on their own, and front matter, fenced code, `$$` math and multi-line HTML
 * comments as blocks to skip. An unclosed fence, math block or comment runs to the end.
 *
 * Parsing each prose block alone gives the same prose as parsing the whole document, except for
 * reference-style links and footnotes whose definitions stand elsewhere (handled by the caller).
 */
export function splitMarkdownBlocks(text: string): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  let runStart = -1;
  let runStartLine = 0;
  let runEnd = 0;
  let runFirstLine = '';
  let skipStart = -1;
  let skipStartLine = 0;
  let fence = '';
  let inMath = false;
  let inComment = false;
  let previousBlank = false;

  const closeRun = (): void => {
    if (runStart >= 0) blocks.push({ kind: 'prose', start: runStart, end: runEnd, startLine: runStartLine });
    runStart = -1;
  };

  let offset = 0;
  let line = 0;
  const length = text.length;
  // Front matter: `---` on the first line, closed by `---` or `...`.
  if (/^---[ \t]*\r?$/.test(text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : length))) {
    const close = /\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
    if (close) {
      const end = close.index + close[0].replace(/\r?\n$/, '').length;
      blocks.push({ kind: 'skip', start: 0, end, startLine: 0 });
      line = text.slice(0, end).split('\n').length;
      offset = text.indexOf('\n', end);
      offset = offset < 0 ? length + 1 : offset + 1;
    }
  }
  while (offset <= length) {
    let lineEnd = text.indexOf('\n', offset);
    if (lineEnd < 0) lineEnd = length;
    const contentEnd = lineEnd > offset && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
    const content = text.slice(offset, contentEnd);
    const closeSkip = (): void => {
      blocks.push({ kind: 'skip', start: skipStart, end: contentEnd, startLine: skipStartLine });
      skipStart = -1;
    };
    if (fence) {
      const trimmed = content.trimStart();
      if (trimmed.startsWith(fence) && trimmed.slice(fence.length).replace(new RegExp(`^\\${fence[0]}+`), '').trim() === '') {
        fence = '';
        closeSkip();
      }
    } else if (inMath) {
      if (content.includes('$$')) {
        inMath = false;
        closeSkip();
      }
    } else if (inComment) {
      if (content.includes('-->')) {
        inComment = false;
        closeSkip();
      }
    } else {
      const blank = content.trim() === '';
      const trimmed = content.trimStart();
      const fenceMatch = fenceOpen.exec(content);
      if (blank) {
        closeRun();
      } else if (fenceMatch && !(fenceMatch[1][0] === '`' && content.slice(fenceMatch[0].length).includes('`'))) {
        closeRun();
        fence = fenceMatch[1];
        skipStart = offset;
        skipStartLine = line;
      } else if (trimmed.startsWith('$$')) {
        closeRun();
        skipStart = offset;
        skipStartLine = line;
        if (trimmed.slice(2).includes('$$')) closeSkip();
        else inMath = true;
      } else if (trimmed.startsWith('<!--') && !trimmed.includes('-->')) {
        closeRun();
        skipStart = offset;
        skipStartLine = line;
        inComment = true;
      } else if (atxHeading.test(content)) {
        closeRun();
        const depth = atxHeading.exec(content)![1].length;
        blocks.push({ kind: 'heading', start: offset, end: contentEnd, startLine: line, heading: { depth, text: cleanHeading(content) } });
      } else if (runStart >= 0 && setextUnderline.test(content) && !listMarker.test(runFirstLine) && !runFirstLine.includes('|')) {
        const depth = content.trim().startsWith('=') ? 1 : 2;
        const title = text.slice(runStart, offset).replace(/\s+/g, ' ');
        blocks.push({ kind: 'heading', start: runStart, end: contentEnd, startLine: runStartLine, heading: { depth, text: cleanHeading(title) } });
        runStart = -1;
          } else {
        if (runStart < 0) {
          const last = blocks[blocks.length - 1];
          // An indented run after a blank line continues the block above (a list item's paragraphs, its code).
          if (previousBlank && /^[ \t]/.test(content) && last?.kind === 'prose') {
            blocks.pop();
            runStart = last.start;
            runStartLine = last.startLine;
            runFirstLine = text.slice(last.start, text.indexOf('\n', last.start) < 0 ? length : text.indexOf('\n', last.start));
          } else {
            runStart = offset;
            runStartLine = line;
            runFirstLine = content;
          }
        }
        runEnd = contentEnd;
      }
      previousBlank = blank;
    }
    offset = lineEnd + 1;
    line++;
  }
  closeRun();
  if (skipStart >= 0) blocks.push({ kind: 'skip', start: skipStart, end: length, startLine: skipStartLine });
  return blocks;
}
