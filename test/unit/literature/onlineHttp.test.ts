import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { LiteratureServiceError, parseRetryAfter, looksLikeHtml, normaliseRequestUrl, RateLimiter, ServiceHttp } from '../../../src/core/literature/http';
import { PubmedClient } from '../../../src/core/literature/pubmedClient';
import { CrossrefClient } from '../../../src/core/literature/crossrefClient';

import { testClientOptions, useFakeLiteratureServers, VirtualClock } from './onlineHelpers';

const fake = useFakeLiteratureServers();

function http(overrides: Partial<ConstructorParameters<typeof ServiceHttp>[0]> = {}) {
  const options = testClientOptions();
  const service = new ServiceHttp({ service: 'crossref', ...options, maxRetries: 3, baseDelayMs: 500, ...overrides });
  return { service, clock: options.clock, log: options.log };
}

async function rejection(promise: Promise<unknown>): Promise<LiteratureServiceError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof LiteratureServiceError, `expected a LiteratureServiceError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('Retry-After and HTML detection', () => {
  it('parses delay-seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('2'), 2000);
    assert.equal(parseRetryAfter('0.5'), 500);
    const now = Date.parse('Tue, 24 Nov 2026 10:00:00 GMT');
    assert.equal(parseRetryAfter('Tue, 24 Nov 2026 10:00:07 GMT', now), 7000);
    assert.equal(parseRetryAfter('Tue, 24 Nov 2026 09:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(null), undefined);
  });

  it('recognises HTML pages by content type or by their first tag', () => {
    assert.equal(looksLikeHtml('{"a":1}', 'text/html; charset=utf-8'), true);
    assert.equal(looksLikeHtml('  <!DOCTYPE html><html></html>'), true);
    assert.equal(looksLikeHtml('<html><body>x</body></html>', 'application/json'), true);
    assert.equal(looksLikeHtml('<?xml version="1.0"?><eSearchResult/>', 'text/xml'), false);
    assert.equal(looksLikeHtml('{"status":"ok"}', 'application/json'), false);
    assert.equal(looksLikeHtml('<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x"><html>', 'text/xml'), true);
    assert.equal(looksLikeHtml('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle//EN" "x"><PubmedArticleSet>', 'text/xml'), false);
  });

  it('drops secrets from cache keys and sorts parameters', () => {
    const key = normaliseRequestUrl('https://x.org/works?rows=5&api_key=SECRET&mailto=me%40x.org&query=a+b&email=e&tool=biowrite');
    assert.equal(key, 'https://x.org/works?query=a+b&rows=5');
    assert.ok(!key.includes('SECRET'));
  });
});

describe('ServiceHttp against the fake server', () => {
  it('retries a 429 after the Retry-After delay (seconds), then succeeds', async () => {
    fake().fault('/crossref/works', { kind: 'status', status: 429, retryAfter: '2' });
    const { service, clock, log } = http();
    const body = await service.json({ url: `${fake().urls.crossref}/works?rows=1`, signal: new AbortController().signal });
    assert.equal((body as { status: string }).status, 'ok');
    assert.deepEqual(clock.sleeps, [2000]);
    assert.deepEqual(
      log.map((entry) => entry.status),
      [429, 200],
    );
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    const date = new Date(Date.now() + 3000).toUTCString();
    fake().fault('/crossref/works', { kind: 'status', status: 429, retryAfter: date });
    const { service, clock } = http();
    await service.json({ url: `${fake().urls.crossref}/works?rows=1`, signal: new AbortController().signal });
    assert.equal(clock.sleeps.length, 1);
    assert.ok(clock.sleeps[0] > 1000 && clock.sleeps[0] <= 3000, `slept ${clock.sleeps[0]} ms`);
  });

  it('gives up with rateLimited when Retry-After is longer than it will wait', async () => {
    fake().fault('/pubmed/esearch.fcgi', { kind: 'status', status: 429, retryAfter: '3600' });
    const client = new PubmedClient({ ...testClientOptions(), baseUrl: fake().urls.pubmed });
    const error = await rejection(client.search('asthma', { maxResults: 3, signal: new AbortController().signal }));
    assert.equal(error.kind, 'rateLimited');
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterMs, 3_600_000);
    assert.match(error.message, /PubMed is rate-limiting requests.*Set PubMed API Key/);
  });

  it('retries 5xx with exponential backoff and jitter, then throws a typed server error', async () => {
    fake().fault('/crossref/works', { kind: 'status', status: 503 }, 4);
    const { service, clock, log } = http({ random: () => 0 });
    const error = await rejection(service.json({ url: `${fake().urls.crossref}/works`, signal: new AbortController().signal }));
    assert.equal(error.kind, 'server');
    assert.equal(error.status, 503);
    assert.match(error.message, /Crossref had a server error \(503\).*try again/);
    // random() = 0 gives half of each exponential step: 250, 500, 1000.
    assert.deepEqual(clock.sleeps, [250, 500, 1000]);
    assert.equal(log.length, 4);
    assert.equal(fake().requestsTo('/crossref/works').length >= 4, true);
  });

  it('honours Retry-After on a 503 too', async () => {
    fake().fault('/crossref/works', { kind: 'status', status: 503, retryAfter: '4' });
    const { service, clock } = http();
    await service.json({ url: `${fake().urls.crossref}/works?rows=1`, signal: new AbortController().signal });
    assert.deepEqual(clock.sleeps, [4000]);
  });

  it('stops waiting between retries when aborted', async () => {
    fake().fault('/crossref/works', { kind: 'status', status: 500 }, 5);
    const controller = new AbortController();
    const clock = new VirtualClock();
    const sleeping = new Promise<void>((resolve) => {
      clock.sleep = (_ms, signal) => {
        resolve();
        return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
      };
    });
    const service = new ServiceHttp({ service: 'crossref', clock, limiter: new RateLimiter({ requestsPerSecond: 1000, clock: new VirtualClock() }) });
    const pending = service.json({ url: `${fake().urls.crossref}/works`, signal: controller.signal });
    await sleeping;
    controller.abort();
    assert.equal((await rejection(pending)).kind, 'aborted');
  });

  it('recovers from a 500 followed by a good answer', async () => {
    fake().fault('/crossref/works', { kind: 'status', status: 500 });
    const { service } = http();
    const body = await service.json({ url: `${fake().urls.crossref}/works?rows=2`, signal: new AbortController().signal });
    assert.equal((body as { message: { items: unknown[] } }).message.items.length, 2);
  });

  it('times out a hanging server with a timeout error and does not retry it', async () => {
    fake().fault('/crossref/works', { kind: 'hang' });
    const { service, log } = http({ timeoutMs: 200 });
    const error = await rejection(service.json({ url: `${fake().urls.crossref}/works`, signal: new AbortController().signal }));
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /did not answer within/);
    assert.deepEqual(
      log.map((entry) => entry.status),
      ['timeout'],
    );
  });

  it('turns an HTML page answered with 200 into badResponse, naming the base URL setting', async () => {
    fake().fault('/crossref/works', { kind: 'html' });
    const { service } = http();
    const error = await rejection(service.json({ url: `${fake().urls.crossref}/works`, signal: new AbortController().signal }));
    assert.equal(error.kind, 'badResponse');
    assert.match(error.message, /web page instead of data.*base URL/);
  });

  it('treats an HTML 502 page as a server error (retried)', async () => {
    fake().fault('/crossref/works', { kind: 'html', status: 502 }, 1);
    const { service, clock } = http();
    await service.json({ url: `${fake().urls.crossref}/works?rows=1`, signal: new AbortController().signal });
    assert.equal(clock.sleeps.length, 1);
  });

  it('reports truncated JSON as badResponse, without retrying', async () => {
    fake().fault('/crossref/works', { kind: 'truncated' });
    const { service, log } = http();
    const error = await rejection(service.json({ url: `${fake().urls.crossref}/works`, signal: new AbortController().signal }));
    assert.equal(error.kind, 'badResponse');
    assert.match(error.message, /incomplete or invalid JSON/);
    assert.equal(log.length, 1);
  });

  it('retries a reset connection, then reports a network error', async () => {
    fake().fault('/crossref/works', { kind: 'reset' }, 3);
    const { service, clock } = http({ maxRetries: 2 });
    const error = await rejection(service.json({ url: `${fake().urls.crossref}/works`, signal: new AbortController().signal }));
    assert.equal(error.kind, 'network');
    assert.match(error.message, /Could not reach Crossref/);
    assert.equal(clock.sleeps.length, 2);
  });

  it('reports a refused connection as network', async () => {
    const { service } = http({ maxRetries: 0 });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await rejection(service.json({ url: `http://127.0.0.1:${port}/works`, signal: new AbortController().signal }));
    assert.equal(error.kind, 'network');
    assert.match(error.message, /refused/);
  });

  it('aborts mid-request with kind aborted', async () => {
    fake().fault('/crossref/works', { kind: 'hang' });
    const { service, log } = http({ timeoutMs: 10_000 });
    const controller = new AbortController();
    const before = fake().requestsTo('/crossref/works').length;
    const pending = service.json({ url: `${fake().urls.crossref}/works`, signal: controller.signal });
    while (fake().requestsTo('/crossref/works').length === before) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const error = await rejection(pending);
    assert.equal(error.kind, 'aborted');
    assert.deepEqual(
      log.map((entry) => entry.status),
      ['aborted'],
    );
  });

  it('maps 400 with a JSON body to rejected and quotes the service', async () => {
    fake().fault('/crossref/works', { kind: 'status', status: 400, contentType: 'application/json', body: '{"status":"failed","message":[{"message":"Bad rows"}]}' });
    const { service } = http();
    const error = await rejection(service.json({ url: `${fake().urls.crossref}/works`, signal: new AbortController().signal }));
    assert.equal(error.kind, 'rejected');
    assert.match(error.message, /Bad rows/);
  });

  it('logs service, status, latency and host, never the query', async () => {
    const { service, log } = http();
    await service.json({ url: `${fake().urls.crossref}/works?query.bibliographic=secret+manuscript+words&rows=1`, signal: new AbortController().signal });
    assert.equal(log.length, 1);
    assert.equal(log[0].service, 'crossref');
    assert.equal(log[0].status, 200);
    assert.equal(typeof log[0].latencyMs, 'number');
    assert.equal(log[0].host, new URL(fake().urls.crossref).host);
    assert.ok(!JSON.stringify(log).includes('secret'));
  });
});

