// Distractor entries for the citation-ranking evaluation and training: a user's own library holds many
// papers the manuscript never cites, while each evaluation set's library.json is exactly its bibliography.
// `distractorsFor` takes `count` entries of the OTHER sets' libraries, in a fixed order (every k-th entry of
// their union sorted by set name), skipping any that shares an id or a DOI with the manuscript's own.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The number of distractors the in-situ training mixes in, and `eval:cite -- --distractors` defaults to in the README. */
export const DEFAULT_DISTRACTORS = 1000;

/**
 * @param {string} root The folder of the evaluation sets.
 * @param {string} name The set whose library gets distractors.
 * @param {readonly { id?: string, DOI?: string }[]} own Its library's CSL entries.
 * @param {number} count How many distractors.
 * @returns {object[]} CSL entries of other sets' libraries.
 */
export function distractorsFor(root, name, own, count) {
  const ids = new Set(own.map((entry) => entry.id));
  const dois = new Set(own.map((entry) => String(entry.DOI ?? '').toLowerCase()).filter(Boolean));
  const pool = [];
  for (const other of readdirSync(root).sort()) {
    if (other === name || !existsSync(join(root, other, 'library.json'))) continue;
    for (const entry of JSON.parse(readFileSync(join(root, other, 'library.json'), 'utf8'))) {
      const doi = String(entry.DOI ?? '').toLowerCase();
      if (ids.has(entry.id) || (doi && dois.has(doi))) continue;
      ids.add(entry.id);
      if (doi) dois.add(doi);
      pool.push(entry);
    }
  }
  const step = Math.max(1, Math.floor(pool.length / count));
  return pool.filter((_, index) => index % step === 0).slice(0, count);
}
