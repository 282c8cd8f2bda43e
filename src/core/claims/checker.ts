/**
 * Checking a whole manuscript for claims without sources, incrementally: the document is split
 * into blocks cheaply, each block is parsed and checked alone, and results are cached per block by
 * its text and context (heading path, footnotes, options), so a one-line edit re-checks only the
 * changed paragraph. `checkAsync` yields to the event loop between blocks, so an editor stays
 * responsive on a large document.
 */
import * as l10n from '@vscode/l10n';
import { VFile } from 'vfile';
import { footnotesWithReferences, type ManuscriptLanguage } from '../manuscript/citations';
import { collectLatexProse, splitLatexBlocks } from '../manuscript/latex';
import { LineIndex, type TextRange } from '../manuscript/lineIndex';
import { createMarkdownProcessor, parseBlock, splitMarkdownBlocks, type HeadingEntry } from '../manuscript/markdown';
import { normalizeSentence } from './ignore';
import remarkClaims from './remarkClaims';
import { CLAIM_RULE_ID, DEFAULT_SKIP_SECTIONS, DEFAULT_THRESHOLD, UNCHECKED_LANGUAGE_RULE_ID, reportSentences, type ClaimMessage, type UncheckedLanguageMessage } from './report';
import { defaultModel, loadDefaultScorer, type ClaimScorer } from './scorer';

/** One sentence that may need a source. */
export interface ClaimFinding {
  /** Always `claim-without-source`. */
  readonly rule: typeof CLAIM_RULE_ID;
  /** Short reason ("background claim with a statistic"). */
  readonly message: string;
  /** Citation-worthiness in [0, 1]. */
  readonly score: number;
  /** 0-based lines, UTF-16 characters (VS Code `Position` semantics). */
  readonly range: TextRange;
  /** Offsets of the sentence in the document text. */
  readonly startOffset: number;
  readonly endOffset: number;
  /** The sentence as the user sees it (citations removed, math and code as written). */
  readonly text: string;
}

/** A paragraph left unchecked because of its language. */
export interface UncheckedPart {
  /** ISO 639-1 code of the detected language (`zh`, `fr`…). */
  readonly language: string;
  /** Sentences left unchecked in it. */
  readonly sentences: number;
  /** 0-based lines, UTF-16 characters. */
  readonly range: TextRange;
  readonly startOffset: number;
  readonly endOffset: number;
}

/** Options of a check. */
export interface CheckOptions {
  /** The document's language. */
  readonly language: ManuscriptLanguage;
  /** Lowest score reported; `0` reports every sentence (optional; default: the model's {@link suggestedThreshold}). */
  readonly threshold?: number;
  /** Headings whose sections are not checked (optional; default: `DEFAULT_SKIP_SECTIONS`). */
  readonly skipSections?: readonly string[];
  /** Scorer (optional; default: the shipped model). */
  readonly scorer?: ClaimScorer;
  /** Sentences that need no source, as text (optional; compared with `normalizeSentence`). */
  readonly ignoredSentences?: Iterable<string>;
  /**
   * Blocks (paragraphs, lists) longer than this many characters are not checked and a notice says
   * so (optional; default: 1,000,000). The editor uses a smaller limit so no single step blocks it.
   */
  readonly maxBlockLength?: number;
}

/** The result of a check. */
export interface CheckResult {
  /** Findings in document order. */
  readonly findings: readonly ClaimFinding[];
  /** Parts of the document that could not be checked, as sentences for the user. */
  readonly notices: readonly string[];
  /**
   * Paragraphs in a language the checker does not judge: not checked, never passed as clean.
   * Unlike `notices` these are expected (a quotation, an abstract in a second language).
   */
  readonly unchecked: readonly UncheckedPart[];
  /** Sentences without a citation that were scored. */
  readonly sentencesChecked: number;
  /** Sentences without a citation left unchecked because of their language (the sum over `unchecked`). */
  readonly sentencesNotChecked: number;
  /** Blocks parsed and scored in this check (the rest came from the cache). */
  readonly blocksChecked: number;
  /** Blocks in the document. */
  readonly blockCount: number;
}

