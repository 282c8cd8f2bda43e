/**
 * Feature extraction for the citation-worthiness scorer: hashed words and word pairs of the
 * sentence (and, in their own namespaces, of its neighbours and headings), plus named features
 * for where the sentence stands and the signals that a claim needs a source.
 * Pure TypeScript, no I/O: shared by the scorer, the training script and the evaluation.
 */

/** The scorer's input: one sentence with the context a reader sees around it. */
export interface SentenceForScoring {
  /** The sentence as the reader sees it, citations removed; inline math or code may be placeholders. */
  readonly text: string;
  /** Headings above the sentence, outermost first; `[]` if none. */
  readonly headingPath: readonly string[];
  /** The previous sentence of the same paragraph (optional; absent for the first one). */
  readonly previousText?: string;
  /** The next sentence of the same paragraph (optional; absent for the last one). */
  readonly nextText?: string;
  /** 0-based position of the sentence in its paragraph. */
  readonly indexInParagraph: number;
  /** Number of sentences in the paragraph (at least 1). */
  readonly paragraphSentenceCount: number;
  /** The sentence is inside a list item. */
  readonly inListItem: boolean;
  /** The sentence is inside a table cell. */
  readonly inTableCell: boolean;
}

/** Where a paragraph stands, for {@link sentenceInParagraph}. */
export interface ParagraphPlace {
  /** Headings above the paragraph, outermost first. */
  readonly headingPath: readonly string[];
  readonly inListItem: boolean;
  readonly inTableCell: boolean;
}

/**
 * The scorer's input for one sentence of a paragraph, with its neighbours. The checker and the
 * training scripts both build inputs here, so the model is trained on what it is later shown.
 * @param texts The paragraph's sentences, in order.
 * @param index Which one.
 * @param place The paragraph's headings and block kind.
 */
export function sentenceInParagraph(texts: readonly string[], index: number, place: ParagraphPlace): SentenceForScoring {
  return {
    text: texts[index],
    headingPath: place.headingPath,
    previousText: index > 0 ? texts[index - 1] : undefined,
    nextText: index + 1 < texts.length ? texts[index + 1] : undefined,
    indexInParagraph: index,
    paragraphSentenceCount: texts.length,
    inListItem: place.inListItem,
    inTableCell: place.inTableCell,
  };
}

/** Coarse kind of manuscript section, derived from the heading path. */
export type SectionKind =
  | 'abstract'
  | 'introduction'
  | 'background'
  | 'related'
  | 'methods'
  | 'results'
  | 'discussion'
  | 'conclusion'
  | 'availability'
  | 'backmatter'
  | 'other'
  | 'none';

/** Every section kind, in a fixed order (the order of the named features). */
export const SECTION_KINDS: readonly SectionKind[] = [
  'abstract',
  'introduction',
  'background',
  'related',
  'methods',
  'results',
  'discussion',
  'conclusion',
  'availability',
  'backmatter',
  'other',
  'none',
];

// Longest text looked at: features of a sentence are settled well before this, and it bounds
// the work on pathological input (a 10 MB "sentence").
const MAX_TEXT = 4000;
const MAX_HEADING = 200;

const SECTION_PATTERNS: ReadonlyArray<readonly [SectionKind, RegExp]> = [
  ['abstract', /^(abstract|summary|author summary|significance|synopsis|highlights)\b/],
  ['introduction', /^(introduction|intro)\b/],
  ['background', /^(background|motivation)\b/],
  ['related', /\b(related work|prior work|previous work|related (surveys|literature|research|studies)|literature review|state of the art)\b/],
  ['methods', /^(materials and methods|methods and materials|methods?|methodology|star.?methods|online methods|materials|experimental( (procedures|design|section|setup|methods))?$|patients and methods|subjects and methods|participants|study (design|population|participants)|data (sources?|collection)|statistical (analys[ie]s|methods)|implementation$|data( and methods)?$|datasets?$)\b/],
  ['results', /^(results?\b|findings\b|case (reports?|presentations?|descriptions?|series)\b|(experiments?|experimental results|evaluation|benchmarks?)$)/],
  ['discussion', /^(discussion|general discussion|limitations|strengths and limitations|implications)\b/],
  ['conclusion', /^(conclusions?|concluding remarks|summary and conclusions?|outlook|future directions|perspectives?)\b/],
  ['availability', /\b(availability|code and data|data and code|data access|software)\b/],
  ['backmatter', /^(acknowledge?ments?|funding|author contributions?|competing interests?|conflicts? of interests?|declarations?|references|bibliography|supplement(al|ary)?|appendix|appendices|abbreviations|ethics)\b/],
];

