import assert from 'node:assert/strict';
import { existsSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { enrichAbstracts, FileAbstractStore, MemoryAbstractStore, negativeLifetimeMs, type AbstractServices } from '../../../src/core/literature/abstractEnrichment';
import { EuropePmcClient } from '../../../src/core/literature/europePmcClient';
import { LibraryIndex } from '../../../src/core/literature/library/librarySearch';
import { OpenAlexClient } from '../../../src/core/literature/openAlexClient';
import { PubmedClient } from '../../../src/core/literature/pubmedClient';
import type { LiteratureRecord } from '../../../src/core/literature/types';
import { startFakeReferenceServices, type FakeReferenceServices, type WorldRecord } from '../../fakes/fakeReferenceServices';
import { temporaryDirectory } from '../temporaryDirectory';
import { testClientOptions } from './onlineHelpers';

const author = [{ given: 'Ada', family: 'Lovelace' }];
const abstracts = {
  pubmed: 'Tumour-infiltrating lymphocytes predicted survival after neoadjuvant chemotherapy in a cohort of 412 women with triple-negative breast cancer.',
  openalex: 'We sequenced the gut microbiome of 1,200 infants and found that caesarean delivery delayed colonisation by Bacteroides for up to a year.',
  europepmc: 'Zebrafish fin regeneration requires retinoic acid signalling in the blastema, as shown by lineage tracing and chemical inhibition.',
};

/** The world the fakes serve: one entry the library knows by PMID, one by DOI only, one whose abstract only Europe PMC holds, one with none anywhere. */
const world: WorldRecord[] = [
  { pmid: '31000001', doi: '10.1000/tils', title: 'Immune infiltrates in breast cancer', authors: author, year: 2019, abstract: abstracts.pubmed },
  { doi: '10.1000/infant-gut', title: 'Birth mode and the infant gut', authors: author, year: 2020, abstract: abstracts.openalex },
  { doi: '10.1000/fin', title: 'Fin regeneration', authors: author, year: 2018, abstract: abstracts.europepmc, abstractIn: ['europepmc'] },
  { doi: '10.1000/no-abstract', pmid: '31000004', title: 'A letter without an abstract', authors: author, year: 2021 },
];

function libraryRecord(id: string, fields: Partial<LiteratureRecord>): LiteratureRecord {
  return { sources: ['library'], libraryId: id, title: fields.title ?? id, authors: author, retracted: false, notices: [], ...fields };
}

const library: LiteratureRecord[] = [
  libraryRecord('tils', { title: 'Immune infiltrates in breast cancer', pmid: '31000001' }),
  libraryRecord('gut', { title: 'Birth mode and the infant gut', doi: 'https://doi.org/10.1000/INFANT-GUT' }),
  libraryRecord('fin', { title: 'Fin regeneration', doi: '10.1000/fin' }),
  libraryRecord('letter', { title: 'A letter without an abstract', doi: '10.1000/no-abstract', pmid: '31000004' }),
  libraryRecord('own', { title: 'Has its own abstract', doi: '10.1000/tils', abstract: 'The library copy already holds a long enough abstract, so it is never looked up again online.' }),
  libraryRecord('software', { title: 'A software package without identifiers' }),
];

describe('abstract enrichment against the fake services', () => {
  let fakes: FakeReferenceServices;
  let failingFakes: FakeReferenceServices;
  before(async () => {
    fakes = await startFakeReferenceServices(world);
    failingFakes = await startFakeReferenceServices(world, { failing: ['pubmed'] });
  });
  after(async () => {
    await fakes.close();
    await failingFakes.close();
  });

  function services(urls: FakeReferenceServices['urls'], only?: readonly string[]): AbstractServices {
    const options = testClientOptions({ maxRetries: 0 });
    const all: AbstractServices = {
      pubmed: new PubmedClient({ ...options, baseUrl: urls.pubmed }),
      openalex: new OpenAlexClient({ ...options, baseUrl: urls.openalex }),
      europepmc: new EuropePmcClient({ ...options, baseUrl: urls.europepmc }),
    };
    return only ? Object.fromEntries(Object.entries(all).filter(([name]) => only.includes(name))) : all;
  }

  it('fills each missing abstract from the first service that has it, by the entry’s own identifier', async () => {
    const before = JSON.stringify(library);
    const result = await enrichAbstracts(library, { services: services(fakes.urls), signal: new AbortController().signal });
    assert.equal(JSON.stringify(library), before, 'the library records are not changed');
    assert.deepEqual(result.records.map((record) => record.libraryId), library.map((record) => record.libraryId), 'order kept');
    const byId = new Map(result.records.map((record) => [record.libraryId, record.abstract]));
    assert.equal(byId.get('tils'), abstracts.pubmed);
    assert.equal(byId.get('gut'), abstracts.openalex, 'OpenAlex rebuilt it from abstract_inverted_index');
    assert.equal(byId.get('fin'), abstracts.europepmc);
    assert.equal(byId.get('letter'), undefined, 'no service has one: left without');
    assert.equal(byId.get('own'), library[4].abstract, 'an entry with an abstract is not looked up');
    assert.deepEqual(
      { missing: result.missing, fetched: result.fetched, fromStore: result.fromStore, withoutIdentifier: result.withoutIdentifier, failures: result.failures.length, cancelled: result.cancelled },
      { missing: 4, fetched: 3, fromStore: 0, withoutIdentifier: 1, failures: 0, cancelled: false },
    );
  });

  it('asks each service only for what the ones before it left open', async () => {
    fakes.requests.length = 0;
    await enrichAbstracts(library, { services: services(fakes.urls), signal: new AbortController().signal });
    const pubmed = fakes.requests.filter((request) => request.startsWith('/pubmed/'));
    assert.equal(pubmed.length, 1);
    assert.match(decodeURIComponent(pubmed[0]), /id=31000001,31000004/);
    const europepmc = fakes.requests.filter((request) => request.startsWith('/europepmc/')).map(decodeURIComponent).join('\n');
    assert.match(europepmc, /10\.1000\/fin/);
    assert.doesNotMatch(europepmc, /infant-gut|31000001/, 'what PubMed and OpenAlex answered is not asked again');
  });

  it('keeps abstracts and “none” answers in a file, so a second run sends nothing', async () => {
    const path = join(temporaryDirectory('biowrite-abstracts-'), 'abstracts.json');
    await enrichAbstracts(library, { services: services(fakes.urls), store: await new FileAbstractStore(path).load(), signal: new AbortController().signal });
    fakes.requests.length = 0;
    const second = await enrichAbstracts(library, { services: services(fakes.urls), store: await new FileAbstractStore(path).load(), signal: new AbortController().signal });
    assert.equal(fakes.requests.length, 0);
    assert.equal(second.fromStore, 3);
    assert.equal(second.fetched, 0);
    assert.equal(second.records.find((record) => record.libraryId === 'gut')?.abstract, abstracts.openalex);
  });

  it('asks again for an entry no service had once the answer has expired, or when a service was added', async () => {
    const store = new MemoryAbstractStore();
    let now = 1_000_000;
    const options = { store, now: () => now, signal: new AbortController().signal };
    await enrichAbstracts(library, { ...options, services: services(fakes.urls, ['pubmed']) });
    fakes.requests.length = 0;
    await enrichAbstracts(library, { ...options, services: services(fakes.urls, ['pubmed']) });
    assert.equal(fakes.requests.length, 0, 'the “none” answers are believed while fresh');
    await enrichAbstracts(library, { ...options, services: services(fakes.urls, ['pubmed', 'openalex']) });
    assert.ok(fakes.requests.some((request) => request.startsWith('/openalex/')), 'a service not asked before is asked');
    fakes.requests.length = 0;
    now += negativeLifetimeMs + 1;
    await enrichAbstracts(library, { ...options, services: services(fakes.urls, ['pubmed', 'openalex']) });
    assert.ok(fakes.requests.some((request) => decodeURIComponent(request).includes('31000004')), 'an expired “none” is asked again');
  });

  it('goes on when a service fails, reports it, and does not remember “none” for what it could have answered', async () => {
    const store = new MemoryAbstractStore();
    const result = await enrichAbstracts(library, { services: services(failingFakes.urls), store, signal: new AbortController().signal });
    assert.deepEqual(result.failures.map((failure) => failure.service), ['pubmed']);
    const byId = new Map(result.records.map((record) => [record.libraryId, record.abstract]));
    assert.equal(byId.get('tils'), abstracts.pubmed, 'OpenAlex answered by PMID instead');
    assert.equal(byId.get('gut'), abstracts.openalex);
    assert.equal(store.get('pmid:31000004'), undefined, 'no “none” while PubMed was down');
  });

  it('asks a batch Europe PMC refuses again in halves: one identifier its parser rejects costs only its own entry, once', async () => {
    const poison = '10.1000/odd:(2)[x]';
    const finOnly: WorldRecord[] = Array.from({ length: 30 }, (_, i) => ({ doi: `10.1000/fin.${i}`, title: `Fin regeneration ${i}`, authors: author, year: 2018, abstract: `${abstracts.europepmc} Part ${i}.`, abstractIn: ['europepmc'] }));
    const refusing = await startFakeReferenceServices(finOnly, { europePmcRefuses: poison });
    try {
      const entries = [...finOnly.slice(0, 12).map((record, i) => libraryRecord(`f${i}`, { doi: record.doi })), libraryRecord('odd', { doi: poison }), ...finOnly.slice(12).map((record, i) => libraryRecord(`g${i}`, { doi: record.doi }))];
      const path = join(temporaryDirectory('biowrite-abstracts-'), 'abstracts.json');
      const first = await enrichAbstracts(entries, { services: services(refusing.urls, ['europepmc']), store: await new FileAbstractStore(path).load(), signal: new AbortController().signal });
      assert.deepEqual(first.failures, [], 'a refused query is not a failing service');
      assert.equal(first.fetched, 30, 'every other entry got its abstract');
      assert.equal(first.records.find((record) => record.libraryId === 'odd')?.abstract, undefined);
      const refused = refusing.requests.filter((request) => decodeURIComponent(request).includes(poison)).length;
      assert.ok(refused <= 6, `the refused entry was in ${refused} queries: halving a batch of 25 takes at most 6`);
      refusing.requests.length = 0;
      const second = await enrichAbstracts(entries, { services: services(refusing.urls, ['europepmc']), store: await new FileAbstractStore(path).load(), signal: new AbortController().signal });
      assert.deepEqual(refusing.requests, [], 'the next load asks nothing: the refused entry is Europe PMC’s “none”');
      assert.equal(second.fromStore, 30);
    } finally {
      await refusing.close();
    }
  });

  it('stops asking a Europe PMC that is down after the first failed batch, reports it once and remembers no “none”', async () => {
    const down = await startFakeReferenceServices(world, { failing: ['europepmc'] });
    try {
      const store = new MemoryAbstractStore();
      const entries = Array.from({ length: 60 }, (_, i) => libraryRecord(`d${i}`, { doi: `10.1000/down.${i}` }));
      const result = await enrichAbstracts(entries, { services: services(down.urls, ['europepmc']), store, signal: new AbortController().signal });
      assert.deepEqual(result.failures.map((failure) => failure.service), ['europepmc']);
      assert.equal(down.requests.filter((request) => request.startsWith('/europepmc/')).length, 1, 'the other two batches are not sent');
      assert.equal(store.get('doi:10.1000/down.59'), undefined, 'an entry never asked is not “none”');
      assert.equal(store.get('doi:10.1000/down.0'), undefined);
    } finally {
      await down.close();
    }
  });

  it('stops when cancelled, keeps what it found, and remembers no “none”', async () => {
    const controller = new AbortController();
    controller.abort();
    const store = new MemoryAbstractStore();
    const result = await enrichAbstracts(library, { services: services(fakes.urls), store, signal: controller.signal });
    assert.equal(result.cancelled, true);
    assert.equal(result.fetched, 0);
    assert.equal(store.get('doi:10.1000/no-abstract'), undefined);
  });
});

describe('abstract enrichment, hostile answers and files', () => {
  const signal = new AbortController().signal;
  it('ignores a record a service returns for another identifier, and too-short abstracts', async () => {
    const services: AbstractServices = {
      openalex: {
        worksByIds: async () => [
          libraryRecord('x', { doi: '10.1000/someone-else', abstract: abstracts.openalex }),
          libraryRecord('y', { doi: '10.1000/fin', abstract: 'Abstract' }),
        ],
      },
    };
    const result = await enrichAbstracts([libraryRecord('fin', { doi: '10.1000/fin' })], { services, signal });
    assert.equal(result.records[0].abstract, undefined);
    assert.equal(result.fetched, 0);
  });

  it('reads a malformed store file as empty and writes a valid one over it', async () => {
    const path = join(temporaryDirectory('biowrite-abstracts-'), 'abstracts.json');
    writeFileSync(path, '{"version":1,"entries":{"doi:10.1000/fin":{"abstract":"short","checkedAt":1}, "doi:x": 5}');
    const store = await new FileAbstractStore(path).load();
    assert.equal(store.get('doi:10.1000/fin'), undefined);
    writeFileSync(path, '{"version":1,"entries":{"doi:10.1000/fin":{"abstract":"short","checkedAt":1},"pmid:1":{"checkedAt":"soon"}}}');
    const reloaded = await new FileAbstractStore(path).load();
    assert.equal(reloaded.get('doi:10.1000/fin'), undefined, 'a too-short abstract in the file is not trusted');
    assert.equal(reloaded.get('pmid:1'), undefined);
    const services: AbstractServices = { pubmed: { fetchByPmids: async () => [] }, openalex: { worksByIds: async () => [libraryRecord('f', { doi: '10.1000/fin', abstract: abstracts.europepmc })] } };
    await enrichAbstracts([libraryRecord('fin', { doi: '10.1000/fin' })], { services, store: reloaded, signal });
    assert.equal((await new FileAbstractStore(path).load()).get('doi:10.1000/fin')?.abstract, abstracts.europepmc);
  });

  it('keeps an abstract only under the identifiers the returned record shares, and refuses a record whose other identifier disagrees', async () => {
    const store = new MemoryAbstractStore();
    const services: AbstractServices = {
      openalex: {
        worksByIds: async (kind, ids) =>
          kind === 'doi' && ids.includes('10.1000/a') ? [libraryRecord('a', { doi: '10.1000/a', abstract: abstracts.openalex }), libraryRecord('b', { doi: '10.1000/b', pmid: '123', abstract: abstracts.pubmed })] : [],
      },
    };
    const result = await enrichAbstracts([libraryRecord('typo', { doi: '10.1000/a', pmid: '999' }), libraryRecord('conflict', { doi: '10.1000/b', pmid: '124' })], { services, store, signal });
    assert.equal(result.records[0].abstract, abstracts.openalex, 'the DOI matches and the record names no PMID');
    assert.equal(store.get('doi:10.1000/a')?.abstract, abstracts.openalex);
    assert.equal(store.get('pmid:999'), undefined, 'the entry’s PMID was not confirmed: nothing is kept under it');
    assert.equal(result.records[1].abstract, undefined, 'PMID 123 is not the entry’s 124: another work');
    const other = await enrichAbstracts([libraryRecord('real999', { pmid: '999' })], { services: { pubmed: { fetchByPmids: async () => [] } }, store, signal });
    assert.equal(other.records[0].abstract, undefined, 'an entry that really has PMID 999 does not get paper A’s abstract');
  });

  it('asks at once for an identifier added to an entry whose other identifier is remembered as “none”', async () => {
    const store = new MemoryAbstractStore();
    const asked: string[] = [];
    const services: AbstractServices = { openalex: { worksByIds: async (kind, ids) => (asked.push(`${kind}:${ids.join('|')}`), kind === 'doi' ? [libraryRecord('x', { doi: '10.1000/new', abstract: abstracts.openalex })] : []) } };
    await enrichAbstracts([libraryRecord('e', { pmid: '5' })], { services, store, signal });
    assert.equal(store.get('pmid:5')?.abstract, undefined);
    asked.length = 0;
    const result = await enrichAbstracts([libraryRecord('e', { pmid: '5', doi: '10.1000/new' })], { services, store, signal });
    assert.deepEqual(asked, ['doi:10.1000/new']);
    assert.equal(result.records[0].abstract, abstracts.openalex);
  });

  it('stopped halfway, keeps what the first service found and remembers no “none” for the rest', async () => {
    const controller = new AbortController();
    const store = new MemoryAbstractStore();
    let openAlexAsked = false;
    const services: AbstractServices = {
      pubmed: {
        fetchByPmids: async () => {
          controller.abort();
          return [libraryRecord('p', { pmid: '1', abstract: abstracts.pubmed })];
        },
      },
      openalex: { worksByIds: async () => ((openAlexAsked = true), []) },
    };
    const result = await enrichAbstracts([libraryRecord('one', { pmid: '1' }), libraryRecord('two', { pmid: '2', doi: '10.1000/two' })], { services, store, signal: controller.signal });
    assert.equal(result.cancelled, true);
    assert.equal(openAlexAsked, false);
    assert.equal(result.records[0].abstract, abstracts.pubmed);
    assert.equal(store.get('pmid:1')?.abstract, abstracts.pubmed);
    assert.equal(store.get('pmid:2'), undefined);
    assert.equal(store.get('doi:10.1000/two'), undefined);
  });

  it('asks Europe PMC by DOI or PMID in one clause, within a bounded query, and does not trust a truncated page', async () => {
    const queries: string[] = [];
    const store = new MemoryAbstractStore();
    const sici = '10.1002/(sici)1097-4636(199606)31:2<213::aid-jbm9>3.0.co;2-j';
    const services: AbstractServices = {
      europepmc: {
        search: async (query) => {
          queries.push(query);
          return { records: [], total: 500 };
        },
      },
    };
    const many = Array.from({ length: 60 }, (_, i) => libraryRecord(`m${i}`, { doi: `10.1000/${'x'.repeat(200)}.${i}` }));
    await enrichAbstracts([libraryRecord('both', { doi: sici, pmid: '77' }), ...many], { services, store, signal });
    assert.ok(queries[0].startsWith(`(DOI:"${sici}" OR (EXT_ID:77 AND SRC:MED))`), queries[0]);
    assert.ok(queries.every((query) => query.length <= 3100), `longest query ${Math.max(...queries.map((q) => q.length))}`);
    assert.equal(queries.length > 3, true, 'long identifiers are split over several queries');
    assert.equal(store.get('pmid:77'), undefined, 'a page that did not hold every hit proves nothing');
  });

  it('still returns what it found when the store cannot be written', async () => {
    const store = { get: () => undefined, set: () => undefined, save: async () => Promise.reject(new Error('disk full')) };
    const services: AbstractServices = { openalex: { worksByIds: async () => [libraryRecord('f', { doi: '10.1000/fin', abstract: abstracts.europepmc })] } };
    const result = await enrichAbstracts([libraryRecord('fin', { doi: '10.1000/fin' })], { services, store, signal });
    assert.equal(result.records[0].abstract, abstracts.europepmc);
    assert.equal(result.storeError, 'disk full');
  });

  it('merges the file on save, so two windows sharing it keep each other’s abstracts; saves of one store run in turn', async () => {
    const path = join(temporaryDirectory('biowrite-abstracts-'), 'abstracts.json');
    const first = await new FileAbstractStore(path).load();
    const second = await new FileAbstractStore(path).load();
    first.set('doi:10.1000/one', { abstract: abstracts.pubmed, checkedAt: 1 });
    second.set('doi:10.1000/two', { abstract: abstracts.openalex, checkedAt: 2 });
    await first.save();
    await second.save();
    first.set('doi:10.1000/three', { abstract: abstracts.europepmc, checkedAt: 3 });
    await Promise.all([first.save(), first.save()]);
    const reread = await new FileAbstractStore(path).load();
    assert.equal(reread.get('doi:10.1000/one')?.abstract, abstracts.pubmed);
    assert.equal(reread.get('doi:10.1000/two')?.abstract, abstracts.openalex);
    assert.equal(reread.get('doi:10.1000/three')?.abstract, abstracts.europepmc);
  });

  it('keeps both windows’ abstracts when they save the shared file at the same moment', async () => {
    const path = join(temporaryDirectory('biowrite-abstracts-'), 'abstracts.json');
    const windows = [await new FileAbstractStore(path).load(), await new FileAbstractStore(path).load()];
    for (let round = 0; round < 15; round++) {
      windows.forEach((store, w) => store.set(`doi:10.1000/w${w}r${round}`, { abstract: abstracts.pubmed, checkedAt: round }));
      await Promise.all(windows.map((store) => store.save()));
    }
    const reread = await new FileAbstractStore(path).load();
    const missing = [0, 1].flatMap((w) => Array.from({ length: 15 }, (_, round) => `doi:10.1000/w${w}r${round}`)).filter((key) => !reread.get(key));
    assert.deepEqual(missing, []);
  });

  it('saves over a lock left behind by a window that crashed while saving', async () => {
    const path = join(temporaryDirectory('biowrite-abstracts-'), 'abstracts.json');
    writeFileSync(`${path}.lock`, '12345');
    utimesSync(`${path}.lock`, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const store = await new FileAbstractStore(path).load();
    store.set('doi:10.1000/after-crash', { abstract: abstracts.pubmed, checkedAt: 1 });
    await store.save();
    assert.equal((await new FileAbstractStore(path).load()).get('doi:10.1000/after-crash')?.abstract, abstracts.pubmed);
    assert.equal(existsSync(`${path}.lock`), false);
  });

  it('does nothing for an empty library or one where every entry has an abstract', async () => {
    let asked = 0;
    const services: AbstractServices = { pubmed: { fetchByPmids: async () => (asked++, []) } };
    assert.equal((await enrichAbstracts([], { services, signal })).missing, 0);
    await enrichAbstracts([library[4]], { services, signal });
    assert.equal(asked, 0);
  });

  it('lets the library ranking find an entry by words only its fetched abstract holds', async () => {
    const others = ['Deep learning', 'Single-cell RNA sequencing of the mouse brain', 'Gut microbiome and obesity', 'Limb bud outgrowth in chick embryos', 'Signalling pathways in development', 'Heart regeneration in zebrafish', 'Notch signalling in neurogenesis'].map((title, index) =>
      libraryRecord(`other-${index}`, { title, abstract: `${title}: studied here with several methods across model organisms and human cohorts.` }),
    );
    const records = [libraryRecord('fin', { title: 'Fin regeneration', doi: '10.1000/fin' }), ...others];
    const sentence = 'Blastema formation during zebrafish regrowth depends on retinoic acid signalling, as lineage tracing showed.';
    const rankBefore = new LibraryIndex(records).search({ text: sentence }, 5).findIndex((hit) => hit.record.libraryId === 'fin');
    const services: AbstractServices = { openalex: { worksByIds: async () => [libraryRecord('f', { doi: '10.1000/fin', abstract: abstracts.europepmc })] } };
    const enriched = await enrichAbstracts(records, { services, signal });
    const rankAfter = new LibraryIndex(enriched.records).search({ text: sentence }, 5).findIndex((hit) => hit.record.libraryId === 'fin');
    assert.equal(rankBefore, -1, 'without the abstract no word of the sentence reaches it');
    assert.equal(rankAfter, 0);
  });
});
