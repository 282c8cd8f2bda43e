import * as vscode from 'vscode';
import type { OnlineVerdict } from '../../core/references/audit';
import type { BibliographyEntry } from '../../core/references/entries';
import type { ReferenceAudit, ReferenceFinding, ReferenceStatus } from '../../core/references/statuses';
import type { ReferenceItem, ReferencesState } from '../../shared/protocol';
import { manuscriptLanguageOf } from '../claims/claimsSettings';
import { DIAGNOSTIC_SOURCE } from '../claims/claimsController';
import { readApplicationSetting } from '../config';
import { Disposable } from '../disposable';
import type { BiowriteEnvironment } from '../environment';
import { LibraryCache } from '../sources/documentLibrary';
import { readSourcesSettings } from '../sources/sourcesSettings';

/** Statuses that need no action: no diagnostic. */
const cleanStatuses: ReadonlySet<string> = new Set(['verified', 'unverifiable']);

/** A bibliography file of the audited manuscript, as it was read for the audit. */
export interface AuditedFile {
  readonly uri: vscode.Uri;
  readonly format: BibliographyEntry['format'];
  /** The document version read, when the file was open in the editor (else undefined: read from disk). */
  readonly version?: number;
  readonly text: string;
}

/** The last audit of one manuscript. */
export interface ManuscriptAudit {
  readonly id: string;
  readonly manuscript: vscode.Uri;
  /** The manuscript's version the audit read. */
  readonly manuscriptVersion: number;
  readonly files: readonly AuditedFile[];
  /** The entries read, for the fixes and the panel. */
  readonly entries: readonly BibliographyEntry[];
  readonly audit: ReferenceAudit;
  readonly online: boolean;
  readonly state: ReferencesState;
}

/** What the audit command resolves to, for tests and scripts. */
export interface AuditSummary {
  readonly uri: string;
  readonly state: ReferencesState;
  readonly entries: number;
  readonly withFindings: number;
  readonly statuses: Readonly<Partial<Record<ReferenceStatus, number>>>;
  readonly findings: readonly { readonly key: string; readonly statuses: readonly ReferenceStatus[] }[];
}

function severityOf(status: ReferenceStatus): vscode.DiagnosticSeverity {
  switch (status) {
    case 'not-found':
    case 'identifier-mismatch':
    case 'retracted':
    case 'undefined':
      return vscode.DiagnosticSeverity.Error;
    case 'concern':
    case 'metadata-mismatch':
    case 'corrected':
    case 'preprint-published':
    case 'duplicate':
      return vscode.DiagnosticSeverity.Warning;
    case 'unused':
      return vscode.DiagnosticSeverity.Hint;
    case 'unverifiable':
    case 'verified':
      return vscode.DiagnosticSeverity.Information;
  }
}

function rankOf(status: ReferenceStatus): number {
  return ['retracted', 'not-found', 'identifier-mismatch', 'undefined', 'concern', 'metadata-mismatch', 'corrected', 'preprint-published', 'duplicate', 'unused', 'unverifiable', 'verified'].indexOf(status);
}

/** The status a diagnostic of a finding carries as its code: the most serious one. */
export function primaryStatus(finding: ReferenceFinding): ReferenceStatus {
  return [...finding.statuses].sort((a, b) => rankOf(a) - rankOf(b))[0] ?? 'verified';
}

async function readText(uri: vscode.Uri): Promise<{ text: string; version?: number }> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return { text: open.getText(), version: open.version };
  return { text: new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri)) };
}

/**
 * Audits the references of manuscripts: reads the bibliography the manuscript uses (open editors'
 * text included), asks the services in the background with progress and cancel, and keeps the
 * diagnostics (on each citation key and on each entry), the status bar, the panel's References view and
 * the hovers current. After a first audit, edits of the manuscript or its bibliography re-run it, and
 * only entries that changed are asked again (verdicts are kept by entry content; answers are also cached
 * on disk, so a retraction is seen once the cache entry ages past `biowrite.references.recheckDays`).
 */
