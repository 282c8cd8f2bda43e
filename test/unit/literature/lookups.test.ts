import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ArxivClient, parseArxivFeed } from '../../../src/core/literature/arxivClient';
import { CrossrefClient, mapCrossrefWork, parseCrossrefResponse } from '../../../src/core/literature/crossrefClient';
import { mapEuropePmcResult } from '../../../src/core/literature/europePmcClient';
import { LiteratureServiceError } from '../../../src/core/literature/http';
import { normaliseArxivId, normalisePmcid } from '../../../src/core/literature/normalize';
import { mapOpenAlexWork, OpenAlexClient } from '../../../src/core/literature/openAlexClient';
import { PubmedClient } from '../../../src/core/literature/pubmedClient';
import { parseXml } from '../../../src/core/literature/xml';
import { testClientOptions } from './onlineHelpers';

const signal = (): AbortSignal => new AbortController().signal;

interface Answer {
  readonly status?: number;
  readonly body: string;
  readonly type?: string;
}

/** A `fetch` that records every URL and answers with `respond`. */
function recordingFetch(respond: (url: URL) => Answer): { fetch: typeof fetch; urls: URL[] } {
  const urls: URL[] = [];
  const fake = async (input: string | URL | Request): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    urls.push(url);
    const answer = respond(url);
    return new Response(answer.body, { status: answer.status ?? 200, headers: { 'content-type': answer.type ?? 'application/json' } });
  };
  return { fetch: fake as typeof fetch, urls };
}

const json = (value: unknown, status = 200): Answer => ({ status, body: JSON.stringify(value) });
const notFound: Answer = { status: 404, body: 'Resource not found.', type: 'text/plain' };

function crossrefItem(doi: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { DOI: doi, title: [`Work ${doi}`], author: [{ family: 'Doe', given: 'Jane' }], type: 'journal-article', issued: { 'date-parts': [[2020, 1]] }, ...extra };
}

function crossrefList(items: readonly Record<string, unknown>[]): Answer {
  return json({ status: 'ok', 'message-type': 'work-list', message: { 'total-results': items.length, items } });
}

