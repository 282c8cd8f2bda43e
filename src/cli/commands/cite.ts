/**
 * `biowrite cite`: finds sources for sentences in a CSL JSON or BibTeX library, and online with `--online`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { abstractServicesFor, enrichAbstracts, FileAbstractStore, MemoryAbstractStore } from '../../core/literature/abstractEnrichment';
import { LibraryIndex, parseSearchParameters, type SearchParameters } from '../../core/literature/library/librarySearch';
import { readLibraryFiles } from '../../core/literature/library/loadLibrary';
import { DiskCache } from '../../core/literature/cache';
import { literatureCacheDirFromEnv, literatureConfigFromEnv } from '../../core/literature/config';
import type { OnlineService } from '../../core/literature/http';
import { isSearchFailure, searchOnline } from '../../core/literature/searchOnline';
import type { LiteratureRecord } from '../../core/literature/types';
import { ManuscriptCitations, type TextSpan } from '../../core/literature/library/inSitu';
import { LineIndex } from '../../core/manuscript/lineIndex';

const ONLINE_SERVICES: readonly OnlineService[] = ['pubmed', 'europepmc', 'crossref', 'openalex'];

/** The id of an online record in the output: its DOI, else `pmid:N`, else `pmcid:PMCN`. */
export function onlineRecordId(record: LiteratureRecord): string | undefined {
  if (record.doi) return record.doi;
  if (record.pmid) return `pmid:${record.pmid}`;
  if (record.pmcid) return `pmcid:${record.pmcid}`;
  return undefined;
}

/** One service that failed for a query, as written in the output line's `errors`. */
interface ServiceFailure {
  readonly service: OnlineService;
  readonly message: string;
}

/** Online results for one query, merged across services (a record found by several ranks by its best rank). */
async function searchOnlineForQuery(
  text: string,
  top: number,
  signal: AbortSignal,
  cache: DiskCache | undefined,
  warn: (message: string) => void,
): Promise<{ results: { record: LiteratureRecord; score: number }[]; failures: ServiceFailure[] }> {
  const config = literatureConfigFromEnv();
  const best = new Map<string, { record: LiteratureRecord; score: number }>();
  const failures: ServiceFailure[] = [];
  for await (const event of searchOnline({ text }, { services: ONLINE_SERVICES, maxResults: top, signal, config, ...(cache ? { cache } : {}) })) {
    if (isSearchFailure(event)) {
      // A stop asked for by the user is not the service's failure.
      if (event.error.kind === 'aborted') continue;
      warn(`${event.source}: ${event.error.message}`);
      failures.push({ service: event.source, message: event.error.message });
      continue;
    }
    event.records.forEach((record, rank) => {
      const id = onlineRecordId(record);
      if (!id) return;
      // Reciprocal-rank score, summed over the services that found it.
      const score = 1 / (rank + 1);
      const previous = best.get(id);
      best.set(id, { record: previous?.record ?? record, score: Math.round(((previous?.score ?? 0) + score) * 1e4) / 1e4 });
    });
  }
  return { results: [...best.values()].sort((a, b) => b.score - a.score).slice(0, top), failures };
}

