/**
 * The HTTP layer every literature client shares: a per-service rate limiter, timeouts, retries with
 * exponential backoff and jitter (honouring `Retry-After`), detection of HTML error pages, an optional
 * on-disk cache, typed {@link LiteratureServiceError}s with a next step for the user, and one
 * {@link RequestLogEntry} per request (service, status, latency, host; never the query).
 */
import * as l10n from '@vscode/l10n';
import type { RequestLogger } from '../llm/types';
import { errorChain, sentences } from '../llm/classifyError';
import { parseXml, XmlParseError, type XmlElement } from './xml';
import type { ResponseCache } from './cache';

/** The online services Biowrite searches. */
export type OnlineService = 'pubmed' | 'europepmc' | 'crossref' | 'openalex';

/** Every service the HTTP layer talks to: the online ones, arXiv (identifier lookups only) and Zotero on this machine. */
export type ServiceName = OnlineService | 'arxiv' | 'zotero';

/** Display names, for messages. */
export const serviceLabels: Readonly<Record<ServiceName, string>> = {
  pubmed: 'PubMed',
  europepmc: 'Europe PMC',
  crossref: 'Crossref',
  openalex: 'OpenAlex',
  arxiv: 'arXiv',
  zotero: 'Zotero',
};

/**
 * What went wrong with a service:
 * - `rateLimited`: 429 after the retries (or a `Retry-After` too long to wait);
 * - `server`: 5xx after the retries;
 * - `timeout`: no answer in time;
 * - `network`: no connection (DNS, refused, reset, TLS);
 * - `badResponse`: an answer that is not what the API returns (HTML page, truncated or invalid JSON/XML);
 * - `rejected`: a 4xx other than 429 (bad query, invalid API key);
 * - `unavailable`: a local service (Zotero) is not running;
 * - `aborted`: the caller cancelled.
 */
export type LiteratureErrorKind = 'rateLimited' | 'server' | 'timeout' | 'network' | 'badResponse' | 'rejected' | 'unavailable' | 'aborted';

/** An error from a literature service, with a sentence for the user that says what to do next. */
export class LiteratureServiceError extends Error {
  /**
   * @param service The service that failed.
   * @param kind What went wrong.
   * @param message A sentence for the user, with a next step.
   * @param status The HTTP status, when there was one (optional).
   * @param retryAfterMs How long the service asked us to wait, when it said (optional).
   */
  constructor(
    readonly service: ServiceName,
    readonly kind: LiteratureErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'LiteratureServiceError';
  }
}

/** Time, injectable so rate limits and backoff are tested without waiting. */
export interface Clock {
  /** Milliseconds, monotonic enough for spacing requests. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it fires first. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** The real clock: `performance.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Most request starts per second; may be below one (`1 / 3`: one start every three seconds). */
  readonly requestsPerSecond: number;
  /** Most requests in flight at once (optional; default: unlimited). */
  readonly maxConcurrent?: number;
  /** (optional; default: {@link systemClock}) */
  readonly clock?: Clock;
}

/**
 * Spaces request starts at least `1000 / requestsPerSecond` ms apart, which keeps any one-second window
 * at or under the limit, and caps the requests in flight. Waiters for a slot are served in arrival order.
 */
export class RateLimiter {
  private spacingMs: number;
  private readonly maxConcurrent: number;
  private readonly clock: Clock;
  private nextStart = Number.NEGATIVE_INFINITY;
  private inFlight = 0;
  private readonly slotWaiters: (() => void)[] = [];

  /** @param options Rate and concurrency. */
  constructor(options: RateLimiterOptions) {
    this.spacingMs = Math.ceil(1000 / options.requestsPerSecond);
    this.maxConcurrent = options.maxConcurrent ?? Number.POSITIVE_INFINITY;
    this.clock = options.clock ?? systemClock;
  }

  /** The current minimum spacing between request starts, in ms. */
  get minSpacingMs(): number {
    return this.spacingMs;
  }

