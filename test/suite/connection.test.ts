import * as assert from 'assert';
import * as vscode from 'vscode';
import { waitFor } from './waitFor';
import { LlmError } from '../../src/core/llm/types';
import { VscodeLmClient } from '../../src/vscode/vscodeLmClient';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/fakeOpenAiServer';

const extensionId = 'biowrite.biowrite';
const goodKey = 'sk-biowrite-host-test';

type TestResult =
  | { ok: true; model: string; latencyMs: number; endpointHost?: string }
  | { ok: false; kind: string; message: string; status?: number };
type PanelResult = { ready: boolean; connectionStatus?: string; connectionModel?: string };

/**
 * Runs “Biowrite: Set API Key” with the input box answered by `key`. The extension shares this
 * `vscode` API object, so replacing `showInputBox` for the duration stands in for the user typing.
 */
async function setApiKeyThroughCommand(key: string): Promise<boolean> {
  const window = vscode.window as { showInputBox: typeof vscode.window.showInputBox };
  const original = window.showInputBox;
  let asked: vscode.InputBoxOptions | undefined;
  window.showInputBox = async (options?: vscode.InputBoxOptions) => {
    asked = options;
    return key;
  };
  try {
    // Should the stub not reach the extension, a real input box would wait forever: close it after a while.
    const guard = setTimeout(() => void vscode.commands.executeCommand('workbench.action.closeQuickOpen'), 5000);
    const stored = await vscode.commands.executeCommand<boolean>('biowrite.setApiKey');
    clearTimeout(guard);
    assert.ok(asked, 'the command asked for the key through an input box');
    assert.strictEqual(asked.password, true, 'the key is typed into a password box');
    assert.strictEqual(asked.validateInput?.('   '), asked.validateInput?.(''), 'blank input is refused like empty input');
    assert.ok(asked.validateInput?.(''), 'empty input is refused');
    return stored;
  } finally {
    window.showInputBox = original;
  }
}


