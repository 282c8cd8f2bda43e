import * as vscode from 'vscode';
import { snapshotActiveEditor } from '../editorSnapshot';
import type { BiowriteEnvironment } from '../environment';
import type { ProposalDocuments } from '../writing/proposals';
import type { DraftSessions } from '../writing/draftSessions';

export type { DraftAbstractArgs, DraftAbstractCommandResult } from '../writing/draftAbstractFlow';

/** The command id, as declared in package.json. */
export const draftAbstractCommandId = 'biowrite.draftAbstract';

/**
 * Registers Draft Abstract. The flow (structures, privacy check, prompts) loads on first use, so that
 * activation stays light.
 * @param environment The shared environment.
 * @param sessions The drafts awaiting a decision.
 * @param proposals The proposal documents for diff views.
 */
export function registerDraftAbstractCommand(environment: BiowriteEnvironment, sessions: DraftSessions, proposals: ProposalDocuments): void {
  environment.context.subscriptions.push(
    vscode.commands.registerCommand(draftAbstractCommandId, async (rawArgs?: unknown) => {
      const invokedOn = snapshotActiveEditor();
      const { runDraftAbstract } = await import('../writing/draftAbstractFlow');
      return runDraftAbstract(environment, sessions, proposals, invokedOn, rawArgs);
    }),
  );
}
