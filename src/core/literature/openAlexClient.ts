/**
 * OpenAlex `/works` search: the abstract is rebuilt from `abstract_inverted_index`, retractions come
 * from `is_retracted`, and the DOI, PMID and PMCID are normalised from their URL forms.
 */
import * as l10n from '@vscode/l10n';
import { asArray, buildUrl, createServiceHttp, isObject, SelectFieldFallback, type ClientCommonOptions, type ClientSearchOptions, type ClientSearchResult, type LiteratureClient } from './client';
import { LiteratureServiceError, serviceLabels, type ServiceHttp } from './http';
import { normaliseDoi, normalisePmcid, normalisePmid, splitDisplayName, stringOrUndefined, yearOf } from './normalize';
import { parseTitleMarkup, titleFields } from './titleMarkup';
import type { LiteratureRecord, RecordAuthor, RecordNotice } from './types';

/** The default OpenAlex base URL. */
export const defaultOpenAlexBaseUrl = 'https://api.openalex.org';

/** OpenAlex's largest `per-page`. */
export const openAlexMaxPerPage = 200;

/** Most identifiers OR-ed in one filter of {@link OpenAlexClient.worksByIds} (OpenAlex's limit). */
export const openAlexIdBatchSize = 50;

/** The fields Biowrite reads, sent as `select`. */
export const openAlexSelectFields = [
  'id',
  'doi',
  'title',
  'display_name',
  'publication_year',
  'ids',
  'authorships',
  'primary_location',
  'biblio',
  'abstract_inverted_index',
  'is_retracted',
  'type',
  'keywords',
] as const;

/** Options of {@link OpenAlexClient}. */
export interface OpenAlexClientOptions extends ClientCommonOptions {
  /** (optional; default: {@link defaultOpenAlexBaseUrl}) */
  readonly baseUrl?: string;
  /** OpenAlex API key, sent as `api_key` (optional). */
  readonly apiKey?: string;
  /** Contact e-mail, sent as `mailto` (optional). */
  readonly mailto?: string;
}

/** An OpenAlex client. */
export class OpenAlexClient implements LiteratureClient {
  /** @inheritdoc */
  readonly service = 'openalex' as const;
  private readonly http: ServiceHttp;
  private readonly baseUrl: string;
  private readonly select = new SelectFieldFallback();

  /** @param options Base URL, key, contact and transport. */
  constructor(private readonly options: OpenAlexClientOptions = {}) {
    this.baseUrl = options.baseUrl || defaultOpenAlexBaseUrl;
    const hint = options.apiKey ? l10n.t('Wait a minute and search again.') : l10n.t('Wait a minute, or set an OpenAlex API key (in VS Code: “Biowrite: Set OpenAlex API Key”; for the CLI: OPENALEX_API_KEY).');
    this.http = createServiceHttp('openalex', options, Boolean(options.apiKey), hint);
  }

  /** @inheritdoc */
  async search(query: string, options: ClientSearchOptions): Promise<ClientSearchResult> {
    const perPage = Math.max(1, Math.min(openAlexMaxPerPage, Math.floor(options.maxResults)));
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    const request = (withSelect: boolean): Promise<ClientSearchResult> => {
      const url = buildUrl(this.baseUrl, '/works', {
        search: query,
        'per-page': perPage,
        page: offset > 0 ? Math.floor(offset / perPage) + 1 : undefined,
        select: withSelect ? openAlexSelectFields.join(',') : undefined,
        api_key: this.options.apiKey,
        mailto: this.options.mailto,
      });
      return this.http.parsed({ url, signal: options.signal }, 'json', (text) => parseOpenAlexResponse(text));
    };
    const result = await this.select.run(request);
    return { ...result, records: result.records.slice(0, Math.floor(options.maxResults)) };
  }

