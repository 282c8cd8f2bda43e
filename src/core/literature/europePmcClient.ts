/**
 * Europe PMC REST `search` with `resultType=core` and JSON: abstracts, identifiers, journal, publication
 * types (retractions) and the comment/correction list.
 */
import * as l10n from '@vscode/l10n';
import { asArray, buildUrl, createServiceHttp, isObject, type ClientCommonOptions, type ClientSearchOptions, type ClientSearchResult, type LiteratureClient } from './client';
import { LiteratureServiceError, serviceLabels, type ServiceHttp } from './http';
import { markupToText, normaliseDoi, normalisePmcid, normalisePmid, splitDisplayName, stringOrUndefined, yearOf } from './normalize';
import { parseTitleMarkup, titleFields } from './titleMarkup';
import type { LiteratureRecord, PublishedVersion, RecordAuthor, RecordNotice } from './types';

/** The default Europe PMC REST base URL. */
export const defaultEuropePmcBaseUrl = 'https://www.ebi.ac.uk/europepmc/webservices/rest';

/** Europe PMC's largest page. */
export const europePmcMaxPageSize = 1000;

/** Options of {@link EuropePmcClient}. */
export interface EuropePmcClientOptions extends ClientCommonOptions {
  /** (optional; default: {@link defaultEuropePmcBaseUrl}) */
  readonly baseUrl?: string;
  /** Contact e-mail, sent as `email` (optional). */
  readonly email?: string;
}

/** A Europe PMC client. */
export class EuropePmcClient implements LiteratureClient {
  /** @inheritdoc */
  readonly service = 'europepmc' as const;
  private readonly http: ServiceHttp;
  private readonly baseUrl: string;

  /** @param options Base URL, contact and transport. */
  constructor(private readonly options: EuropePmcClientOptions = {}) {
    this.baseUrl = options.baseUrl || defaultEuropePmcBaseUrl;
    this.http = createServiceHttp('europepmc', options, false);
  }

  /**
   * @inheritdoc
   * Europe PMC pages by cursor: an `offset` is served by reading pages from the start (rarely needed).
   */
  async search(query: string, options: ClientSearchOptions): Promise<ClientSearchResult> {
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    const wanted = Math.max(0, Math.floor(options.maxResults));
    const pageSize = Math.min(europePmcMaxPageSize, Math.max(1, offset + wanted));
    const records: LiteratureRecord[] = [];
    let cursorMark = '*';
    let total: number | undefined;
    for (let page = 0; page < 10 && records.length < offset + wanted; page++) {
      const url = buildUrl(this.baseUrl, '/search', {
        query,
        resultType: 'core',
        format: 'json',
        pageSize,
        cursorMark,
        // As on the website: MeSH and UniProt synonyms widen the match (the API's default is off).
        synonym: 'true',
        email: this.options.email,
      });
      const body = await this.http.parsed({ url, signal: options.signal }, 'json', (text) => parseEuropePmcResponse(text));
      total = body.total;
      records.push(...body.records);
      if (!body.nextCursorMark || body.nextCursorMark === cursorMark || body.records.length === 0) break;
      cursorMark = body.nextCursorMark;
    }
    return { records: records.slice(offset, offset + wanted), total };
  }
}

/**
 * Parses a Europe PMC `search` JSON body.
 * @param text The body.
 * @throws LiteratureServiceError when it is truncated, not JSON or an error object.
 */
export function parseEuropePmcResponse(text: string): { records: LiteratureRecord[]; total?: number; nextCursorMark?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new LiteratureServiceError('europepmc', 'badResponse', l10n.t('{0} sent an incomplete or invalid JSON answer. Try again; if it persists, check the {0} base URL in the Biowrite settings.', serviceLabels.europepmc));
  }
  if (!isObject(parsed)) throw new LiteratureServiceError('europepmc', 'badResponse', l10n.t('{0} sent an unexpected answer. Check the {0} base URL in the Biowrite settings.', serviceLabels.europepmc));
  const errorMessage = stringOrUndefined(parsed.errMsg) ?? (isObject(parsed.error) ? stringOrUndefined(parsed.error.message) : stringOrUndefined(parsed.error));
  if (errorMessage && !isObject(parsed.resultList)) {
    throw new LiteratureServiceError('europepmc', 'rejected', l10n.t('{0} could not run the search: “{1}”. Try a simpler query.', serviceLabels.europepmc, errorMessage.slice(0, 200)));
  }
  const resultList = parsed.resultList;
  if (!isObject(resultList) || !Array.isArray(resultList.result)) {
    throw new LiteratureServiceError('europepmc', 'badResponse', l10n.t('{0} sent an answer without a result list. Check the {0} base URL in the Biowrite settings.', serviceLabels.europepmc));
  }
  const records = resultList.result.flatMap((item) => {
    const record = isObject(item) ? mapEuropePmcResult(item) : undefined;
    return record ? [record] : [];
  });
  const total = typeof parsed.hitCount === 'number' ? parsed.hitCount : undefined;
  return { records, total, nextCursorMark: stringOrUndefined(parsed.nextCursorMark) };
}

/**
 * Maps one `resultType=core` result; `undefined` when it has no title.
 * @param item The result object.
 */
