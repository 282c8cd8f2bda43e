/**
 * Training and evaluation data for the claims scorer, read from `../shared/data` (never copied):
 * the Manubot manuscripts' `sentences.jsonl` with their headings and paragraphs from
 * `manuscript.md`, and the PMC JATS articles' paragraphs split into sentences.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sentenceInParagraph, type ParagraphPlace, type SentenceForScoring } from '../../src/core/claims/features';

/** One labelled sentence. */
export interface LabelledSentence {
  /** The scorer's input. */
  readonly input: SentenceForScoring;
  /** The published version cited a source in this sentence. */
  readonly cited: boolean;
  /** 0-based line in manuscript.md (manuscripts only). */
  readonly line?: number;
  /** 0-based UTF-16 start column (manuscripts only). */
  readonly start?: number;
  /** 0-based UTF-16 end column (manuscripts only). */
  readonly end?: number;
}

/**
 * Kinds of paper: reviews (with perspectives and tutorials), methods articles, research articles
 * (Manubot), and PubMed Central research articles (wet-lab and clinical, another field).
 */
export type DocumentKind = 'review' | 'methods' | 'research' | 'pmc';

/** Every kind, in table order. */
export const DOCUMENT_KINDS: readonly DocumentKind[] = ['review', 'methods', 'research', 'pmc'];

// The first seven sets predate the `Kind:` line of SOURCE.md; ../shared/data/README.md names their kinds.
const KNOWN_KINDS: Readonly<Record<string, DocumentKind>> = {
  'deep-review': 'review',
  'knowledge-graph-review': 'review',
  'deep-rules': 'review',
  'context-review': 'review',
  'ccc-manuscript': 'research',
  'ScPCA-manuscript': 'research',
  'text_mined_hetnet_manuscript': 'research',
};

/** The kind a set's SOURCE.md states (`Kind: review`), else the README's, else `research`. */
export function manuscriptKind(dir: string, name: string): DocumentKind {
  const sourcePath = join(dir, 'SOURCE.md');
  const stated = existsSync(sourcePath) ? /\bKind:\s*([a-z]+)/i.exec(readFileSync(sourcePath, 'utf8'))?.[1]?.toLowerCase() : undefined;
  if (stated === 'review' || stated === 'perspective' || stated === 'tutorial') return 'review';
  if (stated === 'methods' || stated === 'method') return 'methods';
  if (stated === 'research') return 'research';
  return KNOWN_KINDS[name] ?? 'research';
}

/** One document of labelled sentences. */
export interface LabelledDocument {
  /** Folder or file name. */
  readonly name: string;
  /** Where it comes from. */
  readonly source: 'manubot' | 'pmc';
  /** What kind of paper it is, for leave-one-kind-out evaluation. */
  readonly kind: DocumentKind;
  /** Its sentences in reading order. */
  readonly sentences: readonly LabelledSentence[];
}

/** The shared data directory: `$BIOWRITE_SHARED_DATA` or `../shared/data` from the repo root. */
export function sharedDataDir(): string {
  return resolve(process.env.BIOWRITE_SHARED_DATA ?? join(process.cwd(), '..', 'shared', 'data'));
}

interface RawSentence {
  line: number;
  start: number;
  end: number;
  text: string;
  cited: boolean;
}

interface LineInfo {
  headingPath: string[];
  paragraph: number;
  inListItem: boolean;
  inTableCell: boolean;
}

/** Heading path, paragraph number and block kind of every line of a Markdown file. */
export function describeLines(markdown: string): LineInfo[] {
  const lines = markdown.split(/\r?\n/);
  const stack: { level: number; text: string }[] = [];
  const infos: LineInfo[] = [];
  let paragraph = 0;
  let inFence = false;
  let previousBlank = true;
  for (const line of lines) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = !inFence ? /^(#{1,6})\s+(.*)$/.exec(line) : null;
    if (heading) {
      const level = heading[1].length;
      while (stack.length > 0 && stack[stack.length - 1].level >= level) stack.pop();
      stack.push({ level, text: heading[2].trim() });
      paragraph++;
      previousBlank = true;
    } else if (line.trim() === '') {
      if (!previousBlank) paragraph++;
      previousBlank = true;
    } else {
      const listStart = /^\s*([-*+]|\d+[.)])\s+/.test(line);
      if (listStart && !previousBlank) paragraph++;
      previousBlank = false;
    }
    infos.push({
      headingPath: stack.map((h) => h.text),
      paragraph,
      inListItem: /^\s*([-*+]|\d+[.)])\s+/.test(line),
      inTableCell: /^\s*\|/.test(line),
    });
  }
  return infos;
}

