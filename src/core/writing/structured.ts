/**
 * Structured answers from a model: parse JSON, validate it with a hand-written validator, and on
 * failure ask once more with the validation error before failing clearly.
 */
import type { ChatMessage, LlmClient, TokenUsage } from '../llm/types';
import { buildRepairMessages } from '../llm/prompts/abstract';

/** What a validator says about a parsed answer. */
export type Validation<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** The outcome of {@link completeStructured}. */
export type StructuredResult<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number; readonly usage: TokenUsage }
  | { readonly ok: false; readonly error: string; readonly attempts: number; readonly usage: TokenUsage };

/** Zero token usage, the start of a sum. */
export const noUsage: TokenUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };

/**
 * Adds two token usages.
 * @param a A usage.
 * @param b Another usage (optional).
 * @returns The sum.
 */
export function addUsage(a: TokenUsage, b: TokenUsage | undefined): TokenUsage {
  if (!b) return a;
  return { promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens, totalTokens: a.totalTokens + b.totalTokens };
}

/**
 * Pulls the JSON object out of an answer: the whole answer, or the first `{…}` block (models wrap JSON in prose or fences).
 * @param answer The model's text.
 * @returns The parsed value, or a validation error.
 */
export function parseJsonAnswer(answer: string): Validation<unknown> {
  const trimmed = answer.trim().replace(/^```(?:json)?\s*/i, '').replace(/\s*```$/, '');
  const candidates = [trimmed];
  const first = trimmed.indexOf('{');
  const last = trimmed.lastIndexOf('}');
  if (first >= 0 && last > first) candidates.push(trimmed.slice(first, last + 1));
  for (const candidate of candidates) {
    try {
      return { ok: true, value: JSON.parse(candidate) as unknown };
    } catch {
      // Try the next candidate.
    }
  }
  return { ok: false, error: 'the answer is not a JSON object' };
}

/**
 * Asks for a JSON answer, validates it, and repairs once with the validation error.
 * Transport errors (LlmError) propagate; only invalid answers are repaired.
 * @param client The LLM client.
 * @param messages The request.
 * @param validate Checks the parsed JSON and narrows its type.
 * @param schema The expected shape, described for the repair request.
 * @param signal Cancels the requests.
 * @returns The valid value, or the last validation error.
 */
export async function completeStructured<T>(
  client: LlmClient,
  messages: readonly ChatMessage[],
  validate: (value: unknown) => Validation<T>,
  schema: string,
  signal: AbortSignal,
): Promise<StructuredResult<T>> {
  let usage = noUsage;
  let request = messages;
  let lastError = '';
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    const completion = await client.complete({ messages: request, signal, json: true, temperature: 0 });
    usage = addUsage(usage, completion.usage);
    const parsed = parseJsonAnswer(completion.text);
    const checked = parsed.ok ? validate(parsed.value) : parsed;
    if (checked.ok) return { ok: true, value: checked.value, attempts: attempt, usage };
    lastError = checked.error;
    request = buildRepairMessages(messages, completion.text, checked.error, schema);
  }
  return { ok: false, error: lastError, attempts: 2, usage };
}