// Korean section headings (\b does not work next to Hangul, so these are anchored on their own).
const KO_SECTION_PATTERNS: ReadonlyArray<readonly [SectionKind, RegExp]> = [
  ['abstract', /^(국문 ?|영문 ?)?(초록|요약|요지)/],
  ['introduction', /^(서론|서 론|들어가며|머리말)/],
  ['background', /^(연구 ?)?배경/],
  ['methods', /^(연구 ?방법|재료 ?및 ?방법|대상 ?및 ?방법|방법|통계 ?분석|연구 ?대상|자료 ?수집|실험 ?방법)/],
  ['results', /^(연구 ?)?결과/],
  ['discussion', /^(고찰|고 찰|논의|토의|제한점)/],
  ['conclusion', /^(결론|결 론|맺음말)/],
  ['backmatter', /^(감사의 ?글|사사|참고 ?문헌|이해 ?상충|연구비|저자 ?기여|부록)/],
];

/** Heading text without Pandoc attributes (`{#id .class}`), numbering and markup, lowercased. */
export function normalizeHeading(heading: string): string {
  return heading
    .slice(0, MAX_HEADING)
    .replace(/\{[^}]*\}\s*$/, '')
    .replace(/[*_`#]/g, '')
    .replace(/\s*&\s*/g, ' and ')
    .replace(/^\s*(\d+(\.\d+)*\.?|[ivx]+\.|[a-z]\.)\s+/i, '')
    .trim()
    .toLowerCase();
}

/** The kind of one heading, or undefined when it names a topic rather than a section kind. */
export function headingKind(heading: string): SectionKind | undefined {
  const text = normalizeHeading(heading);
  for (const [kind, pattern] of SECTION_PATTERNS) if (pattern.test(text)) return kind;
  if (HANGUL.test(text)) for (const [kind, pattern] of KO_SECTION_PATTERNS) if (pattern.test(text)) return kind;
  return undefined;
}

/**
 * The section kind of a heading path: the outermost heading that names a kind ("Results" in
 * Results › Cell typing), `other` when no heading does, `none` when there are no headings.
 */
export function sectionKindOf(headingPath: readonly string[]): SectionKind {
  if (headingPath.length === 0) return 'none';
  for (const heading of headingPath) {
    const kind = headingKind(heading);
    if (kind) return kind;
  }
  return 'other';
}

/** Innermost heading kind when it differs from the outer one (Abstract › Background), else undefined. */
function subsectionKindOf(headingPath: readonly string[], outer: SectionKind): SectionKind | undefined {
  for (let i = headingPath.length - 1; i >= 1; i--) {
    const kind = headingKind(headingPath[i]);
    if (kind) return kind === outer ? undefined : kind;
  }
  return undefined;
}

/**
 * Text with Markdown markup, links, URLs, inline math and code reduced to plain words and
 * placeholders, so text from the editor and from training data look alike.
 */
export function normalizeText(text: string): string {
  // Each rewrite runs only when its trigger character is present: most sentences have none.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed here
  let t = text.slice(0, MAX_TEXT).replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, ' ');
  if (t.includes('](')) t = t.replace(/!?\[([^\]]{0,400})\]\([^)\s]{0,400}\)/g, '$1');
  if (t.includes('http')) t = t.replace(/<https?:[^>\s]*>|https?:\/\/\S+/g, ' urltoken ');
  if (t.includes('$')) t = t.replace(/\$\$?[^$]{0,400}\$\$?/g, ' mathtoken ');
  if (t.includes('`')) t = t.replace(/`[^`]{0,400}`/g, ' codetoken ');
  if (t.includes('*') || t.includes('_')) t = t.replace(/[*]+|(^|\s)_+|_+(\s|$)/g, '$1$2');
  return t.replace(/\s+/g, ' ').trim();
}

/** Lowercased word tokens, with numbers folded into `<num>`, `<pct>`, `<year>` and `<dec>`. */
export function tokenize(normalized: string): string[] {
  const tokens: string[] = [];
  const re = /[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'’-]*|\d+(?:[.,]\d+)*\s?%?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(normalized)) !== null) {
    const t = m[0];
    const c = t.charCodeAt(0);
    if (c >= 48 && c <= 57) {
      if (t.endsWith('%')) tokens.push('<pct>');
      else if (/^(19|20)\d\d$/.test(t)) tokens.push('<year>');
      else if (/[.,]/.test(t)) tokens.push('<dec>');
      else tokens.push('<num>');
    } else {
      let w = t.toLowerCase();
      if (w.endsWith("'s") || w.endsWith('’s')) w = w.slice(0, -2);
      while (w.endsWith('-') || w.endsWith("'") || w.endsWith('’')) w = w.slice(0, -1);
      tokens.push(w);
    }
  }
  return tokens;
}

// First words of every cue phrase: tokens that are none of them are skipped at once.
const CUE_FIRST_WORDS = new Set<string>();

/**
 * A class of cue phrases (one to four lowercased tokens as {@link tokenize} produces them),
 * matched by one pass over the tokens: far cheaper than a regex with many alternatives.
 */
class CueSet {
  private readonly byFirst = new Map<string, string[][]>();

  /** @param phrases the cue phrases, words separated by spaces */
  constructor(phrases: readonly string[]) {
    for (const phrase of phrases) {
      const words = phrase.split(' ');
      const list = this.byFirst.get(words[0]) ?? [];
      list.push(words);
      this.byFirst.set(words[0], list);
      CUE_FIRST_WORDS.add(words[0]);
    }
  }

  /** Number of cue occurrences starting at the given token positions, stopping at `cap`. */
  count(tokens: readonly string[], positions: readonly number[], cap: number): number {
    let n = 0;
    for (let p = 0; p < positions.length && n < cap; p++) {
      const i = positions[p];
      const candidates = this.byFirst.get(tokens[i]);
      if (!candidates) continue;
      for (const words of candidates) {
        let ok = true;
        for (let j = 1; j < words.length; j++) {
          if (tokens[i + j] !== words[j]) {
            ok = false;
            break;
          }
        }
        if (ok) {
          n++;
          break;
        }
      }
    }
    return n;
  }
}

const HEDGES = new CueSet(['may', 'might', 'could', 'can', 'possibly', 'possible', 'potentially', 'potential', 'likely', 'unlikely', 'suggest', 'suggests', 'suggested', 'suggesting', 'appear', 'appears', 'seem', 'seems', 'perhaps', 'probably', 'putative', 'presumably', 'hypothesis', 'hypotheses', 'hypothesized', 'thought to', 'believed']);
const PRIOR_WORK = new CueSet([
  'has been', 'have been', 'had been', 'previous', 'previously', 'prior work', 'prior studies', 'prior research', 'recent', 'recently', 'earlier work', 'earlier studies',
  'studies', 'literature', 'researchers', 'investigators', 'others have', 'other groups', 'et al', 'reported', 'established', 'well-known', 'well known', 'widely', 'commonly',
  'traditionally', 'historically', 'to date', 'so far',
]);
const SUPERLATIVE = new CueSet(['first', 'most common', 'most frequent', 'most widely', 'most popular', 'most prevalent', 'most important', 'most often', 'leading', 'largest', 'main', 'major', 'best', 'state-of-the-art', 'state of the art', 'gold standard', 'novel', 'pioneering', 'pioneered', 'seminal', 'landmark']);
const COMPARATIVE = new CueSet(['than', 'outperform', 'outperforms', 'outperformed', 'outperforming', 'superior', 'inferior', 'better', 'worse', 'improve', 'improves', 'improved', 'improvement', 'improvements', 'higher', 'lower', 'greater', 'fewer', 'faster', 'slower', 'compared to', 'compared with', 'in contrast', 'whereas', 'unlike']);
const PREVALENCE = new CueSet(['prevalence', 'incidence', 'mortality', 'morbidity', 'worldwide', 'globally', 'million', 'millions', 'billion', 'affect', 'affects', 'affected', 'affecting', 'prevalent', 'leading cause', 'risk factor', 'risk factors', 'death', 'deaths', 'cases', 'epidemic', 'burden', 'estimated', 'annually', 'per year', 'each year', 'population']);
const EXAMPLE = new CueSet(['for example', 'for instance', 'e g', 'such as', 'including', 'include', 'includes', 'like']);
const GENERALITY = new CueSet(['many', 'several', 'numerous', 'various', 'variety', 'a number of', 'multiple', 'some', 'most', 'often', 'typically', 'usually', 'generally', 'frequently', 'increasingly', 'widely', 'common', 'commonly']);
const FIRST_PERSON = new CueSet(['we', 'our', 'ours', 'us', 'ourselves']);
const THIS_WORK = new CueSet([
  'this study', 'this paper', 'this work', 'this article', 'this manuscript', 'this review', 'this analysis', 'this approach', 'this tip', 'this section', 'this report',
  'the present study', 'the present work', 'the current study', 'the current work', 'here', 'in summary',
]);
const FIGURE_WORDS = new CueSet(['fig', 'figs', 'figure', 'figures', 'table', 'tables', 'panel', 'panels', 'supplementary', 'additional file', 'appendix']);
const OWN_VERBS = new Set(['found', 'observed', 'identified', 'trained', 'used', 'performed', 'applied', 'obtained', 'measured', 'collected', 'selected', 'computed', 'calculated', 'developed', 'designed', 'evaluated', 'compared', 'analyzed', 'analysed', 'tested', 'implemented', 'estimated', 'show', 'showed', 'shown', 'demonstrate', 'demonstrated', 'propose', 'proposed', 'introduce', 'introduced', 'present', 'presented', 'describe', 'described', 'generated', 'built', 'created']);
const METHOD_PARTICIPLES = new Set(['used', 'performed', 'applied', 'obtained', 'measured', 'collected', 'selected', 'computed', 'calculated', 'estimated', 'trained', 'tested', 'evaluated', 'run', 'processed', 'filtered', 'normalized', 'normalised', 'removed', 'excluded', 'included', 'generated', 'downloaded', 'aligned', 'mapped', 'quantified', 'incubated', 'centrifuged', 'stained', 'extracted', 'washed', 'diluted', 'sequenced', 'amplified', 'isolated', 'cultured', 'recruited', 'randomized', 'randomised', 'assessed', 'determined', 'analyzed', 'analysed', 'identified', 'defined', 'set', 'chosen', 'considered']);
const DATA_TOOL = new CueSet(['database', 'databases', 'dataset', 'datasets', 'data set', 'data sets', 'repository', 'repositories', 'consortium', 'atlas', 'package', 'packages', 'software', 'tool', 'tools', 'library', 'libraries', 'framework', 'frameworks', 'platform', 'platforms', 'algorithm', 'algorithms', 'resource', 'resources', 'server', 'portal', 'pipeline', 'pipelines', 'toolkit', 'benchmark', 'benchmarks']);
const STATS = /\b[pP]\s*(-?\s*values?)?\s*[<=>≤≥]\s*\.?\d|\b(95|99)\s*%|confidence interval|\b(odds|hazard|risk) ratio|\b(OR|HR|RR|CI|SD|SEM|AUC|AUROC|AUPRC)\s*[=:]|±|\bn\s*=\s*\d|\br\s*=\s*-?0?\.\d|standard deviation|statistically significant/;
const FIGURE_REF = /@(fig|tbl|eq|sec):|@(fig|tbl|eq|sec)-[A-Za-z0-9]|\b(Fig|Figs|Figure|Figures|Table|Tables|Panel|Supplementary [A-Z][a-z]+)\.?\s*[A-Z]?\d/;
const DEFINITION = /^[A-Z][^,;]{0,80}\b(is|are) (a|an|the) /;
const QUOTE = /["“”]/;
const STARTS_THESE = new Set(['these', 'this', 'they', 'such', 'it', 'its', 'their']);

/** Names of the features computed from a sentence's text alone (also computed for its neighbours). */
export const TEXT_FEATURES: readonly string[] = [
  'length:words',
  'length:short',
  'length:long',
  'hedge',
  'priorWork',
  'superlative',
  'comparative',
  'prevalence',
  'example',
  'generality',
  'firstPerson',
  'weStart',
  'thisWork',
  'figureRef',
  'statistics',
  'ownAction',
  'methodVerb',
  'definition',
  'presentPerfect',
  'year',
  'etAl',
  'dataTool',
  'quote',
  'numbers',
  'percent',
  'capitalized',
  'acronyms',
  'camelCase',
  'versionLike',
  'mixedAlnum',
  'url',
  'math',
  'code',
  'question',
  'colonEnd',
  'parenthetical',
  'startsThese',
];

/** Signals whose effect depends on the section; each gets one feature per section kind. */
const INTERACTING: readonly string[] = ['firstPerson', 'figureRef', 'statistics', 'priorWork', 'capitalized', 'presentPerfect', 'hedge'];

/** Names of the engineered features, in the order of the named weights of the model. */
export const NAMED_FEATURES: readonly string[] = [
  ...SECTION_KINDS.map((k) => `section:${k}`),
  ...SECTION_KINDS.map((k) => `subsection:${k}`),
  'headingDepth',
  'position:first',
  'position:last',
  'position:only',
  'position:relative',
  'paragraph:size',
  'inListItem',
  'inTableCell',
  ...TEXT_FEATURES,
  'prev:none',
  ...TEXT_FEATURES.map((n) => `prev:${n}`),
  'next:none',
  ...TEXT_FEATURES.map((n) => `next:${n}`),
  ...SECTION_KINDS.flatMap((k) => INTERACTING.map((n) => `${k}&${n}`)),
];

const TEXT_INDEX: ReadonlyMap<string, number> = new Map(TEXT_FEATURES.map((name, i) => [name, i]));
const NAMED_INDEX_OF = (name: string): number => NAMED_FEATURES.indexOf(name);
const OWN_SLOTS: readonly number[] = TEXT_FEATURES.map((n) => NAMED_INDEX_OF(n));
const PREV_SLOTS: readonly number[] = TEXT_FEATURES.map((n) => NAMED_INDEX_OF(`prev:${n}`));
const NEXT_SLOTS: readonly number[] = TEXT_FEATURES.map((n) => NAMED_INDEX_OF(`next:${n}`));
const NAMED_INDEX: ReadonlyMap<string, number> = new Map(NAMED_FEATURES.map((name, i) => [name, i]));

/** Feature vector of one sentence: hashed features by bucket, named features by name. */
export interface SentenceFeatures {
  /** Hash buckets of the word, word-pair, heading and neighbour features (may repeat). */
  readonly hashed: number[];
  /** Values of the named features, indexed like {@link NAMED_FEATURES} (0 when absent). */
  readonly named: Float64Array;
}

/** 32-bit FNV-1a hash of a string (deterministic across platforms). */
export function fnv1a(text: string): number {
  return fnvContinue(0x811c9dc5, text) >>> 0;
}

/** Continues an FNV-1a hash with more text: fnv1a(a + b) === fnvContinue(fnvContinue(seed, a), b) >>> 0. */
function fnvContinue(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

const FNV_WORD = fnvContinue(0x811c9dc5, 'w:');
const FNV_PAIR = fnvContinue(0x811c9dc5, 'b:');

function countMatches(text: string, re: RegExp, cap: number): number {
  // `re` is global: reset it, since global regexes keep state between calls.
  re.lastIndex = 0;
  let n = 0;
  while (n < cap && re.exec(text) !== null) n++;
  re.lastIndex = 0;
  return n;
}

const ACRONYM_G = /\b[A-Z][A-Z0-9]{1,}[a-z]?s?\b/g;
const CAMEL_G = /\b[a-z]+[A-Z][A-Za-z]*\b|\b[A-Z][a-z]+[A-Z][A-Za-z]*\b/g;
const MIXED_G = /\b(?=[A-Za-z-]*\d)(?=[\d-]*[A-Za-z])[A-Za-z0-9-]{2,}\b/g;
const PAREN_G = /\([^)]{0,200}\)/g;

function capitalizedCount(normalized: string): number {
  // Capitalised words not opening the sentence: named methods, tools, datasets, diseases.
  const words = normalized.split(' ');
  let n = 0;
  for (let i = 1; i < words.length && i < 400; i++) {
    const w = words[i];
    if (/^[A-Z][a-z]{2,}/.test(w) && !/[.:!?]$/.test(words[i - 1])) n++;
  }
  return n;
}

/** Options of feature extraction, fixed per model. */
export interface FeatureOptions {
  /** Number of hash buckets is `2 ** hashBits`. */
  readonly hashBits: number;
  /** Add word pairs of the sentence (default: true). */
  readonly bigrams?: boolean;
  /** Add the words of the headings (default: true). */
  readonly headingWords?: boolean;
  /** Add the words of the neighbouring sentences (default: false). */
  readonly neighbourWords?: boolean;
}

/** Values of {@link TEXT_FEATURES} for a normalized text and its tokens. */
export function textFeatures(text: string, tokens: readonly string[]): Float64Array {
  const v = new Float64Array(TEXT_FEATURES.length);
  const set = (name: string, value: number): void => {
    const i = TEXT_INDEX.get(name);
    if (i !== undefined) v[i] = value;
  };
  set('length:words', Math.min(Math.log1p(tokens.length) / Math.log(80), 1.5));
  set('length:short', tokens.length < 8 ? 1 : 0);
  set('length:long', tokens.length > 40 ? 1 : 0);
  const cues: number[] = [];
  for (let i = 0; i < tokens.length; i++) if (CUE_FIRST_WORDS.has(tokens[i])) cues.push(i);
  set('hedge', HEDGES.count(tokens, cues, 3) / 2);
  set('priorWork', PRIOR_WORK.count(tokens, cues, 3) / 2);
  set('superlative', SUPERLATIVE.count(tokens, cues, 1));
  set('comparative', COMPARATIVE.count(tokens, cues, 1));
  // "the leading cause of death worldwide" carries three cues: more of them, a surer claim.
  set('prevalence', PREVALENCE.count(tokens, cues, 3) / 2);
  set('example', EXAMPLE.count(tokens, cues, 1));
  set('generality', GENERALITY.count(tokens, cues, 3) / 2);
  set('firstPerson', FIRST_PERSON.count(tokens, cues, 3) / 2);
  const weAt = tokens.indexOf('we');
  set('weStart', weAt >= 0 && weAt < 4 ? 1 : 0);
  set('thisWork', THIS_WORK.count(tokens, cues, 1));
  set('figureRef', FIGURE_REF.test(text) ? 1 : FIGURE_WORDS.count(tokens, cues, 1) > 0 && /\b(Fig|Figs|Figure|Table|Panel)\b/i.test(text) && /\d/.test(text) ? 0.5 : 0);
  set('statistics', STATS.test(text) ? 1 : 0);
  let ownAction = 0;
  let methodVerb = 0;
  let presentPerfect = 0;
  let year = 0;
  let etAl = 0;
  let lastFirstPerson = -100;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === 'we' || t === 'our') lastFirstPerson = i;
    else if (OWN_VERBS.has(t) && i - lastFirstPerson <= 8) ownAction = 1;
    if ((t === 'was' || t === 'were') && METHOD_PARTICIPLES.has(tokens[i + 1] ?? '')) methodVerb = 1;
    if (t === 'has' || t === 'have') {
      let j = i + 1;
      if (tokens[j]?.endsWith('ly')) j++;
      if (tokens[j] === 'been') j++;
      if (/(ed|en|wn|ght|ung|ade|one|ept|ilt|ound)$/.test(tokens[j] ?? '')) presentPerfect = 1;
    }
    if (t === '<year>') year = 1;
    if (t === 'et' && tokens[i + 1] === 'al') etAl = 1;
  }
  set('ownAction', ownAction);
  set('methodVerb', methodVerb);
  set('definition', DEFINITION.test(text) ? 1 : 0);
  set('presentPerfect', presentPerfect);
  set('year', year);
  set('etAl', etAl);
  set('dataTool', DATA_TOOL.count(tokens, cues, 1));
  set('quote', QUOTE.test(text) ? 1 : 0);
  const numbers = tokens.filter((t) => t === '<num>' || t === '<dec>' || t === '<pct>').length;
  set('numbers', Math.min(numbers, 6) / 3);
  set('percent', tokens.includes('<pct>') ? 1 : 0);
  set('capitalized', Math.min(capitalizedCount(text), 6) / 3);
  set('acronyms', Math.min(countMatches(text, ACRONYM_G, 6), 6) / 3);
  set('camelCase', Math.min(countMatches(text, CAMEL_G, 4), 4) / 2);
  set('versionLike', /\bv?\d+\.\d+\.\d+\b|\bv\d+(\.\d+)?\b|\bversion \d/i.test(text) ? 1 : 0);
  set('mixedAlnum', Math.min(countMatches(text, MIXED_G, 4), 4) / 2);
  set('url', text.includes('urltoken') ? 1 : 0);
  set('math', text.includes('mathtoken') ? 1 : 0);
  set('code', text.includes('codetoken') ? 1 : 0);
  set('question', /\?\s*$/.test(text) ? 1 : 0);
  set('colonEnd', /:\s*$/.test(text) ? 1 : 0);
  set('parenthetical', Math.min(countMatches(text, PAREN_G, 3), 3) / 2);
  set('startsThese', STARTS_THESE.has(tokens[0] ?? '') ? 1 : 0);
  if (HANGUL.test(text)) koreanFeatures(text, set);
  return v;
}

