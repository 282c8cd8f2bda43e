import type { HostMessage, ReferenceItem, ReferenceStatusName, ResolvedReference } from '../../shared/protocol';
import type { HostBridge } from '../hostBridge';
import { t } from '../l10n';

/** The `references` message the view renders. */
export type ReferencesMessage = Extract<HostMessage, { type: 'references' }>;

/** The filters of the list: `fix` is every entry with a status other than verified or unverifiable. */
export type ReferenceFilter = 'fix' | 'notices' | 'unverifiable' | 'verified' | 'all';

/** The filters in the order the panel shows them. */
export const referenceFilters: readonly ReferenceFilter[] = ['all', 'fix', 'notices', 'unverifiable', 'verified'];

/** How a status reads: `error` needs fixing, `warning` deserves a look, `muted` could not be checked, `ok` is fine. */
export type StatusSeverity = 'error' | 'warning' | 'muted' | 'ok';

/** The statuses a publisher's notice stands behind (the "Retracted & notices" filter). */
const noticeStatuses: ReadonlySet<string> = new Set<ReferenceStatusName>(['retracted', 'concern', 'corrected']);

/**
 * The severity of a status, or `undefined` for a value outside the protocol (it is then not shown).
 * @param status A status from the host.
 */
export function statusSeverity(status: ReferenceStatusName): StatusSeverity | undefined {
  switch (status) {
    case 'not-found':
    case 'identifier-mismatch':
    case 'retracted':
    case 'undefined':
      return 'error';
    case 'metadata-mismatch':
    case 'concern':
    case 'corrected':
    case 'preprint-published':
    case 'duplicate':
    case 'unused':
      return 'warning';
    case 'unverifiable':
      return 'muted';
    case 'verified':
      return 'ok';
    default: {
      const _exhaustive: never = status;
      void _exhaustive;
      return undefined;
    }
  }
}

/**
 * The readable name of a status, or `undefined` for a value outside the protocol.
 * @param status A status from the host.
 */
export function statusLabel(status: ReferenceStatusName): string | undefined {
  switch (status) {
    case 'verified':
      return t('Verified');
    case 'not-found':
      return t('Not found');
    case 'identifier-mismatch':
      return t('Identifier mismatch');
    case 'metadata-mismatch':
      return t('Metadata mismatch');
    case 'retracted':
      return t('Retracted');
    case 'concern':
      return t('Expression of concern');
    case 'corrected':
      return t('Corrected');
    case 'preprint-published':
      return t('Preprint published');
    case 'unverifiable':
      return t('Unverifiable');
    case 'undefined':
      return t('Not in the bibliography');
    case 'unused':
      return t('Not cited');
    case 'duplicate':
      return t('Duplicate');
    default: {
      const _exhaustive: never = status;
      void _exhaustive;
      return undefined;
    }
  }
}

function statusesOf(item: ReferenceItem): readonly ReferenceStatusName[] {
  return Array.isArray(item.statuses) ? item.statuses : [];
}

/** Whether an item needs the author: any status other than verified or unverifiable. */
export function needsFix(item: ReferenceItem): boolean {
  return statusesOf(item).some((status) => status !== 'verified' && status !== 'unverifiable' && statusSeverity(status) !== undefined);
}

/**
 * Whether an item shows under a filter.
 * @param item The item.
 * @param filter The filter.
 */
export function matchesFilter(item: ReferenceItem, filter: ReferenceFilter): boolean {
  const statuses = statusesOf(item);
  switch (filter) {
    case 'all':
      return true;
    case 'fix':
      return needsFix(item);
    case 'notices':
      return statuses.some((status) => noticeStatuses.has(status));
    case 'unverifiable':
      return statuses.includes('unverifiable');
    case 'verified':
      return statuses.includes('verified');
    default: {
      const _exhaustive: never = filter;
      void _exhaustive;
      return true;
    }
  }
}

/** The filter a list opens with: "To fix" when something needs fixing, else everything. */
export function defaultFilter(items: readonly ReferenceItem[]): ReferenceFilter {
  return items.some(needsFix) ? 'fix' : 'all';
}

