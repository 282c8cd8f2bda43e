/**
 * A BibTeX reader for real-world files: `@string` macros and `#` concatenation, braced and quoted
 * values, LaTeX accents (`{\"o}`, `\'e`, `\c{c}`…), month macros, comments and `@comment` /
 * `@preamble`. A malformed entry is skipped with a warning naming its line; the rest is kept.
 */
import * as l10n from '@vscode/l10n';
import type { LiteratureRecord, RecordAuthor } from '../types';
import { displayUrl, normaliseDoi, normalisePmcid, normalisePmid, type LibraryReadResult, type LibraryWarning } from './cslJson';

/** One parsed BibTeX entry: type, key, fields (lower-case names, LaTeX already decoded). */
export interface BibtexEntry {
  readonly type: string;
  readonly key: string;
  readonly fields: Readonly<Record<string, string>>;
  /** 1-based line of the `@`. */
  readonly line: number;
  /** Offsets of the entry in the file text (from `@` to the closing delimiter, inclusive). */
  readonly start: number;
  readonly end: number;
}

const MONTHS: Readonly<Record<string, string>> = {
  jan: '1', feb: '2', mar: '3', apr: '4', may: '5', jun: '6', jul: '7', aug: '8', sep: '9', oct: '10', nov: '11', dec: '12',
};

const ACCENTS: Readonly<Record<string, string>> = {
  '"': '\u0308', "'": '\u0301', '`': '\u0300', '^': '\u0302', '~': '\u0303', '=': '\u0304', '.': '\u0307',
  u: '\u0306', v: '\u030c', H: '\u030b', c: '\u0327', k: '\u0328', r: '\u030a', d: '\u0323', b: '\u0331',
};

const SYMBOLS: Readonly<Record<string, string>> = {
  ss: 'ß', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', o: 'ø', O: 'Ø', aa: 'å', AA: 'Å', l: 'ł', L: 'Ł', i: 'ı', j: 'ȷ',
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', kappa: 'κ', lambda: 'λ', mu: 'μ', pi: 'π', sigma: 'σ', tau: 'τ', omega: 'ω',
  textasciitilde: '\uE000', textasciicircum: '\uE001', textbackslash: '\uE002', textendash: '–', textemdash: '—', textquoteright: '’', textquoteleft: '‘', textregistered: '®', texttrademark: '™', '&': '&', '%': '%', _: '_', '#': '#', $: '$',
};

