/**
 * LaTeX manuscripts: a careful tokenizer (no regular expressions over the whole file) that turns
 * LaTeX source into prose units, and a cheap block splitter for incremental checking.
 *
 * Handles `%` comments, `\cite` and the natbib/biblatex variants (with stars and optional
 * arguments), inline and display math, environments to skip (equations, verbatim, listings,
 * figures, tables, the bibliography), `\item` lists, footnotes (a footnote holding a citation
 * cites its sentence), references (`\ref`, `\cref`…) and sectioning commands.
 */
import { readLatexCitation, texGroupEnd } from './citations';
import type { HeadingEntry } from './markdown';
import { CODE_PLACEHOLDER, MATH_PLACEHOLDER, ProseBuilder, URL_PLACEHOLDER, type ProseUnit } from './prose';

const sectionDepth: Readonly<Record<string, number>> = {
  part: 1,
  chapter: 2,
  section: 3,
  subsection: 4,
  subsubsection: 5,
  paragraph: 6,
  subparagraph: 7,
};

// Environments whose content is not prose: skipped whole.
const skipEnvironments = new Set([
  'verbatim', 'Verbatim', 'lstlisting', 'minted', 'comment', 'figure', 'figure*', 'table', 'table*', 'tabular', 'tabular*',
  'tabularx', 'longtable', 'tikzpicture', 'algorithm', 'algorithmic', 'thebibliography', 'filecontents', 'filecontents*',
  'wrapfigure', 'sidewaystable', 'sidewaysfigure', 'code', 'alltt', 'lstinline', 'keywords', 'titlepage',
]);
// Math environments: inside a paragraph they are part of the sentence, so they become a placeholder.
const mathEnvironments = new Set([
  'equation', 'equation*', 'align', 'align*', 'gather', 'gather*', 'multline', 'multline*', 'eqnarray', 'eqnarray*',
  'displaymath', 'math', 'flalign', 'flalign*', 'alignat', 'alignat*', 'split', 'dmath', 'dmath*',
]);
const listEnvironments = new Set(['itemize', 'enumerate', 'description', 'compactitem', 'compactenum']);
// Commands whose arguments are not prose: the command and all its arguments are dropped.
const dropWithArguments = new Set([
  'label', 'includegraphics', 'input', 'include', 'bibliography', 'bibliographystyle', 'addbibresource', 'usepackage',
  'documentclass', 'newcommand', 'renewcommand', 'providecommand', 'def', 'setlength', 'vspace', 'hspace', 'caption',
  'maketitle', 'title', 'author', 'date', 'affiliation', 'affil', 'thanks', 'keywords', 'nocite', 'pagestyle',
  'thispagestyle', 'newpage', 'clearpage', 'tableofcontents', 'printbibliography', 'setcounter', 'addtocounter',
  'hypersetup', 'graphicspath', 'newenvironment', 'renewenvironment', 'color', 'definecolor', 'email', 'orcid',
  'centering', 'raggedright', 'noindent', 'small', 'footnotesize', 'large', 'Large', 'normalsize', 'bigskip',
  'medskip', 'smallskip', 'linewidth', 'textwidth', 'index', 'glossary', 'acrodef', 'newacronym', 'appendix',
]);
const referenceCommands = new Set(['ref', 'eqref', 'cref', 'Cref', 'autoref', 'pageref', 'vref', 'nameref', 'crefrange', 'Crefrange', 'subref']);
const footnoteCommands = new Set(['footnote', 'footnotetext', 'tablefootnote', 'sidenote', 'marginpar']);
const escapes: Readonly<Record<string, string>> = { '%': '%', '&': '&', $: '$', '#': '#', _: '_', '{': '{', '}': '}', ' ': ' ', ',': ' ', ';': ' ', ':': ' ', '!': '', '@': '', '/': '', '-': '', '\\': ' ', '~': '~' };

/** Options of {@link collectLatexProse}. */
export interface LatexCollectOptions {
  /** Headings above the parsed text, when it is a part of a document (optional; default: none). */
  readonly headings?: readonly HeadingEntry[];
  /** How many list environments are open where the text starts (optional; default: 0). */
  readonly listDepth?: number;
}

