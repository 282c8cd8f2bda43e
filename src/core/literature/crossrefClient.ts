/**
 * Crossref REST `/works` with `query.bibliographic`, in the `mailto` polite pool, with `select` to keep
 * answers small; retractions and corrections come from `update-to`, `updated-by` and `relation`.
 */
import * as l10n from '@vscode/l10n';
import { asArray, buildUrl, createServiceHttp, isObject, SelectFieldFallback, type ClientCommonOptions, type ClientSearchOptions, type ClientSearchResult, type LiteratureClient } from './client';
import { defaultUserAgent, LiteratureServiceError, serviceLabels, type ServiceHttp } from './http';
import { jatsAbstractToText, markupToText, normaliseDoi, stringOrUndefined, yearOf } from './normalize';
import { concatTitleSpans, parseTitleMarkup, plainTitle, titleFields } from './titleMarkup';
import type { LiteratureRecord, PublishedVersion, RecordAuthor, RecordNotice } from './types';

/** The default Crossref REST base URL. */
export const defaultCrossrefBaseUrl = 'https://api.crossref.org';

/** Crossref's largest `rows`. */
export const crossrefMaxRows = 1000;

/** Most DOIs in one `filter=doi:…,doi:…` request of {@link CrossrefClient.worksByDoi}. */
export const crossrefDoiBatchSize = 40;

/** The fields Biowrite reads, sent as `select`. */
export const crossrefSelectFields = [
  'DOI',
  'title',
  'subtitle',
  'author',
  'container-title',
  'short-container-title',
  'issued',
  'published',
  'volume',
  'issue',
  'page',
  'abstract',
  'type',
  'URL',
  'subject',
  'update-to',
  'updated-by',
  'relation',
] as const;

/** Options of {@link CrossrefClient}. */
export interface CrossrefClientOptions extends ClientCommonOptions {
  /** (optional; default: {@link defaultCrossrefBaseUrl}) */
  readonly baseUrl?: string;
  /** Contact e-mail sent as `mailto`: puts requests in the polite pool (optional). */
  readonly mailto?: string;
}

/** A Crossref client. */
export class CrossrefClient implements LiteratureClient {
  /** @inheritdoc */
  readonly service = 'crossref' as const;
  private readonly http: ServiceHttp;
  private readonly baseUrl: string;
  private readonly select = new SelectFieldFallback();

  /** @param options Base URL, contact and transport. */
  constructor(private readonly options: CrossrefClientOptions = {}) {
    this.baseUrl = options.baseUrl || defaultCrossrefBaseUrl;
    const hint = options.mailto
      ? l10n.t('Wait a minute and search again.')
      : l10n.t('Set your e-mail in biowrite.sources.contactEmail to use Crossref’s polite pool, or wait a minute.');
    // Crossref's etiquette: identify the tool and a contact in the User-Agent as well as in `mailto`.
    const userAgent = options.mailto ? `${defaultUserAgent} mailto:${options.mailto}` : undefined;
    this.http = createServiceHttp('crossref', options, Boolean(options.mailto), hint, userAgent);
  }

  /** @inheritdoc */
  async search(query: string, options: ClientSearchOptions): Promise<ClientSearchResult> {
    const rows = Math.max(0, Math.min(crossrefMaxRows, Math.floor(options.maxResults)));
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    const request = (withSelect: boolean): Promise<ClientSearchResult> => {
      const url = buildUrl(this.baseUrl, '/works', {
        'query.bibliographic': query,
        rows,
        offset: offset > 0 ? offset : undefined,
        select: withSelect ? crossrefSelectFields.join(',') : undefined,
        mailto: this.options.mailto,
      });
      return this.http.parsed({ url, signal: options.signal }, 'json', (text) => parseCrossrefResponse(text));
    };
    return this.select.run(request);
  }

