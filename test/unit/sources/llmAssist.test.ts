import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeOpenAiServer } from '../../fakes/fakeOpenAiServer';
import { OpenAiLlmClient } from '../../../src/core/llm/openaiClient';
import { LlmError, type Completion, type CompletionRequest, type LlmClient, type StreamEvent } from '../../../src/core/llm/types';
import { extractJson, rerankCandidates, stripIdentifiers, suggestQueries, validateQueries, validateRanking, LlmAssistError } from '../../../src/core/literature/llmAssist';
import { findSources, type OnlineSearch, type SearchEvent } from '../../../src/core/literature/sourceSearch';
import { toResultItem } from '../../../src/core/literature/resultItems';
import { parseCslJson } from '../../../src/core/literature/library/cslJson';
import { LibraryIndex } from '../../../src/core/literature/library/librarySearch';
import type { LiteratureRecord } from '../../../src/core/literature/types';

const { records } = parseCslJson(readFileSync(join(__dirname, '..', '..', 'fixtures', 'sources', 'library.json'), 'utf8'));
const MADE_UP_DOI = '10.9999/fake.2024.001';
const MADE_UP_PMID = '99999999';

/** An in-memory LLM double answering from a script. */
class ScriptedLlm implements LlmClient {
  readonly model = 'scripted';
  readonly requests: CompletionRequest[] = [];
  constructor(private readonly answers: (string | Error)[]) {}
  async complete(request: CompletionRequest): Promise<Completion> {
    this.requests.push(request);
    const answer = this.answers.shift() ?? '{}';
    if (answer instanceof Error) throw answer;
    return { text: answer, model: this.model };
  }
  async *stream(): AsyncIterable<StreamEvent> {
    yield* [];
  }
}

test('validators: JSON extraction, queries, ranking limited to offered ids', () => {
  assert.deepEqual(extractJson('Sure! ```json\n{"queries": ["a"]}\n```'), { ok: true, value: { queries: ['a'] } });
  assert.equal(extractJson('no json').ok, false);
  assert.deepEqual(validateQueries({ queries: ['TP53 apoptosis', 'TP53 apoptosis', `doi:${MADE_UP_DOI} p53`, 5] }), { ok: false, problem: 'queries[3] is not a string' });
  assert.deepEqual(validateQueries({ queries: ['TP53 apoptosis', 'TP53 apoptosis', `doi:${MADE_UP_DOI} p53`] }), { ok: true, value: ['TP53 apoptosis', 'p53'] });
  assert.equal(validateQueries({ queries: [] }).ok, false);
  const ranking = validateRanking({ ranking: [{ id: 'c2', explanation: `Shows it (doi:${MADE_UP_DOI}, PMID: ${MADE_UP_PMID}).` }, { id: MADE_UP_DOI }, { id: 'c2' }, { id: 'c9' }] }, new Set(['c1', 'c2']));
  assert.ok(ranking.ok);
  assert.deepEqual(ranking.value, { ranking: [{ id: 'c2', explanation: 'Shows it.' }], dropped: 2 });
  assert.equal(stripIdentifiers(`see https://doi.org/${MADE_UP_DOI} and PMC123456`), 'see and');
});

test('repair path: one invalid answer is repaired; two fail clearly', async () => {
  const llm = new ScriptedLlm(['not json at all', '{"queries": ["deep learning genomics"]}']);
  assert.deepEqual(await suggestQueries(llm, 'Deep learning helps genomics.', undefined, new AbortController().signal), ['deep learning genomics']);
  assert.equal(llm.requests.length, 2);
  assert.match(llm.requests[1].messages[llm.requests[1].messages.length - 1].content, /not valid: no JSON object found/);
  const bad = new ScriptedLlm(['{"queries": "x"}', '{"nope": 1}']);
  await assert.rejects(suggestQueries(bad, 's', undefined, new AbortController().signal), (error: unknown) => error instanceof LlmAssistError && /not valid/.test(error.message));
  const down = new ScriptedLlm([new LlmError('refused', 'Connection refused.')]);
  await assert.rejects(suggestQueries(down, 's', undefined, new AbortController().signal), (error: unknown) => error instanceof LlmAssistError && error.llmError?.kind === 'refused');
});

test('rerank keeps exactly the candidates given, in the model order, then the rest', async () => {
  const llm = new ScriptedLlm([JSON.stringify({ ranking: [{ id: 'c3', explanation: 'About p53.' }, { id: 'c1' }] })]);
  const candidates = records.slice(0, 4).map((record, i) => ({ id: `r${i}`, record }));
  const { candidates: out } = await rerankCandidates(llm, 'p53 halts growth', candidates, new AbortController().signal);
  assert.deepEqual(out.map((c) => c.id), ['r2', 'r0', 'r1', 'r3']);
  assert.equal(out[0].explanation, 'About p53.');
  // The prompt shows short ids, never the records' identifiers as ids.
  assert.match(llm.requests[0].messages[1].content, /\[c1\] Deep learning/);
});