/** Plain text of a heading argument: commands and braces removed. */
function headingText(argument: string): string {
  return argument
    .replace(/%[^\n]*/g, '')
    .replace(/\\[A-Za-z]+\*?/g, '')
    .replace(/[{}~\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Reads a command name at `at` (the backslash); returns the name and the offset after it (and a star). */
function readCommand(text: string, at: number): { name: string; end: number; star: boolean } {
  let end = at + 1;
  while (end < text.length && /[A-Za-z]/.test(text[end])) end++;
  const name = text.slice(at + 1, end);
  const star = text[end] === '*';
  return { name, end: star ? end + 1 : end, star };
}

function skipSpaces(text: string, index: number): number {
  while (index < text.length && (text[index] === ' ' || text[index] === '\t')) index++;
  return index;
}

/** Skips optional `[…]` and mandatory `{…}` arguments; returns the offset after them. */
function skipArguments(text: string, index: number, maxGroups = 9): number {
  let groups = 0;
  for (;;) {
    const next = skipSpaces(text, index);
    if (text[next] === '[' || text[next] === '{') {
      const end = texGroupEnd(text, next, text.length, text[next] === '[' ? ']' : '}');
      if (end < 0) return index;
      index = end;
      if (++groups >= maxGroups) return index;
    } else return index;
  }
}

/** Offset of the `\end{name}` matching a `\begin{name}` whose content starts at `from` (nesting counted), or -1. */
function environmentEnd(text: string, name: string, from: number): { contentEnd: number; end: number } | undefined {
  const begin = `\\begin{${name}}`;
  const end = `\\end{${name}}`;
  let depth = 1;
  let index = from;
  while (index < text.length) {
    const nextEnd = text.indexOf(end, index);
    if (nextEnd < 0) return undefined;
    const nextBegin = text.indexOf(begin, index);
    if (nextBegin >= 0 && nextBegin < nextEnd) {
      depth++;
      index = nextBegin + begin.length;
      continue;
    }
    depth--;
    if (depth === 0) return { contentEnd: nextEnd, end: nextEnd + end.length };
    index = nextEnd + end.length;
  }
  return undefined;
}

/**
 * Tokenizes LaTeX source into prose units: each paragraph (blank line or `\par`) and each `\item`
 * is a unit. Never throws; unbalanced braces and unclosed environments end at the text's end.
 *
 * @param source LaTeX source (a whole document body or one block of it).
 * @param options (optional) The heading context.
 */
export function collectLatexProse(
  source: string,
  options: LatexCollectOptions = {},
): { units: ProseUnit[]; headings: HeadingEntry[]; listDepth: number } {
  const headings: HeadingEntry[] = [...(options.headings ?? [])];
  const units: ProseUnit[] = [];
  let builder = new ProseBuilder();
  let ignoreAll = false;
  let listDepth = options.listDepth ?? 0;

  const finish = (): void => {
    if (builder.hasContent()) {
      units.push(builder.build({ headingPath: headings.map((heading) => heading.text), inListItem: listDepth > 0, inTableCell: false, ignoreAll }));
    }
    builder = new ProseBuilder();
    ignoreAll = false;
  };

  const length = source.length;
  // Braces that only group (`{\em text}`) are dropped; `depth` is not needed for that.
  for (let index = 0; index < length; index++) {
    const c = source[index];
    switch (c) {
      case '%': {
        const newline = source.indexOf('\n', index);
        const comment = source.slice(index, newline < 0 ? length : newline);
        if (/^%\s*biowrite-ignore\b/i.test(comment)) {
          if (builder.hasContent()) builder.markIgnore();
          else ignoreAll = true;
        }
        // A comment swallows its line break and the next line's indentation, as in TeX.
        index = newline < 0 ? length : skipSpaces(source, newline + 1) - 1;
        break;
      }
      case '\n': {
        const next = skipSpaces(source, index + 1);
        if (source[next] === '\n' || (source[next] === '\r' && source[next + 1] === '\n')) {
          finish();
          index = next;
        } else {
          builder.appendSeparator(' ', index);
        }
        break;
      }
      case '\r':
        break;
      case '{':
      case '}':
        break;
      case '~':
        builder.appendSeparator(' ', index);
        break;
      case '$': {
        const display = source[index + 1] === '$';
        const close = display ? source.indexOf('$$', index + 2) : findInlineMathEnd(source, index + 1);
        const end = close < 0 ? length : close + (display ? 2 : 1);
        builder.appendPlaceholder(MATH_PLACEHOLDER, source, index, end);
        index = end - 1;
        break;
      }
      case '`':
      case "'":
        if (source[index + 1] === c) {
          builder.appendSeparator('"', index);
          index++;
        } else builder.appendLinear(c, index);
        break;
      case '\\': {
        const next = source[index + 1];
        if (next === undefined) break;
        if (next === '(' || next === '[') {
          const close = source.indexOf(next === '(' ? '\\)' : '\\]', index + 2);
          const end = close < 0 ? length : close + 2;
          builder.appendPlaceholder(MATH_PLACEHOLDER, source, index, end);
          index = end - 1;
          break;
        }
        if (!/[A-Za-z]/.test(next)) {
          const replacement = escapes[next];
          if (replacement === undefined) builder.appendLinear(next, index + 1);
          else if (replacement.length > 0) builder.appendSeparator(replacement, index);
          index++;
          break;
        }
        const citation = readLatexCitation(source, index, length);
        if (citation) {
          builder.markCitation();
          index = citation.end - 1;
          break;
        }
        const command = readCommand(source, index);
        const { name } = command;
        let after = command.end;
        if (name === 'begin' || name === 'end') {
          const open = skipSpaces(source, after);
          const close = source[open] === '{' ? source.indexOf('}', open) : -1;
          if (close < 0) {
            index = after - 1;
            break;
          }
          const environment = source.slice(open + 1, close).trim();
          after = close + 1;
          if (name === 'begin') {
            if (skipEnvironments.has(environment) || mathEnvironments.has(environment)) {
              const found = environmentEnd(source, environment, after);
              const end = found ? found.end : length;
              if (mathEnvironments.has(environment)) builder.appendPlaceholder(MATH_PLACEHOLDER, source, index, end);
              else finish();
              index = end - 1;
              break;
            }
            if (listEnvironments.has(environment)) {
              finish();
              listDepth++;
            } else if (environment === 'document' || environment === 'abstract') {
              finish();
              if (environment === 'abstract') headings.push({ depth: 99, text: 'Abstract' });
            }
            // Arguments of environments such as `minipage{0.5\textwidth}` are not prose.
            index = skipArguments(source, after) - 1;
          } else {
            if (listEnvironments.has(environment)) {
              finish();
              listDepth = Math.max(0, listDepth - 1);
            } else if (environment === 'abstract') {
              finish();
              const last = headings[headings.length - 1];
              if (last?.depth === 99) headings.pop();
            } else if (environment === 'document') {
              finish();
            }
            index = after - 1;
          }
          break;
        }
        if (name in sectionDepth) {
          finish();
          let argumentStart = skipSpaces(source, after);
          if (source[argumentStart] === '[') {
            const end = texGroupEnd(source, argumentStart, length, ']');
            argumentStart = end < 0 ? argumentStart : skipSpaces(source, end);
          }
          if (source[argumentStart] === '{') {
            const end = texGroupEnd(source, argumentStart, length);
            const stop = end < 0 ? length : end;
            const depth = sectionDepth[name];
            while (headings.length > 0 && headings[headings.length - 1].depth >= depth) headings.pop();
            headings.push({ depth, text: headingText(source.slice(argumentStart + 1, stop - (end < 0 ? 0 : 1))) });
            index = stop - 1;
          } else index = after - 1;
          break;
        }
        if (name === 'item') {
          finish();
          index = skipOptional(source, after) - 1;
          break;
        }
        if (name === 'par') {
          finish();
          index = after - 1;
          break;
        }
        if (footnoteCommands.has(name)) {
          const argumentEnd = skipArguments(source, after);
          const content = source.slice(after, argumentEnd);
          if (/\\[A-Za-z]*cite[A-Za-z]*\*?\s*[[{]/i.test(content) || /\b(?:doi|https?:\/\/|PMID)/i.test(content)) builder.markCitation();
          index = argumentEnd - 1;
          break;
        }
        if (name === 'textsuperscript') {
          const argumentEnd = skipArguments(source, after, 1);
          if (/^\{\s*\d{1,4}(?:\s*[-–,]\s*\d{1,4})*\s*\}$/.test(source.slice(skipSpaces(source, after), argumentEnd))) {
            builder.markCitation();
            index = argumentEnd - 1;
            break;
          }
          index = after - 1;
          break;
        }
        if (referenceCommands.has(name)) {
          const argumentEnd = skipArguments(source, after, 2);
          builder.appendPlaceholder('1', source, index, argumentEnd);
          index = argumentEnd - 1;
          break;
        }
        if (name === 'url' || name === 'path') {
          const argumentEnd = skipArguments(source, after, 1);
          builder.appendPlaceholder(URL_PLACEHOLDER, source, index, argumentEnd);
          index = argumentEnd - 1;
          break;
        }
        if (name === 'href') {
          // `\href{url}{text}`: the text is prose, the URL is not.
          const open = skipSpaces(source, after);
          const end = source[open] === '{' ? texGroupEnd(source, open, length) : -1;
          index = (end < 0 ? after : end) - 1;
          break;
        }
        if (name === 'verb' || name === 'lstinline') {
          const delimiter = source[after];
          const close = delimiter ? source.indexOf(delimiter === '{' ? '}' : delimiter, after + 1) : -1;
          const end = close < 0 ? Math.min(length, after + 1) : close + 1;
          builder.appendPlaceholder(CODE_PLACEHOLDER, source, index, end);
          index = end - 1;
          break;
        }
        if (dropWithArguments.has(name)) {
          index = skipArguments(source, after) - 1;
          break;
        }
        if (name === 'ldots' || name === 'dots' || name === 'textellipsis') {
          builder.appendSeparator('…', index);
        } else if (name === 'textendash') builder.appendSeparator('–', index);
        else if (name === 'textemdash') builder.appendSeparator('—', index);
        else if (name === 'LaTeX' || name === 'TeX') builder.appendPlaceholder(name, source, index, after);
        else if (name === 'eg' || name === 'ie' || name === 'etal') builder.appendPlaceholder(name === 'eg' ? 'e.g.' : name === 'ie' ? 'i.e.' : 'et al.', source, index, after);
        // Any other command: its name goes, its braced arguments stay as text (`\emph{x}` → x).
        index = after - 1;
        // A control word swallows the spaces after it.
        if (source[after] === ' ' && /^[A-Za-z]/.test(source[after + 1] ?? '') && builder.size > 0 && !/^(?:emph|textbf|textit|textsc|texttt|underline|text|mbox|enquote)$/.test(name)) {
          index = after;
        }
        break;
      }
      default:
        builder.appendLinear(c, index);
    }
  }
  finish();
  return { units, headings, listDepth };
}

function skipOptional(text: string, index: number): number {
  const next = skipSpaces(text, index);
  if (text[next] !== '[') return index;
  const end = texGroupEnd(text, next, text.length, ']');
  return end < 0 ? index : end;
}

/** Closing `$` of inline math starting at `from`, or -1 (a blank line ends the search). */
function findInlineMathEnd(text: string, from: number): number {
  for (let index = from; index < text.length; index++) {
    const c = text[index];
    if (c === '\\') index++;
    else if (c === '$') return index;
    else if (c === '\n' && /^\n[ \t]*\r?\n/.test(text.slice(index, index + 40))) return -1;
  }
  return -1;
}

/** What a block of a LaTeX document is. */
export interface LatexBlock {
  readonly kind: 'prose' | 'heading' | 'skip';
  /** Offset of the block's first character in the document. */
  readonly start: number;
  /** Offset just past its last line (before that line's break). */
  readonly end: number;
  /** 0-based line of the first character. */
  readonly startLine: number;
}

/**
 * Splits a LaTeX document into blocks cheaply: paragraphs separated by blank lines, never
 * splitting inside an environment that may hold blank lines (verbatim, equations, figures…);
 * the preamble (before `\begin{document}`) and what follows `\end{document}` are skipped.
 * Sectioning lines (`\section{…}`) are blocks of their own, so each block's heading context is
 * known before it is tokenized.
 */
export function splitLatexBlocks(text: string): LatexBlock[] {
  const blocks: LatexBlock[] = [];
  const documentBegin = findOutsideComments(text, '\\begin{document}');
  const documentEnd = findOutsideComments(text, '\\end{document}');
  let offset = 0;
  let line = 0;
  const length = text.length;
  let runStart = -1;
  let runStartLine = 0;
  let runEnd = 0;
  let openEnvironment = '';
  let environmentDepth = 0;
  const closeRun = (): void => {
    if (runStart >= 0) blocks.push({ kind: 'prose', start: runStart, end: runEnd, startLine: runStartLine });
    runStart = -1;
  };
  if (documentBegin > 0) {
    const lineEnd = text.indexOf('\n', documentBegin);
    const end = lineEnd < 0 ? length : lineEnd;
    blocks.push({ kind: 'skip', start: 0, end, startLine: 0 });
    for (let index = 0; index < end; index++) if (text.charCodeAt(index) === 10) line++;
    offset = lineEnd < 0 ? length + 1 : lineEnd + 1;
    line = lineEnd < 0 ? line : line + 1;
  }
  while (offset <= length) {
    if (documentEnd >= 0 && offset > documentEnd) {
      closeRun();
      blocks.push({ kind: 'skip', start: offset, end: length, startLine: line });
      break;
    }
    let lineEnd = text.indexOf('\n', offset);
    if (lineEnd < 0) lineEnd = length;
    const contentEnd = lineEnd > offset && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
    const content = text.slice(offset, contentEnd);
    const code = content.replace(/(?<!\\)%.*$/, '');
    if (openEnvironment) {
      if (code.includes(`\\begin{${openEnvironment}}`)) environmentDepth++;
      if (code.includes(`\\end{${openEnvironment}}`) && --environmentDepth === 0) openEnvironment = '';
      runEnd = contentEnd;
    } else if (content.trim() === '') {
      closeRun();
    } else if (/^\s*\\(?:part|chapter|section|subsection|subsubsection|paragraph|subparagraph)\*?\s*[[{]/.test(code) && runStart < 0) {
      blocks.push({ kind: 'heading', start: offset, end: contentEnd, startLine: line });
    } else {
      if (/^\s*\\(?:part|chapter|section|subsection|subsubsection|paragraph|subparagraph)\*?\s*[[{]/.test(code)) {
        closeRun();
        blocks.push({ kind: 'heading', start: offset, end: contentEnd, startLine: line });
      } else {
        if (runStart < 0) {
          runStart = offset;
          runStartLine = line;
        }
        runEnd = contentEnd;
        const begin = /\\begin\{([^}]+)\}/.exec(code);
        if (begin && (skipEnvironments.has(begin[1]) || mathEnvironments.has(begin[1])) && !code.includes(`\\end{${begin[1]}}`)) {
          openEnvironment = begin[1];
          environmentDepth = 1;
        }
      }
    }
    offset = lineEnd + 1;
    line++;
  }
  closeRun();
  return blocks;
}

/** First offset of `needle` on a line where no `%` comment precedes it, or -1. */
function findOutsideComments(text: string, needle: string): number {
  let from = 0;
  for (;;) {
    const found = text.indexOf(needle, from);
    if (found < 0) return -1;
    const lineStart = text.lastIndexOf('\n', found) + 1;
    if (!/(?<!\\)%/.test(text.slice(lineStart, found))) return found;
    from = found + needle.length;
  }
}
