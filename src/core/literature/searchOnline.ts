/**
 * Searches the online services in parallel and yields each service's results as they arrive, so the
 * panel fills progressively; one service's failure is yielded as an error and never hides the others.
 */
import * as l10n from '@vscode/l10n';
import type { RequestLogger } from '../llm/types';
import type { ResponseCache } from './cache';
import type { ClientCommonOptions, LiteratureClient } from './client';
import { createLiteratureClients, defaultLiteratureConfig, type LiteratureConfig } from './config';
import { LiteratureServiceError, serviceLabels, type Clock, type OnlineService } from './http';
import { keywordQuery, stripCitationMarkup } from './keywordQuery';
import { mergeRecords } from './merge';
import type { LiteratureRecord } from './types';

/** What to search for. */
export interface OnlineQuery {
  /** The sentence or free query; turned into keyword queries per service. */
  readonly text: string;
  /** Alternative phrasings (e.g. from an LLM), searched as well, at most three (optional). */
  readonly queries?: readonly string[];
}

/** One service's answer: its records (merged across the phrasings, in rank order). */
export interface OnlineSearchResults {
  readonly source: OnlineService;
  readonly records: LiteratureRecord[];
  /** The queries sent, in the service's syntax. */
  readonly queries: readonly string[];
  /** Total hits the service reported for the first query (optional). */
  readonly total?: number;
  /** True when the service can page through only part of the hits (PubMed's 10,000 cap) (optional). */
  readonly capped?: boolean;
}

/** One service's failure; `error.kind` is `aborted` when the caller stopped the search. */
export interface OnlineSearchFailure {
  readonly source: OnlineService;
  readonly error: LiteratureServiceError;
}

/** What {@link searchOnline} yields, once per service. */
export type OnlineSearchEvent = OnlineSearchResults | OnlineSearchFailure;

/** Options of {@link searchOnline}. */
export interface SearchOnlineOptions {
  /** The services to query, in parallel. */
  readonly services: readonly OnlineService[];
  /** Most records per service. */
  readonly maxResults: number;
  /** Stops every request. */
  readonly signal: AbortSignal;
  /** Clients to use; missing ones are built from `config` (optional). */
  readonly clients?: Partial<Record<OnlineService, LiteratureClient>>;
  /** Base URLs, keys and contact for clients built here (optional; default: the public endpoints). */
  readonly config?: LiteratureConfig;
  /** Response cache for clients built here (optional). */
  readonly cache?: ResponseCache;
  /** Request log for clients built here (optional). */
  readonly logger?: RequestLogger;
  /** Transport for clients built here (optional; default: the global `fetch`). */
  readonly fetch?: typeof fetch;
  /** Clock for clients built here (optional). */
  readonly clock?: Clock;
}

/** True for a failure event. */
export function isSearchFailure(event: OnlineSearchEvent): event is OnlineSearchFailure {
  return 'error' in event;
}

/**
 * The queries to send to one service: the LLM's phrasings (cleaned of citation markup) and the keyword
 * query of the sentence, without duplicates.
 * @param query The query.
 * @param service The service.
 */
export function queriesFor(query: OnlineQuery, service: OnlineService): string[] {
  const alternatives = (query.queries ?? []).map((text) => stripCitationMarkup(text)).filter((text) => text.length > 0).slice(0, 3);
  const own = keywordQuery(query.text, service);
  const all = [...alternatives, ...(own ? [own] : [])];
  if (all.length === 0 && query.text.trim()) all.push(stripCitationMarkup(query.text));
  return [...new Set(all)];
}

/**
 * Queries the services in parallel and yields `{ source, records }` or `{ source, error }` for each, in
 * the order they finish. Each service runs its queries (phrasings and keywords); a precise keyword query
 * with no hits is retried in its broad form. Breaking out of the loop cancels what is still running.
 * @param query The sentence and optional alternative phrasings.
 * @param options Services, size, signal and clients.
 */