const help = `Usage: biowrite cite --library FILE.json|FILE.bib --queries Q.jsonl [--manuscript M] [--top 10] [--online] [--fetch-abstracts] [--format jsonl] [--stats]

Ranks the references of a library (CSL JSON or BibTeX) for each sentence of Q.jsonl.

Options:
  --library FILE   a CSL JSON (.json) or BibTeX (.bib) file; repeat for several files
  --queries FILE   JSON Lines, one query a line: {"id": "...", "text": "...", "context": "..."?,
                   "line": L?, "start": S?, "end": E?} (use - for standard input)
  --manuscript M   the manuscript the sentences are in (Markdown, or LaTeX by its .tex name): what it
                   already cites is used to rank. A query's "line", "start" and "end" (0-based line and
                   UTF-16 columns in M, end exclusive) place its sentence, own citation tags included; the
                   citations inside that span are ignored, all the others are used. A query without them
                   ranks cold. Without --manuscript every query ranks cold (the library alone).
  --top N          results per query (default: 10)
  --online         also search PubMed, Europe PMC, Crossref and OpenAlex; base URLs come from
                   BIOWRITE_PUBMED_URL, BIOWRITE_EUROPEPMC_URL, BIOWRITE_CROSSREF_URL, BIOWRITE_OPENALEX_URL
  --fetch-abstracts
                   before ranking, fetch the abstracts library entries lack, by their PMID or DOI, from
                   PubMed, OpenAlex and Europe PMC (same base URL variables; only identifiers are sent),
                   kept in abstracts.json in the cache directory (BIOWRITE_CACHE_DIR) so each is fetched
                   once; the library files are not changed
  --format jsonl   output format (jsonl is the only one)
  --stats          print the search time per query to standard error
  --ranking FILE   ranking parameters (JSON, as written by \`npm run train:cite\`) instead of the shipped ones
  -h, --help       show this help

Each output line: {"id": ..., "results": [{"id": <CSL id or BibTeX key; DOI or pmid:N online>, "score": ..., "title": ...,
"inSitu"?: {"inParagraph", "nearby", "elsewhere", "coCitedWith", "example"?}}]} (inSitu: how the manuscript cites it)
With --online, a line also has "errors": [{"service": ..., "message": ...}] when services failed for
that query, so missing results are not mistaken for none.
Exit codes: 0 success (some services may have failed: see "errors"), 1 every online service failed for
at least one query, 2 bad arguments or unreadable files, 130 interrupted (Ctrl-C; the lines already
written are complete).`;

/** Parsed command-line options of `biowrite cite`. */
export interface CiteOptions {
  readonly libraries: string[];
  readonly queries: string;
  readonly top: number;
  readonly online: boolean;
  readonly stats: boolean;
  /** A JSON file of ranking parameters replacing the shipped ones (optional). */
  readonly ranking?: string;
  /** The manuscript whose other citations are evidence (optional). */
  readonly manuscript?: string;
  /** Fetch missing abstracts by identifier before ranking (optional; default: false). */
  readonly fetchAbstracts?: boolean;
}

/** One query line. */
export interface CiteQuery {
  /** As given (a number stays a number, so the output's ids match the input's). */
  readonly id: string | number;
  readonly text: string;
  readonly context?: string;
  /** Where the sentence is in the manuscript (0-based line, UTF-16 columns, end exclusive; optional). */
  readonly position?: { readonly line: number; readonly start: number; readonly end: number };
}

class UsageError extends Error {}

