/**
 * The user's translation glossary (term → translation) and the terms that must stay as written:
 * gene and protein symbols, drug names and codes, units and numbers.
 */
import * as l10n from '@vscode/l10n';

/** One glossary entry. */
export interface GlossaryEntry {
  readonly term: string;
  readonly translation: string;
}

/** The result of {@link parseGlossary}. */
export interface ParsedGlossary {
  readonly entries: readonly GlossaryEntry[];
  /** Lines or keys that could not be read, for a warning. */
  readonly warnings: readonly string[];
}

/**
 * Reads a glossary: a JSON object `{ "term": "translation" }`, a JSON object keyed by target language
 * (`{ "fr": { "term": "traduction" } }`), or a TSV of two columns (`#` starts a comment).
 * @param content The file's text.
 * @param fileName The file's name, to tell JSON from TSV (optional; default: sniffed from the content).
 * @param targetLanguage Picks the language's table in a per-language JSON glossary (optional).
 * @returns The entries, longest term first, and warnings.
 * @throws Error when a JSON glossary is not valid JSON or not an object.
 */
export function parseGlossary(content: string, fileName?: string, targetLanguage?: string): ParsedGlossary {
  const warnings: string[] = [];
  const entries: GlossaryEntry[] = [];
  // Editors on Windows often save UTF-8 with a byte-order mark; JSON.parse refuses it.
  content = content.replace(/^\uFEFF/, '');
  const isJson = fileName ? /\.json$/i.test(fileName) : /^\s*\{/.test(content);
  if (isJson) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (error) {
      throw new Error(l10n.t('The glossary is not valid JSON: {0}', error instanceof Error ? error.message : String(error)), { cause: error });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(l10n.t('The glossary must be a JSON object of term → translation.'));
    let table = parsed as Record<string, unknown>;
    const language = targetLanguage?.toLowerCase();
    const perLanguage = Object.values(table).every((value) => typeof value === 'object' && value !== null && !Array.isArray(value));
    if (perLanguage && Object.keys(table).length > 0) {
      const key = Object.keys(table).find((name) => name.toLowerCase() === language || name.toLowerCase() === language?.split('-')[0]);
      table = key ? (table[key] as Record<string, unknown>) : {};
      if (!key) warnings.push(l10n.t('The glossary has no table for “{0}”.', targetLanguage ?? ''));
    }
    for (const [term, translation] of Object.entries(table)) {
      if (typeof translation === 'string' && term.trim() !== '' && translation.trim() !== '') entries.push({ term: term.trim(), translation: translation.trim() });
      else warnings.push(l10n.t('Glossary entry “{0}” is not a term → translation string pair.', term));
    }
  } else {
    content.split(/\r?\n/).forEach((line, index) => {
      if (line.trim() === '' || line.trimStart().startsWith('#')) return;
      const columns = line.split('\t');
      if (columns.length < 2 || columns[0].trim() === '' || columns[1].trim() === '') {
        warnings.push(l10n.t('Glossary line {0} does not have two tab-separated columns.', index + 1));
        return;
      }
      entries.push({ term: columns[0].trim(), translation: columns[1].trim() });
    });
  }
  entries.sort((a, b) => b.term.length - a.term.length);
  return { entries, warnings };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Korean, Chinese and Japanese attach particles and counters to a word ("TP53은", "3,120명") and
// Chinese and Japanese write no spaces: a CJK character next to a term is not part of it.
const cjk = '\\p{sc=Hangul}\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}';
const wordCharacter = `(?![${cjk}])[\\p{L}\\p{N}]`;

function wordPattern(term: string, flags: string): RegExp {
  return new RegExp(`(?<!${wordCharacter})${escapeRegExp(term)}(?!${wordCharacter})`, flags);
}

/**
 * The glossary entries whose term occurs in `text` (case-insensitive, whole words).
 * @param entries The glossary.
 * @param text A chunk of source text.
 * @returns The entries that apply.
 */
export function glossaryEntriesIn(entries: readonly GlossaryEntry[], text: string): GlossaryEntry[] {
  return entries.filter((entry) => wordPattern(entry.term, 'iu').test(text));
}

// Gene/protein symbols (TP53, BRCA1, HER2, IL-6, CD4+), drug codes (ABT-199), units with numbers.
const symbolPattern = new RegExp(`(?<!${wordCharacter}|⟦)(?:[A-Z][A-Z0-9]*\\d[A-Z0-9]*(?:-\\d+)?|[A-Z]{2,}[a-z]?\\d*(?:-[A-Z0-9]+)?|[A-Z][a-z]?\\d+[A-Za-z]*|IL-\\d+|CD\\d+\\+?)(?!${wordCharacter})`, 'gu');
const numberPattern = new RegExp(`(?<!${wordCharacter}|[⟦.,])[-−]?\\d+(?:[.,]\\d+)*(?![\\p{N}⟧])`, 'gu');
const commonUpper = new Set(['I', 'A', 'THE', 'AND', 'OR', 'NOT', 'NB', 'OK']);

/**
 * Terms of `text` that a translation must keep as written: gene and protein symbols, drug codes, numbers.
 * Placeholders are ignored.
 * @param text A chunk of source text (frozen).
 * @returns Distinct terms, in order of appearance.
 */
export function termsToKeep(text: string): string[] {
  const plain = text.replace(/⟦\d+⟧/g, ' ');
  const symbols = plain.match(symbolPattern) ?? [];
  const numbers = plain.replace(symbolPattern, ' ').match(numberPattern) ?? [];
  const terms = [...symbols, ...numbers].filter((term) => !commonUpper.has(term));
  return [...new Set(terms)];
}

/** A glossary entry or kept term that a translation got wrong. */
export interface TermProblem {
  readonly kind: 'glossary' | 'keep';
  readonly term: string;
  /** The expected text in the translation. */
  readonly expected: string;
}

/**
 * Checks that a translation uses the glossary and keeps symbols and numbers.
 * Numbers may change decimal separator (0.05 → 0,05) where the target language uses a comma.
 * @param source The source chunk (frozen).
 * @param translation The translated chunk (frozen).
 * @param glossary The glossary entries.
 * @returns The problems; empty when all is well.
 */
export function checkTerms(source: string, translation: string, glossary: readonly GlossaryEntry[]): TermProblem[] {
  const problems: TermProblem[] = [];
  for (const entry of glossaryEntriesIn(glossary, source)) {
    if (!wordPattern(entry.translation, 'iu').test(translation)) problems.push({ kind: 'glossary', term: entry.term, expected: entry.translation });
  }
  const plainTranslation = translation.replace(/⟦\d+⟧/g, ' ');
  // Only terms with digits are verified: an acronym such as DNA legitimately becomes ADN in French.
  for (const term of termsToKeep(source).filter((candidate) => /\d/.test(candidate))) {
    if (glossary.some((entry) => entry.term.toLowerCase() === term.toLowerCase())) continue;
    const variants = new Set([term, term.replace(/\./g, ','), term.replace(/,/g, '.'), term.replace(/,/g, ''), term.replace(/,/g, ' '), term.replace(/,/g, '\u00a0'), term.replace(/,/g, '\u202f'), term.replace(/^-/, '−'), term.replace(/^−/, '-')]);
    if (![...variants].some((variant) => wordPattern(variant, 'u').test(plainTranslation))) problems.push({ kind: 'keep', term, expected: term });
  }
  return problems;
}
