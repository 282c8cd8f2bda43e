/**
 * Helpers for the writing tests: a client for the fake OpenAI server, and an in-memory double for pure unit tests.
 */
import { OpenAiLlmClient } from '../../../src/core/llm/openaiClient';
import type { Completion, CompletionRequest, LlmClient, StreamEvent } from '../../../src/core/llm/types';
import { after, before } from 'node:test';
import { startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest } from '../../fakes/fakeOpenAiServer';

/**
 * Starts the fake OpenAI server before a test file's tests and closes it after. Call at the top level
 * of the file; each file sets its own default reply in its `beforeEach`.
 * @returns The running server (valid inside tests and hooks).
 */
export function useFakeOpenAiServer(): () => FakeOpenAiServer {
  let server: FakeOpenAiServer | undefined;
  before(async () => {
    server = await startFakeOpenAiServer();
  });
  after(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('The fake OpenAI server is not running: use it inside a test.');
    return server;
  };
}

/**
 * The real OpenAI client pointed at the fake server, without retries so that each fault shows once.
 * @param server The fake server.
 * @param timeoutMs The client's timeout (optional; default: 5000).
 */
export function clientFor(server: FakeOpenAiServer, timeoutMs = 5000): OpenAiLlmClient {
  return new OpenAiLlmClient({ baseUrl: server.baseUrl, model: 'fake-model', maxRetries: 0, timeoutMs });
}

/** The chat messages of a recorded request. */
export function messagesOf(request: RecordedRequest): { role: string; content: string }[] {
  return ((request.body as { messages?: { role: string; content: string }[] } | undefined)?.messages ?? []);
}

/** Recorded chat requests only. */
export function chatRequests(server: FakeOpenAiServer): RecordedRequest[] {
  return server.requests.filter((request) => request.path.endsWith('/chat/completions'));
}

/** An in-memory client answering from a list (complete and stream alike). */
export class ScriptedClient implements LlmClient {
  readonly model = 'scripted';
  readonly requests: CompletionRequest[] = [];
  constructor(private readonly answers: string[]) {}
  async complete(request: CompletionRequest): Promise<Completion> {
    this.requests.push(request);
    const text = this.answers.shift();
    if (text === undefined) throw new Error('no scripted answer left');
    return { text, model: this.model, usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 } };
  }
  async *stream(request: CompletionRequest): AsyncIterable<StreamEvent> {
    const completion = await this.complete(request);
    yield { kind: 'delta', text: completion.text };
    if (completion.usage) yield { kind: 'usage', usage: completion.usage };
  }
}
