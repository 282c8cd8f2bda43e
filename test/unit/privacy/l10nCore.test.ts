import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import * as l10n from '@vscode/l10n';
import { summariseFindings, type IdentifierFinding, type IdentifierKind } from '../../../src/core/privacy/identifiers';
import { checkGrounding } from '../../../src/core/writing/grounding';

// Keys are the English messages, placeholders included, as `vscode-l10n-dev export` writes them.
const german = {
  '{0} phone numbers': '{0} Telefonnummern',
  '1 date of birth': '1 Geburtsdatum',
  'The draft is {0} words over the limit.': 'Der Entwurf liegt {0} Wörter über dem Limit.',
};

function findings(...kinds: IdentifierKind[]): IdentifierFinding[] {
  return kinds.map((kind, index) => ({ kind, text: `x${index}`, start: index * 10, end: index * 10 + 2 }));
}

async function wordLimitDetail(): Promise<string | undefined> {
  const report = await checkGrounding({ draft: 'Short draft.', manuscript: 'Short draft.', evidence: 'Short draft.', wordLimit: 2, wordCount: 5, signal: new AbortController().signal });
  return report.issues.find((issue) => issue.kind === 'wordLimit')?.detail;
}

afterEach(() => {
  l10n.config({ contents: {} });
});

test('core messages come back in the configured language, with their arguments filled in', async () => {
  try {
    l10n.config({ contents: german });
    assert.equal(summariseFindings(findings('phone', 'phone', 'dateOfBirth')), '2 Telefonnummern, 1 Geburtsdatum');
    assert.equal(await wordLimitDetail(), 'Der Entwurf liegt 3 Wörter über dem Limit.');
    // A message the bundle lacks stays in English.
    assert.equal(summariseFindings(findings('email')), '1 e-mail address');
  } finally {
    l10n.config({ contents: {} });
  }
});

test('without a bundle the messages are the English ones', async () => {
  assert.equal(summariseFindings(findings('phone', 'phone', 'dateOfBirth')), '2 phone numbers, 1 date of birth');
  assert.equal(summariseFindings(findings('address', 'address', 'name', 'date', 'date')), '2 street addresses, 1 patient name, 2 exact admission or visit dates');
  assert.equal(await wordLimitDetail(), 'The draft is 3 words over the limit.');
});
