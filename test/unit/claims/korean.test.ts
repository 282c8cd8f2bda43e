import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NAMED_FEATURES, extractFeatures, sentenceInParagraph, type SentenceForScoring } from '../../../src/core/claims/features';
import { compileModel, isKoreanText } from '../../../src/core/claims/model';
import { defaultModel, loadDefaultScorer } from '../../../src/core/claims/scorer';
import { checkManuscript } from '../../../src/core/claims/checker';

const place = { headingPath: ['서론'], inListItem: false, inTableCell: false };
const features = (text: string, headingPath: readonly string[] = ['서론']): Record<string, number> => {
  const f = extractFeatures(sentenceInParagraph([text], 0, { ...place, headingPath }), { hashBits: 10 });
  return Object.fromEntries(NAMED_FEATURES.map((name, i) => [name, f.named[i]]).filter(([, v]) => v !== 0));
};

test('Korean cue phrases set the same signals as the English word lists', () => {
  const prior = features('TP53 변이는 대장암 환자의 약 절반에서 관찰되는 것으로 보고되었다.');
  assert.ok(prior.priorWork > 0, JSON.stringify(prior));
  assert.equal(prior.firstPerson ?? 0, 0);

  const own = features('본 연구에서는 3,120명의 환자를 대상으로 생존 분석을 수행하였다.');
  assert.ok(own.thisWork > 0 && own.weStart > 0 && own.ownAction > 0 && own.methodVerb > 0, JSON.stringify(own));
  assert.equal(own.priorWork ?? 0, 0);

  assert.ok(features('Kim 등은 이 경로가 염증을 억제한다고 하였다.').etAl > 0);
  assert.ok(features('이 기전은 종양 성장을 촉진할 수 있으며, 치료 표적이 될 가능성이 있다.').hedge > 0);
  assert.ok(features('대장암은 전 세계적으로 세 번째로 흔한 암이며 주요 사망 원인이다.').prevalence > 0);
  assert.ok(features('제안한 방법은 기존 방법에 비해 정확도가 더 높았다.').comparative > 0);
  assert.ok(features('결과는 그림 2A에 요약하였다.', ['결과']).figureRef > 0);
  assert.ok(features('TNF-α 농도는 대조군보다 높았다 (p < 0.05).').statistics > 0, 'statistics are language-independent');
});

test('Korean sentences go to the language-independent model; English ones never do', () => {
  assert.ok(isKoreanText('TP53 변이는 흔하다.'));
  assert.ok(isKoreanText('scRNA-seq 데이터는 Seurat으로 처리하였다.'));
  assert.ok(!isKoreanText('Colorectal cancer is common (대장암).'), 'a Korean gloss in an English sentence');
  assert.ok(!isKoreanText(''));
  assert.ok(defaultModel().languageIndependent, 'the shipped model has a language-independent part');
  assert.throws(() => compileModel({ ...defaultModel().model, languageIndependent: { bias: 'x' } }), /languageIndependent/);
});

test('Korean background claims score above the authors\' own methods, with an honest reason', () => {
  const scorer = loadDefaultScorer();
  const score = (text: string, headingPath: readonly string[]): { score: number; reason: string } => scorer.score({ ...sentenceInParagraph([text], 0, { ...place, headingPath }) } as SentenceForScoring);
  const claim = score('장내 미생물 불균형은 염증성 장질환의 발병과 관련이 있는 것으로 알려져 있으며, 여러 연구에서 보고되었다.', ['서론']);
  const method = score('본 연구에서는 Seurat v4를 사용하여 모든 시료를 정규화하였다.', ['방법']);
  assert.ok(claim.score > method.score + 0.1, `${claim.score} vs ${method.score}`);
  assert.equal(claim.reason, 'refers to prior work');
});

test('a Korean manuscript is checked, not reported as another language', () => {
  const text = '# 서론\n\n대장암은 전 세계적으로 세 번째로 흔한 암이다. TP53 변이는 환자의 약 절반에서 관찰되는 것으로 보고되었다. 본 연구에서는 3,120명의 환자를 분석하였다.\n';
  const result = checkManuscript(text, { language: 'markdown', threshold: 0 });
  assert.equal(result.sentencesNotChecked, 0);
  assert.equal(result.sentencesChecked, 3);
  assert.equal(result.findings.length, 3);
  const [first, second, third] = result.findings.map((finding) => finding.score);
  assert.ok(second > third && first > third, `${first} ${second} ${third}`);
});
