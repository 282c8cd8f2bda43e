import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LiteratureServiceError } from '../../../src/core/literature/http';
import { PubmedClient } from '../../../src/core/literature/pubmedClient';
import { EuropePmcClient } from '../../../src/core/literature/europePmcClient';
import { CrossrefClient } from '../../../src/core/literature/crossrefClient';
import { abstractFromInvertedIndex, OpenAlexClient } from '../../../src/core/literature/openAlexClient';
import type { LiteratureRecord } from '../../../src/core/literature/types';

import { fixture, recorded, recordedSkip, testClientOptions, useFakeLiteratureServers } from './onlineHelpers';

const fake = useFakeLiteratureServers();

const signal = (): AbortSignal => new AbortController().signal;

async function rejection(promise: Promise<unknown>): Promise<LiteratureServiceError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof LiteratureServiceError, `expected a LiteratureServiceError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

function find(records: readonly LiteratureRecord[], predicate: (record: LiteratureRecord) => boolean): LiteratureRecord {
  const record = records.find(predicate);
  assert.ok(record, 'record not found');
  return record;
}

describe('PubMed client', () => {
  const client = (extra: Partial<ConstructorParameters<typeof PubmedClient>[0]> = {}) =>
    new PubmedClient({ ...testClientOptions(), baseUrl: fake().urls.pubmed, email: 'author@example.org', ...extra });

  it('parses the recorded EFetch records (structured abstract, ids, MeSH) and sends tool and email', { skip: recordedSkip }, async () => {
    const result = await client().search('budesonide formoterol asthma', { maxResults: 20, signal: signal() });
    const nejm = find(result.records, (record) => record.pmid === '29768149');
    assert.equal(nejm.doi, '10.1056/nejmoa1715274');
    assert.match(nejm.title, /^Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma/);
    assert.equal(nejm.containerTitle, 'The New England journal of medicine');
    assert.equal(nejm.year, 2018);
    assert.match(nejm.abstract ?? '', /^Background: /);
    assert.match(nejm.abstract ?? '', /\nMethods: /);
    assert.ok(nejm.authors.length >= 10);
    assert.deepEqual(nejm.authors[0], { family: "O'Byrne", given: 'Paul M' });
    assert.ok(nejm.keywords?.includes('Asthma'));
    assert.equal(nejm.retracted, false);
    const gut = find(result.records, (record) => record.pmid === '27797938');
    assert.equal(gut.pmcid, 'PMC5442267');
    assert.equal(gut.doi, '10.1136/gutjnl-2016-312510');
    assert.match(gut.abstract ?? '', /^Objective: Telomere shortening/);

    const [esearch] = fake().requestsTo('/pubmed/esearch.fcgi').slice(-1);
    assert.equal(esearch.params.tool, 'biowrite');
    assert.equal(esearch.params.email, 'author@example.org');
    assert.equal(esearch.params.api_key, undefined);
    assert.equal(esearch.params.db, 'pubmed');
    assert.equal(esearch.params.retmax, '20');
    const [efetch] = fake().requestsTo('/pubmed/efetch.fcgi').slice(-1);
    assert.equal(efetch.params.retmode, 'xml');
    assert.equal(efetch.params.tool, 'biowrite');
    // Records follow ESearch's relevance order.
    assert.deepEqual(
      result.records.map((record) => record.pmid),
      efetch.params.id.split(',').filter((id) => result.records.some((record) => record.pmid === id)),
    );
  });

  it('reads the recorded ESearch XML (count and ids) and fetches those ids', { skip: recordedSkip }, async () => {
    fake().fault('/pubmed/esearch.fcgi', { kind: 'body', body: recorded('pubmed/esearch1.xml') ?? '' });
    const result = await client().search('biopython', { maxResults: 20, signal: signal() });
    assert.equal(result.total, 63);
    assert.equal(result.capped, false);
    const [efetch] = fake().requestsTo('/pubmed/efetch.fcgi').slice(-1);
    assert.equal(efetch.params.id.split(',').length, 20);
    assert.equal(efetch.params.id.split(',')[0], '41282813');
  });

  it('reads ESearch JSON and marks a retracted publication with its notices', async () => {
    fake().fault('/pubmed/esearch.fcgi', { kind: 'body', body: fixture('pubmed-esearch.json') });
    const result = await client().search('STAP cells', { maxResults: 3, signal: signal() });
    assert.deepEqual(
      result.records.map((record) => record.pmid),
      ['90000004', '90000001', '90000002'],
    );
    const stap = result.records[1];
    assert.equal(stap.retracted, true);
    assert.equal(stap.title, 'Stimulus-triggered fate conversion of somatic cells into pluripotency in Mus musculus with IL-6 & TGF-β.');
    assert.equal(stap.doi, '10.9999/nature.fixture.0001');
    assert.equal(stap.pmcid, 'PMC9000001', 'the ReferenceList ids are not the article’s');
    assert.equal(stap.year, 2014);
    assert.equal(stap.page, '641-7');
    assert.deepEqual(stap.authors, [{ family: 'Obokata', given: 'Haruko' }, { family: 'Wakayama', given: 'Teruhiko' }, { literal: 'STAP Fixture Consortium' }]);
    assert.match(stap.abstract ?? '', /^Background: Here we report/);
    assert.match(stap.abstract ?? '', /CD45\+ haematopoietic/);
    assert.deepEqual(
      stap.notices.map((notice) => [notice.kind, notice.id]),
      [
        ['retraction', undefined],
        ['retraction', 'pmid:90000002'],
        ['correction', 'pmid:90000003'],
        ['expressionOfConcern', undefined],
      ],
    );
    assert.ok(stap.keywords?.includes('STAP cells') && stap.keywords.includes('Pluripotent Stem Cells'));
    const notice = result.records[2];
    assert.equal(notice.retracted, false);
    assert.ok(notice.notices.some((item) => item.kind === 'other' && /retraction notice/.test(item.label)));
  });

  it('reports the 10,000 cap and never asks for retstart ≥ 10,000', async () => {
    fake().fault('/pubmed/esearch.fcgi', { kind: 'body', body: fixture('pubmed-esearch-capped.xml') });
    const first = await client().search('cancer', { maxResults: 3, signal: signal() });
    assert.equal(first.total, 2451032);
    assert.equal(first.capped, true);
    assert.equal(first.records.length, 3);

    const before = fake().requestsTo('/pubmed/esearch.fcgi').length;
    const beyond = await client().search('cancer', { maxResults: 10, offset: 10_000, signal: signal() });
    assert.deepEqual(beyond.records, []);
    assert.equal(beyond.capped, true);
    assert.equal(fake().requestsTo('/pubmed/esearch.fcgi').length, before, 'nothing sent past the cap');

    await client().search('cancer', { maxResults: 20, offset: 9995, signal: signal() });
    const [last] = fake().requestsTo('/pubmed/esearch.fcgi').slice(-1);
    assert.equal(last.params.retstart, '9995');
    assert.equal(last.params.retmax, '5');
    assert.ok(fake().requestsTo('/pubmed/esearch.fcgi').every((request) => Number(request.params.retstart ?? 0) < 10_000));
  });

  it('returns no records for an empty result, without calling EFetch', async () => {
    fake().fault('/pubmed/esearch.fcgi', { kind: 'body', body: fixture('pubmed-esearch-empty.xml') });
    const before = fake().requestsTo('/pubmed/efetch.fcgi').length;
    const result = await client().search('zzxqv', { maxResults: 5, signal: signal() });
    assert.deepEqual(result.records, []);
    assert.equal(result.total, 0);
    assert.equal(fake().requestsTo('/pubmed/efetch.fcgi').length, before);
  });

  it('sends api_key when set', async () => {
    await client({ apiKey: 'NCBIKEY' }).search('asthma', { maxResults: 2, signal: signal() });
    const [esearch] = fake().requestsTo('/pubmed/esearch.fcgi').slice(-1);
    const [efetch] = fake().requestsTo('/pubmed/efetch.fcgi').slice(-1);
    assert.equal(esearch.params.api_key, 'NCBIKEY');
    assert.equal(efetch.params.api_key, 'NCBIKEY');
  });

  it('fails clearly on truncated EFetch XML', async () => {
    fake().fault('/pubmed/efetch.fcgi', { kind: 'truncated' });
    const error = await rejection(client().search('asthma', { maxResults: 5, signal: signal() }));
    assert.equal(error.kind, 'badResponse');
    assert.match(error.message, /incomplete or malformed XML.*cut off/);
  });

  it('fails clearly on truncated ESearch JSON and on an HTML page', async () => {
    fake().fault('/pubmed/esearch.fcgi', { kind: 'truncated' });
    assert.equal((await rejection(client().search('asthma', { maxResults: 5, signal: signal() }))).kind, 'badResponse');
    fake().fault('/pubmed/efetch.fcgi', { kind: 'html' });
    const error = await rejection(client().search('asthma', { maxResults: 5, signal: signal() }));
    assert.equal(error.kind, 'badResponse');
    assert.match(error.message, /web page instead of data/);
  });

  it('reports an ESearch ERROR as a rejected query', async () => {
    fake().fault('/pubmed/esearch.fcgi', { kind: 'body', body: fixture('pubmed-esearch-error.json') });
    const error = await rejection(client().search('((asthma', { maxResults: 5, signal: signal() }));
    assert.equal(error.kind, 'rejected');
    assert.match(error.message, /unbalanced parentheses/);
  });
});

describe('Europe PMC client', () => {
  const client = () => new EuropePmcClient({ ...testClientOptions(), baseUrl: fake().urls.europepmc });

  it('maps the recorded core results and asks for resultType=core, JSON', { skip: recordedSkip }, async () => {
    const result = await client().search('cancer', { maxResults: 25, signal: signal() });
    assert.equal(result.total, 5059039);
    assert.equal(result.records.length, 25);
    const [request] = fake().requestsTo('/europepmc/search').slice(-1);
    assert.equal(request.params.resultType, 'core');
    assert.equal(request.params.format, 'json');
    assert.equal(request.params.pageSize, '25');
    assert.equal(request.params.query, 'cancer');
    assert.equal(request.params.synonym, 'true');
    const first = result.records[0];
    assert.equal(first.pmid, '39709209');
    assert.equal(first.doi, '10.1016/s0140-6736(24)02600-x');
    assert.equal(first.containerTitle, 'Lancet (London, England)');
    assert.equal(first.year, 2025);
    assert.deepEqual(first.authors[0], { family: 'Schoenfeld', given: 'Jonathan D' });
    assert.equal(find(result.records, (record) => record.pmid === '39709208').pmcid, 'PMC12124214');
    const structured = find(result.records, (record) => (record.abstract ?? '').startsWith('Objective'));
    assert.ok(!/<\/?[A-Za-z][^>]*>/.test(structured.abstract ?? ''), 'HTML tags stripped');
    // A `<` of the text is kept, and what follows it too (it once cut the abstract short at "(p").
    assert.match(find(result.records, (record) => record.pmid === '40420324').abstract ?? '', /\(p <\.01\)\. However, .*\(p <\.05\)\. Computed tomography/);
    assert.ok(result.records.every((record) => record.sources[0] === 'europepmc' && record.retracted === false));
  });

  it('marks retractions from pubTypeList and commentCorrectionList, and strips HTML safely', async () => {
    fake().fault('/europepmc/search', { kind: 'body', body: fixture('europepmc-retracted.json') });
    const result = await client().search('STAP', { maxResults: 10, signal: signal() });
    const stap = result.records[0];
    assert.equal(stap.retracted, true);
    assert.deepEqual(
      stap.notices.map((notice) => [notice.kind, notice.id]),
      [
        ['retraction', undefined],
        ['retraction', 'pmid:90000002'],
        ['correction', 'pmid:90000003'],
      ],
    );
    assert.equal(stap.pmcid, 'PMC9000001');
    assert.ok(!(stap.abstract ?? '').includes('alert'), 'script content dropped');
    assert.match(stap.abstract ?? '', /^Background Here we report/);
    assert.match(stap.abstract ?? '', /CD45\+ cells & fibroblasts\.$/);
    const preprint = result.records[1];
    assert.equal(preprint.pmid, undefined);
    assert.equal(preprint.doi, '10.1101/2019.12.01.000001');
    assert.deepEqual(preprint.authors, [{ family: 'Silva', given: 'A' }]);
  });

  it('handles an empty result (recorded when present)', async () => {
    fake().fault('/europepmc/search', { kind: 'empty' });
    const result = await client().search('asdkfjhasdkfjh', { maxResults: 10, signal: signal() });
    assert.deepEqual(result.records, []);
    assert.equal(result.total, 0);
  });

  it('fails clearly on truncated JSON and on an error object', async () => {
    fake().fault('/europepmc/search', { kind: 'truncated' });
    assert.equal((await rejection(client().search('cancer', { maxResults: 5, signal: signal() }))).kind, 'badResponse');
    fake().fault('/europepmc/search', { kind: 'body', body: fixture('europepmc-error.json') });
    const error = await rejection(client().search('"cancer', { maxResults: 5, signal: signal() }));
    assert.equal(error.kind, 'rejected');
    assert.match(error.message, /unbalanced quotes/);
  });
});

describe('Crossref client', () => {
  const client = (mailto: string | undefined = 'author@example.org') => new CrossrefClient({ ...testClientOptions(), baseUrl: fake().urls.crossref, mailto });

  it('maps the recorded /works items and uses query.bibliographic, rows, mailto and select', { skip: recordedSkip }, async () => {
    const result = await client().search('forecast ecology', { maxResults: 20, signal: signal() });
    assert.equal(result.total, 1253);
    assert.equal(result.records.length, 20);
    const [request] = fake().requestsTo('/crossref/works').slice(-1);
    assert.equal(request.params['query.bibliographic'], 'forecast ecology');
    assert.equal(request.params.rows, '20');
    assert.equal(request.params.mailto, 'author@example.org');
    assert.match(String(request.headers['user-agent']), /^Biowrite\/.*mailto:author@example\.org$/);
    assert.ok(request.params.select.split(',').includes('update-to'));
    const trap = find(result.records, (record) => record.doi === '10.1111/ele.14024');
    assert.equal(trap.title, 'The forecast trap');
    assert.ok(trap.abstract && !trap.abstract.includes('<') && !/^Abstract/.test(trap.abstract));
    assert.match(trap.abstract ?? '', /^Encouraged by decision makers/);
    assert.equal(trap.year, 2022);
    assert.equal(trap.containerTitle, 'Ecology Letters');
    assert.ok(result.records.every((record) => record.doi === record.doi?.toLowerCase()));
  });

  it('maps the recorded plain query response', { skip: recordedSkip }, async () => {
    const body = JSON.stringify((JSON.parse(recorded('crossref/works_query_0.json') ?? '{}') as { response: unknown }).response);
    fake().fault('/crossref/works', { kind: 'body', body, contentType: 'application/json' });
    const result = await client().search('ecology', { maxResults: 2, signal: signal() });
    assert.equal(result.records.length, 2);
    assert.equal(result.records[0].doi, '10.1093/obo/9780199830060-0238');
    assert.equal(result.records[0].type, 'entry');
  });

  it('marks retractions from updated-by and notices from update-to', async () => {
    fake().fault('/crossref/works', { kind: 'body', body: fixture('crossref-works-retraction.json') });
    const result = await client().search('STAP', { maxResults: 10, signal: signal() });
    const [original, notice, other] = result.records;
    assert.equal(original.retracted, true);
    assert.equal(original.doi, '10.9999/nature.fixture.0001');
    assert.deepEqual(
      original.notices.map((item) => [item.kind, item.id]),
      [
        ['retraction', 'doi:10.9999/nature.fixture.0002'],
        ['correction', 'doi:10.9999/nature.fixture.0003'],
      ],
    );
    assert.match(original.notices[0].label, /Retraction Watch/);
    assert.equal(original.abstract, 'Here we report a unique cellular reprogramming phenomenon, called stimulus-triggered acquisition of pluripotency.');
    assert.equal(notice.retracted, false);
    assert.ok(notice.notices.some((item) => item.kind === 'other' && item.id === 'doi:10.9999/nature.fixture.0001'));
    assert.deepEqual(notice.authors, [{ literal: 'Nature Editors' }]);
    assert.equal(other.title, 'Single-cell RNA-seq of TP53-mutant organoids: a resource');
    assert.equal(other.year, 2020);
  });

  it('asks again without select when a server rejects it', async () => {
    fake().fault('/crossref/works', { kind: 'status', status: 400, contentType: 'application/json', body: fixture('crossref-error.json') });
    const crossref = client();
    const result = await crossref.search('STAP', { maxResults: 2, signal: signal() });
    assert.equal(result.records.length, 2);
    const [rejected, retried] = fake().requestsTo('/crossref/works').slice(-2);
    assert.ok(rejected.params.select);
    assert.equal(retried.params.select, undefined);
    // Remembered: the next search goes without select at once.
    const before = fake().requestsTo('/crossref/works').length;
    await crossref.search('STAP', { maxResults: 2, signal: signal() });
    const later = fake().requestsTo('/crossref/works').slice(before);
    assert.equal(later.length, 1);
    assert.equal(later[0].params.select, undefined);
  });

  it('leaves mailto out when no contact is set, and handles an empty result', async () => {
    fake().fault('/crossref/works', { kind: 'empty' });
    const result = await new CrossrefClient({ ...testClientOptions(), baseUrl: fake().urls.crossref }).search('zzz', { maxResults: 5, signal: signal() });
    assert.deepEqual(result.records, []);
    assert.equal(result.total, 0);
    const [request] = fake().requestsTo('/crossref/works').slice(-1);
    assert.equal(request.params.mailto, undefined);
  });

  it('fails clearly on truncated JSON', async () => {
    fake().fault('/crossref/works', { kind: 'truncated' });
    assert.equal((await rejection(client().search('x', { maxResults: 5, signal: signal() }))).kind, 'badResponse');
  });
});

describe('OpenAlex client', () => {
  const client = (apiKey?: string) => new OpenAlexClient({ ...testClientOptions(), baseUrl: fake().urls.openalex, apiKey, mailto: 'author@example.org' });

  it('asks again without select when a mirror rejects it, and keeps its records', async () => {
    fake().fault('/openalex/works', { kind: 'status', status: 400, contentType: 'application/json', body: '{"error": "Invalid query parameters error.", "message": "abstract_inverted_index is not a valid select field."}' });
    const result = await client().search('asthma budesonide', { maxResults: 10, signal: signal() });
    assert.equal(result.records.length, 3);
    const [rejected, retried] = fake().requestsTo('/openalex/works').slice(-2);
    assert.ok(rejected.params.select);
    assert.equal(retried.params.select, undefined);
  });

  it('rebuilds abstracts from abstract_inverted_index and normalises ids', async () => {
    const result = await client().search('asthma budesonide', { maxResults: 10, signal: signal() });
    assert.equal(result.total, 3);
    const [nejm, stap, notes] = result.records;
    assert.equal(nejm.abstract, 'In patients with mild asthma, as-needed budesonide–formoterol provided superior symptom control to terbutaline.');
    assert.equal(nejm.doi, '10.1056/nejmoa1715274');
    assert.equal(nejm.pmid, '29768149');
    assert.equal(nejm.containerTitle, 'New England Journal of Medicine');
    assert.equal(nejm.page, '1865-1876');
    assert.deepEqual(nejm.authors[0], { family: "O'Byrne", given: 'Paul M.' });
    assert.equal(stap.retracted, true);
    assert.equal(stap.pmcid, 'PMC9000001');
    assert.deepEqual(
      stap.notices.map((notice) => notice.kind),
      ['retraction'],
    );
    assert.equal(notes.title, 'Notes on in silico screening of kinase inhibitors');
    assert.equal(notes.doi, undefined);
    assert.equal(notes.abstract, undefined);
    assert.equal(notes.type, 'article');
    assert.deepEqual(notes.authors, [{ family: 'van Beethoven', given: 'Ludwig' }]);
  });

  it('sends search, per-page, api_key and mailto', async () => {
    await client('OAKEY').search('asthma', { maxResults: 7, signal: signal() });
    const [request] = fake().requestsTo('/openalex/works').slice(-1);
    assert.equal(request.params.search, 'asthma');
    assert.equal(request.params['per-page'], '7');
    assert.equal(request.params.api_key, 'OAKEY');
    assert.equal(request.params.mailto, 'author@example.org');
    assert.ok(request.params.select.includes('abstract_inverted_index'));
  });

  it('handles empty results, truncated JSON and error objects', async () => {
    fake().fault('/openalex/works', { kind: 'empty' });
    assert.deepEqual((await client().search('zzz', { maxResults: 5, signal: signal() })).records, []);
    fake().fault('/openalex/works', { kind: 'truncated' });
    assert.equal((await rejection(client().search('x', { maxResults: 5, signal: signal() }))).kind, 'badResponse');
    fake().fault('/openalex/works', { kind: 'body', body: fixture('openalex-error.json') });
    const error = await rejection(client().search('x', { maxResults: 5, signal: signal() }));
    assert.equal(error.kind, 'rejected');
    assert.match(error.message, /per-page is not a valid integer/);
  });

  it('ignores hostile positions in an inverted index', () => {
    assert.equal(abstractFromInvertedIndex({ b: [1], a: [0], huge: [1e12], neg: [-1], frac: [0.5] }), 'a b');
    assert.equal(abstractFromInvertedIndex(null), '');
  });
});