/** Parses the arguments; throws a {@link UsageError}-like Error with a next step on bad input. */
export function parseCiteArgs(args: readonly string[]): CiteOptions | 'help' {
  const libraries: string[] = [];
  let queries: string | undefined;
  let top = 10;
  let online = false;
  let stats = false;
  let ranking: string | undefined;
  let manuscript: string | undefined;
  let fetchAbstracts = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value.`);
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--library':
        libraries.push(value());
        break;
      case '--queries':
        queries = value();
        break;
      case '--top': {
        const raw = value();
        top = Number(raw);
        if (!Number.isInteger(top) || top < 1 || top > 1000) throw new UsageError(`--top must be a whole number from 1 to 1000, not "${raw}".`);
        break;
      }
      case '--online':
        online = true;
        break;
      case '--stats':
        stats = true;
        break;
      case '--fetch-abstracts':
        fetchAbstracts = true;
        break;
      case '--ranking':
        ranking = value();
        break;
      case '--manuscript':
        if (manuscript !== undefined) throw new UsageError('give --manuscript once: the queries are sentences of one manuscript.');
        manuscript = value();
        break;
      case '--format': {
        const format = value();
        if (format !== 'jsonl') throw new UsageError(`--format ${format} is not supported; use --format jsonl.`);
        break;
      }
      default:
        throw new UsageError(`unknown option "${arg}".`);
    }
  }
  if (libraries.length === 0 && !online) throw new UsageError('give a library with --library FILE.json|FILE.bib (or search online with --online).');
  if (!queries) throw new UsageError('give the queries with --queries Q.jsonl.');
  if (fetchAbstracts && libraries.length === 0) throw new UsageError('--fetch-abstracts fills in the abstracts of a library: give one with --library.');
  return { libraries, queries, top, online, stats, ...(ranking !== undefined ? { ranking } : {}), ...(manuscript !== undefined ? { manuscript } : {}), ...(fetchAbstracts ? { fetchAbstracts } : {}) };
}

/**
 * Parses JSON Lines queries; throws with the line number of the first bad line. A byte-order mark,
 * CRLF line ends, blank lines, a `null` context and an empty text (answered with no results) are accepted.
 */
export function parseQueries(text: string, fileName: string): CiteQuery[] {
  const queries: CiteQuery[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new UsageError(`${fileName}:${index + 1}: not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`${fileName}:${index + 1}: expected an object {"id", "text", "context"?}.`);
    const { id, text: queryText, context, line: lineNumber, start, end } = value as Record<string, unknown>;
    if (typeof id !== 'string' && typeof id !== 'number') throw new UsageError(`${fileName}:${index + 1}: "id" is missing or not a string.`);
    if (typeof queryText !== 'string') throw new UsageError(`${fileName}:${index + 1}: "text" is missing or not a string.`);
    if (context !== undefined && context !== null && typeof context !== 'string') throw new UsageError(`${fileName}:${index + 1}: "context" must be a string.`);
    const given = [lineNumber, start, end].filter((v) => v !== undefined && v !== null);
    const isColumn = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
    if (given.length > 0 && (given.length < 3 || !given.every(isColumn))) {
      throw new UsageError(`${fileName}:${index + 1}: "line", "start" and "end" go together, as whole numbers from 0.`);
    }
    if (given.length === 3 && (end as number) < (start as number)) throw new UsageError(`${fileName}:${index + 1}: "end" is before "start".`);
    const position = given.length === 3 ? { line: lineNumber as number, start: start as number, end: end as number } : undefined;
    queries.push({ id, text: queryText, ...(typeof context === 'string' ? { context } : {}), ...(position ? { position } : {}) });
  });
  return queries;
}

