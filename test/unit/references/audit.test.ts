import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiteratureServiceError } from '../../../src/core/literature/http';
import type { LiteratureRecord } from '../../../src/core/literature/types';
import { auditReferences, type ReferenceServices } from '../../../src/core/references/audit';
import { citedKeysOf } from '../../../src/core/references/citedKeys';
import { compareAuthors, compareTitles, pageRange, samePages, sameVenue } from '../../../src/core/references/compare';
import { readBibliographyEntries } from '../../../src/core/references/entries';
import { splitDisplayName } from '../../../src/core/literature/normalize';
import type { ReferenceFinding } from '../../../src/core/references/statuses';

const work = (fields: Partial<LiteratureRecord> & { title: string }): LiteratureRecord => ({
  sources: ['crossref'],
  authors: [],
  retracted: false,
  notices: [],
  ...fields,
});

// The "world" the fake services answer from: real-looking records, one retracted, one preprint since published.
const world: LiteratureRecord[] = [
  work({ title: 'Deep learning', authors: [{ family: 'LeCun', given: 'Yann' }, { family: 'Bengio', given: 'Yoshua' }, { family: 'Hinton', given: 'Geoffrey' }], containerTitle: 'Nature', year: 2015, volume: '521', page: '436-444', doi: '10.1038/nature14539', pmid: '26017442' }),
  work({ title: 'Approximate statistical tests for comparing supervised classification learning algorithms', authors: [{ family: 'Dietterich', given: 'Thomas G.' }], containerTitle: 'Neural Computation', year: 1998, volume: '10', page: '1895-1923', doi: '10.1162/089976698300017197' }),
  work({ title: 'Backpropagation and the brain', authors: [{ family: 'Lillicrap' }, { family: 'Santoro' }], containerTitle: 'Nature Reviews Neuroscience', year: 2020, doi: '10.1038/s41583-020-0277-3', retracted: true, notices: [{ kind: 'retraction', id: 'doi:10.1038/retraction', label: 'Crossref: Retraction (Retraction Watch)' }] }),
  work({ title: 'The approximation of one matrix by another of lower rank', authors: [{ family: 'Eckart' }, { family: 'Young' }], containerTitle: 'Psychometrika', year: 1936, doi: '10.1007/bf02288367' }),
  work({ title: 'Easy over hard: a case study on deep learning', authors: [{ family: 'Fu', given: 'Wei' }, { family: 'Menzies', given: 'Tim' }], containerTitle: 'Proceedings of the 2017 11th Joint Meeting on Foundations of Software Engineering', year: 2017, doi: '10.1145/3106237.3106256' }),
  work({ title: 'Generic networks for sequence modeling', authors: [{ family: 'Bai' }, { family: 'Kolter' }], containerTitle: 'arXiv', type: 'article', year: 2018, doi: '10.48550/arxiv.1803.01271', publishedVersion: { doi: '10.1109/tpami.2020.1', label: 'published' }, sources: [] }),
];

function fakeServices(options: { down?: boolean } = {}): ReferenceServices & { calls: string[] } {
  const calls: string[] = [];
  const fail = (): never => {
    throw new LiteratureServiceError('crossref', 'network', 'Crossref could not be reached.');
  };
  const titleSearch = async (query: string) => {
    calls.push(`search:${query}`);
    if (options.down) fail();
    const words = new Set(query.toLowerCase().split(/\s+/));
    return { records: world.filter((record) => record.title.toLowerCase().split(/\s+/).filter((word) => words.has(word)).length >= 2) };
  };
  return {
    calls,
    crossref: {
      worksByDoi: async (dois) => {
        calls.push(`crossref:${dois.length}`);
        if (options.down) fail();
        return world.filter((record) => record.doi && dois.includes(record.doi) && !record.doi.startsWith('10.48550'));
      },
      agency: async (doi) => {
        calls.push(`agency:${doi}`);
        if (options.down) fail();
        return doi.startsWith('10.5281/') ? 'datacite' : undefined;
      },
      search: titleSearch,
    },
    openalex: {
      worksByIds: async (kind, ids) => {
        calls.push(`openalex:${kind}:${ids.length}`);
        if (options.down) fail();
        return [];
      },
      search: async () => ({ records: [] }),
    },
    arxiv: {
      byIds: async (ids) => {
        calls.push(`arxiv:${ids.length}`);
        if (options.down) fail();
        return world.filter((record) => record.doi?.startsWith('10.48550/arxiv.') && ids.includes(record.doi.slice('10.48550/arxiv.'.length)));
      },
    },
  };
}

