/**
 * PubMed through NCBI E-utilities: ESearch for PMIDs in relevance order, then EFetch PubMed XML for
 * titles, structured abstracts, authors, journal, identifiers, keywords, MeSH, publication types and
 * retraction or correction notices.
 */
import * as l10n from '@vscode/l10n';
import { buildUrl, createServiceHttp, type ClientCommonOptions, type ClientSearchOptions, type ClientSearchResult, type LiteratureClient } from './client';
import { LiteratureServiceError, serviceLabels, type ServiceHttp } from './http';
import { normaliseDoi, normalisePmcid, normalisePmid, stringOrUndefined, yearOf } from './normalize';
import type { LiteratureRecord, RecordAuthor, RecordNotice } from './types';
import { parseTitleMarkup, titleFields, xmlContentMarkup } from './titleMarkup';
import { childElement, childElements, descendants, parseXml, pathElement, textOf, type XmlElement } from './xml';

/** The default E-utilities base URL. */
export const defaultPubmedBaseUrl = 'https://eutils.ncbi.nlm.nih.gov/entrez/eutils';

/** ESearch pages only through the first 10,000 PMIDs of a query (retstart + retmax ≤ 10,000). */
export const esearchRecordCap = 10_000;

/** Most PMIDs in one EFetch request of {@link PubmedClient.fetchByPmids} (NCBI's advice for GET requests). */
export const efetchBatchSize = 200;

/** Options of {@link PubmedClient}. */
export interface PubmedClientOptions extends ClientCommonOptions {
  /** (optional; default: {@link defaultPubmedBaseUrl}) */
  readonly baseUrl?: string;
  /** NCBI API key: raises the limit from 3 to 10 requests/s (optional). */
  readonly apiKey?: string;
  /** Contact e-mail sent as `email`, as NCBI asks (optional). */
  readonly email?: string;
  /** Sent as `tool` (optional; default: `biowrite`). */
  readonly tool?: string;
}

/** What ESearch returned. */
export interface EsearchResult {
  readonly count: number;
  readonly ids: string[];
}

/** A PubMed client. */
export class PubmedClient implements LiteratureClient {
  /** @inheritdoc */
  readonly service = 'pubmed' as const;
  private readonly http: ServiceHttp;
  private readonly baseUrl: string;

  /** @param options Base URL, key, contact and transport. */
  constructor(private readonly options: PubmedClientOptions = {}) {
    this.baseUrl = options.baseUrl || defaultPubmedBaseUrl;
    const hint = options.apiKey
      ? l10n.t('Wait a minute and search again.')
      : l10n.t('Add an NCBI API key with “Biowrite: Set PubMed API Key” to raise the limit, or wait a minute.');
    this.http = createServiceHttp('pubmed', options, Boolean(options.apiKey), hint);
  }

  /** The parameters NCBI asks every request to carry. */
  private identity(): Record<string, string | undefined> {
    return { tool: this.options.tool ?? 'biowrite', email: this.options.email, api_key: this.options.apiKey };
  }

  /** @inheritdoc */
  async search(query: string, options: ClientSearchOptions): Promise<ClientSearchResult> {
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    // ESearch cannot page past the first 10,000 PMIDs: never ask for retstart ≥ 10,000.
    if (offset >= esearchRecordCap) return { records: [], capped: true };
    const retmax = Math.max(0, Math.min(Math.floor(options.maxResults), esearchRecordCap - offset, 10_000));
    const found = await this.esearch(query, retmax, offset, options.signal);
    const records = found.ids.length > 0 ? await this.efetch(found.ids, options.signal) : [];
    return { records, total: found.count, capped: found.count > esearchRecordCap };
  }

