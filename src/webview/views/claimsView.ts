import type { HostMessage } from '../../shared/protocol';
import type { HostBridge } from '../hostBridge';

/** The panel's list of the open document's claims without sources. Placeholder until the claims feature lands. */
export class ClaimsView {
  /**
   * @param container Where the view renders.
   * @param host The line to the extension host.
   */
  constructor(
    private readonly container: HTMLElement,
    private readonly host: HostBridge,
  ) {}

  /** Shows the claims of one document. */
  show(message: Extract<HostMessage, { type: 'claims' }>): void {
    void this.host;
    this.container.textContent = `${message.claims.length}`;
  }
}
