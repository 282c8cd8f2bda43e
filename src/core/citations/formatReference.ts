/**
 * Formats a record as a reference in Vancouver (ICMJE/NLM) or APA 7 style, by hand from the
 * record's CSL-like fields: citation-js and a CSL processor would add about 1 MB to the bundle
 * for two styles, so these two are written out here.
 */
import type { LiteratureRecord, RecordAuthor } from '../literature/types';

/** The reference styles offered by "Copy as reference". */
export type ReferenceStyle = 'vancouver' | 'apa';

function initials(given: string, withDots: boolean): string {
  return given
    .split(/\s+/)
    .filter((part) => part.length > 0)
    .map((part) =>
      part
        .split('-')
        .map((piece) => (piece[0] ? `${piece[0].toUpperCase()}${withDots ? '.' : ''}` : ''))
        .join('-'),
    )
    .join(withDots ? ' ' : '');
}

function vancouverName(author: RecordAuthor): string {
  if (author.literal) return author.literal;
  return author.given ? `${author.family ?? ''} ${initials(author.given, false)}`.trim() : (author.family ?? '');
}

function apaName(author: RecordAuthor): string {
  if (author.literal) return author.literal;
  return author.given ? `${author.family ?? ''}, ${initials(author.given, true)}` : (author.family ?? '');
}

function endWithPeriod(text: string): string {
  const trimmed = text.trim();
  return /[.?!]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Vancouver: `Smith J, Jones AB. Title. Journal. 2020;12(3):45-67. doi:10.x. PMID: 1.` (six authors, then "et al."). */
export function formatVancouver(record: LiteratureRecord): string {
  const parts: string[] = [];
  const names = record.authors.map(vancouverName).filter((n) => n.length > 0);
  if (names.length > 0) parts.push(`${names.length > 6 ? `${names.slice(0, 6).join(', ')}, et al` : names.join(', ')}.`);
  parts.push(endWithPeriod(record.title));
  let source = '';
  if (record.containerTitle) source += `${record.containerTitle.replace(/\.$/, '')}.`;
  if (record.year !== undefined) {
    source += ` ${record.year}`;
    if (record.volume) source += `;${record.volume}`;
    if (record.issue) source += `(${record.issue})`;
    if (record.page) source += `:${record.page}`;
    source += '.';
  }
  if (source.trim()) parts.push(source.trim());
  if (record.doi) parts.push(`doi:${record.doi}.`);
  if (record.pmid) parts.push(`PMID: ${record.pmid}.`);
  if (record.pmcid) parts.push(`PMCID: ${record.pmcid}.`);
  return parts.join(' ');
}

/** APA 7: `Smith, J., & Jones, A. B. (2020). Title. Journal, 12(3), 45–67. https://doi.org/10.x` (20 authors, then "…" and the last). */
export function formatApa(record: LiteratureRecord): string {
  const names = record.authors.map(apaName).filter((n) => n.length > 0);
  let authors = '';
  if (names.length === 1) authors = names[0];
  else if (names.length > 1 && names.length <= 20) authors = `${names.slice(0, -1).join(', ')}, & ${names[names.length - 1]}`;
  else if (names.length > 20) authors = `${names.slice(0, 19).join(', ')}, … ${names[names.length - 1]}`;
  const year = `(${record.year ?? 'n.d.'}).`;
  const head = authors ? `${endWithPeriod(authors)} ${year}` : `${endWithPeriod(record.title)} ${year}`;
  const parts = [head];
  if (authors) parts.push(endWithPeriod(record.title));
  if (record.containerTitle) {
    let source = record.containerTitle.replace(/\.$/, '');
    if (record.volume) source += `, ${record.volume}`;
    if (record.issue) source += `(${record.issue})`;
    if (record.page) source += `, ${record.page.replace(/-+/, '–')}`;
    parts.push(`${source}.`);
  }
  if (record.doi) parts.push(`https://doi.org/${record.doi}`);
  else if (record.pmid) parts.push(`https://pubmed.ncbi.nlm.nih.gov/${record.pmid}/`);
  return parts.join(' ');
}

/** Formats a record in the given style. */
export function formatReference(record: LiteratureRecord, style: ReferenceStyle): string {
  switch (style) {
    case 'vancouver':
      return formatVancouver(record);
    case 'apa':
      return formatApa(record);
  }
}

/** The link to a record on a service, built only from validated identifiers; undefined when it has none. */
export function recordLink(record: LiteratureRecord, target: 'pubmed' | 'doi' | 'pmc'): string | undefined {
  switch (target) {
    case 'pubmed':
      return record.pmid && /^\d{1,9}$/.test(record.pmid) ? `https://pubmed.ncbi.nlm.nih.gov/${record.pmid}/` : undefined;
    case 'doi':
      return record.doi && /^10\.\d{4,9}\/[^\s]+$/.test(record.doi) ? `https://doi.org/${record.doi.split('/').map((part, i) => (i === 0 ? part : encodeURIComponent(part))).join('/')}` : undefined;
    case 'pmc':
      return record.pmcid && /^PMC\d{1,9}$/.test(record.pmcid) ? `https://pmc.ncbi.nlm.nih.gov/articles/${record.pmcid}/` : undefined;
  }
}
