import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addToIgnoreList, ignoredSentenceSet, normalizeSentence, parseIgnoreList } from '../../../src/core/claims/ignore';

test('the workspace list parses, rejects bad shapes with a next step, and adds without duplicates', () => {
  assert.deepEqual(parseIgnoreList('{"version":1,"sentences":["A."]}').sentences, ['A.']);
  assert.deepEqual(parseIgnoreList('["B."]').sentences, ['B.']);
  assert.throws(() => parseIgnoreList('{nope'), /not valid JSON.*Fix it or delete it/);
  assert.throws(() => parseIgnoreList('{"sentences":[1]}'), /must be/);
  const once = addToIgnoreList(undefined, 'A  claim.');
  assert.deepEqual(JSON.parse(once), { version: 1, sentences: ['A claim.'] });
  assert.equal(addToIgnoreList(parseIgnoreList(once), 'a claim.'), once);
  assert.ok(ignoredSentenceSet(parseIgnoreList(once)).has(normalizeSentence('A “claim.”'.replace(/[“”]/g, ''))));
  assert.equal(normalizeSentence('  It’s  “Quoted”. '), 'it\'s "quoted".');
});
