// Tuning harness for the library ranking (core API, no CLI): prints R@1/R@5/R@10/MRR per manuscript.
// `npx tsx scripts/tuneCite.ts [manuscript…]`. The shipped parameters come from `npm run train:cite`, selected on all the
// manuscripts; for honest held-out figures use `npm run eval:cite -- --held-out`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCslJson } from '../src/core/literature/library/cslJson';
import { DEFAULT_PARAMETERS, LibraryIndex, type SearchParameters } from '../src/core/literature/library/librarySearch';

const root = join(__dirname, '..', '..', 'shared', 'data', 'manuscripts');

interface Query { id: string; text: string; context?: string; gold: string[] }

/** Evaluates one manuscript with the given parameters. */
export function evaluate(name: string, parameters: SearchParameters = DEFAULT_PARAMETERS): { r1: number; r5: number; r10: number; mrr: number; ms: number; n: number } {
  const { records } = parseCslJson(readFileSync(join(root, name, 'library.json'), 'utf8'));
  const queries: Query[] = readFileSync(join(root, name, 'queries.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  const index = new LibraryIndex(records, parameters);
  let r1 = 0, r5 = 0, r10 = 0, mrr = 0;
  const start = performance.now();
  for (const q of queries) {
    const hits = index.search({ text: q.text, ...(q.context ? { context: q.context } : {}) }, 10);
    const rank = hits.findIndex((h) => q.gold.includes(h.record.libraryId ?? ''));
    if (rank === 0) r1++;
    if (rank >= 0 && rank < 5) r5++;
    if (rank >= 0) { r10++; mrr += 1 / (rank + 1); }
  }
  const ms = (performance.now() - start) / queries.length;
  const n = queries.length;
  return { r1: r1 / n, r5: r5 / n, r10: r10 / n, mrr: mrr / n, ms, n };
}

if (require.main === module) {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : readdirSync(root).sort();
  for (const name of names) {
    const r = evaluate(name);
    console.log(`${name.padEnd(30)} R@1 ${r.r1.toFixed(3)} R@5 ${r.r5.toFixed(3)} R@10 ${r.r10.toFixed(3)} MRR ${r.mrr.toFixed(3)} ${r.ms.toFixed(2)} ms/q`);
  }
}
