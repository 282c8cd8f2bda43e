/**
 * Edits of bibliography entries for the audit's quick fixes: where an entry is, removing it, and
 * replacing it with a record a service returned. CSL JSON and BibTeX (CSL YAML is read, never written).
 */
import { appendBibtexEntry, recordToCsl } from '../citations/bibliographyEdit';
import { parseBibtexEntries } from '../literature/library/bibtex';
import type { LibraryFormat } from '../literature/library/loadLibrary';
import type { LiteratureRecord } from '../literature/types';
import { extractCitations, type ManuscriptLanguage, type TextEdit } from '../manuscript/citations';

/** Offsets of one entry in its file: `[start, end)`. */
export interface EntrySpan {
  readonly start: number;
  readonly end: number;
}

/** The CSL JSON item objects of a file (elements of its top-level array, or of `items`), with their ids. */
function cslItemSpans(text: string): { span: EntrySpan; id?: string }[] {
  const out: { span: EntrySpan; id?: string }[] = [];
  const stack: { char: string; start: number }[] = [];
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const c = text[index];
    if (inString) {
      if (c === '\\') index++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') stack.push({ char: c, start: index });
    else if (c === '}' || c === ']') {
      const open = stack.pop();
      if (!open) return out;
      const parent = stack[stack.length - 1];
      if (c === '}' && parent?.char === '[' && stack.length <= 3) {
        const body = text.slice(open.start, index + 1);
        let id: string | undefined;
        try {
          const parsed = JSON.parse(body) as { id?: unknown };
          if (typeof parsed.id === 'string' || typeof parsed.id === 'number') id = String(parsed.id);
        } catch {
          // A damaged item has no id to match.
        }
        out.push({ span: { start: open.start, end: index + 1 }, id });
      }
    }
  }
  return out;
}

/**
 * Where an entry is in its file.
 * @param text The file's text.
 * @param format Its format.
 * @param key The entry's key.
 * @returns The span, or undefined when the entry is not there (or the format is not written).
 */
export function findEntrySpan(text: string, format: LibraryFormat, key: string): EntrySpan | undefined {
  if (format === 'bibtex') {
    const entry = parseBibtexEntries(text).entries.find((candidate) => candidate.key === key);
    return entry ? { start: entry.start, end: entry.end + 1 } : undefined;
  }
  if (format === 'csljson') return cslItemSpans(text).find((item) => item.id === key)?.span;
  return undefined;
}

/**
 * The edit that removes an entry, with its separating comma (CSL JSON) or the blank line after it (BibTeX).
 * @returns The edit, or undefined when the entry is not found.
 */
export function removeEntryEdit(text: string, format: LibraryFormat, key: string): TextEdit | undefined {
  const span = findEntrySpan(text, format, key);
  if (!span) return undefined;
  if (format === 'csljson') {
    const after = /^\s*,[ \t]*(?:\r?\n)?/.exec(text.slice(span.end));
    if (after) {
      // Also the indentation before the item, so the next item takes its place.
      const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
      const start = /^[ \t]*$/.test(text.slice(lineStart, span.start)) ? lineStart : span.start;
      const next = /^[ \t]*/.exec(text.slice(span.end + after[0].length))?.[0] ?? '';
      return { start, end: span.end + after[0].length + (start === lineStart ? next.length : 0), newText: start === lineStart ? text.slice(lineStart, span.start) : '' };
    }
    const before = /,\s*$/.exec(text.slice(0, span.start));
    return before ? { start: span.start - before[0].length, end: span.end, newText: '' } : { start: span.start, end: span.end, newText: '' };
  }
  const trailing = /^[ \t]*(?:\r?\n)?(?:[ \t]*\r?\n)?/.exec(text.slice(span.end))?.[0] ?? '';
  return { start: span.start, end: span.end + trailing.length, newText: '' };
}

/**
 * The edit that replaces an entry with a record's metadata, keeping its key (so every citation still
 * resolves) and its place in the file.
 * @param text The file's text.
 * @param format Its format.
 * @param key The entry's key.
 * @param record The record a service returned.
 * @returns The edit, or undefined when the entry is not found.
 */
export function replaceEntryEdit(text: string, format: LibraryFormat, key: string, record: LiteratureRecord): TextEdit | undefined {
  const span = findEntrySpan(text, format, key);
  if (!span) return undefined;
  if (format === 'csljson') {
    const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart, span.start))?.[0] ?? '';
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const multiline = text.slice(span.start, span.end).includes('\n');
    const item = JSON.stringify(recordToCsl(record, key), null, multiline ? 2 : undefined);
    return { start: span.start, end: span.end, newText: multiline ? item.split('\n').join(`${eol}${indent}`) : item };
  }
  const appended = appendBibtexEntry(text, record, key).newText.replace(/^\s+/, '').replace(/\s+$/, '');
  return { start: span.start, end: span.end, newText: appended };
}

/**
 * The edits that make a manuscript cite `keep` wherever it cites one of `replace` (for merging duplicates).
 * @param text The manuscript's text.
 * @param language Its language.
 * @param replace The keys to replace.
 * @param keep The key to cite instead.
 */
export function renameCitationEdits(text: string, language: ManuscriptLanguage, replace: readonly string[], keep: string): TextEdit[] {
  const edits: TextEdit[] = [];
  const targets = new Set(replace);
  for (const citation of extractCitations(text, language)) {
    let from = citation.start;
    for (const key of citation.keys) {
      const at = text.indexOf(key, from);
      if (at < 0 || at >= citation.end) continue;
      from = at + key.length;
      if (targets.has(key)) edits.push({ start: at, end: at + key.length, newText: keep });
    }
  }
  return edits;
}
