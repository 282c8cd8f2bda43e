import type { DraftKind, GroundingIssue, HostMessage } from '../../shared/protocol';
import { countLength, type LengthUnit } from '../../core/writing/text';
import type { HostBridge } from '../hostBridge';
import { t } from '../l10n';

/** Messages of an LLM draft (abstract or translation). */
export type DraftMessage = Extract<HostMessage, { type: 'draftStarted' | 'draftDelta' | 'draftDone' | 'draftError' }>;

type Phase = 'streaming' | 'done' | 'error';

function issueLabel(kind: GroundingIssue['kind']): string {
  switch (kind) {
    case 'unsupportedNumber':
      return t('Number not in the manuscript');
    case 'unsupportedStatement':
      return t('Not supported by the manuscript');
    case 'missingChecklistItem':
      return t('Missing checklist item');
    case 'protectedMarkup':
      return t('Protected markup');
    case 'wordLimit':
      return t('Over the length limit');
    case 'terminology':
      return t('Terminology');
    default: {
      const _exhaustive: never = kind;
      return _exhaustive;
    }
  }
}

/**
 * The panel's streaming draft: the text as it arrives (always as text, never HTML), the word count against
 * the limit, a stop button while it streams, then the grounding issues and Accept / Discard.
 */
export class DraftView {
  private draftId: string | undefined;
  private wordLimit: number | undefined;
  private lengthUnit: LengthUnit = 'words';
  private kind: DraftKind = 'abstract';
  private cancelled = false;
  private text = '';
  private phase: Phase = 'done';
  private readonly title: HTMLElement;
  private readonly status: HTMLElement;
  private readonly body: HTMLPreElement;
  private readonly issues: HTMLUListElement;
  private readonly summary: HTMLElement;
  private readonly actions: HTMLElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly acceptButton: HTMLButtonElement;
  private readonly discardButton: HTMLButtonElement;

