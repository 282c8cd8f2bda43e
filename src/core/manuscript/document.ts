/**
 * Every sentence of a manuscript with its place, context and whether it is cited: the view the
 * claims checker scores, exposed for evaluation, training and the sources feature.
 */
import { footnotesWithReferences, type ManuscriptLanguage } from './citations';
import { collectLatexProse, splitLatexBlocks } from './latex';
import { LineIndex, type TextRange } from './lineIndex';
import { collectMarkdownProse, parseMarkdown, plainParagraphTree, splitMarkdownBlocks, type HeadingEntry } from './markdown';
import { displayText, sourceRangeOf, type ProseUnit } from './prose';
import { splitSentences } from './sentences';

/** One sentence of a document. */
export interface DocumentSentence {
  /** 0-based lines, UTF-16 characters. */
  readonly range: TextRange;
  readonly startOffset: number;
  readonly endOffset: number;
  /** As the user sees it: citations removed, math and code as written. */
  readonly text: string;
  /** As the scorer sees it: math and code as placeholders. */
  readonly scoredText: string;
  /** The sentence carries a citation. */
  readonly cited: boolean;
  /** An ignore comment covers it. */
  readonly ignored: boolean;
  readonly headingPath: readonly string[];
  readonly indexInParagraph: number;
  readonly paragraphSentenceCount: number;
  readonly inListItem: boolean;
  readonly inTableCell: boolean;
}

/** The prose units of a whole document, each with the offset its unit offsets are relative to. */
export function documentProse(text: string, language: ManuscriptLanguage): { unit: ProseUnit; base: number }[] {
  const out: { unit: ProseUnit; base: number }[] = [];
  if (language === 'latex') {
    let headings: readonly HeadingEntry[] = [];
    let listDepth = 0;
    for (const block of splitLatexBlocks(text)) {
      if (block.kind === 'skip') continue;
      const collected = collectLatexProse(text.slice(block.start, block.end), { headings, listDepth });
      for (const unit of collected.units) out.push({ unit, base: block.start });
      headings = collected.headings;
      listDepth = collected.listDepth;
    }
    return out;
  }
  const citingFootnotes = text.includes('[^') ? footnotesWithReferences(text) : new Set<string>();
  let headings: readonly HeadingEntry[] = [];
  for (const block of splitMarkdownBlocks(text)) {
    if (block.kind === 'skip') continue;
    if (block.kind === 'heading' && block.heading) {
      const heading = block.heading;
      headings = [...headings.filter((entry) => entry.depth < heading.depth), heading];
      continue;
    }
    const source = text.slice(block.start, block.end);
    const collected = collectMarkdownProse(plainParagraphTree(source) ?? parseMarkdown(source), source, { citingFootnotes, headings });
    for (const unit of collected.units) out.push({ unit, base: block.start });
    headings = collected.headings;
  }
  return out;
}

/**
 * Lists every sentence of a document, cited or not, with its range and context.
 *
 * @param text The document.
 * @param language `markdown` or `latex`.
 */
export function readSentences(text: string, language: ManuscriptLanguage): DocumentSentence[] {
  const lineIndex = new LineIndex(text);
  const sentences: DocumentSentence[] = [];
  for (const { unit, base } of documentProse(text, language)) {
    const spans = splitSentences(unit.text);
    const owner = (position: number): number => {
      let found = 0;
      for (let index = 0; index < spans.length; index++) if (spans[index].start <= position) found = index;
      return found;
    };
    const cited = new Set(unit.citations.map(owner));
    const ignored = new Set(unit.ignoreMarkers.filter((position) => spans.length > 0 && position > spans[0].start).map((position) => owner(position - 1)));
    const ignoreAll = unit.ignoreAll || unit.ignoreMarkers.some((position) => spans.length > 0 && position <= spans[0].start);
    spans.forEach((span, index) => {
      const { start: startOffset, end: endOffset } = sourceRangeOf(unit, text, span.start, span.end, base);
      sentences.push({
        range: lineIndex.rangeAt(startOffset, endOffset),
        startOffset,
        endOffset,
        text: displayText(unit, span.start, span.end),
        scoredText: unit.text.slice(span.start, span.end).replace(/\s+/g, ' '),
        cited: cited.has(index),
        ignored: ignoreAll || ignored.has(index),
        headingPath: unit.headingPath,
        indexInParagraph: index,
        paragraphSentenceCount: spans.length,
        inListItem: unit.inListItem,
        inTableCell: unit.inTableCell,
      });
    });
  }
  return sentences;
}
