import type { WebviewMessage } from '../shared/protocol';

/** The webview's line to the extension host. */
export interface HostBridge {
  /** Sends a message to the host. */
  post(message: WebviewMessage): void;
  /** A fresh id for a request. */
  newRequestId(): string;
}