  /**
   * ESearch: PMIDs for a query, in relevance order.
   * @param term The query in PubMed syntax.
   * @param retmax Most PMIDs.
   * @param retstart PMIDs to skip (must stay below 10,000).
   * @param signal Cancels the request.
   */
  async esearch(term: string, retmax: number, retstart: number, signal: AbortSignal): Promise<EsearchResult> {
    const url = buildUrl(this.baseUrl, '/esearch.fcgi', {
      db: 'pubmed',
      term,
      retmax,
      retstart,
      sort: 'relevance',
      retmode: 'json',
      ...this.identity(),
    });
    return this.http.parsed({ url, signal }, 'json', (text) => this.parseEsearch(text));
  }

  private parseEsearch(text: string): EsearchResult {
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(trimmed);
      } catch {
        throw this.bad(l10n.t('ESearch answer is incomplete or invalid JSON'));
      }
      const result = (parsed as { esearchresult?: { count?: unknown; idlist?: unknown; ERROR?: unknown; errorlist?: unknown } }).esearchresult;
      if (!result) {
        const error = (parsed as { error?: unknown }).error;
        if (typeof error === 'string') throw this.rejected(error);
        throw this.bad(l10n.t('ESearch answer has no result'));
      }
      if (typeof result.ERROR === 'string') throw this.rejected(result.ERROR);
      const ids = Array.isArray(result.idlist) ? result.idlist.map(normalisePmid).filter((id): id is string => id !== undefined) : [];
      return { count: Number(result.count ?? ids.length) || 0, ids };
    }
    if (trimmed.startsWith('<')) {
      let root: XmlElement;
      try {
        root = parseXml(trimmed);
      } catch (error) {
        throw this.bad(l10n.t('ESearch answer is incomplete XML ({0})', (error as Error).message));
      }
      const error = textOf(childElement(root, 'ERROR'));
      if (error) throw this.rejected(error);
      if (root.name !== 'eSearchResult') throw this.bad(l10n.t('ESearch answered <{0}>', root.name));
      const ids = childElements(childElement(root, 'IdList'), 'Id')
        .map((element) => normalisePmid(textOf(element)))
        .filter((id): id is string => id !== undefined);
      return { count: Number(textOf(childElement(root, 'Count'))) || ids.length, ids };
    }
    throw this.bad(text.trim() === '' ? l10n.t('ESearch answer is empty') : l10n.t('ESearch answer is neither JSON nor XML'));
  }

  /**
   * EFetch: PubMed XML records for PMIDs, returned in the order of `ids`.
   * @param ids PMIDs.
   * @param signal Cancels the request.
   */
  async efetch(ids: readonly string[], signal: AbortSignal): Promise<LiteratureRecord[]> {
    const url = buildUrl(this.baseUrl, '/efetch.fcgi', { db: 'pubmed', id: ids.join(','), retmode: 'xml', rettype: 'abstract', ...this.identity() });
    const root = await this.http.xml({ url, signal });
    if (root.name === 'eFetchResult' || childElement(root, 'ERROR')) {
      const error = textOf(childElement(root, 'ERROR'));
      // NCBI's answer when none of the ids is a PubMed record: nothing found, not a failure.
      if (/empty id list|nothing to ?do/i.test(error)) return [];
      throw this.rejected(error || l10n.t('EFetch returned an error'));
    }
    if (root.name !== 'PubmedArticleSet') throw this.bad(l10n.t('EFetch answered <{0}> instead of <PubmedArticleSet>', root.name));
    const records = parsePubmedArticleSet(root);
    const order = new Map(ids.map((id, index) => [id, index]));
    return records.sort((a, b) => (order.get(a.pmid ?? '') ?? 1e9) - (order.get(b.pmid ?? '') ?? 1e9));
  }

  /**
   * EFetch for PMIDs, {@link efetchBatchSize} per request. PMIDs PubMed does not know are absent from the result.
   * @param ids PMIDs, in any usual spelling (duplicates and malformed ids are dropped).
   * @param signal Cancels the requests.
   * @returns The records found, in the order of `ids`.
   * @throws LiteratureServiceError on any failure.
   */
  async fetchByPmids(ids: readonly string[], signal: AbortSignal): Promise<LiteratureRecord[]> {
    const unique = [...new Set(ids.map(normalisePmid).filter((id): id is string => id !== undefined))];
    const records: LiteratureRecord[] = [];
    for (let start = 0; start < unique.length; start += efetchBatchSize) records.push(...(await this.efetch(unique.slice(start, start + efetchBatchSize), signal)));
    return records;
  }

  private bad(detail: string): LiteratureServiceError {
    return new LiteratureServiceError('pubmed', 'badResponse', l10n.t('{0} sent an unexpected answer: {1}. Try again; if it persists, check the {0} base URL in the Biowrite settings.', serviceLabels.pubmed, detail));
  }

  private rejected(detail: string): LiteratureServiceError {
    return new LiteratureServiceError('pubmed', 'rejected', l10n.t('{0} could not run the search: “{1}”. Try a simpler query.', serviceLabels.pubmed, detail.slice(0, 200)));
  }
}

