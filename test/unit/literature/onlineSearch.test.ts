import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLiteratureClients, literatureCacheDirFromEnv, literatureConfigFromEnv, defaultLiteratureConfig } from '../../../src/core/literature/config';
import { extractKeywords, keywordQuery, stripCitationMarkup } from '../../../src/core/literature/keywordQuery';
import { isSearchFailure, queriesFor, searchOnline, type OnlineSearchEvent } from '../../../src/core/literature/searchOnline';
import { LiteratureServiceError, type OnlineService } from '../../../src/core/literature/http';
import type { LiteratureClient } from '../../../src/core/literature/client';
import { mergeRecords } from '../../../src/core/literature/merge';
import { startFakeLiteratureServers } from '../../fakes/fakeLiteratureServers';
import { testClientOptions, useFakeLiteratureServers } from './onlineHelpers';

const fake = useFakeLiteratureServers();

const allServices: OnlineService[] = ['pubmed', 'europepmc', 'crossref', 'openalex'];

function clients(extra: Parameters<typeof testClientOptions>[0] = {}) {
  const config = literatureConfigFromEnv({
    BIOWRITE_PUBMED_URL: fake().urls.pubmed,
    BIOWRITE_EUROPEPMC_URL: fake().urls.europepmc,
    BIOWRITE_CROSSREF_URL: fake().urls.crossref,
    BIOWRITE_OPENALEX_URL: fake().urls.openalex,
    BIOWRITE_CONTACT_EMAIL: 'me@example.org',
  });
  return createLiteratureClients(config, testClientOptions(extra));
}

