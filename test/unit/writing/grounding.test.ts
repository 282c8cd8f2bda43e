import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkGrounding, heuristicMissingItems, lexicalUnsupported, validateGroundingAnswer } from '../../../src/core/writing/grounding';
import { consortAbstractItems } from '../../../src/core/writing/abstractStructures';
import { parseJsonAnswer } from '../../../src/core/writing/structured';
import { ScriptedClient } from './fakeLlm';

const manuscript = readFileSync('test/fixtures/writing/trialManuscript.md', 'utf8');
const signal = new AbortController().signal;

test('the validator accepts the documented shape and rejects everything else with a reason', () => {
  assert.deepEqual(validateGroundingAnswer({ unsupported: [{ sentence: 2, reason: 'r' }], missingItems: ['harms'] }, 3, ['harms']), {
    ok: true,
    value: { unsupported: [{ sentence: 2, reason: 'r' }], missingItems: ['harms'] },
  });
  const bad: [unknown, RegExp][] = [
    [[], /JSON object/],
    [{ unsupported: 'x' }, /must be an array/],
    [{ unsupported: [{ sentence: 9, reason: 'r' }] }, /from 1 to 3/],
    [{ unsupported: [{ sentence: 1 }] }, /reason must be a string/],
    [{ unsupported: [], missingItems: ['nope'] }, /not one of: harms/],
  ];
  for (const [value, pattern] of bad) {
    const result = validateGroundingAnswer(value, 3, ['harms']);
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.error, pattern);
  }
});

test('JSON is found inside fences or prose', () => {
  assert.deepEqual(parseJsonAnswer('```json\n{"a": 1}\n```'), { ok: true, value: { a: 1 } });
  assert.deepEqual(parseJsonAnswer('Sure! {"a": 1} Hope this helps.'), { ok: true, value: { a: 1 } });
  assert.equal(parseJsonAnswer('no json').ok, false);
});

test('lexical fallback flags a sentence whose content words are not in the manuscript', () => {
  const flagged = lexicalUnsupported(['Mortality at 28 days was lower with dexamethasone than placebo.', 'Quantum entanglement therapy cured migraine in astronauts.'], manuscript);
  assert.deepEqual(flagged.map((entry) => entry.index), [1]);
});

test('checklist cue words find what a draft misses', () => {
  const missing = heuristicMissingItems('In this randomised, double-blind trial, mortality fell (HR 0.68, 95% CI 0.52–0.89).', consortAbstractItems).map((item) => item.id);
  assert.ok(missing.includes('trialRegistration'));
  assert.ok(missing.includes('funding'));
  assert.ok(!missing.includes('blinding'));
});

test('a valid LLM answer gives statement and checklist issues; the number check runs locally', async () => {
  const client = new ScriptedClient(['{"unsupported": [{"sentence": 2, "reason": "not in the manuscript"}], "missingItems": ["funding"]}']);
  const draft = 'Mortality was 12.4% vs 17.9%. Patients preferred the taste of dexamethasone (p = 0.02).';
  const report = await checkGrounding({ client, draft, manuscript, evidence: manuscript, checklist: consortAbstractItems, wordLimit: 10, wordCount: 14, signal });
  assert.equal(report.method, 'llm');
  assert.deepEqual(
    report.issues.map((issue) => `${issue.kind}:${issue.text}`),
    ['unsupportedNumber:0.02', 'wordLimit:14 / 10', 'unsupportedStatement:Patients preferred the taste of dexamethasone (p = 0.02).', 'missingChecklistItem:Funding'],
  );
  assert.equal(client.requests[0].json, true);
});

test('an invalid answer is repaired once with the validation error', async () => {
  const client = new ScriptedClient(['{"unsupported": "none"}', '{"unsupported": [], "missingItems": []}']);
  const report = await checkGrounding({ client, draft: 'Mortality was 12.4%.', manuscript, evidence: manuscript, wordLimit: 250, wordCount: 3, signal });
  assert.equal(report.method, 'llm');
  assert.equal(client.requests.length, 2);
  assert.match(client.requests[1].messages[client.requests[1].messages.length - 1].content, /"unsupported" must be an array/);
});

test('two invalid answers fall back to the lexical and cue-word checks, saying why', async () => {
  const client = new ScriptedClient(['not json at all', '{"unsupported": [{"sentence": 0}]}']);
  const draft = 'Mortality at 28 days was lower with dexamethasone. Quantum entanglement therapy cured migraine in astronauts.';
  const report = await checkGrounding({ client, draft, manuscript, evidence: manuscript, checklist: consortAbstractItems, wordLimit: 250, wordCount: 15, signal });
  assert.equal(report.method, 'lexical');
  assert.match(report.fallbackReason ?? '', /not valid JSON after a repair/);
  assert.ok(report.issues.some((issue) => issue.kind === 'unsupportedStatement' && issue.text.startsWith('Quantum')));
  assert.ok(report.issues.some((issue) => issue.kind === 'missingChecklistItem' && issue.text === 'Trial registration'));
});
