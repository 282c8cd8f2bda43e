import * as assert from 'assert';
import * as vscode from 'vscode';
import { startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest } from '../fakes/fakeOpenAiServer';
import { createManglingTranslator, fakeTranslate } from '../fakes/manglingTranslator';
import { translateBegin, translateEnd } from '../../src/core/llm/prompts/translate';
import { undoIn, waitFor } from './waitFor';

const extensionId = 'biowrite.biowrite';

interface AbstractResult {
  draftId: string;
  text: string;
  wordCount: number;
  issues: { kind: string; text: string }[];
  cancelled: boolean;
  mode: 'insert' | 'replace';
  totalTokens: number;
}
interface TranslateResult {
  draftId: string;
  text: string;
  issues: { kind: string }[];
  cancelled: boolean;
  protectedSpans: number;
  retries: number;
  chunksKept: number;
}

const manuscript = `---
title: "Dexamethasone in pneumonia"
---

# Dexamethasone in pneumonia

## Methods

We randomised 1,204 adults to dexamethasone 6 mg or placebo at 14 hospitals [@doi:10.1000/x].

## Results

Mortality at 28 days was 12.4% vs 17.9% (HR 0.68, 95% CI 0.52–0.89; p = .004), see @fig:km and $\\alpha = 0.05$.
`;

const draft = '**Background:** Pneumonia kills.\n\n**Results:** Mortality was 12.4% vs 17.9% (HR 0.68) among 1,300 adults.';

function chunkOf(request: RecordedRequest): string | undefined {
  const messages = (request.body as { messages?: { role: string; content: string }[] }).messages ?? [];
  const user = messages.filter((message) => message.role === 'user').pop()?.content ?? '';
  const begin = user.lastIndexOf(`${translateBegin}\n`);
  return begin < 0 ? undefined : user.slice(begin + translateBegin.length + 1, user.lastIndexOf(`\n${translateEnd}`));
}

async function openManuscript(content: string, language = 'markdown'): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language, content });
  return bringToFront(document);
}

/**
 * Shows a document and waits until it is the active editor. The commands act on the active editor,
 * and on a loaded machine an editor a previous step opened (a diff, a revert) can still come to the
 * front after showTextDocument returned: then the document is shown again.
 */
async function bringToFront(document: vscode.TextDocument): Promise<vscode.TextEditor> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await vscode.window.showTextDocument(document);
    for (let wait = 0; wait < 10 && vscode.window.activeTextEditor?.document !== document; wait += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    const active = vscode.window.activeTextEditor;
    if (active?.document === document) return active;
  }
  assert.fail(`the manuscript never became the active editor (active: ${vscode.window.activeTextEditor?.document.uri.toString() ?? 'none'})`);
}

/** Selects a range and waits until the active editor has it, as the command under test will read it. */
async function select(editor: vscode.TextEditor, selection: vscode.Selection): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const active = await bringToFront(editor.document);
    active.selection = selection;
    for (let wait = 0; wait < 10 && !(vscode.window.activeTextEditor?.document === editor.document && vscode.window.activeTextEditor.selection.isEqual(selection)); wait += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (vscode.window.activeTextEditor?.document === editor.document && vscode.window.activeTextEditor.selection.isEqual(selection)) return;
  }
  assert.fail('the selection never reached the active editor');
}

async function closeAll(): Promise<void> {
  // Every untitled or changed document, also those in background tabs: one left open would be the
  // active editor of a later test whose own editor has not come to the front yet.
  for (const document of vscode.workspace.textDocuments) {
    if (!(document.isUntitled || document.isDirty) || document.isClosed || document.uri.scheme === 'biowrite-proposal') continue;
    await vscode.window.showTextDocument(document);
    await waitFor(() => vscode.window.activeTextEditor?.document, (active) => active === document, 'the document to revert to be active');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await waitFor(() => vscode.window.tabGroups.all.flatMap((group) => group.tabs).length, (count) => count === 0, 'every editor to close');
}

function diffTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === 'biowrite-proposal');
}

