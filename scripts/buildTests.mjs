// Compiles the extension-host suite (test/suite) and the start-up benchmark (test/bench) to out/test/.
// esbuild bundles, so every test file is its own entry: index.js then finds `*.test.js` beside it,
// and a new test/suite/**/*.test.ts needs no registration. `vscode` and `mocha` stay external
// (VS Code provides the first; the second must be the one instance the suite's globals come from).
import esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './lib/vscodeServer.mjs';

const roots = ['test/suite', 'test/bench'];

function listEntries(directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return listEntries(path);
    return entry.name.endsWith('.test.ts') || entry.name === 'index.ts' ? [path] : [];
  });
}

/** Builds the extension-host test bundles into out/test/ and returns their paths. */
export async function buildTests() {
  rmSync(join(repoRoot, 'out', 'test'), { recursive: true, force: true });
  const entryPoints = roots.flatMap((root) => listEntries(join(repoRoot, root)));
  await esbuild.build({
    entryPoints,
    outbase: repoRoot,
    outdir: join(repoRoot, 'out'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    sourcesContent: false,
    external: ['vscode', 'mocha'],
    mainFields: ['module', 'main'],
    logLevel: 'warning',
  });
  return entryPoints.map((entry) => relative(repoRoot, entry));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  buildTests().then(
    (entries) => console.log(`[build:tests] ${entries.length} entries → out/test/`),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
