import * as assert from 'assert';
import * as vscode from 'vscode';
import { logLine } from './testLog';

/** The extension's identifier: `publisher.name` from package.json. */
const extensionId = 'biowrite.biowrite';

interface ContributedCommand {
  readonly command: string;
}

function getExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension, `${extensionId} is not installed in the extension host`);
  return extension;
}

suite('Activation', () => {
  test('the extension is present, with the manifest the package declares', () => {
    const extension = getExtension();
    assert.strictEqual(extension.packageJSON.name, 'biowrite');
    assert.strictEqual(extension.packageJSON.main, './dist/extension.mjs');
  });

  test('activates without error', async function () {
    this.timeout(20_000);
    const extension = getExtension();
    const started = performance.now();
    await extension.activate();
    // Logged rather than asserted: timing in a shared CI machine is noisy; `npm run bench:startup` reports it.
    logLine(`      activate(): ${(performance.now() - started).toFixed(1)} ms${extension.isActive ? '' : ' (not active!)'}`);
    assert.strictEqual(extension.isActive, true);
  });

  test('registers every command package.json contributes', async () => {
    const extension = getExtension();
    await extension.activate();
    const contributed = (extension.packageJSON.contributes.commands as ContributedCommand[]).map((entry) => entry.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepStrictEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('every contributed command is in the Biowrite category', () => {
    const commands = getExtension().packageJSON.contributes.commands as { command: string; category?: string }[];
    const outside = commands.filter((entry) => entry.category !== 'Biowrite').map((entry) => entry.command);
    assert.deepStrictEqual(outside, []);
  });

  test('Biowrite: Open Panel shows the Biowrite view container', async () => {
    await getExtension().activate();
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('biowrite.openPanel');
    // The view's own focus command exists only once VS Code has registered the webview view.
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(registered.has('biowrite.panel.focus'), 'the biowrite.panel view is not registered');
    await vscode.commands.executeCommand('workbench.view.extension.biowrite');
  });

  test('the Get Started walkthrough has a step for each feature, with its page shipped', async () => {
    const extension = getExtension();
    const walkthroughs = extension.packageJSON.contributes.walkthroughs as { steps: { id: string; media?: { markdown?: string }; completionEvents?: string[] }[] }[];
    const steps = walkthroughs[0]?.steps ?? [];
    const completedBy = steps.flatMap((step) => step.completionEvents ?? []);
    // Connection, claims, sources and writing each lead the user to their own command.
    for (const command of ['biowrite.testConnection', 'biowrite.checkClaims', 'biowrite.findSources', 'biowrite.draftAbstract']) {
      assert.ok(completedBy.includes(`onCommand:${command}`), `no walkthrough step completes on ${command}`);
    }
    for (const step of steps) {
      const page = step.media?.markdown;
      assert.ok(page, `step ${step.id} has no page`);
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(extension.extensionUri, page));
    }
  });

  test('the LLM endpoint settings are application-scoped, so a cloned workspace cannot redirect them', () => {
    const configurations = getExtension().packageJSON.contributes.configuration as { properties: Record<string, { scope?: string }> }[];
    const properties = Object.assign({}, ...configurations.map((section) => section.properties)) as Record<string, { scope?: string }>;
    for (const key of ['biowrite.llm.provider', 'biowrite.llm.baseUrl', 'biowrite.llm.model', 'biowrite.llm.timeoutSeconds']) {
      assert.ok(properties[key], `${key} is not contributed`);
      assert.strictEqual(properties[key].scope, 'application', `${key} must be application-scoped`);
    }
    const inspected = vscode.workspace.getConfiguration('biowrite.llm').inspect<string>('baseUrl');
    assert.strictEqual(inspected?.workspaceValue, undefined, 'the sample workspace must not set biowrite.llm.baseUrl');
  });
});