async function readQueriesText(path: string): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${path}: file not found.` : `${path}: cannot be read (${code ?? String(error)}).`);
  }
}

/**
 * Fills in missing abstracts from PubMed, OpenAlex and Europe PMC (base URLs from the environment), kept in
 * `abstracts.json` in the CLI's cache directory, and says on stderr what it did.
 */
async function fetchMissingAbstracts(records: readonly LiteratureRecord[], signal: AbortSignal, stderr: CiteOutput['stderr']): Promise<{ records: LiteratureRecord[] }> {
  const cacheDir = literatureCacheDirFromEnv();
  const store = cacheDir ? await new FileAbstractStore(join(cacheDir, 'abstracts.json')).load() : new MemoryAbstractStore();
  const result = await enrichAbstracts(records, {
    services: abstractServicesFor(literatureConfigFromEnv(), ['pubmed', 'openalex', 'europepmc']),
    store,
    signal,
  }).catch((error: unknown) => {
    // The cache file could not be written: ranking goes on with what the library holds.
    stderr.write(`biowrite cite: warning: abstracts were not fetched (${error instanceof Error ? error.message : String(error)}).\n`);
    return undefined;
  });
  if (!result) return { records: [...records] };
  for (const failure of result.failures) stderr.write(`biowrite cite: warning: abstracts: ${failure.message}\n`);
  if (result.storeError) stderr.write(`biowrite cite: warning: the abstract cache in ${cacheDir} could not be written (${result.storeError}); they will be fetched again next time.\n`);
  const foundNowhere = result.missing - result.fromStore - result.fetched;
  stderr.write(
    `biowrite cite: abstracts: ${result.missing} ${result.missing === 1 ? 'entry lacks' : 'entries lack'} one and ${result.missing === 1 ? 'has' : 'have'} a DOI or PMID; ${result.fetched} fetched, ${result.fromStore} from the cache, ${foundNowhere} not found${result.withoutIdentifier > 0 ? `; ${result.withoutIdentifier} without an identifier` : ''}.\n`,
  );
  return { records: result.records };
}

/** Output of one result. */
interface OutputResult {
  readonly id: string;
  readonly score: number;
  readonly title: string;
  readonly inSitu?: import('../../core/literature/library/inSitu').InSituReason;
}

/** The span of a query's sentence in the manuscript, or why it has none (a position outside the text). */
function spanOf(lines: LineIndex, position: NonNullable<CiteQuery['position']>): TextSpan | string {
  if (position.line >= lines.lineCount) return `line ${position.line} is past the manuscript's end (${lines.lineCount} lines)`;
  const lineStart = lines.lineStarts[position.line];
  const lineEnd = position.line + 1 < lines.lineCount ? lines.lineStarts[position.line + 1] : lines.text.length;
  if (lineStart + position.end > lineEnd) return `columns ${position.start}-${position.end} are past the end of line ${position.line}`;
  return { start: lineStart + position.start, end: lineStart + position.end };
}

/** Where the command writes (the process's streams, or a test's buffers). */
export interface CiteOutput {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Stops the run like Ctrl-C does (optional; for callers other than the terminal). */
  readonly signal?: AbortSignal;
}

/**
 * Runs `biowrite cite`; returns the exit code.
 * @param args The arguments after `cite`.
 * @param io Output streams (optional; default: the process's).
 */
