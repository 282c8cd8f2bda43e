import * as vscode from 'vscode';
import type { PanelHub } from '../environment';
import { Disposable } from '../disposable';
import { applicationScopedKeys, findIgnoredWorkspaceSettings } from '../ignoredWorkspaceSettings';

/**
 * Watches the workspace's settings files for Biowrite settings only user settings may set (endpoints,
 * privacy, services). VS Code already ignores them there; this says so, once per setting and session,
 * in the log and the panel, so a user wondering why a repository's setting has no effect learns why.
 */
export class WorkspaceSettingsGuard extends Disposable {
  private readonly warned = new Set<string>();
  private readonly keys: ReadonlySet<string>;

  /**
   * @param context The extension context (its manifest lists the application-scoped settings).
   * @param log Receives the warning.
   * @param panel Shows the warning as a notice.
   */
  constructor(
    context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly panel: PanelHub,
  ) {
    super();
    const manifest = context.extension.packageJSON as { contributes?: { configuration?: unknown } };
    this.keys = applicationScopedKeys(manifest.contributes?.configuration);
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/.vscode/settings.json', false, false, true));
    this._register(watcher.onDidCreate(() => void this.check()));
    this._register(watcher.onDidChange(() => void this.check()));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.check()));
  }

  /** Reads the workspace's settings files and reports newly found application-scoped settings. */
  async check(): Promise<readonly string[]> {
    const files = (vscode.workspace.workspaceFolders ?? []).map((folder) => vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'));
    const workspaceFile = vscode.workspace.workspaceFile;
    if (workspaceFile && workspaceFile.scheme !== 'untitled') files.push(workspaceFile);
    const found: string[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
      } catch {
        continue;
      }
      for (const key of findIgnoredWorkspaceSettings(text, this.keys)) if (!found.includes(key)) found.push(key);
    }
    const fresh = found.filter((key) => !this.warned.has(key));
    if (fresh.length > 0) {
      fresh.forEach((key) => this.warned.add(key));
      const list = fresh.join(', ');
      this.log.warn(`Ignored workspace settings that only user settings may set: ${list}. A repository cannot redirect Biowrite's requests or key.`);
      this.panel.post({
        type: 'notice',
        level: 'warning',
        message: vscode.l10n.t('This workspace’s settings try to set {0}. Biowrite ignores them: endpoints and privacy settings come from your user settings only.', list),
      });
    }
    return found;
  }
}
