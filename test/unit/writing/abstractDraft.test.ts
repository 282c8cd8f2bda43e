import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LlmError } from '../../../src/core/llm/types';
import { draftAbstract, splitSections, type DraftAbstractOptions } from '../../../src/core/writing/abstractDraft';
import { findAbstractStructure } from '../../../src/core/writing/abstractStructures';
import { estimateTokens } from '../../../src/core/writing/text';
import { type FakeOpenAiServer } from '../../fakes/fakeOpenAiServer';
import { chatRequests, clientFor, messagesOf, useFakeOpenAiServer } from './fakeLlm';

const manuscript = readFileSync('test/fixtures/writing/trialManuscript.md', 'utf8');
const faithful =
  '**Background:** Corticosteroids may dampen the inflammatory response in community-acquired pneumonia.\n\n' +
  '**Methods:** In a double-blind trial at 14 hospitals, adults were randomly assigned to dexamethasone 6 mg or placebo.\n\n' +
  '**Results:** Of 1,204 patients, mortality at 28 days was 12.4% with dexamethasone and 17.9% with placebo (HR 0.68, 95% CI 0.52–0.89; p = .004).\n\n' +
  '**Conclusions:** Early dexamethasone reduced 28-day mortality.';
const noIssues = '{"unsupported": [], "missingItems": []}';

const server = useFakeOpenAiServer();
beforeEach(() => {
  server().setHandler(() => ({ kind: 'status', status: 500 }));
});

function options(overrides: Partial<DraftAbstractOptions> = {}): DraftAbstractOptions {
  return { client: clientFor(server()), source: manuscript, format: 'markdown', structure: findAbstractStructure('imrad')!, wordLimit: 250, language: 'en', signal: new AbortController().signal, ...overrides };
}

test('streams the draft as deltas, reports token use and checks it', async () => {
  server().enqueue({ kind: 'text', text: faithful, chunkSize: 16 }, { kind: 'text', text: noIssues });
  const deltas: string[] = [];
  const result = await draftAbstract(options({ onEvent: (event) => event.kind === 'delta' && deltas.push(event.text) }));
  assert.ok(deltas.length > 5, `${deltas.length} deltas`);
  assert.equal(deltas.join(''), faithful);
  assert.equal(result.text, faithful);
  assert.equal(result.cancelled, false);
  assert.deepEqual(result.issues, []);
  assert.equal(result.groundingMethod, 'llm');
  assert.ok(result.usage.totalTokens > 0);
  assert.ok(result.wordCount > 50 && result.wordCount < 250);
  const [draftRequest, checkRequest] = chatRequests(server()).slice(-2);
  assert.equal((draftRequest.body as { stream?: boolean }).stream, true);
  assert.match(messagesOf(draftRequest)[1].content, /Early dexamethasone reduced 28-day mortality/);
  assert.deepEqual((checkRequest.body as { response_format?: unknown }).response_format, { type: 'json_object' });
});

test('a model that invents numbers is flagged, whatever the format', async () => {
  const invented = faithful.replace('12.4%', '11.2%').replace('HR 0.68', 'HR 0.61').replace('Of 1,204 patients', 'Of 1,300 patients');
  server().enqueue({ kind: 'text', text: invented }, { kind: 'text', text: noIssues });
  const result = await draftAbstract(options());
  assert.deepEqual(result.issues.filter((issue) => issue.kind === 'unsupportedNumber').map((issue) => issue.text), ['1,300', '11.2', '0.61']);
});

test('statements the model-check rejects are listed; CONSORT items missing are listed', async () => {
  server().enqueue({ kind: 'text', text: faithful }, { kind: 'text', text: '{"unsupported": [{"sentence": 1, "reason": "The manuscript does not discuss inflammation this way."}], "missingItems": ["trialRegistration", "harms"]}' });
  const result = await draftAbstract(options({ structure: findAbstractStructure('consort')! }));
  assert.deepEqual(result.issues.map((issue) => issue.kind), ['unsupportedStatement', 'missingChecklistItem', 'missingChecklistItem']);
  assert.match(messagesOf(chatRequests(server()).at(-2)!)[1].content, /Trial registration: Registration number/);
});

test('malformed JSON from the check is repaired once, then falls back to the lexical check', async () => {
  server().enqueue({ kind: 'text', text: faithful }, { kind: 'text', text: 'The draft looks fine.' }, { kind: 'text', text: '{"unsupported": 1}' });
  const result = await draftAbstract(options({ structure: findAbstractStructure('prisma')! }));
  assert.equal(result.groundingMethod, 'lexical');
  assert.match(result.groundingFallbackReason ?? '', /not valid JSON after a repair \("unsupported" must be an array\)/);
  assert.ok(result.issues.some((issue) => issue.kind === 'missingChecklistItem' && issue.text === 'Information sources'));
});