describe('Crossref lookups', () => {
  it('parses a single-work answer as one record, and still parses lists', () => {
    const single = parseCrossrefResponse(JSON.stringify({ status: 'ok', 'message-type': 'work', message: crossrefItem('10.1000/ABC') }));
    assert.equal(single.records.length, 1);
    assert.equal(single.records[0].doi, '10.1000/abc');
    assert.equal(single.records[0].title, 'Work 10.1000/ABC');
    const list = parseCrossrefResponse(JSON.stringify({ status: 'ok', 'message-type': 'work-list', message: { items: [crossrefItem('10.1000/a'), crossrefItem('10.1000/b')] } }));
    assert.equal(list.records.length, 2);
    assert.throws(() => parseCrossrefResponse(JSON.stringify({ status: 'ok', message: { foo: 1 } })), LiteratureServiceError);
  });

  it('work() GETs /works/{doi} with mailto, and answers undefined on 404', async () => {
    const { fetch, urls } = recordingFetch((url) => (url.pathname.endsWith('10.1000%2Fknown') ? json({ status: 'ok', 'message-type': 'work', message: crossrefItem('10.1000/known') }) : notFound));
    const client = new CrossrefClient({ ...testClientOptions({ fetch, maxRetries: 0 }), baseUrl: 'https://cr.test', mailto: 'me@example.org' });
    const found = await client.work('https://doi.org/10.1000/KNOWN', signal());
    assert.equal(found?.doi, '10.1000/known');
    assert.equal(urls[0].pathname, '/works/10.1000%2Fknown');
    assert.equal(urls[0].searchParams.get('mailto'), 'me@example.org');
    assert.equal(await client.work('10.1000/unknown', signal()), undefined);
    assert.equal(await client.work('not a doi', signal()), undefined);
    assert.equal(urls.length, 2, 'a non-DOI is never sent');
  });

  it('work() lets other errors through', async () => {
    const { fetch } = recordingFetch(() => ({ status: 500, body: 'oops', type: 'text/plain' }));
    const client = new CrossrefClient({ ...testClientOptions({ fetch, maxRetries: 0 }), baseUrl: 'https://cr.test' });
    await assert.rejects(client.work('10.1000/x', signal()), (error: unknown) => error instanceof LiteratureServiceError && error.kind === 'server');
  });

  it('agency() reads message.agency.id, lower-cased; 404 is undefined', async () => {
    const { fetch, urls } = recordingFetch((url) =>
      url.pathname === '/works/10.48550%2Farxiv.1803.01271/agency' ? json({ status: 'ok', 'message-type': 'work-agency', message: { DOI: '10.48550/arxiv.1803.01271', agency: { id: 'DataCite', label: 'DataCite' } } }) : notFound,
    );
    const client = new CrossrefClient({ ...testClientOptions({ fetch, maxRetries: 0 }), baseUrl: 'https://cr.test' });
    assert.equal(await client.agency('10.48550/arXiv.1803.01271', signal()), 'datacite');
    assert.equal(urls[0].search, '', 'no empty query string');
    assert.equal(await client.agency('10.1000/nobody', signal()), undefined);
  });

  it('worksByDoi() sends 95 DOIs in 3 filter=doi:… requests of at most 40, with select and mailto', async () => {
    const dois = Array.from({ length: 95 }, (_, index) => `10.1000/w${index}`);
    const { fetch, urls } = recordingFetch((url) => {
      const asked = (url.searchParams.get('filter') ?? '').split(',').map((part) => part.replace(/^doi:/, ''));
      // The service knows only the even-numbered works.
      return crossrefList(asked.filter((doi) => Number(doi.split('/w')[1]) % 2 === 0).map((doi) => crossrefItem(doi)));
    });
    const client = new CrossrefClient({ ...testClientOptions({ fetch }), baseUrl: 'https://cr.test', mailto: 'me@example.org' });
    const records = await client.worksByDoi([...dois, dois[0].toUpperCase(), 'junk'], signal());
    assert.equal(urls.length, 3);
    assert.deepEqual(
      urls.map((url) => url.searchParams.get('filter')?.split(',').length),
      [40, 40, 15],
    );
    assert.deepEqual(
      urls.map((url) => url.searchParams.get('rows')),
      ['40', '40', '15'],
    );
    for (const url of urls) {
      assert.equal(url.pathname, '/works');
      assert.ok(url.searchParams.get('filter')?.split(',').every((part) => /^doi:10\.1000\/w\d+$/.test(part)));
      assert.match(url.searchParams.get('select') ?? '', /\bDOI\b.*\brelation\b/);
      assert.equal(url.searchParams.get('mailto'), 'me@example.org');
    }
    assert.equal(records.length, 48);
    assert.ok(records.every((record) => Number(record.doi?.split('/w')[1]) % 2 === 0));
  });

  it('worksByDoi() drops select once Crossref rejects it', async () => {
    const { fetch, urls } = recordingFetch((url) =>
      url.searchParams.has('select') ? json({ status: 'failed', message: [{ message: 'Field X specified in select is not a valid field' }] }, 400) : crossrefList([crossrefItem('10.1000/a')]),
    );
    const client = new CrossrefClient({ ...testClientOptions({ fetch }), baseUrl: 'https://cr.test' });
    const records = await client.worksByDoi(['10.1000/a'], signal());
    assert.equal(records.length, 1);
    assert.deepEqual(
      urls.map((url) => url.searchParams.has('select')),
      [true, false],
    );
  });

  it('maps relation is-preprint-of to publishedVersion', () => {
    const preprint = mapCrossrefWork(
      crossrefItem('10.1101/2020.01.01.000001', {
        type: 'posted-content',
        relation: { 'has-review': [{ 'id-type': 'doi', id: '10.1000/review' }], 'is-preprint-of': [{ 'id-type': 'uri', id: 'https://example.org' }, { 'id-type': 'doi', id: '10.1038/S41586-020-0001-1', 'asserted-by': 'subject' }] },
      }),
    );
    assert.equal(preprint?.publishedVersion?.doi, '10.1038/s41586-020-0001-1');
    assert.match(preprint?.publishedVersion?.label ?? '', /^Crossref: .*doi:10\.1038\/s41586-020-0001-1/);
    assert.equal(preprint?.retracted, false);
    assert.equal(mapCrossrefWork(crossrefItem('10.1000/x', { relation: { 'has-preprint': [{ 'id-type': 'doi', id: '10.1101/x' }] } }))?.publishedVersion, undefined);
  });
});

