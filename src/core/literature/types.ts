/**
 * The record every literature source returns: a subset of CSL JSON plus the
 * identifiers and notices Biowrite needs. Nothing here is ever written by an
 * LLM: each record comes from a service response or the author's library.
 */

import type { TitleSpan } from '../../shared/protocol';

/**
 * Where a record came from. Mirrors `SourceName` in the webview protocol, plus `arxiv`, which only the
 * identifier lookups of the reference audit query (the search panel never shows it).
 */
export type LiteratureSource = 'library' | 'zotero' | 'pubmed' | 'europepmc' | 'crossref' | 'openalex' | 'arxiv';

/** An author as CSL JSON names it. */
export interface RecordAuthor {
  readonly family?: string;
  readonly given?: string;
  /** For consortia and other names that are not split. */
  readonly literal?: string;
}

/** A retraction, correction or expression of concern attached to a record. */
export interface RecordNotice {
  readonly kind: 'retraction' | 'correction' | 'expressionOfConcern' | 'other';
  /** The notice's own DOI or PMID, when the service gives one. */
  readonly id?: string;
  readonly label: string;
}

/** The published version of a preprint, as the preprint's own record states it. */
export interface PublishedVersion {
  /** Lower-cased, without `https://doi.org/` (optional: some services give only a citation or an id). */
  readonly doi?: string;
  /** Where the statement comes from and what it says, e.g. `Crossref: published as doi:10.1038/…`. */
  readonly label: string;
}

/** One bibliographic record, as returned by a service or read from the library. */
export interface LiteratureRecord {
  /** Which source returned it (after merging: every source that did). */
  readonly sources: readonly LiteratureSource[];
  /** The library's own id (CSL `id` or BibTeX key), for library and Zotero records. */
  readonly libraryId?: string;
  /** Plain text, without markup: what search, de-duplication and plain-text references use. */
  readonly title: string;
  /**
   * The title with its inline formatting (italics, sub- and superscripts…), when the service sent any;
   * the texts together spell `title` (see `titleMarkup.ts`; absent in records written before it existed).
   */
  readonly titleSpans?: readonly TitleSpan[];
  readonly authors: readonly RecordAuthor[];
  readonly containerTitle?: string;
  readonly year?: number;
  readonly volume?: string;
  readonly issue?: string;
  readonly page?: string;
  /** Lower-cased, without `https://doi.org/`. */
  readonly doi?: string;
  readonly pmid?: string;
  /** With the `PMC` prefix. */
  readonly pmcid?: string;
  readonly url?: string;
  readonly abstract?: string;
  readonly keywords?: readonly string[];
  /** CSL type, e.g. `article-journal` (optional; default: `article-journal`). */
  readonly type?: string;
  readonly retracted: boolean;
  readonly notices: readonly RecordNotice[];
  /** The published version, when this record is a preprint that says it was published (optional). */
  readonly publishedVersion?: PublishedVersion;
}
