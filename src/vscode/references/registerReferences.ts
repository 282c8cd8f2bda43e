import * as vscode from 'vscode';
import type { BiowriteEnvironment } from '../environment';
import { registerAuditReferencesCommand } from '../commands/auditReferences';
import { applyReferenceFix, applyReferenceFixCommandId, isReferenceFixArgument, ReferenceCodeActionProvider, ReferenceHoverProvider } from './referenceFixes';
import { ReferencesController } from './referencesController';

/** Manuscripts get hovers; manuscripts and bibliography files get quick fixes. */
const manuscripts: vscode.DocumentSelector = [{ language: 'markdown' }, { language: 'latex' }, { language: 'quarto' }, { language: 'rmd' }];
const bibliographies: vscode.DocumentSelector = [...manuscripts, { language: 'json' }, { language: 'bibtex' }, { language: 'yaml' }, { pattern: '**/*.bib' }];

/**
 * Registers the reference audit: the Check References command, diagnostics on citation keys and
 * bibliography entries, quick fixes, hovers, the status-bar count and the panel's References view.
 * Only registers; nothing is read or asked until the first audit.
 * @param environment The extension's environment.
 */
export function registerReferences(environment: BiowriteEnvironment): void {
  const { context, panel } = environment;
  const controller = new ReferencesController(environment);
  context.subscriptions.push(
    controller,
    registerAuditReferencesCommand(controller, () => panel.reveal()),
    vscode.commands.registerCommand(applyReferenceFixCommandId, async (argument?: unknown) => {
      if (!isReferenceFixArgument(argument)) {
        void vscode.window.showErrorMessage(vscode.l10n.t('This fix needs a reference from “Biowrite: Check References”. Run it and pick the fix again.'));
        return 'unavailable';
      }
      return applyReferenceFix(environment, controller, argument);
    }),
    vscode.languages.registerCodeActionsProvider(bibliographies, new ReferenceCodeActionProvider(controller), { providedCodeActionKinds: ReferenceCodeActionProvider.providedCodeActionKinds }),
    vscode.languages.registerHoverProvider(manuscripts, new ReferenceHoverProvider(controller)),
    panel.onMessage('stop', (message) => {
      controller.stop(message.targetRequestId);
    }),
    panel.onMessage('revealReference', async (message) => {
      const audit = controller.auditOf(message.documentUri);
      const finding = audit?.audit.findings.find((candidate) => candidate.key === message.key);
      if (!audit || !finding) {
        panel.post({ type: 'notice', level: 'info', message: vscode.l10n.t('That reference is no longer in the last check; run Check References again.') });
        return;
      }
      const place = message.target === 'entry' && finding.entry ? { uri: finding.entry.file, offset: finding.entry.offset, length: finding.entry.length } : finding.citations[0] ? { uri: audit.manuscript.toString(), offset: finding.citations[0].offset, length: finding.citations[0].length } : undefined;
      if (!place || place.offset < 0) return;
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(place.uri, true));
      const range = new vscode.Range(document.positionAt(place.offset), document.positionAt(place.offset + place.length));
      await vscode.window.showTextDocument(document, { selection: range, preview: false });
    }),
  );
}