const bibliography = JSON.stringify(
  [
    { id: 'lecun2015', type: 'article-journal', title: 'Deep Learning.', author: [{ family: 'LeCun', given: 'Y' }, { family: 'Bengio', given: 'Y' }, { family: 'Hinton', given: 'G' }], 'container-title': 'Nature', issued: { 'date-parts': [[2015]] }, page: '436-44', DOI: 'https://doi.org/10.1038/NATURE14539' },
    { id: 'typo', type: 'article-journal', title: 'Approximate Statistcial Tests for Comparing Supervised Classification Learning Algorithms', author: [{ family: 'Dietterich' }], 'container-title': 'Neural Comput', issued: { 'date-parts': [[1998]] }, DOI: '10.1162/089976698300017197' },
    { id: 'wrongyear', type: 'article-journal', title: 'Deep learning', author: [{ family: 'LeCun' }, { family: 'Bengio' }, { family: 'Hinton' }], 'container-title': 'Nature', issued: { 'date-parts': [[2016]] }, DOI: '10.1038/nature14539' },
    { id: 'chimera', type: 'article-journal', title: 'The approximation of one matrix by another of lower rank', author: [{ family: 'Fu' }, { family: 'Menzies' }], issued: { 'date-parts': [[2017]] }, DOI: '10.1145/3106237.3106256' },
    { id: 'invented', type: 'article-journal', title: 'Systematic evaluation of variational autoencoders in histopathology images', author: [{ family: 'Walsh' }], 'container-title': 'International Journal of Epidemiology', issued: { 'date-parts': [[2014]] } },
    { id: 'nodoi', type: 'article-journal', title: 'Deep learning', author: [{ family: 'LeCun' }], 'container-title': 'Nature', issued: { 'date-parts': [[2015]] } },
    { id: 'fakedoi', type: 'article-journal', title: 'Backpropagation and the brain', author: [{ family: 'Lillicrap' }], issued: { 'date-parts': [[2021]] }, DOI: '10.1038/s41583-020-9999-9' },
    { id: 'retracted', type: 'article-journal', title: 'Backpropagation and the brain', author: [{ family: 'Lillicrap' }, { family: 'Santoro' }], 'container-title': 'Nat Rev Neurosci', issued: { 'date-parts': [[2020]] }, DOI: '10.1038/s41583-020-0277-3' },
    { id: 'preprint', type: 'report', title: 'Generic networks for sequence modeling', author: [{ family: 'Bai' }, { family: 'Kolter' }], 'container-title': 'arXiv', publisher: 'arXiv', number: '1803.01271', URL: 'https://arxiv.org/abs/1803.01271', issued: { 'date-parts': [[2018]] } },
    { id: 'keras', type: 'webpage', title: 'Keras: the Python deep learning API', URL: 'https://keras.io/' },
    { id: 'zenodo', type: 'dataset', title: 'A dataset', DOI: '10.5281/zenodo.1234' },
    { id: 'never', type: 'article-journal', title: 'Deep learning', author: [{ family: 'LeCun' }], 'container-title': 'Nature', issued: { 'date-parts': [[2015]] }, DOI: '10.1038/nature14539' },
  ],
  null,
  2,
);

const manuscript = `# Intro

Deep learning works [@lecun2015; @typo; @wrongyear]. Others [@chimera; @invented; @nodoi] and [@fakedoi; @retracted; @preprint].
See @keras and [@zenodo], and [@missing] and [@doi:10.1038/s41583-020-0277-3; @doi:10.1007/BF02288367], see also @fig:one.
`;

function byKey(findings: readonly ReferenceFinding[]): Map<string, ReferenceFinding> {
  return new Map(findings.map((finding) => [finding.key, finding]));
}

