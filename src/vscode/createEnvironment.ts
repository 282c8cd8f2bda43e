import * as vscode from 'vscode';
import type { LlmClient } from '../core/llm/types';
import { LlmError } from '../core/llm/types';
import type { BiowriteEnvironment } from './environment';
import { readLlmSettings, type LlmSettings } from './config';
import { localiseCore } from './localiseCore';
import { createLogChannel, createRequestLogger } from './log';
import { PanelProvider, panelViewId } from './panel/panelProvider';
import { ApiKeyStore } from './secrets';

/**
 * Builds what every feature's `register…` receives, cheaply: the log channel and the panel are created
 * and registered; the LLM client (and the `openai` package) only on first use, and again whenever the
 * settings or the key differ from those it was made with. Everything is pushed to `context.subscriptions`.
 * @param context The extension context.
 */
export function createEnvironment(context: vscode.ExtensionContext): BiowriteEnvironment {
  localiseCore();
  const log = createLogChannel();
  context.subscriptions.push(log);
  const logRequest = createRequestLogger(log);
  const panelProvider = new PanelProvider(context.extensionUri, log);
  context.subscriptions.push(
    panelProvider,
    vscode.window.registerWebviewViewProvider(panelViewId, panelProvider, { webviewOptions: { retainContextWhenHidden: true } }),
  );
  const apiKeys = new ApiKeyStore(context.secrets);
  let cached: { readonly fingerprint: string; readonly client: LlmClient } | undefined;

  async function createClient(settings: LlmSettings, apiKey: string | undefined): Promise<LlmClient> {
    if (settings.provider === 'vscode') {
      const { VscodeLmClient } = await import('./vscodeLmClient');
      return new VscodeLmClient(settings.model, logRequest, settings.timeoutSeconds * 1000);
    }
    if (settings.baseUrl === '') {
      throw new LlmError('notConfigured', vscode.l10n.t('No LLM endpoint is set. Set “biowrite.llm.baseUrl” in your user settings (e.g. http://localhost:11434/v1 for Ollama).'));
    }
    // Loaded on first use so that activation stays light.
    const { OpenAiLlmClient } = await import('../core/llm/openaiClient');
    return new OpenAiLlmClient({
      baseUrl: settings.baseUrl,
      model: settings.model,
      timeoutMs: settings.timeoutSeconds * 1000,
      logRequest,
      ...(apiKey ? { apiKey } : {}),
    });
  }

  return {
    context,
    panel: panelProvider,
    log,
    logRequest,
    async getLlmClient(): Promise<LlmClient> {
      const settings = readLlmSettings(log);
      const apiKey = settings.provider === 'openai' ? await apiKeys.get() : undefined;
      // Compared in memory only: a changed setting or key yields a new client, without waiting for change events.
      const fingerprint = JSON.stringify([settings, apiKey ?? '']);
      if (cached?.fingerprint === fingerprint) return cached.client;
      const client = await createClient(settings, apiKey);
      cached = { fingerprint, client };
      return client;
    },
    getLlmEndpoint() {
      const settings = readLlmSettings(log);
      return settings.provider === 'vscode' ? undefined : { baseUrl: settings.baseUrl };
    },
  };
}
