/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReferenceItem, WebviewMessage } from '../../../src/shared/protocol';
import { defaultFilter, matchesFilter, referencesSummary, ReferencesView, statusBreakdown, type ReferencesMessage } from '../../../src/webview/views/referencesView';
import { FakeNode, installFakeDocument } from './fakeDom';

installFakeDocument();

const hostile = '<img src=x onerror=alert(1)>';

const verified: ReferenceItem = {
  key: 'smith2020',
  statuses: ['verified'],
  message: 'Matches PubMed 123.',
  fields: [],
  cited: { title: 'p53 in cancer', authors: ['Smith J'], year: 2020 },
  resolved: { title: 'p53 in cancer', authors: ['Smith J'], year: 2020, journal: 'Nature', doi: '10.1/p53', pmid: '123' },
  hasEntry: true,
  citationCount: 2,
};
const mismatch: ReferenceItem = {
  key: 'lee2019',
  statuses: ['metadata-mismatch', 'retracted'],
  message: `The year differs; the paper was retracted. ${hostile}`,
  fields: ['year', 'title'],
  cited: { title: `${hostile} Cited title`, authors: ['Lee B', 'Park C', 'Kim D', 'Cho E'], year: 2018 },
  resolved: { title: `Resolved ${hostile}`, authors: ['Lee B'], year: 2019, journal: 'Cell', doi: '10.2/lee', pmid: '456', pmcid: 'PMC9' },
  hasEntry: true,
  citationCount: 1,
};
const missing: ReferenceItem = {
  key: 'ghost2021',
  statuses: ['undefined'],
  message: 'Cited but not in the bibliography.',
  fields: [],
  cited: { title: '', authors: [] },
  hasEntry: false,
  citationCount: 3,
};
const unused: ReferenceItem = {
  key: 'orphan',
  statuses: ['unused', 'unverifiable'],
  message: 'Never cited.',
  fields: [],
  cited: { title: 'An orphan', authors: [] },
  hasEntry: true,
  citationCount: 0,
};
const unverifiable: ReferenceItem = { key: 'book1', statuses: ['unverifiable'], message: 'A book: no identifier.', fields: [], cited: { title: 'A book', authors: ['Doe J'] }, hasEntry: true, citationCount: 1 };
const preprint: ReferenceItem = {
  key: 'arxiv1',
  statuses: ['preprint-published'],
  message: 'Published since.',
  fields: [],
  cited: { title: 'Preprint', authors: [] },
  resolved: { title: 'Preprint', authors: [] },
  publishedDoi: '10.3/published',
  hasEntry: true,
  citationCount: 1,
};

function message(overrides: Partial<ReferencesMessage> = {}): ReferencesMessage {
  return { type: 'references', requestId: 'audit-1', documentUri: 'file:///paper.md', documentName: 'paper.md', state: 'done', online: true, items: [verified, mismatch, missing, unused, unverifiable, preprint], ...overrides };
}

function setup(): { root: FakeNode; view: ReferencesView; posted: WebviewMessage[] } {
  const root = new FakeNode('DIV');
  const posted: WebviewMessage[] = [];
  let n = 0;
  const view = new ReferencesView(root as unknown as HTMLElement, { post: (m) => posted.push(m), newRequestId: () => `r${++n}` });
  return { root, view, posted };
}

const byTestId = (root: FakeNode, id: string): FakeNode[] => root.findAll((node) => node.dataset.testid === id);
const one = (root: FakeNode, id: string): FakeNode => {
  const [node, ...rest] = byTestId(root, id);
  assert.ok(node, `has ${id}`);
  assert.equal(rest.length, 0, `one ${id}`);
  return node;
};
const isHidden = (node: FakeNode): boolean => (node as unknown as { hidden?: boolean }).hidden === true;
const items = (root: FakeNode): FakeNode[] => byTestId(root, 'references-item');
const visibleKeys = (root: FakeNode): string[] => items(root).filter((node) => !isHidden(node)).map((node) => node.dataset.key);
const item = (root: FakeNode, key: string): FakeNode => items(root).find((node) => node.dataset.key === key) as FakeNode;
const filterOption = (root: FakeNode, filter: string): FakeNode => byTestId(root, 'references-filter-option').find((node) => node.dataset.filter === filter) as FakeNode;

test('before any audit: an introduction and “Check references”, which runs the command', () => {
  const { root, posted } = setup();
  assert.match(root.textContent, /Check the manuscript’s bibliography/);
  assert.equal(items(root).length, 0);
  const run = one(root, 'references-run');
  assert.equal(isHidden(run), false);
  assert.equal(isHidden(one(root, 'references-stop')), true);
  run.click();
  assert.deepEqual(posted, [{ type: 'runCommand', requestId: 'r1', command: 'auditReferences' }]);
});

