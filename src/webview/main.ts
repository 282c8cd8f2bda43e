/**
 * The Biowrite panel's entry point: builds the layout (connection at the top, then claims, references,
 * sources and draft), routes every host message to its view, and gives the views a {@link HostBridge}.
 */
import type { ConnectionState, HostMessage, WebviewMessage } from '../shared/protocol';
import type { HostBridge } from './hostBridge';
import { t } from './l10n';
import { ClaimsView } from './views/claimsView';
import { ConnectionView } from './views/connectionView';
import { DraftView } from './views/draftView';
import { ReferencesView } from './views/referencesView';
import { SourcesView } from './views/sourcesView';

/** The API VS Code injects into webviews. */
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** What the panel keeps across reloads, so the last connection state shows before the host replays it. */
interface PanelState {
  readonly connection?: ConnectionState;
  /** Whether the user left the introduction unfolded. */
  readonly welcomeOpen?: boolean;
}

const hostMessageTypes: ReadonlySet<string> = new Set<HostMessage['type']>([
  'connection',
  'claims',
  'searchStarted',
  'searchResults',
  'searchError',
  'searchDone',
  'draftStarted',
  'draftDelta',
  'draftDone',
  'draftError',
  'references',
  'notice',
  'reply',
]);

/** The bridge the views post through: request ids are unique within this webview's life. */
class VsCodeHostBridge implements HostBridge {
  private counter = 0;
  private readonly session = Math.random().toString(36).slice(2, 8);

  /**
   * @param api The webview API.
   */
  constructor(private readonly api: VsCodeApi) {}

  /** Sends a message to the host. */
  post(message: WebviewMessage): void {
    this.api.postMessage(message);
  }

  /** A fresh request id. */
  newRequestId(): string {
    this.counter += 1;
    return `${this.session}-${this.counter}`;
  }
}

function section(root: HTMLElement, name: string, title?: string): HTMLElement {
  const wrapper = document.createElement('section');
  wrapper.className = `panel-section ${name}-section`;
  wrapper.dataset.testid = `${name}-section`;
  if (title) {
    const heading = document.createElement('h2');
    heading.className = 'section-title';
    heading.textContent = title;
    wrapper.append(heading);
  }
  const body = document.createElement('div');
  body.className = 'section-body';
  body.dataset.testid = `${name}-view`;
  wrapper.append(body);
  root.append(wrapper);
  return body;
}

/** Shows host notices and failed replies above the views; each can be dismissed. */
class NoticeArea {
  /**
   * @param container Where notices render.
   */
  constructor(private readonly container: HTMLElement) {
    container.setAttribute('role', 'log');
    container.setAttribute('aria-live', 'polite');
  }

  /** Adds one notice; at most five stay. */
  show(level: 'info' | 'warning' | 'error', message: string): void {
    const notice = document.createElement('div');
    notice.className = `notice notice-${level}`;
    notice.dataset.testid = 'notice';
    const text = document.createElement('span');
    text.textContent = message;
    const dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.className = 'icon-button';
    dismiss.textContent = '×';
    dismiss.title = t('Dismiss');
    dismiss.setAttribute('aria-label', t('Dismiss'));
    dismiss.addEventListener('click', () => notice.remove());
    notice.append(text, dismiss);
    this.container.append(notice);
    while (this.container.childElementCount > 5) this.container.firstElementChild?.remove();
  }
}

function isHostMessage(value: unknown): value is HostMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string' && hostMessageTypes.has((value as { type: string }).type);
}

function start(): void {
  const api = acquireVsCodeApi();
  const host = new VsCodeHostBridge(api);
  const root = document.getElementById('root') ?? document.body;
  root.replaceChildren();

  let state: PanelState = (api.getState() as PanelState | undefined) ?? {};
  const notices = new NoticeArea(section(root, 'notices'));
  const connection = new ConnectionView(section(root, 'connection'), host, {
    welcomeOpen: state.welcomeOpen ?? true,
    onWelcomeToggle: (open) => {
      state = { ...state, welcomeOpen: open };
      api.setState(state);
    },
  });
  const claims = new ClaimsView(section(root, 'claims', t('Claims without sources')), host);
  const references = new ReferencesView(section(root, 'references', t('References')), host);
  const sources = new SourcesView(section(root, 'sources', t('Literature')), host);
  const draft = new DraftView(section(root, 'draft', t('Draft')), host);

  if (state.connection) connection.update(state.connection);

  const handle = (message: HostMessage): void => {
    switch (message.type) {
      case 'connection':
        connection.update(message.state);
        state = { ...state, connection: message.state };
        api.setState(state);
        break;
      case 'claims':
        claims.show(message);
        break;
      case 'searchStarted':
      case 'searchResults':
      case 'searchError':
      case 'searchDone':
        sources.handle(message);
        break;
      case 'draftStarted':
      case 'draftDelta':
      case 'draftDone':
      case 'draftError':
        draft.handle(message);
        break;
      case 'references':
        references.show(message);
        break;
      case 'notice':
        notices.show(message.level, message.message);
        break;
      case 'reply':
        if (!message.ok) notices.show('error', message.error ?? t('The action failed. See “Biowrite: Show Log”.'));
        break;
      default: {
        const _exhaustive: never = message;
        void _exhaustive;
      }
    }
  };

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (!isHostMessage(event.data)) return;
    try {
      handle(event.data);
    } catch (failure) {
      // One view's bug must not stop the others from updating.
      console.error('Biowrite panel: a view failed to handle', event.data.type, failure);
    }
  });
  host.post({ type: 'ready', requestId: host.newRequestId() });
}

start();
