// `npm run test:host`: builds the extension and the suite, then runs test/suite in the extension
// host of the offline VS Code server. Arguments narrow the run: `npm run test:host -- claims`
// runs the tests whose full title matches /claims/.
// BIOWRITE_LAYER_RESULT=<file> makes it write `{ passed, failed, pending }` there for scripts/test.mjs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, ensureDependencies, repoRoot } from './lib/setup.mjs';

ensureDependencies();
const { ensureSystemPackages } = await import('./lib/setup.mjs');
ensureSystemPackages();
const { ensureServerInstalled } = await import('./lib/vscodeServer.mjs');
const { buildTests } = await import('./buildTests.mjs');
const { runInExtensionHost } = await import('./lib/extensionHost.mjs');

ensureServerInstalled();
build();
await buildTests();
const grep = process.argv.slice(2).join('|');
const started = Date.now();
const { exitCode, summary } = await runInExtensionHost({
  extensionTestsPath: join(repoRoot, 'out', 'test', 'suite', 'index.js'),
  env: grep ? { BIOWRITE_TEST_GREP: grep } : {},
  timeoutMs: Number(process.env.BIOWRITE_HOST_TIMEOUT_MS ?? 10 * 60_000),
  label: 'host',
});
const result = { passed: summary?.passed ?? 0, failed: summary?.failed ?? (exitCode === 0 ? 0 : 1), pending: summary?.pending ?? 0, seconds: Math.round((Date.now() - started) / 100) / 10 };
if (exitCode !== 0 && result.failed === 0) result.failed = 1;
if (process.env.BIOWRITE_LAYER_RESULT) writeFileSync(process.env.BIOWRITE_LAYER_RESULT, JSON.stringify(result));
console.log(`[host] ${result.passed} passed, ${result.failed} failed, ${result.pending} skipped in ${result.seconds} s (exit ${exitCode})`);
process.exit(exitCode === 0 && result.failed === 0 ? 0 : 1);
