/**
 * One "find sources" search: the library first (at once), then the online services as they answer,
 * with the LLM (when configured) proposing queries and reranking and explaining each source's
 * results. Every result is a record from the library or a service; the LLM only reorders them.
 */
import type { LlmClient } from '../llm/types';
import { findIdentifiers, summariseFindings, type IdentifierFinding } from '../privacy/identifiers';
import type { InSituReason } from './library/inSitu';
import { LibraryIndex, type LibraryQuery } from './library/librarySearch';
import { LlmAssistError, rerankCandidates, suggestQueries } from './llmAssist';
import { isSearchFailure, searchOnline, type SearchOnlineOptions } from './searchOnline';
import type { LiteratureRecord, LiteratureSource } from './types';

/** What an online search reports: one service's records, or its failure. */
export type OnlineEvent =
  | { readonly kind: 'results'; readonly source: LiteratureSource; readonly records: readonly LiteratureRecord[] }
  | { readonly kind: 'error'; readonly source: LiteratureSource; readonly message: string };

/** What is searched online: the sentence (the services turn it into keyword queries) and the LLM's phrasings. */
export interface OnlineSearchQuery {
  readonly text: string;
  readonly queries: readonly string[];
}

/** Runs the online services for a query, yielding each service's answer as it arrives. */
export type OnlineSearch = (query: OnlineSearchQuery, signal: AbortSignal) => AsyncIterable<OnlineEvent>;

/**
 * The online search over `searchOnline` (every service in parallel, cached, rate-limited).
 * A stopped service reports nothing (the search is over); other failures carry the service's message.
 * @param options Services, size, configuration, cache and logger (the signal is given per search).
 */
export function onlineSearch(options: Omit<SearchOnlineOptions, 'signal'>): OnlineSearch {
  return async function* (query, signal) {
    for await (const event of searchOnline({ text: query.text, queries: query.queries }, { ...options, signal })) {
      if (isSearchFailure(event)) {
        if (event.error.kind !== 'aborted') yield { kind: 'error', source: event.source, message: event.error.message };
      } else yield { kind: 'results', source: event.source, records: event.records };
    }
  };
}

/**
 * Wraps an online search so that likely patient identifiers never leave the machine: they are cut
 * out of the sentence and of the LLM's phrasings before any service sees the query. The library,
 * searched locally, still gets the whole sentence.
 * @param search The online search to protect.
 * @param onRemoved Called once per search that had identifiers, with what was removed (e.g. "1 phone number").
 * @returns The protected search.
 */
export function withoutIdentifiers(search: OnlineSearch, onRemoved: (summary: string) => void): OnlineSearch {
  return (query, signal) => {
    const texts = [query.text, ...query.queries];
    const findings = texts.map((text) => findIdentifiers(text));
    if (findings.every((list) => list.length === 0)) return search(query, signal);
    onRemoved(summariseFindings(findings.flat()));
    const [text, ...queries] = texts.map((value, index) => removeSpans(value, findings[index]));
    return search({ text, queries }, signal);
  };
}

// Spaces rather than `[REDACTED-…]` labels: the services turn the text into keywords, and a label would become one.
function removeSpans(text: string, findings: readonly IdentifierFinding[]): string {
  let result = '';
  let cursor = 0;
  for (const finding of [...findings].sort((a, b) => a.start - b.start)) {
    if (finding.start < cursor) continue;
    result += `${text.slice(cursor, finding.start)} `;
    cursor = finding.end;
  }
  return (result + text.slice(cursor)).replace(/\s{2,}/g, ' ').trim();
}

/** One ranked hit of a search. */
export interface SearchHit {
  readonly record: LiteratureRecord;
  readonly score: number;
  /** The LLM's explanation (identifiers removed), when there is one. */
  readonly explanation?: string;
  /** How the manuscript already cites it (library hits of an in-situ search), when it does. */
  readonly inSitu?: InSituReason;
}

/** What a search reports, in order. */
export type SearchEvent =
  | { readonly kind: 'results'; readonly source: LiteratureSource; readonly hits: readonly SearchHit[] }
  | { readonly kind: 'error'; readonly source: LiteratureSource; readonly message: string }
  /** The LLM could not help; the search went on without it. */
  | { readonly kind: 'llmProblem'; readonly message: string };

