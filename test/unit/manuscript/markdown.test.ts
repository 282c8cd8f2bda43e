import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSentences } from '../../../src/core/manuscript/document';
import { LineIndex } from '../../../src/core/manuscript/lineIndex';
import { collectMarkdownProse, parseMarkdown, splitMarkdownBlocks } from '../../../src/core/manuscript/markdown';

const fixture = (name: string): string => readFileSync(join(__dirname, '..', '..', 'fixtures', 'claims', name), 'utf8');

test('sentences of a real-looking manuscript: ranges, headings, citations', () => {
  const text = fixture('claims.md');
  const sentences = readSentences(text, 'markdown');
  assert.deepEqual(
    sentences.map((sentence) => [sentence.text.slice(0, 30), sentence.cited, sentence.headingPath.join('/')]),
    [
      ['Deep learning has transformed ', false, 'Introduction'],
      ['Convolutional networks have be', true, 'Introduction'],
      ['Breast cancer is the most comm', false, 'Introduction'],
      ['Previous studies suggest that ', false, 'Introduction'],
      ['We trained a ResNet-50 on 1,02', false, 'Methods'],
    ],
  );
  const index = new LineIndex(text);
  for (const sentence of sentences) {
    assert.equal(index.offsetAt(sentence.range.start), sentence.startOffset);
    assert.equal(index.offsetAt(sentence.range.end), sentence.endOffset);
  }
  // The cited sentence's range covers the citation; its text does not.
  const cited = sentences[1];
  assert.ok(text.slice(cited.startOffset, cited.endOffset).includes('[@doi:10.1001/jama.2017.14585]'));
  assert.ok(!cited.text.includes('@'));
  assert.equal(cited.text, 'Convolutional networks have been shown to outperform pathologists at detecting metastases in lymph node sections.');
});

test('UTF-16 offsets: astral characters and CRLF line ends', () => {
  const text = 'Intro 𝛼-helices are common 😀. Next claim is here.\r\nSecond line is prose.';
  const sentences = readSentences(text, 'markdown');
  assert.equal(sentences.length, 3);
  assert.deepEqual(sentences[1].range, { start: { line: 0, character: 32 }, end: { line: 0, character: 51 } });
  assert.equal(text.slice(sentences[1].startOffset, sentences[1].endOffset), 'Next claim is here.');
  assert.deepEqual(sentences[2].range.start, { line: 1, character: 0 });
});

test('markup is removed, inline math and code become placeholders for the scorer', () => {
  const [sentence] = readSentences('The *mean* of $x_i$ via `np.mean()` is [well known](https://x.org) here.', 'markdown');
  assert.equal(sentence.scoredText, 'The mean of $math$ via `code` is well known here.');
  assert.equal(sentence.text, 'The mean of $x_i$ via `np.mean()` is well known here.');
});

test('a GFM autolink inside a Manubot URL citation stays part of the citation', () => {
  const text = 'Cell Ranger is popular [@doi:10.1/x; @url:https://www.10xgenomics.com/a/b]. Another claim is here.';
  const sentences = readSentences(text, 'markdown');
  assert.deepEqual(sentences.map((sentence) => [sentence.text, sentence.cited]), [
    ['Cell Ranger is popular.', true],
    ['Another claim is here.', false],
  ]);
});

test('lists, block quotes, table cells and captions are prose; code, math, HTML, figures and front matter are not', () => {
  const text = [
    '---', 'title: A claim is not here.', '---', '', '# Background', '',
    '- First item is a claim.', '- Second item is too.', '', '> Quoted text is prose.', '',
    '```python', 'print("Code is not prose.")', '```', '', '$$', 'x = 1. Math is not prose.', '$$', '',
    '<div>HTML is not prose.</div>', '', '| Name | Note |', '|------|------|', '| A | Cells are prose. |', '',
    '![A figure caption is skipped.](fig.png){#fig:a}', '', 'Table: A table caption is prose. {#tbl:a}', '',
  ].join('\n');
  const sentences = readSentences(text, 'markdown');
  assert.deepEqual(sentences.map((sentence) => [sentence.text, sentence.inListItem, sentence.inTableCell]), [
    ['First item is a claim.', true, false],
    ['Second item is too.', true, false],
    ['Quoted text is prose.', false, false],
    ['A', false, true],
    ['Cells are prose.', false, true],
    ['A table caption is prose.', false, false],
  ]);
  assert.ok(sentences.every((sentence) => sentence.headingPath[0] === 'Background'));
});

