/**
 * Ranked search over the author's library: field-weighted BM25 (BM25F) over title, abstract,
 * keywords, authors, journal and year, with the sentence as the main query and its paragraph as a
 * weaker one, plus boosts for title phrases, named authors ("Smith et al."), tool or gene names
 * written in the sentence that occur in a title, and a year the sentence mentions.
 *
 * The words of the URL (a GitHub repository or a documentation page names the tool) are a weak field, and
 * the sentences just before and after the query sentence in its paragraph are weighted apart from the rest.
 *
 * Built once per library (an inverted index), so a query over 600 references takes about a millisecond.
 * The shipped parameters ({@link DEFAULT_PARAMETERS}) come from `npm run train:cite`
 * (`rankingParameters.json`, selected on the Manubot evaluation manuscripts).
 */
import type { LiteratureRecord } from '../types';
import { IN_SITU_FEATURE_NAMES, type InSituEvidence, type InSituReason, type ManuscriptCitations, type TextSpan } from './inSitu';
import trained from './rankingParameters.json';
import { rawTokens, term, tokenize } from './tokenize';

/** The fields searched. */
export type Field = 'title' | 'abstract' | 'keywords' | 'authors' | 'container' | 'url';
const FIELDS: readonly Field[] = ['title', 'abstract', 'keywords', 'authors', 'container', 'url'];

/** The features the score combines, in the order of {@link SearchParameters.featureWeights}. */
export const FEATURE_NAMES = [
  'sentence', 'context', 'titleOnly', 'abstractOnly', 'titleBigrams', 'namedAuthor', 'symbolInTitle', 'titleCoverage', 'yearMentioned', 'hasAbstract',
  'previousSentence', 'nextSentence',
  // What the rest of the manuscript cites (zero when the query comes without a manuscript): see inSitu.ts.
  ...IN_SITU_FEATURE_NAMES,
] as const;

/** Index of the first in-situ feature in {@link FEATURE_NAMES}. */
export const FIRST_IN_SITU_FEATURE = FEATURE_NAMES.length - IN_SITU_FEATURE_NAMES.length;

/** Tuning of the ranking (see {@link DEFAULT_PARAMETERS}). */
export interface SearchParameters {
  /** Weights of {@link FEATURE_NAMES}, in order. */
  readonly featureWeights: readonly number[];
  readonly k1: number;
  readonly weights: Readonly<Record<Field, number>>;
  readonly b: Readonly<Record<Field, number>>;
}

/** The hand-tuned parameters of the first version (tuned on deep-review and context-review only); kept for comparison. */
export const HAND_TUNED_PARAMETERS: SearchParameters = {
  k1: 1.6,
  weights: { title: 4, abstract: 0.5, keywords: 1.5, authors: 1, container: 0.3, url: 0 },
  b: { title: 0.5, abstract: 0.75, keywords: 0.5, authors: 0.3, container: 0.3, url: 0.3 },
  // sentence, context, titleOnly, abstractOnly, titleBigrams, namedAuthor, symbolInTitle, titleCoverage, yearMentioned, hasAbstract,
  // previousSentence, nextSentence
  // (a record with an abstract matches more words by length alone: hasAbstract evens that out)
  // (the in-situ features did not exist then: 0)
  featureWeights: [1, 0.1, 0, 0, 1, 8, 4, 3, 0.5, -1, 0, 0, ...IN_SITU_FEATURE_NAMES.map(() => 0)],
};

/**
 * Checks and completes parameters read from JSON (e.g. `rankingParameters.json` or `biowrite cite --ranking`):
 * missing fields and feature weights fall back to {@link HAND_TUNED_PARAMETERS}.
 * @param value The parsed JSON.
 * @throws Error when a present value is not a finite number.
 */
export function parseSearchParameters(value: unknown): SearchParameters {
  const source = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const num = (v: unknown, fallback: number, what: string): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`ranking parameters: ${what} must be a finite number.`);
    return v;
  };
  const record = (v: unknown, fallback: Readonly<Record<Field, number>>, what: string): Record<Field, number> => {
    const r = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
    return Object.fromEntries(FIELDS.map((f) => [f, num(r[f], fallback[f], `${what}.${f}`)])) as Record<Field, number>;
  };
  const weights = Array.isArray(source.featureWeights) ? (source.featureWeights as unknown[]) : [];
  return {
    k1: num(source.k1, HAND_TUNED_PARAMETERS.k1, 'k1'),
    weights: record(source.weights, HAND_TUNED_PARAMETERS.weights, 'weights'),
    b: record(source.b, HAND_TUNED_PARAMETERS.b, 'b'),
    featureWeights: FEATURE_NAMES.map((name, f) => num(weights[f], HAND_TUNED_PARAMETERS.featureWeights[f], `featureWeights[${name}]`)),
  };
}

