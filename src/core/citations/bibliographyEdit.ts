/**
 * Adding a record to the author's bibliography file: a stable citekey (`lecun2015deep`), reuse of
 * the existing entry when the record is already there (same DOI, PMID or PMCID), and the text edit
 * that appends it to a CSL JSON or BibTeX file in the file's own formatting. Pure functions.
 */
import * as l10n from '@vscode/l10n';
import type { LiteratureRecord } from '../literature/types';
import type { TextEdit } from '../manuscript/citations';
import { parseBibtexEntries } from '../literature/library/bibtex';
import { normaliseDoi, normalisePmcid, normalisePmid } from '../literature/library/cslJson';
import { bibtexTitle, cslTitle, parseTitleMarkup, plainTitle, titleSpansOf } from '../literature/titleMarkup';

const TITLE_SKIP = new Set(['a', 'an', 'the', 'on', 'of', 'in', 'for', 'and', 'to', 'towards', 'toward', 'from', 'with', 'is', 'are', 'at', 'by']);

function ascii(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[æ]/g, 'ae')
    .replace(/[ø]/g, 'o')
    .replace(/[ł]/g, 'l')
    .replace(/[^a-z0-9]/g, '');
}

/**
 * A stable citekey in the Better BibTeX / Google Scholar style: first author's family name, year and
 * first significant title word (`lecun2015deep`), de-duplicated with a, b, c… suffixes.
 * @param record The record.
 * @param existing Keys already in the bibliography (compared case-insensitively).
 */
export function makeCitekey(record: LiteratureRecord, existing: Iterable<string>): string {
  const first = record.authors[0];
  const name = ascii(first?.family ?? first?.literal?.split(/\s+/)[0] ?? '') || 'anon';
  const word = record.title.split(/[\s\-–:]+/).map(ascii).find((w) => w.length > 0 && !TITLE_SKIP.has(w)) ?? '';
  const base = `${name.slice(0, 30)}${record.year ?? 'nd'}${word.slice(0, 20)}`;
  const taken = new Set([...existing].map((k) => k.toLowerCase()));
  if (!taken.has(base)) return base;
  for (let i = 0; i < 26 * 27; i++) {
    const suffix = i < 26 ? String.fromCharCode(97 + i) : `${String.fromCharCode(97 + Math.floor(i / 26) - 1)}${String.fromCharCode(97 + (i % 26))}`;
    if (!taken.has(`${base}${suffix}`)) return `${base}${suffix}`;
  }
  return `${base}${Date.now()}`;
}

/** What a bibliography file already holds: keys and identifiers. */
export interface BibliographyContents {
  readonly format: 'csljson' | 'bibtex';
  readonly keys: readonly string[];
  /** Identifier (`doi:…`, `pmid:…`, `pmcid:…`, lower-case) → key. */
  readonly byIdentifier: ReadonlyMap<string, string>;
  /** Key → the entry's identifiers and title, to tell whether a record with the same key is the same work. */
  readonly entries: ReadonlyMap<string, { readonly identifiers: readonly string[]; readonly title?: string }>;
}

function identifierKeys(doi?: string, pmid?: string, pmcid?: string): string[] {
  const out: string[] = [];
  const d = normaliseDoi(doi);
  const p = normalisePmid(pmid);
  const c = normalisePmcid(pmcid);
  if (d) out.push(`doi:${d}`);
  if (p) out.push(`pmid:${p}`);
  if (c) out.push(`pmcid:${c.toLowerCase()}`);
  return out;
}

/**
 * Reads the keys and identifiers of a bibliography file's text.
 * @throws Error when a CSL JSON file is not valid JSON (the file must be fixed before anything is added).
 */
