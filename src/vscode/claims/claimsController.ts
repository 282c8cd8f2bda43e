import * as vscode from 'vscode';
import type { CheckResult, ClaimChecker, ClaimFinding } from '../../core/claims/checker';
import { CLAIM_RULE_ID } from '../../core/claims/constants';
import type { ClaimItem } from '../../shared/protocol';
import { Disposable } from '../disposable';
import type { BiowriteEnvironment } from '../environment';
import { manuscriptLanguageOf, readClaimsSettings, settingLanguageOf, toDiagnosticSeverity, type ClaimsSettings } from './claimsSettings';
import { IgnoreListStore } from './ignoreListStore';
import { claimId, findingRange, toClaimItem } from './wire';

/** The diagnostics' `source`, as the house rules name it. */
export const DIAGNOSTIC_SOURCE = 'Biowrite';
/** Blocks longer than this are not checked in the editor, so no single step blocks it for long. */
const EDITOR_MAX_BLOCK = 50_000;
/** Work between two yields to the event loop while checking. */
const SLICE_MS = 8;
// Only documents a user edits: not diffs, output, or other extensions' virtual documents.
const checkedSchemes = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs', 'vsls', 'vscode-notebook-cell']);

interface DocumentState {
  checker?: ClaimChecker;
  checkerKey?: string;
  timer?: ReturnType<typeof setTimeout>;
  abort?: AbortController;
  findings: readonly ClaimFinding[];
  notice?: string;
  /** Sentences left unchecked because of their language, and the languages. */
  notChecked?: { readonly sentences: number; readonly languages: readonly string[] };
  /** Set when the last check failed as a whole, so the panel says "not checked" rather than "no claims". */
  failed?: boolean;
}

/** What a finished check reports, for commands and tests. */
export interface ClaimsCheckSummary {
  readonly uri: string;
  readonly count: number;
  readonly notices: readonly string[];
  readonly checked: boolean;
  /** Sentences not checked because of their language (optional; default: 0). */
  readonly notChecked?: number;
}

/**
 * Keeps the claims diagnostics of open manuscripts current: checks a document when it opens,
 * re-checks it (only its changed paragraphs) after the user pauses typing, and when settings or
 * the workspace ignore list change. Owns the DiagnosticCollection, the status-bar count and the
 * panel's claim list. The checker and its model load on the first check, not at activation.
 */
export class ClaimsController extends Disposable {
  private readonly diagnostics = this._register(vscode.languages.createDiagnosticCollection('biowrite-claims'));
  private readonly states = new Map<string, DocumentState>();
  private readonly statusBar = this._register(vscode.window.createStatusBarItem('biowrite.claims', vscode.StatusBarAlignment.Right, 100));
  /** The workspace lists of sentences that need no source. */
  readonly ignoreLists = this._register(new IgnoreListStore());
  private panelDocument: string | undefined;