  /** Lowers the rate (never raises it), e.g. from Crossref's `x-rate-limit-*` headers. */
  slowTo(requestsPerSecond: number): void {
    if (requestsPerSecond > 0) this.spacingMs = Math.max(this.spacingMs, Math.ceil(1000 / requestsPerSecond));
  }

  /**
   * Waits for a free slot and for the spacing, then returns a release function to call when the request ends.
   * Start times are reserved synchronously, so concurrent callers never share one; an aborted wait gives up
   * its place at once.
   * @param signal Abandons the wait.
   */
  async acquire(signal: AbortSignal): Promise<() => void> {
    signal.throwIfAborted();
    await this.waitForSlot(signal);
    const now = this.clock.now();
    const start = Math.max(now, this.nextStart);
    this.nextStart = start + this.spacingMs;
    if (start > now) {
      try {
        await this.clock.sleep(start - now, signal);
      } catch (error) {
        this.release();
        throw error;
      }
    }
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.release();
      }
    };
  }

  private waitForSlot(signal: AbortSignal): Promise<void> {
    if (this.inFlight < this.maxConcurrent) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal.removeEventListener('abort', onAbort);
        this.inFlight++;
        resolve();
      };
      const onAbort = (): void => {
        const at = this.slotWaiters.indexOf(grant);
        if (at >= 0) this.slotWaiters.splice(at, 1);
        reject(signal.reason);
      };
      this.slotWaiters.push(grant);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(): void {
    this.inFlight--;
    const next = this.slotWaiters.shift();
    if (next) next();
  }
}

/**
 * The policy limits Biowrite keeps to: NCBI allows 3 requests/s without an API key and 10 with one;
 * Crossref asks list queries to stay at low concurrency and a few requests per second; Europe PMC and
 * OpenAlex get a modest rate; arXiv's API terms ask for no more than one request every three seconds, on
 * one connection.
 * @param service The service.
 * @param hasApiKey Whether the requests are identified: an API key (PubMed, OpenAlex) or `mailto` (Crossref) (optional; default: false).
 */
export function defaultRateLimit(service: ServiceName, hasApiKey = false): { requestsPerSecond: number; maxConcurrent: number } {
  switch (service) {
    case 'pubmed':
      return { requestsPerSecond: hasApiKey ? 10 : 3, maxConcurrent: hasApiKey ? 4 : 2 };
    case 'crossref':
      // List queries: one at a time in the public pool, two in the polite pool (with mailto).
      return { requestsPerSecond: 5, maxConcurrent: hasApiKey ? 2 : 1 };
    case 'europepmc':
      return { requestsPerSecond: 5, maxConcurrent: 3 };
    case 'openalex':
      return { requestsPerSecond: hasApiKey ? 8 : 5, maxConcurrent: 3 };
    case 'arxiv':
      return { requestsPerSecond: 1 / 3, maxConcurrent: 1 };
    case 'zotero':
      return { requestsPerSecond: 20, maxConcurrent: 2 };
  }
}

const sharedLimiters = new Map<string, RateLimiter>();

/**
 * The process-wide limiter of a service, so every client and every concurrent search share one budget.
 * @param service The service.
 * @param hasApiKey Whether an API key is sent (optional; default: false).
 */
export function sharedRateLimiter(service: ServiceName, hasApiKey = false): RateLimiter {
  const key = `${service}:${hasApiKey ? 'key' : 'nokey'}`;
  let limiter = sharedLimiters.get(key);
  if (!limiter) {
    limiter = new RateLimiter(defaultRateLimit(service, hasApiKey));
    sharedLimiters.set(key, limiter);
  }
  return limiter;
}

/** What a response body must be. */
export type ExpectedBody = 'json' | 'xml' | 'text';

