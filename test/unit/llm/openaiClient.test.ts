import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { OpenAiLlmClient, createLlmClientFromEnv, testConnection, type OpenAiClientOptions } from '../../../src/core/llm/openaiClient';
import { LlmError, type RequestLogEntry, type StreamEvent } from '../../../src/core/llm/types';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../fakes/fakeOpenAiServer';
import { temporaryDirectory } from '../temporaryDirectory';

const question = [{ role: 'user' as const, content: 'Does metformin lower HbA1c in type 2 diabetes?' }];

async function rejectsWithKind(promise: Promise<unknown>, kind: LlmError['kind']): Promise<LlmError> {
  try {
    await promise;
  } catch (failure) {
    assert.ok(failure instanceof LlmError, `expected an LlmError, got ${String(failure)}`);
    assert.equal(failure.kind, kind, `kind of “${failure.message}”`);
    assert.ok(failure.message.length > 20, 'the message explains what to do');
    return failure;
  }
  assert.fail(`expected a rejection of kind ${kind}`);
}

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function textOf(events: readonly StreamEvent[]): string {
  return events.map((event) => (event.kind === 'delta' ? event.text : '')).join('');
}

/** A TCP port that nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address && typeof address === 'object');
  return address.port;
}

describe('OpenAiLlmClient against the fake OpenAI server', () => {
  let server: FakeOpenAiServer;
  const key = 'sk-test-secret-key-123';
  const logs: RequestLogEntry[] = [];
  const client = (overrides: Partial<OpenAiClientOptions> = {}) =>
    new OpenAiLlmClient({ baseUrl: server.baseUrl, apiKey: key, model: 'fake-model', maxRetries: 0, timeoutMs: 5000, logRequest: (entry) => logs.push(entry), ...overrides });

  before(async () => {
    server = await startFakeOpenAiServer({ apiKey: key, models: ['fake-model', 'llama3.1:8b', 'mistral:7b'] });
  });
  after(async () => {
    await server.close();
  });

  it('completes a request, sends the key and reports usage', async () => {
    server.enqueue({ kind: 'text', text: 'Yes, by about 1 percentage point.' });
    const completion = await client().complete({ messages: question, signal: new AbortController().signal, temperature: 0.2, maxTokens: 50 });
    assert.equal(completion.text, 'Yes, by about 1 percentage point.');
    assert.equal(completion.model, 'fake-model');
    assert.deepEqual(completion.usage, { promptTokens: 8, completionTokens: 6, totalTokens: 14 });
    const sent = server.requests.at(-1);
    assert.equal(sent?.path, '/v1/chat/completions');
    assert.equal(sent?.headers.authorization, `Bearer ${key}`);
    assert.deepEqual((sent?.body as { messages: unknown }).messages, question);
    assert.equal((sent?.body as { temperature: number }).temperature, 0.2);
    assert.equal((sent?.body as { max_tokens: number }).max_tokens, 50);
  });

  it('asks for a JSON object when json is set', async () => {
    server.enqueue({ kind: 'text', text: '{"ok":true}' });
    await client().complete({ messages: question, signal: new AbortController().signal, json: true });
    assert.deepEqual((server.requests.at(-1)?.body as { response_format: unknown }).response_format, { type: 'json_object' });
  });

  it('sends no Authorization header when there is no key', async () => {
    const open = await startFakeOpenAiServer();
    try {
      const keyless = new OpenAiLlmClient({ baseUrl: open.baseUrl, model: 'fake-model', maxRetries: 0 });
      const completion = await keyless.complete({ messages: question, signal: new AbortController().signal });
      assert.equal(completion.text, `Echo: ${question[0]?.content}`);
      assert.equal(open.requests[0]?.headers.authorization, undefined);
    } finally {
      await open.close();
    }
  });

  it('streams deltas in order, then the usage, with stream_options.include_usage', async () => {
    server.enqueue({ kind: 'text', text: 'Metformin lowers HbA1c.', chunkSize: 3 });
    const events = await collect(client().stream({ messages: question, signal: new AbortController().signal }));
    assert.equal(textOf(events), 'Metformin lowers HbA1c.');
    assert.ok(events.filter((event) => event.kind === 'delta').length >= 7, 'several deltas, not one block');
    assert.deepEqual(events.at(-1), { kind: 'usage', usage: { promptTokens: 8, completionTokens: 3, totalTokens: 11 } });
    const body = server.requests.at(-1)?.body as { stream: boolean; stream_options: unknown };
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
  });

  it('streams without a usage event when the server reports none', async () => {
    server.enqueue({ kind: 'text', text: 'No usage here.', usage: false });
    const events = await collect(client().stream({ messages: question, signal: new AbortController().signal }));
    assert.equal(textOf(events), 'No usage here.');
    assert.ok(events.every((event) => event.kind === 'delta'));
  });

  it('cancels mid-stream: rejects as aborted and the server sees the connection close', async () => {
    const disconnectsBefore = server.clientDisconnects;
    server.enqueue({ kind: 'text', text: 'A long answer that keeps coming, slowly, chunk after chunk.', chunkSize: 2, chunkDelayMs: 50 });
    const controller = new AbortController();
    const received: string[] = [];
    const consumed = (async () => {
      for await (const event of client().stream({ messages: question, signal: controller.signal })) {
        if (event.kind === 'delta') received.push(event.text);
        if (received.length === 3) controller.abort();
      }
    })();
    await rejectsWithKind(consumed, 'aborted');
    assert.ok(received.length >= 3 && received.join('').length < 20, 'stopped early');
    await server.waitForClientDisconnects(disconnectsBefore + 1);
  });

  it('breaking out of a stream closes the request', async () => {
    const disconnectsBefore = server.clientDisconnects;
    server.enqueue({ kind: 'text', text: 'Another long answer, delivered slowly to the client.', chunkSize: 2, chunkDelayMs: 50 });
    for await (const event of client().stream({ messages: question, signal: new AbortController().signal })) {
      if (event.kind === 'delta') break;
    }
    await server.waitForClientDisconnects(disconnectsBefore + 1);
  });

  it('an already aborted signal rejects without a request', async () => {
    const count = server.requests.length;
    const controller = new AbortController();
    controller.abort();
    await rejectsWithKind(client().complete({ messages: question, signal: controller.signal }), 'aborted');
    assert.equal(server.requests.length, count);
  });

  it('aborting while the server is slow rejects promptly as aborted', async () => {
    server.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const pending = client().complete({ messages: question, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await rejectsWithKind(pending, 'aborted');
  });

  it('maps 401 to unauthorized, pointing at Set API Key', async () => {
    const failure = await rejectsWithKind(client({ apiKey: 'sk-wrong' }).complete({ messages: question, signal: new AbortController().signal }), 'unauthorized');
    assert.equal(failure.status, 401);
    assert.match(failure.message, /Set API Key/);
    assert.doesNotMatch(failure.message, /sk-wrong/);
  });

  it('maps an unknown model to modelNotFound and lists models the server offers', async () => {
    const failure = await rejectsWithKind(client({ model: 'gpt-99' }).complete({ messages: question, signal: new AbortController().signal }), 'modelNotFound');
    assert.equal(failure.status, 404);
    assert.match(failure.message, /gpt-99/);
    assert.match(failure.message, /llama3\.1:8b/);
    assert.match(failure.message, /biowrite\.llm\.model/);
  });

  it('maps an unknown model in a stream to modelNotFound', async () => {
    await rejectsWithKind(collect(client({ model: 'gpt-99' }).stream({ messages: question, signal: new AbortController().signal })), 'modelNotFound');
  });

  it('retries a 429 after the Retry-After delay, then succeeds', async (context) => {
    // Record the delays the client asks for, so the test checks the wait it scheduled, not the clock.
    const delays: number[] = [];
    const realSetTimeout = globalThis.setTimeout;
    context.mock.method(globalThis, 'setTimeout', ((callback: () => void, ms?: number) => {
      delays.push(ms ?? 0);
      return realSetTimeout(callback, ms);
    }) as typeof setTimeout);
    server.enqueue({ kind: 'status', status: 429, retryAfterSeconds: 1 }, { kind: 'text', text: 'after the wait' });
    const count = server.requests.length;
    const completion = await client({ maxRetries: 2 }).complete({ messages: question, signal: new AbortController().signal });
    context.mock.restoreAll();
    assert.equal(completion.text, 'after the wait');
    assert.equal(server.requests.length - count, 2, 'one retry');
    assert.ok(delays.includes(1000), `a 1000 ms wait was scheduled (saw ${delays.join(', ')})`);
    assert.equal(server.requests.at(-1)?.headers['x-stainless-retry-count'], '1');
  });

  it('maps a 429 that persists to rateLimited', async () => {
    server.enqueue({ kind: 'status', status: 429, retryAfterSeconds: 0 });
    await rejectsWithKind(client().complete({ messages: question, signal: new AbortController().signal }), 'rateLimited');
  });

  it('does not retry a 429 for a used-up quota, and says what to do (before: retried as rate limiting)', async () => {
    const body = JSON.stringify({ error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } });
    server.enqueue({ kind: 'status', status: 429, body });
    const count = server.requests.length;
    const error = await rejectsWithKind(client({ maxRetries: 3 }).complete({ messages: question, signal: new AbortController().signal }), 'rateLimited');
    assert.equal(server.requests.length - count, 1, 'one request, no retries');
    assert.match(error.message, /quota is used up \(429 insufficient_quota\); waiting will not help/);
    assert.match(error.message, /billing settings/);
  });

  it('retries a 500, then succeeds', async () => {
    server.enqueue({ kind: 'status', status: 500, retryAfterSeconds: 0 }, { kind: 'text', text: 'recovered' });
    const count = server.requests.length;
    const completion = await client({ maxRetries: 1 }).complete({ messages: question, signal: new AbortController().signal });
    assert.equal(completion.text, 'recovered');
    assert.equal(server.requests.length - count, 2);
  });

  it('maps a 5xx that persists to server, with the server’s explanation', async () => {
    server.enqueue({ kind: 'status', status: 503, body: '{"error":{"message":"model is loading","type":"server_error","param":null,"code":null}}' });
    const failure = await rejectsWithKind(client().complete({ messages: question, signal: new AbortController().signal }), 'server');
    assert.equal(failure.status, 503);
    assert.match(failure.message, /model is loading/);
  });

  it('maps a hang to timeout', async () => {
    server.enqueue({ kind: 'hang' });
    await rejectsWithKind(client({ timeoutMs: 300 }).complete({ messages: question, signal: new AbortController().signal }), 'timeout');
  });

  it('maps a stream that goes silent to timeout', async () => {
    server.enqueue({ kind: 'text', text: 'slow then silent', chunkSize: 4, chunkDelayMs: 1000 });
    await rejectsWithKind(collect(client({ timeoutMs: 300 }).stream({ messages: question, signal: new AbortController().signal })), 'timeout');
  });

  it('maps malformed JSON to badResponse (complete and stream)', async () => {
    server.enqueue({ kind: 'malformedJson' }, { kind: 'malformedJson' });
    await rejectsWithKind(client().complete({ messages: question, signal: new AbortController().signal }), 'badResponse');
    await rejectsWithKind(collect(client().stream({ messages: question, signal: new AbortController().signal })), 'badResponse');
  });

  it('does not accept a truncated stream as complete (clean end, and dropped socket)', async () => {
    server.enqueue({ kind: 'truncatedStream', text: 'This answer is cut off half way through.', cutAfterChunks: 3 });
    const deltas: string[] = [];
    const consumed = (async () => {
      for await (const event of client().stream({ messages: question, signal: new AbortController().signal })) if (event.kind === 'delta') deltas.push(event.text);
    })();
    const failure = await rejectsWithKind(consumed, 'badResponse');
    assert.equal(deltas.join(''), 'This answer ');
    assert.match(failure.message, /before the answer was complete/);
    server.enqueue({ kind: 'truncatedStream', text: 'This answer is cut off half way through.', cutAfterChunks: 2, mode: 'destroy' });
    await rejectsWithKind(collect(client().stream({ messages: question, signal: new AbortController().signal })), 'badResponse');
  });

  it('switches to max_completion_tokens and drops temperature when the model rejects them', async () => {
    const rejection = (message: string, param: string) => JSON.stringify({ error: { message, type: 'invalid_request_error', param, code: 'unsupported_parameter' } });
    server.enqueue(
      { kind: 'status', status: 400, body: rejection("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'max_tokens') },
      { kind: 'status', status: 400, body: rejection("Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.", 'temperature') },
      { kind: 'text', text: 'reasoned' },
      { kind: 'text', text: 'again' },
    );
    const reasoning = client();
    const count = server.requests.length;
    const completion = await reasoning.complete({ messages: question, signal: new AbortController().signal, maxTokens: 64, temperature: 0.2 });
    assert.equal(completion.text, 'reasoned');
    const bodies = server.requests.slice(count).map((request) => request.body as Record<string, unknown>);
    assert.equal(bodies.length, 3);
    assert.equal(bodies[0]?.max_tokens, 64);
    assert.equal(bodies[1]?.max_completion_tokens, 64);
    assert.equal(bodies[1]?.max_tokens, undefined);
    assert.equal(bodies[2]?.temperature, undefined);
    // The client remembers: the next request is right the first time.
    assert.equal((await reasoning.complete({ messages: question, signal: new AbortController().signal, maxTokens: 64, temperature: 0.2 })).text, 'again');
    assert.equal(server.requests.length - count, 4);
  });

  it('reports other 400s as badResponse with the server’s explanation, without retrying', async () => {
    server.enqueue({ kind: 'status', status: 400, body: JSON.stringify({ error: { message: "This model's maximum context length is 8192 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } }) });
    const count = server.requests.length;
    const failure = await rejectsWithKind(client().complete({ messages: question, signal: new AbortController().signal }), 'badResponse');
    assert.match(failure.message, /maximum context length/);
    assert.equal(server.requests.length - count, 1);
  });

  it('lists models', async () => {
    assert.deepEqual(await client().listModels(new AbortController().signal), ['fake-model', 'llama3.1:8b', 'mistral:7b']);
  });

  it('testConnection reports model, latency and usage', async () => {
    server.enqueue({ kind: 'text', text: 'ok' });
    const result = await testConnection(client(), new AbortController().signal);
    assert.equal(result.model, 'fake-model');
    assert.ok(result.latencyMs >= 0);
    assert.equal(result.usage?.completionTokens, 1);
    const body = server.requests.at(-1)?.body as Record<string, unknown>;
    assert.equal(body.max_tokens, undefined, 'no parameter a model could reject');
    assert.equal(body.temperature, undefined);
  });

  it('logs every HTTP request with service, status, latency and host, never text or the key', async () => {
    logs.length = 0;
    server.enqueue({ kind: 'status', status: 500, retryAfterSeconds: 0 }, { kind: 'text', text: 'secret answer text' });
    await client({ maxRetries: 1 }).complete({ messages: question, signal: new AbortController().signal });
    await rejectsWithKind(client({ apiKey: 'sk-wrong' }).complete({ messages: question, signal: new AbortController().signal }), 'unauthorized');
    const host = new URL(server.baseUrl).host;
    assert.deepEqual(
      logs.map((entry) => [entry.service, entry.status, entry.host]),
      [
        ['llm', 500, host],
        ['llm', 200, host],
        ['llm', 401, host],
      ],
    );
    for (const entry of logs) {
      assert.equal(typeof entry.latencyMs, 'number');
      const line = JSON.stringify(entry);
      assert.doesNotMatch(line, /metformin|HbA1c|secret answer/i);
      assert.doesNotMatch(line, /sk-test|sk-wrong/);
    }
  });
});

describe('OpenAiLlmClient transport failures', () => {
  const options = { model: 'fake-model', maxRetries: 0, timeoutMs: 5000 };

  it('maps a closed port to refused, suggesting to start Ollama for a local endpoint', async () => {
    const port = await closedPort();
    const logs: RequestLogEntry[] = [];
    const client = new OpenAiLlmClient({ ...options, baseUrl: `http://127.0.0.1:${port}/v1`, logRequest: (entry) => logs.push(entry) });
    const failure = await rejectsWithKind(client.complete({ messages: question, signal: new AbortController().signal }), 'refused');
    assert.match(failure.message, /Ollama/);
    assert.deepEqual(logs.map((entry) => entry.status), ['refused']);
  });

  it('maps an unknown host to dns', async () => {
    const client = new OpenAiLlmClient({ ...options, baseUrl: 'http://biowrite-no-such-host.invalid/v1' });
    const failure = await rejectsWithKind(client.complete({ messages: question, signal: new AbortController().signal }), 'dns');
    assert.match(failure.message, /biowrite-no-such-host\.invalid/);
  });

  it('maps an untrusted self-signed certificate to tls', async (context) => {
    const directory = temporaryDirectory('biowrite-tls-');
    try {
      try {
        execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(directory, 'key.pem'), '-out', join(directory, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
      } catch {
        context.skip('openssl is not available to make a self-signed certificate');
        return;
      }
      const server = createHttpsServer({ key: readFileSync(join(directory, 'key.pem')), cert: readFileSync(join(directory, 'cert.pem')) }, (_request, response) => response.end('{}'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      try {
        const address = server.address();
        assert.ok(address && typeof address === 'object');
        const client = new OpenAiLlmClient({ ...options, baseUrl: `https://127.0.0.1:${address.port}/v1` });
        const failure = await rejectsWithKind(client.complete({ messages: question, signal: new AbortController().signal }), 'tls');
        assert.match(failure.message, /certificate/);
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('maps a body that stalls after the headers to timeout', async () => {
    const server = createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"id":"chatcmpl-1","object":"chat.completion","choices":[');
      // Then nothing: the socket stays open until the client gives up.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const address = server.address();
      assert.ok(address && typeof address === 'object');
      const client = new OpenAiLlmClient({ ...options, timeoutMs: 300, baseUrl: `http://127.0.0.1:${address.port}/v1` });
      await rejectsWithKind(client.complete({ messages: question, signal: new AbortController().signal }), 'timeout');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('rejects a base URL that is not http(s) as notConfigured', () => {
    assert.throws(() => new OpenAiLlmClient({ ...options, baseUrl: 'localhost:11434' }), (failure: unknown) => failure instanceof LlmError && failure.kind === 'notConfigured');
    assert.throws(() => new OpenAiLlmClient({ ...options, baseUrl: 'file:///etc/passwd' }), (failure: unknown) => failure instanceof LlmError && failure.kind === 'notConfigured');
    assert.throws(() => new OpenAiLlmClient({ ...options, baseUrl: 'http://localhost/v1', model: '  ' }), (failure: unknown) => failure instanceof LlmError && failure.kind === 'notConfigured');
  });
});

describe('createLlmClientFromEnv', () => {
  it('prefers the BIOWRITE_ variables', () => {
    const client = createLlmClientFromEnv({ BIOWRITE_LLM_BASE_URL: 'http://127.0.0.1:9/v1', BIOWRITE_LLM_MODEL: 'qwen2.5', OPENAI_BASE_URL: 'https://elsewhere.invalid/v1', OPENAI_API_KEY: 'sk-x' });
    assert.equal(client.baseUrl, 'http://127.0.0.1:9/v1');
    assert.equal(client.model, 'qwen2.5');
  });

  it('falls back to the OPENAI_ variables, and to OpenAI when only a key is set', () => {
    assert.equal(createLlmClientFromEnv({ OPENAI_BASE_URL: 'http://127.0.0.1:8/v1/' }).baseUrl, 'http://127.0.0.1:8/v1');
    const hosted = createLlmClientFromEnv({ OPENAI_API_KEY: 'sk-x' });
    assert.equal(hosted.baseUrl, 'https://api.openai.com/v1');
    assert.equal(hosted.model, 'gpt-4o-mini');
  });

  it('defaults to a local Ollama', () => {
    const local = createLlmClientFromEnv({});
    assert.equal(local.baseUrl, 'http://localhost:11434/v1');
    assert.equal(local.model, 'llama3.1:8b');
  });

  it('names the variable to fix when a value is invalid', () => {
    assert.throws(() => createLlmClientFromEnv({ BIOWRITE_LLM_BASE_URL: 'not a url' }), /BIOWRITE_LLM_BASE_URL/);
    assert.throws(() => createLlmClientFromEnv({ BIOWRITE_LLM_TIMEOUT_SECONDS: 'soon' }), /BIOWRITE_LLM_TIMEOUT_SECONDS/);
  });

  it('talks to the fake server with the key from the environment', async () => {
    const server = await startFakeOpenAiServer({ apiKey: 'sk-env' });
    try {
      const client = createLlmClientFromEnv({ BIOWRITE_LLM_BASE_URL: server.baseUrl, BIOWRITE_LLM_MODEL: 'fake-model', BIOWRITE_LLM_API_KEY: 'sk-env' });
      server.enqueue({ kind: 'text', text: 'from env' });
      assert.equal((await client.complete({ messages: question, signal: new AbortController().signal })).text, 'from env');
    } finally {
      await server.close();
    }
  });
});

describe('OpenAiLlmClient: one deadline per request, retries and the whole answer included', () => {
  // Each test gets its own server, so that replies a test does not use cannot leak into the next one.
  async function withServer(run: (server: FakeOpenAiServer) => Promise<void>): Promise<void> {
    const server = await startFakeOpenAiServer();
    try {
      await run(server);
    } finally {
      await server.close();
    }
  }
  const chats = (server: FakeOpenAiServer) => server.requests.filter((request) => request.path === '/v1/chat/completions').length;
  const deadlineMessage = /the time allowed for one request/;
  // Generous test timeouts: a client without a deadline would run into them instead of hanging the suite.
  const bounded = { timeout: 15_000 };

  it('ends a stream that never finishes at the deadline, saying the model was still answering', bounded, async () => {
    await withServer(async (server) => {
      // Half a million characters, a few at a time: longer than any test runs, like a model that loops.
      server.enqueue({ kind: 'text', text: 'and again '.repeat(50_000), chunkSize: 5, chunkDelayMs: 5 });
      // 2 s, not less: on a loaded 2-core machine the first chunk can take longer than 0.4 s to arrive,
      // and then the stream had not started, which is another message.
      const client = new OpenAiLlmClient({ baseUrl: server.baseUrl, model: 'fake-model', maxRetries: 2, timeoutMs: 2000 });
      const deltas: string[] = [];
      const consumed = (async () => {
        for await (const event of client.stream({ messages: question, signal: new AbortController().signal })) if (event.kind === 'delta') deltas.push(event.text);
      })();
      const failure = await rejectsWithKind(consumed, 'timeout');
      assert.match(failure.message, deadlineMessage);
      assert.match(failure.message, /still answering after 2(?:\.0)? s/);
      assert.match(failure.message, /biowrite\.llm\.timeoutSeconds/);
      assert.ok(deltas.length > 0, 'the answer had started');
      assert.equal(chats(server), 1, 'a stream that has started is not retried');
      await server.waitForClientDisconnects(1);
    });
  });

  it('gives a hanging server one deadline, not one per retry', bounded, async () => {
    await withServer(async (server) => {
      server.setHandler(() => ({ kind: 'hang' }));
      const client = new OpenAiLlmClient({ baseUrl: server.baseUrl, model: 'fake-model', maxRetries: 2, timeoutMs: 500 });
      const failure = await rejectsWithKind(client.complete({ messages: question, signal: new AbortController().signal }), 'timeout');
      assert.match(failure.message, deadlineMessage);
      assert.match(failure.message, /did not answer within 0\.5 s/);
      assert.equal(chats(server), 1, 'the deadline leaves no time for another attempt');
    });
  });

  it('retries within the same deadline: a 500, then a hang, fail at the deadline', bounded, async () => {
    await withServer(async (server) => {
      server.enqueue({ kind: 'status', status: 500, retryAfterSeconds: 0 });
      server.setHandler(() => ({ kind: 'hang' }));
      const client = new OpenAiLlmClient({ baseUrl: server.baseUrl, model: 'fake-model', maxRetries: 2, timeoutMs: 2000 });
      const failure = await rejectsWithKind(collect(client.stream({ messages: question, signal: new AbortController().signal })), 'timeout');
      assert.match(failure.message, deadlineMessage);
      assert.equal(chats(server), 2, 'one retry after the 500, then the hang used up the rest of the time');
    });
  });

  it('does not wait for a Retry-After longer than the time left: the server’s answer is reported at once', bounded, async () => {
    await withServer(async (server) => {
      server.setHandler(() => ({ kind: 'status', status: 429, retryAfterSeconds: 30 }));
      const client = new OpenAiLlmClient({ baseUrl: server.baseUrl, model: 'fake-model', maxRetries: 2, timeoutMs: 2000 });
      await rejectsWithKind(client.complete({ messages: question, signal: new AbortController().signal }), 'rateLimited');
      assert.equal(chats(server), 1);
    });
  });

  it('Stop during the wait before a retry rejects at once as cancelled, without another request', bounded, async () => {
    await withServer(async (server) => {
      server.setHandler(() => ({ kind: 'status', status: 503, retryAfterSeconds: 30 }));
      const controller = new AbortController();
      const client = new OpenAiLlmClient({
        baseUrl: server.baseUrl,
        model: 'fake-model',
        maxRetries: 2,
        timeoutMs: 60_000,
        // The 503 has arrived: the client is about to wait 30 s before retrying; stop during that wait.
        logRequest: (entry) => {
          if (entry.status === 503) setTimeout(() => controller.abort(), 20);
        },
      });
      const failure = await rejectsWithKind(client.complete({ messages: question, signal: controller.signal }), 'aborted');
      assert.doesNotMatch(failure.message, deadlineMessage);
      assert.equal(chats(server), 1);
    });
  });

  it('Stop mid-stream rejects as cancelled, not as a deadline', bounded, async () => {
    await withServer(async (server) => {
      server.enqueue({ kind: 'text', text: 'and again '.repeat(50_000), chunkSize: 5, chunkDelayMs: 5 });
      const controller = new AbortController();
      const client = new OpenAiLlmClient({ baseUrl: server.baseUrl, model: 'fake-model', maxRetries: 2, timeoutMs: 60_000 });
      const consumed = (async () => {
        let deltas = 0;
        for await (const event of client.stream({ messages: question, signal: controller.signal })) if (event.kind === 'delta' && ++deltas === 3) controller.abort();
      })();
      await rejectsWithKind(consumed, 'aborted');
      await server.waitForClientDisconnects(1);
    });
  });

  it('tells the caller why the answer ended: stop, or length when it hit maxTokens', async () => {
    const reasons: string[] = [];
    await withServer(async (server) => {
      server.enqueue({ kind: 'text', text: 'Complete.' });
      const client = new OpenAiLlmClient({ baseUrl: server.baseUrl, model: 'fake-model', maxRetries: 0 });
      await collect(client.stream({ messages: question, signal: new AbortController().signal, onFinish: (reason) => reasons.push(reason) }));
    });
    const raw = createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta: object, finish: string | null) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'fake-model', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      response.end(`${chunk({ content: 'again and again and' }, null)}${chunk({}, 'length')}data: [DONE]\n\n`);
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', () => resolve()));
    try {
      const address = raw.address();
      assert.ok(address && typeof address === 'object');
      const client = new OpenAiLlmClient({ baseUrl: `http://127.0.0.1:${address.port}/v1`, model: 'fake-model', maxRetries: 0 });
      const events = await collect(client.stream({ messages: question, signal: new AbortController().signal, maxTokens: 5, onFinish: (reason) => reasons.push(reason) }));
      assert.equal(textOf(events), 'again and again and');
    } finally {
      raw.closeAllConnections();
      await new Promise<void>((resolve) => raw.close(() => resolve()));
    }
    assert.deepEqual(reasons, ['stop', 'length']);
  });
});
