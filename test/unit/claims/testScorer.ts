// A deterministic stand-in for the trained scorer, so tests pin the checker's behaviour, not the model's.
import type { ClaimScorer, SentenceForScoring } from '../../../src/core/claims/scorer';

/** Scores 0.9 for sentences that read like background claims, 0.1 for the authors' own work. */
export const testScorer: ClaimScorer & { readonly seen: SentenceForScoring[] } = {
  seen: [],
  score(sentence: SentenceForScoring) {
    this.seen.push(sentence);
    const own = /^(?:We|Our|Figure|Table)\b/.test(sentence.text);
    const claim = /\b(?:is|are|has|have|suggests?|shown|most|widely)\b/.test(sentence.text);
    return own || !claim ? { score: 0.1, reason: "describes the authors' own work" } : { score: 0.9, reason: 'background claim' };
  },
};
