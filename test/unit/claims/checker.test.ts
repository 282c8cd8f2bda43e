import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import { VFile } from 'vfile';
import { ClaimChecker, checkManuscript } from '../../../src/core/claims/checker';
import remarkClaims from '../../../src/core/claims/remarkClaims';
import { isSkippedSection, type ClaimMessage } from '../../../src/core/claims/report';
import { testScorer } from './testScorer';

const fixture = (name: string): string => readFileSync(join(__dirname, '..', '..', 'fixtures', 'claims', name), 'utf8');
const texts = (text: string, options: Partial<Parameters<typeof checkManuscript>[1]> = {}): string[] =>
  checkManuscript(text, { language: 'markdown', scorer: testScorer, ...options }).findings.map((finding) => finding.text);

test('remarkClaims is a unified plugin reporting VFileMessages with the score attached', () => {
  const text = fixture('claims.md');
  const file = new VFile({ value: text, path: 'claims.md' });
  const processor = unified().use(remarkParse).use(remarkClaims, { scorer: testScorer, skipSections: [] });
  processor.runSync(processor.parse(file), file);
  const messages = file.messages as ClaimMessage[];
  assert.deepEqual(
    messages.map((message) => [message.ruleId, message.source, message.score, message.reason, message.place && 'start' in message.place ? message.place.start.line : 0]),
    [
      ['claim-without-source', 'biowrite', 0.9, 'background claim', 8],
      ['claim-without-source', 'biowrite', 0.9, 'background claim', 10],
      ['claim-without-source', 'biowrite', 0.9, 'background claim', 12],
    ],
  );
  assert.equal(messages[0].sentence, 'Deep learning has transformed the analysis of medical images, and it is now widely used in clinical research.');
  assert.equal(messages[0].fatal, false);
});

test('the scorer receives the sentence as the reader sees it, with its context', () => {
  testScorer.seen.length = 0;
  checkManuscript('# Background\n\nFirst is a claim [@a]. Second is $x$ here. Third has `code`.\n', { language: 'markdown', scorer: testScorer });
  assert.deepEqual(testScorer.seen, [
    { text: 'Second is $math$ here.', headingPath: ['Background'], previousText: 'First is a claim.', nextText: 'Third has `code`.', indexInParagraph: 1, paragraphSentenceCount: 3, inListItem: false, inTableCell: false },
    { text: 'Third has `code`.', headingPath: ['Background'], previousText: 'Second is $math$ here.', nextText: undefined, indexInParagraph: 2, paragraphSentenceCount: 3, inListItem: false, inTableCell: false },
  ]);
});

test('findings: cited sentences, own work, skipped sections and thresholds', () => {
  const text = fixture('claims.md');
  const { findings } = checkManuscript(text, { language: 'markdown', scorer: testScorer });
  assert.deepEqual(findings.map((finding) => [finding.range.start.line, finding.range.start.character, finding.range.end.line, finding.range.end.character]), [
    [7, 0, 7, 109],
    [9, 0, 9, 105],
    [11, 0, 11, 95],
  ]);
  assert.ok(findings.every((finding) => finding.rule === 'claim-without-source' && finding.score === 0.9 && finding.message === 'background claim'));
  // Threshold 0 lists every uncited sentence, the authors' own included (Methods not skipped).
  assert.equal(checkManuscript(text, { language: 'markdown', scorer: testScorer, threshold: 0, skipSections: [] }).findings.length, 4);
  assert.equal(checkManuscript(text, { language: 'markdown', scorer: testScorer, threshold: 0.95 }).findings.length, 0);
  assert.deepEqual(texts(text, { skipSections: ['introduction'] }), []);
});

test('the same findings for LaTeX', () => {
  const { findings } = checkManuscript(fixture('claims.tex'), { language: 'latex', scorer: testScorer });
  assert.deepEqual(findings.map((finding) => finding.text.slice(0, 20)), ['Deep learning has tr', 'Breast cancer is the', 'Previous studies sug']);
  assert.deepEqual(findings[0].range.start, { line: 4, character: 0 });
});

test('skip sections match headings case-insensitively, ignoring numbering, not "X and Y"', () => {
  assert.ok(isSkippedSection(['2. Methods'], ['Methods']));
  assert.ok(isSkippedSection(['Results', 'Cohort'], ['results']));
  assert.ok(isSkippedSection(['Methods: data sets'], ['Methods']));
  assert.ok(!isSkippedSection(['Results and Discussion'], ['Results']));
  assert.ok(!isSkippedSection(['Introduction'], ['Methods']));
  assert.ok(!isSkippedSection([], ['Methods']));
});

test('inline ignore comments and the workspace list silence sentences', () => {
  const text = 'A claim is here. <!-- biowrite-ignore --> Another claim is here.\n\n<!-- biowrite-ignore -->\nAll of this is ignored. Truly it is.\n\nA listed claim is here.\n';
  assert.deepEqual(texts(text), ['Another claim is here.', 'A listed claim is here.']);
  assert.deepEqual(texts(text, { ignoredSentences: ['a   LISTED claim is here.'] }), ['Another claim is here.']);
});