export async function runCite(args: readonly string[], io: CiteOutput = process): Promise<number> {
  const { stdout, stderr } = io;
  let options: CiteOptions | 'help';
  try {
    options = parseCiteArgs(args);
  } catch (error) {
    stderr.write(`biowrite cite: ${error instanceof Error ? error.message : String(error)}\nRun \`biowrite cite --help\` for usage.\n`);
    return 2;
  }
  if (options === 'help') {
    stdout.write(`${help}\n`);
    return 0;
  }
  let queries: CiteQuery[];
  let parameters: SearchParameters | undefined;
  let manuscriptText: string | undefined;
  try {
    if (options.ranking !== undefined) parameters = parseSearchParameters(JSON.parse(await readFile(options.ranking, 'utf8')));
    queries = parseQueries(await readQueriesText(options.queries), options.queries);
    if (options.manuscript !== undefined) {
      const path = options.manuscript;
      manuscriptText = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(error.code === 'ENOENT' ? `${path}: file not found.` : `${path}: cannot be read (${error.code ?? String(error)}).`);
      });
    }
  } catch (error) {
    stderr.write(`biowrite cite: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const library = await readLibraryFiles(options.libraries);
  for (const warning of library.warnings) stderr.write(`biowrite cite: warning: ${warning}\n`);
  if (library.errors.length > 0) {
    for (const error of library.errors) stderr.write(`biowrite cite: ${error}\n`);
    return 2;
  }
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  if (io.signal?.aborted) abort.abort();
  io.signal?.addEventListener('abort', onSignal, { once: true });
  let records = library.records;
  let searchMs = 0;
  let queriesWithoutOnline = 0;
  try {
    if (options.fetchAbstracts) {
      const enrichment = await fetchMissingAbstracts(records, abort.signal, stderr);
      records = enrichment.records;
    }
    const index = new LibraryIndex(records, parameters);
    const manuscript =
      manuscriptText !== undefined && options.manuscript !== undefined
        ? {
            citations: new ManuscriptCitations(index.records, manuscriptText.replace(/^\uFEFF/, ''), /\.(?:tex|ltx|latex)$/i.test(options.manuscript) ? 'latex' : 'markdown'),
            lines: new LineIndex(manuscriptText.replace(/^\uFEFF/, '')),
          }
        : undefined;
    if (manuscript && !manuscript.citations.hasCitations) {
      stderr.write(`biowrite cite: warning: ${options.manuscript} cites no entry of the library, so every query ranks on the library alone.\n`);
    }
    const cacheDir = options.online ? literatureCacheDirFromEnv() : undefined;
    const cache = cacheDir ? new DiskCache({ directory: cacheDir }) : undefined;
    for (const query of queries) {
      if (abort.signal.aborted) break;
      if (query.text.trim() === '') {
        // One empty line must not cost the other answers: it gets an empty list, and a word on stderr.
        stderr.write(`biowrite cite: ${query.id}: the query's "text" is empty, so it has no results.\n`);
        stdout.write(`${JSON.stringify({ id: query.id, results: [] })}\n`);
        continue;
      }
      let span: TextSpan | undefined;
      if (manuscript && query.position) {
        const found = spanOf(manuscript.lines, query.position);
        if (typeof found === 'string') stderr.write(`biowrite cite: ${query.id}: ${found}, so it ranks without the manuscript.\n`);
        else span = found;
      }
      const start = performance.now();
      const hits = index.search(
        { text: query.text, ...(query.context !== undefined ? { context: query.context } : {}), ...(manuscript && span ? { inSitu: { citations: manuscript.citations, span } } : {}) },
        options.top,
      );
      searchMs += performance.now() - start;
      const results: OutputResult[] = hits.map((hit) => ({ id: hit.record.libraryId ?? '', score: hit.score, title: hit.record.title, ...(hit.inSitu ? { inSitu: hit.inSitu } : {}) }));
      if (options.online) {
        const online = await searchOnlineForQuery(query.text, options.top, abort.signal, cache, (message) => stderr.write(`biowrite cite: ${query.id}: ${message}\n`));
        // A line cut short by Ctrl-C is not written: every line on stdout is a whole answer.
        if (abort.signal.aborted) break;
        // A paper already in the library is listed once, by its library id.
        const inLibrary = new Set(hits.flatMap((hit) => [hit.record.doi, hit.record.pmid && `pmid:${hit.record.pmid}`].filter((v): v is string => typeof v === 'string' && v !== '')));
        for (const { record, score } of online.results) {
          const id = onlineRecordId(record) as string;
          if (inLibrary.has(id) || (record.pmid && inLibrary.has(`pmid:${record.pmid}`))) continue;
          results.push({ id, score, title: record.title });
        }
        if (online.failures.length === ONLINE_SERVICES.length) queriesWithoutOnline++;
        stdout.write(`${JSON.stringify({ id: query.id, results, ...(online.failures.length > 0 ? { errors: online.failures } : {}) })}\n`);
        continue;
      }
      stdout.write(`${JSON.stringify({ id: query.id, results })}\n`);
    }
  } finally {
    process.off('SIGINT', onSignal);
    io.signal?.removeEventListener('abort', onSignal);
  }
  if (abort.signal.aborted) {
    stderr.write('biowrite cite: interrupted; the lines written so far are complete.\n');
    return 130;
  }
  if (options.stats) {
    stderr.write(`biowrite cite: ${queries.length} queries, ${records.length} references, ${(searchMs / Math.max(1, queries.length)).toFixed(3)} ms/query (library search)\n`);
  }
  if (queriesWithoutOnline > 0) {
    stderr.write(
      `biowrite cite: every online service failed for ${queriesWithoutOnline} of ${queries.length} ${queries.length === 1 ? 'query' : 'queries'}, so their lines lack online results. Check the network and the BIOWRITE_*_URL variables, then run again.\n`,
    );
    return 1;
  }
  return 0;
}
