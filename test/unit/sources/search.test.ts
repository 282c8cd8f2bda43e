import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCslJson } from '../../../src/core/literature/library/cslJson';
import { LibraryIndex, distinctiveSymbols, namedAuthors } from '../../../src/core/literature/library/librarySearch';
import { stem, tokenize } from '../../../src/core/literature/library/tokenize';
import type { LiteratureRecord } from '../../../src/core/literature/types';

const { records } = parseCslJson(readFileSync(join(__dirname, '..', '..', 'fixtures', 'sources', 'library.json'), 'utf8'));
const index = new LibraryIndex(records);
const top = (text: string, context?: string): string | undefined => index.search({ text, ...(context ? { context } : {}) }, 5)[0]?.record.libraryId;

test('tokenize: Greek letters, hyphenated symbols, gene names and plurals', () => {
  assert.deepEqual(tokenize('TNF-α signalling'), ['tnfalpha', 'tnf', 'alpha', 'signall']);
  assert.ok(tokenize('IL-6 receptors').includes('il6'));
  assert.ok(tokenize('IL-6 receptors').includes(tokenize('receptor')[0]));
  assert.deepEqual(tokenize('TP53 and BRCA1 mutations'), ['tp53', 'brca1', tokenize('mutation')[0]]);
  assert.equal(tokenize('mammography')[0], tokenize('mammograms')[0], 'long stems meet on a 7-letter prefix');
  assert.equal(stem('networks'), stem('network'));
  assert.equal(stem('predicting'), stem('predicted'));
  assert.equal(stem('analysis'), 'analysis');
});

test('search: biomedical symbols, Greek letters and hyphens find the right record', () => {
  assert.equal(top('Mutations of TP53 are frequent in tumours.'), 'vogelstein2000tp53');
  assert.equal(top('Blocking IL6 reduces inflammation.'), 'tanaka2016il6');
  assert.equal(top('TNF-α drives the response.'), 'tanaka2016il6');
  assert.equal(top('Germline BRCA1 variants raise breast cancer risk.'), 'miki1994brca1');
});

test('search: tool names and cited authors boost the matching record', () => {
  assert.deepEqual(distinctiveSymbols('Models such as DeepBind and word2vec learn'), ['deepbind', 'word2vec']);
  assert.equal(top('Convolutional models such as DeepBind learn binding preferences.'), 'alipanahi2015deepbind');
  assert.equal(top('Embeddings like word2vec capture semantics.'), 'mikolov2013word2vec');
  assert.deepEqual(namedAuthors('As LeCun et al. and Smith and Jones showed'), ['lecun', 'smith', 'jones']);
  assert.equal(top('As LeCun et al. argued, representation learning matters.'), 'lecun2015deep');
});

test('search: the paragraph helps with a weaker weight; no match gives no hits', () => {
  const hits = index.search({ text: 'This was confirmed later.', context: 'Tocilizumab blocks the interleukin receptor. This was confirmed later.' }, 3);
  assert.equal(hits[0]?.record.libraryId, 'tanaka2016il6');
  assert.deepEqual(index.search({ text: 'zzz qqq' }, 5), []);
  assert.deepEqual(new LibraryIndex([]).search({ text: 'deep learning' }), []);
});

test('search: scores are sorted and top is honoured', () => {
  const hits = index.search({ text: 'deep learning of DNA binding proteins' }, 3);
  assert.equal(hits.length, 3);
  assert.equal(hits[0].record.libraryId, 'alipanahi2015deepbind');
  for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score);
});

test('search: a 600-reference library answers without a linear scan of text per query', () => {
  // Functional check of scale (no timing assertion): 600 records, ranked result is the planted one.
  const many: LiteratureRecord[] = Array.from({ length: 600 }, (_, i) => ({
    sources: ['library'],
    libraryId: `r${i}`,
    title: `Study ${i} of cohort ${i % 17} outcomes`,
    authors: [{ family: `Author${i}` }],
    abstract: `We report outcomes for cohort ${i % 17} with method ${i % 5}.`,
    retracted: false,
    notices: [],
  }));
  many.push({ ...many[0], libraryId: 'planted', title: 'CRISPR screens reveal TP53 dependencies' });
  const big = new LibraryIndex(many);
  assert.equal(big.size, 601);
  assert.equal(big.search({ text: 'TP53 dependencies revealed by CRISPR screens' }, 10)[0].record.libraryId, 'planted');
});

