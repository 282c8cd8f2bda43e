import type { HostMessage, SourceName, SourceResultItem } from '../../shared/protocol';
import type { HostBridge } from '../hostBridge';
import { t } from '../l10n';
import { renderTitleSpans } from './richTitle';

/** Messages of a literature search. */
export type SearchMessage = Extract<HostMessage, { type: 'searchStarted' | 'searchResults' | 'searchError' | 'searchDone' }>;

/** Display names of the sources, for badges and status lines. */
export const SOURCE_LABELS: Readonly<Record<SourceName, string>> = {
  library: t('Library'),
  // The others are the services' own names, which stay as they are in every language.
  zotero: 'Zotero',
  pubmed: 'PubMed',
  europepmc: 'Europe PMC',
  crossref: 'Crossref',
  openalex: 'OpenAlex',
};

/** One piece of a snippet: plain text, or a word of the query to mark. */
export interface SnippetSegment {
  readonly text: string;
  readonly marked: boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Splits a snippet into plain and marked segments: a query word is marked where a word starts with it
 * (so "network" marks "networks"). Pure, so the DOM is built from text nodes only.
 * @param text The snippet (untrusted text).
 * @param terms The query's words.
 */
export function segmentSnippet(text: string, terms: readonly string[]): SnippetSegment[] {
  const usable = [...new Set(terms.map((t) => t.trim()).filter((t) => t.length >= 2))].sort((a, b) => b.length - a.length).slice(0, 40);
  if (usable.length === 0 || text.length === 0) return text ? [{ text, marked: false }] : [];
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${usable.map(escapeRegExp).join('|')})[\\p{L}\\p{N}]{0,3}(?![\\p{L}\\p{N}])`, 'giu');
  const segments: SnippetSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const at = match.index ?? 0;
    if (at > last) segments.push({ text: text.slice(last, at), marked: false });
    segments.push({ text: match[0], marked: true });
    last = at + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last), marked: false });
  return segments;
}

type ServiceStatus = { readonly state: 'searching' } | { readonly state: 'done'; readonly count: number } | { readonly state: 'error'; readonly message: string };

interface SearchState {
  readonly requestId: string;
  readonly query: string;
  readonly sentence?: string;
  readonly services: SourceName[];
  readonly status: Map<SourceName, ServiceStatus>;
  readonly results: Map<SourceName, readonly SourceResultItem[]>;
  /** Order in which sources first answered. */
  readonly order: SourceName[];
  done: boolean;
  cancelled: boolean;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The panel's literature results: per-service status, result cards, and their actions. */
export class SourcesView {
  private search: SearchState | undefined;

  /**
   * @param container Where the view renders.
   * @param host The line to the extension host.
   */
  constructor(
    private readonly container: HTMLElement,
    private readonly host: HostBridge,
  ) {
    this.render();
  }

  /** Updates the view with one search message. */
  handle(message: SearchMessage): void {
    switch (message.type) {
      case 'searchStarted': {
        const services = [...new Set(message.services)];
        this.search = {
          requestId: message.requestId,
          query: message.query,
          ...(message.sentence !== undefined ? { sentence: message.sentence } : {}),
          services,
          status: new Map(services.map((s) => [s, { state: 'searching' } as ServiceStatus])),
          results: new Map(),
          order: [],
          done: false,
          cancelled: false,
        };
        break;
      }
      case 'searchResults': {
        const search = this.current(message.requestId);
        if (!search) return;
        if (!search.services.includes(message.source)) search.services.push(message.source);
        if (!search.order.includes(message.source)) search.order.push(message.source);
        // A later message for the same source (e.g. the LLM's reranking) replaces the earlier one.
        search.results.set(message.source, message.results);
        search.status.set(message.source, { state: 'done', count: message.results.length });
        break;
      }
      case 'searchError': {
        const search = this.current(message.requestId);
        if (!search) return;
        if (!search.services.includes(message.source)) search.services.push(message.source);
        search.status.set(message.source, { state: 'error', message: message.message });
        break;
      }
      case 'searchDone': {
        const search = this.current(message.requestId);
        if (!search) return;
        search.done = true;
        search.cancelled = message.cancelled;
        break;
      }
      default: {
        const _exhaustive: never = message;
        void _exhaustive;
        return;
      }
    }
    this.render();
  }

  private current(requestId: string): SearchState | undefined {
    // Messages of an older search (still arriving after a new one started) are ignored.
    return this.search && this.search.requestId === requestId ? this.search : undefined;
  }

  private render(): void {
    const search = this.search;
    if (!search) {
      const empty = el(
        'p',
        'empty-state',
        t('Select a sentence in a manuscript and run “Biowrite: Find Sources for Selection”, use the quick fix on a claim without a source, or search with “Biowrite: Search Literature…”.'),
      );
      empty.dataset.testid = 'sources-empty';
      this.container.replaceChildren(empty);
      return;
    }
    const header = el('div', 'sources-header');
    header.dataset.testid = 'sources-header';
    const query = el('p', 'sources-query');
    query.append(el('strong', undefined, search.sentence !== undefined ? t('Sources for: ') : t('Search: ')), document.createTextNode(search.sentence ?? search.query));
    header.append(query);
    if (!search.done) {
      const stop = el('button', 'secondary', t('Stop'));
      stop.type = 'button';
      stop.dataset.testid = 'sources-stop';
      stop.addEventListener('click', () => this.host.post({ type: 'stop', requestId: this.host.newRequestId(), targetRequestId: search.requestId }));
      header.append(stop);
    }
    header.append(this.renderStatus(search));

    const list = el('div', 'sources-results');
    list.dataset.testid = 'sources-results';
    let total = 0;
    for (const source of search.order) {
      const items = search.results.get(source) ?? [];
      total += items.length;
      if (items.length === 0) continue;
      const group = el('section', 'sources-group');
      group.dataset.source = source;
      group.append(el('h3', 'sources-group-title', t('{0} ({1})', SOURCE_LABELS[source], items.length)));
      for (const item of items) group.append(this.renderItem(search.requestId, item));
      list.append(group);
    }
    if (total === 0) {
      const text = !search.done
        ? t('Searching…')
        : search.cancelled
          ? t('Search stopped before any result arrived.')
          : t('No results. Try a shorter selection, fewer specific terms, or check the services in the settings (biowrite.sources.services).');
      const empty = el('p', 'empty-state', text);
      empty.dataset.testid = 'sources-no-results';
      list.append(empty);
    }
    this.container.replaceChildren(header, list);
  }

  private renderStatus(search: SearchState): HTMLElement {
    const status = el('ul', 'sources-status');
    status.dataset.testid = 'sources-status';
    for (const source of search.services) {
      const entry = search.status.get(source) ?? { state: 'searching' };
      const line = el('li', `service-status service-${entry.state}`);
      line.dataset.source = source;
      let text: string;
      switch (entry.state) {
        case 'searching':
          text = search.done ? (search.cancelled ? t('stopped') : t('no answer')) : t('searching…');
          break;
        case 'done':
          text = entry.count === 1 ? t('1 result') : t('{0} results', entry.count);
          break;
        case 'error':
          text = entry.message;
          break;
        default: {
          const _exhaustive: never = entry;
          text = String(_exhaustive);
        }
      }
      line.append(el('span', 'service-name', t('{0}: ', SOURCE_LABELS[source])), el('span', 'service-text', text));
      status.append(line);
    }
    return status;
  }

  private renderItem(searchId: string, item: SourceResultItem): HTMLElement {
    const card = el('article', `source-result${item.retracted ? ' retracted' : ''}`);
    card.dataset.testid = 'source-result';
    card.dataset.resultId = item.id;

    const badges = el('div', 'source-badges');
    for (const source of item.sources) {
      const badge = el('span', `badge badge-${source}`, SOURCE_LABELS[source]);
      badges.append(badge);
    }
    card.append(badges);
    const title = el('h4', 'source-title');
    renderTitleSpans(title, item.title, item.titleSpans);
    card.append(title);
    const meta: string[] = [];
    if (item.authors.length > 0) meta.push(item.authors.length > 3 ? t('{0}, et al.', item.authors.slice(0, 3).join(', ')) : item.authors.join(', '));
    const where = [item.journal, item.year !== undefined ? String(item.year) : undefined].filter((v): v is string => v !== undefined && v !== '');
    if (where.length > 0) meta.push(where.join(', '));
    if (meta.length > 0) card.append(el('p', 'source-meta', meta.join(' · ')));

    if (item.retracted || item.notice) {
      const notice = item.notice ?? t('this paper has been retracted.');
      const warning = el('p', item.retracted ? 'source-retraction' : 'source-notice', item.retracted ? t('⚠ Retracted: {0}', notice) : t('Notice: {0}', notice));
      warning.dataset.testid = item.retracted ? 'source-retraction' : 'source-notice';
      warning.setAttribute('role', 'alert');
      card.append(warning);
    }

    const ids = el('p', 'source-ids');
    const link = (label: string, target: 'pubmed' | 'doi' | 'pmc'): HTMLButtonElement => {
      const button = el('button', 'link-button', label);
      button.type = 'button';
      button.title = t('Open {0}', label);
      button.addEventListener('click', () => this.host.post({ type: 'openResult', requestId: this.host.newRequestId(), searchId, resultId: item.id, target }));
      return button;
    };
    if (item.pmid) ids.append(link(`PMID ${item.pmid}`, 'pubmed'));
    if (item.pmcid) ids.append(link(item.pmcid, 'pmc'));
    if (item.doi) ids.append(link(`doi:${item.doi}`, 'doi'));
    if (ids.childElementCount > 0) card.append(ids);

    if (item.snippet) {
      const snippet = el('p', 'source-snippet');
      for (const segment of segmentSnippet(item.snippet, item.highlightTerms)) {
        snippet.append(segment.marked ? el('mark', undefined, segment.text) : document.createTextNode(segment.text));
      }
      card.append(snippet);
    }
    if (item.explanation) {
      const why = el('p', 'source-explanation');
      why.dataset.testid = 'source-explanation';
      why.append(el('strong', undefined, t('Why it matches (LLM): ')), document.createTextNode(item.explanation));
      card.append(why);
    }

    const actions = el('div', 'actions source-actions');
    const button = (label: string, title: string, onClick: () => void, primary = false): HTMLButtonElement => {
      const b = el('button', primary ? undefined : 'secondary', label);
      b.type = 'button';
      b.title = title;
      b.addEventListener('click', onClick);
      return b;
    };
    const insert = button(t('Insert'), t('Cite it at the end of the sentence and add it to the bibliography'), () => this.host.post({ type: 'insertCitation', requestId: this.host.newRequestId(), searchId, resultId: item.id }), true);
    insert.dataset.testid = 'source-insert';
    actions.append(insert);
    actions.append(button(t('Copy Vancouver'), t('Copy the reference in Vancouver style'), () => this.host.post({ type: 'copyReference', requestId: this.host.newRequestId(), searchId, resultId: item.id, style: 'vancouver' })));
    actions.append(button(t('Copy APA'), t('Copy the reference in APA style'), () => this.host.post({ type: 'copyReference', requestId: this.host.newRequestId(), searchId, resultId: item.id, style: 'apa' })));
    const openTarget: 'pubmed' | 'doi' | 'pmc' | undefined = item.pmid ? 'pubmed' : item.doi ? 'doi' : item.pmcid ? 'pmc' : undefined;
    if (openTarget) actions.append(button(t('Open'), openTarget === 'pubmed' ? t('Open on PubMed') : openTarget === 'doi' ? t('Open at the DOI') : t('Open on PubMed Central'), () => this.host.post({ type: 'openResult', requestId: this.host.newRequestId(), searchId, resultId: item.id, target: openTarget })));
    card.append(actions);
    return card;
  }
}
