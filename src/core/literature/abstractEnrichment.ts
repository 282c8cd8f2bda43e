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
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
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

/** Europe PMC identifiers per `OR` query (its query length stays far below the URL limit). */
const europePmcBatchSize = 25;

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
 * and written atomically (a temporary file renamed over it) on {@link save}. A missing, unreadable or
 * malformed file is an empty store: the abstracts are fetched again, nothing the user wrote is lost.
 */
export class FileAbstractStore implements AbstractStore {
  private entries = new Map<string, StoredAbstract>();
  private dirty = false;

  /** @param path The JSON file, e.g. `…/literature-cache/abstracts.json`. */
  constructor(readonly path: string) {}

  /** Reads the file, once; later calls do nothing. */
  async load(): Promise<this> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return this;
    }
    try {
      const parsed = JSON.parse(text) as { version?: unknown; entries?: unknown };
      if (parsed.version === 1 && parsed.entries && typeof parsed.entries === 'object') {
        for (const [key, value] of Object.entries(parsed.entries as Record<string, unknown>)) {
          const stored = storedAbstract(value);
          if (stored) this.entries.set(key, stored);
        }
      }
    } catch {
      // A torn or hand-edited file: start again.
    }
    return this;
  }

  /** @inheritdoc */
  get(key: string): StoredAbstract | undefined {
    return this.entries.get(key);
  }

  /** @inheritdoc */
  set(key: string, value: StoredAbstract): void {
    this.entries.set(key, value);
    this.dirty = true;
  }

  /** @inheritdoc */
  async save(): Promise<void> {
    if (!this.dirty) return;
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, JSON.stringify({ version: 1, entries: Object.fromEntries(this.entries) }), { encoding: 'utf8', mode: 0o600 });
    await rename(temporary, this.path);
    this.dirty = false;
  }
}

function storedAbstract(value: unknown): StoredAbstract | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { abstract, source, checkedAt } = value as Record<string, unknown>;
  if (typeof checkedAt !== 'number' || !Number.isFinite(checkedAt)) return undefined;
  if (abstract !== undefined && (typeof abstract !== 'string' || abstract.length < minimumAbstractLength)) return undefined;
  const { asked } = value as Record<string, unknown>;
  const isService = (name: unknown): name is OnlineService => typeof name === 'string' && (onlineServices as readonly string[]).includes(name);
  return {
    ...(typeof abstract === 'string' ? { abstract } : {}),
    ...(isService(source) ? { source } : {}),
    checkedAt,
    ...(Array.isArray(asked) ? { asked: asked.filter(isService) } : {}),
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
  /** A service that could have answered for it failed: no negative answer is stored. */
  uncertain: boolean;
}

/**
 * Fills in the abstracts a library lacks, from the store first, then PubMed (by PMID), OpenAlex (by DOI,
 * then PMID) and Europe PMC (by DOI or PMID), each asked only for what the ones before did not answer.
 * A returned record counts only when its own identifier is the one asked for. A failing service is
 * reported and skipped; the others still run.
 * @param records The library's records (not changed; see {@link AbstractEnrichment.records}).
 * @param options Services, store, signal and clock.
 */
