/**
 * The reference audit: checks every entry of a manuscript's bibliography against the literature
 * services (does its identifier resolve to the cited work, was the work retracted or corrected, was
 * the preprint since published) and the manuscript itself (undefined, unused, duplicate keys).
 *
 * Fabricated and mistaken are kept apart: an identifier that points to another work, an invented
 * title or author list, or a work no service knows is fabricated (`not-found`, `identifier-mismatch`);
 * a wrong year, a typo or wrong pages is a mistake (`metadata-mismatch`). A service that could not be
 * reached never makes an entry `not-found`: the entry is `unverifiable` and the summary says why.
 */
import * as l10n from '@vscode/l10n';
import type { ClientSearchOptions, ClientSearchResult } from '../literature/client';
import { LiteratureServiceError } from '../literature/http';
import { normaliseDoi } from '../literature/normalize';
import type { LiteratureRecord } from '../literature/types';
import { compareAuthors, compareTitles, foldText, isPreprintRecord, isPreprintVenue, sameVenue, samePages } from './compare';
import type { BibliographyEntry } from './entries';
import type { CitationLocation, ReferenceAudit, ReferenceField, ReferenceFinding, ReferenceStatus, ReferenceSummary } from './statuses';
import { CLEAN_STATUSES, FABRICATION_STATUSES, REFERENCE_STATUSES } from './statuses';

/** The lookups the audit needs from the services; each is optional (a missing one is not asked). */
export interface ReferenceServices {
  readonly crossref?: {
    worksByDoi(dois: readonly string[], signal: AbortSignal): Promise<LiteratureRecord[]>;
    agency(doi: string, signal: AbortSignal): Promise<string | undefined>;
    search(query: string, options: ClientSearchOptions): Promise<ClientSearchResult>;
  };
  readonly openalex?: {
    worksByIds(kind: 'doi' | 'pmid' | 'pmcid', ids: readonly string[], signal: AbortSignal): Promise<LiteratureRecord[]>;
    search(query: string, options: ClientSearchOptions): Promise<ClientSearchResult>;
  };
  readonly pubmed?: { fetchByPmids(ids: readonly string[], signal: AbortSignal): Promise<LiteratureRecord[]> };
  readonly europepmc?: { search(query: string, options: ClientSearchOptions): Promise<ClientSearchResult> };
  readonly arxiv?: { byIds(ids: readonly string[], signal: AbortSignal): Promise<LiteratureRecord[]> };
}

/** A key cited in a manuscript, where it is cited. */
export interface CitedKey {
  readonly key: string;
  readonly location: CitationLocation;
}

/** Options of {@link auditReferences}. */
export interface AuditOptions {
  /** The entries of every bibliography file the manuscripts use. */
  readonly entries: readonly BibliographyEntry[];
  /** Every citation key of the manuscripts, with its place (`doi:…` Manubot keys included). */
  readonly cited: readonly CitedKey[];
  /** The services to ask; `undefined` audits offline (hygiene and plain checks only). */
  readonly services?: ReferenceServices;
  /** Cancels the audit. */
  readonly signal: AbortSignal;
  /** The current year, to tell a future date (optional; default: this year). */
  readonly currentYear?: number;
  /** Called as entries are done (optional). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Entries checked at once when searching by title (optional; default: 4). */
  readonly concurrency?: number;
  /**
   * Verdicts of an earlier audit by {@link entryFingerprint}: entries whose fingerprint is there are
   * not asked again (optional).
   */
  readonly previous?: ReadonlyMap<string, OnlineVerdict>;
}

/** The part of a finding that comes from the services, kept between audits of an unchanged entry. */
export interface OnlineVerdict {
  readonly statuses: readonly ReferenceStatus[];
  readonly fields: readonly ReferenceField[];
  readonly message: string;
  readonly resolved?: LiteratureRecord;
  readonly publishedDoi?: string;
  readonly checkedWith: readonly string[];
}

/** What identifies an entry's content for re-use of a verdict: every field the audit compares. */
export function entryFingerprint(entry: BibliographyEntry): string {
  const r = entry.record;
  return JSON.stringify([entry.key, r.title, r.authors, r.containerTitle, r.year, r.volume, r.page, r.doi, r.pmid, r.pmcid, entry.arxivId, r.type, r.url, entry.publisher]);
}

/** Services that failed during one audit, with the first error of each. */
class Unreachable {
  readonly failures = new Map<string, string>();

  note(service: string, error: unknown): void {
    if (error instanceof LiteratureServiceError && error.kind === 'aborted') throw error;
    if (error instanceof Error && error.name === 'AbortError') throw error;
    if (!this.failures.has(service)) this.failures.set(service, error instanceof Error ? error.message : String(error));
  }

  has(service: string): boolean {
    return this.failures.has(service);
  }
}

const serviceNames: Readonly<Record<string, string>> = { crossref: 'Crossref', openalex: 'OpenAlex', pubmed: 'PubMed', europepmc: 'Europe PMC', arxiv: 'arXiv' };

/** The records found for the identifiers of every entry, from batched lookups. */
interface Lookups {
  readonly byDoi: Map<string, LiteratureRecord[]>;
  readonly doiAgency: Map<string, string | undefined>;
  readonly byPmid: Map<string, LiteratureRecord>;
  readonly byPmcid: Map<string, LiteratureRecord>;
  readonly byArxiv: Map<string, LiteratureRecord>;
  /** Which services answered the lookup of each identifier kind. */
  readonly asked: { doi: string[]; pmid: string[]; pmcid: string[]; arxiv: string[] };
}

