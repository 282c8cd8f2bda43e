import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ConnectionState, HostMessage } from '../../../src/shared/protocol';
import { PanelOutbox } from '../../../src/vscode/panel/panelOutbox';

const state = (status: ConnectionState['status']): ConnectionState => ({ status, provider: 'openai', model: 'm', hasApiKey: false, workspaceTrusted: true });
const connection = (status: ConnectionState['status']): HostMessage => ({ type: 'connection', state: state(status) });
const claims = (count: number): HostMessage => ({
  type: 'claims',
  documentUri: 'file:///paper.md',
  documentName: 'paper.md',
  claims: Array.from({ length: count }, (_, index) => ({ id: `c${index}`, text: 't', score: 0.9, reason: 'r', range: { startLine: index, startCharacter: 0, endLine: index, endCharacter: 1 } })),
});
const notice = (message: string): HostMessage => ({ type: 'notice', level: 'info', message });

describe('PanelOutbox', () => {
  it('queues until ready, then delivers the latest sticky state and the queue in order', () => {
    const outbox = new PanelOutbox();
    assert.deepEqual(outbox.post(connection('configured')), []);
    assert.deepEqual(outbox.post(notice('one')), []);
    assert.deepEqual(outbox.post(connection('checking')), []);
    assert.deepEqual(outbox.post(claims(2)), []);
    assert.deepEqual(outbox.post(notice('two')), []);
    assert.deepEqual(outbox.ready(), [connection('checking'), claims(2), notice('one'), notice('two')]);
  });

  it('delivers at once while ready', () => {
    const outbox = new PanelOutbox();
    outbox.ready();
    assert.deepEqual(outbox.post(notice('now')), [notice('now')]);
    assert.deepEqual(outbox.post(connection('ok')), [connection('ok')]);
  });

  it('replays the latest connection and claims to a re-created view, not old transient messages', () => {
    const outbox = new PanelOutbox();
    outbox.ready();
    outbox.post(connection('ok'));
    outbox.post(claims(3));
    outbox.post(notice('delivered before'));
    outbox.detach();
    assert.equal(outbox.isReady, false);
    outbox.post(notice('while hidden'));
    assert.deepEqual(outbox.ready(), [connection('ok'), claims(3), notice('while hidden')]);
    assert.deepEqual(outbox.ready(), [connection('ok'), claims(3)], 'a reloaded webview gets the state again');
  });

  it('keeps only the newest messages when too many wait', () => {
    const outbox = new PanelOutbox(3);
    for (let index = 0; index < 10; index += 1) outbox.post(notice(`n${index}`));
    assert.deepEqual(outbox.ready(), [notice('n7'), notice('n8'), notice('n9')]);
  });

  it('reports the latest sticky messages', () => {
    const outbox = new PanelOutbox();
    assert.equal(outbox.latest('connection'), undefined);
    outbox.post(connection('unreachable'));
    assert.equal(outbox.latest('connection')?.state.status, 'unreachable');
  });
});
