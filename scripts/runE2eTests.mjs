// `npm run test:e2e`: builds the extension and runs test/e2e/**/*.test.ts with node's test runner;
// each file drives VS Code (the offline server) in headless Chromium. Arguments filter files by name.
// Screenshots of failures and the server logs go to test-results/.
// BIOWRITE_LAYER_RESULT=<file> makes it write `{ passed, failed, skipped }` there for scripts/test.mjs.
import { spawn } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build, ensureDependencies, repoRoot } from './lib/setup.mjs';
import { parseNodeTestCounts } from './lib/nodeTestCounts.mjs';

ensureDependencies();
const { ensureSystemPackages } = await import('./lib/setup.mjs');
// A Korean font too, for the screenshot of the Korean UI (korean.test.ts).
ensureSystemPackages({ hangulFont: true });
const { ensureServerInstalled } = await import('./lib/vscodeServer.mjs');
ensureServerInstalled();
build();

function listTests(directory) {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return listTests(path);
    return name.endsWith('.test.ts') ? [relative(repoRoot, path)] : [];
  });
}

const filters = process.argv.slice(2);
const files = listTests(join(repoRoot, 'test', 'e2e')).filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter))).sort();
if (files.length === 0) {
  console.error('No end-to-end tests matched.');
  process.exit(1);
}
const started = Date.now();
// One file at a time: each starts its own VS Code server and browser, and the machine has 2 cores.
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
  cwd: repoRoot,
  stdio: ['ignore', 'pipe', 'pipe'],
  env: process.env,
});
let output = '';
child.stdout.on('data', (chunk) => {
  output += chunk;
  process.stdout.write(chunk);
});
child.stderr.on('data', (chunk) => process.stderr.write(chunk));
const exitCode = await new Promise((resolveExit) => child.on('close', (code) => resolveExit(code ?? 1)));
const counts = parseNodeTestCounts(output) ?? { passed: 0, failed: 1, skipped: 0 };
if (exitCode !== 0 && counts.failed === 0) counts.failed = 1;
const result = { ...counts, seconds: Math.round((Date.now() - started) / 100) / 10 };
if (process.env.BIOWRITE_LAYER_RESULT) writeFileSync(process.env.BIOWRITE_LAYER_RESULT, JSON.stringify(result));
console.log(`[e2e] ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped in ${result.seconds} s${counts.failed ? ' (screenshots in test-results/)' : ''}`);
process.exit(exitCode === 0 ? 0 : 1);
