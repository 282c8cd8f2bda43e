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
  /**
   * Time one request may take as the user sees it: every attempt, the waits between them and the whole
   * (streamed) answer (optional; default: 120000).
   */
  readonly timeoutMs?: number;
  /**
   * Retries on 408/409/429/5xx and connection failures, honouring `Retry-After`, as long as they fit in
   * `timeoutMs` (optional; default: 2).
   */
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

/** Rejects as soon as `signal` fires, whatever the wrapped promise is waiting for. */
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
 * The time one request may take: its deadline covers every attempt, the waits between them and the whole
 * answer. `signal` fires at the deadline or when the caller stops, whichever comes first.
 */
class RequestBudget {
  /** Fires when the caller stops or the deadline passes. */
  readonly signal: AbortSignal;
  private readonly deadline = new AbortController();
  private readonly endsAt: number;
  private readonly timer: ReturnType<typeof setTimeout>;
  private deadlinePassed = false;

  /**
   * @param timeoutMs The time allowed.
   * @param caller The caller's signal.
   */
  constructor(
    readonly timeoutMs: number,
    readonly caller: AbortSignal,
  ) {
    this.endsAt = performance.now() + timeoutMs;
    this.timer = setTimeout(() => {
      // A stop that came first stays a stop.
      this.deadlinePassed = !caller.aborted;
      this.deadline.abort();
    }, timeoutMs);
    this.signal = AbortSignal.any([caller, this.deadline.signal]);
  }

  /** Whether the request ended because its time was up (and not because the caller stopped first). */
  get expired(): boolean {
    return this.deadlinePassed;
  }

  /** Milliseconds left before the deadline. */
  remainingMs(): number {
    return Math.max(0, this.endsAt - performance.now());
  }

  /** Waits `ms`, or rejects as soon as {@link signal} fires. */
  wait(ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(new LlmError('aborted', l10n.t('The request was cancelled.')));
      };
      const timer = setTimeout(() => {
        this.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      if (this.signal.aborted) onAbort();
      else this.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Stops the deadline timer; call when the request is over. */
  dispose(): void {
    clearTimeout(this.timer);
  }
}

/** The `Retry-After-Ms` or `Retry-After` (seconds or an HTTP date) of a response, in milliseconds. */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const milliseconds = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds)) return Math.max(0, milliseconds);
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** Whether an API error says the account's quota or billing limit is used up (OpenAI's `insufficient_quota`). */
export function isQuotaExhausted(failure: unknown): boolean {
  if (!(failure instanceof OpenAI.APIError)) return false;
  const body = failure.error as { code?: unknown; type?: unknown } | undefined;
  const codes = [failure.code, failure.type, body?.code, body?.type].filter((value): value is string => typeof value === 'string');
  return codes.some((code) => /insufficient_quota|billing_hard_limit|quota_exceeded/i.test(code));
}

/**
 * How long to wait before retrying after `failure`, or `undefined` when another attempt cannot help:
 * what the `openai` package itself would retry (408/409/429/5xx unless `x-should-retry` says otherwise,
 * connection failures), with its exponential backoff when the server names no delay.
 */
function retryDelayMs(failure: unknown, retries: number): number | undefined {
  const backoff = Math.min(500 * 2 ** retries, 8000) * (1 - Math.random() * 0.25);
  if (failure instanceof OpenAI.APIUserAbortError || failure instanceof OpenAI.APIConnectionTimeoutError) return undefined;
  if (failure instanceof OpenAI.APIConnectionError) return backoff;
  if (!(failure instanceof OpenAI.APIError) || failure.status === undefined) return undefined;
  const verdict = failure.headers?.get('x-should-retry');
  if (verdict === 'false') return undefined;
  // A 429 for a used-up quota or billing limit stays until the user acts: retrying only delays the message.
  if (failure.status === 429 && isQuotaExhausted(failure)) return undefined;
  if (verdict !== 'true' && ![408, 409, 429].includes(failure.status) && failure.status < 500) return undefined;
  return retryAfterMs(failure.headers) ?? backoff;
}