test('renders each item with its key, one badge per status, its message and the cited and resolved records', () => {
  const { root, view } = setup();
  view.show(message());
  assert.equal(items(root).length, 6);
  assert.match(one(root, 'references-header').textContent, /paper\.md/);
  assert.equal(one(root, 'references-summary').textContent, '4 to fix · 1 verified · 1 unverifiable');
  assert.match(root.textContent, /Not in the bibliography: 1/);

  const lee = item(root, 'lee2019');
  const badges = byTestId(lee, 'references-status');
  assert.deepEqual(badges.map((b) => b.dataset.status), ['metadata-mismatch', 'retracted']);
  assert.deepEqual(badges.map((b) => b.textContent), ['Metadata mismatch', 'Retracted']);
  assert.ok(badges[0].className.split(' ').includes('status-metadata-mismatch'));
  assert.ok(badges[1].className.split(' ').includes('status-retracted'));
  assert.ok(lee.className.includes('severity-error'), 'the worst status marks the item');
  assert.match(lee.textContent, /The year differs/);
  assert.match(lee.textContent, /Lee B, Park C, Kim D, et al\./);
  const cited = lee.findAll((node) => node.className.includes('references-cited'))[0];
  const resolved = lee.findAll((node) => node.className.includes('references-resolved'))[0];
  assert.ok(cited && resolved, 'the entry and the record side by side');
  assert.ok(lee.findAll((node) => node.className.startsWith('references-compare'))[0].className.includes('side-by-side'));
  assert.match(resolved.textContent, /Cell/);
  assert.match(resolved.textContent, /10\.2\/lee/);
  assert.match(resolved.textContent, /456/);
  assert.match(resolved.textContent, /PMC9/);
  const differing = (record: FakeNode): string[] => record.findAll((node) => node.dataset.differs === 'true').map((node) => node.dataset.field);
  assert.deepEqual(differing(cited), ['title', 'year']);
  assert.deepEqual(differing(resolved), ['title', 'year']);
  assert.deepEqual(differing(item(root, 'smith2020').findAll((node) => node.className.includes('references-resolved'))[0]), []);

  // No entry and no record: no empty blocks.
  assert.equal(item(root, 'ghost2021').findAll((node) => node.className.includes('references-record')).length, 0);
  assert.equal(byTestId(item(root, 'ghost2021'), 'references-status')[0].textContent, 'Not in the bibliography');
  assert.match(one(item(root, 'arxiv1'), 'references-published').textContent, /Published version: doi:10\.3\/published/);
});

test('the default filter is “To fix” when there are findings: verified and merely unverifiable entries are hidden', () => {
  const { root, view } = setup();
  view.show(message());
  assert.equal(view.activeFilter, 'fix');
  assert.deepEqual(visibleKeys(root), ['lee2019', 'ghost2021', 'orphan', 'arxiv1']);
  assert.equal(filterOption(root, 'fix').attributes.get('aria-pressed'), 'true');
  assert.equal(filterOption(root, 'fix').textContent, 'To fix (4)');
  assert.equal(filterOption(root, 'all').textContent, 'All (6)');
  assert.equal(filterOption(root, 'notices').textContent, 'Retracted & notices (1)');
  assert.equal(filterOption(root, 'verified').textContent, 'Verified (1)');
  assert.equal(isHidden(one(root, 'references-filter')), false);
});

test('the filter shows all, or one group, without rebuilding the items', () => {
  const { root, view } = setup();
  view.show(message());
  const before = items(root);
  filterOption(root, 'all').click();
  assert.deepEqual(visibleKeys(root), ['smith2020', 'lee2019', 'ghost2021', 'orphan', 'book1', 'arxiv1']);
  assert.equal(filterOption(root, 'all').attributes.get('aria-pressed'), 'true');
  assert.equal(filterOption(root, 'fix').attributes.get('aria-pressed'), 'false');
  filterOption(root, 'verified').click();
  assert.deepEqual(visibleKeys(root), ['smith2020']);
  filterOption(root, 'unverifiable').click();
  assert.deepEqual(visibleKeys(root), ['orphan', 'book1']);
  filterOption(root, 'notices').click();
  assert.deepEqual(visibleKeys(root), ['lee2019']);
  const after = items(root);
  assert.ok(before.every((node, index) => node === after[index]), 'the same nodes, only hidden or shown');

  // The choice holds for later messages of the same document, and resets for another document.
  view.show(message({ requestId: 'audit-2' }));
  assert.equal(view.activeFilter, 'notices');
  view.show(message({ requestId: 'audit-3', documentUri: 'file:///other.md', documentName: 'other.md' }));
  assert.equal(view.activeFilter, 'fix');
});