describe('OpenAlex lookups', () => {
  it('normalisePmcid reads OpenAlex’s URL form without the PMC prefix', () => {
    assert.equal(normalisePmcid('https://www.ncbi.nlm.nih.gov/pmc/articles/5815332'), 'PMC5815332');
    assert.equal(normalisePmcid('https://www.ncbi.nlm.nih.gov/pmc/articles/5815332/'), 'PMC5815332');
    assert.equal(normalisePmcid('https://www.ncbi.nlm.nih.gov/pmc/articles/PMC5815332/'), 'PMC5815332');
    assert.equal(normalisePmcid('pmc5815332'), 'PMC5815332');
    assert.equal(normalisePmcid('5815332'), undefined);
    assert.equal(normalisePmcid('5815332', true), 'PMC5815332');
    assert.equal(normalisePmcid('https://example.org/articles/5815332'), undefined);
  });

  it('gives OpenAlex records their PMCID', () => {
    const record = mapOpenAlexWork({
      id: 'https://openalex.org/W1',
      title: 'A work',
      ids: { pmid: 'https://pubmed.ncbi.nlm.nih.gov/29456894', pmcid: 'https://www.ncbi.nlm.nih.gov/pmc/articles/5815332' },
    });
    assert.equal(record?.pmcid, 'PMC5815332');
    assert.equal(record?.pmid, '29456894');
  });

  it('worksByIds() batches 50 ids per filter, with select, api_key and mailto', async () => {
    const { fetch, urls } = recordingFetch(() => json({ meta: { count: 1 }, results: [{ id: 'https://openalex.org/W9', title: 'Found', ids: { pmcid: 'https://www.ncbi.nlm.nih.gov/pmc/articles/100' } }] }));
    const client = new OpenAlexClient({ ...testClientOptions({ fetch }), baseUrl: 'https://oa.test', apiKey: 'KEY', mailto: 'me@example.org' });
    const pmcids = Array.from({ length: 120 }, (_, index) => (index % 2 === 0 ? `PMC${100 + index}` : `https://www.ncbi.nlm.nih.gov/pmc/articles/${100 + index}`));
    const records = await client.worksByIds('pmcid', [...pmcids, 'PMC100', 'nonsense'], signal());
    assert.equal(urls.length, 3);
    assert.equal(records.length, 3);
    assert.equal(records[0].pmcid, 'PMC100');
    const filters = urls.map((url) => url.searchParams.get('filter') ?? '');
    assert.deepEqual(
      filters.map((filter) => filter.replace(/^pmcid:/, '').split('|').length),
      [50, 50, 20],
    );
    assert.ok(filters.every((filter) => /^pmcid:\d+(\|\d+)*$/.test(filter)), 'PMCIDs go as their number');
    assert.ok(filters[0].startsWith('pmcid:100|101|102'));
    for (const url of urls) {
      assert.equal(url.pathname, '/works');
      assert.equal(url.searchParams.get('api_key'), 'KEY');
      assert.equal(url.searchParams.get('mailto'), 'me@example.org');
      assert.match(url.searchParams.get('select') ?? '', /\bids\b/);
      assert.ok(Number(url.searchParams.get('per-page')) >= 50);
    }
  });

  it('worksByIds() sends DOIs bare and PMIDs as digits', async () => {
    const { fetch, urls } = recordingFetch(() => json({ meta: { count: 0 }, results: [] }));
    const client = new OpenAlexClient({ ...testClientOptions({ fetch }), baseUrl: 'https://oa.test' });
    assert.deepEqual(await client.worksByIds('doi', ['https://doi.org/10.1000/A', 'doi:10.1000/b'], signal()), []);
    assert.deepEqual(await client.worksByIds('pmid', ['PMID: 123', 'https://pubmed.ncbi.nlm.nih.gov/456/'], signal()), []);
    assert.deepEqual(await client.worksByIds('pmid', [], signal()), []);
    assert.deepEqual(
      urls.map((url) => url.searchParams.get('filter')),
      ['doi:10.1000/a|10.1000/b', 'pmid:123|456'],
    );
  });

  it('worksByIds() looks up a DOI that a filter cannot hold on its own; 404 is absent', async () => {
    const { fetch, urls } = recordingFetch((url) => (url.pathname.startsWith('/works/') ? { status: 404, body: JSON.stringify({ error: '404 Not Found' }) } : json({ meta: { count: 0 }, results: [] })));
    const client = new OpenAlexClient({ ...testClientOptions({ fetch, maxRetries: 0 }), baseUrl: 'https://oa.test' });
    assert.deepEqual(await client.worksByIds('doi', ['10.1000/a,b', '10.1000/c'], signal()), []);
    assert.deepEqual(
      urls.map((url) => url.pathname),
      ['/works', `/works/${encodeURIComponent('doi:10.1000/a,b')}`],
    );
  });
});

