import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTranslationMessages, contextHeading, extractTranslation, retryHeading, translateBegin, translateEnd } from '../../../src/core/llm/prompts/translate';

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

describe('extractTranslation', () => {
  const input = {
    chunk: 'The model ⟦0⟧ is deep.',
    targetLanguage: 'fr',
    placeholderCount: 1,
    context: 'The data ⟦3⟧ were collected.',
    glossary: [{ term: 'deep learning', translation: 'apprentissage profond' }],
    keep: ['TP53'],
    retryProblems: ['Placeholder ⟦0⟧ is missing; it must appear exactly once.'],
  };
  const answer = 'Le modèle ⟦0⟧ est profond.';
  const [system, user] = buildTranslationMessages(input).map((message) => message.content);
  const extracted = (text: string) => extractTranslation(text, input);

  it('passes a clean answer through', () => {
    assert.deepEqual(extracted(answer), { ok: true, text: answer });
    assert.deepEqual(extracted(`\n${answer}\n\n`), { ok: true, text: answer });
  });

  it('drops every piece of the prompt a model echoes, wherever it is', () => {
    const variants = [
      `${system}\n\n${user}\n\n${answer}`,
      `${user}\n${answer}`,
      `${contextHeading}\nThe data ⟦…⟧ were collected.\n\n${answer}`,
      `${contextHeading}\nLes données ⟦…⟧ ont été collectées.\n${answer}`,
      `Les données ⟦…⟧ ont été collectées.\n\n${answer}`,
      `${answer}\n\n${retryHeading}; fix them:\n- Placeholder ⟦0⟧ is missing; it must appear exactly once.`,
      `${translateBegin}\n${answer}\n${translateEnd}`,
      `${translateBegin}${answer}${translateEnd}`,
      `Voici la traduction :\n${translateBegin}\n${answer}\n${translateEnd}\nBonne lecture.`,
      `Translate into French:\n${translateBegin}\n${input.chunk}\n${translateEnd}\n${answer}`,
      `${answer}\n${translateEnd}`,
      `\`\`\`markdown\n${answer}\n\`\`\``,
      `Here is the translation:\n\`\`\`\n${answer}\n\`\`\`\nAll placeholders were kept.`,
      `Glossary (always use these translations):\n- deep learning → apprentissage profond\nKeep exactly as written: TP53\n${answer}`,
    ];
    for (const variant of variants) assert.deepEqual(extracted(variant), { ok: true, text: answer }, variant);
  });

  it('keeps a multi-paragraph answer whole', () => {
    const two = { ...input, chunk: 'The model ⟦0⟧ is deep.\n\nIt works.' };
    const translation = 'Le modèle ⟦0⟧ est profond.\n\nIl marche.';
    assert.deepEqual(extractTranslation(`${translateBegin}\n${translation}\n${translateEnd}`, two), { ok: true, text: translation });
  });

  it('accepts an answer identical to the source, but not an echoed prompt', () => {
    assert.deepEqual(extracted(input.chunk), { ok: true, text: input.chunk });
    assert.deepEqual(extracted(`${translateBegin}\n${input.chunk}\n${translateEnd}`), { ok: true, text: input.chunk });
    assert.deepEqual(extracted(user), { ok: false, problem: 'scaffolding' });
    assert.deepEqual(extracted(`Echo: ${user}`), { ok: false, problem: 'scaffolding' });
  });

  it('rejects what it cannot clean, and an empty answer', () => {
    assert.deepEqual(extracted(`Le modèle ⟦0⟧ (voir ${translateBegin}) est profond.`), { ok: false, problem: 'scaffolding' });
    assert.deepEqual(extracted(`Le modèle ⟦0⟧ est profond, as in the previous paragraph, for context only ⟦…⟧.`), { ok: false, problem: 'scaffolding' });
    assert.deepEqual(extracted('  \n'), { ok: false, problem: 'empty' });
    assert.deepEqual(extracted(`${translateBegin}\n${translateEnd}`), { ok: false, problem: 'empty' });
  });

  it('leaves alone text of the source that looks like scaffolding', () => {
    const meta = { chunk: 'Rules:\nWe wrapped inputs in <<<TEXT markers.', targetLanguage: 'fr', placeholderCount: 0 };
    const translation = 'Rules:\nNous avons entouré les entrées de marqueurs <<<TEXT.';
    assert.deepEqual(extractTranslation(translation, meta), { ok: true, text: translation });
    // A translation may say what the prompt says, in passing or in a short line of its own.
    const german = { chunk: 'Regeln:\nDie Annotatoren sollten ins Englische übersetzen.', targetLanguage: 'en', placeholderCount: 0 };
    const english = 'Rules:\nThe annotators were asked to translate into English.';
    assert.deepEqual(extractTranslation(english, german), { ok: true, text: english });
  });
});
