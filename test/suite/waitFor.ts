import * as assert from 'assert';
import * as vscode from 'vscode';

/**
 * Polls until a value is accepted, for state the extension updates asynchronously (diagnostics,
 * panel state, settings). Fails with what was awaited and the last value seen.
 * @param read Reads the current value.
 * @param accept Whether the value is the one awaited.
 * @param what What is awaited, for the failure message.
 * @param attempts How many reads, 100 ms apart (optional; default: 150).
 * @returns The accepted value.
 */
export async function waitFor<T>(read: () => T | PromiseLike<T>, accept: (value: T) => boolean, what: string, attempts = 150): Promise<T> {
  let value = await read();
  for (let attempt = 0; attempt < attempts && !accept(value); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  assert.ok(accept(value), `timed out waiting for ${what} (last: ${JSON.stringify(value)})`);
  return value;
}

/**
 * Undoes the last edit of a document the way a user does: its editor focused, then the Undo command.
 * The command acts on the focused editor, and focus can still be on its way from the panel when the
 * command runs; so while nothing has been undone it waits and tries again. It never undoes twice,
 * because it only retries when the text is unchanged.
 * @param document The document to undo in.
 * @returns The document's text after the undo.
 */
export async function undoIn(document: vscode.TextDocument): Promise<string> {
  const before = document.getText();
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    if (document.getText() !== before) return document.getText();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail('Undo changed nothing in the document after 20 tries.');
}
