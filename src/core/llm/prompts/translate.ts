/**
 * Prompts for translating one chunk of a manuscript with its markup frozen as placeholders, and the
 * extraction of the translation from an answer that echoes parts of them.
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
/** What the previous paragraph is introduced with, up to its parenthesis. */
export const contextLabel = 'Previous paragraph, for context only';
/** Introduces the previous paragraph, given as read-only context. */
export const contextHeading = `${contextLabel} (do not translate or repeat it):`;
/** Introduces the glossary. */
export const glossaryHeading = 'Glossary (always use these translations):';
/** Introduces the terms to keep as written, on the same line. */
export const keepHeading = 'Keep exactly as written:';
/** Introduces the placeholder list, on the same line. */
export const placeholdersHeading = 'The text holds these placeholders, each to appear exactly once:';
/** How the context shows its placeholders: they are not the chunk's, so they carry no number. */
export const hiddenPlaceholder = '⟦…⟧';

/**
 * The line that asks for the translation, just before {@link translateBegin}.
 * @param targetLanguage Target language code or name.
 */
export function translateInstruction(targetLanguage: string): string {
  return `Translate into ${languageName(targetLanguage)}:`;
}

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
    parts.push(`${contextHeading}\n${input.context.replace(/⟦\d+⟧/g, hiddenPlaceholder)}`);
  }
  if (input.glossary && input.glossary.length > 0) {
    parts.push(`${glossaryHeading}\n${input.glossary.map((entry) => `- ${entry.term} → ${entry.translation}`).join('\n')}`);
  }
  if (input.keep && input.keep.length > 0) parts.push(`${keepHeading} ${input.keep.join(', ')}`);
  if (ids.length > 0) parts.push(`${placeholdersHeading} ${ids.join(' ')}`);
  if (input.retryProblems && input.retryProblems.length > 0) {
    parts.push(`${retryHeading}; fix them:\n${input.retryProblems.map((problem) => `- ${problem}`).join('\n')}`);
  }
  parts.push(`${translateInstruction(input.targetLanguage)}\n${translateBegin}\n${input.chunk}\n${translateEnd}`);
  return [
    { role: 'system', content: system },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

/** The translation found in a model's answer, or why there is none to use. */
export type ExtractedTranslation =
  | { readonly ok: true; readonly text: string }
  /** `scaffolding`: the answer holds parts of the prompt that could not be told apart from the translation. */
  | { readonly ok: false; readonly problem: 'empty' | 'scaffolding' };

/** One line of an answer: text, or a marker that opens or closes a wrapped answer (delimiter or code fence). */
type AnswerLine = { readonly kind: 'begin' | 'end' } | { readonly kind: 'text'; readonly text: string };

const fenceLine = /^\s*(?:```|~~~)[\w-]*\s*$/;
/** A first line that introduces the answer, e.g. "Here is the translation:". */
const introduction = /^\s*(?:here is|here's|voici|sure[,!.])[^\n]*:[ \t]*(?:\n|$)/i;
/** A prompt line this short could also be a translated line (e.g. "Rules:"), so it only goes when the answer echoes the prompt. */
const shortLine = 20;

/** Whether a line starts with one of the headings, after markup or a word and a colon ("**", "Echo: "). */
function startsWithLabel(lower: string, labels: readonly string[]): boolean {
  const head = lower.replace(/^[^\p{L}]+/u, '');
  const afterWord = head.replace(/^\p{L}{1,12}:\s*/u, '').replace(/^[^\p{L}]+/u, '');
  return labels.some((label) => head.startsWith(label) || afterWord.startsWith(label));
}

function normalized(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The scaffolding of the prompt built from `input`: what an answer must not contain unless the chunk does. */
function scaffoldingOf(input: TranslationPromptInput) {
  const [system, user] = buildTranslationMessages(input).map((message) => message.content);
  const chunkLines = new Set(input.chunk.split('\n').map((line) => line.trim()));
  const chunkLower = input.chunk.toLowerCase();
  const inChunk = (text: string) => chunkLower.includes(text.toLowerCase());
  const chunkStart = (user ?? '').lastIndexOf(`${translateBegin}\n${input.chunk}\n${translateEnd}`);
  const promptText = `${system ?? ''}\n${(user ?? '').slice(0, Math.max(0, chunkStart))}`;
  // Whole lines of the prompt, as a model echoes them.
  const lines = new Set(
    promptText
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !chunkLines.has(line)),
  );
  const instruction = translateInstruction(input.targetLanguage).replace(/:$/, '');
  // Headings start a section; a line that starts with one is scaffolding, whatever follows on it.
  const labels = [contextLabel, glossaryHeading.replace(/:$/, ''), keepHeading.replace(/:$/, ''), placeholdersHeading.replace(/:$/, ''), retryHeading, instruction]
    .filter((label) => !inChunk(label))
    .map((label) => label.toLowerCase());
  // Fragments that must not survive anywhere in a translation: markers, headings and the rules' sentences.
  const ruleSentences = (system ?? '')
    .split('\n')
    .flatMap((line) => line.replace(/^-\s*/, '').split(/(?<=[.:])\s+/))
    .filter((sentence) => sentence.length >= 30);
  const headings = [contextLabel, glossaryHeading, keepHeading, placeholdersHeading, retryHeading, translateInstruction(input.targetLanguage)];
  const fragments = [translateBegin, translateEnd, hiddenPlaceholder, '```', ...headings, ...ruleSentences].filter((fragment) => !inChunk(fragment)).map((fragment) => fragment.toLowerCase());
  return {
    lines,
    labels,
    contextLabel: inChunk(contextLabel) ? undefined : contextLabel.toLowerCase(),
    contextLines: input.context && input.context.trim() !== '' ? input.context.trim().split('\n').length : 0,
    fragments,
    markers: !inChunk(translateBegin) && !inChunk(translateEnd),
    fences: !input.chunk.split('\n').some((line) => fenceLine.test(line)),
    hidesPlaceholders: !inChunk(hiddenPlaceholder),
    collapseBlankLines: !/\n[ \t]*\n[ \t]*\n/.test(input.chunk),
    introducesItself: introduction.test(input.chunk),
  };
}

type Scaffolding = ReturnType<typeof scaffoldingOf>;

/** The answer as lines, with delimiters (alone on a line, or opening or closing one) and code fences as markers. */
function tokenize(answer: string, scaffolding: Scaffolding): AnswerLine[] {
  let text = answer.replace(/\r\n?/g, '\n');
  if (scaffolding.markers) {
    text = text
      .split('\n')
      .map((line) => {
        let rest = line;
        let before = '';
        let after = '';
        if (rest.trimStart().startsWith(translateBegin)) {
          before = `${translateBegin}\n`;
          rest = rest.trimStart().slice(translateBegin.length);
        }
        if (rest.trimEnd().endsWith(translateEnd)) {
          after = `\n${translateEnd}`;
          rest = rest.trimEnd().slice(0, -translateEnd.length);
        }
        return before + rest + after;
      })
      .join('\n');
  }
  let fences = 0;
  return text.split('\n').map((line): AnswerLine => {
    const trimmed = line.trim();
    if (scaffolding.markers && trimmed === translateBegin) return { kind: 'begin' };
    if (scaffolding.markers && trimmed === translateEnd) return { kind: 'end' };
    if (scaffolding.fences && fenceLine.test(line)) {
      fences += 1;
      return { kind: fences % 2 === 1 ? 'begin' : 'end' };
    }
    return { kind: 'text', text: line };
  });
}

/**
 * Splits an answer into what the model wrapped (between markers or fences) and the rest. A closing marker
 * without an opening one closes what came before it; an opening one without a close runs to the end.
 */
function splitWrapped(tokens: readonly AnswerLine[]): { blocks: string[][]; outside: string[] } {
  const blocks: string[][] = [];
  const outside: string[] = [];
  let current: string[] = [];
  let inBlock = false;
  for (const token of tokens) {
    if (token.kind === 'text') {
      current.push(token.text);
    } else if (token.kind === 'begin') {
      if (!inBlock) outside.push(...current);
      current = [];
      inBlock = true;
    } else {
      blocks.push(current);
      current = [];
      inBlock = false;
    }
  }
  if (inBlock) blocks.push(current);
  else outside.push(...current);
  return { blocks, outside };
}

/**
 * Whether the answer echoes the prompt: a heading, or a prompt line long enough not to be a translated
 * line by chance.
 */
function echoesPrompt(tokens: readonly AnswerLine[], scaffolding: Scaffolding): boolean {
  return tokens.some((token) => {
    if (token.kind !== 'text') return false;
    const trimmed = token.text.trim();
    return (scaffolding.lines.has(trimmed) && trimmed.length >= shortLine) || startsWithLabel(trimmed.toLowerCase(), scaffolding.labels);
  });
}

/** Removes echoed scaffolding from lines of an answer; `removed` tells whether there was any. */
function clean(lines: readonly string[], scaffolding: Scaffolding, echoing: boolean): { text: string; removed: boolean } {
  let removed = false;
  let contextLeft = 0;
  const kept: string[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '') {
      contextLeft = 0;
      kept.push('');
      continue;
    }
    const lower = trimmed.toLowerCase();
    const promptLine = scaffolding.lines.has(trimmed) && (echoing || trimmed.length >= shortLine);
    if (promptLine || startsWithLabel(lower, scaffolding.labels)) {
      removed = true;
      // The context follows its heading, echoed or translated: as many lines as it has, up to a blank line.
      if (scaffolding.contextLabel !== undefined && startsWithLabel(lower, [scaffolding.contextLabel])) contextLeft = scaffolding.contextLines;
      continue;
    }
    if (contextLeft > 0) {
      contextLeft -= 1;
      removed = true;
      continue;
    }
    kept.push(line);
  }
  let paragraphs = kept.join('\n').split(/\n[ \t]*\n/);
  if (scaffolding.hidesPlaceholders) {
    // Only the context shows placeholders as ⟦…⟧: a paragraph with one is the context, echoed or translated.
    const withoutContext = paragraphs.filter((paragraph) => !paragraph.includes(hiddenPlaceholder));
    if (withoutContext.length < paragraphs.length && withoutContext.some((paragraph) => paragraph.trim() !== '')) {
      removed = true;
      paragraphs = withoutContext;
    }
  }
  let text = paragraphs.join('\n\n').trim();
  if (!scaffolding.introducesItself) text = text.replace(introduction, '');
  if (scaffolding.collapseBlankLines) text = text.replace(/\n[ \t]*\n(?:[ \t]*\n)+/g, '\n\n');
  return { text: text.trim(), removed };
}