function isArxivDoi(doi: string): boolean {
  return /^10\.48550\/arxiv\./i.test(doi);
}

async function batchedLookups(entries: readonly BibliographyEntry[], services: ReferenceServices, unreachable: Unreachable, signal: AbortSignal): Promise<Lookups> {
  const lookups: Lookups = { byDoi: new Map(), doiAgency: new Map(), byPmid: new Map(), byPmcid: new Map(), byArxiv: new Map(), asked: { doi: [], pmid: [], pmcid: [], arxiv: [] } };
  const dois = [...new Set(entries.map((entry) => entry.record.doi).filter((doi): doi is string => doi !== undefined && !isArxivDoi(doi)))];
  const pmids = [...new Set(entries.map((entry) => entry.record.pmid).filter((id): id is string => id !== undefined))];
  const pmcids = [...new Set(entries.map((entry) => entry.record.pmcid?.toUpperCase()).filter((id): id is string => id !== undefined))];
  const arxivIds = [...new Set(entries.map((entry) => entry.arxivId).filter((id): id is string => id !== undefined))];
  const addDoi = (record: LiteratureRecord): void => {
    if (!record.doi) return;
    const list = lookups.byDoi.get(record.doi) ?? [];
    list.push(record);
    lookups.byDoi.set(record.doi, list);
  };

  const crossrefDois = async (): Promise<void> => {
    if (!services.crossref || dois.length === 0) return;
    try {
      for (const record of await services.crossref.worksByDoi(dois, signal)) addDoi(record);
      lookups.asked.doi.push('crossref');
    } catch (error) {
      unreachable.note('crossref', error);
    }
  };
  const pubmedIds = async (): Promise<void> => {
    if (!services.pubmed || pmids.length === 0) return;
    try {
      for (const record of await services.pubmed.fetchByPmids(pmids, signal)) if (record.pmid) lookups.byPmid.set(record.pmid, record);
      lookups.asked.pmid.push('pubmed');
    } catch (error) {
      unreachable.note('pubmed', error);
    }
  };
  const arxivLookups = async (): Promise<void> => {
    if (!services.arxiv || arxivIds.length === 0) return;
    try {
      for (const record of await services.arxiv.byIds(arxivIds, signal)) {
        const id = /^10\.48550\/arxiv\.(.+)$/i.exec(record.doi ?? '')?.[1];
        if (id) lookups.byArxiv.set(id.toLowerCase(), record);
      }
      lookups.asked.arxiv.push('arxiv');
    } catch (error) {
      unreachable.note('arxiv', error);
    }
  };
  await Promise.all([crossrefDois(), pubmedIds(), arxivLookups()]);

  // OpenAlex knows DataCite DOIs (Zenodo, figshare…) that Crossref answers 404 for, and PMCIDs.
  if (services.openalex) {
    const missing = dois.filter((doi) => !lookups.byDoi.has(doi));
    const openalex = services.openalex;
    const ask = async (kind: 'doi' | 'pmid' | 'pmcid', ids: readonly string[]): Promise<void> => {
      if (ids.length === 0) return;
      try {
        for (const record of await openalex.worksByIds(kind, ids, signal)) {
          if (kind === 'doi') addDoi(record);
          else if (kind === 'pmcid' && record.pmcid) lookups.byPmcid.set(record.pmcid.toUpperCase(), record);
          else if (kind === 'pmid' && record.pmid && !lookups.byPmid.has(record.pmid)) lookups.byPmid.set(record.pmid, record);
        }
        lookups.asked[kind].push('openalex');
      } catch (error) {
        unreachable.note('openalex', error);
      }
    };
    const pmidsMissing = services.pubmed && !unreachable.has('pubmed') ? [] : pmids.filter((id) => !lookups.byPmid.has(id));
    await Promise.all([ask('doi', missing), ask('pmid', pmidsMissing)]);
    noteKnownPmcids(lookups);
    await ask('pmcid', pmcids.filter((id) => !lookups.byPmcid.has(id)));
  }
  noteKnownPmcids(lookups);
  // Europe PMC holds every PMC article: a PMCID nobody else knows is asked there before it is called missing.
  const unknownPmcids = pmcids.filter((id) => !lookups.byPmcid.has(id));
  if (services.europepmc && unknownPmcids.length > 0) {
    try {
      for (let start = 0; start < unknownPmcids.length; start += 20) {
        const batch = unknownPmcids.slice(start, start + 20);
        const result = await services.europepmc.search(batch.map((id) => `PMCID:${id}`).join(' OR '), { maxResults: 100, signal });
        for (const record of result.records) if (record.pmcid) lookups.byPmcid.set(record.pmcid.toUpperCase(), record);
      }
      lookups.asked.pmcid.push('europepmc');
    } catch (error) {
      unreachable.note('europepmc', error);
    }
  }
  // A DOI neither knows: ask Crossref's agency route, which knows every registered DOI's registration agency.
  if (services.crossref) {
    for (const doi of dois.filter((candidate) => !lookups.byDoi.has(candidate))) {
      try {
        lookups.doiAgency.set(doi, await services.crossref.agency(doi, signal));
      } catch (error) {
        unreachable.note('crossref', error);
      }
    }
  }
  return lookups;
}

