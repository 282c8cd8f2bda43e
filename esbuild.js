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
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    mainFields: ['module', 'main'],
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