describe('rate limits (virtual clock)', () => {
  async function startsOf(apiKey: string | undefined, requests: number): Promise<number[]> {
    const clock = new VirtualClock();
    const starts: number[] = [];
    const fetchSpy: typeof fetch = (input, init) => {
      starts.push(clock.now());
      return fetch(input, init);
    };
    const client = new PubmedClient({ baseUrl: fake().urls.pubmed, apiKey, clock, fetch: fetchSpy, random: () => 0.5 });
    await Promise.all(Array.from({ length: requests }, (_, index) => client.esearch(`query ${index}`, 1, 0, new AbortController().signal)));
    return starts;
  }

  function maxInAnySecond(starts: number[]): number {
    let most = 0;
    for (const start of starts) most = Math.max(most, starts.filter((other) => other >= start && other < start + 1000).length);
    return most;
  }

  it('keeps PubMed at ≤ 3 requests/s without an API key', async () => {
    const starts = await startsOf(undefined, 10);
    assert.equal(starts.length, 10);
    assert.ok(maxInAnySecond(starts) <= 3, `starts: ${starts.join(', ')}`);
    for (let i = 1; i < starts.length; i++) assert.ok(starts[i] - starts[i - 1] >= 333, `gap ${starts[i] - starts[i - 1]}`);
    // And it does not dawdle: 10 requests in about 3 s of virtual time.
    assert.ok(starts[9] - starts[0] <= 3100);
  });

  it('allows ≤ 10 requests/s with an API key, and sends it', async () => {
    const starts = await startsOf('KEY123', 25);
    assert.ok(maxInAnySecond(starts) <= 10, `starts: ${starts.join(', ')}`);
    assert.ok(maxInAnySecond(starts) >= 9, 'the key raises the rate');
    const sent = fake().requestsTo('/pubmed/esearch.fcgi').slice(-25);
    assert.ok(sent.every((request) => request.params.api_key === 'KEY123' && request.params.tool === 'biowrite'));
  });

  it('keeps Crossref list queries to one in flight (public pool), two with mailto', async () => {
    async function maxInFlight(mailto: string | undefined): Promise<number> {
      let inFlight = 0;
      let most = 0;
      const fetchSpy: typeof fetch = async (input, init) => {
        inFlight++;
        most = Math.max(most, inFlight);
        try {
          return await fetch(input, init);
        } finally {
          inFlight--;
        }
      };
      fake().fault('/crossref/works', { kind: 'delay', ms: 30 }, 4);
      const client = new CrossrefClient({ baseUrl: fake().urls.crossref, clock: new VirtualClock(), fetch: fetchSpy, mailto });
      await Promise.all(Array.from({ length: 4 }, (_, index) => client.search(`q${index}`, { maxResults: 1, signal: new AbortController().signal })));
      return most;
    }
    assert.equal(await maxInFlight(undefined), 1);
    assert.equal(await maxInFlight('me@example.org'), 2);
  });

  it('caps concurrency and serves waiters in order', async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ requestsPerSecond: 1000, maxConcurrent: 1, clock });
    const order: number[] = [];
    const first = await limiter.acquire(new AbortController().signal);
    const second = limiter.acquire(new AbortController().signal).then((release) => {
      order.push(2);
      release();
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    order.push(1);
    first();
    await second;
    assert.deepEqual(order, [1, 2]);
  });

  it('lets an aborted waiter leave at once, even while every slot is busy', async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 1000, maxConcurrent: 1, clock: new VirtualClock() });
    const held = await limiter.acquire(new AbortController().signal);
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort();
    await assert.rejects(waiting);
    held();
    const next = await limiter.acquire(new AbortController().signal);
    next();
  });

  it('never gives two concurrent callers the same start time', async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ requestsPerSecond: 3, clock });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        const release = await limiter.acquire(new AbortController().signal);
        starts.push(clock.now());
        release();
      }),
    );
    starts.sort((a, b) => a - b);
    for (let i = 1; i < starts.length; i++) assert.ok(starts[i] - starts[i - 1] >= 334, starts.join(', '));
  });

  it('slows down to Crossref’s x-rate-limit headers when they are lower', async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 100, clock: new VirtualClock() });
    fake().fault('/crossref/works', { kind: 'body', body: '{"status":"ok","message":{"items":[],"total-results":0}}', contentType: 'application/json', headers: { 'x-rate-limit-limit': '2', 'x-rate-limit-interval': '1s' } });
    const client = new CrossrefClient({ ...testClientOptions(), limiter, baseUrl: fake().urls.crossref });
    await client.search('x', { maxResults: 1, signal: new AbortController().signal });
    assert.equal(limiter.minSpacingMs, 500);
  });
});

