/**
 * `npm run eval:claims`: measures the claims checker on every labelled document of ../shared/data:
 * the Manubot manuscripts through the CLI (`node dist/cli.js check --format json --threshold 0
 * --exit-zero manuscript.md`, against `cited` in sentences.jsonl) and the PMC articles through
 * src/core on their sentences. Prints per document, per kind (review, methods, research, PMC) and
 * averaged: precision, recall, F1 of flagged sentences, average precision (AP) of the scores, the
 * share of cited sentences, AP / share and the expected calibration error, for the shipped model
 * (in-sample), leave one document out and leave one kind out; then the Korean test set.
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
import { DOCUMENT_KINDS, loadManuscripts, loadPmc, sharedDataDir, type DocumentKind, type LabelledDocument } from './data';
import { calibrate, figuresOf, formatTable, leaveGroupOut, meanFigures, type Figures } from './crossValidate';
import { printKorean } from './korean';
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

const flagAllF1 = (r: Figures): number => (2 * r.share) / (1 + r.share);

function printTable(title: string, rows: Figures[], kinds: readonly DocumentKind[]): Figures {
  const mean = meanFigures(rows);
  const perKind = DOCUMENT_KINDS.filter((kind) => kinds.includes(kind)).map((kind) => {
    const mine = rows.filter((_, k) => kinds[k] === kind);
    return { ...meanFigures(mine), name: `mean of ${kind} (${mine.length})` };
  });
  process.stdout.write(`\n${title}\n${formatTable([...rows, ...perKind, mean])}\n`);
  const ratio = rows.reduce((sum, r) => sum + r.ap / Math.max(r.share, 1e-9), 0) / Math.max(rows.length, 1);
  const below = rows.filter((r) => r.f1 < flagAllF1(r));
  process.stdout.write(`mean of per-document AP/share: ${ratio.toFixed(2)}; ECE (10 bins) ${mean.ece.toFixed(3)}\n`);
  process.stdout.write(`below flag-every-sentence F1: ${below.length}/${rows.length}${below.length ? ` (${below.map((r) => `${r.name} ${r.f1.toFixed(3)} < ${flagAllF1(r).toFixed(3)}`).join(', ')})` : ''}\n`);
  const lowPrecision = perKind.filter((k) => k.precision < 0.5).map((k) => `${k.name} ${k.precision.toFixed(3)}`);
  const lowF1 = perKind.filter((k) => k.f1 < 0.5).map((k) => `${k.name} ${k.f1.toFixed(3)}`);
  process.stdout.write(`targets: mean F1 ${mean.f1.toFixed(3)} ${mean.f1 >= 0.5 ? '>=' : '<'} 0.50 (F1 below 0.50: ${lowF1.length === 0 ? 'none' : lowF1.join(', ')}); precision >= 0.50 on every kind: ${lowPrecision.length === 0 ? 'yes' : `no (${lowPrecision.join(', ')})`}; AP/share ${ratio.toFixed(2)} ${ratio >= 2.5 ? '>=' : '<'} 2.5\n`);
  return mean;
}

function main(): void {
  const started = Date.now();
  const model = JSON.parse(readFileSync(MODEL_PATH, 'utf8')) as ClaimModel;
  compileModel(model);
  const threshold = Number(argValue('--threshold') ?? model.suggestedThreshold);
  const root = sharedDataDir();
  const manuscripts = loadManuscripts(root);
  const pmc = loadPmc(root);
  const all = [...manuscripts, ...pmc];
  const kinds = all.map((d) => d.kind);
  const paths = manuscripts.map((d) => join(root, 'manuscripts', d.name, 'manuscript.md'));
  const labels = all.map((doc) => doc.sentences.map((s) => s.cited));
  process.stdout.write(`Claims evaluation on ${manuscripts.length} Manubot manuscripts and ${pmc.length} PMC articles in ${root}; threshold ${threshold}\n`);
  process.stdout.write('Manuscripts are checked through the CLI (`biowrite check`, default sections); PMC articles (JATS, which the CLI does not read) through src/core on their sentences.\n');

  let useCli = !process.argv.includes('--core');
  if (useCli && !process.argv.includes('--no-build')) {
    const build = spawnSync(process.execPath, ['esbuild.js'], { encoding: 'utf8' });
    if (build.status !== 0) process.stdout.write(`note: \`npm run build\` failed (${(build.stderr || build.stdout).trim().split('\n')[0] ?? ''}); using the existing ${CLI_PATH} if any\n`);
  }
  if (useCli && !existsSync(CLI_PATH)) {
    process.stdout.write(`note: ${CLI_PATH} is missing; falling back to scoring sentences through src/core\n`);
    useCli = false;
  }
  if (useCli) {
    const probe = runCli([paths[0]]);
    if (typeof probe === 'string') {
      process.stdout.write(`note: CLI unavailable (${probe}); falling back to scoring sentences through src/core\n`);
      useCli = false;
    }
  }
  const summary: string[] = [];
  const record = (title: string, rows: Figures[]): void => {
    const mean = printTable(title, rows, kinds);
    const ratio = rows.reduce((sum, r) => sum + r.ap / Math.max(r.share, 1e-9), 0) / Math.max(rows.length, 1);
    const kindF1 = DOCUMENT_KINDS.map((kind) => {
      const m = meanFigures(rows.filter((_, k) => kinds[k] === kind));
      return `${kind} ${m.f1.toFixed(3)}/${m.precision.toFixed(3)}`;
    }).join(' ');
    summary.push(`${title}\n  P ${mean.precision.toFixed(3)}  R ${mean.recall.toFixed(3)}  F1 ${mean.f1.toFixed(3)}  AP/share ${ratio.toFixed(2)}  ECE ${mean.ece.toFixed(3)}  below flag-all ${rows.filter((r) => r.f1 < flagAllF1(r)).length}/${rows.length}  F1/P by kind: ${kindF1}`);
  };
  /** Scores of every document under one model per document: CLI for manuscripts, core for PMC. */
  const scoreAll = (modelFor: (k: number) => ClaimModel, dir: string): number[][] => {
    return all.map((doc, k) => {
      if (!useCli || doc.source !== 'manubot') return coreScores(doc, modelFor(k));
      const path = join(dir, `model-${k}.json`);
      writeFileSync(path, JSON.stringify(modelFor(k)));
      const result = runCli([paths[k]], path);
      if (typeof result === 'string') throw new Error(`CLI failed on ${doc.name}: ${result}`);
      return goldScores(doc, result.get(resolve(paths[k])) ?? []);
    });
  };

  const dir = mkdtempSync(join(tmpdir(), 'biowrite-claims-eval-'));
  try {
    // Shipped model: in-sample for every document (it was trained on all of them).
    const shipped = scoreAll(() => model, dir);
    record('Shipped model, in-sample', all.map((doc, k) => figuresOf(doc.name, shipped[k], labels[k], threshold)));

    const options = (model.training as { options?: TrainOptions }).options;
    if (!options) {
      process.stdout.write('\nThe model file records no training options: held-out figures skipped.\n');
      return;
    }
    const features = featurize(all, options.features);
    for (const [title, groupOf] of [
      ['Held out: leave one document out (each manuscript and PMC article scored by a model trained without it)', (d: LabelledDocument) => d.name],
      ['Held out: leave one kind out (reviews, methods, research articles, PMC articles: each kind scored by a model trained on the other three)', (d: LabelledDocument) => d.kind],
    ] as const) {
      const heldOut = leaveGroupOut(all, groupOf, options, features);
      const calibration = calibrate(heldOut);
      const foldModels = new Map<string, ClaimModel>();
      const modelOf = (k: number): ClaimModel => {
        const group = groupOf(all[k]);
        let fold = foldModels.get(group);
        if (!fold) {
          fold = { ...toModelFile(heldOut[k].weights, options, calibration, threshold, { heldOut: group }), ...(model.languageIndependent ? { languageIndependent: model.languageIndependent } : {}) };
          foldModels.set(group, fold);
        }
        return fold;
      };
      const scores = scoreAll(modelOf, dir);
      record(title, all.map((doc, k) => figuresOf(doc.name, scores[k], labels[k], threshold)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const korean = printKorean(model, threshold, 'Korean test set (test/fixtures/claims-ko: 307 sentences translated from four CC BY manuscripts; the shipped model, whose Korean sentences go to its language-independent part, never saw them)');
  summary.push(`Korean test set (shipped model)\n  P ${korean.precision.toFixed(3)}  R ${korean.recall.toFixed(3)}  F1 ${korean.f1.toFixed(3)}  AP ${korean.ap.toFixed(3)}  share ${korean.share.toFixed(3)}  ECE ${korean.ece.toFixed(3)}`);
  process.stdout.write(`\nSummary (means over documents, threshold ${threshold}):\n${summary.join('\n')}\n`);
  process.stdout.write(`\nHeld-out models use the shipped hyper-parameters; their Platt calibration is fitted on the pooled held-out logits of the same protocol, and the threshold is the shipped one. A flag counts when a finding covers at least half of a gold sentence. Done in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
}

main();
