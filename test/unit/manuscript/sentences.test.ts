import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitSentences } from '../../../src/core/manuscript/sentences';

const split = (text: string): string[] => splitSentences(text).map((span) => text.slice(span.start, span.end));

test('abbreviations, figures, equations and "et al." do not end sentences', () => {
  assert.deepEqual(split('Many tools exist, e.g. BLAST and i.e. aligners. Next one.'), ['Many tools exist, e.g. BLAST and i.e. aligners.', 'Next one.']);
  assert.deepEqual(split('Smith et al. Showed this in 2020. Then more.'), ['Smith et al. Showed this in 2020.', 'Then more.']);
  assert.deepEqual(split('See Fig. 2 and Figs. 3-4, Eq. 5, Ref. 7 and Suppl. Table 2. Done.'), ['See Fig. 2 and Figs. 3-4, Eq. 5, Ref. 7 and Suppl. Table 2.', 'Done.']);
  assert.deepEqual(split('Model A vs. Model B. Then C.'), ['Model A vs. Model B.', 'Then C.']);
  assert.deepEqual(split('Reported on p. 3 of the book. Fine.'), ['Reported on p. 3 of the book.', 'Fine.']);
});

test('numbers, p-values and decimals do not end sentences', () => {
  assert.deepEqual(split('The effect was significant (p < 0.05). The mean was 3.14 mm.'), ['The effect was significant (p < 0.05).', 'The mean was 3.14 mm.']);
  assert.deepEqual(split('Accuracy rose to 0.93. 42 patients were lost.'), ['Accuracy rose to 0.93.', '42 patients were lost.']);
});

test('species names and initials', () => {
  assert.deepEqual(split('E. coli and S. aureus grow fast. J. Smith disagreed. So did A. B. Jones.'), ['E. coli and S. aureus grow fast.', 'J. Smith disagreed.', 'So did A. B. Jones.']);
});

test('quotes, brackets, ellipses, question and exclamation marks', () => {
  assert.deepEqual(split('He said "it works." Then he left.'), ['He said "it works."', 'Then he left.']);
  assert.deepEqual(split('It failed (see below.) Then it worked.'), ['It failed (see below.)', 'Then it worked.']);
  assert.deepEqual(split('Is it true? Yes! It is… Mostly.'), ['Is it true?', 'Yes!', 'It is…', 'Mostly.']);
  assert.deepEqual(split('It went on... and on. End.'), ['It went on... and on.', 'End.']);
});

test('placeholders for math and code keep their dots out of the way', () => {
  assert.deepEqual(split('We set $math$ to one. `code` ran fast. Done.'), ['We set $math$ to one.', '`code` ran fast.', 'Done.']);
});

test('a lower-case word after a period does not start a sentence; line breaks are spaces', () => {
  assert.deepEqual(split('Version 2. was released.\nThe next line. another'), ['Version 2. was released.', 'The next line. another']);
});

test('empty, white space and punctuation-only inputs give no sentences', () => {
  assert.deepEqual(splitSentences(''), []);
  assert.deepEqual(splitSentences('   \n\t '), []);
  assert.deepEqual(splitSentences('... !!! ???'), []);
});

test('spans are trimmed and exact', () => {
  const text = '  First one.   Second one.  ';
  assert.deepEqual(splitSentences(text), [
    { start: 2, end: 12 },
    { start: 15, end: 26 },
  ]);
});
