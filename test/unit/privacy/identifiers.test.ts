import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { findIdentifiers, redactIdentifiers, summariseFindings, type IdentifierKind } from '../../../src/core/privacy/identifiers';

const fixtures = 'test/fixtures/writing';
const notes = readFileSync(`${fixtures}/clinicalNotes.md`, 'utf8');
const planted = JSON.parse(readFileSync(`${fixtures}/clinicalNotes.planted.json`, 'utf8')) as { kind: IdentifierKind; text: string }[];

test('finds every planted identifier in the synthetic clinical notes (recall 100%)', () => {
  const findings = findIdentifiers(notes);
  const missed = planted.filter((item) => {
    // Every occurrence of the planted text must be covered by a finding.
    let from = 0;
    for (;;) {
      const at = notes.indexOf(item.text, from);
      if (at < 0) return false;
      from = at + item.text.length;
      if (!findings.some((finding) => finding.start <= at && finding.end >= at + item.text.length)) return true;
    }
  });
  assert.deepEqual(missed, [], `missed: ${missed.map((item) => `${item.kind} ${item.text}`).join('; ')}`);
  assert.equal(planted.length, 24);
});

test('classifies planted identifiers by kind', () => {
  const findings = findIdentifiers(notes);
  for (const item of planted.filter((entry) => entry.kind !== 'name')) {
    const finding = findings.find((candidate) => candidate.text.includes(item.text));
    assert.ok(finding, item.text);
    assert.equal(finding.kind, item.kind, item.text);
  }
});

test('raises nothing on a normal manuscript: p-values, study dates, sample sizes, CIs, registry ids, DOIs', () => {
  const paragraph = readFileSync(`${fixtures}/normalManuscript.md`, 'utf8');
  assert.deepEqual(findIdentifiers(paragraph), []);
});

test('raises nothing on the synthetic markup-heavy manuscript except its contact e-mail', () => {
  const text = readFileSync(`${fixtures}/markupHeavy.md`, 'utf8');
  const findings = findIdentifiers(text);
  assert.deepEqual(findings.map((finding) => finding.kind), ['email']);
});

test('raises nothing on the deep-review manuscript', { skip: !safeExists('../shared/data/manuscripts/deep-review/original.md') }, () => {
  const text = readFileSync('../shared/data/manuscripts/deep-review/original.md', 'utf8');
  assert.deepEqual(findIdentifiers(text).map((finding) => finding.text), []);
});

test('redacts with [REDACTED-…] placeholders and leaves the rest intact', () => {
  const text = 'Patient: John Smith, DOB 01/02/1950, MRN 1234567, tel: 020 7946 0958. He improved (p = 0.03).';
  const findings = findIdentifiers(text);
  const redacted = redactIdentifiers(text, findings);
  assert.equal(redacted, 'Patient: [REDACTED-NAME], DOB [REDACTED-DOB], MRN [REDACTED-MRN], tel: [REDACTED-PHONE]. He improved (p = 0.03).');
  assert.match(summariseFindings(findings), /1 patient name/);
});

test('a name found once is redacted where it recurs', () => {
  const text = 'Name: Anna Berg, born 3 May 1970. Ms Berg reported pain. Berglund et al. disagree.';
  const redacted = redactIdentifiers(text, findIdentifiers(text));
  assert.equal(redacted, 'Name: [REDACTED-NAME], born [REDACTED-DOB]. Ms [REDACTED-NAME] reported pain. Berglund et al. disagree.');
});

function safeExists(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}