test('titles: case, punctuation, typos and changed words are told apart', () => {
  assert.equal(compareTitles('Deep Learning.', 'Deep learning').relation, 'same');
  assert.equal(compareTitles('Approximate Statistcial Tests for Comparing', 'Approximate statistical tests for comparing').relation, 'typo');
  assert.equal(compareTitles('Parameter tuning via neural variational autoencoders for single tissue RNA', 'Parameter tuning via deep variational autoencoders for single cell RNA').relation, 'changed');
  assert.equal(compareTitles('The approximation of one matrix', 'Easy over hard: a case study on deep learning').relation, 'different');
  assert.equal(compareTitles('Café society', 'Cafe Society').relation, 'same');
  assert.equal(compareTitles('', 'Anything').relation, 'different');
});

test('authors, venues and pages: initials, NLM abbreviations and short ranges are the same', () => {
  assert.equal(compareAuthors([{ family: 'Noé', given: 'F' }], [{ family: 'Noe', given: 'Frank' }]).overlap, 1);
  assert.equal(compareAuthors([{ family: 'Bengio' }, { family: 'LeCun' }], [{ family: 'LeCun' }, { family: 'Bengio' }]).reordered, true);
  assert.ok(compareAuthors([{ family: 'Novak' }, { family: 'Rahman' }], [{ family: 'Ravi' }, { family: 'Wong' }]).overlap < 0.5);
  assert.ok(sameVenue('Nat Rev Neurosci', 'Nature Reviews Neuroscience'));
  assert.ok(sameVenue('Proc Natl Acad Sci U S A', 'Proceedings of the National Academy of Sciences of the United States of America'));
  assert.ok(!sameVenue('BioMed Research International', 'Journal of Pharmacology and Pharmacotherapeutics'));
  assert.deepEqual(pageRange('316-9'), { first: '316', last: '319' });
  assert.ok(samePages('436-44', '436-444'));
  assert.ok(!samePages('12', '5'));
});

