/**
 * `biowrite refs MANUSCRIPT…`: audits the bibliography the manuscripts use: identifiers that do not
 * resolve or resolve to another work, mistaken metadata, retractions, corrections, published
 * preprints, undefined, unused and duplicate keys. Text, JSON or SARIF 2.1.0 output.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { DiskCache } from '../../core/literature/cache';
import { literatureCacheDirFromEnv, literatureConfigFromEnv } from '../../core/literature/config';
import { PROJECT_METADATA_FILES, discoverBibliographies } from '../../core/literature/library/discover';
import { LibraryFormatError } from '../../core/literature/library/cslJson';
import { decodeText } from '../../core/manuscript/decode';
import { LineIndex } from '../../core/manuscript/lineIndex';
import type { LiteratureRecord } from '../../core/literature/types';
import { auditReferences, type CitedKey } from '../../core/references/audit';
import { citedKeysOf } from '../../core/references/citedKeys';
import { readBibliographyEntries, type BibliographyEntry } from '../../core/references/entries';
import { createReferenceServices } from '../../core/references/services';
import { CLEAN_STATUSES, REFERENCE_STATUSES, statusSeverity, type ReferenceAudit, type ReferenceFinding, type ReferenceStatus } from '../../core/references/statuses';
import { languageOfPath, sarifArtifactLocation } from './check';

/** The Quarto metadata files beside and above a manuscript's folder that can be read, by relative path. */
function readProjectMetadata(folder: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of PROJECT_METADATA_FILES) {
    try {
      found.set(file, readFileSync(resolve(folder, file), 'utf8'));
    } catch {
      // Absent or unreadable: Quarto would not read it either.
    }
  }
  return found;
}

const help = (): string => `Usage: biowrite refs MANUSCRIPT… [--bibliography FILE]… [--online] [--format text|json|sarif] [--exit-zero]

Audits every bibliography entry the manuscripts use. The bibliography is found as Find Sources finds
it: the front matter's "bibliography:", \\bibliography{} / \\addbibresource{}, Manubot's
content/manual-references.json; --bibliography adds files (CSL JSON, CSL YAML or BibTeX).

Statuses:
  verified             the identifier (or a title search) finds the work, and the entry matches it
  not-found            the DOI/PMID/arXiv id does not exist, or no service knows a work like this
  identifier-mismatch  the identifier resolves to another work than the one cited
  metadata-mismatch    the same work with a wrong year, title typo, authors, pages or volume
  retracted, concern, corrected   a retraction, expression of concern or correction was published
  preprint-published   the cited preprint has a published version (its DOI is given)
  unverifiable         no service could be asked, or none indexes this kind of reference
  undefined, unused, duplicate    a cited key without entry; an entry never cited; one work, two keys

Options:
  --bibliography FILE  audit this bibliography too (repeatable)
  --online             ask Crossref, PubMed, Europe PMC, OpenAlex and arXiv (default: offline, which
                       checks only keys and what needs no service). Base URLs from BIOWRITE_CROSSREF_URL,
                       BIOWRITE_PUBMED_URL, BIOWRITE_EUROPEPMC_URL, BIOWRITE_OPENALEX_URL, BIOWRITE_ARXIV_URL;
                       NCBI_API_KEY, OPENALEX_API_KEY and BIOWRITE_CONTACT_EMAIL are used when set
  --recheck-days N     answers cached for longer than N days are asked again, so a retraction
                       published since is seen (default: 7; BIOWRITE_CACHE_DIR=none disables the cache)
  --format text|json|sarif  output (default: text)
                         json   {"entries":[{"key","statuses","fields","message","resolved",…}],"summary":{…}}
                         sarif  SARIF 2.1.0 for GitHub code scanning
  --exit-zero          exit 0 even when findings exist
  -h, --help           show this help

Exit codes: 0 nothing to fix, 1 findings, 2 bad arguments or an unreadable manuscript or bibliography.`;

interface RefsArguments {
  readonly manuscripts: string[];
  readonly bibliographies: string[];
  readonly online: boolean;
  readonly format: 'text' | 'json' | 'sarif';
  readonly exitZero: boolean;
  readonly recheckDays: number;
}

class UsageError extends Error {}

