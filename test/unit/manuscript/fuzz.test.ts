// Fuzz test: random and mutated manuscripts through the whole checker, in bounded time with a
// seeded RNG (set BIOWRITE_FUZZ_SEED to replay a run). The real-manuscript part needs ../shared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ClaimChecker, checkManuscript } from '../../../src/core/claims/checker';
import { readSentences } from '../../../src/core/manuscript/document';
import { parseMarkdown, plainParagraphTree } from '../../../src/core/manuscript/markdown';
import { testScorer } from '../claims/testScorer';

const seed = Number(process.env.BIOWRITE_FUZZ_SEED ?? 20261124);
const budgetMs = Number(process.env.BIOWRITE_FUZZ_MS ?? 4000);

function rng(start: number): () => number {
  let state = start >>> 0 || 1;
  return () => {
    // xorshift32
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
}

const pieces = [
  'Deep learning is widely used. ', 'We trained it. ', '[@doi:10.1/x]', '[@fig:a]', '@key ', '[1-3]', '^2^', '[^1]', '\n\n[^1]: Smith 2020. doi:10.1/y\n',
  '$x$', '$$\n', '`', '```\n', '~~~', '<!--', '-->', '<!-- biowrite-ignore -->', '\n', '\n\n', '# ', '## Methods\n', '- ', '1. ', '> ', '| a | b |\n|---|---|\n',
  'e.g. ', 'et al. ', 'Fig. 2', 'E. coli ', 'p < 0.05. ', '3.14', '...', '"', '(', ')', '[', ']', '{#fig:x}', '\\cite{a}', '\\section{Intro}', '\\begin{equation}',
  '\\end{equation}', '% biowrite-ignore\n', '%', '\\', '{', '}', '😀', '\u0000', '\r\n', '\t', '    ', '---\n', '***', '_', '*', '&amp;', '<https://x.org>', 'a@b.org',
];

function randomDocument(next: () => number): string {
  const parts: string[] = [];
  const count = 1 + Math.floor(next() * 200);
  for (let index = 0; index < count; index++) parts.push(pieces[Math.floor(next() * pieces.length)]);
  return parts.join('');
}

function mutate(text: string, next: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(next() * 20);
  for (let index = 0; index < edits; index++) {
    const at = Math.floor(next() * (out.length + 1));
    const choice = next();
    if (choice < 0.4) out = out.slice(0, at) + pieces[Math.floor(next() * pieces.length)] + out.slice(at);
    else if (choice < 0.7) out = out.slice(0, at) + out.slice(Math.min(out.length, at + Math.floor(next() * 200)));
    else out = out.slice(0, at) + out.slice(at, at + Math.floor(next() * 300)) + out.slice(at);
  }
  return out;
}

function assertSane(text: string, language: 'markdown' | 'latex'): void {
  const result = checkManuscript(text, { language, scorer: testScorer, threshold: 0 });
  for (const finding of result.findings) {
    assert.ok(finding.startOffset >= 0 && finding.startOffset < finding.endOffset && finding.endOffset <= text.length, `range inside the text (seed ${seed})`);
    assert.ok(finding.range.start.line <= finding.range.end.line);
  }
  for (const sentence of readSentences(text, language)) assert.ok(sentence.endOffset <= text.length);
}

test(`fuzz: random documents (seed ${seed})`, () => {
  const next = rng(seed);
  const started = performance.now();
  let runs = 0;
  while (performance.now() - started < budgetMs / 2 || runs < 20) {
    const text = randomDocument(next);
    assertSane(text, 'markdown');
    assertSane(text, 'latex');
    runs++;
  }
  assert.ok(runs >= 20);
});

test(`fuzz: mutated real manuscripts, incremental equals full (seed ${seed})`, (context) => {
  const root = resolve(process.env.BIOWRITE_SHARED_DATA ?? join(process.cwd(), '..', 'shared', 'data'), 'manuscripts');
  if (!existsSync(root)) {
    context.skip('../shared/data/manuscripts is not here');
    return;
  }
  const next = rng(seed + 1);
  const names = readdirSync(root).filter((name) => existsSync(join(root, name, 'original.md'))).sort();
  const started = performance.now();
  let runs = 0;
  for (let round = 0; performance.now() - started < budgetMs / 2 || runs < 4; round++) {
    const name = names[round % names.length];
    const original = readFileSync(join(root, name, 'original.md'), 'utf8');
    // A window of the manuscript keeps each round quick.
    const from = Math.floor(next() * Math.max(1, original.length - 20_000));
    const base = original.slice(from, from + 20_000);
    const checker = new ClaimChecker({ language: 'markdown', scorer: testScorer, threshold: 0 });
    checker.check(base);
    const mutated = mutate(base, next);
    const incremental = checker.check(mutated);
    const full = checkManuscript(mutated, { language: 'markdown', scorer: testScorer, threshold: 0 });
    assert.deepEqual(incremental.findings, full.findings, `incremental = full for ${name} (seed ${seed})`);
    assertSane(mutated, 'latex');
    runs++;
  }
});

test(`fuzz: the parser shortcut for plain paragraphs builds exactly the parser's tree (seed ${seed})`, () => {
  const next = rng(seed + 2);
  const alphabet = ['a', 'b', 'Z', ' ', ' ', '.', ',', '\n', '[', ']', '@', '1', '(', ')', '!', '<', '>', '&', ';', '#', '-', '+', '*', '_', '|', ':', '^', '{', '}', '~', '\t', '=', '"', 'é', '😀', '&amp;', '<a', '\f', '\u000b', '  \n', 'www.a.com', '[^1]:', ']:', '2.', '1)', '\u0000', '\r'];
  let shortcuts = 0;
  for (let round = 0; round < 20000; round++) {
    const length = 1 + Math.floor(next() * 60);
    let text = '';
    for (let index = 0; index < length; index++) text += alphabet[Math.floor(next() * alphabet.length)];
    const fast = plainParagraphTree(text);
    if (!fast) continue;
    shortcuts++;
    assert.deepEqual(fast, parseMarkdown(text), JSON.stringify(text));
  }
  assert.ok(shortcuts > 100, `the shortcut applied ${shortcuts} times`);
});
