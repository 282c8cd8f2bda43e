import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAbstract } from '../../../src/cli/commands/abstract';
import { runTranslate } from '../../../src/cli/commands/translate';
import type { CliIo } from '../../../src/cli/commands/writingShared';
import { translateBegin, translateEnd } from '../../../src/core/llm/prompts/translate';
import { fakeTranslate } from '../../fakes/manglingTranslator';
import { chatRequests, messagesOf, useFakeOpenAiServer } from './fakeLlm';
import { temporaryDirectory } from '../temporaryDirectory';

const fixtures = 'test/fixtures/writing';
const server = useFakeOpenAiServer();
beforeEach(() => {
  server().setHandler((request) => {
    const user = messagesOf(request).filter((message) => message.role === 'user').pop()?.content ?? '';
    const begin = user.lastIndexOf(`${translateBegin}\n`);
    if (begin >= 0) return { kind: 'text', text: fakeTranslate(user.slice(begin + translateBegin.length + 1, user.lastIndexOf(`\n${translateEnd}`))) };
    if ((request.body as { response_format?: unknown }).response_format) return { kind: 'text', text: '{"unsupported": [], "missingItems": []}' };
    return { kind: 'text', text: '**Background:** Dexamethasone was tested.\n\n**Results:** Mortality was 12.4% versus 17.9% among 1,204 patients (HR 0.59).' };
  });
});

function io(env: Record<string, string | undefined>): CliIo & { out: string; err: string } {
  const result = { out: '', err: '', env, stdout: (text: string) => void (result.out += text), stderr: (text: string) => void (result.err += text) };
  return result;
}

const local = () => ({ BIOWRITE_LLM_BASE_URL: server().baseUrl, BIOWRITE_LLM_MODEL: 'fake-model' });

test('abstract writes the draft to stdout and its checks and token use to stderr', async () => {
  const out = io(local());
  const code = await runAbstract([`${fixtures}/trialManuscript.md`, '--words', '120', '--structure', 'lancet', '--language', 'fr'], out);
  assert.equal(code, 0, out.err);
  assert.match(out.out, /^\*\*Background:\*\* Dexamethasone was tested\./);
  assert.match(out.err, /\/120 words; \d+ tokens used/);
  assert.match(out.err, /unsupportedNumber: 0\.59/);
  const draftRequest = chatRequests(server()).filter((request) => (request.body as { stream?: boolean }).stream).at(-1)!;
  assert.match(messagesOf(draftRequest)[0].content, /Write in French\. Stay within 120 words\./);
  assert.match(messagesOf(draftRequest)[1].content, /Findings; Interpretation; Funding/);
});

test('abstract --json gives a machine-readable result', async () => {
  const out = io(local());
  assert.equal(await runAbstract([`${fixtures}/trialManuscript.md`, '--json', '--structure', 'consort'], out), 0, out.err);
  const parsed = JSON.parse(out.out) as { abstract: string; wordLimit: number; structure: string; issues: unknown[] };
  assert.equal(parsed.structure, 'consort');
  assert.equal(parsed.wordLimit, 300);
  assert.ok(parsed.issues.length > 0);
});

test('abstract --structure ko-structured proposes Korean, 500 characters with spaces and Korean headings', async () => {
  const out = io(local());
  assert.equal(await runAbstract([`${fixtures}/trialManuscript.md`, '--json', '--structure', 'ko-structured'], out), 0, out.err);
  const parsed = JSON.parse(out.out) as { wordLimit: number; structure: string };
  assert.equal(parsed.structure, 'ko-structured');
  assert.equal(parsed.wordLimit, 500);
  const draftRequest = chatRequests(server()).filter((request) => (request.body as { stream?: boolean }).stream).at(-1)!;
  const [system, user] = messagesOf(draftRequest).map((message) => message.content);
  assert.match(system, /Korean/);
  assert.match(system, /500 characters/);
  assert.match(user, /목적; 방법; 결과; 결론/);

  // Another language keeps the preset's headings but counts in that language's unit, converted.
  const english = io(local());
  assert.equal(await runAbstract([`${fixtures}/trialManuscript.md`, '--json', '--structure', 'ko-structured', '--language', 'en'], english), 0, english.err);
  assert.equal((JSON.parse(english.out) as { wordLimit: number }).wordLimit, 250);
});

test('translate writes the translation to stdout with markup intact and applies the glossary file', async () => {
  const dir = temporaryDirectory('biowrite-');
  writeFileSync(join(dir, 'glossary.tsv'), 'tumour response\tréponse tumorale\n');
  const out = io(local());
  const code = await runTranslate([`${fixtures}/markupHeavy.md`, '--to', 'fr', '--glossary', join(dir, 'glossary.tsv')], out);
  assert.equal(code, 0, out.err);
  const source = readFileSync(`${fixtures}/markupHeavy.md`, 'utf8');
  for (const piece of ['[@doi:10.1038/nature14539; @pmid:26017442]', '$$\n\\mathcal{L}', '{#fig:overview width="80%"}', '<!-- TODO: ask the statistician about the censoring model -->', 'bibliography: references.json', '```python']) {
    assert.ok(out.out.includes(piece), piece);
  }
  assert.notEqual(out.out, source);
  assert.match(out.err, /protected spans kept byte-identical/);
  assert.ok(chatRequests(server()).some((request) => messagesOf(request)[1].content.includes('tumour response → réponse tumorale')));
});