function pubmedArticle(pmid: string): string {
  return `<PubmedArticle><MedlineCitation><PMID Version="1">${pmid}</PMID><Article><ArticleTitle>Article ${pmid}.</ArticleTitle></Article></MedlineCitation></PubmedArticle>`;
}

describe('PubMed lookups', () => {
  it('fetchByPmids() sends 450 ids in 3 EFetch requests of at most 200; unknown ids are absent', async () => {
    const { fetch, urls } = recordingFetch((url) => {
      const ids = (url.searchParams.get('id') ?? '').split(',');
      // PubMed knows every id but those ending in 7.
      const body = `<?xml version="1.0" ?><PubmedArticleSet>${ids
        .filter((id) => !id.endsWith('7'))
        .map(pubmedArticle)
        .join('')}</PubmedArticleSet>`;
      return { body, type: 'text/xml' };
    });
    const client = new PubmedClient({ ...testClientOptions({ fetch }), baseUrl: 'https://pm.test' });
    const ids = Array.from({ length: 450 }, (_, index) => String(10_000 + index));
    const records = await client.fetchByPmids([...ids, 'PMID:10000', 'junk'], signal());
    assert.equal(urls.length, 3);
    assert.deepEqual(
      urls.map((url) => url.searchParams.get('id')?.split(',').length),
      [200, 200, 50],
    );
    assert.ok(urls.every((url) => url.pathname === '/efetch.fcgi' && url.searchParams.get('db') === 'pubmed' && url.searchParams.get('tool') === 'biowrite'));
    assert.equal(records.length, 405);
    assert.equal(records[0].pmid, '10000');
    assert.ok(!records.some((record) => record.pmid?.endsWith('7')));
    assert.deepEqual(await client.fetchByPmids([], signal()), []);
    assert.equal(urls.length, 3);
  });

  it('fetchByPmids() reads NCBI’s “empty id list” answer as nothing found', async () => {
    const { fetch } = recordingFetch(() => ({ body: '<?xml version="1.0" ?><eFetchResult><ERROR>Empty id list - nothing todo</ERROR></eFetchResult>', type: 'text/xml' }));
    const client = new PubmedClient({ ...testClientOptions({ fetch }), baseUrl: 'https://pm.test' });
    assert.deepEqual(await client.fetchByPmids(['99999999'], signal()), []);
  });
});

