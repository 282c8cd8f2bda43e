import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { ConnectionState } from '../../shared/protocol';
import type { PanelHub } from '../environment';
import { isLocalEndpoint } from '../../core/privacy/endpoint';
import { endpointHost, readApplicationSetting, readLlmSettings, type LlmSettings, type WarningLog } from '../config';
import { Disposable } from '../disposable';
import type { ApiKeyStore } from '../secrets';

/** The outcome of the last connection check, kept until the settings or the key change. */
export type ConnectionCheck =
  | { readonly status: 'checking' }
  | { readonly status: 'ok'; readonly model: string; readonly latencyMs: number }
  | { readonly status: 'unreachable'; readonly detail: string };

/**
 * What the panel shows before any request: `configured` when the settings can work, `notConfigured`
 * (with the fix) when they cannot. Makes no network call.
 * @param settings The LLM settings.
 * @param hasApiKey Whether a key is stored.
 * @param workspaceTrusted Whether the workspace is trusted.
 * @param localHosts The hosts the user declared local (`biowrite.privacy.localHosts`), e.g. a lab server that needs no key (optional).
 */
export function describeConfiguration(settings: LlmSettings, hasApiKey: boolean, workspaceTrusted: boolean, localHosts: readonly string[] = []): ConnectionState {
  const base = { provider: settings.provider, model: settings.model, hasApiKey, workspaceTrusted };
  if (settings.provider === 'vscode') {
    // The VS Code client prefers the configured family but falls back to the first model available,
    // so the panel must not claim a model before a request has chosen one.
    const model = settings.model === '' ? vscode.l10n.t('first available model') : vscode.l10n.t('{0}, or the first available model', settings.model);
    return { ...base, model, status: 'configured', detail: vscode.l10n.t('Requests go to a language model of VS Code (e.g. GitHub Copilot). Test Connection to check that one is available.') };
  }
  const host = endpointHost(settings.baseUrl);
  let protocol = '';
  try {
    protocol = new URL(settings.baseUrl).protocol;
  } catch {
    // Reported below as an invalid URL.
  }
  if (!host || (protocol !== 'http:' && protocol !== 'https:')) {
    return { ...base, status: 'notConfigured', detail: vscode.l10n.t('“biowrite.llm.baseUrl” is not an http(s) URL. Open Settings and set it, e.g. http://localhost:11434/v1 for Ollama.') };
  }
  const withHost = { ...base, endpointHost: host };
  if (settings.model === '') {
    return { ...withHost, status: 'notConfigured', detail: vscode.l10n.t('No model is set. Open Settings and set “biowrite.llm.model” to a model the endpoint serves.') };
  }
  if (!hasApiKey && !isLocalEndpoint(settings.baseUrl, localHosts)) {
    return { ...withHost, status: 'notConfigured', detail: vscode.l10n.t('{0} is a hosted endpoint and no API key is stored. Set API Key, or use a local endpoint such as Ollama.', host) };
  }
  return { ...withHost, status: 'configured' };
}

/**
 * Keeps the panel's connection state current: recomputed (without network calls) when the LLM settings,
 * the key or the workspace trust change, and updated by connection checks. A check's outcome is shown
 * only while the settings and key are those it was made with.
 */
export class ConnectionStateTracker extends Disposable {
  private check: { readonly outcome: ConnectionCheck; readonly fingerprint: string } | undefined;
  private current: ConnectionState | undefined;
  private refreshes = 0;

  /**
   * @param panel Where the state is shown.
   * @param apiKeys The stored key (only whether one exists is shown).
   * @param log Receives a warning when a workspace tries to set the endpoint.
   */
  constructor(
    private readonly panel: PanelHub,
    private readonly apiKeys: ApiKeyStore,
    private readonly log: WarningLog,
  ) {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('biowrite.llm') || event.affectsConfiguration('biowrite.privacy.localHosts')) void this.refresh();
      }),
    );
    this._register(this.apiKeys.onDidChange(() => void this.refresh()));
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh()));
  }

  /** The state last sent to the panel. */
  get state(): ConnectionState | undefined {
    return this.current;
  }

  /**
   * Identifies the current settings and key (the key only as a hash, kept in memory): a check records
   * it, and its outcome is dropped once the settings or key differ.
   */
  async fingerprint(): Promise<string> {
    const key = await this.apiKeys.get();
    const keyHash = key ? createHash('sha256').update(key).digest('hex') : '';
    return JSON.stringify([readLlmSettings(), keyHash]);
  }

  /**
   * Records a check's progress or outcome; resolves once the panel was sent the new state.
   * @param outcome The progress or outcome.
   * @param fingerprint From {@link fingerprint}, taken when the check started.
   */
  async setCheck(outcome: ConnectionCheck, fingerprint: string): Promise<void> {
    this.check = { outcome, fingerprint };
    await this.refresh();
  }

  /** Drops an unfinished check (it was cancelled), returning to the configuration state. */
  async clearCheck(): Promise<void> {
    this.check = undefined;
    await this.refresh();
  }

  /** Recomputes the state from the settings, the key, trust and the last check, and posts it. */
  async refresh(): Promise<ConnectionState> {
    const sequence = ++this.refreshes;
    const hasApiKey = (await this.apiKeys.get()) !== undefined;
    const fingerprint = await this.fingerprint();
    // Read after the awaits, so the settings, trust and check are the newest ones.
    const localHosts = readApplicationSetting<unknown>('biowrite.privacy', 'localHosts', [], this.log);
    const hosts = Array.isArray(localHosts) ? localHosts.filter((host): host is string => typeof host === 'string') : [];
    const base = describeConfiguration(readLlmSettings(this.log), hasApiKey, vscode.workspace.isTrusted, hosts);
    if (this.check && this.check.fingerprint !== fingerprint) this.check = undefined;
    const state = this.apply(base, this.check?.outcome);
    // A later refresh may have finished first; the older one must not overwrite it.
    if (sequence === this.refreshes) {
      this.current = state;
      this.panel.post({ type: 'connection', state });
    }
    return state;
  }

  private apply(base: ConnectionState, check: ConnectionCheck | undefined): ConnectionState {
    if (!check) return base;
    switch (check.status) {
      case 'checking':
        return { ...base, status: 'checking', detail: vscode.l10n.t('Sending one small request…') };
      case 'ok':
        return { ...base, status: 'ok', model: check.model, latencyMs: check.latencyMs, detail: undefined };
      case 'unreachable':
        return { ...base, status: 'unreachable', detail: check.detail };
      default: {
        const _exhaustive: never = check;
        return _exhaustive;
      }
    }
  }
}