export function readBibliographyContents(text: string, format: 'csljson' | 'bibtex'): BibliographyContents {
  const keys: string[] = [];
  const byIdentifier = new Map<string, string>();
  const entries = new Map<string, { identifiers: string[]; title?: string }>();
  const add = (key: string, identifiers: string[], title: string | undefined) => {
    keys.push(key);
    for (const id of identifiers) if (!byIdentifier.has(id)) byIdentifier.set(id, key);
    if (!entries.has(key)) entries.set(key, title ? { identifiers, title } : { identifiers });
  };
  if (format === 'bibtex') {
    for (const entry of parseBibtexEntries(text).entries) add(entry.key, identifierKeys(entry.fields.doi, entry.fields.pmid, entry.fields.pmcid), entry.fields.title);
    return { format, keys, byIdentifier, entries };
  }
  const parsed: unknown = text.trim() === '' ? [] : JSON.parse(text.replace(/^\uFEFF/, ''));
  if (!Array.isArray(parsed)) throw new Error(l10n.t('The CSL JSON bibliography is not an array of items.'));
  for (const item of parsed) {
    if (!item || typeof item !== 'object') continue;
    const csl = item as Record<string, unknown>;
    if (typeof csl.id !== 'string' && typeof csl.id !== 'number') continue;
    const s = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
    add(String(csl.id), identifierKeys(s(csl.DOI), s(csl.PMID), s(csl.PMCID)), csl.title === undefined ? undefined : plainTitle(parseTitleMarkup(s(csl.title) ?? '')));
  }
  return { format, keys, byIdentifier, entries };
}

/**
 * Whether a record is the work of an entry with the same key: identifiers of the same kind must agree;
 * without any to compare, the titles must (a key alone proves nothing: another library may use it for another paper).
 */
function sameWork(record: LiteratureRecord, entry: { readonly identifiers: readonly string[]; readonly title?: string } | undefined): boolean {
  if (!entry) return true;
  const kind = (id: string) => id.slice(0, id.indexOf(':'));
  const comparable = identifierKeys(record.doi, record.pmid, record.pmcid).filter((id) => entry.identifiers.some((theirs) => kind(theirs) === kind(id)));
  if (comparable.length > 0) return comparable.some((id) => entry.identifiers.includes(id));
  return !entry.title || ascii(entry.title) === ascii(record.title);
}

/** The key of the entry that already holds this record (same key and work, or same DOI, PMID or PMCID), if any. */
export function findExistingKey(record: LiteratureRecord, contents: BibliographyContents): string | undefined {
  if (record.libraryId && contents.keys.includes(record.libraryId) && sameWork(record, contents.entries.get(record.libraryId))) return record.libraryId;
  for (const id of identifierKeys(record.doi, record.pmid, record.pmcid)) {
    const key = contents.byIdentifier.get(id);
    if (key) return key;
  }
  return undefined;
}

/** A record as a CSL JSON item with the given id (no abstract: the bibliography stays small). */
export function recordToCsl(record: LiteratureRecord, id: string): Record<string, unknown> {
  const item: Record<string, unknown> = { id, type: record.type ?? 'article-journal', title: cslTitle(writableSpans(record)) };
  if (record.authors.length > 0) item.author = record.authors.map((a) => ({ ...a }));
  if (record.containerTitle) item['container-title'] = record.containerTitle;
  if (isWritableYear(record.year)) item.issued = { 'date-parts': [[record.year]] };
  if (record.volume) item.volume = record.volume;
  if (record.issue) item.issue = record.issue;
  if (record.page) item.page = record.page;
  if (record.doi && isWritableDoi(record.doi)) item.DOI = record.doi;
  if (record.pmid && isWritablePmid(record.pmid)) item.PMID = record.pmid;
  if (record.pmcid && isWritablePmcid(record.pmcid)) item.PMCID = record.pmcid.toUpperCase();
  const url = record.url !== undefined ? writableWebUrl(record.url) : undefined;
  if (url) item.URL = url;
  return item;
}

function isWritableYear(year: number | undefined): year is number {
  return year !== undefined && Number.isInteger(year) && year > 0 && year < 3000;
}

