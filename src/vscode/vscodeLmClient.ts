import * as vscode from 'vscode';
import { LlmError, type Completion, type CompletionRequest, type LlmClient, type RequestLogger, type StreamEvent } from '../core/llm/types';

/**
 * An {@link LlmClient} over VS Code's Language Model API (e.g. GitHub Copilot): the model is picked
 * by family (`biowrite.llm.model`) or is the first available one. VS Code reports no token usage.
 */
export class VscodeLmClient implements LlmClient {
  private selected: vscode.LanguageModelChat | undefined;

  /**
   * @param family The model family to prefer, e.g. `gpt-4o`; empty picks the first available model.
   * @param logRequest Receives one entry per request: status and latency, never text (optional).
   * @param timeoutMs The deadline of one request, its whole answer included (optional; default: none).
   * @param selectModel Picks the model (optional; default: `vscode.lm.selectChatModels` by family; tests pass a fake).
   */
  constructor(
    private readonly family: string,
    private readonly logRequest?: RequestLogger,
    private readonly timeoutMs?: number,
    private readonly selectModel?: () => Promise<vscode.LanguageModelChat>,
  ) {}

  /** The chosen model's id once a request has run, else the configured family. */
  get model(): string {
    return this.selected?.id ?? (this.family || 'vscode-lm');
  }

  /** Sends one request and waits for the whole answer. */
  async complete(request: CompletionRequest): Promise<Completion> {
    let text = '';
    for await (const event of this.stream(request)) {
      if (event.kind === 'delta') text += event.text;
    }
    return { text, model: this.model };
  }

  /** Streams the answer; aborting the signal cancels the request through a CancellationToken. */
  async *stream(request: CompletionRequest): AsyncGenerator<StreamEvent, void, undefined> {
    const { signal } = request;
    if (signal.aborted) throw new LlmError('aborted', 'The request was cancelled.');
    const source = new vscode.CancellationTokenSource();
    const cancel = () => source.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    const started = Date.now();
    let status: number | string = 200;
    // One deadline for the whole answer, as for OpenAI-compatible endpoints: a model that loops must not stream forever.
    let timedOut = false;
    let answering = false;
    const deadline =
      this.timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            source.cancel();
          }, this.timeoutMs)
        : undefined;
    try {
      const model = await this.pickModel();
      const messages = request.messages.map((message) =>
        message.role === 'assistant' ? vscode.LanguageModelChatMessage.Assistant(message.content) : vscode.LanguageModelChatMessage.User(message.content),
      );
      const response = await model.sendRequest(messages, { justification: vscode.l10n.t('Biowrite drafts and checks manuscript text with the model you chose.') }, source.token);
      for await (const text of response.text) {
        if (signal.aborted || timedOut) break;
        answering = true;
        if (text) yield { kind: 'delta', text };
      }
      if (timedOut) throw this.deadlineError(answering);
      if (signal.aborted) throw new LlmError('aborted', vscode.l10n.t('The request was cancelled.'));
    } catch (failure) {
      const error = timedOut && !signal.aborted ? this.deadlineError(answering) : this.classify(failure, signal);
      status = error.kind;
      throw error;
    } finally {
      clearTimeout(deadline);
      signal.removeEventListener('abort', cancel);
      source.dispose();
      this.logRequest?.({ service: 'vscode-lm', status, latencyMs: Date.now() - started });
    }
  }

  private deadlineError(answering: boolean): LlmError {
    const seconds = Math.round((this.timeoutMs ?? 0) / 1000);
    return new LlmError(
      'timeout',
      answering
        ? vscode.l10n.t('The language model was still answering after {0} s, the time allowed for one request. It may be repeating itself: try again, or raise “biowrite.llm.timeoutSeconds”.', seconds)
        : vscode.l10n.t('The language model did not answer within {0} s, the time allowed for one request. Try again, or raise “biowrite.llm.timeoutSeconds”.', seconds),
    );
  }

  private async pickModel(): Promise<vscode.LanguageModelChat> {
    if (this.selected) return this.selected;
    if (this.selectModel) return (this.selected = await this.selectModel());
    if (!vscode.lm || typeof vscode.lm.selectChatModels !== 'function') {
      throw new LlmError('notConfigured', vscode.l10n.t('This version of VS Code has no Language Model API. Set “biowrite.llm.provider” to “openai” and use an OpenAI-compatible endpoint.'));
    }
    const preferred = this.family ? await vscode.lm.selectChatModels({ family: this.family }) : [];
    const models = preferred.length > 0 ? preferred : await vscode.lm.selectChatModels();
    const model = models[0];
    if (!model) {
      throw new LlmError(
        'notConfigured',
        vscode.l10n.t('No language model is available in VS Code. Install and sign in to a model provider (e.g. GitHub Copilot), or set “biowrite.llm.provider” to “openai”.'),
      );
    }
    this.selected = model;
    return model;
  }

  private classify(failure: unknown, signal: AbortSignal): LlmError {
    if (failure instanceof LlmError) return failure;
    if (signal.aborted || failure instanceof vscode.CancellationError) return new LlmError('aborted', vscode.l10n.t('The request was cancelled.'));
    if (failure instanceof vscode.LanguageModelError) {
      this.selected = undefined;
      switch (failure.code) {
        case vscode.LanguageModelError.NoPermissions.name:
          return new LlmError('unauthorized', vscode.l10n.t('Biowrite may not use this language model yet. Allow it when VS Code asks, or check “Manage Language Model Access” in the Accounts menu.'));
        case vscode.LanguageModelError.NotFound.name:
          return new LlmError('modelNotFound', vscode.l10n.t('The language model “{0}” is no longer available. Pick another family in “biowrite.llm.model”, or leave it empty.', this.model));
        case vscode.LanguageModelError.Blocked.name:
          return new LlmError('rateLimited', vscode.l10n.t('The language model’s quota is used up for now. Wait and try again.'));
        default:
          return new LlmError('unknown', vscode.l10n.t('The language model failed: {0}', failure.message));
      }
    }
    const message = failure instanceof Error ? failure.message : String(failure);
    return new LlmError('unknown', vscode.l10n.t('The language model failed: {0}. See “Biowrite: Show Log”.', message));
  }
}
