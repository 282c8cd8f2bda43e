import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { cacheFileName, DiskCache, MemoryCache } from '../../../src/core/literature/cache';
import { OpenAlexClient } from '../../../src/core/literature/openAlexClient';
import { PubmedClient } from '../../../src/core/literature/pubmedClient';
import { searchOnline } from '../../../src/core/literature/searchOnline';
import { createLiteratureClients, literatureConfigFromEnv } from '../../../src/core/literature/config';

import { testClientOptions, useFakeLiteratureServers } from './onlineHelpers';
import { temporaryDirectory } from '../temporaryDirectory';

const fake = useFakeLiteratureServers();
let directory: string;
beforeEach(() => {
  directory = temporaryDirectory('biowrite-cache-');
});

const signal = (): AbortSignal => new AbortController().signal;

describe('DiskCache', () => {
  it('answers a second identical PubMed search from disk: nothing is sent', async () => {
    const cache = new DiskCache({ directory });
    const client = new PubmedClient({ ...testClientOptions(), baseUrl: fake().urls.pubmed, cache, apiKey: 'SECRET-NCBI-KEY', email: 'me@example.org' });
    const before = fake().requests.length;
    const first = await client.search('asthma inhaled', { maxResults: 3, signal: signal() });
    assert.equal(fake().requests.length, before + 2, 'ESearch and EFetch');
    const second = await client.search('asthma inhaled', { maxResults: 3, signal: signal() });
    assert.equal(fake().requests.length, before + 2, 'the second search sent nothing');
    assert.deepEqual(second, first);
    await client.search('asthma inhaled', { maxResults: 4, signal: signal() });
    assert.ok(fake().requests.length > before + 2, 'a different request is sent');
  });

  it('never writes secrets or contact details to disk', async () => {
    const cache = new DiskCache({ directory });
    const client = new OpenAlexClient({ ...testClientOptions(), baseUrl: fake().urls.openalex, cache, apiKey: 'SECRET-OA-KEY', mailto: 'me@example.org' });
    await client.search('asthma', { maxResults: 2, signal: signal() });
    const names = await readdir(directory);
    assert.equal(names.length, 1);
    const content = await readFile(join(directory, names[0]), 'utf8');
    assert.ok(!content.includes('SECRET-OA-KEY') && !names[0].includes('SECRET'));
    assert.ok(!content.includes('me@example.org'));
    // The key does not split the cache: the same query with another key is a hit.
    const other = new OpenAlexClient({ ...testClientOptions(), baseUrl: fake().urls.openalex, cache, apiKey: 'OTHER', mailto: 'x@y.org' });
    const before = fake().requests.length;
    await other.search('asthma', { maxResults: 2, signal: signal() });
    assert.equal(fake().requests.length, before);
  });

  it('does not cache a truncated answer', async () => {
    const cache = new DiskCache({ directory });
    const client = new OpenAlexClient({ ...testClientOptions(), baseUrl: fake().urls.openalex, cache });
    fake().fault('/openalex/works', { kind: 'truncated' });
    await assert.rejects(client.search('truncated', { maxResults: 2, signal: signal() }));
    assert.deepEqual(await readdir(directory), []);
    const result = await client.search('truncated', { maxResults: 2, signal: signal() });
    assert.equal(result.records.length, 2);
  });

  it('expires entries after the TTL', async () => {
    let now = 1_000_000;
    const cache = new DiskCache({ directory, ttlMs: 1000, now: () => now });
    await cache.set('crossref', 'https://x/works?q=1', 'body');
    assert.equal(await cache.get('crossref', 'https://x/works?q=1'), 'body');
    now += 1001;
    assert.equal(await cache.get('crossref', 'https://x/works?q=1'), undefined);
    assert.deepEqual(await readdir(directory), [], 'the expired entry is removed');
  });

  it('treats a damaged entry as a miss and removes it', async () => {
    const cache = new DiskCache({ directory });
    await writeFile(join(directory, cacheFileName('pubmed', 'k')), '{"v":1,"service":"pubmed","stored', 'utf8');
    assert.equal(await cache.get('pubmed', 'k'), undefined);
    assert.deepEqual(await readdir(directory), []);
    await writeFile(join(directory, cacheFileName('pubmed', 'k2')), JSON.stringify({ v: 1, service: 'crossref', storedAt: Date.now(), body: 'x' }), 'utf8');
    assert.equal(await cache.get('pubmed', 'k2'), undefined, 'an entry for another service is not trusted');
  });

  it('writes atomically (no temporary files left) and evicts the oldest beyond the caps', async () => {
    const cache = new DiskCache({ directory, maxEntries: 3 });
    for (let i = 0; i < 5; i++) {
      await cache.set('crossref', `key${i}`, `body${i}`);
      const path = join(directory, cacheFileName('crossref', `key${i}`));
      const time = new Date(Date.now() - (10 - i) * 1000);
      await utimes(path, time, time);
    }
    await cache.evict();
    const names = await readdir(directory);
    assert.equal(names.length, 3);
    assert.ok(names.every((name) => name.endsWith('.json')));
    assert.equal(await cache.get('crossref', 'key0'), undefined);
    assert.equal(await cache.get('crossref', 'key4'), 'body4');

    const small = new DiskCache({ directory, maxBytes: 100 });
    await small.evict();
    assert.ok((await readdir(directory)).length < 3, 'the byte cap evicts too');
  });

  it('survives an unwritable directory without failing the search', async () => {
    const file = join(directory, 'not-a-directory');
    await writeFile(file, 'x');
    const cache = new DiskCache({ directory: join(file, 'cache') });
    await cache.set('pubmed', 'k', 'v');
    assert.equal(await cache.get('pubmed', 'k'), undefined);
  });
});