interface BlockFinding {
  readonly start: number;
  readonly end: number;
  readonly score: number;
  readonly message: string;
  readonly text: string;
}

interface BlockUnchecked {
  readonly start: number;
  readonly end: number;
  readonly language: string;
  readonly sentences: number;
}

interface BlockResult {
  readonly findings: readonly BlockFinding[];
  readonly unchecked?: readonly BlockUnchecked[];
  readonly sentencesChecked?: number;
  /** Context after the block, for the next one. */
  readonly headingsAfter: readonly HeadingEntry[];
  readonly listDepthAfter: number;
  readonly notice?: string;
}

/** Options of {@link ClaimChecker.checkAsync}. */
export interface AsyncCheckOptions {
  /** Stops the check; the promise then rejects with an `AbortError`. */
  readonly signal?: AbortSignal;
  /** Longest stretch of work between two yields to the event loop, in ms (optional; default: 8). */
  readonly sliceMs?: number;
  /**
   * Called after each slice with its wall-clock and CPU time in ms (optional; for benchmarks:
   * wall time includes waits for a busy machine's CPU, CPU time does not).
   */
  readonly onSlice?: (slice: { readonly wallMs: number; readonly cpuMs: number }) => void;
}

let sharedDefaultScorer: ClaimScorer | undefined;

/**
 * The threshold the shipped model suggests (chosen when it was trained, from held-out
 * manuscripts), or `DEFAULT_THRESHOLD` when it gives none: the default when no threshold is set.
 */
export function suggestedThreshold(): number {
  try {
    const value: unknown = defaultModel().model.suggestedThreshold;
    return typeof value === 'number' && value > 0 && value < 1 ? value : DEFAULT_THRESHOLD;
  } catch {
    return DEFAULT_THRESHOLD;
  }
}

/** Checks one document again and again, re-checking only the blocks that changed. */
export class ClaimChecker {
  // Context key → block text → result. Keys are never concatenated with the block text, so a
  // check of an unchanged document allocates no copy of it.
  private cache = new Map<string, Map<string, BlockResult>>();
  private readonly scorer: ClaimScorer;
  private readonly threshold: number;
  private readonly skipSections: readonly string[];
  private readonly ignored: ReadonlySet<string>;
  private readonly maxBlockLength: number;
  private processor: ReturnType<typeof createClaimsProcessor> | undefined;
  private processorKey = '';

  /** @param options What and how to check; the scorer is loaded on first use when not given. */
  constructor(readonly options: CheckOptions) {
    this.scorer = options.scorer ?? (sharedDefaultScorer ??= loadDefaultScorer());
    this.threshold = typeof options.threshold === 'number' && Number.isFinite(options.threshold) ? options.threshold : suggestedThreshold();
    this.skipSections = options.skipSections ?? DEFAULT_SKIP_SECTIONS;
    this.ignored = new Set([...(options.ignoredSentences ?? [])].map(normalizeSentence));
    this.maxBlockLength = options.maxBlockLength ?? 1_000_000;
  }

  /** Checks the text synchronously (the CLI's way). */
  check(text: string): CheckResult {
    const run = this.start(text);
    while (run.step()) {
      // Each step checks one block.
    }
    return run.result();
  }