  /**
   * Looks up one work by its DOI (`/works/{doi}`).
   * @param doi The DOI, in any usual spelling.
   * @param signal Cancels the request.
   * @returns The record, or `undefined` when Crossref does not know the DOI (404; also for DataCite DOIs) or it is not a DOI.
   * @throws LiteratureServiceError on any other failure.
   */
  async work(doi: string, signal: AbortSignal): Promise<LiteratureRecord | undefined> {
    const normal = normaliseDoi(doi);
    if (!normal) return undefined;
    const url = urlWithParams(this.baseUrl, `/works/${encodeURIComponent(normal)}`, { mailto: this.options.mailto });
    const result = await notFoundAsUndefined(this.http.parsed({ url, signal }, 'json', (text) => parseCrossrefResponse(text)));
    return result?.records[0];
  }

  /**
   * The registration agency of a DOI (`/works/{doi}/agency`), e.g. `crossref` or `datacite`.
   * @param doi The DOI, in any usual spelling.
   * @param signal Cancels the request.
   * @returns The agency's id, lower-cased, or `undefined` when no agency knows the DOI (404) or it is not a DOI.
   * @throws LiteratureServiceError on any other failure.
   */
  async agency(doi: string, signal: AbortSignal): Promise<string | undefined> {
    const normal = normaliseDoi(doi);
    if (!normal) return undefined;
    const url = urlWithParams(this.baseUrl, `/works/${encodeURIComponent(normal)}/agency`, { mailto: this.options.mailto });
    return notFoundAsUndefined(this.http.parsed({ url, signal }, 'json', (text) => parseCrossrefAgency(text)));
  }

  /**
   * Looks up works by DOI, {@link crossrefDoiBatchSize} per `filter=doi:…` request. DOIs Crossref does not
   * know are absent from the result; a DOI with a comma, which a filter cannot hold, is looked up on its own.
   * @param dois DOIs, in any usual spelling (duplicates and non-DOIs are dropped).
   * @param signal Cancels the requests.
   * @returns The records found, in no particular order.
   * @throws LiteratureServiceError on any failure.
   */
  async worksByDoi(dois: readonly string[], signal: AbortSignal): Promise<LiteratureRecord[]> {
    const unique = [...new Set(dois.map(normaliseDoi).filter((doi): doi is string => doi !== undefined))];
    const batchable = unique.filter((doi) => !doi.includes(','));
    const records: LiteratureRecord[] = [];
    for (const batch of chunks(batchable, crossrefDoiBatchSize)) {
      const request = (withSelect: boolean): Promise<ClientSearchResult> => {
        const url = buildUrl(this.baseUrl, '/works', {
          filter: batch.map((doi) => `doi:${doi}`).join(','),
          rows: batch.length,
          select: withSelect ? crossrefSelectFields.join(',') : undefined,
          mailto: this.options.mailto,
        });
        return this.http.parsed({ url, signal }, 'json', (text) => parseCrossrefResponse(text));
      };
      records.push(...(await this.select.run(request)).records);
    }
    for (const doi of unique.filter((doi) => doi.includes(','))) {
      const record = await this.work(doi, signal);
      if (record) records.push(record);
    }
    return records;
  }
}

/** `base + path`, with the query string only when a parameter has a value. */
function urlWithParams(base: string, path: string, params: Readonly<Record<string, string | undefined>>): string {
  return buildUrl(base, path, params).replace(/\?$/, '');
}

/** The value of a request, or `undefined` when the service answered 404. */
async function notFoundAsUndefined<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof LiteratureServiceError && error.status === 404) return undefined;
    throw error;
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/**
 * Parses a Crossref `/works/{doi}/agency` body.
 * @param text The body.
 * @returns The agency's id, lower-cased, or `undefined` when the answer names none.
 * @throws LiteratureServiceError when it is truncated or not JSON.
 */
export function parseCrossrefAgency(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new LiteratureServiceError('crossref', 'badResponse', l10n.t('{0} sent an incomplete or invalid JSON answer. Try again; if it persists, check the {0} base URL in the Biowrite settings.', serviceLabels.crossref));
  }
  const message = isObject(parsed) ? parsed.message : undefined;
  const agency = isObject(message) && isObject(message.agency) ? stringOrUndefined(message.agency.id) : undefined;
  return agency?.toLowerCase();
}

/**
 * Parses a Crossref `/works` list body, or a `/works/{doi}` body (`message-type: work`) as a list of one.
 * @param text The body.
 * @throws LiteratureServiceError when it is truncated, not JSON or neither a work list nor a work.
 */
