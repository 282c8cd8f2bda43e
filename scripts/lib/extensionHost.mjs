// Runs a compiled suite inside the remote extension host of the VS Code server: the page gets
// `codeAutomationExit` before it loads, the workbench calls it with the suite's exit code, and the
// suite's report file (BIOWRITE_TEST_REPORT) is tailed to the terminal meanwhile.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copySampleWorkspace, launchBrowser, makeTempDir, resultsDir, startServer, workbenchUrl } from './harness.mjs';
import { repoRoot } from './vscodeServer.mjs';

/** The extension's own log files (its LogOutputChannel) under the server's folders, newest run last. */
function extensionLogs(server) {
  const found = [];
  const walk = (dir, depth) => {
    if (depth > 8 || !existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, depth + 1);
      // The channel's file: …/exthost1/biowrite.biowrite/Biowrite.log (or "1-Biowrite.log").
      else if (/(^|-)Biowrite\.log$/.test(entry.name)) found.push(path);
    }
  };
  for (const dir of [server.serverDataDir, server.userDataDir]) walk(dir, 0);
  return found;
}

function tailer(file, write) {
  let offset = 0;
  return () => {
    if (!existsSync(file)) return;
    const size = statSync(file).size;
    if (size < offset) offset = 0;
    if (size === offset) return;
    const buffer = Buffer.alloc(size - offset);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, offset);
    } finally {
      closeSync(fd);
    }
    offset = size;
    write(buffer.toString('utf8'));
  };
}

/**
 * Runs `extensionTestsPath` (a compiled file exporting `run()`) in the extension host with the sample
 * workspace (or `folder`) open. Resolves to `{ exitCode, summary, reportText }`; `summary` is the
 * suite's JSON report when it wrote one. `trusted: false` runs it in Restricted Mode. Never hangs: after `timeoutMs` it gives up with exit code 1.
 */
export async function runInExtensionHost({ extensionTestsPath, folder, extensionDevelopmentPath, trusted = true, env = {}, timeoutMs = 10 * 60_000, label = 'host', echo = (text) => process.stdout.write(text) }) {
  mkdirSync(resultsDir, { recursive: true });
  const workspace = folder ?? copySampleWorkspace();
  const reportDir = makeTempDir(`biowrite-${label}-report-`);
  const reportFile = join(reportDir, 'report.txt');
  writeFileSync(reportFile, '');
  const server = await startServer({
    env: { ...env, BIOWRITE_TEST_REPORT: reportFile, BIOWRITE_REPO_ROOT: repoRoot },
    logFile: join(resultsDir, `${label}-vscode-server.log`),
    trusted,
  });
  const browserLogPath = join(resultsDir, `${label}-browser-console.log`);
  const browserLog = [];
  const { browser, close } = await launchBrowser();
  const flush = tailer(reportFile, echo);
  const poll = setInterval(flush, 250);
  let exitCode = 1;
  let extensionLogText = '';
  try {
    const page = await browser.newPage();
    page.on('console', (message) => browserLog.push(`[${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => browserLog.push(`[pageerror] ${error.message}`));
    let resolveExit;
    const exited = new Promise((resolveCode) => {
      resolveExit = resolveCode;
    });
    await page.exposeFunction('codeAutomationExit', (code) => {
      resolveExit(Number(code));
    });
    let timer;
    const timedOut = new Promise((resolveCode) => {
      timer = setTimeout(() => resolveCode('timeout'), timeoutMs);
    });
    await page.goto(workbenchUrl({ port: server.port, folder: workspace, extensionTestsPath, ...(extensionDevelopmentPath ? { extensionDevelopmentPath } : {}) }));
    const outcome = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      echo(`\n[${label}] timed out after ${Math.round(timeoutMs / 1000)} s without the suite finishing.\n`);
      await page.screenshot({ path: join(resultsDir, `${label}-timeout.png`) }).catch(() => undefined);
      exitCode = 1;
    } else {
      exitCode = outcome;
    }
  } finally {
    clearInterval(poll);
    flush();
    writeFileSync(browserLogPath, browserLog.join('\n'));
    await close();
    await server.stop();
    // Biowrite's own log says why a command gave up (no editor, a failed request…), which an
    // assertion on its result cannot: kept beside the other logs, and its end shown on failure.
    const logs = extensionLogs(server).map((file) => readFileSync(file, 'utf8')).join('\n');
    extensionLogText = logs;
    writeFileSync(join(resultsDir, `${label}-biowrite.log`), logs);
  }
  let summary;
  try {
    summary = JSON.parse(readFileSync(`${reportFile}.json`, 'utf8'));
  } catch {
    summary = undefined;
  }
  const reportText = readFileSync(reportFile, 'utf8');
  if (exitCode !== 0 && !summary) {
    // The suite never reported: show why (extension or suite failed to load) from the browser console.
    const errors = browserLog.filter((line) => /error|fail|exception/i.test(line)).slice(-30);
    echo(`\n[${label}] the suite did not report results (exit ${exitCode}). Browser console errors (all in ${browserLogPath}):\n${errors.join('\n')}\n`);
  }
  if ((exitCode !== 0 || (summary?.failed ?? 0) > 0) && extensionLogText.trim() !== '') {
    const tail = extensionLogText.trimEnd().split('\n').slice(-60).join('\n');
    echo(`\n[${label}] the end of Biowrite's log (all of it in test-results/${label}-biowrite.log):\n${tail}\n`);
  }
  return { exitCode, summary, reportText };
}