/** Builds the scorer inputs of a paragraph's sentences from their texts. */
export function paragraphInputs(texts: readonly string[], place: ParagraphPlace): SentenceForScoring[] {
  return texts.map((_, index) => sentenceInParagraph(texts, index, place));
}

/** Loads one Manubot evaluation set folder. */
export function loadManuscript(dir: string, name: string): LabelledDocument {
  const markdown = readFileSync(join(dir, 'manuscript.md'), 'utf8');
  const infos = describeLines(markdown);
  const raw: RawSentence[] = readFileSync(join(dir, 'sentences.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as RawSentence)
    .sort((a, b) => a.line - b.line || a.start - b.start);
  const groups = new Map<number, RawSentence[]>();
  for (const s of raw) {
    const p = infos[s.line]?.paragraph ?? -1 - s.line;
    const group = groups.get(p) ?? [];
    group.push(s);
    groups.set(p, group);
  }
  const sentences: LabelledSentence[] = [];
  for (const group of groups.values()) {
    const info = infos[group[0].line];
    const inputs = paragraphInputs(
      group.map((s) => s.text),
      { headingPath: info?.headingPath ?? [], inListItem: info?.inListItem ?? false, inTableCell: info?.inTableCell ?? false },
    );
    group.forEach((s, i) => sentences.push({ input: inputs[i], cited: s.cited, line: s.line, start: s.start, end: s.end }));
  }
  sentences.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.start ?? 0) - (b.start ?? 0));
  return { name, source: 'manubot', kind: manuscriptKind(dir, name), sentences };
}

/** Names of the Manubot evaluation sets, sorted. */
export function manuscriptNames(root = sharedDataDir()): string[] {
  const dir = join(root, 'manuscripts');
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'sentences.jsonl')))
    .sort();
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Decodes XML character references and the predefined entities (`&amp;`, `&#x000e4;`). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (all, body: string) => {
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    return ENTITIES[body] ?? all;
  });
}

// Marks where a bibliographic citation stood, so sentence splitting can attach it to its sentence.
const CITE = '\uE000';

const ABBREVIATIONS = /(\b(e\.g|i\.e|et al|etc|vs|cf|ca|approx|Fig|Figs|fig|figs|Eq|Eqs|No|no|Dr|Mr|Ms|sp|spp|subsp|var|St|Ref|Refs|resp|min|max|Inc|Ltd|Co|Corp|Jr|Sr|Dept|Univ|al)\.|\b[A-Z]\.)$/;

/** Splits plain text into sentences (for the JATS paragraphs; good enough for training). */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let begin = 0;
  const re = /[.!?]["”’)]?((?:\s*\uE000)*)\s+(?=["“(]?[A-Z0-9\uE000])/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const endOfSentence = m.index + m[0].length;
    const head = text.slice(begin, m.index + 1);
    if (ABBREVIATIONS.test(head)) continue;
    out.push(text.slice(begin, endOfSentence).trim());
    begin = endOfSentence;
  }
  const rest = text.slice(begin).trim();
  if (rest) out.push(rest);
  return out.filter((s) => s.replace(new RegExp(CITE, 'g'), '').trim().length > 0);
}

