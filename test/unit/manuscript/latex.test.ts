import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSentences } from '../../../src/core/manuscript/document';
import { splitLatexBlocks } from '../../../src/core/manuscript/latex';

const fixture = readFileSync(join(__dirname, '..', '..', 'fixtures', 'claims', 'claims.tex'), 'utf8');

test('LaTeX prose: sections, citations with optional arguments, comments, equations', () => {
  const sentences = readSentences(fixture, 'latex');
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
  const cited = sentences[1];
  assert.equal(cited.text, 'Convolutional networks have been shown to outperform pathologists at detecting metastases.');
  assert.equal(fixture.slice(cited.startOffset, cited.endOffset), 'Convolutional networks have been shown to outperform pathologists at detecting metastases~\\citep[p.~3]{liu2017}.');
  assert.equal(sentences[4].scoredText, 'We trained a ResNet-50 on 1,024 slides ($math$).');
});

test('LaTeX: the preamble and what follows \\end{document} are not prose', () => {
  const blocks = splitLatexBlocks(fixture);
  assert.equal(blocks[0].kind, 'skip');
  assert.ok(fixture.slice(blocks[0].start, blocks[0].end).includes('\\usepackage{natbib}'));
});

test('LaTeX: lists, footnotes with citations, references, formatting and escapes', () => {
  const text = String.raw`\begin{itemize}
\item Tumours are \emph{heterogeneous}.
\item Most are treatable.\footnote{See \citet{smith}.}
\end{itemize}
As Fig.~\ref{fig:a} shows, 50\% respond. A \textbf{bold} claim is here.\footnote{Just a remark.}
Read \url{https://example.org}. Code \verb|x.y| works.`;
  const sentences = readSentences(text, 'latex');
  assert.deepEqual(sentences.map((sentence) => [sentence.text, sentence.cited, sentence.inListItem]), [
    ['Tumours are heterogeneous.', false, true],
    ['Most are treatable.', true, true],
    ['As Fig. \\ref{fig:a} shows, 50% respond.', false, false],
    ['A bold claim is here.', false, false],
    ['Read \\url{https://example.org}.', false, false],
    ['Code \\verb|x.y| works.', false, false],
  ]);
});

test('LaTeX ignore comments: after a sentence, and on its own line before a paragraph', () => {
  const text = 'First claim is here. % biowrite-ignore\nSecond claim is here.\n\n% biowrite-ignore\nWhole paragraph is ignored. All of it.\n';
  assert.deepEqual(readSentences(text, 'latex').map((sentence) => [sentence.text, sentence.ignored]), [
    ['First claim is here.', true],
    ['Second claim is here.', false],
    ['Whole paragraph is ignored.', true],
    ['All of it.', true],
  ]);
});

test('LaTeX: verbatim and figures may hold blank lines and are skipped whole', () => {
  const text = 'Before is prose.\n\n\\begin{verbatim}\nA fake claim is here.\n\nStill verbatim.\n\\end{verbatim}\n\n\\begin{figure}\n\\caption{Captions are skipped.}\n\n\\end{figure}\nAfter is prose.';
  assert.deepEqual(readSentences(text, 'latex').map((sentence) => sentence.text), ['Before is prose.', 'After is prose.']);
});

test('malformed LaTeX does not throw and keeps what it can', () => {
  const inputs = [
    '\\section{Unclosed heading\nText is here.',
    'Unclosed \\begin{equation} x = 1. Claims are lost.',
    'Brace {never closed. Sentence is here.',
    '\\cite{unclosed. Another sentence.',
    '$unclosed math. More text.',
    '\\',
    '%',
    '\\begin{itemize}\\item A.\\item B.',
    '\\end{itemize} Stray end is fine.',
    '{'.repeat(5000) + 'Deep text.' + '}'.repeat(10),
  ];
  for (const input of inputs) assert.doesNotThrow(() => readSentences(input, 'latex'), input.slice(0, 40));
  assert.deepEqual(readSentences('\\section{Unclosed heading\nText is here.', 'latex').length >= 0, true);
});
