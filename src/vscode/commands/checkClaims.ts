import * as vscode from 'vscode';
import type { ClaimsController, ClaimsCheckSummary } from '../claims/claimsController';
import { manuscriptLanguageOf } from '../claims/claimsSettings';

/** What the command resolves to, for scripts and tests: the check and the status bar it left. */
export interface CheckClaimsResult extends ClaimsCheckSummary {
  readonly statusBar: ClaimsController['statusBarState'];
}

/** The command id, as declared in package.json. */
export const checkClaimsCommandId = 'biowrite.checkClaims';

/**
 * Registers “Check Claims in Document”: checks the active manuscript (or the document given as a
 * URI) now, without waiting for the pause after typing, and reports the count.
 * @param controller Runs the check and publishes diagnostics.
 */
export function registerCheckClaimsCommand(controller: ClaimsController): vscode.Disposable {
  return vscode.commands.registerCommand(checkClaimsCommandId, async (argument?: unknown): Promise<CheckClaimsResult | undefined> => {
    let document: vscode.TextDocument | undefined;
    if (argument instanceof vscode.Uri) document = await vscode.workspace.openTextDocument(argument);
    else if (typeof argument === 'string') document = await vscode.workspace.openTextDocument(vscode.Uri.parse(argument, true));
    else document = vscode.window.activeTextEditor?.document;
    if (!document || !manuscriptLanguageOf(document.languageId)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a Markdown, Quarto or LaTeX manuscript, then run “Biowrite: Check Claims in Document”.'));
      return undefined;
    }
    if (!controller.isChecked(document)) {
      const open = vscode.l10n.t('Open Settings');
      void vscode.window
        .showInformationMessage(vscode.l10n.t('Claims are not checked in {0} documents. Turn on “biowrite.claims.enabled” and add the language to “biowrite.claims.languages”.', document.languageId), open)
        .then((choice) => {
          if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'biowrite.claims');
        });
      return undefined;
    }
    const summary = await controller.check(document);
    controller.refreshViews();
    if (summary.checked) {
      vscode.window.setStatusBarMessage(
        summary.count === 0 ? vscode.l10n.t('Biowrite: no claims without sources.') : vscode.l10n.t('Biowrite: {0} sentences may need a source.', summary.count),
        4000,
      );
    }
    return { ...summary, statusBar: controller.statusBarState };
  });
}
