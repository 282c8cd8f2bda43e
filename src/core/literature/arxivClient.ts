/**
 * arXiv's API (`/api/query?id_list=…`, an Atom feed), for looking up preprints by their arXiv id: title,
 * authors, abstract, first-version year, and the DOI of the published version (`<arxiv:doi>`) when the
 * authors recorded one. arXiv asks for no more than one request every three seconds (see `defaultRateLimit`).
 */
import * as l10n from '@vscode/l10n';
import { buildUrl, createServiceHttp, type ClientCommonOptions } from './client';
import { LiteratureServiceError, serviceLabels, type ServiceHttp } from './http';
import { normaliseArxivId, normaliseDoi, splitDisplayName, yearOf } from './normalize';
import type { LiteratureRecord, PublishedVersion, RecordAuthor } from './types';
import { childElement, childElements, textOf, type XmlElement } from './xml';

/** The default arXiv API base URL. */
export const defaultArxivBaseUrl = 'https://export.arxiv.org';

/** Most ids in one `id_list` request of {@link ArxivClient.byIds}. */
export const arxivIdBatchSize = 100;

/** Options of {@link ArxivClient}. */
export type ArxivClientOptions = { readonly baseUrl?: string } & ClientCommonOptions;

/** An arXiv client: identifier lookups only (arXiv is not one of the searched services). */
export class ArxivClient {
  /** Which service it queries. */
  readonly service = 'arxiv' as const;
  private readonly http: ServiceHttp;
  private readonly baseUrl: string;

  /** @param options Base URL (optional; default: {@link defaultArxivBaseUrl}) and transport. */
  constructor(options: ArxivClientOptions = {}) {
    this.baseUrl = options.baseUrl || defaultArxivBaseUrl;
    this.http = createServiceHttp('arxiv', options, false, l10n.t('arXiv allows one request every three seconds; wait a minute and try again.'));
  }

  /**
   * Looks up preprints by arXiv id, {@link arxivIdBatchSize} per request. Ids arXiv does not know are absent
   * from the result; malformed ids are never sent (arXiv answers them with an error entry).
   * @param ids arXiv ids in any form {@link normaliseArxivId} reads (duplicates and versions are dropped).
   * @param signal Cancels the requests.
   * @returns The records found, in no particular order.
   * @throws LiteratureServiceError on any failure.
   */
  async byIds(ids: readonly string[], signal: AbortSignal): Promise<LiteratureRecord[]> {
    const unique = [...new Set(ids.map(normaliseArxivId).filter((id): id is string => id !== undefined))];
    const records: LiteratureRecord[] = [];
    for (let start = 0; start < unique.length; start += arxivIdBatchSize) {
      const batch = unique.slice(start, start + arxivIdBatchSize);
      const url = buildUrl(this.baseUrl, '/api/query', { id_list: batch.join(','), max_results: batch.length });
      const root = await this.http.xml({ url, signal });
      records.push(...parseArxivFeed(root));
    }
    return records;
  }
}

/**
 * Parses an arXiv Atom feed into records; error entries (`<title>Error</title>`, an `…/api/errors…` id) and
 * entries without an arXiv id or title are skipped.
 * @param root The parsed `<feed>`.
 * @throws LiteratureServiceError when the document is not a feed.
 */
export function parseArxivFeed(root: XmlElement): LiteratureRecord[] {
  if (localName(root.name) !== 'feed') {
    throw new LiteratureServiceError(
      'arxiv',
      'badResponse',
      l10n.t('{0} sent an unexpected answer: {1}. Try again; if it persists, check the {0} base URL.', serviceLabels.arxiv, `<${root.name}>`),
    );
  }
  return root.children.flatMap((child) => {
    if (typeof child === 'string' || localName(child.name) !== 'entry') return [];
    const record = parseArxivEntry(child);
    return record ? [record] : [];
  });
}

/**
 * Parses one Atom `<entry>`; `undefined` for an error entry or one without an arXiv id or title.
 * @param entry The element.
 */
export function parseArxivEntry(entry: XmlElement): LiteratureRecord | undefined {
  const idText = textOf(child(entry, 'id'));
  // Plain text (TeX kept as written), broken over lines: `textOf` collapses the whitespace.
  const title = textOf(child(entry, 'title'));
  if (/\/api\/errors/i.test(idText) || /^error$/i.test(title)) return undefined;
  const id = /arxiv\.org\/abs\//i.test(idText) ? normaliseArxivId(idText) : undefined;
  if (!id || !title) return undefined;
  const authors: RecordAuthor[] = childElements(entry)
    .filter((element) => localName(element.name) === 'author')
    .flatMap((author): RecordAuthor[] => {
      const name = textOf(child(author, 'name'));
      return name ? [splitDisplayName(name)] : [];
    });
  const abstract = textOf(child(entry, 'summary'));
  const publishedDoi = textOf(childElement(entry, 'arxiv:doi'))
    .split(/\s+/)
    .map(normaliseDoi)
    .find((doi) => doi !== undefined);
  const journalRef = textOf(childElement(entry, 'arxiv:journal_ref'));
  let publishedVersion: PublishedVersion | undefined;
  if (publishedDoi) {
    publishedVersion = {
      doi: publishedDoi,
      label: journalRef
        ? l10n.t('{0}: published as doi:{1} ({2})', serviceLabels.arxiv, publishedDoi, journalRef)
        : l10n.t('{0}: published as doi:{1}', serviceLabels.arxiv, publishedDoi),
    };
  } else if (journalRef) {
    publishedVersion = { label: l10n.t('{0}: published in {1}', serviceLabels.arxiv, journalRef) };
  }
  return {
    sources: ['arxiv'],
    title,
    authors,
    containerTitle: 'arXiv',
    year: yearOf(textOf(child(entry, 'published'))),
    doi: `10.48550/arxiv.${id}`,
    url: `https://arxiv.org/abs/${id}`,
    abstract: abstract || undefined,
    type: 'article',
    retracted: false,
    notices: [],
    ...(publishedVersion ? { publishedVersion } : {}),
  };
}

/** An element name without its namespace prefix (`atom:entry` → `entry`). */
function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

/** The first child whose local name is `name` (Atom elements may carry a prefix). */
function child(element: XmlElement, name: string): XmlElement | undefined {
  return childElements(element).find((item) => localName(item.name) === name);
}