/** Parses the arguments of `biowrite refs`. */
export function parseRefsArguments(args: readonly string[]): RefsArguments | 'help' {
  const manuscripts: string[] = [];
  const bibliographies: string[] = [];
  let online = false;
  let format: RefsArguments['format'] = 'text';
  let exitZero = false;
  let recheckDays = 7;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = (): string => {
      if (inline !== undefined) return inline;
      const next = args[index + 1];
      if (next === undefined) throw new UsageError(`${name} needs a value.`);
      index++;
      return next;
    };
    switch (name) {
      case '-h':
      case '--help':
        return 'help';
      case '--bibliography':
        bibliographies.push(take());
        break;
      case '--online':
        online = true;
        break;
      case '--exit-zero':
        exitZero = true;
        break;
      case '--format': {
        const value = take();
        if (value !== 'text' && value !== 'json' && value !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not '${value}'.`);
        format = value;
        break;
      }
      case '--recheck-days': {
        const value = Number(take());
        if (!Number.isFinite(value) || value < 0) throw new UsageError('--recheck-days must be a number of days, 0 or more.');
        recheckDays = value;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`Unknown option '${arg}'.`);
        manuscripts.push(arg);
    }
  }
  if (manuscripts.length === 0) throw new UsageError('Name at least one manuscript.');
  return { manuscripts, bibliographies, online, format, exitZero, recheckDays };
}

/** Where the CLI writes. */
export interface RefsOutput {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Cancels the audit (optional; Ctrl-C does too). */
  readonly signal?: AbortSignal;
}

interface FileText {
  readonly path: string;
  readonly lines: LineIndex;
}

/**
 * Runs `biowrite refs`.
 * @param args The arguments after `refs`.
 * @param output Where to write (optional; default: the process's streams).
 * @returns The exit code.
 */
export async function runRefs(args: readonly string[], output: RefsOutput = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let options: RefsArguments;
  try {
    const parsed = parseRefsArguments(args);
    if (parsed === 'help') {
      output.stdout.write(`${help()}\n`);
      return 0;
    }
    options = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.stderr.write(`biowrite refs: ${error.message}\n\n${help()}\n`);
    return 2;
  }
  let failed = false;
  const texts = new Map<string, FileText>();
  const cited: CitedKey[] = [];
  const bibliographyPaths: string[] = [];
  for (const manuscript of options.manuscripts) {
    const language = languageOfPath(manuscript) ?? 'markdown';
    let text: string;
    try {
      const decoded = decodeText(await readFile(manuscript));
      if (!decoded.ok) throw new Error(decoded.message);
      text = decoded.text.replace(/^\uFEFF/, '');
    } catch (error) {
      output.stderr.write(`biowrite refs: ${manuscript}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).\n`);
      failed = true;
      continue;
    }
    texts.set(manuscript, { path: manuscript, lines: new LineIndex(text) });
    cited.push(...citedKeysOf(text, language, manuscript));
    const folder = dirname(manuscript);
    for (const reference of discoverBibliographies(text, { exists: (path) => existsSync(resolve(folder, path)), projectFiles: readProjectMetadata(folder) })) {
      bibliographyPaths.push(isAbsolute(reference.path) ? reference.path : resolve(folder, reference.path));
    }
  }
  bibliographyPaths.push(...options.bibliographies.map((path) => resolve(path)));
  const uniquePaths = [...new Set(bibliographyPaths)];
  if (uniquePaths.length === 0 && !failed) {
    output.stderr.write('biowrite refs: no bibliography found: name one in the front matter ("bibliography: refs.bib") or a Quarto project’s _quarto.yml, with \\bibliography{}, or pass --bibliography FILE.\n');
    return 2;
  }
  const entries: BibliographyEntry[] = [];
  const seenKeys = new Set<string>();
  for (const path of uniquePaths) {
    const shown = displayPath(path);
    let text: string;
    try {
      text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
    } catch (error) {
      output.stderr.write(`biowrite refs: ${shown}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found; check the path' : `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`}.\n`);
      failed = true;
      continue;
    }
    try {
      const read = readBibliographyEntries(text, shown);
      for (const warning of read.warnings) output.stderr.write(`biowrite refs: ${shown}${warning.line ? `:${warning.line}` : ''}: ${warning.message}\n`);
      for (const entry of read.entries) {
        if (seenKeys.has(entry.key)) continue;
        seenKeys.add(entry.key);
        entries.push(entry);
      }
      texts.set(shown, { path: shown, lines: new LineIndex(text) });
    } catch (error) {
      if (!(error instanceof LibraryFormatError)) throw error;
      output.stderr.write(`biowrite refs: ${shown}: ${error.message}\n`);
      failed = true;
    }
  }

  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  if (output.signal?.aborted) abort.abort();
  output.signal?.addEventListener('abort', onSignal, { once: true });
  let audit: ReferenceAudit;
  const started = performance.now();
  try {
    let services;
    if (options.online) {
      const cacheDir = literatureCacheDirFromEnv();
      const cache = cacheDir ? new DiskCache({ directory: cacheDir, ttlMs: options.recheckDays * 86_400_000 }) : undefined;
      services = createReferenceServices(literatureConfigFromEnv(), process.env.BIOWRITE_ARXIV_URL?.trim() || undefined, { cache });
    }
    audit = await auditReferences({ entries, cited: cited.map((item) => ({ ...item, location: { ...item.location, file: displayPath(item.location.file) } })), services, signal: abort.signal });
  } catch (error) {
    if (abort.signal.aborted) {
      output.stderr.write('biowrite refs: stopped.\n');
      return 2;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    output.signal?.removeEventListener('abort', onSignal);
  }
  for (const manuscript of options.manuscripts) {
    const text = texts.get(manuscript);
    if (text) texts.set(displayPath(manuscript), text);
  }
  switch (options.format) {
    case 'text':
      output.stdout.write(formatRefsText(audit, texts));
      output.stderr.write(`biowrite refs: ${audit.summary.entries} references in ${((performance.now() - started) / 1000).toFixed(1)} s${options.online ? '' : ' (offline: run with --online to check them against the services)'}.\n`);
      break;
    case 'json':
      output.stdout.write(`${JSON.stringify(formatRefsJson(audit, texts), null, 2)}\n`);
      break;
    case 'sarif':
      output.stdout.write(`${JSON.stringify(formatRefsSarif(audit, texts), null, 2)}\n`);
      break;
  }
  for (const failure of audit.summary.unreachable) output.stderr.write(`biowrite refs: ${failure.service} could not be reached (${failure.message}); entries it would have checked are unverifiable.\n`);
  if (failed) return 2;
  return audit.summary.withFindings > 0 && !options.exitZero ? 1 : 0;
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? resolve(path) : rel;
}

/** The 1-based place of a finding: its bibliography entry, else its first citation. */
function placeOf(finding: ReferenceFinding, texts: ReadonlyMap<string, FileText>): { file: string; line: number; column: number; endLine: number; endColumn: number } | undefined {
  const location = finding.entry && finding.entry.offset >= 0 ? finding.entry : finding.citations[0];
  const lines = location ? texts.get(location.file)?.lines : undefined;
  if (!location || !lines || location.offset < 0) return finding.entry ? { file: finding.entry.file, line: 1, column: 1, endLine: 1, endColumn: 1 } : undefined;
  const start = lines.positionAt(location.offset);
  const end = lines.positionAt(location.offset + location.length);
  return { file: location.file, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

/** `file:line:col  statuses  key  message`, findings first. */
export function formatRefsText(audit: ReferenceAudit, texts: ReadonlyMap<string, FileText>): string {
  const rank = (finding: ReferenceFinding): number => Math.min(...finding.statuses.map((status) => REFERENCE_STATUSES.indexOf(status)));
  const lines = [...audit.findings]
    .sort((a, b) => rank(a) - rank(b) || a.key.localeCompare(b.key))
    .map((finding) => {
      const place = placeOf(finding, texts);
      return `${place ? `${place.file}:${place.line}:${place.column}` : '-'}  ${finding.statuses.join(',')}  ${finding.message}`;
    });
  const counts = REFERENCE_STATUSES.filter((status) => audit.summary.statuses[status]).map((status) => `${status} ${audit.summary.statuses[status]}`);
  return `${lines.join('\n')}${lines.length > 0 ? '\n' : ''}\n${audit.summary.entries} references: ${counts.join(', ') || 'none'}.\n`;
}

function resolvedJson(record: LiteratureRecord | undefined): unknown {
  if (!record) return undefined;
  return {
    title: record.title,
    authors: record.authors.map((author) => author.literal ?? [author.given, author.family].filter(Boolean).join(' ')),
    year: record.year,
    containerTitle: record.containerTitle,
    volume: record.volume,
    page: record.page,
    doi: record.doi,
    pmid: record.pmid,
    pmcid: record.pmcid,
    sources: record.sources,
  };
}

/** The JSON report. */
export function formatRefsJson(audit: ReferenceAudit, texts: ReadonlyMap<string, FileText>): unknown {
  return {
    entries: audit.findings.map((finding) => {
      const place = placeOf(finding, texts);
      return {
        key: finding.key,
        statuses: finding.statuses,
        fields: finding.fields,
        message: finding.message,
        ...(finding.resolved ? { resolved: resolvedJson(finding.resolved) } : {}),
        ...(finding.publishedDoi ? { publishedDoi: finding.publishedDoi } : {}),
        ...(finding.duplicateOf ? { duplicateOf: finding.duplicateOf } : {}),
        ...(place ? { file: place.file, line: place.line, column: place.column } : {}),
        citations: finding.citations.map((citation) => {
          const position = texts.get(citation.file)?.lines.positionAt(citation.offset);
          return { file: citation.file, line: (position?.line ?? 0) + 1, column: (position?.character ?? 0) + 1 };
        }),
        checkedWith: finding.checkedWith,
      };
    }),
    summary: audit.summary,
  };
}

const ruleHelp: Readonly<Record<ReferenceStatus, string>> = {
  'not-found': 'The identifier does not exist, or no literature service knows a work with this title and these authors. Check the reference against the paper; it may be fabricated.',
  'identifier-mismatch': 'The identifier resolves to another work than the one cited (a real DOI with another title, other authors or another journal). Fix the identifier or the reference.',
  'metadata-mismatch': 'The same work with a wrong year, a typo in the title, wrong authors, pages or volume. Replace the entry with the resolved metadata.',
  retracted: 'The work was retracted. Remove the citation, or say in the text that it was retracted.',
  concern: 'An expression of concern was published about the work. Read it before relying on the work.',
  corrected: 'A correction was published for the work. Check that what you cite still holds.',
  'preprint-published': 'The cited preprint has a published version. Cite the published version.',
  unverifiable: 'No service could be asked, or none indexes this kind of reference. Check it by hand.',
  undefined: 'The key is cited but is not in the bibliography. Add the entry or fix the key.',
  unused: 'The entry is never cited. Remove it or cite it.',
  duplicate: 'Two keys name the same work. Keep one and cite it everywhere.',
  verified: 'The reference resolves to the cited work.',
};

/** SARIF 2.1.0 for GitHub code scanning: one rule per status, results on the entry (or the citation). */
export function formatRefsSarif(audit: ReferenceAudit, texts: ReadonlyMap<string, FileText>): unknown {
  const rules = REFERENCE_STATUSES.filter((status) => !CLEAN_STATUSES.has(status));
  const level = (status: ReferenceStatus): string => {
    const severity = statusSeverity(status);
    return severity === 'information' ? 'note' : severity;
  };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Biowrite',
            semanticVersion: process.env.BIOWRITE_VERSION ?? '0.1.0',
            informationUri: 'https://example.invalid/biowrite',
            rules: rules.map((status) => ({
              id: `biowrite/reference-${status}`,
              name: status.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase()),
              shortDescription: { text: `Reference: ${status}` },
              help: { text: ruleHelp[status] },
              defaultConfiguration: { level: level(status) },
              properties: { tags: ['references', 'bibliography'] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: audit.summary.unreachable.length === 0,
            toolExecutionNotifications: audit.summary.unreachable.map((failure) => ({ level: 'warning', message: { text: `${failure.service} could not be reached (${failure.message}); the entries it would have checked are unverifiable.` } })),
          },
        ],
        results: audit.findings.flatMap((finding) =>
          finding.statuses
            .filter((status) => !CLEAN_STATUSES.has(status))
            .map((status) => {
              const place = placeOf(finding, texts);
              return {
                ruleId: `biowrite/reference-${status}`,
                ruleIndex: rules.indexOf(status),
                level: level(status),
                message: { text: finding.message },
                ...(place
                  ? {
                      locations: [
                        {
                          physicalLocation: {
                            artifactLocation: sarifArtifactLocation(place.file),
                            region: { startLine: place.line, startColumn: place.column, endLine: place.endLine, endColumn: place.endColumn },
                          },
                        },
                      ],
                    }
                  : {}),
                partialFingerprints: { 'biowriteReference/v1': `${finding.key}|${status}` },
              };
            }),
        ),
      },
    ],
  };
}
