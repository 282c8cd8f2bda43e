// `npm run bench:startup`: the production bundle sizes and the time of the extension's first
// activation, measured in the extension host of the real VS Code server (median of several fresh
// starts). The extension is an ES module split into chunks: activation loads the entry and the chunks it
// imports statically; the rest (the claims model, the literature clients, `openai`, `yaml`) loads on
// first use. Targets: everything the extension ships ≤ 1.5 MB minified; loading at activation (the entry,
// the chunks it imports and VS Code's `vscode` module for it) ≤ 40 ms; `activate()` ≤ 25 ms; the two
// together ≤ 60 ms. Of the loading, 10–14 ms is VS Code making the `vscode` API for an ES module: a
// one-line module that imports `vscode` takes that long in the same host.
// Exits 1 when one is missed. `--runs N` sets the number of starts (default 5).
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, ensureDependencies, ensureSystemPackages, repoRoot } from './lib/setup.mjs';

const runsIndex = process.argv.indexOf('--runs');
const runs = runsIndex >= 0 ? Math.max(1, Number(process.argv[runsIndex + 1])) : 5;
const bundleBudget = 1.5 * 1024 * 1024;
const loadBudgetMs = 40;
const activateCallBudgetMs = 25;
const activateBudgetMs = 60;

ensureDependencies();
// The benchmark drives the server's window in Chromium, like the host tests.
ensureSystemPackages();
const { ensureServerInstalled } = await import('./lib/vscodeServer.mjs');
const { buildTests } = await import('./buildTests.mjs');
const { makeTempDir } = await import('./lib/harness.mjs');
const { runInExtensionHost } = await import('./lib/extensionHost.mjs');
ensureServerInstalled();

build({ production: true, metafile: true });
console.log('Bundle sizes (production build):');
const meta = JSON.parse(readFileSync(join(repoRoot, 'dist', 'meta-extension.json'), 'utf8'));
const outputs = Object.entries(meta.outputs).filter(([file]) => file.endsWith('.mjs'));
/** The entry and every chunk it imports statically: what loading the extension reads. */
const loadedAtActivation = new Set();
for (const stack = ['dist/extension.mjs']; stack.length > 0; ) {
  const file = stack.pop();
  if (loadedAtActivation.has(file)) continue;
  loadedAtActivation.add(file);
  for (const imported of meta.outputs[file]?.imports ?? []) if (imported.kind === 'import-statement' && !imported.external) stack.push(imported.path);
}
const kib = (bytes) => `${bytes.toLocaleString('en-US')} bytes (${(bytes / 1024).toFixed(1)} KiB)`;
const sizes = {
  extension: outputs.reduce((sum, [, output]) => sum + output.bytes, 0),
  extensionAtActivation: outputs.filter(([file]) => loadedAtActivation.has(file)).reduce((sum, [, output]) => sum + output.bytes, 0),
  webview: statSync(join(repoRoot, 'dist', 'webview.js')).size,
  cli: statSync(join(repoRoot, 'dist', 'cli.js')).size,
};
console.log(`  extension, all ${outputs.length} files   ${kib(sizes.extension)}`);
console.log(`  of which loaded at activation    ${kib(sizes.extensionAtActivation)} (dist/extension.mjs and ${loadedAtActivation.size - 1} chunks)`);
console.log(`  dist/webview.js                  ${kib(sizes.webview)}`);
console.log(`  dist/cli.js                      ${kib(sizes.cli)}`);

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
const withinLoad = medianLoad <= loadBudgetMs;
const withinCall = medianCall <= activateCallBudgetMs;
const withinActivate = median <= activateBudgetMs;
const mark = (ok) => (ok ? '✓' : '✗');
console.log(
  `  extension ${mark(withinBundle)} ≤ 1.5 MB   loading ${mark(withinLoad)} ≤ ${loadBudgetMs} ms   activate() ${mark(withinCall)} ≤ ${activateCallBudgetMs} ms   activation in all ${mark(withinActivate)} ≤ ${activateBudgetMs} ms`,
);
mkdirSync(join(repoRoot, '.bench'), { recursive: true });
writeFileSync(join(repoRoot, '.bench', 'startup.json'), JSON.stringify({ date: new Date().toISOString(), sizes, measurements, medianActivateMs: median, medianLoadMs: medianLoad, medianActivateCallMs: medianCall }, null, 2));
// Leave dist/ as the other commands expect it: the development build, with sourcemaps.
build();
process.exit(withinBundle && withinLoad && withinCall && withinActivate ? 0 : 1);
