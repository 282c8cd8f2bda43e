// The start-up benchmark, run by `npm run bench:startup` in the extension host of the VS Code server
// on an empty folder, so nothing has activated Biowrite before it: it times the first
// `extension.activate()` (loading the entry module and what it imports, plus `activate()`) and writes the result as JSON to
// BIOWRITE_BENCH_REPORT.
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import * as vscode from 'vscode';

/** What one benchmark run measured. */
export interface ActivationMeasurement {
  /** Wall time of the first `extension.activate()` (loading the bundle, then `activate()`), in milliseconds. */
  readonly activateMs: number;
  /** Of that, loading (require) the bundle. */
  readonly loadMs: number;
  /** Of that, VS Code's activation with the bundle already loaded: essentially `activate()` itself. */
  readonly activateCallMs: number;
  /** Whether something had activated the extension before the measurement (which would void it). */
  readonly wasActiveBefore: boolean;
  /** How many commands the activation registered. */
  readonly registeredCommands: number;
}

/** Measures the first activation of Biowrite and writes it to BIOWRITE_BENCH_REPORT. */
export async function run(): Promise<void> {
  const reportFile = process.env.BIOWRITE_BENCH_REPORT;
  if (!reportFile) throw new Error('BIOWRITE_BENCH_REPORT is not set.');
  const extension = vscode.extensions.getExtension('biowrite.biowrite');
  if (!extension) throw new Error('biowrite.biowrite is not installed in the extension host.');
  // Activation events fire once the window is up, not while it starts: let the start-up work settle first.
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.BIOWRITE_BENCH_SETTLE_MS ?? 5000)));
  const before = new Set(await vscode.commands.getCommands(true));
  const wasActiveBefore = extension.isActive;
  const started = performance.now();
  // The extension host loads an `.mjs` main with `import`, so importing it here first splits the time
  // into loading and activating; VS Code then gets the same module from Node's module cache.
  await import(pathToFileURL(path.join(extension.extensionPath, extension.packageJSON.main as string)).href);
  const loaded = performance.now();
  await extension.activate();
  const finished = performance.now();
  const activateMs = finished - started;
  const loadMs = loaded - started;
  const activateCallMs = finished - loaded;
  const registeredCommands = (await vscode.commands.getCommands(true)).filter((command) => command.startsWith('biowrite.') && !before.has(command)).length;
  const measurement: ActivationMeasurement = { activateMs, loadMs, activateCallMs, wasActiveBefore, registeredCommands };
  fs.writeFileSync(reportFile, JSON.stringify(measurement));
}