  /**
   * @param container Where the view renders.
   * @param host The line to the extension host.
   */
  constructor(
    private readonly container: HTMLElement,
    private readonly host: HostBridge,
  ) {
    const doc = container.ownerDocument;
    const make = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, testId: string): HTMLElementTagNameMap[K] => {
      const element = doc.createElement(tag);
      element.className = className;
      element.dataset.testid = testId;
      if (element instanceof HTMLButtonElement) element.type = 'button';
      return element;
    };
    this.title = make('div', 'draft-title', 'draft-title');
    this.status = make('div', 'draft-status', 'draft-status');
    this.status.setAttribute('aria-live', 'polite');
    this.body = make('pre', 'draft-text', 'draft-text');
    this.body.style.whiteSpace = 'pre-wrap';
    this.body.style.wordBreak = 'break-word';
    this.body.style.maxHeight = '24em';
    this.body.style.overflowY = 'auto';
    this.issues = make('ul', 'draft-issues', 'draft-issues');
    this.summary = make('div', 'draft-summary', 'draft-summary');
    this.actions = make('div', 'draft-actions', 'draft-actions');
    this.stopButton = make('button', 'secondary', 'draft-stop');
    this.stopButton.textContent = t('Stop');
    this.stopButton.addEventListener('click', () => {
      if (this.draftId) this.host.post({ type: 'stop', requestId: this.host.newRequestId(), targetRequestId: this.draftId });
    });
    this.acceptButton = make('button', 'primary', 'draft-accept');
    this.acceptButton.textContent = t('Accept');
    this.acceptButton.addEventListener('click', () => {
      if (!this.draftId) return;
      this.host.post({ type: 'acceptDraft', requestId: this.host.newRequestId(), draftId: this.draftId });
      // One accept per draft: a stale draft is refused by the host, which offers to run it again.
      this.acceptButton.hidden = true;
    });
    this.discardButton = make('button', 'secondary', 'draft-discard');
    this.discardButton.textContent = t('Discard');
    this.discardButton.addEventListener('click', () => {
      if (!this.draftId) return;
      this.host.post({ type: 'discardDraft', requestId: this.host.newRequestId(), draftId: this.draftId });
      this.clear();
    });
    this.actions.append(this.stopButton, this.acceptButton, this.discardButton);
    this.setVisible(false);
  }

  // The section (with its heading) shows only while there is a draft.
  private setVisible(visible: boolean): void {
    if (!visible) this.container.replaceChildren();
    this.container.hidden = !visible;
    if (this.container.parentElement) this.container.parentElement.hidden = !visible;
  }

  /** Updates the view with one draft message. */
  handle(message: DraftMessage): void {
    switch (message.type) {
      case 'draftStarted':
        this.draftId = message.requestId;
        this.kind = message.kind;
        this.wordLimit = message.wordLimit;
        this.lengthUnit = message.lengthUnit ?? 'words';
        this.text = '';
        this.cancelled = false;
        this.phase = 'streaming';
        this.title.textContent = message.title;
        this.body.textContent = '';
        this.issues.replaceChildren();
        this.summary.textContent = '';
        this.container.replaceChildren(this.title, this.status, this.body, this.issues, this.summary, this.actions);
        this.setVisible(true);
        break;
      case 'draftDelta':
        if (message.requestId !== this.draftId || this.phase !== 'streaming') return;
        this.text = message.replace ? message.text : this.text + message.text;
        this.body.textContent = this.text;
        if (!message.replace) this.body.scrollTop = this.body.scrollHeight;
        break;
      case 'draftDone':
        if (message.requestId !== this.draftId) return;
        this.text = message.text;
        this.body.textContent = message.text;
        this.phase = 'done';
        this.renderIssues(message.issues);
        this.summary.textContent = message.summary ?? (message.tokens !== undefined ? t('{0} tokens used', message.tokens) : '');
        this.acceptButton.hidden = !(message.canAccept ?? !message.cancelled);
        this.cancelled = message.cancelled;
        break;
      case 'draftError':
        if (message.requestId !== this.draftId) return;
        this.phase = 'error';
        this.status.textContent = t('Failed: {0} Nothing was changed.', message.message);
        this.acceptButton.hidden = true;
        break;
      default: {
        const _exhaustive: never = message;
        void _exhaustive;
      }
    }
    this.renderState(message.type === 'draftDone' ? message.wordCount : undefined);
  }

  private renderState(finalWordCount?: number): void {
    this.stopButton.hidden = this.phase !== 'streaming';
    this.discardButton.hidden = this.phase === 'streaming';
    if (this.phase === 'streaming') this.acceptButton.hidden = true;
    if (this.phase === 'error') return;
    const parts: string[] = [];
    if (this.kind === 'abstract') {
      const words = finalWordCount ?? countLength(this.text, this.lengthUnit);
      const limit = this.wordLimit;
      const over = limit !== undefined && words > limit;
      if (this.lengthUnit === 'words') parts.push(limit !== undefined ? (over ? t('{0} / {1} words ({2} over)', words, limit, words - limit) : t('{0} / {1} words', words, limit)) : t('{0} words', words));
      else parts.push(limit !== undefined ? (over ? t('{0} / {1} characters ({2} over)', words, limit, words - limit) : t('{0} / {1} characters', words, limit)) : t('{0} characters', words));
      this.status.classList.toggle('over-limit', over);
    }
    if (this.phase === 'streaming') parts.push(this.kind === 'abstract' ? t('drafting…') : t('translating…'));
    if (this.cancelled) parts.push(t('Stopped; nothing will be applied.'));
    this.status.textContent = parts.join(' · ');
  }

  private renderIssues(issues: readonly GroundingIssue[]): void {
    const doc = this.container.ownerDocument;
    const items = issues.map((issue) => {
      const item = doc.createElement('li');
      const label = doc.createElement('strong');
      label.textContent = t('{0}: ', issueLabel(issue.kind));
      const text = doc.createElement('span');
      text.textContent = issue.text;
      item.append(label, text);
      if (issue.detail) {
        const detail = doc.createElement('div');
        detail.className = 'draft-issue-detail';
        detail.textContent = issue.detail;
        item.append(detail);
      }
      return item;
    });
    if (items.length === 0 && this.kind === 'abstract') {
      const item = doc.createElement('li');
      item.textContent = t('Every number appears in the manuscript and no statement was flagged.');
      items.push(item);
    }
    this.issues.replaceChildren(...items);
  }

  private clear(): void {
    this.draftId = undefined;
    this.setVisible(false);
  }
}
