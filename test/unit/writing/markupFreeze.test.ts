import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { countSpansByKind, freezeMarkup, placeholder, thawMarkup, verifySpansPreserved } from '../../../src/core/writing/markupFreeze';

const md = readFileSync('test/fixtures/writing/markupHeavy.md', 'utf8');
const tex = readFileSync('test/fixtures/writing/markupHeavy.tex', 'utf8');

function textsOf(source: string, format: 'markdown' | 'latex', kind: string): string[] {
  return freezeMarkup(source, { format }).spans.filter((span) => span.kind === kind).map((span) => span.text);
}

test('freeze then thaw gives back the source byte for byte', () => {
  for (const [source, format] of [[md, 'markdown'], [tex, 'latex']] as const) {
    const frozen = freezeMarkup(source, { format });
    assert.equal(thawMarkup(frozen.frozen, frozen.spans), source);
    frozen.spans.forEach((span) => assert.equal(source.slice(span.start, span.end), span.text));
  }
});

test('Markdown: citations, cross-refs, inline and display math, code, URLs, comments and labels are protected', () => {
  assert.deepEqual(textsOf(md, 'markdown', 'citation'), ['[@doi:10.1038/nature14539; @pmid:26017442]', '[see @tag:Goodfellow2016, pp. 33-35]']);
  assert.deepEqual(textsOf(md, 'markdown', 'crossRef'), ['@fig:overview', '@tbl:cohort', '@eq:loss']);
  assert.deepEqual(textsOf(md, 'markdown', 'math'), ['$L$', '$h_{l+1} = \\sigma(W_l h_l + b_l)$', '$\\alpha = 0.05$']);
  assert.equal(textsOf(md, 'markdown', 'displayMath').length, 1);
  assert.deepEqual(textsOf(md, 'markdown', 'code'), ['`torch.optim.AdamW`']);
  assert.equal(textsOf(md, 'markdown', 'codeBlock').length, 1);
  assert.match(textsOf(md, 'markdown', 'codeBlock')[0], /\[@not:a-citation\]/);
  assert.deepEqual(textsOf(md, 'markdown', 'comment'), ['<!-- TODO: ask the statistician about the censoring model -->']);
  assert.deepEqual(textsOf(md, 'markdown', 'label'), ['{#sec:intro}', '{#eq:loss}', '{#fig:overview width="80%"}', '{#tbl:cohort}']);
  assert.deepEqual(textsOf(md, 'markdown', 'url'), ['https://github.com/example/tumour-dl', '<https://doi.org/10.5281/zenodo.123456>', '](images/overview.png)', 'tumour-dl@example.org']);
});

test('Markdown: "5 dollars" and prose stay open; front-matter keys are frozen, title/abstract values are not', () => {
  const frozen = freezeMarkup(md, { format: 'markdown' });
  assert.match(frozen.frozen, /a price of 5 dollars stay as written/);
  const front = frozen.frozen.slice(0, frozen.frontMatterEnd);
  assert.match(front, /⟦\d+⟧Deep learning models of tumour response in the clinic⟦\d+⟧/);
  assert.match(front, /⟦\d+⟧We study how deep learning models predict/);
  assert.match(front, /⟦\d+⟧deep learning, oncology, TP53/);
  assert.doesNotMatch(front, /title:|author:|bibliography|references\.json|Ana Ruiz|2024-05-01/);
});

