import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LlmError } from '../../../src/core/llm/types';
import { retryHeading, translateBegin, translateEnd } from '../../../src/core/llm/prompts/translate';
import { freezeMarkup, verifySpansPreserved } from '../../../src/core/writing/markupFreeze';
import { planChunks, translateManuscript, type TranslateOptions } from '../../../src/core/writing/translateManuscript';
import { type FakeReply, type RecordedRequest } from '../../fakes/fakeOpenAiServer';
import { createManglingTranslator, fakeTranslate } from '../../fakes/manglingTranslator';
import { chatRequests, clientFor, messagesOf, useFakeOpenAiServer } from './fakeLlm';

const markdown = readFileSync('test/fixtures/writing/markupHeavy.md', 'utf8');
const latex = readFileSync('test/fixtures/writing/markupHeavy.tex', 'utf8');

const server = useFakeOpenAiServer();
beforeEach(() => {
  server().setHandler(faithful);
});

function chunkOf(request: RecordedRequest): string {
  const user = messagesOf(request).filter((message) => message.role === 'user').pop()?.content ?? '';
  return user.slice(user.lastIndexOf(`${translateBegin}\n`) + translateBegin.length + 1, user.lastIndexOf(`\n${translateEnd}`));
}

/** A well-behaved fake translator: word-list translation, placeholders kept. */
function faithful(request: RecordedRequest): FakeReply {
  return { kind: 'text', text: fakeTranslate(chunkOf(request)), chunkSize: 8 };
}

function options(overrides: Partial<TranslateOptions> = {}): TranslateOptions {
  return { client: clientFor(server()), source: markdown, format: 'markdown', targetLanguage: 'fr', signal: new AbortController().signal, ...overrides };
}

