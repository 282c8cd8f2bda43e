/**
 * Prompts for translating one chunk of a manuscript with its markup frozen as placeholders.
 * Pure functions: same input, same messages.
 */
import type { ChatMessage } from '../types';
import type { GlossaryEntry } from '../../writing/glossary';
import { languageName } from '../../writing/abstractStructures';

/** What {@link buildTranslationMessages} needs. */
export interface TranslationPromptInput {
  /** The chunk to translate, with local placeholders `⟦0⟧…`. */
  readonly chunk: string;
  /** Target language code or name, e.g. `fr` or `en`. */
  readonly targetLanguage: string;
  /** Source language code or name (optional; default: the model detects it). */
  readonly sourceLanguage?: string;
  /** The previous paragraph, for reference only (optional). Its placeholders are shown as `⟦…⟧`. */
  readonly context?: string;
  /** Glossary entries that occur in the chunk (optional). */
  readonly glossary?: readonly GlossaryEntry[];
  /** Symbols, drug names and numbers to keep as written (optional). */
  readonly keep?: readonly string[];
  /** How many placeholders the chunk holds. */
  readonly placeholderCount: number;
  /** Problems with the previous attempt, for a retry (optional). */
  readonly retryProblems?: readonly string[];
  /** The chunk is one line of YAML front matter: answer on one line (optional; default: false). */
  readonly singleLine?: boolean;
}

/** Marks the text to translate, so that the model (and a test double) can find it. */
export const translateBegin = '<<<TEXT';
/** Ends the text to translate. */
export const translateEnd = 'TEXT>>>';
/** Starts the retry note in the user message. */
export const retryHeading = 'Your previous answer had these problems';

/**
 * Builds the messages to translate one chunk.
 * @param input The chunk, languages, context, glossary and retry notes.
 * @returns System and user messages.
 */
export function buildTranslationMessages(input: TranslationPromptInput): ChatMessage[] {
  const target = languageName(input.targetLanguage);
  const source = input.sourceLanguage ? languageName(input.sourceLanguage) : 'the language it is written in';
  const ids = Array.from({ length: input.placeholderCount }, (_value, index) => `⟦${index}⟧`);
  const system = [
    `You are a professional translator of biomedical manuscripts. Translate from ${source} into ${target}.`,
    'Rules:',
    `- Tokens like ⟦0⟧ are placeholders for citations, math, code, links and labels. Copy every placeholder exactly, once each, at the matching place in the sentence. Never translate, renumber, remove, repeat or expand them, and never write citations, math, URLs or code yourself.`,
    '- Keep gene and protein symbols, drug names, units, numbers and statistics exactly as written (decimal commas are allowed where the target language uses them).',
    '- Keep the Markdown structure: headings (#), emphasis, lists, tables, line breaks.',
    '- Use the glossary translations exactly when a glossary is given.',
    '- Answer with the translation only: no comments, no quotes, no code fences.',
    input.singleLine ? '- The text is one line of YAML front matter: answer on a single line.' : '',
  ]
    .filter((line) => line !== '')
    .join('\n');
  const parts: string[] = [];
  if (input.context && input.context.trim() !== '') {
    parts.push(`Previous paragraph, for context only (do not translate or repeat it):\n${input.context.replace(/⟦\d+⟧/g, '⟦…⟧')}`);
  }
  if (input.glossary && input.glossary.length > 0) {
    parts.push(`Glossary (always use these translations):\n${input.glossary.map((entry) => `- ${entry.term} → ${entry.translation}`).join('\n')}`);
  }
  if (input.keep && input.keep.length > 0) parts.push(`Keep exactly as written: ${input.keep.join(', ')}`);
  if (ids.length > 0) parts.push(`The text holds these placeholders, each to appear exactly once: ${ids.join(' ')}`);
  if (input.retryProblems && input.retryProblems.length > 0) {
    parts.push(`${retryHeading}; fix them:\n${input.retryProblems.map((problem) => `- ${problem}`).join('\n')}`);
  }
  parts.push(`Translate into ${target}:\n${translateBegin}\n${input.chunk}\n${translateEnd}`);
  return [
    { role: 'system', content: system },
    { role: 'user', content: parts.join('\n\n') },
  ];
}
