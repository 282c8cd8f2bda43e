import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkManuscript } from '../../../src/core/claims/checker';
import { decodeText } from '../../../src/core/manuscript/decode';
import { readSentences } from '../../../src/core/manuscript/document';
import { testScorer } from '../claims/testScorer';

const check = (text: string, language: 'markdown' | 'latex' = 'markdown') => checkManuscript(text, { language, scorer: testScorer, threshold: 0 });

test('empty and blank documents have no sentences', () => {
  for (const text of ['', '\n', '   \n\n\t\n', '\r\n\r\n']) {
    assert.deepEqual(check(text).findings, []);
    assert.deepEqual(check(text, 'latex').findings, []);
  }
});

test('unclosed code fences, math blocks, comments and front matter run to the end without a crash', () => {
  assert.deepEqual(check('A claim is here.\n\n```\nno closing fence. It is code.\n').findings.map((f) => f.text), ['A claim is here.']);
  assert.deepEqual(check('A claim is here.\n\n$$\nx = 1. Not prose.\n').findings.map((f) => f.text), ['A claim is here.']);
  assert.deepEqual(check('A claim is here.\n\n<!--\nHidden claim is here.\n').findings.map((f) => f.text), ['A claim is here.']);
  assert.doesNotThrow(() => check('---\ntitle: never closed\n\nA claim is here.\n'));
  assert.doesNotThrow(() => check('Inline $math never closed. And `code never closed. A claim is here.'));
  assert.doesNotThrow(() => check('[unclosed bracket @key. A claim [@also unclosed'));
});

test('deeply nested lists and block quotes', () => {
  const nested = (levels: number): string => Array.from({ length: levels }, (_, depth) => `${'  '.repeat(depth)}- Level ${depth} is here.`).join('\n');
  // Realistic nesting is checked; pathological nesting is reported, not parsed for seconds.
  assert.equal(check(nested(12)).findings.length, 12);
  const deep = check(`A claim is here.\n\n${nested(400)}`);
  assert.deepEqual(deep.findings.map((finding) => finding.text), ['A claim is here.']);
  assert.match(deep.notices[0], /nested \d+ columns deep was not checked/);
  const quotes = `${'>'.repeat(2000)} A deeply quoted claim is here.`;
  assert.doesNotThrow(() => check(quotes));
  const brackets = `${'['.repeat(5000)}@key${']'.repeat(5000)} Claim is here.`;
  assert.doesNotThrow(() => check(brackets));
});

test('list markers on one line, emphasis markers and brackets by the thousand are reported, not parsed', () => {
  // Before: the nesting guard counted only spaces and `>`, and 10,000 markers took over a minute in remark.
  const claim = 'A claim is here.\n\n';
  const cases: [string, RegExp][] = [
    [`${'- '.repeat(10_000)}Studies have shown cancer.`, /nested [\d,]+ columns deep was not checked/],
    [`${'* '.repeat(10_000)}Studies have shown cancer.`, /nested [\d,]+ columns deep was not checked/],
    [`${'1. '.repeat(10_000)}Studies have shown cancer.`, /nested [\d,]+ columns deep was not checked/],
    [`${'> - 2) '.repeat(3_000)}Studies have shown cancer.`, /nested [\d,]+ columns deep was not checked/],
    [`${'_a '.repeat(10_000)} x ${' a_'.repeat(10_000)}`, /over 1,000 emphasis markers/],
    [`${'![a]('.repeat(10_000)}${')'.repeat(10_000)}`, /over 2,000 square brackets/],
  ];
  for (const [hostile, notice] of cases) {
    const result = check(claim + hostile);
    assert.deepEqual(result.findings.map((finding) => finding.text), ['A claim is here.'], 'the rest of the file is still checked');
    assert.equal(result.notices.length, 1);
    assert.match(result.notices[0], /^Line 3: /);
    assert.match(result.notices[0], notice);
  }
});

