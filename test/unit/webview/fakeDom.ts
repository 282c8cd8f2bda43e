/// <reference lib="dom" />
/**
 * A minimal DOM for the panel's views, shared by their unit tests. It has no HTML parser: `innerHTML`
 * and `outerHTML` throw, so a view can only render untrusted text as text nodes.
 */

/** One element, text node (`tagName` `#text`) or document fragment (`#document-fragment`). */
export class FakeNode {
  children: FakeNode[] = [];
  readonly listeners = new Map<string, (() => void)[]>();
  readonly attributes = new Map<string, string>();
  dataset: Record<string, string> = {};
  className = '';
  type = '';
  title = '';
  private text = '';

  /** @param tagName Upper-case tag name, or `#text`. */
  constructor(readonly tagName: string) {}

  get textContent(): string {
    return this.tagName === '#text' ? this.text : this.text + this.children.map((c) => c.textContent).join('');
  }
  set textContent(value: string) {
    this.text = value;
    this.children = [];
  }
  set innerHTML(_value: string) {
    throw new Error('innerHTML must not be used');
  }
  set outerHTML(_value: string) {
    throw new Error('outerHTML must not be used');
  }
  get childElementCount(): number {
    return this.children.filter((c) => c.tagName !== '#text').length;
  }
  /** As in the DOM, a fragment's children move into the parent and the fragment is left empty. */
  append(...nodes: FakeNode[]): void {
    this.children.push(...FakeNode.adopt(nodes));
  }
  replaceChildren(...nodes: FakeNode[]): void {
    this.text = '';
    this.children = FakeNode.adopt(nodes);
  }
  private static adopt(nodes: FakeNode[]): FakeNode[] {
    return nodes.flatMap((node) => {
      if (node.tagName !== '#document-fragment') return [node];
      const moved = node.children;
      node.children = [];
      return moved;
    });
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  addEventListener(type: string, listener: () => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  /** Runs the click listeners, as a user's click would. */
  click(): void {
    for (const listener of this.listeners.get('click') ?? []) listener();
  }
  /** This node and its descendants that match, in document order. */
  findAll(predicate: (node: FakeNode) => boolean): FakeNode[] {
    return [...(predicate(this) ? [this] : []), ...this.children.flatMap((c) => c.findAll(predicate))];
  }
  /** The tree as tags, e.g. `<H4>a<I>b</I></H4>`, for comparing structure. */
  shape(): string {
    if (this.tagName === '#text') return this.text;
    const cls = this.className ? `.${this.className}` : '';
    return `<${this.tagName}${cls}>${this.text}${this.children.map((c) => c.shape()).join('')}</${this.tagName}>`;
  }
}

/** Makes the global `document` create {@link FakeNode}s (the views call `document.createElement`). */
export function installFakeDocument(): void {
  (globalThis as unknown as { document: unknown }).document = {
    createElement: (tag: string) => new FakeNode(tag.toUpperCase()),
    createDocumentFragment: () => new FakeNode('#document-fragment'),
    createTextNode: (text: string) => {
      const node = new FakeNode('#text');
      node.textContent = text;
      return node;
    },
  };
}
