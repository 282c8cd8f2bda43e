/**
 * What `biowrite abstract` and `biowrite translate` share: argument parsing, the LLM client from the
 * environment, and the non-interactive privacy check.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { createLlmClientFromEnv } from '../../core/llm/openaiClient';
import { LlmError, type LlmClient } from '../../core/llm/types';
import { isLocalEndpoint } from '../../core/privacy/endpoint';
import { findIdentifiers, summariseFindings, type IdentifierFinding } from '../../core/privacy/identifiers';
import type { ManuscriptFormat } from '../../core/writing/markupFreeze';

/** Where a command writes: stdout for the result, stderr for messages. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Environment variables (default: `process.env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The real process streams. */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

/** Parsed command-line arguments: positionals and `--name value` / `--flag` options. */
export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly options: ReadonlyMap<string, string | true>;
}

/**
 * Parses arguments against the options a command knows.
 * @param args The arguments after the subcommand.
 * @param valued Options that take a value.
 * @param flags Options without a value.
 * @returns The parsed arguments.
 * @throws Error naming an unknown option or a missing value.
 */
export function parseArgs(args: readonly string[], valued: readonly string[], flags: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (flags.includes(name)) {
      options.set(name, true);
    } else if (valued.includes(name)) {
      const value = inline ?? args[index + 1];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new Error(`--${name} needs a value.`);
      options.set(name, value);
      if (inline === undefined) index += 1;
    } else {
      throw new Error(`unknown option --${name}.`);
    }
  }
  return { positionals, options };
}

/**
 * The manuscript format from a file name.
 * @param path The file's path.
 * @returns `latex` for .tex/.ltx, otherwise `markdown`.
 */
export function formatOf(path: string): ManuscriptFormat {
  return ['.tex', '.ltx', '.latex'].includes(extname(path).toLowerCase()) ? 'latex' : 'markdown';
}

/**
 * Reads the input file with a clear error.
 * @param path The file's path.
 * @returns Its text.
 * @throws Error saying the file cannot be read.
 */
export async function readInput(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`, { cause: error });
  }
}

/** The environment variables that configure the endpoint, for messages. */
export const endpointVariables = 'BIOWRITE_LLM_BASE_URL, BIOWRITE_LLM_MODEL and BIOWRITE_LLM_API_KEY (or OPENAI_BASE_URL, OPENAI_MODEL and OPENAI_API_KEY)';

/** The client and where it sends text. */
export interface CliEndpoint {
  readonly client: LlmClient;
  readonly baseUrl: string;
}

/**
 * Creates the client from the environment. Without any endpoint variable it refuses rather than guess,
 * so that a script never sends a manuscript somewhere unintended.
 * @param env The environment.
 * @returns The client and its base URL.
 * @throws LlmError of kind `notConfigured` naming the variables to set.
 */
export function endpointFromEnv(env: CliIo['env']): CliEndpoint {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  if (!['BIOWRITE_LLM_BASE_URL', 'OPENAI_BASE_URL', 'BIOWRITE_LLM_MODEL', 'BIOWRITE_LLM_API_KEY', 'OPENAI_API_KEY'].some(set)) {
    throw new LlmError('notConfigured', `no LLM endpoint is configured. Set ${endpointVariables}; for a local Ollama: BIOWRITE_LLM_BASE_URL=http://localhost:11434/v1 BIOWRITE_LLM_MODEL=llama3.1:8b.`);
  }
  const client = createLlmClientFromEnv(env);
  return { client, baseUrl: client.baseUrl };
}

/** What the privacy check decided. */
export type CliPrivacyDecision = { readonly action: 'send' } | { readonly action: 'redact'; readonly findings: readonly IdentifierFinding[] } | { readonly action: 'refuse'; readonly message: string };

/**
 * The CLI's privacy check: for a non-local endpoint (or `BIOWRITE_PRIVACY_ALWAYS_CHECK=1`), text with likely
 * patient identifiers is refused unless `--allow-identifiers` or `--redact` is given.
 * Extra local hosts come from `BIOWRITE_PRIVACY_LOCAL_HOSTS` (comma-separated).
 * @param text The text about to be sent.
 * @param baseUrl The endpoint.
 * @param parsed The command's options.
 * @param env The environment.
 * @returns Send, redact (with the findings) or refuse (with a message).
 */
export function cliPrivacyCheck(text: string, baseUrl: string, parsed: ParsedArgs, env: CliIo['env']): CliPrivacyDecision {
  const localHosts = (env.BIOWRITE_PRIVACY_LOCAL_HOSTS ?? '').split(',').map((host) => host.trim()).filter(Boolean);
  const always = /^(1|true|yes)$/i.test(env.BIOWRITE_PRIVACY_ALWAYS_CHECK ?? '');
  if (!always && isLocalEndpoint(baseUrl, localHosts)) return { action: 'send' };
  const findings = findIdentifiers(text);
  if (findings.length === 0 || parsed.options.has('allow-identifiers')) return { action: 'send' };
  if (parsed.options.has('redact')) return { action: 'redact', findings };
  let host = baseUrl;
  try {
    host = new URL(baseUrl).host;
  } catch {
    // Keep the raw value.
  }
  return {
    action: 'refuse',
    message: `the text holds likely patient identifiers (${summariseFindings(findings)}) and ${host} is not a local endpoint. Nothing was sent. Re-run with --redact to replace them with [REDACTED-…] placeholders, or --allow-identifiers to send them as they are.`,
  };
}

/**
 * Turns a failure into a one-line message and exit code.
 * @param command The subcommand, for the prefix.
 * @param error What was thrown.
 * @param io Where to write.
 * @returns The exit code: 130 for a cancellation, 1 for LLM failures, 2 for usage errors.
 */
export function reportFailure(command: string, error: unknown, io: CliIo): number {
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`biowrite ${command}: ${message}\n`);
  if (error instanceof LlmError) return error.kind === 'aborted' ? 130 : 1;
  return 2;
}

/**
 * Runs a writing subcommand: `--help` prints the usage; Ctrl-C aborts the signal given to `body`; a failure
 * becomes a one-line message and exit code (see {@link reportFailure}).
 * @param command The subcommand, for messages.
 * @param usage Its usage text.
 * @param args The arguments after the subcommand.
 * @param io Where to write.
 * @param body The command itself, given the signal; returns the exit code.
 * @returns The exit code.
 */
export async function runCliCommand(command: string, usage: string, args: readonly string[], io: CliIo, body: (signal: AbortSignal) => Promise<number>): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${usage}\n`);
    return 0;
  }
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    return await body(controller.signal);
  } catch (error) {
    return reportFailure(command, error, io);
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}