test('LaTeX: \\cite family, \\ref, \\label, math environments, comments, verbatim and commands are protected', () => {
  assert.deepEqual(textsOf(tex, 'latex', 'citation'), ['\\cite{lecun2015,goodfellow2016}', '\\citep[p.~33]{goodfellow2016}']);
  assert.deepEqual(textsOf(tex, 'latex', 'crossRef'), ['\\ref{fig:overview}', '\\ref{tab:cohort}', '\\eqref{eq:loss}']);
  assert.deepEqual(textsOf(tex, 'latex', 'math'), ['$L$', '\\(h_{l+1} = \\sigma(W_l h_l)\\)']);
  assert.equal(textsOf(tex, 'latex', 'displayMath').length, 1);
  assert.deepEqual(textsOf(tex, 'latex', 'comment'), ['% reviewer 2 asked for the censoring model']);
  assert.match(textsOf(tex, 'latex', 'codeBlock')[0], /% not a comment/);
  assert.deepEqual(textsOf(tex, 'latex', 'url'), ['\\url{https://github.com/example/tumour-dl}']);
  const frozen = freezeMarkup(tex, { format: 'latex' }).frozen;
  assert.match(frozen, /Deep learning has changed how we model the data of patients~⟦\d+⟧\./);
  assert.match(frozen, /95⟦\d+⟧ CI/);
});

test('literal placeholder brackets in the source are protected too, so they cannot be confused with ours', () => {
  const frozen = freezeMarkup('A ⟦3⟧ B', { format: 'markdown' });
  assert.equal(frozen.spans.length, 2);
  assert.equal(thawMarkup(frozen.frozen, frozen.spans), 'A ⟦3⟧ B');
});

test('extra ranges (e.g. identifiers) are protected first', () => {
  const source = 'Name: Jo Bloggs was seen [@doi:10.1/x].';
  const frozen = freezeMarkup(source, { format: 'markdown', extra: [{ start: 6, end: 15, kind: 'identifier' }] });
  assert.equal(frozen.frozen, `Name: ${placeholder(0)} was seen ${placeholder(1)}.`);
  assert.equal(countSpansByKind(frozen.spans).identifier, 1);
});

test('verifySpansPreserved counts intact spans independently of placeholders', () => {
  const source = 'See [@a] and [@a] and $x$.';
  const frozen = freezeMarkup(source, { format: 'markdown' });
  assert.deepEqual(verifySpansPreserved(frozen.spans, source, 'Voir [@a] et [@a] et $x$.').intact, 3);
  const broken = verifySpansPreserved(frozen.spans, source, 'Voir [@a] et $x $.');
  assert.equal(broken.intact, 0);
  assert.equal(broken.broken.length, 3);
});

test('the deep-review manuscript freezes and thaws byte-identically', { skip: !existsSync('../shared/data/manuscripts/deep-review/original.md') }, () => {
  const source = readFileSync('../shared/data/manuscripts/deep-review/original.md', 'utf8');
  const frozen = freezeMarkup(source, { format: 'markdown' });
  assert.equal(thawMarkup(frozen.frozen, frozen.spans), source);
  const counts = countSpansByKind(frozen.spans);
  assert.ok(counts.citation > 600, `${counts.citation} citations`);
  assert.equal(counts.crossRef, 4);
  assert.doesNotMatch(frozen.frozen, /\[@|@doi:|https?:\/\//);
});

test('Quarto: cross-references with a hyphen and shortcodes come back byte-identical', () => {
  const source = 'See @fig-umap and [@tbl-cohort; @sec-methods], as [@smith2020] found.\n\n{{< include _intro.qmd >}}\n\nVersion {{< var version >}} is out.{{% pagebreak %}}\n';
  assert.deepEqual(textsOf(source, 'markdown', 'crossRef'), ['@fig-umap', '[@tbl-cohort; @sec-methods]']);
  assert.deepEqual(textsOf(source, 'markdown', 'citation'), ['[@smith2020]']);
  assert.deepEqual(textsOf(source, 'markdown', 'code'), ['{{< include _intro.qmd >}}', '{{< var version >}}', '{{% pagebreak %}}']);
  const frozen = freezeMarkup(source, { format: 'markdown' });
  assert.doesNotMatch(frozen.frozen, /include|version|pagebreak|umap/);
  assert.equal(thawMarkup(frozen.frozen, frozen.spans), source);
});
