// The panel's DraftView on a minimal fake DOM: what it shows while a draft streams and after, and what its
// buttons send to the host. The fake elements throw on innerHTML, so model output can only be rendered as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostMessage, WebviewMessage } from '../../../src/shared/protocol';

class FakeElement {
  readonly children: FakeElement[] = [];
  readonly dataset: Record<string, string> = {};
  readonly style: Record<string, string> = {};
  readonly attributes: Record<string, string> = {};
  readonly listeners: Record<string, (() => void)[]> = {};
  readonly classes = new Set<string>();
  parentElement: FakeElement | null = null;
  className = '';
  hidden = false;
  type = '';
  scrollTop = 0;
  scrollHeight = 0;
  private text = '';
  constructor(
    readonly tagName: string,
    readonly ownerDocument: FakeDocument,
  ) {}
  get textContent(): string {
    return this.text + this.children.map((child) => child.textContent).join('');
  }
  set textContent(value: string) {
    this.children.length = 0;
    this.text = value;
  }
  set innerHTML(_value: string) {
    throw new Error('innerHTML used');
  }
  get classList() {
    return { toggle: (name: string, on: boolean) => (on ? this.classes.add(name) : this.classes.delete(name)) };
  }
  setAttribute(name: string, value: string): void {
    this.attributes[name] = value;
  }
  addEventListener(type: string, listener: () => void): void {
    (this.listeners[type] ??= []).push(listener);
  }
  append(...nodes: FakeElement[]): void {
    for (const node of nodes) {
      node.parentElement = this;
      this.children.push(node);
    }
  }
  replaceChildren(...nodes: FakeElement[]): void {
    this.children.length = 0;
    this.text = '';
    this.append(...nodes);
  }
  click(): void {
    for (const listener of this.listeners.click ?? []) listener();
  }
  find(testId: string): FakeElement | undefined {
    if (this.dataset.testid === testId) return this;
    for (const child of this.children) {
      const found = child.find(testId);
      if (found) return found;
    }
    return undefined;
  }
}
class FakeButton extends FakeElement {}
class FakeDocument {
  createElement(tag: string): FakeElement {
    return tag === 'button' ? new FakeButton(tag, this) : new FakeElement(tag, this);
  }
}

async function setUp() {
  (globalThis as Record<string, unknown>).HTMLButtonElement = FakeButton;
  // A computed path keeps the root tsconfig (no DOM types) from compiling the webview file.
  const modulePath = ['..', '..', '..', 'src', 'webview', 'views', 'draftView'].join('/');
  const { DraftView } = (await import(modulePath)) as { DraftView: new (container: unknown, host: unknown) => { handle(message: HostMessage): void } };
  const document = new FakeDocument();
  const section = document.createElement('section');
  const container = document.createElement('div');
  section.append(container);
  const sent: WebviewMessage[] = [];
  let counter = 0;
  const view = new DraftView(container, { post: (message: WebviewMessage) => sent.push(message), newRequestId: () => `r${++counter}` });
  return { view, container, section, sent };
}

test('hidden until a draft starts; streams text with a live word count and a stop button', async () => {
  const { view, container, section, sent } = await setUp();
  assert.equal(section.hidden, true);
  view.handle({ type: 'draftStarted', requestId: 'd1', kind: 'abstract', title: 'Abstract: IMRaD', wordLimit: 5 });
  assert.equal(section.hidden, false);
  view.handle({ type: 'draftDelta', requestId: 'd1', text: '<b>Three</b> words ' });
  view.handle({ type: 'draftDelta', requestId: 'd1', text: 'here now more' });
  assert.equal(container.find('draft-text')?.textContent, '<b>Three</b> words here now more');
  assert.match(container.find('draft-status')?.textContent ?? '', /^7 \/ 5 words \(2 over\) · drafting…$/);
  assert.equal(container.find('draft-stop')?.hidden, false);
  assert.equal(container.find('draft-accept')?.hidden, true);
  container.find('draft-stop')?.click();
  assert.deepEqual(sent, [{ type: 'stop', requestId: 'r1', targetRequestId: 'd1' }]);
  view.handle({ type: 'draftDelta', requestId: 'other', text: 'ignored' });
  assert.doesNotMatch(container.find('draft-text')?.textContent ?? '', /ignored/);
});

test('when done: issues listed as text, summary shown, Accept and Discard send the draft id', async () => {
  const { view, container, section, sent } = await setUp();
  view.handle({ type: 'draftStarted', requestId: 'd2', kind: 'abstract', title: 'A', wordLimit: 250 });
  view.handle({
    type: 'draftDone',
    requestId: 'd2',
    text: 'Mortality fell to 11.2%.',
    wordCount: 4,
    issues: [{ kind: 'unsupportedNumber', text: '11.2', detail: 'This number does not appear in the manuscript.' }],
    tokens: 321,
    cancelled: false,
    canAccept: true,
    summary: '321 tokens used',
  });
  assert.match(container.find('draft-issues')?.textContent ?? '', /Number not in the manuscript: 11\.2This number does not appear/);
  assert.equal(container.find('draft-summary')?.textContent, '321 tokens used');
  assert.equal(container.find('draft-status')?.textContent, '4 / 250 words');
  assert.equal(container.find('draft-stop')?.hidden, true);
  container.find('draft-accept')?.click();
  assert.deepEqual(sent.at(-1), { type: 'acceptDraft', requestId: 'r1', draftId: 'd2' });
  assert.equal(container.find('draft-accept')?.hidden, true);
  container.find('draft-discard')?.click();
  assert.deepEqual(sent.at(-1), { type: 'discardDraft', requestId: 'r2', draftId: 'd2' });
  assert.equal(section.hidden, true);
});

test('a stopped draft cannot be accepted; a translation preview is replaced as chunks finish; errors are shown', async () => {
  const { view, container } = await setUp();
  view.handle({ type: 'draftStarted', requestId: 'd3', kind: 'abstract', title: 'A', wordLimit: 250 });
  view.handle({ type: 'draftDone', requestId: 'd3', text: 'Partial', wordCount: 1, issues: [], cancelled: true, canAccept: false });
  assert.equal(container.find('draft-accept')?.hidden, true);
  assert.match(container.find('draft-status')?.textContent ?? '', /Stopped; nothing will be applied\./);

  view.handle({ type: 'draftStarted', requestId: 't1', kind: 'translation', title: 'Translation' });
  view.handle({ type: 'draftDelta', requestId: 't1', text: 'Le ⟦0⟧' });
  view.handle({ type: 'draftDelta', requestId: 't1', text: 'Le texte [@a].', replace: true });
  assert.equal(container.find('draft-text')?.textContent, 'Le texte [@a].');
  assert.equal(container.find('draft-status')?.textContent, 'translating…');
  view.handle({ type: 'draftError', requestId: 't1', message: 'The endpoint refused the key (401).' });
  assert.equal(container.find('draft-status')?.textContent, 'Failed: The endpoint refused the key (401). Nothing was changed.');
  assert.equal(container.find('draft-accept')?.hidden, true);
});
