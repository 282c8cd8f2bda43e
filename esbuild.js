// Builds the three bundles: the extension (node, cjs), the panel script (browser) and the CLI (node).
// `--production` minifies and drops sourcemaps; `--watch` rebuilds on change; `--metafile` writes dist/meta-*.json.
const esbuild = require('esbuild');
const fs = require('fs');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const metafile = process.argv.includes('--metafile');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
  metafile,
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    // An ES module split into chunks: activation loads only the small entry, and each feature's heavy
    // parts (the claims model, the literature clients, `openai`, `yaml`) load on first use. Modules used
    // by several features sit in shared chunks, so each class exists once and `instanceof` holds.
    // VS Code loads an `.mjs` main with `import` (node extension host, VS Code ≥ 1.100).
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['vscode'],
    mainFields: ['module', 'main'],
    // Some dependencies call `require` for Node built-ins; an ES module has none of its own.
    banner: { js: "import { createRequire as __biowriteCreateRequire } from 'node:module'; const require = __biowriteCreateRequire(import.meta.url);" },
  },
  {
    ...common,
    entryPoints: { webview: 'src/webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
  },
];

async function main() {
  // Chunk names carry a content hash: without this, every build would leave the previous chunks behind.
  fs.rmSync('dist/chunks', { recursive: true, force: true });
  if (watch) {
    const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
    await Promise.all(contexts.map((context) => context.watch()));
    console.log('[esbuild] watching');
    return;
  }
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  if (metafile) {
    results.forEach((result, index) => {
      const name = Object.keys(builds[index].entryPoints)[0];
      fs.writeFileSync(`dist/meta-${name}.json`, JSON.stringify(result.metafile));
    });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
