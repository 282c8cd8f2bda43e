/**
 * Turns a manuscript sentence into a keyword query for each service, without an LLM: citation and
 * markup remnants are removed, stopwords and research filler dropped, and the specific terms kept
 * first (gene and protein symbols, acronyms, hyphenated and Greek-letter terms, long words).
 */
import type { OnlineService } from './http';

const stopwords = new Set(
  `a about above across after again against all almost along already also although always am among an and another any are around as at
  be became because become been before being below between both but by can cannot could did do does doing done down due during each either
  else enough especially even ever every few for from further had has have having he her here hers him his how however i if in into is it
  its itself just least less like made main mainly make many may me might more most mostly much must my neither no nor not now of off often
  on once one only or other others otherwise our ours out over own per perhaps rather same several she should since so some such than that
  the their theirs them then there therefore these they this those though through thus to too toward towards under until up upon us use used
  uses using very via was we were what whatever when where whereas whether which while who whom whose why will with within without would yet
  you your also well including include includes included various via i.e e.g etc et al fig figure figures table tables section sections
  study studies studied show shows showed shown demonstrate demonstrates demonstrated demonstrating suggest suggests suggested suggesting
  report reports reported reporting find finds found finding findings result results resulted resulting observe observes observed
  indicate indicates indicated indicating known previously previous recent recently recent new novel approach approaches method methods
  paper papers work works author authors propose proposes proposed present presents presented describe describes described evidence
  data analysis analyses role important importance significant significantly particular particularly specific specifically several
  number numbers large small high low higher lower increase increased increases decrease decreased decreases different difference
  differences similar similarly respectively able ability example examples common commonly widely wide often usually typically generally
  potential potentially possible possibly likely first second third one two three many key major given based related associated
  association across among certain number way ways thereby hence moreover furthermore additionally addition because whereas although
  consider considered considering lead leads leading led provide provides provided providing remain remains remained
  need needs needed improve improves improved improving enable enables enabled allow allows allowed help helps helped`.split(/\s+/),
);

/** A keyword with how specific it is. */
export interface Keyword {
  /** As it will be sent (acronyms keep their case, other words are lower-cased). */
  readonly text: string;
  /** 3: symbol, acronym, hyphenated or with digits; 2: long or Greek-letter word; 1: other content word. */
  readonly weight: number;
}

/**
 * Removes citations, cross-references, math, links and markup, keeping the words of a sentence.
 * @param sentence Markdown, Pandoc, Manubot or LaTeX text.
 */
