/**
 * `biowrite abstract FILE [--words N] [--structure S] [--language L]`: drafts an abstract with the LLM
 * configured in the environment and writes it to stdout; grounding issues and token use go to stderr.
 */
import { abstractStructures, findAbstractStructure, suggestedLength } from '../../core/writing/abstractStructures';
import { defaultContextTokens, draftAbstract } from '../../core/writing/abstractDraft';
import { redactIdentifiers } from '../../core/privacy/identifiers';
import { defaultLengthUnit, type LengthUnit } from '../../core/writing/text';
import { cliPrivacyCheck, endpointFromEnv, formatOf, parseArgs, processIo, readInput, runCliCommand, type CliIo } from './writingShared';

const usage = `Usage: biowrite abstract FILE [options]

Drafts an abstract of the manuscript FILE (Markdown or LaTeX) and writes it to stdout.

Options:
  --words N              length limit (default: the structure's, e.g. 250 words), in --unit
  --unit U               words, characters or characters-with-spaces (default: by --language:
                         characters with spaces for ko, characters for zh and ja, else words)
  --structure S          ${abstractStructures.map((structure) => structure.id).join(' | ')} (default: imrad)
  --language L           language code of the abstract (default: en)
  --context-tokens N     the model's context window in tokens (default: ${defaultContextTokens})
  --json                 write the draft and its checks as JSON
  --no-llm-check         check statements lexically instead of asking the model
  --redact               replace likely patient identifiers with [REDACTED-…] before sending
  --allow-identifiers    send likely patient identifiers to a non-local endpoint as they are

The endpoint comes from BIOWRITE_LLM_BASE_URL, BIOWRITE_LLM_MODEL, BIOWRITE_LLM_API_KEY
(or OPENAI_BASE_URL, OPENAI_MODEL, OPENAI_API_KEY).
Exit codes: 0 draft written, 1 LLM failure or refused by the privacy check, 2 usage error.`;

function positiveInteger(value: string | true | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value === true || !Number.isInteger(number) || number <= 0) throw new Error(`--${name} must be a positive whole number.`);
  return number;
}

/**
 * Runs `biowrite abstract`.
 * @param args The arguments after `abstract`.
 * @param io Where to write and the environment (optional; default: the process's).
 * @returns The exit code.
 */
export async function runAbstract(args: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCliCommand('abstract', usage, args, io, async (signal) => {
    const parsed = parseArgs(args, ['words', 'unit', 'structure', 'language', 'context-tokens'], ['json', 'no-llm-check', 'redact', 'allow-identifiers']);
    if (parsed.positionals.length !== 1) {
      io.stderr(`biowrite abstract: give exactly one FILE.\n\n${usage}\n`);
      return 2;
    }
    const structureId = String(parsed.options.get('structure') ?? 'imrad');
    const structure = findAbstractStructure(structureId);
    if (!structure) throw new Error(`unknown structure “${structureId}”; use one of ${abstractStructures.map((s) => s.id).join(', ')}.`);
    const contextTokens = positiveInteger(parsed.options.get('context-tokens'), 'context-tokens') ?? defaultContextTokens;
    const language = String(parsed.options.get('language') ?? structure.language ?? 'en');
    const units: Readonly<Record<string, LengthUnit>> = { words: 'words', characters: 'characters', 'characters-with-spaces': 'charactersWithSpaces' };
    const unitOption = parsed.options.get('unit');
    if (unitOption !== undefined && (typeof unitOption !== 'string' || !units[unitOption])) throw new Error('--unit must be words, characters or characters-with-spaces.');
    const presetUnit = structure.defaultLength && structure.language === language.toLowerCase().split('-')[0] ? structure.defaultLength.unit : undefined;
    const lengthUnit = typeof unitOption === 'string' ? units[unitOption] : (presetUnit ?? defaultLengthUnit(language));
    const wordLimit = positiveInteger(parsed.options.get('words'), 'words') ?? suggestedLength(structure, language, lengthUnit);
    const path = parsed.positionals[0];
    const manuscript = await readInput(path);
    const { client, baseUrl } = endpointFromEnv(io.env);
    const privacy = cliPrivacyCheck(manuscript, baseUrl, parsed, io.env);
    if (privacy.action === 'refuse') {
      io.stderr(`biowrite abstract: ${privacy.message}\n`);
      return 1;
    }
    const source = privacy.action === 'redact' ? redactIdentifiers(manuscript, privacy.findings) : manuscript;
    if (privacy.action === 'redact') io.stderr(`biowrite abstract: redacted ${privacy.findings.length} likely identifier(s) before sending.\n`);
    const result = await draftAbstract({
      client,
      source,
      manuscript,
      format: formatOf(path),
      structure,
      wordLimit,
      lengthUnit,
      language,
      contextTokens,
      llmGrounding: !parsed.options.has('no-llm-check'),
      signal,
      onEvent: (event) => {
        if (event.kind === 'condensing') io.stderr(`Condensing ${event.section} (${event.index + 1}/${event.total})…\n`);
      },
    });
    if (result.cancelled) {
      io.stderr('biowrite abstract: stopped.\n');
      return 130;
    }
    if (parsed.options.has('json')) {
      io.stdout(`${JSON.stringify({ abstract: result.text, wordCount: result.wordCount, wordLimit, lengthUnit, structure: structure.id, issues: result.issues, usage: result.usage, sectionsCondensed: result.sectionsCondensed, groundingMethod: result.groundingMethod }, null, 2)}\n`);
    } else {
      io.stdout(`${result.text}\n`);
    }
    io.stderr(`${result.wordCount}/${wordLimit} ${lengthUnit === 'words' ? 'words' : lengthUnit === 'characters' ? 'characters (spaces not counted)' : 'characters (spaces included)'}; ${result.usage.totalTokens} tokens used${result.sectionsCondensed > 0 ? `; ${result.sectionsCondensed} sections condensed first` : ''}; statements checked ${result.groundingMethod === 'llm' ? 'by the model' : `lexically${result.groundingFallbackReason ? ` (${result.groundingFallbackReason})` : ''}`}.\n`);
    for (const issue of result.issues) io.stderr(`  ${issue.kind}: ${issue.text}${issue.detail ? ` — ${issue.detail}` : ''}\n`);
    return 0;
  });
}