/**
 * Finds the translation in a model's answer to {@link buildTranslationMessages}`(input)`. Small models echo
 * their instructions: the whole prompt, the context paragraph (verbatim or translated), the markers, a code
 * fence around the answer. What the prompt added is removed wherever it is, judged against the very
 * strings the prompt was built from; text the chunk itself contains is never taken for scaffolding.
 * When the answer wraps several texts, the one that is not the source echoed back is the translation.
 * @param answer The model's answer.
 * @param input The prompt input the answer replies to.
 * @returns The translation, or `scaffolding` when parts of the prompt remain that cannot be told apart
 *   from it, or `empty`.
 */
export function extractTranslation(answer: string, input: TranslationPromptInput): ExtractedTranslation {
  const scaffolding = scaffoldingOf(input);
  const tokens = tokenize(answer, scaffolding);
  const echoing = echoesPrompt(tokens, scaffolding);
  const { blocks, outside } = splitWrapped(tokens);
  const source = normalized(input.chunk);
  const cleanedBlocks = blocks.map((lines) => clean(lines, scaffolding, echoing));
  const wrapped = cleanedBlocks.filter((block) => block.text !== '');
  const rest = clean(outside, scaffolding, echoing);
  const translations = wrapped.filter((block) => normalized(block.text) !== source);
  const echo = wrapped.find((block) => normalized(block.text) === source);
  let chosen: { text: string; removed: boolean };
  if (translations.length > 0) chosen = translations[translations.length - 1];
  else if (rest.text !== '') chosen = rest;
  // The source between markers is the answer only when nothing else came back: a text that needs no translation.
  else if (echo && !rest.removed) chosen = echo;
  else return { ok: false, problem: rest.removed || echo || cleanedBlocks.some((block) => block.removed) ? 'scaffolding' : 'empty' };
  const lower = chosen.text.toLowerCase();
  if (scaffolding.fragments.some((fragment) => lower.includes(fragment))) return { ok: false, problem: 'scaffolding' };
  return { ok: true, text: chosen.text };
}
