import type { ClaimItem, HostMessage } from '../../shared/protocol';
import type { HostBridge } from '../hostBridge';
import { t } from '../l10n';

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
  if (message.checked === false) return message.documentName ? t('{0}: not checked', message.documentName) : t('No manuscript');
  const count = message.claims.length;
  const notChecked = message.notChecked?.sentences ?? 0;
  if (count === 0 && notChecked > 0) return t('{0}: no claims without sources in the checked text', message.documentName);
  if (count === 0) return t('{0}: no claims without sources', message.documentName);
  return count === 1 ? t('{0}: 1 claim without sources', message.documentName) : t('{0}: {1} claims without sources', message.documentName, count);
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
  ) {
    this.container.replaceChildren(el('p', 'claims-empty', t('Open a Markdown or LaTeX manuscript to list its claims without sources.')));
  }

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
    if (message.notChecked && message.notChecked.sentences > 0) {
      const notChecked = el('p', 'notice notice-info claims-not-checked', message.notChecked.message);
      notChecked.setAttribute('role', 'status');
      this.container.append(notChecked);
    }
    if (message.claims.length === 0) {
      if (message.checked !== false && !(message.notChecked && message.notChecked.sentences > 0)) this.container.append(el('p', 'claims-empty', t('No claims without sources')));
      return;
    }
    const list = el('ol', 'claims-list');
    list.setAttribute('aria-label', t('Claims without sources'));
    for (const claim of message.claims) list.append(this.item(message.documentUri, claim));
    this.container.append(list);
  }

  private item(documentUri: string, claim: ClaimItem): HTMLLIElement {
    const item = el('li', 'claim-item');
    const score = scoreLabel(claim.score);
    const reveal = el('button', 'link claim-reveal');
    reveal.type = 'button';
    reveal.title = t('Line {0}: reveal in the editor', claim.range.startLine + 1);
    const scoreBadge = el('span', `claim-score claim-score-${score.level}`, score.text);
    scoreBadge.setAttribute('aria-label', t('score {0}', score.text));
    const text = el('span', 'claim-text', claim.text);
    reveal.append(scoreBadge, text);
    reveal.addEventListener('click', () => {
      this.host.post({ type: 'revealClaim', requestId: this.host.newRequestId(), documentUri, claimId: claim.id });
    });
    const meta = el('div', 'claim-meta');
    meta.append(el('span', 'claim-reason', claim.reason), el('span', 'claim-line', t(' · line {0}', claim.range.startLine + 1)));
    const find = el('button', 'secondary claim-find', t('Find source'));
    find.type = 'button';
    find.title = t('Search the literature for a source for this claim');
    find.addEventListener('click', () => {
      this.host.post({ type: 'findSourcesForClaim', requestId: this.host.newRequestId(), documentUri, claimId: claim.id });
    });
    item.append(reveal, meta, find);
    return item;
  }
}
