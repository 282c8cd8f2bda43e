/**
 * A small, strict XML parser for the E-utilities responses (ESearch, ESummary, EFetch PubMed XML).
 *
 * It keeps mixed content in document order (PubMed titles and abstracts carry `<i>`, `<sup>`, `<sub>`),
 * decodes the predefined and numeric entities, skips the prolog, DOCTYPE, comments and processing
 * instructions, and throws an {@link XmlParseError} on truncated or malformed input instead of
 * returning half a tree.
 */

/** An element: its name, attributes and children (elements and text, in document order). */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}

/** A child node: an element or a run of text. */
export type XmlNode = XmlElement | string;

/** Thrown when the input is not well-formed XML (for example a response cut off mid-way). */
export class XmlParseError extends Error {
  /**
   * @param message What is wrong, with the offset where it was found.
   * @param offset Character offset in the input.
   */
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'XmlParseError';
  }
}

const namedEntities: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes `&amp;`, `&#169;`, `&#x3b1;` and the other predefined entities; unknown ones stay as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);/g, (whole, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X')) return safeCodePoint(Number.parseInt(body.slice(2), 16), whole);
    if (body.startsWith('#')) return safeCodePoint(Number.parseInt(body.slice(1), 10), whole);
    return namedEntities[body] ?? whole;
  });
}

function safeCodePoint(code: number, fallback: string): string {
  if (!Number.isFinite(code) || code < 0 || code > 0x10ffff) return fallback;
  return String.fromCodePoint(code);
}

interface MutableElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
}

const nameChar = /[A-Za-z0-9_.:-]/;

/**
 * Parses a whole XML document and returns its root element.
 * @param text The document.
 * @throws XmlParseError when the document is empty, truncated or malformed.
 */
export function parseXml(text: string): XmlElement {
  const stack: MutableElement[] = [];
  let root: MutableElement | undefined;
  let index = 0;
  const length = text.length;

  const fail = (message: string, at = index): never => {
    throw new XmlParseError(`${message} (at character ${at})`, at);
  };

  while (index < length) {
    const lt = text.indexOf('<', index);
    const textEnd = lt === -1 ? length : lt;
    if (textEnd > index) {
      const raw = text.slice(index, textEnd);
      if (stack.length > 0) stack[stack.length - 1].children.push(decodeEntities(raw));
      else if (raw.trim() !== '') fail('Text outside the root element', index);
    }
    if (lt === -1) break;
    index = lt;

    if (text.startsWith('<?', index)) {
      const end = text.indexOf('?>', index + 2);
      if (end === -1) fail('Unterminated processing instruction: the document was cut off');
      index = end + 2;
    } else if (text.startsWith('<!--', index)) {
      const end = text.indexOf('-->', index + 4);
      if (end === -1) fail('Unterminated comment: the document was cut off');
      index = end + 3;
    } else if (text.startsWith('<![CDATA[', index)) {
      const end = text.indexOf(']]>', index + 9);
      if (end === -1) fail('Unterminated CDATA section: the document was cut off');
      if (stack.length === 0) fail('CDATA outside the root element');
      stack[stack.length - 1].children.push(text.slice(index + 9, end));
      index = end + 3;
    } else if (text.startsWith('<!', index)) {
      index = skipDeclaration(text, index, fail);
    } else if (text.startsWith('</', index)) {
      const end = text.indexOf('>', index + 2);
      if (end === -1) fail('Unterminated closing tag: the document was cut off');
      const name = text.slice(index + 2, end).trim();
      const open = stack.pop();
      if (!open) fail(`Closing tag </${name}> without an opening tag`);
      else if (open.name !== name) fail(`Closing tag </${name}> does not match <${open.name}>`);
      index = end + 1;
      if (stack.length === 0 && open) root = open;
    } else {
      const parsed = parseStartTag(text, index, fail);
      if (stack.length === 0 && root) fail('A second root element');
      const element: MutableElement = { name: parsed.name, attributes: parsed.attributes, children: [] };
      if (stack.length > 0) stack[stack.length - 1].children.push(element);
      if (parsed.selfClosing) {
        if (stack.length === 0) root = element;
      } else {
        stack.push(element);
      }
      index = parsed.end;
    }
  }
  if (stack.length > 0) fail(`The document ends inside <${stack[stack.length - 1].name}>: it was cut off`, length);
  if (!root) fail(text.trim() === '' ? 'The document is empty' : 'The document ends before its root element: it was cut off', length);
  return root as XmlElement;
}

