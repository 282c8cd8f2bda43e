/**
 * Merges records from several services into one per work: records sharing a DOI (case-insensitive),
 * a PMID or a PMCID are the same work, transitively (A and B share a DOI, B and C a PMID: one work).
 */
import { normaliseDoi, normalisePmcid, normalisePmid } from './normalize';
import { plainTitle, type TitleSpan } from './titleMarkup';
import type { LiteratureRecord, LiteratureSource, RecordAuthor, RecordNotice } from './types';

/** Which source's field wins when two records disagree: curated bibliographic sources first. */
const sourcePriority: readonly LiteratureSource[] = ['library', 'zotero', 'pubmed', 'europepmc', 'crossref', 'openalex'];

function priorityOf(record: LiteratureRecord): number {
  const ranks = record.sources.map((source) => sourcePriority.indexOf(source)).filter((rank) => rank >= 0);
  return ranks.length > 0 ? Math.min(...ranks) : sourcePriority.length;
}

/** The identifier keys of a record: `doi:…`, `pmid:…`, `pmcid:…`. */
export function identifierKeys(record: LiteratureRecord): string[] {
  const keys: string[] = [];
  const doi = normaliseDoi(record.doi);
  const pmid = normalisePmid(record.pmid);
  const pmcid = normalisePmcid(record.pmcid, true);
  if (doi) keys.push(`doi:${doi}`);
  if (pmid) keys.push(`pmid:${pmid}`);
  if (pmcid) keys.push(`pmcid:${pmcid.toUpperCase()}`);
  return keys;
}

/**
 * De-duplicates records across services. Groups keep the position of their first record; each merged
 * record holds the union of sources, identifiers, keywords and notices, is retracted when any source
 * says so, and takes the longest abstract and the best title.
 * @param records Records in rank order (e.g. interleaved service results).
 */
