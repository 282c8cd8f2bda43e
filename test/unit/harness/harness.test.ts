import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { workbenchUrl, writePlaceholderLanguagePack } from '../../../scripts/lib/harness.mjs';
import { parseNodeTestCounts } from '../../../scripts/lib/nodeTestCounts.mjs';

test('node:test counts are read from the spec reporter', () => {
  const output = ['▶ suite', '  ✔ a (1ms)', 'ℹ tests 5', 'ℹ suites 1', 'ℹ pass 3', 'ℹ fail 1', 'ℹ cancelled 1', 'ℹ skipped 0', 'ℹ todo 0'].join('\n');
  assert.deepEqual(parseNodeTestCounts(output), { passed: 3, failed: 2, skipped: 0 });
});

test('node:test counts are read from the TAP reporter, the last summary winning', () => {
  const output = ['TAP version 13', '# pass 1', '# fail 0', 'ok 1 - x', '1..2', '# tests 2', '# pass 2', '# fail 0', '# skipped 1', '# todo 1'].join('\n');
  assert.deepEqual(parseNodeTestCounts(output), { passed: 2, failed: 0, skipped: 2 });
});

test('output without a summary gives no counts', () => {
  assert.equal(parseNodeTestCounts('Error: Cannot find module\n'), undefined);
  // A test named like a summary line is not one.
  assert.equal(parseNodeTestCounts('  ✔ reports # pass 3 in the title'), undefined);
});

test('the workbench URL opens the folder and carries the development and tests paths as a remote payload', () => {
  const url = new URL(workbenchUrl({ port: 4321, folder: '/tmp/work space', extensionDevelopmentPath: '/repo', extensionTestsPath: '/repo/out/test/suite/index.js' }));
  assert.equal(url.host, '127.0.0.1:4321');
  assert.equal(url.searchParams.get('folder'), '/tmp/work space');
  assert.deepEqual(JSON.parse(url.searchParams.get('payload') ?? ''), [
    ['extensionDevelopmentPath', 'vscode-remote://127.0.0.1:4321/repo'],
    ['extensionTestsPath', 'vscode-remote://127.0.0.1:4321/repo/out/test/suite/index.js'],
  ]);
});

test('without a tests path the URL only loads the extension, for a person to use', () => {
  const url = new URL(workbenchUrl({ port: 8123, folder: '/samples', extensionDevelopmentPath: '/repo' }));
  assert.deepEqual(JSON.parse(url.searchParams.get('payload') ?? ''), [['extensionDevelopmentPath', 'vscode-remote://127.0.0.1:8123/repo']]);
});

test('a file to open is passed as a remote URI in the payload', () => {
  const url = new URL(workbenchUrl({ port: 8123, folder: '/samples', extensionDevelopmentPath: '/repo', openFile: '/samples/manuscript.md' }));
  assert.deepEqual(JSON.parse(url.searchParams.get('payload') ?? '')[1], ['openFile', 'vscode-remote://127.0.0.1:8123/samples/manuscript.md']);
});

test('a placeholder language pack lists the locale with an existing, empty core translation and an extension id', () => {
  const userDataDir = mkdtempSync(join(tmpdir(), 'biowrite-languagepack-'));
  try {
    const file = writePlaceholderLanguagePack(userDataDir, 'ko');
    assert.equal(file, join(userDataDir, 'languagepacks.json'));
    const packs = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(Object.keys(packs), ['ko']);
    assert.equal(typeof packs.ko.hash, 'string');
    // The server reads the first extension's identifier; without one it fails to list the extensions.
    assert.equal(typeof packs.ko.extensions[0].extensionIdentifier.id, 'string');
    const translations = packs.ko.translations.vscode;
    assert.ok(existsSync(translations));
    assert.deepEqual(JSON.parse(readFileSync(translations, 'utf8')).contents, {});
  } finally {
    rmSync(userDataDir, { recursive: true, force: true });
  }
});