/** The shipped parameters, learned by `npm run train:cite` (see {@link SearchParameters}). */
export const DEFAULT_PARAMETERS: SearchParameters = parseSearchParameters(trained);

/** One query. */
export interface LibraryQuery {
  /** The sentence (or free query). */
  readonly text: string;
  /** The paragraph around it (optional). */
  readonly context?: string;
  /** Extra query strings, e.g. from the LLM (optional; weighted like the sentence). */
  readonly extraQueries?: readonly string[];
  /**
   * The manuscript the sentence is in, and where (optional): what the rest of it cites becomes evidence.
   * `citations` must be built over this index's {@link LibraryIndex.records}, in their order.
   */
  readonly inSitu?: { readonly citations: ManuscriptCitations; readonly span: TextSpan };
}

/** One ranked hit. */
export interface LibraryHit {
  readonly record: LiteratureRecord;
  /** The ranking score: higher is better; only the order means something (it may be zero or negative). */
  readonly score: number;
  /** What the manuscript says about it, for a query with {@link LibraryQuery.inSitu} (when it cites it or its neighbours). */
  readonly inSitu?: InSituReason;
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
    case 'url':
      return urlWords(record.url);
  }
}

/**
 * The words of a URL that may name the work: the path of a GitHub, documentation or project page
 * ("github.com/theislab/scanpy" → "theislab scanpy"); nothing for DOI, arXiv, PubMed and similar
 * identifier links, whose paths are opaque.
 */
