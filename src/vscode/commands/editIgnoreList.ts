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
    let uri: vscode.Uri | undefined;
    try {
      uri = folder ? await controller.ignoreLists.createIfMissing(folder.uri) : undefined;
    } catch (error) {
      void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
      return undefined;
    }
    if (!uri) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open the manuscript\'s folder (File > Open Folder) to keep a list of sentences that need no source.'));
      return undefined;
    }
    await vscode.window.showTextDocument(uri);
    return uri;
  });
}
