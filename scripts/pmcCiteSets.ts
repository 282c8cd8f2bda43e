// Builds citation-lookup evaluation sets from the PubMed Central JATS articles in ../shared/data/pmc, in
// the same shape as the Manubot sets (`library.json` as CSL JSON from each <ref-list>, `queries.jsonl`
// with one line per sentence that cites, its paragraph and the ids it cites), into a folder given on the
// command line. `npm run eval:cite -- --pmc` runs the ranking on them: wet-lab and clinical articles the
// ranking parameters were never selected on, with titles but no abstracts in their reference lists.
//
//   tsx scripts/pmcCiteSets.ts OUT_DIR
//
// Nothing is written into the repository.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseXml, sharedDataDir, splitSentences, type XmlNode } from './claims/data';

const CITE = '\uE000';

function children(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c): c is XmlNode => typeof c !== 'string' && c.name === name);
}
function descendants(node: XmlNode, name: string, out: XmlNode[] = []): XmlNode[] {
  for (const c of node.children) {
    if (typeof c === 'string') continue;
    if (c.name === name) out.push(c);
    descendants(c, name, out);
  }
  return out;
}
function plain(node: XmlNode | string): string {
  return typeof node === 'string' ? node : node.children.map(plain).join('');
}
function attr(node: XmlNode, name: string): string | undefined {
  return new RegExp(`\\b${name}="([^"]*)"`).exec(node.attrs)?.[1];
}
const clean = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** One <ref> as a CSL JSON item (title, authors, journal, year, DOI, PMID). */
function cslItem(ref: XmlNode): Record<string, unknown> | undefined {
  const id = attr(ref, 'id');
  const citation = ref.children.find((c): c is XmlNode => typeof c !== 'string' && /^(?:element-citation|mixed-citation|citation)$/.test(c.name));
  if (!id || !citation) return undefined;
  const first = (name: string): string | undefined => {
    const found = descendants(citation, name)[0];
    return found ? clean(plain(found)) : undefined;
  };
  const type = attr(citation, 'publication-type') ?? attr(citation, 'citation-type') ?? 'journal';
  const title = first('article-title') ?? first('chapter-title') ?? (type === 'journal' ? undefined : first('source'));
  const item: Record<string, unknown> = { id, type: type === 'journal' ? 'article-journal' : type === 'book' ? 'book' : 'report', title: title ?? '' };
  const source = first('source');
  if (source && source !== title) item['container-title'] = source;
  const year = /\d{4}/.exec(first('year') ?? '')?.[0];
  if (year) item.issued = { 'date-parts': [[Number(year)]] };
  item.author = descendants(citation, 'name').map((n) => ({ family: clean(plain(children(n, 'surname')[0] ?? '')), given: clean(plain(children(n, 'given-names')[0] ?? '')) }));
  for (const pubId of descendants(citation, 'pub-id')) {
    const kind = attr(pubId, 'pub-id-type');
    if (kind === 'doi') item.DOI = clean(plain(pubId));
    if (kind === 'pmid') item.PMID = clean(plain(pubId));
  }
  return item;
}

/** The paragraph's text with each bibliographic <xref> as a marker, and the rids of the markers in order. */
function markedText(node: XmlNode | string, rids: string[][]): string {
  if (typeof node === 'string') return node;
  if (node.name === 'xref' && /ref-type="bibr"/.test(node.attrs)) {
    rids.push((attr(node, 'rid') ?? '').split(/\s+/).filter(Boolean));
    return CITE;
  }
  if (node.name === 'fig' || node.name === 'table-wrap' || node.name === 'disp-formula') return ' ';
  return node.children.map((c) => markedText(c, rids)).join('');
}

/** Citation markers and the brackets, separators and range dashes around them removed. */
function stripMarkers(text: string): string {
  return clean(
    text
      .replace(/[[(]?\s*\uE000(?:\s*[,;–—-]\s*\uE000|\s*\uE000)*\s*[\])]?/g, '')
      .replace(/\(\s*[,;]?\s*\)|\[\s*[,;]?\s*\]/g, '')
      .replace(/\s+([.,;:])/g, '$1'),
  );
}

/** Builds one article's set; returns the number of queries and references. */
function buildArticle(path: string, out: string): { queries: number; references: number } {
  const root = parseXml(readFileSync(path, 'utf8'));
  const refs = descendants(root, 'ref').map(cslItem).filter((x): x is Record<string, unknown> => x !== undefined && String(x.title).length > 0);
  const order = refs.map((r) => String(r.id));
  const known = new Set(order);
  const queries: { id: string; text: string; context: string; gold: string[] }[] = [];
  const body = descendants(root, 'body')[0];
  if (!body) return { queries: 0, references: refs.length };
  for (const p of descendants(body, 'p')) {
    const rids: string[][] = [];
    const text = clean(markedText(p, rids));
    if (rids.length === 0) continue;
    const context = stripMarkers(text);
    let marker = 0;
    for (const sentence of splitSentences(text)) {
      const count = sentence.split(CITE).length - 1;
      const cited = rids.slice(marker, marker + count);
      // "[3–5]": two markers joined by a dash stand for the whole range.
      const gold = new Set<string>();
      const pieces = sentence.split(CITE);
      cited.forEach((ids, k) => {
        for (const id of ids) gold.add(id);
        const between = pieces[k + 1] ?? '';
        const next = cited[k + 1];
        if (next && /^\s*[–—-]\s*$/.test(between)) {
          const from = order.indexOf(ids[ids.length - 1]);
          const to = order.indexOf(next[0]);
          if (from >= 0 && to > from && to - from < 30) for (let i = from; i <= to; i++) gold.add(order[i]);
        }
      });
      marker += count;
      const query = stripMarkers(sentence);
      const goldIds = [...gold].filter((id) => known.has(id));
      if (goldIds.length === 0 || query.length < 20) continue;
      queries.push({ id: `q${queries.length}`, text: query, context, gold: goldIds });
    }
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'library.json'), JSON.stringify(refs, null, 1));
  writeFileSync(join(out, 'queries.jsonl'), queries.map((q) => JSON.stringify(q)).join('\n') + '\n');
  return { queries: queries.length, references: refs.length };
}

const target = process.argv[2];
if (!target) {
  console.error('usage: tsx scripts/pmcCiteSets.ts OUT_DIR');
  process.exit(2);
}
const pmc = join(sharedDataDir(), 'pmc');
for (const file of readdirSync(pmc).filter((f) => f.endsWith('.nxml')).sort()) {
  const name = `pmc-${file.replace(/\.nxml$/, '')}`;
  const counts = buildArticle(join(pmc, file), join(target, name));
  process.stderr.write(`${name}: ${counts.queries} queries, ${counts.references} references\n`);
}
