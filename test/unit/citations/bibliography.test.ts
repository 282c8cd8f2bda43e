import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCitekey, planBibliographyEntry } from '../../../src/core/citations/bibliographyEdit';
import { formatApa, formatVancouver, recordLink } from '../../../src/core/citations/formatReference';
import { parseBibtex, parseBibtexEntries } from '../../../src/core/literature/library/bibtex';
import type { LiteratureRecord } from '../../../src/core/literature/types';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'sources');
const apply = (text: string, edit: { start: number; end: number; newText: string }): string => text.slice(0, edit.start) + edit.newText + text.slice(edit.end);

const record: LiteratureRecord = {
  sources: ['pubmed'],
  title: 'The Cancer Genome Atlas pan-cancer analysis project',
  authors: [{ family: 'Weinstein', given: 'John N.' }, { family: 'Collisson', given: 'Eric A.' }],
  containerTitle: 'Nature Genetics',
  year: 2013,
  volume: '45',
  issue: '10',
  page: '1113-1120',
  doi: '10.1038/ng.2764',
  pmid: '24071849',
  retracted: false,
  notices: [],
};

test('citekeys: family + year + first significant title word, de-duplicated, ASCII', () => {
  assert.equal(makeCitekey(record, []), 'weinstein2013cancer');
  assert.equal(makeCitekey(record, ['weinstein2013cancer']), 'weinstein2013cancera');
  assert.equal(makeCitekey(record, ['Weinstein2013Cancer', 'weinstein2013cancera']), 'weinstein2013cancerb');
  assert.equal(makeCitekey({ ...record, authors: [{ family: 'Müller-Łoś' }], year: undefined }, []), 'mullerlos' + 'nd' + 'cancer');
});

test('CSL JSON: appended with the file\'s indentation and key order, parseable, no duplicates', () => {
  const text = readFileSync(join(fixtures, 'library.json'), 'utf8');
  const plan = planBibliographyEntry(text, 'csljson', record);
  assert.equal(plan.key, 'weinstein2013cancer');
  assert.ok(plan.edit);
  const updated = apply(text, plan.edit);
  const items = JSON.parse(updated) as Record<string, unknown>[];
  assert.equal(items.length, 7);
  const added = items[6];
  assert.equal(added.id, 'weinstein2013cancer');
  assert.equal(added.DOI, '10.1038/ng.2764');
  // Key order of the file's first item: id, type, title, container-title…
  assert.deepEqual(Object.keys(added).slice(0, 4), ['id', 'type', 'title', 'container-title']);
  assert.ok(updated.includes('\n  {\n    "id": "weinstein2013cancer"'), 'two-space indentation kept');
  assert.equal(updated.slice(0, text.lastIndexOf('}') + 1), text.slice(0, text.lastIndexOf('}') + 1), 'existing text untouched');
  // Again: the DOI is there now, its key is reused and nothing is added.
  assert.deepEqual(planBibliographyEntry(updated, 'csljson', { ...record, doi: '10.1038/NG.2764' }), { key: 'weinstein2013cancer' });
  assert.deepEqual(planBibliographyEntry(text, 'csljson', { ...record, doi: undefined, pmid: '26017442' }), { key: 'lecun2015deep' });
});

test('a key taken by another paper is not reused: the record gets its own key and entry', () => {
  const csl = '[\n  {\n    "id": "weinstein2013",\n    "title": "Another paper entirely",\n    "DOI": "10.1000/other"\n  }\n]\n';
  // From Zotero or another library file, with a key that this file uses for a different DOI.
  const plan = planBibliographyEntry(csl, 'csljson', { ...record, libraryId: 'weinstein2013' });
  assert.equal(plan.key, 'weinstein2013cancer');
  assert.ok(plan.edit);
  assert.equal(JSON.parse(apply(csl, plan.edit)).length, 2);
  // Without identifiers to compare, a different title tells them apart.
  const bib = '@article{weinstein2013,\n  title = {Another paper entirely},\n  year = {2013}\n}\n';
  const noIds = { ...record, libraryId: 'weinstein2013', doi: undefined, pmid: undefined };
  assert.equal(planBibliographyEntry(bib, 'bibtex', noIds).key, 'weinstein2013cancer');
  // The same work under the same key is reused as before.
  assert.deepEqual(planBibliographyEntry(csl, 'csljson', { ...record, libraryId: 'weinstein2013', doi: '10.1000/OTHER' }), { key: 'weinstein2013' });
  assert.deepEqual(planBibliographyEntry(bib, 'bibtex', { ...noIds, title: 'Another paper entirely' }), { key: 'weinstein2013' });
});

