import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCiteArgs, parseQueries, runCite } from '../../../src/cli/commands/cite';
import { startFakeLiteratureServers } from '../../fakes/fakeLiteratureServers';
import { temporaryDirectory } from '../temporaryDirectory';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'sources');

/** Runs the command with stdout and stderr captured. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCite(args, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } });
  return { code, stdout, stderr };
}

test('arguments: defaults, errors with a next step, help', () => {
  assert.deepEqual(parseCiteArgs(['--library', 'a.bib', '--library=b.json', '--queries', 'q.jsonl', '--format', 'jsonl']), { libraries: ['a.bib', 'b.json'], queries: 'q.jsonl', top: 10, online: false, stats: false });
  assert.equal(parseCiteArgs(['--help']), 'help');
  assert.throws(() => parseCiteArgs(['--queries', 'q.jsonl']), /give a library/);
  assert.throws(() => parseCiteArgs(['--library', 'a.bib']), /--queries/);
  assert.throws(() => parseCiteArgs(['--library', 'a.bib', '--queries', 'q', '--top', '0']), /--top must be/);
  assert.throws(() => parseCiteArgs(['--library', 'a.bib', '--queries', 'q', '--format', 'csv']), /--format csv is not supported/);
  assert.throws(() => parseCiteArgs(['--library', '--queries', 'q']), /--library needs a value/);
  assert.throws(() => parseCiteArgs(['--bogus']), /unknown option/);
});

test('queries: JSON Lines with line numbers on errors', () => {
  assert.deepEqual(parseQueries('{"id": 1, "text": "a"}\n\n{"id": "x", "text": "b", "context": "c"}\n', 'q'), [{ id: 1, text: 'a' }, { id: 'x', text: 'b', context: 'c' }]);
  // As Windows tools write it: a byte-order mark, CRLF, and Python's None as null.
  assert.deepEqual(parseQueries('\uFEFF{"id": "a", "text": "t", "context": null}\r\n\r\n{"id": "b", "text": ""}\r\n', 'q'), [{ id: 'a', text: 't' }, { id: 'b', text: '' }]);
  assert.throws(() => parseQueries('{"id": "a", "text": 3}', 'q.jsonl'), /q\.jsonl:1: "text" is missing or not a string/);
  assert.throws(() => parseQueries('{"id": "a", "text": "t"}\n{oops', 'q.jsonl'), /q\.jsonl:2: not valid JSON/);
  assert.throws(() => parseQueries('{"text": "t"}', 'q.jsonl'), /q\.jsonl:1: "id" is missing/);
  assert.throws(() => parseQueries('{"id": "a", "text": "t", "context": 3}', 'q.jsonl'), /"context" must be a string/);
});

test('library search: CSL JSON and BibTeX ids, scores and titles; warnings with lines; bad files exit 2', async () => {
  const dir = temporaryDirectory('biowrite-cite-');
  try {
    const queries = join(dir, 'q.jsonl');
    writeFileSync(queries, '{"id": "q1", "text": "Convolutional models such as DeepBind learn binding preferences."}\n{"id": "q2", "text": "CRISPR screens of TP53 in epithelial cells"}\n');
    const result = await run(['--library', join(fixtures, 'library.json'), '--library', join(fixtures, 'library.bib'), '--queries', queries, '--top', '2']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 2);
    assert.equal(lines[0].id, 'q1');
    assert.equal(lines[0].results.length, 2);
    assert.deepEqual(Object.keys(lines[0].results[0]), ['id', 'score', 'title']);
    assert.equal(lines[0].results[0].id, 'alipanahi2015deepbind');
    assert.equal(lines[1].results[0].id, 'smith2019crispr');
    assert.match(result.stderr, /library\.bib:29: Skipped the malformed/);
    const missing = await run(['--library', join(dir, 'nope.json'), '--queries', queries]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.json: file not found/);
    writeFileSync(join(dir, 'bad.json'), '[\n  {"id": "a",\n   "title": }\n]');
    const bad = await run(['--library', join(dir, 'bad.json'), '--queries', queries]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.json: Not valid JSON at line 3/);
    assert.equal((await run(['--help'])).code, 0);
    // An empty query costs only its own answer; numeric ids come back as numbers; a BOM is no error.
    writeFileSync(queries, '\uFEFF{"id": 7, "text": "   "}\r\n{"id": 8, "text": "DeepBind binding preferences"}\r\n');
    const mixed = await run(['--library', join(fixtures, 'library.json'), '--queries', queries, '--top', '1']);
    assert.equal(mixed.code, 0, mixed.stderr);
    const answers = mixed.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(answers[0], { id: 7, results: [] });
    assert.equal(answers[1].id, 8);
    assert.equal(answers[1].results[0].id, 'alipanahi2015deepbind');
    assert.match(mixed.stderr, /7: the query's "text" is empty/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--online: the services from BIOWRITE_*_URL are searched too; online ids are DOIs or pmid:N', async () => {
  const servers = await startFakeLiteratureServers();
  const dir = temporaryDirectory('biowrite-cite-');
  const saved = { ...process.env };
  try {
    process.env.BIOWRITE_PUBMED_URL = servers.urls.pubmed;
    process.env.BIOWRITE_EUROPEPMC_URL = servers.urls.europepmc;
    process.env.BIOWRITE_CROSSREF_URL = servers.urls.crossref;
    process.env.BIOWRITE_OPENALEX_URL = servers.urls.openalex;
    process.env.BIOWRITE_CACHE_DIR = 'none';
    const queries = join(dir, 'q.jsonl');
    writeFileSync(queries, '{"id": "q1", "text": "The p53 tumour suppressor halts cell growth after DNA damage."}\n');
    const result = await run(['--library', join(fixtures, 'library.json'), '--queries', queries, '--top', '5', '--online']);
    assert.equal(result.code, 0, result.stderr);
    const line = JSON.parse(result.stdout.trim());
    const ids: string[] = line.results.map((r: { id: string }) => r.id);
    assert.equal(ids[0], 'vogelstein2000tp53', 'library results first');
    const online = ids.filter((id) => !['vogelstein2000tp53', 'lecun2015deep', 'alipanahi2015deepbind', 'tanaka2016il6', 'miki1994brca1', 'mikolov2013word2vec'].includes(id));
    assert.ok(online.length > 0, `online results were added (${result.stderr})`);
    for (const id of online) assert.match(id, /^(?:10\.\d{4,9}\/\S+|pmid:\d+|pmcid:PMC\d+)$/);
    assert.equal(new Set(ids).size, ids.length, 'no duplicates');
    assert.ok(servers.requests.length > 0);
  } finally {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
    await servers.close();
  }
});

test('--online outcomes are honest: failures named in the JSON line, exit 1 when every service failed, 130 when stopped', async () => {
  // Before: every service unreachable still exited 0 with lines that looked like "no results".
  const servers = await startFakeLiteratureServers();
  const dir = temporaryDirectory('biowrite-cite-');
  const saved = { ...process.env };
  const refused = 'http://127.0.0.1:1';
  try {
    process.env.BIOWRITE_CACHE_DIR = 'none';
    const queries = join(dir, 'q.jsonl');
    writeFileSync(queries, ['{"id": "q1", "text": "The p53 tumour suppressor halts cell growth after DNA damage."}', '{"id": 2, "text": "BRCA1 mutations raise the risk of breast cancer."}'].join('\n'));
    const library = join(fixtures, 'library.json');

    for (const service of ['PUBMED', 'EUROPEPMC', 'CROSSREF', 'OPENALEX']) process.env[`BIOWRITE_${service}_URL`] = refused;
    const down = await run(['--library', library, '--queries', queries, '--online']);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /every online service failed for 2 of 2 queries/);
    const downLines = down.stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: unknown; results: { id: string }[]; errors?: { service: string; message: string }[] });
    assert.deepEqual(downLines.map((line) => line.id), ['q1', 2]);
    for (const line of downLines) {
      assert.deepEqual(line.errors?.map((error) => error.service).sort(), ['crossref', 'europepmc', 'openalex', 'pubmed']);
      assert.ok(line.errors?.every((error) => error.message.length > 0));
      assert.ok(line.results.length > 0, 'the library results are still there');
    }

    process.env.BIOWRITE_EUROPEPMC_URL = servers.urls.europepmc;
    process.env.BIOWRITE_CROSSREF_URL = servers.urls.crossref;
    process.env.BIOWRITE_OPENALEX_URL = servers.urls.openalex;
    const partial = await run(['--library', library, '--queries', queries, '--online']);
    assert.equal(partial.code, 0, 'one service down is a warning, not a failed run');
    const partialLine = JSON.parse(partial.stdout.trim().split('\n')[0]) as { errors?: { service: string }[] };
    assert.deepEqual(partialLine.errors?.map((error) => error.service), ['pubmed']);

    process.env.BIOWRITE_PUBMED_URL = servers.urls.pubmed;
    const clean = await run(['--library', library, '--queries', queries, '--online']);
    assert.equal(clean.code, 0);
    assert.ok(clean.stdout.trim().split('\n').every((line) => !('errors' in JSON.parse(line))), 'no "errors" key when all answered');

    const stop = new AbortController();
    let stdout = '';
    let stderr = '';
    const code = await runCite(['--library', library, '--queries', queries, '--online'], {
      stdout: {
        write: (text: string) => {
          stdout += text;
          stop.abort();
        },
      },
      stderr: { write: (text: string) => (stderr += text) },
      signal: stop.signal,
    });
    assert.equal(code, 130);
    assert.match(stderr, /interrupted/);
    assert.deepEqual(stdout.trim().split('\n').map((line) => (JSON.parse(line) as { id: unknown }).id), ['q1'], 'only whole lines, none after the stop');
  } finally {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
    await servers.close();
  }
});

test('--fetch-abstracts: entries without an abstract are ranked with the one a service holds for their identifier, fetched once', async () => {
  const { startFakeReferenceServices } = await import('../../fakes/fakeReferenceServices');
  const fin = 'Zebrafish fin regeneration requires retinoic acid signalling in the blastema, as shown by lineage tracing and chemical inhibition.';
  const author = [{ given: 'Ada', family: 'Lovelace' }];
  const services = await startFakeReferenceServices([{ doi: '10.1000/fin', pmid: '31000009', title: 'Fin regeneration', authors: author, year: 2018, abstract: fin }]);
  const dir = temporaryDirectory('biowrite-cite-abstracts-');
  const saved = { ...process.env };
  try {
    const useServices = (urls: typeof services.urls): void => {
      process.env.BIOWRITE_PUBMED_URL = urls.pubmed;
      process.env.BIOWRITE_EUROPEPMC_URL = urls.europepmc;
      process.env.BIOWRITE_OPENALEX_URL = urls.openalex;
    };
    useServices(services.urls);
    process.env.BIOWRITE_CACHE_DIR = join(dir, 'cache');
    const others = ['Deep learning', 'Single-cell RNA sequencing of the mouse brain', 'Gut microbiome and obesity', 'Signalling pathways in development', 'Heart regeneration in zebrafish'].map((title, index) => ({
      id: `other${index}`,
      type: 'article-journal',
      title,
      abstract: `${title}: studied here with several methods across model organisms and human cohorts.`,
    }));
    const library = join(dir, 'library.json');
    const libraryText = JSON.stringify([{ id: 'fin2018', type: 'article-journal', title: 'Fin regeneration', DOI: '10.1000/fin' }, ...others]);
    writeFileSync(library, libraryText);
    const queries = join(dir, 'q.jsonl');
    writeFileSync(queries, '{"id": "q1", "text": "Blastema formation during zebrafish regrowth depends on retinoic acid signalling, as lineage tracing showed."}\n');
    const topOf = (stdout: string): string | undefined => (JSON.parse(stdout.trim()) as { results: { id: string }[] }).results[0]?.id;

    const cold = await run(['--library', library, '--queries', queries]);
    assert.notEqual(topOf(cold.stdout), 'fin2018');
    const first = await run(['--library', library, '--queries', queries, '--fetch-abstracts']);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(topOf(first.stdout), 'fin2018');
    assert.match(first.stderr, /abstracts: 1 entry lacks one and has a DOI or PMID; 1 fetched, 0 from the cache, 0 not found/);
    assert.equal((await import('node:fs')).readFileSync(library, 'utf8'), libraryText, 'the library file is not changed');

    services.requests.length = 0;
    const second = await run(['--library', library, '--queries', queries, '--fetch-abstracts']);
    assert.equal(topOf(second.stdout), 'fin2018');
    assert.match(second.stderr, /0 fetched, 1 from the cache/);
    assert.equal(services.requests.length, 0, 'fetched once');

    // Wrong base URLs: each service answers 404, which is not retried.
    useServices({ ...services.urls, pubmed: `${services.urls.pubmed}/wrong`, openalex: `${services.urls.openalex}/wrong`, europepmc: `${services.urls.europepmc}/wrong` });
    process.env.BIOWRITE_CACHE_DIR = 'none';
    const offline = await run(['--library', library, '--queries', queries, '--fetch-abstracts']);
    assert.equal(offline.code, 0, 'failing services only warn: the ranking still answers');
    assert.match(offline.stderr, /warning: abstracts: .*OpenAlex/s);
    assert.equal(JSON.parse(offline.stdout.trim()).results.length > 0, true);
    assert.throws(() => parseCiteArgs(['--queries', 'q', '--online', '--fetch-abstracts']), /give one with --library/);
  } finally {
    process.env = saved;
    await services.close();
  }
});
