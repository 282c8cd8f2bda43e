import * as vscode from 'vscode';

/** The URI scheme of proposal documents shown in diff views. */
export const proposalScheme = 'biowrite-proposal';

/**
 * Read-only virtual documents holding a proposal (a drafted abstract or a translation in place), so that
 * `vscode.diff` can compare them with the user's document before anything is applied.
 */
export class ProposalDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a proposal's text changes. */
  readonly onDidChange = this.changed.event;

  /** Returns the text of a proposal (empty when it was discarded). */
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /**
   * Stores a proposal and returns its URI; the file name keeps the original's extension for highlighting.
   * @param id The draft's id.
   * @param original The document the proposal is for.
   * @param text The proposed full text.
   */
  set(id: string, original: vscode.Uri, text: string): vscode.Uri {
    const name = original.path.split('/').pop() ?? 'proposal';
    const uri = vscode.Uri.from({ scheme: proposalScheme, path: `/${id}/${name}` });
    this.contents.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }

  /** Forgets a proposal. */
  delete(uri: vscode.Uri): void {
    this.contents.delete(uri.toString());
  }

  /** Releases the event emitter. */
  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }
}