test('a fake LLM answering with a made-up DOI and PMID: nothing made up reaches the results', async () => {
  const server = await startFakeOpenAiServer();
  try {
    const llm = new OpenAiLlmClient({ baseUrl: server.baseUrl, model: 'fake-model', maxRetries: 0 });
    const fakeReference = { id: MADE_UP_DOI, doi: MADE_UP_DOI, pmid: MADE_UP_PMID, title: 'A made-up paper that proves the claim', explanation: `Proves it, see doi:${MADE_UP_DOI} and PMID ${MADE_UP_PMID}.` };
    server.enqueue(
      { kind: 'text', text: JSON.stringify({ queries: ['p53 tumour suppressor apoptosis', `doi:${MADE_UP_DOI}`], references: [fakeReference] }) },
      // Reranking the library's hits: a made-up entry first, then a real one with a made-up DOI in its explanation.
      { kind: 'text', text: JSON.stringify({ ranking: [fakeReference, { id: `pmid:${MADE_UP_PMID}` }, { id: 'c2', explanation: `Matches (https://doi.org/${MADE_UP_DOI}, PMID: ${MADE_UP_PMID}).` }] }) },
      // Reranking the online results.
      { kind: 'text', text: JSON.stringify({ ranking: [{ id: MADE_UP_DOI, explanation: 'made up' }, { id: 'c1', explanation: `Real (PMID: ${MADE_UP_PMID}).` }] }) },
    );
    const onlineRecord: LiteratureRecord = { sources: ['pubmed'], title: 'p53 mutations in human cancers', authors: [{ family: 'Hollstein', given: 'M' }], year: 1991, pmid: '1905840', doi: '10.1126/science.1905840', retracted: false, notices: [] };
    const queriesSent: string[][] = [];
    const online: OnlineSearch = async function* (query) {
      queriesSent.push([...query.queries]);
      yield { kind: 'results', source: 'pubmed', records: [onlineRecord, { ...onlineRecord, pmid: '2', doi: undefined, title: 'Another real record' }] };
      yield { kind: 'error', source: 'crossref', message: 'Crossref answered 503.' };
    };
    const events: SearchEvent[] = [];
    for await (const event of findSources({ text: 'The p53 tumour suppressor halts cell growth after DNA damage.', library: new LibraryIndex(records), online, llm, maxResults: 5, signal: new AbortController().signal })) events.push(event);
    const results = events.filter((e): e is Extract<SearchEvent, { kind: 'results' }> => e.kind === 'results');
    assert.deepEqual(results.map((e) => e.source), ['library', 'library', 'pubmed']);
    assert.ok(events.some((e) => e.kind === 'error' && e.source === 'crossref'), 'a failing service is reported, not hiding others');
    // The LLM's queries lose the made-up DOI; the sentence itself is searched too.
    assert.deepEqual(queriesSent[0], ['p53 tumour suppressor apoptosis']);
    const realTitles = new Set([...records.map((r) => r.title), onlineRecord.title, 'Another real record']);
    const items = results.flatMap((e) => e.hits.map((hit, i) => toResultItem(`${e.source}-${i}`, hit.record, hit.score, 'p53', hit.explanation)));
    assert.ok(items.length > 0);
    for (const item of items) assert.ok(realTitles.has(item.title), `only real records: ${item.title}`);
    const serialised = JSON.stringify(items);
    assert.ok(!serialised.includes(MADE_UP_DOI), 'no made-up DOI in the panel items');
    assert.ok(!serialised.includes(MADE_UP_PMID), 'no made-up PMID in the panel items');
    assert.ok(!serialised.includes('made-up paper'), 'no made-up title');
    const reranked = results[1].hits;
    assert.equal(reranked[0].record.libraryId, records[1].libraryId, 'the model\'s order applies to real candidates');
    assert.equal(reranked[0].explanation, 'Matches.');
    assert.equal(results[2].hits[0].explanation, 'Real.');
    assert.equal(server.requests.length, 3);
  } finally {
    await server.close();
  }
});

test('without an LLM: the sentence goes online, library at once; an LLM failure falls back quietly', async () => {
  const events: SearchEvent[] = [];
  const online: OnlineSearch = async function* (query) {
    assert.deepEqual(query, { text: 'Germline BRCA1 variants raise breast cancer risk.', queries: [] });
    yield { kind: 'results', source: 'europepmc', records: [] };
  };
  for await (const event of findSources({ text: 'Germline BRCA1 variants raise breast cancer risk.', library: new LibraryIndex(records), online, maxResults: 3, signal: new AbortController().signal })) events.push(event);
  assert.equal(events[0].kind === 'results' && events[0].hits[0].record.libraryId, 'miki1994brca1');
  assert.deepEqual(events.map((e) => e.kind === 'results' ? e.source : e.kind), ['library', 'europepmc']);
  const broken = new ScriptedLlm([new LlmError('timeout', 'The model did not answer in time.'), 'garbage', 'garbage']);
  const withBroken: SearchEvent[] = [];
  for await (const event of findSources({ text: 'Germline BRCA1 variants raise breast cancer risk.', library: new LibraryIndex(records), llm: broken, maxResults: 3, signal: new AbortController().signal })) withBroken.push(event);
  assert.equal(withBroken[0].kind === 'results' && withBroken[0].hits[0].record.libraryId, 'miki1994brca1');
  assert.ok(withBroken.some((e) => e.kind === 'llmProblem' && /did not answer in time/.test(e.message)));
});

test('stop: an aborted search yields nothing more', async () => {
  const controller = new AbortController();
  const online: OnlineSearch = async function* () {
    controller.abort();
    yield { kind: 'results', source: 'pubmed', records: records.slice(0, 1) };
  };
  const events: SearchEvent[] = [];
  for await (const event of findSources({ text: 'deep learning', library: new LibraryIndex(records), online, maxResults: 3, signal: controller.signal })) events.push(event);
  assert.deepEqual(events.map((e) => e.kind === 'results' ? e.source : e.kind), ['library']);
});