  /** Checks the text in slices of at most `sliceMs` of work, yielding to the event loop between them. */
  async checkAsync(text: string, options: AsyncCheckOptions = {}): Promise<CheckResult> {
    const sliceMs = options.sliceMs ?? 8;
    const run = this.start(text);
    let more = true;
    while (more) {
      if (options.signal?.aborted) throw abortError();
      const sliceStart = performance.now();
      const cpuStart = options.onSlice ? process.cpuUsage() : undefined;
      do more = run.step();
      while (more && performance.now() - sliceStart < sliceMs);
      if (options.onSlice && cpuStart) {
        const cpu = process.cpuUsage(cpuStart);
        options.onSlice({ wallMs: performance.now() - sliceStart, cpuMs: (cpu.user + cpu.system) / 1000 });
      }
      if (more) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return run.result();
  }

  private start(text: string): { step(): boolean; result(): CheckResult } {
    const language = this.options.language;
    const blocks = language === 'latex' ? splitLatexBlocks(text) : splitMarkdownBlocks(text);
    const footnotes = language === 'markdown' && text.includes('[^') ? footnotesWithReferences(text) : new Set<string>();
    const footnoteKey = [...footnotes].sort().join('\u0002');
    const processor = this.processorFor(footnotes, footnoteKey);
    const previous = this.cache;
    const next = new Map<string, Map<string, BlockResult>>();
    const absolute: BlockFinding[] = [];
    const uncheckedParts: BlockUnchecked[] = [];
    let sentencesChecked = 0;
    const notices: string[] = [];
    let headings: readonly HeadingEntry[] = [];
    let listDepth = 0;
    let index = 0;
    let checked = 0;
    let lineIndex: LineIndex | undefined;
    const step = (): boolean => {
      // Headings and skipped blocks are cheap: run through them in the same step.
      while (index < blocks.length) {
        const block = blocks[index++];
        if (block.kind === 'skip') continue;
        if (block.kind === 'heading' && language === 'markdown') {
          const heading = (block as { heading?: HeadingEntry }).heading;
          if (heading) {
            const kept = headings.filter((entry) => entry.depth < heading.depth);
            headings = [...kept, heading];
          }
          continue;
        }
        const blockText = text.slice(block.start, block.end);
        const contextKey = `${headingKey(headings)}\u0000${listDepth}\u0000${footnoteKey}`;
        let bucket = next.get(contextKey);
        if (!bucket) next.set(contextKey, (bucket = new Map()));
        let result = bucket.get(blockText) ?? previous.get(contextKey)?.get(blockText);
        if (!result) {
          result = this.checkBlock(blockText, headings, listDepth, processor);
          checked++;
        }
        bucket.set(blockText, result);
        for (const finding of result.findings) absolute.push({ ...finding, start: finding.start + block.start, end: finding.end + block.start });
        for (const part of result.unchecked ?? []) uncheckedParts.push({ ...part, start: part.start + block.start, end: part.end + block.start });
        sentencesChecked += result.sentencesChecked ?? 0;
        if (result.notice) {
          lineIndex ??= new LineIndex(text);
          notices.push(l10n.t('Line {0}: {1}', lineIndex.positionAt(block.start).line + 1, result.notice));
        }
        headings = result.headingsAfter;
        listDepth = result.listDepthAfter;
        return index < blocks.length;
      }
      return false;
    };
    const result = (): CheckResult => {
      this.cache = next;
      const lines = (lineIndex ??= new LineIndex(text));
      const findings: ClaimFinding[] = [];
      for (const finding of absolute) {
        if (this.ignored.size > 0 && this.ignored.has(normalizeSentence(finding.text))) continue;
        findings.push({
          rule: CLAIM_RULE_ID,
          message: finding.message,
          score: finding.score,
          range: lineIndex.rangeAt(finding.start, finding.end),
          startOffset: finding.start,
          endOffset: finding.end,
          text: finding.text,
        });
      }
      const unchecked: UncheckedPart[] = uncheckedParts.map((part) => ({
        language: part.language,
        sentences: part.sentences,
        range: lines.rangeAt(part.start, part.end),
        startOffset: part.start,
        endOffset: part.end,
      }));
      const sentencesNotChecked = unchecked.reduce((sum, part) => sum + part.sentences, 0);
      return { findings, notices, unchecked, sentencesChecked, sentencesNotChecked, blocksChecked: checked, blockCount: blocks.length };
    };
    return { step, result };
  }

  private processorFor(footnotes: ReadonlySet<string>, footnoteKey: string): ReturnType<typeof createClaimsProcessor> | undefined {
    if (this.options.language !== 'markdown') return undefined;
    if (!this.processor || this.processorKey !== footnoteKey) {
      this.processor = createClaimsProcessor(this.scorer, this.threshold, this.skipSections, footnotes);
      this.processorKey = footnoteKey;
    }
    return this.processor;
  }

  private checkBlock(
    blockText: string,
    headings: readonly HeadingEntry[],
    listDepth: number,
    processor: ReturnType<typeof createClaimsProcessor> | undefined,
  ): BlockResult {
    if (blockText.length > this.maxBlockLength) {
      return {
        findings: [],
        headingsAfter: headings,
        listDepthAfter: listDepth,
        notice: l10n.t('a block of {0} characters without a blank line was not checked; split it into paragraphs.', blockText.length.toLocaleString('en')),
      };
    }
    const depth = this.options.language === 'markdown' ? nestingDepth(blockText) : 0;
    if (depth > MAX_NESTING_COLUMNS) {
      return {
        findings: [],
        headingsAfter: headings,
        listDepthAfter: listDepth,
        notice: l10n.t('a list or quote nested {0} columns deep was not checked (Markdown parsers slow down badly on such nesting); flatten it.', depth),
      };
    }
    const markers = this.options.language === 'markdown' ? inlineMarkerCounts(blockText) : { delimiterRuns: 0, brackets: 0 };
    if (markers.delimiterRuns > MAX_EMPHASIS_DELIMITER_RUNS || markers.brackets > MAX_LINK_BRACKETS) {
      return {
        findings: [],
        headingsAfter: headings,
        listDepthAfter: listDepth,
        notice:
          markers.delimiterRuns > MAX_EMPHASIS_DELIMITER_RUNS
            ? l10n.t('a block with over {0} emphasis markers (* or _) was not checked (Markdown parsers slow down badly on so many); split it into paragraphs.', MAX_EMPHASIS_DELIMITER_RUNS.toLocaleString('en'))
            : l10n.t('a block with over {0} square brackets was not checked (Markdown parsers slow down badly on so many); split it into paragraphs.', MAX_LINK_BRACKETS.toLocaleString('en')),
      };
    }
    const file = new VFile({ value: blockText });
    let headingsAfter: readonly HeadingEntry[] = headings;
    let listDepthAfter = listDepth;
    try {
      if (processor) {
        // The heading context travels in `file.data`, so one processor serves every block.
        file.data.biowriteHeadings = headings;
        processor.runSync(parseBlock(processor, file), file);
        headingsAfter = file.data.biowriteHeadingsAfter ?? headings;
      } else {
        const collected = collectLatexProse(blockText, { headings, listDepth });
        reportSentences(file, collected.units, { scorer: this.scorer, threshold: this.threshold, skipSections: this.skipSections });
        headingsAfter = collected.headings;
        listDepthAfter = collected.listDepth;
      }
    } catch (error) {
      return {
        findings: [],
        headingsAfter,
        listDepthAfter,
        notice: l10n.t('this part could not be checked ({0}).', error instanceof Error ? error.message : String(error)),
      };
    }
    const findings: BlockFinding[] = [];
    const unchecked: BlockUnchecked[] = [];
    for (const message of file.messages as (ClaimMessage | UncheckedLanguageMessage)[]) {
      const start = message.place && 'start' in message.place ? message.place.start.offset : undefined;
      const end = message.place && 'end' in message.place ? message.place.end.offset : undefined;
      if (start === undefined || end === undefined) continue;
      if (message.ruleId === CLAIM_RULE_ID) {
        const claim = message as ClaimMessage;
        findings.push({ start, end, score: claim.score, message: claim.reason, text: claim.sentence });
      } else if (message.ruleId === UNCHECKED_LANGUAGE_RULE_ID) {
        const part = message as UncheckedLanguageMessage;
        unchecked.push({ start, end, language: part.language, sentences: part.sentenceCount });
      }
    }
    return { findings, unchecked, sentencesChecked: file.data.biowriteSentencesChecked ?? 0, headingsAfter, listDepthAfter };
  }
}

// remark's parse time grows steeply with list and quote nesting (400 levels take seconds), and
// no manuscript nests this deep: such blocks are reported instead of parsed.
const MAX_NESTING_COLUMNS = 100;

// Matching emphasis delimiters and link brackets takes time quadratic in their number (4,000
// emphasis runs take seconds, 10,000 nested image openers as long); a paragraph of a manuscript
// has a few dozen of each, and a long list of citations a few hundred brackets.
const MAX_EMPHASIS_DELIMITER_RUNS = 1000;
const MAX_LINK_BRACKETS = 2000;

/** Runs of `*` or `_`, and `[`, in a block, each counted up to just past its limit. */
function inlineMarkerCounts(text: string): { delimiterRuns: number; brackets: number } {
  let delimiterRuns = 0;
  let brackets = 0;
  let previous = 0;
  for (let index = 0; index < text.length; index++) {
    const c = text.charCodeAt(index);
    if ((c === 42 || c === 95) && c !== previous) delimiterRuns++;
    else if (c === 91) brackets++;
    previous = c;
    if (delimiterRuns > MAX_EMPHASIS_DELIMITER_RUNS || brackets > MAX_LINK_BRACKETS) break;
  }
  return { delimiterRuns, brackets };
}

/**
 * The deepest container nesting of a block's lines, in columns: indentation (tabs as 4), `>` markers
 * and list markers (`-`, `*`, `+`, `1.`, `1)` before a space), which nest as deeply as indentation.
 */
function nestingDepth(text: string): number {
  let deepest = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const depth = containerPrefixColumns(text, lineStart, lineEnd);
    if (depth > deepest) deepest = depth;
    // Past the limit the exact figure only goes into a notice: stop scanning a hostile block.
    if (deepest > MAX_NESTING_COLUMNS * 4) break;
    lineStart = lineEnd + 1;
  }
  return deepest;
}

