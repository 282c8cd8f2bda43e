/**
 * Inline markup in titles: the services send italics, bold, super- and subscripts and small capitals as
 * HTML (`<i>`, `<sup>`), JATS (`<jats:italic>`, `<scp>`), Zotero rich text, or any of these entity-encoded
 * once or twice (Europe PMC: `&lt;i&gt;`). {@link parseTitleMarkup} reads them into a small list of styled
 * text runs, and the renderers write those runs as plain text, BibTeX or CSL JSON rich text.
 *
 * Only the five styles survive; every other tag is dropped (its text kept), nothing is ever interpreted
 * as HTML, and the parser runs in time linear in its input, whatever the nesting or damage.
 */
import type { TitleSpan, TitleStyle } from '../../shared/protocol';
import type { XmlElement } from './xml';

export type { TitleSpan, TitleStyle } from '../../shared/protocol';

/** The styles, in the order they nest (outermost first); `styles` of a span follow it. */
export const titleStyles: readonly TitleStyle[] = ['bold', 'italic', 'smallcaps', 'sup', 'sub'];

/** Options of {@link parseTitleMarkup}. */
export interface TitleMarkupOptions {
  /**
   * Remove the brackets PubMed and Europe PMC put around a title translated into English
   * (`[Title].` → `Title`) (optional; default: false).
   */
  readonly unbracket?: boolean;
}

const styleBit: ReadonlyMap<TitleStyle, number> = new Map(titleStyles.map((style, index) => [style, 1 << index]));

// Maps, not object literals: a tag may be called `constructor` or `__proto__`.
const tagStyles: ReadonlyMap<string, TitleStyle> = new Map<string, TitleStyle>([
  ['i', 'italic'],
  ['em', 'italic'],
  ['italic', 'italic'],
  ['b', 'bold'],
  ['strong', 'bold'],
  ['bold', 'bold'],
  ['sup', 'sup'],
  ['sub', 'sub'],
  ['sc', 'smallcaps'],
  ['scp', 'smallcaps'],
  ['smallcaps', 'smallcaps'],
  ['small-caps', 'smallcaps'],
]);

const blockTags: ReadonlySet<string> = new Set(['p', 'div', 'br', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'title', 'sec', 'table', 'tr', 'td', 'th', 'abstract', 'section', 'list-item', 'list']);

/** Elements whose content is not title text: scripts, and the TeX source MathML carries beside the formula. */
const hiddenTags: ReadonlySet<string> = new Set(['script', 'style', 'annotation', 'annotation-xml']);

const namedEntities: ReadonlyMap<string, string> = new Map(
  Object.entries({
    amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ensp: '\u2002', emsp: '\u2003', thinsp: '\u2009', shy: '',
    ndash: '–', mdash: '—', hellip: '…', lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„', laquo: '«', raquo: '»',
    prime: '′', Prime: '″', middot: '·', bull: '•', deg: '°', micro: 'µ', times: '×', divide: '÷', plusmn: '±', minus: '−',
    le: '≤', ge: '≥', ne: '≠', asymp: '≈', sim: '∼', equiv: '≡', infin: '∞', sum: '∑', prod: '∏', radic: '√', part: '∂', int: '∫',
    larr: '←', rarr: '→', uarr: '↑', darr: '↓', harr: '↔', rArr: '⇒', lArr: '⇐', hArr: '⇔',
    copy: '©', reg: '®', trade: '™', sect: '§', para: '¶', dagger: '†', Dagger: '‡', permil: '‰', euro: '€', pound: '£', yen: '¥', cent: '¢',
    sup1: '¹', sup2: '²', sup3: '³', frac12: '½', frac14: '¼', frac34: '¾', ordf: 'ª', ordm: 'º', iexcl: '¡', iquest: '¿',
    szlig: 'ß', aelig: 'æ', AElig: 'Æ', oelig: 'œ', OElig: 'Œ', oslash: 'ø', Oslash: 'Ø', eth: 'ð', ETH: 'Ð', thorn: 'þ', THORN: 'Þ',
    alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ',
    nu: 'ν', xi: 'ξ', omicron: 'ο', pi: 'π', rho: 'ρ', sigmaf: 'ς', sigma: 'σ', tau: 'τ', upsilon: 'υ', phi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
    Alpha: 'Α', Beta: 'Β', Gamma: 'Γ', Delta: 'Δ', Epsilon: 'Ε', Zeta: 'Ζ', Eta: 'Η', Theta: 'Θ', Iota: 'Ι', Kappa: 'Κ', Lambda: 'Λ', Mu: 'Μ',
    Nu: 'Ν', Xi: 'Ξ', Omicron: 'Ο', Pi: 'Π', Rho: 'Ρ', Sigma: 'Σ', Tau: 'Τ', Upsilon: 'Υ', Phi: 'Φ', Chi: 'Χ', Psi: 'Ψ', Omega: 'Ω',
    thetasym: 'ϑ', upsih: 'ϒ', piv: 'ϖ',
  }),
);

