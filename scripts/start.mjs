// `npm start`: installs what is missing, builds, and opens VS Code with Biowrite loaded on a copy of
// samples/ (in .vscode-test/try/, kept between starts, so trying the extension never edits the repository).
// With a desktop `code` on PATH it uses that (`--extensionDevelopmentPath`); otherwise it starts the
// cached VS Code server and prints the URL to open in a browser. Ctrl+C stops it.
// `--server` forces the server; `--port N` picks its port (default 8123, else a free one);
// `--restricted` opens the sample in Restricted Mode, as a freshly cloned repository would be.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { build, ensureDependencies, repoRoot } from './lib/setup.mjs';

const args = process.argv.slice(2);
const forceServer = args.includes('--server');
const portIndex = args.indexOf('--port');
const requestedPort = portIndex >= 0 ? Number(args[portIndex + 1]) : undefined;

ensureDependencies();
build();
const samples = join(repoRoot, '.vscode-test', 'try', 'samples');
if (!existsSync(samples)) {
  cpSync(join(repoRoot, 'samples'), samples, { recursive: true });
  console.log(`[start] copied samples/ to ${samples}: edit freely there; delete it to start over`);
} else {
  console.log(`[start] using your copy of the samples in ${samples} (delete it to start over)`);
}

function desktopCode() {
  if (process.env.BIOWRITE_NO_DESKTOP) return undefined;
  const found = spawnSync(process.platform === 'win32' ? 'where' : 'which', ['code'], { encoding: 'utf8' });
  const path = found.status === 0 ? found.stdout.split(/\r?\n/)[0].trim() : '';
  return path || undefined;
}

function isPortFree(port) {
  return new Promise((resolveFree) => {
    const probe = createServer();
    probe.once('error', () => resolveFree(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolveFree(true)));
  });
}

const code = forceServer ? undefined : desktopCode();
if (code) {
  console.log(`[start] opening ${samples} in ${code} with Biowrite under development`);
  const child = spawn(code, [`--extensionDevelopmentPath=${repoRoot}`, samples, join(samples, 'manuscript.md')], { stdio: 'inherit' });
  child.on('exit', (exitCode) => process.exit(exitCode ?? 0));
} else {
  const { ensureServerInstalled } = await import('./lib/vscodeServer.mjs');
  const { findFreePort, resultsDir, startServer, workbenchUrl } = await import('./lib/harness.mjs');
  const { cacheRoot } = await import('./lib/vscodeServer.mjs');
  ensureServerInstalled();
  // The smoke-test driver flag is what makes the workbench honour `extensionDevelopmentPath` in the
  // URL, so the extension loads straight from this repository: rebuild (`npm run watch`) and reload
  // the window to pick up changes. A fixed port keeps the browser's storage (user settings, the
  // API key) from one start to the next; the server's data stays in the cache folder.
  const port = requestedPort ?? (await isPortFree(8123) ? 8123 : await findFreePort());
  const server = await startServer({
    port,
    trusted: !args.includes('--restricted'),
    dataRoot: join(cacheRoot, 'start-data'),
    logFile: join(resultsDir, 'start-vscode-server.log'),
  });
  const url = workbenchUrl({ port: server.port, folder: samples, openFile: join(samples, 'manuscript.md') });
  console.log('\nBiowrite is loaded in a local VS Code (server mode) on the sample manuscript.');
  console.log(`Open this URL in a browser on this machine:\n\n  ${url}\n`);
  console.log('Open the Biowrite icon in the activity bar for the panel. Press Ctrl+C to stop.');
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.process.on('exit', (exitCode) => {
    console.log(`[start] the VS Code server exited (${exitCode}); see ${join(resultsDir, 'start-vscode-server.log')}`);
    process.exit(exitCode ?? 1);
  });
}
