/**
 * Reads CSL JSON bibliographies (Pandoc, Manubot, Zotero exports), and CSL YAML ones, into {@link LiteratureRecord}s.
 */
import * as l10n from '@vscode/l10n';
import { parse as parseYaml } from 'yaml';
import type { LiteratureRecord, RecordAuthor } from '../types';

/** A problem found while reading a bibliography file: the entry is skipped, the rest is kept. */
export interface LibraryWarning {
  /** 1-based line in the file, when known. */
  readonly line?: number;
  readonly message: string;
}

/** What reading one bibliography file gives. */
export interface LibraryReadResult {
  readonly records: LiteratureRecord[];
  readonly warnings: LibraryWarning[];
}

/** Thrown when a whole file cannot be read (not JSON, wrong shape). */
export class LibraryFormatError extends Error {
  /**
   * @param message What is wrong, with a next step.
   * @param line 1-based line of the problem, when known (optional).
   */
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'LibraryFormatError';
  }
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed.length > 0 ? trimmed : undefined;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Normalises a DOI: lower-case, no resolver prefix, no `doi:`. */
export function normaliseDoi(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const doi = value
    .trim()
    .replace(/^https?:\/\/(?:dx\.)?doi\.org\//i, '')
    .replace(/^doi:\s*/i, '')
    .toLowerCase();
  // eslint-disable-next-line no-control-regex -- control characters are what this rejects
  return /^10\.\d{4,9}\/[^\s{}"\\\u0000-\u001f\u007f]+$/.test(doi) ? doi : undefined;
}

/** Normalises a PMID: digits only. */
export function normalisePmid(value: string | undefined): string | undefined {
  const pmid = value?.trim().replace(/^pmid:\s*/i, '');
  return pmid && /^\d{1,9}$/.test(pmid) ? pmid : undefined;
}

/** Normalises a PMCID: `PMC` + digits. */
export function normalisePmcid(value: string | undefined): string | undefined {
  const pmcid = value?.trim().replace(/^pmcid:\s*/i, '').toUpperCase();
  if (!pmcid) return undefined;
  if (/^PMC\d{1,9}$/.test(pmcid)) return pmcid;
  return /^\d{1,9}$/.test(pmcid) ? `PMC${pmcid}` : undefined;
}

function cslYear(item: Record<string, unknown>): number | undefined {
  for (const key of ['issued', 'published-print', 'published-online', 'created']) {
    const date = item[key];
    if (date && typeof date === 'object') {
      const parts = (date as { 'date-parts'?: unknown })['date-parts'];
      if (Array.isArray(parts) && Array.isArray(parts[0])) {
        const year = Number(parts[0][0]);
        if (Number.isInteger(year) && year > 0) return year;
      }
      const raw = str((date as { raw?: unknown; literal?: unknown }).raw) ?? str((date as { literal?: unknown }).literal);
      const match = raw?.match(/\b(1[5-9]\d\d|20\d\d)\b/);
      if (match) return Number(match[1]);
    }
  }
  return undefined;
}

function cslAuthors(value: unknown): RecordAuthor[] {
  if (!Array.isArray(value)) return [];
  const authors: RecordAuthor[] = [];
  for (const entry of value) {
    if (!entry || typeof entry !== 'object') continue;
    const name = entry as Record<string, unknown>;
    const family = str(name.family);
    const given = str(name.given);
    const literal = str(name.literal);
    if (family || given) authors.push({ ...(family ? { family } : {}), ...(given ? { given } : {}) });
    else if (literal) authors.push({ literal });
  }
  return authors;
}

function stripMarkup(text: string): string {
  return text.replace(/<\/?[a-zA-Z][^>]*>/g, '').replace(/\s+/g, ' ').trim();
}

/** A URL without its scheme, `www.` and trailing slash, as a stand-in title (undefined when there is none). */
export function displayUrl(url: string | undefined): string | undefined {
  const shown = url?.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^www\./i, '').replace(/\/+$/, '');
  return shown ? shown : undefined;
}

/**
 * Converts one CSL JSON item to a record; undefined (with a reason) when it has no id, or nothing to show as its title
 * (no title, short title, journal, URL or DOI).
 * @param item The parsed CSL item.
 * @param source Where it came from (optional; default: `library`).
 */
export function cslItemToRecord(item: unknown, source: 'library' | 'zotero' = 'library'): LiteratureRecord | string {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return l10n.t('not a CSL item (expected an object)');
  const csl = item as Record<string, unknown>;
  const id = str(csl.id);
  if (!id) return l10n.t('CSL item without an "id"');
  // Manubot writes a web page whose metadata it could not fetch without a title; it is still citable,
  // so it is kept under its short title, journal, URL or DOI (the URL's words are searchable too).
  const title = str(csl.title) ?? str(csl['title-short']) ?? str(csl['container-title']) ?? displayUrl(str(csl.URL)) ?? str(csl.DOI);
  if (!title) return l10n.t('CSL item "{0}" has no title', id);
  const keywordValue = csl.keyword ?? csl.keywords ?? csl.categories;
  const keywords = Array.isArray(keywordValue)
    ? keywordValue.map(str).filter((k): k is string => k !== undefined)
    : (str(keywordValue)?.split(/[,;]\s*/).filter((k) => k.length > 0) ?? []);
  const doi = normaliseDoi(str(csl.DOI) ?? str(csl.doi));
  const pmid = normalisePmid(str(csl.PMID) ?? str(csl.pmid));
  const pmcid = normalisePmcid(str(csl.PMCID) ?? str(csl.pmcid));
  const abstract = str(csl.abstract);
  const record: LiteratureRecord = {
    sources: [source],
    libraryId: id,
    title: stripMarkup(title),
    authors: cslAuthors(csl.author ?? csl.editor),
    ...(str(csl['container-title']) ? { containerTitle: stripMarkup(str(csl['container-title']) as string) } : {}),
    ...(cslYear(csl) !== undefined ? { year: cslYear(csl) } : {}),
    ...(str(csl.volume) ? { volume: str(csl.volume) } : {}),
    ...(str(csl.issue) ? { issue: str(csl.issue) } : {}),
    ...(str(csl.page) ? { page: str(csl.page) } : {}),
    ...(doi ? { doi } : {}),
    ...(pmid ? { pmid } : {}),
    ...(pmcid ? { pmcid } : {}),
    ...(str(csl.URL) ? { url: str(csl.URL) } : {}),
    ...(abstract ? { abstract: stripMarkup(abstract) } : {}),
    ...(keywords.length > 0 ? { keywords } : {}),
    ...(str(csl.type) ? { type: str(csl.type) } : {}),
    retracted: false,
    notices: [],
  };
  return record;
}

/** 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The offset of the first syntax error of a JSON text, by a small recursive-descent scan
 * (`JSON.parse` messages do not give a position on every Node version).
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = (): void => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail();
        string();
        space();
        if (text[i] !== ':') fail();
        i++;
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '[') {
      i++;
      space();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '"') string();
    else {
      const match = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 40));
      if (!match) fail();
      i += (match as RegExpExecArray)[0].length;
    }
  };
  const string = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text[i] === '\n') fail();
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  try {
    value();
    space();
    return i < text.length ? i : undefined;
  } catch (offset) {
    return typeof offset === 'number' ? Math.min(offset, text.length) : undefined;
  }
}

/** Finds the 1-based line where each top-level array element of a JSON text starts. */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let depth = 0;
  let inString = false;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 1 && c === '{') lines.push(line);
      depth++;
    } else if (c === '}' || c === ']') depth--;
  }
  return lines;
}

