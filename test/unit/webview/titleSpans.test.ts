/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceResultItem, TitleSpan } from '../../../src/shared/protocol';
import { renderTitleSpans } from '../../../src/webview/views/richTitle';
import { SourcesView } from '../../../src/webview/views/sourcesView';

/** A minimal DOM without an HTML parser: `innerHTML` and `outerHTML` throw, so only nodes and text can be used. */
class FakeNode {
  children: FakeNode[] = [];
  dataset: Record<string, string> = {};
  className = '';
  type = '';
  title = '';
  private text = '';
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
  append(...nodes: FakeNode[]): void {
    this.children.push(...nodes);
  }
  replaceChildren(...nodes: FakeNode[]): void {
    this.text = '';
    this.children = nodes;
  }
  setAttribute(): void {}
  addEventListener(): void {}
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

(globalThis as unknown as { document: unknown }).document = {
  createElement: (tag: string) => new FakeNode(tag.toUpperCase()),
  createTextNode: (text: string) => {
    const node = new FakeNode('#text');
    node.textContent = text;
    return node;
  },
};

const spans: TitleSpan[] = [
  { text: 'Structure of the ' },
  { text: 'Escherichia coli', styles: ['italic'] },
  { text: ' channel bound to Ca' },
  { text: '2+', styles: ['sup'] },
  { text: ' in ' },
  { text: 'r', styles: ['bold', 'smallcaps'] },
  { text: 'H' },
  { text: '2', styles: ['sub'] },
];
const title = 'Structure of the Escherichia coli channel bound to Ca2+ in rH2';

test('renderTitleSpans: each style becomes an element, the text stays text', () => {
  const parent = new FakeNode('H4');
  renderTitleSpans(parent as unknown as HTMLElement, title, spans);
  assert.equal(parent.textContent, title);
  assert.equal(
    parent.shape(),
    '<H4>Structure of the <I>Escherichia coli</I> channel bound to Ca<SUP>2+</SUP> in <B><SPAN.small-caps>r</SPAN></B>H<SUB>2</SUB></H4>',
  );
});

test('renderTitleSpans: spans that do not spell the title, or carry unknown styles, render the plain title', () => {
  const mismatch = new FakeNode('H4');
  renderTitleSpans(mismatch as unknown as HTMLElement, 'Another title', spans);
  assert.equal(mismatch.shape(), '<H4>Another title</H4>');
  const unknown = new FakeNode('H4');
  renderTitleSpans(unknown as unknown as HTMLElement, '<img src=x onerror=alert(1)>', [{ text: '<img src=x onerror=alert(1)>', styles: ['script' as never] }]);
  assert.equal(unknown.shape(), '<H4><img src=x onerror=alert(1)></H4>');
  assert.equal(unknown.childElementCount, 0);
  const none = new FakeNode('H4');
  renderTitleSpans(none as unknown as HTMLElement, 'Plain', undefined);
  assert.equal(none.shape(), '<H4>Plain</H4>');
  const notArray = new FakeNode('H4');
  renderTitleSpans(notArray as unknown as HTMLElement, 'Plain', 'x' as unknown as TitleSpan[]);
  assert.equal(notArray.shape(), '<H4>Plain</H4>');
});

test('the sources view renders result titles with their formatting', () => {
  const root = new FakeNode('DIV');
  const view = new SourcesView(root as unknown as HTMLElement, { post: () => undefined, newRequestId: () => 'r' });
  const item: SourceResultItem = { id: 'e-0', title, titleSpans: spans, authors: [], highlightTerms: [], sources: ['europepmc'], retracted: false, score: 1 };
  view.handle({ type: 'searchStarted', requestId: 's', query: 'q', services: ['europepmc'] });
  view.handle({ type: 'searchResults', requestId: 's', source: 'europepmc', results: [item] });
  const [heading] = root.findAll((node) => node.className === 'source-title');
  assert.equal(heading.textContent, title);
  assert.deepEqual(heading.findAll((node) => node.tagName === 'I').map((node) => node.textContent), ['Escherichia coli']);
  assert.deepEqual(heading.findAll((node) => node.tagName === 'SUP').map((node) => node.textContent), ['2+']);
});