export function stripCitationMarkup(sentence: string): string {
  return (
    sentence
      // Pandoc/Manubot citation brackets and bare @keys, LaTeX \cite-like commands and references.
      .replace(/\[[^\]]*@[^\]]*\]/g, ' ')
      .replace(/(^|[\s(;])-?@[\w:./-]+/g, '$1 ')
      .replace(/\\(?:[a-zA-Z]*cite[a-zA-Z]*|ref|eqref|cref|Cref|autoref|label|footnote|url|href)\*?(?:\[[^\]]*\])*\{[^}]*\}(?:\{[^}]*\})?/g, ' ')
      // Numeric citations [1], [2-4, 7], superscript ^1,2^, footnotes [^1].
      .replace(/\[\^?[\d,\s–-]+\]|\^[\d,\s–-]+\^|\[\^[^\]]*\]/g, ' ')
      // Author-year parentheticals: (Smith et al., 2019; Jones 2020).
      .replace(/\([^()]*\b(?:et al\.?|\d{4}[a-z]?)\b[^()]*\)/g, (match) => (/\b(?:19|20)\d{2}[a-z]?\b/.test(match) ? ' ' : match))
      // Links keep their text; URLs and DOIs go.
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/https?:\/\/\S+|\bdoi:\s*\S+|\b10\.\d{4,9}\/\S+/gi, ' ')
      // Math, HTML tags, remaining LaTeX commands (their braced argument stays as text).
      .replace(/\$\$[\s\S]*?\$\$|\$[^$]*\$/g, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\\[a-zA-Z]+\*?/g, ' ')
      .replace(/[{}*_`~#>|]/g, ' ')
      .replace(/\bet al\.?/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

const tokenPattern = /[\p{L}\p{N}](?:[\p{L}\p{N}'’+/.&-]*[\p{L}\p{N}+])?/gu;
const greek = /[\u0370-\u03ff]|\b(?:alpha|beta|gamma|delta|epsilon|kappa|lambda|sigma|tau|theta|omega)\b/i;

/**
 * The content words of a sentence, most specific first (stable within a weight), without duplicates.
 * @param sentence The sentence, markup allowed.
 */
export function extractKeywords(sentence: string): Keyword[] {
  const text = stripCitationMarkup(sentence);
  const seen = new Set<string>();
  const keywords: (Keyword & { position: number })[] = [];
  let position = 0;
  for (const match of text.matchAll(tokenPattern)) {
    let token = match[0].replace(/[.’']+$/, '').replace(/’/g, "'");
    if (token.endsWith("'s")) token = token.slice(0, -2);
    if (token === '') continue;
    const lower = token.toLowerCase();
    if (stopwords.has(lower)) continue;
    if (/^\d+([.,]\d+)?%?$/.test(token)) continue;
    const upperCount = (token.match(/\p{Lu}/gu) ?? []).length;
    const isSymbol = upperCount >= 2 || (/\d/.test(token) && /\p{L}/u.test(token)) || (upperCount >= 1 && /^\p{Ll}/u.test(token));
    const isHyphenated = /[-/+]/.test(token) && /\p{L}/u.test(token);
    if (!isSymbol && !isHyphenated && token.length < 3) continue;
    // Quantities such as “30-day” narrow a query less than a named entity does.
    const weight = (isSymbol || isHyphenated) && !/^\d/.test(token) ? 3 : isSymbol || isHyphenated || token.length >= 8 || greek.test(token) ? 2 : 1;
    const sent = isSymbol ? token : lower;
    if (seen.has(sent.toLowerCase())) continue;
    seen.add(sent.toLowerCase());
    keywords.push({ text: sent, weight, position: position++ });
  }
  return keywords.sort((a, b) => b.weight - a.weight || a.position - b.position).map(({ text: keyword, weight }) => ({ text: keyword, weight }));
}

/** Options of {@link keywordQuery}. */
export interface KeywordQueryOptions {
  /** `all`: every term required (precise); `any`: any term, ranked by the service (broad) (optional; default: `all`). */
  readonly mode?: 'all' | 'any';
  /** Most terms (optional; default: 5 for `all`, 10 for `any` and for Crossref). */
  readonly maxTerms?: number;
}

/**
 * A keyword query for one service, built from a sentence without an LLM.
 * PubMed and Europe PMC get boolean syntax (`AND`/`OR`, phrases quoted); Crossref gets a bag of words for
 * `query.bibliographic`; OpenAlex gets words for `search` (joined with `OR` in `any` mode).
 * @param sentence The sentence, markup allowed.
 * @param service The service (optional; default: `pubmed`).
 * @param options Mode and size (optional).
 * @returns The query, or '' when the sentence has no content words.
 */
export function keywordQuery(sentence: string, service: OnlineService = 'pubmed', options: KeywordQueryOptions = {}): string {
  const mode = options.mode ?? 'all';
  const maxTerms = options.maxTerms ?? (service === 'crossref' ? 10 : mode === 'all' ? 5 : 10);
  const keywords = extractKeywords(sentence).slice(0, maxTerms);
  // Sentence order reads better in logs and helps services that weigh proximity.
  const order = new Map(extractKeywords(sentence).map((keyword, index) => [keyword.text, index]));
  const inSentenceOrder = keywords.map((keyword) => keyword.text);
  const sentenceText = stripCitationMarkup(sentence).toLowerCase();
  inSentenceOrder.sort((a, b) => positionIn(sentenceText, a) - positionIn(sentenceText, b) || (order.get(a) ?? 0) - (order.get(b) ?? 0));
  if (inSentenceOrder.length === 0) return '';
  switch (service) {
    case 'pubmed':
    case 'europepmc': {
      const terms = inSentenceOrder.map((term) => (/^[\p{L}\p{N}-]+$/u.test(term) ? term : `"${term.replace(/"/g, '')}"`));
      return terms.join(mode === 'all' ? ' AND ' : ' OR ');
    }
    case 'crossref':
      return inSentenceOrder.join(' ');
    case 'openalex':
      return inSentenceOrder.map((term) => term.replace(/[":()]/g, ' ').trim()).join(mode === 'all' ? ' ' : ' OR ');
  }
}

function positionIn(text: string, term: string): number {
  const at = text.indexOf(term.toLowerCase());
  return at === -1 ? Number.MAX_SAFE_INTEGER : at;
}