test('nothing to fix: the list opens on All; an empty filter is disabled unless active', () => {
  const { root, view } = setup();
  view.show(message({ items: [verified, unverifiable] }));
  assert.equal(view.activeFilter, 'all');
  assert.deepEqual(visibleKeys(root), ['smith2020', 'book1']);
  assert.equal(one(root, 'references-summary').textContent, 'nothing to fix · 1 verified · 1 unverifiable');
  assert.equal((filterOption(root, 'fix') as unknown as { disabled?: boolean }).disabled, true);
  assert.equal((filterOption(root, 'all') as unknown as { disabled?: boolean }).disabled, false);
  view.show(message({ items: [] }));
  assert.equal(isHidden(one(root, 'references-filter')), true);
  assert.match(one(root, 'references-no-match').textContent, /No citations or bibliography entries/);
});

test('hostile titles, messages and keys appear as text, never as elements', () => {
  const { root, view } = setup();
  const key = `${hostile}"><script>alert(1)</script>`;
  view.show(message({ documentName: hostile, notice: hostile, items: [{ ...mismatch, key }] }));
  const text = root.textContent;
  assert.ok(text.includes(`${hostile} Cited title`));
  assert.ok(text.includes(`Resolved ${hostile}`));
  assert.ok(text.includes(`The year differs; the paper was retracted. ${hostile}`));
  assert.equal(item(root, key).dataset.key, key);
  assert.equal(root.findAll((node) => node.tagName === 'IMG' || node.tagName === 'SCRIPT').length, 0);
  assert.equal(one(root, 'references-notice').textContent, hostile);
});

test('statuses outside the protocol get no badge and no class of their own', () => {
  const { root, view } = setup();
  view.show(message({ items: [{ ...verified, statuses: ['verified', 'x onclick=alert(1)' as never] }] }));
  const badges = byTestId(root, 'references-status');
  assert.deepEqual(badges.map((b) => b.dataset.status), ['verified']);
  assert.equal(root.findAll((node) => node.className.includes('onclick')).length, 0);
});

test('while running: “Checked 40 of 300…” and Stop, which posts the audit’s request id once', () => {
  const { root, view, posted } = setup();
  view.show(message({ requestId: 'audit-7', state: 'running', done: 40, total: 300, items: [] }));
  assert.equal(one(root, 'references-progress').textContent, 'Checked 40 of 300…');
  assert.equal(isHidden(one(root, 'references-run')), true);
  const stop = one(root, 'references-stop');
  assert.equal(isHidden(stop), false);
  stop.click();
  assert.deepEqual(posted, [{ type: 'stop', requestId: 'r1', targetRequestId: 'audit-7' }]);
  assert.equal(one(root, 'references-progress').textContent, 'Stopping…');
  stop.click();
  view.show(message({ requestId: 'audit-7', state: 'running', done: 41, total: 300, items: [] }));
  stop.click();
  assert.equal(posted.length, 1, 'one stop per audit');

  view.show(message({ requestId: 'audit-7', state: 'cancelled', items: [verified] }));
  assert.equal(isHidden(one(root, 'references-stop')), true);
  assert.equal(isHidden(one(root, 'references-run')), false);
  assert.match(one(root, 'references-progress').textContent, /stopped/);

  // A new audit can be stopped again; without a total the progress says only that it is checking.
  view.show(message({ requestId: 'audit-8', state: 'running', done: 0, total: 0, items: [verified] }));
  assert.equal(one(root, 'references-progress').textContent, 'Checking…');
  assert.match(root.textContent, /Showing the results of the last check/);
  one(root, 'references-stop').click();
  assert.deepEqual(posted[1], { type: 'stop', requestId: 'r2', targetRequestId: 'audit-8' });

  view.show(message({ requestId: 'audit-8', state: 'done', items: [verified] }));
  assert.equal(isHidden(one(root, 'references-progress')), true);
  assert.equal(isHidden(one(root, 'references-run')), false);
});

test('progress messages that repeat the shown items do not rebuild the list', () => {
  const { root, view } = setup();
  view.show(message({ state: 'running', done: 1, total: 6 }));
  const before = items(root);
  view.show(message({ state: 'running', done: 2, total: 6 }));
  assert.ok(items(root).every((node, index) => node === before[index]));
  view.show(message({ state: 'done', items: [verified] }));
  assert.deepEqual(items(root).map((node) => node.dataset.key), ['smith2020']);
});

