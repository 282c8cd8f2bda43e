import * as vscode from 'vscode';
import type { PanelCommand } from '../../shared/protocol';
import type { BiowriteEnvironment } from '../environment';
import { registerClearApiKeyCommand } from '../commands/clearApiKey';
import { registerOpenPanelCommand } from '../commands/openPanel';
import { registerSetApiKeyCommand } from '../commands/setApiKey';
import { registerShowLogCommand } from '../commands/showLog';
import { registerTestConnectionCommand } from '../commands/testConnection';
import { ApiKeyStore } from '../secrets';
import { ConnectionStateTracker } from './connectionState';
import { WorkspaceSettingsGuard } from './workspaceSettingsGuard';

/** The Get Started walkthrough, as `<publisher>.<name>#<id>`. */
const walkthroughId = 'biowrite.biowrite#biowrite.getStarted';

/** The VS Code command (and arguments) behind each panel button. */
export function commandForPanelButton(command: PanelCommand): readonly [string, ...unknown[]] {
  switch (command) {
    case 'setApiKey':
      return ['biowrite.setApiKey'];
    case 'clearApiKey':
      return ['biowrite.clearApiKey'];
    case 'testConnection':
      return ['biowrite.testConnection'];
    case 'openSettings':
      return ['workbench.action.openSettings', 'biowrite.llm'];
    case 'showLog':
      return ['biowrite.showLog'];
    case 'checkClaims':
      return ['biowrite.checkClaims'];
    case 'searchLiterature':
      return ['biowrite.searchLiterature'];
    case 'draftAbstract':
      return ['biowrite.draftAbstract'];
    case 'auditReferences':
      return ['biowrite.auditReferences'];
    case 'openWalkthrough':
      return ['workbench.action.openWalkthrough', walkthroughId, false];
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

/**
 * Registers the LLM connection feature: the key commands, Test LLM Connection, Show Log, Open Panel and
 * the panel's buttons, and keeps the panel's connection state current on settings, key and trust changes
 * (without any network call at activation).
 * @param environment The shared environment.
 */
export function registerConnection(environment: BiowriteEnvironment): void {
  const { context, panel, log } = environment;
  const apiKeys = new ApiKeyStore(context.secrets);
  const tracker = new ConnectionStateTracker(panel, apiKeys, log);
  const guard = new WorkspaceSettingsGuard(context, log, panel);
  context.subscriptions.push(
    tracker,
    guard,
    registerSetApiKeyCommand(apiKeys),
    registerClearApiKeyCommand(apiKeys),
    registerTestConnectionCommand(environment, tracker),
    registerShowLogCommand(log),
    registerOpenPanelCommand(panel, tracker),
    panel.onMessage('runCommand', async (message) => {
      const [command, ...args] = commandForPanelButton(message.command);
      await vscode.commands.executeCommand(command, ...args);
    }),
  );
  void tracker.refresh();
  void guard.check();
}
