/**
 * Training of the claims model: an L2-regularised, class- and document-weighted logistic
 * regression fitted by full-batch Adam (deterministic: no sampling, fixed order), a Platt
 * calibration, and the metrics shared by training and evaluation.
 */
import { NAMED_FEATURES, extractFeatures, type FeatureOptions, type SentenceFeatures } from '../../src/core/claims/features';
import { sigmoid, type ClaimModel } from '../../src/core/claims/model';
import type { LabelledDocument } from './data';

/** Hyper-parameters of training. */
export interface TrainOptions {
  /** Feature extraction options. */
  readonly features: FeatureOptions;
  /** L2 penalty on hashed weights. */
  readonly l2Hashed: number;
  /** L2 penalty on named weights. */
  readonly l2Named: number;
  /** Each document weighs (sentences)^(-docBalance): 0 = by sentence, 1 = documents equal. */
  readonly docBalance: number;
  /** Extra weight of PMC articles relative to Manubot manuscripts (default: 1). */
  readonly pmcWeight: number;
  /** Positive class weight relative to balanced (1 = balanced, 0 = unweighted). */
  readonly classBalance: number;
  /** Adam epochs over the full batch. */
  readonly epochs: number;
  /** Adam learning rate. */
  readonly learningRate: number;
  /**
   * Prior means of named weights (optional; default 0): the L2 penalty pulls a weight towards its
   * prior instead of 0, so signals known to matter but rare in the training data keep an effect.
   */
  readonly priors?: Readonly<Record<string, number>>;
}

/** Trained weights before calibration. */
export interface Weights {
  /** Intercept. */
  bias: number;
  /** Hashed weights. */
  readonly hashed: Float64Array;
  /** Named weights, indexed like NAMED_FEATURES. */
  readonly named: Float64Array;
}

/** A sentence's features with its label and training weight. */
interface Example {
  readonly features: SentenceFeatures;
  readonly label: number;
  weight: number;
}

/** Features of every sentence of the documents. */
export function featurize(docs: readonly LabelledDocument[], options: FeatureOptions): SentenceFeatures[][] {
  return docs.map((doc) => doc.sentences.map((s) => extractFeatures(s.input, options)));
}

/** Fits the logistic regression on precomputed features of the given documents. */
export function train(docs: readonly LabelledDocument[], features: readonly (readonly SentenceFeatures[])[], options: TrainOptions): Weights {
  const examples: Example[] = [];
  docs.forEach((doc, d) => {
    const docWeight = Math.pow(doc.sentences.length, -options.docBalance) * (doc.source === 'pmc' ? options.pmcWeight : 1);
    doc.sentences.forEach((s, i) => examples.push({ features: features[d][i], label: s.cited ? 1 : 0, weight: docWeight }));
  });
  let positive = 0;
  let total = 0;
  for (const e of examples) {
    total += e.weight;
    if (e.label === 1) positive += e.weight;
  }
  const balancedPos = total / (2 * Math.max(positive, 1e-9));
  const balancedNeg = total / (2 * Math.max(total - positive, 1e-9));
  const wPos = Math.pow(balancedPos, options.classBalance);
  const wNeg = Math.pow(balancedNeg, options.classBalance);
  let norm = 0;
  for (const e of examples) {
    e.weight *= e.label === 1 ? wPos : wNeg;
    norm += e.weight;
  }
  for (const e of examples) e.weight /= norm;

  const D = 2 ** options.features.hashBits;
  const K = NAMED_FEATURES.length;
  const n = 1 + D + K;
  const w = new Float64Array(n);
  const prior = new Float64Array(K);
  NAMED_FEATURES.forEach((name, k) => {
    prior[k] = options.priors?.[name] ?? 0;
    w[1 + D + k] = prior[k];
  });
  const g = new Float64Array(n);
  const m1 = new Float64Array(n);
  const m2 = new Float64Array(n);
  const beta1 = 0.9;
  const beta2 = 0.999;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    g.fill(0);
    for (const e of examples) {
      let z = w[0];
      for (const b of e.features.hashed) z += w[1 + b];
      const named = e.features.named;
      for (let k = 0; k < K; k++) z += w[1 + D + k] * named[k];
      const r = (sigmoid(z) - e.label) * e.weight;
      g[0] += r;
      for (const b of e.features.hashed) g[1 + b] += r;
      for (let k = 0; k < K; k++) g[1 + D + k] += r * named[k];
    }
    for (let j = 1; j <= D; j++) g[j] += options.l2Hashed * w[j];
    for (let j = D + 1; j < n; j++) g[j] += options.l2Named * (w[j] - prior[j - D - 1]);
    const lr = options.learningRate;
    const c1 = 1 - Math.pow(beta1, epoch);
    const c2 = 1 - Math.pow(beta2, epoch);
    for (let j = 0; j < n; j++) {
      m1[j] = beta1 * m1[j] + (1 - beta1) * g[j];
      m2[j] = beta2 * m2[j] + (1 - beta2) * g[j] * g[j];
      w[j] -= (lr * (m1[j] / c1)) / (Math.sqrt(m2[j] / c2) + 1e-8);
    }
  }
  return { bias: w[0], hashed: w.slice(1, 1 + D), named: w.slice(1 + D) };
}

