// `npm run train:cite:in-situ`: learns the weights of the in-situ ranking features (IN_SITU_FEATURE_NAMES:
// what the rest of the manuscript cites) on top of the shipped cold ranking, on every Manubot set in
// ../shared/data/manuscripts that has cited.md and queries-insitu.jsonl. The cold weights stay as shipped
// (`npm run train:cite` chooses them); only the in-situ weights move, by coordinate ascent from zero on the
// mean over manuscripts of MRR + 0.5 × R@5 (macro: a big review counts as much as a short article).
// Features are computed once per query, so each step is cheap. Each manuscript is seen twice: with its own
// bibliography as the library and with 1,000 entries of the other sets' libraries added (a user's library
// holds many papers the manuscript never cites).
//
// Writes:
//   src/core/literature/library/rankingParameters.json  the in-situ weights learned on all manuscripts;
//   scripts/citeInSituHeldOut.json                       for each manuscript, the in-situ weights learned on
//                                                        the OTHER manuscripts (leave-one-manuscript-out), which
//                                                        `npm run eval:cite -- --in-situ --held-out` uses.
// Only numbers are written. `--dry-run` prints the figures without writing.
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCslJson } from '../src/core/literature/library/cslJson';
import { IN_SITU_FEATURE_NAMES, ManuscriptCitations } from '../src/core/literature/library/inSitu';
import { DEFAULT_PARAMETERS, FEATURE_NAMES, FIRST_IN_SITU_FEATURE, LibraryIndex } from '../src/core/literature/library/librarySearch';
import { LineIndex } from '../src/core/manuscript/lineIndex';
import { DEFAULT_DISTRACTORS, distractorsFor } from './lib/citeDistractors.mjs';

const repo = join(__dirname, '..');
const root = process.env.BIOWRITE_EVAL_DIR ?? join(repo, '..', 'shared', 'data', 'manuscripts');
const dryRun = process.argv.includes('--dry-run');

interface Query { id: string; text: string; context?: string; gold: string[]; line: number; start: number; end: number }
/** One query, reduced to its candidates: the cold score, the in-situ features and whether each is gold. */
interface PreparedQuery { cold: Float64Array; inSitu: Float64Array[]; gold: Uint8Array; hasGold: boolean }
interface PreparedManuscript { name: string; queries: PreparedQuery[] }

const K = IN_SITU_FEATURE_NAMES.length;
const coldWeights = DEFAULT_PARAMETERS.featureWeights.slice(0, FIRST_IN_SITU_FEATURE);

