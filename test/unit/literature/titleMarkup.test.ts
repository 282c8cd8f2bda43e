import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapCrossrefWork } from '../../../src/core/literature/crossrefClient';
import { decodeLatex } from '../../../src/core/literature/library/bibtex';
import { mergeRecords } from '../../../src/core/literature/merge';
import { markupToText } from '../../../src/core/literature/normalize';
import { mapOpenAlexWork } from '../../../src/core/literature/openAlexClient';
import { parsePubmedArticle } from '../../../src/core/literature/pubmedClient';
import { toResultItem } from '../../../src/core/literature/resultItems';
import { bibtexTitle, cslTitle, parseTitleMarkup, plainTitle, titleSpansOf, type TitleSpan } from '../../../src/core/literature/titleMarkup';
import type { LiteratureRecord } from '../../../src/core/literature/types';
import { parseXml } from '../../../src/core/literature/xml';
import { mapZoteroItem } from '../../../src/core/literature/zoteroClient';

const italic = (text: string): TitleSpan => ({ text, styles: ['italic'] });
const plain = (text: string): TitleSpan => ({ text });

/** As Europe PMC's JSON sends inline markup in titles: entity-encoded. */
const europePmcTitle = 'Structure of the &lt;i&gt;Escherichia coli&lt;/i&gt; mechanosensitive channel MscS bound to Ca&lt;sup&gt;2+&lt;/sup&gt;';

