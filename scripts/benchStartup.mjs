// `npm run bench:startup`: the production bundle sizes and the time of the extension's first
// activation, measured in the extension host of the real VS Code server (median of several fresh
// starts). Targets: extension bundle ≤ 1.5 MB minified, activate ≤ 50 ms. Exits 1 when one is missed.
// `--runs N` sets the number of starts (default 3).
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, ensureDependencies, repoRoot } from './lib/setup.mjs';

const runsIndex = process.argv.indexOf('--runs');
const runs = runsIndex >= 0 ? Math.max(1, Number(process.argv[runsIndex + 1])) : 3;
const bundleBudget = 1.5 * 1024 * 1024;
const activateBudgetMs = 50;

ensureDependencies();
const { ensureServerInstalled } = await import('./lib/vscodeServer.mjs');
const { buildTests } = await import('./buildTests.mjs');
const { makeTempDir } = await import('./lib/harness.mjs');
const { runInExtensionHost } = await import('./lib/extensionHost.mjs');
ensureServerInstalled();

build({ production: true });
console.log('Bundle sizes (production build):');
const sizes = {};
for (const name of ['extension', 'webview', 'cli']) {
  const file = join(repoRoot, 'dist', `${name}.js`);
  sizes[name] = statSync(file).size;
  console.log(`  dist/${name}.js  ${sizes[name].toLocaleString('en-US')} bytes (${(sizes[name] / 1024).toFixed(1)} KiB)`);
}

await buildTests();
const measurements = [];
for (let index = 0; index < runs; index += 1) {
  const reportDir = makeTempDir('biowrite-bench-');
  const reportFile = join(reportDir, 'activation.json');
  // An empty folder: nothing there (no Markdown file, no open view) activates Biowrite before the benchmark does.
  const folder = makeTempDir('biowrite-bench-workspace-');
  const { exitCode } = await runInExtensionHost({
    extensionTestsPath: join(repoRoot, 'out', 'test', 'bench', 'index.js'),
    folder,
    env: { BIOWRITE_BENCH_REPORT: reportFile },
    timeoutMs: 120_000,
    label: 'bench',
    echo: () => undefined,
  });
  if (exitCode !== 0) {
    console.error(`Run ${index + 1} failed (exit ${exitCode}); see test-results/bench-*.log`);
    process.exit(1);
  }
  const measurement = JSON.parse(readFileSync(reportFile, 'utf8'));
  if (measurement.wasActiveBefore) {
    console.error('Biowrite was already active before the benchmark: the measurement is void.');
    process.exit(1);
  }
  measurements.push(measurement);
  console.log(`  run ${index + 1}: activation ${measurement.activateMs.toFixed(1)} ms = loading the bundle ${measurement.loadMs.toFixed(1)} ms + activate() ${measurement.activateCallMs.toFixed(1)} ms (${measurement.registeredCommands} commands registered)`);
}
const medianOf = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const sorted = measurements.map((measurement) => measurement.activateMs).sort((a, b) => a - b);
const median = medianOf(sorted);
const medianLoad = medianOf(measurements.map((measurement) => measurement.loadMs));
const medianCall = medianOf(measurements.map((measurement) => measurement.activateCallMs));
console.log(`Activation (first extension.activate() in the VS Code 1.139 server's extension host, Node 24), median of ${runs} start(s):`);
console.log(`  ${median.toFixed(1)} ms in all; loading the bundle ${medianLoad.toFixed(1)} ms, activate() ${medianCall.toFixed(1)} ms`);
const withinBundle = sizes.extension <= bundleBudget;
const withinActivate = median <= activateBudgetMs;
console.log(`  extension bundle ${withinBundle ? '✓' : '✗'} ≤ 1.5 MB   activation (load + activate()) ${withinActivate ? '✓' : '✗'} ≤ ${activateBudgetMs} ms`);
mkdirSync(join(repoRoot, '.bench'), { recursive: true });
writeFileSync(join(repoRoot, '.bench', 'startup.json'), JSON.stringify({ date: new Date().toISOString(), sizes, measurements, medianActivateMs: median, medianLoadMs: medianLoad, medianActivateCallMs: medianCall }, null, 2));
// Leave dist/ as the other commands expect it: the development build, with sourcemaps.
build();
process.exit(withinBundle && withinActivate ? 0 : 1);
