/**
 * The entries of a manuscript's bibliography files, with what the audit needs beyond a library
 * record: the arXiv id, the publisher, and where the entry's key is in its file (for diagnostics).
 */
import { parse as parseYaml } from 'yaml';
import { parseBibtexEntries } from '../literature/library/bibtex';
import { parseLibraryText, type LibraryFormat } from '../literature/library/loadLibrary';
import { normaliseArxivId } from '../literature/normalize';
import type { LiteratureRecord } from '../literature/types';

/** One entry of a bibliography file. */
export interface BibliographyEntry {
  /** The citation key (CSL `id`, BibTeX key). */
  readonly key: string;
  /** The file it is in, as given to {@link readBibliographyEntries}. */
  readonly file: string;
  readonly format: LibraryFormat;
  /** The entry as a record (title, authors, identifiers…). */
  readonly record: LiteratureRecord;
  /** The arXiv id, from the DOI (`10.48550/arXiv.…`), the URL, `number`, `eprint` or the journal field (optional). */
  readonly arxivId?: string;
  /** The publisher, which Manubot sometimes also writes as the container title (optional). */
  readonly publisher?: string;
  /** Offset and length of the key in the file's text (-1 when it could not be found). */
  readonly keyOffset: number;
  readonly keyLength: number;
}

/** What reading one file gave. */
export interface BibliographyFileRead {
  readonly entries: BibliographyEntry[];
  /** Warnings with their 1-based line (skipped malformed entries…). */
  readonly warnings: readonly { readonly line?: number; readonly message: string }[];
}

interface RawFields {
  readonly number?: string;
  readonly eprint?: string;
  readonly publisher?: string;
  readonly journal?: string;
}

function stringField(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function rawCslFields(items: unknown): Map<string, RawFields> {
  const out = new Map<string, RawFields>();
  const list = Array.isArray(items) ? items : items && typeof items === 'object' ? ((items as { items?: unknown; references?: unknown }).items ?? (items as { references?: unknown }).references) : undefined;
  if (!Array.isArray(list)) return out;
  for (const item of list) {
    if (!item || typeof item !== 'object') continue;
    const csl = item as Record<string, unknown>;
    const id = stringField(csl.id);
    if (!id) continue;
    out.set(id, { number: stringField(csl.number), publisher: stringField(csl.publisher), journal: stringField(csl['container-title']) });
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Where an entry's key is written in its file: `"id": "key"` (CSL JSON), `id: key` (CSL YAML), `@type{key,` (BibTeX).
 * @returns The offset of the key's first character, or -1.
 */
export function keyOffsetIn(text: string, key: string, format: LibraryFormat): number {
  const escaped = escapeRegExp(key);
  const pattern =
    format === 'bibtex'
      ? new RegExp(`@[A-Za-z]+\\s*[{(]\\s*(${escaped})\\s*,`)
      : format === 'csljson'
        ? new RegExp(`"id"\\s*:\\s*"(${escaped})"`)
        : new RegExp(`\\bid\\s*:\\s*["']?(${escaped})["']?\\s*$`, 'm');
  const match = pattern.exec(text);
  if (!match || match.index === undefined) return -1;
  return match.index + match[0].lastIndexOf(match[1]);
}

/** The arXiv id an entry names, wherever it names it. */
export function arxivIdOf(record: LiteratureRecord, raw: RawFields = {}): string | undefined {
  const fromDoi = record.doi && /^10\.48550\/arxiv\./i.test(record.doi) ? normaliseArxivId(record.doi) : undefined;
  if (fromDoi) return fromDoi;
  if (record.url && /arxiv\.org\//i.test(record.url)) {
    const fromUrl = normaliseArxivId(record.url);
    if (fromUrl) return fromUrl;
  }
  if (raw.eprint) {
    const fromEprint = normaliseArxivId(raw.eprint);
    if (fromEprint) return fromEprint;
  }
  const arxivVenue = /arxiv/i.test(record.containerTitle ?? '') || /arxiv/i.test(raw.publisher ?? '');
  if (arxivVenue && raw.number) {
    const fromNumber = normaliseArxivId(raw.number);
    if (fromNumber) return fromNumber;
  }
  const inJournal = /arxiv[:\s]+([a-z-]+(?:\.[A-Z]{2})?\/\d{7}|\d{4}\.\d{4,5})(v\d+)?/i.exec(`${raw.journal ?? ''} ${record.containerTitle ?? ''}`);
  return inJournal ? normaliseArxivId(inJournal[1]) : undefined;
}

/**
 * Reads the entries of one bibliography file (CSL JSON, CSL YAML or BibTeX).
 * @param text The file's text.
 * @param file The file's path, kept on each entry and used to guess the format.
 * @throws {LibraryFormatError} when a CSL JSON or YAML file cannot be parsed at all.
 */
export function readBibliographyEntries(text: string, file: string): BibliographyFileRead {
  const result = parseLibraryText(text, file);
  const raw = new Map<string, RawFields>();
  if (result.format === 'bibtex') {
    for (const entry of parseBibtexEntries(text).entries) {
      raw.set(entry.key, { number: entry.fields.number, eprint: entry.fields.eprint, publisher: entry.fields.publisher, journal: entry.fields.journal ?? entry.fields.journaltitle });
    }
  } else {
    try {
      for (const [key, value] of rawCslFields(result.format === 'csljson' ? JSON.parse(text) : parseYaml(text))) raw.set(key, value);
    } catch {
      // The records were read; only the extra fields are missing.
    }
  }
  const entries: BibliographyEntry[] = [];
  for (const record of result.records) {
    const key = record.libraryId;
    if (!key) continue;
    const fields = raw.get(key) ?? {};
    const keyOffset = keyOffsetIn(text, key, result.format);
    const arxivId = arxivIdOf(record, fields);
    entries.push({
      key,
      file,
      format: result.format,
      record,
      ...(arxivId ? { arxivId } : {}),
      ...(fields.publisher ? { publisher: fields.publisher } : {}),
      keyOffset,
      keyLength: keyOffset >= 0 ? key.length : 0,
    });
  }
  return { entries, warnings: result.warnings };
}
