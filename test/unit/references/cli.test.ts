import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRefs } from '../../../src/cli/commands/refs';
import { findEntrySpan, removeEntryEdit, renameCitationEdits, replaceEntryEdit } from '../../../src/core/references/entryEdits';
import { startFakeReferenceServices, type FakeReferenceServices } from '../../fakes/fakeReferenceServices';

let services: FakeReferenceServices;
let dir: string;
const saved: Record<string, string | undefined> = {};
const variables = ['BIOWRITE_CROSSREF_URL', 'BIOWRITE_OPENALEX_URL', 'BIOWRITE_PUBMED_URL', 'BIOWRITE_EUROPEPMC_URL', 'BIOWRITE_ARXIV_URL', 'BIOWRITE_CACHE_DIR'];

before(async () => {
  services = await startFakeReferenceServices();
  for (const name of variables) saved[name] = process.env[name];
  process.env.BIOWRITE_CROSSREF_URL = services.urls.crossref;
  process.env.BIOWRITE_OPENALEX_URL = services.urls.openalex;
  process.env.BIOWRITE_PUBMED_URL = services.urls.pubmed;
  process.env.BIOWRITE_EUROPEPMC_URL = services.urls.europepmc;
  process.env.BIOWRITE_ARXIV_URL = services.urls.arxiv;
  process.env.BIOWRITE_CACHE_DIR = 'none';
  dir = mkdtempSync(join(tmpdir(), 'biowrite-refs-cli-'));
});

after(async () => {
  for (const name of variables) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

function capture(): { stdout: string[]; stderr: string[]; io: { stdout: { write(text: string): void }; stderr: { write(text: string): void } } } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, io: { stdout: { write: (text: string) => void stdout.push(text) }, stderr: { write: (text: string) => void stderr.push(text) } } };
}

const bib = `@article{lecun2015,
  author = {LeCun, Yann and Bengio, Yoshua and Hinton, Geoffrey},
  title = {Deep Learning},
  journal = {Nature},
  year = {2015},
  doi = {https://doi.org/10.1038/NATURE14539}
}

@article{fake2020,
  author = {Nobody, Anne},
  title = {Backpropagation and the brain},
  journal = {Nature Reviews Neuroscience},
  year = {2020},
  doi = {10.1038/s41583-020-9999-0}
}

@misc{unused,
  title = {Never cited},
  url = {https://example.org}
}
`;

test('biowrite refs --online: JSON with statuses, exit 1 on findings; SARIF rules; offline; bad input exits 2', async () => {
  writeFileSync(join(dir, 'paper.tex'), '\\documentclass{article}\n\\begin{document}\nDeep learning \\cite{lecun2015,fake2020} and \\citep{missing}.\n\\bibliography{refs}\n\\end{document}\n');
  writeFileSync(join(dir, 'refs.bib'), bib);
  const json = capture();
  assert.equal(await runRefs([join(dir, 'paper.tex'), '--online', '--format', 'json'], json.io), 1);
  const report = JSON.parse(json.stdout.join('')) as { entries: { key: string; statuses: string[]; line?: number; resolved?: { doi?: string } }[]; summary: { withFindings: number } };
  const byKey = new Map(report.entries.map((entry) => [entry.key, entry]));
  assert.deepEqual(byKey.get('lecun2015')?.statuses, ['verified']);
  assert.equal(byKey.get('lecun2015')?.resolved?.doi, '10.1038/nature14539');
  assert.deepEqual(byKey.get('fake2020')?.statuses, ['not-found']);
  assert.deepEqual(byKey.get('missing')?.statuses, ['undefined']);
  assert.ok(byKey.get('unused')?.statuses.includes('unused'));
  assert.equal(byKey.get('fake2020')?.line, 9, 'the line of the entry in refs.bib');

  const sarif = capture();
  assert.equal(await runRefs([join(dir, 'paper.tex'), '--online', '--format', 'sarif', '--exit-zero'], sarif.io), 0);
  const log = JSON.parse(sarif.stdout.join('')) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string }[] }[] };
  assert.equal(log.version, '2.1.0');
  assert.ok(log.runs[0].results.some((result) => result.ruleId === 'biowrite/reference-not-found' && result.level === 'error'));
  assert.ok(log.runs[0].tool.driver.rules.some((rule) => rule.id === 'biowrite/reference-undefined'));

  const offline = capture();
  const requests = services.requests.length;
  assert.equal(await runRefs([join(dir, 'paper.tex'), '--format', 'json'], offline.io), 1);
  assert.equal(services.requests.length, requests, 'offline asks nothing');
  const offlineReport = JSON.parse(offline.stdout.join('')) as { entries: { key: string; statuses: string[] }[] };
  assert.deepEqual(offlineReport.entries.find((entry) => entry.key === 'lecun2015')?.statuses, ['unverifiable']);

  const usage = capture();
  assert.equal(await runRefs([], usage.io), 2);
  assert.equal(await runRefs([join(dir, 'missing.md')], capture().io), 2);
  writeFileSync(join(dir, 'nobib.md'), 'No bibliography [@a].\n');
  const nobib = capture();
  assert.equal(await runRefs([join(dir, 'nobib.md')], nobib.io), 2);
  assert.match(nobib.stderr.join(''), /no bibliography found/);
  writeFileSync(join(dir, 'broken.json'), '[{"id": "a", "title": ');
  assert.equal(await runRefs([join(dir, 'nobib.md'), '--bibliography', join(dir, 'broken.json')], capture().io), 2);
});