// Labels are functions so they are translated when a record is read, not when the module loads.
const noticeTypes: Readonly<Record<string, { kind: RecordNotice['kind']; label: () => string; retracts: boolean }>> = {
  RetractionIn: { kind: 'retraction', label: () => l10n.t('Retracted'), retracts: true },
  PartialRetractionIn: { kind: 'retraction', label: () => l10n.t('Partially retracted'), retracts: true },
  RetractionOf: { kind: 'other', label: () => l10n.t('This is a retraction notice'), retracts: false },
  ErratumIn: { kind: 'correction', label: () => l10n.t('Erratum published'), retracts: false },
  CorrectedandRepublishedIn: { kind: 'correction', label: () => l10n.t('Corrected and republished'), retracts: false },
  ExpressionOfConcernIn: { kind: 'expressionOfConcern', label: () => l10n.t('Expression of concern'), retracts: false },
};

/**
 * Parses an EFetch `<PubmedArticleSet>` into records (book articles are skipped).
 * @param root The parsed document.
 */
export function parsePubmedArticleSet(root: XmlElement): LiteratureRecord[] {
  return childElements(root, 'PubmedArticle').flatMap((article) => {
    const record = parsePubmedArticle(article);
    return record ? [record] : [];
  });
}

/**
 * Parses one `<PubmedArticle>`; `undefined` when it has neither PMID nor title.
 * @param element The element.
 */
