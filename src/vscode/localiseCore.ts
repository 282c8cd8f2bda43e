import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

/**
 * Gives the messages built in `src/core` (which cannot import `vscode` and calls `l10n.t` from
 * `@vscode/l10n`) the translations VS Code loaded for this extension. Without a bundle (English, or
 * the CLI, which never calls this) they stay in English.
 */
export function localiseCore(): void {
  const bundle = vscode.l10n.bundle;
  if (bundle) l10n.config({ contents: bundle });
}