// Accented Latin letters (`&eacute;`, `&Ouml;`) as letter + combining mark, composed by NFC.
const accents: ReadonlyMap<string, string> = new Map(Object.entries({ acute: '\u0301', grave: '\u0300', circ: '\u0302', uml: '\u0308', tilde: '\u0303', ring: '\u030a', cedil: '\u0327', caron: '\u030c' }));

function decodeEntity(whole: string, body: string): string {
  if (body[0] === '#') {
    const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
    if (!Number.isFinite(code) || code > 0x10ffff) return whole;
    // NUL and lone surrogates are never text.
    return code === 0 || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
  }
  const named = namedEntities.get(body);
  if (named !== undefined) return named;
  const accent = /^([A-Za-z])(acute|grave|circ|uml|tilde|ring|cedil|caron)$/.exec(body);
  if (accent) {
    const composed = `${accent[1]}${accents.get(accent[2]) ?? ''}`.normalize('NFC');
    if (composed.length === 1) return composed;
  }
  return whole;
}

/**
 * Decodes character references, up to four levels deep: services encode markup once (`&lt;i&gt;`) and
 * sometimes twice (`&amp;lt;i&amp;gt;`), and it must all be decoded before the tags are read.
 */
function decodeAllEntities(text: string): string {
  let current = text;
  for (let pass = 0; pass < 4 && current.includes('&'); pass++) {
    const next = current.replace(/&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});/g, decodeEntity);
    if (next === current) break;
    current = next;
  }
  return current;
}

interface Run {
  readonly text: string;
  readonly mask: number;
}

interface OpenTag {
  readonly name: string;
  /** Index in {@link titleStyles}, or -1 for an element without a style (a plain `<span>`). */
  readonly style: number;
}

/**
 * Reads tags from decoded text into text runs with a style mask each. Every search only moves forward
 * (next `<`, next `>`, a hidden element's end), and a search that failed is not repeated, so the work is
 * linear in the input.
 */
