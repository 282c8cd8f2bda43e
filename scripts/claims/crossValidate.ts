/**
 * Leave-one-manuscript-out validation of the claims model: for each Manubot manuscript, train on
 * the others (and the PMC articles) and score it; then calibrate and pick a threshold from these
 * held-out scores only.
 */
import type { SentenceFeatures } from '../../src/core/claims/features';
import { sigmoid } from '../../src/core/claims/model';
import type { LabelledDocument } from './data';
import { averagePrecision, featurize, fitPlatt, logit, prf, train, type TrainOptions, type Weights } from './logistic';

/** Held-out raw logits of one manuscript. */
export interface HeldOut {
  /** The manuscript. */
  readonly doc: LabelledDocument;
  /** Logit of each sentence under the model trained without this manuscript. */
  readonly logits: number[];
  /** The model trained without this manuscript. */
  readonly weights: Weights;
}

/** Runs leave-one-manuscript-out over `manuscripts`, always training also on `extra`. */
export function leaveOneOut(manuscripts: readonly LabelledDocument[], extra: readonly LabelledDocument[], options: TrainOptions, features?: SentenceFeatures[][]): HeldOut[] {
  const all = [...manuscripts, ...extra];
  const feats = features ?? featurize(all, options.features);
  return manuscripts.map((doc, k) => {
    const trainDocs = all.filter((_, i) => i !== k);
    const trainFeats = feats.filter((_, i) => i !== k);
    const weights = train(trainDocs, trainFeats, options);
    return { doc, logits: feats[k].map((f) => logit(weights, f)), weights };
  });
}

/**
 * Leave-one-group-out: each document is scored by a model trained on every document of other
 * groups. `groupOf` = name gives leave-one-manuscript-out, = kind gives leave-one-kind-out.
 * @param docs All labelled documents (every one is scored).
 * @param groupOf The group of a document.
 */
export function leaveGroupOut(docs: readonly LabelledDocument[], groupOf: (doc: LabelledDocument) => string, options: TrainOptions, features?: SentenceFeatures[][]): HeldOut[] {
  const feats = features ?? featurize(docs, options.features);
  const groups = [...new Set(docs.map(groupOf))];
  const byGroup = new Map<string, Weights>();
  for (const group of groups) {
    const keep = docs.map((d) => groupOf(d) !== group);
    byGroup.set(
      group,
      train(
        docs.filter((_, i) => keep[i]),
        feats.filter((_, i) => keep[i]),
        options,
      ),
    );
  }
  return docs.map((doc, k) => {
    const weights = byGroup.get(groupOf(doc)) as Weights;
    return { doc, logits: feats[k].map((f) => logit(weights, f)), weights };
  });
}

/**
 * Expected calibration error: the sentence-weighted mean gap between the mean score and the share
 * of positives in `bins` equal-width score bins.
 */
export function expectedCalibrationError(scores: readonly number[], labels: readonly boolean[], bins = 10): number {
  const count = new Array<number>(bins).fill(0);
  const sum = new Array<number>(bins).fill(0);
  const positives = new Array<number>(bins).fill(0);
  scores.forEach((s, i) => {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(s * bins)));
    count[b]++;
    sum[b] += s;
    if (labels[i]) positives[b]++;
  });
  let gap = 0;
  for (let b = 0; b < bins; b++) if (count[b] > 0) gap += Math.abs(sum[b] / count[b] - positives[b] / count[b]) * count[b];
  return gap / Math.max(scores.length, 1);
}

/** Per-manuscript figures at one threshold. */
export interface Figures {
  /** Manuscript name. */
  readonly name: string;
  /** Sentences. */
  readonly sentences: number;
  /** Precision of flagged sentences. */
  readonly precision: number;
  /** Recall of cited sentences. */
  readonly recall: number;
  /** F1. */
  readonly f1: number;
  /** Average precision of the scores. */
  readonly ap: number;
  /** Share of cited sentences. */
  readonly share: number;
  /** Flagged sentences. */
  readonly flagged: number;
  /** Expected calibration error of the scores (10 bins). */
  readonly ece: number;
}

/** Figures of scores against labels at a threshold. */
export function figuresOf(name: string, scores: readonly number[], labels: readonly boolean[], threshold: number): Figures {
  const r = prf(
    scores.map((s) => s >= threshold),
    labels,
  );
  return { name, sentences: labels.length, ...r, ap: averagePrecision(scores, labels), share: labels.filter(Boolean).length / Math.max(labels.length, 1), ece: expectedCalibrationError(scores, labels) };
}