export function mapEuropePmcResult(item: Record<string, unknown>): LiteratureRecord | undefined {
  // Europe PMC sends inline markup entity-encoded (`&lt;i&gt;`): decoded before the tags are read.
  const { title, titleSpans } = titleFields(parseTitleMarkup(stringOrUndefined(item.title), { unbracket: true }));
  if (!title) return undefined;
  const authorList = isObject(item.authorList) ? asArray(item.authorList.author) : [];
  let authors: RecordAuthor[] = authorList.flatMap((author): RecordAuthor[] => {
    if (!isObject(author)) return [];
    const collective = stringOrUndefined(author.collectiveName);
    if (collective) return [{ literal: collective }];
    const family = stringOrUndefined(author.lastName);
    const given = stringOrUndefined(author.firstName) ?? stringOrUndefined(author.initials);
    if (family) return [given ? { family, given } : { family }];
    const full = stringOrUndefined(author.fullName);
    return full ? [splitDisplayName(full)] : [];
  });
  if (authors.length === 0 && typeof item.authorString === 'string') {
    authors = item.authorString
      .replace(/\.$/, '')
      .split(/,\s*/)
      .filter((name) => name.trim() !== '')
      .map((name) => {
        const match = /^(.*\S)\s+([A-Z]{1,4})$/.exec(name.trim());
        return match ? { family: match[1], given: match[2] } : { literal: name.trim() };
      });
  }
  const journalInfo = isObject(item.journalInfo) ? item.journalInfo : {};
  const journal = isObject(journalInfo.journal) ? journalInfo.journal : {};
  const source = stringOrUndefined(item.source);
  const pmid = normalisePmid(item.pmid) ?? (source === 'MED' ? normalisePmid(item.id) : undefined);
  const pmcid = normalisePmcid(item.pmcid) ?? (source === 'PMC' ? normalisePmcid(item.id) : undefined);

  const keywords = [
    ...(isObject(item.keywordList) ? asArray(item.keywordList.keyword) : []),
    ...(isObject(item.meshHeadingList) ? asArray(item.meshHeadingList.meshHeading).map((heading) => (isObject(heading) ? heading.descriptorName : undefined)) : []),
  ]
    .map(stringOrUndefined)
    .filter((keyword): keyword is string => keyword !== undefined);

  const pubTypes = (isObject(item.pubTypeList) ? asArray(item.pubTypeList.pubType) : []).map((type) => String(type).toLowerCase());
  const notices: RecordNotice[] = [];
  let retracted = false;
  if (pubTypes.includes('retracted publication')) {
    retracted = true;
    notices.push({ kind: 'retraction', label: l10n.t('{0}: Retracted Publication', serviceLabels.europepmc) });
  }
  if (pubTypes.includes('retraction of publication')) notices.push({ kind: 'other', label: l10n.t('{0}: this is a retraction notice, not a research article', serviceLabels.europepmc) });
  const corrections = isObject(item.commentCorrectionList) ? asArray(item.commentCorrectionList.commentCorrection) : [];
  let publishedVersion: PublishedVersion | undefined;
  for (const correction of corrections) {
    if (!isObject(correction)) continue;
    const type = String(correction.type ?? '').toLowerCase();
    const id = stringOrUndefined(correction.id);
    const noticeId = id ? (correction.source === 'MED' ? `pmid:${id}` : id) : undefined;
    const reference = stringOrUndefined(correction.reference);
    const label = (base: string): string => (reference ? `${base}: ${reference}` : base);
    if (/^(partial )?retraction in$/.test(type)) {
      retracted = true;
      notices.push({ kind: 'retraction', id: noticeId, label: label(l10n.t('Retracted')) });
    } else if (/^(erratum|correction|corrected and republished) in$/.test(type)) {
      notices.push({ kind: 'correction', id: noticeId, label: label(l10n.t('Erratum published')) });
    } else if (/^expression of concern (in|for)$/.test(type)) {
      notices.push({ kind: 'expressionOfConcern', id: noticeId, label: label(l10n.t('Expression of concern')) });
    } else if (type === 'preprint of' && !publishedVersion) {
      publishedVersion = preprintOf(noticeId, reference);
    }
  }

  const abstract = markupToText(stringOrUndefined(item.abstractText));
  return {
    sources: ['europepmc'],
    title,
    ...(titleSpans ? { titleSpans } : {}),
    authors,
    containerTitle: stringOrUndefined(journal.title) ?? stringOrUndefined(item.journalTitle),
    year: yearOf(item.pubYear) ?? yearOf(journalInfo.yearOfPublication),
    volume: stringOrUndefined(journalInfo.volume),
    issue: stringOrUndefined(journalInfo.issue),
    page: stringOrUndefined(item.pageInfo),
    doi: normaliseDoi(item.doi),
    pmid,
    pmcid,
    url: pmid ? `https://europepmc.org/article/MED/${pmid}` : pmcid ? `https://europepmc.org/article/PMC/${pmcid}` : undefined,
    abstract: abstract || undefined,
    keywords: keywords.length > 0 ? [...new Set(keywords)] : undefined,
    type: 'article-journal',
    retracted,
    notices,
    ...(publishedVersion ? { publishedVersion } : {}),
  };
}

/**
 * The published version a “Preprint of” link names: its DOI when the id is one or the citation carries one
 * (`… doi: 10.1038/…`), otherwise a label with the id and the citation.
 */
function preprintOf(id: string | undefined, reference: string | undefined): PublishedVersion | undefined {
  const doiInReference = /\b(10\.\d{4,9}\/\S+)/.exec(reference ?? '')?.[1].replace(/[.,;)\]]+$/, '');
  const doi = normaliseDoi(id) ?? normaliseDoi(doiInReference);
  if (doi) return { doi, label: l10n.t('{0}: published as doi:{1}', serviceLabels.europepmc, doi) };
  const what = [id, reference].filter((part): part is string => part !== undefined).join(', ');
  return what ? { label: l10n.t('{0}: published as {1}', serviceLabels.europepmc, what) } : undefined;
}
