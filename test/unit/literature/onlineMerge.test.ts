import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RetractionIndex, identifierKeys, mergeRecords } from '../../../src/core/literature/merge';
import type { LiteratureRecord } from '../../../src/core/literature/types';

function record(partial: Partial<LiteratureRecord> & Pick<LiteratureRecord, 'sources' | 'title'>): LiteratureRecord {
  return { authors: [], retracted: false, notices: [], ...partial };
}

describe('mergeRecords', () => {
  it('merges by DOI case-insensitively, whatever its spelling', () => {
    const merged = mergeRecords([
      record({ sources: ['crossref'], title: 'A', doi: '10.1000/ABC' }),
      record({ sources: ['openalex'], title: 'A', doi: 'https://doi.org/10.1000/abc' }),
    ]);
    assert.equal(merged.length, 1);
    assert.deepEqual(merged[0].sources, ['crossref', 'openalex']);
    assert.equal(merged[0].doi, '10.1000/abc');
  });

  it('merges transitively across DOI, PMID and PMCID', () => {
    const merged = mergeRecords([
      record({ sources: ['crossref'], title: 'Work', doi: '10.1/x' }),
      record({ sources: ['europepmc'], title: 'Other work', pmid: '999' }),
      record({ sources: ['pubmed'], title: 'Work', pmid: '123', pmcid: 'PMC5' }),
      record({ sources: ['openalex'], title: 'Work', doi: '10.1/X', pmcid: 'pmc5' }),
    ]);
    assert.equal(merged.length, 2);
    assert.deepEqual(merged[0].sources, ['crossref', 'pubmed', 'openalex']);
    assert.equal(merged[0].pmid, '123');
    assert.equal(merged[0].pmcid, 'PMC5');
    assert.equal(merged[0].doi, '10.1/x');
    assert.equal(merged[1].pmid, '999');
  });

  it('keeps the group at its first rank and leaves records without ids alone', () => {
    const merged = mergeRecords([
      record({ sources: ['openalex'], title: 'No ids' }),
      record({ sources: ['pubmed'], title: 'P', pmid: '1' }),
      record({ sources: ['openalex'], title: 'No ids' }),
      record({ sources: ['crossref'], title: 'P', doi: '10.5/p' }),
      record({ sources: ['openalex'], title: 'P', pmid: '1', doi: '10.5/P' }),
    ]);
    assert.deepEqual(
      merged.map((item) => item.title),
      ['No ids', 'P', 'No ids'],
    );
    assert.deepEqual(merged[1].sources, ['pubmed', 'crossref', 'openalex']);
  });

  it('is retracted when any source says so, with the union of notices (deduplicated)', () => {
    const merged = mergeRecords([
      record({ sources: ['europepmc'], title: 'S', pmid: '9', notices: [{ kind: 'correction', id: 'pmid:3', label: 'Erratum' }] }),
      record({ sources: ['openalex'], title: 'S', pmid: '9', retracted: true, notices: [{ kind: 'retraction', label: 'OpenAlex: marked as retracted' }] }),
      record({ sources: ['pubmed'], title: 'S', pmid: '9', retracted: true, notices: [{ kind: 'retraction', id: 'pmid:2', label: 'Retracted' }, { kind: 'correction', id: 'PMID:3', label: 'Erratum in' }] }),
    ]);
    assert.equal(merged.length, 1);
    assert.equal(merged[0].retracted, true);
    assert.deepEqual(
      merged[0].notices.map((notice) => `${notice.kind}:${notice.id ?? notice.label}`),
      ['retraction:pmid:2', 'correction:PMID:3', 'retraction:OpenAlex: marked as retracted'],
    );
  });

  it('takes the longest abstract, the best title, the fullest author list and the union of keywords', () => {
    const merged = mergeRecords([
      record({ sources: ['crossref'], title: 'THE FORECAST TRAP IN ECOLOGY', doi: '10.1/f', abstract: 'Short.', keywords: ['Ecology'], containerTitle: 'Ecol Lett' }),
      record({
        sources: ['openalex'],
        title: 'The forecast trap in ecology',
        doi: '10.1/F',
        abstract: 'A much longer abstract about forecasts.',
        authors: [{ family: 'Boettiger', given: 'Carl' }, { family: 'Doe' }],
        keywords: ['ecology', 'Forecasting'],
      }),
      record({ sources: ['europepmc'], title: 'The forecast trap in…', doi: '10.1/f', authors: [{ family: 'Boettiger', given: 'C' }] }),
    ]);
    assert.equal(merged.length, 1);
    assert.equal(merged[0].title, 'The forecast trap in ecology');
    assert.equal(merged[0].abstract, 'A much longer abstract about forecasts.');
    assert.equal(merged[0].authors.length, 2);
    assert.deepEqual(merged[0].keywords, ['Ecology', 'Forecasting']);
    assert.equal(merged[0].containerTitle, 'Ecol Lett');
    assert.equal(merged[0].url, 'https://doi.org/10.1/f');
  });

  it('prefers the library’s id and fields when a library record joins', () => {
    const merged = mergeRecords([
      record({ sources: ['pubmed'], title: 'Deep learning', pmid: '42', year: 2018 }),
      record({ sources: ['library'], title: 'Deep learning', pmid: '42', libraryId: 'smith2018', year: 2017 }),
    ]);
    assert.equal(merged[0].libraryId, 'smith2018');
    assert.equal(merged[0].year, 2017);
    assert.deepEqual(merged[0].sources, ['pubmed', 'library']);
  });

  it('lists identifier keys in normalised form', () => {
    assert.deepEqual(identifierKeys(record({ sources: ['openalex'], title: 'x', doi: 'doi:10.1/AB', pmid: 'PMID: 0012', pmcid: '77' })), ['doi:10.1/ab', 'pmid:12', 'pmcid:PMC77']);
  });
});

describe('RetractionIndex', () => {
  it("marks another source's copy of a retracted work, and nothing else", () => {
    const index = new RetractionIndex();
    const notice = { kind: 'retraction' as const, label: 'Retracted in 2020' };
    index.add([record({ sources: ['pubmed'], title: 'W', pmid: '77', doi: '10.1/W', retracted: true, notices: [notice] }), record({ sources: ['pubmed'], title: 'Fine', pmid: '78' })]);
    const library = record({ sources: ['library'], title: 'W', doi: 'https://doi.org/10.1/w', libraryId: 'w2019' });
    const marked = index.mark(library);
    assert.equal(marked.retracted, true);
    assert.deepEqual(marked.notices, [notice]);
    assert.equal(marked.libraryId, 'w2019');
    assert.equal(library.retracted, false, 'the original is left alone');
    const fine = record({ sources: ['library'], title: 'Fine', pmid: '78' });
    assert.equal(index.mark(fine), fine);
    const noIds = record({ sources: ['library'], title: 'W' });
    assert.equal(index.mark(noIds), noIds);
  });
});
