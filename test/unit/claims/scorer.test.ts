import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createScorerFromModel, loadDefaultScorer, suggestedThreshold, type ClaimScore, type SentenceForScoring } from '../../../src/core/claims/scorer';
import { NAMED_FEATURES } from '../../../src/core/claims/features';
import { InvalidModelError, compileModel } from '../../../src/core/claims/model';

const MODEL_PATH = join('src', 'core', 'claims', 'claimModel.json');

function sentence(text: string, headingPath: readonly string[] = ['Introduction'], extra: Partial<SentenceForScoring> = {}): SentenceForScoring {
  return { text, headingPath, indexInParagraph: 1, paragraphSentenceCount: 4, inListItem: false, inTableCell: false, ...extra };
}

const BACKGROUND = [
  'Deep learning has transformed the analysis of medical images.',
  'Breast cancer is the most common cancer in women worldwide.',
  'Previous studies have shown that obesity increases the risk of type 2 diabetes.',
  'Recent studies suggest that the gut microbiome influences the response to immunotherapy.',
  'Convolutional neural networks have been widely used for image classification.',
];

const OWN_WORK = [
  'We trained a convolutional network on 1,200 images.',
  'Figure 3 shows the ROC curves.',
  'The difference was significant (p = 0.003).',
  'Table 2 lists the characteristics of the participants.',
  'We then computed the mean expression of each gene across our samples.',
];

function assertValid(result: ClaimScore): void {
  assert.equal(typeof result.score, 'number');
  assert.ok(Number.isFinite(result.score), `score ${result.score} is finite`);
  assert.ok(result.score >= 0 && result.score <= 1, `score ${result.score} in [0, 1]`);
  assert.equal(typeof result.reason, 'string');
  assert.ok(result.reason.length > 0 && result.reason.length < 80, `reason "${result.reason}" is short`);
}

test('the shipped model file loads and has the expected shape', () => {
  const raw = JSON.parse(readFileSync(MODEL_PATH, 'utf8')) as Record<string, unknown> & { features: { hashBits: number }; hashedWeights: number[]; namedWeights: Record<string, number> };
  assert.equal(raw.format, 'biowrite-claims');
  assert.equal(raw.version, 1);
  assert.equal(raw.hashedWeights.length, 2 ** raw.features.hashBits);
  assert.deepEqual(Object.keys(raw.namedWeights).sort(), [...NAMED_FEATURES].sort());
  assert.ok(raw.hashedWeights.some((w) => w !== 0), 'the model is trained, not a placeholder');
  const compiled = compileModel(raw);
  assert.ok(compiled.model.suggestedThreshold > 0 && compiled.model.suggestedThreshold < 1);
  assert.equal(suggestedThreshold(), compiled.model.suggestedThreshold);
  assert.ok(statSync(MODEL_PATH).size <= 300 * 1024, 'the model file stays small');
});

test('invalid model files are rejected with a clear error', () => {
  assert.throws(() => createScorerFromModel(null), InvalidModelError);
  assert.throws(() => createScorerFromModel({ format: 'other' }), InvalidModelError);
  assert.throws(() => createScorerFromModel({ format: 'biowrite-claims', version: 1, features: { hashBits: 4 }, bias: 0, hashedWeights: [1, 2], namedWeights: {}, calibration: { a: 1, b: 0 } }), /hashedWeights/);
});

test('background claims score higher than the authors\' own methods and results', () => {
  const scorer = loadDefaultScorer();
  const background = BACKGROUND.map((t) => scorer.score(sentence(t, ['Introduction'])).score);
  const ownInResults = OWN_WORK.map((t) => scorer.score(sentence(t, ['Results'])).score);
  const ownInIntroduction = OWN_WORK.map((t) => scorer.score(sentence(t, ['Introduction'])).score);
  assert.ok(Math.min(...background) > Math.max(...ownInResults), `background ${background} vs own work in Results ${ownInResults}`);
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(mean(background) > mean(ownInIntroduction) + 0.15, `background ${background} vs own work in Introduction ${ownInIntroduction}`);
  for (const t of ['Figure 3 shows the ROC curves.', 'The difference was significant (p = 0.003).']) {
    assert.ok(scorer.score(sentence(t, ['Introduction'])).score < Math.min(...background), t);
  }
});

