import * as vscode from 'vscode';
import type { InSituReason } from '../../core/literature/library/inSitu';
import type { LiteratureRecord } from '../../core/literature/types';
import type { SearchEvent, OnlineSearch, SearchHit } from '../../core/literature/sourceSearch';
import type { LlmClient } from '../../core/llm/types';
import type { HostMessage, SourceName, WebviewMessage } from '../../shared/protocol';
import type { BiowriteEnvironment } from '../environment';
import { LibraryCache, type DocumentLibrary } from './documentLibrary';
import { readCitationSettings, readSourcesSettings } from './sourcesSettings';

/** Where a search's citation goes: the sentence as it was when the search started. */
export interface SearchTarget {
  readonly uri: vscode.Uri;
  /** The document version at search time. */
  readonly version: number;
  /** The sentence's text at search time. */
  readonly sentence: string;
  /** Its offsets at search time. */
  readonly start: number;
  readonly end: number;
}

/** What a search is started with. */
export interface SearchRequest {
  /** The text searched: the sentence, or a free query. */
  readonly query: string;
  /** The paragraph around the sentence (optional). */
  readonly context?: string;
  /** Where Insert puts the citation; absent when no manuscript was open. */
  readonly target?: SearchTarget;
  /** The document whose library is searched (optional). */
  readonly document?: vscode.TextDocument;
  /** Whether the query is a sentence of the document (shown as such in the panel). */
  readonly fromSentence: boolean;
}

interface ActiveSearch {
  readonly id: string;
  readonly controller: AbortController;
  readonly records: Map<string, LiteratureRecord>;
  /** Updated after each insertion, so a second result can be cited in the same sentence. */
  target?: SearchTarget;
  readonly library: DocumentLibrary;
  /** The messages posted for this search, in order (for `biowrite.sources.searchMessages`). */
  readonly posted: HostMessage[];
  /** The hits shown for each source, with their result ids, to mark them again when a retraction turns up later. */
  readonly shown: Map<SourceName, { readonly resultId: string; readonly hit: SearchHit }[]>;
}

/** The result of an insertion, for tests and the command's return value. */
export type InsertOutcome = 'inserted' | 'alreadyCited' | 'refused' | 'cancelled';

const KEPT_SEARCHES = 8;

/** Runs literature searches for the panel and acts on their results (insert, copy, open, stop). */
export class SourcesController implements vscode.Disposable {
  private readonly searches = new Map<string, ActiveSearch>();
  private readonly libraries = new LibraryCache();
  private counter = 0;
  /** LLM problems already shown this session: the same one is not repeated on every search. */
  private readonly llmProblemsShown = new Set<string>();
  /** Stops the background abstract fetches when the extension is deactivated. */
  private readonly enrichment = new AbortController();
  /** The latest background abstract fetch (they run one after another). */
  private lastAbstractFetch: Promise<void> = Promise.resolve();
  /** The fetched abstracts on disk, read once. */
  private abstractStore?: Promise<import('../../core/literature/abstractEnrichment').FileAbstractStore>;

  /**
   * @param environment The shared environment (panel, log, LLM, context).
   * @param onlineOverride Replaces the online services (tests only) (optional).
   */
  constructor(
    private readonly environment: BiowriteEnvironment,
    private readonly onlineOverride?: OnlineSearch,
  ) {}

  /** Stops every running search. */
  dispose(): void {
    this.enrichment.abort();
    for (const search of this.searches.values()) search.controller.abort();
    this.searches.clear();
  }

  /** The ids of the searches kept, newest last (for tests). */
  get searchIds(): string[] {
    return [...this.searches.keys()];
  }

