import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { startFakeReferenceServices, type FakeReferenceServices } from '../fakes/fakeReferenceServices';
import { undoIn, waitFor } from './waitFor';

const extensionId = 'biowrite.biowrite';

const manuscript = `---
title: Reference audit
bibliography: refs.json
---

# Introduction

Deep learning changed image analysis [@lecun2015].
Binding preferences are learnt from data [@alipanahi2015; @chimera].
The brain may do something like backpropagation [@lillicrap2020].
Sequence models need not be recurrent [@bai2018].
A claim with a key nobody defined [@nobody2021].
`;

const bibliography = [
  { id: 'lecun2015', type: 'article-journal', title: 'Deep learning.', author: [{ family: 'LeCun', given: 'Y' }, { family: 'Bengio', given: 'Y' }, { family: 'Hinton', given: 'G' }], 'container-title': 'Nature', issued: { 'date-parts': [[2015]] }, page: '436-44', DOI: '10.1038/NATURE14539' },
  { id: 'alipanahi2015', type: 'article-journal', title: 'Predicting the sequence specificities of DNA- and RNA-binding proteins by deep learning', author: [{ family: 'Alipanahi', given: 'B' }, { family: 'Delong', given: 'A' }], 'container-title': 'Nat Biotechnol', issued: { 'date-parts': [[2014]] }, DOI: '10.1038/nbt.3300' },
  { id: 'chimera', type: 'article-journal', title: 'A completely different paper about cats', author: [{ family: 'Smith', given: 'J' }], 'container-title': 'Nature', issued: { 'date-parts': [[2012]] }, DOI: '10.1038/nature11247' },
  { id: 'lillicrap2020', type: 'article-journal', title: 'Backpropagation and the brain', author: [{ family: 'Lillicrap' }, { family: 'Santoro' }], 'container-title': 'Nature Reviews Neuroscience', issued: { 'date-parts': [[2020]] }, DOI: '10.1038/s41583-020-0277-3' },
  { id: 'bai2018', type: 'report', title: 'An empirical evaluation of generic convolutional and recurrent networks for sequence modeling', author: [{ family: 'Bai' }, { family: 'Kolter' }], 'container-title': 'arXiv', number: '1803.01271', URL: 'https://arxiv.org/abs/1803.01271', issued: { 'date-parts': [[2018]] } },
  { id: 'unused2019', type: 'webpage', title: 'A page nobody cites', URL: 'https://example.org/page' },
];

interface AuditSummary {
  readonly state: string;
  readonly entries: number;
  readonly withFindings: number;
  readonly findings: readonly { readonly key: string; readonly statuses: readonly string[] }[];
}

