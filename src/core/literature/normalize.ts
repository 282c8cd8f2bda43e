/**
 * Identifier and text normalisation shared by the online clients and the merger.
 */
import { parseTitleMarkup, plainTitle } from './titleMarkup';
import type { RecordAuthor } from './types';

/**
 * A DOI lower-cased, without `https://doi.org/`, `doi:` or surrounding spaces; `undefined` when it is not one.
 * @param value A DOI in any usual spelling (optional).
 */
export function normaliseDoi(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value
    .trim()
    .replace(/^(?:https?:\/\/)?(?:dx\.)?doi\.org\//i, '')
    .replace(/^doi:\s*/i, '')
    .trim()
    .toLowerCase();
  // Braces, quotes and backslashes never occur in registered DOIs, and would break out of a BibTeX field.
  // eslint-disable-next-line no-control-regex -- control characters are what this rejects
  return /^10\.\d+(\.\d+)*\/[^\s{}"\\\u0000-\u001f\u007f]+$/.test(trimmed) && trimmed.length <= 300 ? trimmed : undefined;
}

/**
 * A PMID as digits, from `12345`, `PMID:12345` or `https://pubmed.ncbi.nlm.nih.gov/12345`; `undefined` otherwise.
 * @param value A PMID (optional).
 */
export function normalisePmid(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return String(value);
  if (typeof value !== 'string') return undefined;
  const match = /^(?:pmid:?\s*|https?:\/\/(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov\/pubmed)\/)?(\d{1,9})\/?$/i.exec(value.trim());
  return match && match[1] !== '0' ? match[1].replace(/^0+/, '') : undefined;
}

/**
 * A PMCID with its `PMC` prefix, from `PMC123`, `123` (when `bareDigits`) or a PMC article URL, including
 * OpenAlex's form without the prefix (`https://www.ncbi.nlm.nih.gov/pmc/articles/5815332`); `undefined` otherwise.
 * @param value A PMCID (optional).
 * @param bareDigits Accept digits without the prefix (optional; default: false).
 */
export function normalisePmcid(value: unknown, bareDigits = false): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  const match = /(?:^|\/)PMC(\d{1,10})\/?$/i.exec(text) ?? /\/pmc\/articles\/(\d{1,10})\/?$/i.exec(text);
  if (match) return `PMC${match[1]}`;
  if (bareDigits && /^\d{1,10}$/.test(text)) return `PMC${text}`;
  return undefined;
}

/**
 * An arXiv identifier without its version, from `1803.01271`, `1803.01271v2`, `arXiv:1803.01271`, an arXiv
 * `abs` or `pdf` URL, the DataCite DOI `10.48550/arXiv.1803.01271`, or an old-style id (`hep-th/9901001`,
 * `math.GT/0309136`); `undefined` otherwise. Old-style ids come back with the archive lower-cased and without
 * the subject class (`math/0309136`), as arXiv itself writes them.
 * @param value An arXiv identifier in any usual spelling (optional).
 */
export function normaliseArxivId(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 300) return undefined;
  const text = value
    .trim()
    .replace(/^(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf)\//i, '')
    .replace(/^(?:https?:\/\/)?(?:dx\.)?doi\.org\//i, '')
    .replace(/^(?:doi:\s*)?10\.48550\/arxiv\./i, '')
    .replace(/^arxiv:\s*/i, '')
    .replace(/\/$/, '')
    .replace(/\.pdf$/i, '');
  const modern = /^(\d{2})(\d{2})\.(\d{4,5})(?:v\d+)?$/i.exec(text);
  if (modern) {
    const yymm = Number(modern[1]) * 100 + Number(modern[2]);
    const month = Number(modern[2]);
    // The scheme began in April 2007 with four-digit numbers; five digits since January 2015.
    const digitsOk = yymm >= 1501 ? modern[3].length === 5 : modern[3].length === 4 && yymm >= 704;
    return month >= 1 && month <= 12 && digitsOk ? `${modern[1]}${modern[2]}.${modern[3]}` : undefined;
  }
  const old = /^([a-z]+(?:-[a-z]+)?)(?:\.[a-z]{2})?\/(\d{2})(\d{2})(\d{3})(?:v\d+)?$/i.exec(text);
  if (old) {
    const month = Number(old[3]);
    return month >= 1 && month <= 12 ? `${old[1].toLowerCase()}/${old[2]}${old[3]}${old[4]}` : undefined;
  }
  return undefined;
}

/**
 * Markup (HTML or JATS, with or without the `jats:` prefix, possibly entity-encoded) to plain text: entities
 * decoded first, then tags dropped, block elements separated by a space, scripts and styles removed with
 * their content, whitespace collapsed (see `parseTitleMarkup`). Never interprets the markup.
 * @param markup The text with markup (optional).
 */
export function markupToText(markup: string | undefined): string {
  return plainTitle(parseTitleMarkup(markup));
}

/**
 * A JATS abstract to plain text, without the leading “Abstract” heading Crossref deposits carry.
 * @param jats The JATS fragment (optional).
 */
export function jatsAbstractToText(jats: string | undefined): string {
  if (!jats) return '';
  const withoutHeading = jats.replace(/^\s*<(?:jats:)?title>\s*(?:abstract|summary)\s*<\/(?:jats:)?title>/i, '');
  return markupToText(withoutHeading).replace(/^(?:abstract|summary)\s*[:.]?\s+(?=[A-Z])/i, '');
}

const nameSuffix = /^(?:jr|sr|ii|iii|iv)\.?$/i;

/**
 * Splits a display name (“Jonathan D. Schoenfeld”) into CSL family and given names; one word stays literal.
 * @param name The display name.
 */
export function splitDisplayName(name: string): RecordAuthor {
  const clean = name.replace(/\s+/g, ' ').trim();
  if (clean.includes(',')) {
    const [family, ...given] = clean.split(',');
    return { family: family.trim(), given: given.join(',').trim() || undefined };
  }
  const parts = clean.split(' ');
  if (parts.length < 2) return { literal: clean };
  // Family-name particles stay with the family name: “Ludwig van Beethoven” → family “van Beethoven”.
  // A generational suffix belongs to the family name: “Timothy F. Truong Jr” → family “Truong Jr”.
  let familyStart = parts.length - 1;
  if (familyStart > 1 && nameSuffix.test(parts[familyStart])) familyStart--;
  while (familyStart > 1 && /^(?:van|von|der|den|de|del|della|di|da|du|la|le|dos|das|ter|ten|bin|ibn|al)$/i.test(parts[familyStart - 1])) familyStart--;
  return { family: parts.slice(familyStart).join(' '), given: parts.slice(0, familyStart).join(' ') };
}

/**
 * A year from a number or the first four-digit year in a string; `undefined` when there is none.
 * @param value A year, a date string or a CSL date-parts value (optional).
 */
export function yearOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value > 1000 && value < 3000) return value;
  if (typeof value === 'string') {
    const match = /\b(1[5-9]\d\d|20\d\d)\b/.exec(value);
    return match ? Number(match[1]) : undefined;
  }
  if (Array.isArray(value) && value.length > 0) return yearOf(Array.isArray(value[0]) ? value[0][0] : value[0]);
  return undefined;
}

/** A trimmed string, or `undefined` for empty and non-string values. */
export function stringOrUndefined(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? undefined : trimmed;
}
