// Experiment: learns the library ranking's feature weights (a linear model, pairwise logistic loss) and
// prints R@1/R@5/R@10/MRR with the hand-tuned default weights and the learned ones, per manuscript.
// Reproducible: fixed order, no randomness.   npx tsx scripts/trainCiteRanker.ts [--train a,b]
// Default training set: deep-review and context-review (the others stay held out). So far the learned
// weights did worse than the hand-tuned ones on the held-out manuscripts. Superseded by `npm run train:cite`
// (random search plus coordinate ascent, with leave-one-manuscript-out figures), whose parameters ship.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCslJson } from '../src/core/literature/library/cslJson';
import { DEFAULT_PARAMETERS, FEATURE_NAMES, LibraryIndex, type SearchParameters } from '../src/core/literature/library/librarySearch';

const root = join(__dirname, '..', '..', 'shared', 'data', 'manuscripts');
const args = process.argv.slice(2);
const trainArg = args.indexOf('--train');
const train = trainArg >= 0 ? args[trainArg + 1].split(',') : ['deep-review', 'context-review'];
const CANDIDATES = 50;

interface Query { id: string; text: string; context?: string; gold: string[] }
interface Example { features: number[][]; gold: boolean[] }

function load(name: string): { index: LibraryIndex; queries: Query[] } {
  const { records } = parseCslJson(readFileSync(join(root, name, 'library.json'), 'utf8'));
  const queries: Query[] = readFileSync(join(root, name, 'queries.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  return { index: new LibraryIndex(records), queries };
}

/** Candidate sets: the top documents of the default ranking, with their features and gold labels. */
function examples(name: string): Example[] {
  const { index, queries } = load(name);
  const ids = index.records.map((r) => r.libraryId ?? '');
  return queries.map((q) => {
    const features = index.features({ text: q.text, ...(q.context ? { context: q.context } : {}) });
    const scored = ids.map((_, doc) => ({ doc, score: DEFAULT_PARAMETERS.featureWeights.reduce((s, w, f) => s + w * features[f][doc], 0) }));
    scored.sort((a, b) => b.score - a.score || a.doc - b.doc);
    const top = scored.filter((s) => s.score > 0).slice(0, CANDIDATES);
    return { features: top.map(({ doc }) => features.map((f) => f[doc])), gold: top.map(({ doc }) => q.gold.includes(ids[doc])) };
  });
}

function fit(data: Example[]): number[] {
  const dims = FEATURE_NAMES.length;
  const all = data.flatMap((e) => e.features);
  const scale = Array.from({ length: dims }, (_, f) => {
    const values = all.map((v) => v[f]);
    const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length));
    return sd > 1e-9 ? sd : 1;
  });
  const pairs: number[][] = [];
  for (const e of data) {
    const positives = e.features.filter((_, i) => e.gold[i]);
    const negatives = e.features.filter((_, i) => !e.gold[i]);
    for (const p of positives) for (const n of negatives.slice(0, 30)) pairs.push(p.map((v, f) => (v - n[f]) / scale[f]));
  }
  const w = DEFAULT_PARAMETERS.featureWeights.map((v, f) => v * scale[f]);
  const lambda = 1e-3;
  for (let epoch = 0; epoch < 60; epoch++) {
    const rate = 0.05 / (1 + epoch * 0.2);
    for (const d of pairs) {
      const margin = d.reduce((s, v, f) => s + v * w[f], 0);
      const g = 1 / (1 + Math.exp(margin));
      for (let f = 0; f < dims; f++) w[f] += rate * (g * d[f] - lambda * w[f]);
    }
  }
  // Back to raw feature units, scaled so the sentence feature keeps weight 1 (scores stay comparable).
  const raw = w.map((v, f) => v / scale[f]);
  const norm = raw[0] > 0 ? raw[0] : 1;
  return raw.map((v) => Math.round((v / norm) * 1e4) / 1e4);
}

function evaluate(name: string, parameters: SearchParameters): { r1: number; r5: number; r10: number; mrr: number } {
  const { records } = parseCslJson(readFileSync(join(root, name, 'library.json'), 'utf8'));
  const index = new LibraryIndex(records, parameters);
  const { queries } = load(name);
  let r1 = 0, r5 = 0, r10 = 0, mrr = 0;
  for (const q of queries) {
    const rank = index.search({ text: q.text, ...(q.context ? { context: q.context } : {}) }, 10).findIndex((h) => q.gold.includes(h.record.libraryId ?? ''));
    if (rank === 0) r1++;
    if (rank >= 0 && rank < 5) r5++;
    if (rank >= 0) { r10++; mrr += 1 / (rank + 1); }
  }
  const n = queries.length;
  return { r1: r1 / n, r5: r5 / n, r10: r10 / n, mrr: mrr / n };
}

const weights = fit(train.flatMap(examples));
console.log('trained on', train.join(', '));
console.log('weights', Object.fromEntries(FEATURE_NAMES.map((name, f) => [name, weights[f]])));
const learned: SearchParameters = { ...DEFAULT_PARAMETERS, featureWeights: weights };
const fmt = (r: { r1: number; r5: number; r10: number; mrr: number }) => `R@1 ${r.r1.toFixed(3)} R@5 ${r.r5.toFixed(3)} R@10 ${r.r10.toFixed(3)} MRR ${r.mrr.toFixed(3)}`;
for (const name of readdirSync(root).sort()) {
  console.log(`${name.padEnd(30)} ${train.includes(name) ? 'train   ' : 'held-out'}  default ${fmt(evaluate(name, DEFAULT_PARAMETERS))} | learned ${fmt(evaluate(name, learned))}`);
}