/** Mean of each figure over manuscripts. */
export function meanFigures(rows: readonly Figures[]): Figures {
  const mean = (f: (r: Figures) => number): number => rows.reduce((s, r) => s + f(r), 0) / Math.max(rows.length, 1);
  return {
    name: 'mean',
    sentences: mean((r) => r.sentences),
    precision: mean((r) => r.precision),
    recall: mean((r) => r.recall),
    f1: mean((r) => r.f1),
    ap: mean((r) => r.ap),
    share: mean((r) => r.share),
    flagged: mean((r) => r.flagged),
    ece: mean((r) => r.ece),
  };
}

/** Calibration fitted on all held-out logits pooled. */
export function calibrate(heldOut: readonly HeldOut[]): { a: number; b: number } {
  return fitPlatt(
    heldOut.flatMap((h) => h.logits),
    heldOut.flatMap((h) => h.doc.sentences.map((s) => s.cited)),
  );
}

/** Calibrated held-out scores of each manuscript. */
export function heldOutScores(heldOut: readonly HeldOut[], calibration: { a: number; b: number }): number[][] {
  return heldOut.map((h) => h.logits.map((z) => sigmoid(calibration.a * z + calibration.b)));
}

/**
 * The threshold (on a 0.01 grid) for a quiet default: among thresholds whose mean precision over
 * manuscripts is at least `minPrecision`, the highest one whose mean F1 is within `tolerance` of
 * the best mean F1 (the best mean F1 overall when no threshold reaches the precision).
 */
export function chooseThreshold(scores: readonly (readonly number[])[], labels: readonly (readonly boolean[])[], minPrecision = 0.5, tolerance = 0.01): number {
  const grid: { t: number; f1: number; ok: boolean }[] = [];
  for (let i = 5; i <= 95; i++) {
    const t = i / 100;
    const m = meanFigures(scores.map((s, k) => figuresOf('', s, labels[k], t)));
    grid.push({ t, f1: m.f1, ok: m.precision >= minPrecision });
  }
  const eligible = grid.some((g) => g.ok) ? grid.filter((g) => g.ok) : grid;
  const best = Math.max(...eligible.map((g) => g.f1));
  const quiet = eligible.filter((g) => g.f1 >= best - tolerance);
  return quiet[quiet.length - 1].t;
}

/**
 * Like {@link chooseThreshold}, but precision must reach `minPrecision` on every kind of document
 * (the mean over the documents of each kind), so reviews and methods articles alike get a
 * threshold that keeps half of what is flagged right. Falls back to {@link chooseThreshold} when
 * no threshold does.
 */
export function chooseThresholdByKind(scores: readonly (readonly number[])[], labels: readonly (readonly boolean[])[], kinds: readonly string[], minPrecision = 0.5, tolerance = 0.01): number {
  const grid: { t: number; f1: number }[] = [];
  const kindSet = [...new Set(kinds)];
  for (let i = 5; i <= 95; i++) {
    const t = i / 100;
    const rows = scores.map((s, k) => figuresOf('', s, labels[k], t));
    const everyKind = kindSet.every((kind) => meanFigures(rows.filter((_, k) => kinds[k] === kind)).precision >= minPrecision);
    if (everyKind) grid.push({ t, f1: meanFigures(rows).f1 });
  }
  if (grid.length === 0) return chooseThreshold(scores, labels, minPrecision, tolerance);
  const best = Math.max(...grid.map((g) => g.f1));
  const quiet = grid.filter((g) => g.f1 >= best - tolerance);
  // The lowest such threshold: recall matters once precision is secured on every kind.
  return quiet[0].t;
}

/** Formats figure rows as an aligned table. */
export function formatTable(rows: readonly Figures[]): string {
  const header = 'manuscript'.padEnd(30) + ['sent', 'P', 'R', 'F1', 'AP', 'share', 'AP/sh', 'flag', 'ECE'].map((h) => h.padStart(7)).join('');
  const lines = rows.map((r) => {
    const cells = [String(Math.round(r.sentences)), r.precision.toFixed(3), r.recall.toFixed(3), r.f1.toFixed(3), r.ap.toFixed(3), r.share.toFixed(3), (r.ap / Math.max(r.share, 1e-9)).toFixed(2), String(Math.round(r.flagged)), r.ece.toFixed(3)];
    return r.name.padEnd(30) + cells.map((c) => c.padStart(7)).join('');
  });
  return [header, ...lines].join('\n');
}
