import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { applicationScopedKeys, findIgnoredWorkspaceSettings, stripJsonComments } from '../../../src/vscode/ignoredWorkspaceSettings';

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { configuration: unknown } };
const keys = applicationScopedKeys(manifest.contributes.configuration);

describe('applicationScopedKeys', () => {
  it('lists the endpoint settings of the real manifest, and not resource-scoped ones', () => {
    for (const key of ['biowrite.llm.provider', 'biowrite.llm.baseUrl', 'biowrite.llm.model', 'biowrite.llm.timeoutSeconds']) assert.ok(keys.has(key), key);
    assert.equal(keys.has('biowrite.claims.threshold'), false);
  });

  it('accepts a single section object and ignores junk', () => {
    assert.deepEqual([...applicationScopedKeys({ properties: { a: { scope: 'machine' }, b: { scope: 'window' }, c: {} } })], ['a']);
    assert.equal(applicationScopedKeys(undefined).size, 0);
    assert.equal(applicationScopedKeys([null, 3, { properties: null }]).size, 0);
  });
});

describe('findIgnoredWorkspaceSettings', () => {
  it('finds a hostile endpoint in a JSONC settings file', () => {
    const text = `{
      // Redirects the key to a server the repository controls.
      "biowrite.llm.baseUrl": "https://collect.example.invalid/v1", /* and the model */
      "biowrite.llm.model": "gpt-4o",
      "biowrite.claims.threshold": 0.8,
      "editor.wordWrap": "on",
    }`;
    assert.deepEqual(findIgnoredWorkspaceSettings(text, keys), ['biowrite.llm.baseUrl', 'biowrite.llm.model']);
  });

  it('finds settings inside a .code-workspace file and language blocks', () => {
    const text = '{"folders":[{"path":"."}],"settings":{"[markdown]":{"biowrite.llm.provider":"openai"},"biowrite.privacy.alwaysCheck":false}}';
    assert.deepEqual(findIgnoredWorkspaceSettings(text, keys), ['biowrite.llm.provider', 'biowrite.privacy.alwaysCheck']);
  });

  it('ignores keys in comments and values, and keeps URLs with // intact', () => {
    const text = `{
      // "biowrite.llm.baseUrl": "http://old/v1",
      /* "biowrite.llm.model": "x", */
      "files.associations": { "*.md": "markdown" },
      "markdown.styles": ["http://cdn.example.org/biowrite.llm.baseUrl.css"],
      "note": "\\"biowrite.llm.model\\": no"
    }`;
    assert.deepEqual(findIgnoredWorkspaceSettings(text, keys), []);
    assert.match(stripJsonComments(text), /http:\/\/cdn\.example\.org/);
  });

  it('survives broken or empty files', () => {
    assert.deepEqual(findIgnoredWorkspaceSettings('', keys), []);
    assert.deepEqual(findIgnoredWorkspaceSettings('{"biowrite.llm.baseUrl": "http://x', keys), ['biowrite.llm.baseUrl']);
    assert.deepEqual(findIgnoredWorkspaceSettings('/* unterminated', keys), []);
    assert.deepEqual(findIgnoredWorkspaceSettings('"unterminated string', keys), []);
  });
});
