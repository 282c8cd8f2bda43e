// A mocha reporter for the extension host, whose stdout nobody sees in the server harness:
// it writes each line to the file named by BIOWRITE_TEST_REPORT (the harness tails it to the
// terminal) and to the console (which @vscode/test-electron forwards), then a JSON summary.
import * as fs from 'fs';
import Mocha from 'mocha';

const { EVENT_RUN_END, EVENT_SUITE_BEGIN, EVENT_SUITE_END, EVENT_TEST_FAIL, EVENT_TEST_PASS, EVENT_TEST_PENDING } = Mocha.Runner.constants;

/** One failed test, as the JSON summary records it. */
export interface ReportedFailure {
  readonly title: string;
  readonly message: string;
  readonly stack?: string;
}

/** The JSON summary written to `${BIOWRITE_TEST_REPORT}.json` when the run ends. */
export interface ReportSummary {
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
  readonly durationMs: number;
  readonly failures: readonly ReportedFailure[];
}

/** Spec-like output: suites indented, ✓/✗ per test, failures with their message and stack at the end. */
export class BiowriteReporter extends Mocha.reporters.Base {
  private readonly reportFile = process.env.BIOWRITE_TEST_REPORT;
  private depth = 0;
  private readonly failedTests: ReportedFailure[] = [];

  /** Subscribes to the runner's events. */
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const started = Date.now();
    let passed = 0;
    let pending = 0;
    if (this.reportFile) fs.writeFileSync(this.reportFile, '');
    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      if (!suite.root) this.write(`${this.indent()}${suite.title}`);
      this.depth += 1;
    });
    runner.on(EVENT_SUITE_END, () => {
      this.depth -= 1;
    });
    runner.on(EVENT_TEST_PASS, (test) => {
      passed += 1;
      this.write(`${this.indent()}✓ ${test.title} (${test.duration ?? 0} ms)`);
    });
    runner.on(EVENT_TEST_PENDING, (test) => {
      pending += 1;
      this.write(`${this.indent()}- ${test.title} (skipped)`);
    });
    runner.on(EVENT_TEST_FAIL, (test, error: Error) => {
      const failure = { title: test.fullTitle(), message: error?.message ?? String(error), stack: error?.stack };
      this.failedTests.push(failure);
      this.write(`${this.indent()}✗ ${this.failedTests.length}) ${test.title}`);
    });
    runner.once(EVENT_RUN_END, () => {
      this.failedTests.forEach((failure, index) => {
        this.write('');
        this.write(`  ${index + 1}) ${failure.title}`);
        this.write(`     ${failure.message}`);
        const frames = (failure.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 6);
        if (frames.length > 0) this.write(frames.map((line) => `     ${line.trim()}`).join('\n'));
      });
      const summary: ReportSummary = { passed, failed: this.failedTests.length, pending, durationMs: Date.now() - started, failures: this.failedTests };
      this.write('');
      this.write(`  ${passed} passing, ${this.failedTests.length} failing, ${pending} pending (${summary.durationMs} ms)`);
      if (this.reportFile) fs.writeFileSync(`${this.reportFile}.json`, JSON.stringify(summary, null, 2));
    });
  }

  private indent(): string {
    return '  '.repeat(Math.max(this.depth, 0));
  }

  private write(line: string): void {
    console.log(line);
    if (this.reportFile) fs.appendFileSync(this.reportFile, `${line}\n`);
  }
}
