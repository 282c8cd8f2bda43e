// `npm run train:cite [-- --configs N]`: learns the library ranking's parameters (BM25F field weights and
// saturation, and the weights of the ranking features, see FEATURE_NAMES) on the Manubot evaluation
// manuscripts in ../shared/data/manuscripts, by a deterministic random search (fixed seed) over a pool of
// candidate parameter sets drawn independently of the data. Each candidate is scored on every manuscript
// (MRR + 0.5 × R@5 of its queries against its own library); the objective is the mean over manuscripts.
// Then the feature weights of the best candidate are refined by coordinate ascent on the same objective
// (features precomputed once, so each step is cheap). For the held-out figures both stages see only the
// training manuscripts of the fold.
//
// Writes:
//   src/core/literature/library/rankingParameters.json  the candidate best on all manuscripts (shipped);
//   scripts/citeHeldOutParameters.json                   for each manuscript, the candidate best on the
//                                                        OTHER manuscripts, so `npm run eval:cite -- --held-out`
//                                                        measures each manuscript with parameters its data
//                                                        took no part in choosing.
// Only numbers are written: no text from the manuscripts or their libraries.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCslJson } from '../src/core/literature/library/cslJson';
import { IN_SITU_FEATURE_NAMES } from '../src/core/literature/library/inSitu';
import { FEATURE_NAMES, FIRST_IN_SITU_FEATURE, HAND_TUNED_PARAMETERS, LibraryIndex, type SearchParameters } from '../src/core/literature/library/librarySearch';
import type { LiteratureRecord } from '../src/core/literature/types';

const repo = join(__dirname, '..');
const root = process.env.BIOWRITE_EVAL_DIR ?? join(repo, '..', 'shared', 'data', 'manuscripts');
const args = process.argv.slice(2);
const configsArg = args.indexOf('--configs');
const CONFIGS = configsArg >= 0 ? Number(args[configsArg + 1]) : 160;

interface Query { id: string; text: string; context?: string; gold: string[] }
interface Manuscript { name: string; records: LiteratureRecord[]; queries: Query[] }
interface Scores { r1: number; r5: number; r10: number; mrr: number }

