import * as vscode from 'vscode';
import type { BiowriteEnvironment } from '../environment';
import { snapshotActiveEditor } from '../editorSnapshot';
import type { DraftSessions } from '../writing/draftSessions';
import type { ProposalDocuments } from '../writing/proposals';

/** The command id, as declared in package.json. */
export const translateSelectionCommandId = 'biowrite.translateSelection';

/**
 * Registers `Biowrite: Translate Selection…`.
 * @param environment The shared environment.
 * @param sessions The drafts awaiting a decision.
 * @param proposals The proposal documents for diff views.
 */
export function registerTranslateSelectionCommand(environment: BiowriteEnvironment, sessions: DraftSessions, proposals: ProposalDocuments): void {
  environment.context.subscriptions.push(
    vscode.commands.registerCommand(translateSelectionCommandId, async (args?: unknown) => {
      const invokedOn = snapshotActiveEditor();
      return (await import('../writing/translationFlow')).runTranslation(environment, sessions, proposals, 'selection', translateSelectionCommandId, invokedOn, args);
    }),
  );
}
