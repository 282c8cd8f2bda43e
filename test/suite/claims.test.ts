import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { undoIn, waitFor } from './waitFor';

const extensionId = 'biowrite.biowrite';
// The suite runs from out/test/suite/; the fixtures stay in the repository.
const fixtures = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'claims');

type CheckResult = { uri: string; count: number; notices: string[]; checked: boolean; notChecked?: number; statusBar: { text: string; command?: string; visible: boolean } };


function claimDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'Biowrite' && diagnostic.code === 'claim-without-source');
}

async function openManuscript(content: string, language = 'markdown'): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language, content });
  return vscode.window.showTextDocument(document);
}

/** The workspace's ignore list, which must not exist yet: the test that uses it creates and deletes it (skips otherwise). */
async function freshWorkspaceList(context: Mocha.Context): Promise<{ folder: vscode.WorkspaceFolder; list: vscode.Uri }> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) context.skip();
  const list = vscode.Uri.joinPath(folder.uri, '.biowrite', 'ignore.json');
  const existed = await vscode.workspace.fs.stat(list).then(
    () => true,
    () => false,
  );
  if (existed) context.skip();
  return { folder, list };
}

suite('Claims without sources', () => {
  const claims = () => vscode.workspace.getConfiguration('biowrite.claims');

  suiteSetup(async function () {
    this.timeout(30_000);
    await vscode.extensions.getExtension(extensionId)?.activate();
    // Threshold 0 flags every uncited sentence, so the tests do not depend on the model's calibration.
    await claims().update('threshold', 0, vscode.ConfigurationTarget.Global);
    await claims().update('debounceMs', 50, vscode.ConfigurationTarget.Global);
    // Skipping Methods is the user's choice (the default checks it); at threshold 0 it keeps the count exact.
    await claims().update('skipSections', ['Methods'], vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    for (const key of ['threshold', 'debounceMs', 'severity', 'enabled', 'skipSections']) await claims().update(key, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('diagnostics appear on a manuscript with claims and go when a citation is added', async () => {
    const content = fs.readFileSync(path.join(fixtures, 'claims.md'), 'utf8');
    const editor = await openManuscript(content);
    const uri = editor.document.uri;
    const found = await waitFor(() => claimDiagnostics(uri), (list) => list.length === 3, 'three claims (Methods is skipped, the cited sentence is not flagged)');
    const first = found.find((diagnostic) => diagnostic.range.start.line === 7);
    assert.ok(first, 'the first sentence of the introduction is flagged');
    assert.strictEqual(editor.document.getText(first.range), 'Deep learning has transformed the analysis of medical images, and it is now widely used in clinical research.');
    assert.strictEqual(first.severity, vscode.DiagnosticSeverity.Information, 'the quiet default severity');
    assert.match(first.message, /Claim without a source/);

    // Cite the sentence: " [@doi:…]" before its final period.
    await editor.edit((builder) => builder.insert(first.range.end.translate(0, -1), ' [@doi:10.1038/nature14539]'));
    assert.ok(editor.document.lineAt(7).text.endsWith('research [@doi:10.1038/nature14539].'), editor.document.lineAt(7).text);
    await waitFor(() => claimDiagnostics(uri), (list) => list.length === 2 && !list.some((diagnostic) => diagnostic.range.start.line === 7), 'the cited sentence to lose its diagnostic');
  });

  test('the severity setting changes the diagnostics', async () => {
    const editor = await openManuscript('# Background\n\nTumours are heterogeneous in most patients.\n');
    const uri = editor.document.uri;
    await waitFor(() => claimDiagnostics(uri), (list) => list.length === 1, 'one claim');
    await claims().update('severity', 'warning', vscode.ConfigurationTarget.Global);
    try {
      await waitFor(() => claimDiagnostics(uri)[0]?.severity, (severity) => severity === vscode.DiagnosticSeverity.Warning, 'warning severity');
    } finally {
      await claims().update('severity', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor(() => claimDiagnostics(uri)[0]?.severity, (severity) => severity === vscode.DiagnosticSeverity.Information, 'information severity again');
  });

  test('quick fixes are offered, and "needs no source" inserts the ignore comment as an undoable edit', async () => {
    const editor = await openManuscript('# Background\n\nFirst claim is widely accepted. Second claim is also common.\n');
    const uri = editor.document.uri;
    const [diagnostic] = await waitFor(() => claimDiagnostics(uri), (list) => list.length === 2, 'two claims');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes('Find a source for this claim'), titles.join(' | '));
    assert.ok(titles.includes('This sentence needs no source'), titles.join(' | '));
    assert.ok(titles.includes('This sentence needs no source (remember it in the workspace list)'), titles.join(' | '));
    const find = actions.find((action) => action.title === 'Find a source for this claim');
    const argument = find?.command?.arguments?.[0] as { uri: string; range: { startLine: number }; sentence: string };
    assert.strictEqual(argument.uri, uri.toString());
    assert.strictEqual(argument.sentence, 'First claim is widely accepted.');
    assert.strictEqual(argument.range.startLine, 2);

    const ignore = actions.find((action) => action.title === 'This sentence needs no source');
    assert.ok(ignore?.edit, 'the fix is an edit the user sees');
    assert.ok(await vscode.workspace.applyEdit(ignore.edit));
    assert.strictEqual(editor.document.lineAt(2).text, 'First claim is widely accepted. <!-- biowrite-ignore --> Second claim is also common.');
    const remaining = await waitFor(() => claimDiagnostics(uri), (list) => list.length === 1, 'the ignored sentence to lose its diagnostic');
    assert.strictEqual(editor.document.getText(remaining[0].range), 'Second claim is also common.');
    await undoIn(editor.document);
    await waitFor(() => claimDiagnostics(uri), (list) => list.length === 2, 'both claims after undo');
  });

  test('LaTeX: claims, citations and the % biowrite-ignore comment', async () => {
    const content = fs.readFileSync(path.join(fixtures, 'claims.tex'), 'utf8');
    const editor = await openManuscript(content, 'latex');
    const uri = editor.document.uri;
    const found = await waitFor(() => claimDiagnostics(uri), (list) => list.length === 3, 'three LaTeX claims');
    const ok = await vscode.commands.executeCommand<boolean>('biowrite.ignoreClaim', {
      uri: uri.toString(),
      range: { startLine: found[0].range.start.line, startCharacter: found[0].range.start.character, endLine: found[0].range.end.line, endCharacter: found[0].range.end.character },
    });
    assert.strictEqual(ok, true);
    assert.ok(editor.document.lineAt(found[0].range.start.line).text.endsWith('% biowrite-ignore'));
    await waitFor(() => claimDiagnostics(uri), (list) => list.length === 2, 'two LaTeX claims after the ignore comment');
  });

  test('a Quarto (.qmd) file is checked even without the Quarto extension', async () => {
    // VS Code has no built-in language for .qmd: without Biowrite's contribution it opens as plain text.
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'biowrite-qmd-'));
    const file = path.join(directory, 'paper.qmd');
    fs.writeFileSync(file, '---\ntitle: Paper\n---\n\n# Background\n\nTumours are heterogeneous in most patients.\n');
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      await vscode.window.showTextDocument(document);
      assert.strictEqual(document.languageId, 'quarto');
      await waitFor(() => claimDiagnostics(document.uri), (list) => list.length === 1, 'one claim in the .qmd file');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  test('Check Claims reports the count and the status bar shows it', async () => {
    const editor = await openManuscript('# Introduction\n\nCancer is common. It is also deadly. We measured it [@a].\n');
    const result = await vscode.commands.executeCommand<CheckResult>('biowrite.checkClaims');
    assert.ok(result, 'the command returns its result');
    assert.strictEqual(result.uri, editor.document.uri.toString());
    assert.strictEqual(result.checked, true);
    assert.strictEqual(result.count, 2);
    assert.strictEqual(result.statusBar.visible, true);
    assert.match(result.statusBar.text, /2 claims/);
    assert.strictEqual(result.statusBar.command, 'workbench.actions.view.problems');
  });

  test('a paragraph in a language the checker does not judge is counted as not checked in the status bar', async () => {
    const editor = await openManuscript('# Introduction\n\nCancer is common. We measured it [@a].\n\n结直肠癌是全球第三常见的癌症。TP53突变在约一半的患者中被观察到。\n');
    const result = await vscode.commands.executeCommand<CheckResult>('biowrite.checkClaims');
    assert.ok(result);
    assert.strictEqual(result.uri, editor.document.uri.toString());
    assert.strictEqual(result.checked, true);
    assert.strictEqual(result.notChecked, 2);
    assert.strictEqual(result.notices.length, 0, 'another language is not a failure to check');
    assert.match(result.statusBar.text, /2 not checked/);
    assert.ok(claimDiagnostics(editor.document.uri).every((diagnostic) => diagnostic.range.start.line !== 4), 'nothing in the Chinese paragraph is marked');
  });

  test('"needs no source" can be remembered in the workspace list instead', async function () {
    const { folder, list } = await freshWorkspaceList(this);
    const editor = await openManuscript('# Background\n\nScreening is widely recommended for adults. Costs are also high.\n');
    const uri = editor.document.uri;
    const [diagnostic] = await waitFor(() => claimDiagnostics(uri), (found) => found.length === 2, 'two claims');
    try {
      const ok = await vscode.commands.executeCommand<boolean>('biowrite.ignoreClaim', {
        uri: uri.toString(),
        range: { startLine: diagnostic.range.start.line, startCharacter: diagnostic.range.start.character, endLine: diagnostic.range.end.line, endCharacter: diagnostic.range.end.character },
        mode: 'list',
      });
      assert.strictEqual(ok, true);
      const saved = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(list))) as { version: number; sentences: string[] };
      assert.deepStrictEqual(saved, { version: 1, sentences: ['Screening is widely recommended for adults.'] });
      assert.strictEqual(editor.document.getText().includes('biowrite-ignore'), false, 'the document is not changed');
      await waitFor(() => claimDiagnostics(uri), (found) => found.length === 1, 'the listed sentence to lose its diagnostic');
    } finally {
      await vscode.workspace.fs.delete(list);
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder.uri, '.biowrite'), { recursive: true });
    }
    await waitFor(() => claimDiagnostics(uri), (found) => found.length === 2, 'the sentence flagged again once the list is gone');
  });

  test('adding to the workspace list keeps the unsaved edits of the list open in an editor', async function () {
    const { folder, list } = await freshWorkspaceList(this);
    await vscode.workspace.fs.writeFile(list, new TextEncoder().encode('{ "version": 1, "sentences": [] }\n'));
    try {
      const listEditor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(list));
      // The user is editing the list and has not saved yet.
      await listEditor.edit((builder) => builder.replace(new vscode.Range(0, 0, listEditor.document.lineCount, 0), '{ "version": 1, "sentences": ["Typed by the user and not saved."] }\n'));
      assert.ok(listEditor.document.isDirty);
      const editor = await openManuscript('# Background\n\nScreening is widely recommended for adults. Costs are also high.\n');
      const uri = editor.document.uri;
      const [diagnostic] = await waitFor(() => claimDiagnostics(uri), (found) => found.length === 2, 'two claims');
      const ok = await vscode.commands.executeCommand<boolean>('biowrite.ignoreClaim', {
        uri: uri.toString(),
        range: { startLine: diagnostic.range.start.line, startCharacter: diagnostic.range.start.character, endLine: diagnostic.range.end.line, endCharacter: diagnostic.range.end.character },
        mode: 'list',
      });
      assert.strictEqual(ok, true);
      const saved = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(list))) as { version: number; sentences: string[] };
      assert.deepStrictEqual(saved.sentences, ['Typed by the user and not saved.', 'Screening is widely recommended for adults.']);
      assert.strictEqual(listEditor.document.isDirty, false, 'the list is saved with both the user\'s and the new sentence');
      await waitFor(() => claimDiagnostics(uri), (found) => found.length === 1, 'the listed sentence to lose its diagnostic');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder.uri, '.biowrite'), { recursive: true });
    }
  });

  test('the workspace list is never written through a linked .biowrite folder', async function () {
    if (process.platform === 'win32') this.skip();
    const { folder } = await freshWorkspaceList(this);
    const dotFolder = path.join(folder.uri.fsPath, '.biowrite');
    if (fs.existsSync(dotFolder)) this.skip();
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'biowrite-outside-'));
    fs.symlinkSync(outside, dotFolder);
    try {
      // A sentence no earlier test put on a list: the list the last test deleted may still be cached
      // until the file watcher reports the deletion.
      const editor = await openManuscript('# Background\n\nScreening is widely recommended for older adults. Costs are also high.\n');
      const [diagnostic] = await waitFor(() => claimDiagnostics(editor.document.uri), (found) => found.length === 2, 'two claims');
      const ok = await vscode.commands.executeCommand<boolean>('biowrite.ignoreClaim', {
        uri: editor.document.uri.toString(),
        range: { startLine: diagnostic.range.start.line, startCharacter: diagnostic.range.start.character, endLine: diagnostic.range.end.line, endCharacter: diagnostic.range.end.character },
        mode: 'list',
      });
      assert.strictEqual(ok, false, 'the command refuses');
      assert.deepStrictEqual(fs.readdirSync(outside), [], 'nothing is written where the link points');
    } finally {
      fs.unlinkSync(dotFolder);
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('turning the feature off clears the diagnostics', async () => {
    const editor = await openManuscript('# Background\n\nMost tumours are heterogeneous.\n');
    const uri = editor.document.uri;
    await waitFor(() => claimDiagnostics(uri), (list) => list.length === 1, 'one claim');
    await claims().update('enabled', false, vscode.ConfigurationTarget.Global);
    try {
      await waitFor(() => claimDiagnostics(uri), (list) => list.length === 0, 'no diagnostics when disabled');
    } finally {
      await claims().update('enabled', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor(() => claimDiagnostics(uri), (list) => list.length === 1, 'the claim again when enabled');
  });
});