function tokenize(text: string): Run[] {
  const runs: Run[] = [];
  const length = text.length;
  const openCounts = new Map<string, number>();
  const styleCounts = titleStyles.map(() => 0);
  const stack: OpenTag[] = [];
  let mask = 0;
  const push = (value: string): void => {
    if (value !== '') runs.push({ text: value, mask });
  };
  const recomputeMask = (): void => {
    mask = 0;
    styleCounts.forEach((count, index) => {
      if (count > 0) mask |= 1 << index;
    });
  };

  let nextGt = -2;
  const gtAfter = (from: number): number => {
    if (nextGt !== -1 && nextGt < from) nextGt = text.indexOf('>', from);
    return nextGt;
  };
  let nextLt = -2;
  const ltAfter = (from: number): number => {
    if (nextLt !== -1 && nextLt < from) nextLt = text.indexOf('<', from);
    return nextLt;
  };
  let commentsClose = true;
  const hiddenCloses = new Set<string>();

  let index = 0;
  while (index < length) {
    const lt = ltAfter(index);
    if (lt === -1) {
      push(text.slice(index));
      break;
    }
    push(text.slice(index, lt));
    index = lt + 1;
    if (text.startsWith('<!--', lt)) {
      const end = commentsClose ? text.indexOf('-->', lt + 4) : -1;
      if (end === -1) {
        commentsClose = false;
        push('<');
        continue;
      }
      index = end + 3;
      continue;
    }
    const closing = text[lt + 1] === '/';
    const nameStart = lt + (closing ? 2 : 1);
    const first = text[nameStart];
    const declaration = !closing && (first === '!' || first === '?');
    if (!declaration && !(first !== undefined && /[A-Za-z]/.test(first))) {
      push('<');
      continue;
    }
    let nameEnd = nameStart + 1;
    if (!declaration) while (nameEnd < length && /[\w:.-]/.test(text[nameEnd])) nameEnd++;
    // A tag cut off by the end of the input (`… <su`) is a truncated response, not text.
    if (!declaration && nameEnd === length) break;
    const gt = gtAfter(nameEnd);
    const innerLt = ltAfter(nameEnd);
    if (gt === -1 || (innerLt !== -1 && innerLt < gt) || (!declaration && !/[\s/>]/.test(text[nameEnd]))) {
      push('<');
      continue;
    }
    index = gt + 1;
    if (declaration) continue;
    const qualified = text.slice(nameStart, nameEnd).toLowerCase();
    const name = qualified.slice(qualified.lastIndexOf(':') + 1);
    const attributes = text.slice(nameEnd, gt);
    const selfClosing = attributes.endsWith('/');

    if (hiddenTags.has(name)) {
      if (closing || selfClosing || hiddenCloses.has(name)) continue;
      const close = new RegExp(`</(?:[A-Za-z][\\w.-]{0,30}:)?${name}\\s*>`, 'gi');
      close.lastIndex = index;
      const found = close.exec(text);
      if (found) index = found.index + found[0].length;
      else hiddenCloses.add(name);
      continue;
    }
    if (blockTags.has(name)) {
      push(' ');
      continue;
    }
    const tagStyle = tagStyles.get(name);
    // A span is tracked even without a style, so that its `</span>` closes it and not an outer one.
    if (tagStyle === undefined && name !== 'span') continue;
    if (!closing) {
      if (selfClosing) continue;
      const style = tagStyle ?? (/font-variant\s*:\s*small-caps/i.test(attributes) ? 'smallcaps' : undefined);
      const styleIndex = style === undefined ? -1 : titleStyles.indexOf(style);
      stack.push({ name, style: styleIndex });
      openCounts.set(name, (openCounts.get(name) ?? 0) + 1);
      if (styleIndex >= 0) styleCounts[styleIndex]++;
      recomputeMask();
      continue;
    }
    // A closing tag closes the innermost open element of its name, and any left open inside it.
    if ((openCounts.get(name) ?? 0) === 0) continue;
    for (;;) {
      const open = stack.pop();
      if (!open) break;
      openCounts.set(open.name, (openCounts.get(open.name) ?? 1) - 1);
      if (open.style >= 0) styleCounts[open.style]--;
      if (open.name === name) break;
    }
    recomputeMask();
  }
  return runs;
}