const HANGUL = /[\uac00-\ud7a3]/;

// Korean cue phrases for the same signals as the English word lists. Korean attaches endings and
// particles to words, so these match inside the text rather than by token. Each is a pattern of
// written academic Korean (한다체): "…로 알려져 있다", "…에 따르면", "…보고되었다", "본 연구에서는 …".
const KO_PRIOR_WORK = /보고되(었|어 ?왔|고 ?있)|보고된 ?바|보고한 ?바|알려져 ?(있|왔)|알려진|밝혀(졌|진|져)|입증되(었|어)|제시되(었|어)|제안되(었|어)|(선행|이전|기존|과거|최근|여러|다수의|많은) ?(연구|보고|문헌)|(?<!(본|이|이번|우리) ?)연구(들)?에서|연구에 ?따르면|에 ?따르면|것으로 ?(나타났|보고|알려)|문헌|학계|널리 ?(알려|사용|쓰)/g;
const KO_ET_AL = /[A-Z][A-Za-z'-]+ ?등(은|이|의|에|과|도)?\s|[A-Z][A-Za-z'-]+ ?외 ?\d+인|\(\s*(19|20)\d\d\s*\)/;
const KO_PRESENT_PERFECT = /(되어|해|하여|되) ?(왔|와)다|(되어|해|하여) ?오고 ?있|지속적으로 ?(보고|연구)/;
const KO_HEDGE = /수 ?있(다|으며|는|을|음)|가능성|것으로 ?(보인|보이|생각|여겨|추정|예상|사료)|추정(된|되)|시사(한|하|된|되)|듯하|일 ?수|잠재적/g;
const KO_SUPERLATIVE = /최초|처음으로|가장|최대|최고|주된|주요 ?원인|대표적(인|으로)|선도적|획기적|표준 ?(치료|방법)|골드 ?스탠다드/;
const KO_COMPARATIVE = /보다 |에 ?비(해|하여|교하여)|비교하여|대조적으로|반면|우수(한|하)|열등|향상(되|시키|된)|개선(되|된|시키)|(더|훨씬) ?(높|낮|많|적|크|작|좋|나쁘|효과)/;
const KO_PREVALENCE = /유병률|발생률|발병률|사망률|이환율|전 ?세계(적으로)?|세계적으로|[0-9,.]+ ?(만|억|백만|천만) ?명|수백만|수십만|주요 ?원인|위험 ?(인자|요인)|매년|연간|해마다|사망 ?원인|질병 ?부담|인구의|국민의|환자의 ?약/;
const KO_EXAMPLE = /예를 ?들(어|면)|예컨대|(와|과) ?같(은|이)|등의 |등을 |포함(하여|한|하는|해)/;
const KO_GENERALITY = /많은 |다양한|여러 |다수의|대부분|흔히|일반적으로|주로 |자주|점점|점차|널리|보편적|흔한/g;
const KO_FIRST_PERSON = /우리(는|의|가|를|에게)|저자(들)?(은|는|이|가)|연구진(은|이)|본 ?연구진/g;
const KO_WE_START = /^\s*(우리(는|가)|본 ?연구(에서는|는|에서)|이 ?연구(에서는|는)|저자(들)?(은|는))/;
const KO_THIS_WORK = /본 ?(연구|논문|원고|분석|총설|리뷰|보고)|이 ?(연구|논문|총설)(에서|는|의)|이번 ?연구|요약하면|결론적으로/;
const KO_OWN_ACTION = /(하였|했|시켰|측정하였|분석하였|관찰하였|확인하였|발견하였|개발하였|제안하였|제시하였|구축하였|설계하였|비교하였|평가하였|수행하였)다/;
const KO_METHOD_VERB = /(사용|이용|수행|측정|분석|처리|적용|계산|추출|수집|선택|선정|정의|정규화|필터링|배양|염색|시퀀싱|정렬|학습|훈련|평가|모집|무작위 ?배정|제외|포함|다운로드|매핑|정량|희석|세척|원심분리)(하였|했|되었|됐)(다|으며|고)|(을|를) ?(사용|이용)하여|(으로|로) ?(처리|분석|측정)하였/;
const KO_FIGURE_REF = /(그림|표|도표|보충 ?(자료|그림|표)|부록) ?[A-Z]?\d/;
const KO_DEFINITION = /(이)?란 .{1,80}(이다|말한다|의미한다|뜻한다)\.?$|(은|는) .{1,60}의 ?(일종|하나)이다/;

