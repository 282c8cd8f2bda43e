import * as vscode from 'vscode';

/** The command id, as declared in package.json. */
export const showLogCommandId = 'biowrite.showLog';

/**
 * Registers “Biowrite: Show Log”: reveals the “Biowrite” output channel.
 * @param log The channel.
 */
export function registerShowLogCommand(log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(showLogCommandId, () => log.show(false));
}
