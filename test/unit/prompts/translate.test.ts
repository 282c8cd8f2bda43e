import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTranslationMessages, retryHeading, translateBegin, translateEnd } from '../../../src/core/llm/prompts/translate';

const base = { chunk: 'Deep learning ⟦0⟧ works on TP53 data ⟦1⟧.', targetLanguage: 'fr', placeholderCount: 2 };

test('is pure: the same input gives the same messages', () => {
  assert.deepEqual(buildTranslationMessages(base), buildTranslationMessages({ ...base }));
});

test('names the target language, lists the placeholders and wraps the chunk in markers', () => {
  const [system, user] = buildTranslationMessages(base);
  assert.equal(system.role, 'system');
  assert.match(system.content, /into French/);
  assert.match(system.content, /placeholders/);
  assert.match(system.content, /gene and protein symbols, drug names, units, numbers/);
  assert.match(user.content, /⟦0⟧ ⟦1⟧/);
  assert.ok(user.content.endsWith(`${translateBegin}\n${base.chunk}\n${translateEnd}`));
});

test('the source language is named when given, detected otherwise; "en" means into English', () => {
  assert.match(buildTranslationMessages({ ...base, targetLanguage: 'en', sourceLanguage: 'es' })[0].content, /from Spanish into English/);
  assert.match(buildTranslationMessages({ ...base, targetLanguage: 'en' })[0].content, /from the language it is written in into English/);
  assert.match(buildTranslationMessages({ ...base, targetLanguage: 'sv' })[0].content, /into sv/);
});

test('puts the glossary, kept terms, context (placeholders hidden) and retry problems in the prompt', () => {
  const [, user] = buildTranslationMessages({
    ...base,
    glossary: [{ term: 'deep learning', translation: 'apprentissage profond' }],
    keep: ['TP53'],
    context: 'Earlier text ⟦7⟧ here.',
    retryProblems: ['Placeholder ⟦1⟧ is missing; it must appear exactly once.'],
  });
  assert.match(user.content, /deep learning → apprentissage profond/);
  assert.match(user.content, /Keep exactly as written: TP53/);
  assert.match(user.content, /Earlier text ⟦…⟧ here\./);
  assert.ok(!user.content.includes('⟦7⟧'));
  assert.ok(user.content.includes(retryHeading));
  assert.match(user.content, /⟦1⟧ is missing/);
});

test('asks for a single line for front-matter values', () => {
  assert.match(buildTranslationMessages({ ...base, singleLine: true })[0].content, /single line/);
  assert.doesNotMatch(buildTranslationMessages(base)[0].content, /single line/);
});
