// Experiment (temporary): random search over ranking parameters, each config scored on every manuscript;
// leave-one-manuscript-out selection reported.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCslJson } from '../src/core/literature/library/cslJson';
import { DEFAULT_PARAMETERS, LibraryIndex, type SearchParameters } from '../src/core/literature/library/librarySearch';
import { tokenize } from '../src/core/literature/library/tokenize';
import type { LiteratureRecord } from '../src/core/literature/types';

const root = join(__dirname, '..', '..', 'shared', 'data', 'manuscripts');
interface Query { id: string; text: string; context?: string; gold: string[] }
const names = readdirSync(root).sort();
const sets = names.map((name) => {
  const { records } = parseCslJson(readFileSync(join(root, name, 'library.json'), 'utf8'));
  const queries: Query[] = readFileSync(join(root, name, 'queries.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  return { name, records, queries };
});
function splitSentences(text: string): string[] { return text.split(/(?<=[.!?])\s+(?=[A-Z0-9(\[])/u).filter((x) => x.trim()); }
let seed = 12345;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const u = (a: number, b: number) => a + (b - a) * rnd();
function evalConfig(p: SearchParameters, near: [number, number], recs: LiteratureRecord[], queries: Query[]) {
  const index = new LibraryIndex(recs, p);
  const ix = index as unknown as { addTerms(sc: Float64Array, w: Map<string, number>): void };
  const ids = recs.map((r) => r.libraryId ?? '');
  let r5 = 0, mrr = 0;
  for (const q of queries) {
    const f = index.features({ text: q.text, ...(q.context ? { context: q.context } : {}) });
    const scores = new Float64Array(recs.length);
    for (let k = 0; k < f.length; k++) { const w = p.featureWeights[k]; if (w) for (let d = 0; d < scores.length; d++) scores[d] += w * f[k][d]; }
    if ((near[0] || near[1]) && q.context) {
      const sents = splitSentences(q.context);
      const i = sents.findIndex((x) => x.includes(q.text.slice(0, 40)) || q.text.includes(x.slice(0, 40)));
      const qt = new Set(tokenize(q.text));
      for (const [j, w] of [[i - 1, near[0]], [i + 1, near[1]]] as const) {
        if (i < 0 || j < 0 || j >= sents.length || !w) continue;
        const m = new Map<string, number>();
        for (const t of tokenize(sents[j])) if (!qt.has(t)) m.set(t, 1);
        const g = new Float64Array(recs.length); ix.addTerms(g, m);
        for (let d = 0; d < scores.length; d++) scores[d] += w * g[d];
      }
    }
    let best = -Infinity;
    for (let d = 0; d < scores.length; d++) if (q.gold.includes(ids[d]) && scores[d] > best) best = scores[d];
    let rank = 0;
    for (let d = 0; d < scores.length; d++) if (scores[d] > best) rank++;
    if (rank < 5) r5++;
    if (rank < 10) mrr += 1 / (rank + 1);
  }
  return { r5: r5 / queries.length, mrr: mrr / queries.length };
}
const N = Number(process.argv[2] ?? 60);
const rows: { p: SearchParameters; near: [number, number]; m: { r5: number; mrr: number }[] }[] = [];
for (let c = 0; c < N; c++) {
  const d = DEFAULT_PARAMETERS;
  const p: SearchParameters = c === 0 ? d : {
    k1: u(0.8, 2.5),
    weights: { title: u(2, 8), abstract: u(0.1, 1.5), keywords: u(0.5, 3), authors: u(0.3, 2), container: u(0, 1) },
    b: { title: u(0.2, 0.9), abstract: u(0.4, 1), keywords: 0.5, authors: 0.3, container: 0.3 },
    featureWeights: [1, u(0, 0.3), u(-0.5, 0.5), u(-0.5, 0.3), u(0, 2), u(4, 30), u(2, 12), u(-6, 4), u(0, 2), u(-4, 0)],
  };
  const near: [number, number] = c === 0 ? [0, 0] : [rnd() < 0.3 ? 0 : u(0, 0.3), rnd() < 0.3 ? 0 : u(0, 0.3)];
  rows.push({ p, near, m: sets.map((s) => evalConfig(p, near, s.records, s.queries)) });
  if (c % 10 === 9) process.stderr.write(`${c + 1}\n`);
}
writeFileSync('/tmp/citeSearch.json', JSON.stringify(rows));
const obj = (m: { r5: number; mrr: number }) => m.mrr + 0.5 * m.r5;
let sr5 = 0, smrr = 0;
for (let h = 0; h < sets.length; h++) {
  let bi = 0, bo = -1;
  rows.forEach((r, i) => { const o = r.m.reduce((s, m, j) => (j === h ? s : s + obj(m)), 0); if (o > bo) { bo = o; bi = i; } });
  const m = rows[bi].m[h];
  sr5 += m.r5; smrr += m.mrr;
  console.log(`${sets[h].name.padEnd(30)} held-out R@5 ${m.r5.toFixed(3)} MRR ${m.mrr.toFixed(3)} (default ${rows[0].m[h].r5.toFixed(3)}/${rows[0].m[h].mrr.toFixed(3)}) config ${bi}`);
}
console.log(`mean R@5 ${(sr5 / sets.length).toFixed(3)} MRR ${(smrr / sets.length).toFixed(3)}`);
