// Starts the cached VS Code server and headless Chromium, for the extension-host suite,
// the end-to-end tests, the start-up benchmark and `npm start`.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureServerInstalled, nodeBinary, repoRoot, serverMain } from './vscodeServer.mjs';

/** Where test output (logs, screenshots) goes. */
export const resultsDir = join(repoRoot, 'test-results');

/** Chromium's flags for a headless, quiet, offline run. */
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Finds a free TCP port on 127.0.0.1. */
export function findFreePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function httpOk(url) {
  return new Promise((resolveOk) => {
    const request = get(url, (response) => {
      response.resume();
      resolveOk(response.statusCode !== undefined && response.statusCode < 500);
    });
    request.on('error', () => resolveOk(false));
    request.setTimeout(2000, () => request.destroy());
  });
}

const cleanups = new Set();
let exitHooksInstalled = false;

function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  const runCleanups = () => {
    for (const cleanup of cleanups) {
      try {
        cleanup();
      } catch {
        // Best effort: the process is going away.
      }
    }
    cleanups.clear();
  };
  process.on('exit', runCleanups);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      runCleanups();
      process.exit(130);
    });
  }
}

/** A fresh temporary folder; removed on exit unless `keep`. */
export function makeTempDir(prefix, { keep = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (!keep) {
    installExitHooks();
    cleanups.add(() => rmSync(dir, { recursive: true, force: true }));
  }
  return dir;
}

/** Copies samples/ to a fresh temporary folder, so tests never change the repository's sample. */
export function copySampleWorkspace() {
  const workspace = makeTempDir('biowrite-workspace-');
  cpSync(join(repoRoot, 'samples'), workspace, { recursive: true });
  return workspace;
}

/**
 * Registers an empty language pack for `locale` in the server's user data folder, as installing a
 * language-pack extension would: code-server serves a display language other than English only when
 * its `languagepacks.json` lists a pack for it (else `vscode.env.language` stays `en`, whatever the
 * `--locale` flag, argv.json, cookie or browser language say). The pack translates nothing, so VS Code's
 * own UI stays English, while the workbench, and with it `vscode.env.language`, the extensions'
 * `package.nls.<locale>.json` and `l10n/bundle.l10n.<locale>.json`, switch to `locale`.
 * @param {string} userDataDir The server's --user-data-dir.
 * @param {string} locale A VS Code language id, e.g. `ko` or `zh-cn`.
 * @returns {string} The languagepacks.json written.
 */
export function writePlaceholderLanguagePack(userDataDir, locale) {
  const packDir = join(userDataDir, 'placeholder-language-packs', locale);
  mkdirSync(packDir, { recursive: true });
  const translations = join(packDir, 'main.i18n.json');
  // VS Code's core messages come from `contents` (module → key → message); none, so all stay English.
  writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  const languagePacks = join(userDataDir, 'languagepacks.json');
  writeFileSync(
    languagePacks,
    JSON.stringify(
      {
        [locale]: {
          hash: `biowrite-placeholder-${locale}`,
          // The server's language-pack service reads the first entry's id; a pack without one breaks the extension list.
          extensions: [{ extensionIdentifier: { id: `biowrite-tests.placeholder-language-pack-${locale}` }, version: '0.0.0' }],
          translations: { vscode: translations },
          label: locale,
        },
      },
      null,
      2,
    ),
  );
  return languagePacks;
}

/**
 * Starts VS Code's server (inside the cached code-server) on a free port, with fresh user and server
 * data folders so no setting leaks from one run to the next. `env` is added to the server's
 * environment, which its extension hosts inherit. `trusted: false` keeps workspace trust on, so a
 * folder opens in Restricted Mode as a freshly cloned repository does. `locale` (e.g. `ko`) sets the
 * display language (`--locale` and a placeholder language pack, see {@link writePlaceholderLanguagePack}).
 * Resolves once the server answers HTTP.
 */
export async function startServer({ env = {}, smokeTestDriver = true, trusted = true, logFile = join(resultsDir, 'vscode-server.log'), keepData = false, dataRoot: fixedDataRoot, port: requestedPort, locale } = {}) {
  ensureServerInstalled();
  installExitHooks();
  const port = requestedPort ?? (await findFreePort());
  const dataRoot = fixedDataRoot ?? makeTempDir('biowrite-vscode-', { keep: keepData });
  const userDataDir = join(dataRoot, 'user-data');
  const serverDataDir = join(dataRoot, 'server-data');
  const extensionsDir = join(dataRoot, 'extensions');
  for (const dir of [userDataDir, serverDataDir, extensionsDir]) mkdirSync(dir, { recursive: true });
  // Machine settings of the remote (under the server's --user-data-dir): keep the workbench quiet and
  // deterministic for tests and first runs. Application-scoped settings (Biowrite's endpoints among
  // them) are not read from here: they live in the browser profile, fresh for every test run.
  mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
  writeFileSync(
    join(userDataDir, 'Machine', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'editor.stickyScroll.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'update.mode': 'none',
        'telemetry.telemetryLevel': 'off',
      },
      null,
      2,
    ),
  );
  const args = [
    serverMain,
    '--host', '127.0.0.1',
    '--port', String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--disable-telemetry',
    '--user-data-dir', userDataDir,
    '--server-data-dir', serverDataDir,
    '--extensions-dir', extensionsDir,
  ];
  if (smokeTestDriver) args.push('--enable-smoke-test-driver');
  if (trusted) args.push('--disable-workspace-trust');
  if (locale && !locale.toLowerCase().startsWith('en')) {
    writePlaceholderLanguagePack(userDataDir, locale.toLowerCase());
    // The flag wins over argv.json, the `vscode.nls.locale` cookie and the browser's Accept-Language.
    args.push('--locale', locale.toLowerCase());
  }
  mkdirSync(resultsDir, { recursive: true });
  const log = createWriteStream(logFile);
  const child = spawn(nodeBinary, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env, VSCODE_CLI: undefined, ELECTRON_RUN_AS_NODE: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const stop = () => {
    if (exited) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  cleanups.add(stop);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await httpOk(`${url}/version`))) {
    if (exited) throw new Error(`The VS Code server exited during start-up; see ${logFile}`);
    if (Date.now() > deadline) {
      stop();
      throw new Error(`The VS Code server did not answer on ${url} within 60 s; see ${logFile}`);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
  return {
    port,
    url,
    userDataDir,
    serverDataDir,
    extensionsDir,
    process: child,
    async stop() {
      stop();
      cleanups.delete(stop);
      if (!exited) await Promise.race([new Promise((resolveExit) => child.once('exit', resolveExit)), new Promise((resolveWait) => setTimeout(resolveWait, 5000))]);
      if (!exited) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    },
  };
}

/** The Chromium to drive: BIOWRITE_CHROMIUM, else Debian's. */
export function chromiumPath() {
  const path = process.env.BIOWRITE_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`Chromium not found at ${path}: install Debian's chromium (apt-get install -y chromium) or set BIOWRITE_CHROMIUM.`);
  return path;
}

/** Launches headless Chromium through playwright-core (which kills the browsers it launched when this process exits). */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: chromiumArgs });
  return {
    browser,
    async close() {
      await Promise.race([browser.close().catch(() => undefined), new Promise((resolveWait) => setTimeout(resolveWait, 10_000))]);
    },
  };
}

/**
 * The workbench URL that opens `folder` with the extension under development loaded and, when
 * `extensionTestsPath` is given, runs that suite (honoured only with --enable-smoke-test-driver);
 * `openFile` (an absolute path) opens that file in an editor.
 */
export function workbenchUrl({ port, folder, extensionDevelopmentPath = repoRoot, extensionTestsPath, openFile }) {
  const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
  const payload = [['extensionDevelopmentPath', remote(extensionDevelopmentPath)]];
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  if (openFile) payload.push(['openFile', remote(openFile)]);
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