test('entry edits: remove keeps the JSON valid, replace keeps the key, renames touch only the keys', () => {
  const csl = '[\n  {\n    "id": "a",\n    "title": "A"\n  },\n  {\n    "id": "b",\n    "title": "B \\"quoted\\" }"\n  },\n  {\n    "id": "c",\n    "title": "C"\n  }\n]\n';
  for (const key of ['a', 'b', 'c']) {
    const edit = removeEntryEdit(csl, 'csljson', key);
    assert.ok(edit);
    const text = csl.slice(0, edit.start) + edit.newText + csl.slice(edit.end);
    assert.deepEqual((JSON.parse(text) as { id: string }[]).map((item) => item.id), ['a', 'b', 'c'].filter((id) => id !== key), `removing ${key}`);
  }
  assert.equal(findEntrySpan(csl, 'csljson', 'zzz'), undefined);
  const replaced = replaceEntryEdit(csl, 'csljson', 'b', { sources: ['crossref'], title: 'Deep learning', authors: [{ family: 'LeCun', given: 'Yann' }], year: 2015, doi: '10.1038/nature14539', retracted: false, notices: [] });
  assert.ok(replaced);
  const after = JSON.parse(csl.slice(0, replaced.start) + replaced.newText + csl.slice(replaced.end)) as { id: string; DOI?: string }[];
  assert.deepEqual(after.map((item) => item.id), ['a', 'b', 'c']);
  assert.equal(after[1].DOI, '10.1038/nature14539');
  const bibRemoved = removeEntryEdit(bib, 'bibtex', 'fake2020');
  assert.ok(bibRemoved);
  const bibAfter = bib.slice(0, bibRemoved.start) + bibRemoved.newText + bib.slice(bibRemoved.end);
  assert.ok(!bibAfter.includes('fake2020') && bibAfter.includes('@article{lecun2015') && bibAfter.includes('@misc{unused'));
  const renames = renameCitationEdits('See [@old; @keep] and @old, not @older.', 'markdown', ['old'], 'keep');
  assert.equal(renames.length, 2);
});

test('biowrite refs on a Quarto project: the bibliography of _quarto.yml is found from a chapter, and @fig-x is no key', async () => {
  const project = join(dir, 'quarto-book');
  mkdirSync(join(project, 'chapters'), { recursive: true });
  writeFileSync(join(project, '_quarto.yml'), 'project:\n  type: book\nbibliography: references.bib\n');
  writeFileSync(join(project, 'references.bib'), bib);
  writeFileSync(join(project, 'chapters', 'intro.qmd'), '# Introduction {#sec-intro}\n\nDeep learning [@lecun2015; @fake2020] is shown in @fig-overview, see @sec-intro.\n');
  const out = capture();
  assert.equal(await runRefs([join(project, 'chapters', 'intro.qmd'), '--format', 'json'], out.io), 1);
  const report = JSON.parse(out.stdout.join('')) as { entries: { key: string; statuses: string[] }[] };
  assert.deepEqual(report.entries.map((entry) => entry.key).sort(), ['fake2020', 'lecun2015', 'unused']);
  assert.ok(report.entries.find((entry) => entry.key === 'unused')?.statuses.includes('unused'));
  assert.ok(!report.entries.some((entry) => entry.statuses.includes('undefined')), 'no cross-reference is an undefined key');
  // A chapter's own bibliography replaces the project's, as Quarto does.
  writeFileSync(join(project, 'chapters', 'own.bib'), '@misc{lecun2015, title = {Deep Learning}}\n');
  writeFileSync(join(project, 'chapters', 'other.qmd'), '---\nbibliography: own.bib\n---\n\nDeep learning [@lecun2015].\n');
  const own = capture();
  assert.equal(await runRefs([join(project, 'chapters', 'other.qmd'), '--format', 'json'], own.io), 0, 'offline, an entry that could not be checked is no finding');
  assert.deepEqual((JSON.parse(own.stdout.join('')) as { entries: { key: string }[] }).entries.map((entry) => entry.key), ['lecun2015']);
});
