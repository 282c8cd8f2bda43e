/**
 * `biowrite check FILE…`: marks the sentences of manuscripts that make a claim a reader would
 * expect to be backed by a source but carry no citation. Text, JSON or SARIF 2.1.0 output.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ManuscriptLanguage } from '../../core/manuscript/citations';
import { ClaimChecker, suggestedThreshold, type ClaimFinding, type UncheckedPart } from '../../core/claims/checker';
import { IGNORE_LIST_PATH, parseIgnoreList } from '../../core/claims/ignore';
import { CLAIM_RULE_ID, DEFAULT_SKIP_SECTIONS } from '../../core/claims/report';
import { decodeText } from '../../core/manuscript/decode';
import { loadDefaultScorer } from '../../core/claims/scorer';

const help = (): string => `Usage: biowrite check FILE… [--format text|json|sarif] [--threshold T] [--exit-zero]

Marks sentences that make a claim a reader would expect to be backed by a source, but carry no
citation. Markdown (.md, .markdown, .qmd, .Rmd) and LaTeX (.tex, .ltx) files.

Options:
  --format text|json|sarif  output format (default: text)
                              text   file:line:col  score  sentence   (1-based line and column,
                                     as editors and terminals expect)
                              json   {"version":1,"files":[{"path","findings":[{"rule","message","score",
                                     "range":{"start":{"line","character"},"end":…},"text"}]}]}
                                     with 0-based lines and UTF-16 characters (VS Code positions)
                              sarif  SARIF 2.1.0 for GitHub code scanning (1-based regions)
  --threshold T             lowest score reported, 0 to 1 (default: the model's suggested
                            threshold, now ${suggestedThreshold()}); 0 lists every uncited sentence with its score
  --exit-zero               exit 0 even when findings exist
  --language markdown|latex check every file as this language, whatever its extension
  --skip-sections LIST      comma-separated headings whose sections are not checked
                            (default: "${DEFAULT_SKIP_SECTIONS.join(',')}"; "" checks all)
  -h, --help                show this help

Sentences listed in ${IGNORE_LIST_PATH} (found in the file's folder or above) and sentences marked
with <!-- biowrite-ignore --> (Markdown) or % biowrite-ignore (LaTeX) are not reported.

Claims are checked in English and Korean. Paragraphs in another language are not checked: a notice
on standard error names their lines, --format json lists them under "notCheckedLanguage", and the
exit code does not change.

Exit codes: 0 no findings (or --exit-zero), 1 findings, 2 bad arguments, or a file or part of one
(a block too long or too deeply nested) that could not be read or checked; the rest is still
checked and reported, and --format json lists the parts under "notChecked".`;

interface CheckArguments {
  readonly files: string[];
  readonly format: 'text' | 'json' | 'sarif';
  readonly threshold?: number;
  readonly exitZero: boolean;
  readonly language?: ManuscriptLanguage;
  readonly skipSections: readonly string[];
}

class UsageError extends Error {}

function parseArguments(args: readonly string[]): CheckArguments | 'help' {
  const files: string[] = [];
  let format: CheckArguments['format'] = 'text';
  let threshold: number | undefined;
  let exitZero = false;
  let language: ManuscriptLanguage | undefined;
  let skipSections: readonly string[] = DEFAULT_SKIP_SECTIONS;
  const value = (index: number, name: string): string => {
    const next = args[index + 1];
    if (next === undefined) throw new UsageError(`${name} needs a value.`);
    return next;
  };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = (): string => {
      if (inline !== undefined) return inline;
      const next = value(index, name);
      index++;
      return next;
    };
    switch (name) {
      case '-h':
      case '--help':
        return 'help';
      case '--format': {
        const format_ = take();
        if (format_ !== 'text' && format_ !== 'json' && format_ !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not '${format_}'.`);
        format = format_;
        break;
      }
      case '--threshold': {
        const raw = take();
        const parsed = Number(raw);
        if (raw.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || parsed > 1) throw new UsageError(`--threshold must be a number from 0 to 1, not '${raw}'.`);
        threshold = parsed;
        break;
      }
      case '--exit-zero':
        exitZero = true;
        break;
      case '--language': {
        const raw = take();
        if (raw !== 'markdown' && raw !== 'latex') throw new UsageError(`--language must be markdown or latex, not '${raw}'.`);
        language = raw;
        break;
      }
      case '--skip-sections':
        skipSections = take()
          .split(',')
          .map((section) => section.trim())
          .filter((section) => section.length > 0);
        break;
      case '--':
        files.push(...args.slice(index + 1));
        index = args.length;
        break;
      default:
        if (name.startsWith('-') && name !== '-') throw new UsageError(`unknown option '${name}'.`);
        files.push(arg);
    }
  }
  if (files.length === 0) throw new UsageError('no file given.');
  return { files, format, threshold, exitZero, language, skipSections };
}

/** The language of a file from its extension, or undefined when Biowrite does not read it. */
export function languageOfPath(path: string): ManuscriptLanguage | undefined {
  const extension = extname(path).toLowerCase();
  if (['.md', '.markdown', '.qmd', '.rmd', '.mdown', '.mkd'].includes(extension)) return 'markdown';
  if (['.tex', '.ltx', '.latex'].includes(extension)) return 'latex';
  return undefined;
}