function filterLabel(filter: ReferenceFilter): string {
  switch (filter) {
    case 'all':
      return t('All');
    case 'fix':
      return t('To fix');
    case 'notices':
      return t('Retracted & notices');
    case 'unverifiable':
      return t('Unverifiable');
    case 'verified':
      return t('Verified');
    default: {
      const _exhaustive: never = filter;
      return String(_exhaustive);
    }
  }
}

/**
 * The one-line count of a list, e.g. "3 to fix · 120 verified · 8 unverifiable" (parts with none left out).
 * @param items The list.
 */
export function referencesSummary(items: readonly ReferenceItem[]): string {
  if (items.length === 0) return t('No references');
  let fix = 0;
  let verified = 0;
  let unverifiable = 0;
  for (const item of items) {
    if (needsFix(item)) fix += 1;
    else if (statusesOf(item).includes('verified')) verified += 1;
    else if (statusesOf(item).includes('unverifiable')) unverifiable += 1;
  }
  const parts = [fix > 0 ? t('{0} to fix', fix) : t('nothing to fix')];
  if (verified > 0) parts.push(t('{0} verified', verified));
  if (unverifiable > 0) parts.push(t('{0} unverifiable', unverifiable));
  return parts.join(' · ');
}

/**
 * The count of each status that needs fixing, most frequent first, e.g. "Not found: 2 · Retracted: 1";
 * empty when nothing does.
 * @param items The list.
 */
