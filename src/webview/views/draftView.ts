import type { HostMessage } from '../../shared/protocol';
import type { HostBridge } from '../hostBridge';

/** Messages of an LLM draft (abstract or translation). */
export type DraftMessage = Extract<HostMessage, { type: 'draftStarted' | 'draftDelta' | 'draftDone' | 'draftError' }>;

/** The panel's streaming draft. Placeholder until the writing feature lands. */
export class DraftView {
  /**
   * @param container Where the view renders.
   * @param host The line to the extension host.
   */
  constructor(
    private readonly container: HTMLElement,
    private readonly host: HostBridge,
  ) {}

  /** Updates the view with one draft message. */
  handle(message: DraftMessage): void {
    void this.host;
    this.container.textContent = message.type;
  }
}