suite('References: the audit in the editor', () => {
  let dir: string;
  let services: FakeReferenceServices;
  const sources = () => vscode.workspace.getConfiguration('biowrite.sources');
  const references = () => vscode.workspace.getConfiguration('biowrite.references');

  suiteSetup(async function () {
    this.timeout(30_000);
    await vscode.extensions.getExtension(extensionId)?.activate();
    services = await startFakeReferenceServices();
    await sources().update('crossref.baseUrl', services.urls.crossref, vscode.ConfigurationTarget.Global);
    await sources().update('openalex.baseUrl', services.urls.openalex, vscode.ConfigurationTarget.Global);
    await sources().update('pubmed.baseUrl', services.urls.pubmed, vscode.ConfigurationTarget.Global);
    await sources().update('europepmc.baseUrl', services.urls.europepmc, vscode.ConfigurationTarget.Global);
    await references().update('arxiv.baseUrl', services.urls.arxiv, vscode.ConfigurationTarget.Global);
    // Every audit asks again: the tests see the fakes' answers, not an earlier run's cache.
    await references().update('recheckDays', 0, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    for (const key of ['crossref.baseUrl', 'openalex.baseUrl', 'pubmed.baseUrl', 'europepmc.baseUrl']) await sources().update(key, undefined, vscode.ConfigurationTarget.Global);
    for (const key of ['arxiv.baseUrl', 'recheckDays']) await references().update(key, undefined, vscode.ConfigurationTarget.Global);
    await services?.close();
  });

  setup(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'biowrite-references-'));
    fs.writeFileSync(path.join(dir, 'manuscript.md'), manuscript);
    fs.writeFileSync(path.join(dir, 'refs.json'), `${JSON.stringify(bibliography, null, 2)}\n`);
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revertAll').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function auditManuscript(online = true): Promise<{ document: vscode.TextDocument; summary: AuditSummary }> {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, 'manuscript.md')));
    await vscode.window.showTextDocument(document);
    const summary = await vscode.commands.executeCommand<AuditSummary>('biowrite.auditReferences', { uri: document.uri.toString(), online });
    assert.ok(summary, 'the command returns its summary');
    assert.strictEqual(summary.state, 'done');
    return { document, summary };
  }

  const statusesOf = (summary: AuditSummary, key: string): readonly string[] => summary.findings.find((finding) => finding.key === key)?.statuses ?? [];

  test('Check References tells verified, fabricated, mistaken, retracted, published preprints and hygiene apart, with diagnostics on keys and entries', async () => {
    const { document, summary } = await auditManuscript();
    assert.deepStrictEqual(statusesOf(summary, 'lecun2015'), ['verified']);
    assert.deepStrictEqual(statusesOf(summary, 'alipanahi2015'), ['metadata-mismatch']);
    assert.deepStrictEqual(statusesOf(summary, 'chimera'), ['identifier-mismatch']);
    assert.ok(statusesOf(summary, 'lillicrap2020').includes('retracted'));
    assert.ok(statusesOf(summary, 'bai2018').includes('preprint-published'));
    assert.deepStrictEqual(statusesOf(summary, 'nobody2021'), ['undefined']);
    assert.ok(statusesOf(summary, 'unused2019').includes('unused'));

    // In the manuscript: on the cited key, with the status as the code.
    const manuscriptDiagnostics = vscode.languages.getDiagnostics(document.uri).filter((diagnostic) => String(diagnostic.code).startsWith('reference-'));
    const onKey = (key: string) => manuscriptDiagnostics.find((diagnostic) => document.getText(diagnostic.range) === key);
    assert.strictEqual(onKey('chimera')?.code, 'reference-identifier-mismatch');
    assert.strictEqual(onKey('chimera')?.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(onKey('lillicrap2020')?.code, 'reference-retracted');
    assert.strictEqual(onKey('nobody2021')?.code, 'reference-undefined');
    assert.strictEqual(onKey('lecun2015'), undefined, 'a verified reference has no diagnostic');
    // In the bibliography file: on the entry's key.
    const bib = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, 'refs.json')));
    const entryDiagnostics = vscode.languages.getDiagnostics(bib.uri);
    assert.ok(entryDiagnostics.some((diagnostic) => bib.getText(diagnostic.range) === 'alipanahi2015' && diagnostic.code === 'reference-metadata-mismatch'));
    assert.ok(entryDiagnostics.some((diagnostic) => bib.getText(diagnostic.range) === 'unused2019' && diagnostic.code === 'reference-unused'));
    // DOIs were looked up in one batch, not one request each.
    assert.strictEqual(services.requests.filter((request) => request.startsWith('/crossref/works?') && request.includes('filter=doi')).length, 1);

    // The hover on a key shows the status and the resolved record.
    const offset = document.getText().indexOf('lillicrap2020');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(offset + 2));
    const hoverText = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : ''))).join('\n').replace(/&nbsp;/g, ' ');
    assert.match(hoverText, /retracted/);
    assert.match(hoverText, /Backpropagation and the brain/);
  });

  test('offline: only keys are checked, and nothing is asked', async () => {
    const before = services.requests.length;
    const { summary } = await auditManuscript(false);
    assert.strictEqual(services.requests.length, before, 'no request to any service');
    assert.deepStrictEqual(statusesOf(summary, 'nobody2021'), ['undefined']);
    assert.deepStrictEqual(statusesOf(summary, 'lecun2015'), ['unverifiable']);
  });

  test('the quick fix removes the unused entry as one undoable edit; a fix on a changed document is refused', async () => {
    await auditManuscript();
    const bib = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, 'refs.json')));
    await vscode.window.showTextDocument(bib);
    const original = bib.getText();
    const diagnostic = vscode.languages.getDiagnostics(bib.uri).find((candidate) => candidate.code === 'reference-unused');
    assert.ok(diagnostic, 'the unused entry has a diagnostic');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', bib.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const remove = actions.find((action) => action.title.startsWith('Remove the unused entry'));
    assert.ok(remove?.command, `a Remove fix is offered (got: ${actions.map((action) => action.title).join(' | ')})`);
    assert.strictEqual(await vscode.commands.executeCommand(remove.command.command, ...(remove.command.arguments ?? [])), 'applied');
    const parsed = JSON.parse(bib.getText()) as { id: string }[];
    assert.deepStrictEqual(parsed.map((item) => item.id), bibliography.map((item) => item.id).filter((id) => id !== 'unused2019'), 'the entry is gone and the file is still valid JSON');
    assert.strictEqual(await undoIn(bib), original, 'one undo restores the file');

    // The manuscript changes after the audit: the same fix is refused, nothing is touched.
    const manuscriptDocument = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, 'manuscript.md')));
    const editor = await vscode.window.showTextDocument(manuscriptDocument);
    assert.ok(await editor.edit((builder) => builder.insert(new vscode.Position(6, 0), 'A new sentence. ')));
    const unchanged = bib.getText();
    assert.strictEqual(await vscode.commands.executeCommand(remove.command.command, ...(remove.command.arguments ?? [])), 'stale');
    assert.strictEqual(bib.getText(), unchanged);
  });

  test('replacing with the resolved metadata keeps the key and fixes the year; merging and adding are offered where they apply', async () => {
    const { summary } = await auditManuscript();
    assert.ok(summary.withFindings > 0);
    const bib = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, 'refs.json')));
    const diagnostic = vscode.languages.getDiagnostics(bib.uri).find((candidate) => candidate.code === 'reference-metadata-mismatch');
    assert.ok(diagnostic);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', bib.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const replace = actions.find((action) => action.title.startsWith('Replace alipanahi2015'));
    assert.ok(replace?.command);
    const [argument] = (replace.command.arguments ?? []) as [Record<string, unknown>];
    // Without the refactor preview (which waits for the user), as a test must.
    assert.strictEqual(await vscode.commands.executeCommand(replace.command.command, { ...argument, confirm: false }), 'applied');
    const item = (JSON.parse(bib.getText()) as { id: string; issued?: { 'date-parts': number[][] }; 'container-title'?: string }[]).find((candidate) => candidate.id === 'alipanahi2015');
    assert.strictEqual(item?.issued?.['date-parts'][0][0], 2015);
    assert.strictEqual(item?.['container-title'], 'Nature Biotechnology');

    // The undefined key in the manuscript offers to find a source.
    const manuscriptDocument = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, 'manuscript.md')));
    const undefinedDiagnostic = await waitFor(
      () => vscode.languages.getDiagnostics(manuscriptDocument.uri).find((candidate) => candidate.code === 'reference-undefined'),
      (found) => found !== undefined,
      'the undefined key to keep its diagnostic',
    );
    const manuscriptActions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', manuscriptDocument.uri, undefinedDiagnostic!.range, vscode.CodeActionKind.QuickFix.value);
    assert.ok(manuscriptActions.some((action) => action.title.startsWith('Add the missing entry')));
  });
});