const manuscripts: Manuscript[] = readdirSync(root)
  .sort()
  .map((name) => {
    const { records } = parseCslJson(readFileSync(join(root, name, 'library.json'), 'utf8'));
    const queries: Query[] = readFileSync(join(root, name, 'queries.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
    return { name, records, queries };
  });

/** R@1, R@5, R@10 and MRR (first gold in the top 10) of one manuscript, as `npm run eval:cite` counts them. */
function score(m: Manuscript, parameters: SearchParameters): Scores {
  const index = new LibraryIndex(m.records, parameters);
  let r1 = 0, r5 = 0, r10 = 0, mrr = 0;
  for (const q of m.queries) {
    const rank = index.search({ text: q.text, ...(q.context ? { context: q.context } : {}) }, 10).findIndex((h) => q.gold.includes(h.record.libraryId ?? ''));
    if (rank === 0) r1++;
    if (rank >= 0 && rank < 5) r5++;
    if (rank >= 0) { r10++; mrr += 1 / (rank + 1); }
  }
  const n = Math.max(1, m.queries.length);
  return { r1: r1 / n, r5: r5 / n, r10: r10 / n, mrr: mrr / n };
}

/** Park–Miller generator: the same pool on every run. */
let seed = 20261124;
const random = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
const uniform = (low: number, high: number): number => Math.round((low + (high - low) * random()) * 1e4) / 1e4;
const maybe = (p: number, value: () => number): number => (random() < p ? 0 : value());

/** One candidate drawn from the prior ranges (sentence weight fixed at 1, so scores keep their scale). */
function draw(): SearchParameters {
  // The cold ranking only: the in-situ weights are learned apart, by `npm run train:cite -- --in-situ`, on top of these.
  const w: Record<(typeof FEATURE_NAMES)[number], number> = {
    ...(Object.fromEntries(IN_SITU_FEATURE_NAMES.map((name) => [name, 0])) as Record<(typeof IN_SITU_FEATURE_NAMES)[number], number>),
    sentence: 1,
    context: uniform(0, 0.3),
    titleOnly: uniform(-0.5, 0.5),
    abstractOnly: uniform(-0.5, 0.3),
    titleBigrams: uniform(0, 2),
    namedAuthor: uniform(4, 30),
    symbolInTitle: uniform(2, 12),
    titleCoverage: uniform(-6, 4),
    yearMentioned: uniform(0, 2),
    hasAbstract: uniform(-4, 0),
    previousSentence: maybe(0.3, () => uniform(0, 0.3)),
    nextSentence: maybe(0.3, () => uniform(0, 0.3)),
  };
  return {
    k1: uniform(0.8, 2.5),
    weights: { title: uniform(2, 8), abstract: uniform(0.1, 1.5), keywords: uniform(0.5, 3), authors: uniform(0.3, 2), container: uniform(0, 1), url: maybe(0.3, () => uniform(0, 2)) },
    b: { title: uniform(0.2, 0.9), abstract: uniform(0.4, 1), keywords: 0.5, authors: 0.3, container: 0.3, url: 0.3 },
    featureWeights: FEATURE_NAMES.map((name) => w[name]),
  };
}

const pool: SearchParameters[] = [HAND_TUNED_PARAMETERS, ...Array.from({ length: CONFIGS }, draw)];
const table: Scores[][] = [];
const started = Date.now();
pool.forEach((parameters, c) => {
  table.push(manuscripts.map((m) => score(m, parameters)));
  if ((c + 1) % 20 === 0) process.stderr.write(`train:cite: ${c + 1}/${pool.length} candidates, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
});

const objective = (s: Scores): number => s.mrr + 0.5 * s.r5;
/** Index of the candidate with the best mean objective over the manuscripts `use` keeps. */
function best(use: (m: number) => boolean): number {
  let chosen = 0, top = -Infinity;
  table.forEach((row, c) => {
    const kept = row.filter((_, m) => use(m));
    const value = kept.reduce((sum, s) => sum + objective(s), 0) / Math.max(1, kept.length);
    if (value > top + 1e-12) { top = value; chosen = c; }
  });
  return chosen;
}

/** Features of every record for every query of a manuscript, with the gold flags, under one index's BM25 settings. */
interface Prepared { features: Float64Array[][]; gold: boolean[][] }
function prepare(m: Manuscript, parameters: SearchParameters): Prepared {
  const index = new LibraryIndex(m.records, parameters);
  const ids = m.records.map((r) => r.libraryId ?? '');
  return {
    features: m.queries.map((q) => index.features({ text: q.text, ...(q.context ? { context: q.context } : {}) })),
    gold: m.queries.map((q) => ids.map((id) => q.gold.includes(id))),
  };
}
/** The scores `LibraryIndex.search` would give (same gating and tie order), from precomputed features. */
function scoreFeatures(p: Prepared, w: readonly number[]): Scores {
  let r1 = 0, r5 = 0, r10 = 0, mrr = 0;
  for (let q = 0; q < p.features.length; q++) {
    const f = p.features[q];
    const n = f[0].length;
    const scores = new Float64Array(n);
    const matched = new Uint8Array(n);
    let goldDoc = -1;
    for (let d = 0; d < n; d++) {
      if (f[0][d] === 0 && f[1][d] === 0 && f[4][d] === 0 && f[5][d] === 0) continue;
      let s = 0;
      for (let k = 0; k < w.length; k++) if (w[k] !== 0) s += w[k] * f[k][d];
      scores[d] = s;
      matched[d] = 1;
      if (p.gold[q][d] && (goldDoc < 0 || scores[d] > scores[goldDoc])) goldDoc = d;
    }
    if (goldDoc < 0) continue;
    let rank = 0;
    for (let d = 0; d < n; d++) if (matched[d] && (scores[d] > scores[goldDoc] || (scores[d] === scores[goldDoc] && d < goldDoc))) rank++;
    if (rank === 0) r1++;
    if (rank < 5) r5++;
    if (rank < 10) { r10++; mrr += 1 / (rank + 1); }
  }
  const n = Math.max(1, p.features.length);
  return { r1: r1 / n, r5: r5 / n, r10: r10 / n, mrr: mrr / n };
}
/** Coordinate ascent on the feature weights (the sentence weight stays 1), on the given manuscripts only. */
function refine(start: SearchParameters, use: number[]): SearchParameters {
  const prepared = use.map((m) => prepare(manuscripts[m], start));
  const value = (w: readonly number[]): number => prepared.reduce((sum, p) => sum + objective(scoreFeatures(p, w)), 0) / prepared.length;
  const w = [...start.featureWeights];
  let current = value(w);
  for (let round = 0; round < 4; round++) {
    let improved = false;
    for (let k = 1; k < FIRST_IN_SITU_FEATURE; k++) {
      const base = w[k];
      const step = Math.max(Math.abs(base), 0.1);
      for (const candidate of [0, base - step, base - step / 2, base + step / 2, base + step, base * 2]) {
        const old = w[k];
        w[k] = Math.round(candidate * 1e4) / 1e4;
        const v = value(w);
        if (v > current + 1e-9) { current = v; improved = true; } else w[k] = old;
      }
    }
    if (!improved) break;
  }
  return { ...start, featureWeights: w };
}

const f = (x: number): string => x.toFixed(3);
const heldOut: Record<string, { parameters: SearchParameters; candidate: number; r5: number; mrr: number }> = {};
const heldOutScores: Scores[] = [];
console.log(`${'held-out manuscript'.padEnd(30)} cand   R@1    R@5    R@10   MRR    (search only R@5 / MRR; hand-tuned R@5 / MRR)`);
for (let m = 0; m < manuscripts.length; m++) {
  const c = best((k) => k !== m);
  const parameters = refine(pool[c], manuscripts.map((_, k) => k).filter((k) => k !== m));
  const s = score(manuscripts[m], parameters);
  heldOutScores.push(s);
  heldOut[manuscripts[m].name] = { parameters, candidate: c, r5: Math.round(s.r5 * 1e4) / 1e4, mrr: Math.round(s.mrr * 1e4) / 1e4 };
  console.log(`${manuscripts[m].name.padEnd(30)} ${String(c).padStart(4)}   ${f(s.r1)}  ${f(s.r5)}  ${f(s.r10)}  ${f(s.mrr)}  (${f(table[c][m].r5)} / ${f(table[c][m].mrr)}; ${f(table[0][m].r5)} / ${f(table[0][m].mrr)})`);
}
const mean = (key: keyof Scores): number => heldOutScores.reduce((sum, s) => sum + s[key], 0) / heldOutScores.length;
console.log(`${'mean (leave-one-manuscript-out)'.padEnd(30)}        ${f(mean('r1'))}  ${f(mean('r5'))}  ${f(mean('r10'))}  ${f(mean('mrr'))}`);

const shipped = best(() => true);
const shippedParameters = refine(pool[shipped], manuscripts.map((_, k) => k));
const all = manuscripts.map((m) => score(m, shippedParameters));
console.log(`shipped: candidate ${shipped} refined, on all manuscripts (not held out) R@5 ${f(all.reduce((s, x) => s + x.r5, 0) / all.length)} MRR ${f(all.reduce((s, x) => s + x.mrr, 0) / all.length)}`);
writeFileSync(join(repo, 'src', 'core', 'literature', 'library', 'rankingParameters.json'), `${JSON.stringify(shippedParameters, null, 2)}\n`);
writeFileSync(join(repo, 'scripts', 'citeHeldOutParameters.json'), `${JSON.stringify(heldOut, null, 2)}\n`);