  /**
   * Runs one search under a cancellable progress notification: the library's results are posted at
   * once, each online service's as it answers, each failure on its own, then `searchDone`.
   * @returns The search id.
   */
  async search(request: SearchRequest): Promise<string> {
    const id = `s${Date.now().toString(36)}-${++this.counter}`;
    const controller = new AbortController();
    const library = await this.libraries.forDocument(request.document);
    const active: ActiveSearch = { id, controller, records: new Map(), library, posted: [], shown: new Map(), ...(request.target ? { target: request.target } : {}) };
    this.searches.set(id, active);
    while (this.searches.size > KEPT_SEARCHES) {
      const oldest = this.searches.keys().next().value as string;
      this.searches.get(oldest)?.controller.abort();
      this.searches.delete(oldest);
    }
    const settings = await readSourcesSettings(this.environment.context.secrets, this.environment.log, request.document?.uri);
    const services: SourceName[] = [...(library.records.length > 0 ? (['library'] as const) : []), ...settings.services, ...(settings.zoteroEnabled && settings.services.length > 0 ? (['zotero'] as const) : [])];
    void this.environment.panel.reveal();
    this.post(active, { type: 'searchStarted', requestId: id, query: request.query, ...(request.fromSentence ? { sentence: request.query } : {}), services });
    if (library.problems.length > 0) {
      this.post(active, { type: 'notice', level: 'warning', message: library.problems.join('\n') });
      for (const problem of library.problems) this.environment.log.warn(`library: ${problem.split(':')[0]}: skipped entries or unreadable file`);
    }
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Biowrite: searching the literature…'), cancellable: true },
      async (_progress, token) => {
        const cancel = token.onCancellationRequested(() => controller.abort());
        try {
          await this.run(active, request, settings, services);
        } finally {
          cancel.dispose();
          this.post(active, { type: 'searchDone', requestId: id, cancelled: controller.signal.aborted });
        }
      },
    );
    return id;
  }

  private post(search: ActiveSearch, message: HostMessage): void {
    if (search.posted.length < 200) search.posted.push(message);
    this.environment.panel.post(message);
  }

  /** The messages posted to the panel for a search, in order (what the panel showed). */
  messagesOf(searchId: string): readonly HostMessage[] {
    return this.searches.get(searchId)?.posted ?? [];
  }

  private async llmFor(active: ActiveSearch, text: string, enabled: boolean): Promise<LlmClient | undefined> {
    if (!enabled) return undefined;
    let llm: LlmClient;
    try {
      llm = await this.environment.getLlmClient();
    } catch {
      return undefined;
    }
    // The sentence leaves this machine only when no patient identifier is found in it (non-local endpoints are always checked).
    const [{ privacyCheckRequired }, { findIdentifiers }] = await Promise.all([import('../../core/privacy/endpoint'), import('../../core/privacy/identifiers')]);
    const privacy = vscode.workspace.getConfiguration('biowrite.privacy');
    const localHosts = privacy.inspect<string[]>('localHosts')?.globalValue ?? [];
    const alwaysCheck = privacy.inspect<boolean>('alwaysCheck')?.globalValue ?? false;
    if (privacyCheckRequired(this.environment.getLlmEndpoint(), localHosts, alwaysCheck) && findIdentifiers(text).length > 0) {
      this.post(active, { type: 'notice', level: 'info', message: vscode.l10n.t('The sentence may hold patient identifiers, so it was not sent to the LLM; the search ran without it.') });
      return undefined;
    }
    return llm;
  }

  /**
   * Starts, once per library, the background fetch of the abstracts its entries lack; this search ranks
   * with what the library holds, the next ones with the abstracts found. Only identifiers are sent.
   */
  private fetchMissingAbstracts(library: DocumentLibrary, settings: Awaited<ReturnType<typeof readSourcesSettings>>): void {
    const services = settings.services.filter((service) => service !== 'crossref');
    if (library.abstracts || !settings.fetchMissingAbstracts || services.length === 0 || library.records.length === 0) return;
    // One fetch at a time: a library re-read after an edit then asks only for what the last fetch left open.
    const previous = this.lastAbstractFetch;
    library.abstracts = (async () => {
      await previous;
      const [{ abstractServicesFor, enrichAbstracts, FileAbstractStore }, { LibraryIndex }] = await Promise.all([
        import('../../core/literature/abstractEnrichment'),
        import('../../core/literature/library/librarySearch'),
      ]);
      this.abstractStore ??= new FileAbstractStore(vscode.Uri.joinPath(this.environment.context.globalStorageUri, 'literature-cache', 'abstracts.json').fsPath).load();
      const result = await enrichAbstracts(library.records, {
        services: abstractServicesFor(settings.config, services, { logger: this.environment.logRequest }),
        store: await this.abstractStore,
        signal: this.enrichment.signal,
      });
      for (const failure of result.failures) this.environment.log.warn(`abstracts: ${failure.service} failed; its entries are asked again next time`);
      if (result.storeError) this.environment.log.warn('abstracts: the cache could not be written; they are fetched again next time');
      if (result.missing > 0) this.environment.log.info(`abstracts: ${result.missing} library entries lack one; ${result.fetched} fetched, ${result.fromStore} from the cache`);
      if (result.fetched + result.fromStore === 0 || this.enrichment.signal.aborted) return;
      // The citations cached for the old index are rebuilt over the new records on the next search.
      library.index = new LibraryIndex(result.records);
      library.citations = undefined;
    })().catch((error: unknown) => {
      this.environment.log.warn(`abstracts: not fetched (${error instanceof Error ? error.name : 'error'})`);
    });
    this.lastAbstractFetch = library.abstracts;
  }

  /**
   * Waits for the background abstract fetch of the library a document uses, if one runs (for tests).
   * @param document The manuscript.
   */
  async abstractsFetched(document: vscode.TextDocument | undefined): Promise<void> {
    await (await this.libraries.forDocument(document)).abstracts;
  }

  private async run(active: ActiveSearch, request: SearchRequest, settings: Awaited<ReturnType<typeof readSourcesSettings>>, services: readonly SourceName[]): Promise<void> {
    const [{ findSources, onlineSearch, withoutIdentifiers }, { LibraryIndex }, { toResultItem }, { RetractionIndex }, { ManuscriptCitations }] = await Promise.all([
      import('../../core/literature/sourceSearch'),
      import('../../core/literature/library/librarySearch'),
      import('../../core/literature/resultItems'),
      import('../../core/literature/merge'),
      import('../../core/literature/library/inSitu'),
    ]);
    // A work one source reports retracted is marked in every source's results, the library's included.
    const retractions = new RetractionIndex();
    const postResults = (source: SourceName, shown: readonly { readonly resultId: string; readonly hit: SearchHit }[]): void => {
      const items = shown.map(({ resultId, hit }) => {
        const record = retractions.mark(hit.record);
        active.records.set(resultId, record);
        const why = [hit.explanation, hit.inSitu ? describeInSitu(hit.inSitu) : undefined].filter((part): part is string => !!part).join(' · ');
        return toResultItem(resultId, record, hit.score, request.query, why || undefined);
      });
      this.post(active, { type: 'searchResults', requestId: active.id, source, results: items });
    };
    const library = active.library;
    if (library.records.length > 0 && !library.index) library.index = new LibraryIndex(library.records);
    if (!this.onlineOverride) this.fetchMissingAbstracts(library, settings);
    // Read once: the background abstract fetch may swap the library's index while this search awaits,
    // and the manuscript's citations must be resolved over the records of the index searched.
    const index = library.index;
    // A sentence of the manuscript is ranked with what the rest of the manuscript already cites (its own citations excluded).
    let inSitu: { citations: InstanceType<typeof ManuscriptCitations>; span: { start: number; end: number } } | undefined;
    const document = request.document;
    if (index && request.fromSentence && request.target && document && !document.isClosed && document.version === request.target.version) {
      const uri = document.uri.toString();
      let citations = library.citations;
      if (citations?.uri !== uri || citations.version !== document.version || citations.records !== index.records) {
        citations = { uri, version: document.version, records: index.records, value: new ManuscriptCitations(index.records, document.getText(), document.languageId === 'latex' ? 'latex' : 'markdown') };
        library.citations = citations;
      }
      if (citations.value.hasCitations) inSitu = { citations: citations.value, span: { start: request.target.start, end: request.target.end } };
    }
    let online: OnlineSearch | undefined = this.onlineOverride;
    if (!online && settings.services.length > 0) {
      const { DiskCache } = await import('../../core/literature/cache');
      const cache = new DiskCache({ directory: vscode.Uri.joinPath(this.environment.context.globalStorageUri, 'literature-cache').fsPath });
      // The literature services are never local: what looks like a patient identifier is not sent to them.
      const base = withoutIdentifiers(onlineSearch({ services: settings.services, maxResults: settings.maxResults, config: settings.config, cache, logger: this.environment.logRequest }), (summary) =>
        this.post(active, { type: 'notice', level: 'info', message: vscode.l10n.t('Likely patient identifiers ({0}) were left out of the query sent to the literature services.', summary) }),
      );
      online = settings.zoteroEnabled ? withZotero(base, settings.config.zotero.url, settings.maxResults, this.environment) : base;
    }
    const llm = await this.llmFor(active, `${request.query}\n${request.context ?? ''}`, settings.llmAssist);
    const answered = new Set<SourceName>();
    const signal = active.controller.signal;
    try {
      for await (const event of findSources({
        text: request.query,
        ...(request.context ? { context: request.context } : {}),
        ...(index ? { library: index } : {}),
        ...(inSitu ? { inSitu } : {}),
        ...(online ? { online } : {}),
        ...(llm ? { llm } : {}),
        maxResults: settings.maxResults,
        signal,
      }) as AsyncIterable<SearchEvent>) {
        if (signal.aborted) break;
        switch (event.kind) {
          case 'results': {
            const source = event.source as SourceName;
            answered.add(source);
            const shown = event.hits.map((hit, index) => ({ resultId: `${source}-${index}-${hit.record.libraryId ?? hit.record.doi ?? hit.record.pmid ?? ''}`, hit }));
            const before = new Map([...active.shown].map(([other, hits]) => [other, hits.map(({ hit }) => retractions.mark(hit.record).retracted)]));
            retractions.add(event.hits.map((hit) => hit.record));
            active.shown.set(source, shown);
            postResults(source, shown);
            // Results already shown that this answer reveals as retracted are shown again, with the warning.
            for (const [other, flags] of before) {
              const hits = active.shown.get(other);
              if (other !== source && hits && hits.some(({ hit }, index) => retractions.mark(hit.record).retracted !== flags[index])) postResults(other, hits);
            }
            break;
          }
          case 'error':
            answered.add(event.source as SourceName);
            this.post(active, { type: 'searchError', requestId: active.id, source: event.source as SourceName, message: event.message });
            break;
          case 'llmProblem':
            // The message may quote the model's answer: it is shown to the user, never logged.
            this.environment.log.warn('llm: not used for this search (see the panel notice)');
            if (!this.llmProblemsShown.has(event.message)) {
              this.llmProblemsShown.add(event.message);
              this.post(active, { type: 'notice', level: 'info', message: vscode.l10n.t('The LLM could not help with this search ({0}); results come from the search alone. Turn this off with the setting biowrite.sources.llmAssist.', event.message) });
            }
            break;
          default: {
            const _exhaustive: never = event;
            void _exhaustive;
          }
        }
      }
      // Zotero not running is normal: its status line says so instead of "searching…".
      if (!signal.aborted && services.includes('zotero') && !answered.has('zotero')) {
        this.post(active, { type: 'searchResults', requestId: active.id, source: 'zotero', results: [] });
      }
    } catch (error) {
      if (!signal.aborted) {
        this.environment.log.error(`sources: search failed (${error instanceof Error ? error.name : 'error'})`);
        for (const source of services) {
          if (!answered.has(source)) this.post(active, { type: 'searchError', requestId: active.id, source, message: vscode.l10n.t('The search failed: {0}. Try again; see “Biowrite: Show Log” for details.', error instanceof Error ? error.message : String(error)) });
        }
      }
    }
  }

  /** Stops a running search (the panel's Stop button). */
  stop(searchId: string): void {
    this.searches.get(searchId)?.controller.abort();
  }

  private lookup(searchId: string, resultId: string): { search: ActiveSearch; record: LiteratureRecord } | undefined {
    const search = this.searches.get(searchId);
    const record = search?.records.get(resultId);
    if (!search || !record) {
      void vscode.window.showWarningMessage(vscode.l10n.t('This result is no longer available. Run the search again.'));
      return undefined;
    }
    return { search, record };
  }

  /** Copies a result as a formatted reference. */
  async copyReference(searchId: string, resultId: string, style: 'vancouver' | 'apa'): Promise<void> {
    const found = this.lookup(searchId, resultId);
    if (!found) return;
    const { formatReference } = await import('../../core/citations/formatReference');
    await vscode.env.clipboard.writeText(formatReference(found.record, style));
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Biowrite: reference copied ({0}).', style === 'apa' ? 'APA' : 'Vancouver'), 4000);
  }

  /** Opens a result on PubMed, PubMed Central or at its DOI: only URLs built from validated identifiers. */
  async openResult(searchId: string, resultId: string, target: 'pubmed' | 'doi' | 'pmc'): Promise<void> {
    const found = this.lookup(searchId, resultId);
    if (!found) return;
    const { recordLink } = await import('../../core/citations/formatReference');
    const url = recordLink(found.record, target);
    if (!url || !/^https:\/\/(?:pubmed\.ncbi\.nlm\.nih\.gov\/\d+\/|doi\.org\/10\.\d{4,9}\/\S+|pmc\.ncbi\.nlm\.nih\.gov\/articles\/PMC\d+\/)$/.test(url)) {
      void vscode.window.showWarningMessage(vscode.l10n.t('This record has no valid identifier to open there.'));
      return;
    }
    await vscode.env.openExternal(vscode.Uri.parse(url, true));
  }

  /**
   * Cites a result at the end of the search's sentence, in the document's syntax, and adds the entry
   * to the bibliography file: both in one WorkspaceEdit (one undo). A changed document is handled by
   * finding the sentence again; if it is gone or ambiguous, nothing is changed and the user is told.
   */
  async insert(searchId: string, resultId: string): Promise<InsertOutcome> {
    const found = this.lookup(searchId, resultId);
    if (!found) return 'refused';
    const { search, record } = found;
    const target = search.target;
    if (!target) {
      void vscode.window.showWarningMessage(vscode.l10n.t('This search was not started from a sentence. Select the sentence in the manuscript and run “Biowrite: Find Sources for Selection” to insert a citation.'));
      return 'refused';
    }
    if (record.retracted || record.notices.some((n) => n.kind === 'retraction')) {
      const cite = vscode.l10n.t('Cite Anyway');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('“{0}” has been retracted. Citing a retracted paper as support is usually wrong.', record.title.slice(0, 160)),
        { modal: true, detail: record.notices.map((n) => n.label).join('\n') || undefined },
        cite,
      );
      if (choice !== cite) return 'cancelled';
    }
    const [{ detectConventions, manubotKeyFor, planCitation, relocateSentence }, { planBibliographyEntry }] = await Promise.all([
      import('../../core/citations/insertCitation'),
      import('../../core/citations/bibliographyEdit'),
    ]);
    const document = await vscode.workspace.openTextDocument(target.uri);
    const text = document.getText();
    let start = target.start;
    if (document.version !== target.version || text.slice(target.start, target.end) !== target.sentence) {
      const moved = relocateSentence(text, target.sentence);
      if (moved === undefined) {
        void vscode.window.showWarningMessage(vscode.l10n.t('The sentence changed since the search, so the citation was not inserted (it could not be found again exactly once). Select the sentence and search again.'));
        return 'refused';
      }
      start = moved;
    }
    const end = start + target.sentence.length;
    const language = document.languageId === 'latex' || /\.(?:tex|ltx)$/i.test(document.uri.path) ? 'latex' : 'markdown';
    const citationSettings = readCitationSettings(document.uri);
    const conventions = detectConventions(text, language, citationSettings);

    const edit = new vscode.WorkspaceEdit();
    let key: string | undefined;
    let bibliographyNote = '';
    if (conventions.syntax === 'manubot') {
      key = manubotKeyFor(record) ?? (record.libraryId && search.library.records.some((r) => r.libraryId === record.libraryId) ? record.libraryId : undefined);
      if (!key) {
        void vscode.window.showWarningMessage(vscode.l10n.t('This record has no DOI, PMID or PMCID, so Manubot cannot cite it. Add it to manual-references.json or choose another result.'));
        return 'refused';
      }
    } else {
      // The entry must be in a file the manuscript names (Pandoc and LaTeX read only those); a file that
      // only the setting names does not count, so the entry is copied into the manuscript's own file.
      const files = search.library.files.some((f) => f.declared) ? search.library.files.filter((f) => f.declared) : search.library.files;
      const inLibrary = record.libraryId ? files.find((f) => f.records.some((r) => r.libraryId === record.libraryId && r.title === record.title)) : undefined;
      if (inLibrary && record.libraryId) key = record.libraryId;
      else {
        // Entries are written to CSL JSON or BibTeX (BibTeX for LaTeX); CSL YAML is only read.
        const wanted = language === 'latex' ? 'bibtex' : undefined;
        const writable = files.filter((f): f is (typeof files)[number] & { format: 'csljson' | 'bibtex' } => f.format !== 'cslyaml');
        const usable = (f: (typeof writable)[number]): boolean => wanted === undefined || f.format === wanted;
        const file = writable.find((f) => f.exists && usable(f)) ?? writable.find((f) => f.exists) ?? writable.find((f) => f.declared && usable(f));
        if (!file && files.some((f) => f.format === 'cslyaml')) {
          void vscode.window.showWarningMessage(vscode.l10n.t('Biowrite adds entries to CSL JSON or BibTeX bibliographies, not CSL YAML. Add a .json or .bib file to the bibliography list, or cite with Manubot keys (biowrite.sources.markdownStyle).'));
          return 'refused';
        }
        if (!file) {
          void vscode.window.showWarningMessage(
            language === 'latex'
              ? vscode.l10n.t('No bibliography file found for this document. Add \\bibliography{refs} (or \\addbibresource{refs.bib}) to it, or set biowrite.sources.libraryFiles.')
              : vscode.l10n.t('No bibliography file found for this document. Add “bibliography: references.json” to its front matter, or set biowrite.sources.libraryFiles.'),
          );
          return 'refused';
        }
        // A file the manuscript names but that does not exist yet is created with this first entry.
        const bibliography = file.exists ? await vscode.workspace.openTextDocument(file.uri) : undefined;
        let plan;
        try {
          plan = planBibliographyEntry(bibliography?.getText() ?? '', file.format, record);
        } catch (error) {
          void vscode.window.showErrorMessage(vscode.l10n.t('{0} could not be read ({1}). Fix it, then insert again.', vscode.workspace.asRelativePath(file.uri), error instanceof Error ? error.message : String(error)));
          return 'refused';
        }
        key = plan.key;
        if (plan.edit) {
          if (bibliography) edit.replace(file.uri, new vscode.Range(bibliography.positionAt(plan.edit.start), bibliography.positionAt(plan.edit.end)), plan.edit.newText);
          else {
            edit.createFile(file.uri, { ignoreIfExists: false });
            edit.insert(file.uri, new vscode.Position(0, 0), plan.edit.newText);
          }
          bibliographyNote = vscode.workspace.asRelativePath(file.uri);
        }
      }
    }
    const plan = planCitation(text, start, end, [key], language, conventions);
    if (plan.kind === 'alreadyCited') {
      void vscode.window.showInformationMessage(vscode.l10n.t('The sentence already cites {0}.', key));
      return 'alreadyCited';
    }
    edit.replace(document.uri, new vscode.Range(document.positionAt(plan.edit.start), document.positionAt(plan.edit.end)), plan.edit.newText);
    // Last check: nothing may have changed while the bibliography was read.
    if (document.version !== (await vscode.workspace.openTextDocument(target.uri)).version || document.getText() !== text) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The document changed while the citation was prepared. Insert again.'));
      return 'refused';
    }
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) {
      void vscode.window.showErrorMessage(vscode.l10n.t('VS Code refused the edit (is the file read-only?). Nothing was changed.'));
      return 'refused';
    }
    // The sentence now holds the citation: later inserts from this search find it as it is now.
    const delta = plan.edit.newText.length - (plan.edit.end - plan.edit.start);
    const newEnd = plan.edit.start <= end ? end + delta : end;
    search.target = { uri: target.uri, version: document.version, sentence: document.getText().slice(start, newEnd), start, end: newEnd };
    void vscode.window.setStatusBarMessage(
      bibliographyNote ? vscode.l10n.t('Biowrite: cited {0} and added it to {1}.', key, bibliographyNote) : vscode.l10n.t('Biowrite: cited {0}.', key),
      5000,
    );
    return 'inserted';
  }

  /**
   * Zotero's cite-as-you-write picker (Better BibTeX): the papers the user picks are cited at the end of
   * the sentence holding the cursor and added to the bibliography, as an inserted search result is.
   * @returns What each insertion did (empty when nothing was picked), or undefined when there was nothing to cite into.
   */
  async citeFromZotero(): Promise<InsertOutcome[] | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a manuscript and put the cursor in the sentence to cite.'));
      return undefined;
    }
    const document = editor.document;
    const { sentenceAt } = await import('../../core/citations/sentenceAt');
    const text = document.getText();
    const span = sentenceAt(text, document.offsetAt(editor.selection.active));
    if (!span || text.slice(span.start, span.end).trim() === '') {
      void vscode.window.showWarningMessage(vscode.l10n.t('Put the cursor in the sentence to cite.'));
      return undefined;
    }
    const target: SearchTarget = { uri: document.uri, version: document.version, sentence: text.slice(span.start, span.end), start: span.start, end: span.end };
    const settings = await readSourcesSettings(this.environment.context.secrets, this.environment.log, document.uri);
    const { ZoteroClient } = await import('../../core/literature/zoteroClient');
    const zotero = new ZoteroClient({ url: settings.config.zotero.url, logger: this.environment.logRequest });
    const controller = new AbortController();
    let outcome: Awaited<ReturnType<typeof zotero.pick>>;
    try {
      outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Biowrite: pick the papers to cite in Zotero…'), cancellable: true },
        async (_progress, token) => {
          const cancel = token.onCancellationRequested(() => controller.abort());
          try {
            return await zotero.pick('json', controller.signal);
          } finally {
            cancel.dispose();
          }
        },
      );
    } catch (error) {
      void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
      return undefined;
    }
    if (controller.signal.aborted) return [];
    if (!outcome.available) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Zotero with Better BibTeX did not answer at {0}. Start Zotero (with the Better BibTeX add-on), or check the setting biowrite.sources.zotero.url.', settings.config.zotero.url));
      return undefined;
    }
    if (outcome.records.length === 0) return [];
    // The picks are cited like results of a search started from this sentence: the library decides the key.
    const id = `z${Date.now().toString(36)}-${++this.counter}`;
    const library = await this.libraries.forDocument(document);
    const picked: ActiveSearch = { id, controller, records: new Map(outcome.records.map((record, index) => [`zotero-${index}`, record])), target, library, posted: [], shown: new Map() };
    this.searches.set(id, picked);
    try {
      const outcomes: InsertOutcome[] = [];
      for (const resultId of picked.records.keys()) {
        const inserted = await this.insert(id, resultId);
        outcomes.push(inserted);
        // What refused one (no bibliography file, a changed sentence) refuses the others: one message is enough.
        if (inserted === 'refused') break;
      }
      return outcomes;
    } finally {
      this.searches.delete(id);
    }
  }

  /**
   * Wires the panel's messages to this controller.
   * @returns The registrations, to be disposed with the extension.
   */
  registerPanelHandlers(): vscode.Disposable[] {
    const panel = this.environment.panel;
    const guard = <T extends WebviewMessage>(handler: (message: T) => Promise<unknown>) => async (message: T): Promise<void> => {
      try {
        await handler(message);
      } catch (error) {
        this.environment.log.error(`sources: ${message.type} failed (${error instanceof Error ? error.name : 'error'})`);
        void vscode.window.showErrorMessage(vscode.l10n.t('Biowrite could not complete that: {0}', error instanceof Error ? error.message : String(error)));
      }
    };
    return [
      panel.onMessage('insertCitation', guard((m) => this.insert(m.searchId, m.resultId))),
      panel.onMessage('copyReference', guard((m) => this.copyReference(m.searchId, m.resultId, m.style))),
      panel.onMessage('openResult', guard((m) => this.openResult(m.searchId, m.resultId, m.target))),
      panel.onMessage('stop', (m) => this.stop(m.targetRequestId)),
    ];
  }
}