async function collect(iterable: AsyncIterable<OnlineSearchEvent>): Promise<OnlineSearchEvent[]> {
  const events: OnlineSearchEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

describe('keywordQuery', () => {
  it('drops citations, cross-references, math and markup', () => {
    const text = stripCitationMarkup(
      'As shown before [@doi:10.1/x; @smith2019] and \\cite{jones2020}, *IL-6* drives $x^2$ fibrosis [1,2] (Smith et al., 2019) ^3^ in [mice](https://x.org) \\emph{in vivo}.',
    );
    assert.ok(!/[@\\[\]$*^]|doi|smith|jones|https/.test(text), text);
    assert.match(text, /IL-6 drives fibrosis in mice in vivo/);
  });

  it('keeps gene symbols, acronyms, hyphenated and Greek terms first, drops stopwords', () => {
    const keywords = extractKeywords('It has been shown that TP53 loss and TGF-β signalling in single-cell RNA-seq data of CD8+ T cells drive resistance.').map((keyword) => keyword.text);
    assert.deepEqual(keywords.slice(0, 5), ['TP53', 'TGF-β', 'single-cell', 'RNA-seq', 'CD8+']);
    for (const dropped of ['it', 'has', 'been', 'shown', 'that', 'and', 'in', 'of', 'data']) assert.ok(!keywords.includes(dropped), dropped);
    assert.ok(keywords.includes('resistance'));
  });

  it('writes PubMed and Europe PMC boolean syntax, Crossref and OpenAlex word lists', () => {
    const sentence = 'Convolutional neural networks detect diabetic retinopathy in fundus photographs [@gulshan2016].';
    assert.equal(keywordQuery(sentence, 'pubmed'), 'convolutional AND networks AND diabetic AND retinopathy AND photographs');
    assert.equal(keywordQuery(sentence, 'europepmc'), keywordQuery(sentence, 'pubmed'));
    assert.equal(keywordQuery(sentence, 'crossref'), 'convolutional neural networks detect diabetic retinopathy fundus photographs');
    assert.equal(keywordQuery(sentence, 'openalex', { mode: 'any' }), 'convolutional OR neural OR networks OR detect OR diabetic OR retinopathy OR fundus OR photographs');
    assert.match(keywordQuery(sentence, 'pubmed', { mode: 'any' }), / OR /);
  });

  it('quotes terms PubMed would otherwise split, and returns nothing for a sentence without content words', () => {
    assert.equal(keywordQuery('H&E-stained slides', 'pubmed'), '"H&E-stained" AND slides');
    assert.equal(keywordQuery('It was shown that this is so [@a].', 'pubmed'), '');
  });
});

describe('searchOnline', () => {
  it('queries every service in parallel and yields each one’s records', async () => {
    const events = await collect(searchOnline({ text: 'Inhaled budesonide–formoterol as needed in mild asthma.' }, { services: allServices, maxResults: 5, signal: new AbortController().signal, clients: clients() }));
    assert.deepEqual(events.map((event) => event.source).sort(), [...allServices].sort());
    for (const event of events) {
      assert.ok(!isSearchFailure(event), isSearchFailure(event) ? event.error.message : '');
      if (!isSearchFailure(event)) {
        assert.ok(event.records.length > 0 && event.records.length <= 5, `${event.source}: ${event.records.length}`);
        assert.ok(event.records.every((record) => record.sources.includes(event.source)));
        assert.ok(event.queries.length >= 1);
      }
    }
    const merged = mergeRecords(events.flatMap((event) => (isSearchFailure(event) ? [] : event.records)));
    const stap = merged.find((record) => record.doi === '10.9999/nature.fixture.0001');
    if (stap) assert.equal(stap.retracted, true);
  });

  it('yields fast services first: the panel fills progressively', async () => {
    fake().fault('/crossref/works', { kind: 'delay', ms: 300 });
    const order: string[] = [];
    for await (const event of searchOnline({ text: 'asthma budesonide' }, { services: ['crossref', 'openalex'], maxResults: 3, signal: new AbortController().signal, clients: clients() })) {
      order.push(event.source);
    }
    assert.deepEqual(order, ['openalex', 'crossref']);
  });

  it('one service’s failure never hides the others', async () => {
    fake().fault('/europepmc/search', { kind: 'status', status: 503 }, Infinity);
    fake().fault('/crossref/works', { kind: 'html' });
    fake().fault('/pubmed/efetch.fcgi', { kind: 'truncated' });
    const events = await collect(searchOnline({ text: 'asthma budesonide formoterol' }, { services: allServices, maxResults: 3, signal: new AbortController().signal, clients: clients({ maxRetries: 1 }) }));
    const bySource = new Map(events.map((event) => [event.source, event]));
    const kindOf = (service: OnlineService): string | undefined => {
      const event = bySource.get(service);
      return event && isSearchFailure(event) ? event.error.kind : undefined;
    };
    assert.equal(kindOf('europepmc'), 'server');
    assert.equal(kindOf('crossref'), 'badResponse');
    assert.equal(kindOf('pubmed'), 'badResponse');
    const openalex = bySource.get('openalex');
    assert.ok(openalex && !isSearchFailure(openalex) && openalex.records.length > 0);
    for (const event of events) if (isSearchFailure(event)) assert.ok(event.error instanceof LiteratureServiceError && event.error.message.length > 20);
  });

  it('retries a precise query with no hits in its broad form', async () => {
    fake().fault('/openalex/works', { kind: 'empty' });
    const events = await collect(
      searchOnline({ text: 'Convolutional networks detect diabetic retinopathy.' }, { services: ['openalex'], maxResults: 3, signal: new AbortController().signal, clients: clients() }),
    );
    const [event] = events;
    assert.ok(!isSearchFailure(event));
    assert.deepEqual(event.queries, ['convolutional networks detect diabetic retinopathy', 'convolutional OR networks OR detect OR diabetic OR retinopathy']);
    assert.ok(event.records.length > 0);
  });

  it('searches the LLM’s phrasings too, de-duplicating across them', async () => {
    const events = await collect(
      searchOnline(
        { text: 'Budesonide-formoterol as needed controls mild asthma.', queries: ['as-needed budesonide formoterol mild asthma', 'SYGMA trial [@x]'] },
        { services: ['openalex'], maxResults: 10, signal: new AbortController().signal, clients: clients() },
      ),
    );
    const [event] = events;
    assert.ok(!isSearchFailure(event));
    assert.deepEqual(event.queries, ['as-needed budesonide formoterol mild asthma', 'SYGMA trial', 'budesonide-formoterol controls mild asthma']);
    const sent = fake().requestsTo('/openalex/works').slice(-3).map((request) => request.params.search);
    assert.deepEqual([...sent].sort(), [...event.queries].sort());
    // Three phrasings found the same three works: they are listed once.
    assert.equal(event.records.length, 3);
  });

  it('stops every service when the signal fires mid-request', async () => {
    fake().fault('/crossref/works', { kind: 'hang' });
    fake().fault('/pubmed/esearch.fcgi', { kind: 'hang' });
    const controller = new AbortController();
    const before = fake().requests.length;
    const pending = collect(searchOnline({ text: 'asthma' }, { services: ['crossref', 'pubmed'], maxResults: 3, signal: controller.signal, clients: clients({ timeoutMs: 30_000 }) }));
    while (fake().requests.length < before + 2) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const events = await pending;
    assert.equal(events.length, 2);
    assert.ok(events.every((event) => isSearchFailure(event) && event.error.kind === 'aborted'));
  });

  it('cancels the rest when the consumer stops reading', async () => {
    fake().fault('/crossref/works', { kind: 'hang' });
    const client = clients({ timeoutMs: 30_000 });
    let seenSignal: AbortSignal | undefined;
    const spy: LiteratureClient = {
      service: 'crossref',
      search: (query, options) => {
        seenSignal = options.signal;
        return client.crossref.search(query, options);
      },
    };
    for await (const event of searchOnline({ text: 'asthma' }, { services: ['openalex', 'crossref'], maxResults: 3, signal: new AbortController().signal, clients: { ...client, crossref: spy } })) {
      assert.equal(event.source, 'openalex');
      break;
    }
    assert.equal(seenSignal?.aborted, true);
  });

  it('skips services it does not know (e.g. from a newer settings file)', async () => {
    const events = await collect(searchOnline({ text: 'asthma' }, { services: ['openalex', 'scholar' as OnlineService], maxResults: 2, signal: new AbortController().signal, clients: clients() }));
    assert.deepEqual(
      events.map((event) => event.source),
      ['openalex'],
    );
  });

  it('builds the queries from the sentence for each service', () => {
    assert.deepEqual(queriesFor({ text: 'IL-6 drives fibrosis [@a].' }, 'pubmed'), ['IL-6 AND drives AND fibrosis']);
    assert.deepEqual(queriesFor({ text: '' }, 'crossref'), []);
  });
});

describe('fake servers without ../shared', () => {
  it('serve the hand-written fixtures through every client', async () => {
    const fixturesOnly = await startFakeLiteratureServers({ recordedDir: null });
    try {
      assert.equal(fixturesOnly.usingRecordedData, false);
      const config = literatureConfigFromEnv({
        BIOWRITE_PUBMED_URL: fixturesOnly.urls.pubmed,
        BIOWRITE_EUROPEPMC_URL: fixturesOnly.urls.europepmc,
        BIOWRITE_CROSSREF_URL: fixturesOnly.urls.crossref,
        BIOWRITE_OPENALEX_URL: fixturesOnly.urls.openalex,
      });
      const events = await collect(searchOnline({ text: 'STAP cells pluripotency' }, { services: allServices, maxResults: 10, signal: new AbortController().signal, clients: createLiteratureClients(config, testClientOptions()) }));
      const merged = mergeRecords(events.flatMap((event) => (isSearchFailure(event) ? [] : event.records)));
      const stap = merged.find((record) => record.doi === '10.9999/nature.fixture.0001');
      assert.ok(stap, 'the STAP paper is found');
      assert.equal(stap.retracted, true);
      assert.deepEqual([...stap.sources].sort(), ['crossref', 'europepmc', 'openalex', 'pubmed']);
      assert.equal(stap.pmid, '90000001');
      assert.equal(stap.pmcid, 'PMC9000001');
    } finally {
      await fixturesOnly.close();
    }
  });
});

describe('configuration', () => {
  it('reads base URLs, keys and contact from the environment', () => {
    const config = literatureConfigFromEnv({
      BIOWRITE_PUBMED_URL: 'http://proxy/eutils',
      BIOWRITE_EUROPEPMC_URL: 'http://proxy/epmc',
      BIOWRITE_CROSSREF_URL: 'http://proxy/crossref',
      BIOWRITE_OPENALEX_URL: 'http://proxy/openalex',
      BIOWRITE_CONTACT_EMAIL: 'me@x.org',
      NCBI_API_KEY: 'k1',
      OPENALEX_API_KEY: 'k2',
    });
    assert.equal(config.pubmed.baseUrl, 'http://proxy/eutils');
    assert.equal(config.pubmed.apiKey, 'k1');
    assert.equal(config.europepmc.baseUrl, 'http://proxy/epmc');
    assert.equal(config.crossref.baseUrl, 'http://proxy/crossref');
    assert.equal(config.openalex.baseUrl, 'http://proxy/openalex');
    assert.equal(config.openalex.apiKey, 'k2');
    assert.equal(config.contactEmail, 'me@x.org');
    assert.deepEqual(literatureConfigFromEnv({ BIOWRITE_PUBMED_URL: '  ' }), { ...defaultLiteratureConfig, pubmed: { baseUrl: defaultLiteratureConfig.pubmed.baseUrl, apiKey: undefined }, openalex: { baseUrl: defaultLiteratureConfig.openalex.baseUrl, apiKey: undefined }, contactEmail: undefined });
  });

  it('picks the OS cache directory, or none', () => {
    assert.equal(literatureCacheDirFromEnv({ HOME: '/home/a' }, 'linux'), '/home/a/.cache/biowrite/literature');
    assert.equal(literatureCacheDirFromEnv({ HOME: '/home/a', XDG_CACHE_HOME: '/c' }, 'linux'), '/c/biowrite/literature');
    assert.equal(literatureCacheDirFromEnv({ HOME: '/Users/a' }, 'darwin'), '/Users/a/Library/Caches/biowrite/literature');
    assert.equal(literatureCacheDirFromEnv({ BIOWRITE_CACHE_DIR: 'none' }, 'linux'), undefined);
    assert.equal(literatureCacheDirFromEnv({ BIOWRITE_CACHE_DIR: '/tmp/x' }, 'linux'), '/tmp/x');
  });
});
