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
export function build({ production = false, metafile = false } = {}) {
  if (process.env.BIOWRITE_SKIP_BUILD === '1' && !production) {
    if (!existsSync(join(repoRoot, 'dist', 'extension.mjs'))) throw new Error('BIOWRITE_SKIP_BUILD=1 but dist/extension.mjs does not exist: build first.');
    return;
  }
  const result = spawnSync(process.execPath, [join(repoRoot, 'esbuild.js'), ...(production ? ['--production'] : []), ...(metafile ? ['--metafile'] : [])], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`The build failed (exit code ${result.status}).`);
}

/** Whether a Debian package is installed (by dpkg; false where there is no dpkg). */
function debianPackageInstalled(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && /install ok installed/.test(result.stdout);
}

/** Whether fontconfig knows a font covering `language` (false without fontconfig). */
function hasFontFor(language) {
  const result = spawnSync('fc-list', [`:lang=${language}`, 'family'], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() !== '';
}

/**
 * The system packages the tests and the VS Code server build need: Debian's `chromium` (drives the
 * workbench; BIOWRITE_CHROMIUM names another browser) and `libkrb5-dev` (the server's kerberos
 * module compiles against it). Installs the missing ones with apt-get when running as root on
 * Debian; otherwise throws with the exact command, before a long build would fail in node-gyp.
 * `hangulFont` (off unless asked) adds `fonts-nanum`, a font with Korean glyphs, so that the Korean UI
 * test's screenshot shows text instead of empty boxes (its assertions read the DOM and need no font).
 * @param {{ chromium?: boolean, krb5?: boolean, hangulFont?: boolean, log?: (line: string) => void }} [needs] What is needed (default: Chromium and the headers).
 * @returns {string[]} The packages installed now.
 */
export function ensureSystemPackages({ chromium = true, krb5 = true, hangulFont = false, log = console.log } = {}) {
  if (process.platform !== 'linux') return [];
  const missing = [];
  if (chromium && !process.env.BIOWRITE_CHROMIUM && !existsSync('/usr/bin/chromium')) missing.push('chromium');
  const hasDpkg = spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' }).status === 0;
  // Without dpkg (another distribution) the header decides: that is what node-gyp needs.
  if (krb5 && (hasDpkg ? !debianPackageInstalled('libkrb5-dev') : !existsSync('/usr/include/gssapi/gssapi.h'))) missing.push('libkrb5-dev');
  // Only on Debian: elsewhere any installed Korean font will do, and none only makes the screenshot unreadable.
  if (hangulFont && hasDpkg && !debianPackageInstalled('fonts-nanum') && !hasFontFor('ko')) missing.push('fonts-nanum');
  if (missing.length === 0) return [];
  const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !hasDpkg || spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) {
    // The font is a nicety: without it only the Korean screenshot is unreadable, so say so and go on.
    if (missing.every((name) => name === 'fonts-nanum')) {
      log(`[setup] no Korean font: the Korean UI screenshot will show boxes (install one with: sudo ${command})`);
      return [];
    }
    throw new Error(`missing system packages: ${missing.join(', ')}. Install them with: sudo apt-get update && sudo ${command} (on other systems, install Chromium and the Kerberos development headers; BIOWRITE_CHROMIUM names another Chromium).`);
  }
  log(`[setup] installing system packages: ${missing.join(', ')} (apt-get, as root)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing]]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) throw new Error(`apt-get ${args[0]} failed (exit code ${result.status}); run: apt-get update && ${command}`);
  }
  return missing;
}

export { repoRoot };