test('streams each chunk and returns a translation with every protected span byte-identical', async () => {
  const deltas: string[] = [];
  const previews: string[] = [];
  const result = await translateManuscript(
    options({
      onEvent: (event) => {
        if (event.kind === 'delta') deltas.push(event.text);
        if (event.kind === 'chunkDone') previews.push(event.preview);
      },
    }),
  );
  assert.ok(deltas.length > 10);
  assert.equal(previews.at(-1), result.text);
  assert.notEqual(result.text, markdown);
  assert.match(result.text, /apprentissage profond|apprentissage/);
  assert.equal(verifySpansPreserved(result.spans, markdown, result.text).intact, result.spans.length);
  assert.equal(result.retries, 0);
  assert.equal(result.chunksKept, 0);
  assert.ok(result.usage.totalTokens > 0);
  // Front matter keys never reach the model; only prose does.
  const prompts = chatRequests(server()).map(chunkOf).join('\n');
  assert.doesNotMatch(prompts, /bibliography|references\.json|\[@|\$|https?:|<!--|```/);
});

test('the previous paragraph is sent as read-only context, its placeholders hidden', async () => {
  const before = chatRequests(server()).length;
  await translateManuscript(options({ source: 'First paragraph about the data [@a].\n\nSecond paragraph about the model.', maxChunkTokens: 10 }));
  const requests = chatRequests(server()).slice(before);
  assert.equal(requests.length, 2);
  const second = messagesOf(requests[1])[1].content;
  assert.match(second, /Previous paragraph, for context only[^\n]*\nFirst paragraph about the data ⟦…⟧\./);
  assert.equal(chunkOf(requests[1]), 'Second paragraph about the model.');
});

test('a model that mangles every placeholder is caught: repaired or retried until all markup is byte-identical', async () => {
  for (const [source, format] of [[markdown, 'markdown'], [latex, 'latex']] as const) {
    const mangler = createManglingTranslator();
    server().setHandler(mangler.handler);
    const result = await translateManuscript(options({ source, format }));
    assert.ok(mangler.stats.placeholdersAltered >= result.spans.length / 2, `${mangler.stats.placeholdersAltered} altered`);
    assert.ok(result.retries > 0);
    assert.equal(verifySpansPreserved(result.spans, source, result.text).intact, result.spans.length);
    assert.equal(result.chunksKept, 0);
    assert.notEqual(result.text, source);
  }
});

test('a chunk the model keeps breaking is left untranslated and reported, never broken', async () => {
  server().setHandler((request) => ({ kind: 'text', text: fakeTranslate(chunkOf(request)).replace(/ ⟦1⟧/, '') }));
  const source = 'We used ⟦-free text with [@a] and then [@b] in the middle and $x$ at the end, as usual.';
  const result = await translateManuscript(options({ source }));
  assert.equal(result.chunksKept, 1);
  assert.equal(result.retries, 2);
  assert.equal(result.text, source);
  assert.equal(result.issues[0].kind, 'protectedMarkup');
  assert.match(result.issues[0].detail ?? '', /Kept untranslated.*is missing/);
});

test('the glossary is in the prompt and verified: ignored once → retried with the note', async () => {
  const glossary = [{ term: 'deep learning', translation: 'apprentissage profond' }];
  let calls = 0;
  server().setHandler((request) => {
    calls += 1;
    const chunk = chunkOf(request);
    const retried = messagesOf(request)[1].content.includes(retryHeading);
    return { kind: 'text', text: retried ? chunk.replace(/deep learning/gi, 'apprentissage profond') : chunk.replace(/deep learning/gi, 'DL') };
  });
  const source = 'Deep learning improves TP53 calls in 1,204 samples.';
  const result = await translateManuscript(options({ source, glossary }));
  assert.equal(calls, 2);
  assert.equal(result.text, 'apprentissage profond improves TP53 calls in 1,204 samples.');
  assert.deepEqual(result.issues, []);
  assert.match(messagesOf(chatRequests(server()).at(-1)!)[1].content, /deep learning → apprentissage profond/);
});

test('gene symbols and numbers the model changes are retried, then reported as terminology issues', async () => {
  server().setHandler((request) => ({ kind: 'text', text: chunkOf(request).replace('TP53', 'p53').replace('1,204', '1 240') }));
  const result = await translateManuscript(options({ source: 'Mutations in TP53 were found in 1,204 tumours.' }));
  assert.deepEqual(result.issues.map((issue) => issue.kind), ['terminology', 'terminology']);
  assert.match(result.issues.map((issue) => issue.detail).join(' '), /Keep “TP53”.*Keep “1,204”/);
  assert.equal(result.retries, 1);
});

test('stopping mid-translation returns what was done, cancelled', async () => {
  server().setHandler((request) => ({ kind: 'text', text: fakeTranslate(chunkOf(request)), chunkSize: 4, chunkDelayMs: 10 }));
  const controller = new AbortController();
  const source = Array.from({ length: 6 }, (_value, index) => `Paragraph ${index} about the data of the patients.`).join('\n\n');
  const result = await translateManuscript(
    options({
      source,
      maxChunkTokens: 5,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.kind === 'chunkDone' && event.index === 1) controller.abort();
      },
    }),
  );
  assert.equal(result.cancelled, true);
  assert.match(result.text, /^Paragraph 0 about le données de le patients\./);
  assert.match(result.text, /Paragraph 5 about the data of the patients\.$/);
});

const faults: [string, FakeReply, LlmError['kind'][]][] = [
  ['401', { kind: 'status', status: 401 }, ['unauthorized']],
  ['429', { kind: 'status', status: 429, retryAfterSeconds: 0 }, ['rateLimited']],
  ['500', { kind: 'status', status: 500 }, ['server']],
  ['a hang', { kind: 'hang' }, ['timeout']],
  ['malformed JSON', { kind: 'malformedJson' }, ['badResponse', 'unknown']],
  ['a truncated stream', { kind: 'truncatedStream', text: 'Le texte traduit est coupé au milieu', cutAfterChunks: 3 }, ['badResponse']],
];
for (const [name, reply, kinds] of faults) {
  test(`${name} during translation fails the whole translation with a clear LlmError`, async () => {
    server().enqueue({ kind: 'text', text: 'Premier paragraphe.' }, reply);
    const failure = await translateManuscript(options({ client: clientFor(server(), 400), source: 'First paragraph.\n\nSecond paragraph.', maxChunkTokens: 5 })).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(failure instanceof LlmError, String(failure));
    assert.ok(kinds.includes(failure.kind), `${failure.kind}: ${failure.message}`);
  });
}

test('chunks follow paragraphs; front-matter lines are chunks of their own', () => {
  const frozen = freezeMarkup(markdown, { format: 'markdown' });
  const chunks = planChunks(frozen.frozen, frozen.frontMatterEnd, 60);
  const texts = chunks.map((chunk) => frozen.frozen.slice(chunk.start, chunk.end));
  assert.ok(chunks.filter((chunk) => chunk.singleLine).length >= 10);
  assert.ok(texts.filter((_text, index) => !chunks[index].singleLine).every((text) => text !== '' && text === text.trimStart()));
  assert.ok(chunks.every((chunk, index) => index === 0 || chunk.start >= chunks[index - 1].end));
  assert.ok(texts.some((text) => text.startsWith('# Deep learning models')));
  assert.ok(chunks.slice(1).some((chunk) => chunk.context !== ''));
});

test('echoed markers and an introduction line are not part of the translation', async () => {
  server().setHandler((request) => ({ kind: 'text', text: `Here is the translation:\n\n<<<TEXT\n${fakeTranslate(chunkOf(request))}\nTEXT>>>` }));
  const result = await translateManuscript(options({ source: 'The data of the patients [@a].' }));
  assert.equal(result.text, 'Le données de le patients [@a].');
});
