/**
 * Abstract enrichment: library entries without an abstract get the one PubMed, OpenAlex or Europe PMC
 * holds for their PMID or DOI, so the library ranking has more than a title to match a sentence against.
 * Only identifiers are sent; each abstract is fetched once and kept in an {@link AbstractStore}, and an
 * entry no service has an abstract for is asked again only after {@link negativeLifetimeMs}.
 *
 * The abstracts are used for ranking only: they are what a service returned for the entry's own
 * identifier, never written into the author's bibliography file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ClientCommonOptions, ClientSearchOptions, ClientSearchResult } from './client';
import type { LiteratureConfig } from './config';
import { EuropePmcClient } from './europePmcClient';
import { OpenAlexClient } from './openAlexClient';
import { PubmedClient } from './pubmedClient';
import { LiteratureServiceError, type OnlineService } from './http';
import { normaliseDoi, normalisePmid } from './normalize';
import type { LiteratureRecord } from './types';

/** How long "no service has an abstract for it" is believed before asking again: 30 days. */
export const negativeLifetimeMs = 30 * 24 * 3600 * 1000;

const onlineServices: readonly OnlineService[] = ['pubmed', 'europepmc', 'crossref', 'openalex'];

/** Shorter texts are not abstracts (a stray "Abstract", a copyright line). */
const minimumAbstractLength = 50;

/** Europe PMC identifiers per `OR` query, and the longest query (URLs stay well below common 8 KB limits). */
const europePmcBatchSize = 25;
const europePmcQueryLength = 3000;

/** The lookups enrichment needs from each service; each is optional, and a missing one is skipped. */
export interface AbstractServices {
  /** PubMed EFetch by PMID (see `PubmedClient.fetchByPmids`) (optional). */
  readonly pubmed?: { fetchByPmids(ids: readonly string[], signal: AbortSignal): Promise<LiteratureRecord[]> };
  /** OpenAlex works by identifier (see `OpenAlexClient.worksByIds`) (optional). */
  readonly openalex?: { worksByIds(kind: 'doi' | 'pmid', ids: readonly string[], signal: AbortSignal): Promise<LiteratureRecord[]> };
  /** Europe PMC search, asked with `DOI:"…"` and `EXT_ID:… AND SRC:MED` (optional). */
  readonly europepmc?: { search(query: string, options: ClientSearchOptions): Promise<ClientSearchResult> };
}

/**
 * The enrichment lookups of the enabled services, from the search configuration.
 * @param config Base URLs, keys and contact.
 * @param enabled The services the user allows (PubMed, OpenAlex and Europe PMC among them are used).
 * @param common Transport, logger and cache shared by the clients (optional).
 */
export function abstractServicesFor(config: LiteratureConfig, enabled: readonly OnlineService[], common: ClientCommonOptions = {}): AbstractServices {
  return {
    ...(enabled.includes('pubmed') ? { pubmed: new PubmedClient({ ...common, baseUrl: config.pubmed.baseUrl, apiKey: config.pubmed.apiKey, email: config.contactEmail }) } : {}),
    ...(enabled.includes('openalex') ? { openalex: new OpenAlexClient({ ...common, baseUrl: config.openalex.baseUrl, apiKey: config.openalex.apiKey, mailto: config.contactEmail }) } : {}),
    ...(enabled.includes('europepmc') ? { europepmc: new EuropePmcClient({ ...common, baseUrl: config.europepmc.baseUrl, email: config.contactEmail }) } : {}),
  };
}

/** What the store remembers for one identifier. */
export interface StoredAbstract {
  /** The abstract, or absent when no service had one. */
  readonly abstract?: string;
  /** The service it came from (absent with no abstract). */
  readonly source?: OnlineService;
  /** When it was looked up (ms since the epoch). */
  readonly checkedAt: number;
  /** With no abstract: the services that were asked (a service added since is asked before the answer expires). */
  readonly asked?: readonly OnlineService[];
  /** With an abstract: the identifiers of the record it came from, so an entry whose other identifier disagrees does not take it. */
  readonly doi?: string;
  readonly pmid?: string;
}

/** Where fetched abstracts are kept, by identifier key (`doi:10.…` or `pmid:…`). */
export interface AbstractStore {
  /** The stored answer for a key, if any. */
  get(key: string): StoredAbstract | undefined;
  /** Remembers an answer. */
  set(key: string, value: StoredAbstract): void;
  /** Writes what changed (optional: a memory store has nothing to write). */
  save?(): Promise<void>;
}

