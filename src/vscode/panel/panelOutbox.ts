/**
 * What the panel hub sends and when, without `vscode` (unit-tested): messages wait until the webview
 * says `ready`; the latest `connection`, `claims` and `references` messages are replayed to every new webview.
 */
import type { HostMessage } from '../../shared/protocol';

/** Message types whose latest instance is replayed to a re-created webview. */
export type StickyMessageType = 'connection' | 'claims' | 'references';

function isSticky(message: HostMessage): message is Extract<HostMessage, { type: StickyMessageType }> {
  return message.type === 'connection' || message.type === 'claims' || message.type === 'references';
}

/** The panel hub's outgoing messages. */
export class PanelOutbox {
  private attachedAndReady = false;
  private queue: HostMessage[] = [];
  private readonly sticky = new Map<StickyMessageType, HostMessage>();

  /**
   * @param maxQueued Messages kept while no webview is ready; the oldest are dropped beyond it (optional; default: 1000).
   */
  constructor(private readonly maxQueued = 1000) {}

  /** Whether a webview is ready to receive. */
  get isReady(): boolean {
    return this.attachedAndReady;
  }

  /**
   * Accepts one message.
   * @returns The messages to deliver now: the message itself when a webview is ready, else none.
   */
  post(message: HostMessage): HostMessage[] {
    if (isSticky(message)) this.sticky.set(message.type, message);
    if (this.attachedAndReady) return [message];
    // Sticky messages are replayed from `sticky`; queueing them too would show stale states in between.
    if (!isSticky(message)) {
      this.queue.push(message);
      if (this.queue.length > this.maxQueued) this.queue.splice(0, this.queue.length - this.maxQueued);
    }
    return [];
  }

  /**
   * The webview said `ready`.
   * @returns What to deliver: the latest sticky messages, then everything queued, in order.
   */
  ready(): HostMessage[] {
    this.attachedAndReady = true;
    const pending = [...this.sticky.values(), ...this.queue];
    this.queue = [];
    return pending;
  }

  /** The webview is gone (or is being replaced): queue again until the next `ready`. */
  detach(): void {
    this.attachedAndReady = false;
  }

  /** The latest message of a sticky type. */
  latest<T extends StickyMessageType>(type: T): Extract<HostMessage, { type: T }> | undefined {
    return this.sticky.get(type) as Extract<HostMessage, { type: T }> | undefined;
  }
}
