import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError, AuthenticationError, NotFoundError } from 'openai';
import { classifyLlmFailure, errorChain } from '../../../src/core/llm/classifyError';
import { LlmError } from '../../../src/core/llm/types';

const context = { baseUrl: 'https://llm.example.org/v1', model: 'gpt-4o-mini' };

function systemError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

/** What undici throws: `TypeError: fetch failed` with the system error as its cause, wrapped by the openai package. */
function wrapped(cause: Error): Error {
  return new APIConnectionError({ message: 'Connection error.', cause: new TypeError('fetch failed', { cause }) });
}

describe('classifyLlmFailure', () => {
  it('digs through cause chains for DNS, refused and TLS codes', () => {
    assert.equal(classifyLlmFailure(wrapped(systemError('ENOTFOUND', 'getaddrinfo ENOTFOUND llm.example.org')), context).kind, 'dns');
    assert.equal(classifyLlmFailure(wrapped(systemError('EAI_AGAIN')), context).kind, 'dns');
    assert.equal(classifyLlmFailure(wrapped(systemError('ECONNREFUSED')), context).kind, 'refused');
    for (const code of ['CERT_HAS_EXPIRED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']) {
      const failure = classifyLlmFailure(wrapped(systemError(code)), context);
      assert.equal(failure.kind, 'tls', code);
      assert.match(failure.message, new RegExp(code));
    }
  });

  it('finds codes inside AggregateError (happy eyeballs tries several addresses)', () => {
    const aggregate = new AggregateError([systemError('ECONNREFUSED'), systemError('ECONNREFUSED')], 'connect failed');
    assert.equal(classifyLlmFailure(wrapped(aggregate), context).kind, 'refused');
  });

  it('suggests starting Ollama only for local endpoints', () => {
    const local = classifyLlmFailure(wrapped(systemError('ECONNREFUSED')), { ...context, baseUrl: 'http://localhost:11434/v1' });
    assert.match(local.message, /Ollama/);
    const remote = classifyLlmFailure(wrapped(systemError('ECONNREFUSED')), context);
    assert.doesNotMatch(remote.message, /Ollama/);
    assert.match(remote.message, /llm\.example\.org/);
  });

  it('maps timeouts, aborts and HTTP statuses', () => {
    assert.equal(classifyLlmFailure(new APIConnectionTimeoutError(), context).kind, 'timeout');
    assert.equal(classifyLlmFailure(wrapped(systemError('UND_ERR_CONNECT_TIMEOUT')), context).kind, 'timeout');
    assert.equal(classifyLlmFailure(new APIUserAbortError(), context).kind, 'aborted');
    const headers = new Headers();
    assert.equal(classifyLlmFailure(new AuthenticationError(401, { message: 'bad key' }, undefined, headers), context).kind, 'unauthorized');
    const notFound = classifyLlmFailure(new NotFoundError(404, { message: 'The model `gpt-99` does not exist', code: 'model_not_found' }, undefined, headers), { ...context, availableModels: ['a', 'b'] });
    assert.equal(notFound.kind, 'modelNotFound');
    assert.match(notFound.message, /a, b/);
    const wrongPath = classifyLlmFailure(new NotFoundError(404, undefined, '404 page not found', headers), context);
    assert.equal(wrongPath.kind, 'modelNotFound');
    assert.match(wrongPath.message, /ends in \/v1/);
  });

  it('treats a fired signal or our own timer as decisive', () => {
    const controller = new AbortController();
    controller.abort();
    assert.equal(classifyLlmFailure(wrapped(systemError('ECONNRESET')), { ...context, signal: controller.signal }).kind, 'aborted');
    assert.equal(classifyLlmFailure(new Error('whatever'), { ...context, timedOut: true, timeoutMs: 30_000 }).kind, 'timeout');
  });

  it('maps JSON syntax errors and cut connections to badResponse', () => {
    assert.equal(classifyLlmFailure(new SyntaxError('Unexpected end of JSON input'), context).kind, 'badResponse');
    assert.equal(classifyLlmFailure(new TypeError('terminated', { cause: systemError('UND_ERR_SOCKET', 'other side closed') }), context).kind, 'badResponse');
  });

  it('passes LlmErrors through and labels anything else unknown, with a next step', () => {
    const original = new LlmError('rateLimited', 'slow down');
    assert.equal(classifyLlmFailure(original, context), original);
    const unknown = classifyLlmFailure('a string was thrown', context);
    assert.equal(unknown.kind, 'unknown');
    assert.match(unknown.message, /Show Log/);
  });

  it('errorChain survives cycles', () => {
    const first = new Error('first');
    const second = new Error('second', { cause: first });
    (first as { cause?: unknown }).cause = second;
    assert.equal(errorChain(second).length, 2);
  });
});