test('venues, names and years as they came up on bibliographies the matcher was not built on', async () => {
  // A one-word journal is not the same as a longer venue that merely contains the word.
  assert.ok(!sameVenue('Proceedings of the 10th ACM International Conference on Bioinformatics, Computational Biology and Health Informatics', 'Bioinformatics'));
  assert.ok(sameVenue('Bioinformatics (Oxford, England)', 'Bioinformatics'));
  assert.ok(!sameVenue('Nature Neuroscience', 'Nature Biotechnology'));
  assert.ok(sameVenue('J Biomed Inform', 'Journal of Biomedical Informatics'));
  assert.ok(sameVenue('J Pathol', 'The Journal of pathology'));
  assert.ok(sameVenue('J Chromatogr A', 'Journal of chromatography. A'));
  // Acronyms whose small words keep a lower-case letter, and names built from the starts of words.
  assert.ok(sameVenue('MBoC', 'Molecular Biology of the Cell'));
  assert.ok(sameVenue('Proceedings of the Python in Science Conference', 'SciPy'));
  assert.ok(sameVenue('PNAS', 'Proceedings of the National Academy of Sciences'));
  assert.ok(!sameVenue('MBoC', 'Nature Methods'));
  assert.ok(!sameVenue('SciPy', 'Science'), 'one part is not a name made of parts');
  // A generational suffix stays with the family name however a service splits it.
  assert.deepEqual(splitDisplayName('Timothy F. Truong Jr'), { family: 'Truong Jr', given: 'Timothy F.' });
  assert.equal(compareAuthors([{ family: 'Truong Jr', given: 'Timothy F.' }, { family: 'Bepler' }], [{ family: 'Jr', given: 'Timothy F. Truong' }, { family: 'Bepler' }]).sameFirst, false, 'the old split loses the name');
  assert.equal(compareAuthors([{ family: 'Truong Jr', given: 'Timothy F.' }, { family: 'Bepler' }], [{ family: 'Truong', given: 'Timothy F.' }, { family: 'Bepler' }]).sameFirst, true);

  // A work years old cited with next year's date is fabricated; next year's issue of this year's work is a mistake.
  const old = work({ title: 'The khmer software package: enabling efficient nucleotide sequence analysis', authors: [{ family: 'Crusoe' }], containerTitle: 'F1000Research', year: 2015, doi: '10.12688/f1000research.6924.1' });
  const recent = work({ title: 'Spatial proteomics of the human placenta', authors: [{ family: 'Okafor' }], containerTitle: 'Cell Systems', year: 2026, doi: '10.1016/j.cels.2026.01.001' });
  const withArxivLink = work({ title: 'BioGPT: generative pre-trained transformer for biomedical text generation and mining', authors: [{ family: 'Luo' }], containerTitle: 'Briefings in Bioinformatics', year: 2022, doi: '10.1093/bib/bbac409' });
  const services: ReferenceServices = {
    crossref: { worksByDoi: async (dois) => [old, recent, withArxivLink].filter((record) => dois.includes(record.doi ?? '')), agency: async () => undefined, search: async () => ({ records: [] }) },
    arxiv: { byIds: async () => [] },
  };
  const entries = readBibliographyEntries(
    JSON.stringify([
      { id: 'khmer', type: 'article-journal', title: old.title, author: [{ family: 'Crusoe' }], 'container-title': 'F1000Research', issued: { 'date-parts': [[2027]] }, DOI: old.doi },
      { id: 'placenta', type: 'article-journal', title: recent.title, author: [{ family: 'Okafor' }], 'container-title': 'Cell Syst', issued: { 'date-parts': [[2027]] }, DOI: recent.doi },
      { id: 'biogpt', type: 'article-journal', title: withArxivLink.title, author: [{ family: 'Luo' }], 'container-title': 'Briefings in Bioinformatics', issued: { 'date-parts': [[2022]] }, DOI: withArxivLink.doi, URL: 'https://arxiv.org/abs/2210.10341' },
    ]),
    'refs.json',
  ).entries;
  const audit = await auditReferences({ entries, cited: citedKeysOf('See [@khmer; @placenta; @biogpt].', 'markdown', 'paper.md'), services, signal: new AbortController().signal, currentYear: 2026 });
  const findings = byKey(audit.findings);
  assert.deepEqual(findings.get('khmer')?.statuses, ['identifier-mismatch']);
  assert.match(findings.get('khmer')?.message ?? '', /future/);
  assert.deepEqual(findings.get('placenta')?.statuses, ['metadata-mismatch']);
  assert.deepEqual(findings.get('placenta')?.fields, ['year']);
  // The DOI is the cited work; an arXiv link arXiv does not know is mentioned, not a second identity.
  assert.deepEqual(findings.get('biogpt')?.statuses, ['verified']);
  assert.match(findings.get('biogpt')?.message ?? '', /arXiv:2210\.10341 was not found/);

  // The code of a paper archived under the paper's title is software, not the paper with a wrong year.
  const paper = work({ title: 'A natural mutator allele shapes mutation spectrum variation in mice', authors: [{ family: 'Sasani' }], containerTitle: 'Nature', year: 2022, doi: '10.1038/s41586-022-04701-5', type: 'article-journal' });
  const searching: ReferenceServices = { crossref: { worksByDoi: async (dois) => (dois.includes(paper.doi ?? '') ? [paper] : []), agency: async () => undefined, search: async () => ({ records: [paper] }) } };
  const pair = readBibliographyEntries(
    JSON.stringify([
      { id: 'paper', type: 'article-journal', title: paper.title, author: [{ family: 'Sasani' }], 'container-title': 'Nature', issued: { 'date-parts': [[2022]] }, DOI: paper.doi },
      { id: 'code', type: 'software', title: paper.title, author: [{ family: 'Sasani' }], issued: { 'date-parts': [[2023]] } },
    ]),
    'refs.json',
  ).entries;
  const archived = byKey((await auditReferences({ entries: pair, cited: citedKeysOf('See [@paper; @code].', 'markdown', 'paper.md'), services: searching, signal: new AbortController().signal, currentYear: 2026 })).findings);
  assert.deepEqual(archived.get('paper')?.statuses, ['verified']);
  assert.deepEqual(archived.get('code')?.statuses, ['unverifiable']);

  // A bioRxiv preprint names no journal: cited as a journal article it is flagged, unless it was published since.
  const preprint = (publishedVersion?: LiteratureRecord['publishedVersion']): LiteratureRecord =>
    work({ title: 'Systematic interrogation of mutation groupings reveals divergent downstream expression programs', authors: [{ family: 'Grzadkowski' }], year: 2020, doi: '10.1101/2020.06.02.130443', type: 'article', ...(publishedVersion ? { publishedVersion } : {}) });
  const asJournal = readBibliographyEntries(
    JSON.stringify([{ id: 'groupings', type: 'article-journal', title: preprint().title, author: [{ family: 'Grzadkowski' }], 'container-title': 'Case Reports in Cardiology', issued: { 'date-parts': [[2020]] }, volume: '12', page: '1-9' }]),
    'refs.json',
  ).entries;
  const verdict = async (record: LiteratureRecord): Promise<readonly string[]> => {
    const found: ReferenceServices = { crossref: { worksByDoi: async () => [record], agency: async () => undefined, search: async () => ({ records: [record] }) } };
    const audit = await auditReferences({ entries: asJournal, cited: citedKeysOf('See [@groupings].', 'markdown', 'paper.md'), services: found, signal: new AbortController().signal, currentYear: 2026 });
    return audit.findings[0]?.statuses ?? [];
  };
  assert.deepEqual(await verdict(preprint()), ['not-found']);
  assert.ok(!(await verdict(preprint({ doi: '10.7554/elife.60000', label: 'published' }))).includes('not-found'), 'the entry may be the published version');
});

