// In-process part of `npm run bench:claims` (bundled by benchClaims.mjs): re-check times after
// one-line edits, and the longest synchronous block while a 1 MB document is checked the way the
// extension checks it (checkAsync in slices, editor block limit). Prints one JSON line.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ClaimChecker } from '../src/core/claims/checker';
import { loadDefaultScorer } from '../src/core/claims/scorer';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}

async function main(): Promise<void> {
  const [smallPath, largePath] = process.argv.slice(2);
  const small = readFileSync(smallPath, 'utf8');
  const large = readFileSync(largePath, 'utf8');

  const scorerStarted = performance.now();
  const scorer = loadDefaultScorer();
  const scorerLoadMs = performance.now() - scorerStarted;

  // Re-check after a one-line edit, on the 235 KB manuscript.
  const checker = new ClaimChecker({ language: 'markdown', scorer });
  checker.check(small);
  const lines = small.split('\n');
  const prose = lines.map((line, index) => [line, index] as const).filter(([line]) => /^[A-Z][^|#!<>]{60,}\.$/.test(line)).map(([, index]) => index);
  const edits: number[] = [];
  let blocks = 0;
  for (let round = 0; round < 60; round++) {
    const line = prose[(round * 37) % prose.length];
    const copy = [...lines];
    copy[line] = `${copy[line].slice(0, -1)} and this was widely reported.`;
    const edited = copy.join('\n');
    const started = performance.now();
    const result = checker.check(edited);
    edits.push(performance.now() - started);
    blocks += result.blocksChecked;
    checker.check(small);
  }

  // Longest synchronous block while checking 1 MB in the extension's way.
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const editorChecker = new ClaimChecker({ language: 'markdown', scorer, maxBlockLength: 50_000 });
  histogram.enable();
  const started = performance.now();
  let longestSliceWallMs = 0;
  let longestSliceCpuMs = 0;
  let slices = 0;
  const result = await editorChecker.checkAsync(large, {
    sliceMs: 8,
    onSlice: ({ wallMs, cpuMs }) => {
      slices++;
      longestSliceWallMs = Math.max(longestSliceWallMs, wallMs);
      longestSliceCpuMs = Math.max(longestSliceCpuMs, cpuMs);
    },
  });
  const largeAsyncMs = performance.now() - started;
  histogram.disable();
  // A re-check of the 1 MB document after a one-line edit, also sliced.
  const largeLines = large.split('\n');
  const target = largeLines.findIndex((line) => /^[A-Z][^|#!<>]{60,}\.$/.test(line));
  largeLines[target] = `${largeLines[target].slice(0, -1)} and this was widely reported.`;
  const editStarted = performance.now();
  await editorChecker.checkAsync(largeLines.join('\n'), { sliceMs: 8 });
  const largeEditMs = performance.now() - editStarted;

  process.stdout.write(
    `${JSON.stringify({
      scorerLoadMs,
      recheckMedianMs: median(edits),
      recheckP90Ms: quantile(edits, 0.9),
      recheckMaxMs: Math.max(...edits),
      recheckBlocksPerEdit: blocks / edits.length,
      largeFindings: result.findings.length,
      largeAsyncMs,
      largeEditMs,
      // The histogram records how late timers fired: the longest stretch the loop was blocked.
      longestBlockMs: histogram.max / 1e6,
      longestSliceWallMs,
      longestSliceCpuMs,
      slices,
      loadAverage: (await import('node:os')).loadavg()[0],
    })}\n`,
  );
}

void main();
