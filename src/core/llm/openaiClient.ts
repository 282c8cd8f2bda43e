import * as l10n from '@vscode/l10n';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { Stream } from 'openai/streaming';
import { classifyLlmFailure } from './classifyError';
import {
  LlmError,
  type ChatMessage,
  type Completion,
  type CompletionRequest,
  type LlmClient,
  type RequestLogger,
  type StreamEvent,
  type TokenUsage,
} from './types';

/** How to reach an OpenAI-compatible endpoint. */
export interface OpenAiClientOptions {
  /** The API root, usually ending in `/v1` (e.g. `http://localhost:11434/v1`). */
  readonly baseUrl: string;
  /** The bearer key (optional; local servers such as Ollama need none, and then no `Authorization` header is sent). */
  readonly apiKey?: string;
  /** The model name as the endpoint knows it. */
  readonly model: string;
  /** Time one attempt may wait for the answer to start, and a stream may stay silent (optional; default: 120000). */
  readonly timeoutMs?: number;
  /** Retries on 408/409/429/5xx and connection failures, honouring `Retry-After` (optional; default: 2). */
  readonly maxRetries?: number;
  /** Receives one entry per HTTP request: service, status, latency, host; never text or keys (optional). */
  readonly logRequest?: RequestLogger;
  /** The fetch implementation (optional; default: the global `fetch`). */
  readonly fetch?: typeof fetch;
}

/** Default time one request may take. */
export const defaultTimeoutMs = 120_000;

/** The result of {@link testConnection}. */
export interface ConnectionTestResult {
  /** The model that answered, as the server names it. */
  readonly model: string;
  /** Time from request to complete answer. */
  readonly latencyMs: number;
  /** Absent when the server did not report usage. */
  readonly usage?: TokenUsage;
}

interface UsageWire {
  readonly prompt_tokens?: number;
  readonly completion_tokens?: number;
  readonly total_tokens?: number;
}

function toUsage(usage: UsageWire | null | undefined): TokenUsage | undefined {
  if (!usage || typeof usage !== 'object') return undefined;
  const promptTokens = Number(usage.prompt_tokens ?? 0);
  const completionTokens = Number(usage.completion_tokens ?? 0);
  const totalTokens = Number(usage.total_tokens ?? promptTokens + completionTokens);
  if (![promptTokens, completionTokens, totalTokens].every(Number.isFinite)) return undefined;
  return { promptTokens, completionTokens, totalTokens };
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return '';
  }
}

/** Rejects as soon as `signal` fires, even while the `openai` package sleeps before a retry. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(new LlmError('aborted', l10n.t('The request was cancelled.')));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new LlmError('aborted', l10n.t('The request was cancelled.')));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (reason: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(reason);
      },
    );
  });
}

/**
 * An {@link LlmClient} for any OpenAI-compatible endpoint (OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio),
 * built on the `openai` package: its timeout and retries (honouring `Retry-After`) apply, every HTTP
 * request is logged without content, and every failure becomes an {@link LlmError} with a next step.
 */
export class OpenAiLlmClient implements LlmClient {
  /** The model requests go to. */
  readonly model: string;
  /** The endpoint, as configured. */
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly openai: OpenAI;
  private readonly compatibility = { useMaxCompletionTokens: false, omitTemperature: false };

