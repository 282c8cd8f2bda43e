// `npm run eval:cite`: runs the built CLI (`biowrite cite`) on each ../shared/data/manuscripts/*/queries.jsonl
// against that manuscript's library.json and prints R@1, R@5, R@10 and MRR per manuscript, the means, and the
// CLI's own search time per query. R@k = share of queries with at least one gold reference in the top k;
// MRR = mean of 1/rank of the first gold reference (0 when none is in the top 10).
//
// Without options it measures the SHIPPED ranking parameters, which `npm run train:cite` selected on the
// sets marked * (their rows are "trained": optimistic; the other sets were never seen).
// `npm run eval:cite -- --held-out` gives the honest figures: each set marked * is ranked with the parameters
// selected on the other * sets only (scripts/citeHeldOutParameters.json, from `npm run train:cite`, passed
// to the CLI with `--ranking`), the others with the shipped ones, which never saw them.
// `npm run eval:cite -- --pmc` measures out of domain: sets built from the six PubMed Central JATS articles
// in ../shared/data/pmc (wet-lab and clinical papers whose reference lists have titles but no abstracts;
// see scripts/pmcCiteSets.ts), ranked with the shipped parameters, which never saw them.
// `-- --baseline` (with or without --pmc) ranks with the issue's baseline instead: plain BM25 (k1 1.2,
// b 0.75) over title and abstract, the sentence alone as the query.
// `-- --in-situ` measures the in-situ protocol: each query is a sentence of cited.md (the manuscript with
// its citations) placed by queries-insitu.jsonl, and `biowrite cite --manuscript` ranks with what the rest
// of the manuscript cites (the sentence's own citations ignored). With `--held-out`, each manuscript's
// in-situ weights are those learned on the OTHER manuscripts (scripts/citeInSituHeldOut.json, from
// `npm run train:cite:in-situ`); the cold weights are the shipped ones, which were chosen on seven of
// these sets (marked * below) and never saw the others.
// `-- --distractors N` adds N entries of the other sets' libraries to each manuscript's library, as a
// user's own library of many papers holds entries the manuscript never cites (combines with the others).
// `-- --fetch-abstracts` runs `biowrite cite --fetch-abstracts` against ../shared/refs/fake_services.py serving
// ../shared/refs/world.json (PubMed, OpenAlex, Europe PMC on 127.0.0.1), so entries without an abstract are
// ranked with the one the services hold for their DOI or PMID. `-- --strip-abstracts` first removes the
// library's abstract from every entry the world serves one for: with and without --fetch-abstracts it
// measures what enrichment recovers for entries whose library copy has none (combines with the others).
import { distractorsFor } from './lib/citeDistractors.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(fileURLToPath(import.meta.url), '..', '..');
const cli = join(repo, 'dist', 'cli.js');
const pmcMode = process.argv.includes('--pmc');
const baselineMode = process.argv.includes('--baseline');
const BASELINE = {
  k1: 1.2,
  weights: { title: 1, abstract: 1, keywords: 0, authors: 0, container: 0, url: 0 },
  b: { title: 0.75, abstract: 0.75, keywords: 0.75, authors: 0.75, container: 0.75, url: 0.75 },
  featureWeights: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
};
const heldOutMode = process.argv.includes('--held-out');
const fetchAbstracts = process.argv.includes('--fetch-abstracts');
const stripAbstracts = process.argv.includes('--strip-abstracts');
const inSituMode = process.argv.includes('--in-situ');
if (inSituMode && (pmcMode || baselineMode)) {
  console.error('--in-situ combines only with --held-out: the PMC sets and the baseline have no in-situ data.');
  process.exit(2);
}
if (baselineMode && heldOutMode) {
  console.error('--baseline and --held-out do not combine: the baseline has nothing trained.');
  process.exit(2);
}
if (pmcMode && heldOutMode) {
  console.error('--pmc and --held-out do not combine: the PMC sets took no part in training, so every figure on them is held out.');
  process.exit(2);
}
const pmcScratch = pmcMode ? mkdtempSync(join(tmpdir(), 'biowrite-eval-pmc-')) : '';
process.on('exit', () => pmcScratch && rmSync(pmcScratch, { recursive: true, force: true }));
if (pmcMode) {
  const built = spawnSync(process.execPath, [join(repo, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(repo, 'scripts', 'pmcCiteSets.ts'), pmcScratch], { encoding: 'utf8' });
  if (built.status !== 0) {
    console.error(`Could not build the PMC sets:\n${built.stderr}`);
    process.exit(2);
  }
}
const root = pmcMode ? pmcScratch : process.env.BIOWRITE_EVAL_DIR ?? join(repo, '..', 'shared', 'data', 'manuscripts');
const heldOutFile = join(repo, 'scripts', inSituMode ? 'citeInSituHeldOut.json' : 'citeHeldOutParameters.json');
const heldOutParameters = heldOutMode ? JSON.parse(readFileSync(heldOutFile, 'utf8')) : {};
const shippedParameters = JSON.parse(readFileSync(join(repo, 'src', 'core', 'literature', 'library', 'rankingParameters.json'), 'utf8'));
/** The sets the shipped cold weights were chosen on. */
const coldTrainedOn = new Set(Object.keys(JSON.parse(readFileSync(join(repo, 'scripts', 'citeHeldOutParameters.json'), 'utf8'))));
const scratch = heldOutMode || baselineMode || fetchAbstracts || stripAbstracts || process.argv.includes('--distractors') ? mkdtempSync(join(tmpdir(), 'biowrite-eval-cite-')) : '';
process.on('exit', () => scratch && rmSync(scratch, { recursive: true, force: true }));

if (!existsSync(cli)) {
  console.error('dist/cli.js is missing: run `npm run build` first.');
  process.exit(2);
}
if (!existsSync(root)) {
  console.error(`No evaluation sets at ${root} (set BIOWRITE_EVAL_DIR).`);
  process.exit(2);
}

const refsDir = join(repo, '..', 'shared', 'refs');
/** The abstracts the fake services hold, by `doi:…` and `pmid:…`. */
const worldAbstracts = new Map();
/** An identifier as the CLI compares it: DOIs lower-cased without a resolver prefix, PMIDs without leading zeros. */
const doiKey = (doi) => `doi:${String(doi).trim().replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:)/i, '').toLowerCase()}`;
const pmidKey = (pmid) => `pmid:${String(pmid).trim().replace(/^0+/, '')}`;
if (fetchAbstracts || stripAbstracts) {
  if (!existsSync(join(refsDir, 'world.json'))) {
    console.error(`No world of records at ${refsDir}/world.json: --fetch-abstracts and --strip-abstracts need ../shared/refs.`);
    process.exit(2);
  }
  for (const record of JSON.parse(readFileSync(join(refsDir, 'world.json'), 'utf8')).records) {
    if (!record.abstract) continue;
    if (record.doi) worldAbstracts.set(doiKey(record.doi), record.abstract);
    if (record.pmid) worldAbstracts.set(pmidKey(record.pmid), record.abstract);
  }
}
/** The environment of each CLI run: with --fetch-abstracts, the fakes' URLs and a fresh cache per manuscript. */
const cliEnvironment = { ...process.env };
let fakes;
if (fetchAbstracts) {
  fakes = spawn('python3', [join(refsDir, 'fake_services.py'), join(refsDir, 'world.json'), '0', '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  process.on('exit', () => fakes.kill('SIGTERM'));
  const base = await new Promise((resolve, reject) => {
    let seen = '';
    fakes.stderr.on('data', (chunk) => {
      seen += chunk;
      const match = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match) resolve(match[1]);
    });
    fakes.on('exit', (code) => reject(new Error(`fake_services.py exited (${code}): ${seen}`)));
  });
  Object.assign(cliEnvironment, { BIOWRITE_PUBMED_URL: `${base}/pubmed`, BIOWRITE_EUROPEPMC_URL: `${base}/europepmc`, BIOWRITE_OPENALEX_URL: `${base}/openalex`, BIOWRITE_CROSSREF_URL: `${base}/crossref` });
}
let strippedTotal = 0;
let fetchedTotal = 0;
let lackingTotal = 0;

const distractorsArg = process.argv.indexOf('--distractors');
const distractorCount = distractorsArg >= 0 ? Number(process.argv[distractorsArg + 1]) : 0;
if (distractorsArg >= 0 && !(Number.isInteger(distractorCount) && distractorCount > 0)) {
  console.error('--distractors takes a positive whole number.');
  process.exit(2);
}

/** The library a manuscript is ranked against: its own, plus `--distractors N` entries of the other sets' (see lib/citeDistractors.mjs). */
function libraryFor(name, dir) {
  const ownPath = join(dir, 'library.json');
  if (distractorCount === 0 && !stripAbstracts) return ownPath;
  let own = JSON.parse(readFileSync(ownPath, 'utf8'));
  if (stripAbstracts) {
    own = own.map((entry) => {
      const served = [entry.DOI && doiKey(entry.DOI), entry.PMID && pmidKey(entry.PMID)].some((key) => key && worldAbstracts.has(key));
      if (!served || !entry.abstract) return entry;
      strippedTotal++;
      const { abstract, ...rest } = entry;
      return rest;
    });
  }
  const path = join(scratch, `${name}-library.json`);
  writeFileSync(path, JSON.stringify([...own, ...(distractorCount > 0 ? distractorsFor(root, name, own, distractorCount) : [])]));
  return path;
}

function evaluate(name) {
  const dir = join(root, name);
  const queriesFile = join(dir, inSituMode ? 'queries-insitu.jsonl' : 'queries.jsonl');
  const gold = new Map(
    readFileSync(queriesFile, 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line))
      .map((q) => [q.id, new Set(q.gold)]),
  );
  const extra = [];
  if (baselineMode) {
    const file = join(scratch, 'baseline.json');
    writeFileSync(file, JSON.stringify(BASELINE));
    extra.push('--ranking', file);
  }
  // A set the cold weights were never chosen on is held out already: the shipped weights rank it.
  const alreadyHeldOut = heldOutMode && !inSituMode && !heldOutParameters[name] && !coldTrainedOn.has(name);
  if (heldOutMode && !alreadyHeldOut) {
    const fold = heldOutParameters[name];
    if (!fold) throw new Error(`${name}: no held-out parameters in ${heldOutFile}; run \`npm run ${inSituMode ? 'train:cite:in-situ' : 'train:cite'}\` first.`);
    const file = join(scratch, `${name}.json`);
    const parameters = inSituMode
      ? { ...shippedParameters, featureWeights: [...shippedParameters.featureWeights.slice(0, shippedParameters.featureWeights.length - fold.inSituWeights.length), ...fold.inSituWeights] }
      : fold.parameters;
    writeFileSync(file, JSON.stringify(parameters));
    extra.push('--ranking', file);
  }
  if (inSituMode) extra.push('--manuscript', join(dir, 'cited.md'));
  if (fetchAbstracts) extra.push('--fetch-abstracts');
  const library = libraryFor(name, dir);
  const run = spawnSync(process.execPath, [cli, 'cite', '--library', library, '--queries', queriesFile, '--top', '10', '--format', 'jsonl', '--stats', ...extra], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: fetchAbstracts ? { ...cliEnvironment, BIOWRITE_CACHE_DIR: join(scratch, `${name}-cache`) } : cliEnvironment,
  });
  if (run.status !== 0) throw new Error(`biowrite cite failed on ${name} (exit ${run.status}):\n${run.stderr}`);
  if (fetchAbstracts) {
    const summary = /abstracts: (\d+) entr(?:y lacks|ies lack) one .*?; (\d+) fetched/.exec(run.stderr);
    if (!summary) throw new Error(`${name}: biowrite cite --fetch-abstracts said nothing about abstracts:\n${run.stderr}`);
    lackingTotal += Number(summary[1]);
    fetchedTotal += Number(summary[2]);
    if (/warning: abstracts:/.test(run.stderr)) console.error(`${name}: ${run.stderr.split('\n').filter((line) => /warning: abstracts:/.test(line)).join('\n')}`);
  }
  const msPerQuery = Number(/([\d.]+) ms\/query/.exec(run.stderr)?.[1] ?? NaN);
  let r1 = 0, r5 = 0, r10 = 0, mrr = 0, n = 0;
  for (const line of run.stdout.split('\n')) {
    if (!line.trim()) continue;
    const { id, results } = JSON.parse(line);
    const relevant = gold.get(id);
    if (!relevant) continue;
    n++;
    const rank = results.findIndex((result) => relevant.has(result.id));
    if (rank === 0) r1++;
    if (rank >= 0 && rank < 5) r5++;
    if (rank >= 0 && rank < 10) {
      r10++;
      mrr += 1 / (rank + 1);
    }
  }
  if (n !== gold.size) throw new Error(`${name}: ${gold.size} queries but ${n} answers.`);
  const libraryRecords = JSON.parse(readFileSync(library, 'utf8')).length;
  return { name, n, libraryRecords, r1: r1 / n, r5: r5 / n, r10: r10 / n, mrr: mrr / n, msPerQuery };
}