function countPattern(text: string, re: RegExp, cap: number): number {
  if (!re.global) return re.test(text) ? 1 : 0;
  re.lastIndex = 0;
  let n = 0;
  while (n < cap && re.exec(text) !== null) n++;
  re.lastIndex = 0;
  return n;
}

/**
 * Sets the text features of a sentence containing Hangul from Korean cue phrases, on the same
 * scale as the English ones, so the language-independent model judges Korean by the same signals.
 * Korean words (어절) carry particles and endings: one is worth about 1.5 English words for length.
 */
function koreanFeatures(text: string, set: (name: string, value: number) => void): void {
  const words = text.split(' ').filter((w) => w.length > 0).length * 1.5;
  set('length:words', Math.min(Math.log1p(words) / Math.log(80), 1.5));
  set('length:short', words < 8 ? 1 : 0);
  set('length:long', words > 40 ? 1 : 0);
  const max = (name: string, value: number): void => set(name, value);
  max('hedge', Math.min(countPattern(text, KO_HEDGE, 3), 3) / 2);
  max('priorWork', Math.min(countPattern(text, KO_PRIOR_WORK, 3), 3) / 2);
  if (KO_ET_AL.test(text)) max('etAl', 1);
  if (KO_PRESENT_PERFECT.test(text)) max('presentPerfect', 1);
  if (KO_SUPERLATIVE.test(text)) max('superlative', 1);
  if (KO_COMPARATIVE.test(text)) max('comparative', 1);
  if (KO_PREVALENCE.test(text)) max('prevalence', 1);
  if (KO_EXAMPLE.test(text)) max('example', 1);
  max('generality', Math.min(countPattern(text, KO_GENERALITY, 3), 3) / 2);
  const firstPerson = countPattern(text, KO_FIRST_PERSON, 3) + (KO_THIS_WORK.test(text) ? 1 : 0);
  max('firstPerson', Math.min(firstPerson, 3) / 2);
  if (KO_WE_START.test(text)) max('weStart', 1);
  if (KO_THIS_WORK.test(text)) max('thisWork', 1);
  if (firstPerson > 0 && KO_OWN_ACTION.test(text)) max('ownAction', 1);
  if (KO_METHOD_VERB.test(text)) max('methodVerb', 1);
  if (KO_FIGURE_REF.test(text)) max('figureRef', 1);
  if (KO_DEFINITION.test(text)) max('definition', 1);
}

