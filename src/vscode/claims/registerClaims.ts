import * as vscode from 'vscode';
import type { BiowriteEnvironment } from '../environment';
import { registerCheckClaimsCommand } from '../commands/checkClaims';
import { registerEditIgnoreListCommand } from '../commands/editIgnoreList';
import { registerFindSourceForClaimCommand } from '../commands/findSourceForClaim';
import { registerIgnoreClaimCommand } from '../commands/ignoreClaim';
import { registerRevealClaimCommand, revealClaim } from '../commands/revealClaim';
import { ClaimCodeActionProvider } from './claimCodeActions';
import { ClaimsController } from './claimsController';
import { findSourcesForClaim } from './findSourcesForClaim';
import { findingRange, toWireRange } from './wire';

/** The languages whose documents get claims quick fixes (the checker decides per document). */
const selector: vscode.DocumentSelector = [{ language: 'markdown' }, { language: 'latex' }, { language: 'quarto' }, { language: 'rmd' }];

/**
 * Registers the claims feature: diagnostics kept current as the user types, quick fixes, the
 * panel list, the status-bar count and the commands. Only registers; the first check (and the
 * model) runs after activation.
 * @param environment The extension's environment.
 */
export function registerClaims(environment: BiowriteEnvironment): void {
  const { context, panel } = environment;
  const controller = new ClaimsController(environment);
  context.subscriptions.push(
    controller,
    vscode.languages.registerCodeActionsProvider(selector, new ClaimCodeActionProvider(controller), {
      providedCodeActionKinds: ClaimCodeActionProvider.providedCodeActionKinds,
    }),
    registerCheckClaimsCommand(controller),
    registerIgnoreClaimCommand(controller),
    registerEditIgnoreListCommand(controller),
    registerRevealClaimCommand(controller),
    registerFindSourceForClaimCommand(environment),
    panel.onMessage('revealClaim', async (message) => {
      await revealClaim(controller, { uri: message.documentUri, claimId: message.claimId });
    }),
    panel.onMessage('findSourcesForClaim', async (message) => {
      const finding = controller.findClaim(message.documentUri, message.claimId);
      if (!finding) {
        panel.post({ type: 'notice', level: 'info', message: vscode.l10n.t('That claim is no longer in the document; the list has been updated.') });
        controller.refreshViews();
        return;
      }
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(message.documentUri, true));
      const range = findingRange(finding);
      try {
        await findSourcesForClaim(environment, { uri: message.documentUri, range: toWireRange(range), sentence: document.getText(range) });
      } catch (error) {
        panel.post({ type: 'notice', level: 'error', message: vscode.l10n.t('The literature search could not start: {0}', error instanceof Error ? error.message : String(error)) });
      }
    }),
  );
}
