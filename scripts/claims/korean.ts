/**
 * The Korean test set of the claims checker (test/fixtures/claims-ko: 307 sentences translated
 * from four CC BY manuscripts, labelled by whether the published English sentence was cited),
 * checked through `ClaimChecker` as the CLI and the editor check it.
 * `tsx scripts/claims/korean.ts [model.json]` prints its table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClaimChecker } from '../../src/core/claims/checker';
import { createScorerFromModel } from '../../src/core/claims/scorer';
import { figuresOf, formatTable, meanFigures, type Figures } from './crossValidate';

interface KoreanRecord {
  readonly manuscript: string;
  readonly kind: string;
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly cited: boolean;
}

const DIR = join('test', 'fixtures', 'claims-ko');

/** Per-manuscript figures of a model on the Korean set at a threshold, and how many sentences were scored. */
export function koreanFigures(model: unknown, threshold: number): { rows: Figures[]; scored: number; total: number } {
  const text = readFileSync(join(DIR, 'manuscript.md'), 'utf8');
  const records = readFileSync(join(DIR, 'sentences.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as KoreanRecord);
  const result = new ClaimChecker({ language: 'markdown', threshold: 0, scorer: createScorerFromModel(model) }).check(text);
  const scoreOf = (r: KoreanRecord): number => {
    let best = 0;
    for (const f of result.findings) {
      if (f.range.start.line !== r.line) continue;
      const overlap = Math.min(r.end, f.range.end.character) - Math.max(r.start, f.range.start.character);
      if (overlap * 2 >= r.end - r.start && f.score > best) best = f.score;
    }
    return best;
  };
  const names = [...new Set(records.map((r) => r.manuscript))];
  const rows = names.map((name) => {
    const mine = records.filter((r) => r.manuscript === name);
    return figuresOf(`${name} (${mine[0].kind})`, mine.map(scoreOf), mine.map((r) => r.cited), threshold);
  });
  return { rows, scored: result.sentencesChecked, total: records.length };
}

/** Prints the Korean table. */
export function printKorean(model: unknown, threshold: number, title: string): Figures {
  const { rows, scored, total } = koreanFigures(model, threshold);
  const mean = meanFigures(rows);
  const ratio = rows.reduce((sum, r) => sum + r.ap / Math.max(r.share, 1e-9), 0) / Math.max(rows.length, 1);
  process.stdout.write(`\n${title}\n${formatTable([...rows, mean])}\nmean AP/share ${ratio.toFixed(2)}; ${scored} of ${total} sentences scored (the rest would be counted as not checked)\n`);
  return mean;
}

if (process.argv[1]?.endsWith('korean.ts')) {
  const path = process.argv[2] ?? join('src', 'core', 'claims', 'claimModel.json');
  const model = JSON.parse(readFileSync(path, 'utf8')) as { suggestedThreshold: number };
  printKorean(model, Number(process.env.T ?? model.suggestedThreshold), `Korean test set, ${path}`);
}
