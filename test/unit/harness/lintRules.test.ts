// The house lint rules, run through ESLint with the repository's own config: src/core and src/cli never
// load `vscode` (statically or lazily), and the webview never renders through innerHTML.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const repoRoot = join(__dirname, '..', '..', '..');

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: repoRoot });
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, filePath) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

test('src/core and src/cli may not import vscode, statically or lazily', async () => {
  for (const file of ['src/core/llm/probe.ts', 'src/cli/commands/probe.ts']) {
    assert.ok((await ruleIds("import * as vscode from 'vscode';\nexport const v = vscode;\n", file)).includes('no-restricted-imports'), file);
    assert.ok((await ruleIds("import type * as vscode from 'vscode';\nexport type V = typeof vscode;\n", file)).includes('no-restricted-imports'), file);
    assert.ok((await ruleIds("export async function load(): Promise<unknown> {\n  return import('vscode');\n}\n", file)).includes('no-restricted-syntax'), file);
  }
  // Lazy imports of the project's own modules stay allowed there, and the vscode layer may load vscode lazily.
  assert.deepEqual(await ruleIds("export async function load(): Promise<unknown> {\n  return import('./other');\n}\n", 'src/core/llm/probe.ts'), []);
  assert.deepEqual(await ruleIds("export async function load(): Promise<unknown> {\n  return import('vscode');\n}\n", 'src/vscode/probe.ts'), []);
});

test('the webview may not use innerHTML', async () => {
  assert.ok((await ruleIds("export function f(node: HTMLElement, text: string): void {\n  node.innerHTML = text;\n}\n", 'src/webview/views/probe.ts')).includes('no-restricted-properties'));
});