test('entries: keys are located in the file, arXiv ids found in number and URL', () => {
  const read = readBibliographyEntries(bibliography, 'refs.json');
  const preprint = read.entries.find((entry) => entry.key === 'preprint');
  assert.equal(preprint?.arxivId, '1803.01271');
  const typo = read.entries.find((entry) => entry.key === 'typo');
  assert.ok(typo && bibliography.slice(typo.keyOffset, typo.keyOffset + typo.keyLength) === 'typo');
  const bib = '@article{smith2020,\n  title = {A title},\n  eprint = {2004.03497},\n  archivePrefix = {arXiv}\n}\n';
  const fromBib = readBibliographyEntries(bib, 'refs.bib').entries[0];
  assert.equal(fromBib.arxivId, '2004.03497');
  assert.equal(bib.slice(fromBib.keyOffset, fromBib.keyOffset + fromBib.keyLength), 'smith2020');
});

test('the audit tells verified, fabricated, mistaken, lifecycle and hygiene apart', async () => {
  const entries = readBibliographyEntries(bibliography, 'refs.json').entries;
  const services = fakeServices();
  const audit = await auditReferences({ entries, cited: citedKeysOf(manuscript, 'markdown', 'paper.md'), services, signal: new AbortController().signal, currentYear: 2026 });
  const findings = byKey(audit.findings);
  const statuses = (key: string): readonly string[] => findings.get(key)?.statuses ?? [];
  assert.deepEqual(statuses('lecun2015'), ['duplicate'], 'the same work as wrongyear, nodoi and never; otherwise verified');
  assert.deepEqual(statuses('typo'), ['metadata-mismatch']);
  assert.deepEqual(findings.get('typo')?.fields, ['title']);
  assert.ok(statuses('wrongyear').includes('metadata-mismatch'));
  assert.deepEqual(findings.get('wrongyear')?.fields, ['year']);
  assert.deepEqual(statuses('chimera'), ['identifier-mismatch']);
  assert.match(findings.get('chimera')?.message ?? '', /another work/);
  assert.deepEqual(statuses('invented'), ['not-found']);
  assert.deepEqual(statuses('fakedoi'), ['not-found']);
  assert.equal(findings.get('fakedoi')?.resolved?.doi, '10.1038/s41583-020-0277-3', 'the work with this title is offered');
  assert.ok(statuses('retracted').includes('retracted'));
  assert.ok(statuses('preprint').includes('preprint-published'));
  assert.equal(findings.get('preprint')?.publishedDoi, '10.1109/tpami.2020.1');
  assert.deepEqual(statuses('keras'), ['unverifiable']);
  assert.deepEqual(statuses('zenodo'), ['unverifiable'], 'a DataCite DOI is registered: never not-found');
  assert.ok(statuses('never').includes('unused'));
  assert.deepEqual(statuses('missing'), ['undefined']);
  assert.equal(findings.get('missing')?.citations.length, 1);
  assert.ok(!findings.has('fig:one'), 'a cross-reference is not a citation');
  // A Manubot identifier is a citation of the entry with that DOI, or checked on its own when there is none.
  assert.equal(findings.get('retracted')?.citations.length, 2);
  assert.deepEqual(statuses('doi:10.1007/BF02288367'), ['verified']);
  // DOIs go in one batch.
  assert.equal(services.calls.filter((call) => call.startsWith('crossref:')).length, 1);
  assert.ok(audit.summary.withFindings > 0 && audit.summary.online);
});

