import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { deepReviewPath, evalTranslateFile } from '../../../scripts/evalTranslate';

test('deep-review through a model that alters every placeholder: every protected span comes back byte-identical', { skip: existsSync(deepReviewPath) ? false : `${deepReviewPath} not found` }, async () => {
  const figures = await evalTranslateFile(deepReviewPath);
  assert.ok(figures.counts.citations > 600, `${figures.counts.citations} citations`);
  assert.ok(figures.alteredByModel >= figures.protectedTotal, `${figures.alteredByModel} altered of ${figures.protectedTotal}`);
  assert.equal(figures.intact, figures.protectedTotal);
  assert.equal(figures.result.chunksKept, 0);
  assert.ok(figures.result.retries > 0);
  assert.equal(figures.translatedChanged, true);
});

test('the markup-heavy fixtures (math, code, LaTeX, front matter) survive the same model', async () => {
  for (const file of ['test/fixtures/writing/markupHeavy.md', 'test/fixtures/writing/markupHeavy.tex']) {
    const figures = await evalTranslateFile(file);
    assert.ok(figures.counts['math spans'] >= 3, file);
    assert.equal(figures.intact, figures.protectedTotal, file);
  }
});
