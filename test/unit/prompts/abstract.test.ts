import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAbstractMessages, buildCondenseMessages, buildGroundingMessages, buildRepairMessages, groundingSchemaDescription } from '../../../src/core/llm/prompts/abstract';
import { findAbstractStructure } from '../../../src/core/writing/abstractStructures';

const imrad = findAbstractStructure('imrad')!;
const consort = findAbstractStructure('consort')!;

test('the drafting prompt is pure and carries structure, limit, language and the manuscript', () => {
  const input = { source: 'We randomised 120 patients.', condensed: false, structure: imrad, wordLimit: 250, language: 'fr' };
  assert.deepEqual(buildAbstractMessages(input), buildAbstractMessages({ ...input }));
  const [system, user] = buildAbstractMessages(input);
  assert.match(system.content, /French/);
  assert.match(system.content, /within 250 words/);
  assert.match(system.content, /never compute, round or invent/);
  assert.match(user.content, /\*\*Background:\*\*/);
  assert.match(user.content, /Background; Methods; Results; Conclusions/);
  assert.match(user.content, /We randomised 120 patients\./);
  assert.match(user.content, /^Write one paragraph per heading/);
});

test('unstructured asks for one paragraph; condensed notes are named as such; checklists are listed', () => {
  const unstructured = buildAbstractMessages({ source: 'x', condensed: true, structure: findAbstractStructure('unstructured')!, wordLimit: 150, language: 'en' });
  assert.match(unstructured[1].content, /one paragraph without headings/);
  assert.match(unstructured[1].content, /Notes condensed from the manuscript/);
  const trial = buildAbstractMessages({ source: 'x', condensed: false, structure: consort, wordLimit: 300, language: 'en' });
  assert.match(trial[1].content, /Trial registration: Registration number and name of trial register/);
});

test('the condensing prompt asks for notes of a size and keeps numbers', () => {
  const [system, user] = buildCondenseMessages({ heading: 'Results', text: 'HR 0.62', targetWords: 120 });
  assert.match(system.content, /Copy every number/);
  assert.match(user.content, /at most 120 words/);
  assert.match(user.content, /Section: Results/);
});

test('the grounding prompt numbers the sentences, describes the JSON shape and the checklist ids', () => {
  const [system, user] = buildGroundingMessages({ source: 'M', sentences: ['One.', 'Two.'], checklist: consort.checklist });
  assert.ok(system.content.includes(groundingSchemaDescription));
  assert.match(user.content, /1\. One\.\n2\. Two\./);
  assert.match(user.content, /trialRegistration: /);
  const none = buildGroundingMessages({ source: 'M', sentences: ['One.'] });
  assert.match(none[1].content, /"missingItems": \[\]/);
});

test('the repair prompt replays the request, the bad answer and the validation error', () => {
  const messages = buildGroundingMessages({ source: 'M', sentences: ['One.'] });
  const repair = buildRepairMessages(messages, '{"unsupported": 3}', '"unsupported" must be an array', groundingSchemaDescription);
  assert.equal(repair.length, messages.length + 2);
  assert.equal(repair[messages.length].role, 'assistant');
  assert.match(repair[repair.length - 1].content, /"unsupported" must be an array/);
});
