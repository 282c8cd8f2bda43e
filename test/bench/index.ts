// The start-up benchmark, run by `npm run bench:startup` in the extension host of the VS Code server
// on an empty folder, so nothing has activated Biowrite before it: it times the first
// `extension.activate()` (loading the bundle plus `activate()`) and writes the result as JSON to
// BIOWRITE_BENCH_REPORT.
import * as fs from 'fs';
import * as vscode from 'vscode';

/** What one benchmark run measured. */
export interface ActivationMeasurement {
  /** Wall time of the first `extension.activate()`, in milliseconds. */
  readonly activateMs: number;
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
  const before = new Set(await vscode.commands.getCommands(true));
  const wasActiveBefore = extension.isActive;
  const started = performance.now();
  await extension.activate();
  const activateMs = performance.now() - started;
  const registeredCommands = (await vscode.commands.getCommands(true)).filter((command) => command.startsWith('biowrite.') && !before.has(command)).length;
  const measurement: ActivationMeasurement = { activateMs, wasActiveBefore, registeredCommands };
  fs.writeFileSync(reportFile, JSON.stringify(measurement));
}
