import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTerms, glossaryEntriesIn, parseGlossary, termsToKeep } from '../../../src/core/writing/glossary';

test('reads a JSON glossary, longest term first', () => {
  const { entries, warnings } = parseGlossary('{"learning": "apprentissage", "deep learning": "apprentissage profond", "bad": 3}', 'g.json');
  assert.deepEqual(entries.map((entry) => entry.term), ['deep learning', 'learning']);
  assert.equal(warnings.length, 1);
});

test('a glossary saved with a byte-order mark reads like one without (JSON and TSV)', () => {
  assert.deepEqual(parseGlossary('\uFEFF{"trial": "essai"}', 'g.json').entries, [{ term: 'trial', translation: 'essai' }]);
  assert.deepEqual(parseGlossary('\uFEFF{"trial": "essai"}').entries, [{ term: 'trial', translation: 'essai' }]);
  assert.deepEqual(parseGlossary('\uFEFFtrial\tessai\n', 'g.tsv').entries, [{ term: 'trial', translation: 'essai' }]);
});

test('reads a per-language JSON glossary for the target language', () => {
  const { entries } = parseGlossary('{"fr": {"trial": "essai"}, "es": {"trial": "ensayo"}}', 'g.json', 'es');
  assert.deepEqual(entries, [{ term: 'trial', translation: 'ensayo' }]);
});

test('reads a TSV glossary with comments and reports bad lines', () => {
  const { entries, warnings } = parseGlossary('# term\ttranslation\nrandomised trial\tessai randomisé\nbroken line\n', 'g.tsv');
  assert.deepEqual(entries, [{ term: 'randomised trial', translation: 'essai randomisé' }]);
  assert.match(warnings[0], /line 3/);
});

test('invalid JSON is an error, not an empty glossary', () => {
  assert.throws(() => parseGlossary('{"a": ', 'g.json'), /not valid JSON/);
  assert.throws(() => parseGlossary('[1,2]', 'g.json'), /JSON object/);
});

test('finds the entries of a chunk by whole word, case-insensitive', () => {
  const entries = parseGlossary('{"trial": "essai", "rial": "x"}', 'g.json').entries;
  assert.deepEqual(glossaryEntriesIn(entries, 'A randomised Trial.').map((entry) => entry.term), ['trial']);
});

test('symbols, drug codes and numbers are kept; placeholders are ignored', () => {
  assert.deepEqual(termsToKeep('TP53 and BRCA1 with ABT-199 at 300 mg (HR 0.62) ⟦3⟧ in IL-6 CD4+ cells'), ['TP53', 'BRCA1', 'ABT-199', 'HR', 'IL-6', 'CD4', '300', '0.62']);
});

test('checkTerms flags an unused glossary translation and a changed number or symbol', () => {
  const glossary = [{ term: 'trial', translation: 'essai' }];
  assert.deepEqual(checkTerms('The trial of TP53 in 1,204 patients (p = 0.05).', "L'essai de TP53 chez 1 204 patients (p = 0,05).", glossary), []);
  const problems = checkTerms('The trial of TP53 in 1,204 patients.', "L'étude de p53 chez 1204 patients.", glossary);
  assert.deepEqual(problems.map((problem) => `${problem.kind}:${problem.term}`), ['glossary:trial', 'keep:TP53']);
});
