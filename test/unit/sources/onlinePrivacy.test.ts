import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutIdentifiers, type OnlineEvent, type OnlineSearch, type OnlineSearchQuery } from '../../../src/core/literature/sourceSearch';

/** An online search that records what it was asked and answers nothing. */
function recordingSearch(): { search: OnlineSearch; seen: OnlineSearchQuery[] } {
  const seen: OnlineSearchQuery[] = [];
  const search: OnlineSearch = (query) => {
    seen.push(query);
    return (async function* (): AsyncGenerator<OnlineEvent> {})();
  };
  return { search, seen };
}

async function drain(events: AsyncIterable<OnlineEvent>): Promise<void> {
  for await (const _event of events) void _event;
}

test('identifiers in the sentence and the LLM phrasings never reach the services; the science does', async () => {
  const { search, seen } = recordingSearch();
  const removed: string[] = [];
  const protectedSearch = withoutIdentifiers(search, (summary) => removed.push(summary));
  const sentence = 'Patient John Smith (DOB 03/04/1961, MRN 4452231, phone 617-555-0123) had elevated IL-6 after tocilizumab.';
  await drain(protectedSearch({ text: sentence, queries: ['IL-6 tocilizumab MRN 4452231'] }, new AbortController().signal));
  assert.equal(seen.length, 1);
  const sent = [seen[0].text, ...seen[0].queries].join(' | ');
  for (const secret of ['4452231', '617-555-0123', '03/04/1961']) assert.ok(!sent.includes(secret), `${secret} was sent: ${sent}`);
  assert.match(seen[0].text, /IL-6/);
  assert.match(seen[0].text, /tocilizumab/);
  assert.match(seen[0].queries[0], /IL-6 tocilizumab/);
  assert.ok(!/REDACTED/.test(sent), 'no placeholder labels become keywords');
  assert.equal(removed.length, 1);
  assert.match(removed[0], /medical record number|phone number|date of birth/);
});

test('a sentence without identifiers is passed on unchanged, with no notice', async () => {
  const { search, seen } = recordingSearch();
  let notices = 0;
  const query = { text: 'Breast cancer is the most common cancer in women worldwide (p < 0.05, n = 1,200) in 2020.', queries: [] };
  await drain(withoutIdentifiers(search, () => (notices += 1))(query, new AbortController().signal));
  assert.equal(seen[0], query);
  assert.equal(notices, 0);
});