/** Every PMCID the records found so far carry, so those are not asked again. */
function noteKnownPmcids(lookups: Lookups): void {
  for (const record of [...lookups.byPmid.values(), ...[...lookups.byDoi.values()].flat()]) {
    const pmcid = record.pmcid?.toUpperCase();
    if (pmcid && !lookups.byPmcid.has(pmcid)) lookups.byPmcid.set(pmcid, record);
  }
}

/** The best record of a DOI: Crossref's (it carries updates and relations), else another service's. */
function primaryOf(records: readonly LiteratureRecord[] | undefined): LiteratureRecord | undefined {
  if (!records || records.length === 0) return undefined;
  return records.find((record) => record.sources.includes('crossref')) ?? records[0];
}

/** A record's one-line description for messages: “Title” (First author, year). */
export function describeRecord(record: LiteratureRecord): string {
  const first = record.authors[0];
  const author = first ? (first.family ?? first.literal ?? '') : '';
  const authors = author ? (record.authors.length > 1 ? l10n.t('{0} et al.', author) : author) : '';
  const detail = [authors, record.year ? String(record.year) : ''].filter((part) => part !== '').join(', ');
  const title = record.title.length > 120 ? `${record.title.slice(0, 117)}…` : record.title;
  return detail ? `“${title}” (${detail})` : `“${title}”`;
}

/** What comparing an entry with its record found. */
interface Comparison {
  /** Reasons the entry is not this work as cited (fabrication). */
  readonly fabricated: string[];
  /** Fields that are wrong but the work is the same. */
  readonly fields: ReferenceField[];
  readonly notes: string[];
}

function compareEntry(entry: BibliographyEntry, record: LiteratureRecord, currentYear: number, venues: readonly string[], byTitle: boolean, sameWorkPublished = false): Comparison {
  const cited = entry.record;
  const fabricated: string[] = [];
  const fields: ReferenceField[] = [];
  const notes: string[] = [];
  const title = compareTitles(cited.title, record.title);
  // Manubot writes the URL or DOI as the title of a web page it could not read: nothing to compare.
  const titleIsPlaceholder = cited.title.trim() === '' || cited.title === cited.doi || /^(?:https?:\/\/|www\.)/i.test(cited.title) || cited.title === cited.url;
  if (!titleIsPlaceholder) {
    if (title.relation === 'different') fabricated.push(l10n.t('it is another work: {0}', describeRecord(record)));
    else if (title.relation === 'changed') fabricated.push(l10n.t('the title differs from the work’s: “{0}”', record.title));
    else if (title.relation === 'typo') {
      fields.push('title');
      notes.push(l10n.t('title: “{0}”', record.title));
    }
  }
  const authors = compareAuthors(cited.authors, record.authors);
  if (!authors.unknown) {
    if (authors.overlap < 0.5) fabricated.push(l10n.t('the authors differ from the work’s ({0})', record.authors.slice(0, 3).map((a) => a.family ?? a.literal ?? '').join(', ')));
    // Services shorten long author lists and spell names their own way: only the order and the first author are a mistake.
    else if (authors.reordered || !authors.sameFirst) {
      fields.push('author');
      notes.push(l10n.t('authors: {0}', record.authors.slice(0, 4).map((a) => a.family ?? a.literal ?? '').join(', ')));
    }
  }
  if (cited.year !== undefined && record.year !== undefined && cited.year !== record.year) {
    // Next year's issue of a work that appeared this year is a mistake at most; a work years old cited with a year to come is not.
    if (cited.year > currentYear + 1 || (cited.year > currentYear && cited.year - record.year > 1)) fabricated.push(l10n.t('the year {0} is in the future; the work appeared in {1}', cited.year, record.year));
    else {
      fields.push('year');
      notes.push(l10n.t('year: {0}', record.year));
    }
  }
  const citedVenue = cited.containerTitle;
  const venueIsPublisher = citedVenue !== undefined && entry.publisher !== undefined && foldText(citedVenue) === foldText(entry.publisher);
  // Proceedings and books are named many ways, and their papers are often indexed as preprints or journal
  // versions: a work found by its title is held to its venue only when it is cited as a journal article.
  const venueChecked = !byTitle || (cited.type ?? 'article-journal') === 'article-journal';
  if (venueChecked && citedVenue && !venueIsPublisher && venues.length > 0 && !venues.some((venue) => sameVenue(citedVenue, venue))) {
    if (isPreprintRecord(record) && !isPreprintVenue(citedVenue)) fabricated.push(l10n.t('it is cited as published in {0}, but the work is a preprint ({1})', citedVenue, record.containerTitle ?? record.doi ?? ''));
    else if (!isPreprintVenue(citedVenue) || !isPreprintRecord(record)) fabricated.push(l10n.t('the work did not appear in {0} but in {1}', citedVenue, venues[0]));
  } else if (venueChecked && citedVenue && !venueIsPublisher && venues.length === 0 && (cited.type ?? 'article-journal') === 'article-journal' && isPreprintRecord(record) && !isPreprintVenue(citedVenue) && !sameWorkPublished) {
    // A bioRxiv record names no journal: a journal article that is only ever a preprint was not published there.
    fabricated.push(l10n.t('it is cited as published in {0}, but the work is a preprint ({1})', citedVenue, record.doi ?? record.url ?? ''));
  }
  if (cited.page && record.page && !samePages(cited.page, record.page)) {
    fields.push('page');
    notes.push(l10n.t('pages: {0}', record.page));
  }
  if (cited.volume && record.volume && foldText(cited.volume) !== foldText(record.volume) && !isPreprintRecord(record)) {
    fields.push('volume');
    notes.push(l10n.t('volume: {0}', record.volume));
  }
  return { fabricated, fields, notes };
}