/** The title's spans, without line breaks or control characters (a value cut across lines could start a line with `@`). */
function writableSpans(record: LiteratureRecord): ReturnType<typeof titleSpansOf> {
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  return titleSpansOf(record).map((span) => ({ ...span, text: span.text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ') }));
}

/** Whether a PMID is safe to write: 1 to 9 digits. */
export function isWritablePmid(pmid: string): boolean {
  return /^\d{1,9}$/.test(pmid);
}

/** Whether a PMCID is safe to write: `PMC` and 1 to 9 digits. */
export function isWritablePmcid(pmcid: string): boolean {
  return /^PMC\d{1,9}$/i.test(pmcid);
}

/**
 * The URL a service gave, when it is an http(s) address fit for a bibliography file; `undefined` for
 * anything else (`javascript:`, `file:`, `data:`, relative, with spaces or control characters).
 * @param url The candidate.
 */
export function writableWebUrl(url: string): string | undefined {
  // A reference manager or a Pandoc HTML build turns URL into a link the reader clicks.
  // eslint-disable-next-line no-control-regex -- control characters are what this rejects
  if (url.length > 2000 || /[\s"<>\\{}\u0000-\u001f\u007f]/.test(url)) return undefined;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.hostname !== '' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** The line break a file uses: CRLF, LF, or CR alone (old Mac files); LF for an empty file. */
export function lineBreakOf(text: string): '\r\n' | '\n' | '\r' {
  if (text.includes('\r\n')) return '\r\n';
  if (text.includes('\n')) return '\n';
  return text.includes('\r') ? '\r' : '\n';
}

/** Detects the indentation unit of a JSON text (`"  "`, `"\t"`, `" "`), or undefined for one-line JSON. */
function jsonIndent(text: string): string | undefined {
  const match = /\n([ \t]+)["{[]/.exec(text);
  if (!match) return undefined;
  const first = /^\[\s*\n([ \t]+)\{/.exec(text.trimStart());
  return first ? first[1] : match[1];
}

/** Orders an item's keys as the file's first item orders them; keys it lacks follow in their own order. */
function orderLike(item: Record<string, unknown>, order: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of order) if (key in item) out[key] = item[key];
  for (const [key, value] of Object.entries(item)) if (!(key in out)) out[key] = value;
  return out;
}

/**
 * The edit that appends a CSL item to a CSL JSON file, keeping its indentation, key order and line endings.
 * @param text The file's current text (may be empty).
 * @param item The item to append.
 */
export function appendCslItem(text: string, item: Record<string, unknown>): TextEdit {
  const eol = lineBreakOf(text);
  if (text.trim() === '' || /^\s*\[\s*\]\s*$/.test(text)) {
    const body = JSON.stringify([item], null, 2).replace(/\n/g, eol);
    return { start: 0, end: text.length, newText: `${body}${eol}` };
  }
  const parsed = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown[];
  const first = parsed.find((entry) => entry && typeof entry === 'object') as Record<string, unknown> | undefined;
  const ordered = first ? orderLike(item, Object.keys(first)) : item;
  const close = text.lastIndexOf(']');
  let lastContent = close - 1;
  while (lastContent >= 0 && /\s/.test(text[lastContent])) lastContent--;
  const indent = jsonIndent(text);
  if (indent === undefined) {
    // One-line JSON stays one line.
    return { start: lastContent + 1, end: lastContent + 1, newText: `,${JSON.stringify(ordered)}` };
  }
  const lines = JSON.stringify(ordered, null, indent).split('\n');
  const itemIndent = /\[\s*\n([ \t]*)\{/.exec(text)?.[1] ?? indent;
  const body = lines.map((line) => `${itemIndent}${line}`).join(eol);
  return { start: lastContent + 1, end: lastContent + 1, newText: `,${eol}${body}` };
}

/**
 * Whether a value is a DOI that is safe to write verbatim into a bibliography file: `10.` + registrant + `/` +
 * suffix, without whitespace, control characters, braces, quotes or backslashes (angle brackets stay: old SICI DOIs use them).
 * @param doi The candidate, already normalised (no `https://doi.org/` prefix).
 */
export function isWritableDoi(doi: string): boolean {
  // A service's DOI lands in the user's file; one brace would end the field and start an entry of the service's choosing.
  // eslint-disable-next-line no-control-regex -- control characters are what this rejects
  return /^10\.\d{4,9}(?:\.\d+)*\/[^\s{}"\\\u0000-\u001f\u007f]+$/.test(doi) && doi.length <= 300;
}

function bibEscape(value: string): string {
  // Line breaks and control characters go first: a value cut across lines could start a line with
  // `@`. Braces go next, so that those of `\textbackslash{}` stay; a double quote is brace-protected:
  // unprotected, it would end a `"…"` field of a file written with quotes. `~` and `^` are LaTeX's,
  // not the title's.
  return value
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/[{}]/g, '')
    .replace(/\\/g, '\\textbackslash{}')
    .replace(/([&%$#_])/g, '\\$1')
    .replace(/~/g, '\\textasciitilde{}')
    .replace(/\^/g, '\\textasciicircum{}')
    .replace(/"/g, '{"}');
}

/** BibTeX `author` value from record authors. */
function bibAuthors(record: LiteratureRecord): string {
  return record.authors
    .map((a) => (a.literal ? `{${bibEscape(a.literal)}}` : a.given ? `${bibEscape(a.family ?? '')}, ${bibEscape(a.given)}` : bibEscape(a.family ?? '')))
    .join(' and ');
}

const BIB_TYPE: Readonly<Record<string, string>> = {
  'article-journal': 'article', book: 'book', chapter: 'incollection', 'paper-conference': 'inproceedings', thesis: 'phdthesis', report: 'techreport',
};

/**
 * The edit that appends an entry to a BibTeX file, formatted like the file's existing entries
 * (field indentation, `=` spacing, field-name case, braces or quotes, blank lines between entries).
 * @param text The file's current text.
 * @param record The record.
 * @param key Its citekey.
 */
export function appendBibtexEntry(text: string, record: LiteratureRecord, key: string): TextEdit {
  const eol = lineBreakOf(text);
  // The layout sample is read with LF lines whatever the file uses.
  const sample = /@\w+\s*\{[^,\n]+,\s*\n([ \t]+)([A-Za-z]+)(\s*=\s*)([{"])/.exec(eol === '\r' ? text.replace(/\r/g, '\n') : text);
  const indent = sample?.[1] ?? '  ';
  const upper = sample ? sample[2] === sample[2].toUpperCase() && sample[2] !== sample[2].toLowerCase() : false;
  const equals = sample?.[3] ?? ' = ';
  const quote = sample?.[4] === '"';
  const typeCase = /@([A-Za-z]+)/.exec(text)?.[1];
  const typeUpper = typeCase ? typeCase === typeCase.toUpperCase() : false;
  const fields: [string, string][] = [];
  if (record.authors.length > 0) fields.push(['author', bibAuthors(record)]);
  // Italics, sub- and superscripts of the service's title become LaTeX commands, the text escaped.
  fields.push(['title', `{${bibtexTitle(writableSpans(record))}}`]);
  const type = BIB_TYPE[record.type ?? 'article-journal'] ?? 'article';
  if (record.containerTitle) fields.push([type === 'article' ? 'journal' : 'booktitle', bibEscape(record.containerTitle)]);
  if (isWritableYear(record.year)) fields.push(['year', String(record.year)]);
  if (record.volume) fields.push(['volume', bibEscape(record.volume)]);
  if (record.issue) fields.push(['number', bibEscape(record.issue)]);
  if (record.page) fields.push(['pages', bibEscape(record.page.replace(/[-–]+/, '--'))]);
  if (record.doi && isWritableDoi(record.doi)) fields.push(['doi', record.doi]);
  if (record.pmid && isWritablePmid(record.pmid)) fields.push(['pmid', record.pmid]);
  if (record.pmcid && isWritablePmcid(record.pmcid)) fields.push(['pmcid', record.pmcid.toUpperCase()]);
  const lines = fields.map(([name, value]) => `${indent}${upper ? name.toUpperCase() : name}${equals}${quote ? `"${value}"` : `{${value}}`}`);
  const typeName = typeUpper ? type.toUpperCase() : type;
  const entry = `@${typeName}{${key},${eol}${lines.join(`,${eol}`)}${eol}}${eol}`;
  const trimmedEnd = text.replace(/\s+$/, '').length;
  const separator = trimmedEnd === 0 ? '' : /\r?\n[ \t]*\r?\n\s*@|\r[ \t]*\r\s*@/.test(text) || !/@/.test(text) ? `${eol}${eol}` : eol;
  return { start: trimmedEnd, end: text.length, newText: `${separator}${entry}` };
}

/** The plan to cite a record from a bibliography file. */
export interface BibliographyPlan {
  readonly key: string;
  /** Absent when the record is already in the file (its key is reused). */
  readonly edit?: TextEdit;
}

/**
 * Chooses the key for a record and the edit that adds it to the bibliography file, or reuses the
 * existing entry's key (same library id, DOI, PMID or PMCID): never a duplicate.
 * @param text The bibliography file's text.
 * @param format Its format.
 * @param record The record to cite.
 */
export function planBibliographyEntry(text: string, format: 'csljson' | 'bibtex', record: LiteratureRecord): BibliographyPlan {
  const contents = readBibliographyContents(text, format);
  const existing = findExistingKey(record, contents);
  if (existing) return { key: existing };
  const key = record.libraryId && !contents.keys.some((k) => k.toLowerCase() === record.libraryId?.toLowerCase()) && /^[\w:.\-/]+$/.test(record.libraryId) ? record.libraryId : makeCitekey(record, contents.keys);
  const edit = format === 'csljson' ? appendCslItem(text, recordToCsl(record, key)) : appendBibtexEntry(text, record, key);
  return { key, edit };
}
