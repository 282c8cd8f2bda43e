/**
 * Citation-worthiness scorer: how likely a reader expects a source for a sentence, with a short
 * reason. A trained logistic regression (see `model.ts`, `features.ts`, `npm run train:claims`).
 */
import * as l10n from '@vscode/l10n';
import { readFileSync } from 'node:fs';
import defaultModelJson from './claimModel.json';
import { NAMED_FEATURES, fnv1a, normalizeText, sectionKindOf, tokenize, type SentenceFeatures, type SentenceForScoring } from './features';
import { compileModel, probabilityOf, type ClaimModel, type CompiledModel } from './model';

/** The scorer's input: one sentence with its headings, neighbours and position (defined in `features.ts`). */
export type { SentenceForScoring } from './features';

/** The score of one sentence. */
export interface ClaimScore {
  /** Calibrated-ish probability in [0, 1] that the sentence needs a source. */
  readonly score: number;
  /** Short human reason, e.g. "background claim with a statistic" or "reports the authors' own results". */
  readonly reason: string;
}

/** Scores sentences for citation-worthiness. Deterministic and safe on any input. */
export interface ClaimScorer {
  /** Scores one sentence; never throws. */
  score(sentence: SentenceForScoring): ClaimScore;
}

const NAMED_INDEX: ReadonlyMap<string, number> = new Map(NAMED_FEATURES.map((name, i) => [name, i]));

interface SignalGroup {
  /** The reason shown to the user, translated when a sentence is scored (not when the module loads). */
  readonly reason: () => string;
  readonly features: readonly string[];
}

const STATISTIC_GROUP: SignalGroup = { reason: () => l10n.t('background claim with a statistic'), features: ['prevalence', 'percent', 'numbers'] };
const SUPERLATIVE_GROUP: SignalGroup = { reason: () => l10n.t('claims a first, most or best'), features: ['superlative'] };

// Claim signals, each with the reason shown when it pushes the score up the most.
const CLAIM_GROUPS: readonly SignalGroup[] = [
  STATISTIC_GROUP,
  { reason: () => l10n.t('refers to prior work'), features: ['priorWork', 'etAl', 'year'] },
  { reason: () => l10n.t('hedged claim'), features: ['hedge'] },
  { reason: () => l10n.t('comparative claim'), features: ['comparative'] },
  SUPERLATIVE_GROUP,
  { reason: () => l10n.t('names a method, tool or dataset'), features: ['capitalized', 'acronyms', 'camelCase', 'versionLike', 'mixedAlnum', 'dataTool'] },
  { reason: () => l10n.t('general claim with examples'), features: ['example'] },
  { reason: () => l10n.t('general background claim'), features: ['generality', 'definition'] },
];

// Signals of the authors' own work, each with the reason shown when it pulls the score down the most.
const OWN_GROUPS: readonly SignalGroup[] = [
  { reason: ownResults, features: ['statistics', 'section:results', 'results&statistics', 'results&firstPerson'] },
  { reason: () => l10n.t('refers to a figure or table'), features: ['figureRef'] },
  { reason: ownMethods, features: ['methodVerb', 'section:methods', 'code', 'math'] },
  { reason: () => l10n.t('describes the authors\' own work'), features: ['firstPerson', 'weStart', 'ownAction', 'thisWork'] },
  { reason: () => l10n.t('a question or a lead-in'), features: ['question', 'colonEnd'] },
];

function ownResults(): string {
  return l10n.t('reports the authors\' own results');
}

function ownMethods(): string {
  return l10n.t('describes the authors\' methods');
}

function groupContribution(weights: Float64Array, features: SentenceFeatures, group: SignalGroup): number {
  let sum = 0;
  for (const name of group.features) {
    const i = NAMED_INDEX.get(name);
    if (i !== undefined) sum += weights[i] * features.named[i];
  }
  return sum;
}

function strongest(weights: Float64Array, features: SentenceFeatures, groups: readonly SignalGroup[], sign: 1 | -1): { group: SignalGroup; value: number } | undefined {
  let best: { group: SignalGroup; value: number } | undefined;
  // "The leading cause of death" or "the most common cancer" states a prevalence, not a claim to
  // be first or best: with prevalence cues present, the superlative counts towards the statistic.
  const prevalenceClaim = sign === 1 && namedValue(features, 'prevalence') > 0;
  for (const group of groups) {
    if (prevalenceClaim && group === SUPERLATIVE_GROUP) continue;
    let value = sign * groupContribution(weights, features, group);
    if (prevalenceClaim && group === STATISTIC_GROUP) value += groupContribution(weights, features, SUPERLATIVE_GROUP);
    if (value > 0.05 && (!best || value > best.value)) best = { group, value };
  }
  return best;
}

function wordContribution(compiled: CompiledModel, features: SentenceFeatures): number {
  let sum = 0;
  for (const bucket of features.hashed) sum += compiled.hashed[bucket];
  return sum;
}

