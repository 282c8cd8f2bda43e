/**
 * Freezes the markup of a manuscript before a model sees it: every citation, cross-reference, math span,
 * code span or block, URL, comment, front-matter key and label becomes a placeholder `⟦n⟧`, so that the
 * translated text can be thawed back with those pieces byte-identical.
 */
import { isCrossReference } from '../manuscript/citations';

/** What a protected piece of markup is. */
export type ProtectedKind =
  | 'frontMatter'
  | 'codeBlock'
  | 'code'
  | 'displayMath'
  | 'math'
  | 'comment'
  | 'citation'
  | 'crossRef'
  | 'label'
  | 'url'
  | 'html'
  | 'latexCommand'
  | 'literal'
  | 'identifier';

/** Every protected kind, for reports. */
export const protectedKinds: readonly ProtectedKind[] = [
  'frontMatter',
  'codeBlock',
  'code',
  'displayMath',
  'math',
  'comment',
  'citation',
  'crossRef',
  'label',
  'url',
  'html',
  'latexCommand',
  'literal',
  'identifier',
];

/** The markup dialect of a manuscript. */
export type ManuscriptFormat = 'markdown' | 'latex';

/** One protected piece of the source. */
export interface ProtectedSpan {
  /** Its number in the frozen text: `⟦id⟧`. */
  readonly id: number;
  readonly kind: ProtectedKind;
  /** The exact source text. */
  readonly text: string;
  /** Offsets in the source. */
  readonly start: number;
  readonly end: number;
}

/** A range the caller wants protected too (e.g. patient identifiers held back from the model). */
export interface ExtraProtection {
  readonly start: number;
  readonly end: number;
  readonly kind: ProtectedKind;
}

/** The result of {@link freezeMarkup}. */
export interface FrozenText {
  /** The text with every protected span replaced by `⟦id⟧`. */
  readonly frozen: string;
  /** The protected spans, by id. */
  readonly spans: readonly ProtectedSpan[];
  /** Where the front matter ends in `frozen` (0 when there is none): its lines are translated one by one. */
  readonly frontMatterEnd: number;
}

/** Options of {@link freezeMarkup}. */
export interface FreezeOptions {
  readonly format: ManuscriptFormat;
  /** Extra ranges to protect (optional). */
  readonly extra?: readonly ExtraProtection[];
}

/** Front-matter keys whose values are prose and may be translated; every other value is frozen. */
export const translatableFrontMatterKeys: ReadonlySet<string> = new Set(['title', 'subtitle', 'abstract', 'description', 'summary', 'keywords', 'lang-title']);

/**
 * The placeholder for a span id.
 * @param id The span id.
 * @returns `⟦id⟧`.
 */
export function placeholder(id: number): string {
  return `⟦${id}⟧`;
}

/** Matches a well-formed placeholder; group 1 is the id. */
export const placeholderPattern = /⟦(\d+)⟧/g;

interface Rule {
  readonly kind: ProtectedKind | ((match: RegExpExecArray) => ProtectedKind);
  readonly pattern: RegExp;
  readonly formats: readonly ManuscriptFormat[];
  /** Which capture group to protect (optional; default: the whole match). */
  readonly group?: number;
}

const both: readonly ManuscriptFormat[] = ['markdown', 'latex'];
const crossRefPrefixes = /^-?@(?:table|figure):/i;

function citationOrCrossRef(match: RegExpExecArray): ProtectedKind {
  const keys = match[0].match(/-?@[^\s;,\]]+/g) ?? [];
  return keys.length > 0 && keys.every((key) => crossRefPrefixes.test(key) || isCrossReference(key.replace(/^-?@/, ''))) ? 'crossRef' : 'citation';
}

function latexCommandKind(match: RegExpExecArray): ProtectedKind {
  const name = match[1] ?? '';
  if (/cite/i.test(name)) return 'citation';
  if (/^(?:ref|eqref|autoref|cref|Cref|pageref|nameref|vref)$/.test(name)) return 'crossRef';
  if (name === 'label') return 'label';
  if (name === 'url' || name === 'href') return 'url';
  return 'latexCommand';
}