function prepare(name: string, distractors = 0): PreparedManuscript {
  const dir = join(root, name);
  const ownEntries = JSON.parse(readFileSync(join(dir, 'library.json'), 'utf8')) as { id?: string; DOI?: string }[];
  const entries = distractors > 0 ? [...ownEntries, ...distractorsFor(root, name, ownEntries, distractors)] : ownEntries;
  const { records } = parseCslJson(JSON.stringify(entries));
  const coldParameters = { ...DEFAULT_PARAMETERS, featureWeights: [...coldWeights, ...IN_SITU_FEATURE_NAMES.map(() => 0)] };
  const index = new LibraryIndex(records, coldParameters);
  const text = readFileSync(join(dir, 'cited.md'), 'utf8');
  const citations = new ManuscriptCitations(index.records, text, 'markdown');
  const lines = new LineIndex(text);
  const ids = index.records.map((record) => record.libraryId ?? '');
  const queries: PreparedQuery[] = [];
  for (const line of readFileSync(join(dir, 'queries-insitu.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const q = JSON.parse(line) as Query;
    const base = lines.lineStarts[q.line] ?? 0;
    const features = index.features({ text: q.text, ...(q.context ? { context: q.context } : {}), inSitu: { citations, span: { start: base + q.start, end: base + q.end } } });
    const gold = new Set(q.gold);
    const candidates: number[] = [];
    for (let doc = 0; doc < ids.length; doc++) {
      const cold = features[0][doc] !== 0 || features[1][doc] !== 0 || features[4][doc] !== 0 || features[5][doc] !== 0;
      // As LibraryIndex.search: cited in or beside the paragraph, or by sentences sharing words with it.
      const near = features[FIRST_IN_SITU_FEATURE][doc] > 0 || features[FIRST_IN_SITU_FEATURE + 1][doc] > 0 || features[FIRST_IN_SITU_FEATURE + 5][doc] > 0;
      if (cold || near) candidates.push(doc);
    }
    const cold = new Float64Array(candidates.length);
    const inSitu = IN_SITU_FEATURE_NAMES.map(() => new Float64Array(candidates.length));
    const goldMask = new Uint8Array(candidates.length);
    candidates.forEach((doc, c) => {
      let score = 0;
      for (let f = 0; f < FIRST_IN_SITU_FEATURE; f++) score += coldWeights[f] * features[f][doc];
      cold[c] = score;
      for (let k = 0; k < K; k++) inSitu[k][c] = features[FIRST_IN_SITU_FEATURE + k][doc];
      goldMask[c] = gold.has(ids[doc]) ? 1 : 0;
    });
    queries.push({ cold, inSitu, gold: goldMask, hasGold: goldMask.includes(1) });
  }
  return { name, queries };
}

interface Scores { r1: number; r5: number; r10: number; mrr: number }

/** The rank of the first gold candidate under `scores` (ties broken by library order, as in search()). */
function goldRank(q: PreparedQuery, scores: Float64Array): number {
  const n = scores.length;
  let bestGold = -Infinity;
  for (let c = 0; c < n; c++) if (q.gold[c] && scores[c] > bestGold) bestGold = scores[c];
  let firstGold = -1;
  for (let c = 0; c < n; c++) if (q.gold[c] && scores[c] === bestGold) { firstGold = c; break; }
  let rank = 0;
  for (let c = 0; c < n; c++) if (scores[c] > bestGold || (scores[c] === bestGold && c < firstGold && !q.gold[c])) rank++;
  return rank;
}

/** Each candidate's score under in-situ weights `w`. */
function scoresOf(q: PreparedQuery, w: readonly number[]): Float64Array {
  const scores = new Float64Array(q.cold.length);
  for (let c = 0; c < scores.length; c++) {
    let s = q.cold[c];
    for (let k = 0; k < K; k++) s += w[k] * q.inSitu[k][c];
    scores[c] = s;
  }
  return scores;
}

/** R@1, R@5, R@10 and MRR (first gold in the top 10) from the gold ranks of a manuscript's queries (a query without gold counts as a miss). */
function summarise(ranks: readonly number[]): Scores {
  let r1 = 0, r5 = 0, r10 = 0, mrr = 0;
  for (const rank of ranks) {
    if (rank === 0) r1++;
    if (rank < 5) r5++;
    if (rank < 10) { r10++; mrr += 1 / (rank + 1); }
  }
  const total = Math.max(1, ranks.length);
  return { r1: r1 / total, r5: r5 / total, r10: r10 / total, mrr: mrr / total };
}

function score(m: PreparedManuscript, w: readonly number[]): Scores {
  return summarise(m.queries.map((q) => (q.hasGold ? goldRank(q, scoresOf(q, w)) : Infinity)));
}

const objective = (s: Scores): number => s.mrr + 0.5 * s.r5;

/**
 * Coordinate ascent over the in-situ weights, from zero, on the given manuscripts. Each query keeps its
 * candidates' current scores, so trying a new value of one weight adds (new − old) × that feature instead
 * of recomputing every feature: the same steps and result as a full recomputation, several times faster.
 */
function learn(use: readonly PreparedManuscript[]): number[] {
  const w = IN_SITU_FEATURE_NAMES.map(() => 0);
  const current = use.map((m) => m.queries.map((q) => scoresOf(q, w)));
  let scratch = new Float64Array(0);
  /** The objective with weight k moved by `delta`. */
  const valueWith = (k: number, delta: number): number => {
    let total = 0;
    use.forEach((m, i) => {
      const ranks = m.queries.map((q, j) => {
        if (!q.hasGold) return Infinity;
        const base = current[i][j];
        if (scratch.length < base.length) scratch = new Float64Array(base.length);
        const trial = scratch.subarray(0, base.length);
        const feature = q.inSitu[k];
        for (let c = 0; c < base.length; c++) trial[c] = base[c] + delta * feature[c];
        return goldRank(q, trial);
      });
      total += objective(summarise(ranks));
    });
    return total / use.length;
  };
  const move = (k: number, delta: number): void => {
    use.forEach((m, i) => m.queries.forEach((q, j) => {
      const base = current[i][j];
      const feature = q.inSitu[k];
      for (let c = 0; c < base.length; c++) base[c] += delta * feature[c];
    }));
  };
  let value = valueWith(0, 0);
  for (let round = 0; round < 6; round++) {
    let improved = false;
    for (let k = 0; k < K; k++) {
      const base = w[k];
      const step = Math.max(Math.abs(base) / 2, 0.5);
      for (const candidate of [base - 4 * step, base - step, base - step / 2, base + step / 2, base + step, base + 4 * step, 0]) {
        const next = Math.round(candidate * 1e3) / 1e3;
        const v = valueWith(k, next - w[k]);
        if (v > value + 1e-9) {
          move(k, next - w[k]);
          w[k] = next;
          value = v;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return w;
}

const names = readdirSync(root)
  .filter((name) => ['cited.md', 'queries-insitu.jsonl', 'library.json'].every((file) => existsSync(join(root, name, file))))
  .sort();
// Each manuscript twice: against its own bibliography (every entry cited somewhere) and against a
// library with distractors (most entries cited nowhere), so the weights fit a user's Zotero library as
// well as the manuscript's bibliography file. The objective weighs both equally.
const manuscripts = names.flatMap((name) => [prepare(name), { ...prepare(name, DEFAULT_DISTRACTORS), name: `${name} +distractors` }]);
const setOf = (m: PreparedManuscript): string => m.name.replace(/ \+distractors$/, '');
const f = (x: number): string => x.toFixed(3);
const zero = IN_SITU_FEATURE_NAMES.map(() => 0);
console.log(`${'held-out manuscript'.padEnd(30)}   R@1    R@5    R@10   MRR    (cold R@5 / MRR)`);
const heldOut: Record<string, { inSituWeights: number[]; r5: number; mrr: number }> = {};
const rows: Scores[] = [];
const coldRows: Scores[] = [];
const distractedRows: Scores[] = [];
const distractedColdRows: Scores[] = [];
for (const name of names) {
  const [own, distracted] = manuscripts.filter((m) => setOf(m) === name);
  const w = learn(manuscripts.filter((other) => setOf(other) !== name));
  const s = score(own, w);
  const cold = score(own, zero);
  const sd = score(distracted, w);
  rows.push(s);
  coldRows.push(cold);
  distractedRows.push(sd);
  distractedColdRows.push(score(distracted, zero));
  heldOut[name] = { inSituWeights: w, r5: Math.round(s.r5 * 1e4) / 1e4, mrr: Math.round(s.mrr * 1e4) / 1e4 };
  console.log(`${name.padEnd(30)}   ${f(s.r1)}  ${f(s.r5)}  ${f(s.r10)}  ${f(s.mrr)}  (${f(cold.r5)} / ${f(cold.mrr)})   with distractors R@5 ${f(sd.r5)} MRR ${f(sd.mrr)}`);
}
const mean = (list: Scores[], key: keyof Scores): number => list.reduce((sum, s) => sum + s[key], 0) / Math.max(1, list.length);
console.log(`${'mean (leave-one-manuscript-out)'.padEnd(30)}   ${f(mean(rows, 'r1'))}  ${f(mean(rows, 'r5'))}  ${f(mean(rows, 'r10'))}  ${f(mean(rows, 'mrr'))}  (${f(mean(coldRows, 'r5'))} / ${f(mean(coldRows, 'mrr'))})   with ${DEFAULT_DISTRACTORS} distractors R@5 ${f(mean(distractedRows, 'r5'))} MRR ${f(mean(distractedRows, 'mrr'))} (cold ${f(mean(distractedColdRows, 'r5'))} / ${f(mean(distractedColdRows, 'mrr'))})`);
const shipped = learn(manuscripts);
console.log(`in-situ weights (all manuscripts): ${IN_SITU_FEATURE_NAMES.map((name, k) => `${name} ${shipped[k]}`).join(', ')}`);
if (!dryRun) {
  const file = join(repo, 'src', 'core', 'literature', 'library', 'rankingParameters.json');
  const current = JSON.parse(readFileSync(file, 'utf8')) as { featureWeights: number[] };
  current.featureWeights = [...current.featureWeights.slice(0, FIRST_IN_SITU_FEATURE), ...shipped];
  writeFileSync(file, `${JSON.stringify(current, null, 2)}\n`);
  writeFileSync(join(repo, 'scripts', 'citeInSituHeldOut.json'), `${JSON.stringify(heldOut, null, 2)}\n`);
  console.log(`Wrote ${file} (${FEATURE_NAMES.length} feature weights) and scripts/citeInSituHeldOut.json.`);
}
