/**
 * In-situ evidence for ranking a sentence's candidate sources: what the rest of the manuscript already
 * cites. A user asks for a source for one sentence while the others keep their citations, and those say
 * a lot: the references cited in the same paragraph and section, the sentences that cite each reference
 * (document expansion: a reference is described by the sentences citing it), the references cited
 * together with the ones cited nearby (co-citation), and whether a reference is cited anywhere else.
 *
 * {@link ManuscriptCitations} is built once per manuscript text (its sentences, their citations resolved
 * to library entries, and an index of the citing sentences); {@link ManuscriptCitations.evidence} then
 * gives the features of every library entry for one sentence, in well under a millisecond for 600 entries.
 * The citations inside the query's span are never evidence for it: they are what is being asked for.
 */
import { extractCitations, isCrossReference, type ManuscriptLanguage } from '../../manuscript/citations';
import { readSentences } from '../../manuscript/document';
import type { LiteratureRecord } from '../types';
import { tokenize } from './tokenize';

/** The in-situ features, in the order {@link InSituEvidence.features} holds them. */
export const IN_SITU_FEATURE_NAMES = [
  'citedInParagraph', 'citedNearby', 'citedInSection', 'citedElsewhere', 'notCitedElsewhere', 'citingSentences', 'coCited', 'closeness',
] as const;

/** A span of the manuscript (UTF-16 offsets, end exclusive). */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

/** One sentence of the manuscript as the in-situ evidence sees it. */
interface CitingSentence {
  readonly start: number;
  readonly end: number;
  /** The sentence as the reader sees it (citations removed). */
  readonly text: string;
  readonly paragraph: number;
  readonly section: number;
  /** Library entries (indices into the records) it cites, with their citation's offset. */
  readonly cites: { readonly doc: number; readonly offset: number }[];
}

/** Why one entry ranks where it does, for display ("cited 3 times nearby: …"). */
export interface InSituReason {
  /** Citations of the entry in the same paragraph (the query's own span excluded). */
  readonly inParagraph: number;
  /** Citations in the paragraphs just before and after. */
  readonly nearby: number;
  /** Citations anywhere else in the manuscript. */
  readonly elsewhere: number;
  /** Entries cited nearby that are often cited together with it. */
  readonly coCitedWith: number;
  /** The closest sentence that cites it (text as the reader sees it), when there is one. */
  readonly example?: string;
}

/** The in-situ features of every library entry for one query. */
export interface InSituEvidence {
  /** One array per {@link IN_SITU_FEATURE_NAMES} entry, indexed like the library's records. */
  readonly features: readonly Float64Array[];
  /** Whether an entry has evidence strong enough to be a candidate without matching a word. */
  readonly candidate: Uint8Array;
  /** The reason of one entry (cheap: computed on demand for the hits shown). */
  reason(doc: number): InSituReason | undefined;
}

/** The library keys a citation may use for a record: its id (CSL id or BibTeX key) and its identifiers. */
export function citationKeysOf(record: LiteratureRecord): string[] {
  const keys: string[] = [];
  if (record.libraryId) keys.push(record.libraryId, record.libraryId.toLowerCase());
  if (record.doi) keys.push(`doi:${record.doi.toLowerCase()}`);
  if (record.pmid) keys.push(`pmid:${record.pmid}`);
  if (record.pmcid) keys.push(`pmcid:${record.pmcid.toUpperCase()}`);
  return keys;
}

function normaliseCitedKey(key: string): string[] {
  const match = /^(doi|pmid|pmcid):(.+)$/i.exec(key);
  if (!match) return [key, key.toLowerCase()];
  const prefix = match[1].toLowerCase();
  const value = match[2].trim();
  if (prefix === 'doi') return [`doi:${value.toLowerCase()}`];
  if (prefix === 'pmcid') return [`pmcid:${value.toUpperCase().replace(/^(?!PMC)/, 'PMC')}`];
  return [`pmid:${value}`];
}

/**
 * The citations of one manuscript resolved to library entries, ready to give in-situ evidence.
 */
export class ManuscriptCitations {
  private readonly sentences: CitingSentence[] = [];
  /** For each entry, the sentences citing it. */
  private readonly citingSentencesOf: number[][];
  /** Citing-sentence index: term → (entry, sentence, count). */
  private readonly contextPostings = new Map<string, { doc: number; sentence: number; count: number }[]>();
  private readonly contextLength: Float64Array;
  private readonly contextIdf = new Map<string, number>();
  private readonly averageContextLength: number;
  /** Keys cited in the manuscript that match no library entry. */
  readonly unresolvedKeys: ReadonlySet<string>;
  /** How many citations resolved to a library entry. */
  readonly resolvedCitations: number;