function isSpace(code: number): boolean {
  return (
    code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

const punctuationAfterSpace = new Set(['.', ',', ';', ':', '!', '?', ')', ']']);

/**
 * Collapses whitespace across runs (one space, none at the ends or before closing punctuation, as
 * `markupToText` does), drops control characters, and groups the characters into spans by style.
 */
function normalise(runs: readonly Run[], unbracket: boolean): TitleSpan[] {
  const chars: string[] = [];
  const masks: number[] = [];
  let pendingSpace = false;
  let spaceMask = 0;
  for (const run of runs) {
    for (let k = 0; k < run.text.length; k++) {
      const char = run.text[k];
      const code = char.charCodeAt(0);
      if (isSpace(code)) {
        if (!pendingSpace && chars.length > 0) {
          pendingSpace = true;
          spaceMask = run.mask;
        }
        continue;
      }
      if (isControl(code)) continue;
      if (pendingSpace && !punctuationAfterSpace.has(char)) {
        chars.push(' ');
        masks.push(spaceMask);
      }
      pendingSpace = false;
      chars.push(char);
      masks.push(run.mask);
    }
  }
  let start = 0;
  let end = chars.length;
  if (unbracket && end >= 2 && chars[0] === '[') {
    if (chars[end - 1] === ']') {
      start = 1;
      end -= 1;
    } else if (end >= 3 && chars[end - 1] === '.' && chars[end - 2] === ']') {
      start = 1;
      end -= 2;
    }
  }
  const spans: TitleSpan[] = [];
  let k = start;
  while (k < end) {
    const mask = masks[k];
    let j = k + 1;
    while (j < end && masks[j] === mask) j++;
    const styles = titleStyles.filter((style) => (mask & (styleBit.get(style) ?? 0)) !== 0);
    const text = chars.slice(k, j).join('');
    spans.push(styles.length > 0 ? { text, styles } : { text });
    k = j;
  }
  return spans;
}

/**
 * Reads a title with inline markup into styled text runs. Character references are decoded first (up to
 * four levels, so `&amp;lt;i&amp;gt;` is italics), then the tags are read: `i`/`em`/`italic`, `b`/`strong`/
 * `bold`, `sup`, `sub`, `sc`/`scp`/`smallcaps` and `<span style="font-variant:small-caps">`, with or
 * without a namespace prefix (`jats:italic`); MathML and other unknown elements are flattened to their
 * text; scripts, styles and MathML annotations are dropped with their content. Whitespace is collapsed.
 * @param markup The title as a service sent it (optional).
 * @param options Whether to remove the brackets of a translated title (optional).
 * @returns Non-empty spans; adjacent spans differ in style.
 */
export function parseTitleMarkup(markup: string | undefined, options: TitleMarkupOptions = {}): TitleSpan[] {
  if (!markup) return [];
  return normalise(tokenize(decodeAllEntities(markup)), options.unbracket === true);
}

/**
 * The plain text of spans: for display without formatting, search, de-duplication and plain-text references.
 * @param spans The spans.
 */
export function plainTitle(spans: readonly TitleSpan[]): string {
  return spans.map((span) => span.text).join('');
}

/**
 * Whether any span is styled.
 * @param spans The spans.
 */
export function hasTitleStyles(spans: readonly TitleSpan[]): boolean {
  return spans.some((span) => (span.styles?.length ?? 0) > 0);
}

/**
 * The `title` and `titleSpans` fields of a record from spans: `titleSpans` only when there is formatting,
 * so records of plain titles stay as they were.
 * @param spans The spans.
 */
export function titleFields(spans: readonly TitleSpan[]): { title: string; titleSpans?: readonly TitleSpan[] } {
  const title = plainTitle(spans);
  return hasTitleStyles(spans) ? { title, titleSpans: spans } : { title };
}

/**
 * Concatenates span lists, merging the spans that meet when they share their styles.
 * @param parts The lists, in order.
 */
export function concatTitleSpans(...parts: readonly (readonly TitleSpan[])[]): TitleSpan[] {
  const out: TitleSpan[] = [];
  for (const span of parts.flat()) {
    if (span.text === '') continue;
    const last = out[out.length - 1];
    if (last && styleKey(last) === styleKey(span)) out[out.length - 1] = last.styles ? { text: last.text + span.text, styles: last.styles } : { text: last.text + span.text };
    else out.push(span);
  }
  return out;
}

function styleKey(span: TitleSpan): string {
  return canonicalStyles(span).join(' ');
}

/** The span's known styles in nesting order, each once (unknown values, from untyped data, are ignored). */
function canonicalStyles(span: TitleSpan): TitleStyle[] {
  const styles = span.styles;
  return styles ? titleStyles.filter((style) => styles.includes(style)) : [];
}

/**
 * The spans of a record's title: its `titleSpans` when they spell its `title`, else the plain title.
 * @param record A record (or anything with a title and optional spans).
 */
export function titleSpansOf(record: { readonly title: string; readonly titleSpans?: readonly TitleSpan[] }): readonly TitleSpan[] {
  if (record.titleSpans && plainTitle(record.titleSpans) === record.title) return record.titleSpans;
  return record.title === '' ? [] : [{ text: record.title }];
}

/**
 * Writes spans with markup: opens and closes styles so that styles shared by neighbouring spans are
 * opened once (`\textit{x\textsuperscript{2}}`, not `\textit{x}\textit{\textsuperscript{2}}`).
 */
function renderNested(spans: readonly TitleSpan[], open: (style: TitleStyle) => string, close: (style: TitleStyle) => string, escape: (text: string) => string): string {
  const stack: TitleStyle[] = [];
  let out = '';
  for (const span of spans) {
    const styles = canonicalStyles(span);
    let shared = 0;
    while (shared < stack.length && shared < styles.length && stack[shared] === styles[shared]) shared++;
    while (stack.length > shared) out += close(stack.pop() as TitleStyle);
    for (const style of styles.slice(shared)) {
      out += open(style);
      stack.push(style);
    }
    out += escape(span.text);
  }
  while (stack.length > 0) out += close(stack.pop() as TitleStyle);
  return out;
}

const bibtexCommands: Readonly<Record<TitleStyle, string>> = {
  bold: '\\textbf{',
  italic: '\\textit{',
  smallcaps: '\\textsc{',
  sup: '\\textsuperscript{',
  sub: '\\textsubscript{',
};

// Braces as commands, not `\{`: BibTeX counts `\{` as a brace too, and one unbalanced brace ends the field.
const bibtexEscapes: ReadonlyMap<string, string> = new Map([
  ['\\', '\\textbackslash{}'],
  ['{', '\\textbraceleft{}'],
  ['}', '\\textbraceright{}'],
  ['#', '\\#'],
  ['$', '\\$'],
  ['%', '\\%'],
  ['&', '\\&'],
  ['_', '\\_'],
  ['~', '\\textasciitilde{}'],
  ['^', '\\textasciicircum{}'],
  // Braced, so that a `"…"`-delimited field does not end here.
  ['"', '{"}'],
]);

/**
 * A title as the content of a BibTeX `title` field: `\textit{…}`, `\textbf{…}`, `\textsc{…}`,
 * `\textsuperscript{…}`, `\textsubscript{…}`, and the special characters `\ { } # $ % & _ ~ ^ "` escaped,
 * so the braces are always balanced. Other characters stay as they are (UTF-8), `<` and `>` included, as
 * the rest of the entry writes them: Biowrite's BibTeX reader would read `\textless{}` as nothing.
 * @param spans The spans (see {@link titleSpansOf}).
 */
export function bibtexTitle(spans: readonly TitleSpan[]): string {
  return renderNested(
    spans,
    (style) => bibtexCommands[style],
    () => '}',
    (text) => text.replace(/[\\{}#$%&_~^"]/g, (char) => bibtexEscapes.get(char) ?? char),
  );
}

const cslOpen: Readonly<Record<TitleStyle, string>> = {
  bold: '<b>',
  italic: '<i>',
  smallcaps: '<span style="font-variant:small-caps;">',
  sup: '<sup>',
  sub: '<sub>',
};

const cslClose: Readonly<Record<TitleStyle, string>> = {
  bold: '</b>',
  italic: '</i>',
  smallcaps: '</span>',
  sup: '</sup>',
  sub: '</sub>',
};

/**
 * A title as a CSL JSON `title`, in the rich-text markup citeproc-js and pandoc's citeproc read: `<i>`,
 * `<b>`, `<sup>`, `<sub>`, `<span style="font-variant:small-caps;">`. Neither processor decodes entities
 * in CSL JSON input (`&amp;` would print as such), so `&`, `<` and `>` are written as characters; only a
 * `<` that would open one of their tags is written `&lt;`, so that text never becomes markup.
 * @param spans The spans (see {@link titleSpansOf}).
 */
export function cslTitle(spans: readonly TitleSpan[]): string {
  return renderNested(
    spans,
    (style) => cslOpen[style],
    (style) => cslClose[style],
    (text) => text.replace(/<(?=\/?(?:i|b|u|sc|sup|sub|span)(?![A-Za-z0-9]))/gi, '&lt;'),
  );
}

/**
 * The markup of an XML element's content (elements as tags without attributes, text escaped), for
 * {@link parseTitleMarkup}: PubMed XML titles hold `<i>`, `<sup>`, `<sub>` elements, and sometimes
 * markup encoded as text.
 * @param element The element, e.g. `<ArticleTitle>` (optional).
 */
export function xmlContentMarkup(element: XmlElement | undefined): string {
  if (!element) return '';
  const parts: string[] = [];
  // An explicit stack: the XML parser accepts any depth, the call stack does not.
  const pending: (XmlElement['children'][number] | { readonly close: string })[] = [...element.children].reverse();
  while (pending.length > 0) {
    const node = pending.pop() as XmlElement['children'][number] | { readonly close: string };
    if (typeof node === 'string') parts.push(node.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    else if ('close' in node) parts.push(node.close);
    else {
      parts.push(`<${node.name}>`);
      pending.push({ close: `</${node.name}>` });
      for (let k = node.children.length - 1; k >= 0; k--) pending.push(node.children[k]);
    }
  }
  return parts.join('');
}
