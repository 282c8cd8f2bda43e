import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  detectCitationSyntax,
  extractLatexCitations,
  extractMarkdownCitations,
  footnotesWithReferences,
  isCrossReference,
  planCitationInsertion,
} from '../../../src/core/manuscript/citations';

const keysOf = (text: string): string[][] => extractMarkdownCitations(text).map((citation) => [...citation.keys]);

test('Pandoc bracketed citations, with prefixes, locators and suppressed authors', () => {
  assert.deepEqual(keysOf('A claim [@smith2020].'), [['smith2020']]);
  assert.deepEqual(keysOf('A claim [see @smith2020, p. 3; -@doe2019].'), [['smith2020', 'doe2019']]);
  assert.deepEqual(keysOf('A claim [@doi:10.1038/nature12373; @pmid:29028255].'), [['doi:10.1038/nature12373', 'pmid:29028255']]);
  const [citation] = extractMarkdownCitations('Claim [@a].');
  assert.equal(citation.kind, 'bracketed');
  assert.equal('Claim [@a].'.slice(citation.start, citation.end), '[@a]');
});

test('every Manubot prefix is a citation key', () => {
  for (const prefix of ['doi', 'pmid', 'pmcid', 'arxiv', 'isbn', 'url', 'wikidata', 'tag']) {
    assert.equal(extractMarkdownCitations(`Claim [@${prefix}:abc123].`).length, 1, prefix);
  }
  assert.deepEqual(keysOf('Data [@url:https://example.org/a_(b)/c?x=1].'), [['url:https://example.org/a_(b)/c?x=1']]);
});

test('in-text citations, and a sentence-final period is not part of the key', () => {
  assert.deepEqual(keysOf('As @smith2020 showed.'), [['smith2020']]);
  assert.deepEqual(keysOf('This was shown by @doi:10.1000/xyz.'), [['doi:10.1000/xyz']]);
  assert.deepEqual(keysOf('Shown by @smith2020, and by @doe.'), [['smith2020'], ['doe']]);
  assert.deepEqual(keysOf('Braced @{doi:10.1/a b}.'), [['doi:10.1/a b']]);
});

test('cross-references, e-mail addresses, code and math are not citations', () => {
  assert.deepEqual(keysOf('See @fig:overview and @tbl:data, @eq:loss, @sec:methods.'), []);
  assert.deepEqual(keysOf('See [@fig:overview; @tbl:a].'), []);
  assert.deepEqual(keysOf('Mixed [@fig:overview; @smith2020].'), [['smith2020']]);
  assert.deepEqual(keysOf('Write to jane.doe@example.org for data.'), []);
  assert.deepEqual(keysOf('Run `cite [@notakey]` and `[1]`.'), []);
  assert.deepEqual(keysOf('With $x_{[1]} = @y$ math.'), []);
  assert.deepEqual(keysOf('A [link](https://example.org/@user) here.'), []);
  assert.deepEqual(keysOf('An autolink <mailto:a@b.org> here.'), []);
  assert.deepEqual(keysOf('<!-- [@hidden] --> Visible.'), []);
  assert.ok(isCrossReference('fig:a') && isCrossReference('SEC:b') && !isCrossReference('figure2020'));
});

test('numeric and superscript citations', () => {
  assert.deepEqual(keysOf('Claim [1].'), [['1']]);
  assert.deepEqual(keysOf('Claim [1-3].'), [['1-3']]);
  assert.deepEqual(keysOf('Claim [1,4].'), [['1', '4']]);
  assert.deepEqual(keysOf('Claim [1, 4, 7–9].'), [['1', '4', '7–9']]);
  assert.deepEqual(keysOf('Claim.^1^ Next^2,3^.'), [['1'], ['2', '3']]);
  assert.deepEqual(keysOf('Not a citation [a] or [1](https://x.org) or [x1].'), []);
});

test('footnotes count only when their note holds a reference', () => {
  const text = 'Claim one.[^a] Claim two.[^b]\n\n[^a]: Smith J. Nature. 2020. doi:10.1038/x\n[^b]: A remark without any source.\n';
  const citing = footnotesWithReferences(text);
  assert.deepEqual([...citing], ['a']);
  const found = extractMarkdownCitations(text, { citingFootnotes: citing });
  assert.deepEqual(found.map((citation) => citation.kind), ['footnote']);
  assert.equal(text.slice(found[0].start, found[0].end), '[^a]');
  assert.deepEqual(keysOf('Inline note.^[See @smith2020.]'), [['smith2020']]);
  assert.deepEqual(keysOf('Inline note.^[Just a remark.]'), []);
});