test('no endpoint configured: a clear error naming the variables, nothing sent', async () => {
  const out = io({});
  assert.equal(await runTranslate([`${fixtures}/markupHeavy.md`, '--to', 'fr'], out), 1);
  assert.match(out.err, /BIOWRITE_LLM_BASE_URL, BIOWRITE_LLM_MODEL and BIOWRITE_LLM_API_KEY \(or OPENAI_BASE_URL/);
  const abstract = io({});
  assert.equal(await runAbstract([`${fixtures}/trialManuscript.md`], abstract), 1);
  assert.match(abstract.err, /no LLM endpoint is configured/);
});

test('usage errors: missing --to, unknown option, unknown structure, unreadable file', async () => {
  const cases: [() => Promise<number>, RegExp][] = [];
  const a = io(local());
  cases.push([() => runTranslate([`${fixtures}/markupHeavy.md`], a), /--to LANG is required/]);
  const b = io(local());
  cases.push([() => runTranslate([`${fixtures}/markupHeavy.md`, '--to', 'fr', '--frobnicate'], b), /unknown option --frobnicate/]);
  const c = io(local());
  cases.push([() => runAbstract([`${fixtures}/trialManuscript.md`, '--structure', 'haiku'], c), /unknown structure “haiku”/]);
  const d = io(local());
  cases.push([() => runAbstract(['missing.md'], d), /cannot read missing\.md: ENOENT/]);
  for (const [[run, pattern], sink] of cases.map((entry, index) => [entry, [a, b, c, d][index]] as const)) {
    assert.equal(await run(), 2);
    assert.match(sink.err, pattern);
  }
});

test('non-local endpoint and identifiers: refused before any request, unless --redact or --allow-identifiers', async () => {
  const notes = `${fixtures}/clinicalNotes.md`;
  const remote = io({ BIOWRITE_LLM_BASE_URL: 'http://192.0.2.10:9/v1', BIOWRITE_LLM_MODEL: 'm' });
  assert.equal(await runAbstract([notes], remote), 1);
  assert.match(remote.err, /likely patient identifiers \(.*\) and 192\.0\.2\.10:9 is not a local endpoint\. Nothing was sent\. Re-run with --redact/);

  // The fake server is local, so BIOWRITE_PRIVACY_ALWAYS_CHECK stands in for a remote endpoint.
  const always = { ...local(), BIOWRITE_PRIVACY_ALWAYS_CHECK: '1' };
  const before = chatRequests(server()).length;
  const refused = io(always);
  assert.equal(await runTranslate([notes, '--to', 'fr'], refused), 1);
  assert.equal(chatRequests(server()).length, before);

  const redacted = io(always);
  assert.equal(await runAbstract([notes, '--redact', '--no-llm-check'], redacted), 0, redacted.err);
  const sentAbstract = chatRequests(server()).slice(before).map((request) => JSON.stringify(request.body)).join('\n');
  assert.doesNotMatch(sentAbstract, /Okonkwo|48213377|617\) 555-0143|daniel\.fischer/);
  assert.match(sentAbstract, /\[REDACTED-NAME\]/);

  const afterAbstract = chatRequests(server()).length;
  const translated = io(always);
  assert.equal(await runTranslate([notes, '--to', 'fr', '--redact'], translated), 0, translated.err);
  const sentTranslation = chatRequests(server()).slice(afterAbstract).map((request) => JSON.stringify(request.body)).join('\n');
  assert.doesNotMatch(sentTranslation, /Okonkwo|48213377|555-0143|daniel\.fischer|219-09-9999/);
  // Held back, not lost: the identifiers come back as written.
  assert.match(translated.out, /Margaret Okonkwo, DOB 03\/14\/1962, MRN 48213377/);

  const allowed = io(always);
  assert.equal(await runTranslate([notes, '--to', 'fr', '--allow-identifiers'], allowed), 0, allowed.err);
});

test('translate reports honestly what was translated and what was kept in the original language', async () => {
  const dir = temporaryDirectory('biowrite-');
  const file = join(dir, 'three.md');
  // Each paragraph longer than a chunk's budget (400 tokens), so that each is a chunk of its own.
  const paragraphs = ['first', 'second', 'third'].map((name) => `The ${name} paragraph of the data.${' The data of the patients are many.'.repeat(45)}`);
  writeFileSync(file, `${paragraphs.join('\n\n')}\n`);
  // Like a small local model: it echoes its instructions for all but the first paragraph.
  server().setHandler((request) => {
    const user = messagesOf(request).filter((message) => message.role === 'user').pop()?.content ?? '';
    const chunk = user.slice(user.lastIndexOf(`${translateBegin}\n`) + translateBegin.length + 1, user.lastIndexOf(`\n${translateEnd}`));
    return { kind: 'text', text: chunk.includes('first') ? fakeTranslate(chunk) : `Echo: ${user}` };
  });
  const out = io(local());
  assert.equal(await runTranslate([file, '--to', 'fr'], out), 1, out.err);
  assert.equal(out.out, `${[fakeTranslate(paragraphs[0] ?? ''), ...paragraphs.slice(1)].join('\n\n')}\n`);
  assert.match(out.err, /^1 of 3 chunks translated; 2 kept in the original language: the model repeated its instructions \(2\)\./m);
  assert.doesNotMatch(out.err, /^3 chunks translated/m);
  assert.match(out.err, /protected spans kept byte-identical/);
});
