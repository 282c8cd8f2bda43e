/**
 * A fake OpenAI-compatible server for tests: Node http on 127.0.0.1, a random port, the real wire
 * protocol (`GET /v1/models`, `POST /v1/chat/completions` with and without SSE streaming), scripted
 * replies, latency and faults.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** One request the server received. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body; `undefined` when there was none or it was not JSON. */
  readonly body: unknown;
}

/** How the server answers one chat request. */
export type FakeReply =
  | {
      readonly kind: 'text';
      readonly text: string;
      /** Wait before the response starts (optional; default: 0). */
      readonly latencyMs?: number;
      /** Wait between stream chunks (optional; default: 0). */
      readonly chunkDelayMs?: number;
      /** Characters per stream chunk (optional; default: 4). */
      readonly chunkSize?: number;
      /** Report token usage (optional; default: true). */
      readonly usage?: boolean;
    }
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterSeconds?: number; readonly body?: string }
  | { readonly kind: 'hang' }
  | { readonly kind: 'malformedJson' }
  | {
      readonly kind: 'truncatedStream';
      readonly text: string;
      readonly cutAfterChunks: number;
      /** `end` closes the response cleanly without `[DONE]`; `destroy` drops the socket (optional; default: `end`). */
      readonly mode?: 'end' | 'destroy';
    };

/** Options of {@link startFakeOpenAiServer}. */
export interface FakeOpenAiServerOptions {
  /** Models listed by `/v1/models` and accepted by chat requests (optional; default: `['fake-model', 'fake-model-large']`). */
  readonly models?: readonly string[];
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401 (optional). */
  readonly apiKey?: string;
}

/** A running fake server. */
export interface FakeOpenAiServer {
  /** E.g. `http://127.0.0.1:41234/v1`. */
  readonly baseUrl: string;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Queues replies, used in order, one per chat request. */
  enqueue(...replies: FakeReply[]): void;
  /** Answers chat requests when the queue is empty (default: echoes the last user message). */
  setHandler(handler: (request: RecordedRequest) => FakeReply): void;
  /**
   * Resolves once clients have abandoned at least `atLeast` responses before they ended (e.g. an aborted stream).
   * @param atLeast How many abandoned responses to wait for (optional; default: 1).
   * @param timeoutMs Rejects after this long (optional; default: 5000).
   */
  waitForClientDisconnects(atLeast?: number, timeoutMs?: number): Promise<void>;
  /** Number of responses the client abandoned before they ended. */
  readonly clientDisconnects: number;
  /** Stops the server, destroying open sockets (hanging requests included). */
  close(): Promise<void>;
}

/** The default handler's deterministic answer: `Echo: ` and the last user message. */
export function defaultFakeReply(request: RecordedRequest): FakeReply {
  const messages = (request.body as { messages?: { role?: string; content?: unknown }[] } | undefined)?.messages ?? [];
  const lastUser = [...messages].reverse().find((message) => message.role === 'user');
  return { kind: 'text', text: `Echo: ${typeof lastUser?.content === 'string' ? lastUser.content : ''}` };
}

const created = 1_700_000_000;

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function countTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function sendJson(response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  response.end(body);
}

function openAiError(message: string, type: string, code: string | null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function splitText(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let index = 0; index < text.length; index += size) parts.push(text.slice(index, index + size));
  return parts;
}

/**
 * Starts a fake OpenAI-compatible server on 127.0.0.1 at a random port.
 * @param options Models and the accepted key (optional).
 */
