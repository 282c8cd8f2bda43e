import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { startFakeLiteratureServers, type FakeLiteratureServers } from '../fakes/fakeLiteratureServers';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/fakeOpenAiServer';
import type { HostMessage, SourceResultItem } from '../../src/shared/protocol';
import { undoIn } from './waitFor';

const extensionId = 'biowrite.biowrite';
const MADE_UP_DOI = '10.9999/made.up.2025.42';
const MADE_UP_PMID = '98765432';

const manuscript = `---
title: Test manuscript
bibliography: refs.json
---

# Introduction

Deep learning has changed how images and speech are analysed.

Convolutional models such as DeepBind learn the binding preferences of DNA- and RNA-binding proteins.

The p53 tumour suppressor halts cell growth after DNA damage.
`;

type Results = Extract<HostMessage, { type: 'searchResults' }>;

function results(messages: readonly HostMessage[]): Results[] {
  return messages.filter((m): m is Results => m.type === 'searchResults');
}

function rangeOf(document: vscode.TextDocument, text: string): vscode.Range {
  const offset = document.getText().indexOf(text);
  assert.ok(offset >= 0, `"${text}" is in the document`);
  return new vscode.Range(document.positionAt(offset), document.positionAt(offset + text.length));
}

suite('Sources: find and insert citations', () => {
  let dir: string;
  let servers: FakeLiteratureServers;
  let llm: FakeOpenAiServer;
  const sources = () => vscode.workspace.getConfiguration('biowrite.sources');
  const llmSettings = () => vscode.workspace.getConfiguration('biowrite.llm');
  let saved: { llmBaseUrl?: string; llmModel?: string } = {};

  suiteSetup(async function () {
    this.timeout(30_000);
    await vscode.extensions.getExtension(extensionId)?.activate();
    servers = await startFakeLiteratureServers();
    llm = await startFakeOpenAiServer();
    saved = { llmBaseUrl: llmSettings().inspect<string>('baseUrl')?.globalValue, llmModel: llmSettings().inspect<string>('model')?.globalValue };
    await sources().update('pubmed.baseUrl', servers.urls.pubmed, vscode.ConfigurationTarget.Global);
    await sources().update('europepmc.baseUrl', servers.urls.europepmc, vscode.ConfigurationTarget.Global);
    await sources().update('crossref.baseUrl', servers.urls.crossref, vscode.ConfigurationTarget.Global);
    await sources().update('openalex.baseUrl', servers.urls.openalex, vscode.ConfigurationTarget.Global);
    await sources().update('zotero.enabled', false, vscode.ConfigurationTarget.Global);
    await sources().update('llmAssist', false, vscode.ConfigurationTarget.Global);
    // Rankings here are of the fixture library as it is; the test of abstract fetching turns it on.
    await sources().update('fetchMissingAbstracts', false, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    for (const key of ['pubmed.baseUrl', 'europepmc.baseUrl', 'crossref.baseUrl', 'openalex.baseUrl', 'zotero.enabled', 'zotero.url', 'llmAssist', 'services', 'fetchMissingAbstracts']) {
      await sources().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
    await llmSettings().update('baseUrl', saved.llmBaseUrl, vscode.ConfigurationTarget.Global);
    await llmSettings().update('model', saved.llmModel, vscode.ConfigurationTarget.Global);
    await servers?.close();
    await llm?.close();
  });

  setup(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'biowrite-sources-'));
    const extensionPath = vscode.extensions.getExtension(extensionId)?.extensionPath ?? process.cwd();
    fs.copyFileSync(path.join(extensionPath, 'test', 'fixtures', 'sources', 'library.json'), path.join(dir, 'refs.json'));
    fs.writeFileSync(path.join(dir, 'manuscript.md'), manuscript);
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revertAll').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, 'manuscript.md')));
    return vscode.window.showTextDocument(document);
  }

  async function bibliography(): Promise<vscode.TextDocument> {
    return vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, 'refs.json')));
  }

  async function messagesOf(searchId: string | undefined): Promise<readonly HostMessage[]> {
    assert.ok(searchId, 'the command returned a search id');
    return vscode.commands.executeCommand<readonly HostMessage[]>('biowrite.sources.searchMessages', searchId);
  }

  test('missing abstracts are fetched once by identifier in the background, and the next search ranks with them', async () => {
    const { startFakeReferenceServices } = await import('../fakes/fakeReferenceServices');
    const abstract = 'Zebrafish fin regeneration requires retinoic acid signalling in the blastema, as shown by lineage tracing and chemical inhibition.';
    const world = await startFakeReferenceServices([{ doi: '10.1000/fin.regen', title: 'Fin regeneration', authors: [{ given: 'Ada', family: 'Lovelace' }], year: 2018, abstract, abstractIn: ['openalex'] }]);
    try {
      await sources().update('openalex.baseUrl', world.urls.openalex, vscode.ConfigurationTarget.Global);
      await sources().update('services', ['openalex'], vscode.ConfigurationTarget.Global);
      await sources().update('fetchMissingAbstracts', true, vscode.ConfigurationTarget.Global);
      const others = ['Deep learning', 'Single-cell RNA sequencing of the mouse brain', 'Gut microbiome and obesity', 'Signalling pathways in development', 'Heart regeneration in zebrafish'].map((title, index) => ({
        id: `other${index}`,
        type: 'article-journal',
        title,
        abstract: `${title}: studied here with several methods across model organisms and human cohorts.`,
      }));
      const libraryText = JSON.stringify([{ id: 'fin2018', type: 'article-journal', title: 'Fin regeneration', DOI: '10.1000/fin.regen' }, ...others], null, 2);
      fs.writeFileSync(path.join(dir, 'refs.json'), libraryText);
      const sentence = 'Blastema formation during zebrafish regrowth depends on retinoic acid signalling, as lineage tracing showed.';
      fs.writeFileSync(path.join(dir, 'manuscript.md'), `---\nbibliography: refs.json\n---\n\n${sentence}\n`);
      const editor = await open();
      const search = async (): Promise<readonly HostMessage[]> => {
        const range = rangeOf(editor.document, sentence);
        const searchId = await vscode.commands.executeCommand<string>('biowrite.findSources', {
          uri: editor.document.uri.toString(),
          range: { startLine: range.start.line, startCharacter: range.start.character, endLine: range.end.line, endCharacter: range.end.character },
          sentence,
        });
        return messagesOf(searchId);
      };
      const libraryTop = (messages: readonly HostMessage[]): string | undefined => results(messages).find((r) => r.source === 'library')?.results[0]?.title;
      assert.notStrictEqual(libraryTop(await search()), 'Fin regeneration', 'the first search ranks with the library as it is');
      await vscode.commands.executeCommand('biowrite.sources.abstractsFetched', editor.document.uri.toString());
      assert.ok(world.requests.some((request) => decodeURIComponent(request).includes('filter=doi:10.1000/fin.regen')), world.requests.join('\n'));
      assert.strictEqual(libraryTop(await search()), 'Fin regeneration');
      const asked = world.requests.filter((request) => request.includes('filter=doi')).length;
      await search();
      assert.strictEqual(world.requests.filter((request) => request.includes('filter=doi')).length, asked, 'each abstract is fetched once');
      assert.strictEqual(fs.readFileSync(path.join(dir, 'refs.json'), 'utf8'), libraryText, 'the bibliography file is not changed');
    } finally {
      await sources().update('openalex.baseUrl', servers.urls.openalex, vscode.ConfigurationTarget.Global);
      await sources().update('services', undefined, vscode.ConfigurationTarget.Global);
      await sources().update('fetchMissingAbstracts', false, vscode.ConfigurationTarget.Global);
      await world.close();
    }
  });

  test('offline: the quick-fix argument searches the library; the existing key is reused', async () => {
    await sources().update('services', [], vscode.ConfigurationTarget.Global);
    const editor = await open();
    const sentence = 'Convolutional models such as DeepBind learn the binding preferences of DNA- and RNA-binding proteins.';
    const range = rangeOf(editor.document, sentence);
    const searchId = await vscode.commands.executeCommand<string>('biowrite.findSources', {
      uri: editor.document.uri.toString(),
      range: { startLine: range.start.line, startCharacter: range.start.character, endLine: range.end.line, endCharacter: range.end.character },
      sentence,
    });
    const messages = await messagesOf(searchId);
    assert.deepStrictEqual(messages.map((m) => m.type).filter((t) => t !== 'notice'), ['searchStarted', 'searchResults', 'searchDone']);
    const started = messages[0] as Extract<HostMessage, { type: 'searchStarted' }>;
    assert.deepStrictEqual(started.services, ['library']);
    assert.strictEqual(started.sentence, sentence);
    const top = results(messages)[0].results[0];
    assert.strictEqual(top.title, 'Predicting the sequence specificities of DNA- and RNA-binding proteins by deep learning');
    assert.deepStrictEqual(top.sources, ['library']);
    const bibBefore = (await bibliography()).getText();
    const outcome = await vscode.commands.executeCommand('biowrite.sources.insertResult', searchId, top.id);
    assert.strictEqual(outcome, 'inserted');
    assert.ok(editor.document.getText().includes('RNA-binding proteins [@alipanahi2015deepbind].'), editor.document.getText());
    assert.strictEqual((await bibliography()).getText(), bibBefore, 'a record already in the library is not added again');
    assert.strictEqual(await vscode.commands.executeCommand('biowrite.sources.insertResult', searchId, top.id), 'alreadyCited');
  });

  test('online: each service reports as it answers; an insert changes the document and the bibliography in one undoable edit', async function () {
    this.timeout(60_000);
    await sources().update('services', ['pubmed', 'europepmc', 'crossref', 'openalex'], vscode.ConfigurationTarget.Global);
    servers.fault('/crossref/works', { kind: 'status', status: 500 }, Infinity);
    const editor = await open();
    const sentence = 'The p53 tumour suppressor halts cell growth after DNA damage.';
    editor.selection = new vscode.Selection(rangeOf(editor.document, sentence).start, rangeOf(editor.document, sentence).end);
    const searchId = await vscode.commands.executeCommand<string>('biowrite.findSources');
    const messages = await messagesOf(searchId);
    servers.clearFaults();
    const started = messages[0] as Extract<HostMessage, { type: 'searchStarted' }>;
    assert.deepStrictEqual(started.services, ['library', 'pubmed', 'europepmc', 'crossref', 'openalex']);
    assert.strictEqual(messages[messages.length - 1].type, 'searchDone');
    const crossrefError = messages.find((m) => m.type === 'searchError' && m.source === 'crossref');
    assert.ok(crossrefError, 'the failing service is reported');
    const answered = new Set(messages.filter((m) => m.type === 'searchResults' || m.type === 'searchError').map((m) => (m as Results).source));
    for (const service of ['library', 'pubmed', 'europepmc', 'openalex']) assert.ok(answered.has(service as Results['source']), `${service} answered`);
    const online = results(messages).filter((m) => m.source !== 'library').flatMap((m) => m.results);
    assert.ok(servers.requests.length > 0, 'the fake services were queried');
    const candidate: SourceResultItem | undefined = online.find((item) => (item.doi || item.pmid) && !item.retracted);
    assert.ok(candidate, `an online result with an identifier (got ${online.length})`);

    const bib = await bibliography();
    const bibBefore = bib.getText();
    // Watch the edits the extension applies: both files must change in one WorkspaceEdit (one undo step).
    const workspace = vscode.workspace as { applyEdit: typeof vscode.workspace.applyEdit };
    const originalApply = workspace.applyEdit;
    const applied: vscode.WorkspaceEdit[] = [];
    workspace.applyEdit = (edit: vscode.WorkspaceEdit, metadata?: vscode.WorkspaceEditMetadata) => {
      applied.push(edit);
      return originalApply.call(vscode.workspace, edit, metadata);
    };
    let outcome: unknown;
    try {
      outcome = await vscode.commands.executeCommand('biowrite.sources.insertResult', searchId, candidate.id);
    } finally {
      workspace.applyEdit = originalApply;
    }
    assert.strictEqual(outcome, 'inserted');
    assert.strictEqual(applied.length, 1, 'one WorkspaceEdit');
    assert.deepStrictEqual(applied[0].entries().map(([uri]) => path.basename(uri.fsPath)).sort(), ['manuscript.md', 'refs.json']);
    const items = JSON.parse(bib.getText()) as { id: string; DOI?: string; PMID?: string }[];
    assert.strictEqual(items.length, 7, 'one entry appended to refs.json');
    assert.ok(bib.getText().startsWith(bibBefore.slice(0, bibBefore.lastIndexOf('}') + 1)), 'the existing entries are untouched');
    const added = items[6];
    assert.ok(candidate.doi ? added.DOI === candidate.doi : added.PMID === candidate.pmid);
    assert.ok(editor.document.getText().includes(`after DNA damage [@${added.id}].`), editor.document.getText());
  });

  test('stale document: the citation follows the sentence; an edited sentence is refused', async () => {
    await sources().update('services', [], vscode.ConfigurationTarget.Global);
    const editor = await open();
    const sentence = 'Deep learning has changed how images and speech are analysed.';
    editor.selection = new vscode.Selection(rangeOf(editor.document, sentence).start, rangeOf(editor.document, sentence).end);
    const searchId = await vscode.commands.executeCommand<string>('biowrite.findSources');
    const top = results(await messagesOf(searchId))[0].results[0];
    assert.strictEqual(top.title, 'Deep learning');
    // The user writes above the sentence: the search's offsets are stale.
    await editor.edit((edit) => edit.insert(rangeOf(editor.document, sentence).start, 'A new opening sentence was written meanwhile.\n'));
    assert.strictEqual(await vscode.commands.executeCommand('biowrite.sources.insertResult', searchId, top.id), 'inserted');
    const text = editor.document.getText();
    assert.ok(text.includes('A new opening sentence was written meanwhile.\nDeep learning has changed how images and speech are analysed [@lecun2015deep].'), text);

    const second = await vscode.commands.executeCommand<string>('biowrite.findSources', {
      uri: editor.document.uri.toString(),
      range: { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 },
      sentence: 'The p53 tumour suppressor halts cell growth after DNA damage.',
    });
    const p53 = results(await messagesOf(second))[0].results[0];
    await editor.edit((edit) => edit.replace(rangeOf(editor.document, 'halts cell growth'), 'stops the cell cycle'));
    const before = editor.document.getText();
    const warnings: string[] = [];
    const window = vscode.window as { showWarningMessage: (message: string) => Thenable<undefined> };
    const original = window.showWarningMessage;
    window.showWarningMessage = (message: string) => {
      warnings.push(message);
      return Promise.resolve(undefined);
    };
    try {
      assert.strictEqual(await vscode.commands.executeCommand('biowrite.sources.insertResult', second, p53.id), 'refused');
    } finally {
      window.showWarningMessage = original;
    }
    assert.strictEqual(editor.document.getText(), before, 'nothing inserted at a stale offset');
    assert.ok(warnings.some((w) => /changed since the search/.test(w)), warnings.join(' | '));
  });

  test('a fake LLM answering with a made-up DOI and PMID: nothing made up reaches the panel or the document', async () => {
    await sources().update('services', [], vscode.ConfigurationTarget.Global);
    await sources().update('llmAssist', true, vscode.ConfigurationTarget.Global);
    await llmSettings().update('baseUrl', llm.baseUrl, vscode.ConfigurationTarget.Global);
    await llmSettings().update('model', 'fake-model', vscode.ConfigurationTarget.Global);
    const madeUp = { id: `doi:${MADE_UP_DOI}`, DOI: MADE_UP_DOI, PMID: MADE_UP_PMID, title: 'A made-up landmark study of p53', explanation: `See doi:${MADE_UP_DOI}` };
    llm.enqueue(
      { kind: 'text', text: JSON.stringify({ queries: [`p53 DNA damage doi:${MADE_UP_DOI}`, `PMID ${MADE_UP_PMID}`], references: [madeUp] }) },
      { kind: 'text', text: JSON.stringify({ ranking: [madeUp, { id: `pmid:${MADE_UP_PMID}`, explanation: 'made up' }, { id: 'c2', explanation: `Supports it (https://doi.org/${MADE_UP_DOI}; PMID: ${MADE_UP_PMID}).` }, { id: 'c1' }] }) },
    );
    try {
      const editor = await open();
      const sentence = 'The p53 tumour suppressor halts cell growth after DNA damage.';
      editor.selection = new vscode.Selection(rangeOf(editor.document, sentence).start, rangeOf(editor.document, sentence).end);
      const searchId = await vscode.commands.executeCommand<string>('biowrite.findSources');
      const messages = await messagesOf(searchId);
      const serialised = JSON.stringify(messages);
      assert.ok(!serialised.includes(MADE_UP_DOI), 'no made-up DOI in the panel messages');
      assert.ok(!serialised.includes(MADE_UP_PMID), 'no made-up PMID in the panel messages');
      assert.ok(!serialised.includes('made-up landmark'), 'no made-up title in the panel messages');
      const libraryResults = results(messages).filter((m) => m.source === 'library');
      const last = libraryResults[libraryResults.length - 1].results;
      const realTitles = new Set(JSON.parse(fs.readFileSync(path.join(dir, 'refs.json'), 'utf8')).map((item: { title: string }) => item.title));
      for (const item of last) assert.ok(realTitles.has(item.title), `only library records: ${item.title}`);
      assert.ok(last.some((item) => item.explanation === 'Supports it.'), 'the explanation is kept without the identifiers');
      assert.ok(llm.requests.length >= 2, 'the LLM was asked');
      for (const item of last.slice(0, 2)) await vscode.commands.executeCommand('biowrite.sources.insertResult', searchId, item.id);
      const text = editor.document.getText() + fs.readFileSync(path.join(dir, 'refs.json'), 'utf8') + (await bibliography()).getText();
      assert.ok(!text.includes(MADE_UP_DOI) && !text.includes(MADE_UP_PMID), 'nothing made up reaches the document or the bibliography');
    } finally {
      await sources().update('llmAssist', false, vscode.ConfigurationTarget.Global);
    }
  });

  test('a retracted result is inserted only after a modal confirmation; copy and open use validated data', async () => {
    await sources().update('services', ['europepmc'], vscode.ConfigurationTarget.Global);
    const extensionPath = vscode.extensions.getExtension(extensionId)?.extensionPath ?? process.cwd();
    const body = fs.readFileSync(path.join(extensionPath, 'test', 'fixtures', 'literature', 'europepmc-retracted.json'), 'utf8');
    servers.fault('/europepmc/search', { kind: 'body', body, contentType: 'application/json' }, Infinity);
    const editor = await open();
    // A sentence no other test searches online: the on-disk cache would answer otherwise.
    const sentence = 'Deep learning has changed how images and speech are analysed.';
    editor.selection = new vscode.Selection(rangeOf(editor.document, sentence).start, rangeOf(editor.document, sentence).end);
    let searchId: string | undefined;
    try {
      searchId = await vscode.commands.executeCommand<string>('biowrite.findSources');
    } finally {
      servers.clearFaults();
    }
    const europe = results(await messagesOf(searchId)).find((m) => m.source === 'europepmc');
    assert.ok(europe, 'Europe PMC answered');
    const retracted = europe.results.find((item) => item.retracted);
    assert.ok(retracted, 'the retracted record is flagged');
    assert.match(retracted.notice ?? '', /Retract/);

    const window = vscode.window as { showWarningMessage: (...args: unknown[]) => Thenable<unknown> };
    const original = window.showWarningMessage;
    const asked: unknown[][] = [];
    let answer: string | undefined;
    window.showWarningMessage = (...args: unknown[]) => {
      asked.push(args);
      return Promise.resolve(answer);
    };
    const before = editor.document.getText();
    try {
      answer = undefined;
      assert.strictEqual(await vscode.commands.executeCommand('biowrite.sources.insertResult', searchId, retracted.id), 'cancelled');
      assert.strictEqual(editor.document.getText(), before, 'nothing inserted without confirmation');
      assert.deepStrictEqual((asked[0][1] as { modal?: boolean }).modal, true, 'the confirmation is modal');
      answer = 'Cite Anyway';
      assert.strictEqual(await vscode.commands.executeCommand('biowrite.sources.insertResult', searchId, retracted.id), 'inserted');
    } finally {
      window.showWarningMessage = original;
    }
    assert.notStrictEqual(editor.document.getText(), before);

    // Copy as Vancouver, then open on PubMed: the URL is built from the record's validated PMID.
    const copyable = europe.results.find((item) => item.pmid) ?? retracted;
    await vscode.commands.executeCommand('biowrite.sources.copyResult', searchId, copyable.id, 'vancouver');
    const copied = await vscode.env.clipboard.readText();
    assert.ok(copied.includes(copyable.title.replace(/\.$/, '')), copied);
    const env = vscode.env as { openExternal: typeof vscode.env.openExternal };
    const originalOpen = env.openExternal;
    const opened: string[] = [];
    env.openExternal = (uri: vscode.Uri) => {
      opened.push(uri.toString(true));
      return Promise.resolve(true);
    };
    try {
      await vscode.commands.executeCommand('biowrite.sources.openResult', searchId, copyable.id, 'pubmed');
    } finally {
      env.openExternal = originalOpen;
    }
    assert.deepStrictEqual(opened, copyable.pmid ? [`https://pubmed.ncbi.nlm.nih.gov/${copyable.pmid}/`] : []);
  });

  test('a library entry of a paper a service reports retracted gets the warning too, and is inserted only after confirmation', async () => {
    await sources().update('services', ['europepmc'], vscode.ConfigurationTarget.Global);
    const extensionPath = vscode.extensions.getExtension(extensionId)?.extensionPath ?? process.cwd();
    const refs = JSON.parse(fs.readFileSync(path.join(dir, 'refs.json'), 'utf8')) as Record<string, unknown>[];
    // The author's own entry of the paper Europe PMC reports as retracted (same DOI): the library cannot know.
    refs.push({ id: 'fixture2013retraction', type: 'article-journal', title: 'Retraction marking fixture of stem cell fate', DOI: '10.9999/NATURE.FIXTURE.0001', issued: { 'date-parts': [[2013]] } });
    fs.writeFileSync(path.join(dir, 'refs.json'), JSON.stringify(refs, null, 2));
    const body = fs.readFileSync(path.join(extensionPath, 'test', 'fixtures', 'literature', 'europepmc-retracted.json'), 'utf8');
    servers.fault('/europepmc/search', { kind: 'body', body, contentType: 'application/json' }, Infinity);
    const editor = await open();
    const sentence = 'Deep learning has changed how images and speech are analysed.';
    editor.selection = new vscode.Selection(rangeOf(editor.document, sentence).start, rangeOf(editor.document, sentence).start);
    let searchId: string | undefined;
    try {
      // A query no other test sends: the on-disk cache would answer otherwise.
      searchId = await vscode.commands.executeCommand<string>('biowrite.searchLiterature', 'Retraction marking fixture of stem cell fate');
    } finally {
      servers.clearFaults();
    }
    const library = results(await messagesOf(searchId)).filter((m) => m.source === 'library');
    const first = library[0].results.find((item) => item.id.includes('fixture2013retraction'));
    assert.ok(first, 'the library entry was found');
    const latest = library[library.length - 1].results.find((item) => item.id === first.id);
    assert.ok(latest?.retracted, 'the library entry is shown retracted once Europe PMC answered');
    assert.match(latest.notice ?? '', /Retract/);

    const window = vscode.window as { showWarningMessage: (...args: unknown[]) => Thenable<unknown> };
    const original = window.showWarningMessage;
    const asked: unknown[][] = [];
    window.showWarningMessage = (...args: unknown[]) => {
      asked.push(args);
      return Promise.resolve(undefined);
    };
    const before = editor.document.getText();
    try {
      assert.strictEqual(await vscode.commands.executeCommand('biowrite.sources.insertResult', searchId, first.id), 'cancelled');
    } finally {
      window.showWarningMessage = original;
    }
    assert.strictEqual(editor.document.getText(), before, 'nothing inserted without confirmation');
    assert.strictEqual((asked[0]?.[1] as { modal?: boolean } | undefined)?.modal, true, 'the confirmation is modal');
  });

  test("Zotero's cite-as-you-write picker: the picked paper is cited in the sentence and added to the bibliography in one edit", async () => {
    await sources().update('zotero.url', servers.urls.zotero, vscode.ConfigurationTarget.Global);
    const editor = await open();
    const sentence = 'Deep learning has changed how images and speech are analysed.';
    const inside = rangeOf(editor.document, sentence).start.translate(0, 5);
    editor.selection = new vscode.Selection(inside, inside);
    const before = editor.document.getText();
    assert.deepStrictEqual(await vscode.commands.executeCommand('biowrite.citeFromZotero'), ['inserted']);
    assert.ok(editor.document.getText().includes('analysed [@topol2019HighperformanceMedicine].'), editor.document.getText());
    const refs = JSON.parse((await bibliography()).getText()) as { id: string; DOI?: string }[];
    assert.deepStrictEqual(refs.filter((item) => item.id === 'topol2019HighperformanceMedicine').map((item) => item.DOI), ['10.1038/s41591-018-0300-7']);
    assert.strictEqual(await undoIn(editor.document), before, 'one undo removes the citation');

    // Zotero not running: a message, and nothing changes.
    await sources().update('zotero.url', 'http://127.0.0.1:9/better-bibtex/json-rpc', vscode.ConfigurationTarget.Global);
    assert.strictEqual(await vscode.commands.executeCommand('biowrite.citeFromZotero'), undefined);
    assert.strictEqual(editor.document.getText(), before);
  });

  test('a bibliography the manuscript names but that does not exist yet is created with the entry', async () => {
    await sources().update('services', ['europepmc'], vscode.ConfigurationTarget.Global);
    const file = path.join(dir, 'fresh.md');
    fs.writeFileSync(file, '---\nbibliography: fresh-refs.json\n---\n\nSingle-cell sequencing of TP53-mutant organoids reveals clonal diversity.\n');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(file)));
    const sentence = 'Single-cell sequencing of TP53-mutant organoids reveals clonal diversity.';
    editor.selection = new vscode.Selection(rangeOf(editor.document, sentence).start, rangeOf(editor.document, sentence).end);
    const searchId = await vscode.commands.executeCommand<string>('biowrite.findSources');
    const messages = await messagesOf(searchId);
    const started = messages[0] as Extract<HostMessage, { type: 'searchStarted' }>;
    assert.deepStrictEqual(started.services, ['europepmc'], 'no library yet');
    const item = results(messages).flatMap((m) => m.results).find((r) => !r.retracted && (r.doi || r.pmid));
    assert.ok(item, 'an online result');
    assert.strictEqual(await vscode.commands.executeCommand('biowrite.sources.insertResult', searchId, item.id), 'inserted');
    const created = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, 'fresh-refs.json')));
    const entries = JSON.parse(created.getText()) as { id: string }[];
    assert.strictEqual(entries.length, 1);
    assert.ok(editor.document.getText().includes(`clonal diversity [@${entries[0].id}].`), editor.document.getText());
  });

  test('free search: Search Literature with a query fills the panel from the library', async () => {
    await sources().update('services', [], vscode.ConfigurationTarget.Global);
    await open();
    const searchId = await vscode.commands.executeCommand<string>('biowrite.searchLiterature', 'BRCA1 breast cancer susceptibility');
    const messages = await messagesOf(searchId);
    const started = messages[0] as Extract<HostMessage, { type: 'searchStarted' }>;
    assert.strictEqual(started.sentence, undefined);
    assert.strictEqual(results(messages)[0].results[0].title, 'A strong candidate for the breast and ovarian cancer susceptibility gene BRCA1');
  });
  test('the OpenAlex key lives in secret storage: a key left in settings is moved there, and Set OpenAlex API Key replaces it', async () => {
    await sources().update('services', ['openalex'], vscode.ConfigurationTarget.Global);
    await sources().update('openalex.apiKey', 'legacyOpenAlexKey123', vscode.ConfigurationTarget.Global);
    await open();
    const keysSent = async (query: string): Promise<(string | undefined)[]> => {
      const before = servers.requests.length;
      await messagesOf(await vscode.commands.executeCommand<string>('biowrite.searchLiterature', query));
      return servers.requests.slice(before).filter((r) => r.service === 'openalex').map((r) => r.params.api_key);
    };
    const window = vscode.window as { showInputBox: typeof vscode.window.showInputBox };
    const original = window.showInputBox;
    try {
      const legacy = await keysSent('p53 tumour suppressor apoptosis legacy');
      assert.ok(legacy.length > 0 && legacy.every((k) => k === 'legacyOpenAlexKey123'), `the old setting's key was still used (${legacy})`);
      assert.strictEqual(sources().inspect<string>('openalex.apiKey')?.globalValue, undefined, 'and removed from the user settings');

      let asked: vscode.InputBoxOptions | undefined;
      window.showInputBox = async (options?: vscode.InputBoxOptions) => {
        asked = options;
        return '  newOpenAlexKey456 ';
      };
      assert.strictEqual(await vscode.commands.executeCommand<boolean>('biowrite.setOpenAlexApiKey'), true);
      assert.strictEqual(asked?.password, true, 'typed into a password box');
      assert.ok(asked?.validateInput?.('has a space'), 'a key with spaces is refused');
      const replaced = await keysSent('p53 tumour suppressor senescence replaced');
      assert.ok(replaced.length > 0 && replaced.every((k) => k === 'newOpenAlexKey456'), `the stored key is sent, trimmed (${replaced})`);

      window.showInputBox = async () => '';
      assert.strictEqual(await vscode.commands.executeCommand<boolean>('biowrite.setOpenAlexApiKey'), true, 'empty removes the key');
      const removed = await keysSent('p53 tumour suppressor autophagy removed');
      assert.ok(removed.length > 0 && removed.every((k) => k === undefined), `no key after removing it (${removed})`);
    } finally {
      window.showInputBox = original;
      await sources().update('openalex.apiKey', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