describe('parseTitleMarkup', () => {
  it('decodes entity-encoded markup before reading it (Europe PMC)', () => {
    const spans = parseTitleMarkup(europePmcTitle);
    assert.deepEqual(spans, [plain('Structure of the '), italic('Escherichia coli'), plain(' mechanosensitive channel MscS bound to Ca'), { text: '2+', styles: ['sup'] }]);
    assert.equal(plainTitle(spans), 'Structure of the Escherichia coli mechanosensitive channel MscS bound to Ca2+');
  });

  it('decodes double-encoded markup and entities', () => {
    const spans = parseTitleMarkup('&amp;lt;i&amp;gt;Mycobacterium tuberculosis&amp;lt;/i&amp;gt; makes H&amp;lt;sub&amp;gt;2&amp;lt;/sub&amp;gt;O &amp;amp; CO&amp;lt;sub&amp;gt;2&amp;lt;/sub&amp;gt;');
    assert.deepEqual(spans, [italic('Mycobacterium tuberculosis'), plain(' makes H'), { text: '2', styles: ['sub'] }, plain('O & CO'), { text: '2', styles: ['sub'] }]);
  });

  it('reads real Crossref titles: <scp> and whitespace around inline elements', () => {
    // Recorded Crossref titles (../shared/data/api/crossref/works_field_queries_0.json).
    assert.deepEqual(parseTitleMarkup('<scp>T</scp>reebase: an<scp>R</scp>package for discovery, access and manipulation of online phylogenies'), [
      { text: 'T', styles: ['smallcaps'] },
      plain('reebase: an'),
      { text: 'R', styles: ['smallcaps'] },
      plain('package for discovery, access and manipulation of online phylogenies'),
    ]);
    assert.deepEqual(parseTitleMarkup('The role of\n                    <scp>AI</scp>\n                    in ecology’s computational carbon footprint'), [
      plain('The role of '),
      { text: 'AI', styles: ['smallcaps'] },
      plain(' in ecology’s computational carbon footprint'),
    ]);
    // Recorded Crossref CSL (../shared/data/api/crossref/doi-content-negotiation-csl.json).
    assert.deepEqual(parseTitleMarkup('Correlation of the Base Strengths of Amines<sup>1</sup>'), [plain('Correlation of the Base Strengths of Amines'), { text: '1', styles: ['sup'] }]);
  });

  it('reads JATS elements with or without the jats: prefix, and HTML synonyms', () => {
    assert.deepEqual(parseTitleMarkup('Role of <jats:italic>BRCA1</jats:italic> in <jats:sc>dna</jats:sc> repair by H<jats:sub>2</jats:sub>O<sub>2</sub>'), [
      plain('Role of '),
      italic('BRCA1'),
      plain(' in '),
      { text: 'dna', styles: ['smallcaps'] },
      plain(' repair by H'),
      { text: '2', styles: ['sub'] },
      plain('O'),
      { text: '2', styles: ['sub'] },
    ]);
    assert.deepEqual(parseTitleMarkup('<em>a</em> <strong>b</strong> <bold>c</bold> <italic>d</italic> <I>e</I>'), [
      italic('a'),
      plain(' '),
      { text: 'b', styles: ['bold'] },
      plain(' '),
      { text: 'c', styles: ['bold'] },
      plain(' '),
      italic('d'),
      plain(' '),
      italic('e'),
    ]);
    assert.deepEqual(parseTitleMarkup('The <span style="font-variant:small-caps;">Drosophila</span> <span class="nocase">eye</span>'), [
      plain('The '),
      { text: 'Drosophila', styles: ['smallcaps'] },
      plain(' eye'),
    ]);
  });

  it('keeps nested styles as a set, outermost first', () => {
    assert.deepEqual(parseTitleMarkup('<b><i>bold italic</i> bold</b> <i>x<sup>2</sup></i>'), [
      { text: 'bold italic', styles: ['bold', 'italic'] },
      { text: ' bold', styles: ['bold'] },
      plain(' '),
      italic('x'),
      { text: '2', styles: ['italic', 'sup'] },
    ]);
    // The same style twice is one style.
    assert.deepEqual(parseTitleMarkup('<i><em>x</em></i>'), [italic('x')]);
  });

  it('flattens MathML to its text and drops its annotations', () => {
    const spans = parseTitleMarkup(
      'Decay of <mml:math><mml:semantics><mml:msup><mml:mi>x</mml:mi><mml:mn>2</mml:mn></mml:msup><mml:annotation encoding="application/x-tex">x^2</mml:annotation></mml:semantics></mml:math> modes',
    );
    assert.equal(plainTitle(spans), 'Decay of x2 modes');
    assert.ok(spans.every((span) => span.styles === undefined));
  });

  it('drops unknown tags but keeps their text, and decodes HTML entities', () => {
    assert.deepEqual(parseTitleMarkup('<span class="x">A</span> <a href="https://x">link</a> <font color=red>B</font>'), [plain('A link B')]);
    assert.equal(plainTitle(parseTitleMarkup('&alpha;-Synuclein &ndash; &eacute;tude &#946; &#x3b3; &Beta; &foo; AT&amp;T &lt;5 years')), 'α-Synuclein – étude β γ Β &foo; AT&T <5 years');
    assert.equal(plainTitle(parseTitleMarkup('Block<p>level</p>elements<br/>and  spaces .')), 'Block level elements and spaces.');
  });

  it('is what markupToText reads abstracts with: encoded markup never survives as text', () => {
    assert.equal(markupToText('&lt;h4&gt;Background&lt;/h4&gt;H&lt;sub&gt;2&lt;/sub&gt;S at p &lt; 0.05 &lt;i&gt;in vivo&lt;/i&gt;.'), 'Background H2S at p < 0.05 in vivo.');
  });

  it('removes the brackets of a translated title when asked', () => {
    assert.deepEqual(parseTitleMarkup('[&lt;i&gt;Helicobacter pylori&lt;/i&gt; infection in children].', { unbracket: true }), [italic('Helicobacter pylori'), plain(' infection in children')]);
    assert.equal(plainTitle(parseTitleMarkup('[Not a translation]', {})), '[Not a translation]');
  });

  it('returns nothing for nothing', () => {
    assert.deepEqual(parseTitleMarkup(undefined), []);
    assert.deepEqual(parseTitleMarkup('  <i> </i> '), []);
  });
});

