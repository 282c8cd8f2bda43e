import * as vscode from 'vscode';
import type { BiowriteEnvironment } from '../environment';
import { registerDraftAbstractCommand } from '../commands/draftAbstract';
import { registerTranslateDocumentCommand } from '../commands/translateDocument';
import { registerTranslateSelectionCommand } from '../commands/translateSelection';
import { DraftSessions, type AcceptOutcome } from './draftSessions';
import { ProposalDocuments, proposalScheme } from './proposals';

/** Internal command: accepts a draft by id (the notification and tests use it; not in the palette). */
export const acceptDraftCommandId = 'biowrite.writing.acceptDraft';
/** Internal command: discards a draft by id. */
export const discardDraftCommandId = 'biowrite.writing.discardDraft';

/**
 * Registers abstract drafting and translation: the three commands, the proposal documents for diff views,
 * and the panel's stop / accept / discard buttons. Nothing runs at activation beyond registration.
 * @param environment The shared environment.
 */
export function registerWriting(environment: BiowriteEnvironment): void {
  const { context, panel } = environment;
  const proposals = new ProposalDocuments();
  const sessions = new DraftSessions(environment, proposals);
  context.subscriptions.push(proposals, sessions, vscode.workspace.registerTextDocumentContentProvider(proposalScheme, proposals));
  registerDraftAbstractCommand(environment, sessions, proposals);
  registerTranslateSelectionCommand(environment, sessions, proposals);
  registerTranslateDocumentCommand(environment, sessions, proposals);
  context.subscriptions.push(
    // Other features' stops carry their own ids; only ours are acted on.
    panel.onMessage('stop', (message) => {
      sessions.stop(message.targetRequestId);
    }),
    panel.onMessage('acceptDraft', async (message) => {
      const outcome = await sessions.accept(message.draftId);
      if (outcome === 'unknown') panel.post({ type: 'reply', requestId: message.requestId, ok: false, error: vscode.l10n.t('This draft is no longer available.') });
    }),
    panel.onMessage('discardDraft', async (message) => {
      await sessions.discard(message.draftId);
    }),
    vscode.commands.registerCommand(acceptDraftCommandId, (draftId: string): Promise<AcceptOutcome> => sessions.accept(draftId)),
    vscode.commands.registerCommand(discardDraftCommandId, (draftId: string): Promise<boolean> => sessions.discard(draftId)),
  );
}
