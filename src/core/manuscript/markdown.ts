/**
 * Markdown manuscripts (Pandoc, Manubot, Quarto, R Markdown): the unified parser, the walk from
 * the syntax tree to prose units, and a cheap block splitter for incremental checking.
 */
import type { Root, RootContent, PhrasingContent, Paragraph, Table } from 'mdast';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkMath from 'remark-math';
import type { Processor } from 'unified';
import type { VFile } from 'vfile';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { extractMarkdownCitations, footnotesWithReferences } from './citations';
import { CODE_PLACEHOLDER, MATH_PLACEHOLDER, ProseBuilder, alignOffsets, cleanHeading, type ProseUnit } from './prose';

/** A heading above some text: its level (1 for `#`) and cleaned text. */
export interface HeadingEntry {
  readonly depth: number;
  readonly text: string;
}

/**
 * GFM as manuscripts need it: tables, footnotes, strikethrough and task lists, the parts of
 * remark-gfm, without autolink literals. Those only re-wrap bare URLs as links, which the checker
 * does not need (a URL is neither prose nor a citation either way), and they cost more than half of
 * the parse time of a real manuscript (a regular-expression pass over every text node).
 */
export function remarkManuscriptGfm(this: Processor): void {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(gfmTable(), gfmFootnote(), gfmStrikethrough(), gfmTaskListItem());
  (data.fromMarkdownExtensions ??= []).push(gfmTableFromMarkdown(), gfmFootnoteFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmTaskListItemFromMarkdown());
}

/** The unified processor for manuscripts: remark-parse with YAML front matter, GFM (see {@link remarkManuscriptGfm}) and math. */
export function createMarkdownProcessor() {
  return unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkManuscriptGfm).use(remarkMath);
}

let sharedParser: ReturnType<typeof createMarkdownProcessor> | undefined;

/** Parses Markdown with the manuscript processor (created once, on first use). */
export function parseMarkdown(text: string): Root {
  sharedParser ??= createMarkdownProcessor().freeze();
  return sharedParser.parse(text);
}

// Characters that may start inline markup (emphasis, code, links, HTML, entities, math, escapes,
// strikethrough, footnotes, breaks) or that CommonMark rewrites (NUL, CR).
// `<` only opens HTML or an autolink (`<a@b>`, `<https://…>`) before a non-space ("p < 0.05" is text), and
// `&` only a character reference before a name and `;`.
// (NUL is matched through a character class escape so the pattern holds no control character.)
const inlineMarkup = new RegExp('[`*_$\\\\~\\r\\0]|<\\S|&#?[A-Za-z0-9]+;');
// Brackets are literal text (`[@key]`, `[1]`) unless they form a link, an image, a reference or
// a definition, or are empty.
const bracketLink = /\][ \t]*[([]|^[ \t]{0,3}\[[^\]]*\]:|\[\s*\]/m;
// A line that could open a block (list, heading, quote, table, HTML, code, thematic break), that
// the parser would trim, or an empty line (which would end the paragraph).
const blockLine = /^(?:[ \t]|[-+*#>=|:<~]|\d{1,9}[.)](?:[ \t]|$))|[ \t]$|^$/m;

/**
 * The syntax tree of a block that is provably one plain paragraph, built without the parser:
 * no character that could start inline markup, no bracket that could form a link, no line that
 * could open a block or be trimmed.
 * For such text remark-parse yields exactly one paragraph holding one text node equal to the
 * source, so building it directly gives the same tree; most manuscript paragraphs qualify, and
 * skipping the parser for them is the larger part of the checker's speed.
 *
 * @returns The tree, or `undefined` when the text needs the parser.
 */
export function plainParagraphTree(text: string): Root | undefined {
  if (text.length === 0 || inlineMarkup.test(text) || blockLine.test(text) || bracketLink.test(text)) return undefined;
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  // A last line of only white space would not be part of the paragraph.
  if (lineStart === text.length) return undefined;
  const position = { start: { line: 1, column: 1, offset: 0 }, end: { line, column: text.length - lineStart + 1, offset: text.length } };
  return {
    type: 'root',
    children: [{ type: 'paragraph', children: [{ type: 'text', value: text, position: structuredClone(position) }], position: structuredClone(position) }],
    position,
  };
}

/** Parses one block: {@link plainParagraphTree} when it applies, else the processor. */
export function parseBlock(processor: { parse(file: VFile | string): unknown }, file: VFile): Root {
  return plainParagraphTree(String(file.value)) ?? (processor.parse(file) as Root);
}

/** Options of {@link collectMarkdownProse}. */
export interface CollectOptions {
  /** Footnote labels whose note holds a reference (optional; default: found in `source`). */
  readonly citingFootnotes?: ReadonlySet<string>;
  /** Headings above the parsed text, when it is a part of a document (optional; default: none). */
  readonly headings?: readonly HeadingEntry[];
}

const ignoreComment = /^<!--\s*biowrite-ignore\s*-->$/i;
// Pandoc attributes after images, headings and spans (`{#fig:x width="50%"}`), and Quarto shortcodes
// (`{{< include _intro.qmd >}}`, `{{% pagebreak %}}`): markup, not words of a sentence.
const attributes = /\{\{<[^\n]*?>\}\}|\{\{%[^\n]*?%\}\}|\{[#.][^{}\n]*\}/g;

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
    // Text is walked in source order, so a moving index finds the citation at an offset in O(1).
    let citationIndex = 0;
    const citationAt = (offset: number): (typeof citations)[number] | undefined => {
      if (citationIndex > 0 && citations[citationIndex - 1].end > offset) citationIndex = 0;
      while (citationIndex < citations.length && citations[citationIndex].end <= offset) citationIndex++;
      const citation = citations[citationIndex];
      return citation && citation.start <= offset ? citation : undefined;
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
    // A Pandoc table caption (`Table: …`) is prose without its label.
    const label = /^\s*Table:/.exec(unit.text);
    units.push(label ? { ...unit, text: ' '.repeat(label[0].length) + unit.text.slice(label[0].length) } : unit);
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
      } else if (/^ {0,3}:{3,}/.test(content)) {
        // A Pandoc or Quarto fenced div (`::: {.callout-note}`, `:::`): the fence is not prose, its content is.
        closeRun();
        blocks.push({ kind: 'skip', start: offset, end: contentEnd, startLine: line });
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
