import * as fs from 'fs';

/**
 * Prints a line in the extension-host test output: the terminal of `npm run test:host` (through
 * the report file the harness tails) and the console of `npm run test:desktop`.
 */
export function logLine(line: string): void {
  console.log(line);
  const reportFile = process.env.BIOWRITE_TEST_REPORT;
  if (reportFile) fs.appendFileSync(reportFile, `${line}\n`);
}
