import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitSentences as splitProse } from '../../../src/core/manuscript/sentences';
import { checkTerms, glossaryEntriesIn } from '../../../src/core/writing/glossary';
import { findNumbers, findUnsupportedNumbers } from '../../../src/core/writing/numbers';
import { countCharacters, countLength, countWords, isMostlyCjk, splitSentences as splitDraft } from '../../../src/core/writing/text';

// Paragraphs written for these tests, each with the sentences a reader would count.
const paragraphs: readonly { readonly language: string; readonly sentences: readonly string[] }[] = [
  { language: 'ko', sentences: ['유방암은 전 세계 여성에게 가장 흔한 암이다.', '최근 연구에 따르면 발생률은 연 3.5%씩 증가하고 있다 [@kim2020].', '왜 그럴까?', '원인은 아직 불분명하다.'] },
  { language: 'ko', sentences: ['Smith et al. 의 보고에 따르면 TP53 변이는 412명 중 54명(13.1%)에서 관찰되었다.', '이는 이전 연구와 일치한다.'] },
  { language: 'ko', sentences: ['대상자는 총 3,120명이었다.', '평균 연령은 62.4세였다!', '유의수준은 p < 0.05로 하였다.'] },
  { language: 'zh', sentences: ['乳腺癌是女性最常见的恶性肿瘤。', '近年来其发病率不断上升！', '原因尚不清楚？', '本研究纳入了3,120名患者。'] },
  { language: 'zh', sentences: ['研究使用了 BRCA1 基因检测（见图 2）。', '结果显示 p < 0.05。'] },
  { language: 'ja', sentences: ['乳がんは女性に最も多いがんである。', '近年、発症率は増加している。', '「原因は不明だ。」と著者らは述べた。'] },
  { language: 'ja', sentences: ['対象は412例であった。', 'E. coli を用いた実験も行った。'] },
  { language: 'en', sentences: ['Deep learning works, e.g. in images.', 'It failed in 2019.', 'We used E. coli strains (Fig. 2).'] },
];

test('both splitters cut Korean, Chinese and Japanese paragraphs where a reader does', () => {
  for (const { language, sentences } of paragraphs) {
    const separator = language === 'zh' || language === 'ja' ? '' : ' ';
    const text = sentences.join(separator);
    assert.deepEqual(splitProse(text).map((span) => text.slice(span.start, span.end)), sentences, `prose splitter, ${language}: ${text}`);
    assert.deepEqual(splitDraft(text).map((span) => span.text), sentences, `draft splitter, ${language}: ${text}`);
  }
});

test('lengths: characters for CJK limits, with or without spaces; words stay words', () => {
  const korean = '유방암은 흔한 암이다.';
  assert.equal(countCharacters(korean), 10);
  assert.equal(countCharacters(korean, true), 12);
  assert.equal(countLength('**배경:** 암이다.', 'characters'), 7);
  assert.equal(countLength('Deep learning works.', 'words'), 3);
  assert.equal(countWords('乳腺癌是女性最常见的恶性肿瘤。'), 1, 'why characters are needed for Chinese');
  assert.ok(isMostlyCjk(korean) && !isMostlyCjk('Deep learning (딥러닝) works.'));
  assert.equal(countCharacters(''), 0);
});

test('numbers and symbols with Korean counters and particles are found and kept', () => {
  const source = 'We enrolled 3,120 participants; TP53 was mutated in 412 (13.2%).';
  const korean = '참가자 3,120명을 등록했고 TP53은 412명(13.2%)에서 변이가 있었다.';
  assert.deepEqual(checkTerms(source, korean, []), [], 'no false "keep as written" warning');
  assert.deepEqual(findNumbers(korean).map((mention) => mention.value), ['3120', '412', '13.2']);
  assert.deepEqual(findUnsupportedNumbers('참가자는 3,120명이었다.', source), []);
  assert.deepEqual(findUnsupportedNumbers('참가자는 3,121명이었다.', source).map((mention) => mention.value), ['3121']);
  // A Latin letter still makes a number part of a word.
  assert.deepEqual(findNumbers('H1N1 and 5q31').map((mention) => mention.value), []);
  assert.equal(checkTerms(source, '참가자 3,120명, TP53x 412명 (13.2%)', []).length, 1, 'a changed symbol is still caught');
  // Glossary terms match inside CJK text, which has no word boundaries.
  assert.equal(glossaryEntriesIn([{ term: '유방암', translation: 'breast cancer' }], '유방암은 흔하다').length, 1);
  assert.equal(glossaryEntriesIn([{ term: 'cancer', translation: '암' }], 'cancerous').length, 0);
});

test('abstract limits: the unit follows the language, the prompt and the over-limit issue say characters', async () => {
  const { defaultLengthUnit } = await import('../../../src/core/writing/text');
  const { buildAbstractMessages } = await import('../../../src/core/llm/prompts/abstract');
  const { checkGrounding } = await import('../../../src/core/writing/grounding');
  const { findAbstractStructure } = await import('../../../src/core/writing/abstractStructures');
  assert.equal(defaultLengthUnit('ko'), 'charactersWithSpaces');
  assert.equal(defaultLengthUnit('zh-Hans'), 'characters');
  assert.equal(defaultLengthUnit('ja'), 'characters');
  assert.equal(defaultLengthUnit('en'), 'words');
  const structure = findAbstractStructure('imrad');
  assert.ok(structure);
  const [system] = buildAbstractMessages({ source: '본문', condensed: false, structure, wordLimit: 600, language: 'ko', lengthUnit: 'charactersWithSpaces' });
  assert.match(system.content, /600 characters, spaces included/);
  const draft = '유방암은 흔한 암이다.';
  const report = await checkGrounding({ draft, manuscript: draft, evidence: draft, wordLimit: 5, wordCount: countLength(draft, 'charactersWithSpaces'), lengthUnit: 'charactersWithSpaces', signal: new AbortController().signal });
  const over = report.issues.find((issue) => issue.kind === 'wordLimit');
  assert.match(over?.detail ?? '', /7 characters over/);
});
