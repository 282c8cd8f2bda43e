/**
 * Where an accepted abstract goes: a new `## Abstract` section after the front matter and title and
 * before the first section (LaTeX: an `abstract` environment after `\maketitle`), or in place of the
 * abstract the user selected.
 */
import type { ManuscriptFormat } from './markupFreeze';

/** A range of a text, as offsets. */
export interface OffsetRange {
  readonly start: number;
  readonly end: number;
}

/** An edit to a text: replace `[start, end)` with `text` (an insertion when start = end). */
export interface TextEdit extends OffsetRange {
  readonly text: string;
}

/**
 * Finds the manuscript's abstract: a Markdown heading "Abstract" with its section, or a LaTeX
 * `abstract` environment.
 * @param text The manuscript.
 * @param format Its format.
 * @returns The range of the whole section (heading included), or `undefined`.
 */
export function findExistingAbstract(text: string, format: ManuscriptFormat): OffsetRange | undefined {
  if (format === 'latex') {
    const match = /\\begin\{abstract\}[\s\S]*?\\end\{abstract\}/.exec(text);
    return match ? { start: match.index, end: match.index + match[0].length } : undefined;
  }
  const heading = /^(#{1,6})[ \t]+Abstract\b[^\n]*$/im.exec(text);
  if (!heading) return undefined;
  const level = heading[1].length;
  const rest = text.slice(heading.index + heading[0].length);
  const next = new RegExp(`^#{1,${level}}[ \\t]`, 'm').exec(rest);
  let end = next ? heading.index + heading[0].length + next.index : text.length;
  while (end > heading.index && /\s/.test(text[end - 1])) end -= 1;
  return { start: heading.index, end };
}

/**
 * Whether a selection is an abstract the draft should replace: it starts with an "Abstract" heading or
 * is (or sits inside) an `abstract` environment.
 * @param text The manuscript.
 * @param selection The selected range.
 * @param format The manuscript's format.
 * @returns True when the selection is the abstract.
 */
export function selectionIsAbstract(text: string, selection: OffsetRange, format: ManuscriptFormat): boolean {
  const selected = text.slice(selection.start, selection.end).trim();
  if (selected === '') return false;
  if (/^#{1,6}[ \t]+Abstract\b/i.test(selected) || /^\\begin\{abstract\}/.test(selected)) return true;
  const existing = findExistingAbstract(text, format);
  return existing !== undefined && selection.start >= existing.start && selection.end <= existing.end && selection.end - selection.start > 20;
}

/**
 * Formats a draft for the manuscript: a `## Abstract` section in Markdown, an `abstract` environment in LaTeX
 * (bold `**Heading:**` labels become `\textbf{Heading:}`).
 * @param draft The draft's body.
 * @param format The manuscript's format.
 * @returns The block to insert, without surrounding blank lines.
 */
export function formatAbstractBlock(draft: string, format: ManuscriptFormat): string {
  const body = draft.trim();
  if (format === 'latex') {
    const latex = body.replace(/\*\*([^*\n]+?)\*\*/g, '\\textbf{$1}').replace(/(?<!\\)([%&#])/g, '\\$1');
    return `\\begin{abstract}\n${latex}\n\\end{abstract}`;
  }
  return `## Abstract\n\n${body}`;
}

/**
 * Plans the edit that puts an accepted draft into the manuscript.
 * @param text The manuscript as it is now.
 * @param draft The draft's body.
 * @param format The manuscript's format.
 * @param replace The range to replace: the selected abstract (optional; default: insert a new section).
 * @returns One edit.
 */
export function planAbstractEdit(text: string, draft: string, format: ManuscriptFormat, replace?: OffsetRange): TextEdit {
  const block = formatAbstractBlock(draft, format);
  if (replace) {
    const selected = text.slice(replace.start, replace.end);
    // Keep the user's own heading line (it may carry attributes such as {.page_break_before}).
    const heading = /^\s*(#{1,6}[ \t]+Abstract\b[^\n]*)\n/i.exec(selected);
    if (format === 'markdown' && heading) {
      const lead = selected.length - selected.trimStart().length;
      return { start: replace.start + lead, end: replace.end, text: `${heading[1]}\n\n${draft.trim()}${/\n$/.test(selected) ? '\n' : ''}` };
    }
    if (format === 'latex' && !/\\begin\{abstract\}/.test(selected)) return { ...replace, text: formatAbstractBlock(draft, format).replace(/^\\begin\{abstract\}\n|\n\\end\{abstract\}$/g, '') };
    return { ...replace, text: block + (/\n$/.test(selected) ? '\n' : '') };
  }
  const offset = insertionOffset(text, format);
  const before = text.slice(0, offset);
  const after = text.slice(offset);
  const leading = before === '' ? '' : before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
  const trailing = after === '' ? '\n' : after.startsWith('\n') ? '\n' : '\n\n';
  return { start: offset, end: offset, text: `${leading}${block}${trailing}` };
}

/** Where a new abstract goes when none is selected. */
function insertionOffset(text: string, format: ManuscriptFormat): number {
  if (format === 'latex') {
    for (const anchor of [/\\maketitle[^\n]*\n?/, /\\begin\{document\}[^\n]*\n?/]) {
      const match = anchor.exec(text);
      if (match) return match.index + match[0].length;
    }
    return 0;
  }
  let offset = 0;
  const frontMatter = /^---[ \t]*\r?\n[\s\S]*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
  if (frontMatter) offset = frontMatter[0].length;
  const rest = text.slice(offset);
  const title = /^(?:\s*\n)*#[ \t][^\n]*(?:\n|$)/.exec(rest);
  if (title) {
    offset += title[0].length;
    const firstSection = /^#{2,6}[ \t]/m.exec(text.slice(offset));
    // Text under the title (authors, affiliations) stays above the abstract.
    if (firstSection) return offset + firstSection.index;
    return text.length;
  }
  const firstHeading = /^#{1,6}[ \t]/m.exec(rest);
  return firstHeading ? offset + firstHeading.index : frontMatter ? offset : 0;
}
