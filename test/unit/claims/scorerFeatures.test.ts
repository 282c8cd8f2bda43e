import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NAMED_FEATURES, extractFeatures, fnv1a, normalizeText, sectionKindOf, tokenize } from '../../../src/core/claims/features';

test('section kinds come from the outermost heading that names one', () => {
  assert.equal(sectionKindOf([]), 'none');
  assert.equal(sectionKindOf(['Abstract {.page_break_before}']), 'abstract');
  assert.equal(sectionKindOf(['Introduction']), 'introduction');
  assert.equal(sectionKindOf(['1. Introduction']), 'introduction');
  assert.equal(sectionKindOf(['Results', 'Overview of CCC: a not-only-linear correlation coefficient']), 'results');
  assert.equal(sectionKindOf(['STAR★Methods {#sec:methods .page_break_before}', 'Method details']), 'methods');
  assert.equal(sectionKindOf(['Materials and Methods', 'Statistical analysis']), 'methods');
  assert.equal(sectionKindOf(['Discussion']), 'discussion');
  assert.equal(sectionKindOf(['Materials & Methods']), 'methods');
  assert.equal(sectionKindOf(['2.3 Statistical analysis']), 'methods');
  assert.equal(sectionKindOf(['Results and Discussion']), 'results');
  assert.equal(sectionKindOf(['Case presentation']), 'results');
  assert.equal(sectionKindOf(['Data']), 'methods');
  assert.equal(sectionKindOf(['Data sharing is hampered by privacy']), 'other');
  assert.equal(sectionKindOf(['Evaluation']), 'results');
  assert.equal(sectionKindOf(['Evaluation of Context-Adaptive Models']), 'other');
  assert.equal(sectionKindOf(['Conclusions']), 'conclusion');
  assert.equal(sectionKindOf(['Introduction', 'Scope and Relation to Prior Work']), 'introduction');
  assert.equal(sectionKindOf(['Deep learning and patient categorization', 'Imaging applications in healthcare']), 'other');
  assert.equal(sectionKindOf(['Acknowledgments']), 'backmatter');
  assert.equal(sectionKindOf(['Code and data availability']), 'availability');
});

test('text is normalised: markup, links, math and code become words and placeholders', () => {
  assert.equal(normalizeText('**Bold** and *emphasis* with `code` and $x^2$'), 'Bold and emphasis with codetoken and mathtoken');
  assert.equal(normalizeText('See [the docs](https://example.org) or <https://example.org>.'), 'See the docs or urltoken .');
  assert.deepEqual(tokenize('In 2015, 45% of 1,200 patients had 3.5 mg'), ['in', '<year>', '<pct>', 'of', '<dec>', 'patients', 'had', '<dec>', 'mg']);
});

test('features are deterministic and the hash is stable', () => {
  assert.equal(fnv1a(''), 0x811c9dc5);
  assert.equal(fnv1a('a'), 0xe40c292c);
  const input = { text: 'Previous studies have shown that CRISPR-Cas9 (v2.1) is widely used.', headingPath: ['Introduction'], indexInParagraph: 0, paragraphSentenceCount: 3, inListItem: false, inTableCell: false, nextText: 'We used it.' };
  const a = extractFeatures(input, { hashBits: 12 });
  const b = extractFeatures(input, { hashBits: 12 });
  assert.deepEqual(a.hashed, b.hashed);
  assert.deepEqual(Array.from(a.named), Array.from(b.named));
  assert.equal(a.named.length, NAMED_FEATURES.length);
  assert.ok(a.hashed.every((h) => h >= 0 && h < 4096));
  const named = (name: string): number => a.named[NAMED_FEATURES.indexOf(name)];
  assert.equal(named('section:introduction'), 1);
  assert.ok(named('priorWork') > 0);
  assert.equal(named('presentPerfect'), 1);
  assert.equal(named('versionLike'), 1);
  assert.equal(named('position:first'), 1);
  assert.equal(named('prev:none'), 1);
  assert.ok(named('next:firstPerson') > 0);
});

test('a Quarto figure reference (`@fig-x`) is a figure reference like pandoc-crossref\'s `@fig:x`', () => {
  const place = { headingPath: ['Results'], indexInParagraph: 0, paragraphSentenceCount: 1, inListItem: false, inTableCell: false };
  const figureRef = (text: string): number => extractFeatures({ ...place, text }, { hashBits: 12 }).named[NAMED_FEATURES.indexOf('figureRef')];
  assert.equal(figureRef('As shown in @fig-umap, the clusters separate.'), figureRef('As shown in @fig:umap, the clusters separate.'));
  assert.ok(figureRef('As shown in @fig-umap, the clusters separate.') > 0);
  assert.equal(figureRef('As Figueroa-Smith showed, the clusters separate.'), 0);
});
