// The extension-host test suite: VS Code (the server harness or @vscode/test-electron) loads this
// compiled file and calls `run()`. Every compiled `*.test.js` beside it runs, so a new
// `test/suite/<name>.test.ts` needs no registration.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import { BiowriteReporter } from './reporter';

function listCompiledTests(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const entryPath = path.join(directory, entry.name);
    if (entry.isDirectory()) return listCompiledTests(entryPath);
    return entry.name.endsWith('.test.js') ? [entryPath] : [];
  });
}

/**
 * Runs every compiled extension-host test with mocha's TDD UI (`suite`/`test`).
 * `BIOWRITE_TEST_GREP` (a regular expression) narrows the run to matching test titles.
 * Resolves when all pass; rejects with the failure count otherwise.
 */
export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: 30_000,
    slow: 2_000,
    reporter: BiowriteReporter,
  });
  const grep = process.env.BIOWRITE_TEST_GREP;
  if (grep) mocha.grep(new RegExp(grep));
  for (const file of listCompiledTests(__dirname).sort()) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed.`)) : resolve()));
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
