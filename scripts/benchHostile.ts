// Prints how long the claims check takes on hostile Markdown and LaTeX (deep nesting, thousands of
// inline markers, huge tables): every input must finish in about a second and leave the rest of
// the file checked. Usage: npm run bench:hostile [-- --repeat N] (N markers per payload, default 10000).
import { ClaimChecker } from '../src/core/claims/checker';
import type { ManuscriptLanguage } from '../src/core/manuscript/citations';

const repeatIndex = process.argv.indexOf('--repeat');
const n = repeatIndex > 0 ? Number(process.argv[repeatIndex + 1]) : 10_000;
const claim = 'Studies have shown that smoking causes cancer.\n\n';
const markdown: Record<string, string> = {
  'list markers on one line': `${'- '.repeat(n)}Studies have shown cancer.`,
  'ordered markers on one line': `${'1. '.repeat(n)}Studies have shown cancer.`,
  'quote and list markers': `${'> - '.repeat(n / 2)}Studies have shown cancer.`,
  'indented list, 2,000 lines': Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i % 60)}- Item ${i} shows cancer.`).join('\n'),
  'unmatched emphasis': `${'_a '.repeat(n)} x ${' a_'.repeat(n)}`,
  'nested image openers': `${'![a]('.repeat(n)}${')'.repeat(n)}`,
  'nested brackets': `${'['.repeat(n)}Studies.${']'.repeat(n)}`,
  'code spans of growing length': Array.from({ length: 300 }, (_, i) => `${'`'.repeat(i + 1)}a`).join(' '),
  'one-row table': `${'|a'.repeat(n)}\n${'|-'.repeat(n)}\n${'|b'.repeat(n)}`,
  'unclosed HTML attributes': '<a b="'.repeat(n),
  'autolink openers': '<http://a'.repeat(n),
};
const latex: Record<string, string> = {
  'nested braces': `${'{'.repeat(n)}Studies have shown cancer.${'}'.repeat(n)}`,
  'nested itemize': `${'\\begin{itemize}\\item '.repeat(n / 2)}Studies have shown cancer.`,
  'unclosed \\cite': '\\cite{'.repeat(n),
};

function run(language: ManuscriptLanguage, name: string, hostile: string): void {
  const text = claim + hostile;
  const start = performance.now();
  const result = new ClaimChecker({ language, threshold: 0 }).check(text);
  const ms = performance.now() - start;
  const claimFound = result.findings.some((finding) => finding.text.startsWith('Studies have shown that smoking'));
  console.log(`${language.padEnd(8)} ${name.padEnd(30)} ${(text.length / 1024).toFixed(0).padStart(5)} KB ${ms.toFixed(0).padStart(6)} ms  ${result.notices.length > 0 ? 'reported as not checked' : 'checked'}${claimFound ? '' : '  (the claim before it was MISSED)'}`);
}

console.log(`Claims check of hostile inputs (${n} repetitions each; every sentence reported, threshold 0, to show the paragraph before is still checked)`);
for (const [name, text] of Object.entries(markdown)) run('markdown', name, text);
for (const [name, text] of Object.entries(latex)) run('latex', name, text);
