import * as vscode from 'vscode';

/**
 * Whether Biowrite may read a file the workspace points it to (a manuscript's bibliography, a path
 * resolved in the workspace folder): always in a trusted workspace; in Restricted Mode only when it lies
 * inside a workspace folder, symbolic links followed (`file:` URIs). A cloned repository must not make
 * Biowrite read `~/.ssh` through `bibliography: ../../.ssh/id_rsa` or a link named `refs.bib`.
 * @param uri The file, resolved from the manuscript or the workspace folder.
 */
export async function mayReadWorkspaceFile(uri: vscode.Uri): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const { isLocationInside } = await import('../core/files/pathContainment');
  return isLocationInside(uri, (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri));
}
