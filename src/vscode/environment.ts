import type * as vscode from 'vscode';
import type { LlmClient, RequestLogger } from '../core/llm/types';
import type { HostMessage, WebviewMessage } from '../shared/protocol';

/** A handler for one kind of webview message. */
export type WebviewMessageHandler<T extends WebviewMessage['type']> = (
  message: Extract<WebviewMessage, { type: T }>,
) => void | Promise<void>;

/** The Biowrite panel as features see it: post messages, handle the webview's requests. */
export interface PanelHub {
  /**
   * Sends a message to the panel. Messages sent before the webview is ready are
   * queued; the latest `connection` and `claims` messages are replayed when the
   * view is re-created.
   */
  post(message: HostMessage): void;
  /** Handles one kind of message from the webview; the returned disposable unregisters it. */
  onMessage<T extends WebviewMessage['type']>(type: T, handler: WebviewMessageHandler<T>): vscode.Disposable;
  /** Opens and focuses the panel. */
  reveal(): Promise<void>;
}

/** What every feature's `register…` function receives from `extension.ts`. */
export interface BiowriteEnvironment {
  readonly context: vscode.ExtensionContext;
  readonly panel: PanelHub;
  /** The "Biowrite" output channel. Log services, statuses and latencies; never manuscript text or keys. */
  readonly log: vscode.LogOutputChannel;
  /** For HTTP clients: writes one line per request to the log. */
  readonly logRequest: RequestLogger;
  /**
   * The configured LLM client, created on first use and re-created when the settings or the key change.
   * Rejects with an `LlmError` of kind `notConfigured` (with a next step) when there is none.
   */
  getLlmClient(): Promise<LlmClient>;
  /** Where the configured LLM endpoint lives, for the privacy check: `undefined` for VS Code's LM API. */
  getLlmEndpoint(): { readonly baseUrl: string } | undefined;
}