test('incremental: an edit re-checks only the changed block and gives the same findings as a full check', () => {
  const base = Array.from({ length: 60 }, (_, index) => `## Part ${index}\n\nParagraph ${index} is a claim. We did ${index} things.\n`).join('\n');
  const checker = new ClaimChecker({ language: 'markdown', scorer: testScorer, skipSections: ['Methods'] });
  const first = checker.check(base);
  assert.equal(first.blocksChecked, 60);
  assert.equal(checker.check(base).blocksChecked, 0);
  const edited = base.replace('Paragraph 30 is a claim.', 'Paragraph 30 is a claim. Models are widely used.');
  const second = checker.check(edited);
  assert.equal(second.blocksChecked, 1);
  assert.deepEqual(second.findings, checkManuscript(edited, { language: 'markdown', scorer: testScorer, skipSections: ['Methods'] }).findings);
  // A heading change re-checks the paragraphs under it: their context changed.
  const renamed = edited.replace('## Part 10\n', '## Methods\n');
  const third = checker.check(renamed);
  assert.equal(third.blocksChecked, 1);
  assert.ok(!third.findings.some((finding) => finding.text === 'Paragraph 10 is a claim.'));
  // Inserting lines above shifts every range, from cached results.
  const shifted = checker.check(`New first line is a claim.\n\n${renamed}`);
  assert.equal(shifted.findings[1].range.start.line, third.findings[0].range.start.line + 2);
});

test('checkAsync yields to the event loop, gives the same result, and can be cancelled', async () => {
  const text = Array.from({ length: 300 }, (_, index) => `Paragraph ${index} is a claim. It has two sentences.`).join('\n\n');
  const checker = new ClaimChecker({ language: 'markdown', scorer: testScorer });
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  const result = await checker.checkAsync(text, { sliceMs: 1 });
  clearInterval(timer);
  assert.ok(ticks > 0, 'the event loop ran during the check');
  assert.deepEqual(result.findings, checkManuscript(text, { language: 'markdown', scorer: testScorer }).findings);
  const abort = new AbortController();
  const pending = new ClaimChecker({ language: 'markdown', scorer: testScorer }).checkAsync(text, { sliceMs: 0, signal: abort.signal });
  abort.abort();
  await assert.rejects(pending, { name: 'AbortError' });
});

test('a block too long to check becomes a notice, not a hang', () => {
  const long = `${'word '.repeat(30_000)}.`;
  const result = checkManuscript(`A claim is here.\n\n${long}\n\nAnother claim is here.`, { language: 'markdown', scorer: testScorer, maxBlockLength: 50_000 });
  assert.deepEqual(result.findings.map((finding) => finding.text), ['A claim is here.', 'Another claim is here.']);
  assert.equal(result.notices.length, 1);
  assert.match(result.notices[0], /^Line 3: a block of 150,001 characters/);
});

test('the default scorer loads lazily and scores in [0, 1]', () => {
  const { findings } = checkManuscript(fixture('claims.md'), { language: 'markdown', threshold: 0, skipSections: [] });
  assert.equal(findings.length, 4);
  for (const finding of findings) assert.ok(finding.score >= 0 && finding.score <= 1 && finding.message.length > 0);
});

test('paragraphs in a language the checker does not judge are reported as not checked, never as clean', () => {
  const text = [
    '# Introduction',
    '',
    'Colorectal cancer is the third most common cancer worldwide.',
    '',
    '结直肠癌是全球第三常见的癌症。TP53突变在约一半的患者中被观察到。本研究分析了3120名患者。',
    '',
    'Le cancer colorectal est le troisième cancer le plus fréquent dans le monde. Les mutations du gène sont observées chez la moitié des patients [@doi:10.1/x].',
    '',
    '대장암은 전 세계적으로 세 번째로 흔한 암이다. TP53 변이는 환자의 약 절반에서 관찰되는 것으로 보고되었다.',
  ].join('\n');
  const result = checkManuscript(text, { language: 'markdown', threshold: 0 });
  assert.deepEqual(
    result.unchecked.map((part) => [part.language, part.sentences, part.range.start.line, part.range.end.line]),
    [
      ['zh', 3, 4, 4],
      // The cited French sentence has its source: only the uncited one counts as not checked.
      ['fr', 1, 6, 6],
    ],
  );
  assert.equal(result.sentencesNotChecked, 4);
  // English and Korean sentences are scored; nothing of the Chinese or French is.
  assert.equal(result.sentencesChecked, 3);
  assert.ok(result.findings.every((finding) => !/[\u4e00-\u9fff]|cancer colorectal/.test(finding.text)));
  assert.deepEqual(result.notices, []);
  assert.equal(text.slice(result.unchecked[0].startOffset, result.unchecked[0].endOffset), text.split('\n')[4]);
});

test('the remark plugin reports an unchecked paragraph as its own message with the language', () => {
  const file = new VFile({ value: 'Der Patient wurde mit der Therapie behandelt und die Ergebnisse sind in der Tabelle zusammengefasst. Die Nebenwirkungen waren gering.\n' });
  const processor = unified().use(remarkParse).use(remarkClaims, { scorer: testScorer, threshold: 0 });
  processor.runSync(processor.parse(file), file);
  const unchecked = file.messages.filter((message) => message.ruleId === 'claims-language-not-checked');
  assert.equal(unchecked.length, 1);
  assert.equal((unchecked[0] as unknown as { language: string }).language, 'de');
  assert.equal((unchecked[0] as unknown as { sentenceCount: number }).sentenceCount, 2);
  assert.equal(file.messages.filter((message) => message.ruleId === 'claim-without-source').length, 0);
});