/** Adds Zotero (through Better BibTeX) to an online search; Zotero not running is not an error. */
function withZotero(base: OnlineSearch, url: string, maxResults: number, environment: BiowriteEnvironment): OnlineSearch {
  return async function* (query, signal) {
    const { ZoteroClient } = await import('../../core/literature/zoteroClient');
    const { keywordQuery } = await import('../../core/literature/keywordQuery');
    const zotero = new ZoteroClient({ url, logger: environment.logRequest });
    const zoteroPromise = zotero.search(keywordQuery(query.text, 'pubmed', { mode: 'any' }) || query.text, { maxResults, signal }).then(
      (outcome) => (outcome.available ? ({ kind: 'results', source: 'zotero', records: outcome.records } as const) : undefined),
      (error: unknown) => (signal.aborted ? undefined : ({ kind: 'error', source: 'zotero', message: error instanceof Error ? error.message : String(error) } as const)),
    );
    yield* base(query, signal);
    const zoteroEvent = await zoteroPromise;
    if (zoteroEvent) yield zoteroEvent;
  };
}

/** Why a library entry ranks high by what the manuscript cites, in words ("cited 3 times nearby: …"). */
export function describeInSitu(reason: InSituReason): string {
  const near = reason.inParagraph + reason.nearby;
  const parts: string[] = [];
  if (near > 0) parts.push(near === 1 ? vscode.l10n.t('cited once nearby') : vscode.l10n.t('cited {0} times nearby', near));
  else if (reason.elsewhere > 0) parts.push(reason.elsewhere === 1 ? vscode.l10n.t('cited once elsewhere in the manuscript') : vscode.l10n.t('cited {0} times elsewhere in the manuscript', reason.elsewhere));
  if (reason.coCitedWith > 0) parts.push(vscode.l10n.t('often cited with references cited nearby'));
  const text = parts.join(', ');
  return reason.example && reason.elsewhere > 0 ? vscode.l10n.t('{0}: “{1}”', text, reason.example) : text;
}
