/**
 * Reads bibliography files (CSL JSON or BibTeX, chosen by extension then by content) into records.
 */
import * as l10n from '@vscode/l10n';
import { readFile } from 'node:fs/promises';
import type { LiteratureRecord } from '../types';
import { parseBibtex } from './bibtex';
import { LibraryFormatError, parseCslJson, parseCslYaml, type LibraryReadResult, type LibraryWarning } from './cslJson';

/** The format of a bibliography file (CSL YAML is read, never written). */
export type LibraryFormat = 'csljson' | 'bibtex' | 'cslyaml';

/** Guesses a file's format from its name, then its first characters. */
export function libraryFormat(fileName: string, text: string): LibraryFormat {
  if (/\.(?:bib|bibtex)$/i.test(fileName)) return 'bibtex';
  if (/\.json$/i.test(fileName)) return 'csljson';
  if (/\.ya?ml$/i.test(fileName)) return 'cslyaml';
  return /^\s*[[{]/.test(text) ? 'csljson' : /^\s*(?:---|references\s*:)/.test(text) ? 'cslyaml' : 'bibtex';
}

/** Parses a bibliography's text. @throws {LibraryFormatError} when a CSL JSON or YAML file cannot be parsed. */
export function parseLibraryText(text: string, fileName: string): LibraryReadResult & { readonly format: LibraryFormat } {
  const format = libraryFormat(fileName, text);
  switch (format) {
    case 'bibtex':
      return { format, ...parseBibtex(text) };
    case 'csljson':
      return { format, ...parseCslJson(text) };
    case 'cslyaml':
      return { format, ...parseCslYaml(text) };
  }
}

/** A library read from one or more files. */
export interface LoadedLibrary {
  readonly records: LiteratureRecord[];
  /** Warnings, each prefixed with its file. */
  readonly warnings: string[];
  /** Files that could not be read at all, with the reason. */
  readonly errors: string[];
}

/**
 * Reads several bibliography files; a missing or unreadable file is reported, not thrown.
 * Records with the same id in two files are kept once (the first).
 */
export async function readLibraryFiles(paths: readonly string[]): Promise<LoadedLibrary> {
  const records: LiteratureRecord[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  const ids = new Set<string>();
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      errors.push(code === 'ENOENT' ? l10n.t('{0}: file not found. Check the path.', path) : l10n.t('{0}: cannot be read ({1}).', path, code ?? String(error)));
      continue;
    }
    try {
      const result = parseLibraryText(text, path);
      for (const warning of result.warnings) warnings.push(formatWarning(path, warning));
      for (const record of result.records) {
        if (record.libraryId && ids.has(record.libraryId)) continue;
        if (record.libraryId) ids.add(record.libraryId);
        records.push(record);
      }
    } catch (error) {
      if (error instanceof LibraryFormatError) errors.push(`${path}: ${error.message}`);
      else throw error;
    }
  }
  return { records, warnings, errors };
}

/** `file:line: message`, or `file: message` without a line. */
export function formatWarning(path: string, warning: LibraryWarning): string {
  return warning.line ? `${path}:${warning.line}: ${warning.message}` : `${path}: ${warning.message}`;
}
