import * as vscode from 'vscode';
import { IGNORE_LIST_PATH, addToIgnoreList, parseIgnoreList, type IgnoreList } from '../../core/claims/ignore';
import { Disposable } from '../disposable';

/**
 * The workspace lists of sentences that need no source (`.biowrite/ignore.json` in each
 * workspace folder): read on first use, re-read when the file changes, written when the user
 * adds a sentence. A broken file is reported once and treated as empty, never overwritten.
 */
export class IgnoreListStore extends Disposable {
  private readonly lists = new Map<string, IgnoreList | undefined>();
  private readonly problems = new Map<string, string>();
  private readonly stamps = new Map<string, string>();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** Fires when a list changed on disk. */
  readonly onDidChange = this.changed.event;

  constructor() {
    super();
    const watcher = this._register(vscode.workspace.createFileSystemWatcher(`**/${IGNORE_LIST_PATH}`));
    const reset = (uri: vscode.Uri): void => {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (folder) this.lists.delete(folder.uri.toString());
      this.problems.delete(folder?.uri.toString() ?? '');
      this.changed.fire();
    };
    this._register(watcher.onDidChange(reset));
    this._register(watcher.onDidCreate(reset));
    this._register(watcher.onDidDelete(reset));
    // Deleting the whole `.biowrite` folder may be reported for the folder only.
    const folderWatcher = this._register(vscode.workspace.createFileSystemWatcher('**/.biowrite', true, true, false));
    this._register(folderWatcher.onDidDelete((uri) => reset(vscode.Uri.joinPath(uri, 'ignore.json'))));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => {
      this.lists.clear();
      this.changed.fire();
    }));
  }

  /** The list file of the folder holding a document, or undefined outside any folder. */
  listUri(document: vscode.Uri): vscode.Uri | undefined {
    const folder = folderOf(document);
    return folder ? vscode.Uri.joinPath(folder.uri, IGNORE_LIST_PATH) : undefined;
  }

  /** The sentences of the list that applies to a document. */
  async sentencesFor(document: vscode.Uri): Promise<readonly string[]> {
    const uri = this.listUri(document);
    if (!uri) return [];
    const key = vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() ?? uri.toString();
    // The file's stamp is compared on every check: the watcher's events can arrive after the next
    // check (a deleted list kept silencing its sentences until they did).
    const stamp = await stampOf(uri);
    if (!this.lists.has(key) || this.stamps.get(key) !== stamp) {
      this.lists.set(key, await this.read(uri, key));
      this.stamps.set(key, stamp);
    }
    return this.lists.get(key)?.sentences ?? [];
  }

  /** A problem with the list of a document's folder (invalid JSON…), for the panel. */
  problemFor(document: vscode.Uri): string | undefined {
    const uri = this.listUri(document);
    if (!uri) return undefined;
    return this.problems.get(vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() ?? uri.toString());
  }

  private async read(uri: vscode.Uri, key: string): Promise<IgnoreList | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      return undefined;
    }
    try {
      const list = parseIgnoreList(new TextDecoder().decode(bytes));
      this.problems.delete(key);
      return list;
    } catch (error) {
      this.problems.set(key, error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }

  /**
   * Adds a sentence to the list of a document's folder, creating the file when needed.
   * @returns The list's URI.
   * @throws Error with a next step when the document is in no workspace folder or the list is broken.
   */
  async add(document: vscode.Uri, sentence: string): Promise<vscode.Uri> {
    const folder = folderOf(document);
    const uri = this.listUri(document);
    if (!folder || !uri) throw new Error(vscode.l10n.t('Open the manuscript\'s folder as a workspace to keep a list of sentences that need no source, or use the inline comment instead.'));
    // Checked before the open editor is saved too: saving writes through a link like any other write.
    await refuseLinks(folder.uri);
    // When the list is open in an editor, its text there (unsaved edits included) is the one to extend:
    // writing the file behind the editor's back would set the user's edits against ours.
    const open = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
    let current: IgnoreList | undefined;
    try {
      const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      current = open && text.trim() === '' ? undefined : parseIgnoreList(text);
    } catch (error) {
      if (!(error instanceof vscode.FileSystemError)) {
        throw new Error(vscode.l10n.t('{0} Run “Biowrite: Edit Sentences That Need No Source” to fix it.', error instanceof Error ? error.message : String(error)), { cause: error });
      }
    }
    const updated = addToIgnoreList(current, sentence);
    if (open) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, open.validateRange(new vscode.Range(0, 0, open.lineCount, 0)), updated);
      if (!(await vscode.workspace.applyEdit(edit)) || !(await open.save())) {
        throw new Error(vscode.l10n.t('{0} could not be updated. Save or close it, then try again.', vscode.workspace.asRelativePath(uri)));
      }
    } else {
      await writeList(folder.uri, updated);
    }
    const key = vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() ?? uri.toString();
    this.lists.delete(key);
    this.changed.fire();
    return uri;
  }

  /**
   * Creates an empty list in the folder of a document when there is none, for the user to edit.
   * @returns The list's URI, or undefined outside any folder.
   * @throws Error with a next step when `.biowrite` or the list is a symbolic link.
   */
  async createIfMissing(document: vscode.Uri): Promise<vscode.Uri | undefined> {
    const folder = folderOf(document);
    const uri = this.listUri(document);
    if (!folder || !uri) return undefined;
    // An existing link is refused too: the editor opened on it would save through it.
    await refuseLinks(folder.uri);
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      await writeList(folder.uri, `${JSON.stringify({ version: 1, sentences: [] }, null, 2)}\n`);
    }
    return uri;
  }
}

/** Modification time and size of a file, or `missing`. */
async function stampOf(uri: vscode.Uri): Promise<string> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    return `${stat.mtime}:${stat.size}`;
  } catch {
    return 'missing';
  }
}

function folderOf(document: vscode.Uri): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.getWorkspaceFolder(document) ?? vscode.workspace.workspaceFolders?.[0];
}

/**
 * Refuses when `.biowrite` or the list is a symbolic link: a cloned repository could point them at any
 * file of the user's, and writing the list would replace it.
 */
async function refuseLinks(folder: vscode.Uri): Promise<void> {
  if (folder.scheme === 'file') {
    const { assertNoSymbolicLinks } = await import('../../core/files/safeWrite');
    await assertNoSymbolicLinks(folder.fsPath, IGNORE_LIST_PATH);
    return;
  }
  // Other file systems report links through the stat type, when they have links at all.
  const parts = IGNORE_LIST_PATH.split('/');
  for (let index = 0; index < parts.length; index++) {
    const shown = parts.slice(0, index + 1).join('/');
    let type: vscode.FileType;
    try {
      type = (await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, shown))).type;
    } catch {
      return;
    }
    if (type & vscode.FileType.SymbolicLink) {
      throw new Error(vscode.l10n.t('{0} is a symbolic link. Biowrite does not write through links: replace it with a regular file or folder, then try again.', shown));
    }
  }
}

/** Writes the list of a workspace folder: atomically and never through a link on disk. */
async function writeList(folder: vscode.Uri, text: string): Promise<void> {
  if (folder.scheme === 'file') {
    const { writeFileInFolder } = await import('../../core/files/safeWrite');
    await writeFileInFolder(folder.fsPath, IGNORE_LIST_PATH, text);
    return;
  }
  await refuseLinks(folder);
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, IGNORE_LIST_PATH), new TextEncoder().encode(text));
}