/** Input of {@link findSources}. */
export interface FindSourcesInput {
  /** The sentence or free query. */
  readonly text: string;
  /** The paragraph around the sentence (optional). */
  readonly context?: string;
  /** The library, when there is one. */
  readonly library?: LibraryIndex;
  /** The manuscript the sentence is in and where, so that what it already cites ranks the library (optional). */
  readonly inSitu?: LibraryQuery['inSitu'];
  /** The online search, when online services are enabled. */
  readonly online?: OnlineSearch;
  /** The LLM, when one is configured. */
  readonly llm?: LlmClient;
  /** Results per source. */
  readonly maxResults: number;
  readonly signal: AbortSignal;
  /** Longest wait for one LLM answer before searching on without it (optional; default: 20000). */
  readonly llmTimeoutMs?: number;
}

/** The search's signal, also aborted when one LLM request takes too long. */
function llmSignal(input: FindSourcesInput): AbortSignal {
  return AbortSignal.any([input.signal, AbortSignal.timeout(input.llmTimeoutMs ?? 20_000)]);
}

async function rerank(input: FindSourcesInput, hits: SearchHit[], problems: string[]): Promise<SearchHit[]> {
  if (!input.llm || hits.length < 2) return hits;
  try {
    const { candidates } = await rerankCandidates(
      input.llm,
      input.text,
      hits.map((hit, index) => ({ id: String(index), record: hit.record })),
      llmSignal(input),
    );
    return candidates.map((candidate) => {
      const hit = hits[Number(candidate.id)];
      return candidate.explanation ? { ...hit, explanation: candidate.explanation } : hit;
    });
  } catch (error) {
    if (input.signal.aborted) throw error;
    problems.push(error instanceof LlmAssistError ? error.message : String(error));
    return hits;
  }
}

/**
 * Searches the library and online services for a sentence.
 * Yields the library's results first, then each service's as they arrive; one service's error never
 * hides the others. Stops when the signal aborts.
 */
export async function* findSources(input: FindSourcesInput): AsyncGenerator<SearchEvent> {
  const problems: string[] = [];
  const flushProblems = function* (): Generator<SearchEvent> {
    // One notice is enough: the same failure tends to repeat for each source.
    if (problems.length > 0) yield { kind: 'llmProblem', message: problems[0] };
    problems.length = 0;
  };
  if (input.library) {
    const hits = input.library.search({ text: input.text, ...(input.context ? { context: input.context } : {}), ...(input.inSitu ? { inSitu: input.inSitu } : {}) }, input.maxResults);
    yield { kind: 'results', source: 'library', hits };
  }
  let queries: string[] = [];
  if (input.llm) {
    try {
      queries = await suggestQueries(input.llm, input.text, input.context, llmSignal(input));
    } catch (error) {
      if (input.signal.aborted) return;
      problems.push(error instanceof LlmAssistError ? error.message : String(error));
    }
  }
  if (input.library && input.llm) {
    const hits = input.library.search(
      { text: input.text, ...(input.context ? { context: input.context } : {}), extraQueries: queries, ...(input.inSitu ? { inSitu: input.inSitu } : {}) },
      input.maxResults,
    );
    const reranked = await rerank(input, hits, problems);
    if (input.signal.aborted) return;
    yield { kind: 'results', source: 'library', hits: reranked };
  }
  yield* flushProblems();
  if (!input.online || input.signal.aborted) return;
  // Without an LLM the services search the sentence's keywords (see `keywordQuery`).
  for await (const event of input.online({ text: input.text, queries }, input.signal)) {
    if (input.signal.aborted) return;
    if (event.kind === 'error') {
      yield event;
      continue;
    }
    const hits = event.records.slice(0, input.maxResults).map((record, index) => ({ record, score: Math.round((1 - index / Math.max(1, event.records.length)) * 1000) / 1000 }));
    const reranked = await rerank(input, hits, problems);
    if (input.signal.aborted) return;
    yield { kind: 'results', source: event.source, hits: reranked };
    yield* flushProblems();
  }
}