/** Raw logit of precomputed features. */
export function logit(weights: Weights, f: SentenceFeatures): number {
  let z = weights.bias;
  for (const b of f.hashed) z += weights.hashed[b];
  for (let k = 0; k < f.named.length; k++) z += weights.named[k] * f.named[k];
  return z;
}

/** Fits Platt scaling sigmoid(a·z + b) to logits and labels by Newton's method. */
export function fitPlatt(logits: readonly number[], labels: readonly boolean[]): { a: number; b: number } {
  let a = 1;
  let b = 0;
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 1e-9;
    for (let i = 0; i < logits.length; i++) {
      const p = sigmoid(a * logits[i] + b);
      const r = p - (labels[i] ? 1 : 0);
      const v = p * (1 - p);
      ga += r * logits[i];
      gb += r;
      haa += v * logits[i] * logits[i];
      hab += v * logits[i];
      hbb += v;
    }
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-12) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return { a, b };
}

/** Average precision of scores against labels (ties broken by input order, deterministic). */
export function averagePrecision(scores: readonly number[], labels: readonly boolean[]): number {
  const order = scores.map((_s, i) => i).sort((i, j) => scores[j] - scores[i] || i - j);
  const positives = labels.filter(Boolean).length;
  if (positives === 0) return 0;
  let hits = 0;
  let sum = 0;
  order.forEach((i, rank) => {
    if (labels[i]) {
      hits++;
      sum += hits / (rank + 1);
    }
  });
  return sum / positives;
}

/** Precision, recall and F1 of flags against labels. */
export function prf(flags: readonly boolean[], labels: readonly boolean[]): { precision: number; recall: number; f1: number; flagged: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  flags.forEach((f, i) => {
    if (f && labels[i]) tp++;
    else if (f) fp++;
    else if (labels[i]) fn++;
  });
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, flagged: tp + fp };
}

/** Rounds a weight for the model file (keeps it small; 4 significant decimals are plenty). */
function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** The model file of trained weights. */
export function toModelFile(weights: Weights, options: TrainOptions, calibration: { a: number; b: number }, suggestedThreshold: number, training: Record<string, unknown>): ClaimModel {
  const namedWeights: Record<string, number> = {};
  NAMED_FEATURES.forEach((name, k) => {
    namedWeights[name] = round(weights.named[k]);
  });
  return {
    format: 'biowrite-claims',
    version: 1,
    features: options.features,
    bias: round(weights.bias),
    hashedWeights: Array.from(weights.hashed, round),
    namedWeights,
    calibration: { a: round(calibration.a), b: round(calibration.b) },
    suggestedThreshold,
    training: { ...training, options },
  };
}

/** The same features without the hashed word features (for the language-independent model). */
export function withoutWords(features: readonly (readonly SentenceFeatures[])[]): SentenceFeatures[][] {
  return features.map((doc) => doc.map((f) => ({ hashed: [], named: f.named })));
}

/** The `languageIndependent` part of the model file. */
export function languageIndependentModel(weights: Weights, calibration: { a: number; b: number }): NonNullable<ClaimModel['languageIndependent']> {
  const namedWeights: Record<string, number> = {};
  NAMED_FEATURES.forEach((name, k) => {
    namedWeights[name] = round(weights.named[k]);
  });
  return { bias: round(weights.bias), namedWeights, calibration: { a: round(calibration.a), b: round(calibration.b) } };
}