  /**
   * Looks up works by one kind of identifier, {@link openAlexIdBatchSize} per `filter=<kind>:A|B|…` request.
   * Identifiers OpenAlex does not know are absent from the result; a DOI with `|` or `,`, which a filter
   * cannot hold, is looked up on its own.
   * @param kind Which identifier `ids` holds.
   * @param ids DOIs, PMIDs or PMCIDs, in any usual spelling (duplicates and malformed ids are dropped).
   * @param signal Cancels the requests.
   * @returns The records found, in no particular order (OpenAlex may hold two works with one identifier).
   * @throws LiteratureServiceError on any failure.
   */
  async worksByIds(kind: 'doi' | 'pmid' | 'pmcid', ids: readonly string[], signal: AbortSignal): Promise<LiteratureRecord[]> {
    const unique = [...new Set(ids.map((id) => filterValue(kind, id)).filter((id): id is string => id !== undefined))];
    const batchable = unique.filter((id) => !/[|,]/.test(id));
    const records: LiteratureRecord[] = [];
    for (let start = 0; start < batchable.length; start += openAlexIdBatchSize) {
      const batch = batchable.slice(start, start + openAlexIdBatchSize);
      const request = (withSelect: boolean): Promise<ClientSearchResult> => {
        const url = buildUrl(this.baseUrl, '/works', {
          filter: `${kind}:${batch.join('|')}`,
          // OpenAlex now and then holds two works with one identifier: room for every duplicate.
          'per-page': openAlexMaxPerPage,
          select: withSelect ? openAlexSelectFields.join(',') : undefined,
          api_key: this.options.apiKey,
          mailto: this.options.mailto,
        });
        return this.http.parsed({ url, signal }, 'json', (text) => parseOpenAlexResponse(text));
      };
      records.push(...(await this.select.run(request)).records);
    }
    for (const doi of unique.filter((id) => /[|,]/.test(id))) {
      const record = await this.singleWork(`doi:${doi}`, signal);
      if (record) records.push(record);
    }
    return records;
  }

  /** `/works/{id}`; `undefined` on 404. */
  private async singleWork(id: string, signal: AbortSignal): Promise<LiteratureRecord | undefined> {
    const request = (withSelect: boolean): Promise<LiteratureRecord | undefined> => {
      const url = buildUrl(this.baseUrl, `/works/${encodeURIComponent(id)}`, {
        select: withSelect ? openAlexSelectFields.join(',') : undefined,
        api_key: this.options.apiKey,
        mailto: this.options.mailto,
      });
      return this.http.parsed({ url, signal }, 'json', (text) => parseOpenAlexWork(text));
    };
    try {
      return await this.select.run(request);
    } catch (error) {
      if (error instanceof LiteratureServiceError && error.status === 404) return undefined;
      throw error;
    }
  }
}

/** An identifier as a `filter` value: a bare DOI, PMID digits, or PMCID digits (OpenAlex's pmcid filter takes the number). */
function filterValue(kind: 'doi' | 'pmid' | 'pmcid', id: string): string | undefined {
  if (kind === 'doi') return normaliseDoi(id);
  if (kind === 'pmid') return normalisePmid(id);
  return normalisePmcid(id, true)?.slice(3);
}

/**
 * Parses an OpenAlex `/works/{id}` body: one work object.
 * @param text The body.
 * @throws LiteratureServiceError when it is truncated, not JSON or an error object.
 */
export function parseOpenAlexWork(text: string): LiteratureRecord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new LiteratureServiceError('openalex', 'badResponse', l10n.t('{0} sent an incomplete or invalid JSON answer. Try again; if it persists, check the {0} base URL in the Biowrite settings.', serviceLabels.openalex));
  }
  if (!isObject(parsed) || (parsed.id === undefined && parsed.title === undefined && parsed.display_name === undefined)) {
    throw new LiteratureServiceError('openalex', 'badResponse', l10n.t('{0} sent an unexpected answer. Check the {0} base URL in the Biowrite settings.', serviceLabels.openalex));
  }
  return mapOpenAlexWork(parsed);
}

/**
 * Parses an OpenAlex `/works` list body.
 * @param text The body.
 * @throws LiteratureServiceError when it is truncated, not JSON or an error object.
 */
export function parseOpenAlexResponse(text: string): ClientSearchResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new LiteratureServiceError('openalex', 'badResponse', l10n.t('{0} sent an incomplete or invalid JSON answer. Try again; if it persists, check the {0} base URL in the Biowrite settings.', serviceLabels.openalex));
  }
  if (!isObject(parsed)) throw new LiteratureServiceError('openalex', 'badResponse', l10n.t('{0} sent an unexpected answer. Check the {0} base URL in the Biowrite settings.', serviceLabels.openalex));
  if (!Array.isArray(parsed.results)) {
    const detail = stringOrUndefined(parsed.message) ?? stringOrUndefined(parsed.error);
    if (detail) throw new LiteratureServiceError('openalex', 'rejected', l10n.t('{0} could not run the search: “{1}”. Try a simpler query.', serviceLabels.openalex, detail.slice(0, 200)));
    throw new LiteratureServiceError('openalex', 'badResponse', l10n.t('{0} sent an answer without results. Check the {0} base URL in the Biowrite settings.', serviceLabels.openalex));
  }
  const records = parsed.results.flatMap((item) => {
    const record = isObject(item) ? mapOpenAlexWork(item) : undefined;
    return record ? [record] : [];
  });
  const meta = isObject(parsed.meta) ? parsed.meta : {};
  return { records, total: typeof meta.count === 'number' ? meta.count : undefined };
}

