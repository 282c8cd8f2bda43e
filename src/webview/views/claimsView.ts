import type { ClaimItem, HostMessage } from '../../shared/protocol';
import type { HostBridge } from '../hostBridge';

/** The `claims` message the view renders. */
export type ClaimsMessage = Extract<HostMessage, { type: 'claims' }>;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** How a score reads in the list: two decimals, and a word for screen readers and scanning. */
export function scoreLabel(score: number): { readonly text: string; readonly level: 'high' | 'medium' | 'low' } {
  const clamped = Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0;
  return { text: clamped.toFixed(2), level: clamped >= 0.8 ? 'high' : clamped >= 0.6 ? 'medium' : 'low' };
}

/** A one-line summary of a claims message, for the section heading. */
export function claimsSummary(message: ClaimsMessage): string {
  if (message.notice && message.claims.length === 0) return message.documentName ? `${message.documentName}: not checked` : 'No manuscript';
  const count = message.claims.length;
  if (count === 0) return `${message.documentName}: no claims without sources`;
  return `${message.documentName}: ${count} claim${count === 1 ? '' : 's'} without sources`;
}

/**
 * The panel's list of the open document's claims without sources: each with its score, reason
 * and sentence; clicking a claim reveals it in the editor, "Find source" starts a literature
 * search for it. Shows "No claims without sources" when there are none, and the host's notice
 * when the document could not be checked. All text is untrusted and set with `textContent`.
 */
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
    this.container.replaceChildren();
    const summary = el('p', 'claims-summary', claimsSummary(message));
    this.container.append(summary);
    if (message.notice) {
      const notice = el('p', 'notice notice-warning claims-notice', message.notice);
      notice.setAttribute('role', 'status');
      this.container.append(notice);
    }
    if (message.claims.length === 0) {
      if (!message.notice) this.container.append(el('p', 'claims-empty', 'No claims without sources'));
      return;
    }
    const list = el('ol', 'claims-list');
    list.setAttribute('aria-label', 'Claims without sources');
    for (const claim of message.claims) list.append(this.item(message.documentUri, claim));
    this.container.append(list);
  }

  private item(documentUri: string, claim: ClaimItem): HTMLLIElement {
    const item = el('li', 'claim-item');
    const score = scoreLabel(claim.score);
    const reveal = el('button', 'link claim-reveal');
    reveal.type = 'button';
    reveal.title = `Line ${claim.range.startLine + 1}: reveal in the editor`;
    const scoreBadge = el('span', `claim-score claim-score-${score.level}`, score.text);
    scoreBadge.setAttribute('aria-label', `score ${score.text}`);
    const text = el('span', 'claim-text', claim.text);
    reveal.append(scoreBadge, text);
    reveal.addEventListener('click', () => {
      this.host.post({ type: 'revealClaim', requestId: this.host.newRequestId(), documentUri, claimId: claim.id });
    });
    const meta = el('div', 'claim-meta');
    meta.append(el('span', 'claim-reason', claim.reason), el('span', 'claim-line', ` · line ${claim.range.startLine + 1}`));
    const find = el('button', 'secondary claim-find', 'Find source');
    find.type = 'button';
    find.title = 'Search the literature for a source for this claim';
    find.addEventListener('click', () => {
      this.host.post({ type: 'findSourcesForClaim', requestId: this.host.newRequestId(), documentUri, claimId: claim.id });
    });
    item.append(reveal, meta, find);
    return item;
  }
}
