import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCslJson, parseCslYaml, LibraryFormatError } from '../../../src/core/literature/library/cslJson';
import { decodeLatex, parseBibtex, parseBibtexNames } from '../../../src/core/literature/library/bibtex';
import { discoverBibliographies } from '../../../src/core/literature/library/discover';
import { parseLibraryText, readLibraryFiles } from '../../../src/core/literature/library/loadLibrary';
import { LibraryIndex } from '../../../src/core/literature/library/librarySearch';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'sources');

test('CSL JSON: records with ids, identifiers, years and abstracts', () => {
  const { records, warnings } = parseCslJson(readFileSync(join(fixtures, 'library.json'), 'utf8'));
  assert.equal(warnings.length, 0);
  assert.equal(records.length, 6);
  const lecun = records[0];
  assert.equal(lecun.libraryId, 'lecun2015deep');
  assert.equal(lecun.doi, '10.1038/nature14539');
  assert.equal(lecun.pmid, '26017442');
  assert.equal(lecun.year, 2015);
  assert.deepEqual(lecun.authors[0], { family: 'LeCun', given: 'Yann' });
  assert.deepEqual(lecun.sources, ['library']);
});

test('CSL JSON: items without id or title are skipped with their line; invalid JSON names the line', () => {
  const text = '[\n  {"id": "a", "title": "Kept"},\n  {"title": "No id"},\n  {"id": "c"},\n  {"id": "a", "title": "Duplicate"}\n]';
  const { records, warnings } = parseCslJson(text);
  assert.deepEqual(records.map((r) => r.title), ['Kept']);
  assert.deepEqual(warnings.map((w) => w.line), [3, 4, 5]);
  assert.match(warnings[1].message, /no title/);
  assert.throws(() => parseCslJson('[\n {"id": "a",\n  "title": }\n]'), (error: unknown) => error instanceof LibraryFormatError && error.line === 3);
  assert.throws(() => parseCslJson('{"foo": 1}'), LibraryFormatError);
});

test('an item with no title but a URL or DOI (as Manubot writes an unfetchable web page) is kept and findable', () => {
  const { records, warnings } = parseCslJson(
    JSON.stringify([
      { id: 'blog', type: 'webpage', URL: 'https://blogs.nature.com/naturejobs/2018/02/20/techblog-manubot-powers-a-crowdsourced-deep-learning-review/' },
      { id: 'doiOnly', DOI: '10.1000/xyz' },
      { id: 'nothing', type: 'webpage' },
    ]),
  );
  assert.deepEqual(records.map((r) => [r.libraryId, r.title]), [
    ['blog', 'blogs.nature.com/naturejobs/2018/02/20/techblog-manubot-powers-a-crowdsourced-deep-learning-review'],
    ['doiOnly', '10.1000/xyz'],
  ]);
  assert.equal(warnings.length, 1);
  const bib = parseBibtex('@online{site, url = {https://www.example.org/tools/scanpy/}}\n@misc{empty, note = {nothing}}\n');
  assert.deepEqual(bib.records.map((r) => r.title), ['example.org/tools/scanpy']);
  assert.equal(bib.warnings.length, 1);
  const hits = new LibraryIndex(records).search({ text: 'Manubot powers a crowdsourced review of deep learning.' });
  assert.equal(hits[0]?.record.libraryId, 'blog');
});

test('BibTeX: macros, concatenation, accents, months, comments, preamble and malformed entries', () => {
  const { records, warnings } = parseBibtex(readFileSync(join(fixtures, 'library.bib'), 'utf8'));
  assert.deepEqual(records.map((r) => r.libraryId), ['smith2019crispr', 'garcia2020covid', 'knuth1984tex']);
  const smith = records[0];
  assert.equal(smith.title, 'CRISPR-Cas9 screens of TP53 in épithélial cells');
  assert.equal(smith.containerTitle, 'Nature Biotechnology');
  assert.equal(smith.year, 2019);
  assert.equal(smith.page, '120-128');
  assert.equal(smith.doi, '10.1038/s41587-019-0001-x');
  assert.deepEqual(smith.keywords, ['CRISPR', 'gene editing', 'p53']);
  assert.deepEqual(smith.authors, [
    { family: 'Smith', given: 'John' },
    { family: 'Müller', given: 'Jörg' },
    { family: 'van der Berg', given: 'Anna' },
  ]);
  const garcia = records[1];
  assert.equal(garcia.title, 'Clinical features of COVID-19 in Madrid');
  assert.equal(garcia.containerTitle, 'Journal of Biomedical Informatics');
  assert.deepEqual(garcia.authors, [{ family: 'García', given: 'María' }, { literal: 'World Health Organization' }]);
  assert.equal(garcia.pmid, '32000001');
  assert.equal(records[2].title, "The TeX book");
  const broken = warnings.find((w) => /broken|malformed/.test(w.message));
  assert.ok(broken, 'the malformed entry is reported');
  assert.equal(broken.line, 29);
  assert.ok(warnings.some((w) => /no title/.test(w.message) && w.line === 41));
});

