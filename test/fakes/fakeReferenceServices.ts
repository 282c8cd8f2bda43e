// A small world of bibliographic records served on 127.0.0.1 in the real response shapes of the
// lookups the reference audit makes: Crossref `/works?filter=doi:…`, `/works/{doi}/agency` and
// `query.bibliographic`; OpenAlex `/works?filter=doi:a|b` and `search`; PubMed `efetch.fcgi`;
// Europe PMC `search` (`DOI:"…"` and `EXT_ID:…` clauses); arXiv `/api/query?id_list=`. The records are written here for the tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One record of the fake world. */
export interface WorldRecord {
  readonly doi?: string;
  readonly pmid?: string;
  readonly arxiv?: string;
  readonly title: string;
  readonly authors: readonly { readonly given: string; readonly family: string }[];
  readonly journal?: string;
  readonly year: number;
  readonly volume?: string;
  readonly page?: string;
  /** A Crossref `updated-by` retraction notice DOI. */
  readonly retractedBy?: string;
  /** The DOI of the published version (`is-preprint-of`, `arxiv:doi`). */
  readonly publishedAs?: string;
  /** Served as PubMed `AbstractText`, OpenAlex `abstract_inverted_index` and Europe PMC `abstractText`. */
  readonly abstract?: string;
  /** The services that have {@link abstract} (optional; default: all three). */
  readonly abstractIn?: readonly ('pubmed' | 'openalex' | 'europepmc')[];
}

/** The abstract as `service` serves it. */
function abstractIn(record: WorldRecord, service: 'pubmed' | 'openalex' | 'europepmc'): string | undefined {
  return !record.abstractIn || record.abstractIn.includes(service) ? record.abstract : undefined;
}

/** Options of the fakes. */
export interface FakeReferenceServicesOptions {
  /** Services that answer every request with 500 (optional). */
  readonly failing?: readonly ('crossref' | 'openalex' | 'pubmed' | 'europepmc' | 'arxiv')[];
  /** Europe PMC answers 400, as its query parser does, to a query that holds this text (optional). */
  readonly europePmcRefuses?: string;
}

/** OpenAlex's form of an abstract: each word with the positions it stands at. */
function invertedIndex(text: string): Record<string, number[]> {
  const index: Record<string, number[]> = {};
  text.split(/\s+/).filter(Boolean).forEach((word, position) => {
    (index[word] ??= []).push(position);
  });
  return index;
}

function europePmcResult(record: WorldRecord): Record<string, unknown> {
  return {
    id: record.pmid ?? record.doi,
    source: record.pmid ? 'MED' : 'PPR',
    ...(record.pmid ? { pmid: record.pmid } : {}),
    ...(record.doi ? { doi: record.doi } : {}),
    title: `${record.title}.`,
    authorString: record.authors.map((author) => `${author.family} ${author.given.charAt(0)}`).join(', '),
    journalTitle: record.journal,
    pubYear: String(record.year),
    ...(abstractIn(record, 'europepmc') ? { abstractText: abstractIn(record, 'europepmc') } : {}),
  };
}

/** The default world: a real-looking handful, one retracted, one preprint since published. */
export const defaultWorld: readonly WorldRecord[] = [
  { doi: '10.1038/nature14539', pmid: '26017442', title: 'Deep learning', authors: [{ given: 'Yann', family: 'LeCun' }, { given: 'Yoshua', family: 'Bengio' }, { given: 'Geoffrey', family: 'Hinton' }], journal: 'Nature', year: 2015, volume: '521', page: '436-444' },
  { doi: '10.1038/nbt.3300', pmid: '26213851', title: 'Predicting the sequence specificities of DNA- and RNA-binding proteins by deep learning', authors: [{ given: 'Babak', family: 'Alipanahi' }, { given: 'Andrew', family: 'Delong' }], journal: 'Nature Biotechnology', year: 2015, volume: '33', page: '831-838' },
  { doi: '10.1038/nature11247', title: 'An integrated encyclopedia of DNA elements in the human genome', authors: [{ given: 'Ian', family: 'Dunham' }, { given: 'Anshul', family: 'Kundaje' }], journal: 'Nature', year: 2012, volume: '489', page: '57-74' },
  { doi: '10.1038/s41583-020-0277-3', title: 'Backpropagation and the brain', authors: [{ given: 'Timothy P.', family: 'Lillicrap' }, { given: 'Adam', family: 'Santoro' }], journal: 'Nature Reviews Neuroscience', year: 2020, volume: '21', page: '335-346', retractedBy: '10.1038/s41583-099-0001-1' },
  { doi: '10.1109/tpami.2020.1', title: 'Generic convolutional networks for sequence modeling', authors: [{ given: 'Shaojie', family: 'Bai' }, { given: 'Zico', family: 'Kolter' }], journal: 'IEEE Transactions on Pattern Analysis and Machine Intelligence', year: 2020 },
  { arxiv: '1803.01271', title: 'An empirical evaluation of generic convolutional and recurrent networks for sequence modeling', authors: [{ given: 'Shaojie', family: 'Bai' }, { given: 'Zico', family: 'Kolter' }], year: 2018, publishedAs: '10.1109/tpami.2020.1' },
];

