import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCite } from '../../../src/cli/commands/cite';
import { parseCslJson } from '../../../src/core/literature/library/cslJson';
import { IN_SITU_FEATURE_NAMES, ManuscriptCitations } from '../../../src/core/literature/library/inSitu';
import { LibraryIndex } from '../../../src/core/literature/library/librarySearch';
import { temporaryDirectory } from '../temporaryDirectory';

// A small library: two single-cell atlases that the words of the query sentence cannot tell apart, a
// deep-learning pair often cited together, and an entry the manuscript never cites.
const libraryJson = JSON.stringify([
  { id: 'atlasA', type: 'article-journal', title: 'A single-cell atlas of the human pancreas', DOI: '10.1000/atlas.a', author: [{ family: 'Baron' }], issued: { 'date-parts': [[2016]] } },
  { id: 'atlasB', type: 'article-journal', title: 'A single-cell atlas of the human kidney', PMID: '31000001', author: [{ family: 'Stewart' }], issued: { 'date-parts': [[2019]] } },
  { id: 'cnn', type: 'article-journal', title: 'Deep learning', DOI: '10.1038/nature14539', author: [{ family: 'LeCun' }], issued: { 'date-parts': [[2015]] } },
  { id: 'rnn', type: 'article-journal', title: 'Long short-term memory', author: [{ family: 'Hochreiter' }], issued: { 'date-parts': [[1997]] } },
  { id: 'unused', type: 'article-journal', title: 'Protein folding with attention networks', author: [{ family: 'Jumper' }], issued: { 'date-parts': [[2021]] } },
]);

const manuscript = [
  '# Introduction',
  '',
  'Acinar cells of the pancreas were profiled cell by cell [@doi:10.1000/atlas.a]. Their transcriptomes differ by lobe [@doi:10.1000/atlas.a].',
  'The same single-cell atlas approach was applied here [@atlasB]. See @fig:overview for the design.',
  '',
  '# Methods',
  '',
  'Neural networks were trained on the profiles [@cnn; @rnn]. Recurrent models handled the sequences [@rnn; @cnn].',
  '',
  '# Discussion',
  '',
  'Kidney data came from elsewhere [@pmid:31000001].',
  '',
].join('\n');

function setUp(): { index: LibraryIndex; citations: ManuscriptCitations; span: { start: number; end: number } } {
  const { records } = parseCslJson(libraryJson);
  const index = new LibraryIndex(records);
  const citations = new ManuscriptCitations(index.records, manuscript, 'markdown');
  const sentence = 'The same single-cell atlas approach was applied here [@atlasB].';
  const start = manuscript.indexOf(sentence);
  return { index, citations, span: { start, end: start + sentence.length } };
}

test('in situ: a reference cited in the same paragraph outranks one the words alone prefer; the own citation is not evidence', () => {
  const { index, citations, span } = setUp();
  assert.equal(citations.hasCitations, true);
  const text = 'The same single-cell atlas approach was applied here.';
  const cold = index.search({ text }, 5).map((hit) => hit.record.libraryId);
  assert.deepEqual(cold.slice(0, 2).sort(), ['atlasA', 'atlasB']);
  const hits = index.search({ text, inSitu: { citations, span } }, 5);
  assert.equal(hits[0].record.libraryId, 'atlasA');
  // atlasB's citation inside the span is what is asked for: only its citation in the Discussion counts.
  const atlasB = hits.find((hit) => hit.record.libraryId === 'atlasB');
  assert.ok(atlasB, 'atlasB is still a candidate by its words');
  assert.equal(atlasB.inSitu?.elsewhere, 1);
  assert.equal(atlasB.inSitu?.inParagraph, 0);
  const reason = hits[0].inSitu;
  assert.ok(reason);
  assert.equal(reason.inParagraph, 2, 'both citations of atlasA in the paragraph, by DOI');
  assert.equal(reason.elsewhere, 2);
  assert.match(reason.example ?? '', /^Their transcriptomes differ by lobe\.?$|^Acinar cells/);
});

test('in situ: "cited nowhere else" counts in a mostly cited bibliography, and fades in a large library of uncited papers', () => {
  const notCited = IN_SITU_FEATURE_NAMES.indexOf('notCitedElsewhere');
  const { citations, span, index } = setUp();
  const unused = index.records.findIndex((record) => record.libraryId === 'unused');
  // 4 of the 5 entries are cited outside the span: the uncited one was likely added for a sentence to cite.
  const small = citations.evidence(span, 'The same single-cell atlas approach was applied here.').features[notCited][unused];
  assert.ok(Math.abs(small - 4 / 5) < 1e-9, String(small));
  // The same manuscript against a library of 200 papers it never cites: the signal all but disappears.
  const extra = Array.from({ length: 195 }, (_, i) => ({ id: `other${i}`, type: 'article-journal', title: `Unrelated study number ${i}` }));
  const { records } = parseCslJson(JSON.stringify([...JSON.parse(libraryJson), ...extra]));
  const large = new LibraryIndex(records);
  const largeCitations = new ManuscriptCitations(large.records, manuscript, 'markdown');
  const value = largeCitations.evidence(span, 'The same single-cell atlas approach was applied here.').features[notCited][large.records.findIndex((record) => record.libraryId === 'unused')];
  assert.ok(value > 0 && value <= 4 / 200 + 1e-9, String(value));
});

