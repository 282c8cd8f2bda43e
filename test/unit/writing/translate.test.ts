import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LlmError, type CompletionRequest, type LlmClient, type StreamEvent } from '../../../src/core/llm/types';
import { contextHeading, retryHeading, translateBegin, translateEnd } from '../../../src/core/llm/prompts/translate';
import { freezeMarkup, verifySpansPreserved } from '../../../src/core/writing/markupFreeze';
import { planChunks, summarizeTranslation, translateManuscript, translationMaxTokens, type TranslateOptions } from '../../../src/core/writing/translateManuscript';
import { estimateTokens } from '../../../src/core/writing/text';
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

// Prompt scaffolding a model may echo; none of it may ever reach the manuscript.
const scaffoldingPatterns = [/Previous paragraph/, /<<<TEXT/, /TEXT>>>/, /Translate into/, /⟦/, /```/, /professional translator/, /placeholders/, /Rules:/, /Your previous answer/];
function assertNoScaffolding(text: string): void {
  for (const pattern of scaffoldingPatterns) assert.doesNotMatch(text, pattern);
}

function promptOf(request: RecordedRequest): { system: string; user: string; context: string | undefined } {
  const [system, user] = messagesOf(request).map((message) => message.content);
  const lines = (user ?? '').split('\n');
  const heading = lines.findIndex((line) => line.startsWith(contextHeading));
  return { system: system ?? '', user: user ?? '', context: heading >= 0 ? lines[heading + 1] : undefined };
}

const twoParagraphs = 'The data of the patients were collected [@a].\n\nThe model of the networks is deep.';
const twoTranslated = 'Le données de le patients were collected [@a].\n\nLe modèle de le réseaux est profond.';

const echoes: [string, (request: RecordedRequest) => string][] = [
  ['the whole prompt, then the answer', (request) => `${promptOf(request).system}\n\n${promptOf(request).user}\n\n${fakeTranslate(chunkOf(request))}`],
  [
    'the context paragraph with its heading, then the answer',
    (request) => {
      const { context } = promptOf(request);
      return context === undefined ? fakeTranslate(chunkOf(request)) : `${contextHeading}\n${context}\n\n${fakeTranslate(chunkOf(request))}`;
    },
  ],
  [
    'the context paragraph translated, with its heading and no blank line',
    (request) => {
      const { context } = promptOf(request);
      return context === undefined ? fakeTranslate(chunkOf(request)) : `${contextHeading}\n${fakeTranslate(context)}\n${fakeTranslate(chunkOf(request))}`;
    },
  ],
  [
    'the context paragraph translated, without its heading',
    (request) => {
      const { context } = promptOf(request);
      return context === undefined ? fakeTranslate(chunkOf(request)) : `${fakeTranslate(context)}\n\n${fakeTranslate(chunkOf(request))}`;
    },
  ],
  ['the instruction and the source between the markers, then the answer', (request) => `Translate into French:\n${translateBegin}\n${chunkOf(request)}\n${translateEnd}\n\n${fakeTranslate(chunkOf(request))}`],
  ['the answer between markers in the middle of chatter', (request) => `Voici la traduction :\n${translateBegin}\n${fakeTranslate(chunkOf(request))}\n${translateEnd}\nJ’espère que cela aide.`],
  ['the answer between markers on one line', (request) => `${translateBegin} ${fakeTranslate(chunkOf(request))} ${translateEnd}`],
  ['the answer in a code fence, with an introduction and a remark', (request) => `Here is the translation:\n\n\`\`\`markdown\n${fakeTranslate(chunkOf(request))}\n\`\`\`\n\nI kept every placeholder.`],
  ['the answer in a code fence after the echoed prompt', (request) => `${promptOf(request).user}\n\n\`\`\`\n${fakeTranslate(chunkOf(request))}\n\`\`\``],
];
for (const [name, answer] of echoes) {
  test(`a model that echoes ${name}: the translation is extracted, no scaffolding in the result`, async () => {
    server().setHandler((request) => ({ kind: 'text', text: answer(request), chunkSize: 16 }));
    const result = await translateManuscript(options({ source: twoParagraphs, maxChunkTokens: 10 }));
    assertNoScaffolding(result.text);
    assert.equal(result.text, twoTranslated);
    assert.equal(result.chunksKept, 0);
    assert.equal(result.chunksTranslated, 2);
  });
}