export function mergeRecords(records: readonly LiteratureRecord[]): LiteratureRecord[] {
  const parent = records.map((_, index) => index);
  const find = (index: number): number => {
    while (parent[index] !== index) {
      parent[index] = parent[parent[index]];
      index = parent[index];
    }
    return index;
  };
  const owner = new Map<string, number>();
  records.forEach((record, index) => {
    for (const key of identifierKeys(record)) {
      const seen = owner.get(key);
      if (seen === undefined) owner.set(key, index);
      else {
        const a = find(seen);
        const b = find(index);
        // The earlier record stays the root so the group keeps its first rank.
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  });
  const groups = new Map<number, LiteratureRecord[]>();
  records.forEach((record, index) => {
    const root = find(index);
    const group = groups.get(root);
    if (group) group.push(record);
    else groups.set(root, [record]);
  });
  return [...groups.keys()].sort((a, b) => a - b).map((root) => mergeGroup(groups.get(root) ?? []));
}

/**
 * Merges records already known to describe one work.
 * @param group At least one record.
 */
export function mergeGroup(group: readonly LiteratureRecord[]): LiteratureRecord {
  if (group.length === 1) return group[0];
  const byPriority = [...group].sort((a, b) => priorityOf(a) - priorityOf(b));
  const first = <T>(pick: (record: LiteratureRecord) => T | undefined): T | undefined => {
    for (const record of byPriority) {
      const value = pick(record);
      if (value !== undefined && value !== '') return value;
    }
    return undefined;
  };
  const sources: LiteratureSource[] = [];
  for (const record of group) for (const source of record.sources) if (!sources.includes(source)) sources.push(source);

  const notices: RecordNotice[] = [];
  const noticeKeys = new Set<string>();
  for (const record of byPriority) {
    for (const notice of record.notices) {
      const key = notice.id ? `${notice.kind}|${notice.id.toLowerCase()}` : `${notice.kind}|${notice.label.toLowerCase()}`;
      if (noticeKeys.has(key)) continue;
      noticeKeys.add(key);
      notices.push(notice);
    }
  }
  const keywords: string[] = [];
  const keywordKeys = new Set<string>();
  for (const record of byPriority) {
    for (const keyword of record.keywords ?? []) {
      const key = keyword.toLowerCase();
      if (!keywordKeys.has(key)) {
        keywordKeys.add(key);
        keywords.push(keyword);
      }
    }
  }
  const abstract = group.reduce<string | undefined>((best, record) => (record.abstract && record.abstract.length > (best?.length ?? 0) ? record.abstract : best), undefined);
  const authors = byPriority.reduce<readonly RecordAuthor[]>((best, record) => (record.authors.length > best.length ? record.authors : best), []);
  const doi = first((record) => normaliseDoi(record.doi));
  const pmid = first((record) => normalisePmid(record.pmid));
  const title = bestTitle(byPriority);
  const titleSpans = spansFor(title, byPriority);
  return {
    sources,
    libraryId: first((record) => record.libraryId),
    title,
    ...(titleSpans ? { titleSpans } : {}),
    authors,
    containerTitle: first((record) => record.containerTitle),
    year: first((record) => record.year),
    volume: first((record) => record.volume),
    issue: first((record) => record.issue),
    page: first((record) => record.page),
    doi,
    pmid,
    pmcid: first((record) => normalisePmcid(record.pmcid, true)),
    url: pmid ? `https://pubmed.ncbi.nlm.nih.gov/${pmid}/` : doi ? `https://doi.org/${doi}` : first((record) => record.url),
    abstract,
    keywords: keywords.length > 0 ? keywords : undefined,
    type: first((record) => record.type),
    retracted: group.some((record) => record.retracted),
    notices,
  };
}

/** The best title: not all capitals, not truncated, from the most curated source, then the longest. */
function bestTitle(byPriority: readonly LiteratureRecord[]): string {
  const score = (title: string): number => {
    const letters = title.replace(/[^A-Za-z]/g, '');
    const shouting = letters.length > 8 && letters === letters.toUpperCase() ? 1 : 0;
    const truncated = /(\.\.\.|…)$/.test(title) ? 1 : 0;
    return shouting * 2 + truncated;
  };
  let best = '';
  let bestScore = Number.POSITIVE_INFINITY;
  for (const record of byPriority) {
    const title = record.title.trim();
    if (!title) continue;
    const current = score(title);
    if (current < bestScore) {
      best = title;
      bestScore = current;
    }
  }
  return best;
}

/**
 * The formatting of the chosen title: from the first record whose spans spell exactly that title. The
 * library knows no formatting, so its title takes a service's spans when it is the same text.
 */
function spansFor(title: string, byPriority: readonly LiteratureRecord[]): readonly TitleSpan[] | undefined {
  for (const record of byPriority) if (record.titleSpans && plainTitle(record.titleSpans) === title) return record.titleSpans;
  return undefined;
}

/** Whether a record is marked retracted, by a flag or a retraction notice. */
export function isRetracted(record: LiteratureRecord): boolean {
  return record.retracted || record.notices.some((notice) => notice.kind === 'retraction');
}

/**
 * The retracted works seen so far in one search, so that every copy of such a work (same DOI, PMID or
 * PMCID) from another source carries the warning too: the author's library, for one, knows nothing of
 * retractions.
 */
export class RetractionIndex {
  private readonly byKey = new Map<string, LiteratureRecord>();

  /** Notes the retracted records among these. */
  add(records: Iterable<LiteratureRecord>): void {
    for (const record of records) {
      if (!isRetracted(record)) continue;
      for (const key of identifierKeys(record)) if (!this.byKey.has(key)) this.byKey.set(key, record);
    }
  }

  /**
   * The record itself when it is marked or no copy is known to be retracted; otherwise a copy of it
   * marked retracted, with the retraction notices of the source that said so.
   */
  mark(record: LiteratureRecord): LiteratureRecord {
    if (isRetracted(record)) return record;
    const retracted = identifierKeys(record)
      .map((key) => this.byKey.get(key))
      .find((candidate) => candidate !== undefined);
    if (!retracted) return record;
    return { ...record, retracted: true, notices: [...record.notices, ...retracted.notices.filter((notice) => notice.kind === 'retraction')] };
  }
}