/** The running fakes. */
export interface FakeReferenceServices {
  readonly urls: { readonly crossref: string; readonly openalex: string; readonly pubmed: string; readonly europepmc: string; readonly arxiv: string };
  /** Every request path with its query, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

function crossrefWork(record: WorldRecord): Record<string, unknown> {
  return {
    DOI: record.doi,
    type: 'journal-article',
    title: [record.title],
    author: record.authors.map((author, index) => ({ given: author.given, family: author.family, sequence: index === 0 ? 'first' : 'additional', affiliation: [] })),
    'container-title': record.journal ? [record.journal] : [],
    issued: { 'date-parts': [[record.year]] },
    ...(record.volume ? { volume: record.volume } : {}),
    ...(record.page ? { page: record.page } : {}),
    ...(record.retractedBy ? { 'updated-by': [{ DOI: record.retractedBy, type: 'retraction', source: 'retraction-watch', label: 'Retraction', updated: { 'date-parts': [[2021, 1, 1]] } }] } : {}),
    relation: {},
    URL: `https://doi.org/${record.doi}`,
  };
}

function openAlexWork(record: WorldRecord): Record<string, unknown> {
  const doi = record.doi ?? (record.arxiv ? `10.48550/arxiv.${record.arxiv}` : undefined);
  return {
    id: `https://openalex.org/W${Math.abs([...record.title].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7))}`,
    doi: doi ? `https://doi.org/${doi}` : null,
    title: record.title,
    display_name: record.title,
    publication_year: record.year,
    ids: { ...(doi ? { doi: `https://doi.org/${doi}` } : {}), ...(record.pmid ? { pmid: `https://pubmed.ncbi.nlm.nih.gov/${record.pmid}` } : {}) },
    primary_location: { source: { display_name: record.journal ?? (record.arxiv ? 'arXiv (Cornell University)' : null) } },
    authorships: record.authors.map((author) => ({ author: { display_name: `${author.given} ${author.family}` }, raw_author_name: `${author.given} ${author.family}` })),
    biblio: { volume: record.volume ?? null, issue: null, first_page: record.page?.split('-')[0] ?? null, last_page: record.page?.split('-')[1] ?? null },
    is_retracted: Boolean(record.retractedBy),
    abstract_inverted_index: abstractIn(record, 'openalex') ? invertedIndex(abstractIn(record, 'openalex') ?? '') : null,
    type: record.arxiv ? 'preprint' : 'article',
  };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function pubmedArticle(record: WorldRecord): string {
  const authors = record.authors.map((author) => `<Author ValidYN="Y"><LastName>${escapeXml(author.family)}</LastName><ForeName>${escapeXml(author.given)}</ForeName></Author>`).join('');
  return `<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">${record.pmid}</PMID><Article PubModel="Print"><Journal><JournalIssue><Volume>${record.volume ?? ''}</Volume><PubDate><Year>${record.year}</Year></PubDate></JournalIssue><Title>${escapeXml(record.journal ?? '')}</Title></Journal><ArticleTitle>${escapeXml(record.title)}.</ArticleTitle><Pagination><MedlinePgn>${record.page ?? ''}</MedlinePgn></Pagination>${abstractIn(record, 'pubmed') ? `<Abstract><AbstractText>${escapeXml(abstractIn(record, 'pubmed') ?? '')}</AbstractText></Abstract>` : ''}<AuthorList>${authors}</AuthorList><PublicationTypeList><PublicationType>Journal Article</PublicationType></PublicationTypeList></Article></MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pubmed">${record.pmid}</ArticleId>${record.doi ? `<ArticleId IdType="doi">${record.doi}</ArticleId>` : ''}</ArticleIdList></PubmedData></PubmedArticle>`;
}

function arxivEntry(record: WorldRecord): string {
  return `<entry><id>http://arxiv.org/abs/${record.arxiv}v1</id><published>${record.year}-01-01T00:00:00Z</published><title>${escapeXml(record.title)}</title><summary></summary>${record.authors.map((author) => `<author><name>${escapeXml(`${author.given} ${author.family}`)}</name></author>`).join('')}${record.publishedAs ? `<arxiv:doi>${record.publishedAs}</arxiv:doi>` : ''}</entry>`;
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length > 2));
}

function titleMatches(world: readonly WorldRecord[], query: string): WorldRecord[] {
  const asked = words(query);
  return world.filter((record) => [...words(record.title)].filter((word) => asked.has(word)).length >= Math.min(3, words(record.title).size));
}

/**
 * Starts the fakes on one port.
 * @param world The records served (optional; default: {@link defaultWorld}).
 * @param options Services made to fail, queries refused (optional).
 */
export async function startFakeReferenceServices(world: readonly WorldRecord[] = defaultWorld, options: FakeReferenceServicesOptions = {}): Promise<FakeReferenceServices> {
  const requests: string[] = [];
  const json = (response: ServerResponse, status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    const params = url.searchParams;
    if (options.failing?.some((service) => url.pathname.startsWith(`/${service}/`))) {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('Internal Server Error');
      return;
    }
    const byDoi = (doi: string): WorldRecord | undefined => world.find((record) => record.doi === doi.toLowerCase());
    const agency = /^\/crossref\/works\/(.+)\/agency$/.exec(url.pathname);
    if (agency) {
      const record = byDoi(decodeURIComponent(agency[1]));
      if (!record) {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('Resource not found.');
        return;
      }
      json(response, 200, { status: 'ok', 'message-type': 'work-agency', message: { DOI: record.doi, agency: { id: 'crossref', label: 'Crossref' } } });
      return;
    }
    switch (url.pathname) {
      case '/crossref/works': {
        const dois = (params.get('filter') ?? '').split(',').filter((part) => part.startsWith('doi:')).map((part) => part.slice(4).toLowerCase());
        const query = params.get('query.bibliographic');
        const found = dois.length > 0 ? world.filter((record) => record.doi && dois.includes(record.doi)) : query ? titleMatches(world, query).filter((record) => record.doi) : [];
        json(response, 200, { status: 'ok', 'message-type': 'work-list', message: { 'total-results': found.length, items: found.map(crossrefWork) } });
        return;
      }
      case '/openalex/works': {
        const filter = params.get('filter') ?? '';
        const doiFilter = /^doi:(.+)$/.exec(filter);
        const pmidFilter = /^pmid:(.+)$/.exec(filter);
        const search = params.get('search');
        const found = doiFilter
          ? world.filter((record) => doiFilter[1].split('|').some((doi) => doi.replace(/^https:\/\/doi\.org\//, '').toLowerCase() === record.doi))
          : pmidFilter
            ? world.filter((record) => record.pmid && pmidFilter[1].split('|').includes(record.pmid))
          : search
            ? titleMatches(world, search)
            : [];
        json(response, 200, { meta: { count: found.length, per_page: 25 }, results: found.map(openAlexWork) });
        return;
      }
      case '/pubmed/efetch.fcgi': {
        const ids = (params.get('id') ?? '').split(',');
        const found = world.filter((record) => record.pmid && ids.includes(record.pmid));
        response.writeHead(200, { 'content-type': 'text/xml' });
        response.end(`<?xml version="1.0" ?>\n<PubmedArticleSet>${found.map(pubmedArticle).join('')}</PubmedArticleSet>`);
        return;
      }
      case '/europepmc/search': {
        const query = params.get('query') ?? '';
        if (options.europePmcRefuses !== undefined && query.includes(options.europePmcRefuses)) {
          json(response, 400, { version: '6.9', errCode: 400, errMsg: 'Invalid query syntax.' });
          return;
        }
        const dois = [...query.matchAll(/DOI:"([^"]+)"/g)].map((match) => match[1].toLowerCase());
        const pmids = [...query.matchAll(/EXT_ID:(\d+)/g)].map((match) => match[1]);
        const found = world.filter((record) => (record.doi && dois.includes(record.doi)) || (record.pmid && pmids.includes(record.pmid)));
        json(response, 200, { version: '6.9', hitCount: found.length, resultList: { result: found.map(europePmcResult) } });
        return;
      }
      case '/arxiv/api/query': {
        const ids = (params.get('id_list') ?? '').split(',');
        const found = world.filter((record) => record.arxiv && ids.includes(record.arxiv));
        response.writeHead(200, { 'content-type': 'application/atom+xml' });
        response.end(`<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">${found.map(arxivEntry).join('')}</feed>`);
        return;
      }
      default:
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('Resource not found.');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    urls: { crossref: `${base}/crossref`, openalex: `${base}/openalex`, pubmed: `${base}/pubmed`, europepmc: `${base}/europepmc`, arxiv: `${base}/arxiv` },
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
