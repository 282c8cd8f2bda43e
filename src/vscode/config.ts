import * as vscode from 'vscode';

/** Where LLM requests go. */
export type LlmProvider = 'openai' | 'vscode';

/** The `biowrite.llm.*` settings, from user settings or defaults only. */
export interface LlmSettings {
  readonly provider: LlmProvider;
  /** Trimmed, without trailing slashes; may be invalid (the client reports that). */
  readonly baseUrl: string;
  /** Trimmed; may be empty (for `vscode`, the first available model). */
  readonly model: string;
  readonly timeoutSeconds: number;
}

/** Minimal logger for the one-time warning, so tests can pass a fake. */
export interface WarningLog {
  warn(message: string): void;
}

const defaults: LlmSettings = { provider: 'openai', baseUrl: 'http://localhost:11434/v1', model: 'llama3.1:8b', timeoutSeconds: 120 };
const warnedKeys = new Set<string>();

/**
 * Reads an application-scoped setting from the user's settings (or its default), ignoring any value a
 * workspace or folder sets: a cloned repository's `.vscode/settings.json` must never redirect an endpoint.
 * Logs a warning, once per setting and session, when a workspace tried.
 * @param section The section, e.g. `biowrite.llm`.
 * @param key The key inside the section, e.g. `baseUrl`.
 * @param fallback Used when neither the user nor the manifest gives a value.
 * @param log Receives the one-time warning (optional).
 */
export function readApplicationSetting<T>(section: string, key: string, fallback: T, log?: WarningLog): T {
  const inspected = vscode.workspace.getConfiguration(section).inspect<T>(key);
  if (!inspected) return fallback;
  const fromWorkspace = inspected.workspaceValue !== undefined || inspected.workspaceFolderValue !== undefined
    || inspected.workspaceLanguageValue !== undefined || inspected.workspaceFolderLanguageValue !== undefined;
  const fullKey = `${section}.${key}`;
  if (fromWorkspace && log && !warnedKeys.has(fullKey)) {
    warnedKeys.add(fullKey);
    log.warn(`Ignored “${fullKey}” from the workspace settings: it can only be set in your user settings, so a repository cannot redirect your requests or key.`);
  }
  return inspected.globalLanguageValue ?? inspected.globalValue ?? inspected.defaultValue ?? fallback;
}

/**
 * Reads the LLM settings from user settings only, with type checks and bounds.
 * @param log Receives a one-time warning when a workspace tried to set an endpoint (optional).
 */
export function readLlmSettings(log?: WarningLog): LlmSettings {
  const provider = readApplicationSetting<unknown>('biowrite.llm', 'provider', defaults.provider, log);
  const baseUrl = readApplicationSetting<unknown>('biowrite.llm', 'baseUrl', defaults.baseUrl, log);
  const model = readApplicationSetting<unknown>('biowrite.llm', 'model', defaults.model, log);
  const timeout = readApplicationSetting<unknown>('biowrite.llm', 'timeoutSeconds', defaults.timeoutSeconds, log);
  const timeoutSeconds = typeof timeout === 'number' && Number.isFinite(timeout) ? Math.min(3600, Math.max(5, timeout)) : defaults.timeoutSeconds;
  return {
    provider: provider === 'vscode' ? 'vscode' : 'openai',
    baseUrl: typeof baseUrl === 'string' ? baseUrl.trim().replace(/\/+$/, '') : defaults.baseUrl,
    model: typeof model === 'string' ? model.trim() : defaults.model,
    timeoutSeconds,
  };
}

/** True when a configuration change touches the LLM settings. */
export function affectsLlmSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration('biowrite.llm');
}

/** The host of a URL for display (no path, no query), or `undefined` when it is not a URL. */
export function endpointHost(baseUrl: string): string | undefined {
  try {
    return new URL(baseUrl).host || undefined;
  } catch {
    return undefined;
  }
}
