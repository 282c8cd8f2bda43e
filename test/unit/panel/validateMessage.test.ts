import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { panelCommands, validateWebviewMessage } from '../../../src/vscode/panel/validateMessage';

function rejected(value: unknown): string {
  const result = validateWebviewMessage(value);
  assert.equal(result.ok, false, `should reject ${JSON.stringify(value)}`);
  return result.ok ? '' : result.reason;
}

describe('validateWebviewMessage', () => {
  it('accepts every well-formed message and returns it', () => {
    const valid = [
      { type: 'ready', requestId: 'a-1' },
      { type: 'runCommand', requestId: 'a-2', command: 'testConnection' },
      { type: 'revealClaim', requestId: 'a-3', documentUri: 'file:///home/me/paper.md', claimId: 'c1' },
      { type: 'findSourcesForClaim', requestId: 'a-4', documentUri: 'untitled:Untitled-1', claimId: 'c2' },
      { type: 'insertCitation', requestId: 'a-5', searchId: 's1', resultId: 'pubmed:123' },
      { type: 'copyReference', requestId: 'a-6', searchId: 's1', resultId: 'r1', style: 'apa' },
      { type: 'openResult', requestId: 'a-7', searchId: 's1', resultId: 'r1', target: 'doi' },
      { type: 'stop', requestId: 'a-8', targetRequestId: 'a-4' },
      { type: 'acceptDraft', requestId: 'a-9', draftId: 'd1' },
      { type: 'discardDraft', requestId: 'a-10', draftId: 'd1' },
      { type: 'revealReference', requestId: 'a-11', documentUri: 'file:///home/me/paper.md', key: 'smith2020', target: 'entry' },
      { type: 'revealReference', requestId: 'a-12', documentUri: 'untitled:Untitled-1', key: 'doi:10.1000/xyz-123', target: 'citation' },
      { type: 'revealReference', requestId: 'a-13', documentUri: 'file:///m.md', key: 'k'.repeat(500), target: 'entry' },
      { type: 'runCommand', requestId: 'a-14', command: 'auditReferences' },
    ];
    for (const message of valid) {
      const result = validateWebviewMessage(message);
      assert.ok(result.ok, `accepts ${message.type}: ${result.ok ? '' : result.reason}`);
      assert.deepEqual(result.message, message);
    }
  });

  it('accepts every panel command', () => {
    for (const command of panelCommands) assert.ok(validateWebviewMessage({ type: 'runCommand', requestId: 'x', command }).ok);
  });

  it('rejects values that are not plain objects', () => {
    for (const value of [null, undefined, 42, 'ready', true, [], [{ type: 'ready', requestId: 'x' }], new Date(), () => undefined]) {
      rejected(value);
    }
    class Sneaky {
      type = 'ready';
      requestId = 'x';
    }
    assert.match(rejected(new Sneaky()), /plain object/);
  });

  it('rejects unknown or missing types without echoing them at length', () => {
    assert.match(rejected({ requestId: 'x' }), /unknown type/);
    assert.match(rejected({ type: 'deleteEverything', requestId: 'x' }), /unknown type/);
    assert.match(rejected({ type: 7, requestId: 'x' }), /unknown type number/);
    const reason = rejected({ type: 'x'.repeat(10_000), requestId: 'x' });
    assert.ok(reason.length < 100);
    // Names inherited from Object.prototype are not message types.
    rejected({ type: 'toString', requestId: 'x' });
    rejected({ type: '__proto__', requestId: 'x' });
    rejected({ type: 'constructor', requestId: 'x' });
  });

  it('rejects missing, empty, oversized or non-string request ids', () => {
    for (const requestId of [undefined, '', 5, null, { id: 1 }, 'r'.repeat(201)]) {
      assert.match(rejected({ type: 'ready', requestId }), /requestId/);
    }
  });

  it('rejects fields of the wrong type or outside their allowed values', () => {
    assert.match(rejected({ type: 'runCommand', requestId: 'x', command: 'workbench.action.terminal.new' }), /command/);
    assert.match(rejected({ type: 'runCommand', requestId: 'x', command: ['testConnection'] }), /command/);
    assert.match(rejected({ type: 'copyReference', requestId: 'x', searchId: 's', resultId: 'r', style: 'harvard' }), /style/);
    assert.match(rejected({ type: 'openResult', requestId: 'x', searchId: 's', resultId: 'r', target: 'javascript:alert(1)' }), /target/);
    assert.match(rejected({ type: 'revealClaim', requestId: 'x', documentUri: 'not a uri', claimId: 'c' }), /documentUri/);
    assert.match(rejected({ type: 'revealClaim', requestId: 'x', documentUri: 'file:///a.md' }), /claimId/);
    assert.match(rejected({ type: 'insertCitation', requestId: 'x', searchId: 's', resultId: 42 }), /resultId/);
    assert.match(rejected({ type: 'stop', requestId: 'x', targetRequestId: '' }), /targetRequestId/);
    assert.match(rejected({ type: 'acceptDraft', requestId: 'x', draftId: 'd'.repeat(500) }), /draftId/);
  });

  it('checks every field of revealReference', () => {
    const base = { type: 'revealReference', requestId: 'x', documentUri: 'file:///a.md', key: 'smith2020', target: 'entry' };
    assert.ok(validateWebviewMessage(base).ok);
    const without = (name: string): Record<string, unknown> => Object.fromEntries(Object.entries(base).filter(([field]) => field !== name));
    assert.match(rejected(without('documentUri')), /documentUri/);
    assert.match(rejected(without('key')), /key/);
    assert.match(rejected(without('target')), /target/);
    for (const documentUri of ['', 'paper.md', '/home/me/paper.md', 42, null, ['file:///a.md'], `file:///${'a'.repeat(8192)}`]) {
      assert.match(rejected({ ...base, documentUri }), /documentUri/, `documentUri ${JSON.stringify(documentUri)?.slice(0, 40)}`);
    }
    for (const key of ['', 'k'.repeat(501), 42, null, true, ['smith2020'], { toString: () => 'smith2020' }]) {
      assert.match(rejected({ ...base, key }), /key/, `key ${JSON.stringify(key)?.slice(0, 40)}`);
    }
    for (const target of ['Entry', 'citations', 'file', 'javascript:alert(1)', '', 1, null, ['entry'], 'toString', '__proto__', 'constructor']) {
      assert.match(rejected({ ...base, target }), /target/, `target ${JSON.stringify(target)}`);
    }
    // A key that names an Object.prototype member is only a string: it is returned as given and pollutes nothing.
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const result = validateWebviewMessage({ ...base, key });
      assert.ok(result.ok);
      assert.equal((result.message as { key: string }).key, key);
      assert.equal(Object.getPrototypeOf(result.message), Object.prototype);
    }
    const parsed = validateWebviewMessage(
      JSON.parse('{"type":"revealReference","requestId":"x","documentUri":"file:///a.md","key":"k","target":"citation","__proto__":{"target":"entry","polluted":true},"command":"workbench.action.terminal.new"}'),
    );
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.message, { type: 'revealReference', requestId: 'x', documentUri: 'file:///a.md', key: 'k', target: 'citation' });
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
    // An own __proto__ holding the fields is not read for them.
    assert.match(rejected(JSON.parse('{"type":"revealReference","requestId":"x","__proto__":{"documentUri":"file:///a.md","key":"k","target":"entry"}}')), /documentUri/);
    rejected({ ...base, __proto__: { polluted: true } });
  });

  it('drops extra fields, so nothing unexpected reaches a handler', () => {
    const result = validateWebviewMessage(JSON.parse('{"type":"stop","requestId":"x","targetRequestId":"y","apiKey":"sk-1","__proto__":{"polluted":true}}'));
    assert.ok(result.ok);
    assert.deepEqual(Object.keys(result.message).sort(), ['requestId', 'targetRequestId', 'type']);
    assert.equal(Object.getPrototypeOf(result.message), Object.prototype);
    assert.equal((result.message as { polluted?: unknown }).polluted, undefined);
    // An object literal with __proto__ has a foreign prototype: not a plain message.
    rejected({ type: 'stop', requestId: 'x', targetRequestId: 'y', __proto__: { polluted: true } });
  });

  it('accepts JSON-parsed input (prototype-less objects from structured clone are plain too)', () => {
    assert.ok(validateWebviewMessage(JSON.parse('{"type":"ready","requestId":"z"}')).ok);
    const bare = Object.assign(Object.create(null) as object, { type: 'ready', requestId: 'z' });
    assert.ok(validateWebviewMessage(bare).ok);
  });
});