export async function* searchOnline(query: OnlineQuery, options: SearchOnlineOptions): AsyncIterable<OnlineSearchEvent> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(options.signal.reason);
  if (options.signal.aborted) controller.abort(options.signal.reason);
  else options.signal.addEventListener('abort', onAbort, { once: true });

  const common: ClientCommonOptions = { cache: options.cache, logger: options.logger, fetch: options.fetch, clock: options.clock };
  let built: Record<OnlineService, LiteratureClient> | undefined;
  const clientFor = (service: OnlineService): LiteratureClient => {
    const given = options.clients?.[service];
    if (given) return given;
    built ??= createLiteratureClients(options.config ?? defaultLiteratureConfig, common);
    return built[service];
  };

  // Settings may name a service this version does not know: skip it rather than fail.
  const known: readonly string[] = ['pubmed', 'europepmc', 'crossref', 'openalex'];
  const services = [...new Set(options.services)].filter((service) => known.includes(service));
  const pending = new Map<OnlineService, Promise<{ service: OnlineService; event: OnlineSearchEvent }>>();
  for (const service of services) {
    pending.set(
      service,
      searchService(clientFor(service), query, options.maxResults, controller.signal).then(
        (event) => ({ service, event }),
        (error: unknown) => ({ service, event: { source: service, error: asServiceError(error, service, controller.signal) } }),
      ),
    );
  }
  try {
    while (pending.size > 0) {
      const { service, event } = await Promise.race(pending.values());
      pending.delete(service);
      yield event;
    }
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    // The consumer left early (or everything is done): stop what is still in flight.
    if (pending.size > 0) controller.abort(new Error('search abandoned'));
  }
}

async function searchService(client: LiteratureClient, query: OnlineQuery, maxResults: number, signal: AbortSignal): Promise<OnlineSearchResults> {
  const service = client.service;
  const queries = queriesFor(query, service);
  if (queries.length === 0) return { source: service, records: [], queries: [] };
  const own = keywordQuery(query.text, service);
  const settled = await Promise.allSettled(
    queries.map(async (text) => {
      const result = await client.search(text, { maxResults, signal });
      if (result.records.length === 0 && text === own) {
        const broad = keywordQuery(query.text, service, { mode: 'any' });
        if (broad && broad !== text) {
          const retried = await client.search(broad, { maxResults, signal });
          return { ...retried, sent: [text, broad] };
        }
      }
      return { ...result, sent: [text] };
    }),
  );
  const successes = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  if (successes.length === 0) {
    const firstFailure = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    throw firstFailure?.reason ?? new LiteratureServiceError(service, 'badResponse', l10n.t('{0} returned nothing.', serviceLabels[service]));
  }
  // Round-robin across phrasings so each contributes its best hits before anyone's tail.
  const interleaved: LiteratureRecord[] = [];
  const longest = Math.max(...successes.map((result) => result.records.length));
  for (let rank = 0; rank < longest; rank++) for (const result of successes) if (rank < result.records.length) interleaved.push(result.records[rank]);
  const records = dedupeWithoutIds(mergeRecords(interleaved)).slice(0, maxResults);
  return {
    source: service,
    records,
    queries: successes.flatMap((result) => result.sent),
    total: successes[0].total,
    capped: successes.some((result) => result.capped === true) || undefined,
  };
}

/** Records without any identifier are merged by normalised title and year. */
function dedupeWithoutIds(records: LiteratureRecord[]): LiteratureRecord[] {
  const seen = new Set<string>();
  return records.filter((record) => {
    if (record.doi || record.pmid || record.pmcid) return true;
    const key = `${record.title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()}|${record.year ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function asServiceError(error: unknown, service: OnlineService, signal: AbortSignal): LiteratureServiceError {
  if (error instanceof LiteratureServiceError) return error;
  if (signal.aborted) return new LiteratureServiceError(service, 'aborted', l10n.t('The {0} search was stopped.', serviceLabels[service]));
  return new LiteratureServiceError(service, 'badResponse', l10n.t('{0} failed unexpectedly ({1}). Try again.', serviceLabels[service], error instanceof Error ? error.message : String(error)));
}