/**
 * Rebuilds an abstract from OpenAlex's `abstract_inverted_index` (word → positions).
 * @param index The inverted index (optional).
 */
export function abstractFromInvertedIndex(index: unknown): string {
  if (!isObject(index)) return '';
  const words: string[] = [];
  for (const [word, positions] of Object.entries(index)) {
    for (const position of asArray(positions)) {
      // Positions are small integers; a huge one would allocate a huge sparse array.
      if (typeof position === 'number' && Number.isInteger(position) && position >= 0 && position < 100_000) words[position] = word;
    }
  }
  return words
    .filter((word) => word !== undefined)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const cslTypes: Readonly<Record<string, string>> = {
  article: 'article-journal',
  review: 'article-journal',
  preprint: 'article',
  'book-chapter': 'chapter',
  book: 'book',
  dataset: 'dataset',
  dissertation: 'thesis',
  letter: 'article-journal',
  editorial: 'article-journal',
  erratum: 'article-journal',
  retraction: 'article-journal',
  report: 'report',
};

/**
 * Maps one OpenAlex work; `undefined` when it has no title.
 * @param item The work object.
 */
export function mapOpenAlexWork(item: Record<string, unknown>): LiteratureRecord | undefined {
  const { title, titleSpans } = titleFields(parseTitleMarkup(stringOrUndefined(item.title) ?? stringOrUndefined(item.display_name)));
  if (!title) return undefined;
  const ids = isObject(item.ids) ? item.ids : {};
  const authors: RecordAuthor[] = asArray(item.authorships).flatMap((authorship): RecordAuthor[] => {
    if (!isObject(authorship)) return [];
    const author = isObject(authorship.author) ? authorship.author : {};
    const name = stringOrUndefined(author.display_name) ?? stringOrUndefined(authorship.raw_author_name);
    return name ? [splitDisplayName(name)] : [];
  });
  const location = isObject(item.primary_location) ? item.primary_location : {};
  const source = isObject(location.source) ? location.source : {};
  const biblio = isObject(item.biblio) ? item.biblio : {};
  const first = stringOrUndefined(biblio.first_page);
  const last = stringOrUndefined(biblio.last_page);
  const doi = normaliseDoi(item.doi) ?? normaliseDoi(ids.doi);
  const pmid = normalisePmid(ids.pmid);
  const pmcid = normalisePmcid(ids.pmcid);
  const retracted = item.is_retracted === true;
  const notices: RecordNotice[] = retracted ? [{ kind: 'retraction', label: l10n.t('{0}: marked as retracted', serviceLabels.openalex) }] : [];
  if (item.type === 'retraction') notices.push({ kind: 'other', label: l10n.t('{0}: this is a retraction notice, not a research article', serviceLabels.openalex) });
  const keywords = asArray(item.keywords)
    .map((keyword) => (isObject(keyword) ? stringOrUndefined(keyword.display_name) : stringOrUndefined(keyword)))
    .filter((keyword): keyword is string => keyword !== undefined);
  const abstract = abstractFromInvertedIndex(item.abstract_inverted_index);
  return {
    sources: ['openalex'],
    title,
    ...(titleSpans ? { titleSpans } : {}),
    authors,
    containerTitle: stringOrUndefined(source.display_name),
    year: yearOf(item.publication_year),
    volume: stringOrUndefined(biblio.volume),
    issue: stringOrUndefined(biblio.issue),
    page: first ? (last && last !== first ? `${first}-${last}` : first) : undefined,
    doi,
    pmid,
    pmcid,
    url: doi ? `https://doi.org/${doi}` : stringOrUndefined(item.id),
    abstract: abstract || undefined,
    keywords: keywords.length > 0 ? keywords : undefined,
    type: cslTypes[String(item.type ?? '')] ?? 'article-journal',
    retracted,
    notices,
  };
}
