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
