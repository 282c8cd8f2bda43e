import * as vscode from 'vscode';
import type { ConnectionStatus } from '../../shared/protocol';
import type { ConnectionStateTracker } from '../connection/connectionState';
import type { PanelHub } from '../environment';
import { PanelProvider } from '../panel/panelProvider';

/** The command id, as declared in package.json. */
export const openPanelCommandId = 'biowrite.openPanel';

/** What the command resolves to, for scripts and tests. */
export interface OpenPanelCommandResult {
  /** Whether the panel's webview loaded and said `ready`. */
  readonly ready: boolean;
  /** The connection status the panel shows. */
  readonly connectionStatus?: ConnectionStatus;
  /** The model the panel names. */
  readonly connectionModel?: string;
}

/**
 * Registers “Biowrite: Open Panel”: opens and focuses the Biowrite side panel, resolving once it is ready.
 * @param panel The panel.
 * @param tracker The connection state it shows.
 */
export function registerOpenPanelCommand(panel: PanelHub, tracker: ConnectionStateTracker): vscode.Disposable {
  return vscode.commands.registerCommand(openPanelCommandId, async (): Promise<OpenPanelCommandResult> => {
    await panel.reveal();
    const ready = panel instanceof PanelProvider ? panel.isReady : true;
    const state = tracker.state;
    return { ready, ...(state ? { connectionStatus: state.status, connectionModel: state.model } : {}) };
  });
}