const atom = (entries: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
<title type="html">ArXiv Query: id_list=…</title><id>http://arxiv.org/api/abc</id>
<opensearch:totalResults>2</opensearch:totalResults>
${entries}
</feed>`;

const publishedEntry = `<entry>
<id>http://arxiv.org/abs/1803.01271v2</id>
<updated>2018-04-19T00:00:00Z</updated>
<published>2018-03-04T15:57:03Z</published>
<title>An Empirical Evaluation of Generic Convolutional and
  Recurrent Networks for Sequence Modeling</title>
<summary>  For most deep learning practitioners, sequence modeling is synonymous
with recurrent networks. </summary>
<author><name>Shaojie Bai</name></author>
<author><name>J. Zico Kolter</name></author>
<author><name>Vladlen Koltun</name></author>
<arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">10.1000/Published.2019</arxiv:doi>
<arxiv:journal_ref xmlns:arxiv="http://arxiv.org/schemas/atom">J. Fixtures 1, 2-3 (2019)</arxiv:journal_ref>
<link href="http://arxiv.org/abs/1803.01271v2" rel="alternate" type="text/html"/>
</entry>`;

const oldStyleEntry = `<entry><id>http://arxiv.org/abs/hep-th/9901001v3</id><published>1999-01-04T00:00:00Z</published><title>An old paper</title><summary>Old.</summary><author><name>A Physicist</name></author></entry>`;

const errorEntry = `<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id><title>Error</title><summary>incorrect id format for 1234</summary><author><name>arXiv api core</name></author></entry>`;

describe('arXiv client', () => {
  it('parses entries: unversioned id, DataCite DOI, whitespace, authors, year, abstract and arxiv:doi', () => {
    const records = parseArxivFeed(parseXml(atom(errorEntry + publishedEntry + oldStyleEntry)));
    assert.equal(records.length, 2, 'the error entry is skipped');
    const [tcn, old] = records;
    assert.equal(tcn.title, 'An Empirical Evaluation of Generic Convolutional and Recurrent Networks for Sequence Modeling');
    assert.equal(tcn.doi, '10.48550/arxiv.1803.01271');
    assert.equal(tcn.url, 'https://arxiv.org/abs/1803.01271');
    assert.equal(tcn.year, 2018);
    assert.equal(tcn.containerTitle, 'arXiv');
    assert.equal(tcn.type, 'article');
    assert.deepEqual(tcn.sources, ['arxiv']);
    assert.equal(tcn.abstract, 'For most deep learning practitioners, sequence modeling is synonymous with recurrent networks.');
    assert.deepEqual(tcn.authors, [
      { family: 'Bai', given: 'Shaojie' },
      { family: 'Kolter', given: 'J. Zico' },
      { family: 'Koltun', given: 'Vladlen' },
    ]);
    assert.equal(tcn.publishedVersion?.doi, '10.1000/published.2019');
    assert.match(tcn.publishedVersion?.label ?? '', /^arXiv: .*J\. Fixtures 1/);
    assert.equal(old.doi, '10.48550/arxiv.hep-th/9901001');
    assert.equal(old.publishedVersion, undefined);
    assert.throws(() => parseArxivFeed(parseXml('<html><body>maintenance</body></html>')), LiteratureServiceError);
  });

  it('byIds() sends normalised, unique ids in batches of 100 with max_results', async () => {
    const { fetch, urls } = recordingFetch(() => ({ body: atom(publishedEntry), type: 'application/atom+xml' }));
    const client = new ArxivClient({ ...testClientOptions({ fetch }), baseUrl: 'https://ax.test/' });
    const ids = Array.from({ length: 250 }, (_, index) => `2101.${String(10_000 + index)}v1`);
    const records = await client.byIds([...ids, 'arXiv:2101.10000', 'not an id'], signal());
    assert.equal(records.length, 3);
    assert.equal(urls.length, 3);
    assert.ok(urls.every((url) => url.origin === 'https://ax.test' && url.pathname === '/api/query'));
    assert.deepEqual(
      urls.map((url) => [url.searchParams.get('id_list')?.split(',').length, url.searchParams.get('max_results')]),
      [
        [100, '100'],
        [100, '100'],
        [50, '50'],
      ],
    );
    assert.ok(urls[0].searchParams.get('id_list')?.startsWith('2101.10000,2101.10001,'), 'versions are dropped');
    assert.deepEqual(await client.byIds(['junk'], signal()), []);
    assert.equal(urls.length, 3, 'nothing valid, nothing sent');
  });

  it('keeps to arXiv’s one request every three seconds', async () => {
    const { fetch } = recordingFetch(() => ({ body: atom(''), type: 'application/atom+xml' }));
    // A clock without a limiter: the client builds arXiv's own policy on the virtual clock.
    const options = { ...testClientOptions({ fetch }), limiter: undefined };
    const client = new ArxivClient({ ...options, baseUrl: 'https://ax.test' });
    const ids = Array.from({ length: 300 }, (_, index) => `2101.${String(10_000 + index)}`);
    assert.deepEqual(await client.byIds(ids, signal()), []);
    assert.deepEqual(options.clock.sleeps, [3000, 3000]);
  });
});

describe('normaliseArxivId', () => {
  it('reads the usual spellings and drops the version', () => {
    for (const form of ['1803.01271', '1803.01271v2', 'arXiv:1803.01271', 'ARXIV: 1803.01271v1', 'https://arxiv.org/abs/1803.01271v1', 'https://arxiv.org/pdf/1803.01271.pdf', 'http://export.arxiv.org/abs/1803.01271', '10.48550/arXiv.1803.01271', 'https://doi.org/10.48550/arxiv.1803.01271']) {
      assert.equal(normaliseArxivId(form), '1803.01271', form);
    }
    assert.equal(normaliseArxivId('0706.0001v1'), '0706.0001');
    assert.equal(normaliseArxivId('hep-th/9901001'), 'hep-th/9901001');
    assert.equal(normaliseArxivId('arXiv:hep-th/9901001v2'), 'hep-th/9901001');
    assert.equal(normaliseArxivId('HEP-TH/9901001'), 'hep-th/9901001');
    assert.equal(normaliseArxivId('math.GT/0309136'), 'math/0309136');
    assert.equal(normaliseArxivId('https://arxiv.org/abs/math.GT/0309136v1'), 'math/0309136');
  });

  it('rejects junk', () => {
    for (const junk of ['', '1803', '<script>', '1803.1271', '1813.01271', '0612.0001', '1412.00001', 'hep-th/99010011', '10.1000/1803.01271', 'https://example.org/abs/1803.01271x', undefined, 1803.01271]) {
      assert.equal(normaliseArxivId(junk), undefined, String(junk));
    }
  });
});

describe('Europe PMC preprints', () => {
  const preprint = (correction: Record<string, unknown>): Record<string, unknown> => ({
    id: 'PPR100',
    source: 'PPR',
    doi: '10.1101/2021.01.01.000001',
    title: 'A preprint',
    pubYear: '2021',
    commentCorrectionList: { commentCorrection: [{ id: '38645776', source: 'MED', type: 'Preprint of', orderIn: 10001, ...correction }] },
  });

  it('takes the published version’s DOI from a “Preprint of” link', () => {
    const record = mapEuropePmcResult(preprint({ reference: 'Sci Rep. 2022 May;12(1):1747. doi: 10.1038/S41598-022-48307-3.' }));
    assert.equal(record?.publishedVersion?.doi, '10.1038/s41598-022-48307-3');
    assert.match(record?.publishedVersion?.label ?? '', /^Europe PMC: /);
    assert.deepEqual(record?.notices, []);
    assert.equal(record?.retracted, false);
  });

  it('labels the published version with its id when the link has no DOI', () => {
    const record = mapEuropePmcResult(preprint({ reference: 'Sci Rep. 2022 May;12(1):1747' }));
    assert.equal(record?.publishedVersion?.doi, undefined);
    assert.match(record?.publishedVersion?.label ?? '', /pmid:38645776/);
    assert.match(record?.publishedVersion?.label ?? '', /Sci Rep/);
    assert.equal(mapEuropePmcResult({ ...preprint({}), commentCorrectionList: undefined })?.publishedVersion, undefined);
  });
});
