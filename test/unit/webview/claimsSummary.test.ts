/// <reference lib="dom" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostMessage } from '../../../src/shared/protocol';
import { claimsSummary, ClaimsView } from '../../../src/webview/views/claimsView';
import { FakeNode, installFakeDocument } from './fakeDom';

installFakeDocument();

type ClaimsMessage = Extract<HostMessage, { type: 'claims' }>;

const claim = { id: 'c1', text: 'Deep learning has transformed imaging.', score: 0.7, reason: 'background claim', range: { startLine: 1, startCharacter: 0, endLine: 1, endCharacter: 38 } };
const base: ClaimsMessage = { type: 'claims', documentUri: 'file:///m.md', documentName: 'm.md', claims: [] };

test('a checked document with a notice but no claims reads as checked, not as "not checked"', () => {
  // E.g. a broken .biowrite/ignore.json: the document itself was checked and holds no claims.
  assert.equal(claimsSummary({ ...base, checked: true, notice: 'The workspace list could not be read.' }), 'm.md: no claims without sources');
  assert.equal(claimsSummary({ ...base, notice: 'Parts of this document were not checked: …' }), 'm.md: no claims without sources');
});

test('a document that was not checked says so, and no document reads as no manuscript', () => {
  assert.equal(claimsSummary({ ...base, checked: false, notice: 'This document could not be checked.' }), 'm.md: not checked');
  assert.equal(claimsSummary({ ...base, documentUri: '', documentName: '', checked: false }), 'No manuscript');
});

test('counts read naturally', () => {
  assert.equal(claimsSummary({ ...base, claims: [claim] }), 'm.md: 1 claim without sources');
  assert.equal(claimsSummary({ ...base, claims: [claim, { ...claim, id: 'c2' }] }), 'm.md: 2 claims without sources');
});

test('text left unchecked for its language is said, and never reads as a clean document', () => {
  const notChecked = { sentences: 4, message: '4 sentences in Chinese were not checked: claims are checked in English and Korean only.' };
  assert.equal(claimsSummary({ ...base, notChecked }), 'm.md: no claims without sources in the checked text');
  assert.equal(claimsSummary({ ...base, claims: [claim], notChecked }), 'm.md: 1 claim without sources');
  const root = new FakeNode('DIV');
  const view = new ClaimsView(root as unknown as HTMLElement, { post: () => undefined, newRequestId: () => 'r1' });
  view.show({ ...base, notChecked: { ...notChecked, message: `${notChecked.message} <img src=x onerror=alert(1)>` } });
  const notes = root.findAll((node) => node.className.includes('claims-not-checked'));
  assert.equal(notes.length, 1);
  assert.match(notes[0].textContent, /4 sentences in Chinese were not checked.*<img src=x/, 'set as text, never as markup');
  assert.equal(root.findAll((node) => node.className === 'claims-empty').length, 0, 'no "No claims without sources" beside unchecked text');
});
