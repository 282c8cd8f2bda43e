import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectLanguage } from '../../../src/core/manuscript/languageDetect';

const paragraphs: readonly [string, string][] = [
  ['en', 'Colorectal cancer is the third most common cancer worldwide. Mutations in TP53 and KRAS are frequent, and α-synuclein aggregates have been reported in enteric neurons.'],
  ['en', 'Escherichia coli K-12 was grown in Luria–Bertani broth at 37 °C; Staphylococcus aureus subsp. aureus served as the control (Müller–Hinton agar).'],
  ['en', 'We used the Kaplan–Meier estimator and the log-rank test (p < 0.05) to compare the de novo and in situ groups.'],
  ['ko', '대장암은 전 세계적으로 세 번째로 흔한 암이다. TP53 변이는 대장암 환자의 약 절반에서 관찰되는 것으로 보고되었다. 본 연구에서는 3,120명의 환자를 분석하였다.'],
  ['ko', 'scRNA-seq 데이터는 Seurat v4로 처리하였으며, UMAP과 Leiden 군집화를 적용하였다.'],
  ['zh', '结直肠癌是全球第三常见的癌症。TP53突变在约一半的患者中被观察到。本研究分析了3120名患者。'],
  ['ja', '大腸がんは世界で三番目に多いがんである。TP53の変異は患者の約半数で観察されると報告されている。'],
  ['fr', 'Le cancer colorectal est le troisième cancer le plus fréquent dans le monde. Les mutations du gène TP53 sont observées chez la moitié des patients.'],
  ['de', 'Darmkrebs ist die dritthäufigste Krebserkrankung der Welt. Mutationen im TP53-Gen wurden bei der Hälfte der Patienten beobachtet und sind mit einer schlechten Prognose verbunden.'],
  ['es', 'El cáncer colorrectal es el tercer cáncer más frecuente en el mundo. Las mutaciones en TP53 se observan en la mitad de los pacientes y se asocian con un peor pronóstico.'],
  ['ru', 'Колоректальный рак является третьим по распространённости раком в мире. Мутации TP53 наблюдаются у половины пациентов.'],
];

test('detects the language of realistic biomedical paragraphs, Latin names and Greek symbols in English included', () => {
  for (const [expected, text] of paragraphs) assert.equal(detectLanguage(text).code, expected, text);
});

test('short, empty, symbolic and hostile input is undetermined, never a guess', () => {
  for (const text of ['', 'p < 0.05', 'TP53', '| 0.12 | 0.34 |', '$$x^2$$', '1234567890 1234567890', ' '.repeat(10_000)]) {
    assert.equal(detectLanguage(text).code, 'und', JSON.stringify(text.slice(0, 20)));
  }
  // @ts-expect-error untyped callers
  assert.equal(detectLanguage(undefined).code, 'und');
  const huge = 'Der Patient wurde mit der Therapie behandelt und die Ergebnisse sind in der Tabelle. '.repeat(50_000);
  assert.equal(detectLanguage(huge).code, 'de');
});

test('an English paragraph quoting a foreign title or naming foreign authors stays English', () => {
  const text = 'As shown by Le Roux and de la Fuente, the ratio of the two isoforms changes with age (“La maladie de Parkinson”), which suggests that the effect is not specific.';
  assert.equal(detectLanguage(text).code, 'en');
});
