import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findNumbers, findUnsupportedNumbers, normaliseNumber } from '../../../src/core/writing/numbers';

test('normalises leading zeros, thousands separators, unicode minus and middle dots', () => {
  assert.equal(normaliseNumber('.05'), '0.05');
  assert.equal(normaliseNumber('0.050'), '0.05');
  assert.equal(normaliseNumber('1,200'), '1200');
  assert.equal(normaliseNumber('−0.3'), '-0.3');
  assert.equal(normaliseNumber('0·05'), '0.05');
  assert.equal(normaliseNumber('12.0'), '12');
  assert.equal(normaliseNumber('abc'), undefined);
});

test('a range gives two numbers, not a negative one; citations, DOIs and URLs are skipped', () => {
  const values = findNumbers('HR 0.62 (95% CI 0.48–0.80; p < .001) in 1,204 patients [@doi:10.1038/nature14539] https://x.org/2019').map((mention) => mention.value);
  assert.deepEqual(values, ['0.62', '95', '0.48', '0.8', '0.001', '1204']);
});

test('matches formats across draft and manuscript', () => {
  const manuscript = 'Mortality was 12.4% vs 17.9% (HR 0.68, 95% CI 0.52-0.89; p = 0.004) among 1200 patients; effect −0.3.';
  const draft = 'Mortality fell from 17.9 % to 12.4 % (hazard ratio 0.68, 95% CI 0.52 – 0.89, P=.004; n = 1,200); effect -0.3.';
  assert.deepEqual(findUnsupportedNumbers(draft, manuscript), []);
});

test('flags numbers the manuscript does not contain', () => {
  const manuscript = 'We enrolled 120 patients; response was 45% (p = 0.03).';
  const draft = 'We enrolled 150 patients; response was 45% (p = 0.01, OR 2.3, 95% CI 1.2–3.4).';
  assert.deepEqual(findUnsupportedNumbers(draft, manuscript).map((mention) => mention.text), ['150', '0.01', '2.3', '95', '1.2', '3.4']);
});