/**
 * Parses a CSL JSON file (an array of items, or `{"items": […]}` as some exporters write).
 * Items without id or title are skipped with a warning.
 * @throws {LibraryFormatError} when the text is not JSON or not a list of items.
 */
export function parseCslJson(text: string): LibraryReadResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const offset = jsonErrorOffset(text.replace(/^\uFEFF/, ''));
    const line = offset !== undefined ? lineAt(text, offset) : undefined;
    const reason = (error instanceof Error ? error.message : String(error)).split(',')[0];
    throw new LibraryFormatError(
      line
        ? l10n.t('Not valid JSON at line {0} ({1}). Fix the file or export it again as CSL JSON.', line, reason)
        : l10n.t('Not valid JSON ({0}). Fix the file or export it again as CSL JSON.', reason),
      line,
    );
  }
  const items = Array.isArray(parsed)
    ? parsed
    : parsed && typeof parsed === 'object' && Array.isArray((parsed as { items?: unknown }).items)
      ? ((parsed as { items: unknown[] }).items)
      : parsed && typeof parsed === 'object' && 'id' in parsed
        ? [parsed]
        : undefined;
  if (!items) throw new LibraryFormatError(l10n.t('Not a CSL JSON bibliography: expected an array of items. Export it again as CSL JSON.'));
  const lines = Array.isArray(parsed) ? elementLines(text) : [];
  const records: LiteratureRecord[] = [];
  const warnings: LibraryWarning[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const result = cslItemToRecord(item);
    const line = lines[index];
    if (typeof result === 'string') {
      warnings.push({ ...(line ? { line } : {}), message: l10n.t('Skipped item {0}: {1}.', index + 1, result) });
      return;
    }
    if (seen.has(result.libraryId as string)) {
      warnings.push({ ...(line ? { line } : {}), message: l10n.t('Skipped item {0}: duplicate id "{1}".', index + 1, result.libraryId as string) });
      return;
    }
    seen.add(result.libraryId as string);
    records.push(result);
  });
  return { records, warnings };
}

/**
 * Parses a CSL YAML bibliography (Pandoc's `references:` list, with or without `---` fences).
 * @throws {LibraryFormatError} when the text is not YAML or holds no list of items.
 */
export function parseCslYaml(text: string): LibraryReadResult {
  const body = text.replace(/^\uFEFF?---[ \t]*\r?\n/, '').replace(/\r?\n(?:---|\.\.\.)[ \t]*\s*$/, '\n');
  let parsed: unknown;
  try {
    parsed = parseYaml(body);
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new LibraryFormatError(
      line ? l10n.t('Not valid YAML at line {0}. Fix the file or export it again as CSL YAML.', line) : l10n.t('Not valid YAML. Fix the file or export it again as CSL YAML.'),
      line,
    );
  }
  const items = Array.isArray(parsed) ? parsed : parsed && typeof parsed === 'object' && Array.isArray((parsed as { references?: unknown }).references) ? (parsed as { references: unknown[] }).references : undefined;
  if (!items) throw new LibraryFormatError(l10n.t('Not a CSL YAML bibliography: expected a "references:" list.'));
  const records: LiteratureRecord[] = [];
  const warnings: LibraryWarning[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const result = cslItemToRecord(item);
    if (typeof result === 'string') warnings.push({ message: l10n.t('Skipped item {0}: {1}.', index + 1, result) });
    else if (seen.has(result.libraryId as string)) warnings.push({ message: l10n.t('Skipped item {0}: duplicate id "{1}".', index + 1, result.libraryId as string) });
    else {
      seen.add(result.libraryId as string);
      records.push(result);
    }
  });
  return { records, warnings };
}
