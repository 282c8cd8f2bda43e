/**
 * Turns records into the panel's result items: authors for display, an abstract snippet around the
 * query's words, the words to mark, and the notice of a retracted or corrected record.
 */
import * as l10n from '@vscode/l10n';
import type { SourceName, SourceResultItem } from '../../shared/protocol';
import { highlightWords } from './library/tokenize';
import type { LiteratureRecord } from './types';

/** Display form of an author: `Smith J`, or the literal name. */
export function displayAuthor(author: LiteratureRecord['authors'][number]): string {
  if (author.literal) return author.literal;
  const initials = (author.given ?? '')
    .split(/[\s.-]+/)
    .filter((p) => p.length > 0)
    .map((p) => p[0].toUpperCase())
    .join('');
  return `${author.family ?? ''}${initials ? ` ${initials}` : ''}`.trim();
}

/**
 * The part of an abstract (about `length` characters, cut at word boundaries) holding the most
 * query words; the start of the abstract when none match.
 */
export function abstractSnippet(abstract: string | undefined, words: readonly string[], length = 320): string | undefined {
  if (!abstract) return undefined;
  const text = abstract.replace(/\s+/g, ' ').trim();
  if (text.length <= length) return text;
  const lower = text.toLowerCase();
  const positions: number[] = [];
  for (const word of words) {
    let at = lower.indexOf(word);
    while (at >= 0) {
      positions.push(at);
      at = lower.indexOf(word, at + word.length);
    }
  }
  positions.sort((a, b) => a - b);
  let bestStart = 0;
  let bestCount = -1;
  for (let i = 0, j = 0; i < positions.length; i++) {
    while (positions[j] < positions[i] - length * 0.8) j++;
    if (i - j + 1 > bestCount) {
      bestCount = i - j + 1;
      bestStart = Math.max(0, positions[j] - 40);
    }
  }
  let start = bestStart;
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space < 0 ? start : space + 1;
  }
  let end = Math.min(text.length, start + length);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    end = space > start ? space : end;
  }
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

/** A short notice for a record's retraction, correction or expression of concern. */
export function recordNotice(record: LiteratureRecord): string | undefined {
  const retraction = record.notices.find((n) => n.kind === 'retraction');
  if (record.retracted || retraction) return retraction?.label ?? l10n.t('This paper has been retracted.');
  const other = record.notices[0];
  return other?.label;
}

/**
 * One result item for the panel.
 * @param id The item's id within its search.
 * @param record The record (from a service or the library: never from the LLM).
 * @param score Its score.
 * @param query The query text (its words are marked in the snippet).
 * @param explanation The LLM's explanation, already cleaned (optional).
 */
export function toResultItem(id: string, record: LiteratureRecord, score: number, query: string, explanation?: string): SourceResultItem {
  const words = highlightWords(query);
  const snippet = abstractSnippet(record.abstract, words);
  const notice = recordNotice(record);
  return {
    id,
    title: record.title,
    ...(record.titleSpans ? { titleSpans: record.titleSpans } : {}),
    authors: record.authors.map(displayAuthor).filter((a) => a.length > 0),
    ...(record.containerTitle ? { journal: record.containerTitle } : {}),
    ...(record.year !== undefined ? { year: record.year } : {}),
    ...(record.doi ? { doi: record.doi } : {}),
    ...(record.pmid ? { pmid: record.pmid } : {}),
    ...(record.pmcid ? { pmcid: record.pmcid } : {}),
    ...(snippet ? { snippet } : {}),
    highlightTerms: words,
    sources: record.sources.filter((s): s is SourceName => ['library', 'zotero', 'pubmed', 'europepmc', 'crossref', 'openalex'].includes(s)),
    retracted: record.retracted || record.notices.some((n) => n.kind === 'retraction'),
    ...(notice ? { notice } : {}),
    ...(explanation ? { explanation } : {}),
    score,
  };
}
