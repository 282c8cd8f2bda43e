import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCiteArgs, runCite } from '../../../src/cli/commands/cite';
import {
  DEFAULT_PARAMETERS,
  FEATURE_NAMES,
  HAND_TUNED_PARAMETERS,
  LibraryIndex,
  neighbourSentences,
  parseSearchParameters,
  splitSentences,
  urlWords,
} from '../../../src/core/literature/library/librarySearch';
import type { LiteratureRecord } from '../../../src/core/literature/types';
import { temporaryDirectory } from '../temporaryDirectory';

const record = (libraryId: string, title: string, extra: Partial<LiteratureRecord> = {}): LiteratureRecord => ({
  sources: ['library'],
  libraryId,
  title,
  authors: [{ family: 'Doe' }],
  retracted: false,
  notices: [],
  ...extra,
});

test('urlWords: project and repository paths give words; identifier links give none', () => {
  assert.equal(urlWords('https://github.com/theislab/scanpy'), 'theislab scanpy');
  assert.equal(urlWords('https://docs.nvidia.com/deeplearning/sdk/cudnn-developer-guide/index.html#reproducibility'), 'deeplearning sdk cudnn developer guide');
  assert.equal(urlWords('https://doi.org/10.1038/nature14539'), '');
  assert.equal(urlWords('https://arxiv.org/abs/1509.09292'), '');
  assert.equal(urlWords('https://www.ncbi.nlm.nih.gov/pubmed/123'), '');
  assert.equal(urlWords(undefined), '');
  assert.equal(urlWords('not a url'), '');
});

test('splitSentences and neighbourSentences: the sentences around the query in its paragraph', () => {
  const paragraph = 'Graphs are everywhere. Knowledge graphs link facts (e.g. drugs). This review covers them! 3 parts follow.';
  assert.deepEqual(splitSentences(paragraph), ['Graphs are everywhere.', 'Knowledge graphs link facts (e.g. drugs).', 'This review covers them!', '3 parts follow.']);
  assert.deepEqual(neighbourSentences('Knowledge graphs link facts (e.g. drugs).', paragraph), { previous: 'Graphs are everywhere.', next: 'This review covers them!' });
  assert.deepEqual(neighbourSentences('Graphs are everywhere.', paragraph), { previous: '', next: 'Knowledge graphs link facts (e.g. drugs).' });
  assert.deepEqual(neighbourSentences('Not in the paragraph at all.', paragraph), { previous: '', next: '' });
});

test('parseSearchParameters: completes partial JSON, rejects non-numbers; the shipped file is complete', () => {
  const partial = parseSearchParameters({ k1: 1.2, weights: { title: 3 } });
  assert.equal(partial.k1, 1.2);
  assert.equal(partial.weights.title, 3);
  assert.equal(partial.weights.abstract, HAND_TUNED_PARAMETERS.weights.abstract);
  assert.equal(partial.featureWeights.length, FEATURE_NAMES.length);
  assert.throws(() => parseSearchParameters({ k1: 'fast' }), /k1 must be a finite number/);
  assert.throws(() => parseSearchParameters({ featureWeights: [1, null] }), /featureWeights\[context\]/);
  const shipped = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'src', 'core', 'literature', 'library', 'rankingParameters.json'), 'utf8'));
  assert.equal(shipped.featureWeights.length, FEATURE_NAMES.length);
  assert.deepEqual(DEFAULT_PARAMETERS, parseSearchParameters(shipped));
});

test('features: the previous and next sentences are features of their own; URL words are searchable', () => {
  const index = new LibraryIndex(
    [
      record('scanpy', 'Large-scale single-cell gene expression data analysis', { url: 'https://github.com/theislab/scanpy' }),
      record('tocilizumab', 'Tocilizumab blocks the interleukin receptor'),
      record('other', 'A survey of unrelated methods'),
    ],
    { ...HAND_TUNED_PARAMETERS, weights: { ...HAND_TUNED_PARAMETERS.weights, url: 1 } },
  );
  const features = index.features({ text: 'This was confirmed later.', context: 'Tocilizumab blocks the interleukin receptor. This was confirmed later. Surveys disagree.' });
  const previous = features[FEATURE_NAMES.indexOf('previousSentence')];
  const next = features[FEATURE_NAMES.indexOf('nextSentence')];
  assert.ok(previous[1] > 0, 'the previous sentence matches the tocilizumab record');
  assert.equal(previous[0], 0);
  assert.ok(next[2] > 0, 'the next sentence matches the survey record');
  assert.equal(index.search({ text: 'We clustered cells with scanpy.' }, 3)[0]?.record.libraryId, 'scanpy');
});

test('cite --ranking: parameters from a JSON file replace the shipped ones; a bad file exits 2', async () => {
  assert.equal((parseCiteArgs(['--library', 'a.json', '--queries', 'q', '--ranking', 'p.json']) as { ranking?: string }).ranking, 'p.json');
  const dir = temporaryDirectory('biowrite-ranking-');
  try {
    const library = join(dir, 'library.json');
    writeFileSync(library, JSON.stringify([{ id: 'a', title: 'Deep learning for genomics', type: 'article-journal' }, { id: 'b', title: 'Genomics of deep sea vents', type: 'article-journal' }]));
    const queries = join(dir, 'q.jsonl');
    writeFileSync(queries, '{"id": "q1", "text": "deep learning in genomics"}\n');
    const ranking = join(dir, 'p.json');
    writeFileSync(ranking, JSON.stringify({ k1: 1.2 }));
    let out = '';
    let err = '';
    const io = { stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: (s: string) => ((err += s), true) } };
    const run = runCite as unknown as (args: string[], io: unknown) => Promise<number>;
    assert.equal(await run(['--library', library, '--queries', queries, '--ranking', ranking], io), 0, err);
    assert.equal(JSON.parse(out.trim()).results[0].id, 'a');
    writeFileSync(ranking, '{"k1": "x"}');
    err = '';
    assert.equal(await run(['--library', library, '--queries', queries, '--ranking', ranking], io), 2);
    assert.match(err, /k1 must be a finite number/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('search: records whose combined score is zero or negative keep their order by score, not library order', () => {
  // A large negative weight on the hasAbstract feature pushes both records below zero; the one
  // that matches more of the sentence must still come first.
  const weights = FEATURE_NAMES.map((name) => (name === 'sentence' ? 1 : name === 'hasAbstract' ? -100 : 0));
  const parameters = parseSearchParameters({ ...HAND_TUNED_PARAMETERS, featureWeights: weights });
  const index = new LibraryIndex(
    [
      record('weak', 'Zebrafish husbandry', { abstract: 'Notes on zebrafish.' }),
      record('strong', 'Zebrafish telencephalon neurogenesis in adults', { abstract: 'Adult neurogenesis in the zebrafish telencephalon.' }),
    ],
    parameters,
  );
  const hits = index.search({ text: 'Adult neurogenesis persists in the zebrafish telencephalon.' });
  assert.deepEqual(hits.map((h) => h.record.libraryId), ['strong', 'weak']);
  assert.ok(hits.every((h) => h.score < 0));
  assert.ok(hits[0].score > hits[1].score);
});
