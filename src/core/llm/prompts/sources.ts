/**
 * Prompts for the LLM's bounded role in literature search: turning a sentence into search queries,
 * and reranking and explaining candidates it is given. Pure functions: text in, messages out.
 * The model never supplies references: it sees candidates under short ids (`c1`, `c2`…) and may
 * only refer to those.
 */
import type { ChatMessage } from '../types';

/** A candidate as the reranking prompt shows it. */
export interface RerankCandidate {
  /** Short id the model must answer with (`c1`…). */
  readonly id: string;
  readonly title: string;
  readonly year?: number;
  readonly journal?: string;
  /** A few sentences of the abstract, when there is one. */
  readonly abstract?: string;
}

/** Most search queries the model may propose. */
export const MAX_LLM_QUERIES = 3;

/**
 * Messages asking for search queries for a sentence, answered as `{"queries": ["…"]}`.
 * @param sentence The sentence to support.
 * @param context The paragraph around it (optional).
 */
export function searchQueryMessages(sentence: string, context?: string): ChatMessage[] {
  const system = [
    'You help a biomedical researcher find published papers that support a sentence of their manuscript.',
    `Write up to ${MAX_LLM_QUERIES} short keyword queries (3 to 8 words each) for PubMed and similar literature databases.`,
    'Use the key concepts, gene and protein symbols, methods and diseases of the sentence; expand acronyms where useful.',
    'Do not write references, DOIs, PMIDs, authors or titles.',
    'Answer with JSON only, exactly: {"queries": ["query one", "query two"]}',
  ].join(' ');
  const user = context && context.trim() !== sentence.trim() ? `Paragraph (for context):\n${context.trim()}\n\nSentence:\n${sentence.trim()}` : `Sentence:\n${sentence.trim()}`;
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

/**
 * Messages asking to rerank candidates for a sentence, answered as
 * `{"ranking": [{"id": "c2", "explanation": "…"}]}` with only the candidates' ids.
 * @param sentence The sentence to support.
 * @param candidates The candidates, with short ids.
 */
export function rerankMessages(sentence: string, candidates: readonly RerankCandidate[]): ChatMessage[] {
  const system = [
    'You help a biomedical researcher choose which of the candidate papers below support a sentence of their manuscript.',
    'Rank the candidates that support the sentence, best first; leave out those that do not.',
    'For each, give a one-sentence explanation (at most 30 words) of what in the paper supports the sentence.',
    'Refer to candidates only by their id (c1, c2, …). Never invent papers, DOIs, PMIDs or titles.',
    'Answer with JSON only, exactly: {"ranking": [{"id": "c1", "explanation": "…"}]}',
  ].join(' ');
  const list = candidates
    .map((c) => {
      const meta = [c.journal, c.year].filter((v) => v !== undefined && v !== '').join(', ');
      return `[${c.id}] ${c.title}${meta ? ` (${meta})` : ''}${c.abstract ? `\n  Abstract: ${c.abstract}` : ''}`;
    })
    .join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: `Sentence:\n${sentence.trim()}\n\nCandidates:\n${list}` },
  ];
}

/**
 * Messages asking the model to fix an answer that did not match the expected JSON.
 * @param original The messages of the first request.
 * @param answer The invalid answer.
 * @param problem What was wrong with it.
 */
export function repairMessages(original: readonly ChatMessage[], answer: string, problem: string): ChatMessage[] {
  return [
    ...original,
    { role: 'assistant', content: answer.slice(0, 4000) },
    { role: 'user', content: `That answer is not valid: ${problem}. Answer again with JSON only, in exactly the format asked for.` },
  ];
}
