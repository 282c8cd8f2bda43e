import * as vscode from 'vscode';
import { LlmError, type LlmErrorKind } from '../../core/llm/types';
import type { BiowriteEnvironment } from '../environment';
import type { ConnectionStateTracker } from '../connection/connectionState';
import { endpointHost } from '../config';

/** The command id, as declared in package.json. */
export const testConnectionCommandId = 'biowrite.testConnection';

/** What the command resolves to, for scripts and tests: never the key or any text. */
export type TestConnectionCommandResult =
  | { readonly ok: true; readonly model: string; readonly latencyMs: number; readonly endpointHost?: string; readonly totalTokens?: number }
  | { readonly ok: false; readonly kind: LlmErrorKind; readonly message: string; readonly status?: number };

/** The buttons offered with a failure, by what would fix it. */
type FixAction = 'setApiKey' | 'openSettings' | 'showLog' | 'retry';

/** The next steps worth offering for each kind of failure, most useful first. */
export function fixActionsFor(kind: LlmErrorKind): readonly FixAction[] {
  switch (kind) {
    case 'unauthorized':
      return ['setApiKey', 'showLog'];
    case 'modelNotFound':
    case 'dns':
    case 'tls':
    case 'notConfigured':
    case 'badResponse':
      return ['openSettings', 'showLog'];
    case 'refused':
    case 'timeout':
    case 'server':
    case 'rateLimited':
      return ['retry', 'openSettings', 'showLog'];
    case 'aborted':
      return [];
    case 'unknown':
      return ['showLog', 'openSettings'];
    default: {
      const _exhaustive: never = kind;
      return _exhaustive;
    }
  }
}

function label(action: FixAction): string {
  switch (action) {
    case 'setApiKey':
      return vscode.l10n.t('Set API Key');
    case 'openSettings':
      return vscode.l10n.t('Open Settings');
    case 'showLog':
      return vscode.l10n.t('Show Log');
    case 'retry':
      return vscode.l10n.t('Retry');
    default: {
      const _exhaustive: never = action;
      return _exhaustive;
    }
  }
}

async function runFix(action: FixAction): Promise<void> {
  switch (action) {
    case 'setApiKey':
      await vscode.commands.executeCommand('biowrite.setApiKey');
      return;
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'biowrite.llm');
      return;
    case 'showLog':
      await vscode.commands.executeCommand('biowrite.showLog');
      return;
    case 'retry':
      await vscode.commands.executeCommand(testConnectionCommandId);
      return;
    default: {
      const _exhaustive: never = action;
      return _exhaustive;
    }
  }
}

/**
 * Registers “Biowrite: Test LLM Connection”: one small request under a cancellable progress notification,
 * reporting model and latency (in a notification and the panel), or a precise error with buttons for the fix.
 * @param environment The LLM client and the log.
 * @param tracker The panel's connection state.
 */
export function registerTestConnectionCommand(environment: BiowriteEnvironment, tracker: ConnectionStateTracker): vscode.Disposable {
  return vscode.commands.registerCommand(testConnectionCommandId, async (): Promise<TestConnectionCommandResult> => {
    const fingerprint = await tracker.fingerprint();
    await tracker.setCheck({ status: 'checking' }, fingerprint);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Biowrite: testing the LLM connection…'), cancellable: true },
      async (_progress, cancellation): Promise<TestConnectionCommandResult> => {
        const controller = new AbortController();
        const subscription = cancellation.onCancellationRequested(() => controller.abort());
        try {
          const client = await environment.getLlmClient();
          const { testConnection } = await import('../../core/llm/openaiClient');
          const outcome = await testConnection(client, controller.signal);
          const endpoint = environment.getLlmEndpoint();
          const host = endpoint ? endpointHost(endpoint.baseUrl) : undefined;
          return {
            ok: true,
            model: outcome.model,
            latencyMs: outcome.latencyMs,
            ...(host ? { endpointHost: host } : {}),
            ...(outcome.usage ? { totalTokens: outcome.usage.totalTokens } : {}),
          };
        } catch (failure) {
          const error = failure instanceof LlmError ? failure : new LlmError('unknown', vscode.l10n.t('The check failed: {0}', failure instanceof Error ? failure.message : String(failure)));
          return { ok: false, kind: error.kind, message: error.message, ...(error.status !== undefined ? { status: error.status } : {}) };
        } finally {
          subscription.dispose();
        }
      },
    );

    // Settings changed during the check: its outcome describes an endpoint no longer in use.
    if ((await tracker.fingerprint()) !== fingerprint) {
      await tracker.refresh();
      return result;
    }
    if (result.ok) {
      await tracker.setCheck({ status: 'ok', model: result.model, latencyMs: result.latencyMs }, fingerprint);
      environment.log.info(`Connection test: ${result.model} answered in ${result.latencyMs} ms.`);
      void vscode.window.showInformationMessage(
        result.endpointHost
          ? vscode.l10n.t('Biowrite is connected: {0} at {1} answered in {2} ms.', result.model, result.endpointHost, result.latencyMs)
          : vscode.l10n.t('Biowrite is connected: {0} answered in {1} ms.', result.model, result.latencyMs),
      );
      return result;
    }
    if (result.kind === 'aborted') {
      await tracker.clearCheck();
      return result;
    }
    await tracker.setCheck({ status: 'unreachable', detail: result.message }, fingerprint);
    environment.log.warn(`Connection test failed (${result.kind}${result.status !== undefined ? ` ${result.status}` : ''}).`);
    const actions = fixActionsFor(result.kind);
    void vscode.window.showErrorMessage(vscode.l10n.t('Biowrite could not reach the LLM: {0}', result.message), ...actions.map(label)).then((choice) => {
      const action = actions.find((candidate) => label(candidate) === choice);
      if (action) void runFix(action);
    });
    return result;
  });
}
