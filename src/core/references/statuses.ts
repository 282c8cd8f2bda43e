/**
 * The reference audit's fixed vocabulary of statuses, and the shape of its results.
 */
import type { LiteratureRecord } from '../literature/types';

/** Every status an entry can get, in the order they are reported. */
export const REFERENCE_STATUSES = [
  'not-found',
  'identifier-mismatch',
  'retracted',
  'concern',
  'metadata-mismatch',
  'corrected',
  'preprint-published',
  'undefined',
  'duplicate',
  'unused',
  'unverifiable',
  'verified',
] as const;

/** One status of the audit's vocabulary. */
export type ReferenceStatus = (typeof REFERENCE_STATUSES)[number];

/** Statuses that say the reference may not be real: the cited work does not exist as cited. */
export const FABRICATION_STATUSES: ReadonlySet<ReferenceStatus> = new Set(['not-found', 'identifier-mismatch']);

/** Statuses that need no action from the author. */
export const CLEAN_STATUSES: ReadonlySet<ReferenceStatus> = new Set(['verified', 'unverifiable']);

/** How much a status matters: errors for what may be fabricated or retracted, warnings for mistakes and notices, information for the rest. */
export function statusSeverity(status: ReferenceStatus): 'error' | 'warning' | 'information' {
  switch (status) {
    case 'not-found':
    case 'identifier-mismatch':
    case 'retracted':
    case 'undefined':
      return 'error';
    case 'concern':
    case 'metadata-mismatch':
    case 'corrected':
    case 'preprint-published':
    case 'duplicate':
    case 'unused':
      return 'warning';
    case 'unverifiable':
    case 'verified':
      return 'information';
  }
}

/** The fields of an entry that may disagree with the resolved record. */
export type ReferenceField = 'title' | 'author' | 'year' | 'container-title' | 'page' | 'volume' | 'DOI' | 'PMID' | 'PMCID' | 'arXiv';

/** Where a citation of a key is, in one manuscript. */
export interface CitationLocation {
  readonly file: string;
  /** UTF-16 offset of the key in the manuscript's text, and its length. */
  readonly offset: number;
  readonly length: number;
}

/** Where an entry is, in its bibliography file. */
export interface EntryLocation {
  readonly file: string;
  /** UTF-16 offset of the key in the file, -1 when it could not be found. */
  readonly offset: number;
  readonly length: number;
}

/** The verdict on one bibliography entry (or one cited key that has none). */
export interface ReferenceFinding {
  readonly key: string;
  /** At least one status; `verified` or `unverifiable` alone when there is nothing to do. */
  readonly statuses: readonly ReferenceStatus[];
  /** Fields of the entry that disagree with the resolved record. */
  readonly fields: readonly ReferenceField[];
  /** One line for the author: what is wrong and what to do. */
  readonly message: string;
  /** The record the services returned for it, when one was found (every field a service's, never invented). */
  readonly resolved?: LiteratureRecord;
  /** The published version of a preprint (DOI), for `preprint-published`. */
  readonly publishedDoi?: string;
  /** The other keys of the same work, for `duplicate`. */
  readonly duplicateOf?: readonly string[];
  /** The entry in its bibliography file (absent for `undefined` keys and Manubot identifiers). */
  readonly entry?: EntryLocation;
  /** Where the key is cited in the manuscripts. */
  readonly citations: readonly CitationLocation[];
  /** Which services were asked and answered (for "what could not be checked"). */
  readonly checkedWith: readonly string[];
}

/** Counts of an audit. */
export interface ReferenceSummary {
  readonly entries: number;
  /** Entries per status (an entry with two statuses counts in both). */
  readonly statuses: Readonly<Partial<Record<ReferenceStatus, number>>>;
  /** Entries with at least one status that is not `verified` or `unverifiable`. */
  readonly withFindings: number;
  /** Services that could not be reached, with the error each gave. */
  readonly unreachable: readonly { readonly service: string; readonly message: string }[];
  /** Whether online services were asked at all. */
  readonly online: boolean;
}

/** The result of auditing a manuscript's bibliography. */
export interface ReferenceAudit {
  readonly findings: readonly ReferenceFinding[];
  readonly summary: ReferenceSummary;
}
