/**
 * Fake literature services for tests: one Node http server on 127.0.0.1 (random port) speaking
 * NCBI E-utilities (`/pubmed/esearch.fcgi`, `/pubmed/efetch.fcgi`, `/pubmed/esummary.fcgi`), Europe PMC
 * (`/europepmc/search`), Crossref (`/crossref/works`), OpenAlex (`/openalex/works`) and Better BibTeX
 * (`/zotero/better-bibtex/json-rpc`, `/zotero/better-bibtex/cayw`).
 *
 * Answers are the real recorded responses in `../shared/data/api/` when present, else the hand-written
 * fixtures in `test/fixtures/literature/`. Faults are scripted per path (429 with Retry-After, 5xx, hang,
 * HTML error page, truncated body, empty result, any body), and every request is recorded.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';

/** A service the fake serves. */
export type FakeService = 'pubmed' | 'europepmc' | 'crossref' | 'openalex' | 'zotero';

/** One request the server received. */
export interface FakeLiteratureRequest {
  /** The first path segment: which fake service answered. */
  readonly service: FakeService;
  /** `GET` or `POST`. */
  readonly method: string;
  /** The full path without the query string, e.g. `/pubmed/esearch.fcgi`. */
  readonly path: string;
  /** Query parameters (the last value of repeated ones). */
  readonly params: Readonly<Record<string, string>>;
  /** Request headers, lower-cased names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The request body ('' for GET). */
  readonly body: string;
  /** `performance.now()` when the request arrived. */
  readonly receivedAt: number;
}

/**
 * A scripted answer that replaces the normal one: `status` (e.g. 429 with `retryAfter`, 500, 503), `hang` (never
 * answers), `html` (an HTML error page, status 200 unless given), `truncated` (the normal body cut at 60 %),
 * `empty` (a valid empty result for that API), `reset` (drops the connection), `delay` (the normal answer, late),
 * `body` (any body, e.g. a fixture).
 */
export type LiteratureFault =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string; readonly body?: string; readonly contentType?: string; readonly headers?: Readonly<Record<string, string>> }
  | { readonly kind: 'hang' }
  | { readonly kind: 'html'; readonly status?: number }
  | { readonly kind: 'truncated' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'body'; readonly body: string; readonly contentType?: string; readonly status?: number; readonly headers?: Readonly<Record<string, string>> };

/** A running fake. */
export interface FakeLiteratureServers {
  /** Base URLs to configure the clients with. */
  readonly urls: { readonly pubmed: string; readonly europepmc: string; readonly crossref: string; readonly openalex: string; readonly zotero: string };
  /** Every request received, in order. */
  readonly requests: readonly FakeLiteratureRequest[];
  /** True when the recorded responses of `../shared/data/api` are served, false when only fixtures are. */
  readonly usingRecordedData: boolean;
  /**
   * Scripts a fault for the next `times` requests to a path.
   * @param path E.g. `/pubmed/esearch.fcgi`, `/crossref/works`.
   * @param fault What to answer.
   * @param times How many requests it applies to (optional; default: 1; `Infinity` for all).
   */
  fault(path: string, fault: LiteratureFault, times?: number): void;
  /** Removes every scripted fault. */
  clearFaults(): void;
  /** Requests to one path. */
  requestsTo(path: string): FakeLiteratureRequest[];
  /** Stops the server, destroying open sockets (hanging requests included). */
  close(): Promise<void>;
}

/** Options of {@link startFakeLiteratureServers}. */
export interface FakeLiteratureServersOptions {
  /** Directory of recorded responses (optional; default: `../shared/data/api` from the repository root). */
  readonly recordedDir?: string | null;
  /** Directory of fixtures (optional; default: `test/fixtures/literature`). */
  readonly fixturesDir?: string;
}