test('stopping mid-stream returns the partial draft, cancelled, with no checks run', async () => {
  server().enqueue({ kind: 'text', text: faithful, chunkSize: 4, chunkDelayMs: 15 });
  const controller = new AbortController();
  const before = chatRequests(server()).length;
  let received = 0;
  const result = await draftAbstract(
    options({
      signal: controller.signal,
      onEvent: (event) => {
        if (event.kind === 'delta' && ++received === 3) controller.abort();
      },
    }),
  );
  assert.equal(result.cancelled, true);
  assert.ok(result.text.length > 0 && result.text.length < faithful.length);
  assert.deepEqual(result.issues, []);
  await server().waitForClientDisconnects(1);
  assert.equal(chatRequests(server()).length, before + 1, 'no grounding request after a stop');
});

const faults: [string, Parameters<FakeOpenAiServer['enqueue']>[0], LlmError['kind'][]][] = [
  ['401', { kind: 'status', status: 401 }, ['unauthorized']],
  ['429', { kind: 'status', status: 429, retryAfterSeconds: 0 }, ['rateLimited']],
  ['500', { kind: 'status', status: 500 }, ['server']],
  ['a hang', { kind: 'hang' }, ['timeout']],
  ['malformed JSON', { kind: 'malformedJson' }, ['badResponse', 'unknown']],
  ['a truncated stream', { kind: 'truncatedStream', text: faithful, cutAfterChunks: 5 }, ['badResponse']],
];
for (const [name, reply, kinds] of faults) {
  test(`${name} while drafting surfaces a clear LlmError and no draft`, async () => {
    server().enqueue(reply);
    const failure = await draftAbstract(options({ client: clientFor(server(), 400) })).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(failure instanceof LlmError, String(failure));
    assert.ok(kinds.includes(failure.kind), `${failure.kind}: ${failure.message}`);
    assert.ok(failure.message.length > 20);
  });
}

test('a long manuscript is condensed section by section so that every prompt fits the context window', async () => {
  const long = `${manuscript}\n\n${Array.from({ length: 12 }, (_value, index) => `## Supplementary analysis ${index + 1}\n\n${'Sensitivity analyses restricted to patients with confirmed bacterial pneumonia gave similar estimates across centres. '.repeat(25)}`).join('\n\n')}`;
  const contextTokens = 2000;
  server().setHandler((request) => {
    const messages = messagesOf(request);
    if (/condense sections/.test(messages[0].content)) return { kind: 'text', text: '- Mortality 12.4% vs 17.9% (HR 0.68).' };
    if ((request.body as { response_format?: unknown }).response_format) return { kind: 'text', text: noIssues };
    return { kind: 'text', text: faithful };
  });
  const before = chatRequests(server()).length;
  const events: string[] = [];
  const result = await draftAbstract(options({ source: long, contextTokens, onEvent: (event) => event.kind === 'condensing' && events.push(event.section) }));
  const requests = chatRequests(server()).slice(before);
  assert.ok(result.sectionsCondensed >= 12, `${result.sectionsCondensed} sections condensed`);
  assert.equal(events.length, result.sectionsCondensed);
  assert.ok(requests.length >= result.sectionsCondensed + 2);
  for (const request of requests.slice(0, -1)) {
    const prompt = messagesOf(request).map((message) => message.content).join('\n');
    assert.ok(estimateTokens(prompt) <= contextTokens, `prompt of ${estimateTokens(prompt)} tokens`);
  }
  assert.ok(result.estimatedPromptTokens <= contextTokens);
  assert.ok(result.usage.totalTokens > 0);
  assert.equal(result.text, faithful);
});

test('a context window too small for the word limit is a clear configuration error', async () => {
  await assert.rejects(draftAbstract(options({ contextTokens: 700 })), (error: unknown) => error instanceof LlmError && error.kind === 'notConfigured' && /contextTokens/.test(error.message));
});

test('sections are split at headings; the abstract and references are left out', () => {
  const sections = splitSections('# T\n\n## Abstract\n\nOld.\n\n## Methods\n\nM.\n\n## References\n\nR.', 'markdown');
  assert.deepEqual(sections.map((section) => section.heading), ['T', 'Methods']);
  assert.deepEqual(splitSections('\\section{Intro}\nA\n\\section{Methods}\nB', 'latex').map((section) => section.heading), ['Intro', 'Methods']);
});

test('stopping during the grounding check keeps the draft, unchecked and cancelled', async () => {
  server().enqueue({ kind: 'text', text: faithful }, { kind: 'hang' });
  const controller = new AbortController();
  const result = await draftAbstract(
    options({
      signal: controller.signal,
      onEvent: (event) => {
        if (event.kind === 'checking') setTimeout(() => controller.abort(), 50);
      },
    }),
  );
  assert.equal(result.cancelled, true);
  assert.equal(result.text, faithful);
  assert.equal(result.groundingMethod, 'none');
});