const names = readdirSync(root)
  .filter((name) => ['library.json', ...(inSituMode ? ['queries-insitu.jsonl', 'cited.md'] : ['queries.jsonl'])].every((file) => existsSync(join(root, name, file))))
  .sort();
const rows = names.map(evaluate);
// The fakes would keep this process alive.
fakes?.kill('SIGTERM');
fakes?.stderr.destroy();
const setLabel = baselineMode ? 'baseline' : heldOutMode ? 'held-out' : pmcMode ? 'unseen' : 'trained';
if (inSituMode) console.log(`In situ: each sentence ranked with what the rest of its manuscript cites (${heldOutMode ? 'in-situ weights learned on the other manuscripts' : 'shipped in-situ weights, learned on all these manuscripts'}; * = a set the cold weights were chosen on).`);
if (baselineMode) console.log('Baseline: BM25 (k1 1.2, b 0.75) over title and abstract, the sentence alone as the query.');
else console.log(
  pmcMode
    ? 'Out of domain: PubMed Central articles (reference titles only, no abstracts), shipped parameters, never trained on.'
    : heldOutMode
    ? 'Held-out: each manuscript ranked with parameters selected on the other manuscripts only (leave-one-manuscript-out; a set without * was never used to choose them, so the shipped ones rank it).'
    : 'Shipped parameters (selected on all these manuscripts by `npm run train:cite`; see `-- --held-out` for honest figures).',
);
if (stripAbstracts) console.log(`Abstracts stripped from ${strippedTotal} library entries the fake services hold one for.`);
if (fetchAbstracts) console.log(`Abstract enrichment (fake services on ../shared/refs/world.json): ${fetchedTotal} fetched for ${lackingTotal} entries without one that have a DOI or PMID.`);
const f = (x) => x.toFixed(3);
const header = `${'manuscript'.padEnd(30)} ${'set'.padEnd(8)} ${'queries'.padStart(7)} ${'refs'.padStart(5)}   R@1    R@5    R@10   MRR    ms/query`;
console.log(header);
console.log('-'.repeat(header.length));
for (const r of rows) {
  console.log(`${(coldTrainedOn.has(r.name) ? `${r.name}*` : r.name).padEnd(30)} ${setLabel.padEnd(8)} ${String(r.n).padStart(7)} ${String(r.libraryRecords).padStart(5)}   ${f(r.r1)}  ${f(r.r5)}  ${f(r.r10)}  ${f(r.mrr)}  ${r.msPerQuery.toFixed(3)}`);
}
const mean = (list, key) => list.reduce((sum, r) => sum + r[key], 0) / Math.max(1, list.length);
const unseenCold = rows.filter((r) => !coldTrainedOn.has(r.name));
for (const [label, list] of [[`mean (${setLabel})`, rows], [`mean, sets without *`, unseenCold]]) {
  if (list.length === 0) continue;
  console.log(`${label.padEnd(30)} ${''.padEnd(8)} ${String(list.reduce((s, r) => s + r.n, 0)).padStart(7)} ${''.padStart(5)}   ${f(mean(list, 'r1'))}  ${f(mean(list, 'r5'))}  ${f(mean(list, 'r10'))}  ${f(mean(list, 'mrr'))}  ${mean(list, 'msPerQuery').toFixed(3)}`);
}