test('CSL JSON: tabs, one-line files and empty files', () => {
  const tabbed = '[\n\t{\n\t\t"id": "a",\n\t\t"title": "A"\n\t}\n]\n';
  const updated = apply(tabbed, planBibliographyEntry(tabbed, 'csljson', record).edit!);
  assert.ok(updated.includes('\n\t{\n\t\t"id": "weinstein2013cancer"'));
  assert.equal(JSON.parse(updated).length, 2);
  const oneLine = '[{"id":"a","title":"A"}]';
  const updatedLine = apply(oneLine, planBibliographyEntry(oneLine, 'csljson', record).edit!);
  assert.ok(!updatedLine.includes('\n'));
  assert.equal(JSON.parse(updatedLine).length, 2);
  assert.equal(JSON.parse(apply('', planBibliographyEntry('', 'csljson', record).edit!)).length, 1);
  assert.throws(() => planBibliographyEntry('[{"id": ', 'csljson', record));
});

test('BibTeX: appended like the file\'s entries, readable back, no duplicates', () => {
  const text = readFileSync(join(fixtures, 'library.bib'), 'utf8');
  const plan = planBibliographyEntry(text, 'bibtex', { ...record, title: 'Genes & 50% of {cancers}' });
  assert.ok(plan.edit);
  const updated = apply(text, plan.edit);
  const { records } = parseBibtex(updated);
  const added = records.find((r) => r.libraryId === plan.key);
  assert.ok(added);
  assert.equal(added.title, 'Genes & 50% of cancers');
  assert.deepEqual(added.authors[0], { family: 'Weinstein', given: 'John N.' });
  assert.equal(added.doi, '10.1038/ng.2764');
  assert.match(updated, /\n\n@article\{weinstein2013genes,\n {2}author = \{Weinstein, John N\. and Collisson, Eric A\.\},\n {2}title = \{\{Genes \\& 50\\% of \\textbraceleft\{\}cancers\\textbraceright\{\}\}\},/);
  assert.deepEqual(planBibliographyEntry(text, 'bibtex', { ...record, doi: '10.1038/s41587-019-0001-x' }), { key: 'smith2019crispr' });
  const tabbed = '@ARTICLE{x,\n\tTITLE="X",\n\tYEAR="2000"\n}\n';
  const updatedTabbed = apply(tabbed, planBibliographyEntry(tabbed, 'bibtex', record).edit!);
  assert.match(updatedTabbed, /@ARTICLE\{weinstein2013cancer,\n\tAUTHOR="Weinstein, John N\. and Collisson, Eric A\."/);
});

test('BibTeX: quotes and backslashes in titles, journals and names do not break a file written with quotes', () => {
  const quoted = '@ARTICLE{x,\n\tTITLE="X",\n\tYEAR="2000"\n}\n';
  const odd = { ...record, title: 'The "omics" era of A\\B', containerTitle: 'J "Q"', authors: [{ family: 'O"Brien', given: 'A' }] };
  const updated = apply(quoted, planBibliographyEntry(quoted, 'bibtex', odd).edit!);
  const { records, warnings } = parseBibtex(updated);
  assert.deepEqual(warnings, []);
  const added = records.find((r) => r.libraryId === 'obrien2013omics');
  assert.ok(added, updated);
  assert.equal(added.title, 'The "omics" era of A\\B', 'the backslash is written as \\textbackslash{} (which the reader decodes back)');
  assert.ok(updated.includes('A\\textbackslash{}B'), updated);
  assert.equal(added.containerTitle, 'J "Q"');
  assert.equal(added.authors[0].family, 'O"Brien');
});

test('references: Vancouver and APA, links only from valid identifiers', () => {
  assert.equal(
    formatVancouver(record),
    'Weinstein JN, Collisson EA. The Cancer Genome Atlas pan-cancer analysis project. Nature Genetics. 2013;45(10):1113-1120. doi:10.1038/ng.2764. PMID: 24071849.',
  );
  assert.equal(
    formatApa(record),
    'Weinstein, J. N., & Collisson, E. A. (2013). The Cancer Genome Atlas pan-cancer analysis project. Nature Genetics, 45(10), 1113–1120. https://doi.org/10.1038/ng.2764',
  );
  const many = { ...record, authors: Array.from({ length: 8 }, (_, i) => ({ family: `F${i}`, given: 'G' })) };
  assert.match(formatVancouver(many), /^F0 G, F1 G, F2 G, F3 G, F4 G, F5 G, et al\. /);
  assert.equal(recordLink(record, 'pubmed'), 'https://pubmed.ncbi.nlm.nih.gov/24071849/');
  assert.equal(recordLink(record, 'doi'), 'https://doi.org/10.1038/ng.2764');
  assert.equal(recordLink({ ...record, pmid: '12; rm -rf' }, 'pubmed'), undefined);
  assert.equal(recordLink({ ...record, doi: 'javascript:alert(1)' }, 'doi'), undefined);
  assert.equal(recordLink({ ...record, pmcid: 'PMC123' }, 'pmc'), 'https://pmc.ncbi.nlm.nih.gov/articles/PMC123/');
});

test('a hostile DOI, PMID or PMCID from a service cannot add entries to the BibTeX file', () => {
  const existing = '@article{smith2020,\n  title = {Existing},\n  year = {2020}\n}\n';
  const hostile: LiteratureRecord = {
    ...record,
    doi: '10.1234/x}}@misc{evil,title={X},note={',
    pmid: '1}@misc{evil2,',
    pmcid: 'PMC1"}@misc{evil3,',
  };
  const plan = planBibliographyEntry(existing, 'bibtex', hostile);
  assert.ok(plan.edit);
  const updated = apply(existing, plan.edit);
  assert.ok(!updated.includes('evil'), updated);
  const keys = parseBibtexEntries(updated).entries.map((entry) => entry.key);
  assert.deepEqual(keys, ['smith2020', plan.key]);
  // The valid parts of the record are still written.
  assert.match(updated, /title = \{\{The Cancer Genome Atlas pan-cancer analysis project\}\}/);
});

test('DOIs with braces, quotes, backslashes, whitespace or control characters are not DOIs', async () => {
  const { normaliseDoi } = await import('../../../src/core/literature/normalize');
  assert.equal(normaliseDoi('https://doi.org/10.1038/NG.2764'), '10.1038/ng.2764');
  assert.equal(normaliseDoi('10.1002/(SICI)1097-0258(19980430)17:8<857::AID-SIM777>3.0.CO;2-E'), '10.1002/(sici)1097-0258(19980430)17:8<857::aid-sim777>3.0.co;2-e');
  for (const bad of ['10.1234/x}y', '10.1234/x"y', '10.1234/x\\y', '10.1234/x y', '10.1234/x\u0000', '10.1234/' + 'a'.repeat(400)]) {
    assert.equal(normaliseDoi(bad), undefined, bad);
  }
});

test('every field a service sends is escaped for BibTeX: the file reads back with one new entry and the same text', () => {
  // Before: ~ and ^ went through as LaTeX, and a line break inside a value could start a line with @.
  const existing = '@article{smith2020,\n  title = {Existing},\n  year = {2020}\n}\n';
  const hostile: LiteratureRecord = {
    ...record,
    title: 'Ca^2+ ~ flux}} @misc{evil1, in 50% of {cells} & #1 \\textbf{x} "quoted"\n@misc{evil2, title={y}}',
    containerTitle: 'J. Hostile}\n@misc{evil3,',
    volume: '4}5',
    issue: '1\r\n@misc{evil4,',
    page: '1-2}}',
    authors: [{ family: 'O’Brien}', given: 'A\n@misc{evil5,' }, { literal: 'The ~ Consortium}' }],
    year: Number.NaN,
  };
  const plan = planBibliographyEntry(existing, 'bibtex', hostile);
  assert.ok(plan.edit);
  const updated = apply(existing, plan.edit);
  const entries = parseBibtexEntries(updated).entries;
  assert.deepEqual(entries.map((entry) => entry.key), ['smith2020', plan.key], updated);
  assert.ok(!/^\s*@misc/m.test(updated), 'no line starts an entry of the service’s choosing');
  const added = entries[1].fields;
  // Braces are dropped (they would end the field); every other character reads back as sent.
  assert.equal(added.title, 'Ca^2+ ~ flux @miscevil1, in 50% of cells & #1 \\textbfx "quoted" @miscevil2, title=y');
  assert.equal(added.journal, 'J. Hostile @miscevil3,');
  assert.equal(added.year, undefined, 'a year that is not a number is left out');
  assert.equal(entries[1].fields.volume, '45');
});

test('CSL JSON: hostile identifiers and non-web URLs from a service are not written', () => {
  for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<script>1</script>', '/relative/path', 'https://ok.example/ x', 'vbscript:x']) {
    const plan = planBibliographyEntry('[]', 'csljson', { ...record, url, doi: '10.1234/x"}', pmid: '12a', pmcid: 'PMC1 2' });
    assert.ok(plan.edit);
    const [item] = JSON.parse(apply('[]', plan.edit)) as Record<string, unknown>[];
    assert.equal(item.URL, undefined, url);
    assert.equal(item.DOI, undefined);
    assert.equal(item.PMID, undefined);
    assert.equal(item.PMCID, undefined);
    assert.equal(item.title, record.title, 'the rest of the record is written');
  }
  const plan = planBibliographyEntry('[]', 'csljson', { ...record, doi: undefined, pmid: undefined, url: 'https://www.biorxiv.org/content/10.1101/2020.01.01.000001v1' });
  const [item] = JSON.parse(apply('[]', plan.edit ?? { start: 0, end: 0, newText: '' })) as Record<string, unknown>[];
  assert.equal(item.URL, 'https://www.biorxiv.org/content/10.1101/2020.01.01.000001v1');
});

test('a file with CR-only line breaks (old Mac) keeps them', () => {
  // Before: the new entry was written with LF lines into a CR file.
  const bib = '@article{smith2020,\r  title = {Existing},\r  year = {2020}\r}\r';
  const bibPlan = planBibliographyEntry(bib, 'bibtex', record);
  const updatedBib = apply(bib, bibPlan.edit ?? { start: 0, end: 0, newText: '' });
  assert.ok(!updatedBib.includes('\n'), JSON.stringify(updatedBib));
  assert.match(updatedBib, /\r {2}title = \{\{The Cancer Genome Atlas/, 'laid out like the file');
  const csl = '[\r  {\r    "id": "a",\r    "title": "A"\r  }\r]\r';
  const cslPlan = planBibliographyEntry(csl, 'csljson', record);
  const updatedCsl = apply(csl, cslPlan.edit ?? { start: 0, end: 0, newText: '' });
  assert.ok(!updatedCsl.includes('\n'), JSON.stringify(updatedCsl));
  assert.equal((JSON.parse(updatedCsl) as unknown[]).length, 2);
});

test('a title with italics and superscripts is written as the bibliography format’s markup', () => {
  // Before: the service's <i>…</i> reached the .bib file as literal text.
  const styled: LiteratureRecord = {
    ...record,
    title: 'Ca2+ waves in Escherichia coli',
    titleSpans: [{ text: 'Ca' }, { text: '2+', styles: ['sup'] }, { text: ' waves in ' }, { text: 'Escherichia coli', styles: ['italic'] }],
  };
  const bib = apply('', planBibliographyEntry('', 'bibtex', styled).edit ?? { start: 0, end: 0, newText: '' });
  assert.match(bib, /title = \{\{Ca\\textsuperscript\{2\+\} waves in \\textit\{Escherichia coli\}\}\}/);
  assert.equal(parseBibtex(bib).records[0].title, 'Ca2+ waves in Escherichia coli', 'read back as the plain title');
  const csl = apply('[]', planBibliographyEntry('[]', 'csljson', styled).edit ?? { start: 0, end: 0, newText: '' });
  const [item] = JSON.parse(csl) as { title: string }[];
  assert.equal(item.title, 'Ca<sup>2+</sup> waves in <i>Escherichia coli</i>');
  const key = (JSON.parse(csl) as { id: string }[])[0].id;
  assert.deepEqual(planBibliographyEntry(csl, 'csljson', { ...styled, doi: undefined, pmid: undefined, libraryId: key }), { key }, 'the styled title in the file is compared as plain text');
});
