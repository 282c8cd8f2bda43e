/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceResultItem, WebviewMessage } from '../../../src/shared/protocol';
import { segmentSnippet, SourcesView } from '../../../src/webview/views/sourcesView';
import { FakeNode, installFakeDocument } from '../webview/fakeDom';

installFakeDocument();

const item: SourceResultItem = {
  id: 'pubmed-0',
  title: '<img src=x onerror=alert(1)> p53 in cancer',
  authors: ['Smith J', 'Jones A', 'Lee B', 'Park C'],
  journal: 'Nature',
  year: 2020,
  doi: '10.1/x',
  pmid: '123',
  snippet: 'The p53 networks halt growth; <b>bold</b> is text.',
  highlightTerms: ['p53', 'network'],
  sources: ['pubmed', 'europepmc'],
  retracted: true,
  notice: 'Retracted in 2021.',
  explanation: 'It shows p53 halts growth.',
  score: 1,
};

function setup(): { root: FakeNode; view: SourcesView; posted: WebviewMessage[] } {
  const root = new FakeNode('DIV');
  const posted: WebviewMessage[] = [];
  let n = 0;
  const view = new SourcesView(root as unknown as HTMLElement, { post: (m) => posted.push(m), newRequestId: () => `r${++n}` });
  return { root, view, posted };
}

test('segmentSnippet: query words marked at word starts, the rest plain', () => {
  assert.deepEqual(segmentSnippet('The p53 networks halt; np53 no.', ['p53', 'network']), [
    { text: 'The ', marked: false },
    { text: 'p53', marked: true },
    { text: ' ', marked: false },
    { text: 'networks', marked: true },
    { text: ' halt; np53 no.', marked: false },
  ]);
  // Regular-expression characters in terms are taken literally.
  assert.deepEqual(segmentSnippet('a (b) [c]', ['(b', 'c]', '.*']).map((s) => s.text), ['a ', '(b', ') [', 'c]']);
  assert.deepEqual(segmentSnippet('', ['x']), []);
});

test('view: empty state, per-service status, results with marks, badges, retraction and explanation', () => {
  const { root, view, posted } = setup();
  assert.match(root.textContent, /Select a sentence/);
  view.handle({ type: 'searchStarted', requestId: 's1', query: 'p53 halts growth', sentence: 'p53 halts growth', services: ['library', 'pubmed', 'crossref'] });
  assert.match(root.textContent, /Library: searching…/);
  assert.match(root.textContent, /Searching…/);
  view.handle({ type: 'searchResults', requestId: 's1', source: 'pubmed', results: [item] });
  view.handle({ type: 'searchError', requestId: 's1', source: 'crossref', message: 'Crossref answered 503. Try again later.' });
  view.handle({ type: 'searchResults', requestId: 'old', source: 'library', results: [item] });
  const text = root.textContent;
  assert.match(text, /PubMed: 1 result/);
  assert.match(text, /Crossref: Crossref answered 503/);
  assert.match(text, /Library: searching…/, 'a message of another search is ignored');
  assert.ok(text.includes('<img src=x onerror=alert(1)> p53 in cancer'), 'markup in a title stays text');
  assert.match(text, /Smith J, Jones A, Lee B, et al\. · Nature, 2020/);
  assert.match(text, /Retracted: Retracted in 2021\./);
  assert.match(text, /Why it matches \(LLM\): It shows p53 halts growth\./);
  const marks = root.findAll((n) => n.tagName === 'MARK').map((n) => n.textContent);
  assert.deepEqual(marks, ['p53', 'networks']);
  assert.deepEqual(root.findAll((n) => n.className.startsWith('badge ')).map((n) => n.textContent), ['PubMed', 'Europe PMC']);
  // Buttons post the right messages.
  const buttons = root.findAll((n) => n.tagName === 'BUTTON');
  const byText = (label: string): FakeNode => buttons.find((b) => b.textContent === label) as FakeNode;
  byText('Insert').click();
  byText('Copy APA').click();
  byText('PMID 123').click();
  byText('Stop').click();
  assert.deepEqual(posted.map((m) => m.type), ['insertCitation', 'copyReference', 'openResult', 'stop']);
  assert.deepEqual(posted[0], { type: 'insertCitation', requestId: 'r1', searchId: 's1', resultId: 'pubmed-0' });
  assert.equal((posted[1] as { style: string }).style, 'apa');
  assert.equal((posted[2] as { target: string }).target, 'pubmed');
  assert.equal((posted[3] as { targetRequestId: string }).targetRequestId, 's1');
  view.handle({ type: 'searchDone', requestId: 's1', cancelled: false });
  assert.ok(!root.findAll((n) => n.tagName === 'BUTTON').some((b) => b.textContent === 'Stop'), 'no stop button once done');
  assert.match(root.textContent, /Library: no answer/);
});

test('view: no results and stopped searches say so', () => {
  const { root, view } = setup();
  view.handle({ type: 'searchStarted', requestId: 's2', query: 'zzz', services: ['pubmed'] });
  view.handle({ type: 'searchResults', requestId: 's2', source: 'pubmed', results: [] });
  view.handle({ type: 'searchDone', requestId: 's2', cancelled: false });
  assert.match(root.textContent, /No results\. Try a shorter selection/);
  assert.match(root.textContent, /Search: zzz/);
  view.handle({ type: 'searchStarted', requestId: 's3', query: 'q', services: ['pubmed'] });
  view.handle({ type: 'searchDone', requestId: 's3', cancelled: true });
  assert.match(root.textContent, /Search stopped before any result arrived/);
  assert.match(root.textContent, /PubMed: stopped/);
});