  /**
   * @param records The library, in the order the ranking indexes it.
   * @param text The manuscript.
   * @param language `markdown` or `latex`.
   */
  constructor(
    private readonly records: readonly LiteratureRecord[],
    text: string,
    language: ManuscriptLanguage,
  ) {
    const byKey = new Map<string, number>();
    records.forEach((record, doc) => {
      for (const key of citationKeysOf(record)) if (!byKey.has(key)) byKey.set(key, doc);
    });
    const unresolved = new Set<string>();
    const citations = extractCitations(text, language).filter((citation) => citation.kind !== 'numeric' && citation.kind !== 'superscript');
    const documentSentences = readSentences(text, language);
    let paragraph = -1;
    let section = -1;
    let previousSection: string | undefined;
    for (const sentence of documentSentences) {
      if (sentence.indexInParagraph === 0) paragraph++;
      const sectionKey = sentence.headingPath.join('\u0000');
      if (sectionKey !== previousSection) {
        section++;
        previousSection = sectionKey;
      }
      this.sentences.push({ start: sentence.startOffset, end: sentence.endOffset, text: sentence.text, paragraph, section, cites: [] });
    }
    let resolved = 0;
    let cursor = 0;
    for (const citation of citations) {
      // The sentence holding the citation: the last one starting at or before it (citations between sentences belong to the one before).
      while (cursor + 1 < this.sentences.length && this.sentences[cursor + 1].start <= citation.start) cursor++;
      const owner = this.sentences[cursor];
      if (!owner) break;
      for (const key of citation.keys) {
        if (isCrossReference(key)) continue;
        const doc = normaliseCitedKey(key).map((k) => byKey.get(k)).find((d) => d !== undefined);
        if (doc === undefined) {
          unresolved.add(key);
          continue;
        }
        resolved++;
        if (!owner.cites.some((c) => c.doc === doc)) owner.cites.push({ doc, offset: citation.start });
      }
    }
    this.unresolvedKeys = unresolved;
    this.resolvedCitations = resolved;
    this.citingSentencesOf = records.map(() => []);
    this.contextLength = new Float64Array(records.length);
    const documentFrequency = new Map<string, Set<number>>();
    this.sentences.forEach((sentence, index) => {
      if (sentence.cites.length === 0) return;
      const counts = new Map<string, number>();
      const terms = tokenize(sentence.text);
      for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const { doc } of sentence.cites) {
        this.citingSentencesOf[doc].push(index);
        this.contextLength[doc] += terms.length;
        for (const [t, count] of counts) {
          let list = this.contextPostings.get(t);
          if (!list) this.contextPostings.set(t, (list = []));
          list.push({ doc, sentence: index, count });
          let docs = documentFrequency.get(t);
          if (!docs) documentFrequency.set(t, (docs = new Set()));
          docs.add(doc);
        }
      }
    });
    const withContext = this.citingSentencesOf.filter((list) => list.length > 0).length;
    this.averageContextLength = withContext > 0 ? this.contextLength.reduce((a, b) => a + b, 0) / withContext : 1;
    for (const [t, docs] of documentFrequency) this.contextIdf.set(t, Math.log(1 + (withContext - docs.size + 0.5) / (docs.size + 0.5)));
  }

  /** Whether the manuscript cites any library entry (if not, in-situ evidence says nothing). */
  get hasCitations(): boolean {
    return this.resolvedCitations > 0;
  }

  /** The sentences overlapping a span (at least the one nearest to it). */
  private sentencesOf(span: TextSpan): number[] {
    const out: number[] = [];
    let nearest = -1;
    let nearestDistance = Infinity;
    this.sentences.forEach((sentence, index) => {
      if (sentence.start < Math.max(span.end, span.start + 1) && sentence.end > span.start) out.push(index);
      const distance = sentence.start > span.start ? sentence.start - span.start : Math.max(0, span.start - sentence.end);
      if (distance < nearestDistance) {
        nearestDistance = distance;
        nearest = index;
      }
    });
    return out.length > 0 ? out : nearest >= 0 ? [nearest] : [];
  }

  /**
   * The in-situ features of every entry for the sentence at `span`; citations inside the span are ignored.
   * @param span The query sentence in the manuscript, its own citation tags included.
   * @param queryText The sentence's text (for the citing-sentence match).
   */
  evidence(span: TextSpan, queryText: string): InSituEvidence {
    const n = this.records.length;
    const features = IN_SITU_FEATURE_NAMES.map(() => new Float64Array(n));
    const [paragraphF, nearbyF, sectionF, elsewhereF, notCitedF, contextF, coCitedF, closenessF] = features;
    const candidate = new Uint8Array(n);
    const own = this.sentencesOf(span);
    const ownSet = new Set(own);
    const anchor = own[0] ?? -1;
    const here = anchor >= 0 ? this.sentences[anchor] : undefined;
    const inSpan = (offset: number): boolean => offset >= span.start && offset < span.end;
    const counts = { paragraph: new Float64Array(n), nearby: new Float64Array(n), section: new Float64Array(n), all: new Float64Array(n) };
    const closest = new Float64Array(n).fill(Infinity);
    const closestSentence = new Int32Array(n).fill(-1);
    /** Entries cited in the query's paragraph or right beside it: the seeds of co-citation. */
    const seeds = new Map<number, number>();
    this.sentences.forEach((sentence, index) => {
      for (const { doc, offset } of sentence.cites) {
        // The span's own citations are what is being asked for; another citation in the same sentence still counts.
        if (inSpan(offset)) continue;
        counts.all[doc]++;
        if (!here) continue;
        const distance = Math.abs(index - anchor);
        if (distance < closest[doc]) {
          closest[doc] = distance;
          closestSentence[doc] = index;
        }
        if (sentence.paragraph === here.paragraph) {
          counts.paragraph[doc]++;
          seeds.set(doc, Math.max(seeds.get(doc) ?? 0, 1));
        } else if (Math.abs(sentence.paragraph - here.paragraph) === 1) {
          counts.nearby[doc]++;
          seeds.set(doc, Math.max(seeds.get(doc) ?? 0, 0.5));
        }
        if (sentence.section === here.section) counts.section[doc]++;
      }
    });
    // "Cited nowhere else" says "this entry was added for a sentence still to cite" only in a
    // bibliography that is mostly cited already; in a Zotero library of thousands it says nothing.
    let citedEntries = 0;
    for (let doc = 0; doc < n; doc++) if (counts.all[doc] > 0) citedEntries++;
    const citedShare = n > 0 ? citedEntries / n : 0;
    for (let doc = 0; doc < n; doc++) {
      paragraphF[doc] = Math.log1p(counts.paragraph[doc]);
      nearbyF[doc] = Math.log1p(counts.nearby[doc]);
      sectionF[doc] = Math.log1p(counts.section[doc]);
      elsewhereF[doc] = Math.log1p(counts.all[doc]);
      notCitedF[doc] = counts.all[doc] === 0 ? citedShare : 0;
      closenessF[doc] = Number.isFinite(closest[doc]) ? 1 / (1 + closest[doc]) : 0;
      if (counts.paragraph[doc] > 0 || counts.nearby[doc] > 0) candidate[doc] = 1;
    }
    // Co-citation: entries cited in the same sentence as a seed, elsewhere in the manuscript.
    const coCitedSeeds = new Map<number, Set<number>>();
    for (const [seed, weight] of seeds) {
      for (const index of this.citingSentencesOf[seed]) {
        if (ownSet.has(index)) continue;
        const sentence = this.sentences[index];
        for (const { doc, offset } of sentence.cites) {
          if (doc === seed || inSpan(offset)) continue;
          coCitedF[doc] += weight / Math.sqrt(sentence.cites.length);
          let seen = coCitedSeeds.get(doc);
          if (!seen) coCitedSeeds.set(doc, (seen = new Set()));
          seen.add(seed);
        }
      }
    }
    for (let doc = 0; doc < n; doc++) if (coCitedF[doc] > 0) coCitedF[doc] = Math.log1p(coCitedF[doc]);
    // Document expansion: BM25 of the sentence's words over the sentences citing each entry, the query's own excluded.
    const k1 = 1.2;
    const b = 0.75;
    const tf = new Map<number, Map<string, number>>();
    const queryTerms = new Set(tokenize(queryText));
    for (const t of queryTerms) {
      const list = this.contextPostings.get(t);
      if (!list) continue;
      for (const { doc, sentence, count } of list) {
        if (ownSet.has(sentence)) continue;
        let perDoc = tf.get(doc);
        if (!perDoc) tf.set(doc, (perDoc = new Map()));
        perDoc.set(t, (perDoc.get(t) ?? 0) + count);
      }
    }
    for (const [doc, perDoc] of tf) {
      const norm = 1 - b + (b * this.contextLength[doc]) / this.averageContextLength;
      let score = 0;
      for (const [t, count] of perDoc) score += (this.contextIdf.get(t) ?? 0) * ((count * (k1 + 1)) / (count + k1 * norm));
      contextF[doc] = score;
      if (score > 0) candidate[doc] = 1;
    }
    const sentences = this.sentences;
    return {
      features,
      candidate,
      reason(doc: number): InSituReason | undefined {
        if (doc < 0 || doc >= n) return undefined;
        const example = closestSentence[doc] >= 0 ? sentences[closestSentence[doc]].text.replace(/\s+/g, ' ').trim() : undefined;
        const reason: InSituReason = {
          inParagraph: counts.paragraph[doc],
          nearby: counts.nearby[doc],
          elsewhere: counts.all[doc],
          coCitedWith: coCitedSeeds.get(doc)?.size ?? 0,
          ...(example ? { example: example.length > 200 ? `${example.slice(0, 199)}…` : example } : {}),
        };
        return reason.elsewhere > 0 || reason.coCitedWith > 0 ? reason : undefined;
      },
    };
  }
}