/** Removes citation markers and the brackets and separators around them. */
function stripCitations(sentence: string): string {
  return sentence
    .replace(/[[(]?\s*\uE000(?:\s*[,;–—-]\s*\uE000|\s*\uE000)*\s*[\])]?/g, '')
    .replace(/\(\s*[,;]?\s*\)|\[\s*[,;]?\s*\]/g, '')
    .replace(/\s+([.,;:])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** An element of {@link parseXml}'s tree: its name, raw attribute text and children (elements or decoded text). */
export interface XmlNode {
  readonly name: string;
  readonly attrs: string;
  readonly children: (XmlNode | string)[];
}

/** A minimal XML tree builder for JATS (no DTD, entities decoded in text). */
export function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: '#root', attrs: '', children: [] };
  const stack: XmlNode[] = [root];
  const re = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w:.-]*)([^>]*?)(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml)) !== null) {
    const top = stack[stack.length - 1];
    if (m[5] !== undefined) {
      top.children.push(decodeEntities(m[5]));
    } else if (m[2] !== undefined) {
      if (m[1] === '/') {
        for (let i = stack.length - 1; i > 0; i--) {
          if (stack[i].name === m[2]) {
            stack.length = i;
            break;
          }
        }
      } else {
        const node: XmlNode = { name: m[2], attrs: m[3] ?? '', children: [] };
        top.children.push(node);
        if (m[4] !== '/') stack.push(node);
      }
    }
  }
  return root;
}

function textOf(node: XmlNode | string, citations: boolean): string {
  if (typeof node === 'string') return node;
  if (node.name === 'xref' && /ref-type="bibr"/.test(node.attrs)) return citations ? CITE : '';
  // Footnote-style and table/figure objects are not part of the running sentence.
  if (node.name === 'fig' || node.name === 'table-wrap' || node.name === 'disp-formula') return ' ';
  if (node.name === 'inline-formula') return ' mathtoken ';
  return node.children.map((c) => textOf(c, citations)).join('');
}

function titleOf(node: XmlNode): string | undefined {
  const title = node.children.find((c): c is XmlNode => typeof c !== 'string' && c.name === 'title');
  return title ? textOf(title, false).replace(/\s+/g, ' ').trim() : undefined;
}

/** Loads one JATS article: sentences of `<p>` in titled `<sec>`s and the abstract. */
export function loadJats(path: string, name: string): LabelledDocument {
  const root = parseXml(readFileSync(path, 'utf8'));
  const sentences: LabelledSentence[] = [];
  const visit = (node: XmlNode, headingPath: string[], inList: boolean, inAbstract: boolean): void => {
    for (const child of node.children) {
      if (typeof child === 'string') continue;
      if (child.name === 'ref-list' || child.name === 'back' || child.name === 'fig' || child.name === 'table-wrap' || child.name === 'caption') continue;
      if (child.name === 'abstract') {
        if (/abstract-type/.test(child.attrs)) continue;
        visit(child, ['Abstract'], inList, true);
      } else if (child.name === 'sec') {
        const title = titleOf(child);
        visit(child, title ? [...headingPath, title] : headingPath, inList, inAbstract);
      } else if (child.name === 'p') {
        if (headingPath.length === 0) continue;
        const text = textOf(child, true).replace(/\s+/g, ' ').trim();
        const parts = splitSentences(text);
        const cleaned = parts.map(stripCitations);
        const inputs = paragraphInputs(cleaned, { headingPath, inListItem: inList, inTableCell: false });
        parts.forEach((part, i) => {
          if (cleaned[i].length < 3) return;
          sentences.push({ input: inputs[i], cited: part.includes(CITE) });
        });
      } else {
        visit(child, headingPath, inList || child.name === 'list-item', inAbstract);
      }
    }
  };
  visit(root, [], false, false);
  return { name, source: 'pmc', kind: 'pmc', sentences };
}

/** Loads every JATS article of `pmc/`, sorted by file name. */
export function loadPmc(root = sharedDataDir()): LabelledDocument[] {
  const dir = join(root, 'pmc');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.nxml'))
    .sort()
    .map((f) => loadJats(join(dir, f), f.replace(/\.nxml$/, '')));
}

/** Loads every Manubot evaluation set, sorted by name. */
export function loadManuscripts(root = sharedDataDir()): LabelledDocument[] {
  return manuscriptNames(root).map((name) => loadManuscript(join(root, 'manuscripts', name), name));
}
