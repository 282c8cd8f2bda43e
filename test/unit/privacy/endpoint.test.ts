import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLocalEndpoint, privacyCheckRequired } from '../../../src/core/privacy/endpoint';

test('localhost, 127.0.0.0/8 and ::1 are local', () => {
  for (const url of ['http://localhost:11434/v1', 'http://127.0.0.1:1234/v1', 'http://127.8.9.10/v1', 'http://[::1]:8000/v1', 'http://api.localhost/v1']) {
    assert.equal(isLocalEndpoint(url), true, url);
  }
});

test('other hosts are not local unless the user lists them', () => {
  assert.equal(isLocalEndpoint('https://api.openai.com/v1'), false);
  assert.equal(isLocalEndpoint('http://192.168.1.20:11434/v1'), false);
  assert.equal(isLocalEndpoint('http://192.168.1.20:11434/v1', ['192.168.1.20']), true);
  assert.equal(isLocalEndpoint('http://gpu.lab.example.org/v1', ['GPU.lab.example.org']), true);
  assert.equal(isLocalEndpoint('http://localhost.evil.example/v1'), false);
  assert.equal(isLocalEndpoint('not a url'), false);
});

test('the check runs for non-local endpoints, the VS Code LM API, and everything when alwaysCheck is set', () => {
  assert.equal(privacyCheckRequired({ baseUrl: 'http://localhost:11434/v1' }, [], false), false);
  assert.equal(privacyCheckRequired({ baseUrl: 'http://localhost:11434/v1' }, [], true), true);
  assert.equal(privacyCheckRequired({ baseUrl: 'https://api.openai.com/v1' }, [], false), true);
  assert.equal(privacyCheckRequired(undefined, [], false), true);
});
