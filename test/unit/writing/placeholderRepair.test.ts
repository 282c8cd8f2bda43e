import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPlaceholders } from '../../../src/core/writing/placeholderRepair';

const originals = ['[@doi:10.1/a]', '$x^2$', '@fig:one'];
const source = 'Deep learning ⟦0⟧ uses ⟦1⟧ as in ⟦2⟧.';

function ok(output: string, expected: string, from = source, spans = originals): string[] {
  const result = checkPlaceholders(from, output, spans, 'markdown');
  assert.ok(result.ok, result.ok ? '' : result.problems.join(' '));
  assert.equal(result.text, expected);
  return [...result.repairs];
}

function fails(output: string, pattern: RegExp, from = source, spans = originals): void {
  const result = checkPlaceholders(from, output, spans, 'markdown');
  assert.equal(result.ok, false);
  if (!result.ok) assert.ok(result.problems.some((problem) => pattern.test(problem)), result.problems.join(' | '));
}

test('a faithful answer passes untouched', () => {
  assert.deepEqual(ok('Apprentissage ⟦0⟧ utilise ⟦1⟧ comme ⟦2⟧.', 'Apprentissage ⟦0⟧ utilise ⟦1⟧ comme ⟦2⟧.'), []);
});

test('placeholders may move (word order changes in translation)', () => {
  ok('Comme ⟦2⟧, ⟦1⟧ sert ⟦0⟧.', 'Comme ⟦2⟧, ⟦1⟧ sert ⟦0⟧.');
});

test('variant spellings are normalised: [[1]], ⟦ 1 ⟧, 〚1〛', () => {
  const repairs = ok('A ⟦ 0 ⟧ B [[1]] C 〚2〛.', 'A ⟦0⟧ B ⟦1⟧ C ⟦2⟧.');
  assert.equal(repairs.length, 3);
});

test('a placeholder the model wrote out as its original text is put back', () => {
  ok('A ⟦0⟧ B $x^2$ C ⟦2⟧.', 'A ⟦0⟧ B ⟦1⟧ C ⟦2⟧.');
});

test('an adjacent duplicate collapses', () => {
  ok('A ⟦0⟧⟦0⟧ B ⟦1⟧ C ⟦2⟧.', 'A ⟦0⟧ B ⟦1⟧ C ⟦2⟧.');
});

test('one wrong number standing for the one missing placeholder is renumbered', () => {
  ok('A ⟦0⟧ B ⟦7⟧ C ⟦2⟧.', 'A ⟦0⟧ B ⟦1⟧ C ⟦2⟧.');
});

test('a dropped placeholder at the end (before the full stop) is re-inserted by position', () => {
  ok('Apprentissage ⟦0⟧ utilise ⟦1⟧ comme.', 'Apprentissage ⟦0⟧ utilise ⟦1⟧ comme ⟦2⟧.');
});

test('a dropped placeholder next to another is re-inserted with the same separator', () => {
  const from = 'Shown before ⟦0⟧; ⟦1⟧ and later text here ⟦2⟧ too.';
  ok('Montré avant ⟦0⟧ et plus tard ⟦2⟧ aussi.', 'Montré avant ⟦0⟧; ⟦1⟧ et plus tard ⟦2⟧ aussi.', from);
});

test('a dropped placeholder at the start is re-inserted at the start', () => {
  ok('texte traduit ⟦1⟧ et ⟦2⟧.', '⟦0⟧ texte traduit ⟦1⟧ et ⟦2⟧.', '⟦0⟧ translated text ⟦1⟧ and ⟦2⟧.');
});

test('a dropped placeholder in the middle of prose is not guessed: the chunk must be retried', () => {
  fails('Apprentissage utilise ⟦1⟧ comme ⟦2⟧.', /⟦0⟧ is missing/);
});

test('a duplicate far from the original is a problem', () => {
  fails('A ⟦0⟧ B ⟦1⟧ C ⟦2⟧ et encore ⟦0⟧.', /⟦0⟧ appears 2 times/);
});

test('a citation the model "fixed" (invented markup) is a problem even when every placeholder is there', () => {
  fails('A ⟦0⟧ B ⟦1⟧ C ⟦2⟧ [@doi:10.1000/fixed].', /markup that is not in the text \(citation/);
  fails('A ⟦0⟧ B ⟦1⟧ C ⟦2⟧ and $y$.', /math/);
});

test('placeholders that do not exist are a problem when they cannot be paired', () => {
  fails('A ⟦0⟧ B ⟦1⟧ C ⟦2⟧ ⟦9⟧.', /⟦9⟧ does not exist/);
});
