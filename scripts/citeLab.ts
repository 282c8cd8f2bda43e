// Experiment harness (temporary): leave-one-manuscript-out evaluation of extra ranking features.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCslJson } from '../src/core/literature/library/cslJson';
import { DEFAULT_PARAMETERS, LibraryIndex } from '../src/core/literature/library/librarySearch';
import { tokenize } from '../src/core/literature/library/tokenize';
import type { LiteratureRecord } from '../src/core/literature/types';

const root = join(__dirname, '..', '..', 'shared', 'data', 'manuscripts');
interface Query { id: string; text: string; context?: string; gold: string[] }
interface Set_ { name: string; records: LiteratureRecord[]; queries: Query[]; index: LibraryIndex; docTerms: string[][] }

const names = readdirSync(root).sort();
const sets: Set_[] = names.map((name) => {
  const { records } = parseCslJson(readFileSync(join(root, name, 'library.json'), 'utf8'));
  const queries: Query[] = readFileSync(join(root, name, 'queries.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  const docTerms = records.map((r) => tokenize(`${r.title} ${r.abstract ?? ''} ${(r.keywords ?? []).join(' ')}`));
  return { name, records, queries, index: new LibraryIndex(records), docTerms };
});

/** Association table q -> [(t, w)] from training pairs. */
function trainAssoc(train: Set_[], minCount: number, topK: number): Map<string, [string, number][]> {
  const pair = new Map<string, number>();
  const cq = new Map<string, number>();
  const ct = new Map<string, number>();
  let npairs = 0;
  for (const s of train) {
    const idOf = new Map(s.records.map((r, i) => [r.libraryId ?? '', i]));
    for (const q of s.queries) {
      const qs = new Set(tokenize(q.text));
      for (const g of q.gold) {
        const d = idOf.get(g);
        if (d === undefined) continue;
        const ts = new Set(s.docTerms[d]);
        npairs++;
        for (const a of qs) cq.set(a, (cq.get(a) ?? 0) + 1);
        for (const t of ts) ct.set(t, (ct.get(t) ?? 0) + 1);
        for (const a of qs) for (const t of ts) { const k = `${a}\t${t}`; pair.set(k, (pair.get(k) ?? 0) + 1); }
      }
    }
  }
  const out = new Map<string, [string, number][]>();
  for (const [k, c] of pair) {
    if (c < minCount) continue;
    const [a, t] = k.split('\t');
    if (a === t) continue;
    const pmi = Math.log((c * npairs) / ((cq.get(a) ?? 1) * (ct.get(t) ?? 1)));
    if (pmi <= 0) continue;
    const w = pmi * (c / (c + 2));
    let list = out.get(a);
    if (!list) out.set(a, (list = []));
    list.push([t, w]);
  }
  for (const [a, list] of out) { list.sort((x, y) => y[1] - x[1]); out.set(a, list.slice(0, topK)); }
  return out;
}

type FeatureFn = (s: Set_, q: Query) => Float64Array[];
interface Prepared { feats: Float64Array[][]; gold: boolean[][] }

function prepare(s: Set_, extra: (s: Set_, q: Query) => Float64Array[]): Prepared {
  const ids = s.records.map((r) => r.libraryId ?? '');
  const feats: Float64Array[][] = [];
  const gold: boolean[][] = [];
  for (const q of s.queries) {
    const base = s.index.features({ text: q.text, ...(q.context ? { context: q.context } : {}) });
    feats.push([...base, ...extra(s, q)]);
    gold.push(ids.map((id) => q.gold.includes(id)));
  }
  return { feats, gold };
}

function metrics(p: Prepared, w: number[]): { r5: number; mrr: number; r1: number } {
  let r1 = 0, r5 = 0, mrr = 0;
  const n = p.gold[0].length;
  for (let qi = 0; qi < p.feats.length; qi++) {
    const f = p.feats[qi];
    const g = p.gold[qi];
    let goldBest = -Infinity;
    const scores = new Float64Array(n);
    for (let d = 0; d < n; d++) {
      let sc = 0;
      for (let k = 0; k < w.length; k++) if (w[k] !== 0) sc += w[k] * f[k][d];
      scores[d] = sc;
      if (g[d] && sc > goldBest) goldBest = sc;
    }
    let rank = 0;
    for (let d = 0; d < n; d++) if (scores[d] > goldBest) rank++;
    if (rank === 0) r1++;
    if (rank < 5) r5++;
    if (rank < 10) mrr += 1 / (rank + 1);
  }
  const m = p.feats.length;
  return { r1: r1 / m, r5: r5 / m, mrr: mrr / m };
}

function objective(ps: Prepared[], w: number[]): number {
  let s = 0;
  for (const p of ps) { const m = metrics(p, w); s += m.mrr + 0.5 * m.r5; }
  return s / ps.length;
}

function fit(ps: Prepared[], init: number[]): number[] {
  const w = [...init];
  let best = objective(ps, w);
  const mults = [0, 0.5, 0.8, 1.25, 2];
  for (let round = 0; round < 3; round++) {
    let improved = false;
    for (let k = 1; k < w.length; k++) {
      const cands = new Set<number>([...mults.map((m) => w[k] * m), w[k] === 0 ? 0.1 : w[k], w[k] === 0 ? 0.5 : w[k], w[k] === 0 ? 2 : w[k], -Math.abs(w[k] || 0.5)]);
      for (const c of cands) {
        const old = w[k];
        w[k] = c;
        const o = objective(ps, w);
        if (o > best + 1e-6) { best = o; improved = true; } else w[k] = old;
      }
    }
    if (!improved) break;
  }
  return w;
}

const mode = process.argv[2] ?? 'base';
const assocCache = new Map<string, Map<string, [string, number][]>>();
function extraFor(heldOut: string): (s: Set_, q: Query) => Float64Array[] {
  if (mode === 'base') return () => [];
  if (mode === 'near') return (s, q) => nearFeatures(s, q);
  if (mode === 'both') { const a = assocFeature(heldOut); return (s, q) => [...nearFeatures(s, q), ...a(s, q)]; }
  return assocFeature(heldOut);
}
function assocFeature(heldOut: string): (s: Set_, q: Query) => Float64Array[] {
  const key = heldOut;
  if (!assocCache.has(key)) assocCache.set(key, trainAssoc(sets.filter((x) => x.name !== heldOut), Number(process.env.MINC ?? 2), Number(process.env.TOPK ?? 10)));
  const assoc = assocCache.get(key)!;
  return (s, q) => {
    const weights = new Map<string, number>();
    const qt = new Set(tokenize(q.text));
    for (const a of qt) for (const [t, w] of assoc.get(a) ?? []) if (!qt.has(t)) weights.set(t, (weights.get(t) ?? 0) + w);
    const f = new Float64Array(s.records.length);
    const ix = s.index as unknown as { addTerms(sc: Float64Array, w: Map<string, number>, p?: unknown): void; titlePostings: unknown };
    ix.addTerms(f, weights);
    const g = new Float64Array(s.records.length);
    ix.addTerms(g, weights, ix.titlePostings);
    return [f, g];
  };
}

function splitSentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Z0-9(\[])/u).filter((x) => x.trim());
}
function nearFeatures(s: Set_, q: Query): Float64Array[] {
  const sents = q.context ? splitSentences(q.context) : [];
  const i = sents.findIndex((x) => x.includes(q.text.slice(0, 40)) || q.text.includes(x.slice(0, 40)));
  const qt = new Set(tokenize(q.text));
  const out: Float64Array[] = [];
  const add = (texts: string[]) => {
    const weights = new Map<string, number>();
    for (const t of tokenize(texts.join(' '))) if (!qt.has(t)) weights.set(t, 1);
    const f = new Float64Array(s.records.length);
    (s.index as unknown as { addTerms(sc: Float64Array, w: Map<string, number>): void }).addTerms(f, weights);
    out.push(f);
  };
  add(i > 0 ? [sents[i - 1]] : []);
  add(i >= 0 && i + 1 < sents.length ? [sents[i + 1]] : []);
  add(i > 1 ? [sents[i - 2]] : []);
  return out;
}

const results: { name: string; r5: number; mrr: number; r1: number; base: { r5: number; mrr: number } }[] = [];
for (const held of sets) {
  const extra = extraFor(held.name);
  const train = sets.filter((s) => s !== held).map((s) => prepare(s, extraFor(held.name)));
  const test = prepare(held, extra);
  const init = [...DEFAULT_PARAMETERS.featureWeights, ...Array(test.feats[0].length - DEFAULT_PARAMETERS.featureWeights.length).fill(0)];
  const w = process.env.NOFIT ? init : fit(train, init);
  const m = metrics(test, w);
  const b = metrics(test, init);
  results.push({ name: held.name, ...m, base: b });
  console.log(`${held.name.padEnd(30)} R@5 ${m.r5.toFixed(3)} MRR ${m.mrr.toFixed(3)}  (defaults ${b.r5.toFixed(3)}/${b.mrr.toFixed(3)})  w=${w.map((x) => x.toFixed(2)).join(',')}`);
}
const mean = (k: 'r5' | 'mrr') => results.reduce((s, r) => s + r[k], 0) / results.length;
console.log(`mean R@5 ${mean('r5').toFixed(3)} MRR ${mean('mrr').toFixed(3)}`);