function findRepoRoot(): string {
  const candidates = [process.cwd(), typeof __dirname === 'string' ? __dirname : process.cwd()];
  for (const start of candidates) {
    let dir = resolve(start);
    for (let i = 0; i < 8; i++) {
      if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test', 'fixtures', 'literature'))) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return process.cwd();
}

/** The repository root and the default data directories. */
export function literatureDataDirs(): { repoRoot: string; recordedDir: string; fixturesDir: string } {
  const repoRoot = findRepoRoot();
  return { repoRoot, recordedDir: resolve(repoRoot, '..', 'shared', 'data', 'api'), fixturesDir: join(repoRoot, 'test', 'fixtures', 'literature') };
}

interface Corpus {
  /** PMID → `<PubmedArticle>…</PubmedArticle>`, in load order. */
  readonly articles: Map<string, string>;
  readonly esummary?: string;
  readonly europePmcCore: string;
  readonly europePmcLite?: string;
  readonly europePmcEmpty: string;
  readonly crossref: string;
  readonly openalex: string;
  readonly htmlPage: string;
  readonly zoteroSearch: string;
  readonly zoteroCayw: string;
}

function loadCorpus(recordedDir: string | null, fixturesDir: string): { corpus: Corpus; recorded: boolean } {
  const fixture = (name: string): string => readFileSync(join(fixturesDir, name), 'utf8');
  const recorded = recordedDir !== null && existsSync(join(recordedDir, 'pubmed')) && existsSync(join(recordedDir, 'europepmc')) && existsSync(join(recordedDir, 'crossref'));
  const read = (path: string): string | undefined => (recorded && recordedDir && existsSync(join(recordedDir, path)) ? readFileSync(join(recordedDir, path), 'utf8') : undefined);
  const articles = new Map<string, string>();
  const addArticles = (xml: string): void => {
    for (const match of xml.matchAll(/<PubmedArticle>[\s\S]*?<\/PubmedArticle>/g)) {
      const pmid = /<PMID[^>]*>(\d+)<\/PMID>/.exec(match[0])?.[1];
      if (pmid && !articles.has(pmid)) articles.set(pmid, match[0]);
    }
  };
  if (recorded && recordedDir) {
    for (const name of readdirSync(join(recordedDir, 'pubmed')).sort()) {
      if (/^(pubmed\d*|efetch.*)\.xml$/.test(name)) addArticles(readFileSync(join(recordedDir, 'pubmed', name), 'utf8'));
    }
  }
  addArticles(fixture('pubmed-efetch-retracted.xml'));
  const crossrefRecorded = read('crossref/works_field_queries_0.json');
  return {
    recorded,
    corpus: {
      articles,
      esummary: read('pubmed/esummary1.xml'),
      europePmcCore: read('europepmc/search_cancer_core.json') ?? fixture('europepmc-retracted.json'),
      europePmcLite: read('europepmc/search_cancer.json'),
      europePmcEmpty:
        read('europepmc/search_no_results.json') ??
        JSON.stringify({ version: '6.9', hitCount: 0, request: { queryString: 'none', resultType: 'core', cursorMark: '*', pageSize: 25 }, resultList: { result: [] } }),
      crossref: crossrefRecorded ? JSON.stringify((JSON.parse(crossrefRecorded) as { response: unknown }).response) : fixture('crossref-works-retraction.json'),
      openalex: fixture('openalex-works.json'),
      htmlPage: fixture('error-page.html'),
      zoteroSearch: fixture('zotero-item-search.json'),
      zoteroCayw: fixture('zotero-cayw.json'),
    },
  };
}

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const xmlType = 'text/xml; charset=UTF-8';
const jsonType = 'application/json;charset=UTF-8';

function pubmedEsearch(corpus: Corpus, params: Record<string, string>, empty: boolean): Answer {
  const ids = empty ? [] : [...corpus.articles.keys()];
  const retmax = Math.max(0, Number(params.retmax ?? 20));
  const retstart = Math.max(0, Number(params.retstart ?? 0));
  const page = ids.slice(retstart, retstart + retmax);
  if (params.retmode === 'json') {
    const body = { header: { type: 'esearch', version: '0.3' }, esearchresult: { count: String(ids.length), retmax: String(page.length), retstart: String(retstart), idlist: page, translationset: [], querytranslation: params.term ?? '' } };
    return { status: 200, contentType: 'application/json; charset=UTF-8', body: JSON.stringify(body) };
  }
  const body = `<?xml version="1.0" encoding="UTF-8" ?>
<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">
<eSearchResult><Count>${ids.length}</Count><RetMax>${page.length}</RetMax><RetStart>${retstart}</RetStart><IdList>
${page.map((id) => `<Id>${id}</Id>`).join('\n')}
</IdList><TranslationSet/><QueryTranslation>${(params.term ?? '').replace(/[<&]/g, ' ')}</QueryTranslation></eSearchResult>
`;
  return { status: 200, contentType: xmlType, body };
}

function pubmedEfetch(corpus: Corpus, params: Record<string, string>, empty: boolean): Answer {
  const ids = empty ? [] : (params.id ?? '').split(',').filter((id) => id !== '');
  const articles = ids.flatMap((id) => {
    const article = corpus.articles.get(id);
    return article ? [article] : [];
  });
  const body = `<?xml version="1.0" ?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">
<PubmedArticleSet>
${articles.join('\n')}
</PubmedArticleSet>
`;
  return { status: 200, contentType: xmlType, body };
}

function europePmcSearch(corpus: Corpus, params: Record<string, string>, empty: boolean): Answer {
  if (empty) return { status: 200, contentType: jsonType, body: corpus.europePmcEmpty };
  const source = params.resultType === 'core' || !corpus.europePmcLite ? corpus.europePmcCore : corpus.europePmcLite;
  const parsed = JSON.parse(source) as { resultList: { result: unknown[] }; nextCursorMark?: string };
  const pageSize = Math.max(1, Math.min(1000, Number(params.pageSize ?? 25)));
  const start = params.cursorMark && params.cursorMark !== '*' ? Number(/^fake-(\d+)$/.exec(params.cursorMark)?.[1] ?? parsed.resultList.result.length) : 0;
  const page = parsed.resultList.result.slice(start, start + pageSize);
  const next = start + page.length;
  const body = { ...parsed, nextCursorMark: `fake-${next}`, resultList: { result: page } };
  return { status: 200, contentType: jsonType, body: JSON.stringify(body) };
}

function crossrefWorks(corpus: Corpus, params: Record<string, string>, empty: boolean): Answer {
  const parsed = JSON.parse(corpus.crossref) as { message: { items: unknown[]; 'total-results': number; 'items-per-page'?: number } };
  const rows = Math.max(0, Math.min(1000, Number(params.rows ?? 20)));
  const items = empty ? [] : parsed.message.items.slice(0, rows);
  const body = { ...parsed, message: { ...parsed.message, 'total-results': empty ? 0 : parsed.message['total-results'], items, 'items-per-page': rows } };
  return { status: 200, contentType: 'application/json', body: JSON.stringify(body), headers: { 'x-rate-limit-limit': '50', 'x-rate-limit-interval': '1s', 'x-api-pool': params.mailto ? 'polite' : 'public' } };
}

function openAlexWorks(corpus: Corpus, params: Record<string, string>, empty: boolean): Answer {
  const parsed = JSON.parse(corpus.openalex) as { meta: Record<string, unknown>; results: unknown[] };
  const perPage = Math.max(1, Math.min(200, Number(params['per-page'] ?? 25)));
  const results = empty ? [] : parsed.results.slice(0, perPage);
  const body = { ...parsed, meta: { ...parsed.meta, count: empty ? 0 : parsed.meta.count, per_page: perPage }, results };
  return { status: 200, contentType: 'application/json', body: JSON.stringify(body) };
}

function zoteroAnswer(corpus: Corpus, path: string, body: string, empty: boolean): Answer {
  if (path.endsWith('/cayw')) return { status: 200, contentType: 'application/json', body: empty ? '' : corpus.zoteroCayw };
  let request: { method?: string; id?: unknown; params?: unknown[] };
  try {
    request = JSON.parse(body) as { method?: string; id?: unknown; params?: unknown[] };
  } catch {
    return { status: 400, contentType: 'application/json', body: JSON.stringify({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null }) };
  }
  if (request.method === 'api.ready') return { status: 200, contentType: 'application/json', body: JSON.stringify({ jsonrpc: '2.0', result: { betterbibtex: '7.0.0', zotero: '7.0.11' }, id: request.id ?? 1 }) };
  if (request.method === 'item.search') {
    if (empty) return { status: 200, contentType: 'application/json', body: JSON.stringify({ jsonrpc: '2.0', result: [], id: request.id ?? 1 }) };
    // Like Zotero's quick search: every word must occur in the item.
    const items = (JSON.parse(corpus.zoteroSearch) as { result: unknown[] }).result;
    const words = String(request.params?.[0] ?? '').toLowerCase().split(/\s+/).filter((word) => word !== '');
    const result = items.filter((item) => words.every((word) => JSON.stringify(item).toLowerCase().includes(word)));
    return { status: 200, contentType: 'application/json', body: JSON.stringify({ jsonrpc: '2.0', result, id: request.id ?? 1 }) };
  }
  return { status: 200, contentType: 'application/json', body: JSON.stringify({ jsonrpc: '2.0', error: { code: -32601, message: `Method not found: ${request.method}` }, id: request.id ?? 1 }) };
}

function normalAnswer(corpus: Corpus, service: FakeService, path: string, params: Record<string, string>, body: string, empty: boolean): Answer {
  switch (path) {
    case '/pubmed/esearch.fcgi':
      return pubmedEsearch(corpus, params, empty);
    case '/pubmed/efetch.fcgi':
      return pubmedEfetch(corpus, params, empty);
    case '/pubmed/esummary.fcgi':
      return corpus.esummary ? { status: 200, contentType: xmlType, body: corpus.esummary } : { status: 404, contentType: 'text/plain', body: 'no esummary recording' };
    case '/europepmc/search':
      return europePmcSearch(corpus, params, empty);
    case '/crossref/works':
      return crossrefWorks(corpus, params, empty);
    case '/openalex/works':
      return openAlexWorks(corpus, params, empty);
    default:
      if (service === 'zotero') return zoteroAnswer(corpus, path, body, empty);
      return { status: 404, contentType: 'text/html', body: corpus.htmlPage };
  }
}

/**
 * Starts the fake services.
 * @param options Data directories (optional).
 */
export async function startFakeLiteratureServers(options: FakeLiteratureServersOptions = {}): Promise<FakeLiteratureServers> {
  const dirs = literatureDataDirs();
  const recordedDir = options.recordedDir === null ? null : (options.recordedDir ?? dirs.recordedDir);
  const { corpus, recorded } = loadCorpus(recordedDir, options.fixturesDir ?? dirs.fixturesDir);
  const requests: FakeLiteratureRequest[] = [];
  const faults = new Map<string, { fault: LiteratureFault; remaining: number }[]>();
  const sockets = new Set<Socket>();

  const takeFault = (path: string): LiteratureFault | undefined => {
    const queue = faults.get(path);
    if (!queue || queue.length === 0) return undefined;
    const head = queue[0];
    head.remaining--;
    if (head.remaining <= 0) queue.shift();
    return head.fault;
  };

  const send = (response: ServerResponse, answer: Answer): void => {
    response.writeHead(answer.status, { 'Content-Type': answer.contentType, ...answer.headers });
    response.end(answer.body);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const service = (url.pathname.split('/')[1] ?? '') as FakeService;
    const params: Record<string, string> = {};
    for (const [name, value] of url.searchParams) params[name] = value;
    if (request.method === 'POST' && (request.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      for (const [name, value] of new URLSearchParams(body)) params[name] = value;
    }
    requests.push({ service, method: request.method ?? 'GET', path: url.pathname, params, headers: request.headers, body, receivedAt: performance.now() });

    let fault = takeFault(url.pathname);
    if (fault?.kind === 'delay') {
      await new Promise((resolveDelay) => setTimeout(resolveDelay, fault && fault.kind === 'delay' ? fault.ms : 0));
      fault = undefined;
    }
    if (!fault) {
      send(response, normalAnswer(corpus, service, url.pathname, params, body, false));
      return;
    }
    switch (fault.kind) {
      case 'hang':
        return;
      case 'reset':
        request.socket.destroy();
        return;
      case 'status':
        send(response, {
          status: fault.status,
          contentType: fault.contentType ?? 'text/plain',
          body: fault.body ?? `${fault.status} error`,
          headers: { ...(fault.retryAfter !== undefined ? { 'Retry-After': fault.retryAfter } : {}), ...fault.headers },
        });
        return;
      case 'html':
        send(response, { status: fault.status ?? 200, contentType: 'text/html; charset=utf-8', body: corpus.htmlPage });
        return;
      case 'empty':
        send(response, normalAnswer(corpus, service, url.pathname, params, body, true));
        return;
      case 'truncated': {
        const normal = normalAnswer(corpus, service, url.pathname, params, body, false);
        send(response, { ...normal, body: normal.body.slice(0, Math.floor(normal.body.length * 0.6)) });
        return;
      }
      case 'body':
        send(response, { status: fault.status ?? 200, contentType: fault.contentType ?? (fault.body.trimStart().startsWith('<') ? xmlType : jsonType), body: fault.body, headers: fault.headers });
        return;
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end(String(error));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;

  return {
    urls: {
      pubmed: `${origin}/pubmed`,
      europepmc: `${origin}/europepmc`,
      crossref: `${origin}/crossref`,
      openalex: `${origin}/openalex`,
      zotero: `${origin}/zotero/better-bibtex/json-rpc`,
    },
    requests,
    usingRecordedData: recorded,
    fault(path, fault, times = 1) {
      const queue = faults.get(path) ?? [];
      queue.push({ fault, remaining: times });
      faults.set(path, queue);
    },
    clearFaults() {
      faults.clear();
    },
    requestsTo(path) {
      return requests.filter((request) => request.path === path);
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}
