import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];
process.on('exit', () => {
  for (const directory of created) rmSync(directory, { recursive: true, force: true });
});

/**
 * A fresh directory under the system's temporary folder, removed when the test process exits
 * (also when a test fails before its own clean-up runs).
 * @param prefix The start of the directory's name (`biowrite-cache-`).
 */
export function temporaryDirectory(prefix: string): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  created.push(directory);
  return directory;
}
