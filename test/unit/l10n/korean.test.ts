import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const read = (path: string): Record<string, string> => JSON.parse(readFileSync(join(root, path), 'utf8')) as Record<string, string>;
const placeholders = (text: string): string[] => (text.match(/\{\d+\}|\$\([a-z0-9~-]+\)|biowrite\.[A-Za-z.]+[A-Za-z]/g) ?? []).sort();

for (const [english, korean] of [
  ['l10n/bundle.l10n.json', 'l10n/bundle.l10n.ko.json'],
  ['package.nls.json', 'package.nls.ko.json'],
] as const) {
  test(`${korean} translates every message of ${english}, keeping placeholders, codicons and setting ids`, () => {
    const source = read(english);
    const translated = read(korean);
    assert.deepEqual(Object.keys(translated).sort(), Object.keys(source).sort(), 'run `npm run l10n` and translate the new messages');
    for (const [key, value] of Object.entries(source)) {
      const ko = translated[key];
      assert.equal(typeof ko, 'string', key);
      assert.ok(ko.trim().length > 0, `empty translation of ${key}`);
      assert.deepEqual(placeholders(ko), placeholders(value), `placeholders of ${key}`);
    }
    // Mostly Hangul: a file of untranslated English would pass the checks above.
    const hangul = Object.values(translated).filter((value) => /[\uac00-\ud7a3]/.test(value)).length;
    assert.ok(hangul >= Object.keys(source).length * 0.9, `${hangul} of ${Object.keys(source).length} messages are in Korean`);
  });
}