export function statusBreakdown(items: readonly ReferenceItem[]): string {
  const counts = new Map<ReferenceStatusName, number>();
  for (const item of items) {
    for (const status of new Set(statusesOf(item))) {
      if (status === 'verified' || status === 'unverifiable' || statusSeverity(status) === undefined) continue;
      counts.set(status, (counts.get(status) ?? 0) + 1);
    }
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([status, count]) => t('{0}: {1}', statusLabel(status) ?? status, count))
    .join(' · ');
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(className: string, label: string, testId: string): HTMLButtonElement {
  const node = el('button', className, label);
  node.type = 'button';
  node.dataset.testid = testId;
  return node;
}

function authorList(authors: readonly string[] | undefined): string {
  if (!Array.isArray(authors) || authors.length === 0) return '';
  return authors.length > 3 ? t('{0}, et al.', authors.slice(0, 3).join(', ')) : authors.join(', ');
}

function yearText(year: unknown): string {
  return typeof year === 'number' && Number.isFinite(year) ? String(year) : '';
}

/** One rendered item and what the filters test. */
interface RenderedItem {
  readonly node: HTMLElement;
  readonly item: ReferenceItem;
}

/**
 * The panel's References section: the audit of the open manuscript's bibliography. A header with the
 * document, a count per status and the progress (with Stop) or "Check references"; a filter; one item
 * per entry with its statuses, the message, what the entry cites beside the record a service found
 * (fields that disagree highlighted), and buttons to show the entry and its first citation.
 *
 * The list is built once per message (and not at all when a message repeats the shown items, as the
 * progress messages of a running check do); the filter only hides and shows items. All text is untrusted
 * and set with `textContent`.
 */
export class ReferencesView {
  private readonly intro: HTMLElement;
  private readonly header: HTMLElement;
  private readonly documentName: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly breakdown: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly runButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly offline: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly previousNote: HTMLElement;
  private readonly filterBar: HTMLElement;
  private readonly filterButtons = new Map<ReferenceFilter, HTMLButtonElement>();
  private readonly list: HTMLElement;
  private readonly noMatch: HTMLElement;

  private message: ReferencesMessage | undefined;
  private rendered: RenderedItem[] = [];
  /** The document and items the list shows, to skip rebuilding it for a message that repeats them. */
  private renderedSignature: string | undefined;
  private filter: ReferenceFilter = 'all';
  /** The document whose list the user picked a filter for: the choice holds until another document shows. */
  private filterChosenFor: string | undefined;
  /** The audit the user asked to stop. */
  private stopRequestedFor: string | undefined;

  /**
   * @param container Where the view renders.
   * @param host The line to the extension host.
   */
  constructor(
    private readonly container: HTMLElement,
    private readonly host: HostBridge,
  ) {
    this.intro = el(
      'p',
      'empty-state references-intro',
      t('Check the manuscript’s bibliography: entries that do not exist, identifiers that point elsewhere, retractions and corrections, preprints since published, and cited keys without an entry.'),
    );
    this.header = el('div', 'references-header');
    this.header.dataset.testid = 'references-header';
    this.documentName = el('p', 'references-document');
    this.summary = el('p', 'references-summary');
    this.summary.dataset.testid = 'references-summary';
    this.breakdown = el('p', 'references-breakdown');
    this.progress = el('p', 'references-progress');
    this.progress.dataset.testid = 'references-progress';
    this.progress.setAttribute('role', 'status');
    this.progress.setAttribute('aria-live', 'polite');

    this.runButton = button('primary', t('Check references'), 'references-run');
    this.runButton.title = t('Check every bibliography entry of the open manuscript');
    this.runButton.addEventListener('click', () => this.host.post({ type: 'runCommand', requestId: this.host.newRequestId(), command: 'auditReferences' }));
    this.stopButton = button('secondary', t('Stop'), 'references-stop');
    this.stopButton.title = t('Stop checking; the entries checked so far keep their results');
    this.stopButton.addEventListener('click', () => {
      const message = this.message;
      if (!message || message.state !== 'running' || this.stopRequestedFor === message.requestId) return;
      this.stopRequestedFor = message.requestId;
      this.host.post({ type: 'stop', requestId: this.host.newRequestId(), targetRequestId: message.requestId });
      this.renderHeader(message);
    });
    const actions = el('div', 'actions references-actions');
    actions.append(this.runButton, this.stopButton);
    this.header.append(this.documentName, this.summary, this.breakdown, this.progress, actions);

    this.offline = el('p', 'notice notice-info references-offline');
    this.offline.dataset.testid = 'references-offline';
    this.notice = el('p', 'notice notice-warning references-notice');
    this.notice.dataset.testid = 'references-notice';
    this.previousNote = el('p', 'references-previous', t('Showing the results of the last check until this one finishes.'));

    this.filterBar = el('div', 'references-filter');
    this.filterBar.dataset.testid = 'references-filter';
    this.filterBar.setAttribute('role', 'group');
    this.filterBar.setAttribute('aria-label', t('Show references'));
    for (const filter of referenceFilters) {
      const option = button('references-filter-option', filterLabel(filter), 'references-filter-option');
      option.dataset.filter = filter;
      option.addEventListener('click', () => this.choose(filter));
      this.filterButtons.set(filter, option);
      this.filterBar.append(option);
    }

    this.list = el('ol', 'references-list');
    this.list.dataset.testid = 'references-list';
    this.list.setAttribute('aria-label', t('References'));
    this.noMatch = el('p', 'empty-state references-no-match');
    this.noMatch.dataset.testid = 'references-no-match';

    for (const node of [this.documentName, this.summary, this.breakdown, this.progress, this.stopButton, this.offline, this.notice, this.previousNote, this.filterBar, this.list, this.noMatch]) node.hidden = true;
    this.container.replaceChildren(this.intro, this.header, this.offline, this.notice, this.previousNote, this.filterBar, this.list, this.noMatch);
  }

  /** Shows one audit message: progress, results, or why the audit failed. */
  show(message: ReferencesMessage): void {
    const items = Array.isArray(message.items) ? message.items : [];
    if (this.filterChosenFor !== message.documentUri) {
      this.filterChosenFor = undefined;
      this.filter = defaultFilter(items);
    }
    this.message = message;
    this.intro.hidden = true;
    this.renderHeader(message);
    this.renderNotices(message, items);
    this.renderList(message.documentUri, items);
    this.applyFilter();
  }

  /** The filter the list shows, for tests and the host's end-to-end checks. */
  get activeFilter(): ReferenceFilter {
    return this.filter;
  }

  private choose(filter: ReferenceFilter): void {
    this.filter = filter;
    this.filterChosenFor = this.message?.documentUri;
    this.applyFilter();
  }

  private renderHeader(message: ReferencesMessage): void {
    const items = Array.isArray(message.items) ? message.items : [];
    const running = message.state === 'running';
    this.documentName.textContent = message.documentName;
    this.documentName.hidden = !message.documentName;
    this.summary.textContent = referencesSummary(items);
    this.summary.hidden = items.length === 0;
    this.breakdown.textContent = statusBreakdown(items);
    this.breakdown.hidden = this.breakdown.textContent === '';

    const stopping = running && this.stopRequestedFor === message.requestId;
    let progress = '';
    if (stopping) progress = t('Stopping…');
    else if (running) {
      const done = typeof message.done === 'number' && Number.isFinite(message.done) ? message.done : 0;
      const total = typeof message.total === 'number' && Number.isFinite(message.total) ? message.total : 0;
      progress = total > 0 ? t('Checked {0} of {1}…', Math.min(done, total), total) : t('Checking…');
    } else if (message.state === 'cancelled') progress = t('The check was stopped.');
    this.progress.textContent = progress;
    this.progress.hidden = progress === '';

    this.stopButton.hidden = !running;
    this.stopButton.disabled = stopping;
    this.runButton.hidden = running;
  }

  private renderNotices(message: ReferencesMessage, items: readonly ReferenceItem[]): void {
    this.offline.textContent = t(
      'Offline check: only undefined, unused and duplicate keys were checked, not the records. To check each entry with Crossref, PubMed, Europe PMC, OpenAlex and arXiv, turn on the setting biowrite.references.online and run “Check references” again.',
    );
    this.offline.hidden = message.online !== false;

    const failed = message.state === 'error';
    const notice = message.notice || (failed ? t('The check failed. See “Biowrite: Show Log”.') : '');
    this.notice.textContent = notice;
    this.notice.className = `notice ${failed ? 'notice-error' : 'notice-warning'} references-notice`;
    this.notice.setAttribute('role', failed ? 'alert' : 'status');
    this.notice.hidden = notice === '';

    this.previousNote.hidden = !(message.state === 'running' && items.length > 0);
  }

  private renderList(documentUri: string, items: readonly ReferenceItem[]): void {
    const signature = JSON.stringify([documentUri, items]);
    if (signature === this.renderedSignature) return;
    this.renderedSignature = signature;
    const fragment = document.createDocumentFragment();
    this.rendered = [];
    for (const item of items) {
      if (typeof item !== 'object' || item === null || typeof item.key !== 'string') continue;
      const node = this.renderItem(documentUri, item);
      this.rendered.push({ node, item });
      fragment.append(node);
    }
    this.list.replaceChildren(fragment);
  }

  private applyFilter(): void {
    const counts = new Map<ReferenceFilter, number>(referenceFilters.map((filter) => [filter, 0]));
    let shown = 0;
    for (const { node, item } of this.rendered) {
      for (const filter of referenceFilters) if (matchesFilter(item, filter)) counts.set(filter, (counts.get(filter) ?? 0) + 1);
      const visible = matchesFilter(item, this.filter);
      node.hidden = !visible;
      if (visible) shown += 1;
    }
    for (const [filter, option] of this.filterButtons) {
      const count = counts.get(filter) ?? 0;
      const active = filter === this.filter;
      option.textContent = t('{0} ({1})', filterLabel(filter), count);
      option.className = `references-filter-option${active ? ' active' : ''}`;
      option.setAttribute('aria-pressed', active ? 'true' : 'false');
      // An empty filter cannot be picked, but the active one stays usable so the choice is visible.
      option.disabled = count === 0 && !active;
    }
    const any = this.rendered.length > 0;
    this.filterBar.hidden = !any;
    this.list.hidden = !any;
    const message = this.message;
    let empty = '';
    if (!any) {
      if (message && message.state === 'done') empty = t('No citations or bibliography entries were found in this document.');
    } else if (shown === 0) empty = this.filter === 'fix' ? t('Nothing to fix.') : t('No references match this filter.');
    this.noMatch.textContent = empty;
    this.noMatch.hidden = empty === '';
  }

  private renderItem(documentUri: string, item: ReferenceItem): HTMLElement {
    const statuses = [...new Set(statusesOf(item))];
    const severities = statuses.map(statusSeverity);
    const worst = (['error', 'warning', 'muted', 'ok'] as const).find((severity) => severities.includes(severity)) ?? 'muted';
    const node = el('li', `references-item severity-${worst}`);
    node.dataset.testid = 'references-item';
    node.dataset.key = item.key;

    const head = el('div', 'references-item-head');
    head.append(el('code', 'references-key', item.key));
    const badges = el('span', 'references-badges');
    for (const status of statuses) {
      const label = statusLabel(status);
      const severity = statusSeverity(status);
      if (label === undefined || severity === undefined) continue;
      const badge = el('span', `references-status status-${status} severity-${severity}`, label);
      badge.dataset.testid = 'references-status';
      badge.dataset.status = status;
      badges.append(badge);
    }
    head.append(badges);
    node.append(head);

    if (typeof item.message === 'string' && item.message !== '') node.append(el('p', 'references-message', item.message));

    const differs = new Set(Array.isArray(item.fields) ? item.fields.filter((field): field is string => typeof field === 'string') : []);
    const cited = item.cited && typeof item.cited === 'object' ? item.cited : { title: '', authors: [] };
    const citedRecord = this.record('references-cited', t('In the bibliography'), differs, [
      ['title', t('Title'), cited.title],
      ['authors', t('Authors'), authorList(cited.authors)],
      ['year', t('Year'), yearText(cited.year)],
    ]);
    const resolvedRecord = item.resolved && typeof item.resolved === 'object' ? this.resolvedRecord(item.resolved, differs) : undefined;
    if (citedRecord || resolvedRecord) {
      const compare = el('div', `references-compare${citedRecord && resolvedRecord ? ' side-by-side' : ''}`);
      if (citedRecord) compare.append(citedRecord);
      if (resolvedRecord) compare.append(resolvedRecord);
      node.append(compare);
    }

    if (typeof item.publishedDoi === 'string' && item.publishedDoi !== '') {
      const published = el('p', 'references-published', t('Published version: {0}', `doi:${item.publishedDoi}`));
      published.dataset.testid = 'references-published';
      node.append(published);
    }

    const count = typeof item.citationCount === 'number' && Number.isFinite(item.citationCount) ? item.citationCount : 0;
    const actions = el('div', 'actions references-item-actions');
    if (item.hasEntry === true) {
      const entry = button('secondary', t('Show entry'), 'references-reveal-entry');
      entry.title = t('Show the entry in its bibliography file');
      entry.addEventListener('click', () => this.host.post({ type: 'revealReference', requestId: this.host.newRequestId(), documentUri, key: item.key, target: 'entry' }));
      actions.append(entry);
    }
    if (count > 0) {
      const citation = button('secondary', t('Show citation'), 'references-reveal-citation');
      citation.title = count === 1 ? t('Show where the manuscript cites it') : t('Show the first of its {0} citations in the manuscript', count);
      citation.addEventListener('click', () => this.host.post({ type: 'revealReference', requestId: this.host.newRequestId(), documentUri, key: item.key, target: 'citation' }));
      actions.append(citation);
    }
    actions.append(el('span', 'references-count', count === 0 ? t('Not cited') : count === 1 ? t('Cited once') : t('Cited {0} times', count)));
    node.append(actions);
    return node;
  }

  private resolvedRecord(resolved: ResolvedReference, differs: ReadonlySet<string>): HTMLElement | undefined {
    return this.record('references-resolved', t('Found record'), differs, [
      ['title', t('Title'), resolved.title],
      ['authors', t('Authors'), authorList(resolved.authors)],
      ['year', t('Year'), yearText(resolved.year)],
      ['journal', t('Journal'), resolved.journal],
      ['doi', 'DOI', resolved.doi],
      ['pmid', 'PMID', resolved.pmid],
      ['pmcid', 'PMCID', resolved.pmcid],
    ]);
  }

  /** A record as a list of named fields, the fields that disagree marked; `undefined` when it has none. */
  private record(className: string, heading: string, differs: ReadonlySet<string>, fields: readonly (readonly [string, string, unknown])[]): HTMLElement | undefined {
    const list = el('dl', 'references-fields');
    for (const [name, label, value] of fields) {
      if (typeof value !== 'string' || value === '') continue;
      const different = differs.has(name);
      const term = el('dt', `references-field-name${different ? ' differs' : ''}`, label);
      const description = el('dd', `references-field-value${different ? ' differs' : ''}`, value);
      description.dataset.field = name;
      if (different) {
        description.title = t('Differs between the entry and the record');
        description.dataset.differs = 'true';
      }
      list.append(term, description);
    }
    if (list.childElementCount === 0) return undefined;
    const block = el('div', `references-record ${className}`);
    block.append(el('h4', 'references-record-title', heading), list);
    return block;
  }
}
