/**
 * Zotero through Better BibTeX, on this machine: `item.search` over JSON-RPC for CSL-JSON items with
 * their citekeys, and the cite-as-you-write picker (`/better-bibtex/cayw`). When Zotero is not running
 * the answer is `{ available: false }`, found fast (a short timeout, no retries), never an error storm.
 */
import * as l10n from '@vscode/l10n';
import type { RequestLogger } from '../llm/types';
import { asArray, isObject } from './client';
import { LiteratureServiceError, RateLimiter, ServiceHttp, type Clock } from './http';
import { normaliseDoi, normalisePmcid, normalisePmid, stringOrUndefined, yearOf } from './normalize';
import { parseTitleMarkup, titleFields } from './titleMarkup';
import type { LiteratureRecord, RecordAuthor } from './types';

/** Better BibTeX's JSON-RPC endpoint in a default Zotero install. */
export const defaultZoteroUrl = 'http://127.0.0.1:23119/better-bibtex/json-rpc';

/** Options of {@link ZoteroClient}. */
export interface ZoteroClientOptions {
  /** The JSON-RPC endpoint (optional; default: {@link defaultZoteroUrl}). */
  readonly url?: string;
  /** (optional; default: the global `fetch`) */
  readonly fetch?: typeof fetch;
  /** (optional) */
  readonly logger?: RequestLogger;
  /** Timeout of a search; Zotero answers locally in milliseconds (optional; default: 3000). */
  readonly timeoutMs?: number;
  /** (optional) */
  readonly clock?: Clock;
}

/** The outcome of a Zotero call: results, or why Zotero could not be asked. */
export type ZoteroOutcome<T> = ({ readonly available: true } & T) | { readonly available: false; readonly reason: string };

/** What the cite-as-you-write picker returned. */
export interface ZoteroPick {
  /** The picked items as records (for `format: 'json'`); empty when the user cancelled. */
  readonly records: LiteratureRecord[];
  /** The picker's text answer (for `pandoc`, `latex`, `biblatex`…, e.g. `[@smith2020]`); '' when cancelled. */
  readonly text: string;
}

/** A Better BibTeX client. */
export class ZoteroClient {
  private readonly http: ServiceHttp;
  private readonly url: string;

  /** @param options Endpoint and transport. */
  constructor(options: ZoteroClientOptions = {}) {
    this.url = options.url || defaultZoteroUrl;
    this.http = new ServiceHttp({
      service: 'zotero',
      fetch: options.fetch,
      logger: options.logger,
      clock: options.clock,
      limiter: new RateLimiter({ requestsPerSecond: 50, maxConcurrent: 2, clock: options.clock }),
      timeoutMs: options.timeoutMs ?? 3000,
      maxRetries: 0,
    });
  }

  /** The cite-as-you-write URL next to the JSON-RPC endpoint. */
  get caywUrl(): string {
    return this.url.replace(/\/json-rpc\/?$/, '/cayw');
  }

  /**
   * Whether Better BibTeX answers (`api.ready`), within a short timeout.
   * @param signal Cancels the probe.
   */
  async isAvailable(signal: AbortSignal): Promise<boolean> {
    const outcome = await this.call('api.ready', [], signal, 1500);
    return outcome.available;
  }

