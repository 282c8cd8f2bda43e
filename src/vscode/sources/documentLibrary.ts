import * as vscode from 'vscode';
import type { LiteratureRecord } from '../../core/literature/types';
import { readCitationSettings } from './sourcesSettings';
import { mayReadWorkspaceFile } from '../workspaceContainment';

/** One bibliography file of a document, read (from the editor when open, so unsaved edits count). */
export interface BibliographyFile {
  readonly uri: vscode.Uri;
  readonly format: 'csljson' | 'bibtex' | 'cslyaml';
  /** Records read from it (empty when it could not be read). */
  readonly records: readonly LiteratureRecord[];
  /** Whether it exists and can be edited (a `file:` or workspace file system URI). */
  readonly exists: boolean;
  /** Whether the manuscript names it (front matter, LaTeX, Manubot), or only the setting does. */
  readonly declared: boolean;
}

/** The library of a document: its bibliography files, their records, and what went wrong reading them. */
export interface DocumentLibrary {
  readonly files: readonly BibliographyFile[];
  readonly records: readonly LiteratureRecord[];
  /** Messages for the user (file not found, malformed entries with lines). */
  readonly problems: readonly string[];
  /** Built lazily by the caller; cached with the library. */
  index?: import('../../core/literature/library/librarySearch').LibraryIndex;
  /**
   * The background fetch of the abstracts its entries lack (see `abstractEnrichment`); when it has filled
   * any, {@link index} is rebuilt over the enriched records. Started once per library.
   */
  abstracts?: Promise<void>;
  /** The citations of the last document searched from, resolved over {@link index}; rebuilt when the document changed. */
  citations?: { readonly uri: string; readonly version: number; readonly records: readonly LiteratureRecord[]; readonly value: import('../../core/literature/library/inSitu').ManuscriptCitations };
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function readText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
}

function isAbsolute(path: string): boolean {
  return /^(?:[a-zA-Z]:[\\/]|\/)/.test(path);
}

function resolve(base: vscode.Uri, path: string): vscode.Uri {
  if (isAbsolute(path)) return vscode.Uri.file(path);
  return vscode.Uri.joinPath(base, path);
}

function refusedProblem(path: string): string {
  return vscode.l10n.t('{0}: outside the workspace, so Biowrite does not read it in Restricted Mode. Trust the workspace to read it, or move the file into the workspace.', path);
}

/** Caches parsed libraries by file URI and content stamp, so repeated searches do not re-read or re-index. */
export class LibraryCache {
  private readonly parsed = new Map<string, { stamp: string; records: LiteratureRecord[]; warnings: string[]; format: 'csljson' | 'bibtex' | 'cslyaml'; error?: string }>();
  private readonly libraries = new Map<string, DocumentLibrary>();