export class ReferencesController extends Disposable {
  private readonly diagnostics = this._register(vscode.languages.createDiagnosticCollection('biowrite-references'));
  private readonly statusBar = this._register(vscode.window.createStatusBarItem('biowrite.references', vscode.StatusBarAlignment.Right, 99));
  private readonly audits = new Map<string, ManuscriptAudit>();
  private readonly running = new Map<string, AbortController>();
  /** Verdicts by entry content, with when they were made: reused for unchanged entries until `recheckDays` old. */
  private readonly verdicts = new Map<string, { readonly verdict: OnlineVerdict; readonly at: number }>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly libraries = new LibraryCache();
  private readonly onDidAuditEmitter = this._register(new vscode.EventEmitter<ManuscriptAudit>());
  /** Fires when an audit of a manuscript finished (done, cancelled or failed). */
  readonly onDidAudit = this.onDidAuditEmitter.event;

  /** @param environment The extension's environment (panel, log, secrets). */
  constructor(private readonly environment: BiowriteEnvironment) {
    super();
    this.statusBar.name = vscode.l10n.t('Biowrite references');
    this.statusBar.command = 'biowrite.openPanel';
    this._register(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length === 0) return;
        for (const audit of this.audits.values()) {
          const changed = event.document.uri.toString();
          if (audit.manuscript.toString() === changed || audit.files.some((file) => file.uri.toString() === changed)) this.scheduleRecheck(audit.manuscript);
        }
      }),
    );
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.refreshViews()));
    this._register({
      dispose: () => {
        for (const controller of this.running.values()) controller.abort();
        for (const timer of this.timers.values()) clearTimeout(timer);
      },
    });
  }

  /** The last audit of a manuscript (or of the manuscript a bibliography file belongs to). */
  auditOf(uri: vscode.Uri | string): ManuscriptAudit | undefined {
    const key = uri.toString();
    const direct = this.audits.get(key);
    if (direct) return direct;
    return [...this.audits.values()].find((audit) => audit.files.some((file) => file.uri.toString() === key));
  }

  /** Whether the documents an audit read are unchanged since (a fix built on it is safe to apply). */
  isCurrent(audit: ManuscriptAudit): boolean {
    const manuscript = vscode.workspace.textDocuments.find((document) => document.uri.toString() === audit.manuscript.toString());
    if (!manuscript || manuscript.version !== audit.manuscriptVersion) return false;
    return audit.files.every((file) => {
      const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === file.uri.toString());
      return open ? open.getText() === file.text : true;
    });
  }

  /** Stops a running audit by its id (the panel's Stop). */
  stop(id: string): boolean {
    for (const [uri, controller] of this.running) {
      if (this.audits.get(uri)?.id === id || (controller as AbortController & { auditId?: string }).auditId === id) {
        controller.abort();
        return true;
      }
    }
    return false;
  }

  private scheduleRecheck(manuscript: vscode.Uri): void {
    const key = manuscript.toString();
    const previous = this.timers.get(key);
    if (previous) clearTimeout(previous);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        const audit = this.audits.get(key);
        const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === key);
        if (audit && document) void this.audit(document, { online: audit.online, quiet: true });
      }, 1500),
    );
  }

  /**
   * Audits the references of a manuscript.
   * @param document The manuscript.
   * @param options `online` asks the services (default: the `biowrite.references.online` setting); `quiet` shows no notification progress.
   */
  async audit(document: vscode.TextDocument, options: { readonly online?: boolean; readonly quiet?: boolean } = {}): Promise<AuditSummary> {
    const key = document.uri.toString();
    this.running.get(key)?.abort();
    const controller = new AbortController() as AbortController & { auditId?: string };
    const id = `refs-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
    controller.auditId = id;
    this.running.set(key, controller);
    const online = options.online ?? vscode.workspace.getConfiguration('biowrite.references', document.uri).get<boolean>('online', true);
    const version = document.version;
    const run = async (report: (done: number, total: number) => void): Promise<ManuscriptAudit> => {
      const [{ auditReferences, entryFingerprint }, { citedKeysOf }, { readBibliographyEntries }] = await Promise.all([
        import('../../core/references/audit'),
        import('../../core/references/citedKeys'),
        import('../../core/references/entries'),
      ]);
      const language = manuscriptLanguageOf(document.languageId) ?? 'markdown';
      const text = document.getText();
      const library = await this.libraries.forDocument(document);
      const files: AuditedFile[] = [];
      const entries: BibliographyEntry[] = [];
      const problems = [...library.problems];
      const seen = new Set<string>();
      for (const file of library.files) {
        if (!file.exists) continue;
        try {
          const read = await readText(file.uri);
          files.push({ uri: file.uri, format: file.format, version: read.version, text: read.text });
          for (const entry of readBibliographyEntries(read.text, file.uri.toString()).entries) {
            if (seen.has(entry.key)) continue;
            seen.add(entry.key);
            entries.push(entry);
          }
        } catch (error) {
          problems.push(`${vscode.workspace.asRelativePath(file.uri)}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      let services;
      if (online) {
        const settings = await readSourcesSettings(this.environment.context.secrets, this.environment.log, document.uri);
        const { DiskCache } = await import('../../core/literature/cache');
        const { createReferenceServices } = await import('../../core/references/services');
        const days = vscode.workspace.getConfiguration('biowrite.references', document.uri).get<number>('recheckDays', 7);
        const cache = new DiskCache({ directory: vscode.Uri.joinPath(this.environment.context.globalStorageUri, 'references-cache').fsPath, ttlMs: Math.max(0, days) * 86_400_000 });
        // Endpoints come from user settings only: a workspace must not send the bibliography elsewhere.
        const arxivSetting = readApplicationSetting<unknown>('biowrite.references', 'arxiv.baseUrl', '', this.environment.log);
        const arxivUrl = typeof arxivSetting === 'string' && arxivSetting.trim() !== '' ? arxivSetting.trim() : undefined;
        services = createReferenceServices(settings.config, arxivUrl, { cache, logger: this.environment.logRequest });
      }
      const maxAgeMs = Math.max(0, vscode.workspace.getConfiguration('biowrite.references', document.uri).get<number>('recheckDays', 7)) * 86_400_000;
      const now = Date.now();
      const previous = new Map([...this.verdicts].filter(([, kept]) => now - kept.at < maxAgeMs).map(([fingerprint, kept]) => [fingerprint, kept.verdict]));
      const audit = await auditReferences({
        entries,
        cited: citedKeysOf(text, language, key),
        services,
        signal: controller.signal,
        previous: online ? previous : undefined,
        onProgress: (done, total) => {
          report(done, total);
          this.postRunning(id, document, online, done, total);
        },
      });
      for (const entry of entries) {
        const finding = audit.findings.find((candidate) => candidate.key === entry.key);
        if (finding && online && finding.checkedWith.length > 0) {
          const fingerprint = entryFingerprint(entry);
          if (previous.has(fingerprint)) continue;
          this.verdicts.set(fingerprint, {
            at: now,
            verdict: {
            statuses: finding.statuses.filter((status) => status !== 'unused' && status !== 'duplicate'),
            fields: finding.fields,
            message: finding.message.split(/ (?=\S+ is (?:the same work as|never cited))/)[0],
            ...(finding.resolved ? { resolved: finding.resolved } : {}),
            ...(finding.publishedDoi ? { publishedDoi: finding.publishedDoi } : {}),
            checkedWith: finding.checkedWith,
            },
          });
        }
      }
      if (problems.length > 0) this.environment.log.warn(`references: ${problems.join(' | ')}`);
      return { id, manuscript: document.uri, manuscriptVersion: version, files, entries, audit, online, state: 'done' };
    };
    this.postRunning(id, document, online, 0, 0);
    let result: ManuscriptAudit;
    try {
      result = options.quiet
        ? await run(() => undefined)
        : await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking references'), cancellable: true }, async (progress, token) => {
            token.onCancellationRequested(() => controller.abort());
            let last = 0;
            return run((done, total) => {
              if (total === 0) return;
              progress.report({ message: vscode.l10n.t('{0} of {1}', done, total), increment: ((done - last) / total) * 100 });
              last = done;
            });
          });
    } catch (error) {
      const cancelled = controller.signal.aborted;
      const previous = this.audits.get(key);
      const state: ReferencesState = cancelled ? 'cancelled' : 'error';
      if (this.running.get(key) === controller) this.running.delete(key);
      const message = cancelled ? vscode.l10n.t('The reference check was stopped.') : vscode.l10n.t('The references could not be checked: {0}', error instanceof Error ? error.message : String(error));
      if (!cancelled) this.environment.log.error(`references: ${error instanceof Error ? error.message : String(error)}`);
      this.environment.panel.post({ type: 'references', requestId: id, documentUri: key, documentName: vscode.workspace.asRelativePath(document.uri), state, online, items: previous ? this.itemsOf(previous) : [], notice: message });
      return { uri: key, state, entries: 0, withFindings: 0, statuses: {}, findings: [] };
    }
    if (this.running.get(key) === controller) this.running.delete(key);
    this.audits.set(key, result);
    this.publish(result);
    this.onDidAuditEmitter.fire(result);
    return {
      uri: key,
      state: 'done',
      entries: result.audit.summary.entries,
      withFindings: result.audit.summary.withFindings,
      statuses: result.audit.summary.statuses,
      findings: result.audit.findings.map((finding) => ({ key: finding.key, statuses: finding.statuses })),
    };
  }

  private postRunning(id: string, document: vscode.TextDocument, online: boolean, done: number, total: number): void {
    const previous = this.audits.get(document.uri.toString());
    this.environment.panel.post({
      type: 'references',
      requestId: id,
      documentUri: document.uri.toString(),
      documentName: vscode.workspace.asRelativePath(document.uri),
      state: 'running',
      done,
      total,
      online,
      items: previous ? this.itemsOf(previous) : [],
    });
  }

  /** The range of a finding's place in a document (a citation of the key or the entry's key). */
  private rangeIn(text: string, offset: number, length: number): vscode.Range {
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    const character = offset - (before.lastIndexOf('\n') + 1);
    const endText = text.slice(0, offset + length);
    const endLine = endText.split('\n').length - 1;
    return new vscode.Range(line, character, endLine, offset + length - (endText.lastIndexOf('\n') + 1));
  }

  private publish(result: ManuscriptAudit): void {
    const manuscript = vscode.workspace.textDocuments.find((document) => document.uri.toString() === result.manuscript.toString());
    const manuscriptText = manuscript?.getText() ?? '';
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const add = (uri: string, diagnostic: vscode.Diagnostic): void => {
      byFile.set(uri, [...(byFile.get(uri) ?? []), diagnostic]);
    };
    for (const finding of result.audit.findings) {
      const shown = finding.statuses.filter((status) => !cleanStatuses.has(status));
      if (shown.length === 0) continue;
      const status = primaryStatus(finding);
      const make = (range: vscode.Range): vscode.Diagnostic => {
        const diagnostic = new vscode.Diagnostic(range, finding.message, severityOf(status));
        diagnostic.source = DIAGNOSTIC_SOURCE;
        diagnostic.code = `reference-${status}`;
        if (status === 'unused') diagnostic.tags = [vscode.DiagnosticTag.Unnecessary];
        return diagnostic;
      };
      if (status !== 'unused') for (const citation of finding.citations) add(result.manuscript.toString(), make(this.rangeIn(manuscriptText, citation.offset, citation.length)));
      if (finding.entry && finding.entry.offset >= 0) {
        const file = result.files.find((candidate) => candidate.uri.toString() === finding.entry?.file);
        if (file) add(file.uri.toString(), make(this.rangeIn(file.text, finding.entry.offset, finding.entry.length)));
      }
    }
    this.diagnostics.set(result.manuscript, byFile.get(result.manuscript.toString()) ?? []);
    for (const file of result.files) this.diagnostics.set(file.uri, byFile.get(file.uri.toString()) ?? []);
    this.refreshViews();
  }

  /** The panel's items of an audit. */
  private itemsOf(result: ManuscriptAudit): ReferenceItem[] {
    return result.audit.findings.map((finding) => {
      const resolved = finding.resolved;
      return {
        key: finding.key,
        statuses: finding.statuses,
        message: finding.message,
        fields: finding.fields,
        cited: this.citedOf(result, finding.key),
        ...(resolved
          ? {
              resolved: {
                title: resolved.title,
                authors: resolved.authors.slice(0, 6).map((author) => author.literal ?? [author.given, author.family].filter(Boolean).join(' ')),
                ...(resolved.year !== undefined ? { year: resolved.year } : {}),
                ...(resolved.containerTitle ? { journal: resolved.containerTitle } : {}),
                ...(resolved.doi ? { doi: resolved.doi } : {}),
                ...(resolved.pmid ? { pmid: resolved.pmid } : {}),
                ...(resolved.pmcid ? { pmcid: resolved.pmcid } : {}),
              },
            }
          : {}),
        ...(finding.publishedDoi ? { publishedDoi: finding.publishedDoi } : {}),
        hasEntry: finding.entry !== undefined,
        citationCount: finding.citations.length,
      };
    });
  }

  private readonly citedCache = new WeakMap<ManuscriptAudit, Map<string, { title: string; authors: string[]; year?: number }>>();

  private citedOf(result: ManuscriptAudit, key: string): { title: string; authors: string[]; year?: number } {
    let map = this.citedCache.get(result);
    if (!map) {
      map = new Map();
      for (const entry of result.entries) {
        map.set(entry.key, {
          title: entry.record.title,
          authors: entry.record.authors.slice(0, 6).map((author) => author.literal ?? [author.given, author.family].filter(Boolean).join(' ')),
          ...(entry.record.year !== undefined ? { year: entry.record.year } : {}),
        });
      }
      this.citedCache.set(result, map);
    }
    return map.get(key) ?? { title: '', authors: [] };
  }

  /** Updates the status bar and the panel for the active editor's manuscript. */
  refreshViews(): void {
    const active = vscode.window.activeTextEditor?.document;
    const audit = active ? this.auditOf(active.uri) : undefined;
    if (!audit) {
      this.statusBar.hide();
      return;
    }
    const count = audit.audit.summary.withFindings;
    this.statusBar.text = count === 0 ? '$(book) ' + vscode.l10n.t('References OK') : `$(book) ${count}`;
    this.statusBar.tooltip = count === 0 ? vscode.l10n.t('Every reference checked is fine.') : vscode.l10n.t('{0} references to fix: open the Biowrite panel.', count);
    this.statusBar.show();
    const unreachable = audit.audit.summary.unreachable.map((failure) => vscode.l10n.t('{0} could not be reached: the entries it would have checked are unverifiable.', failure.service));
    this.environment.panel.post({
      type: 'references',
      requestId: audit.id,
      documentUri: audit.manuscript.toString(),
      documentName: vscode.workspace.asRelativePath(audit.manuscript),
      state: audit.state,
      online: audit.online,
      items: this.itemsOf(audit),
      ...(unreachable.length > 0 ? { notice: unreachable.join(' ') } : {}),
    });
  }

  /** The status bar's text and visibility, for tests. */
  get statusBarState(): { readonly text: string; readonly visible: boolean } {
    return { text: this.statusBar.text, visible: this.audits.size > 0 && vscode.window.activeTextEditor !== undefined && this.auditOf(vscode.window.activeTextEditor.document.uri) !== undefined };
  }
}
