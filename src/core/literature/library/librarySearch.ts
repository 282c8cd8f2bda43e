/**
 * Ranked search over the author's library: field-weighted BM25 (BM25F) over title, abstract,
 * keywords, authors, journal and year, with the sentence as the main query and its paragraph as a
 * weaker one, plus boosts for title phrases, named authors ("Smith et al."), tool or gene names
 * written in the sentence that occur in a title, and a year the sentence mentions.
 *
 * Built once per library (an inverted index), so a query over 600 references takes about a millisecond.
 */
import type { LiteratureRecord } from '../types';
import { rawTokens, term, tokenize } from './tokenize';

/** The fields searched. */
type Field = 'title' | 'abstract' | 'keywords' | 'authors' | 'container';
const FIELDS: readonly Field[] = ['title', 'abstract', 'keywords', 'authors', 'container'];

/** Tuning of the ranking; the defaults were tuned on deep-review and context-review only. */
export interface SearchParameters {
  readonly k1: number;
  readonly weights: Readonly<Record<Field, number>>;
  readonly b: Readonly<Record<Field, number>>;
  /** Weight of the paragraph's terms relative to the sentence's. */
  readonly contextWeight: number;
  /** Bonus per query bigram found as a bigram in the title (times the bigram's mean idf). */
  readonly bigramBoost: number;
  /** Bonus when an author the sentence names ("Smith et al.", "Smith and Jones") is first author or an author. */
  readonly nameBoost: number;
  /** Bonus per distinctive symbol of the sentence (TP53, DeepBind, word2vec) found in the title. */
  readonly symbolBoost: number;
  /** Bonus when a year the sentence mentions is the record's year. */
  readonly yearBoost: number;
}

/** Defaults (see {@link SearchParameters}). */
export const DEFAULT_PARAMETERS: SearchParameters = {
  k1: 1.6,
  weights: { title: 4, abstract: 1, keywords: 1.5, authors: 1, container: 0.3 },
  b: { title: 0.5, abstract: 0.75, keywords: 0.5, authors: 0.3, container: 0.3 },
  contextWeight: 0.1,
  bigramBoost: 1.0,
  nameBoost: 8,
  symbolBoost: 4,
  yearBoost: 0.5,
};

/** One query. */
export interface LibraryQuery {
  /** The sentence (or free query). */
  readonly text: string;
  /** The paragraph around it (optional). */
  readonly context?: string;
  /** Extra query strings, e.g. from the LLM (optional; weighted like the sentence). */
  readonly extraQueries?: readonly string[];
}

/** One ranked hit. */
export interface LibraryHit {
  readonly record: LiteratureRecord;
  readonly score: number;
}

interface Posting {
  readonly doc: number;
  /** Pseudo term frequency already normalised by field length and weighted (BM25F). */
  readonly weightedTf: number;
}

interface DocInfo {
  readonly record: LiteratureRecord;
  readonly titleBigrams: ReadonlySet<string>;
  readonly titleTerms: ReadonlySet<string>;
  readonly families: ReadonlySet<string>;
  readonly firstFamily?: string;
}

function authorText(record: LiteratureRecord): string {
  return record.authors.map((a) => a.family ?? a.literal ?? '').join(' ');
}

function fieldText(record: LiteratureRecord, field: Field): string {
  switch (field) {
    case 'title':
      return record.title;
    case 'abstract':
      return record.abstract ?? '';
    case 'keywords':
      return (record.keywords ?? []).join(' ; ');
    case 'authors':
      return authorText(record);
    case 'container':
      return record.containerTitle ?? '';
  }
}

function bigrams(terms: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < terms.length; i++) out.add(`${terms[i]} ${terms[i + 1]}`);
  return out;
}

function foldName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** Names of authors a sentence cites in the text: "Smith et al.", "Smith and Jones", "Smith's". */
export function namedAuthors(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(/\b(\p{Lu}[\p{L}'’-]+)(?:\s+(?:et\s+al\b|and\s+colleagues|and\s+(\p{Lu}[\p{L}'’-]+))|['’]s\b)/gu)) {
    names.add(foldName(match[1]));
    if (match[2]) names.add(foldName(match[2]));
  }
  return [...names].filter((n) => n.length >= 2);
}

/** Symbols of a sentence worth matching literally in titles: mixed-case or digit-bearing words, acronyms, capitalised non-initial words. */
export function distinctiveSymbols(text: string): string[] {
  const out = new Set<string>();
  let first = true;
  for (const match of text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}-]*/gu)) {
    const word = match[0];
    const isSymbol =
      /\p{Ll}\p{Lu}/u.test(word) || (/\d/.test(word) && /\p{L}/u.test(word)) || /^\p{Lu}{2,}[\p{Lu}\d-]*s?$/u.test(word) || (!first && /^\p{Lu}\p{Ll}+$/u.test(word) && word.length > 3);
    first = false;
    if (!isSymbol) continue;
    const token = rawTokens(word.replace(/s$/, (s) => (/^\p{Lu}{2,}s$/u.test(word) ? '' : s)))[0];
    if (!token) continue;
    const t = term({ text: token.text, symbol: true });
    if (t && t.length >= 2) out.add(t);
  }
  return [...out];
}

/** An index over one library. */
export class LibraryIndex {
  private readonly postings = new Map<string, Posting[]>();
  private readonly docs: DocInfo[] = [];
  private readonly idf = new Map<string, number>();
  private readonly symbolDocs = new Map<string, number[]>();