test('in situ: co-cited references and citing sentences make candidates that share no word with the query', () => {
  const { index, citations } = setUp();
  const sentence = 'Recurrent models handled the sequences [@rnn; @cnn].';
  const start = manuscript.indexOf(sentence);
  const hits = index.search({ text: 'Recurrent models handled the sequences.', inSitu: { citations, span: { start, end: start + sentence.length } } }, 5);
  const ids = hits.map((hit) => hit.record.libraryId);
  // Neither title shares a word with the sentence, but both are cited in the sentence before it.
  assert.ok(ids.includes('rnn') && ids.includes('cnn'), ids.join(','));
  assert.ok(!ids.includes('unused'));
  const cnn = hits.find((hit) => hit.record.libraryId === 'cnn');
  assert.equal(cnn?.inSitu?.coCitedWith, 1);
});

test('in situ: identifiers, LaTeX keys, cross-references and unknown keys', () => {
  const { records } = parseCslJson(libraryJson);
  const index = new LibraryIndex(records);
  const markdown = new ManuscriptCitations(index.records, 'One [@pmid:31000001]. Two [@DOI:10.1038/NATURE14539]. Three [@tbl:x; @nobody]. Four [@Atlasa].\n', 'markdown');
  assert.equal(markdown.resolvedCitations, 3, 'PMID, a DOI in another case, and a CSL id in another case');
  assert.deepEqual([...markdown.unresolvedKeys], ['nobody']);
  const latex = new ManuscriptCitations(index.records, '\\section{Intro}\nDeep models \\citep{cnn, rnn} work. Others \\cite{missing}.\n', 'latex');
  assert.equal(latex.resolvedCitations, 2);
  assert.deepEqual([...latex.unresolvedKeys], ['missing']);
});

test('in situ: a manuscript without citations, an empty one, a span outside the text, a huge one', () => {
  const { records } = parseCslJson(libraryJson);
  const index = new LibraryIndex(records);
  const text = 'Single-cell atlas of the kidney.';
  const cold = index.search({ text }, 5);
  for (const body of ['', 'No citations at all here. Only prose.\n']) {
    const citations = new ManuscriptCitations(index.records, body, 'markdown');
    assert.equal(citations.hasCitations, false);
    assert.deepEqual(index.search({ text, inSitu: { citations, span: { start: 0, end: 5 } } }, 5), cold, 'ranks as cold');
  }
  const { citations } = setUp();
  const outside = index.search({ text, inSitu: { citations, span: { start: 1e9, end: 1e9 + 10 } } }, 5);
  assert.ok(outside.length > 0);
  // 4,000 cited sentences: built once, then each query stays cheap (no timing asserted, only that it answers).
  const big = Array.from({ length: 4000 }, (_, i) => `Sentence ${i} on atlases [@${i % 2 ? 'atlasA' : 'cnn'}].`).join(' ');
  const bigCitations = new ManuscriptCitations(index.records, big, 'markdown');
  assert.equal(bigCitations.resolvedCitations, 4000);
  assert.ok(index.search({ text, inSitu: { citations: bigCitations, span: { start: 0, end: 30 } } }, 5).length > 0);
});

test('biowrite cite --manuscript: positions place the sentence; bad positions are refused or reported', async () => {
  const dir = temporaryDirectory('biowrite-insitu-');
  const library = join(dir, 'library.json');
  const cited = join(dir, 'cited.md');
  writeFileSync(library, libraryJson);
  writeFileSync(cited, manuscript);
  const line = manuscript.split('\n').findIndex((l) => l.startsWith('The same single-cell'));
  const end = 'The same single-cell atlas approach was applied here [@atlasB].'.length;
  const queries = join(dir, 'q.jsonl');
  const text = 'The same single-cell atlas approach was applied here.';
  writeFileSync(queries, `${JSON.stringify({ id: 'q1', text, line, start: 0, end })}\n${JSON.stringify({ id: 'q2', text, line: 999, start: 0, end: 4 })}\n`);
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } };
  assert.equal(await runCite(['--library', library, '--manuscript', cited, '--queries', queries, '--top', '3'], io), 0, stderr);
  const [first, second] = stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(first.results[0].id, 'atlasA');
  assert.equal(first.results[0].inSitu.inParagraph, 2);
  assert.equal(second.results[0].inSitu, undefined, 'a query placed past the end ranks cold');
  assert.match(stderr, /q2: line 999 is past the manuscript's end/);
  writeFileSync(queries, `${JSON.stringify({ id: 'q1', text, line, start: 3 })}\n`);
  stderr = '';
  assert.equal(await runCite(['--library', library, '--manuscript', cited, '--queries', queries], io), 2);
  assert.match(stderr, /q\.jsonl:1: "line", "start" and "end" go together/);
  writeFileSync(queries, `${JSON.stringify({ id: 'q1', text, line, start: 0, end })}\n`);
  stderr = '';
  assert.equal(await runCite(['--library', library, '--manuscript', join(dir, 'nope.md'), '--queries', queries], io), 2);
  assert.match(stderr, /nope\.md: file not found/);
  stderr = '';
  assert.equal(await runCite(['--library', library, '--manuscript', cited, '--manuscript', cited, '--queries', queries], io), 2);
  assert.match(stderr, /give --manuscript once/);
});
