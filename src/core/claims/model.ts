/**
 * The citation-worthiness model file: a logistic regression over hashed and named features,
 * with a Platt calibration fitted on held-out scores. Produced by `npm run train:claims`.
 */
import { NAMED_FEATURES, extractFeatures, type FeatureOptions, type SentenceFeatures, type SentenceForScoring } from './features';

/** The JSON shape of a trained model. */
export interface ClaimModel {
  /** Always `"biowrite-claims"`. */
  readonly format: 'biowrite-claims';
  /** Format version, currently 1. */
  readonly version: 1;
  /** Feature extraction options the weights were trained with. */
  readonly features: FeatureOptions;
  /** Intercept of the logistic regression. */
  readonly bias: number;
  /** Weights of the hash buckets, `2 ** features.hashBits` of them. */
  readonly hashedWeights: readonly number[];
  /** Weights of the named features by name (missing names weigh 0). */
  readonly namedWeights: Readonly<Record<string, number>>;
  /** Platt calibration of the raw logit: score = sigmoid(a · logit + b). */
  readonly calibration: { readonly a: number; readonly b: number };
  /** Threshold chosen from held-out results (informational; the setting decides). */
  readonly suggestedThreshold: number;
  /** Provenance: what the model was trained on and how. */
  readonly training: Readonly<Record<string, unknown>>;
  /**
   * A second model over the named features only (optional): it scores sentences in languages the
   * word features were not trained on (Korean), through the signals every language shares
   * (statistics, figures, years, names of tools) and each language's cue phrases.
   */
  readonly languageIndependent?: {
    readonly bias: number;
    readonly namedWeights: Readonly<Record<string, number>>;
    readonly calibration: { readonly a: number; readonly b: number };
  };
}

/** The named-features-only model, laid out for scoring. */
export interface CompiledLanguageIndependentModel {
  readonly bias: number;
  readonly named: Float64Array;
  readonly calibration: { readonly a: number; readonly b: number };
}

/** A model ready to score: the file's weights laid out for fast lookup. */
export interface CompiledModel {
  /** The model as loaded. */
  readonly model: ClaimModel;
  /** Hashed weights as a typed array. */
  readonly hashed: Float64Array;
  /** Named weights, indexed like {@link NAMED_FEATURES}. */
  readonly named: Float64Array;
  /** The named-features-only model, when the file has one. */
  readonly languageIndependent?: CompiledLanguageIndependentModel;
}

/** Thrown when a model file does not have the expected shape. */
export class InvalidModelError extends Error {
  /** @param message what is wrong with the file */
  constructor(message: string) {
    super(`Invalid claims model: ${message}`);
    this.name = 'InvalidModelError';
  }
}

/** Checks the shape of a parsed model file and lays it out for scoring; throws {@link InvalidModelError}. */
export function compileModel(value: unknown): CompiledModel {
  if (typeof value !== 'object' || value === null) throw new InvalidModelError('not an object');
  const m = value as Partial<ClaimModel>;
  if (m.format !== 'biowrite-claims' || m.version !== 1) throw new InvalidModelError('unknown format or version');
  const bits = m.features?.hashBits;
  if (typeof bits !== 'number' || !Number.isInteger(bits) || bits < 4 || bits > 22) throw new InvalidModelError('bad hashBits');
  if (!Array.isArray(m.hashedWeights) || m.hashedWeights.length !== 2 ** bits) throw new InvalidModelError('hashedWeights length does not match hashBits');
  if (typeof m.bias !== 'number' || !Number.isFinite(m.bias)) throw new InvalidModelError('bad bias');
  if (typeof m.namedWeights !== 'object' || m.namedWeights === null) throw new InvalidModelError('missing namedWeights');
  const a = m.calibration?.a;
  const b = m.calibration?.b;
  if (typeof a !== 'number' || typeof b !== 'number' || !Number.isFinite(a) || !Number.isFinite(b)) throw new InvalidModelError('bad calibration');
  const hashed = Float64Array.from(m.hashedWeights, (w) => (typeof w === 'number' && Number.isFinite(w) ? w : 0));
  const named = new Float64Array(NAMED_FEATURES.length);
  NAMED_FEATURES.forEach((name, i) => {
    const w = m.namedWeights?.[name];
    named[i] = typeof w === 'number' && Number.isFinite(w) ? w : 0;
  });
  const li = m.languageIndependent;
  let languageIndependent: CompiledLanguageIndependentModel | undefined;
  if (li !== undefined) {
    const la = li?.calibration?.a;
    const lb = li?.calibration?.b;
    if (typeof li !== 'object' || li === null || typeof li.bias !== 'number' || !Number.isFinite(li.bias) || typeof li.namedWeights !== 'object' || li.namedWeights === null) {
      throw new InvalidModelError('bad languageIndependent model');
    }
    if (typeof la !== 'number' || typeof lb !== 'number' || !Number.isFinite(la) || !Number.isFinite(lb)) throw new InvalidModelError('bad languageIndependent calibration');
    const liNamed = new Float64Array(NAMED_FEATURES.length);
    NAMED_FEATURES.forEach((name, i) => {
      const w = li.namedWeights[name];
      liNamed[i] = typeof w === 'number' && Number.isFinite(w) ? w : 0;
    });
    languageIndependent = { bias: li.bias, named: liNamed, calibration: { a: la, b: lb } };
  }
  return { model: m as ClaimModel, hashed, named, ...(languageIndependent ? { languageIndependent } : {}) };
}

const HANGUL_SYLLABLE = /[\uac00-\ud7a3]/g;
const LATIN_LETTER = /[A-Za-z]/g;

/**
 * Whether a sentence is Korean (Hangul syllables outweigh Latin words), so that the word features,
 * trained on English, say nothing about it.
 */
export function isKoreanText(text: string): boolean {
  if (typeof text !== 'string' || text.length === 0) return false;
  const sample = text.slice(0, 2000);
  const hangul = sample.match(HANGUL_SYLLABLE)?.length ?? 0;
  if (hangul === 0) return false;
  const latin = sample.match(LATIN_LETTER)?.length ?? 0;
  return hangul * 5 >= latin;
}

/** Raw logit of a feature vector under the model's weights (before calibration). */
export function logitOf(compiled: CompiledModel, features: SentenceFeatures): number {
  let z = compiled.model.bias;
  for (const bucket of features.hashed) z += compiled.hashed[bucket];
  for (let i = 0; i < features.named.length; i++) z += compiled.named[i] * features.named[i];
  return z;
}

/** Logistic function, safe for large magnitudes. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Calibrated probability that the sentence needs a source, in [0, 1], with the features and the
 * named weights that produced it (the language-independent model's for a Korean sentence).
 */
export function probabilityOf(compiled: CompiledModel, sentence: SentenceForScoring): { probability: number; features: SentenceFeatures; named: Float64Array } {
  const features = extractFeatures(sentence, compiled.model.features);
  const li = compiled.languageIndependent;
  if (li && isKoreanText(sentence.text)) {
    let z = li.bias;
    for (let i = 0; i < features.named.length; i++) z += li.named[i] * features.named[i];
    const p = sigmoid(li.calibration.a * z + li.calibration.b);
    return { probability: Number.isFinite(p) ? p : 0, features, named: li.named };
  }
  const z = logitOf(compiled, features);
  const p = sigmoid(compiled.model.calibration.a * z + compiled.model.calibration.b);
  return { probability: Number.isFinite(p) ? p : 0, features, named: compiled.named };
}