/** Options shared by every client's HTTP layer. */
export interface ServiceHttpOptions {
  /** The service, for limits, logs and messages. */
  readonly service: ServiceName;
  /** (optional; default: the global `fetch`) */
  readonly fetch?: typeof fetch;
  /** (optional; default: {@link sharedRateLimiter} of the service) */
  readonly limiter?: RateLimiter;
  /** Receives one entry per request (optional). */
  readonly logger?: RequestLogger;
  /** Responses already fetched, so the same request is not sent twice (optional). */
  readonly cache?: ResponseCache;
  /** (optional; default: {@link systemClock}) */
  readonly clock?: Clock;
  /** Time allowed for one attempt, headers and body (optional; default: 20000). */
  readonly timeoutMs?: number;
  /** Retries after 429, 5xx or a network error (optional; default: 3). */
  readonly maxRetries?: number;
  /** First backoff delay; doubles each retry (optional; default: 500). */
  readonly baseDelayMs?: number;
  /** Longest wait between attempts; a longer `Retry-After` ends the retries (optional; default: 30000). */
  readonly maxDelayMs?: number;
  /** Randomness for jitter, in [0, 1) (optional; default: `Math.random`). */
  readonly random?: () => number;
  /** Names of query parameters that are secrets: left out of cache keys (optional; default: `api_key`, `email`, `mailto`, `tool`). */
  readonly secretParams?: readonly string[];
  /** The next step offered when the service rate-limits us, as a sentence for the user (optional; default: a generic one). */
  readonly rateLimitHint?: string;
  /** Sent as `User-Agent` (optional; default: {@link defaultUserAgent}). */
  readonly userAgent?: string;
  /** Largest response body accepted, in bytes; a larger one is a `badResponse`, not retried (optional; default: {@link defaultMaxBodyBytes}). */
  readonly maxBodyBytes?: number;
}

/** Largest response body accepted by default: 16 MB (an EFetch of 200 PubMed records with abstracts is about 2 MB). */
export const defaultMaxBodyBytes = 16 * 1024 * 1024;

/** Redirects followed for one request before giving up. */
const MAX_REDIRECTS = 5;

/** How Biowrite introduces itself to the services. */
export const defaultUserAgent = 'Biowrite/0.1 (VS Code extension for biomedical manuscripts)';

/** One request. */
export interface ServiceRequest {
  readonly url: string;
  /** Cancels the request, waits included. */
  readonly signal: AbortSignal;
  /** (optional; default: `GET`) */
  readonly method?: 'GET' | 'POST';
  /** (optional) */
  readonly headers?: Readonly<Record<string, string>>;
  /** A request body (optional). */
  readonly body?: string;
  /** Overrides the per-attempt timeout (optional). */
  readonly timeoutMs?: number;
  /** Overrides the retries (optional). */
  readonly maxRetries?: number;
  /** Look up and store the response in the cache (optional; default: true for GET). */
  readonly cache?: boolean;
}

/** A raw response that passed the status checks. */
interface RawResponse {
  readonly status: number;
  readonly text: string;
  readonly contentType: string;
}

const defaultSecretParams = ['api_key', 'email', 'mailto', 'tool'];

/** Host of a URL, or the input when it does not parse. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * Parses `Retry-After`: delay-seconds or an HTTP date.
 * @param value The header value (optional).
 * @param nowMs The current wall-clock time for an HTTP date (optional; default: `Date.now()`).
 * @returns The delay in ms, or `undefined` when absent or unparseable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // Only an HTTP date (e.g. "Wed, 21 Oct 2026 07:28:00 GMT"): `Date.parse("-5")` is a date in year -5,
  // which would have read as "retry at once".
  if (!/^[A-Za-z]{3},? .*\d{2}:\d{2}:\d{2}/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** True when a body looks like an HTML page rather than JSON or XML data. */
export function looksLikeHtml(text: string, contentType = ''): boolean {
  if (/text\/html|application\/xhtml/i.test(contentType)) return true;
  const head = text.trimStart().slice(0, 512).toLowerCase();
  if (!head.startsWith('<')) return false;
  // XHTML pages may open with an XML declaration, so look past it.
  return /<!doctype html|<html[\s>]|^<head[\s>]|^<body[\s>]/.test(head);
}