/** A store that lives as long as the process: for tests and for a run without a cache directory. */
export class MemoryAbstractStore implements AbstractStore {
  private readonly entries = new Map<string, StoredAbstract>();

  /** @inheritdoc */
  get(key: string): StoredAbstract | undefined {
    return this.entries.get(key);
  }

  /** @inheritdoc */
  set(key: string, value: StoredAbstract): void {
    this.entries.set(key, value);
  }
}

/**
 * A store in one JSON file (`{"version":1,"entries":{key: StoredAbstract}}`), read once on {@link load}
 * and written atomically (a temporary file renamed over it) on {@link save}. Saves run one at a time and
 * merge what is on disk first (the newer answer of a key wins) under a lock file beside it, so two
 * libraries, or two windows sharing the file, keep each other's abstracts even when they save at once. A missing or malformed file is an empty store; a file that
 * exists but cannot be read is never overwritten.
 */
export class FileAbstractStore implements AbstractStore {
  private readonly entries = new Map<string, StoredAbstract>();
  /** Bumped by every {@link set}: a save clears "dirty" only when nothing was set while it wrote. */
  private generation = 0;
  private savedGeneration = 0;
  private writable = true;
  private saving: Promise<void> = Promise.resolve();

  /** @param path The JSON file, e.g. `…/literature-cache/abstracts.json`. */
  constructor(readonly path: string) {}

  /** Reads the file; call once before use. */
  async load(): Promise<this> {
    const read = await this.readEntries();
    if (read === 'unreadable') this.writable = false;
    else for (const [key, value] of read) this.entries.set(key, value);
    return this;
  }

  private async readEntries(): Promise<Map<string, StoredAbstract> | 'unreadable'> {
    const entries = new Map<string, StoredAbstract>();
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? entries : 'unreadable';
    }
    try {
      const parsed = JSON.parse(text) as { version?: unknown; entries?: unknown };
      if (parsed.version === 1 && parsed.entries && typeof parsed.entries === 'object') {
        for (const [key, value] of Object.entries(parsed.entries as Record<string, unknown>)) {
          const stored = storedAbstract(value);
          if (stored) entries.set(key, stored);
        }
      }
    } catch {
      // A torn or hand-edited file: start again.
    }
    return entries;
  }

  /** @inheritdoc */
  get(key: string): StoredAbstract | undefined {
    return this.entries.get(key);
  }

  /** @inheritdoc */
  set(key: string, value: StoredAbstract): void {
    this.entries.set(key, value);
    this.generation++;
  }

  /** @inheritdoc */
  save(): Promise<void> {
    const run = this.saving.then(() => this.write());
    // One failed save must not block the next ones.
    this.saving = run.catch(() => undefined);
    return run;
  }

  private async write(): Promise<void> {
    if (!this.writable || this.generation === this.savedGeneration) return;
    await mkdir(dirname(this.path), { recursive: true });
    const release = await acquireLock(`${this.path}.lock`);
    try {
      await this.mergeAndWrite();
    } finally {
      await release();
    }
  }

  private async mergeAndWrite(): Promise<void> {
    const generation = this.generation;
    const onDisk = await this.readEntries();
    if (onDisk !== 'unreadable') {
      for (const [key, value] of onDisk) {
        const mine = this.entries.get(key);
        if (!mine || value.checkedAt > mine.checkedAt) this.entries.set(key, value);
      }
    }
    const temporary = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, JSON.stringify({ version: 1, entries: Object.fromEntries(this.entries) }), { encoding: 'utf8', mode: 0o600 });
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw error;
    }
    this.savedGeneration = generation;
  }
}

/** A lock older than this was left by a window that stopped while saving (a save takes milliseconds). */
const staleLockMs = 10_000;

/**
 * Takes a lock file beside the store, so that two windows merging and writing the same file take turns
 * (otherwise the one that renames last drops what the other added since it read). Waits for a held lock,
 * takes over a stale one, and after {@link staleLockMs} of waiting writes without it rather than never.
 * @returns A function that releases the lock.
 */
async function acquireLock(lockPath: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + staleLockMs;
  let pause = 5;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return async () => undefined;
    }
    const age = await stat(lockPath).then((info) => Date.now() - info.mtimeMs, () => 0);
    if (age > staleLockMs) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) return async () => undefined;
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 100);
  }
}