export async function enrichAbstracts(records: readonly LiteratureRecord[], options: EnrichAbstractsOptions): Promise<AbstractEnrichment> {
  const store: AbstractStore = options.store ?? new MemoryAbstractStore();
  const now = options.now ?? Date.now;
  const failures: EnrichmentFailure[] = [];
  const pending: Pending[] = [];
  const filled = new Map<number, string>();
  let missing = 0;
  let fromStore = 0;
  let withoutIdentifier = 0;
  records.forEach((record, index) => {
    if (!lacksAbstract(record)) return;
    const keys = abstractKeys(record);
    if (keys.length === 0) {
      withoutIdentifier++;
      return;
    }
    missing++;
    const stored = keys.map((key) => store.get(key)).filter((value): value is StoredAbstract => value !== undefined);
    const known = stored.find((value) => value.abstract);
    if (known?.abstract) {
      filled.set(index, known.abstract);
      fromStore++;
      return;
    }
    const askable = (['pubmed', 'openalex', 'europepmc'] as const).filter((service) => options.services[service]);
    if (stored.some((value) => now() - value.checkedAt < negativeLifetimeMs && askable.every((service) => value.asked?.includes(service) ?? true))) return;
    pending.push({ index, pmid: normalisePmid(record.pmid), doi: normaliseDoi(record.doi), uncertain: false });
  });

  const open = (): Pending[] => pending.filter((entry) => !entry.abstract);
  const accept = (found: readonly LiteratureRecord[], service: OnlineService, candidates: readonly Pending[]): void => {
    const byPmid = new Map<string, string>();
    const byDoi = new Map<string, string>();
    for (const record of found) {
      const abstract = record.abstract?.trim();
      if (!abstract || abstract.length < minimumAbstractLength) continue;
      const pmid = normalisePmid(record.pmid);
      const doi = normaliseDoi(record.doi);
      if (pmid && !byPmid.has(pmid)) byPmid.set(pmid, abstract);
      if (doi && !byDoi.has(doi)) byDoi.set(doi, abstract);
    }
    for (const entry of candidates) {
      const abstract = (entry.pmid && byPmid.get(entry.pmid)) || (entry.doi && byDoi.get(entry.doi)) || undefined;
      if (abstract) {
        entry.abstract = abstract;
        entry.source = service;
      }
    }
  };
  let cancelled = false;
  /** Runs one service's lookup; false when cancelled. */
  const ask = async (service: OnlineService, candidates: readonly Pending[], lookup: () => Promise<LiteratureRecord[]>): Promise<boolean> => {
    if (candidates.length === 0) return true;
    if (options.signal.aborted) return false;
    try {
      accept(await lookup(), service, candidates);
      return true;
    } catch (error) {
      if (options.signal.aborted || (error instanceof LiteratureServiceError && error.kind === 'aborted')) return false;
      for (const entry of candidates) entry.uncertain = true;
      failures.push({ service, message: error instanceof Error ? error.message : String(error) });
      return true;
    }
  };

  const { pubmed, openalex, europepmc } = options.services;
  const steps: (() => Promise<boolean>)[] = [];
  if (pubmed) {
    steps.push(() => {
      const asked = open().filter((entry) => entry.pmid);
      return ask('pubmed', asked, () => pubmed.fetchByPmids(asked.map((entry) => entry.pmid as string), options.signal));
    });
  }
  if (openalex) {
    steps.push(() => {
      const asked = open().filter((entry) => entry.doi);
      return ask('openalex', asked, () => openalex.worksByIds('doi', asked.map((entry) => entry.doi as string), options.signal));
    });
    steps.push(() => {
      const asked = open().filter((entry) => entry.pmid);
      return ask('openalex', asked, () => openalex.worksByIds('pmid', asked.map((entry) => entry.pmid as string), options.signal));
    });
  }
  if (europepmc) {
    steps.push(async () => {
      const asked = open();
      for (let start = 0; start < asked.length; start += europePmcBatchSize) {
        const batch = asked.slice(start, start + europePmcBatchSize);
        const clauses = batch.map((entry) => (entry.doi ? `DOI:"${entry.doi.replace(/"/g, '')}"` : `(EXT_ID:${entry.pmid} AND SRC:MED)`));
        const carried = await ask('europepmc', batch, async () => (await europepmc.search(clauses.join(' OR '), { maxResults: batch.length * 2, signal: options.signal })).records);
        if (!carried) return false;
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
    const keys = abstractKeys(entry);
    if (entry.abstract) {
      fetched++;
      filled.set(entry.index, entry.abstract);
      for (const key of keys) store.set(key, { abstract: entry.abstract, ...(entry.source ? { source: entry.source } : {}), checkedAt });
    } else if (!cancelled && !entry.uncertain && steps.length > 0) {
      const asked = (['pubmed', 'openalex', 'europepmc'] as const).filter((service) => options.services[service]);
      for (const key of keys) store.set(key, { checkedAt, asked });
    }
  }
  await store.save?.();
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
  };
}
