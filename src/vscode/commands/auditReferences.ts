import * as vscode from 'vscode';
import { manuscriptLanguageOf } from '../claims/claimsSettings';
import type { AuditSummary, ReferencesController } from '../references/referencesController';

/** The command id, as declared in package.json. */
export const auditReferencesCommandId = 'biowrite.auditReferences';

/** The command's argument (optional; tests pass it): the manuscript and whether to ask the services. */
export interface AuditReferencesArgs {
  readonly uri?: string;
  readonly online?: boolean;
}

function isArgs(value: unknown): value is AuditReferencesArgs {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri);
}

/**
 * Registers “Check References”: audits the bibliography of the active manuscript (or of the one given)
 * in the background, with progress and cancel, and opens the panel's References view.
 * @param controller Runs the audit and publishes diagnostics.
 */
export function registerAuditReferencesCommand(controller: ReferencesController, reveal: () => Promise<void>): vscode.Disposable {
  return vscode.commands.registerCommand(auditReferencesCommandId, async (argument?: unknown): Promise<AuditSummary | undefined> => {
    const args = isArgs(argument) ? argument : {};
    let document: vscode.TextDocument | undefined;
    if (argument instanceof vscode.Uri) document = await vscode.workspace.openTextDocument(argument);
    else if (typeof args.uri === 'string') document = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri, true));
    else {
      const active = vscode.window.activeTextEditor?.document;
      // Run from a bibliography file: the manuscript audited last that uses it.
      const audited = active ? controller.auditOf(active.uri) : undefined;
      document = audited ? await vscode.workspace.openTextDocument(audited.manuscript) : active;
    }
    if (!document || !manuscriptLanguageOf(document.languageId)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a Markdown, Quarto or LaTeX manuscript, then run “Biowrite: Check References”.'));
      return undefined;
    }
    void reveal();
    const summary = await controller.audit(document, { online: args.online });
    if (summary.state === 'done') {
      vscode.window.setStatusBarMessage(
        summary.withFindings === 0 ? vscode.l10n.t('Biowrite: {0} references checked, nothing to fix.', summary.entries) : vscode.l10n.t('Biowrite: {0} of {1} references to fix.', summary.withFindings, summary.entries),
        5000,
      );
    }
    return summary;
  });
}