interface AnalysedText {
  readonly tokens: readonly string[];
  readonly values: Float64Array;
}

// Sentences are scored in reading order and each one is also the neighbour of the two around
// it: remembering the last few analyses saves two thirds of the work. Results are immutable.
const analysisCache = new Map<string, AnalysedText>();
const CACHE_SIZE = 64;
const CACHEABLE_LENGTH = 20_000;

/** Tokens and text features of a raw sentence (memoised for recent short texts). */
function analyseText(raw: string): AnalysedText {
  const cached = analysisCache.get(raw);
  if (cached) return cached;
  const text = normalizeText(raw);
  const tokens = tokenize(text);
  const result: AnalysedText = { tokens, values: textFeatures(text, tokens) };
  if (raw.length <= CACHEABLE_LENGTH) {
    if (analysisCache.size >= CACHE_SIZE) {
      const oldest = analysisCache.keys().next().value;
      if (oldest !== undefined) analysisCache.delete(oldest);
    }
    analysisCache.set(raw, result);
  }
  return result;
}

interface AnalysedHeadings {
  readonly path: readonly string[];
  readonly kind: SectionKind;
  readonly sub: SectionKind | undefined;
  readonly words: readonly string[];
}

// Consecutive sentences share their headings: remember the last few heading paths.
const headingCache = new Map<string, AnalysedHeadings>();