test('the section matters: the same sentence scores lower under Methods or Results', () => {
  const scorer = loadDefaultScorer();
  for (const t of BACKGROUND) {
    const intro = scorer.score(sentence(t, ['Introduction'])).score;
    assert.ok(scorer.score(sentence(t, ['Methods', 'Data collection'])).score < intro, `${t} under Methods`);
    assert.ok(scorer.score(sentence(t, ['Results'])).score < intro, `${t} under Results`);
  }
});

test('a research article\'s own results stay quiet at the suggested threshold', () => {
  const scorer = loadDefaultScorer();
  const model = compileModel(JSON.parse(readFileSync(MODEL_PATH, 'utf8')));
  for (const t of OWN_WORK) {
    for (const path of [['Results'], ['Methods']]) {
      assert.ok(scorer.score(sentence(t, path)).score < model.model.suggestedThreshold, `${t} under ${path[0]}`);
    }
  }
});

test('reasons say why', () => {
  const scorer = loadDefaultScorer();
  const claimReasons = /claim|prior work|first, most|method, tool or dataset|statistic|comparison/;
  for (const t of BACKGROUND) assert.match(scorer.score(sentence(t, ['Introduction'])).reason, claimReasons, t);
  assert.equal(scorer.score(sentence('Figure 3 shows the ROC curves.', ['Results'])).reason, 'refers to a figure or table');
  assert.match(scorer.score(sentence('The difference was significant (p = 0.003).', ['Results'])).reason, /own results/);
  assert.match(scorer.score(sentence('We trained a convolutional network on 1,200 images.', ['Methods'])).reason, /authors'/);
});

test('scores are deterministic', () => {
  const a = loadDefaultScorer();
  const b = loadDefaultScorer();
  for (const t of [...BACKGROUND, ...OWN_WORK]) {
    const input = sentence(t, ['Discussion'], { previousText: OWN_WORK[0], nextText: BACKGROUND[0] });
    assert.deepEqual(a.score(input), a.score(input));
    assert.deepEqual(a.score(input), b.score(input));
  }
});

test('neighbours and position are used but never required', () => {
  const scorer = loadDefaultScorer();
  const t = BACKGROUND[0];
  assertValid(scorer.score(sentence(t, [], { previousText: undefined, nextText: undefined, indexInParagraph: 0, paragraphSentenceCount: 1 })));
  assertValid(scorer.score(sentence(t, ['Introduction'], { previousText: 'We measured it.', nextText: 'Figure 2 shows this.' })));
  assertValid(scorer.score(sentence(t, ['Introduction'], { inListItem: true })));
  assertValid(scorer.score(sentence(t, ['Introduction'], { inTableCell: true })));
});

test('robust to empty, huge and hostile text', () => {
  const scorer = loadDefaultScorer();
  const huge = 'Deep learning has transformed medicine. '.repeat(262144);
  assert.ok(huge.length >= 10 * 1024 * 1024);
  const hostile = [
    '',
    ' ',
    huge,
    'a'.repeat(1_000_000),
    '('.repeat(100_000),
    '$'.repeat(100_000) + '`'.repeat(100_000),
    '[x]('.repeat(50_000),
    '\u0000\u0001\u0002\u001b[31m\u007f\u0085 control characters',
    '🧬🦠💊 emoji 👩🏽‍🔬 and ZWJ sequences',
    'مرض السكري هو أكثر الأمراض شيوعاً \u202Eright-to-left override\u202C עברית',
    '\uD800 lone surrogate \uDFFF',
    'We' + ' we'.repeat(100_000),
  ];
  for (const text of hostile) {
    assertValid(scorer.score(sentence(text, ['Introduction'], { previousText: text, nextText: text })));
  }
  assertValid(scorer.score(sentence('x', [huge, '# '.repeat(1000), ''], { indexInParagraph: Number.NaN, paragraphSentenceCount: -5 })));
  assertValid(scorer.score(sentence('x', Array.from({ length: 10_000 }, () => 'Introduction'), { indexInParagraph: 1e9, paragraphSentenceCount: Number.POSITIVE_INFINITY })));
  // Untyped callers (JavaScript, JSON input) may hand over anything.
  assertValid(scorer.score({ text: 42, headingPath: 'Methods' } as unknown as SentenceForScoring));
  assertValid(scorer.score({} as unknown as SentenceForScoring));
});