test('ordinary lists, dashes and emphasis in prose are checked as before', () => {
  const list = ['- First level claim is here.', '  - Second level claim is here.', '    1. Third level claim is here.', '       * Fourth level claim is here.'].join('\n');
  assert.equal(check(list).findings.length, 4);
  assert.deepEqual(check(list).notices, []);
  const prose = 'Patients aged 5 - 10 years - and their parents - were *often* treated with _drug_ [@key]. A claim is here.';
  assert.deepEqual(check(prose).notices, []);
  assert.deepEqual(check(prose).findings.map((finding) => finding.text), ['A claim is here.']);
  const manyCitations = Array.from({ length: 300 }, (_, index) => `Claim number ${index} is supported [@key${index}].`).join(' ');
  assert.deepEqual(check(manyCitations).notices, [], 'a paragraph with 300 citations is checked');
});

test('hostile text: control characters, NULs, lone surrogates, huge lines, HTML and scripts', () => {
  const inputs = [
    'A claim\u0000 is here.\u0007 Next\u001b[31m one.',
    'Lone \ud800 surrogate is here. And \udc00 another.',
    '<script>alert(1)</script> A claim is here. <img src=x onerror=alert(1)>',
    `${'a'.repeat(200_000)}. Then a claim is here.`,
    '@'.repeat(10_000),
    '^'.repeat(10_000),
    '$'.repeat(10_000),
    '`'.repeat(10_000),
    '\\'.repeat(10_000),
    '<!--'.repeat(5000),
    '[^'.repeat(5000),
    'e.g. '.repeat(20_000),
  ];
  for (const input of inputs) {
    assert.doesNotThrow(() => check(input), JSON.stringify(input.slice(0, 30)));
    assert.doesNotThrow(() => check(input, 'latex'), JSON.stringify(input.slice(0, 30)));
  }
});

test('a 5 MB manuscript of repeated paragraphs is checked completely', () => {
  const paragraph = 'Deep learning is widely used in pathology. We trained a model on 500 slides (p = 0.003). See Fig. 2 and e.g. Table 1 for E. coli results.\n\n';
  const text = paragraph.repeat(Math.ceil((5 * 1024 * 1024) / paragraph.length));
  const result = check(text);
  assert.equal(result.findings.length, 3 * Math.ceil((5 * 1024 * 1024) / paragraph.length));
  assert.equal(result.notices.length, 0);
});

test('malformed LaTeX documents are checked without a crash', () => {
  const inputs = [
    '\\begin{document}\\section{A claim is here.',
    '\\begin{document}\n\\begin{verbatim}\nnever closed\n\nA claim is here.',
    '\\end{document}\\begin{document} A claim is here.',
    '\\cite[unclosed optional{key} A claim is here.',
    '\\newcommand{\\x}{\\x}\\x A claim is here.',
    '}}}}{{{{ A claim is here. %%%% \\% \\\\ \\',
  ];
  for (const input of inputs) assert.doesNotThrow(() => check(input, 'latex'), input);
});

test('decoding: UTF-8 with BOM, UTF-16 with BOM, binary and Latin-1 with clear messages', () => {
  const utf8 = decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Héllo.')]));
  assert.deepEqual(utf8, { ok: true, text: 'Héllo.', encoding: 'utf-8' });
  const utf16 = decodeText(new Uint8Array([0xff, 0xfe, 0x48, 0x00, 0x69, 0x00]));
  assert.deepEqual(utf16, { ok: true, text: 'Hi', encoding: 'utf-16le' });
  const binary = decodeText(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]));
  assert.equal(binary.ok, false);
  assert.match(!binary.ok ? binary.message : '', /binary/);
  const latin1 = decodeText(new Uint8Array([0x48, 0xe9, 0x6c, 0x6c, 0x6f]));
  assert.equal(latin1.ok, false);
  assert.match(!latin1.ok ? latin1.message : '', /not UTF-8.*iconv/);
});

test('sentences of random bytes decoded as text never leave the document', () => {
  const text = Array.from({ length: 3000 }, (_, index) => String.fromCharCode((index * 7919) % 0xffff)).join('');
  for (const sentence of readSentences(text, 'markdown')) {
    assert.ok(sentence.startOffset >= 0 && sentence.endOffset <= text.length && sentence.startOffset < sentence.endOffset);
  }
});
