import type { HostMessage } from '../../shared/protocol';
import type { HostBridge } from '../hostBridge';

/** Messages of a literature search. */
export type SearchMessage = Extract<HostMessage, { type: 'searchStarted' | 'searchResults' | 'searchError' | 'searchDone' }>;

/** The panel's literature results. Placeholder until the sources feature lands. */
export class SourcesView {
  /**
   * @param container Where the view renders.
   * @param host The line to the extension host.
   */
  constructor(
    private readonly container: HTMLElement,
    private readonly host: HostBridge,
  ) {}

  /** Updates the view with one search message. */
  handle(message: SearchMessage): void {
    void this.host;
    this.container.textContent = message.type;
  }
}