  /**
   * The library a document uses: the files its front matter, LaTeX commands or Manubot layout name,
   * plus `biowrite.sources.libraryFiles` (relative to the workspace folder). In Restricted Mode the files
   * the manuscript names, and the setting's relative paths, are read only from inside the workspace (a
   * problem names each one refused); the setting itself comes from user settings only then (package.json
   * `restrictedConfigurations`), so its absolute paths are the user's own choice.
   * @param document The manuscript, or undefined for a free search (then only the setting's files).
   */
  async forDocument(document: vscode.TextDocument | undefined): Promise<DocumentLibrary> {
    const { PROJECT_METADATA_FILES, discoverBibliographies } = await import('../../core/literature/library/discover');
    const folder = document ? vscode.workspace.getWorkspaceFolder(document.uri) : vscode.workspace.workspaceFolders?.[0];
    const documentDir = document && document.uri.scheme !== 'untitled' ? vscode.Uri.joinPath(document.uri, '..') : folder?.uri;
    const settingFiles = readCitationSettings(document?.uri ?? folder?.uri ?? vscode.Uri.file('/')).libraryFiles;
    const candidates: vscode.Uri[] = [];
    const declared = new Set<string>();
    const problems: string[] = [];
    const stamps: string[] = [];
    if (document && documentDir) {
      const manubot: string[] = [];
      for (const candidate of ['manual-references.json', 'content/manual-references.json', '../content/manual-references.json']) {
        const uri = resolve(documentDir, candidate);
        if ((await mayReadWorkspaceFile(uri)) && (await exists(uri))) manubot.push(candidate);
      }
      const projectFiles = new Map<string, string>();
      for (const candidate of PROJECT_METADATA_FILES) {
        const uri = resolve(documentDir, candidate);
        if (!(await mayReadWorkspaceFile(uri))) continue;
        try {
          projectFiles.set(candidate, await readText(uri));
        } catch {
          // Absent: Quarto would not read it either.
        }
      }
      for (const reference of discoverBibliographies(document.getText(), { exists: (p) => manubot.includes(p), projectFiles })) {
        const uri = resolve(documentDir, reference.path);
        if (!(await mayReadWorkspaceFile(uri))) {
          problems.push(refusedProblem(reference.path));
          stamps.push(`${uri.toString()}#refused`);
          continue;
        }
        candidates.push(uri);
        declared.add(uri.toString());
      }
    }
    for (const path of settingFiles) {
      if (!isAbsolute(path) && !folder) continue;
      const uri = folder ? resolve(folder.uri, path) : vscode.Uri.file(path);
      // An absolute path can only come from user settings in Restricted Mode; a relative one is resolved
      // in the workspace, where a link may lead anywhere.
      if (!isAbsolute(path) && !(await mayReadWorkspaceFile(uri))) {
        problems.push(refusedProblem(path));
        stamps.push(`${uri.toString()}#refused`);
        continue;
      }
      candidates.push(uri);
    }
    const unique = [...new Map(candidates.map((u) => [u.toString(), u])).values()];

    const files: BibliographyFile[] = [];
    for (const uri of unique) {
      const name = vscode.workspace.asRelativePath(uri);
      let text: string;
      try {
        text = await readText(uri);
      } catch {
        problems.push(vscode.l10n.t('{0}: file not found. Fix the path in the manuscript (bibliography) or in the setting biowrite.sources.libraryFiles.', name));
        files.push({ uri, format: /\.bib$/i.test(uri.path) ? 'bibtex' : /\.ya?ml$/i.test(uri.path) ? 'cslyaml' : 'csljson', records: [], exists: false, declared: declared.has(uri.toString()) });
        stamps.push(`${uri.toString()}#missing`);
        continue;
      }
      const stamp = `${text.length}:${hash(text)}`;
      stamps.push(`${uri.toString()}#${stamp}`);
      let entry = this.parsed.get(uri.toString());
      if (!entry || entry.stamp !== stamp) {
        const { parseLibraryText, formatWarning } = await import('../../core/literature/library/loadLibrary');
        try {
          const result = parseLibraryText(text, uri.path);
          entry = { stamp, records: result.records, warnings: result.warnings.map((w) => formatWarning(name, w)), format: result.format };
        } catch (error) {
          entry = { stamp, records: [], warnings: [], format: 'csljson', error: `${name}: ${error instanceof Error ? error.message : String(error)}` };
        }
        this.parsed.set(uri.toString(), entry);
      }
      if (entry.error) problems.push(entry.error);
      problems.push(...entry.warnings.slice(0, 5));
      if (entry.warnings.length > 5) problems.push(vscode.l10n.t('{0}: {1} more entries were skipped.', name, entry.warnings.length - 5));
      files.push({ uri, format: entry.format, records: entry.records, exists: true, declared: declared.has(uri.toString()) });
    }
    const key = stamps.join('|');
    const cached = this.libraries.get(key);
    if (cached) return cached;
    const seen = new Set<string>();
    const records: LiteratureRecord[] = [];
    for (const file of files) {
      for (const record of file.records) {
        if (record.libraryId && seen.has(record.libraryId)) continue;
        if (record.libraryId) seen.add(record.libraryId);
        records.push(record);
      }
    }
    const library: DocumentLibrary = { files, records, problems };
    if (this.libraries.size > 20) this.libraries.clear();
    this.libraries.set(key, library);
    return library;
  }
}

/** A cheap content hash (FNV-1a) to notice a changed file. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16);
}