export function urlWords(url: string | undefined): string {
  if (!url) return '';
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)([^?#]*)/i.exec(url.trim());
  if (!match) return '';
  const host = match[1].toLowerCase();
  if (/(?:^|\.)(?:doi\.org|arxiv\.org|ncbi\.nlm\.nih\.gov|europepmc\.org|biorxiv\.org|medrxiv\.org|jstor\.org|semanticscholar\.org|openreview\.net|handle\.net|zenodo\.org|figshare\.com)$/.test(host)) return '';
  return match[2]
    .split(/[/_#.~-]+/)
    .filter((part) => part.length > 1 && !/^(?:index|html?|php|aspx?|pdf|abs|latest|master|main|blob|tree|en|docs?|wiki|www|v?\d+)$/i.test(part))
    .join(' ');
}

/** Splits a paragraph into sentences (a full stop, question or exclamation mark, then space and an upper-case letter, digit or bracket). */
export function splitSentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[\p{Lu}\d([])/u).filter((sentence) => sentence.trim().length > 0);
}

/** The sentences just before and after `sentence` in `paragraph` (empty strings when it is not found or at an edge). */
export function neighbourSentences(sentence: string, paragraph: string): { previous: string; next: string } {
  const sentences = splitSentences(paragraph);
  const probe = sentence.trim().slice(0, 40);
  const at = probe ? sentences.findIndex((s) => s.includes(probe) || sentence.includes(s.trim().slice(0, 40))) : -1;
  if (at < 0) return { previous: '', next: '' };
  return { previous: sentences[at - 1] ?? '', next: sentences[at + 1] ?? '' };
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
  private readonly titlePostings = new Map<string, Posting[]>();
  private readonly abstractPostings = new Map<string, Posting[]>();
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
        if (terms.length === 0 || (parameters.weights[field] === 0 && field !== 'title' && field !== 'abstract')) return;
        const counts = new Map<string, number>();
        for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
        const norm = 1 - parameters.b[field] + (parameters.b[field] * terms.length) / avg[f];
        for (const [t, count] of counts) combined.set(t, (combined.get(t) ?? 0) + (parameters.weights[field] * count) / norm);
        const single = field === 'title' ? this.titlePostings : field === 'abstract' ? this.abstractPostings : undefined;
        if (single) {
          for (const [t, count] of counts) {
            let list = single.get(t);
            if (!list) single.set(t, (list = []));
            list.push({ doc, weightedTf: count / norm });
          }
        }
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

  private addTerms(scores: Float64Array, weights: ReadonlyMap<string, number>, postings: ReadonlyMap<string, Posting[]> = this.postings): void {
    const k1 = this.parameters.k1;
    for (const [t, qw] of weights) {
      const list = postings.get(t);
      if (!list) continue;
      const idf = this.idf.get(t) ?? 0;
      for (const { doc, weightedTf } of list) scores[doc] += qw * idf * ((weightedTf * (k1 + 1)) / (weightedTf + k1));
    }
  }

  /**
   * The ranking features of every record for a query, one array per {@link FEATURE_NAMES} entry; the
   * score is their weighted sum (weights in {@link SearchParameters.featureWeights}).
   */
  features(query: LibraryQuery): Float64Array[] {
    return this.featuresAndEvidence(query).features;
  }

  private featuresAndEvidence(query: LibraryQuery): { features: Float64Array[]; evidence?: InSituEvidence } {
    const n = this.docs.length;
    const out = FEATURE_NAMES.slice(0, FIRST_IN_SITU_FEATURE).map(() => new Float64Array(n));
    const [sentenceF, contextF, titleF, abstractF, bigramF, nameF, symbolF, coverageF, yearF, hasAbstractF, previousF, nextF] = out;
    const weights = new Map<string, number>();
    const sentenceTerms = tokenize(query.text);
    for (const t of sentenceTerms) weights.set(t, 1);
    for (const extra of query.extraQueries ?? []) for (const t of tokenize(extra)) weights.set(t, Math.max(weights.get(t) ?? 0, 0.8));
    this.addTerms(sentenceF, weights);
    this.addTerms(titleF, weights, this.titlePostings);
    this.addTerms(abstractF, weights, this.abstractPostings);
    if (query.context) {
      const context = new Map<string, number>();
      for (const t of tokenize(query.context)) if (!weights.has(t)) context.set(t, 1);
      this.addTerms(contextF, context);
      const { previous, next } = neighbourSentences(query.text, query.context);
      for (const [text, feature] of [[previous, previousF], [next, nextF]] as const) {
        if (!text) continue;
        const near = new Map<string, number>();
        for (const t of tokenize(text)) if (!weights.has(t)) near.set(t, 1);
        this.addTerms(feature, near);
      }
    }
    const distinct = [...new Set(sentenceTerms)];
    const total = distinct.reduce((sum, t) => sum + (this.idf.get(t) ?? 0), 0);
    const queryBigrams = bigrams(sentenceTerms);
    for (let doc = 0; doc < n; doc++) {
      if (sentenceF[doc] === 0) continue;
      const info = this.docs[doc];
      if (total > 0) {
        let covered = 0;
        for (const t of distinct) if (info.titleTerms.has(t)) covered += this.idf.get(t) ?? 0;
        coverageF[doc] = covered / total;
      }
      for (const bg of queryBigrams) {
        if (!info.titleBigrams.has(bg)) continue;
        const [a, b] = bg.split(' ');
        bigramF[doc] += ((this.idf.get(a) ?? 0) + (this.idf.get(b) ?? 0)) / 2;
      }
      hasAbstractF[doc] = info.record.abstract ? 1 : 0;
    }
    for (const name of namedAuthors(query.text)) {
      for (let doc = 0; doc < n; doc++) {
        const info = this.docs[doc];
        if (info.firstFamily === name) nameF[doc] += 1;
        else if (info.families.has(name)) nameF[doc] += 0.5;
      }
    }
    for (const symbol of distinctiveSymbols(query.text)) {
      const docs = this.symbolDocs.get(symbol);
      // A symbol in many titles ("DNA", "RNA") says little.
      if (!docs || docs.length > Math.max(3, n * 0.03)) continue;
      for (const doc of docs) symbolF[doc] += 1 / docs.length ** 0.5;
    }
    for (const match of query.text.matchAll(/\b(19[5-9]\d|20[0-4]\d)\b/g)) {
      const year = Number(match[1]);
      for (let doc = 0; doc < n; doc++) if (sentenceF[doc] > 0 && this.docs[doc].record.year === year) yearF[doc] += 1;
    }
    const evidence = query.inSitu?.citations.hasCitations ? query.inSitu.citations.evidence(query.inSitu.span, query.text) : undefined;
    const inSitu = evidence ? evidence.features : IN_SITU_FEATURE_NAMES.map(() => new Float64Array(n));
    return { features: [...out, ...inSitu], ...(evidence ? { evidence } : {}) };
  }

  /**
   * Ranks the library for a query.
   * @param query The sentence, its paragraph and extra queries.
   * @param top How many hits to return (optional; default: 10).
   */
  search(query: LibraryQuery, top = 10): LibraryHit[] {
    const { features, evidence } = this.featuresAndEvidence(query);
    const w = this.parameters.featureWeights;
    const scores = new Float64Array(this.docs.length);
    const order: number[] = [];
    for (let doc = 0; doc < scores.length; doc++) {
      // A reference cited right beside the sentence is a candidate even when it shares no word with it.
      if (features[0][doc] === 0 && features[1][doc] === 0 && features[4][doc] === 0 && features[5][doc] === 0 && !evidence?.candidate[doc]) continue;
      let score = 0;
      for (let f = 0; f < FEATURE_NAMES.length; f++) score += w[f] * features[f][doc];
      scores[doc] = score;
      order.push(doc);
    }
    order.sort((a, b) => scores[b] - scores[a] || a - b);
    return order.slice(0, Math.max(0, top)).map((doc) => {
      const reason = evidence?.reason(doc);
      return { record: this.docs[doc].record, score: Math.round(scores[doc] * 1e4) / 1e4, ...(reason ? { inSitu: reason } : {}) };
    });
  }
}