test('heading paths nest, and setext headings and attributes are understood', () => {
  const text = '# Top {.page_break_before}\n\n## Sub\n\nOne is here.\n\nAnother\n=======\n\nTwo is here.\n\n### Deep ###\n\nThree is here.\n';
  assert.deepEqual(readSentences(text, 'markdown').map((sentence) => sentence.headingPath), [['Top', 'Sub'], ['Another'], ['Another', 'Deep']]);
});

test('ignore comments: after a sentence, and on its own line above a paragraph', () => {
  const text = 'First claim is here. <!-- biowrite-ignore --> Second claim is here.\n\n<!-- biowrite-ignore -->\nWhole paragraph is ignored. Really all of it.\n';
  assert.deepEqual(readSentences(text, 'markdown').map((sentence) => [sentence.text, sentence.ignored]), [
    ['First claim is here.', true],
    ['Second claim is here.', false],
    ['Whole paragraph is ignored.', true],
    ['Really all of it.', true],
  ]);
});

test('the block splitter keeps fences, math and comments whole and joins indented continuations', () => {
  const text = 'Para one.\n\n```\ncode\n\nstill code\n```\n\n- item\n\n  continued item\n\n$$\na\n\nb\n$$\n\n<!--\nhidden\n\n-->\n# Head\nAfter head.';
  const blocks = splitMarkdownBlocks(text);
  assert.deepEqual(blocks.map((block) => [block.kind, text.slice(block.start, block.end)]), [
    ['prose', 'Para one.'],
    ['skip', '```\ncode\n\nstill code\n```'],
    ['prose', '- item\n\n  continued item'],
    ['skip', '$$\na\n\nb\n$$'],
    ['skip', '<!--\nhidden\n\n-->'],
    ['heading', '# Head'],
    ['prose', 'After head.'],
  ]);
  assert.equal(blocks[5].heading?.text, 'Head');
});

test('parsing a block alone gives the same prose as parsing the document', () => {
  const text = readFileSync(join(__dirname, '..', '..', 'fixtures', 'claims', 'claims.md'), 'utf8');
  const whole = collectMarkdownProse(parseMarkdown(text), text).units.map((unit) => unit.text);
  const byBlock = readSentences(text, 'markdown');
  assert.equal(whole.join(' ').replace(/\s+/g, ' ').length > 0, true);
  for (const sentence of byBlock) assert.ok(whole.some((unit) => unit.replace(/\s+/g, ' ').includes(sentence.scoredText)), sentence.scoredText);
});

test('Quarto and Pandoc: fenced divs, code chunks and inline R code', () => {
  const text = '::: {.callout-note}\nA note is prose here.\n:::\n\n```{r}\nx <- 1. Not prose.\n```\n\nThe mean was `r mean(x)` units.\n';
  assert.deepEqual(readSentences(text, 'markdown').map((sentence) => sentence.text), ['A note is prose here.', 'The mean was `r mean(x)` units.']);
});

test('Quarto shortcodes are markup: a paragraph of one is no sentence, and one inside a sentence is not its words', () => {
  const text = '## Results\n\n{{< include _methods.qmd >}}\n\nVersion {{< var version >}} of the atlas covers 1,200 donors.\n\n{{% pagebreak %}}\n\nAs shown in @fig-umap, the clusters separate.\n';
  const sentences = readSentences(text, 'markdown');
  assert.deepEqual(sentences.map((sentence) => sentence.text.replace(/\s+/g, ' ')), ['Version of the atlas covers 1,200 donors.', 'As shown in @fig-umap, the clusters separate.']);
  // A Quarto figure reference is no citation: the sentence is still uncited, to be checked.
  assert.equal(sentences[1].cited, false);
});