suite('LLM connection', () => {
  let server: FakeOpenAiServer;
  const llm = () => vscode.workspace.getConfiguration('biowrite.llm');

  suiteSetup(async function () {
    this.timeout(30_000);
    await vscode.extensions.getExtension(extensionId)?.activate();
    server = await startFakeOpenAiServer({ apiKey: goodKey, models: ['fake-model', 'fake-model-large'] });
    await llm().update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Global);
    await llm().update('model', 'fake-model', vscode.ConfigurationTarget.Global);
    await llm().update('timeoutSeconds', 10, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('biowrite.clearApiKey');
    for (const key of ['baseUrl', 'model', 'timeoutSeconds']) await llm().update(key, undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  test('the panel resolves and shows the connection state', async () => {
    const result = await vscode.commands.executeCommand<PanelResult>('biowrite.openPanel');
    assert.strictEqual(result.ready, true, 'the webview loaded and said ready');
    assert.ok(['configured', 'notConfigured', 'ok', 'unreachable'].includes(result.connectionStatus ?? ''), `status ${result.connectionStatus}`);
  });

  test('with the key set, Test LLM Connection reports the model and the panel shows Connected', async () => {
    assert.strictEqual(await setApiKeyThroughCommand(`  ${goodKey}\n`), true);
    const before = server.requests.length;
    server.enqueue({ kind: 'text', text: 'ok' });
    const result = await vscode.commands.executeCommand<TestResult>('biowrite.testConnection');
    assert.ok(result.ok, `expected success, got ${JSON.stringify(result)}`);
    assert.strictEqual(result.model, 'fake-model');
    assert.strictEqual(typeof result.latencyMs, 'number');
    assert.strictEqual(result.endpointHost, new URL(server.baseUrl).host);
    const chat = server.requests.slice(before).filter((request) => request.path === '/v1/chat/completions');
    assert.strictEqual(chat.length, 1, 'one small request');
    assert.strictEqual(chat[0]?.headers.authorization, `Bearer ${goodKey}`, 'the stored key was trimmed and sent');
    const panel = await vscode.commands.executeCommand<PanelResult>('biowrite.openPanel');
    assert.strictEqual(panel.connectionStatus, 'ok');
  });

  test('with a wrong key, it fails as unauthorized and the panel shows Unreachable', async () => {
    assert.strictEqual(await setApiKeyThroughCommand('sk-wrong-key'), true);
    const result = await vscode.commands.executeCommand<TestResult>('biowrite.testConnection');
    assert.ok(!result.ok, 'expected a failure');
    assert.strictEqual(result.kind, 'unauthorized');
    assert.strictEqual(result.status, 401);
    assert.match(result.message, /Set API Key/);
    assert.ok(!result.message.includes('sk-wrong-key'), 'the key is never echoed');
    const panel = await vscode.commands.executeCommand<PanelResult>('biowrite.openPanel');
    assert.strictEqual(panel.connectionStatus, 'unreachable');
  });

  test('an unknown model fails as modelNotFound, naming the models the server has', async () => {
    assert.strictEqual(await setApiKeyThroughCommand(goodKey), true);
    await llm().update('model', 'no-such-model', vscode.ConfigurationTarget.Global);
    try {
      const result = await vscode.commands.executeCommand<TestResult>('biowrite.testConnection');
      assert.ok(!result.ok);
      assert.strictEqual(result.kind, 'modelNotFound');
      assert.match(result.message, /fake-model-large/);
    } finally {
      await llm().update('model', 'fake-model', vscode.ConfigurationTarget.Global);
    }
  });

  test('clearing the key makes the endpoint answer 401 again', async () => {
    assert.strictEqual(await setApiKeyThroughCommand(goodKey), true);
    assert.strictEqual(await vscode.commands.executeCommand<boolean>('biowrite.clearApiKey'), true);
    const result = await vscode.commands.executeCommand<TestResult>('biowrite.testConnection');
    assert.ok(!result.ok && result.kind === 'unauthorized', JSON.stringify(result));
    assert.strictEqual(server.requests.at(-1)?.headers.authorization, undefined, 'no key, no Authorization header');
  });

  test('a workspace-level biowrite.llm.baseUrl is ignored', async function () {
    this.timeout(30_000);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests run on the samples/ workspace');
    assert.strictEqual(await setApiKeyThroughCommand(goodKey), true);
    const settingsDirectory = vscode.Uri.joinPath(folder.uri, '.vscode');
    const settingsUri = vscode.Uri.joinPath(settingsDirectory, 'settings.json');
    const directoryExisted = await vscode.workspace.fs.stat(settingsDirectory).then(() => true, () => false);
    let original: Uint8Array | undefined;
    try {
      original = await vscode.workspace.fs.readFile(settingsUri);
    } catch {
      original = undefined;
    }
    const existing = original ? (JSON.parse(new TextDecoder().decode(original)) as Record<string, unknown>) : {};
    // A resource-scoped marker shows when VS Code has read the file; the endpoint points at a closed port.
    const marker = 0.613;
    const hostile = { ...existing, 'biowrite.llm.baseUrl': 'http://127.0.0.1:9/v1', 'biowrite.llm.model': 'evil-model', 'biowrite.claims.threshold': marker };
    await vscode.workspace.fs.writeFile(settingsUri, new TextEncoder().encode(JSON.stringify(hostile, null, 2)));
    try {
      await waitFor(() => vscode.workspace.getConfiguration('biowrite.claims').get<number>('threshold'), (value) => value === marker, 'the workspace settings to load');
      assert.strictEqual(llm().get('baseUrl'), server.baseUrl, 'VS Code itself keeps the user value');
      const result = await vscode.commands.executeCommand<TestResult>('biowrite.testConnection');
      assert.ok(result.ok, `the user endpoint answered: ${JSON.stringify(result)}`);
      assert.strictEqual(result.model, 'fake-model');
      assert.strictEqual(result.endpointHost, new URL(server.baseUrl).host);
    } finally {
      if (original) await vscode.workspace.fs.writeFile(settingsUri, original);
      else if (directoryExisted) await vscode.workspace.fs.delete(settingsUri);
      else await vscode.workspace.fs.delete(settingsDirectory, { recursive: true });
      await waitFor(() => vscode.workspace.getConfiguration('biowrite.claims').get<number>('threshold'), (value) => value !== marker, 'the workspace settings to be restored');
    }
  });

  test('an invalid base URL shows Not configured and the test says what to fix, without a request', async () => {
    await llm().update('baseUrl', 'localhost:11434', vscode.ConfigurationTarget.Global);
    try {
      const before = server.requests.length;
      const panel = await waitFor(
        () => vscode.commands.executeCommand<PanelResult>('biowrite.openPanel'),
        (value) => value.connectionStatus === 'notConfigured',
        'the panel to show Not configured',
      );
      assert.strictEqual(panel.connectionStatus, 'notConfigured');
      const result = await vscode.commands.executeCommand<TestResult>('biowrite.testConnection');
      assert.ok(!result.ok && result.kind === 'notConfigured', JSON.stringify(result));
      assert.match(result.message, /biowrite\.llm\.baseUrl/);
      assert.strictEqual(server.requests.length, before);
    } finally {
      await llm().update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Global);
    }
  });

  test('without a key, only a remote endpoint is Not configured: loopback and hosts the user declared local are not', async () => {
    await vscode.commands.executeCommand('biowrite.clearApiKey');
    const privacy = () => vscode.workspace.getConfiguration('biowrite.privacy');
    const status = (what: string, expected: string) =>
      waitFor(() => vscode.commands.executeCommand<PanelResult>('biowrite.openPanel'), (value) => value.connectionStatus === expected, what);
    try {
      await llm().update('baseUrl', 'http://gpu-box.lab.example:8000/v1', vscode.ConfigurationTarget.Global);
      await status('a remote endpoint without a key to be Not configured', 'notConfigured');
      // A lab server the user listed as local (for instance a keyless vLLM) is usable as it is.
      await privacy().update('localHosts', ['gpu-box.lab.example'], vscode.ConfigurationTarget.Global);
      await status('a declared local host to be Configured', 'configured');
      await privacy().update('localHosts', undefined, vscode.ConfigurationTarget.Global);
      await llm().update('baseUrl', 'http://127.0.0.2:8000/v1', vscode.ConfigurationTarget.Global);
      await status('a loopback address to be Configured', 'configured');
    } finally {
      await privacy().update('localHosts', undefined, vscode.ConfigurationTarget.Global);
      await llm().update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Global);
    }
  });

  test('the vscode provider explains when VS Code offers no language model', async () => {
    await llm().update('provider', 'vscode', vscode.ConfigurationTarget.Global);
    try {
      // Before any request the panel must not name the OpenAI-style model as if VS Code had picked it.
      const panel = await waitFor(
        () => vscode.commands.executeCommand<PanelResult>('biowrite.openPanel'),
        (value) => value.connectionStatus === 'configured' && /first available model/.test(value.connectionModel ?? ''),
        'the panel to describe the VS Code model choice',
      );
      assert.match(panel.connectionModel ?? '', /first available model/);
      const models = await vscode.lm.selectChatModels();
      const result = await vscode.commands.executeCommand<TestResult>('biowrite.testConnection');
      if (models.length === 0) {
        assert.ok(!result.ok && result.kind === 'notConfigured', JSON.stringify(result));
        assert.match(result.message, /No language model is available/);
      } else {
        // A host with a model provider installed: the request may need consent, so only the shape is checked.
        assert.strictEqual(typeof result.ok, 'boolean');
      }
    } finally {
      await llm().update('provider', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('Show Log and Clear API Key run without a key stored', async () => {
    await vscode.commands.executeCommand('biowrite.clearApiKey');
    assert.strictEqual(await vscode.commands.executeCommand<boolean>('biowrite.clearApiKey'), false, 'nothing to clear');
    await vscode.commands.executeCommand('biowrite.showLog');
  });

  test('a VS Code language model that streams forever or never answers is stopped at the deadline', async () => {
    // Before: only the OpenAI client had a deadline; a looping Copilot model streamed without end.
    const fakeModel = (answer: 'forever' | 'never'): vscode.LanguageModelChat =>
      ({
        id: `fake-${answer}`,
        async sendRequest(_messages: unknown, _options: unknown, token: vscode.CancellationToken) {
          if (answer === 'never') {
            await new Promise<void>((resolve) => token.onCancellationRequested(() => resolve()));
            throw new vscode.CancellationError();
          }
          return {
            text: (async function* () {
              while (!token.isCancellationRequested) {
                yield 'and again ';
                await new Promise<void>((resolve) => setImmediate(resolve));
              }
            })(),
          };
        },
      }) as unknown as vscode.LanguageModelChat;
    for (const [answer, message] of [['forever', /still answering after 0 s/], ['never', /did not answer within 0 s/]] as const) {
      const client = new VscodeLmClient('', undefined, 300, async () => fakeModel(answer));
      let chunks = 0;
      await assert.rejects(
        (async () => {
          for await (const event of client.stream({ messages: [{ role: 'user', content: 'Translate this.' }], signal: new AbortController().signal })) {
            if (event.kind === 'delta') chunks++;
          }
        })(),
        (error: unknown) => error instanceof LlmError && error.kind === 'timeout' && message.test(error.message),
      );
      if (answer === 'forever') assert.ok(chunks > 0, 'the answer had started');
    }
  });
});
