/**
 * The interface every online literature client implements, and the options they share.
 */
import type { RequestLogger } from '../llm/types';
import type { ResponseCache } from './cache';
import { defaultRateLimit, LiteratureServiceError, RateLimiter, ServiceHttp, sharedRateLimiter, type Clock, type OnlineService, type ServiceName } from './http';
import type { LiteratureRecord } from './types';

/** Options every client accepts besides its base URL and keys. */
export interface ClientCommonOptions {
  /** (optional; default: the global `fetch`) */
  readonly fetch?: typeof fetch;
  /** Receives one entry per HTTP request (optional). */
  readonly logger?: RequestLogger;
  /** Response cache (optional; default: none). */
  readonly cache?: ResponseCache;
  /** (optional; default: the real clock) */
  readonly clock?: Clock;
  /** (optional; default: the process-wide limiter of the service, or a private one on `clock` when a clock is given) */
  readonly limiter?: RateLimiter;
  /** Per-attempt timeout in ms (optional; default: 20000). */
  readonly timeoutMs?: number;
  /** Retries after 429, 5xx or network errors (optional; default: 3). */
  readonly maxRetries?: number;
  /** First backoff delay in ms (optional; default: 500). */
  readonly baseDelayMs?: number;
  /** Randomness for backoff jitter (optional; default: `Math.random`). */
  readonly random?: () => number;
}

/** Options of one search. */
export interface ClientSearchOptions {
  /** Most records to return (the service's page size is capped to its own maximum). */
  readonly maxResults: number;
  /** Cancels the search. */
  readonly signal: AbortSignal;
  /** Records to skip, for a further page (optional; default: 0). */
  readonly offset?: number;
}

/** What one search returned. */
export interface ClientSearchResult {
  /** In the service's relevance order. */
  readonly records: LiteratureRecord[];
  /** Total hits the service reported (optional). */
  readonly total?: number;
  /** True when the service can only page through part of the hits (PubMed: the first 10,000) (optional). */
  readonly capped?: boolean;
}

/** A client of one online service. */
export interface LiteratureClient {
  /** Which service it queries. */
  readonly service: OnlineService;
  /**
   * Runs one query.
   * @param query The query, in the service's syntax (see `keywordQuery`).
   * @param options Page size, offset and signal.
   * @throws LiteratureServiceError on any failure.
   */
  search(query: string, options: ClientSearchOptions): Promise<ClientSearchResult>;
}

/**
 * Asks for only the fields a client reads (`select=`), and stops asking once the server rejects the
 * parameter: a mirror or an older API version may answer 400 to a field it does not know. The request
 * that was rejected is sent again at once without it.
 */
export class SelectFieldFallback {
  private supported = true;

  /**
   * Runs one request, with `select` while the server accepts it.
   * @param request Sends the request, with or without the `select` parameter.
   */
  async run<T>(request: (withSelect: boolean) => Promise<T>): Promise<T> {
    if (!this.supported) return request(false);
    try {
      return await request(true);
    } catch (error) {
      if (!(error instanceof LiteratureServiceError && error.kind === 'rejected' && error.status === 400)) throw error;
      this.supported = false;
      return request(false);
    }
  }
}

/**
 * Builds the {@link ServiceHttp} of a client from its common options.
 * @param service The service.
 * @param options The client's options.
 * @param hasApiKey Whether an API key raises the service's rate limit.
 * @param rateLimitHint The next step offered when rate-limited (optional).
 * @param userAgent The `User-Agent` header (optional; default: `defaultUserAgent`).
 */
export function createServiceHttp(service: ServiceName, options: ClientCommonOptions, hasApiKey: boolean, rateLimitHint?: string, userAgent?: string): ServiceHttp {
  return new ServiceHttp({
    service,
    fetch: options.fetch,
    logger: options.logger,
    cache: options.cache,
    clock: options.clock,
    // An injected clock gets its own limiter with the service's policy, so tests can observe the spacing.
    limiter: options.limiter ?? (options.clock ? new RateLimiter({ ...defaultRateLimit(service, hasApiKey), clock: options.clock }) : sharedRateLimiter(service, hasApiKey)),
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    baseDelayMs: options.baseDelayMs,
    random: options.random,
    rateLimitHint,
    userAgent,
  });
}

/**
 * A base URL without its trailing slashes.
 * @param url The configured URL.
 */
export function trimBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/**
 * Appends query parameters (skipping `undefined` and empty values) to `base + path`.
 * @param base The base URL.
 * @param path The path, starting with `/`.
 * @param params The parameters.
 */
export function buildUrl(base: string, path: string, params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, String(value));
  return `${trimBaseUrl(base)}${path}?${search.toString()}`;
}

/** True for a plain object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as an array: arrays unchanged, one value wrapped, nothing as `[]`. */
export function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}
