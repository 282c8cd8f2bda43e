// `npm run bench:claims`: the claims checker's speed on a large manuscript.
// - Whole `node cli.js check` process (the production CLI bundle) vs a process that only parses the file with remark-parse
//   (both bundled the same way, same run, median of several repetitions), on deep-review's
//   manuscript (~235 KB) and a 1 MB concatenation. Target: ≤ 2×.
// - Re-check after a one-line edit (incremental checker, in process). Target: ≤ 10 ms.
// - Longest synchronous block while a 1 MB document is checked as the extension does. Target: ≤ 50 ms.
// Needs ../shared/data (or BIOWRITE_SHARED_DATA). Options: --runs N (default 5).
import esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(process.env.BIOWRITE_SHARED_DATA ?? join(root, '..', 'shared', 'data'));
const manuscript = join(shared, 'manuscripts', 'deep-review', 'manuscript.md');
if (!existsSync(manuscript)) {
  console.error(`bench:claims: ${manuscript} is missing. Set BIOWRITE_SHARED_DATA to the shared data folder.`);
  process.exit(2);
}
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) || 5) : 5;

const benchDir = join(root, 'out', 'bench');
mkdirSync(benchDir, { recursive: true });
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', mainFields: ['module', 'main'], logLevel: 'warning', legalComments: 'none' };
// The CLI exactly as `npm run build:prod` builds dist/cli.js (built here, so another build of
// dist/ running at the same time cannot swap it mid-run).
await esbuild.build({ ...common, entryPoints: { cli: join(root, 'src/cli/main.ts') }, outdir: benchDir, minify: true, sourcemap: false });
const cli = join(benchDir, 'cli.js');
const remarkEntry = join(benchDir, 'remarkOnly.mjs');
writeFileSync(
  remarkEntry,
  "import { readFileSync } from 'node:fs';\nimport { unified } from 'unified';\nimport remarkParse from 'remark-parse';\nconst tree = unified().use(remarkParse).parse(readFileSync(process.argv[2], 'utf8'));\nif (!tree) process.exit(1);\n",
);
await esbuild.build({ ...common, entryPoints: [remarkEntry], outfile: join(benchDir, 'remarkOnly.js'), minify: true, nodePaths: [join(root, 'node_modules')] });
await esbuild.build({ ...common, entryPoints: [join(root, 'scripts/benchClaimsWorker.ts')], outfile: join(benchDir, 'claimsWorker.js'), minify: true });

const small = readFileSync(manuscript, 'utf8');
const largePath = join(tmpdir(), `biowrite-bench-1mb-${process.pid}.md`);
let large = '';
for (let copy = 1; large.length < 1024 * 1024; copy++) large += `${small.replace(/^## (.+)$/gm, `## $1 (${copy})`)}\n\n`;
writeFileSync(largePath, large);

function time(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const rows = [];
for (const [label, path] of [
  ['deep-review (235 KB)', manuscript],
  ['1 MB concatenation', largePath],
]) {
  const check = [];
  const parse = [];
  time([join(benchDir, 'remarkOnly.js'), path]);
  time([cli, 'check', '--exit-zero', path]);
  for (let run = 0; run < runs; run++) {
    parse.push(time([join(benchDir, 'remarkOnly.js'), path]));
    check.push(time([cli, 'check', '--exit-zero', '--format', 'json', path]));
  }
  rows.push({ label, bytes: readFileSync(path).length, check: median(check), parse: median(parse) });
}
const worker = spawnSync(process.execPath, [join(benchDir, 'claimsWorker.js'), manuscript, largePath], { encoding: 'utf8' });
rmSync(largePath, { force: true });
if (worker.status !== 0) throw new Error(`claims worker failed: ${worker.stderr}`);
const inProcess = JSON.parse(worker.stdout.trim().split('\n').pop());

const pass = (ok) => (ok ? 'ok' : 'MISSED');
console.log(`bench:claims (node ${process.version}, median of ${runs} runs, whole processes)`);
for (const row of rows) {
  const ratio = row.check / row.parse;
  console.log(
    `  ${row.label.padEnd(22)} ${String(row.bytes).padStart(8)} B   biowrite check ${row.check.toFixed(0).padStart(5)} ms   remark-parse only ${row.parse.toFixed(0).padStart(5)} ms   ratio ${ratio.toFixed(2)}×  (target ≤ 2×: ${pass(ratio <= 2)})`,
  );
}
console.log(
  `  re-check after a one-line edit (235 KB, 60 edits): median ${inProcess.recheckMedianMs.toFixed(2)} ms, p90 ${inProcess.recheckP90Ms.toFixed(2)} ms, max ${inProcess.recheckMaxMs.toFixed(2)} ms, ${inProcess.recheckBlocksPerEdit.toFixed(1)} block(s) re-checked per edit  (target ≤ 10 ms: ${pass(inProcess.recheckMedianMs <= 10)})`,
);
console.log(
  `  1 MB in the editor's way (checkAsync, 8 ms slices, ${inProcess.slices} slices): full ${inProcess.largeAsyncMs.toFixed(0)} ms, after an edit ${inProcess.largeEditMs.toFixed(1)} ms`,
);
console.log(
  `    longest synchronous slice: ${inProcess.longestSliceCpuMs.toFixed(1)} ms of CPU, ${inProcess.longestSliceWallMs.toFixed(1)} ms wall; longest event-loop delay ${inProcess.longestBlockMs.toFixed(1)} ms  (target ≤ 50 ms: ${pass(inProcess.longestSliceCpuMs <= 50)}; wall-clock figures include waiting for a CPU on a busy machine, load average ${inProcess.loadAverage.toFixed(1)})`,
);
console.log(`  model load (once, on the first check): ${inProcess.scorerLoadMs.toFixed(1)} ms`);