test('reveal buttons post revealReference with the key and target, and are absent when not applicable', () => {
  const { root, view, posted } = setup();
  view.show(message());
  filterOption(root, 'all').click();
  const lee = item(root, 'lee2019');
  one(lee, 'references-reveal-entry').click();
  one(lee, 'references-reveal-citation').click();
  assert.deepEqual(posted, [
    { type: 'revealReference', requestId: 'r1', documentUri: 'file:///paper.md', key: 'lee2019', target: 'entry' },
    { type: 'revealReference', requestId: 'r2', documentUri: 'file:///paper.md', key: 'lee2019', target: 'citation' },
  ]);
  // An undefined key has no entry; an unused one has no citation.
  assert.equal(byTestId(item(root, 'ghost2021'), 'references-reveal-entry').length, 0);
  assert.equal(byTestId(item(root, 'ghost2021'), 'references-reveal-citation').length, 1);
  assert.equal(byTestId(item(root, 'orphan'), 'references-reveal-citation').length, 0);
  assert.equal(byTestId(item(root, 'orphan'), 'references-reveal-entry').length, 1);
  assert.match(item(root, 'orphan').textContent, /Not cited/);
  assert.match(item(root, 'ghost2021').textContent, /Cited 3 times/);
});

test('offline: says that only the keys were checked and how to check online', () => {
  const { root, view } = setup();
  view.show(message());
  assert.equal(isHidden(one(root, 'references-offline')), true);
  view.show(message({ online: false, items: [missing, unused] }));
  const offline = one(root, 'references-offline');
  assert.equal(isHidden(offline), false);
  assert.match(offline.textContent, /only undefined, unused and duplicate keys were checked/);
  assert.match(offline.textContent, /biowrite\.references\.online/);
});

test('an error shows the notice (or a fallback) as an alert; other notices as status', () => {
  const { root, view } = setup();
  view.show(message({ state: 'error', items: [], notice: 'The bibliography file could not be read.' }));
  const notice = one(root, 'references-notice');
  assert.equal(notice.textContent, 'The bibliography file could not be read.');
  assert.ok(notice.className.includes('notice-error'));
  assert.equal(notice.attributes.get('role'), 'alert');
  view.show(message({ state: 'error', items: [] }));
  assert.match(one(root, 'references-notice').textContent, /The check failed/);
  view.show(message({ notice: 'Crossref did not answer; 3 entries were not checked.' }));
  assert.equal(one(root, 'references-notice').attributes.get('role'), 'status');
  assert.ok(one(root, 'references-notice').className.includes('notice-warning'));
  view.show(message());
  assert.equal(isHidden(one(root, 'references-notice')), true);
});

test('600 items render, and the filter handles them', () => {
  const { root, view } = setup();
  const many: ReferenceItem[] = Array.from({ length: 600 }, (_, index) => ({
    ...(index % 3 === 0 ? mismatch : verified),
    key: `ref${index}`,
  }));
  const started = performance.now();
  view.show(message({ items: many }));
  filterOption(root, 'all').click();
  const elapsed = performance.now() - started;
  assert.equal(items(root).length, 600);
  assert.equal(visibleKeys(root).length, 600);
  filterOption(root, 'fix').click();
  assert.equal(visibleKeys(root).length, 200);
  assert.equal(one(root, 'references-summary').textContent, '200 to fix · 400 verified');
  assert.ok(elapsed < 2000, `rendered in ${Math.round(elapsed)} ms`);
});

test('pure helpers: filters, default and summaries', () => {
  assert.equal(matchesFilter(unused, 'fix'), true, 'unverifiable plus another finding still needs fixing');
  assert.equal(matchesFilter(unused, 'unverifiable'), true);
  assert.equal(matchesFilter(unverifiable, 'fix'), false);
  assert.equal(matchesFilter(verified, 'fix'), false);
  assert.equal(matchesFilter({ ...verified, statuses: ['concern'] }, 'notices'), true);
  assert.equal(matchesFilter({ ...verified, statuses: ['corrected'] }, 'notices'), true);
  assert.equal(matchesFilter(preprint, 'notices'), false);
  assert.equal(defaultFilter([verified, unverifiable]), 'all');
  assert.equal(defaultFilter([verified, missing]), 'fix');
  assert.equal(referencesSummary([]), 'No references');
  assert.equal(statusBreakdown([mismatch, { ...missing, key: 'a' }, { ...missing, key: 'b' }, verified]), 'Not in the bibliography: 2 · Metadata mismatch: 1 · Retracted: 1');
  assert.equal(statusBreakdown([verified, unverifiable]), '');
});
