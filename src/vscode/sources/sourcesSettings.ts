import * as vscode from 'vscode';
import type { LiteratureConfig } from '../../core/literature/config';
import type { OnlineService } from '../../core/literature/http';
import type { MarkdownStyleSetting } from '../../core/citations/insertCitation';
import { readApplicationSetting, type WarningLog } from '../config';

/** The SecretStorage key of the NCBI (PubMed) API key. */
export const pubmedApiKeySecret = 'biowrite.sources.pubmed.apiKey';

/** The SecretStorage key of the OpenAlex API key. */
export const openAlexApiKeySecret = 'biowrite.sources.openalex.apiKey';

const ONLINE: readonly OnlineService[] = ['pubmed', 'europepmc', 'crossref', 'openalex'];

/** The `biowrite.sources.*` settings a search needs. Endpoints come from user settings only. */
export interface SourcesSettings {
  readonly services: OnlineService[];
  readonly config: LiteratureConfig;
  readonly zoteroEnabled: boolean;
  readonly maxResults: number;
  readonly llmAssist: boolean;
  /** Fetch the abstracts library entries lack, by identifier, from the enabled services (`biowrite.sources.fetchMissingAbstracts`). */
  readonly fetchMissingAbstracts: boolean;
}

function text(section: string, key: string, fallback: string, log?: WarningLog): string {
  const value = readApplicationSetting<unknown>(section, key, fallback, log);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
}

async function readSecret(secrets: vscode.SecretStorage, key: string): Promise<string | undefined> {
  try {
    return (await secrets.get(key))?.trim() || undefined;
  } catch {
    // A locked keychain only means the lower rate limit.
    return undefined;
  }
}

/**
 * Moves a key left in the old `biowrite.sources.openalex.apiKey` user setting (which Settings Sync copies) into
 * SecretStorage and removes it from settings. A stored secret wins over the setting. Returns the key to use
 * now, or `undefined` when the setting is empty.
 * @param secrets Where the key goes.
 * @param log Told what happened (optional).
 */
export async function migrateOpenAlexKeySetting(secrets: vscode.SecretStorage, log?: WarningLog): Promise<string | undefined> {
  const configuration = vscode.workspace.getConfiguration('biowrite.sources');
  const inspected = configuration.inspect<unknown>('openalex.apiKey');
  const legacy = typeof inspected?.globalValue === 'string' ? inspected.globalValue.trim() : '';
  if (legacy === '') return undefined;
  const stored = await readSecret(secrets, openAlexApiKeySecret);
  try {
    if (stored === undefined) await secrets.store(openAlexApiKeySecret, legacy);
    await configuration.update('openalex.apiKey', undefined, vscode.ConfigurationTarget.Global);
    log?.warn('Moved the OpenAlex API key from the setting “biowrite.sources.openalex.apiKey” to VS Code’s secret storage and removed it from your settings.');
  } catch {
    // The keychain or settings file is not writable: keep using the key and leave the setting where it is.
    return stored ?? legacy;
  }
  return stored ?? legacy;
}

/**
 * Reads the search settings. Service lists, base URLs, keys and contact are application-scoped and read
 * from user settings only, so in Restricted Mode (or any workspace) a repository cannot redirect requests.
 * @param secrets Where the PubMed and OpenAlex API keys are kept.
 * @param log Receives a one-time warning when a workspace tried to set an endpoint (optional).
 * @param resource The document, for resource-scoped settings (optional).
 */
export async function readSourcesSettings(secrets: vscode.SecretStorage, log?: WarningLog, resource?: vscode.Uri): Promise<SourcesSettings> {
  const servicesValue = readApplicationSetting<unknown>('biowrite.sources', 'services', [...ONLINE], log);
  const services = Array.isArray(servicesValue) ? ONLINE.filter((s) => servicesValue.includes(s)) : [...ONLINE];
  const pubmedKey = await readSecret(secrets, pubmedApiKeySecret);
  const openalexKey = (await migrateOpenAlexKeySetting(secrets, log)) ?? (await readSecret(secrets, openAlexApiKeySecret));
  const contactEmail = text('biowrite.sources', 'contactEmail', '', log);
  const maxResults = vscode.workspace.getConfiguration('biowrite.sources', resource).get<number>('maxResults', 10);
  const zotero = readApplicationSetting<unknown>('biowrite.sources', 'zotero.enabled', true, log);
  const llmAssist = readApplicationSetting<unknown>('biowrite.sources', 'llmAssist', true, log);
  const fetchMissingAbstracts = readApplicationSetting<unknown>('biowrite.sources', 'fetchMissingAbstracts', true, log);
  return {
    services,
    config: {
      pubmed: { baseUrl: text('biowrite.sources', 'pubmed.baseUrl', 'https://eutils.ncbi.nlm.nih.gov/entrez/eutils', log), ...(pubmedKey ? { apiKey: pubmedKey } : {}) },
      europepmc: { baseUrl: text('biowrite.sources', 'europepmc.baseUrl', 'https://www.ebi.ac.uk/europepmc/webservices/rest', log) },
      crossref: { baseUrl: text('biowrite.sources', 'crossref.baseUrl', 'https://api.crossref.org', log) },
      openalex: { baseUrl: text('biowrite.sources', 'openalex.baseUrl', 'https://api.openalex.org', log), ...(openalexKey ? { apiKey: openalexKey } : {}) },
      zotero: { url: text('biowrite.sources', 'zotero.url', 'http://127.0.0.1:23119/better-bibtex/json-rpc', log) },
      ...(contactEmail ? { contactEmail } : {}),
    },
    zoteroEnabled: zotero !== false,
    maxResults: typeof maxResults === 'number' && Number.isFinite(maxResults) ? Math.min(50, Math.max(1, Math.round(maxResults))) : 10,
    llmAssist: llmAssist !== false,
    fetchMissingAbstracts: fetchMissingAbstracts !== false,
  };
}

/** The citation settings of a document (resource-scoped: they only shape text, never send anything). */
export function readCitationSettings(resource: vscode.Uri): { markdownStyle: MarkdownStyleSetting; latexCommand: string; libraryFiles: string[] } {
  const configuration = vscode.workspace.getConfiguration('biowrite.sources', resource);
  const style = configuration.get<string>('markdownStyle', 'auto');
  const command = configuration.get<string>('latexCommand', 'cite');
  const files = configuration.get<unknown>('libraryFiles', []);
  return {
    markdownStyle: style === 'pandoc' || style === 'manubot' ? style : 'auto',
    latexCommand: typeof command === 'string' && /^\\?[A-Za-z]+\*?$/.test(command.trim()) ? command.trim().replace(/^\\/, '') : 'cite',
    libraryFiles: Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string' && f.trim() !== '') : [],
  };
}