/**
 * Sends requests to one service with rate limiting, timeouts, retries and caching, and turns every failure
 * into a {@link LiteratureServiceError}.
 */
export class ServiceHttp {
  private readonly fetchImpl: typeof fetch;
  private readonly limiter: RateLimiter;
  private readonly clock: Clock;
  private readonly label: string;

  /** @param options Service, transport, limits and cache. */
  constructor(readonly options: ServiceHttpOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.limiter = options.limiter ?? sharedRateLimiter(options.service);
    this.clock = options.clock ?? systemClock;
    this.label = serviceLabels[options.service];
  }

  /**
   * GETs (or POSTs) JSON; a truncated or invalid body is a `badResponse`.
   * @param request The request.
   */
  async json(request: ServiceRequest): Promise<unknown> {
    return this.parsed(request, 'json', (text) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new LiteratureServiceError(
          this.options.service,
          'badResponse',
          text.length === 0
            ? l10n.t('{0} sent an incomplete or invalid JSON answer (empty). Try again; if it persists, check the {0} base URL in the Biowrite settings.', this.label)
            : l10n.t('{0} sent an incomplete or invalid JSON answer (cut off or malformed). Try again; if it persists, check the {0} base URL in the Biowrite settings.', this.label),
        );
      }
    });
  }

  /**
   * GETs XML and parses it; a truncated or malformed body is a `badResponse`.
   * @param request The request.
   */
  async xml(request: ServiceRequest): Promise<XmlElement> {
    return this.parsed(request, 'xml', (text) => {
      try {
        return parseXml(text);
      } catch (error) {
        // The parser's own detail (e.g. where the document was cut off) stays in English: it is technical.
        const detail = error instanceof XmlParseError ? error.message : l10n.t('malformed');
        throw new LiteratureServiceError(
          this.options.service,
          'badResponse',
          l10n.t('{0} sent an incomplete or malformed XML answer ({1}). Try again; if it persists, check the {0} base URL in the Biowrite settings.', this.label, detail),
        );
      }
    });
  }

  /**
   * Sends a request and returns the body as text (no cache).
   * @param request The request.
   */
  async text(request: ServiceRequest): Promise<string> {
    return (await this.send(request, 'text')).text;
  }

  /**
   * Sends a request (or reads the cache) and parses the body; the body is cached only once `parse` accepted it,
   * so a truncated answer is never stored.
   * @param request The request.
   * @param expect What the body must be (an HTML page where JSON or XML was expected is a `badResponse`).
   * @param parse Turns the body into a value; throws a {@link LiteratureServiceError} when it is unusable.
   */
  async parsed<T>(request: ServiceRequest, expect: ExpectedBody, parse: (text: string) => T): Promise<T> {
    const useCache = (request.cache ?? (request.method ?? 'GET') === 'GET') && this.options.cache !== undefined;
    const cacheKey = useCache ? this.cacheUrl(request) : undefined;
    if (cacheKey !== undefined && this.options.cache) {
      const hit = await this.options.cache.get(this.options.service, cacheKey);
      if (hit !== undefined) {
        try {
          return parse(hit);
        } catch {
          // A damaged entry is a miss; the fresh answer below replaces it.
        }
      }
    }
    const response = await this.send(request, expect);
    const value = parse(response.text);
    if (cacheKey !== undefined && this.options.cache) await this.options.cache.set(this.options.service, cacheKey, response.text);
    return value;
  }

  /** The request URL without secrets, with sorted parameters, plus the body: the cache key material. */
  private cacheUrl(request: ServiceRequest): string {
    return normaliseRequestUrl(request.url, this.options.secretParams ?? defaultSecretParams) + (request.body ? `\n${request.body}` : '');
  }

  private async send(request: ServiceRequest, expect: ExpectedBody): Promise<RawResponse> {
    const maxRetries = request.maxRetries ?? this.options.maxRetries ?? 3;
    const baseDelay = this.options.baseDelayMs ?? 500;
    const maxDelay = this.options.maxDelayMs ?? 30_000;
    const random = this.options.random ?? Math.random;
    for (let attempt = 0; ; attempt++) {
      if (request.signal.aborted) throw this.aborted();
      let outcome: RawResponse | LiteratureServiceError;
      try {
        outcome = await this.attempt(request, expect);
      } catch (error) {
        outcome = this.classify(error, request);
      }
      if (!(outcome instanceof LiteratureServiceError)) return outcome;
      const retryable = outcome.kind === 'rateLimited' || outcome.kind === 'server' || outcome.kind === 'network';
      if (!retryable || attempt >= maxRetries) throw outcome;
      const backoff = Math.min(maxDelay, baseDelay * 2 ** attempt) * (0.5 + random() / 2);
      // A Retry-After of 0 would turn the retries into a burst: wait at least the first backoff step.
      const delay = outcome.retryAfterMs !== undefined ? Math.max(outcome.retryAfterMs, baseDelay) : backoff;
      if (delay > maxDelay) throw outcome;
      try {
        await this.clock.sleep(delay, request.signal);
      } catch {
        throw this.aborted();
      }
    }
  }

  private async attempt(request: ServiceRequest, expect: ExpectedBody): Promise<RawResponse> {
    const timeoutMs = request.timeoutMs ?? this.options.timeoutMs ?? 20_000;
    const release = await this.limiter.acquire(request.signal).catch(() => {
      throw this.aborted();
    });
    const started = performance.now();
    const host = hostOf(request.url);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error('timeout')), timeoutMs);
    const signal = AbortSignal.any([request.signal, timeout.signal]);
    let logged = false;
    const log = (status: number | string): void => {
      if (logged) return;
      logged = true;
      this.options.logger?.({ service: this.options.service, status, latencyMs: Math.round(performance.now() - started), host });
    };
    try {
      const response = await this.fetchFollowingRedirects(request, expect, signal);
      const text = await this.readBody(response, signal);
      log(response.status);
      this.observeRateHeaders(response.headers);
      const contentType = response.headers.get('content-type') ?? '';
      if (!response.ok) throw this.statusError(response.status, response.headers.get('retry-after'), text, contentType);
      if (expect !== 'text' && looksLikeHtml(text, contentType)) {
        throw new LiteratureServiceError(
          this.options.service,
          'badResponse',
          l10n.t('{0} answered with a web page instead of data: a proxy, login or maintenance page may be in the way. Check the {0} base URL in the Biowrite settings, or try again later.', this.label),
          response.status,
        );
      }
      return { status: response.status, text, contentType };
    } catch (error) {
      if (error instanceof LiteratureServiceError) {
        log(error.status ?? error.kind);
        throw error;
      }
      if (timeout.signal.aborted && !request.signal.aborted) {
        log('timeout');
        throw new LiteratureServiceError(
          this.options.service,
          'timeout',
          l10n.t('{0} did not answer within {1} s. It may be slow or unreachable from this network; try again later.', this.label, Math.round(timeoutMs / 1000)),
        );
      }
      log(request.signal.aborted ? 'aborted' : 'network');
      throw error;
    } finally {
      clearTimeout(timer);
      release();
    }
  }

  /** Fetches, following at most {@link MAX_REDIRECTS} redirects, and only to http(s) addresses. */
  private async fetchFollowingRedirects(request: ServiceRequest, expect: ExpectedBody, signal: AbortSignal): Promise<Response> {
    let url = request.url;
    let method = request.method ?? 'GET';
    let body = request.body;
    for (let redirects = 0; ; redirects++) {
      const response = await this.fetchImpl(url, {
        method,
        headers: { Accept: acceptFor(expect), 'User-Agent': this.options.userAgent ?? defaultUserAgent, ...request.headers },
        body,
        signal,
        redirect: 'manual',
      });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || response.status === 304 || location === null) return response;
      await response.body?.cancel().catch(() => undefined);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new LiteratureServiceError(this.options.service, 'badResponse', l10n.t('{0} redirected to an address that is not valid. Check the {0} base URL in the Biowrite settings.', this.label), response.status);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new LiteratureServiceError(
          this.options.service,
          'badResponse',
          l10n.t('{0} redirected to a {1} address, which Biowrite does not follow. Check the {0} base URL in the Biowrite settings.', this.label, next.protocol.replace(/:$/, '')),
          response.status,
        );
      }
      if (redirects >= MAX_REDIRECTS) {
        throw new LiteratureServiceError(
          this.options.service,
          'badResponse',
          l10n.t('{0} redirected more than {1} times (a redirect loop). Check the {0} base URL in the Biowrite settings.', this.label, MAX_REDIRECTS),
          response.status,
        );
      }
      // As browsers do: 303, and 301/302 after a POST, continue as a GET without the body.
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      url = next.href;
    }
  }

  /** Reads the body as UTF-8 text, refusing more than `maxBodyBytes`. */
  private async readBody(response: Response, signal: AbortSignal): Promise<string> {
    const limit = this.options.maxBodyBytes ?? defaultMaxBodyBytes;
    const tooLarge = (): LiteratureServiceError =>
      new LiteratureServiceError(
        this.options.service,
        'badResponse',
        l10n.t('{0} sent an answer larger than {1} MB, more than any search returns. Check the {0} base URL in the Biowrite settings.', this.label, Math.round(limit / 1048576)),
        response.status,
      );
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > limit) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    if (!response.body) return '';
    const reader = response.body.getReader();
    const decoder = new TextDecoder('utf-8');
    const parts: string[] = [];
    let received = 0;
    try {
      for (;;) {
        signal.throwIfAborted();
        const { done, value } = await reader.read();
        if (done) break;
        received += value.byteLength;
        if (received > limit) {
          await reader.cancel().catch(() => undefined);
          throw tooLarge();
        }
        parts.push(decoder.decode(value, { stream: true }));
      }
    } finally {
      reader.releaseLock();
    }
    parts.push(decoder.decode());
    return parts.join('');
  }

  private observeRateHeaders(headers: Headers): void {
    const limit = Number(headers.get('x-rate-limit-limit'));
    const interval = Number.parseFloat(headers.get('x-rate-limit-interval') ?? '');
    if (limit > 0 && interval > 0) this.limiter.slowTo(limit / interval);
  }

  private statusError(status: number, retryAfter: string | null, body: string, contentType: string): LiteratureServiceError {
    const service = this.options.service;
    const retryAfterMs = parseRetryAfter(retryAfter);
    if (status === 429) {
      const wait = retryAfterMs !== undefined ? l10n.t('It asked to wait {0} s.', Math.ceil(retryAfterMs / 1000)) : '';
      const hint = this.options.rateLimitHint ?? l10n.t('Wait a minute and search again.');
      return new LiteratureServiceError(service, 'rateLimited', sentences(l10n.t('{0} is rate-limiting requests.', this.label), wait, hint), status, retryAfterMs);
    }
    if (status >= 500) {
      return new LiteratureServiceError(
        service,
        'server',
        l10n.t('{0} had a server error ({1}). The service may be down or overloaded; try again in a few minutes.', this.label, status),
        status,
        retryAfterMs,
      );
    }
    const said = looksLikeHtml(body, contentType) ? '' : serverSays(body);
    if (status === 401 || status === 403) {
      // Only PubMed and OpenAlex take a key; for the others a refusal comes from the network path.
      const next =
        service === 'pubmed'
          ? l10n.t('Check the PubMed API key (“Biowrite: Set PubMed API Key”; NCBI_API_KEY for the CLI), or remove it.')
          : service === 'openalex'
            ? l10n.t('Check the OpenAlex API key (“Biowrite: Set OpenAlex API Key”; OPENALEX_API_KEY for the CLI), or remove it.')
            : l10n.t('{0} needs no key, so a proxy, firewall or institutional network may be blocking it; check the {0} base URL in the Biowrite settings, or try another network.', this.label);
      return new LiteratureServiceError(service, 'rejected', sentences(l10n.t('{0} refused access ({1}).', this.label, status), said, next), status);
    }
    if (status === 404) {
      return new LiteratureServiceError(service, 'rejected', l10n.t('{0} answered 404 Not Found. Check the {0} base URL in the Biowrite settings.', this.label), status);
    }
    return new LiteratureServiceError(service, 'rejected', sentences(l10n.t('{0} rejected the query ({1}).', this.label, status), said, l10n.t('Try a shorter or simpler query.')), status);
  }

  private classify(error: unknown, request: ServiceRequest): LiteratureServiceError {
    if (error instanceof LiteratureServiceError) return error;
    if (request.signal.aborted) return this.aborted();
    const chain = errorChain(error);
    const codes = chain.flatMap((item) => (typeof item === 'object' && item !== null && typeof (item as { code?: unknown }).code === 'string' ? [(item as { code: string }).code] : []));
    const host = hostOf(request.url);
    if (codes.some((code) => code.startsWith('Z_') || code === 'ERR_ZLIB' || code === 'ERR_BROTLI_DECOMPRESSION_FAILED')) {
      return new LiteratureServiceError(
        this.options.service,
        'badResponse',
        l10n.t('{0} sent a compressed answer that could not be decompressed (corrupted on the way, or a proxy altered it). Try again; if it persists, check the {0} base URL in the Biowrite settings.', this.label),
      );
    }
    const refused = codes.includes('ECONNREFUSED');
    const dns = codes.some((code) => code === 'ENOTFOUND' || code.startsWith('EAI_'));
    const reason = refused ? l10n.t('the connection was refused') : dns ? l10n.t('the host {0} was not found', host) : l10n.t('the connection failed');
    return new LiteratureServiceError(
      this.options.service,
      'network',
      l10n.t('Could not reach {0}: {1}. Check your internet connection, proxy, and the {0} base URL in the Biowrite settings.', this.label, reason),
    );
  }

  private aborted(): LiteratureServiceError {
    return new LiteratureServiceError(this.options.service, 'aborted', l10n.t('The {0} search was stopped.', this.label));
  }
}

