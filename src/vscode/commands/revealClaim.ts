import * as vscode from 'vscode';
import type { ClaimsController } from '../claims/claimsController';
import { findingRange, fromWireRange, isWireRange } from '../claims/wire';

/** The command id, as declared in package.json. */
export const revealClaimCommandId = 'biowrite.revealClaim';

/**
 * Shows a claim in its editor, selected: `{uri, range}` or `{uri, claimId}` (from the panel).
 * @returns Whether the claim was found and shown.
 */
export async function revealClaim(controller: ClaimsController, argument: unknown): Promise<boolean> {
  if (typeof argument !== 'object' || argument === null || typeof (argument as { uri?: unknown }).uri !== 'string') return false;
  const { uri, range, claimId } = argument as { uri: string; range?: unknown; claimId?: unknown };
  let target: vscode.Range | undefined;
  if (isWireRange(range)) target = fromWireRange(range);
  else if (typeof claimId === 'string') {
    const finding = controller.findClaim(uri, claimId);
    if (finding) target = findingRange(finding);
  }
  if (!target) {
    void vscode.window.showInformationMessage(vscode.l10n.t('That claim is no longer in the document; the list has been updated.'));
    controller.refreshViews();
    return false;
  }
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri, true));
  const editor = await vscode.window.showTextDocument(document, { preserveFocus: false, preview: false });
  const valid = document.validateRange(target);
  editor.selection = new vscode.Selection(valid.start, valid.end);
  editor.revealRange(valid, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return true;
}

/**
 * Registers “Reveal Claim” (internal: the panel's list runs it).
 * @param controller Knows the claims by id.
 */
export function registerRevealClaimCommand(controller: ClaimsController): vscode.Disposable {
  return vscode.commands.registerCommand(revealClaimCommandId, (argument?: unknown) => revealClaim(controller, argument));
}