/** Section kinds and distinct words of a heading path (memoised). */
function analyseHeadings(value: unknown): AnalysedHeadings {
  const path = Array.isArray(value) ? value.slice(0, 12).filter((h): h is string => typeof h === 'string').map((h) => h.slice(0, MAX_HEADING)) : [];
  const key = path.join('\u0000');
  const cached = headingCache.get(key);
  if (cached) return cached;
  const kind = sectionKindOf(path);
  const words = new Set<string>();
  for (const heading of path) for (const t of tokenize(normalizeHeading(heading))) words.add(t);
  const result: AnalysedHeadings = { path, kind, sub: subsectionKindOf(path, kind), words: [...words] };
  if (headingCache.size >= CACHE_SIZE) {
    const oldest = headingCache.keys().next().value;
    if (oldest !== undefined) headingCache.delete(oldest);
  }
  headingCache.set(key, result);
  return result;
}

/** Extracts the feature vector of one sentence. */
export function extractFeatures(sentence: SentenceForScoring, options: FeatureOptions): SentenceFeatures {
  const mask = 2 ** options.hashBits - 1;
  const named = new Float64Array(NAMED_FEATURES.length);
  const set = (name: string, value: number): void => {
    const i = NAMED_INDEX.get(name);
    if (i !== undefined) named[i] = value;
  };
  const headings = analyseHeadings(sentence.headingPath);
  const headingPath = headings.path;
  const kind = headings.kind;
  const sub = headings.sub;
  set(`section:${kind}`, 1);
  if (sub) set(`subsection:${sub}`, 1);
  set('headingDepth', Math.min(headingPath.length, 5) / 5);

  const count = Math.max(1, Number.isFinite(sentence.paragraphSentenceCount) ? sentence.paragraphSentenceCount : 1);
  const index = Math.min(Math.max(0, Number.isFinite(sentence.indexInParagraph) ? sentence.indexInParagraph : 0), count - 1);
  set('position:first', index === 0 ? 1 : 0);
  set('position:last', index === count - 1 ? 1 : 0);
  set('position:only', count === 1 ? 1 : 0);
  set('position:relative', count > 1 ? index / (count - 1) : 0);
  set('paragraph:size', Math.min(Math.log1p(count) / Math.log(20), 1));
  set('inListItem', sentence.inListItem ? 1 : 0);
  set('inTableCell', sentence.inTableCell ? 1 : 0);

  const analysed = analyseText(typeof sentence.text === 'string' ? sentence.text : '');
  const tokens = analysed.tokens;
  const own = analysed.values;
  for (let i = 0; i < own.length; i++) named[OWN_SLOTS[i]] = own[i];
  for (const [prefix, neighbour, slots] of [['prev', sentence.previousText, PREV_SLOTS], ['next', sentence.nextText, NEXT_SLOTS]] as const) {
    if (typeof neighbour !== 'string' || neighbour.trim() === '') {
      set(`${prefix}:none`, 1);
      continue;
    }
    const values = analyseText(neighbour).values;
    for (let i = 0; i < values.length; i++) named[slots[i]] = values[i];
  }
  for (const name of INTERACTING) set(`${kind}&${name}`, own[TEXT_INDEX.get(name) ?? 0]);

  const hashed: number[] = [];
  const add = (feature: string): void => {
    hashed.push(fnv1a(feature) & mask);
  };
  // Hashed without building the feature strings: same buckets as add(`w:${t}`), add(`b:${previous} ${t}`).
  const bigrams = options.bigrams !== false;
  let previous = '<s>';
  for (const t of tokens) {
    hashed.push((fnvContinue(FNV_WORD, t) >>> 0) & mask);
    if (bigrams) hashed.push((fnvContinue(fnvContinue(fnvContinue(FNV_PAIR, previous), ' '), t) >>> 0) & mask);
    previous = t;
  }
  if (options.bigrams !== false && tokens.length > 0) add(`b:${previous} </s>`);
  if (options.headingWords !== false) {
    for (const t of headings.words) add(`h:${t}`);
  }
  if (options.neighbourWords) {
    for (const [prefix, neighbour] of [['p', sentence.previousText], ['n', sentence.nextText]] as const) {
      if (!neighbour) continue;
      const seen = new Set(tokenize(normalizeText(neighbour)));
      for (const t of seen) add(`${prefix}:${t}`);
    }
  }
  return { hashed, named };
}
