import * as vscode from 'vscode';

/** The editor a command was invoked on, as it was at that moment. */
export interface EditorSnapshot {
  /** The editor that was active. */
  readonly editor: vscode.TextEditor;
  /** Its selection then. */
  readonly selection: vscode.Selection;
  /** The document's text then. */
  readonly text: string;
  /** The document's version then. */
  readonly version: number;
}

/**
 * Reads the active editor, its selection and its text. Commands whose flow loads on first use call this
 * before anything is awaited: loading a module takes a turn of the event loop, in which the user (or a
 * test) can already move the selection, switch editors or type, and the command must act on what was
 * there when it was invoked.
 * @returns The snapshot, or `undefined` when no text editor is active.
 */
export function snapshotActiveEditor(): EditorSnapshot | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  return { editor, selection: editor.selection, text: editor.document.getText(), version: editor.document.version };
}