  /** @param environment The extension's environment (panel, log). */
  constructor(private readonly environment: BiowriteEnvironment) {
    super();
    this.statusBar.name = vscode.l10n.t('Biowrite claims');
    this._register(vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document, 0)));
    this._register(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length === 0) return;
        this.schedule(event.document, readClaimsSettings(event.document.uri).debounceMs);
      }),
    );
    this._register(vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)));
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration('biowrite.claims')) return;
        for (const document of vscode.workspace.textDocuments) {
          const state = this.states.get(document.uri.toString());
          if (state) state.checkerKey = undefined;
          this.schedule(document, 0);
        }
      }),
    );
    this._register(
      this.ignoreLists.onDidChange(() => {
        for (const document of vscode.workspace.textDocuments) {
          const state = this.states.get(document.uri.toString());
          if (state) state.checkerKey = undefined;
          this.schedule(document, 0);
        }
      }),
    );
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.refreshViews()));
    // Documents already open when the extension starts are checked after activation returns: the
    // visible ones first, then the rest, as documents opened later are (Problems lists them all).
    const startup = setTimeout(() => {
      const visible = new Set(vscode.window.visibleTextEditors.map((editor) => editor.document));
      for (const document of [...visible, ...vscode.workspace.textDocuments.filter((document) => !visible.has(document))]) this.schedule(document, 0);
      this.refreshViews();
    }, 0);
    this._register({ dispose: () => clearTimeout(startup) });
    this._register({
      dispose: () => {
        for (const state of this.states.values()) {
          if (state.timer) clearTimeout(state.timer);
          state.abort?.abort();
        }
        this.states.clear();
      },
    });
  }

  /** Whether a document is one the settings say to check. */
  isChecked(document: vscode.TextDocument, settings: ClaimsSettings = readClaimsSettings(document.uri)): boolean {
    if (!checkedSchemes.has(document.uri.scheme)) return false;
    if (!manuscriptLanguageOf(document.languageId)) return false;
    return settings.enabled && settings.languages.includes(settingLanguageOf(document.languageId));
  }

  /** The current findings of a document (empty when unchecked). */
  findingsOf(uri: vscode.Uri | string): readonly ClaimFinding[] {
    return this.states.get(uri.toString())?.findings ?? [];
  }

  /** The finding with a claim id (see `claimId`), if the document still has it. */
  findClaim(uri: string, id: string): ClaimFinding | undefined {
    return this.findingsOf(uri).find((finding) => claimId(finding) === id);
  }

  /** The finding whose range matches a diagnostic's, for code actions. */
  findingAt(uri: vscode.Uri, range: vscode.Range): ClaimFinding | undefined {
    return this.findingsOf(uri).find((finding) => findingRange(finding).isEqual(range));
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    const key = document.uri.toString();
    if (!this.isChecked(document)) {
      if (this.states.has(key)) this.forget(document.uri);
      return;
    }
    let state = this.states.get(key);
    if (!state) {
      state = { findings: [] };
      this.states.set(key, state);
    }
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void this.check(document);
    }, delay);
  }

  /**
   * Checks a document now (cancelling a check in progress) and publishes the results.
   * Never throws: a failure becomes a notice in the panel and the log.
   */
  async check(document: vscode.TextDocument): Promise<ClaimsCheckSummary> {
    const key = document.uri.toString();
    const settings = readClaimsSettings(document.uri);
    const language = manuscriptLanguageOf(document.languageId);
    if (!language || !this.isChecked(document, settings)) {
      this.forget(document.uri);
      return { uri: key, count: 0, notices: [], checked: false };
    }
    let state = this.states.get(key);
    if (!state) {
      state = { findings: [] };
      this.states.set(key, state);
    }
    state.abort?.abort();
    const abort = new AbortController();
    state.abort = abort;
    const version = document.version;
    let result: CheckResult;
    try {
      const ignored = await this.ignoreLists.sentencesFor(document.uri);
      const checkerKey = JSON.stringify([language, settings.threshold, settings.skipSections, ignored]);
      if (!state.checker || state.checkerKey !== checkerKey) {
        // Loaded on the first check, not at activation: the parser and the model are the heavy part.
        const { ClaimChecker } = await import('../../core/claims/checker');
        state.checker = new ClaimChecker({
          language,
          threshold: settings.threshold,
          skipSections: settings.skipSections,
          ignoredSentences: ignored,
          maxBlockLength: EDITOR_MAX_BLOCK,
        });
        state.checkerKey = checkerKey;
      }
      const started = performance.now();
      result = await state.checker.checkAsync(document.getText(), { signal: abort.signal, sliceMs: SLICE_MS });
      this.environment.log.debug(`claims: checked ${result.blocksChecked}/${result.blockCount} blocks in ${Math.round(performance.now() - started)} ms`);
    } catch (error) {
      if (error instanceof Error && error.name === 'AbortError') return { uri: key, count: state.findings.length, notices: [], checked: false };
      const message = error instanceof Error ? error.message : String(error);
      this.environment.log.error(`claims: the check failed: ${message}`);
      state.findings = [];
      state.failed = true;
      state.notice = vscode.l10n.t('This document could not be checked ({0}). Run “Biowrite: Show Log” for details, and report the problem if it persists.', message);
      this.diagnostics.delete(document.uri);
      this.refreshViews();
      return { uri: key, count: 0, notices: [state.notice], checked: false };
    }
    if (abort.signal.aborted || document.isClosed || document.version !== version || this.states.get(key) !== state) {
      return { uri: key, count: result.findings.length, notices: result.notices, checked: false };
    }
    state.findings = result.findings;
    state.failed = false;
    state.notChecked = result.sentencesNotChecked > 0 ? { sentences: result.sentencesNotChecked, languages: [...new Set(result.unchecked.map((part) => part.language))] } : undefined;
    const problems = [...result.notices];
    const listProblem = this.ignoreLists.problemFor(document.uri);
    if (listProblem) problems.push(listProblem);
    // A broken ignore list is not a part of the document left unchecked: it gets its own sentence.
    const notices = [
      ...(result.notices.length > 0 ? [vscode.l10n.t('Parts of this document were not checked: {0}', result.notices.join(' '))] : []),
      ...(listProblem ? [listProblem] : []),
    ];
    state.notice = notices.length > 0 ? notices.join(' ') : undefined;
    this.publish(document.uri, result.findings, settings);
    this.refreshViews();
    return { uri: key, count: result.findings.length, notices: problems, checked: true, notChecked: result.sentencesNotChecked };
  }

  private publish(uri: vscode.Uri, findings: readonly ClaimFinding[], settings: ClaimsSettings): void {
    const severity = toDiagnosticSeverity(settings.severity);
    this.diagnostics.set(
      uri,
      findings.map((finding) => {
        const diagnostic = new vscode.Diagnostic(
          findingRange(finding),
          vscode.l10n.t('Claim without a source ({0}, score {1})', finding.message, finding.score.toFixed(2)),
          severity,
        );
        diagnostic.source = DIAGNOSTIC_SOURCE;
        diagnostic.code = CLAIM_RULE_ID;
        return diagnostic;
      }),
    );
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const state = this.states.get(key);
    if (state) {
      if (state.timer) clearTimeout(state.timer);
      state.abort?.abort();
      this.states.delete(key);
    }
    this.diagnostics.delete(uri);
    if (this.panelDocument === key) {
      // The listed document is gone or no longer checked: the list would point at nothing.
      this.panelDocument = undefined;
      this.environment.panel.post({
        type: 'claims',
        documentUri: '',
        documentName: '',
        claims: [],
        checked: false,
        notice: vscode.l10n.t('Open a Markdown or LaTeX manuscript to list its claims without sources.'),
      });
      this.refreshViews();
    }
  }

  /** Updates the status-bar count and the panel list for the active editor's document. */
  refreshViews(): void {
    const editor = vscode.window.activeTextEditor;
    const document = editor?.document;
    const state = document ? this.states.get(document.uri.toString()) : undefined;
    if (!document || !state || !this.isChecked(document)) {
      this.statusBar.hide();
      if (document && manuscriptLanguageOf(document.languageId) && this.panelDocument !== document.uri.toString()) {
        this.panelDocument = document.uri.toString();
        this.environment.panel.post({
          type: 'claims',
          documentUri: document.uri.toString(),
          documentName: documentName(document),
          claims: [],
          checked: false,
          notice: vscode.l10n.t('Claims are not checked in this document: turn on “biowrite.claims.enabled” and add its language to “biowrite.claims.languages”.'),
        });
      }
      return;
    }
    const count = state.findings.length;
    const severity = readClaimsSettings(document.uri).severity;
    const notChecked = state.notChecked;
    const notCheckedMessage = notChecked ? notCheckedSentence(notChecked.sentences, notChecked.languages) : undefined;
    this.statusBar.text = count === 0 ? (notChecked ? '$(circle-slash) ' : '$(pass) ') + vscode.l10n.t('No claims') : '$(checklist) ' + vscode.l10n.t('{0} claims', count);
    if (count === 1) this.statusBar.text = '$(checklist) ' + vscode.l10n.t('1 claim');
    // Text the checker cannot judge must not look checked: the count of it stays in view.
    if (notChecked) this.statusBar.text += ' · ' + vscode.l10n.t('{0} not checked', notChecked.sentences);
    const tooltip = state.notice
      ? state.notice
      : count === 0
        ? notChecked
          ? vscode.l10n.t('Biowrite found no claims without sources in the text it checked.')
          : vscode.l10n.t('Biowrite found no claims without sources in this document.')
        : vscode.l10n.t('{0} sentences may need a source. Click to list them.', count);
    this.statusBar.tooltip = notCheckedMessage ? `${tooltip}\n${notCheckedMessage}` : tooltip;
    // Hints do not appear in Problems, so the panel lists them instead.
    this.statusBar.command = severity === 'hint' ? 'biowrite.openPanel' : 'workbench.actions.view.problems';
    this.statusBar.accessibilityInformation = { label: vscode.l10n.t('{0} claims without sources', count) };
    this.statusBar.show();
    this.panelDocument = document.uri.toString();
    const claims: ClaimItem[] = state.findings.map(toClaimItem);
    this.environment.panel.post({
      type: 'claims',
      documentUri: document.uri.toString(),
      documentName: documentName(document),
      claims,
      checked: state.failed !== true,
      ...(state.notice ? { notice: state.notice } : {}),
      ...(notChecked && notCheckedMessage ? { notChecked: { sentences: notChecked.sentences, message: notCheckedMessage } } : {}),
    });
  }

  /** The status bar's current text and command, for tests. */
  get statusBarState(): { readonly text: string; readonly command?: string; readonly visible: boolean } {
    const command = typeof this.statusBar.command === 'string' ? this.statusBar.command : this.statusBar.command?.command;
    return { text: this.statusBar.text, ...(command ? { command } : {}), visible: this.visible };
  }

  private get visible(): boolean {
    const document = vscode.window.activeTextEditor?.document;
    return !!document && this.states.has(document.uri.toString()) && this.isChecked(document);
  }
}

function documentName(document: vscode.TextDocument): string {
  const path = document.uri.path;
  return path.slice(path.lastIndexOf('/') + 1) || document.uri.toString();
}

/** A language's name in the display language ("Chinese", "중국어"), or its code when the runtime has no names. */
function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([vscode.env.language, 'en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The sentence saying how many sentences were not checked, and in which languages. */
function notCheckedSentence(sentences: number, languages: readonly string[]): string {
  const names = languages.map(languageName).join(', ');
  return sentences === 1
    ? vscode.l10n.t('1 sentence in {0} was not checked: claims are checked in English and Korean only.', names)
    : vscode.l10n.t('{0} sentences in {1} were not checked: claims are checked in English and Korean only.', sentences, names);
}
