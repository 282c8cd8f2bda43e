/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceResultItem, TitleSpan } from '../../../src/shared/protocol';
import { renderTitleSpans } from '../../../src/webview/views/richTitle';
import { SourcesView } from '../../../src/webview/views/sourcesView';
import { FakeNode, installFakeDocument } from './fakeDom';

installFakeDocument();

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