test('a model that only echoes the prompt: every chunk is kept in the original language, with the reason', async () => {
  server().setHandler((request) => ({ kind: 'text', text: `Echo: ${promptOf(request).user}`, chunkSize: 64 }));
  const result = await translateManuscript(options({ source: twoParagraphs, maxChunkTokens: 10 }));
  assertNoScaffolding(result.text.replace('[@a]', ''));
  assert.equal(result.text, twoParagraphs);
  assert.equal(result.chunksTranslated, 0);
  assert.equal(result.chunksKept, 2);
  assert.deepEqual(result.kept.map((kept) => kept.reason), ['scaffolding', 'scaffolding']);
  assert.match(result.issues[0]?.detail ?? '', /Kept untranslated.*repeated/);
  assert.equal(result.retries, 4, 'each chunk was retried before it was kept');
});

test('the summary counts what was translated and what was kept, and why', async () => {
  server().setHandler((request) => (chunkOf(request).includes('second') ? { kind: 'text', text: promptOf(request).user } : faithful(request)));
  const result = await translateManuscript(options({ source: 'The first paragraph.\n\nThe second paragraph.\n\nThe third paragraph.', maxChunkTokens: 5 }));
  assert.equal(result.chunksSent, 3);
  assert.equal(result.chunksTranslated, 2);
  assert.equal(result.chunksKept, 1);
  assert.deepEqual(result.kept, [{ index: 1, line: 3, reason: 'scaffolding' }]);
  assert.equal(summarizeTranslation(result), '2 of 3 chunks translated; 1 kept in the original language: the model repeated its instructions (1).');
  assert.equal(summarizeTranslation({ chunksSent: 3, chunksTranslated: 3, kept: [] }), '3 of 3 chunks translated.');
});

test('each request carries max_tokens sized to its chunk', async () => {
  const before = chatRequests(server()).length;
  const long = Array.from({ length: 12 }, (_value, index) => `The model ${index} of the networks is deep and the data of the patients are many.`).join(' ');
  await translateManuscript(options({ source: `The data.\n\n${long}`, maxChunkTokens: 10 }));
  const requests = chatRequests(server()).slice(before);
  assert.equal(requests.length, 2);
  const sent = requests.map((request) => (request.body as { max_tokens?: unknown }).max_tokens);
  assert.deepEqual(sent, requests.map((request) => translationMaxTokens(chunkOf(request), 'fr')));
  assert.ok(typeof sent[0] === 'number' && typeof sent[1] === 'number' && sent[1] > sent[0], `${sent.join(' < ')}`);
  assert.ok((sent[1] as number) >= 2 * estimateTokens(long), 'room for a translation longer than the source');
});

test('translationMaxTokens: proportional to the chunk, more room for CJK targets, with a floor and a ceiling', () => {
  const medium = 'The model of the networks is deep and the data of the patients are many. '.repeat(20);
  assert.equal(translationMaxTokens('Title', 'fr'), translationMaxTokens('A short title', 'fr'), 'short chunks get the floor');
  assert.ok(translationMaxTokens(medium, 'fr') > translationMaxTokens('Title', 'fr'));
  assert.ok(translationMaxTokens(medium, 'fr') >= 2 * estimateTokens(medium));
  assert.ok(translationMaxTokens(medium, 'zh') > translationMaxTokens(medium, 'fr'));
  assert.equal(translationMaxTokens(medium.repeat(100), 'fr'), translationMaxTokens(medium.repeat(200), 'ja'), 'huge chunks get the ceiling');
});

test('an answer cut off at max_tokens (a model that loops) is not accepted: the chunk is kept, with the reason', async () => {
  const requests: CompletionRequest[] = [];
  const looping: LlmClient = {
    model: 'looping',
    complete: () => Promise.reject(new Error('not used')),
    async *stream(request: CompletionRequest): AsyncIterable<StreamEvent> {
      requests.push(request);
      yield { kind: 'delta', text: 'Le modèle est profond. Le modèle est profond. Le modèle est' };
      request.onFinish?.('length');
    },
  };
  const source = 'The model is deep.';
  const result = await translateManuscript(options({ client: looping, source }));
  assert.equal(result.text, source);
  assert.equal(result.chunksTranslated, 0);
  assert.deepEqual(result.kept.map((kept) => kept.reason), ['truncated']);
  assert.match(result.issues[0]?.detail ?? '', /length limit/);
  assert.ok(requests.every((request) => request.maxTokens === translationMaxTokens(source, 'fr')));
});