export async function startFakeOpenAiServer(options: FakeOpenAiServerOptions = {}): Promise<FakeOpenAiServer> {
  const models = options.models ?? ['fake-model', 'fake-model-large'];
  const requests: RecordedRequest[] = [];
  const queue: FakeReply[] = [];
  const sockets = new Set<Socket>();
  let handler: (request: RecordedRequest) => FakeReply = defaultFakeReply;
  let clientDisconnects = 0;
  let disconnectWaiters: { atLeast: number; resolve: () => void }[] = [];
  let closed = false;

  const noteDisconnect = () => {
    clientDisconnects += 1;
    const ready = disconnectWaiters.filter((waiter) => clientDisconnects >= waiter.atLeast);
    disconnectWaiters = disconnectWaiters.filter((waiter) => clientDisconnects < waiter.atLeast);
    ready.forEach((waiter) => waiter.resolve());
  };

  async function writeChunks(response: ServerResponse, chunks: readonly object[], delayMs: number): Promise<boolean> {
    for (const chunk of chunks) {
      if (response.destroyed || response.writableEnded || closed) return false;
      response.write(`data: ${JSON.stringify(chunk)}\n\n`);
      await sleep(delayMs);
    }
    return !response.destroyed;
  }

  function chunkOf(id: string, model: string, delta: object, finishReason: string | null) {
    return { id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
  }

  async function answerChat(recorded: RecordedRequest, response: ServerResponse): Promise<void> {
    const body = (recorded.body ?? {}) as { model?: unknown; stream?: unknown; stream_options?: { include_usage?: unknown }; messages?: unknown };
    if (typeof body.model !== 'string' || !Array.isArray(body.messages)) {
      sendJson(response, 400, openAiError('Request body must have a model and messages.', 'invalid_request_error', null, typeof body.model !== 'string' ? 'model' : 'messages'));
      return;
    }
    if (!models.includes(body.model)) {
      sendJson(response, 404, openAiError(`The model \`${body.model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found'));
      return;
    }
    const reply = queue.shift() ?? handler(recorded);
    const model = body.model;
    const streaming = body.stream === true;
    const includeUsage = body.stream_options?.include_usage === true;
    const id = `chatcmpl-fake${requests.length}`;
    const promptText = (body.messages as { content?: unknown }[]).map((message) => (typeof message.content === 'string' ? message.content : '')).join(' ');

    switch (reply.kind) {
      case 'status': {
        const headers: Record<string, string> = reply.retryAfterSeconds !== undefined ? { 'retry-after': String(reply.retryAfterSeconds) } : {};
        if (reply.body !== undefined) {
          response.writeHead(reply.status, { 'content-type': 'application/json', ...headers });
          response.end(reply.body);
        } else {
          const type = reply.status === 401 ? 'invalid_request_error' : reply.status === 429 ? 'rate_limit_exceeded' : reply.status >= 500 ? 'server_error' : 'invalid_request_error';
          sendJson(response, reply.status, openAiError(`Fake status ${reply.status}.`, type, reply.status === 401 ? 'invalid_api_key' : null), headers);
        }
        return;
      }
      case 'hang':
        // Never answers; close() destroys the socket.
        return;
      case 'malformedJson':
        if (streaming) {
          response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
          response.write(`data: ${JSON.stringify(chunkOf(id, model, { role: 'assistant', content: '' }, null))}\n\n`);
          response.write('data: {"id": "chatcmpl-broken", "choices": [{"delta": {"content": "oops\n\n');
          response.end();
        } else {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end('{"id": "chatcmpl-broken", "object": "chat.completion", "choices": [{"message": {"content": "oo');
        }
        return;
      case 'truncatedStream': {
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        const parts = splitText(reply.text, 4).slice(0, Math.max(0, reply.cutAfterChunks));
        await writeChunks(response, parts.map((part) => chunkOf(id, model, { content: part }, null)), 5);
        if (reply.mode === 'destroy') response.socket?.destroy();
        else response.end();
        return;
      }
      case 'text': {
        await sleep(reply.latencyMs ?? 0);
        if (response.destroyed || closed) return;
        const usage = { prompt_tokens: countTokens(promptText), completion_tokens: countTokens(reply.text), total_tokens: countTokens(promptText) + countTokens(reply.text) };
        const reportUsage = reply.usage !== false;
        if (!streaming) {
          sendJson(response, 200, {
            id,
            object: 'chat.completion',
            created,
            model,
            choices: [{ index: 0, message: { role: 'assistant', content: reply.text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
            ...(reportUsage ? { usage } : {}),
          });
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        const chunks: object[] = [chunkOf(id, model, { role: 'assistant', content: '' }, null)];
        for (const part of splitText(reply.text, Math.max(1, reply.chunkSize ?? 4))) chunks.push(chunkOf(id, model, { content: part }, null));
        chunks.push(chunkOf(id, model, {}, 'stop'));
        if (includeUsage && reportUsage) chunks.push({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
        if (await writeChunks(response, chunks, reply.chunkDelayMs ?? 0)) {
          response.write('data: [DONE]\n\n');
          response.end();
        }
        return;
      }
      default: {
        const _exhaustive: never = reply;
        throw new Error(`Unknown reply ${JSON.stringify(_exhaustive)}`);
      }
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const recorded: RecordedRequest = { method: request.method ?? 'GET', path, headers: { ...request.headers }, body };
    requests.push(recorded);
    response.on('close', () => {
      if (!response.writableFinished) noteDisconnect();
    });

    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      sendJson(response, 401, openAiError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'));
      return;
    }
    if (request.method === 'GET' && path === '/v1/models') {
      sendJson(response, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created, owned_by: 'fake' })) });
      return;
    }
    if (request.method === 'POST' && path === '/v1/chat/completions') {
      if (text && body === undefined) {
        sendJson(response, 400, openAiError('Request body is not valid JSON.', 'invalid_request_error', null));
        return;
      }
      await answerChat(recorded, response);
      return;
    }
    sendJson(response, 404, openAiError(`Unknown request URL: ${request.method} ${path}.`, 'invalid_request_error', 'unknown_url'));
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((failure: unknown) => {
      if (!response.headersSent) sendJson(response, 500, openAiError(String(failure), 'server_error', null));
      else response.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The fake server has no TCP address.');

  return {
    baseUrl: `http://127.0.0.1:${address.port}/v1`,
    requests,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    setHandler: (next) => {
      handler = next;
    },
    get clientDisconnects() {
      return clientDisconnects;
    },
    waitForClientDisconnects: (atLeast = 1, timeoutMs = 5000) =>
      new Promise<void>((resolve, reject) => {
        if (clientDisconnects >= atLeast) {
          resolve();
          return;
        }
        const timer = setTimeout(() => reject(new Error(`Fewer than ${atLeast} client disconnects within ${timeoutMs} ms.`)), timeoutMs);
        disconnectWaiters.push({
          atLeast,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
    close: async () => {
      closed = true;
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