function storedAbstract(value: unknown): StoredAbstract | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { abstract, source, checkedAt } = value as Record<string, unknown>;
  if (typeof checkedAt !== 'number' || !Number.isFinite(checkedAt)) return undefined;
  if (abstract !== undefined && (typeof abstract !== 'string' || abstract.length < minimumAbstractLength)) return undefined;
  const { asked, doi, pmid } = value as Record<string, unknown>;
  const isService = (name: unknown): name is OnlineService => typeof name === 'string' && (onlineServices as readonly string[]).includes(name);
  return {
    ...(typeof abstract === 'string' ? { abstract } : {}),
    ...(isService(source) ? { source } : {}),
    checkedAt,
    ...(Array.isArray(asked) ? { asked: asked.filter(isService) } : {}),
    ...(normaliseDoi(doi) ? { doi: normaliseDoi(doi) } : {}),
    ...(normalisePmid(pmid) ? { pmid: normalisePmid(pmid) } : {}),
  };
}

/** Options of {@link enrichAbstracts}. */
export interface EnrichAbstractsOptions {
  /** The services to ask, in the order PubMed, OpenAlex, Europe PMC. */
  readonly services: AbstractServices;
  /** Where abstracts are kept between runs (optional; default: a new memory store). */
  readonly store?: AbstractStore;
  /** Cancels the lookups; what was found until then is kept and returned. */
  readonly signal: AbortSignal;
  /** The clock (optional; default: `Date.now`). */
  readonly now?: () => number;
}

/** A service that failed during enrichment. */
export interface EnrichmentFailure {
  readonly service: OnlineService;
  readonly message: string;
}

/** What {@link enrichAbstracts} did. */
export interface AbstractEnrichment {
  /** The records in their order, those an abstract was found for with it filled in. */
  readonly records: LiteratureRecord[];
  /** Entries that had no abstract and a DOI or PMID. */
  readonly missing: number;
  /** Of those, filled from the store. */
  readonly fromStore: number;
  /** Of those, filled from a service in this run. */
  readonly fetched: number;
  /** Entries without an abstract and without any identifier to ask by. */
  readonly withoutIdentifier: number;
  /** Services that failed (their entries are asked again next time). */
  readonly failures: readonly EnrichmentFailure[];
  /** True when the signal stopped the lookups before every service was asked. */
  readonly cancelled: boolean;
  /** Why the store could not be written, when it could not (the abstracts are still in {@link records}). */
  readonly storeError?: string;
}

/** The store keys of a record: `pmid:…` and `doi:…`, as it has them. */
export function abstractKeys(record: Pick<LiteratureRecord, 'doi' | 'pmid'>): string[] {
  const keys: string[] = [];
  const pmid = normalisePmid(record.pmid);
  const doi = normaliseDoi(record.doi);
  if (pmid) keys.push(`pmid:${pmid}`);
  if (doi) keys.push(`doi:${doi}`);
  return keys;
}

function lacksAbstract(record: LiteratureRecord): boolean {
  return (record.abstract ?? '').trim().length < minimumAbstractLength;
}

/** One entry being looked up. */
interface Pending {
  readonly index: number;
  readonly pmid?: string;
  readonly doi?: string;
  abstract?: string;
  source?: OnlineService;
  /** The identifiers of the record the abstract came from. */
  found?: { readonly doi?: string; readonly pmid?: string };
  /** A service that could have answered for it failed: no negative answer is stored. */
  uncertain: boolean;
}

/** Whether Europe PMC refused the query itself (its syntax or an identifier), not access, the URL or the load. */
function isQueryRefusal(error: unknown): boolean {
  return error instanceof LiteratureServiceError && error.kind === 'rejected' && error.status !== undefined && error.status >= 400 && error.status < 500 && ![401, 403, 404, 407].includes(error.status);
}

/** Whether a record (or stored answer) with these identifiers is the entry's work: one matches, none disagrees. */
function sameWork(entry: { readonly doi?: string; readonly pmid?: string }, other: { readonly doi?: string; readonly pmid?: string }): boolean {
  const doiMatch = entry.doi !== undefined && entry.doi === other.doi;
  const pmidMatch = entry.pmid !== undefined && entry.pmid === other.pmid;
  const doiConflict = entry.doi !== undefined && other.doi !== undefined && entry.doi !== other.doi;
  const pmidConflict = entry.pmid !== undefined && other.pmid !== undefined && entry.pmid !== other.pmid;
  return (doiMatch || pmidMatch) && !doiConflict && !pmidConflict;
}

