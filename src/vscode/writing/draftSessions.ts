import * as vscode from 'vscode';
import type { DraftKind } from '../../shared/protocol';
import type { BiowriteEnvironment } from '../environment';
import type { ProposalDocuments } from './proposals';

/** The edit a finished draft proposes: replace `range` of the document (as it was at the start) with `text`. */
export interface ProposedEdit {
  readonly range: vscode.Range;
  readonly text: string;
}

/** One draft (abstract or translation), from start to accept or discard. */
export interface DraftSession {
  readonly id: string;
  readonly kind: DraftKind;
  readonly documentUri: vscode.Uri;
  /** `document.version` when the draft started: a draft is only applied to that version. */
  readonly documentVersion: number;
  readonly controller: AbortController;
  /** Runs the same command again, for a stale draft. */
  readonly rerun: () => Thenable<unknown>;
  /** Set once the draft is complete and may be applied. */
  edit?: ProposedEdit;
  /** The proposal document shown in the diff view, when there is one. */
  proposalUri?: vscode.Uri;
}

/** What accepting a draft did, for callers and tests. */
export type AcceptOutcome = 'applied' | 'stale' | 'notReady' | 'unknown' | 'failed';

/**
 * The drafts in flight and awaiting a decision. The panel's stop, accept and discard buttons and the
 * notification buttons all come here; accepting applies one WorkspaceEdit (one undo step), and only to the
 * document version the draft was made from.
 */
export class DraftSessions {
  private readonly sessions = new Map<string, DraftSession>();

  /**
   * @param environment The shared environment.
   * @param proposals The proposal documents of diff views.
   */
  constructor(
    private readonly environment: BiowriteEnvironment,
    private readonly proposals: ProposalDocuments,
  ) {}

  /** Registers a new session. */
  add(session: DraftSession): void {
    this.sessions.set(session.id, session);
  }

  /** The session with this id, if any. */
  get(id: string): DraftSession | undefined {
    return this.sessions.get(id);
  }

  /** Stops a running draft; returns false when there is none. */
  stop(id: string): boolean {
    const session = this.sessions.get(id);
    if (!session) return false;
    session.controller.abort();
    return true;
  }

  /**
   * Applies a finished draft, unless the document changed since the draft started: then nothing is applied
   * and the user is offered to re-run.
   * @param id The draft's id.
   * @returns What happened.
   */
  async accept(id: string): Promise<AcceptOutcome> {
    const session = this.sessions.get(id);
    if (!session) return 'unknown';
    if (!session.edit) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The draft is not finished yet.'));
      return 'notReady';
    }
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === session.documentUri.toString());
    if (!document || document.isClosed || document.version !== session.documentVersion) {
      this.environment.log.info(`writing: refused a stale ${session.kind} draft`);
      const rerun = vscode.l10n.t('Run Again');
      void vscode.window
        .showWarningMessage(vscode.l10n.t('The document changed after the draft started, so the draft was not applied. Run it again on the current text?'), rerun)
        .then((choice) => (choice === rerun ? session.rerun() : undefined));
      return 'stale';
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, session.edit.range, session.edit.text);
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The draft could not be applied; the document was left as it was.'));
      return 'failed';
    }
    this.environment.log.info(`writing: applied a ${session.kind} draft`);
    await this.finish(session);
    return 'applied';
  }

  /**
   * Settles a finished draft: one that cannot be applied is dropped; otherwise a notification offers
   * Accept and Discard (the panel's buttons do the same).
   * @param id The draft's id.
   * @param canAccept Whether the draft may be applied.
   * @param message The notification's text (unused when the draft is dropped).
   */
  async offer(id: string, canAccept: boolean, message: string): Promise<void> {
    if (!canAccept) {
      await this.discard(id);
      return;
    }
    const accept = vscode.l10n.t('Accept');
    const discard = vscode.l10n.t('Discard');
    void vscode.window.showInformationMessage(message, accept, discard).then(async (choice) => {
      if (choice === accept) await this.accept(id);
      else if (choice === discard) await this.discard(id);
    });
  }

  /**
   * Settles a draft whose generation failed: drops it, logs the failure (its kind, never the text),
   * and tells the panel and the user.
   * @param id The draft's id.
   * @param task The task's name in the log, e.g. `abstract`.
   * @param error What was thrown.
   * @param startedAt When the task started (`Date.now()`), for the log.
   * @param describe Builds the user's message from the error's message.
   */
  async fail(id: string, task: string, error: unknown, startedAt: number, describe: (message: string) => string): Promise<void> {
    await this.discard(id);
    const message = error instanceof Error ? error.message : String(error);
    const kind = typeof error === 'object' && error !== null && 'kind' in error && typeof error.kind === 'string' ? error.kind : 'error';
    this.environment.log.warn(`${task}: failed (${kind}) after ${Date.now() - startedAt} ms`);
    this.environment.panel.post({ type: 'draftError', requestId: id, message });
    void vscode.window.showErrorMessage(describe(message));
  }

  /** Drops a draft without touching the document. */
  async discard(id: string): Promise<boolean> {
    const session = this.sessions.get(id);
    if (!session) return false;
    session.controller.abort();
    await this.finish(session);
    return true;
  }

  private async finish(session: DraftSession): Promise<void> {
    this.sessions.delete(session.id);
    if (!session.proposalUri) return;
    const proposal = session.proposalUri.toString();
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === proposal);
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true);
    this.proposals.delete(session.proposalUri);
  }

  /** Aborts everything still running. */
  dispose(): void {
    for (const session of this.sessions.values()) session.controller.abort();
    this.sessions.clear();
  }
}

/**
 * Runs work under a cancellable progress notification whose token aborts `controller`.
 * @param title The notification's title.
 * @param controller Aborted when the user cancels.
 * @param work The work, given a progress reporter.
 * @returns What the work returns.
 */
export function withCancellableProgress<T>(title: string, controller: AbortController, work: (report: (message: string) => void) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const subscription = token.onCancellationRequested(() => controller.abort());
    return work((message) => progress.report({ message })).finally(() => subscription.dispose());
  });
}
