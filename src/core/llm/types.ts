/**
 * The LLM client interface shared by the extension, the CLI and the tests.
 *
 * Every call takes an AbortSignal; implementations must stop network work and
 * reject with an {@link LlmError} of kind `aborted` as soon as it fires.
 */

/** One chat message. */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** Options for one request. */
export interface CompletionRequest {
  /** The conversation, system message first. */
  readonly messages: readonly ChatMessage[];
  /** Cancels the request. */
  readonly signal: AbortSignal;
  /** Sampling temperature (optional; default: the server's). */
  readonly temperature?: number;
  /** Upper bound on generated tokens (optional; default: the server's). */
  readonly maxTokens?: number;
  /** Ask for a JSON object as the answer, where the server supports it (optional; default: false). */
  readonly json?: boolean;
  /**
   * Receives why the answer ended, as the server names it (`stop`; `length` when it reached `maxTokens`),
   * once the answer is complete (optional; clients that are not told never call it).
   */
  readonly onFinish?: (reason: string) => void;
}

/** Token usage, when the server reports it. */
export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
}

/** The answer to a non-streaming request. */
export interface Completion {
  readonly text: string;
  readonly model: string;
  /** Absent when the server did not report usage. */
  readonly usage?: TokenUsage;
}

/** One event of a streamed answer: a text delta, or the final usage. */
export type StreamEvent =
  | { readonly kind: 'delta'; readonly text: string }
  | { readonly kind: 'usage'; readonly usage: TokenUsage };

/** What can go wrong, precise enough to tell the user what to do next. */
export type LlmErrorKind =
  | 'unauthorized'
  | 'modelNotFound'
  | 'rateLimited'
  | 'server'
  | 'dns'
  | 'refused'
  | 'timeout'
  | 'tls'
  | 'aborted'
  | 'badResponse'
  | 'notConfigured'
  | 'unknown';

/** An error from an LLM client, classified by {@link LlmErrorKind}. */
export class LlmError extends Error {
  /**
   * @param kind What went wrong.
   * @param message A sentence for the user, with a next step.
   * @param status The HTTP status, when there was one (optional).
   */
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

/** A chat-completion client: OpenAI-compatible endpoints, VS Code's Language Model API, or a test double. */
export interface LlmClient {
  /** The model requests go to, for display and logs. */
  readonly model: string;
  /** Sends one request and waits for the whole answer. */
  complete(request: CompletionRequest): Promise<Completion>;
  /**
   * Streams the answer as text deltas; a final `usage` event follows when the server reports it.
   * Breaking out of the loop or aborting the signal cancels the request.
   */
  stream(request: CompletionRequest): AsyncIterable<StreamEvent>;
}

/** Called after each HTTP request, for the log channel: never text or keys. */
export type RequestLogger = (entry: RequestLogEntry) => void;

/** One line of the request log. */
export interface RequestLogEntry {
  /** The service, e.g. `llm`, `pubmed`, `crossref`. */
  readonly service: string;
  /** The HTTP status, or an error kind when there was no response. */
  readonly status: number | string;
  readonly latencyMs: number;
  /** Host only, never the query string. */
  readonly host?: string;
}
