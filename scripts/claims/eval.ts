/**
 * `npm run eval:claims`: measures the claims checker on ../shared/data/manuscripts through the
 * CLI (`node dist/cli.js check --format json --threshold 0 --exit-zero manuscript.md`), against
 * `cited` in sentences.jsonl. Prints per manuscript and averaged: precision, recall, F1 of flagged
 * sentences, average precision (AP) of the scores, the share of cited sentences and AP / share,
 * for the shipped model (in-sample) and leave-one-manuscript-out (held-out).
 *
 * A gold sentence counts as flagged when one finding with score >= threshold covers at least
 * half of it, in (line, UTF-16 character) space; its score for AP is the highest score among
 * findings covering at least half of it (0 when none does).
 *
 * Options: `--threshold T` (default: the model's suggested threshold), `--no-build` (use the
 * existing dist/cli.js), `--core` (skip the CLI: score sentences.jsonl through src/core).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { extractFeatures } from '../../src/core/claims/features';
import { compileModel, logitOf, sigmoid, type ClaimModel } from '../../src/core/claims/model';
import { MODEL_OVERRIDE_ENV } from '../../src/core/claims/scorer';
import { loadManuscripts, loadPmc, sharedDataDir, type LabelledDocument } from './data';
import { calibrate, figuresOf, formatTable, leaveOneOut, meanFigures, type Figures } from './crossValidate';
import { featurize, toModelFile, type TrainOptions } from './logistic';

const MODEL_PATH = join('src', 'core', 'claims', 'claimModel.json');
const CLI_PATH = join('dist', 'cli.js');

interface Position {
  line: number;
  character: number;
}

interface Finding {
  score: number;
  range: { start: Position; end: Position };
}

interface CliReport {
  version: number;
  files: { path: string; findings: Finding[] }[];
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Runs the CLI on files; returns findings by resolved path, or an error message. */
function runCli(files: readonly string[], modelPath?: string, extraArgs: readonly string[] = []): Map<string, Finding[]> | string {
  const env = { ...process.env };
  if (modelPath) env[MODEL_OVERRIDE_ENV] = modelPath;
  else delete env[MODEL_OVERRIDE_ENV];
  const result = spawnSync(process.execPath, [CLI_PATH, 'check', '--format', 'json', '--threshold', '0', '--exit-zero', ...extraArgs, ...files], { env, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (result.error) return `could not run the CLI: ${result.error.message}`;
  if (result.status !== 0) return `the CLI exited with ${result.status}: ${(result.stderr || result.stdout).trim().slice(0, 300)}`;
  let report: CliReport;
  try {
    report = JSON.parse(result.stdout) as CliReport;
  } catch {
    return `the CLI did not print JSON: ${result.stdout.slice(0, 200)}`;
  }
  if (!report || !Array.isArray(report.files)) return 'the CLI JSON has no "files" array';
  const byPath = new Map<string, Finding[]>();
  for (const file of report.files) byPath.set(resolve(file.path), Array.isArray(file.findings) ? file.findings : []);
  return byPath;
}

/** Scores of the gold sentences from CLI findings (see the file comment for the rule). */
export function goldScores(doc: LabelledDocument, findings: readonly Finding[]): number[] {
  const byLine = new Map<number, Finding[]>();
  for (const f of findings) {
    const from = f.range?.start?.line;
    const to = f.range?.end?.line;
    if (typeof from !== 'number' || typeof to !== 'number' || typeof f.score !== 'number') continue;
    for (let l = from; l <= to && l - from < 10000; l++) {
      const list = byLine.get(l) ?? [];
      list.push(f);
      byLine.set(l, list);
    }
  }
  return doc.sentences.map((s) => {
    const line = s.line ?? -1;
    const start = s.start ?? 0;
    const end = s.end ?? 0;
    const length = Math.max(end - start, 1);
    let best = 0;
    for (const f of byLine.get(line) ?? []) {
      const lo = f.range.start.line === line ? f.range.start.character : 0;
      const hi = f.range.end.line === line ? f.range.end.character : Number.POSITIVE_INFINITY;
      const overlap = Math.min(end, hi) - Math.max(start, lo);
      if (overlap * 2 >= length && f.score > best) best = f.score;
    }
    return best;
  });
}

/** Scores of the gold sentences through src/core directly (gold segmentation and context). */
function coreScores(doc: LabelledDocument, model: ClaimModel): number[] {
  const compiled = compileModel(model);
  return doc.sentences.map((s) => {
    const z = logitOf(compiled, extractFeatures(s.input, model.features));
    return sigmoid(model.calibration.a * z + model.calibration.b);
  });
}

function printTable(title: string, rows: Figures[]): Figures {
  const mean = meanFigures(rows);
  process.stdout.write(`\n${title}\n${formatTable([...rows, mean])}\n`);
  const ratio = rows.reduce((sum, r) => sum + r.ap / Math.max(r.share, 1e-9), 0) / Math.max(rows.length, 1);
  const reached = rows.filter((r) => r.ap >= 2.5 * r.share).map((r) => r.name);
  process.stdout.write(`mean of per-manuscript AP/share: ${ratio.toFixed(2)} (mean AP / mean share: ${(mean.ap / mean.share).toFixed(2)}); AP >= 2.5 x share on ${reached.length}/${rows.length}${reached.length < rows.length ? `; not on ${rows.filter((r) => !reached.includes(r.name)).map((r) => `${r.name} (2.5 x share = ${(2.5 * r.share).toFixed(2)})`).join(', ')}` : ''}\n`);
  const flagAll = rows.reduce((sum, r) => sum + (2 * r.share) / (1 + r.share), 0) / Math.max(rows.length, 1);
  process.stdout.write(`baseline (flag every sentence): mean F1 ${flagAll.toFixed(3)}, mean precision ${mean.share.toFixed(3)}\n`);
  process.stdout.write(`targets: mean F1 ${mean.f1.toFixed(3)} ${mean.f1 >= 0.5 ? '>=' : '<'} 0.50, mean precision ${mean.precision.toFixed(3)} ${mean.precision >= 0.5 ? '>=' : '<'} 0.50\n`);
  return mean;
}

/** CLI configurations measured: the issue's command (default skipped sections) and all sections. */
const CLI_CONFIGS: readonly { readonly label: string; readonly args: readonly string[] }[] = [
  { label: 'default skipped sections (the issue\'s command)', args: [] },
  { label: 'all sections (--skip-sections "")', args: ['--skip-sections', ''] },
];

function main(): void {
  const started = Date.now();
  const model = JSON.parse(readFileSync(MODEL_PATH, 'utf8')) as ClaimModel;
  compileModel(model);
  const threshold = Number(argValue('--threshold') ?? model.suggestedThreshold);
  const root = sharedDataDir();
  const manuscripts = loadManuscripts(root);
  const paths = manuscripts.map((d) => join(root, 'manuscripts', d.name, 'manuscript.md'));
  const labels = manuscripts.map((doc) => doc.sentences.map((s) => s.cited));
  process.stdout.write(`Claims evaluation on ${manuscripts.length} manuscripts in ${root}; threshold ${threshold}\n`);

  let useCli = !process.argv.includes('--core');
  if (useCli && !process.argv.includes('--no-build')) {
    const build = spawnSync(process.execPath, ['esbuild.js'], { encoding: 'utf8' });
    if (build.status !== 0) process.stdout.write(`note: \`npm run build\` failed (${(build.stderr || build.stdout).trim().split('\n')[0] ?? ''}); using the existing ${CLI_PATH} if any\n`);
  }
  if (useCli && !existsSync(CLI_PATH)) {
    process.stdout.write(`note: ${CLI_PATH} is missing; falling back to scoring sentences.jsonl through src/core\n`);
    useCli = false;
  }
  if (useCli) {
    const probe = runCli([paths[0]]);
    if (typeof probe === 'string') {
      process.stdout.write(`note: CLI unavailable (${probe}); falling back to scoring sentences.jsonl through src/core\n`);
      useCli = false;
    }
  }
  const summary: string[] = [];
  const record = (title: string, rows: Figures[]): void => {
    const mean = printTable(title, rows);
    const ratio = rows.reduce((sum, r) => sum + r.ap / Math.max(r.share, 1e-9), 0) / Math.max(rows.length, 1);
    summary.push(`${title.padEnd(72)} P ${mean.precision.toFixed(3)}  R ${mean.recall.toFixed(3)}  F1 ${mean.f1.toFixed(3)}  AP ${mean.ap.toFixed(3)}  mean AP/share ${ratio.toFixed(2)}`);
  };

  // Shipped model: in-sample for every manuscript (it was trained on all of them).
  if (useCli) {
    for (const config of CLI_CONFIGS) {
      const result = runCli(paths, undefined, config.args);
      if (typeof result === 'string') throw new Error(`CLI failed: ${result}`);
      record(
        `Shipped model, in-sample, CLI, ${config.label}`,
        manuscripts.map((doc, k) => figuresOf(doc.name, goldScores(doc, result.get(resolve(paths[k])) ?? []), labels[k], threshold)),
      );
    }
  }
  record(
    'Shipped model, in-sample, src/core on sentences.jsonl',
    manuscripts.map((doc, k) => figuresOf(doc.name, coreScores(doc, model), labels[k], threshold)),
  );

  // Held-out: retrain without each manuscript, with the shipped model's hyper-parameters.
  const options = (model.training as { options?: TrainOptions }).options;
  if (!options) {
    process.stdout.write('\nThe model file records no training options: held-out figures skipped.\n');
    return;
  }
  const pmc = loadPmc(root);
  const features = featurize([...manuscripts, ...pmc], options.features);
  const heldOut = leaveOneOut(manuscripts, pmc, options, features);
  const calibration = calibrate(heldOut);
  const dir = mkdtempSync(join(tmpdir(), 'biowrite-claims-eval-'));
  try {
    const foldModels = heldOut.map((h) => toModelFile(h.weights, options, calibration, threshold, { heldOut: h.doc.name }));
    if (useCli) {
      const foldPaths = heldOut.map((h, k) => {
        const path = join(dir, `${h.doc.name}.json`);
        writeFileSync(path, JSON.stringify(foldModels[k]));
        return path;
      });
      for (const config of CLI_CONFIGS) {
        record(
          `Held-out (leave one manuscript out), CLI, ${config.label}`,
          heldOut.map((h, k) => {
            const result = runCli([paths[k]], foldPaths[k], config.args);
            if (typeof result === 'string') throw new Error(`CLI failed on ${h.doc.name}: ${result}`);
            return figuresOf(h.doc.name, goldScores(h.doc, result.get(resolve(paths[k])) ?? []), labels[k], threshold);
          }),
        );
      }
    }
    record(
      'Held-out (leave one manuscript out), src/core on sentences.jsonl',
      heldOut.map((h, k) => figuresOf(h.doc.name, coreScores(h.doc, foldModels[k]), labels[k], threshold)),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`\nSummary (means over manuscripts, threshold ${threshold}):\n${summary.join('\n')}\n`);
  process.stdout.write(`\nHeld-out models use the shipped hyper-parameters; their Platt calibration is fitted on the pooled held-out logits (as in training), and the threshold was chosen from those held-out scores. Done in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
}

main();