  /**
   * Searches the Zotero library with Better BibTeX's `item.search`. Zotero requires every word of a search to
   * match, so boolean operators and quotes are dropped and, when all the words together find nothing, the
   * most specific words (up to four) are searched one by one and items ranked by how many of them they match.
   * @param terms Search terms (plain words or a keyword query).
   * @param options Most results and signal.
   */
  async search(terms: string, options: { readonly maxResults: number; readonly signal: AbortSignal }): Promise<ZoteroOutcome<{ records: LiteratureRecord[] }>> {
    const words = terms
      .replace(/["()]/g, ' ')
      .split(/\s+/)
      .filter((word) => word !== '' && !/^(AND|OR|NOT)$/.test(word));
    const limit = Math.max(0, Math.floor(options.maxResults));
    const first = await this.searchOnce(words.join(' '), options.signal);
    if (!first.available || first.records.length > 0 || words.length < 2) return first.available ? { available: true, records: first.records.slice(0, limit) } : first;
    const hits = new Map<string, { record: LiteratureRecord; count: number; order: number }>();
    let order = 0;
    for (const word of words.slice(0, 4)) {
      const outcome = await this.searchOnce(word, options.signal);
      if (!outcome.available) return outcome;
      for (const record of outcome.records) {
        const key = record.libraryId ?? record.doi ?? record.title;
        const seen = hits.get(key);
        if (seen) seen.count++;
        else hits.set(key, { record, count: 1, order: order++ });
      }
    }
    const ranked = [...hits.values()].sort((a, b) => b.count - a.count || a.order - b.order).map((hit) => hit.record);
    return { available: true, records: ranked.slice(0, limit) };
  }

  private async searchOnce(terms: string, signal: AbortSignal): Promise<ZoteroOutcome<{ records: LiteratureRecord[] }>> {
    const outcome = await this.call('item.search', [terms], signal);
    if (!outcome.available) return outcome;
    const records = asArray(outcome.result).flatMap((item) => {
      const record = isObject(item) ? mapZoteroItem(item) : undefined;
      return record ? [record] : [];
    });
    return { available: true, records };
  }

  /**
   * Opens Zotero's cite-as-you-write picker and waits for the user's pick (no timeout: the user is choosing).
   * @param format `json` for items, or a BBT citation format such as `pandoc`, `latex`, `biblatex` (optional; default: `json`).
   * @param signal Cancels the wait.
   */
  async pick(format: string = 'json', signal: AbortSignal): Promise<ZoteroOutcome<ZoteroPick>> {
    const url = `${this.caywUrl}?format=${encodeURIComponent(format)}`;
    let text: string;
    try {
      text = await this.http.text({ url, signal, timeoutMs: 30 * 60_000, maxRetries: 0 });
    } catch (error) {
      return this.unavailable(error);
    }
    if (format !== 'json') return { available: true, records: [], text: text.trim() };
    if (text.trim() === '') return { available: true, records: [], text: '' };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new LiteratureServiceError('zotero', 'badResponse', l10n.t('Zotero’s citation picker sent an answer Biowrite cannot read. Update Better BibTeX and try again.'));
    }
    const records = asArray(parsed).flatMap((item) => {
      const record = isObject(item) ? mapZoteroItem(item) : undefined;
      return record ? [record] : [];
    });
    return { available: true, records, text: '' };
  }

  private async call(method: string, params: unknown[], signal: AbortSignal, timeoutMs?: number): Promise<ZoteroOutcome<{ result: unknown }>> {
    let body: unknown;
    try {
      body = await this.http.json({
        url: this.url,
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', method, params, id: 1 }),
        signal,
        timeoutMs,
        cache: false,
      });
    } catch (error) {
      return this.unavailable(error);
    }
    if (isObject(body) && isObject(body.error)) {
      const message = stringOrUndefined(body.error.message) ?? l10n.t('unknown error');
      throw new LiteratureServiceError(
        'zotero',
        'rejected',
        l10n.t('Better BibTeX could not run {0}: “{1}”. Update Better BibTeX, or search your bibliography file instead.', method, message.slice(0, 200)),
      );
    }
    if (!isObject(body) || !('result' in body)) {
      throw new LiteratureServiceError('zotero', 'badResponse', l10n.t('The Zotero endpoint did not answer like Better BibTeX. Check biowrite.sources.zotero.url.'));
    }
    return { available: true, result: body.result };
  }

  /** Network failures and timeouts mean “not running”; aborts and protocol errors are real errors. */
  private unavailable(error: unknown): { available: false; reason: string } {
    if (error instanceof LiteratureServiceError) {
      if (error.kind === 'aborted') throw error;
      if (error.kind === 'network' || error.kind === 'timeout') {
        return { available: false, reason: l10n.t('Zotero is not running, or Better BibTeX is not installed. Start Zotero to search your Zotero library.') };
      }
      if (error.kind === 'rejected' && error.status === 404) {
        return { available: false, reason: l10n.t('Zotero is running without Better BibTeX. Install Better BibTeX to search your Zotero library from Biowrite.') };
      }
    }
    throw error;
  }
}

/**
 * Maps a Better BibTeX CSL-JSON item (with `citekey` or `citationKey`) to a record.
 * @param item The item.
 */
export function mapZoteroItem(item: Record<string, unknown>): LiteratureRecord | undefined {
  // Zotero rich text: `<i>`, `<b>`, `<sup>`, `<sub>`, `<span style="font-variant:small-caps;">`.
  const { title, titleSpans } = titleFields(parseTitleMarkup(stringOrUndefined(item.title)));
  if (!title) return undefined;
  const authors: RecordAuthor[] = asArray(item.author).flatMap((author): RecordAuthor[] => {
    if (!isObject(author)) return [];
    const family = stringOrUndefined(author.family);
    const given = stringOrUndefined(author.given);
    if (family) return [given ? { family, given } : { family }];
    const literal = stringOrUndefined(author.literal) ?? stringOrUndefined(author.name);
    return literal ? [{ literal }] : [];
  });
  const issued = isObject(item.issued) ? item.issued['date-parts'] ?? item.issued.raw ?? item.issued.literal : item.issued;
  const libraryId = stringOrUndefined(item.citekey) ?? stringOrUndefined(item.citationKey) ?? stringOrUndefined(item['citation-key']) ?? stringOrUndefined(item.id);
  const keywords = typeof item.keyword === 'string' ? item.keyword.split(/\s*[,;]\s*/).filter((keyword) => keyword !== '') : [];
  return {
    sources: ['zotero'],
    libraryId,
    title,
    ...(titleSpans ? { titleSpans } : {}),
    authors,
    containerTitle: stringOrUndefined(item['container-title']),
    year: yearOf(issued) ?? yearOf(item.year),
    volume: stringOrUndefined(item.volume),
    issue: stringOrUndefined(item.issue),
    page: stringOrUndefined(item.page),
    doi: normaliseDoi(item.DOI),
    pmid: normalisePmid(item.PMID),
    pmcid: normalisePmcid(item.PMCID, true),
    url: stringOrUndefined(item.URL),
    abstract: stringOrUndefined(item.abstract),
    keywords: keywords.length > 0 ? keywords : undefined,
    type: stringOrUndefined(item.type) ?? 'article-journal',
    retracted: false,
    notices: [],
  };
}
