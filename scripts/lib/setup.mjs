// What `npm test` and `npm start` do before anything else on a fresh clone: install the npm
// dependencies when node_modules is missing or does not match package-lock.json. Uses only Node's
// standard library, since it runs before the dependencies exist.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Lists what in node_modules differs from package-lock.json (missing packages or other versions). */
export function findStaleDependencies() {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8'));
  const stale = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (!path.startsWith('node_modules/') || entry.link) continue;
    const manifest = join(repoRoot, path, 'package.json');
    if (!existsSync(manifest)) {
      // Optional packages for other platforms (esbuild's, for instance) are legitimately absent.
      if (!entry.optional && !entry.peer) stale.push(`${path} missing`);
      continue;
    }
    try {
      const installed = JSON.parse(readFileSync(manifest, 'utf8')).version;
      if (entry.version && installed !== entry.version) stale.push(`${path} ${installed} ≠ ${entry.version}`);
    } catch {
      stale.push(`${path} unreadable`);
    }
  }
  return stale;
}

/** Runs npm with the given arguments in the repository, under the team's npm lock when `flock` exists. */
export function runNpm(args, { stdio = 'inherit' } = {}) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const useLock = process.platform === 'linux' && existsSync('/usr/bin/flock');
  const [command, commandArgs] = useLock ? ['/usr/bin/flock', ['/tmp/biowrite-npm.lock', npm, ...args]] : [npm, args];
  return spawnSync(command, commandArgs, { cwd: repoRoot, stdio, env: process.env });
}

/** Runs `npm ci` when node_modules is absent or stale; returns whether it did. Throws when npm fails. */
export function ensureDependencies({ log = console.log } = {}) {
  const stale = existsSync(join(repoRoot, 'node_modules')) ? findStaleDependencies() : ['node_modules missing'];
  if (stale.length === 0) return false;
  log(`[setup] npm dependencies out of date (${stale.slice(0, 3).join('; ')}${stale.length > 3 ? `; +${stale.length - 3} more` : ''}): running npm ci`);
  const result = runNpm(['ci', '--no-audit', '--no-fund']);
  if (result.status !== 0) throw new Error(`npm ci failed with exit code ${result.status}`);
  return true;
}

/**
 * Builds the three bundles (development build unless `production`). Throws when the build fails.
 * BIOWRITE_SKIP_BUILD=1 uses dist/ as it is (for instance while `npm run watch` keeps it fresh).
 */
export function build({ production = false } = {}) {
  if (process.env.BIOWRITE_SKIP_BUILD === '1' && !production) {
    if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) throw new Error('BIOWRITE_SKIP_BUILD=1 but dist/extension.js does not exist: build first.');
    return;
  }
  const result = spawnSync(process.execPath, [join(repoRoot, 'esbuild.js'), ...(production ? ['--production'] : [])], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`The build failed (exit code ${result.status}).`);
}

export { repoRoot };