suite('Writing: abstracts and translation', () => {
  let server: FakeOpenAiServer;
  const llm = () => vscode.workspace.getConfiguration('biowrite.llm');
  const privacy = () => vscode.workspace.getConfiguration('biowrite.privacy');

  suiteSetup(async function () {
    this.timeout(30_000);
    await vscode.extensions.getExtension(extensionId)?.activate();
    server = await startFakeOpenAiServer();
    await llm().update('provider', 'openai', vscode.ConfigurationTarget.Global);
    await llm().update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Global);
    await llm().update('model', 'fake-model', vscode.ConfigurationTarget.Global);
    await llm().update('timeoutSeconds', 10, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    for (const key of ['provider', 'baseUrl', 'model', 'timeoutSeconds']) await llm().update(key, undefined, vscode.ConfigurationTarget.Global);
    await privacy().update('alwaysCheck', undefined, vscode.ConfigurationTarget.Global);
    await closeAll();
    await server?.close();
  });

  setup(() => {
    server.setHandler((request) => {
      const chunk = chunkOf(request);
      if (chunk !== undefined) return { kind: 'text', text: fakeTranslate(chunk) };
      if ((request.body as { response_format?: unknown }).response_format) return { kind: 'text', text: '{"unsupported": [], "missingItems": []}' };
      return { kind: 'text', text: draft };
    });
  });

  teardown(closeAll);

  test('Draft Abstract streams, flags the invented number, and inserts only on accept, as one undoable edit', async () => {
    const editor = await openManuscript(manuscript);
    const result = await vscode.commands.executeCommand<AbstractResult>('biowrite.draftAbstract', { structure: 'imrad', wordLimit: 250, language: 'en', scope: 'document' });
    assert.ok(result, 'the command returned a draft');
    assert.strictEqual(result.text, draft);
    assert.strictEqual(result.mode, 'insert');
    assert.deepStrictEqual(result.issues.filter((issue) => issue.kind === 'unsupportedNumber').map((issue) => issue.text), ['1,300']);
    assert.ok(result.totalTokens > 0);
    assert.strictEqual(editor.document.getText(), manuscript, 'nothing is inserted before the user accepts');

    assert.strictEqual(await vscode.commands.executeCommand('biowrite.writing.acceptDraft', result.draftId), 'applied');
    const text = editor.document.getText();
    assert.ok(text.includes(`# Dexamethasone in pneumonia\n\n## Abstract\n\n${draft}\n\n## Methods`), text);

    assert.strictEqual(await undoIn(editor.document), manuscript, 'one undo removes the whole abstract');
  });

  test('an existing abstract is replaced through a diff view, and only on accept', async () => {
    const withAbstract = manuscript.replace('## Methods', '## Abstract\n\nAn old abstract.\n\n## Methods');
    const editor = await openManuscript(withAbstract);
    const result = await vscode.commands.executeCommand<AbstractResult>('biowrite.draftAbstract', { structure: 'imrad', wordLimit: 250, language: 'en', scope: 'document' });
    assert.strictEqual(result.mode, 'replace');
    assert.strictEqual(diffTabs().length, 1, 'the proposal is shown in a diff view');
    assert.strictEqual(editor.document.getText(), withAbstract);
    assert.strictEqual(await vscode.commands.executeCommand('biowrite.writing.acceptDraft', result.draftId), 'applied');
    assert.ok(editor.document.getText().includes(`## Abstract\n\n${draft}\n\n## Methods`));
    assert.ok(!editor.document.getText().includes('An old abstract.'));
    assert.strictEqual(diffTabs().length, 0, 'the diff view closes after accepting');
  });

  test('a selection inside the abstract stands for the whole section: replaced once, heading kept', async () => {
    const withAbstract = manuscript.replace('## Methods', '## Abstract {.page_break_before}\n\nAn old abstract that the author selected.\n\n## Methods');
    const editor = await openManuscript(withAbstract);
    const start = editor.document.positionAt(withAbstract.indexOf('An old abstract'));
    await select(editor, new vscode.Selection(start, start.translate(0, 30)));
    const result = await vscode.commands.executeCommand<AbstractResult>('biowrite.draftAbstract', { structure: 'nejm', wordLimit: 250, language: 'en' });
    assert.strictEqual(result.mode, 'replace');
    assert.strictEqual(await vscode.commands.executeCommand('biowrite.writing.acceptDraft', result.draftId), 'applied');
    const text = editor.document.getText();
    assert.strictEqual(text.split('## Abstract').length, 2, 'one abstract heading');
    assert.ok(text.includes(`## Abstract {.page_break_before}\n\n${draft}\n\n## Methods`), text);
  });

  test('LaTeX: the draft goes into an abstract environment after \\maketitle', async () => {
    const latex = '\\documentclass{article}\n\\begin{document}\n\\maketitle\n\\section{Methods}\nWe randomised 1,204 adults; mortality was 12.4\\% vs 17.9\\% (HR 0.68).\n\\end{document}\n';
    const editor = await openManuscript(latex, 'latex');
    const result = await vscode.commands.executeCommand<AbstractResult>('biowrite.draftAbstract', { structure: 'imrad', wordLimit: 250, language: 'en', scope: 'document' });
    assert.strictEqual(result.mode, 'insert');
    assert.strictEqual(await vscode.commands.executeCommand('biowrite.writing.acceptDraft', result.draftId), 'applied');
    assert.ok(editor.document.getText().includes('\\maketitle\n\n\\begin{abstract}\n\\textbf{Background:} Pneumonia kills.'), editor.document.getText());
  });

  test('a stale draft is refused: the document changed after the draft started', async () => {
    const editor = await openManuscript(manuscript);
    const result = await vscode.commands.executeCommand<AbstractResult>('biowrite.draftAbstract', { structure: 'unstructured', wordLimit: 150, language: 'en', scope: 'document' });
    await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), '<!-- edited -->\n'));
    const edited = editor.document.getText();
    assert.strictEqual(await vscode.commands.executeCommand('biowrite.writing.acceptDraft', result.draftId), 'stale');
    assert.strictEqual(editor.document.getText(), edited, 'nothing applied to the changed document');
  });

  test('a translation is refused when the document changed while the language was being picked', async () => {
    const editor = await openManuscript(manuscript);
    const line = manuscript.split('\n').findIndex((candidate) => candidate.startsWith('Mortality'));
    await select(editor, new vscode.Selection(line, 0, line, editor.document.lineAt(line).text.length));
    // No target language: the command asks, and the document changes while the question is open.
    // The command reads the document before it asks (the edit reaches the extension host only after a
    // round trip through the workbench), so the edit lands while the question is pending.
    const pending = vscode.commands.executeCommand<TranslateResult | undefined>('biowrite.translateSelection', { privacy: 'send' });
    let settled = false;
    void pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    assert.ok(await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), '<!-- edited -->\n')));
    const edited = editor.document.getText();
    // The quick pick opens when the workbench gets to it: accept until the command has its answer.
    for (let attempt = 0; attempt < 300 && !settled; attempt += 1) {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await Promise.race([pending, new Promise((resolve) => setTimeout(resolve, 100))]);
    }
    const result = await pending;
    assert.ok(result, 'the translation ran');
    assert.strictEqual(await vscode.commands.executeCommand('biowrite.writing.acceptDraft', result.draftId), 'stale');
    assert.strictEqual(editor.document.getText(), edited, 'nothing applied at the old offsets');
    assert.strictEqual(await vscode.commands.executeCommand('biowrite.writing.discardDraft', result.draftId), true);
    assert.strictEqual(diffTabs().length, 0);
  });

  test('Translate Selection keeps citations, cross-refs and math byte-identical and applies on accept as one edit', async () => {
    const editor = await openManuscript(manuscript);
    const line = manuscript.split('\n').findIndex((candidate) => candidate.startsWith('Mortality'));
    await select(editor, new vscode.Selection(line, 0, line, editor.document.lineAt(line).text.length));
    const selected = editor.document.getText(editor.selection);
    const result = await vscode.commands.executeCommand<TranslateResult>('biowrite.translateSelection', { targetLanguage: 'fr' });
    assert.ok(result);
    assert.strictEqual(result.text, fakeTranslate(selected));
    assert.strictEqual(diffTabs().length, 1);
    assert.strictEqual(editor.document.getText(), manuscript);
    assert.strictEqual(await vscode.commands.executeCommand('biowrite.writing.acceptDraft', result.draftId), 'applied');
    const text = editor.document.getText();
    for (const piece of ['@fig:km', '$\\alpha = 0.05$', '[@doi:10.1000/x]', '95% CI 0.52–0.89']) assert.ok(text.includes(piece), piece);
    assert.ok(text.includes('Mortality at 28 days was 12.4% vs 17.9%'), 'translated in place');
    assert.strictEqual(await undoIn(editor.document), manuscript, 'one undo removes the whole translation');
  });

  test('Translate Selection works on the selection it was invoked on, even when the selection moves before its flow has loaded', async () => {
    const editor = await openManuscript(manuscript);
    const line = manuscript.split('\n').findIndex((candidate) => candidate.startsWith('Mortality'));
    await select(editor, new vscode.Selection(line, 0, line, editor.document.lineAt(line).text.length));
    const selected = editor.document.getText(editor.selection);
    // The handler runs up to its first await inside executeCommand; the selection moves right after.
    const pending = vscode.commands.executeCommand<TranslateResult>('biowrite.translateSelection', { targetLanguage: 'fr' });
    const methods = manuscript.split('\n').findIndex((candidate) => candidate.startsWith('We randomised'));
    editor.selection = new vscode.Selection(methods, 0, methods, 10);
    const result = await pending;
    assert.ok(result, 'the translation ran');
    assert.strictEqual(result.text, fakeTranslate(selected));
    assert.strictEqual(await vscode.commands.executeCommand('biowrite.writing.discardDraft', result.draftId), true);
    assert.strictEqual(editor.document.getText(), manuscript);
  });

  test('Translate Document through a model that mangles every placeholder: markup intact; Discard leaves the document alone', async () => {
    const mangler = createManglingTranslator();
    server.setHandler(mangler.handler);
    const editor = await openManuscript(manuscript);
    const result = await vscode.commands.executeCommand<TranslateResult>('biowrite.translateDocument', { targetLanguage: 'fr' });
    assert.ok(mangler.stats.placeholdersAltered > 0);
    assert.ok(result.retries > 0);
    for (const piece of ['[@doi:10.1000/x]', '@fig:km', '$\\alpha = 0.05$', 'title: "']) assert.ok(result.text.includes(piece), piece);
    assert.strictEqual(await vscode.commands.executeCommand('biowrite.writing.discardDraft', result.draftId), true);
    assert.strictEqual(editor.document.getText(), manuscript);
    assert.strictEqual(diffTabs().length, 0);
  });

  test('a 401 from the endpoint is reported and nothing is applied', async () => {
    const editor = await openManuscript(manuscript);
    server.enqueue({ kind: 'status', status: 401 });
    const result = await vscode.commands.executeCommand<TranslateResult | undefined>('biowrite.translateDocument', { targetLanguage: 'es' });
    assert.strictEqual(result, undefined);
    assert.strictEqual(editor.document.getText(), manuscript);
  });

  test('with alwaysCheck, identifiers stop the request when the user cancels and are held back when they redact', async () => {
    await privacy().update('alwaysCheck', true, vscode.ConfigurationTarget.Global);
    try {
      const notes = 'Patient: Margaret Okonkwo, DOB 03/14/1962, MRN 48213377, was admitted on 12 March 2023 with pneumonia.';
      const editor = await openManuscript(notes);
      const before = server.requests.length;
      assert.strictEqual(await vscode.commands.executeCommand('biowrite.translateDocument', { targetLanguage: 'fr', privacy: 'cancel' }), undefined);
      assert.strictEqual(server.requests.length, before, 'nothing was sent');
      const result = await vscode.commands.executeCommand<TranslateResult>('biowrite.translateDocument', { targetLanguage: 'fr', privacy: 'redact' });
      const sent = server.requests.slice(before).map((request) => JSON.stringify(request.body)).join('\n');
      assert.ok(!/Okonkwo|48213377|03\/14\/1962/.test(sent), 'identifiers never left');
      assert.ok(result.text.includes('Margaret Okonkwo, DOB 03/14/1962, MRN 48213377'), 'and came back as written');
      assert.strictEqual(editor.document.getText(), notes);
    } finally {
      await privacy().update('alwaysCheck', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
