// `npm run eval:refs`: audits every planted bibliography of ../shared/refs/cases with the built CLI
// (`biowrite refs --online --format json`), against the benchmark's local fakes of Crossref, PubMed,
// Europe PMC, OpenAlex and arXiv, cold (no cache), and prints the benchmark scorer's table and the
// time each bibliography took.
//   node scripts/evalRefs.mjs [--refs DIR] [--case NAME] [--list] [--keep DIR]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const args = process.argv.slice(2);
const option = (name) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const refsDir = resolve(option('--refs') ?? join(root, '..', 'shared', 'refs'));
const onlyCase = option('--case');
const keep = option('--keep');
if (!existsSync(join(refsDir, 'fake_services.py'))) {
  console.error(`eval:refs: the benchmark is not at ${refsDir} (pass --refs DIR).`);
  process.exit(2);
}
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('eval:refs: dist/cli.js is missing: run `npm run build` first.');
  process.exit(2);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

const port = await freePort();
const fake = spawn('python3', [join(refsDir, 'fake_services.py'), join(refsDir, 'world.json'), String(port), '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
const base = `http://127.0.0.1:${port}`;
// The fake loads its world first; it is ready when it answers.
for (let attempt = 0; ; attempt++) {
  try {
    const response = await fetch(`${base}/crossref/`);
    if (response.ok) break;
  } catch {
    // not listening yet
  }
  if (attempt > 300 || fake.exitCode !== null) {
    console.error('eval:refs: the fake services did not start.');
    fake.kill();
    process.exit(2);
  }
  await new Promise((done) => setTimeout(done, 100));
}

const predictions = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'biowrite-refs-'));
mkdirSync(predictions, { recursive: true });
const cases = readdirSync(join(refsDir, 'cases')).filter((name) => !onlyCase || name === onlyCase).sort();
const env = {
  ...process.env,
  BIOWRITE_CROSSREF_URL: `${base}/crossref`,
  BIOWRITE_PUBMED_URL: `${base}/pubmed`,
  BIOWRITE_EUROPEPMC_URL: `${base}/europepmc`,
  BIOWRITE_OPENALEX_URL: `${base}/openalex`,
  BIOWRITE_ARXIV_URL: `${base}/arxiv`,
  BIOWRITE_CACHE_DIR: 'none',
};
const timings = [];
try {
  for (const name of cases) {
    const dir = join(refsDir, 'cases', name);
    const started = performance.now();
    const run = await new Promise((done) => {
      const child = spawn(process.execPath, [cli, 'refs', join(dir, 'manuscript.md'), '--bibliography', join(dir, 'bibliography.json'), '--online', '--format', 'json', '--exit-zero'], { env, cwd: dir });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
    const seconds = (performance.now() - started) / 1000;
    if (run.code !== 0) {
      console.error(`eval:refs: ${name}: biowrite refs exited ${run.code}\n${run.stderr}`);
      continue;
    }
    writeFileSync(join(predictions, `${name}.json`), run.stdout);
    const entries = JSON.parse(run.stdout).entries.length;
    timings.push({ name, entries, seconds });
  }
} finally {
  fake.kill('SIGTERM');
}

const scorerArgs = [join(refsDir, 'score_refs.py'), join(refsDir, 'cases'), predictions, ...(args.includes('--list') ? ['--list'] : [])];
if (onlyCase) scorerArgs.splice(1, 2, join(refsDir, 'cases', onlyCase, 'truth.jsonl'), join(predictions, `${onlyCase}.json`));
const scored = spawnSync('python3', scorerArgs, { encoding: 'utf8' });
process.stdout.write(scored.stdout);
if (scored.stderr) process.stderr.write(scored.stderr);
console.log('\nCold audit time per bibliography (local fakes, no cache):');
for (const { name, entries, seconds } of timings) console.log(`  ${name.padEnd(36)} ${String(entries).padStart(4)} entries  ${seconds.toFixed(1).padStart(6)} s`);
if (timings.length > 0) console.log(`  slowest ${Math.max(...timings.map((t) => t.seconds)).toFixed(1)} s (target: within 60 s each)`);
if (!keep) rmSync(predictions, { recursive: true, force: true });
else console.log(`Predictions kept in ${predictions}`);
