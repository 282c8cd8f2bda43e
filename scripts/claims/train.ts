/**
 * `npm run train:claims`: rebuilds src/core/claims/claimModel.json from ../shared/data,
 * deterministically (full-batch optimisation, fixed order, no randomness).
 *
 * 1. Leave-one-document-out over the Manubot sets and the PMC articles gives held-out scores; the
 *    Platt calibration and the suggested threshold come from those only.
 * 2. The shipped weights are then trained on everything.
 * 3. A second model over the named features only (for Korean and other text the word features
 *    never saw) is trained the same way, calibrated on leave-one-kind-out scores.
 *
 * `--out PATH` writes the model elsewhere (the reproducibility test compares it with the shipped one).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadManuscripts, loadPmc } from './data';
import { calibrate, chooseThresholdByKind, heldOutScores, leaveGroupOut } from './crossValidate';
import { featurize, languageIndependentModel, toModelFile, train, withoutWords } from './logistic';
import { LANGUAGE_INDEPENDENT_OPTIONS, TRAIN_OPTIONS } from './options';

const DEFAULT_MODEL_PATH = join('src', 'core', 'claims', 'claimModel.json');

function main(): void {
  const started = Date.now();
  const outIndex = process.argv.indexOf('--out');
  const modelPath = outIndex >= 0 && process.argv[outIndex + 1] ? process.argv[outIndex + 1] : DEFAULT_MODEL_PATH;
  const all = [...loadManuscripts(), ...loadPmc()];
  const features = featurize(all, TRAIN_OPTIONS.features);
  const labels = all.map((d) => d.sentences.map((s) => s.cited));
  // Every document is held out once (PMC articles too), so threshold and calibration see every kind.
  const heldOut = leaveGroupOut(all, (d) => d.name, TRAIN_OPTIONS, features);
  const calibration = calibrate(heldOut);
  const threshold = chooseThresholdByKind(
    heldOutScores(heldOut, calibration),
    labels,
    all.map((d) => d.kind),
  );
  const weights = train(all, features, TRAIN_OPTIONS);

  // The language-independent model: the same data without the word features. It is held out by
  // kind for its calibration, since it will score text (another language) unlike any it saw.
  const namedOnly = withoutWords(features);
  const liOptions = { ...TRAIN_OPTIONS, ...LANGUAGE_INDEPENDENT_OPTIONS };
  const liHeldOut = leaveGroupOut(all, (d) => d.kind, liOptions, namedOnly);
  const liCalibration = calibrate(liHeldOut);
  const liWeights = train(all, namedOnly, liOptions);

  const model = toModelFile(weights, TRAIN_OPTIONS, calibration, threshold, {
    manuscripts: all.filter((d) => d.source === 'manubot').map((d) => d.name),
    pmc: all.filter((d) => d.source === 'pmc').map((d) => d.name),
    sentences: all.reduce((n, d) => n + d.sentences.length, 0),
    calibration: 'Platt scaling on leave-one-document-out logits',
    threshold: 'highest threshold whose mean held-out precision is >= 0.5 on every kind of document, with mean F1 within 0.01 of the best such',
    languageIndependent: 'named features only; Platt scaling on leave-one-kind-out logits',
  });
  const file = { ...model, languageIndependent: languageIndependentModel(liWeights, liCalibration) };
  const json = `${JSON.stringify(file)}\n`;
  writeFileSync(modelPath, json);
  process.stdout.write(`Wrote ${modelPath} (${json.length} bytes) in ${((Date.now() - started) / 1000).toFixed(1)} s; calibration a=${model.calibration.a} b=${model.calibration.b}; suggested threshold ${threshold}\n`);
}

main();