/**
 * Fills in the abstracts a library lacks, from the store first, then PubMed (by PMID), OpenAlex (by DOI,
 * then PMID) and Europe PMC (by DOI or PMID), each asked only for what the ones before did not answer.
 * A returned record counts only when its identifier is the one asked for and its other identifier does
 * not disagree with the entry's. A failing service is reported and skipped; the others still run.
 * @param records The library's records (not changed; see {@link AbstractEnrichment.records}).
 * @param options Services, store, signal and clock.
 */
export async function enrichAbstracts(records: readonly LiteratureRecord[], options: EnrichAbstractsOptions): Promise<AbstractEnrichment> {
  const store: AbstractStore = options.store ?? new MemoryAbstractStore();
  const now = options.now ?? Date.now;
  const failures: EnrichmentFailure[] = [];
  const pending: Pending[] = [];
  const filled = new Map<number, string>();
  const askable = (['pubmed', 'openalex', 'europepmc'] as const).filter((service) => options.services[service]);
  let missing = 0;
  let fromStore = 0;
  let withoutIdentifier = 0;
  records.forEach((record, index) => {
    if (!lacksAbstract(record)) return;
    const ids = { pmid: normalisePmid(record.pmid), doi: normaliseDoi(record.doi) };
    const keys = abstractKeys(ids);
    if (keys.length === 0) {
      withoutIdentifier++;
      return;
    }
    missing++;
    const known = keys.map((key) => store.get(key)).find((value) => value?.abstract && sameWork(ids, { doi: value.doi ?? ids.doi, pmid: value.pmid ?? ids.pmid }));
    if (known?.abstract) {
      filled.set(index, known.abstract);
      fromStore++;
      return;
    }
    // Skipped only when every identifier has a fresh "none" from every service asked now: a DOI added to
    // an entry, or a service enabled, is asked at once.
    const settled = (value: StoredAbstract | undefined): boolean =>
      value !== undefined && !value.abstract && now() - value.checkedAt < negativeLifetimeMs && askable.every((service) => value.asked?.includes(service) ?? true);
    if (keys.every((key) => settled(store.get(key)))) return;
    pending.push({ index, ...ids, uncertain: false });
  });

  const open = (): Pending[] => pending.filter((entry) => !entry.abstract);
  const accept = (found: readonly LiteratureRecord[], service: OnlineService, candidates: readonly Pending[]): void => {
    const usable = found.flatMap((record) => {
      const abstract = record.abstract?.trim();
      return abstract && abstract.length >= minimumAbstractLength ? [{ abstract, doi: normaliseDoi(record.doi), pmid: normalisePmid(record.pmid) }] : [];
    });
    for (const entry of candidates) {
      const match = usable.find((record) => sameWork(entry, record));
      if (!match) continue;
      entry.abstract = match.abstract;
      entry.source = service;
      entry.found = { ...(match.doi ? { doi: match.doi } : {}), ...(match.pmid ? { pmid: match.pmid } : {}) };
    }
  };
  let cancelled = false;
  /**
   * Runs one service's lookup; false when cancelled. `complete` false (a page that did not hold every hit)
   * keeps the entries left open from being remembered as "none".
   */
  const ask = async (service: OnlineService, candidates: readonly Pending[], lookup: () => Promise<{ records: LiteratureRecord[]; complete: boolean }>): Promise<boolean> => {
    if (candidates.length === 0) return true;
    if (options.signal.aborted) return false;
    try {
      const { records: found, complete } = await lookup();
      accept(found, service, candidates);
      if (!complete) for (const entry of candidates) if (!entry.abstract) entry.uncertain = true;
      return true;
    } catch (error) {
      if (options.signal.aborted || (error instanceof LiteratureServiceError && error.kind === 'aborted')) return false;
      for (const entry of candidates) entry.uncertain = true;
      failures.push({ service, message: error instanceof Error ? error.message : String(error) });
      return true;
    }
  };
  const all = async (records: Promise<LiteratureRecord[]>): Promise<{ records: LiteratureRecord[]; complete: boolean }> => ({ records: await records, complete: true });

  const { pubmed, openalex, europepmc } = options.services;
  const steps: (() => Promise<boolean>)[] = [];
  if (pubmed) {
    steps.push(() => {
      const asked = open().filter((entry) => entry.pmid);
      return ask('pubmed', asked, () => all(pubmed.fetchByPmids(asked.map((entry) => entry.pmid as string), options.signal)));
    });
  }
  if (openalex) {
    steps.push(() => {
      const asked = open().filter((entry) => entry.doi);
      return ask('openalex', asked, () => all(openalex.worksByIds('doi', asked.map((entry) => entry.doi as string), options.signal)));
    });
    steps.push(() => {
      const asked = open().filter((entry) => entry.pmid);
      return ask('openalex', asked, () => all(openalex.worksByIds('pmid', asked.map((entry) => entry.pmid as string), options.signal)));
    });
  }
  if (europepmc) {
    steps.push(async () => {
      const clause = (entry: Pending): string => {
        const byPmid = entry.pmid ? `(EXT_ID:${entry.pmid} AND SRC:MED)` : undefined;
        // normaliseDoi admits no quote or backslash, so the DOI is safe inside a phrase.
        const byDoi = entry.doi ? `DOI:"${entry.doi}"` : undefined;
        return byDoi && byPmid ? `(${byDoi} OR ${byPmid})` : (byDoi ?? byPmid ?? '');
      };
      /**
       * Asks for one batch. A query Europe PMC refuses as a query (a 4xx that is not about access or the
       * URL) is asked again in halves, so one identifier its parser cannot take does not leave the rest
       * open at every load; an entry refused on its own is Europe PMC's "none" for it. Any other failure
       * stops the step: the service is down or unreachable, and the next batches would fail the same way.
       */
      const askBatch = async (batch: readonly Pending[]): Promise<'answered' | 'failed' | 'cancelled'> => {
        if (options.signal.aborted) return 'cancelled';
        try {
          const result = await europepmc.search(batch.map(clause).join(' OR '), { maxResults: batch.length * 2, signal: options.signal });
          accept(result.records, 'europepmc', batch);
          const complete = result.total === undefined || result.total <= result.records.length;
          if (!complete) for (const entry of batch) if (!entry.abstract) entry.uncertain = true;
          return 'answered';
        } catch (error) {
          if (options.signal.aborted || (error instanceof LiteratureServiceError && error.kind === 'aborted')) return 'cancelled';
          if (isQueryRefusal(error)) {
            if (batch.length === 1) return 'answered';
            const half = Math.ceil(batch.length / 2);
            const first = await askBatch(batch.slice(0, half));
            return first === 'answered' ? askBatch(batch.slice(half)) : first;
          }
          for (const entry of batch) entry.uncertain = true;
          failures.push({ service: 'europepmc', message: error instanceof Error ? error.message : String(error) });
          return 'failed';
        }
      };
      const asked = open();
      let start = 0;
      while (start < asked.length) {
        const batch: Pending[] = [];
        let length = 0;
        for (let next = start; next < asked.length && batch.length < europePmcBatchSize; next++) {
          const added = clause(asked[next]).length + 4;
          if (batch.length > 0 && length + added > europePmcQueryLength) break;
          batch.push(asked[next]);
          length += added;
        }
        start += batch.length;
        const outcome = await askBatch(batch);
        if (outcome === 'cancelled') return false;
        if (outcome === 'failed') {
          for (const entry of asked.slice(start)) entry.uncertain = true;
          break;
        }
      }
      return true;
    });
  }
  for (const step of steps) {
    if (!(await step())) {
      cancelled = true;
      break;
    }
  }

  const checkedAt = now();
  let fetched = 0;
  for (const entry of pending) {
    if (entry.abstract) {
      fetched++;
      filled.set(entry.index, entry.abstract);
      // Kept only under the identifiers the returned record shares with the entry: a wrong PMID in one
      // library must not lend another paper's abstract to every entry with that PMID.
      const found = entry.found ?? {};
      const keys = abstractKeys({ ...(entry.doi === found.doi ? { doi: entry.doi } : {}), ...(entry.pmid === found.pmid ? { pmid: entry.pmid } : {}) });
      for (const key of keys) store.set(key, { abstract: entry.abstract, ...(entry.source ? { source: entry.source } : {}), checkedAt, ...found });
    } else if (!cancelled && !entry.uncertain && steps.length > 0) {
      for (const key of abstractKeys(entry)) store.set(key, { checkedAt, asked: askable });
    }
  }
  let storeError: string | undefined;
  try {
    await store.save?.();
  } catch (error) {
    // The abstracts found are still used now; they are fetched again next time.
    storeError = error instanceof Error ? error.message : String(error);
  }
  return {
    records: records.map((record, index) => {
      const abstract = filled.get(index);
      return abstract ? { ...record, abstract } : record;
    }),
    missing,
    fromStore,
    fetched,
    withoutIdentifier,
    failures,
    cancelled,
    ...(storeError !== undefined ? { storeError } : {}),
  };
}
