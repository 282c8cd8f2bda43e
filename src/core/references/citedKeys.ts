/**
 * The citation keys of a manuscript, each with the place of the key itself (not of the whole
 * bracket), for diagnostics on the key and for undefined and unused entries.
 */
import { extractCitations, footnotesWithReferences, isCrossReference, type ManuscriptLanguage } from '../manuscript/citations';
import type { CitedKey } from './audit';

/**
 * Lists the keys cited in a manuscript.
 * @param text The manuscript's text.
 * @param language Its language.
 * @param file Its path, kept in each location.
 */
export function citedKeysOf(text: string, language: ManuscriptLanguage, file: string): CitedKey[] {
  const out: CitedKey[] = [];
  const options = language === 'markdown' ? { citingFootnotes: footnotesWithReferences(text) } : {};
  for (const citation of extractCitations(text, language, options)) {
    if (citation.kind === 'numeric' || citation.kind === 'superscript' || citation.kind === 'footnote') continue;
    let from = citation.start;
    for (const key of citation.keys) {
      if (isCrossReference(key)) continue;
      const at = text.indexOf(key, from);
      const offset = at >= 0 && at < citation.end ? at : citation.start;
      if (at >= 0 && at < citation.end) from = at + key.length;
      out.push({ key, location: { file, offset, length: at >= 0 && at < citation.end ? key.length : citation.end - citation.start } });
    }
  }
  return out;
}