/** The (at most two) words of a sentence whose word and word-pair weights push its score up the most. */
function tellingWords(compiled: CompiledModel, text: string): string[] {
  const mask = 2 ** compiled.model.features.hashBits - 1;
  const tokens = tokenize(normalizeText(text));
  const bigrams = compiled.model.features.bigrams !== false;
  const weights: { word: string; weight: number }[] = [];
  let previous = '<s>';
  for (const token of tokens) {
    let weight = compiled.hashed[fnv1a(`w:${token}`) & mask];
    if (bigrams) weight += compiled.hashed[fnv1a(`b:${previous} ${token}`) & mask];
    previous = token;
    if (!token.startsWith('<') && token.length > 1) weights.push({ word: token, weight });
  }
  const seen = new Set<string>();
  return weights
    .sort((a, b) => b.weight - a.weight)
    .filter((w) => w.weight > 0.05 && !seen.has(w.word) && seen.add(w.word))
    .slice(0, 2)
    .map((w) => w.word);
}

function namedValue(features: SentenceFeatures, name: string): number {
  const i = NAMED_INDEX.get(name);
  return i === undefined ? 0 : features.named[i];
}

function reasonFor(compiled: CompiledModel, weights: Float64Array, sentence: SentenceForScoring, features: SentenceFeatures, score: number): string {
  const section = sectionKindOf(Array.isArray(sentence.headingPath) ? sentence.headingPath : []);
  const claimLike = score >= compiled.model.suggestedThreshold * 0.75;
  if (claimLike) {
    const hedge = namedValue(features, 'hedge') > 0;
    const comparative = namedValue(features, 'comparative') > 0;
    if (hedge && comparative) return l10n.t('hedged comparison');
    const best = strongest(weights, features, CLAIM_GROUPS, 1);
    // The reason names what drove the score: when the words weigh far more than any named signal, say so.
    const words = weights === compiled.named ? wordContribution(compiled, features) : 0;
    if (words > 0.3 && words > (best?.value ?? 0) + 0.2) {
      const telling = tellingWords(compiled, typeof sentence.text === 'string' ? sentence.text : '');
      return telling.length > 0 ? l10n.t('worded like sentences that authors cite (“{0}”)', telling.join('”, “')) : l10n.t('worded like sentences that authors cite');
    }
    if (best) return best.group.reason();
    const own = strongest(weights, features, OWN_GROUPS, -1);
    if (own && own.value > 0.25) return own.group.reason();
    if (section === 'discussion' || section === 'conclusion') return l10n.t('claim in the discussion');
    return l10n.t('background claim');
  }
  const best = strongest(weights, features, OWN_GROUPS, -1);
  if (best) return best.group.reason();
  if (section === 'methods') return ownMethods();
  if (section === 'results') return ownResults();
  return l10n.t('no strong sign of a claim that needs a source');
}

/** A scorer over a compiled model. */
export function createScorer(compiled: CompiledModel): ClaimScorer {
  return {
    score(sentence: SentenceForScoring): ClaimScore {
      try {
        const { probability, features, named } = probabilityOf(compiled, sentence);
        const score = Math.min(1, Math.max(0, probability));
        return { score, reason: reasonFor(compiled, named, sentence, features, score) };
      } catch {
        // Unexpected input shapes (e.g. from untyped callers) must not break a whole check.
        return { score: 0, reason: l10n.t('could not be scored') };
      }
    },
  };
}

/** A scorer over a parsed model file; throws `InvalidModelError` when its shape is wrong. */
export function createScorerFromModel(model: unknown): ClaimScorer {
  return createScorer(compileModel(model));
}

let defaultCompiled: CompiledModel | undefined;

/** The shipped model file, compiled once. */
export function defaultModel(): CompiledModel {
  defaultCompiled ??= compileModel(defaultModelJson as unknown as ClaimModel);
  return defaultCompiled;
}

/**
 * The threshold the shipped model suggests (chosen from leave-one-manuscript-out results by
 * `npm run train:claims`): the value for `biowrite.claims.threshold` and the CLI's default.
 */
export function suggestedThreshold(): number {
  return defaultModel().model.suggestedThreshold;
}

/** Environment variable naming a model file to use instead of the shipped one (evaluation only). */
export const MODEL_OVERRIDE_ENV = 'BIOWRITE_CLAIMS_MODEL';

/**
 * The scorer of the shipped model (bundled with the extension and the CLI). When the environment
 * variable `BIOWRITE_CLAIMS_MODEL` names a model file, that file is used instead: this is how
 * `npm run eval:claims` runs the CLI with models trained without the manuscript it checks.
 */
export function loadDefaultScorer(): ClaimScorer {
  const override = typeof process !== 'undefined' ? process.env?.[MODEL_OVERRIDE_ENV] : undefined;
  if (override) return createScorerFromModel(JSON.parse(readFileSync(override, 'utf8')) as unknown);
  return createScorer(defaultModel());
}
