// Measures how closely Biowrite's sentence segmentation reproduces the gold sentences of the
// shared Manubot manuscripts: the share of gold spans (line, start, end) reproduced exactly, and
// the share whose text is covered by one of our sentences. Run: npx tsx scripts/segmentationAgreement.ts
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readSentences } from '../src/core/manuscript/document';

const root = resolve(process.env.BIOWRITE_SHARED_DATA ?? join(process.cwd(), '..', 'shared', 'data'), 'manuscripts');
if (!existsSync(root)) {
  console.error(`No manuscripts at ${root}: set BIOWRITE_SHARED_DATA to the shared data folder.`);
  process.exit(2);
}
let totalGold = 0;
let totalExact = 0;
let totalCited = 0;
let totalCitedAgree = 0;
const verbose = process.argv.includes('--verbose');
console.log('manuscript                      gold   exact   share   cited-agree(original.md)');
for (const name of readdirSync(root).sort()) {
  const folder = join(root, name);
  if (!existsSync(join(folder, 'sentences.jsonl'))) continue;
  const text = readFileSync(join(folder, 'manuscript.md'), 'utf8');
  const gold = readFileSync(join(folder, 'sentences.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { line: number; start: number; end: number; text: string; cited: boolean });
  const ours = new Set(
    readSentences(text, 'markdown')
      .filter((sentence) => sentence.range.start.line === sentence.range.end.line)
      .map((sentence) => `${sentence.range.start.line}:${sentence.range.start.character}:${sentence.range.end.character}`),
  );
  let exact = 0;
  for (const sentence of gold) {
    if (ours.has(`${sentence.line}:${sentence.start}:${sentence.end}`)) exact++;
    else if (verbose) console.log(`  miss ${sentence.line}:${sentence.start}-${sentence.end} ${sentence.text.slice(0, 100)}`);
  }
  // Citation detection: sentences of original.md (with citations) that we call cited, by line text.
  const original = readFileSync(join(folder, 'original.md'), 'utf8');
  const originalSentences = readSentences(original, 'markdown');
  const citedLines = new Set(originalSentences.filter((s) => s.cited).map((s) => s.text.replace(/\s+/g, ' ').trim()));
  const cited = gold.filter((sentence) => sentence.cited);
  const citedAgree = cited.filter((sentence) => citedLines.has(sentence.text.replace(/\s+/g, ' ').trim())).length;
  totalGold += gold.length;
  totalExact += exact;
  totalCited += cited.length;
  totalCitedAgree += citedAgree;
  console.log(
    `${name.padEnd(30)} ${String(gold.length).padStart(5)} ${String(exact).padStart(7)} ${((100 * exact) / gold.length).toFixed(1).padStart(6)}%   ${citedAgree}/${cited.length}`,
  );
}
console.log(`${'all'.padEnd(30)} ${String(totalGold).padStart(5)} ${String(totalExact).padStart(7)} ${((100 * totalExact) / totalGold).toFixed(1).padStart(6)}%   ${totalCitedAgree}/${totalCited}`);

// Korean: the labelled Korean test set (test/fixtures/claims-ko), whose sentences were translated one by
// one from the English gold sentences, so its gold spans are the translator's sentence boundaries.
const koreanDir = join(process.cwd(), 'test', 'fixtures', 'claims-ko');
if (existsSync(join(koreanDir, 'sentences.jsonl'))) {
  const text = readFileSync(join(koreanDir, 'manuscript.md'), 'utf8');
  const gold = readFileSync(join(koreanDir, 'sentences.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { line: number; start: number; end: number; ko: string });
  const ours = new Set(readSentences(text, 'markdown').map((sentence) => `${sentence.range.start.line}:${sentence.range.start.character}:${sentence.range.end.character}`));
  const exact = gold.filter((sentence) => ours.has(`${sentence.line}:${sentence.start}:${sentence.end}`)).length;
  if (verbose) for (const sentence of gold) if (!ours.has(`${sentence.line}:${sentence.start}:${sentence.end}`)) console.log(`  miss ${sentence.line}:${sentence.start}-${sentence.end} ${sentence.ko.slice(0, 60)}`);
  console.log(`${'Korean test set (claims-ko)'.padEnd(30)} ${String(gold.length).padStart(5)} ${String(exact).padStart(7)} ${((100 * exact) / gold.length).toFixed(1).padStart(6)}%`);
}
