/**
 * Prompts for drafting an abstract: condensing long sections, drafting, and checking the draft
 * against the manuscript. Pure functions: same input, same messages.
 */
import type { ChatMessage } from '../types';
import type { AbstractStructure, ChecklistItem } from '../../writing/abstractStructures';
import { languageName } from '../../writing/abstractStructures';

/** What {@link buildAbstractMessages} needs. */
export interface AbstractPromptInput {
  /** The manuscript, or notes condensed from it. */
  readonly source: string;
  /** Whether `source` holds condensed notes rather than the manuscript itself. */
  readonly condensed: boolean;
  readonly structure: AbstractStructure;
  readonly wordLimit: number;
  /** Language code or name of the abstract. */
  readonly language: string;
  /** What the limit counts (optional; default: words). */
  readonly lengthUnit?: 'words' | 'characters' | 'charactersWithSpaces';
}

/**
 * Builds the messages to draft an abstract.
 * @param input Source, structure, limit and language.
 * @returns System and user messages.
 */
export function buildAbstractMessages(input: AbstractPromptInput): ChatMessage[] {
  const language = languageName(input.language);
  const layout =
    input.structure.headings.length === 0
      ? 'Write one paragraph without headings.'
      : `Write one paragraph per heading, in this order, each starting with the heading in bold followed by a colon (e.g. **${input.structure.headings[0]}:** …): ${input.structure.headings.join('; ')}.`;
  const checklist = input.structure.checklist
    ? `\nCover every item of this reporting checklist that the manuscript supports:\n${input.structure.checklist.map((item) => `- ${item.label}: ${item.description}`).join('\n')}`
    : '';
  const system = [
    'You write abstracts for biomedical research manuscripts.',
    'Use only facts stated in the manuscript. Copy every number (sample sizes, percentages, p-values, confidence intervals, hazard and odds ratios) exactly as the manuscript gives it; never compute, round or invent one. If a result has no number in the manuscript, describe it without one.',
    'Do not cite references and do not use markup other than the bold headings.',
    `Write in ${language}. Stay within ${input.wordLimit} ${input.lengthUnit === 'characters' ? 'characters, not counting spaces' : input.lengthUnit === 'charactersWithSpaces' ? 'characters, spaces included' : 'words'}.`,
    'Answer with the abstract only: no title, no "Abstract" heading, no comments.',
  ].join('\n');
  const user = `${layout}${checklist}\n\n${input.condensed ? 'Notes condensed from the manuscript, section by section' : 'The manuscript'}:\n<<<MANUSCRIPT\n${input.source}\nMANUSCRIPT>>>`;
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

/** What {@link buildCondenseMessages} needs. */
export interface CondensePromptInput {
  /** The section heading (or a label such as "Part 2 of Methods"). */
  readonly heading: string;
  readonly text: string;
  /** About how many words the notes may take. */
  readonly targetWords: number;
}

/**
 * Builds the messages to condense one section of a long manuscript into notes for the abstract.
 * @param input The section and the size of the notes.
 * @returns System and user messages.
 */
export function buildCondenseMessages(input: CondensePromptInput): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        'You condense sections of biomedical manuscripts into factual notes for writing the abstract. Keep the design, population, interventions, outcomes, key results and conclusions. Copy every number you keep exactly as written. Add nothing that is not in the text. Answer with the notes only, as short bullet points.',
    },
    { role: 'user', content: `Condense this section into at most ${input.targetWords} words of notes.\n\nSection: ${input.heading}\n<<<SECTION\n${input.text}\nSECTION>>>` },
  ];
}

/** What {@link buildGroundingMessages} needs. */
export interface GroundingPromptInput {
  /** The manuscript or its condensed notes. */
  readonly source: string;
  /** The draft's sentences, numbered from 1 in the prompt. */
  readonly sentences: readonly string[];
  /** The checklist to check (optional). */
  readonly checklist?: readonly ChecklistItem[];
}

/** The JSON shape the grounding check asks for, described for the prompt and repair messages. */
export const groundingSchemaDescription =
  '{"unsupported": [{"sentence": <number of the sentence, 1-based>, "reason": "<why the manuscript does not support it>"}], "missingItems": ["<checklist item id>", …]}';

/**
 * Builds the messages that ask the model which draft sentences the manuscript does not support,
 * and which checklist items the draft misses, as JSON.
 * @param input Source, sentences and checklist.
 * @returns System and user messages.
 */
export function buildGroundingMessages(input: GroundingPromptInput): ChatMessage[] {
  const checklist = input.checklist
    ? `\n\nChecklist items (id: what the abstract must report). List in "missingItems" the ids the draft does not report:\n${input.checklist.map((item) => `${item.id}: ${item.description}`).join('\n')}`
    : '\n\nThere is no checklist: answer "missingItems": [].';
  return [
    {
      role: 'system',
      content: `You check a drafted abstract against its manuscript. A sentence is unsupported when the manuscript does not state or directly imply it. Answer with one JSON object only, exactly of this shape: ${groundingSchemaDescription}`,
    },
    {
      role: 'user',
      content: `Manuscript:\n<<<MANUSCRIPT\n${input.source}\nMANUSCRIPT>>>\n\nDraft sentences:\n${input.sentences.map((sentence, index) => `${index + 1}. ${sentence}`).join('\n')}${checklist}`,
    },
  ];
}

/**
 * Builds the one repair request after an answer that failed validation: the conversation so far,
 * the bad answer, and what was wrong with it.
 * @param messages The messages of the failed request.
 * @param badAnswer The model's answer.
 * @param error What the validator said.
 * @param schema The expected shape, described.
 * @returns The messages of the repair request.
 */
export function buildRepairMessages(messages: readonly ChatMessage[], badAnswer: string, error: string, schema: string): ChatMessage[] {
  return [
    ...messages,
    { role: 'assistant', content: badAnswer.slice(0, 4000) },
    { role: 'user', content: `That answer is not valid: ${error}. Answer again with one JSON object only, exactly of this shape: ${schema}` },
  ];
}