export function parseCrossrefResponse(text: string): ClientSearchResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new LiteratureServiceError('crossref', 'badResponse', l10n.t('{0} sent an incomplete or invalid JSON answer. Try again; if it persists, check the {0} base URL in the Biowrite settings.', serviceLabels.crossref));
  }
  if (!isObject(parsed)) throw new LiteratureServiceError('crossref', 'badResponse', l10n.t('{0} sent an unexpected answer. Check the {0} base URL in the Biowrite settings.', serviceLabels.crossref));
  if (parsed.status === 'failed') {
    const first = asArray(parsed.message)[0];
    const detail = isObject(first) ? stringOrUndefined(first.message) : stringOrUndefined(first);
    throw new LiteratureServiceError(
      'crossref',
      'rejected',
      detail
        ? l10n.t('{0} could not run the search: “{1}”. Try a simpler query.', serviceLabels.crossref, detail.slice(0, 200))
        : l10n.t('{0} could not run the search. Try a simpler query.', serviceLabels.crossref),
    );
  }
  const message = parsed.message;
  if (isObject(message) && (parsed['message-type'] === 'work' || (!('items' in message) && typeof message.DOI === 'string'))) {
    const record = mapCrossrefWork(message);
    return { records: record ? [record] : [], total: record ? 1 : 0 };
  }
  if (!isObject(message) || !Array.isArray(message.items)) {
    throw new LiteratureServiceError('crossref', 'badResponse', l10n.t('{0} sent an answer without a list of works. Check the {0} base URL in the Biowrite settings.', serviceLabels.crossref));
  }
  const records = message.items.flatMap((item) => {
    const record = isObject(item) ? mapCrossrefWork(item) : undefined;
    return record ? [record] : [];
  });
  return { records, total: typeof message['total-results'] === 'number' ? message['total-results'] : undefined };
}

const retractionTypes = /^(retraction|partial[_-]retraction|withdrawal|removal)$/i;
const correctionTypes = /^(correction|erratum|corrigendum|addendum|clarification)$/i;
const concernTypes = /^expression[_-]of[_-]concern$/i;

/** Crossref's CSL-ish work types to CSL types. */
const cslTypes: Readonly<Record<string, string>> = {
  'journal-article': 'article-journal',
  'posted-content': 'article',
  'proceedings-article': 'paper-conference',
  'book-chapter': 'chapter',
  book: 'book',
  monograph: 'book',
  'edited-book': 'book',
  'reference-entry': 'entry',
  dataset: 'dataset',
  report: 'report',
  dissertation: 'thesis',
};

/**
 * Maps one Crossref work; `undefined` when it has no title.
 * @param item The work object.
 */
