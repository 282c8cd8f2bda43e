import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EuropePmcClient } from '../../../src/core/literature/europePmcClient';
import { testClientOptions, useFakeLiteratureServers } from './onlineHelpers';

const fake = useFakeLiteratureServers();

describe('Europe PMC titles with inline markup', () => {
  it('gives a plain title and its spans, never the tags as text', async () => {
    const body = JSON.stringify({
      version: '6.9',
      hitCount: 1,
      resultList: {
        result: [
          {
            id: '90000010',
            source: 'MED',
            pmid: '90000010',
            title: 'Structure of the &lt;i&gt;Escherichia coli&lt;/i&gt; mechanosensitive channel MscS bound to Ca&lt;sup&gt;2+&lt;/sup&gt;.',
            authorString: 'Doe J.',
            pubYear: '2020',
          },
        ],
      },
    });
    fake().fault('/europepmc/search', { kind: 'body', body });
    const client = new EuropePmcClient({ ...testClientOptions(), baseUrl: fake().urls.europepmc });
    const [record] = (await client.search('MscS', { maxResults: 5, signal: new AbortController().signal })).records;
    assert.equal(record.title, 'Structure of the Escherichia coli mechanosensitive channel MscS bound to Ca2+.');
    assert.deepEqual(record.titleSpans, [
      { text: 'Structure of the ' },
      { text: 'Escherichia coli', styles: ['italic'] },
      { text: ' mechanosensitive channel MscS bound to Ca' },
      { text: '2+', styles: ['sup'] },
      { text: '.' },
    ]);
  });
});
