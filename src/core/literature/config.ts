/**
 * Where the online services live and how to reach them: one configuration object for the extension
 * (from `biowrite.sources.*` settings and SecretStorage) and the CLI (from environment variables), and
 * the factory that turns it into clients.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { LiteratureClient, ClientCommonOptions } from './client';
import { CrossrefClient, defaultCrossrefBaseUrl } from './crossrefClient';
import { defaultEuropePmcBaseUrl, EuropePmcClient } from './europePmcClient';
import type { OnlineService } from './http';
import { defaultOpenAlexBaseUrl, OpenAlexClient } from './openAlexClient';
import { defaultPubmedBaseUrl, PubmedClient } from './pubmedClient';
import { defaultZoteroUrl } from './zoteroClient';

/** Base URLs, keys and contact for the literature services. */
export interface LiteratureConfig {
  /** E-utilities base URL, and the NCBI API key from SecretStorage or `NCBI_API_KEY` (optional). */
  readonly pubmed: { readonly baseUrl: string; readonly apiKey?: string };
  /** Europe PMC REST base URL. */
  readonly europepmc: { readonly baseUrl: string };
  /** Crossref REST base URL. */
  readonly crossref: { readonly baseUrl: string };
  /** OpenAlex base URL, and the API key setting or `OPENALEX_API_KEY` (optional). */
  readonly openalex: { readonly baseUrl: string; readonly apiKey?: string };
  /** Better BibTeX JSON-RPC endpoint. */
  readonly zotero: { readonly url: string };
  /** Sent to NCBI as `email` and to Crossref and OpenAlex as `mailto` (optional). */
  readonly contactEmail?: string;
}

/** The public endpoints, no keys, no contact. */
export const defaultLiteratureConfig: LiteratureConfig = {
  pubmed: { baseUrl: defaultPubmedBaseUrl },
  europepmc: { baseUrl: defaultEuropePmcBaseUrl },
  crossref: { baseUrl: defaultCrossrefBaseUrl },
  openalex: { baseUrl: defaultOpenAlexBaseUrl },
  zotero: { url: defaultZoteroUrl },
};

/** Environment variables, as `process.env`. */
export type LiteratureEnvironment = Readonly<Record<string, string | undefined>>;

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * The configuration for the CLI: `BIOWRITE_PUBMED_URL`, `BIOWRITE_EUROPEPMC_URL`, `BIOWRITE_CROSSREF_URL`,
 * `BIOWRITE_OPENALEX_URL`, `BIOWRITE_ZOTERO_URL`, `BIOWRITE_CONTACT_EMAIL`, `NCBI_API_KEY`, `OPENALEX_API_KEY`;
 * unset or empty variables keep the defaults.
 * @param env The environment (optional; default: `process.env`).
 */
export function literatureConfigFromEnv(env: LiteratureEnvironment = process.env): LiteratureConfig {
  return {
    pubmed: { baseUrl: nonEmpty(env.BIOWRITE_PUBMED_URL) ?? defaultPubmedBaseUrl, apiKey: nonEmpty(env.NCBI_API_KEY) },
    europepmc: { baseUrl: nonEmpty(env.BIOWRITE_EUROPEPMC_URL) ?? defaultEuropePmcBaseUrl },
    crossref: { baseUrl: nonEmpty(env.BIOWRITE_CROSSREF_URL) ?? defaultCrossrefBaseUrl },
    openalex: { baseUrl: nonEmpty(env.BIOWRITE_OPENALEX_URL) ?? defaultOpenAlexBaseUrl, apiKey: nonEmpty(env.OPENALEX_API_KEY) },
    zotero: { url: nonEmpty(env.BIOWRITE_ZOTERO_URL) ?? defaultZoteroUrl },
    contactEmail: nonEmpty(env.BIOWRITE_CONTACT_EMAIL),
  };
}

/**
 * The CLI's cache directory: `BIOWRITE_CACHE_DIR` when set (`none` disables the cache), else the OS cache
 * directory (`$XDG_CACHE_HOME` or `~/.cache` on Linux, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on
 * Windows) plus `biowrite/literature`.
 * @param env The environment (optional; default: `process.env`).
 * @param platform The OS (optional; default: `process.platform`).
 * @returns The directory, or `undefined` for no disk cache.
 */
export function literatureCacheDirFromEnv(env: LiteratureEnvironment = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  const explicit = nonEmpty(env.BIOWRITE_CACHE_DIR);
  if (explicit) return explicit.toLowerCase() === 'none' ? undefined : explicit;
  const home = nonEmpty(env.HOME) ?? nonEmpty(env.USERPROFILE) ?? homedir();
  if (platform === 'win32') return join(nonEmpty(env.LOCALAPPDATA) ?? join(home, 'AppData', 'Local'), 'biowrite', 'cache', 'literature');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'biowrite', 'literature');
  return join(nonEmpty(env.XDG_CACHE_HOME) ?? join(home, '.cache'), 'biowrite', 'literature');
}

/**
 * One client per online service, from a configuration.
 * @param config Base URLs, keys and contact.
 * @param common Transport, logger, cache and clock shared by every client (optional).
 */
export function createLiteratureClients(config: LiteratureConfig, common: ClientCommonOptions = {}): Record<OnlineService, LiteratureClient> {
  return {
    pubmed: new PubmedClient({ ...common, baseUrl: config.pubmed.baseUrl, apiKey: config.pubmed.apiKey, email: config.contactEmail }),
    europepmc: new EuropePmcClient({ ...common, baseUrl: config.europepmc.baseUrl, email: config.contactEmail }),
    crossref: new CrossrefClient({ ...common, baseUrl: config.crossref.baseUrl, mailto: config.contactEmail }),
    openalex: new OpenAlexClient({ ...common, baseUrl: config.openalex.baseUrl, apiKey: config.openalex.apiKey, mailto: config.contactEmail }),
  };
}
