// Messages built in src/core go through @vscode/l10n: with a bundle loaded (as the extension does at
// activation) they come back translated, with their arguments filled in; without one they stay English.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import * as l10n from '@vscode/l10n';
import { ClaimChecker } from '../../../src/core/claims/checker';
import { createScorer, defaultModel } from '../../../src/core/claims/scorer';
import type { SentenceForScoring } from '../../../src/core/claims/scorer';
import { LiteratureServiceError, RateLimiter, ServiceHttp } from '../../../src/core/literature/http';
import { testScorer } from '../claims/testScorer';

const german = {
  '{0} had a server error ({1}). The service may be down or overloaded; try again in a few minutes.':
    '{0} meldete einen Serverfehler ({1}). Der Dienst ist vielleicht ausgefallen oder überlastet; versuchen Sie es in einigen Minuten erneut.',
  'could not be scored': 'konnte nicht bewertet werden',
  'Line {0}: {1}': 'Zeile {0}: {1}',
  'a block of {0} characters without a blank line was not checked; split it into paragraphs.': 'ein Block von {0} Zeichen ohne Leerzeile wurde nicht geprüft; teilen Sie ihn in Absätze auf.',
};

/** A 503 from Crossref, without retries or waiting. */
async function serverError(): Promise<LiteratureServiceError> {
  const http = new ServiceHttp({
    service: 'crossref',
    fetch: async () => new Response('down', { status: 503 }),
    limiter: new RateLimiter({ requestsPerSecond: 1000 }),
    maxRetries: 0,
  });
  try {
    await http.text({ url: 'https://api.crossref.org/works', signal: new AbortController().signal });
  } catch (error) {
    assert.ok(error instanceof LiteratureServiceError);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('src/core messages through @vscode/l10n', () => {
  afterEach(() => l10n.config({ contents: {} }));

  it('translates a literature service error and fills in the service and the status', async () => {
    l10n.config({ contents: german });
    const error = await serverError();
    assert.equal(error.kind, 'server');
    assert.equal(error.message, 'Crossref meldete einen Serverfehler (503). Der Dienst ist vielleicht ausgefallen oder überlastet; versuchen Sie es in einigen Minuten erneut.');
  });

  it('translates a claim reason and a claim check notice with its arguments', () => {
    l10n.config({ contents: german });
    // Input the scorer cannot read gets its fallback reason, whatever the shipped model's weights.
    assert.equal(createScorer(defaultModel()).score(null as unknown as SentenceForScoring).reason, 'konnte nicht bewertet werden');
    const paragraph = 'Deep learning is widely used in imaging.';
    const result = new ClaimChecker({ language: 'markdown', scorer: testScorer, maxBlockLength: 10 }).check(`# Intro\n\n${paragraph}\n`);
    assert.deepEqual(result.notices, [`Zeile 3: ein Block von ${paragraph.length} Zeichen ohne Leerzeile wurde nicht geprüft; teilen Sie ihn in Absätze auf.`]);
  });

  it('is English again once the bundle is emptied', async () => {
    l10n.config({ contents: german });
    l10n.config({ contents: {} });
    const error = await serverError();
    assert.equal(error.message, 'Crossref had a server error (503). The service may be down or overloaded; try again in a few minutes.');
    assert.equal(createScorer(defaultModel()).score(null as unknown as SentenceForScoring).reason, 'could not be scored');
  });
});