/** Entries services do not index (web pages, software, books without identifiers): unverifiable when nothing is found. */
function isUnindexable(entry: BibliographyEntry): boolean {
  const record = entry.record;
  // Conference papers, books and the like are indexed unevenly (workshops, older proceedings): none is called fabricated for it.
  if (/^(webpage|post|post-weblog|software|dataset|book|chapter|thesis|report|manuscript|motion_picture|speech|personal_communication|interview|entry|entry-encyclopedia|entry-dictionary|legislation|legal_case|patent|standard|paper-conference|article)$/.test(record.type ?? '')) return true;
  if (/\b(to appear|in press|forthcoming|submitted|under review|accepted)\b/i.test(record.containerTitle ?? '')) return true;
  if (record.url && !/doi\.org|pubmed|ncbi\.nlm\.nih\.gov|europepmc/i.test(record.url)) return true;
  return !record.containerTitle;
}

/** Notices and published versions of the work, from every record of it. */
function lifecycleOf(records: readonly LiteratureRecord[], citedDoi: string | undefined): { statuses: ReferenceStatus[]; notes: string[]; publishedDoi?: string } {
  const statuses: ReferenceStatus[] = [];
  const notes: string[] = [];
  let publishedDoi: string | undefined;
  const add = (status: ReferenceStatus, note: string): void => {
    if (!statuses.includes(status)) {
      statuses.push(status);
      notes.push(note);
    }
  };
  for (const record of records) {
    if (record.retracted) add('retracted', record.notices.find((notice) => notice.kind === 'retraction')?.label ?? l10n.t('retracted'));
    for (const notice of record.notices) {
      const id = notice.id ? ` (${notice.id})` : '';
      if (notice.kind === 'retraction') add('retracted', `${notice.label}${id}`);
      else if (notice.kind === 'expressionOfConcern') add('concern', `${notice.label}${id}`);
      else if (notice.kind === 'correction') add('corrected', `${notice.label}${id}`);
    }
    const published = record.publishedVersion;
    if (published && isPreprintRecord(record)) {
      const doi = normaliseDoi(published.doi);
      if (doi && doi !== citedDoi) {
        publishedDoi ??= doi;
        add('preprint-published', l10n.t('published as doi:{0}', doi));
      } else if (!doi) add('preprint-published', published.label);
    }
  }
  return { statuses, notes, publishedDoi };
}

