/**
 * `biowrite translate FILE --to LANG [--glossary FILE]`: translates a manuscript with its markup frozen
 * and writes the translation to stdout; what could not be translated cleanly goes to stderr.
 */
import { findIdentifiers } from '../../core/privacy/identifiers';
import { parseGlossary } from '../../core/writing/glossary';
import { summarizeTranslation, translateManuscript } from '../../core/writing/translateManuscript';
import { cliPrivacyCheck, endpointFromEnv, formatOf, parseArgs, processIo, readInput, runCliCommand, type CliIo } from './writingShared';

const usage = `Usage: biowrite translate FILE --to LANG [options]

Translates the manuscript FILE (Markdown or LaTeX) into LANG (a code such as fr, es, de, zh, or en
to translate into English) and writes it to stdout. Citations, cross-references, math, code, URLs,
comments, front-matter keys and labels pass through byte-identical.

Options:
  --to LANG              target language (required)
  --from LANG            source language (default: detected)
  --glossary FILE        JSON object term → translation, or a two-column TSV
  --redact               hold likely patient identifiers back from the model (they stay as written)
  --allow-identifiers    send likely patient identifiers to a non-local endpoint as they are

The endpoint comes from BIOWRITE_LLM_BASE_URL, BIOWRITE_LLM_MODEL, BIOWRITE_LLM_API_KEY
(or OPENAI_BASE_URL, OPENAI_MODEL, OPENAI_API_KEY).
Exit codes: 0 translated, 1 LLM failure, refused by the privacy check, or parts kept untranslated; 2 usage error.`;

/**
 * Runs `biowrite translate`.
 * @param args The arguments after `translate`.
 * @param io Where to write and the environment (optional; default: the process's).
 * @returns The exit code.
 */
export async function runTranslate(args: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCliCommand('translate', usage, args, io, async (signal) => {
    const parsed = parseArgs(args, ['to', 'from', 'glossary'], ['redact', 'allow-identifiers']);
    if (parsed.positionals.length !== 1) {
      io.stderr(`biowrite translate: give exactly one FILE.\n\n${usage}\n`);
      return 2;
    }
    const target = parsed.options.get('to');
    if (typeof target !== 'string' || target.trim() === '') {
      io.stderr(`biowrite translate: --to LANG is required.\n\n${usage}\n`);
      return 2;
    }
    const path = parsed.positionals[0];
    const source = await readInput(path);
    const glossaryPath = parsed.options.get('glossary');
    let glossary: ReturnType<typeof parseGlossary> | undefined;
    if (typeof glossaryPath === 'string') {
      glossary = parseGlossary(await readInput(glossaryPath), glossaryPath, target);
      for (const warning of glossary.warnings) io.stderr(`biowrite translate: ${warning}\n`);
    }
    const { client, baseUrl } = endpointFromEnv(io.env);
    const privacy = cliPrivacyCheck(source, baseUrl, parsed, io.env);
    if (privacy.action === 'refuse') {
      io.stderr(`biowrite translate: ${privacy.message}\n`);
      return 1;
    }
    // Redacted identifiers are frozen like markup: the model never sees them and they come back as written.
    const extraProtected = privacy.action === 'redact' ? findIdentifiers(source).map((finding) => ({ start: finding.start, end: finding.end, kind: 'identifier' as const })) : undefined;
    const from = parsed.options.get('from');
    const result = await translateManuscript({
      client,
      source,
      format: formatOf(path),
      targetLanguage: target,
      ...(typeof from === 'string' ? { sourceLanguage: from } : {}),
      ...(glossary ? { glossary: glossary.entries } : {}),
      ...(extraProtected ? { extraProtected } : {}),
      signal,
      onEvent: (event) => {
        if (event.kind === 'chunkRetry') io.stderr(`Chunk ${event.index + 1}: retrying (${event.problems[0] ?? ''})\n`);
      },
    });
    if (result.cancelled) {
      io.stderr('biowrite translate: stopped; nothing written.\n');
      return 130;
    }
    io.stdout(result.text);
    const spans = result.spans.length;
    // What was kept in the original language is said first: the exit code alone does not say why.
    io.stderr(
      `${summarizeTranslation(result)}\n${spans} protected spans kept byte-identical, ${result.repairs} placeholder repairs, ${result.retries} retries, ${result.usage.totalTokens} tokens used.\n`,
    );
    for (const issue of result.issues) io.stderr(`  ${issue.kind}: ${issue.text} — ${issue.detail ?? ''}\n`);
    return result.chunksKept > 0 ? 1 : 0;
  });
}