  /**
   * @param records The library's records.
   * @param parameters Ranking parameters (optional; default: {@link DEFAULT_PARAMETERS}).
   */
  constructor(
    records: readonly LiteratureRecord[],
    private readonly parameters: SearchParameters = DEFAULT_PARAMETERS,
  ) {
    const fieldTerms = records.map((record) => FIELDS.map((field) => tokenize(fieldText(record, field))));
    const avg = FIELDS.map((_, f) => fieldTerms.reduce((sum, doc) => sum + doc[f].length, 0) / Math.max(1, records.length) || 1);
    const df = new Map<string, number>();
    records.forEach((record, doc) => {
      const combined = new Map<string, number>();
      FIELDS.forEach((field, f) => {
        const terms = fieldTerms[doc][f];
        if (terms.length === 0) return;
        const counts = new Map<string, number>();
        for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
        const norm = 1 - parameters.b[field] + (parameters.b[field] * terms.length) / avg[f];
        for (const [t, count] of counts) combined.set(t, (combined.get(t) ?? 0) + (parameters.weights[field] * count) / norm);
      });
      for (const [t, weightedTf] of combined) {
        let list = this.postings.get(t);
        if (!list) this.postings.set(t, (list = []));
        list.push({ doc, weightedTf });
        df.set(t, (df.get(t) ?? 0) + 1);
      }
      const titleTerms = fieldTerms[doc][0];
      const families = record.authors.map((a) => foldName(a.family ?? a.literal ?? '')).filter((n) => n.length > 0);
      this.docs.push({
        record,
        titleBigrams: bigrams(titleTerms),
        titleTerms: new Set(titleTerms),
        families: new Set(families),
        ...(families[0] ? { firstFamily: families[0] } : {}),
      });
      for (const token of rawTokens(record.title)) {
        const t = term({ text: token.text, symbol: true });
        if (!t) continue;
        let list = this.symbolDocs.get(t);
        if (!list) this.symbolDocs.set(t, (list = []));
        if (list[list.length - 1] !== doc) list.push(doc);
      }
    });
    const n = records.length;
    for (const [t, count] of df) this.idf.set(t, Math.log(1 + (n - count + 0.5) / (count + 0.5)));
  }

  /** Number of records indexed. */
  get size(): number {
    return this.docs.length;
  }

  /** Every record, in library order. */
  get records(): LiteratureRecord[] {
    return this.docs.map((d) => d.record);
  }

  private addTerms(scores: Float64Array, weights: ReadonlyMap<string, number>): void {
    const k1 = this.parameters.k1;
    for (const [t, qw] of weights) {
      const list = this.postings.get(t);
      if (!list) continue;
      const idf = this.idf.get(t) ?? 0;
      for (const { doc, weightedTf } of list) scores[doc] += qw * idf * ((weightedTf * (k1 + 1)) / (weightedTf + k1));
    }
  }

  /**
   * Ranks the library for a query.
   * @param query The sentence, its paragraph and extra queries.
   * @param top How many hits to return (optional; default: 10).
   */
  search(query: LibraryQuery, top = 10): LibraryHit[] {
    const p = this.parameters;
    const scores = new Float64Array(this.docs.length);
    const weights = new Map<string, number>();
    const sentenceTerms = tokenize(query.text);
    for (const t of sentenceTerms) weights.set(t, 1);
    for (const extra of query.extraQueries ?? []) for (const t of tokenize(extra)) weights.set(t, Math.max(weights.get(t) ?? 0, 0.8));
    if (query.context && p.contextWeight > 0) {
      for (const t of tokenize(query.context)) if (!weights.has(t)) weights.set(t, p.contextWeight);
    }
    this.addTerms(scores, weights);

    const queryBigrams = bigrams(sentenceTerms);
    if (p.bigramBoost > 0 && queryBigrams.size > 0) {
      for (let doc = 0; doc < this.docs.length; doc++) {
        if (scores[doc] === 0) continue;
        for (const bg of queryBigrams) {
          if (!this.docs[doc].titleBigrams.has(bg)) continue;
          const [a, b] = bg.split(' ');
          scores[doc] += (p.bigramBoost * ((this.idf.get(a) ?? 0) + (this.idf.get(b) ?? 0))) / 2;
        }
      }
    }
    if (p.nameBoost > 0) {
      for (const name of namedAuthors(query.text)) {
        for (let doc = 0; doc < this.docs.length; doc++) {
          const info = this.docs[doc];
          if (info.firstFamily === name) scores[doc] += p.nameBoost;
          else if (info.families.has(name)) scores[doc] += p.nameBoost / 2;
        }
      }
    }
    if (p.symbolBoost > 0) {
      for (const symbol of distinctiveSymbols(query.text)) {
        const docs = this.symbolDocs.get(symbol);
        // A symbol in many titles ("DNA", "RNA") says little.
        if (!docs || docs.length > Math.max(3, this.docs.length * 0.03)) continue;
        for (const doc of docs) scores[doc] += p.symbolBoost / docs.length ** 0.5;
      }
    }
    if (p.yearBoost > 0) {
      for (const match of query.text.matchAll(/\b(19[5-9]\d|20[0-4]\d)\b/g)) {
        const year = Number(match[1]);
        for (let doc = 0; doc < this.docs.length; doc++) if (scores[doc] > 0 && this.docs[doc].record.year === year) scores[doc] += p.yearBoost;
      }
    }
    const order: number[] = [];
    for (let doc = 0; doc < scores.length; doc++) if (scores[doc] > 0) order.push(doc);
    order.sort((a, b) => scores[b] - scores[a] || a - b);
    return order.slice(0, Math.max(0, top)).map((doc) => ({ record: this.docs[doc].record, score: Math.round(scores[doc] * 1e4) / 1e4 }));
  }
}