function skipDeclaration(text: string, start: number, fail: (message: string, at?: number) => never): number {
  // A DOCTYPE may hold an internal subset in brackets, whose '>' must not end it.
  let depth = 0;
  for (let i = start + 2; i < text.length; i++) {
    const char = text[i];
    if (char === '[') depth++;
    else if (char === ']') depth--;
    else if (char === '>' && depth <= 0) return i + 1;
  }
  return fail('Unterminated declaration: the document was cut off', start);
}

function parseStartTag(
  text: string,
  start: number,
  fail: (message: string, at?: number) => never,
): { name: string; attributes: Record<string, string>; selfClosing: boolean; end: number } {
  let i = start + 1;
  while (i < text.length && nameChar.test(text[i])) i++;
  const name = text.slice(start + 1, i);
  if (name === '') fail(start + 1 >= text.length ? 'The document ends after "<": it was cut off' : 'Malformed tag', start);
  const attributes: Record<string, string> = {};
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) return fail(`The document ends inside the tag <${name}>: it was cut off`, text.length);
    if (text[i] === '>') return { name, attributes, selfClosing: false, end: i + 1 };
    if (text.startsWith('/>', i)) return { name, attributes, selfClosing: true, end: i + 2 };
    if (text[i] === '/' && i + 1 >= text.length) return fail(`The document ends inside the tag <${name}>: it was cut off`, text.length);
    const attrStart = i;
    while (i < text.length && nameChar.test(text[i])) i++;
    const attrName = text.slice(attrStart, i);
    if (attrName === '') return fail(`Malformed attribute in <${name}>`, i);
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) return fail(`The document ends inside the tag <${name}>: it was cut off`, text.length);
    if (text[i] !== '=') return fail(`Attribute ${attrName} of <${name}> has no value`, i);
    i++;
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) return fail(`The document ends inside the tag <${name}>: it was cut off`, text.length);
    const quote = text[i];
    if (quote !== '"' && quote !== "'") return fail(`Attribute ${attrName} of <${name}> is not quoted`, i);
    const close = text.indexOf(quote, i + 1);
    if (close === -1) return fail(`The document ends inside an attribute of <${name}>: it was cut off`, text.length);
    attributes[attrName] = decodeEntities(text.slice(i + 1, close));
    i = close + 1;
  }
}

/** The element children of `element` named `name` (all element children when `name` is omitted). */
export function childElements(element: XmlElement | undefined, name?: string): XmlElement[] {
  if (!element) return [];
  return element.children.filter((child): child is XmlElement => typeof child !== 'string' && (name === undefined || child.name === name));
}

/** The first element child named `name`, or `undefined`. */
export function childElement(element: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!element) return undefined;
  for (const child of element.children) if (typeof child !== 'string' && child.name === name) return child;
  return undefined;
}

/** Follows a path of child names, e.g. `path(article, 'Journal', 'JournalIssue', 'Volume')`. */
export function pathElement(element: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let current = element;
  for (const name of names) current = childElement(current, name);
  return current;
}

/** Every descendant element named `name`, in document order. */
export function descendants(element: XmlElement | undefined, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (node: XmlElement): void => {
    for (const child of node.children) {
      if (typeof child === 'string') continue;
      if (child.name === name) found.push(child);
      visit(child);
    }
  };
  if (element) visit(element);
  return found;
}

/** All the text inside an element, markup dropped, whitespace collapsed (empty for `undefined`). */
export function textOf(element: XmlElement | undefined): string {
  if (!element) return '';
  const parts: string[] = [];
  const visit = (node: XmlElement): void => {
    for (const child of node.children) {
      if (typeof child === 'string') parts.push(child);
      else visit(child);
    }
  };
  visit(element);
  return parts.join('').replace(/\s+/g, ' ').trim();
}