/** Columns taken by the indentation, quote markers and list markers at the start of one line. */
function containerPrefixColumns(text: string, start: number, end: number): number {
  let column = 0;
  let index = start;
  while (index < end) {
    const c = text.charCodeAt(index);
    if (c === 32 || c === 62) {
      column++;
      index++;
    } else if (c === 9) {
      column += 4;
      index++;
    } else if ((c === 45 || c === 42 || c === 43) && (index + 1 === end || isBlank(text.charCodeAt(index + 1)))) {
      column++;
      index++;
    } else if (c >= 48 && c <= 57) {
      let digitsEnd = index;
      while (digitsEnd < end && digitsEnd - index < 9 && isDigit(text.charCodeAt(digitsEnd))) digitsEnd++;
      const marker = text.charCodeAt(digitsEnd);
      if (digitsEnd < end && (marker === 46 || marker === 41) && (digitsEnd + 1 === end || isBlank(text.charCodeAt(digitsEnd + 1)))) {
        column += digitsEnd - index + 1;
        index = digitsEnd + 1;
      } else break;
    } else break;
  }
  return column;
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function headingKey(headings: readonly HeadingEntry[]): string {
  return headings.map((heading) => `${heading.depth}\u0003${heading.text}`).join('\u0002');
}

function abortError(): Error {
  const error = new Error('The check was cancelled.');
  error.name = 'AbortError';
  return error;
}

/**
 * The unified processor the checker runs on each Markdown block: the manuscript parser and
 * `remarkClaims`, the heading context passing through `file.data.biowriteHeadings`.
 */
function createClaimsProcessor(scorer: ClaimScorer, threshold: number, skipSections: readonly string[], citingFootnotes: ReadonlySet<string>) {
  return createMarkdownProcessor().use(remarkClaims, { scorer, threshold, skipSections, citingFootnotes }).freeze();
}

/**
 * Checks a whole manuscript once (no cache kept).
 *
 * @param text The document.
 * @param options Language, threshold, sections to skip, scorer, ignored sentences.
 */
export function checkManuscript(text: string, options: CheckOptions): CheckResult {
  return new ClaimChecker(options).check(text);
}