/**
 * An {@link LlmClient} for any OpenAI-compatible endpoint (OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio),
 * built on the `openai` package. Each request has one deadline (`timeoutMs`) that its retries (honouring
 * `Retry-After`) and its whole answer must fit in; every HTTP request is logged without content, and every
 * failure becomes an {@link LlmError} with a next step.
 */
export class OpenAiLlmClient implements LlmClient {
  /** The model requests go to. */
  readonly model: string;
  /** The endpoint, as configured. */
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
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
    this.maxRetries = options.maxRetries ?? 2;
    const hasKey = options.apiKey !== undefined && options.apiKey !== '';
    this.openai = new OpenAI({
      baseURL: this.baseUrl,
      // The package insists on some credential; without a key the placeholder is never sent (header removed below).
      apiKey: hasKey ? options.apiKey : 'no-key',
      organization: null,
      project: null,
      // Retries and time are ours (see send), so that they fit in one deadline and a wait can be stopped.
      maxRetries: 0,
      fetch: transportFetch(options.fetch ?? globalThis.fetch, options.logRequest, hostOf(this.baseUrl)),
      defaultHeaders: hasKey ? {} : { Authorization: null },
      logLevel: 'off',
    });
  }

  /** Sends one request and waits for the whole answer. */
  async complete(request: CompletionRequest): Promise<Completion> {
    const budget = new RequestBudget(this.timeoutMs, request.signal);
    try {
      const response = await this.send(budget, (options) => this.openai.chat.completions.create({ ...this.body(request.messages, request), stream: false }, options));
      const choices: unknown = (response as { choices?: unknown }).choices;
      const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
      const content = (first as { message?: { content?: unknown } } | undefined)?.message?.content;
      if (typeof content !== 'string' && content !== null) {
        throw new LlmError('badResponse', l10n.t('{0} sent an answer without a message. Check that “biowrite.llm.baseUrl” points at an OpenAI-compatible chat API.', hostOf(this.baseUrl)));
      }
      const finishReason = (first as { finish_reason?: unknown }).finish_reason;
      if (typeof finishReason === 'string' && finishReason !== '') request.onFinish?.(finishReason);
      const usage = toUsage(response.usage);
      return { text: content ?? '', model: typeof response.model === 'string' && response.model ? response.model : this.model, ...(usage ? { usage } : {}) };
    } catch (failure) {
      throw await this.classify(failure, budget);
    } finally {
      budget.dispose();
    }
  }

  /** Streams the answer as text deltas, then the usage when the server reports it. */
  async *stream(request: CompletionRequest): AsyncGenerator<StreamEvent, void, undefined> {
    const budget = new RequestBudget(this.timeoutMs, request.signal);
    let stream: Stream<ChatCompletionChunk> | undefined;
    let sawChunk = false;
    try {
      stream = await this.send(budget, (options) =>
        this.openai.chat.completions.create({ ...this.body(request.messages, request), stream: true, stream_options: { include_usage: true } }, options),
      );
      let finishReason: string | undefined;
      let finished = false;
      for await (const chunk of stream) {
        if (typeof chunk !== 'object' || chunk === null) {
          throw new LlmError('badResponse', l10n.t('{0} sent a stream event that is not a completion chunk.', hostOf(this.baseUrl)));
        }
        sawChunk = true;
        const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
        for (const choice of choices) {
          const text = choice?.delta?.content;
          if (typeof text === 'string' && text !== '') yield { kind: 'delta', text };
          if (choice?.finish_reason) {
            finished = true;
            finishReason = choice.finish_reason;
          }
        }
        const usage = toUsage(chunk.usage);
        if (usage) {
          // The usage chunk follows the last choice, so it too shows the answer was complete.
          finished = true;
          yield { kind: 'usage', usage };
        }
      }
      // The package ends the loop quietly when the request is aborted (by the caller or the deadline), or when the body ends early.
      if (budget.signal.aborted) throw new LlmError('aborted', l10n.t('The request was cancelled.'));
      if (!finished) {
        throw new LlmError(
          'badResponse',
          sawChunk
            ? l10n.t('{0} ended the stream before the answer was complete (no finish reason). Try again; if it keeps happening, check the server’s log or a proxy in between.', hostOf(this.baseUrl))
            : l10n.t('{0} ended the stream without any answer (no finish reason). Try again; if it keeps happening, check the server’s log or a proxy in between.', hostOf(this.baseUrl)),
        );
      }
      if (finishReason) request.onFinish?.(finishReason);
    } catch (failure) {
      throw await this.classify(failure, budget, sawChunk);
    } finally {
      budget.dispose();
      stream?.controller.abort();
    }
  }

  /**
   * The ids of the models the endpoint offers (`GET /models`), sorted.
   * @param signal Cancels the request.
   */
  async listModels(signal: AbortSignal): Promise<string[]> {
    const budget = new RequestBudget(this.timeoutMs, signal);
    try {
      const page = await this.send(budget, (options) => this.openai.models.list(options));
      const ids = page.data.map((model) => model.id).filter((id): id is string => typeof id === 'string');
      return [...new Set(ids)].sort();
    } catch (failure) {
      throw await this.classify(failure, budget);
    } finally {
      budget.dispose();
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

  /**
   * Sends a request within `budget`: once more for each parameter the model turns out to reject, and
   * again after a failure worth retrying, as long as the wait fits in the time left.
   */
  private async send<T>(budget: RequestBudget, call: (options: OpenAI.RequestOptions) => PromiseLike<T>): Promise<T> {
    let adaptations = 0;
    let retries = 0;
    for (;;) {
      try {
        const options: OpenAI.RequestOptions = {
          signal: budget.signal,
          // The package's own timer is a backstop only: the deadline, a little earlier, decides.
          timeout: Math.ceil(budget.remainingMs()) + 1000,
          headers: { 'X-Stainless-Retry-Count': String(retries) },
        };
        return await raceAbort(Promise.resolve(call(options)), budget.signal);
      } catch (failure) {
        if (budget.signal.aborted) throw failure;
        if (adaptations < 2 && this.adaptTo(failure)) {
          adaptations += 1;
          continue;
        }
        const delay = retries < this.maxRetries ? retryDelayMs(failure, retries) : undefined;
        // A wait that outlasts the deadline would only turn the server's answer into a timeout: report it now.
        if (delay === undefined || delay >= budget.remainingMs()) throw failure;
        await budget.wait(delay);
        retries += 1;
      }
    }
  }

  private async classify(failure: unknown, budget: RequestBudget, answerStarted = false): Promise<LlmError> {
    const signal = budget.caller;
    const context = { baseUrl: this.baseUrl, model: this.model, signal, timedOut: budget.expired, timeoutMs: this.timeoutMs, answerStarted };
    const error = classifyLlmFailure(budget.expired ? new Error('deadline') : failure, context);
    if (error.kind !== 'modelNotFound' || signal.aborted) return error;
    // Naming a few models the server does offer turns "not found" into a fix; skipped if it is not quick.
    const availableModels = await this.listModels(AbortSignal.any([signal, AbortSignal.timeout(5000)])).catch(() => [] as string[]);
    return availableModels.length > 0 ? classifyLlmFailure(failure, { ...context, availableModels }) : error;
  }
}

/**
 * Wraps `fetch` so that each HTTP request (retries included) leaves one log entry (status and latency,
 * never content).
 */
function transportFetch(inner: typeof fetch, logRequest: RequestLogger | undefined, host: string): typeof fetch {
  return async (input, init) => {
    const started = performance.now();
    try {
      const response = await inner(input, init);
      logRequest?.({ service: 'llm', status: response.status, latencyMs: Math.round(performance.now() - started), host });
      return response;
    } catch (failure) {
      const kind = init?.signal?.aborted ? 'aborted' : classifyLlmFailure(failure, { baseUrl: `http://${host}`, model: '' }).kind;
      logRequest?.({ service: 'llm', status: kind, latencyMs: Math.round(performance.now() - started), host });
      throw failure;
    }
  };
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