/** The nearest `.biowrite/ignore.json` from a file's folder upwards (stopping at a repository root). */
function findIgnoreList(file: string): string | undefined {
  let folder = dirname(resolve(file));
  for (let depth = 0; depth < 40; depth++) {
    const candidate = join(folder, IGNORE_LIST_PATH);
    if (existsSync(candidate)) return candidate;
    if (existsSync(join(folder, '.git'))) return undefined;
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
  return undefined;
}

/** Files larger than this are not read: no manuscript is this large. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

interface FileReport {
  readonly path: string;
  readonly findings: readonly ClaimFinding[];
  /** Parts of the file that were not checked, as sentences (empty when all of it was). */
  readonly notChecked?: readonly string[];
  /** Paragraphs not checked because of their language (a notice, not a failure). */
  readonly notCheckedLanguage?: readonly UncheckedPart[];
}

/** Where the command writes (standard output and error unless a test passes its own). */
export interface CheckOutput {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/**
 * Runs `biowrite check`.
 * @param args The arguments after `check`.
 * @param output (optional) Where to write (default: the process's standard output and error).
 * @returns The exit code: 0, 1 (findings) or 2 (usage error or a file not checked).
 */
export async function runCheck(args: readonly string[], output: CheckOutput = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let options: CheckArguments | 'help';
  try {
    options = parseArguments(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.stderr.write(`biowrite check: ${error.message}\n\n${help()}\n`);
    return 2;
  }
  if (options === 'help') {
    output.stdout.write(`${help()}\n`);
    return 0;
  }
  const settings = { ...options, threshold: options.threshold ?? suggestedThreshold() };
  const scorer = loadDefaultScorer();
  const ignoreLists = new Map<string, readonly string[]>();
  const reports: FileReport[] = [];
  let failed = false;
  const fail = (path: string, message: string): void => {
    failed = true;
    output.stderr.write(`biowrite check: ${path}: ${message}\n`);
  };

  for (const path of settings.files) {
    const language = settings.language ?? languageOfPath(path);
    if (!language) {
      fail(path, `not a Markdown (.md, .markdown, .qmd, .Rmd) or LaTeX (.tex) file. Rename it, or pass --language markdown|latex.`);
      continue;
    }
    let bytes: Buffer;
    try {
      const info = await stat(path);
      if (info.isDirectory()) {
        fail(path, 'is a folder. Pass the manuscript files inside it (e.g. content/*.md).');
        continue;
      }
      if (info.size > MAX_FILE_BYTES) {
        fail(path, `is ${Math.round(info.size / 1048576)} MB, too large to be a manuscript; nothing was checked.`);
        continue;
      }
      bytes = await readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      fail(path, code === 'ENOENT' ? 'no such file.' : code === 'EACCES' ? 'permission denied; check the file permissions.' : `could not be read (${(error as Error).message}).`);
      continue;
    }
    const decoded = decodeText(bytes);
    if (!decoded.ok) {
      fail(path, decoded.message);
      continue;
    }
    let ignoredSentences: readonly string[] = [];
    const ignorePath = findIgnoreList(path);
    if (ignorePath) {
      if (!ignoreLists.has(ignorePath)) {
        try {
          ignoreLists.set(ignorePath, parseIgnoreList(readFileSync(ignorePath, 'utf8')).sentences);
        } catch (error) {
          output.stderr.write(`biowrite check: ${ignorePath}: ${(error as Error).message} It was not used.\n`);
          ignoreLists.set(ignorePath, []);
        }
      }
      ignoredSentences = ignoreLists.get(ignorePath) ?? [];
    }
    try {
      const checker = new ClaimChecker({ language, threshold: settings.threshold, skipSections: settings.skipSections, scorer, ignoredSentences });
      const result = checker.check(decoded.text);
      // A part left unchecked may hide claims: the run must not pass as if the file were clean.
      for (const notice of result.notices) fail(path, `${notice} That part was not checked.`);
      // Another language is expected (a quotation, a second abstract): said, but the exit code stays.
      if (result.sentencesNotChecked > 0) output.stderr.write(`biowrite check: ${path}: ${languageNotice(result.unchecked)}\n`);
      reports.push({ path, findings: result.findings, notChecked: result.notices, notCheckedLanguage: result.unchecked });
    } catch (error) {
      fail(path, `could not be checked (${error instanceof Error ? error.message : String(error)}). Please report this with the file.`);
    }
  }

  switch (settings.format) {
    case 'text':
      output.stdout.write(formatText(reports));
      if (reports.length > 0) {
        const count = reports.reduce((sum, report) => sum + report.findings.length, 0);
        output.stderr.write(`${count} sentence${count === 1 ? '' : 's'} without a source in ${reports.length} file${reports.length === 1 ? '' : 's'} (threshold ${settings.threshold}).\n`);
      }
      break;
    case 'json':
      output.stdout.write(`${JSON.stringify(formatJson(reports))}\n`);
      break;
    case 'sarif':
      output.stdout.write(`${JSON.stringify(formatSarif(reports), null, 2)}\n`);
      break;
    default: {
      const never: never = settings.format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
  if (failed) return 2;
  const any = reports.some((report) => report.findings.length > 0);
  return any && !settings.exitZero ? 1 : 0;
}

/** "12 sentences in zh (lines 40–52) were not checked: …", for standard error. */
export function languageNotice(parts: readonly UncheckedPart[]): string {
  const sentences = parts.reduce((sum, part) => sum + part.sentences, 0);
  const languages = [...new Set(parts.map((part) => part.language))].join(', ');
  const lines = parts.map((part) => (part.range.start.line === part.range.end.line ? `${part.range.start.line + 1}` : `${part.range.start.line + 1}-${part.range.end.line + 1}`));
  const shown = lines.length > 5 ? `${lines.slice(0, 5).join(', ')} and ${lines.length - 5} more` : lines.join(', ');
  return `${sentences} sentence${sentences === 1 ? '' : 's'} in ${languages} (line${lines.length === 1 && !lines[0].includes('-') ? '' : 's'} ${shown}) ${sentences === 1 ? 'was' : 'were'} not checked: claims are checked in English and Korean only.`;
}

function roundScore(score: number): number {
  return Math.round(score * 10000) / 10000;
}

/** `file:line:col  score  sentence`, 1-based line and column (UTF-16 code units), one finding a line. */
export function formatText(reports: readonly FileReport[]): string {
  let out = '';
  for (const report of reports) {
    for (const finding of report.findings) {
      const { line, character } = finding.range.start;
      out += `${report.path}:${line + 1}:${character + 1}  ${finding.score.toFixed(2)}  ${finding.text.replace(/\s+/g, ' ')}\n`;
    }
  }
  return out;
}

/** The JSON output: the same for every consumer, 0-based lines and UTF-16 characters. */
export function formatJson(reports: readonly FileReport[]): unknown {
  return {
    version: 1,
    files: reports.map((report) => ({
      path: report.path,
      ...(report.notChecked && report.notChecked.length > 0 ? { notChecked: report.notChecked } : {}),
      ...(report.notCheckedLanguage && report.notCheckedLanguage.length > 0
        ? {
            notCheckedLanguage: report.notCheckedLanguage.map((part) => ({
              language: part.language,
              sentences: part.sentences,
              range: { start: { line: part.range.start.line, character: part.range.start.character }, end: { line: part.range.end.line, character: part.range.end.character } },
            })),
          }
        : {}),
      findings: report.findings.map((finding) => ({
        rule: finding.rule,
        message: finding.message,
        score: roundScore(finding.score),
        range: {
          start: { line: finding.range.start.line, character: finding.range.start.character },
          end: { line: finding.range.end.line, character: finding.range.end.character },
        },
        text: finding.text,
      })),
    })),
  };
}

/** A short stable hash (FNV-1a, hex) for SARIF fingerprints. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * A SARIF artifact location: relative to `%SRCROOT%` (the working directory, as code scanning
 * expects) for files under it, else an absolute `file:` URI, which takes no base id.
 */
export function sarifArtifactLocation(path: string): { readonly uri: string; readonly uriBaseId?: string } {
  const absolute = resolve(path);
  const rel = relative(process.cwd(), absolute);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { uri: pathToFileURL(absolute).href };
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/** SARIF 2.1.0 for GitHub code scanning: 1-based regions, UTF-16 columns, one rule with its help. */
export function formatSarif(reports: readonly FileReport[]): unknown {
  const version = process.env.BIOWRITE_VERSION ?? '0.1.0';
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Biowrite',
            semanticVersion: version,
            informationUri: 'https://example.invalid/biowrite',
            rules: [
              {
                id: CLAIM_RULE_ID,
                name: 'ClaimWithoutSource',
                shortDescription: { text: 'Claim without a source' },
                fullDescription: {
                  text: 'The sentence makes a claim a reader would expect to be backed by a source, but carries no citation.',
                },
                help: {
                  text: 'Cite a source for the claim, or mark the sentence as needing none with <!-- biowrite-ignore --> (Markdown) or % biowrite-ignore (LaTeX) after it.',
                  markdown:
                    'Cite a source for the claim (`[@key]`, `\\cite{key}`), or, when the sentence reports your own methods or results, mark it with `<!-- biowrite-ignore -->` (Markdown) or `% biowrite-ignore` (LaTeX) right after it.',
                },
                defaultConfiguration: { level: 'note' },
                properties: { tags: ['manuscript', 'citations'], precision: 'medium' },
              },
            ],
          },
        },
        columnKind: 'utf16CodeUnits',
        // Parts left unchecked are tool notifications, so code scanning does not show the file as clean.
        invocations: [
          {
            executionSuccessful: reports.every((report) => (report.notChecked ?? []).length === 0),
            toolExecutionNotifications: reports.flatMap((report) => [
              ...(report.notChecked ?? []).map((notice) => ({
                level: 'warning',
                message: { text: `${notice} That part was not checked.` },
                locations: [{ physicalLocation: { artifactLocation: sarifArtifactLocation(report.path) } }],
              })),
              ...(report.notCheckedLanguage ?? []).map((part) => ({
                level: 'note',
                message: { text: languageNotice([part]) },
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: sarifArtifactLocation(report.path),
                      region: { startLine: part.range.start.line + 1, startColumn: part.range.start.character + 1, endLine: part.range.end.line + 1, endColumn: part.range.end.character + 1 },
                    },
                  },
                ],
              })),
            ]),
          },
        ],
        results: reports.flatMap((report) =>
          report.findings.map((finding) => ({
            ruleId: CLAIM_RULE_ID,
            ruleIndex: 0,
            level: 'note',
            message: { text: `Claim without a source (score ${finding.score.toFixed(2)}, ${finding.message}): ${finding.text}` },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: sarifArtifactLocation(report.path),
                  region: {
                    startLine: finding.range.start.line + 1,
                    startColumn: finding.range.start.character + 1,
                    endLine: finding.range.end.line + 1,
                    endColumn: finding.range.end.character + 1,
                  },
                },
              },
            ],
            partialFingerprints: { 'biowriteSentence/v1': fingerprint(finding.text.toLowerCase().replace(/\s+/g, ' ')) },
            properties: { score: roundScore(finding.score) },
          })),
        ),
      },
    ],
  };
}