test('LaTeX cite commands and their natbib and biblatex variants', () => {
  const text = String.raw`A \cite{a}, \citep[p.~3]{b,c}, \citet*{d}, \parencite[see][12]{e}, \autocite{f}, \footcite{g}, \citealp{h}, \textcite{i}, \Citep{j}, \cites[x]{k}[y]{l}.`;
  const citations = extractLatexCitations(text);
  assert.deepEqual(citations.map((citation) => citation.command), ['cite', 'citep', 'citet', 'parencite', 'autocite', 'footcite', 'citealp', 'textcite', 'Citep', 'cites']);
  assert.deepEqual(citations[1].keys, ['b', 'c']);
  assert.deepEqual(citations[9].keys, ['k', 'l']);
  assert.equal(text.slice(citations[1].start, citations[1].end), String.raw`\citep[p.~3]{b,c}`);
});

test('LaTeX: comments, \\nocite and verbatim hold no citation; malformed commands do not throw', () => {
  assert.equal(extractLatexCitations('Text % \\cite{x}\nmore \\nocite{y}.').length, 0);
  assert.equal(extractLatexCitations('\\begin{verbatim}\\cite{x}\n\\end{verbatim} \\cite{z}').length, 1);
  assert.deepEqual(extractLatexCitations('\\cite{unclosed and \\citep[p.3 and \\'), []);
  assert.equal(extractLatexCitations('\\% not a comment \\cite{k}').length, 1);
});

test('detectCitationSyntax tells Manubot, Pandoc, numeric and LaTeX documents apart', () => {
  assert.equal(detectCitationSyntax('A [@doi:10.1/x]. B [@pmid:123].', 'markdown').syntax, 'manubot');
  assert.equal(detectCitationSyntax('A [@smith2020]. B @doe.', 'markdown').syntax, 'pandoc');
  assert.equal(detectCitationSyntax('A [1]. B [2-4].', 'markdown').syntax, 'numeric');
  assert.equal(detectCitationSyntax('No citation yet.', 'markdown').syntax, 'pandoc');
  const latex = detectCitationSyntax('A \\citep{a}. B \\citep{b}. C \\cite{c}.', 'latex');
  assert.equal(latex.syntax, 'latex');
  assert.equal(latex.latexCommand, 'citep');
});

test('planCitationInsertion merges into a closing bracket or inserts before the final period', () => {
  const apply = (text: string, start: number, end: number, keys: string[], language: 'markdown' | 'latex' = 'markdown') => {
    const edit = planCitationInsertion(text, start, end, keys, { language, latexCommand: 'citep' });
    return text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
  };
  const md = 'First claim. Second claim [@a].';
  assert.equal(apply(md, 0, 12, ['b']), 'First claim [@b]. Second claim [@a].');
  assert.equal(apply(md, 13, md.length, ['b', 'doi:10.1/x']), 'First claim. Second claim [@a; @b; @doi:10.1/x].');
  assert.equal(apply('No period here', 0, 14, ['k']), 'No period here [@k]');
  assert.equal(apply('A claim.', 0, 8, ['k'], 'latex'), 'A claim~\\citep{k}.');
  assert.equal(apply('A claim~\\cite{a}.', 0, 17, ['k'], 'latex'), 'A claim~\\cite{a,k}.');
  assert.throws(() => planCitationInsertion('x', 0, 1, [], { language: 'markdown' }));
});

test("Quarto's cross-references (`@fig-x`, `@tbl-x`, `@thm-x`…) are not citations; keys that only begin like them are", () => {
  assert.deepEqual(keysOf('As shown in @fig-plot and @tbl-cohort, by @eq-loss and in @sec-methods.'), []);
  assert.deepEqual(keysOf('See [@fig-a; @fig-b] and @thm-line, @lem-bound, @nte-caveat.'), []);
  assert.deepEqual(keysOf('Mixed [@tbl-cohort; @smith2020].'), [['smith2020']]);
  // A bibliography key that starts with a type's letters but has no hyphen after it is a citation.
  assert.deepEqual(keysOf('Shown by @figueroa2020 and [@secord1999; @eqbal-2021].'), [['figueroa2020'], ['secord1999', 'eqbal-2021']]);
  assert.equal(isCrossReference('fig-'), false);
  assert.equal(isCrossReference('Fig-overview'), true);
});