test('BibTeX: a 20,000-entry library keeps every entry, line numbers and comment lines right', () => {
  // The line of each entry is now found by binary search over the line breaks, counted once.
  const entries = Array.from({ length: 20_000 }, (_, index) =>
    index % 5000 === 4999
      ? `% @article{commented${index}, title = {Not an entry}}\n@article{broken${index},\n  title = {Unclosed,\n`
      : `@article{key${index},\n  title = {Study {${index}} of TP53},\n  author = {Smith, John and M{\\"u}ller, Anna},\n  year = {${1990 + (index % 30)}},\n  doi = {10.1000/x${index}}\n}\n`,
  );
  const text = entries.join('');
  const { records, warnings } = parseBibtex(text);
  assert.equal(records.length, 20_000 - 4);
  assert.equal(records[0].libraryId, 'key0');
  assert.equal(records.at(-1)?.libraryId, 'key19998');
  assert.deepEqual(records.at(-1)?.authors?.[1], { family: 'Müller', given: 'Anna' });
  // Each normal entry is 6 lines; each broken one 3 (with its comment line).
  const lineOf = (index: number): number => index * 6 + 1 - Math.floor(index / 5000) * 3;
  assert.deepEqual(warnings.map((warning) => warning.line), [4999, 9999, 14999, 19999].map((index) => lineOf(index) + 1));
  assert.ok(warnings.every((warning) => /malformed @article entry/.test(warning.message)));
  assert.ok(!records.some((record) => record.libraryId?.startsWith('commented')), 'an entry on a % line is a comment');
});

test('BibTeX: hostile files of @ signs and broken entries give warnings, not a hang', () => {
  assert.deepEqual(parseBibtex('@'.repeat(200_000)).records, []);
  const broken = parseBibtex('@a{\n'.repeat(50_000));
  assert.equal(broken.records.length, 0);
  assert.equal(broken.warnings.length, 50_000);
  assert.equal(broken.warnings.at(-1)?.line, 50_000);
});

test('BibTeX: LaTeX decoding and name forms', () => {
  assert.equal(decodeLatex('{\\"o}\\"a\\\'{e}\\c{c}\\ss{} \\emph{x} 10\\% $\\alpha$'), 'öäéçß x 10% α');
  assert.deepEqual(parseBibtexNames('Ludwig van Beethoven and Doe, Jr., John'), [
    { family: 'van Beethoven', given: 'Ludwig' },
    { family: 'Doe', given: 'John' },
  ]);
  const { records, warnings } = parseBibtex('@article{a,\n title = {One} # { and } # "two",\n year = 2001}\n@ARTICLE(b, title = "Paren style", year = {1999})');
  assert.deepEqual(records.map((r) => [r.libraryId, r.title, r.year]), [['a', 'One and two', 2001], ['b', 'Paren style', 1999]]);
  assert.equal(warnings.length, 0);
});

test('discovery: front matter (string and list), LaTeX, Manubot, setting', () => {
  assert.deepEqual(discoverBibliographies('---\ntitle: X\nbibliography: refs.json\n---\nText').map((r) => r.path), ['refs.json']);
  assert.deepEqual(discoverBibliographies('---\nbibliography:\n  - a.bib\n  - b.json\n---\n').map((r) => r.path), ['a.bib', 'b.json']);
  const latex = '\\documentclass{article}\n% \\bibliography{old}\n\\addbibresource[datatype=bibtex]{main.bib}\n\\bibliography{refs, more.bib}\n';
  assert.deepEqual(discoverBibliographies(latex).map((r) => r.path), ['refs.bib', 'more.bib', 'main.bib']);
  const manubot = discoverBibliographies('# Intro', { exists: (p) => p === 'content/manual-references.json', settingFiles: ['/abs/lib.bib'] });
  assert.deepEqual(manubot, [
    { path: 'content/manual-references.json', origin: 'manubot' },
    { path: '/abs/lib.bib', origin: 'setting' },
  ]);
  assert.deepEqual(discoverBibliographies('---\nbibliography: [unclosed\n---\n'), []);
  // Quarto: the folder's _metadata.yml and the nearest _quarto.yml, with paths relative to their own folder.
  const projectFiles = new Map([
    ['_metadata.yml', 'bibliography: chapter.bib\n'],
    ['../_quarto.yml', 'project:\n  type: book\nbibliography:\n  - references.bib\n  - /abs/shared.json\n'],
    ['../../_quarto.yml', 'bibliography: outer.bib\n'],
  ]);
  assert.deepEqual(discoverBibliographies('# Chapter', { projectFiles }), [
    { path: 'chapter.bib', origin: 'project' },
    { path: '../references.bib', origin: 'project' },
    { path: '/abs/shared.json', origin: 'project' },
  ]);
  assert.deepEqual(discoverBibliographies('---\nbibliography: own.bib\n---\n', { projectFiles }).map((r) => r.path), ['own.bib']);
  assert.deepEqual(discoverBibliographies('# Chapter', { projectFiles: new Map([['_quarto.yml', 'bibliography: [broken\n']]) }), []);
});

test('readLibraryFiles: reads both formats, reports a missing file with a next step', async () => {
  const result = await readLibraryFiles([join(fixtures, 'library.json'), join(fixtures, 'library.bib'), join(fixtures, 'missing.json')]);
  assert.equal(result.records.length, 9);
  assert.equal(result.errors.length, 1);
  assert.match(result.errors[0], /missing\.json: file not found\. Check the path/);
  assert.ok(result.warnings.some((w) => /library\.bib:29:/.test(w)));
});

test('CSL YAML (Pandoc references:) is read; bad YAML names the problem', () => {
  const yaml = '---\nreferences:\n- id: doe2020\n  type: article-journal\n  title: A study of BRCA2\n  author:\n  - family: Doe\n    given: Jane\n  issued:\n    date-parts:\n    - [2020]\n  DOI: 10.1234/ABC\n- title: no id\n...\n';
  const result = parseLibraryText(yaml, 'refs.yaml');
  assert.equal(result.format, 'cslyaml');
  assert.deepEqual(result.records.map((r) => [r.libraryId, r.title, r.year, r.doi]), [['doe2020', 'A study of BRCA2', 2020, '10.1234/abc']]);
  assert.equal(result.warnings.length, 1);
  assert.throws(() => parseCslYaml('references: [unclosed'), LibraryFormatError);
  assert.throws(() => parseCslYaml('title: x'), /references/);
});