describe('hostile and broken answers (a real local server)', () => {
  /** A server whose paths each misbehave in one way; counts the requests per path. */
  async function hostileServer(): Promise<{ url: string; hits: Map<string, number>; close(): Promise<void> }> {
    const hits = new Map<string, number>();
    const server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      hits.set(path, (hits.get(path) ?? 0) + 1);
      switch (path) {
        case '/endless': {
          response.writeHead(200, { 'content-type': 'application/json' });
          const chunk = Buffer.alloc(64 * 1024, 0x20);
          const pump = (): void => {
            while (!response.destroyed && response.write(chunk));
            if (!response.destroyed) response.once('drain', pump);
          };
          response.on('close', () => response.removeAllListeners('drain'));
          pump();
          return;
        }
        case '/declared-huge':
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(200 * 1024 * 1024) });
          response.write('{"a":');
          return;
        case '/gzip-garbage':
          response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
          response.end(Buffer.from('this is not gzip at all, just bytes pretending to be compressed'));
          return;
        case '/to-file':
          response.writeHead(302, { location: 'file:///etc/passwd' });
          response.end();
          return;
        case '/loop':
          response.writeHead(302, { location: '/loop' });
          response.end();
          return;
        case '/moved':
          response.writeHead(301, { location: '/ok?from=moved' });
          response.end();
          return;
        case '/ok':
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end('{"status":"ok"}');
          return;
        case '/refuse':
          response.writeHead(401, { 'content-type': 'text/plain' });
          response.end('Unauthorized');
          return;
        default:
          response.writeHead(404);
          response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
      url,
      hits,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }

  it('refuses an endless or oversized body after the cap, without retrying (before: 3 GB and three retries)', async () => {
    const server = await hostileServer();
    try {
      const { service, log } = http({ maxBodyBytes: 1024 * 1024 });
      const endless = await rejection(service.json({ url: `${server.url}/endless`, signal: new AbortController().signal }));
      assert.equal(endless.kind, 'badResponse');
      assert.match(endless.message, /Crossref sent an answer larger than 1 MB/);
      assert.equal(server.hits.get('/endless'), 1, 'not retried');
      const declared = await rejection(service.json({ url: `${server.url}/declared-huge`, signal: new AbortController().signal }));
      assert.match(declared.message, /larger than 1 MB/);
      assert.equal(server.hits.get('/declared-huge'), 1);
      assert.equal(log.length, 2);
    } finally {
      await server.close();
    }
  });

  it('names gzip garbage, a file:// redirect and a redirect loop for what they are, each in few requests', async () => {
    const server = await hostileServer();
    try {
      const { service } = http();
      const gzip = await rejection(service.json({ url: `${server.url}/gzip-garbage`, signal: new AbortController().signal }));
      assert.equal(gzip.kind, 'badResponse');
      assert.match(gzip.message, /could not be decompressed/);
      assert.equal(server.hits.get('/gzip-garbage'), 1);

      const toFile = await rejection(service.json({ url: `${server.url}/to-file`, signal: new AbortController().signal }));
      assert.equal(toFile.kind, 'badResponse');
      assert.match(toFile.message, /redirected to a file address, which Biowrite does not follow/);
      assert.equal(server.hits.get('/to-file'), 1);

      const loop = await rejection(service.json({ url: `${server.url}/loop`, signal: new AbortController().signal }));
      assert.match(loop.message, /redirected more than 5 times \(a redirect loop\)/);
      assert.equal(server.hits.get('/loop'), 6, 'the first request and five redirects (before: 84)');

      assert.deepEqual(await service.json({ url: `${server.url}/moved`, signal: new AbortController().signal }), { status: 'ok' }, 'an ordinary redirect is followed');
    } finally {
      await server.close();
    }
  });

  it('asks to check a key only of services that take one', async () => {
    const server = await hostileServer();
    try {
      const messages = new Map<string, string>();
      for (const name of ['pubmed', 'openalex', 'crossref', 'europepmc'] as const) {
        const service = new ServiceHttp({ service: name, ...testClientOptions(), maxRetries: 0 });
        const error = await rejection(service.text({ url: `${server.url}/refuse`, signal: new AbortController().signal }));
        assert.equal(error.kind, 'rejected');
        messages.set(name, error.message);
      }
      assert.match(messages.get('pubmed') ?? '', /Check the PubMed API key \(“Biowrite: Set PubMed API Key”/);
      assert.match(messages.get('openalex') ?? '', /Check the OpenAlex API key \(“Biowrite: Set OpenAlex API Key”/);
      for (const name of ['crossref', 'europepmc']) {
        assert.doesNotMatch(messages.get(name) ?? '', /API key/, name);
        assert.match(messages.get(name) ?? '', /needs no key, so a proxy, firewall or institutional network may be blocking it/);
      }
    } finally {
      await server.close();
    }
  });

  it('keeps backing off when Retry-After is negative, zero or junk (before: -5 meant "retry at once")', async () => {
    assert.equal(parseRetryAfter('-5'), undefined);
    assert.equal(parseRetryAfter('-1.5'), undefined);
    assert.equal(parseRetryAfter('1e9'), undefined);
    for (const retryAfter of ['-5', '0', 'later']) {
      fake().fault('/crossref/works', { kind: 'status', status: 429, retryAfter });
      const { service, clock } = http({ random: () => 0 });
      await service.json({ url: `${fake().urls.crossref}/works?rows=1`, signal: new AbortController().signal });
      assert.equal(clock.sleeps.length, 1, retryAfter);
      assert.ok(clock.sleeps[0] >= 250, `Retry-After ${retryAfter}: slept ${clock.sleeps[0]} ms`);
    }
  });
});
