import * as vscode from 'vscode';
import type { ClaimsController } from '../claims/claimsController';

/** The command id, as declared in package.json. */
export const editIgnoreListCommandId = 'biowrite.editIgnoreList';

/**
 * Registers “Edit Sentences That Need No Source”: opens the workspace list
 * (`.biowrite/ignore.json` of the active document's folder, else the first folder), creating an
 * empty one first when there is none.
 * @param controller Owns the lists.
 */
export function registerEditIgnoreListCommand(controller: ClaimsController): vscode.Disposable {
  return vscode.commands.registerCommand(editIgnoreListCommandId, async (): Promise<vscode.Uri | undefined> => {
    const active = vscode.window.activeTextEditor?.document.uri;
    const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
    const uri = folder ? controller.ignoreLists.listUri(folder.uri) : undefined;
    if (!uri) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open the manuscript\'s folder (File > Open Folder) to keep a list of sentences that need no source.'));
      return undefined;
    }
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(`${JSON.stringify({ version: 1, sentences: [] }, null, 2)}\n`));
    }
    await vscode.window.showTextDocument(uri);
    return uri;
  });
}