describe('parseTitleMarkup on hostile input', () => {
  it('never turns scripts, handlers or odd tags into anything but text', () => {
    assert.deepEqual(parseTitleMarkup('<script>alert(1)</script>Title <img src=x onerror=alert(1)> end'), [plain('Title end')]);
    assert.deepEqual(parseTitleMarkup('&lt;script&gt;alert(1)&lt;/script&gt;Safe &lt;img src=x onerror=alert(1)&gt;'), [plain('Safe')]);
    assert.deepEqual(parseTitleMarkup('<i onmouseover="alert(1)" style="x">x</i>'), [italic('x')]);
    assert.deepEqual(parseTitleMarkup('<constructor>x</constructor><valueOf>y</valueOf><toString>z<hasOwnProperty/>'), [plain('xyz')]);
    // As in HTML, `<` before a non-letter is text.
    assert.deepEqual(parseTitleMarkup('<__proto__>y</__proto__>'), [plain('<__proto__>y</__proto__>')]);
    assert.deepEqual(parseTitleMarkup('a </i> b </sup>'), [plain('a b')]);
    assert.deepEqual(parseTitleMarkup('<i>unclosed italic'), [italic('unclosed italic')]);
    assert.deepEqual(parseTitleMarkup('a < b and c<d <'), [plain('a < b and c<d <')]);
    assert.deepEqual(parseTitleMarkup('p < 0.05 in <i>E. coli</i> and a response cut off in a tag <su'), [plain('p < 0.05 in '), italic('E. coli'), plain(' and a response cut off in a tag')]);
    assert.deepEqual(parseTitleMarkup('<!-- x -->A<!-- unclosed'), [plain('A<!-- unclosed')]);
    assert.deepEqual(parseTitleMarkup('x\u0000\u0007\u001b y\u0085'), [plain('x y')]);
  });

  it('runs in linear time on deep nesting and unterminated constructs', () => {
    const n = 100_000;
    const started = Date.now();
    assert.deepEqual(parseTitleMarkup(`${'<i>'.repeat(n)}deep${'</i>'.repeat(n)}`), [italic('deep')]);
    assert.deepEqual(parseTitleMarkup(`${'<i>'.repeat(n)}x${'</b>'.repeat(n)}`), [italic('x')]);
    // The last `<a` runs to the end of the input: a cut-off tag, dropped.
    assert.equal(plainTitle(parseTitleMarkup('<a'.repeat(n))).length, 2 * n - 2);
    assert.equal(plainTitle(parseTitleMarkup('<!--'.repeat(n))).length, 4 * n);
    assert.equal(plainTitle(parseTitleMarkup(`${'<script>'.repeat(n)}x`)), 'x');
    assert.equal(plainTitle(parseTitleMarkup('&amp;'.repeat(n))), '&'.repeat(n));
    assert.equal(plainTitle(parseTitleMarkup(`${'<i>a</i><b>a</b>'.repeat(n / 10)}`)).length, n / 5);
    assert.equal(plainTitle(parseTitleMarkup('</'.repeat(n))).length, 2 * n);
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 3000, `took ${elapsed} ms`);
  });

  it('keeps the renderings safe on random markup', () => {
    const pieces = ['<', '>', '/', 'i', 'b', 'sup', 'sub', 'sc', 'span', 'script', '&lt;', '&gt;', '&amp;', '&', ' ', 'x', '"', '{', '}', '\\', '_', '^', '~', '#', '%', '$', '=', 'style="font-variant:small-caps;"'];
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const allowedBibtex = new Set(['textit', 'textbf', 'textsc', 'textsuperscript', 'textsubscript', 'textbackslash', 'textbraceleft', 'textbraceright', 'textasciitilde', 'textasciicircum', '#', '$', '%', '&', '_']);
    const cslTag = /<\/?(?:i|b|u|sc|sup|sub|span)\b[^>]*>/gi;
    const allowedCsl = new Set(['<i>', '</i>', '<b>', '</b>', '<sup>', '</sup>', '<sub>', '</sub>', '<span style="font-variant:small-caps;">', '</span>']);
    for (let round = 0; round < 2000; round++) {
      const input = Array.from({ length: Math.floor(random() * 40) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      const spans = parseTitleMarkup(input);
      for (const span of spans) {
        assert.ok(span.text.length > 0, input);
        for (const style of span.styles ?? []) assert.ok(['bold', 'italic', 'smallcaps', 'sup', 'sub'].includes(style), input);
      }
      const bibtex = bibtexTitle(spans);
      let depth = 0;
      for (let k = 0; k < bibtex.length; k++) {
        const char = bibtex[k];
        if (char === '\\') {
          const command = /^\\([A-Za-z]+|.)/.exec(bibtex.slice(k));
          assert.ok(command && allowedBibtex.has(command[1]), `${input} → ${bibtex}`);
          k += command[0].length - 1;
        } else if (char === '{') depth++;
        else if (char === '}') assert.ok(--depth >= 0, `${input} → ${bibtex}`);
        else assert.ok(!'#$%&_~^'.includes(char), `${input} → ${bibtex}`);
      }
      assert.equal(depth, 0, `${input} → ${bibtex}`);
      const csl = cslTitle(spans);
      const tags = csl.match(cslTag) ?? [];
      for (const tag of tags) assert.ok(allowedCsl.has(tag), `${input} → ${csl}`);
      assert.equal(tags.filter((tag) => !tag.startsWith('</')).length, tags.filter((tag) => tag.startsWith('</')).length, `${input} → ${csl}`);
    }
  });
});

describe('title renderings', () => {
  it('plain text, BibTeX and CSL JSON of a Europe PMC title', () => {
    const spans = parseTitleMarkup(europePmcTitle);
    assert.equal(bibtexTitle(spans), 'Structure of the \\textit{Escherichia coli} mechanosensitive channel MscS bound to Ca\\textsuperscript{2+}');
    assert.equal(cslTitle(spans), 'Structure of the <i>Escherichia coli</i> mechanosensitive channel MscS bound to Ca<sup>2+</sup>');
  });

  it('nests shared styles instead of repeating them', () => {
    const spans = parseTitleMarkup('<b><i>a</i>b</b> <i>x<sup>2</sup></i> <sc>r</sc> H<sub>2</sub>O');
    assert.equal(bibtexTitle(spans), '\\textbf{\\textit{a}b} \\textit{x\\textsuperscript{2}} \\textsc{r} H\\textsubscript{2}O');
    assert.equal(cslTitle(spans), '<b><i>a</i>b</b> <i>x<sup>2</sup></i> <span style="font-variant:small-caps;">r</span> H<sub>2</sub>O');
  });

  it('escapes the BibTeX and LaTeX special characters, keeping braces balanced', () => {
    const spans: TitleSpan[] = [plain('50% of {x} & y_1 #2 $3 ~ ^ \\ "q" <5'), italic('a_b')];
    assert.equal(
      bibtexTitle(spans),
      '50\\% of \\textbraceleft{}x\\textbraceright{} \\& y\\_1 \\#2 \\$3 \\textasciitilde{} \\textasciicircum{} \\textbackslash{} {"}q{"} <5\\textit{a\\_b}',
    );
  });

  it('writes BibTeX that Biowrite’s own BibTeX reader reads back as the plain title', () => {
    for (const markup of [europePmcTitle, '<scp>T</scp>reebase: an <i>R</i> package', 'p &lt; 0.05 &amp; 50% ~ ^ \\ "q" #1 $2 a_b', '<b><i>a</i>b</b> <i>x<sup>2</sup></i> H<sub>2</sub>O']) {
      const spans = parseTitleMarkup(markup);
      assert.equal(decodeLatex(bibtexTitle(spans)), plainTitle(spans), markup);
    }
  });

  it('writes &, < and > as characters in CSL JSON, except a < that would open a CSL tag', () => {
    // citeproc-js and pandoc's citeproc read CSL JSON text without decoding entities: `&amp;` would print as such.
    assert.equal(cslTitle([plain('Diabetes & metabolism: p < 0.05, n > 3')]), 'Diabetes & metabolism: p < 0.05, n > 3');
    const tricky = parseTitleMarkup('&lt;<i></i>b&gt;bold? &lt;<i></i>span class="nocase"&gt;');
    assert.equal(plainTitle(tricky), '<b>bold? <span class="nocase">');
    assert.equal(cslTitle(tricky), '&lt;b>bold? &lt;span class="nocase">');
  });

  it('falls back to the plain title when a record has no spans', () => {
    assert.deepEqual(titleSpansOf({ title: 'A & B' }), [plain('A & B')]);
    assert.deepEqual(titleSpansOf({ title: 'A', titleSpans: [italic('A')] }), [italic('A')]);
    // Spans that do not spell the title are not trusted.
    assert.deepEqual(titleSpansOf({ title: 'A', titleSpans: [italic('B')] }), [plain('A')]);
    assert.equal(bibtexTitle(titleSpansOf({ title: '' })), '');
  });
});

describe('clients set a plain title and its spans', () => {
  it('Crossref: title and subtitle', () => {
    const record = mapCrossrefWork({ title: ['<scp>T</scp>reebase'], subtitle: ['an <jats:italic>R</jats:italic> package'], DOI: '10.1111/j.2041-210x.2012.00247.x' });
    assert.equal(record?.title, 'Treebase: an R package');
    assert.deepEqual(record?.titleSpans, [{ text: 'T', styles: ['smallcaps'] }, plain('reebase: an '), italic('R'), plain(' package')]);
    const unstyled = mapCrossrefWork({ title: ['Plain &amp; simple'] });
    assert.equal(unstyled?.title, 'Plain & simple');
    assert.equal(unstyled?.titleSpans, undefined, 'no spans without formatting');
  });

  it('PubMed: elements in ArticleTitle (real title) and encoded markup', () => {
    // Recorded PubMed title (../shared/data/api/pubmed/pubmed4.xml).
    const article = (title: string) =>
      parsePubmedArticle(parseXml(`<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>${title}</ArticleTitle></Article></MedlineCitation></PubmedArticle>`));
    const real = article('Leucocyte telomere length, genetic variants at the <i>TERT</i> gene region and risk of pancreatic cancer.');
    assert.equal(real?.title, 'Leucocyte telomere length, genetic variants at the TERT gene region and risk of pancreatic cancer.');
    assert.deepEqual(real?.titleSpans, [plain('Leucocyte telomere length, genetic variants at the '), italic('TERT'), plain(' gene region and risk of pancreatic cancer.')]);
    const encoded = article('[Genes &lt;i&gt;VLDLR&lt;/i&gt; and p &amp;lt; 0.05 &amp; more].');
    assert.equal(encoded?.title, 'Genes VLDLR and p < 0.05 & more');
    assert.deepEqual(encoded?.titleSpans, [plain('Genes '), italic('VLDLR'), plain(' and p < 0.05 & more')]);
  });

  it('OpenAlex and Zotero', () => {
    const openAlex = mapOpenAlexWork({ title: 'CD4<sup>+</sup> T cells', id: 'https://openalex.org/W1' });
    assert.equal(openAlex?.title, 'CD4+ T cells');
    assert.deepEqual(openAlex?.titleSpans, [plain('CD4'), { text: '+', styles: ['sup'] }, plain(' T cells')]);
    const zotero = mapZoteroItem({ id: 'x', citekey: 'smith2020', title: 'Genes of <i>Drosophila</i>', type: 'article-journal' });
    assert.equal(zotero?.title, 'Genes of Drosophila');
    assert.deepEqual(zotero?.titleSpans, [plain('Genes of '), italic('Drosophila')]);
  });

  it('merging keeps the spans of the chosen title, or borrows those of the same title', () => {
    const base = { authors: [], retracted: false, notices: [] };
    const pubmed: LiteratureRecord = { ...base, sources: ['pubmed'], pmid: '1', title: 'Genes of Drosophila', titleSpans: [plain('Genes of '), italic('Drosophila')] };
    const crossref: LiteratureRecord = { ...base, sources: ['crossref'], pmid: '1', title: 'Genes of Drosophila' };
    assert.deepEqual(mergeRecords([crossref, pubmed])[0].titleSpans, pubmed.titleSpans);
    const library: LiteratureRecord = { ...base, sources: ['library'], pmid: '1', title: 'genes of drosophila' };
    const fromLibrary = mergeRecords([library, pubmed])[0];
    assert.equal(fromLibrary.title, 'genes of drosophila');
    assert.equal(fromLibrary.titleSpans, undefined, 'spans of another spelling are not borrowed');
    const same: LiteratureRecord = { ...base, sources: ['library'], pmid: '1', title: 'Genes of Drosophila' };
    assert.deepEqual(mergeRecords([same, crossref, pubmed])[0].titleSpans, pubmed.titleSpans);
  });

  it('result items carry the spans to the panel', () => {
    const record: LiteratureRecord = { sources: ['europepmc'], authors: [], retracted: false, notices: [], title: 'Genes of Drosophila', titleSpans: [plain('Genes of '), italic('Drosophila')] };
    const item = toResultItem('e-0', record, 1, 'genes');
    assert.equal(item.title, 'Genes of Drosophila');
    assert.deepEqual(item.titleSpans, record.titleSpans);
    assert.equal('titleSpans' in toResultItem('e-1', { ...record, titleSpans: undefined }, 1, 'genes'), false);
  });
});