export function parsePubmedArticle(element: XmlElement): LiteratureRecord | undefined {
  const citation = childElement(element, 'MedlineCitation');
  const article = childElement(citation, 'Article');
  const pmid = normalisePmid(textOf(childElement(citation, 'PMID')));
  const articleTitle = childElement(article, 'ArticleTitle');
  const titleElement = textOf(articleTitle) ? articleTitle : childElement(article, 'VernacularTitle');
  // `<i>`, `<sup>`, `<sub>` elements, and now and then the same markup entity-encoded as text.
  const { title, titleSpans } = titleFields(parseTitleMarkup(xmlContentMarkup(titleElement), { unbracket: true }));
  if (!pmid && !title) return undefined;

  const abstract = childElements(childElement(article, 'Abstract'), 'AbstractText')
    .map((part) => {
      const text = textOf(part);
      const label = part.attributes.Label;
      return label && text ? `${capitaliseLabel(label)}: ${text}` : text;
    })
    .filter((text) => text !== '')
    .join('\n');

  const authors: RecordAuthor[] = childElements(childElement(article, 'AuthorList'), 'Author').flatMap((author): RecordAuthor[] => {
    if (author.attributes.ValidYN === 'N') return [];
    const collective = textOf(childElement(author, 'CollectiveName'));
    if (collective) return [{ literal: collective }];
    const family = textOf(childElement(author, 'LastName'));
    const given = textOf(childElement(author, 'ForeName')) || textOf(childElement(author, 'Initials'));
    return family ? [given ? { family, given } : { family }] : [];
  });

  const journal = childElement(article, 'Journal');
  const issue = childElement(journal, 'JournalIssue');
  const pubDate = childElement(issue, 'PubDate');
  const year = yearOf(textOf(childElement(pubDate, 'Year'))) ?? yearOf(textOf(childElement(pubDate, 'MedlineDate'))) ?? yearOf(textOf(pathElement(article, 'ArticleDate', 'Year')));

  // Only the article's own ArticleIdList: the ReferenceList holds the cited papers' identifiers too.
  const idList = pathElement(element, 'PubmedData', 'ArticleIdList');
  const idOf = (type: string): string | undefined => textOf(childElements(idList, 'ArticleId').find((id) => id.attributes.IdType === type)) || undefined;
  const elocationDoi = textOf(childElements(article, 'ELocationID').find((id) => id.attributes.EIdType === 'doi'));
  const doi = normaliseDoi(idOf('doi')) ?? normaliseDoi(elocationDoi);
  const pmcid = normalisePmcid(idOf('pmc'), true);

  const keywords = [
    ...descendants(childElement(citation, 'KeywordList'), 'Keyword').map(textOf),
    ...childElements(childElement(citation, 'MeshHeadingList'), 'MeshHeading').map((heading) => textOf(childElement(heading, 'DescriptorName'))),
  ].filter((keyword) => keyword !== '');

  const publicationTypes = childElements(childElement(article, 'PublicationTypeList'), 'PublicationType').map(textOf);
  const notices: RecordNotice[] = [];
  let retracted = false;
  if (publicationTypes.some((type) => /^retracted publication$/i.test(type))) {
    retracted = true;
    notices.push({ kind: 'retraction', label: l10n.t('{0}: Retracted Publication', serviceLabels.pubmed) });
  }
  if (publicationTypes.some((type) => /^retraction of publication$/i.test(type))) {
    notices.push({ kind: 'other', label: l10n.t('{0}: this is a retraction notice, not a research article', serviceLabels.pubmed) });
  }
  if (publicationTypes.some((type) => /^expression of concern$/i.test(type))) {
    notices.push({ kind: 'other', label: l10n.t('{0}: this is an expression of concern, not a research article', serviceLabels.pubmed) });
  }
  for (const comment of childElements(childElement(citation, 'CommentsCorrectionsList'), 'CommentsCorrections')) {
    const refType = comment.attributes.RefType ?? '';
    const type = Object.hasOwn(noticeTypes, refType) ? noticeTypes[refType] : undefined;
    if (!type) continue;
    if (type.retracts) retracted = true;
    const source = textOf(childElement(comment, 'RefSource'));
    const noticePmid = normalisePmid(textOf(childElement(comment, 'PMID')));
    const label = type.label();
    notices.push({ kind: type.kind, id: noticePmid ? `pmid:${noticePmid}` : undefined, label: source ? `${label}: ${source}` : label });
  }

  return {
    sources: ['pubmed'],
    title,
    ...(titleSpans ? { titleSpans } : {}),
    authors,
    containerTitle: stringOrUndefined(textOf(childElement(journal, 'Title'))) ?? stringOrUndefined(textOf(childElement(journal, 'ISOAbbreviation'))),
    year,
    volume: stringOrUndefined(textOf(childElement(issue, 'Volume'))),
    issue: stringOrUndefined(textOf(childElement(issue, 'Issue'))),
    page: stringOrUndefined(textOf(pathElement(article, 'Pagination', 'MedlinePgn'))),
    doi,
    pmid,
    pmcid,
    url: pmid ? `https://pubmed.ncbi.nlm.nih.gov/${pmid}/` : undefined,
    abstract: abstract || undefined,
    keywords: keywords.length > 0 ? [...new Set(keywords)] : undefined,
    type: 'article-journal',
    retracted,
    notices,
  };
}

function capitaliseLabel(label: string): string {
  return label.charAt(0).toUpperCase() + label.slice(1).toLowerCase();
}
