import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paragraphAt, sentenceAt, sentenceForSelection } from '../../../src/core/citations/sentenceAt';

const doc = '# Title\n\nFirst sentence here. Second one, e.g. with Fig. 2 in it.\nStill para one.\n\nNew paragraph.';

test('paragraphAt: lines between blank lines', () => {
  const p = paragraphAt(doc, doc.indexOf('Second'));
  assert.equal(doc.slice(p.start, p.end), 'First sentence here. Second one, e.g. with Fig. 2 in it.\nStill para one.');
  const last = paragraphAt(doc, doc.length);
  assert.equal(doc.slice(last.start, last.end), 'New paragraph.');
});

test('sentenceAt and sentenceForSelection: a partial selection extends to the sentence end', () => {
  const s = sentenceAt(doc, doc.indexOf('Fig.'));
  assert.ok(s);
  assert.equal(doc.slice(s.start, s.end), 'Second one, e.g. with Fig. 2 in it.');
  const start = doc.indexOf('Second');
  const partial = sentenceForSelection(doc, { start, end: start + 10 });
  assert.ok(partial);
  assert.equal(doc.slice(partial.start, partial.end), 'Second one, e.g. with Fig. 2 in it.');
  const whole = sentenceForSelection(doc, { start: doc.indexOf('First') - 1, end: doc.indexOf('Second') + 'Second one, e.g. with Fig. 2 in it.'.length + 1 });
  assert.ok(whole);
  assert.equal(doc.slice(whole.start, whole.end), 'First sentence here. Second one, e.g. with Fig. 2 in it.');
  const cursor = sentenceForSelection(doc, { start: doc.indexOf('Still') + 2, end: doc.indexOf('Still') + 2 });
  assert.ok(cursor);
  assert.equal(doc.slice(cursor.start, cursor.end), 'Still para one.');
});