  /**
   * @param options Endpoint, key, model and transport options.
   * @throws LlmError of kind `notConfigured` when the base URL is not an http(s) URL or the model is empty.
   */
  constructor(options: OpenAiClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new LlmError('notConfigured', l10n.t('“{0}” is not a valid URL. Set “biowrite.llm.baseUrl” to the endpoint, e.g. http://localhost:11434/v1.', options.baseUrl));
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new LlmError('notConfigured', l10n.t('The LLM base URL must start with http:// or https://, not {0}. Fix “biowrite.llm.baseUrl”.', url.protocol));
    }
    if (options.model.trim() === '') {
      throw new LlmError('notConfigured', l10n.t('No model is set. Set “biowrite.llm.model” to a model the endpoint serves, e.g. llama3.1:8b.'));
    }
    this.model = options.model.trim();
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    const hasKey = options.apiKey !== undefined && options.apiKey !== '';
    this.openai = new OpenAI({
      baseURL: this.baseUrl,
      // The package insists on some credential; without a key the placeholder is never sent (header removed below).
      apiKey: hasKey ? options.apiKey : 'no-key',
      organization: null,
      project: null,
      timeout: this.timeoutMs,
      maxRetries: options.maxRetries ?? 2,
      fetch: transportFetch(options.fetch ?? globalThis.fetch, options.logRequest, hostOf(this.baseUrl), this.timeoutMs),
      defaultHeaders: hasKey ? {} : { Authorization: null },
      logLevel: 'off',
    });
  }

  /** Sends one request and waits for the whole answer. */
  async complete(request: CompletionRequest): Promise<Completion> {
    const { signal } = request;
    try {
      const response = await this.create(() => this.openai.chat.completions.create({ ...this.body(request.messages, request), stream: false }, { signal }), signal);
      const choices: unknown = (response as { choices?: unknown }).choices;
      const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
      const content = (first as { message?: { content?: unknown } } | undefined)?.message?.content;
      if (typeof content !== 'string' && content !== null) {
        throw new LlmError('badResponse', l10n.t('{0} sent an answer without a message. Check that “biowrite.llm.baseUrl” points at an OpenAI-compatible chat API.', hostOf(this.baseUrl)));
      }
      const usage = toUsage(response.usage);
      return { text: content ?? '', model: typeof response.model === 'string' && response.model ? response.model : this.model, ...(usage ? { usage } : {}) };
    } catch (failure) {
      throw await this.classify(failure, signal);
    }
  }

  /** Streams the answer as text deltas, then the usage when the server reports it. */
  async *stream(request: CompletionRequest): AsyncGenerator<StreamEvent, void, undefined> {
    const { signal } = request;
    let timedOut = false;
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    let stream: Stream<ChatCompletionChunk>;
    try {
      stream = await this.create(
        () => this.openai.chat.completions.create({ ...this.body(request.messages, request), stream: true, stream_options: { include_usage: true } }, { signal }),
        signal,
      );
    } catch (failure) {
      throw await this.classify(failure, signal);
    }
    // The package's timeout stops at the response headers; a stream that goes silent is ours to end.
    const armIdleTimer = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        timedOut = true;
        stream.controller.abort();
      }, this.timeoutMs);
    };
    let finished = false;
    let sawChunk = false;
    try {
      armIdleTimer();
      for await (const chunk of stream) {
        // Only waiting on the network counts as silence, not a slow consumer.
        clearTimeout(idleTimer);
        if (typeof chunk !== 'object' || chunk === null) {
          throw new LlmError('badResponse', l10n.t('{0} sent a stream event that is not a completion chunk.', hostOf(this.baseUrl)));
        }
        sawChunk = true;
        const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
        for (const choice of choices) {
          const text = choice?.delta?.content;
          if (typeof text === 'string' && text !== '') yield { kind: 'delta', text };
          if (choice?.finish_reason) finished = true;
        }
        const usage = toUsage(chunk.usage);
        if (usage) {
          // The usage chunk follows the last choice, so it too shows the answer was complete.
          finished = true;
          yield { kind: 'usage', usage };
        }
        armIdleTimer();
      }
      // The package ends the loop quietly when the request is aborted, or when the body ends early.
      if (signal.aborted) throw new LlmError('aborted', l10n.t('The request was cancelled.'));
      if (timedOut) throw classifyLlmFailure(new Error('idle'), { baseUrl: this.baseUrl, model: this.model, timedOut: true, timeoutMs: this.timeoutMs });
      if (!finished) {
        throw new LlmError(
          'badResponse',
          sawChunk
            ? l10n.t('{0} ended the stream before the answer was complete (no finish reason). Try again; if it keeps happening, check the server’s log or a proxy in between.', hostOf(this.baseUrl))
            : l10n.t('{0} ended the stream without any answer (no finish reason). Try again; if it keeps happening, check the server’s log or a proxy in between.', hostOf(this.baseUrl)),
        );
      }
    } catch (failure) {
      throw await this.classify(failure, signal, timedOut);
    } finally {
      clearTimeout(idleTimer);
      stream.controller.abort();
    }
  }

  /**
   * The ids of the models the endpoint offers (`GET /models`), sorted.
   * @param signal Cancels the request.
   */
  async listModels(signal: AbortSignal): Promise<string[]> {
    try {
      const page = await raceAbort(this.openai.models.list({ signal }), signal);
      const ids = page.data.map((model) => model.id).filter((id): id is string => typeof id === 'string');
      return [...new Set(ids)].sort();
    } catch (failure) {
      throw await this.classify(failure, signal);
    }
  }

  private body(messages: readonly ChatMessage[], request: CompletionRequest) {
    const { useMaxCompletionTokens, omitTemperature } = this.compatibility;
    return {
      model: this.model,
      messages: messages.map((message) => ({ role: message.role, content: message.content })),
      ...(request.temperature !== undefined && !omitTemperature ? { temperature: request.temperature } : {}),
      ...(request.maxTokens !== undefined ? (useMaxCompletionTokens ? { max_completion_tokens: request.maxTokens } : { max_tokens: request.maxTokens }) : {}),
      ...(request.json ? { response_format: { type: 'json_object' as const } } : {}),
    };
  }

  /**
   * Learns from a 400 that the model rejects a parameter (OpenAI's reasoning models refuse `max_tokens`
   * and non-default temperatures), so the request can be sent again without it.
   * @returns Whether something changed, i.e. whether a retry may succeed.
   */
  private adaptTo(failure: unknown): boolean {
    if (!(failure instanceof OpenAI.APIError) || failure.status !== 400) return false;
    const message = `${failure.message} ${failure.param ?? ''}`;
    if (!this.compatibility.useMaxCompletionTokens && /max_tokens/.test(message) && /max_completion_tokens/.test(message)) {
      this.compatibility.useMaxCompletionTokens = true;
      return true;
    }
    if (!this.compatibility.omitTemperature && /temperature/i.test(message) && /unsupported|not support|only the default/i.test(message)) {
      this.compatibility.omitTemperature = true;
      return true;
    }
    return false;
  }

  /** Sends a chat request, once more for each parameter the model turns out to reject. */
  private async create<T>(send: () => Promise<T>, signal: AbortSignal): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await raceAbort(send(), signal);
      } catch (failure) {
        if (attempt >= 2 || signal.aborted || !this.adaptTo(failure)) throw failure;
      }
    }
  }

  private async classify(failure: unknown, signal: AbortSignal, timedOut = false): Promise<LlmError> {
    const context = { baseUrl: this.baseUrl, model: this.model, signal, timedOut, timeoutMs: this.timeoutMs };
    const error = classifyLlmFailure(failure, context);
    if (error.kind !== 'modelNotFound' || signal.aborted) return error;
    // Naming a few models the server does offer turns "not found" into a fix; skipped if it is not quick.
    const availableModels = await this.listModels(AbortSignal.any([signal, AbortSignal.timeout(5000)])).catch(() => [] as string[]);
    return availableModels.length > 0 ? classifyLlmFailure(failure, { ...context, availableModels }) : error;
  }
}

