import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { LiteratureServiceError } from '../../../src/core/literature/http';
import { ZoteroClient } from '../../../src/core/literature/zoteroClient';
import { decodeEntities, parseXml, textOf, XmlParseError } from '../../../src/core/literature/xml';
import { markupToText, jatsAbstractToText, normaliseDoi, normalisePmcid, normalisePmid, splitDisplayName } from '../../../src/core/literature/normalize';

import { recorded, recordedSkip, useFakeLiteratureServers } from './onlineHelpers';

const fake = useFakeLiteratureServers();

const signal = (): AbortSignal => new AbortController().signal;

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/better-bibtex/json-rpc`;
}

describe('Zotero (Better BibTeX)', () => {
  it('searches with item.search over JSON-RPC and keeps the citekey', async () => {
    const log: unknown[] = [];
    const zotero = new ZoteroClient({ url: fake().urls.zotero, logger: (entry) => log.push(entry) });
    assert.equal(await zotero.isAvailable(signal()), true);
    const outcome = await zotero.search('topol medicine', { maxResults: 5, signal: signal() });
    assert.ok(outcome.available);
    assert.equal(outcome.records.length, 1);
    const [item] = outcome.records;
    assert.equal(item.libraryId, 'topol2019HighperformanceMedicine');
    assert.deepEqual(item.sources, ['zotero']);
    assert.equal(item.doi, '10.1038/s41591-018-0300-7');
    assert.equal(item.pmid, '30617339');
    assert.equal(item.year, 2019);
    const [request] = fake().requestsTo('/zotero/better-bibtex/json-rpc').slice(-1);
    assert.equal(request.method, 'POST');
    assert.deepEqual(JSON.parse(request.body), { jsonrpc: '2.0', method: 'item.search', params: ['topol medicine'], id: 1 });
    assert.equal(log.length, 2);
  });

  it('drops boolean syntax and falls back to single words when all words together find nothing', async () => {
    const zotero = new ZoteroClient({ url: fake().urls.zotero });
    const before = fake().requestsTo('/zotero/better-bibtex/json-rpc').length;
    const outcome = await zotero.search('"artificial intelligence" OR asthma OR Topol', { maxResults: 5, signal: signal() });
    assert.ok(outcome.available);
    assert.equal(outcome.records[0]?.libraryId, 'topol2019HighperformanceMedicine');
    const sent = fake()
      .requestsTo('/zotero/better-bibtex/json-rpc')
      .slice(before)
      .map((request) => (JSON.parse(request.body) as { params: string[] }).params[0]);
    assert.deepEqual(sent, ['artificial intelligence asthma Topol', 'artificial', 'intelligence', 'asthma', 'Topol']);
  });

  it('reports “not running” quickly and quietly when the port is closed', async () => {
    const zotero = new ZoteroClient({ url: await closedPortUrl() });
    assert.equal(await zotero.isAvailable(signal()), false);
    const outcome = await zotero.search('x', { maxResults: 5, signal: signal() });
    assert.equal(outcome.available, false);
    if (!outcome.available) assert.match(outcome.reason, /Zotero is not running/);
  });

  it('treats a hanging Zotero as not available after the short timeout', async () => {
    fake().fault('/zotero/better-bibtex/json-rpc', { kind: 'hang' });
    const zotero = new ZoteroClient({ url: fake().urls.zotero, timeoutMs: 150 });
    const outcome = await zotero.search('x', { maxResults: 5, signal: signal() });
    assert.equal(outcome.available, false);
  });

  it('says Better BibTeX is missing when Zotero answers 404', async () => {
    fake().fault('/zotero/better-bibtex/json-rpc', { kind: 'status', status: 404, body: 'No endpoint found' });
    const outcome = await new ZoteroClient({ url: fake().urls.zotero }).search('x', { maxResults: 5, signal: signal() });
    assert.equal(outcome.available, false);
    if (!outcome.available) assert.match(outcome.reason, /without Better BibTeX/);
  });

  it('raises a JSON-RPC error as a typed error', async () => {
    fake().fault('/zotero/better-bibtex/json-rpc', { kind: 'body', body: '{"jsonrpc":"2.0","error":{"code":-32000,"message":"library not found"},"id":1}' });
    await assert.rejects(new ZoteroClient({ url: fake().urls.zotero }).search('x', { maxResults: 5, signal: signal() }), (error: unknown) => error instanceof LiteratureServiceError && error.kind === 'rejected' && /library not found/.test(error.message));
  });

  it('returns the cite-as-you-write pick as records or as text, and an empty pick when cancelled', async () => {
    const zotero = new ZoteroClient({ url: fake().urls.zotero });
    assert.equal(zotero.caywUrl, fake().urls.zotero.replace('/json-rpc', '/cayw'));
    const picked = await zotero.pick('json', signal());
    assert.ok(picked.available);
    assert.equal(picked.records[0].libraryId, 'topol2019HighperformanceMedicine');
    assert.equal(fake().requestsTo('/zotero/better-bibtex/cayw').slice(-1)[0].params.format, 'json');

    fake().fault('/zotero/better-bibtex/cayw', { kind: 'body', body: '[@topol2019HighperformanceMedicine]', contentType: 'text/plain' });
    const pandoc = await zotero.pick('pandoc', signal());
    assert.ok(pandoc.available);
    assert.equal(pandoc.text, '[@topol2019HighperformanceMedicine]');

    fake().fault('/zotero/better-bibtex/cayw', { kind: 'empty' });
    const cancelled = await zotero.pick('json', signal());
    assert.ok(cancelled.available);
    assert.deepEqual(cancelled.records, []);
  });
});

describe('XML parser', () => {
  it('parses every recorded E-utilities response', { skip: recordedSkip }, () => {
    for (const name of ['esearch1.xml', 'esearch2.xml', 'esummary1.xml', 'pubmed1.xml', 'pubmed2.xml', 'pubmed4.xml', 'pubmed5.xml', 'efetch-29768149.xml']) {
      const root = parseXml(recorded(`pubmed/${name}`) ?? '');
      assert.ok(['eSearchResult', 'eSummaryResult', 'PubmedArticleSet'].includes(root.name), name);
    }
  });

  it('keeps mixed content in order and decodes entities', () => {
    const root = parseXml('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>H<sub>2</sub>O &amp; CO<sub>2</sub> &#x3b1;&#946; <![CDATA[<raw>]]><!-- c --></a>');
    assert.equal(textOf(root), 'H2O & CO2 αβ <raw>');
    assert.equal(decodeEntities('&lt;&unknown;&#xFFFFFFF;'), '<&unknown;&#xFFFFFFF;');
  });

  it('throws a clear error on truncated or malformed XML, never returns half a tree', () => {
    const cases = ['', '<a><b>text</b>', '<a><b>text</a>', '<a attr="x', '<a>text</a><b/>', '<a', 'plain text'];
    for (const input of cases) assert.throws(() => parseXml(input), XmlParseError, JSON.stringify(input));
    assert.throws(() => parseXml('<PubmedArticleSet><PubmedArticle><ArticleTitle>Cut'), /cut off/);
  });

  it('says "cut off" wherever a response is truncated', () => {
    // Before: a cut inside a closing tag, comment or declaration read "Unterminated closing tag",
    // so the message depended on where the connection happened to drop.
    const document = '<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle//EN" "x.dtd">\n<PubmedArticleSet><!-- one --><PubmedArticle a = "1" b=\'2\'><ArticleTitle>H<sub>2</sub>O &amp; <![CDATA[<raw>]]></ArticleTitle><Empty/></PubmedArticle></PubmedArticleSet>';
    assert.doesNotThrow(() => parseXml(document));
    for (let cut = 1; cut < document.length; cut++) {
      const prefix = document.slice(0, cut);
      assert.throws(() => parseXml(prefix), /cut off/, `cut at ${cut}: ${JSON.stringify(prefix.slice(-20))}`);
    }
  });
});

describe('normalisation', () => {
  it('normalises DOIs, PMIDs and PMCIDs', () => {
    assert.equal(normaliseDoi(' https://doi.org/10.1056/NEJMoa1715274 '), '10.1056/nejmoa1715274');
    assert.equal(normaliseDoi('doi:10.1/X'), '10.1/x');
    assert.equal(normaliseDoi('not a doi'), undefined);
    assert.equal(normalisePmid('https://pubmed.ncbi.nlm.nih.gov/29768149'), '29768149');
    assert.equal(normalisePmid('PMID: 123'), '123');
    assert.equal(normalisePmid('12a'), undefined);
    assert.equal(normalisePmcid('https://www.ncbi.nlm.nih.gov/pmc/articles/PMC123/'), 'PMC123');
    assert.equal(normalisePmcid('123'), undefined);
    assert.equal(normalisePmcid('123', true), 'PMC123');
  });

  it('turns HTML and JATS into plain text without running anything', () => {
    assert.equal(markupToText('<h4>Background</h4>A<sup>+</sup> &amp; B<script>evil()</script><style>p{}</style><img src=x onerror=alert(1)>.'), 'Background A+ & B.');
    assert.equal(jatsAbstractToText('<jats:title>Abstract</jats:title><jats:p>First.</jats:p><jats:p>Second <jats:italic>it</jats:italic>.</jats:p>'), 'First. Second it.');
    assert.equal(markupToText('unterminated <b'), 'unterminated');
  });

  it('splits display names, keeping particles with the family name', () => {
    assert.deepEqual(splitDisplayName('Jonathan D. Schoenfeld'), { family: 'Schoenfeld', given: 'Jonathan D.' });
    assert.deepEqual(splitDisplayName('Ludwig van Beethoven'), { family: 'van Beethoven', given: 'Ludwig' });
    assert.deepEqual(splitDisplayName('Curie, Marie'), { family: 'Curie', given: 'Marie' });
    assert.deepEqual(splitDisplayName('Consortium'), { literal: 'Consortium' });
  });
});