describe('DiskCache files', () => {
  const posixOnly = { skip: process.platform === 'win32' };

  it('keeps the directory private (0700) and each entry readable by its owner only (0600)', posixOnly, async () => {
    const nested = join(directory, 'globalStorage', 'literature-cache');
    const cache = new DiskCache({ directory: nested });
    await cache.set('pubmed', 'https://x/esearch?term=rare+disease', 'body');
    assert.equal((await stat(nested)).mode & 0o777, 0o700);
    const [name] = await readdir(nested);
    assert.equal((await stat(join(nested, name))).mode & 0o777, 0o600);
  });

  it('closes an existing directory that others could read', posixOnly, async () => {
    await chmod(directory, 0o755);
    const cache = new DiskCache({ directory });
    await cache.set('crossref', 'k', 'v');
    assert.equal((await stat(directory)).mode & 0o777, 0o700);
  });

  it('removes temporary files a crash left behind, and keeps fresh ones and the entries', async () => {
    const stale = join(directory, `${cacheFileName('pubmed', 'old')}.123.abcd.tmp`);
    const fresh = join(directory, `${cacheFileName('pubmed', 'new')}.456.ef01.tmp`);
    await writeFile(stale, '{"v":1');
    await writeFile(fresh, '{"v":1');
    const old = new Date(Date.now() - 11 * 60_000);
    await utimes(stale, old, old);
    const recent = new Date(Date.now() - 2 * 60_000);
    await utimes(fresh, recent, recent);
    await new DiskCache({ directory }).set('crossref', 'k', 'v');
    const names = await readdir(directory);
    assert.ok(!names.includes(stale.slice(directory.length + 1)), 'the stale temporary file is removed');
    assert.ok(names.includes(fresh.slice(directory.length + 1)), 'a temporary file another writer may still rename is kept');
    assert.ok(names.includes(cacheFileName('crossref', 'k')));
  });

  it('sweeps on the first read too, not only on writes', async () => {
    const stale = join(directory, 'pubmed-0123.json.1.2.tmp');
    await writeFile(stale, 'x');
    const old = new Date(Date.now() - 3600_000);
    await utimes(stale, old, old);
    assert.equal(await new DiskCache({ directory }).get('pubmed', 'k'), undefined);
    assert.deepEqual(await readdir(directory), []);
  });

  it('removes its temporary file when the write cannot be completed', async () => {
    // A folder where the entry goes makes the rename fail after the temporary file was written.
    await mkdir(join(directory, cacheFileName('pubmed', 'k'), 'blocker'), { recursive: true });
    const cache = new DiskCache({ directory });
    await cache.set('pubmed', 'k', 'v');
    assert.deepEqual(await readdir(directory), [cacheFileName('pubmed', 'k')], 'no temporary file is left');
  });
});

describe('cache through searchOnline', () => {
  it('a repeated search over every service sends nothing the second time', async () => {
    const cache = new MemoryCache();
    const config = literatureConfigFromEnv({
      BIOWRITE_PUBMED_URL: fake().urls.pubmed,
      BIOWRITE_EUROPEPMC_URL: fake().urls.europepmc,
      BIOWRITE_CROSSREF_URL: fake().urls.crossref,
      BIOWRITE_OPENALEX_URL: fake().urls.openalex,
    });
    const clients = createLiteratureClients(config, { ...testClientOptions(), cache });
    const run = async (): Promise<number> => {
      let records = 0;
      for await (const event of searchOnline({ text: 'Inhaled budesonide–formoterol controls mild asthma.' }, { services: ['pubmed', 'europepmc', 'crossref', 'openalex'], maxResults: 3, signal: signal(), clients })) {
        assert.ok(!('error' in event), 'error' in event ? event.error.message : '');
        records += event.records.length;
      }
      return records;
    };
    const first = await run();
    const before = fake().requests.length;
    const second = await run();
    assert.equal(fake().requests.length, before);
    assert.equal(second, first);
  });

  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });
});