/**
 * Wraps `fetch` so that each HTTP request (retries included) leaves one log entry (status and latency,
 * never content), and a response body that stays silent for `idleMs` fails: the `openai` package's own
 * timeout ends when the headers arrive.
 */
function transportFetch(inner: typeof fetch, logRequest: RequestLogger | undefined, host: string, idleMs: number): typeof fetch {
  return async (input, init) => {
    const started = performance.now();
    try {
      const response = await inner(input, init);
      logRequest?.({ service: 'llm', status: response.status, latencyMs: Math.round(performance.now() - started), host });
      return withBodyIdleTimeout(response, idleMs);
    } catch (failure) {
      const kind = init?.signal?.aborted ? 'aborted' : classifyLlmFailure(failure, { baseUrl: `http://${host}`, model: '' }).kind;
      logRequest?.({ service: 'llm', status: kind, latencyMs: Math.round(performance.now() - started), host });
      throw failure;
    }
  };
}

/** The error a silent body fails with; its code classifies it as a timeout. */
class BodyTimeoutError extends Error {
  readonly code = 'UND_ERR_BODY_TIMEOUT';
  constructor(idleMs: number) {
    super(`No data for ${idleMs} ms.`);
    this.name = 'BodyTimeoutError';
  }
}

/** The same response, whose body errors when no bytes arrive for `idleMs`. */
function withBodyIdleTimeout(response: Response, idleMs: number): Response {
  const source = response.body;
  if (!source) return response;
  const reader = source.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const body = new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      let timedOut = false;
      timer = setTimeout(() => {
        timedOut = true;
        const error = new BodyTimeoutError(idleMs);
        controller.error(error);
        reader.cancel(error).catch(() => undefined);
      }, idleMs);
      try {
        const { done, value } = await reader.read();
        if (timedOut) return;
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (failure) {
        if (!timedOut) controller.error(failure);
      } finally {
        clearTimeout(timer);
      }
    },
    cancel: async (reason) => {
      clearTimeout(timer);
      await reader.cancel(reason);
    },
  });
  const wrapped = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  // The package reads `url` for its own messages; keep it.
  Object.defineProperty(wrapped, 'url', { value: response.url });
  return wrapped;
}