// Order matters: earlier rules win where matches overlap (a URL inside a citation stays part of the citation).
const rules: readonly Rule[] = [
  { kind: 'codeBlock', pattern: /^([ \t]{0,3})(`{3,}|~{3,})[^\n]*\n[\s\S]*?^[ \t]{0,3}\2[`~]*[ \t]*$/gm, formats: ['markdown'] },
  {
    kind: 'codeBlock',
    pattern: /\\begin\{(verbatim|lstlisting|minted|Verbatim|comment)\*?\}[\s\S]*?\\end\{\1\*?\}/g,
    formats: both,
  },
  { kind: 'comment', pattern: /<!--[\s\S]*?-->/g, formats: both },
  { kind: 'comment', pattern: /(?<!\\)%[^\n]*/g, formats: ['latex'] },
  { kind: 'displayMath', pattern: /\$\$[\s\S]+?\$\$/g, formats: both },
  { kind: 'displayMath', pattern: /\\\[[\s\S]+?\\\]/g, formats: both },
  {
    kind: 'displayMath',
    pattern: /\\begin\{(equation|align|alignat|gather|multline|eqnarray|math|displaymath|flalign)(\*?)\}[\s\S]*?\\end\{\1\2\}/g,
    formats: both,
  },
  { kind: 'code', pattern: /(`+)(?:[^`\n]|\n(?![ \t]*\n))+?\1(?!`)/g, formats: ['markdown'] },
  { kind: 'math', pattern: /\\\((?:[^\n]|\n(?![ \t]*\n))+?\\\)/g, formats: both },
  { kind: 'math', pattern: /(?<![\\$\p{N}])\$(?![\s$])(?:[^$\n\\]|\\.)+?(?<![\s\\])\$(?![\p{N}$])/gu, formats: both },
  // Quarto shortcodes: `{{< include _intro.qmd >}}`, `{{< var version >}}`, `{{% pagebreak %}}`.
  { kind: 'code', pattern: /\{\{<[^\n]*?>\}\}|\{\{%[^\n]*?%\}\}/g, formats: ['markdown'] },
  { kind: 'label', pattern: /\{[#.][^{}\n]*\}/g, formats: ['markdown'] },
  { kind: citationOrCrossRef, pattern: /\[(?:[^[\]\n]*?[\s;])?-?@[^[\]\n]+\](?![([])/g, formats: ['markdown'] },
  {
    kind: latexCommandKind,
    pattern:
      /\\([A-Za-z]*cite[A-Za-z]*|ref|eqref|autoref|cref|Cref|pageref|nameref|vref|label|url|href|input|include|includegraphics|bibliography|bibliographystyle|usepackage|documentclass)\*?(?:\[[^\]\n]*\])*\{[^{}\n]*\}/g,
    formats: both,
  },
  { kind: 'latexCommand', pattern: /\\(?:begin|end)\{[^{}\n]*\}(?:\[[^\]\n]*\])?/g, formats: both },
  { kind: 'url', pattern: /\]\((?:[^()\s]|\([^()\s]*\))+(?:\s+"[^"\n]*")?\)/g, formats: ['markdown'] },
  { kind: 'url', pattern: /<(?:https?|ftp|mailto):[^<>\s]+>/g, formats: ['markdown'] },
  { kind: 'url', pattern: /\b(?:https?|ftp):\/\/[^\s<>()[\]"'`{}]+[^\s<>()[\]"'`{}.,;:!?*_]/g, formats: both },
  { kind: 'url', pattern: /(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g, formats: both },
  { kind: citationOrCrossRef, pattern: /(?<![\w@.\\])-?@[A-Za-z0-9_][\w:.#$%&+?<>~/-]*[\w/]/g, formats: ['markdown'] },
  { kind: 'html', pattern: /<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?\/?>/g, formats: ['markdown'] },
  { kind: 'latexCommand', pattern: /\\(?:[A-Za-z@]+\*?|[%&_#${}~^\\ ,;!])/g, formats: ['latex'] },
  { kind: 'literal', pattern: /[⟦⟧]+/g, formats: both },
];

interface Candidate {
  readonly start: number;
  readonly end: number;
  readonly kind: ProtectedKind;
}

/**
 * Protects the markup of `source`.
 * @param source The manuscript or a part of it.
 * @param options Format and extra ranges.
 * @returns The frozen text and the spans to thaw it with.
 */
export function freezeMarkup(source: string, options: FreezeOptions): FrozenText {
  const taken = new Uint8Array(source.length);
  const accepted: Candidate[] = [];
  const accept = (candidate: Candidate): boolean => {
    if (candidate.end <= candidate.start) return false;
    for (let index = candidate.start; index < candidate.end; index += 1) if (taken[index]) return false;
    taken.fill(1, candidate.start, candidate.end);
    accepted.push(candidate);
    return true;
  };
  for (const extra of options.extra ?? []) accept(extra);
  const frontMatterLength = options.format === 'markdown' ? protectFrontMatter(source, accept) : 0;
  for (const rule of rules) {
    if (!rule.formats.includes(options.format)) continue;
    rule.pattern.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = rule.pattern.exec(source)) !== null) {
      if (match[0] === '') {
        rule.pattern.lastIndex += 1;
        continue;
      }
      // A fence's indentation stays outside the span, so the paragraph split around it is unchanged.
      const start = match.index + (rule.kind === 'codeBlock' && match[1] ? match[1].length : 0);
      const kind = typeof rule.kind === 'function' ? rule.kind(match) : rule.kind;
      accept({ start, end: match.index + match[0].length, kind });
    }
  }
  accepted.sort((a, b) => a.start - b.start);
  const spans: ProtectedSpan[] = [];
  let frozen = '';
  let cursor = 0;
  let frontMatterEnd = 0;
  for (const candidate of accepted) {
    frozen += source.slice(cursor, candidate.start);
    const id = spans.length;
    spans.push({ id, kind: candidate.kind, text: source.slice(candidate.start, candidate.end), start: candidate.start, end: candidate.end });
    frozen += placeholder(id);
    cursor = candidate.end;
    if (frontMatterLength > 0 && candidate.end <= frontMatterLength) frontMatterEnd = frozen.length;
  }
  frozen += source.slice(cursor);
  return { frozen, spans, frontMatterEnd };
}

/**
 * Protects the keys and non-prose values of a YAML front matter, leaving the values of
 * {@link translatableFrontMatterKeys} open. Returns the front matter's length (0 when there is none).
 */
function protectFrontMatter(source: string, accept: (candidate: Candidate) => boolean): number {
  const match = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?=\r?\n|$)/.exec(source);
  if (!match) return 0;
  const length = match[0].length;
  let offset = 0;
  let currentKeyTranslatable = false;
  const lines = match[0].split('\n');
  lines.forEach((line, index) => {
    const lineStart = offset;
    offset += line.length + 1;
    const content = line.replace(/\r$/, '');
    const protect = (from: number, to: number) => {
      if (to > from) accept({ start: lineStart + from, end: lineStart + to, kind: 'frontMatter' });
    };
    if (index === 0 || index === lines.length - 1 || content.trim() === '' || content.trimStart().startsWith('#')) {
      protect(0, content.length);
      return;
    }
    const keyLine = /^(\s*(?:-\s+)?)((?:"[^"]*"|'[^']*'|[^\s:#][^:#]*?)):(?=\s|$)(\s*)(.*)$/.exec(content);
    if (keyLine) {
      const [, indent, key, gap, value] = keyLine;
      if (indent === '') currentKeyTranslatable = translatableFrontMatterKeys.has(key.replace(/^["']|["']$/g, '').toLowerCase());
      const valueStart = indent.length + key.length + 1 + gap.length;
      const translatableValue = currentKeyTranslatable && value !== '' && !/^[|>][-+]?\d*$/.test(value) && !/^[[{&*!]/.test(value);
      if (!translatableValue) {
        protect(0, content.length);
        return;
      }
      const quote = /^["']/.exec(value)?.[0];
      const closing = quote && value.length > 1 && value.endsWith(quote) ? 1 : 0;
      protect(0, valueStart + (quote ? 1 : 0));
      protect(content.length - closing, content.length);
      return;
    }
    if (!currentKeyTranslatable) {
      protect(0, content.length);
      return;
    }
    const indent = /^(\s*(?:-\s+)?)/.exec(content)?.[1] ?? '';
    protect(0, indent.length);
  });
  return length;
}

/**
 * Puts the protected spans back into a frozen text.
 * @param frozen Text holding `⟦id⟧` placeholders.
 * @param spans The spans, by id.
 * @returns The text with every placeholder replaced by its span's source text.
 * @throws Error when a placeholder names no span.
 */
export function thawMarkup(frozen: string, spans: readonly ProtectedSpan[]): string {
  return frozen.replace(placeholderPattern, (_whole, id: string) => {
    const span = spans[Number(id)];
    if (!span) throw new Error(`Placeholder ⟦${id}⟧ names no protected span.`);
    return span.text;
  });
}

/**
 * Counts spans by kind.
 * @param spans Protected spans.
 * @returns A count for every kind (0 included).
 */
export function countSpansByKind(spans: readonly ProtectedSpan[]): Record<ProtectedKind, number> {
  const counts = Object.fromEntries(protectedKinds.map((kind) => [kind, 0])) as Record<ProtectedKind, number>;
  for (const span of spans) counts[span.kind] += 1;
  return counts;
}

/**
 * Counts, independently of placeholders, how many of `spans` survive byte-identical in `result`:
 * a span text that occurs k times in the source must occur at least k times in the result.
 * @param spans The spans of the source.
 * @param source The source text.
 * @param result The translated text.
 * @returns How many spans are intact, and the ones that are not.
 */
export function verifySpansPreserved(
  spans: readonly ProtectedSpan[],
  source: string,
  result: string,
): { readonly intact: number; readonly broken: readonly ProtectedSpan[] } {
  const sourceCounts = new Map<string, number>();
  const resultCounts = new Map<string, number>();
  const occurrences = (haystack: string, needle: string): number => {
    let count = 0;
    let from = 0;
    for (;;) {
      const at = haystack.indexOf(needle, from);
      if (at < 0) return count;
      count += 1;
      from = at + needle.length;
    }
  };
  const broken: ProtectedSpan[] = [];
  let intact = 0;
  for (const span of spans) {
    if (!sourceCounts.has(span.text)) {
      sourceCounts.set(span.text, occurrences(source, span.text));
      resultCounts.set(span.text, occurrences(result, span.text));
    }
    if ((resultCounts.get(span.text) ?? 0) >= (sourceCounts.get(span.text) ?? 0)) intact += 1;
    else broken.push(span);
  }
  return { intact, broken };
}