export function mapCrossrefWork(item: Record<string, unknown>): LiteratureRecord | undefined {
  const mainSpans = parseTitleMarkup(stringOrUndefined(asArray(item.title)[0]));
  const mainTitle = plainTitle(mainSpans);
  if (!mainTitle) return undefined;
  const subtitleSpans = parseTitleMarkup(stringOrUndefined(asArray(item.subtitle)[0]));
  const subtitle = plainTitle(subtitleSpans);
  const { title, titleSpans } = titleFields(subtitle && !mainTitle.toLowerCase().includes(subtitle.toLowerCase()) ? concatTitleSpans(mainSpans, [{ text: ': ' }], subtitleSpans) : mainSpans);
  const authors: RecordAuthor[] = asArray(item.author).flatMap((author): RecordAuthor[] => {
    if (!isObject(author)) return [];
    const family = stringOrUndefined(author.family);
    const given = stringOrUndefined(author.given);
    if (family) return [given ? { family, given } : { family }];
    const name = stringOrUndefined(author.name);
    return name ? [{ literal: name }] : [];
  });
  const dateParts = (value: unknown): unknown => (isObject(value) ? value['date-parts'] : undefined);
  const doi = normaliseDoi(item.DOI);

  const notices: RecordNotice[] = [];
  let retracted = false;
  for (const update of asArray(item['updated-by'])) {
    if (!isObject(update)) continue;
    const type = String(update.type ?? '');
    const id = normaliseDoi(update.DOI);
    const label = stringOrUndefined(update.label) ?? type.replace(/[_-]/g, ' ');
    const source = update.source === 'retraction-watch' ? ' (Retraction Watch)' : '';
    if (retractionTypes.test(type)) {
      retracted = true;
      notices.push({ kind: 'retraction', id: id ? `doi:${id}` : undefined, label: `Crossref: ${label}${source}` });
    } else if (correctionTypes.test(type)) {
      notices.push({ kind: 'correction', id: id ? `doi:${id}` : undefined, label: `Crossref: ${label}${source}` });
    } else if (concernTypes.test(type)) {
      notices.push({ kind: 'expressionOfConcern', id: id ? `doi:${id}` : undefined, label: `Crossref: ${label}${source}` });
    }
  }
  for (const update of asArray(item['update-to'])) {
    if (!isObject(update)) continue;
    const type = String(update.type ?? '');
    const target = normaliseDoi(update.DOI);
    // A work that updates another one is the notice itself; it supports nothing.
    const id = target ? `doi:${target}` : undefined;
    if (retractionTypes.test(type)) {
      const label = id ? l10n.t('{0}: this is a retraction notice for {1}', serviceLabels.crossref, id) : l10n.t('{0}: this is a retraction notice', serviceLabels.crossref);
      notices.push({ kind: 'other', id, label });
    } else if (concernTypes.test(type)) {
      const label = id ? l10n.t('{0}: this is an expression of concern about {1}', serviceLabels.crossref, id) : l10n.t('{0}: this is an expression of concern', serviceLabels.crossref);
      notices.push({ kind: 'other', id, label });
    }
  }
  let publishedVersion: PublishedVersion | undefined;
  if (isObject(item.relation)) {
    for (const [relation, targets] of Object.entries(item.relation)) {
      if (/^is-preprint-of$/i.test(relation)) {
        const published = asArray(targets)
          .filter(isObject)
          .map((target) => (String(target['id-type'] ?? '').toLowerCase() === 'doi' ? normaliseDoi(target.id) : undefined))
          .find((target) => target !== undefined);
        if (published && !publishedVersion) publishedVersion = { doi: published, label: l10n.t('{0}: published as doi:{1}', serviceLabels.crossref, published) };
        continue;
      }
      const first = asArray(targets).find(isObject);
      const id = first && first['id-type'] === 'doi' ? normaliseDoi(first.id) : undefined;
      if (/^(is-)?retracted-by$|^has-retraction$/i.test(relation)) {
        retracted = true;
        notices.push({ kind: 'retraction', id: id ? `doi:${id}` : undefined, label: l10n.t('{0}: retracted', serviceLabels.crossref) });
      } else if (/^(is-)?corrected-by$|^has-correction$/i.test(relation)) {
        notices.push({ kind: 'correction', id: id ? `doi:${id}` : undefined, label: l10n.t('{0}: correction published', serviceLabels.crossref) });
      }
    }
  }
  const seen = new Set<string>();
  const uniqueNotices = notices.filter((notice) => {
    const key = `${notice.kind}|${notice.id ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });

  const abstract = jatsAbstractToText(stringOrUndefined(item.abstract));
  const keywords = asArray(item.subject).map(stringOrUndefined).filter((subject): subject is string => subject !== undefined);
  return {
    sources: ['crossref'],
    title,
    ...(titleSpans ? { titleSpans } : {}),
    authors,
    containerTitle: markupToText(stringOrUndefined(asArray(item['container-title'])[0])) || undefined,
    year: yearOf(dateParts(item.issued)) ?? yearOf(dateParts(item.published)),
    volume: stringOrUndefined(item.volume),
    issue: stringOrUndefined(item.issue),
    page: stringOrUndefined(item.page),
    doi,
    url: doi ? `https://doi.org/${doi}` : stringOrUndefined(item.URL),
    abstract: abstract || undefined,
    keywords: keywords.length > 0 ? keywords : undefined,
    type: cslTypes[String(item.type ?? '')] ?? 'article-journal',
    retracted,
    notices: uniqueNotices,
    ...(publishedVersion ? { publishedVersion } : {}),
  };
}