/**
 * Makes one small request to check the endpoint, the key and the model.
 * @param client The client to check.
 * @param signal Cancels the check.
 * @returns The model that answered and the round-trip latency.
 * @throws LlmError with a next step when the check fails.
 */
export async function testConnection(client: LlmClient, signal: AbortSignal): Promise<ConnectionTestResult> {
  const started = performance.now();
  // No token limit or temperature: some models reject either, and the check must not fail for that.
  const completion = await client.complete({ messages: [{ role: 'user', content: 'Reply with the single word: ok' }], signal });
  const latencyMs = Math.round(performance.now() - started);
  return { model: completion.model || client.model, latencyMs, ...(completion.usage ? { usage: completion.usage } : {}) };
}

/** The environment variables {@link createLlmClientFromEnv} reads. */
export type LlmEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * Creates the CLI's client from environment variables: `BIOWRITE_LLM_BASE_URL`, `BIOWRITE_LLM_MODEL`,
 * `BIOWRITE_LLM_API_KEY` and `BIOWRITE_LLM_TIMEOUT_SECONDS`, else `OPENAI_BASE_URL`, `OPENAI_MODEL`, `OPENAI_API_KEY`.
 * Without a base URL it uses OpenAI's when an OpenAI key is set, otherwise a local Ollama.
 * @param env The environment (default: `process.env`).
 * @param logRequest Receives one entry per HTTP request (optional).
 * @throws LlmError of kind `notConfigured` when a variable holds an invalid value.
 */
export function createLlmClientFromEnv(env: LlmEnvironment = process.env, logRequest?: RequestLogger): OpenAiLlmClient {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const apiKey = read('BIOWRITE_LLM_API_KEY') ?? read('OPENAI_API_KEY');
  const usesOpenAi = !read('BIOWRITE_LLM_BASE_URL') && !read('OPENAI_BASE_URL') && apiKey !== undefined;
  const baseUrl = read('BIOWRITE_LLM_BASE_URL') ?? read('OPENAI_BASE_URL') ?? (usesOpenAi ? 'https://api.openai.com/v1' : 'http://localhost:11434/v1');
  const model = read('BIOWRITE_LLM_MODEL') ?? read('OPENAI_MODEL') ?? (usesOpenAi ? 'gpt-4o-mini' : 'llama3.1:8b');
  const timeoutText = read('BIOWRITE_LLM_TIMEOUT_SECONDS');
  let timeoutMs: number | undefined;
  if (timeoutText !== undefined) {
    const seconds = Number(timeoutText);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      throw new LlmError('notConfigured', l10n.t('BIOWRITE_LLM_TIMEOUT_SECONDS must be a positive number of seconds, not “{0}”.', timeoutText));
    }
    timeoutMs = Math.round(seconds * 1000);
  }
  try {
    return new OpenAiLlmClient({ baseUrl, model, ...(apiKey ? { apiKey } : {}), ...(timeoutMs ? { timeoutMs } : {}), ...(logRequest ? { logRequest } : {}) });
  } catch (failure) {
    if (failure instanceof LlmError) {
      throw new LlmError('notConfigured', failure.message.replace(/“biowrite\.llm\.(baseUrl|model)”/g, (_match, name: string) => (name === 'baseUrl' ? 'BIOWRITE_LLM_BASE_URL' : 'BIOWRITE_LLM_MODEL')));
    }
    throw failure;
  }
}
