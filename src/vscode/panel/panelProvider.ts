import * as vscode from 'vscode';
import { LlmError } from '../../core/llm/types';
import type { HostMessage, WebviewMessage, WebviewMessageType } from '../../shared/protocol';
import type { PanelHub, WebviewMessageHandler } from '../environment';
import { Disposable } from '../disposable';
import { createNonce, renderPanelHtml } from './panelHtml';
import { PanelOutbox, type StickyMessageType } from './panelOutbox';
import { validateWebviewMessage } from './validateMessage';

/** The view id declared in package.json. */
export const panelViewId = 'biowrite.panel';

type AnyHandler = (message: WebviewMessage) => void | Promise<void>;

/**
 * The Biowrite side panel: a `WebviewViewProvider` that is also the {@link PanelHub} features talk to.
 * It queues messages until the webview says `ready`, replays the latest `connection` and `claims`
 * messages when the view is re-created, validates what the webview sends and dispatches it to handlers,
 * answering a failed handler with a `reply` that carries the error.
 */
export class PanelProvider extends Disposable implements vscode.WebviewViewProvider, PanelHub {
  private view: vscode.WebviewView | undefined;
  private viewDisposables: vscode.Disposable[] = [];
  private readonly outbox = new PanelOutbox();
  private readonly handlers = new Map<WebviewMessageType, Set<AnyHandler>>();
  private readonly onDidBecomeReadyEmitter = this._register(new vscode.EventEmitter<void>());

  /** Fires each time a (re-)created webview has loaded and received the replayed state. */
  readonly onDidBecomeReady = this.onDidBecomeReadyEmitter.event;

  /**
   * @param extensionUri The extension's root, for `dist/` and `media/`.
   * @param log Receives dropped messages and handler failures (never their content).
   */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register({ dispose: () => this.disposeView() });
  }

  /** Whether a webview is showing and has said `ready`. */
  get isReady(): boolean {
    return this.outbox.isReady && this.view !== undefined;
  }

  /** Called by VS Code when the view becomes visible for the first time, or again after it was closed. */
  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    this.outbox.detach();
    view.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    view.webview.html = renderPanelHtml(view.webview, this.extensionUri, createNonce(), vscode.l10n.bundle);
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      view.onDidDispose(() => {
        if (this.view === view) {
          this.view = undefined;
          this.outbox.detach();
          this.disposeView();
        }
      }),
    );
  }

  /** Sends a message, or queues it until the webview is ready. */
  post(message: HostMessage): void {
    const view = this.view;
    for (const ready of this.outbox.post(message)) if (view) this.deliver(view, ready);
  }

  /** Registers a handler for one kind of webview message. */
  onMessage<T extends WebviewMessageType>(type: T, handler: WebviewMessageHandler<T>): vscode.Disposable {
    let set = this.handlers.get(type);
    if (!set) {
      set = new Set();
      this.handlers.set(type, set);
    }
    const registered = handler as AnyHandler;
    set.add(registered);
    return new vscode.Disposable(() => set.delete(registered));
  }

  /** Opens and focuses the panel, and waits (up to 10 s) until its webview is ready. */
  async reveal(): Promise<void> {
    if (this.view) this.view.show(false);
    else await vscode.commands.executeCommand(`${panelViewId}.focus`);
    if (!this.isReady) await this.whenReady(10_000);
  }

  /** Resolves when a webview is ready, or after `timeoutMs`; never rejects. */
  whenReady(timeoutMs: number): Promise<boolean> {
    if (this.isReady) return Promise.resolve(true);
    return new Promise((resolve) => {
      const subscription = this.onDidBecomeReady(() => finish(true));
      const timer = setTimeout(() => finish(false), timeoutMs);
      function finish(ready: boolean) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(ready);
      }
    });
  }

  /** The latest message of a sticky kind, as the panel shows it (for tests and diagnostics). */
  latest<T extends StickyMessageType>(type: T): Extract<HostMessage, { type: T }> | undefined {
    return this.outbox.latest(type);
  }

  private deliver(view: vscode.WebviewView, message: HostMessage): void {
    view.webview.postMessage(message).then(
      (delivered) => {
        if (!delivered) this.log.debug(`Panel message “${message.type}” not delivered: the view is gone.`);
      },
      (failure: unknown) => this.log.warn(`Panel message “${message.type}” failed: ${failure instanceof Error ? failure.message : String(failure)}`),
    );
  }

  private receive(raw: unknown): void {
    const result = validateWebviewMessage(raw);
    if (!result.ok) {
      // The reason names the field, never its content.
      this.log.warn(`Dropped an invalid message from the panel: ${result.reason}.`);
      return;
    }
    const { message } = result;
    if (message.type === 'ready') this.flush();
    void this.dispatch(message);
  }

  private flush(): void {
    const view = this.view;
    if (!view) return;
    for (const message of this.outbox.ready()) this.deliver(view, message);
    this.onDidBecomeReadyEmitter.fire();
  }

  private async dispatch(message: WebviewMessage): Promise<void> {
    const handlers = [...(this.handlers.get(message.type) ?? [])];
    if (handlers.length === 0) {
      if (message.type !== 'ready') {
        this.log.debug(`No handler for the panel's “${message.type}” message yet.`);
        this.post({ type: 'reply', requestId: message.requestId, ok: false, error: vscode.l10n.t('This action is not available yet.') });
      }
      return;
    }
    for (const handler of handlers) {
      try {
        await handler(message);
      } catch (failure) {
        const detail = failure instanceof Error ? failure.message : String(failure);
        // Error messages may quote manuscript text, so the log gets the error's kind only.
        const kind = failure instanceof LlmError ? failure.kind : failure instanceof Error ? failure.name : typeof failure;
        this.log.error(`The panel's “${message.type}” action failed (${kind}).`);
        this.post({ type: 'reply', requestId: message.requestId, ok: false, error: detail });
      }
    }
  }

  private disposeView(): void {
    const disposables = this.viewDisposables;
    this.viewDisposables = [];
    for (const disposable of disposables) disposable.dispose();
  }
}