/** Decodes the LaTeX of a field value into plain Unicode text. */
export function decodeLatex(value: string): string {
  let text = value;
  // Accents: \"{o}, \"o, {\"o}, \c{c}, \'{\i}
  text = text.replace(/\\(["'`^~=.]|[uvHckrdb](?![a-zA-Z]))\s*(?:\{\s*(\\?[a-zA-Z])\s*\}|(\\?[a-zA-Z]))/g, (_m, accent: string, braced?: string, bare?: string) => {
    let letter = braced ?? bare ?? '';
    if (letter === '\\i') letter = 'i';
    else if (letter === '\\j') letter = 'j';
    return `${letter}${ACCENTS[accent] ?? ''}`.normalize('NFC');
  });
  text = text.replace(/\\([a-zA-Z]+(?![a-zA-Z])\s?|[&%_#$])(?:\{\})?/g, (match, name: string) => SYMBOLS[name.trim()] ?? match);
  text = text.replace(/\$([^$]*)\$/g, '$1');
  // Formatting commands keep their argument: \emph{x}, \textit{x}, \mathrm{x}
  for (let i = 0; i < 3; i++) text = text.replace(/\\[a-zA-Z]+\s*\{([^{}]*)\}/g, '$1');
  text = text.replace(/\\\\/g, ' ').replace(/~/g, ' ').replace(/--/g, '–');
  // Commands without arguments that are left (\TeX, \LaTeX): keep their name as text.
  text = text.replace(/\\([a-zA-Z]+)/g, '$1');
  text = text.replace(/[{}]/g, '');
  // The literal ~, ^ and \ of \textasciitilde and friends were parked in private-use characters so the
  // steps above (~ as a space, command names kept as text) leave them alone.
  return text.replace(/\s+/g, ' ').trim().replace(/\uE000/g, '~').replace(/\uE001/g, '^').replace(/\uE002/g, '\\');
}

class Scanner {
  pos = 0;
  // Offsets of the line breaks, found once: counting from offset 0 for every entry made loading
  // a 20,000-entry library take minutes.
  private newlines: number[] | undefined;
  constructor(readonly text: string) {}
  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }
  /** The 1-based line of `offset`. */
  lineAt(offset: number): number {
    return this.newlinesBefore(offset) + 1;
  }
  /** The offset where the line holding `offset` starts. */
  lineStart(offset: number): number {
    const before = this.newlinesBefore(offset);
    return before === 0 ? 0 : (this.newlines as number[])[before - 1] + 1;
  }
  private newlinesBefore(offset: number): number {
    if (!this.newlines) {
      this.newlines = [];
      for (let index = this.text.indexOf('\n'); index >= 0; index = this.text.indexOf('\n', index + 1)) this.newlines.push(index);
    }
    let low = 0;
    let high = this.newlines.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.newlines[middle] < offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

class EntryError extends Error {}

/** Reads a braced value starting at `{`; returns the raw content without the outer braces. */
function readBraced(s: Scanner): string {
  const start = s.pos + 1;
  let depth = 0;
  for (; s.pos < s.text.length; s.pos++) {
    const c = s.text[s.pos];
    if (c === '\\') {
      s.pos++;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) {
        s.pos++;
        return s.text.slice(start, s.pos - 1);
      }
    } else if (c === '@' && depth === 1 && /\n\s*$/.test(s.text.slice(Math.max(0, s.pos - 80), s.pos)) && /^@\w+\s*[{(]/.test(s.text.slice(s.pos, s.pos + 40))) {
      throw new EntryError(l10n.t('unbalanced braces (a new entry starts inside a value)'));
    }
  }
  throw new EntryError(l10n.t('unbalanced braces'));
}

function readQuoted(s: Scanner): string {
  const start = ++s.pos;
  let depth = 0;
  for (; s.pos < s.text.length; s.pos++) {
    const c = s.text[s.pos];
    if (c === '\\') {
      s.pos++;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === '"' && depth === 0) {
      s.pos++;
      return s.text.slice(start, s.pos - 1);
    } else if (c === '\n' && /^\s*@\w+\s*[{(]/.test(s.text.slice(s.pos + 1, s.pos + 40))) {
      throw new EntryError(l10n.t('unterminated quoted value'));
    }
  }
  throw new EntryError(l10n.t('unterminated quoted value'));
}

/** Reads `a # "b" # {c}` with macros expanded. */
function readValue(s: Scanner, macros: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  for (;;) {
    s.skipSpace();
    const c = s.text[s.pos];
    if (c === '{') parts.push(readBraced(s));
    else if (c === '"') parts.push(readQuoted(s));
    else {
      const match = /^[^\s,#{}()"=]+/.exec(s.text.slice(s.pos, s.pos + 200));
      if (!match) throw new EntryError(l10n.t('expected a value at "{0}"', s.text.slice(s.pos, s.pos + 10)));
      s.pos += match[0].length;
      const name = match[0].toLowerCase();
      parts.push(/^\d+$/.test(name) ? name : (macros.get(name) ?? MONTHS[name] ?? match[0]));
    }
    s.skipSpace();
    if (s.text[s.pos] === '#') {
      s.pos++;
      continue;
    }
    return parts.join('');
  }
}

/** Reads `name = value, …` up to the closing delimiter. */
function readFields(s: Scanner, close: string, macros: ReadonlyMap<string, string>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (;;) {
    s.skipSpace();
    if (s.text[s.pos] === close) {
      s.pos++;
      return fields;
    }
    if (s.pos >= s.text.length) throw new EntryError(l10n.t('missing closing "{0}"', close));
    const nameMatch = /^[A-Za-z][\w\-:.+]*/.exec(s.text.slice(s.pos, s.pos + 100));
    if (!nameMatch) throw new EntryError(l10n.t('expected a field name at "{0}"', s.text.slice(s.pos, s.pos + 15).split('\n')[0]));
    s.pos += nameMatch[0].length;
    s.skipSpace();
    if (s.text[s.pos] !== '=') throw new EntryError(l10n.t('expected "=" after field "{0}"', nameMatch[0]));
    s.pos++;
    fields[nameMatch[0].toLowerCase()] = readValue(s, macros);
    s.skipSpace();
    if (s.text[s.pos] === ',') s.pos++;
    else if (s.text[s.pos] !== close) throw new EntryError(l10n.t('expected "," or "{0}" after field "{1}"', close, nameMatch[0]));
  }
}

/** Skips to the next line starting with `@` (after a malformed entry). */
function recover(s: Scanner, from: number): void {
  const nextEntry = /\n\s*@/g;
  nextEntry.lastIndex = from + 1;
  const next = nextEntry.exec(s.text);
  s.pos = next ? next.index + 1 : s.text.length;
}

/**
 * The entries of a BibTeX file (`@string` expanded, `@comment`/`@preamble` skipped), and warnings.
 * Field values are decoded from LaTeX, except `author` and `editor` (see {@link parseBibtexNames}) and `url`, `doi`, `file`.
 */
export function parseBibtexEntries(text: string): { entries: BibtexEntry[]; warnings: LibraryWarning[] } {
  const s = new Scanner(text);
  const macros = new Map<string, string>();
  const entries: BibtexEntry[] = [];
  const warnings: LibraryWarning[] = [];
  const keys = new Set<string>();
  let percentLineStart = -1;
  let firstPercentOnLine = -1;
  while (s.pos < text.length) {
    const at = text.indexOf('@', s.pos);
    if (at < 0) break;
    // Text outside entries is a comment in BibTeX; a `%` line is, too.
    const lineStart = s.lineStart(at);
    if (lineStart !== percentLineStart) {
      // Found once per line, so a line of 200 KB of `@` is not rescanned for every one.
      percentLineStart = lineStart;
      firstPercentOnLine = -1;
      for (let index = lineStart; index < text.length && text.charCodeAt(index) !== 10; index++) {
        if (text.charCodeAt(index) === 37) {
          firstPercentOnLine = index;
          break;
        }
      }
    }
    if (firstPercentOnLine >= 0 && firstPercentOnLine < at) {
      s.pos = at + 1;
      continue;
    }
    s.pos = at + 1;
    const typeMatch = /^([A-Za-z]+)\s*([{(])/.exec(text.slice(s.pos, s.pos + 40));
    if (!typeMatch) {
      continue;
    }
    const type = typeMatch[1].toLowerCase();
    const close = typeMatch[2] === '{' ? '}' : ')';
    s.pos += typeMatch[0].length;
    const line = s.lineAt(at);
    try {
      if (type === 'comment') {
        s.pos = at + 1 + typeMatch[0].length - 1;
        if (typeMatch[2] === '{') readBraced(s);
        else s.pos = text.indexOf(')', s.pos) + 1 || text.length;
        continue;
      }
      if (type === 'preamble') {
        s.pos = at + 1 + typeMatch[0].length - 1;
        if (typeMatch[2] === '{') readBraced(s);
        else readFields(s, close, macros);
        continue;
      }
      if (type === 'string') {
        const fields = readFields(s, close, macros);
        for (const [name, value] of Object.entries(fields)) macros.set(name, value);
        continue;
      }
      s.skipSpace();
      const keyMatch = /^([^\s,{}()"=#%]+)\s*,/.exec(text.slice(s.pos, s.pos + 300));
      if (!keyMatch) throw new EntryError(l10n.t('missing citation key'));
      const key = keyMatch[1];
      s.pos += keyMatch[0].length;
      const raw = readFields(s, close, macros);
      if (keys.has(key)) {
        warnings.push({ line, message: l10n.t('Skipped {0}: duplicate key.', `@${type}{${key}}`) });
        continue;
      }
      keys.add(key);
      const fields: Record<string, string> = {};
      // Names are decoded per name (braces group a corporate author); URLs and DOIs are verbatim.
      for (const [name, value] of Object.entries(raw)) fields[name] = ['url', 'doi', 'file', 'author', 'editor'].includes(name) ? value.trim() : decodeLatex(value);
      entries.push({ type, key, fields, line, start: at, end: s.pos });
    } catch (error) {
      if (!(error instanceof EntryError)) throw error;
      warnings.push({ line, message: l10n.t('Skipped the malformed @{0} entry at line {1}: {2}.', type, line, error.message) });
      recover(s, at);
    }
  }
  return { entries, warnings };
}

/** Splits a BibTeX author list (`A and B and {World Health Organization}`) into names. */
export function parseBibtexNames(raw: string): RecordAuthor[] {
  const names: string[] = [];
  let depth = 0;
  let current = '';
  const words = raw.split(/(\s+)/);
  for (const word of words) {
    for (const c of word) depth += c === '{' ? 1 : c === '}' ? -1 : 0;
    if (depth === 0 && word.toLowerCase() === 'and') {
      names.push(current.trim());
      current = '';
    } else current += word;
  }
  names.push(current.trim());
  return names
    .filter((n) => n.length > 0 && n.toLowerCase() !== 'others')
    .map((name) => {
      if (/^\{.*\}$/.test(name) && !name.slice(1, -1).includes('{')) return { literal: decodeLatex(name) };
      const parts = name.split(',').map((p) => p.trim());
      if (parts.length >= 2) {
        const family = decodeLatex(parts[0]);
        const given = decodeLatex(parts.slice(parts.length === 3 ? 2 : 1).join(' '));
        return given ? { family, given } : { family };
      }
      const tokens = name.split(/\s+/);
      if (tokens.length === 1) return { family: decodeLatex(tokens[0]) };
      // "Ludwig van Beethoven": lower-case particles start the family name.
      let split = tokens.length - 1;
      for (let i = 1; i < tokens.length - 1; i++) {
        if (/^[a-z]/.test(tokens[i])) {
          split = i;
          break;
        }
      }
      return { family: decodeLatex(tokens.slice(split).join(' ')), given: decodeLatex(tokens.slice(0, split).join(' ')) };
    });
}

const TYPE_MAP: Readonly<Record<string, string>> = {
  article: 'article-journal', book: 'book', inbook: 'chapter', incollection: 'chapter', inproceedings: 'paper-conference',
  conference: 'paper-conference', phdthesis: 'thesis', mastersthesis: 'thesis', techreport: 'report', misc: 'article',
  online: 'webpage', unpublished: 'manuscript', manual: 'book', report: 'report', thesis: 'thesis',
};

/** Converts a parsed entry to a record. */
export function bibtexEntryToRecord(entry: BibtexEntry): LiteratureRecord | string {
  const f = entry.fields;
  // An @online or @misc entry may carry only a URL or DOI: still citable, shown under that.
  const title = f.title?.trim() || f.shorttitle?.trim() || f.journal?.trim() || f.journaltitle?.trim() || f.booktitle?.trim() || displayUrl(f.url) || f.doi?.trim();
  if (!title) return l10n.t('{0}: no title', `@${entry.type}{${entry.key}}`);
  const yearMatch = /\b(1[5-9]\d\d|20\d\d)\b/.exec(f.year ?? f.date ?? '');
  const doi = normaliseDoi(f.doi);
  const pmid = normalisePmid(f.pmid);
  const pmcid = normalisePmcid(f.pmcid);
  const container = f.journal ?? f.journaltitle ?? f.booktitle;
  const keywords = f.keywords?.split(/[,;]\s*/).map((k) => k.trim()).filter((k) => k.length > 0) ?? [];
  const page = f.pages?.replace(/–/g, '-');
  return {
    sources: ['library'],
    libraryId: entry.key,
    title,
    authors: parseBibtexNames(f.author ?? f.editor ?? ''),
    ...(container ? { containerTitle: container } : {}),
    ...(yearMatch ? { year: Number(yearMatch[1]) } : {}),
    ...(f.volume ? { volume: f.volume } : {}),
    ...(f.number ?? f.issue ? { issue: f.number ?? f.issue } : {}),
    ...(page ? { page } : {}),
    ...(doi ? { doi } : {}),
    ...(pmid ? { pmid } : {}),
    ...(pmcid ? { pmcid } : {}),
    ...(f.url ? { url: f.url } : {}),
    ...(f.abstract ? { abstract: f.abstract } : {}),
    ...(keywords.length > 0 ? { keywords } : {}),
    type: TYPE_MAP[entry.type] ?? 'article',
    retracted: false,
    notices: [],
  };
}

/** Parses a BibTeX file into records; malformed entries are skipped with a warning and their line. */
export function parseBibtex(text: string): LibraryReadResult {
  const { entries, warnings } = parseBibtexEntries(text);
  const records: LiteratureRecord[] = [];
  for (const entry of entries) {
    const record = bibtexEntryToRecord(entry);
    if (typeof record === 'string') warnings.push({ line: entry.line, message: l10n.t('Skipped {0}.', record) });
    else records.push(record);
  }
  return { records, warnings };
}