function titleQuery(entry: BibliographyEntry): string {
  return entry.record.title.replace(/[^\p{L}\p{N}\s-]+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** Candidates for an entry found by a title search, best first. */
async function searchByTitle(entry: BibliographyEntry, services: ReferenceServices, unreachable: Unreachable, signal: AbortSignal): Promise<{ records: LiteratureRecord[]; asked: string[] }> {
  const query = titleQuery(entry);
  if (query.split(' ').length < 2) return { records: [], asked: [] };
  const first = entry.record.authors[0];
  const author = first?.family ?? '';
  const asked: string[] = [];
  const records: LiteratureRecord[] = [];
  const run = async (service: string, search: (() => Promise<ClientSearchResult>) | undefined): Promise<void> => {
    if (!search || unreachable.has(service)) return;
    try {
      records.push(...(await search()).records);
      asked.push(service);
    } catch (error) {
      unreachable.note(service, error);
    }
  };
  const options = { maxResults: 5, signal };
  await Promise.all([
    run('crossref', services.crossref ? () => services.crossref!.search(`${query} ${author}`.trim(), options) : undefined),
    run('openalex', services.openalex ? () => services.openalex!.search(query, options) : undefined),
  ]);
  // Europe PMC holds preprints (PPR) and PubMed records with other title spellings: asked only when the others found nothing.
  if (!records.some((record) => compareTitles(entry.record.title, record.title).relation !== 'different') && services.europepmc) {
    await run('europepmc', () => services.europepmc!.search(`TITLE:"${query.replace(/"/g, '')}"`, options));
  }
  const scored = records.map((record) => {
    const title = compareTitles(entry.record.title, record.title);
    const authors = compareAuthors(entry.record.authors, record.authors);
    const titleScore = title.relation === 'same' ? 3 : title.relation === 'typo' ? 2.5 : title.similarity;
    const yearScore = entry.record.year && record.year ? -Math.min(3, Math.abs(entry.record.year - record.year)) * 0.1 : 0;
    const venueScore = entry.record.containerTitle && record.containerTitle && sameVenue(entry.record.containerTitle, record.containerTitle) ? 0.2 : 0;
    return { record, score: titleScore + authors.overlap * 0.5 + yearScore + venueScore, relation: title.relation };
  });
  scored.sort((a, b) => b.score - a.score);
  return { records: scored.map((item) => item.record), asked };
}

function identifierLabel(entry: BibliographyEntry): string {
  const r = entry.record;
  if (r.doi && !isArxivDoi(r.doi)) return `doi:${r.doi}`;
  if (r.pmid) return `pmid:${r.pmid}`;
  if (r.pmcid) return `pmcid:${r.pmcid}`;
  if (entry.arxivId) return `arXiv:${entry.arxivId}`;
  return '';
}

function joinSentences(head: string, details: readonly string[]): string {
  return details.length === 0 ? head : `${head} ${details.join('; ')}.`;
}

/** Checks one entry online: resolve its identifiers (or search its title), compare, read its lifecycle. */
async function checkEntryOnline(entry: BibliographyEntry, lookups: Lookups, services: ReferenceServices, unreachable: Unreachable, signal: AbortSignal, currentYear: number): Promise<OnlineVerdict> {
  const r = entry.record;
  const doi = r.doi && !isArxivDoi(r.doi) ? r.doi : undefined;
  const doiRecords = doi ? (lookups.byDoi.get(doi) ?? []) : [];
  const pmidRecord = r.pmid ? lookups.byPmid.get(r.pmid) : undefined;
  const pmcidRecord = r.pmcid ? lookups.byPmcid.get(r.pmcid.toUpperCase()) : undefined;
  const arxivRecord = entry.arxivId ? lookups.byArxiv.get(entry.arxivId.toLowerCase()) : undefined;
  const primary = primaryOf(doiRecords) ?? pmidRecord ?? pmcidRecord ?? arxivRecord;
  const checkedWith = new Set<string>();
  for (const record of [...doiRecords, pmidRecord, pmcidRecord, arxivRecord]) for (const source of record?.sources ?? []) checkedWith.add(source);
  if (arxivRecord) checkedWith.add('arxiv');

  // Identifiers that do not exist: each is a fabrication unless a service that could have known it was down.
  const missing: string[] = [];
  const missingFields: ReferenceField[] = [];
  const unsure: string[] = [];
  if (doi && doiRecords.length === 0) {
    const agency = lookups.doiAgency.get(doi);
    const askedAll = lookups.asked.doi.length > 0 && !unreachable.has('crossref');
    if (agency) unsure.push(l10n.t('doi:{0} is registered with {1}, which the configured services do not index', doi, agency));
    else if (askedAll && lookups.doiAgency.has(doi)) {
      missing.push(l10n.t('doi:{0} is not registered', doi));
      missingFields.push('DOI');
    }
    else unsure.push(l10n.t('doi:{0} could not be checked', doi));
  }
  if (r.pmid && !pmidRecord) {
    if (lookups.asked.pmid.length > 0) {
      missing.push(l10n.t('PMID {0} does not exist', r.pmid));
      missingFields.push('PMID');
    }
    else unsure.push(l10n.t('PMID {0} could not be checked', r.pmid));
  }
  if (r.pmcid && !pmcidRecord) {
    if (lookups.asked.pmcid.length > 0 && !unreachable.has('europepmc')) {
      missing.push(l10n.t('{0} does not exist', r.pmcid));
      missingFields.push('PMCID');
    }
    else unsure.push(l10n.t('{0} could not be checked', r.pmcid));
  }
  if (entry.arxivId && !arxivRecord && !(r.doi && isArxivDoi(r.doi) && primary)) {
    if (lookups.asked.arxiv.length > 0) {
      missing.push(l10n.t('arXiv:{0} does not exist', entry.arxivId));
      missingFields.push('arXiv');
    }
    else if (!services.arxiv) {
      // No arXiv client configured: an arXiv id is checked by its title instead.
    } else unsure.push(l10n.t('arXiv:{0} could not be checked', entry.arxivId));
  }

  if (!primary) {
    const found = await searchByTitle(entry, services, unreachable, signal);
    for (const service of found.asked) checkedWith.add(service);
    const best = found.records[0];
    const bestTitle = best ? compareTitles(r.title, best.title) : undefined;
    // The same title by other people is another work (short titles such as "Deep learning" recur).
    const bestAuthors = best ? compareAuthors(r.authors, best.authors) : undefined;
    // Software and data archived under a paper's title (a Zenodo release of its code) are not the paper.
    const sameKind = !/^(software|dataset)$/.test(r.type ?? '') || /^(software|dataset)$/.test(best?.type ?? '');
    const titleMatches = sameKind && bestTitle !== undefined && (bestTitle.relation === 'same' || bestTitle.relation === 'typo') && (bestAuthors === undefined || bestAuthors.unknown || bestAuthors.overlap >= 0.5);
    if (missing.length > 0) {
      const head = l10n.t('{0}: the identifier does not exist ({1}).', entry.key, missing.join('; '));
      const next = titleMatches && best ? l10n.t('A work with this title: {0}{1}. Replace the entry with its metadata.', describeRecord(best), best.doi ? ` doi:${best.doi}` : '') : l10n.t('Check the reference against the paper itself.');
      return { statuses: ['not-found'], fields: missingFields, message: `${head} ${next}`, ...(titleMatches && best ? { resolved: best } : {}), checkedWith: [...checkedWith] };
    }
    if (titleMatches && best) {
      // Crossref's record of the work carries its retractions, corrections and published versions.
      const sameWork = [best];
      if (best.doi && !best.sources.includes('crossref') && services.crossref && !unreachable.has('crossref')) {
        try {
          sameWork.push(...(await services.crossref.worksByDoi([best.doi], signal)));
        } catch (error) {
          unreachable.note('crossref', error);
        }
      }
      return verdictFromRecord(entry, best, sameWork, currentYear, [...checkedWith], unsure, true);
    }
    if (found.asked.length === 0 || unsure.length > 0) {
      const why = unsure.length > 0 ? unsure.join('; ') : l10n.t('no service could be asked');
      return { statuses: ['unverifiable'], fields: [], message: l10n.t('{0}: not checked: {1}.', entry.key, why), checkedWith: [...checkedWith] };
    }
    if (isUnindexable(entry)) {
      return { statuses: ['unverifiable'], fields: [], message: l10n.t('{0}: no service indexes this kind of reference; check it by hand.', entry.key), checkedWith: [...checkedWith] };
    }
    const closest = best && bestTitle && bestTitle.relation === 'changed' ? l10n.t(' The closest work: {0}.', describeRecord(best)) : '';
    return {
      statuses: ['not-found'],
      fields: [],
      message: l10n.t('{0}: no service knows a work with this title and these authors ({1}).{2} Check that the reference is real.', entry.key, [...checkedWith].map((s) => serviceNames[s] ?? s).join(', '), closest),
      checkedWith: [...checkedWith],
    };
  }
  const sameWork = [...doiRecords, ...[pmidRecord, pmcidRecord, arxivRecord].filter((record): record is LiteratureRecord => record !== undefined && (record === primary || (compareTitles(primary.title, record.title).relation !== 'different' && compareTitles(primary.title, record.title).relation !== 'changed')))];
  const verdict = verdictFromRecord(entry, primary, sameWork, currentYear, [...checkedWith], unsure, false);
  // A DOI and a PMID of two different works: one of them was copied from another reference.
  const otherWorks: [ReferenceField, string, LiteratureRecord][] = [];
  if (pmidRecord && pmidRecord !== primary && !sameWork.includes(pmidRecord)) otherWorks.push(['PMID', `PMID ${r.pmid ?? ''}`, pmidRecord]);
  if (pmcidRecord && pmcidRecord !== primary && !sameWork.includes(pmcidRecord) && pmcidRecord.pmid !== pmidRecord?.pmid) otherWorks.push(['PMCID', r.pmcid ?? '', pmcidRecord]);
  if (otherWorks.length > 0) {
    return {
      ...verdict,
      statuses: mergeStatuses(verdict.statuses.filter((s) => s !== 'verified'), ['identifier-mismatch']),
      fields: [...verdict.fields, ...otherWorks.map(([field]) => field)],
      message: `${verdict.message} ${otherWorks.map(([, label, record]) => l10n.t('{0} is another work: {1}.', label, describeRecord(record))).join(' ')}`,
    };
  }
  // An arXiv link on an entry whose DOI or PMID is the cited work is a side note, not a second identity:
  // arXiv may not know a withdrawn or mistyped link, and the work itself is verified.
  const arxivIndex = missingFields.indexOf('arXiv');
  if (arxivIndex >= 0 && primary !== arxivRecord && missing.length === 1) {
    return { ...verdict, message: `${verdict.message} ${l10n.t('(arXiv:{0} was not found; check the link.)', entry.arxivId ?? '')}` };
  }
  if (missing.length > 0) {
    return { ...verdict, statuses: mergeStatuses(verdict.statuses.filter((s) => s !== 'verified'), ['identifier-mismatch']), fields: [...verdict.fields, ...missingFields], message: `${verdict.message} ${missing.join('; ')}.` };
  }
  return verdict;
}

function mergeStatuses(a: readonly ReferenceStatus[], b: readonly ReferenceStatus[]): ReferenceStatus[] {
  const all = new Set([...a, ...b]);
  return REFERENCE_STATUSES.filter((status) => all.has(status));
}

function verdictFromRecord(entry: BibliographyEntry, record: LiteratureRecord, sameWork: readonly LiteratureRecord[], currentYear: number, checkedWith: string[], unsure: readonly string[], byTitle: boolean): OnlineVerdict {
  const venues = [...new Set(sameWork.map((candidate) => candidate.containerTitle).filter((venue): venue is string => venue !== undefined && venue !== ''))];
  const comparison = compareEntry(entry, record, currentYear, venues, byTitle, sameWork.some((candidate) => candidate.publishedVersion !== undefined));
  const lifecycle = lifecycleOf(sameWork, entry.record.doi);
  const statuses: ReferenceStatus[] = [];
  const parts: string[] = [];
  if (comparison.fabricated.length > 0) {
    statuses.push(byTitle ? 'not-found' : 'identifier-mismatch');
    const label = identifierLabel(entry);
    parts.push(
      byTitle
        ? l10n.t('{0}: no work matches this reference: {1}. Check that the reference is real.', entry.key, comparison.fabricated.join('; '))
        : l10n.t('{0}: {1} points to another work than the one cited: {2}. Check the identifier and the reference.', entry.key, label, comparison.fabricated.join('; ')),
    );
  } else if (comparison.fields.length > 0) {
    statuses.push('metadata-mismatch');
    parts.push(l10n.t('{0}: the same work, with wrong {1}; the record has {2}. Use “Replace with the resolved metadata”.', entry.key, comparison.fields.join(', '), comparison.notes.join('; ')));
  }
  if (lifecycle.statuses.length > 0) {
    statuses.push(...lifecycle.statuses);
    const advice = lifecycle.statuses.includes('retracted')
      ? l10n.t('Remove the citation or say in the text that the work was retracted.')
      : lifecycle.statuses.includes('preprint-published')
        ? l10n.t('Cite the published version.')
        : l10n.t('Read the notice before relying on the work.');
    parts.push(l10n.t('{0}: {1}. {2}', entry.key, lifecycle.notes.join('; '), advice));
  }
  if (statuses.length === 0) {
    statuses.push('verified');
    parts.push(byTitle ? l10n.t('{0}: found by its title: {1}.', entry.key, describeRecord(record)) : l10n.t('{0}: {1} resolves to the cited work.', entry.key, identifierLabel(entry) || describeRecord(record)));
  }
  const message = joinSentences(parts.join(' '), unsure.length > 0 && statuses.includes('verified') ? [l10n.t('Not checked: {0}', unsure.join('; '))] : []);
  return {
    statuses: mergeStatuses(statuses, []),
    fields: comparison.fields,
    message,
    resolved: record,
    ...(lifecycle.publishedDoi ? { publishedDoi: lifecycle.publishedDoi } : {}),
    checkedWith,
  };
}

/** Keys that name the same work: by DOI, PMID, PMCID, arXiv id, or folded title, year and first author. */
function duplicateGroups(entries: readonly BibliographyEntry[], resolved: ReadonlyMap<string, LiteratureRecord | undefined>): Map<string, string[]> {
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    let root = key;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(key, root);
    return root;
  };
  const union = (a: string, b: string): void => {
    parent.set(find(a), find(b));
  };
  const owner = new Map<string, string>();
  for (const entry of entries) parent.set(entry.key, entry.key);
  for (const entry of entries) {
    const r = entry.record;
    const found = resolved.get(entry.key);
    const first = r.authors[0] ? (r.authors[0].family ?? r.authors[0].literal ?? '') : '';
    const keys = [
      r.doi ? `doi:${r.doi}` : '',
      found?.doi && compareTitles(r.title, found.title).relation !== 'different' ? `doi:${found.doi}` : '',
      r.pmid ? `pmid:${r.pmid}` : '',
      r.pmcid ? `pmcid:${r.pmcid.toUpperCase()}` : '',
      entry.arxivId ? `arxiv:${entry.arxivId.toLowerCase()}` : '',
      foldText(r.title).length >= 12 ? `title:${foldText(r.title)}|${r.year ?? ''}|${foldText(first)}` : '',
    ].filter((key) => key !== '');
    for (const key of keys) {
      const other = owner.get(key);
      if (other === undefined) owner.set(key, entry.key);
      else if (other !== entry.key) union(entry.key, other);
    }
  }
  const groups = new Map<string, string[]>();
  for (const entry of entries) {
    const root = find(entry.key);
    groups.set(root, [...(groups.get(root) ?? []), entry.key]);
  }
  const out = new Map<string, string[]>();
  for (const members of groups.values()) if (members.length > 1) for (const key of members) out.set(key, members.filter((other) => other !== key));
  return out;
}

/** The keys a citation may use for an entry (its key, and `doi:`/`pmid:`/`pmcid:` of its identifiers). */
function citationKeysOfEntry(entry: BibliographyEntry): string[] {
  const r = entry.record;
  const keys = [entry.key];
  if (r.doi) keys.push(`doi:${r.doi.toLowerCase()}`);
  if (r.pmid) keys.push(`pmid:${r.pmid}`);
  if (r.pmcid) keys.push(`pmcid:${r.pmcid.toUpperCase()}`);
  if (entry.arxivId) keys.push(`arxiv:${entry.arxivId.toLowerCase()}`);
  return keys;
}

/** A cited key as the entries' keys are written: Manubot identifiers normalised, plain keys as they are. */
function normaliseCitedKey(key: string): string {
  const match = /^(doi|pmid|pmcid|arxiv):(.+)$/i.exec(key.trim());
  if (!match) return key;
  const prefix = match[1].toLowerCase();
  const value = match[2].trim();
  if (prefix === 'doi') return `doi:${normaliseDoi(value) ?? value.toLowerCase()}`;
  if (prefix === 'pmcid') return `pmcid:${value.toUpperCase().replace(/^(?!PMC)/, 'PMC')}`;
  if (prefix === 'arxiv') return `arxiv:${value.toLowerCase().replace(/v\d+$/, '')}`;
  return `pmid:${value}`;
}

/** Manubot identifier keys cited without a bibliography entry: checked as entries of their own. */
function manubotEntries(cited: readonly CitedKey[], covered: ReadonlySet<string>): BibliographyEntry[] {
  const out = new Map<string, BibliographyEntry>();
  for (const { key } of cited) {
    const normal = normaliseCitedKey(key);
    if (covered.has(normal) || out.has(normal)) continue;
    const [prefix, value] = [normal.slice(0, normal.indexOf(':')), normal.slice(normal.indexOf(':') + 1)];
    if (!['doi', 'pmid', 'pmcid', 'arxiv'].includes(prefix) || !value) continue;
    const record: LiteratureRecord = {
      sources: [],
      libraryId: key,
      title: '',
      authors: [],
      ...(prefix === 'doi' ? { doi: value } : prefix === 'pmid' ? { pmid: value } : prefix === 'pmcid' ? { pmcid: value } : {}),
      retracted: false,
      notices: [],
    };
    out.set(normal, { key, file: '', format: 'csljson', record, ...(prefix === 'arxiv' ? { arxivId: value } : {}), keyOffset: -1, keyLength: 0 });
  }
  return [...out.values()];
}

async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, signal: AbortSignal, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      signal.throwIfAborted();
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * Audits a manuscript's bibliography.
 * @param options Entries, citations, services and signal.
 * @returns One finding per entry, per cited key without an entry, and per Manubot identifier cited.
 * @throws When the signal aborts.
 */
export async function auditReferences(options: AuditOptions): Promise<ReferenceAudit> {
  const { signal } = options;
  const currentYear = options.currentYear ?? new Date().getFullYear();
  const entries = [...options.entries];
  const citedByKey = new Map<string, CitationLocation[]>();
  for (const { key, location } of options.cited) {
    const normal = normaliseCitedKey(key);
    citedByKey.set(normal, [...(citedByKey.get(normal) ?? []), location]);
  }
  const keysOf = new Map(entries.map((entry) => [entry.key, citationKeysOfEntry(entry)]));
  const covered = new Set([...keysOf.values()].flat());
  const identifierEntries = manubotEntries(options.cited, covered);
  const audited = [...entries, ...identifierEntries];
  const unreachable = new Unreachable();
  const verdicts = new Map<string, OnlineVerdict>();
  let done = 0;
  const total = audited.length;
  options.onProgress?.(0, total);

  if (options.services) {
    const services = options.services;
    const toCheck = audited.filter((entry) => {
      const previous = options.previous?.get(entryFingerprint(entry));
      if (previous) verdicts.set(entry.key, previous);
      return !previous;
    });
    done = audited.length - toCheck.length;
    options.onProgress?.(done, total);
    const lookups = await batchedLookups(toCheck, services, unreachable, signal);
    await mapWithConcurrency(toCheck, options.concurrency ?? 4, signal, async (entry) => {
      const verdict = await checkEntryOnline(entry, lookups, services, unreachable, signal, currentYear);
      verdicts.set(entry.key, verdict);
      options.onProgress?.(++done, total);
    });
  }

  // A work found for a fabricated entry is a suggestion, not what the entry names: it makes no duplicate.
  const resolvedByKey = new Map([...verdicts].map(([key, verdict]) => [key, verdict.statuses.some((status) => FABRICATION_STATUSES.has(status)) ? undefined : verdict.resolved]));
  const duplicates = duplicateGroups(entries, resolvedByKey);
  const findings: ReferenceFinding[] = [];
  for (const entry of audited) {
    const citations = (keysOf.get(entry.key) ?? [normaliseCitedKey(entry.key)]).flatMap((key) => citedByKey.get(key) ?? []);
    const online = verdicts.get(entry.key);
    const statuses: ReferenceStatus[] = [];
    const messages: string[] = [];
    let fields: readonly ReferenceField[] = [];
    if (online) {
      statuses.push(...online.statuses);
      messages.push(online.message);
      fields = online.fields;
    } else {
      const offline = offlineVerdict(entry, currentYear);
      statuses.push(...offline.statuses);
      messages.push(offline.message);
    }
    const duplicateOf = duplicates.get(entry.key);
    if (duplicateOf) {
      statuses.push('duplicate');
      messages.push(l10n.t('{0} is the same work as {1}: keep one and cite it everywhere.', entry.key, duplicateOf.join(', ')));
    }
    if (entry.file !== '' && citations.length === 0) {
      statuses.push('unused');
      messages.push(l10n.t('{0} is never cited: remove the entry or cite it.', entry.key));
    }
    const merged = mergeStatuses(statuses, []);
    // "Verified" next to a real finding only adds noise; the finding says what to do.
    const shown = merged.some((status) => !CLEAN_STATUSES.has(status)) ? merged.filter((status) => !CLEAN_STATUSES.has(status)) : merged;
    findings.push({
      key: entry.key,
      statuses: shown,
      fields,
      message: messages.join(' '),
      ...(online?.resolved ? { resolved: online.resolved } : {}),
      ...(online?.publishedDoi ? { publishedDoi: online.publishedDoi } : {}),
      ...(duplicateOf ? { duplicateOf } : {}),
      ...(entry.file !== '' ? { entry: { file: entry.file, offset: entry.keyOffset, length: entry.keyLength } } : {}),
      citations,
      checkedWith: online?.checkedWith ?? [],
    });
  }
  const defined = new Set([...covered, ...identifierEntries.map((entry) => normaliseCitedKey(entry.key))]);
  for (const [key, locations] of citedByKey) {
    if (defined.has(key) || /^(doi|pmid|pmcid|arxiv|isbn|url|wikidata|tag):/i.test(key)) continue;
    findings.push({
      key,
      statuses: ['undefined'],
      fields: [],
      message: l10n.t('{0} is cited but is not in the bibliography: add the entry (“Add the missing entry” finds a source) or fix the key.', key),
      citations: locations,
      checkedWith: [],
    });
  }
  return { findings, summary: summarise(findings, unreachable, options.services !== undefined) };
}

/** What can be said without asking a service. */
function offlineVerdict(entry: BibliographyEntry, currentYear: number): { statuses: ReferenceStatus[]; message: string } {
  const year = entry.record.year;
  if (year !== undefined && year > currentYear + 1) {
    return { statuses: ['not-found'], message: l10n.t('{0}: the year {1} is in the future; check that the reference is real.', entry.key, year) };
  }
  return { statuses: ['unverifiable'], message: l10n.t('{0}: not checked online (run the audit online to check it).', entry.key) };
}

function summarise(findings: readonly ReferenceFinding[], unreachable: Unreachable, online: boolean): ReferenceSummary {
  const statuses: Partial<Record<ReferenceStatus, number>> = {};
  let withFindings = 0;
  for (const finding of findings) {
    for (const status of finding.statuses) statuses[status] = (statuses[status] ?? 0) + 1;
    if (finding.statuses.some((status) => !CLEAN_STATUSES.has(status))) withFindings++;
  }
  return {
    entries: findings.length,
    statuses,
    withFindings,
    unreachable: [...unreachable.failures].map(([service, message]) => ({ service: serviceNames[service] ?? service, message })),
    online,
  };
}