function acceptFor(expect: ExpectedBody): string {
  if (expect === 'json') return 'application/json';
  if (expect === 'xml') return 'application/xml, text/xml';
  return '*/*';
}

/** A sentence quoting the service's own error message from a JSON body, or ''. */
function serverSays(body: string): string {
  let message: string | undefined;
  try {
    const parsed = JSON.parse(body) as unknown;
    message = findMessage(parsed);
  } catch {
    const trimmed = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    if (trimmed.length > 0 && trimmed.length < 200) message = trimmed;
  }
  return message ? l10n.t('The service said: “{0}”.', message.slice(0, 200)) : '';
}

function findMessage(value: unknown, depth = 0): string | undefined {
  if (depth > 3 || value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() || undefined;
  if (Array.isArray(value)) return value.length > 0 ? findMessage(value[0], depth + 1) : undefined;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of ['message', 'error', 'errMsg', 'ERROR', 'detail']) {
      const found = findMessage(record[key], depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * A request URL normalised for cache keys: secret parameters removed, the others sorted.
 * @param url The request URL.
 * @param secretParams Parameter names to drop (optional; default: `api_key`, `email`, `mailto`, `tool`).
 */
export function normaliseRequestUrl(url: string, secretParams: readonly string[] = defaultSecretParams): string {
  try {
    const parsed = new URL(url);
    const params = [...parsed.searchParams.entries()].filter(([name]) => !secretParams.includes(name.toLowerCase()));
    params.sort(([a, av], [b, bv]) => (a === b ? av.localeCompare(bv) : a.localeCompare(b)));
    const search = new URLSearchParams(params).toString();
    return `${parsed.origin}${parsed.pathname}${search ? `?${search}` : ''}`;
  } catch {
    return url;
  }
}
