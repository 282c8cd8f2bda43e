/**
 * The LLM's bounded role in literature search: it may turn a sentence into search queries and
 * rerank or explain candidates. Its JSON answers are validated by hand-written validators, with one
 * repair request; on failure the caller falls back to the search without the LLM.
 *
 * It never writes a reference: reranking returns a permutation of the candidates it was given
 * (ids it made up are dropped), and explanations lose anything that looks like an identifier.
 */
import * as l10n from '@vscode/l10n';
import { MAX_LLM_QUERIES, repairMessages, rerankMessages, searchQueryMessages, type RerankCandidate } from '../llm/prompts/sources';
import { LlmError, type ChatMessage, type LlmClient } from '../llm/types';
import type { LiteratureRecord } from './types';

/** Why the LLM's help could not be used. */
export class LlmAssistError extends Error {
  /**
   * @param message What went wrong (for the log and a quiet notice; the search goes on without the LLM).
   * @param llmError The underlying LLM error, when there is one (optional).
   */
  constructor(
    message: string,
    readonly llmError?: LlmError,
  ) {
    super(message);
    this.name = 'LlmAssistError';
  }
}

/** The result of validating a model's answer. */
export type Validation<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/** Extracts the JSON object of an answer (bare, or inside a ```json fence, or after some prose). */
export function extractJson(text: string): Validation<unknown> {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const candidate = (fenced ? fenced[1] : text).trim();
  const start = candidate.indexOf('{');
  const end = candidate.lastIndexOf('}');
  if (start < 0 || end <= start) return { ok: false, problem: 'no JSON object found' };
  try {
    return { ok: true, value: JSON.parse(candidate.slice(start, end + 1)) };
  } catch (error) {
    return { ok: false, problem: `invalid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** Validates `{"queries": [string…]}`: 1 to 3 non-empty queries of at most 200 characters, without identifiers. */
export function validateQueries(value: unknown): Validation<string[]> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, problem: 'expected an object with "queries"' };
  const queries = (value as Record<string, unknown>).queries;
  if (!Array.isArray(queries)) return { ok: false, problem: '"queries" must be an array of strings' };
  const out: string[] = [];
  for (const [index, query] of queries.entries()) {
    if (typeof query !== 'string') return { ok: false, problem: `queries[${index}] is not a string` };
    const cleaned = stripIdentifiers(query).replace(/\s+/g, ' ').trim();
    if (cleaned.length === 0) continue;
    if (cleaned.length > 200) return { ok: false, problem: `queries[${index}] is longer than 200 characters` };
    if (!out.includes(cleaned)) out.push(cleaned);
  }
  if (out.length === 0) return { ok: false, problem: '"queries" holds no usable query' };
  return { ok: true, value: out.slice(0, MAX_LLM_QUERIES) };
}

/** One reranked candidate. */
export interface RankedId {
  readonly id: string;
  readonly explanation?: string;
}

/**
 * Validates `{"ranking": [{"id", "explanation"?}]}` against the ids that were offered: entries with
 * any other id (a made-up DOI, PMID or title) are dropped, duplicates kept once.
 * @param value The parsed answer.
 * @param allowed The candidate ids given to the model.
 */
export function validateRanking(value: unknown, allowed: ReadonlySet<string>): Validation<{ ranking: RankedId[]; dropped: number }> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, problem: 'expected an object with "ranking"' };
  const ranking = (value as Record<string, unknown>).ranking;
  if (!Array.isArray(ranking)) return { ok: false, problem: '"ranking" must be an array' };
  const out: RankedId[] = [];
  const seen = new Set<string>();
  let dropped = 0;
  for (const [index, entry] of ranking.entries()) {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return { ok: false, problem: `ranking[${index}] is not an object` };
    const { id, explanation } = entry as Record<string, unknown>;
    if (typeof id !== 'string') return { ok: false, problem: `ranking[${index}].id is not a string` };
    if (explanation !== undefined && typeof explanation !== 'string') return { ok: false, problem: `ranking[${index}].explanation is not a string` };
    const key = id.trim();
    if (!allowed.has(key)) {
      dropped++;
      continue;
    }
    if (seen.has(key)) continue;
    seen.add(key);
    const text = typeof explanation === 'string' ? cleanExplanation(explanation) : '';
    out.push(text ? { id: key, explanation: text } : { id: key });
  }
  return { ok: true, value: { ranking: out, dropped } };
}

const IDENTIFIER_PATTERNS: readonly RegExp[] = [
  /\b(?:https?:\/\/)?(?:dx\.)?doi\.org\/\S+/gi,
  /\bdoi:\s*\S+/gi,
  /\b10\.\d{4,9}\/[^\s"'<>]+/g,
  /\bPMID:?\s*\d+/gi,
  /\bPMC\d+/gi,
  /\bhttps?:\/\/\S+/gi,
];

/** Removes anything that looks like a DOI, PMID, PMCID or URL: the model may not supply identifiers. */
export function stripIdentifiers(text: string): string {
  let out = text;
  for (const pattern of IDENTIFIER_PATTERNS) out = out.replace(pattern, '');
  return out.replace(/\(\s*\)/g, '').replace(/\s+([,.;])/g, '$1').replace(/\s{2,}/g, ' ').trim();
}

function cleanExplanation(text: string): string {
  // Control characters (newlines included) have no place in a one-line explanation.
  const cleaned = stripIdentifiers([...text].map((c) => (c.charCodeAt(0) < 32 ? ' ' : c)).join('')).trim();
  return cleaned.length > 300 ? `${cleaned.slice(0, 297)}…` : cleaned;
}

/**
 * Sends a request and validates the answer, with one repair request when it is invalid.
 * @throws {LlmAssistError} when the model fails or answers badly twice.
 */
async function askValidated<T>(llm: LlmClient, messages: ChatMessage[], validate: (value: unknown) => Validation<T>, signal: AbortSignal): Promise<T> {
  let conversation = messages;
  for (let attempt = 0; attempt < 2; attempt++) {
    let text: string;
    try {
      text = (await llm.complete({ messages: conversation, signal, temperature: 0, maxTokens: 800, json: true })).text;
    } catch (error) {
      if (error instanceof LlmError) throw new LlmAssistError(error.message, error);
      throw new LlmAssistError(error instanceof Error ? error.message : String(error));
    }
    const parsed = extractJson(text);
    const checked = parsed.ok ? validate(parsed.value) : parsed;
    if (checked.ok) return checked.value;
    if (attempt === 0) conversation = repairMessages(messages, text, checked.problem);
    // The problem is also what the repair request tells the model, so it stays in English.
    else throw new LlmAssistError(l10n.t('The model\'s answer was not valid ({0}); searching without it.', checked.problem));
  }
  throw new LlmAssistError(l10n.t('The model gave no valid answer.'));
}

/**
 * Asks the model for search queries for a sentence.
 * @throws {LlmAssistError} on failure (the caller searches with the sentence alone).
 */
export async function suggestQueries(llm: LlmClient, sentence: string, context: string | undefined, signal: AbortSignal): Promise<string[]> {
  return askValidated(llm, searchQueryMessages(sentence, context), validateQueries, signal);
}

/** A candidate record with the id it is known by in the search. */
export interface AssistCandidate {
  readonly id: string;
  readonly record: LiteratureRecord;
}

/** A reranked candidate: always one of the records given, with the model's explanation. */
export interface RerankedCandidate extends AssistCandidate {
  readonly explanation?: string;
}

function abstractExcerpt(abstract: string | undefined): string | undefined {
  if (!abstract) return undefined;
  return abstract.length > 600 ? `${abstract.slice(0, 600)}…` : abstract;
}

/**
 * Reranks candidates with the model and adds its explanations. The result holds exactly the
 * candidates given: those the model ranked first, in its order, then the others in their original
 * order (the model may not hide a record, and cannot add one).
 * @throws {LlmAssistError} on failure (the caller keeps its own order).
 */
export async function rerankCandidates(llm: LlmClient, sentence: string, candidates: readonly AssistCandidate[], signal: AbortSignal): Promise<{ candidates: RerankedCandidate[]; dropped: number }> {
  if (candidates.length === 0) return { candidates: [], dropped: 0 };
  const shortIds = candidates.map((_, index) => `c${index + 1}`);
  const promptCandidates: RerankCandidate[] = candidates.map((candidate, index) => ({
    id: shortIds[index],
    title: candidate.record.title,
    ...(candidate.record.year !== undefined ? { year: candidate.record.year } : {}),
    ...(candidate.record.containerTitle ? { journal: candidate.record.containerTitle } : {}),
    ...(abstractExcerpt(candidate.record.abstract) ? { abstract: abstractExcerpt(candidate.record.abstract) } : {}),
  }));
  const allowed = new Set(shortIds);
  const { ranking, dropped } = await askValidated(llm, rerankMessages(sentence, promptCandidates), (value) => validateRanking(value, allowed), signal);
  const byShortId = new Map(shortIds.map((id, index) => [id, candidates[index]]));
  const out: RerankedCandidate[] = [];
  const used = new Set<string>();
  for (const entry of ranking) {
    const candidate = byShortId.get(entry.id);
    if (!candidate) continue;
    used.add(entry.id);
    out.push(entry.explanation ? { ...candidate, explanation: entry.explanation } : { ...candidate });
  }
  shortIds.forEach((id, index) => {
    if (!used.has(id)) out.push({ ...candidates[index] });
  });
  return { candidates: out, dropped };
}
