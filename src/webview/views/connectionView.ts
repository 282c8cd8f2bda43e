import type { ConnectionState, ConnectionStatus, PanelCommand } from '../../shared/protocol';
import type { HostBridge } from '../hostBridge';
import { t } from '../l10n';

/** The visible status words; the end-to-end tests read them, so keep them stable. */
export const connectionStatusLabels: Readonly<Record<ConnectionStatus, string>> = {
  notConfigured: t('Not configured'),
  configured: t('Configured'),
  checking: t('Checking…'),
  ok: t('Connected'),
  unreachable: t('Unreachable'),
};

/** Creates an element with a class and text, never parsing HTML. */
function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * The panel's top section: the LLM connection (status, model, endpoint, latency or the failure with a
 * next step), the actions to set the key and test the connection, a Restricted Mode note and, until
 * the first successful check, an introduction to what Biowrite does and how to start.
 */
export class ConnectionView {
  private readonly status: HTMLElement;
  private readonly dot: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly detail: HTMLElement;
  private readonly restricted: HTMLElement;
  private readonly actions: HTMLElement;
  private readonly welcome: HTMLElement;
  private readonly buttons = new Map<PanelCommand, HTMLButtonElement>();

  /**
   * @param container Where the view renders.
   * @param host The line to the extension host.
   * @param options Whether the introduction starts unfolded, and who remembers when the user folds it (optional; default: unfolded).
   */
  constructor(
    container: HTMLElement,
    private readonly host: HostBridge,
    private readonly options: { readonly welcomeOpen?: boolean; readonly onWelcomeToggle?: (open: boolean) => void } = {},
  ) {
    container.replaceChildren();
    container.classList.add('connection');

    const heading = element('div', 'section-heading');
    heading.append(element('h2', undefined, t('LLM connection')));
    container.append(heading);

    const row = element('div', 'status-row');
    this.dot = element('span', 'status-dot');
    this.dot.setAttribute('aria-hidden', 'true');
    this.status = element('span', 'status-label', connectionStatusLabels.notConfigured);
    this.status.dataset.testid = 'connection-status';
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    row.append(this.dot, this.status);
    this.summary = element('div', 'status-summary');
    this.summary.dataset.testid = 'connection-summary';
    this.detail = element('p', 'status-detail');
    this.detail.dataset.testid = 'connection-detail';
    this.restricted = element('p', 'restricted-note');
    this.restricted.dataset.testid = 'connection-restricted';
    this.restricted.textContent = t(
      'Restricted Mode: the LLM endpoint comes from your user settings only, never from this workspace. Checking claims and searching your library keep working.',
    );
    this.actions = element('div', 'actions');
    this.addButton('testConnection', t('Test Connection'), true);
    this.addButton('setApiKey', t('Set API Key'));
    this.addButton('openSettings', t('Open Settings'));
    this.addButton('showLog', t('Show Log'));
    this.addButton('clearApiKey', t('Clear API Key'));
    this.welcome = this.buildWelcome();
    container.append(row, this.summary, this.detail, this.restricted, this.actions, this.welcome);
  }

  /** Shows a connection state. */
  update(state: ConnectionState): void {
    this.status.textContent = connectionStatusLabels[state.status];
    this.dot.className = `status-dot status-${state.status}`;
    this.status.closest('section')?.setAttribute('data-status', state.status);

    const parts: string[] = [];
    if (state.provider === 'vscode') parts.push(state.model ? t('VS Code language model ({0})', state.model) : t('VS Code language model'));
    else {
      if (state.model) parts.push(state.model);
      if (state.endpointHost) parts.push(state.endpointHost);
    }
    if (state.status === 'ok' && state.latencyMs !== undefined) parts.push(t('{0} ms', Math.round(state.latencyMs)));
    if (state.provider === 'openai') parts.push(state.hasApiKey ? t('API key set') : t('no API key'));
    this.summary.textContent = parts.join(' · ');

    this.detail.textContent = state.detail ?? '';
    this.detail.hidden = !state.detail;
    this.detail.classList.toggle('error', state.status === 'unreachable');
    this.restricted.hidden = state.workspaceTrusted;

    const checking = state.status === 'checking';
    this.setButton('testConnection', { disabled: checking || state.status === 'notConfigured' && state.provider === 'vscode' });
    this.setButton('setApiKey', { hidden: state.provider !== 'openai', label: state.hasApiKey ? t('Change API Key') : t('Set API Key') });
    this.setButton('clearApiKey', { hidden: state.provider !== 'openai' || !state.hasApiKey });
    this.welcome.hidden = state.status === 'ok';
  }

  private addButton(command: PanelCommand, label: string, primary = false): void {
    const button = element('button', primary ? 'primary' : 'secondary', label);
    button.type = 'button';
    button.dataset.testid = `connection-${command}`;
    button.addEventListener('click', () => this.host.post({ type: 'runCommand', requestId: this.host.newRequestId(), command }));
    this.buttons.set(command, button);
    this.actions.append(button);
  }

  private setButton(command: PanelCommand, options: { disabled?: boolean; hidden?: boolean; label?: string }): void {
    const button = this.buttons.get(command);
    if (!button) return;
    button.disabled = options.disabled ?? false;
    button.hidden = options.hidden ?? false;
    if (options.label) button.textContent = options.label;
  }

  private buildWelcome(): HTMLElement {
    // A <details> the user can fold away; it disappears once the connection works.
    const welcome = element('details', 'welcome');
    welcome.open = this.options.welcomeOpen ?? true;
    welcome.addEventListener('toggle', () => this.options.onWelcomeToggle?.(welcome.open));
    welcome.dataset.testid = 'empty-state';
    welcome.append(
      element('summary', 'welcome-summary', t('Getting started')),
      element(
        'p',
        undefined,
        t('Biowrite helps you write biomedical manuscripts in Markdown or LaTeX: it marks sentences that make a claim without a source, finds real references in PubMed, Europe PMC, Crossref, OpenAlex and your library, and drafts abstracts and translations without breaking citations or markup.'),
      ),
      element('p', 'welcome-heading', t('To start:')),
    );
    const steps = element('ol');
    steps.append(
      element('li', undefined, t('Open a manuscript (.md, .qmd or .tex): claims without sources appear in the Problems view and below.')),
      element('li', undefined, t('For drafting and explanations, choose an LLM endpoint in Settings. A local one (Ollama, LM Studio) keeps unpublished text on this machine.')),
      element('li', undefined, t('Hosted endpoints need a key: Set API Key stores it in VS Code’s secret storage, never in settings.')),
      element('li', undefined, t('Test Connection sends one small request and reports the model and latency.')),
    );
    const walkthrough = element('button', 'link', t('Open the Get Started walkthrough'));
    walkthrough.type = 'button';
    walkthrough.dataset.testid = 'open-walkthrough';
    walkthrough.addEventListener('click', () => this.host.post({ type: 'runCommand', requestId: this.host.newRequestId(), command: 'openWalkthrough' }));
    const privacy = element('p', 'privacy-note', t('Biowrite sends text only to the endpoints you configure, and nothing else: no telemetry.'));
    welcome.append(steps, walkthrough, privacy);
    return welcome;
  }
}
