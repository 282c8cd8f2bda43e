// `npm test`: everything a fresh clone needs, then every test layer in order, then a summary.
// Installs what is missing first (npm dependencies via `npm ci`, the cached VS Code server), builds,
// then runs: typecheck, lint, unit, extension-host (real VS Code server), end-to-end (Chromium).
// Every layer runs even when an earlier one failed, so one run shows everything; the exit code is 1
// on any failure. The last line is `N passed, N failed`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, ensureDependencies, ensureSystemPackages, repoRoot } from './lib/setup.mjs';
import { parseNodeTestCounts } from './lib/nodeTestCounts.mjs';

const started = Date.now();
const seconds = (since) => Math.round((Date.now() - since) / 100) / 10;
const resultDir = mkdtempSync(join(tmpdir(), 'biowrite-test-'));
process.on('exit', () => rmSync(resultDir, { recursive: true, force: true }));

function banner(title) {
  console.log(`\n━━━ ${title} ${'━'.repeat(Math.max(0, 70 - title.length))}`);
}

/** Runs a command, echoing its output; resolves to its exit code and output. */
function runLayer(command, args, env = {}) {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.on('error', (error) => resolveRun({ code: 1, output: `${output}\n${error.message}` }));
    child.on('close', (code) => resolveRun({ code: code ?? 1, output }));
  });
}

function readLayerResult(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const rows = [];

banner('setup');
let setupFailed = false;
try {
  ensureDependencies();
  ensureSystemPackages();
  const { ensureServerInstalled } = await import('./lib/vscodeServer.mjs');
  const installSeconds = ensureServerInstalled();
  console.log(installSeconds > 0 ? `[setup] VS Code server installed in ${installSeconds} s` : '[setup] VS Code server cache present');
  build();
  console.log('[setup] built dist/');
} catch (error) {
  console.error(`[setup] ${error instanceof Error ? error.message : error}`);
  setupFailed = true;
}
rows.push({ layer: 'setup', passed: setupFailed ? 0 : 1, failed: setupFailed ? 1 : 0, skipped: 0, seconds: seconds(started) });

/** A check without test counts (typecheck, lint): one pass or one failure. */
async function check(layer, script) {
  banner(layer);
  const since = Date.now();
  const { code } = await runLayer(npm, ['run', '--silent', script]);
  rows.push({ layer, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0, seconds: seconds(since) });
}

await check('typecheck', 'typecheck');
await check('lint', 'lint');

banner('unit');
{
  const since = Date.now();
  const { code, output } = await runLayer(npm, ['run', '--silent', 'test:unit']);
  const counts = parseNodeTestCounts(output) ?? { passed: 0, failed: code === 0 ? 0 : 1, skipped: 0 };
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  rows.push({ layer: 'unit', ...counts, seconds: seconds(since) });
}

for (const [layer, script] of [['extension host', 'test:host'], ['end-to-end', 'test:e2e']]) {
  banner(layer);
  const since = Date.now();
  if (setupFailed) {
    console.log(`[${layer}] not run: the set-up failed`);
    rows.push({ layer, passed: 0, failed: 1, skipped: 0, seconds: 0 });
    continue;
  }
  const resultFile = join(resultDir, `${script.replace(/\W/g, '-')}.json`);
  const { code } = await runLayer(npm, ['run', '--silent', script], { BIOWRITE_LAYER_RESULT: resultFile });
  const result = readLayerResult(resultFile) ?? { passed: 0, failed: 1, pending: 0 };
  const failed = code !== 0 && !result.failed ? 1 : result.failed;
  rows.push({ layer, passed: result.passed, failed, skipped: result.skipped ?? result.pending ?? 0, seconds: seconds(since) });
}

banner('summary');
const pad = (text, width) => String(text).padEnd(width);
const padLeft = (text, width) => String(text).padStart(width);
console.log(`${pad('layer', 16)}${padLeft('passed', 8)}${padLeft('failed', 8)}${padLeft('skipped', 9)}${padLeft('seconds', 9)}`);
for (const row of rows) {
  const mark = row.failed > 0 ? '✗' : '✓';
  console.log(`${pad(`${mark} ${row.layer}`, 16)}${padLeft(row.passed, 8)}${padLeft(row.failed, 8)}${padLeft(row.skipped, 9)}${padLeft(row.seconds, 9)}`);
}
const total = rows.reduce((sum, row) => ({ passed: sum.passed + row.passed, failed: sum.failed + row.failed, skipped: sum.skipped + row.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log(`(typecheck, lint and setup count as one check each; total ${seconds(started)} s${total.failed ? '; logs and screenshots in test-results/' : ''})`);
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed > 0 ? 1 : 0);