test('a service that is down makes entries unverifiable, never not-found', async () => {
  const entries = readBibliographyEntries(bibliography, 'refs.json').entries;
  const audit = await auditReferences({ entries, cited: citedKeysOf(manuscript, 'markdown', 'paper.md'), services: fakeServices({ down: true }), signal: new AbortController().signal, currentYear: 2026 });
  for (const finding of audit.findings) {
    assert.ok(!finding.statuses.includes('not-found') && !finding.statuses.includes('identifier-mismatch'), `${finding.key}: ${finding.statuses.join(',')}`);
  }
  assert.ok(audit.summary.unreachable.some((failure) => failure.service === 'Crossref'));
});

test('offline: hygiene is checked, the rest is unverifiable, a year far in the future is flagged', async () => {
  const entries = readBibliographyEntries(JSON.stringify([{ id: 'a', title: 'A study of things', issued: { 'date-parts': [[2031]] } }, { id: 'b', title: 'Another study' }]), 'refs.json').entries;
  const audit = await auditReferences({ entries, cited: citedKeysOf('Text [@a; @c].', 'markdown', 'paper.md'), signal: new AbortController().signal, currentYear: 2026 });
  const findings = byKey(audit.findings);
  assert.deepEqual(findings.get('a')?.statuses, ['not-found']);
  assert.deepEqual(findings.get('b')?.statuses, ['unused']);
  assert.deepEqual(findings.get('c')?.statuses, ['undefined']);
  assert.equal(audit.summary.online, false);
});

test('empty, hostile and cancelled input', async () => {
  const empty = await auditReferences({ entries: [], cited: [], services: fakeServices(), signal: new AbortController().signal });
  assert.equal(empty.findings.length, 0);
  const hostile = readBibliographyEntries(JSON.stringify([{ id: 'x"<script>', title: '<img src=x onerror=alert(1)>'.repeat(50), DOI: 'not a doi' }]), 'refs.json').entries;
  const audit = await auditReferences({ entries: hostile, cited: [], services: fakeServices(), signal: new AbortController().signal });
  assert.equal(audit.findings.length, 1);
  const controller = new AbortController();
  controller.abort();
  const many = readBibliographyEntries(JSON.stringify(Array.from({ length: 50 }, (_, index) => ({ id: `k${index}`, title: `Title number ${index} of many`, 'container-title': 'J' }))), 'refs.json').entries;
  await assert.rejects(auditReferences({ entries: many, cited: [], services: fakeServices(), signal: controller.signal }));
});

test('an unchanged entry is not asked again', async () => {
  const entries = readBibliographyEntries(bibliography, 'refs.json').entries;
  const first = fakeServices();
  const previous = new Map<string, import('../../../src/core/references/audit').OnlineVerdict>();
  const { entryFingerprint } = await import('../../../src/core/references/audit');
  const audit = await auditReferences({ entries, cited: [], services: first, signal: new AbortController().signal, currentYear: 2026 });
  for (const entry of entries) {
    const finding = audit.findings.find((candidate) => candidate.key === entry.key);
    if (finding) previous.set(entryFingerprint(entry), { statuses: finding.statuses.filter((s) => s !== 'unused'), fields: finding.fields, message: finding.message, checkedWith: finding.checkedWith });
  }
  const second = fakeServices();
  await auditReferences({ entries, cited: [], services: second, signal: new AbortController().signal, currentYear: 2026, previous });
  assert.equal(second.calls.length, 0);
});

test('a Quarto manuscript: its figure, table and section references are no bibliography keys', () => {
  const text = '# Results {#sec-results}\n\nAs shown in @fig-umap and [@tbl-cohort], atlases grow [@smith2020; @sec-methods].\n';
  assert.deepEqual(citedKeysOf(text, 'markdown', 'paper.qmd').map((cited) => cited.key), ['smith2020']);
});
