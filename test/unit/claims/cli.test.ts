import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { languageOfPath, runCheck } from '../../../src/cli/commands/check';
import { temporaryDirectory } from '../temporaryDirectory';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'claims');

/** Runs `biowrite check` in-process, capturing its output. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCheck(args, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } });
  return { code, stdout, stderr };
}

test('text output is file:line:col  score  sentence with 1-based positions; exit 1 on findings', async () => {
  const file = join(fixtures, 'claims.md');
  const { code, stdout, stderr } = await cli(file, '--threshold', '0', '--skip-sections', '');
  assert.equal(code, 1);
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines[0], new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:8:1  0\\.\\d\\d  Deep learning has transformed`));
  assert.match(stderr, /4 sentences without a source in 1 file/);
});

test('--exit-zero, and no findings exit 0', async () => {
  assert.equal((await cli(join(fixtures, 'claims.md'), '--threshold', '0', '--exit-zero')).code, 0);
  const dir = temporaryDirectory('biowrite-check-');
  writeFileSync(join(dir, 'plain.md'), '# Methods\n\nWe trained a model.\n');
  assert.equal((await cli(join(dir, 'plain.md'))).code, 0);
});

test('JSON output has exactly the documented schema with 0-based UTF-16 positions', async () => {
  const file = join(fixtures, 'claims.tex');
  const { code, stdout } = await cli('--format', 'json', '--threshold=0', file);
  assert.equal(code, 1);
  const json = JSON.parse(stdout) as { version: number; files: { path: string; findings: Record<string, unknown>[] }[] };
  assert.deepEqual(Object.keys(json), ['version', 'files']);
  assert.equal(json.version, 1);
  assert.equal(json.files[0].path, file);
  const finding = json.files[0].findings[0];
  assert.deepEqual(Object.keys(finding), ['rule', 'message', 'score', 'range', 'text']);
  assert.equal(finding.rule, 'claim-without-source');
  assert.deepEqual(finding.range, { start: { line: 4, character: 0 }, end: { line: 4, character: 109 } });
  assert.equal(typeof finding.score, 'number');
});

test('SARIF 2.1.0 with rule metadata and 1-based regions', async () => {
  const { stdout } = await cli('--format', 'sarif', '--threshold', '0', join(fixtures, 'claims.md'));
  const sarif = JSON.parse(stdout);
  assert.equal(sarif.version, '2.1.0');
  assert.match(sarif.$schema, /sarif-2\.1\.0/);
  const run = sarif.runs[0];
  assert.equal(run.tool.driver.name, 'Biowrite');
  assert.equal(run.tool.driver.rules[0].id, 'claim-without-source');
  assert.ok(run.tool.driver.rules[0].shortDescription.text && run.tool.driver.rules[0].fullDescription.text && run.tool.driver.rules[0].help.text);
  assert.equal(run.columnKind, 'utf16CodeUnits');
  const result = run.results[0];
  assert.equal(result.ruleId, 'claim-without-source');
  assert.equal(result.ruleIndex, 0);
  assert.ok(['note', 'warning', 'error'].includes(result.level));
  assert.ok(result.message.text.length > 0);
  assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 8, startColumn: 1, endLine: 8, endColumn: 110 });
  assert.ok(!result.locations[0].physicalLocation.artifactLocation.uri.includes('\\'));
  assert.equal(typeof result.partialFingerprints['biowriteSentence/v1'], 'string');
});

test('SARIF locations: relative to %SRCROOT% inside the working directory, an absolute file URI outside it', async () => {
  const dir = temporaryDirectory('biowrite-sarif-');
  mkdirSync(join(dir, 'my paper'));
  const content = '# Background\n\nTumours are heterogeneous in most patients.\n';
  writeFileSync(join(dir, 'my paper', 'a#1.md'), content);
  const cwd = process.cwd();
  let inside: string;
  try {
    process.chdir(dir);
    inside = (await cli('--format', 'sarif', '--threshold', '0', join('my paper', 'a#1.md'))).stdout;
  } finally {
    process.chdir(cwd);
  }
  // The file's own name may hold characters that mean something in a URI.
  assert.deepEqual(JSON.parse(inside).runs[0].results[0].locations[0].physicalLocation.artifactLocation, { uri: 'my%20paper/a%231.md', uriBaseId: '%SRCROOT%' });
  const outside = JSON.parse((await cli('--format', 'sarif', '--threshold', '0', join(dir, 'my paper', 'a#1.md'))).stdout);
  const location = outside.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
  assert.equal(location.uriBaseId, undefined, 'an absolute URI takes no base id');
  assert.equal(new URL(location.uri).protocol, 'file:');
  assert.equal(decodeURIComponent(new URL(location.uri).pathname), join(dir, 'my paper', 'a#1.md'));
});

test('usage errors exit 2 with the help', async () => {
  for (const args of [[], ['--format', 'xml', 'a.md'], ['--threshold', '2', 'a.md'], ['--threshold', 'abc', 'a.md'], ['--bogus', 'a.md'], ['--format']]) {
    const { code, stderr } = await cli(...args);
    assert.equal(code, 2, args.join(' '));
    assert.match(stderr, /Usage: biowrite check/);
  }
  const help = await cli('--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--format text\|json\|sarif/);
});

test('unreadable, binary, Latin-1, unknown and missing files get a clear message; the others are still checked', async () => {
  const dir = temporaryDirectory('biowrite-check-');
  writeFileSync(join(dir, 'binary.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
  writeFileSync(join(dir, 'latin1.md'), Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x2e]));
  writeFileSync(join(dir, 'notes.docx'), 'x');
  writeFileSync(join(dir, 'empty.md'), '');
  mkdirSync(join(dir, 'folder.md'));
  const { code, stdout, stderr } = await cli(
    join(dir, 'binary.md'), join(dir, 'latin1.md'), join(dir, 'notes.docx'), join(dir, 'missing.md'), join(dir, 'folder.md'), join(dir, 'empty.md'),
    join(fixtures, 'claims.md'), '--format', 'json', '--threshold', '0',
  );
  assert.equal(code, 2);
  assert.match(stderr, /binary\.md: looks binary/);
  assert.match(stderr, /latin1\.md: is not UTF-8 text.*iconv/);
  assert.match(stderr, /notes\.docx: not a Markdown .* or LaTeX .* file/);
  assert.match(stderr, /missing\.md: no such file/);
  assert.match(stderr, /folder\.md: is a folder/);
  const json = JSON.parse(stdout);
  assert.deepEqual(json.files.map((file: { path: string }) => file.path), [join(dir, 'empty.md'), join(fixtures, 'claims.md')]);
  assert.ok(json.files[1].findings.length > 0);
});

test('the workspace ignore list next to the manuscript is honoured', async () => {
  const dir = temporaryDirectory('biowrite-check-');
  mkdirSync(join(dir, '.biowrite'));
  mkdirSync(join(dir, 'content'));
  writeFileSync(join(dir, 'content', 'a.md'), 'Deep learning is widely used. Cancer is the most common disease.\n');
  const before = JSON.parse((await cli('--format', 'json', '--threshold', '0', join(dir, 'content', 'a.md'))).stdout);
  writeFileSync(join(dir, '.biowrite', 'ignore.json'), JSON.stringify({ version: 1, sentences: ['Deep learning is widely used.'] }));
  const after = JSON.parse((await cli('--format', 'json', '--threshold', '0', join(dir, 'content', 'a.md'))).stdout);
  assert.equal(after.files[0].findings.length, before.files[0].findings.length - 1);
});

test('languages by extension', () => {
  assert.equal(languageOfPath('a.md'), 'markdown');
  assert.equal(languageOfPath('a.Rmd'), 'markdown');
  assert.equal(languageOfPath('a.qmd'), 'markdown');
  assert.equal(languageOfPath('a.markdown'), 'markdown');
  assert.equal(languageOfPath('a.tex'), 'latex');
  assert.equal(languageOfPath('a.txt'), undefined);
});

test('a block left unchecked makes the run exit 2, and every format says which part', async () => {
  // Before: the notice went to stderr and the run exited 0, so CI passed a file it had not read.
  const dir = temporaryDirectory('biowrite-check-');
  const file = join(dir, 'hostile.md');
  writeFileSync(file, `# Introduction\n\nDeep learning has transformed medicine.\n\n${'- '.repeat(10_000)}Studies have shown cancer.\n`);
  const text = await cli(file, '--threshold', '0');
  assert.equal(text.code, 2);
  assert.match(text.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: Line 5: a list or quote nested [\\d,]+ columns deep was not checked.*That part was not checked\\.`));
  assert.match(text.stdout, /Deep learning has transformed medicine\./, 'the findings of the rest are still printed');
  assert.equal((await cli(file, '--threshold', '0', '--exit-zero')).code, 2, '--exit-zero waives findings, not unchecked parts');

  const json = await cli(file, '--format', 'json', '--threshold', '0');
  assert.equal(json.code, 2);
  const report = JSON.parse(json.stdout) as { files: { notChecked?: string[]; findings: unknown[] }[] };
  assert.equal(report.files[0].notChecked?.length, 1);
  assert.match(report.files[0].notChecked?.[0] ?? '', /^Line 5: a list or quote nested/);
  assert.equal(report.files[0].findings.length, 1);

  const sarif = JSON.parse((await cli(file, '--format', 'sarif', '--threshold', '0')).stdout) as {
    runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string } }[] }[] }[];
  };
  assert.equal(sarif.runs[0].invocations[0].executionSuccessful, false);
  assert.equal(sarif.runs[0].invocations[0].toolExecutionNotifications[0].level, 'warning');

  const clean = join(dir, 'clean.md');
  writeFileSync(clean, '# Methods\n\nWe trained a model.\n');
  const cleanJson = JSON.parse((await cli(clean, '--format', 'json')).stdout) as { files: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(cleanJson.files[0]), ['path', 'findings'], 'no notChecked key when all was checked');
});

test('text in an unsupported language is a notice with its lines: exit code unchanged, JSON and SARIF say so', async () => {
  const dir = temporaryDirectory('biowrite-check-');
  const file = join(dir, 'mixed.md');
  writeFileSync(file, '# Methods\n\nWe trained a model.\n\n结直肠癌是全球第三常见的癌症。TP53突变在约一半的患者中被观察到。\n');
  const text = await cli(file);
  assert.equal(text.code, 0, 'not an error, and not a finding');
  assert.match(text.stderr, /mixed\.md: 2 sentences in zh \(line 5\) were not checked: claims are checked in English and Korean only\./);

  const json = JSON.parse((await cli(file, '--format', 'json')).stdout) as { files: { notCheckedLanguage?: { language: string; sentences: number; range: { start: { line: number } } }[] }[] };
  assert.deepEqual(json.files[0].notCheckedLanguage?.map((part) => [part.language, part.sentences, part.range.start.line]), [['zh', 2, 4]]);

  const sarif = JSON.parse((await cli(file, '--format', 'sarif')).stdout) as {
    runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string }; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] }[];
  };
  const invocation = sarif.runs[0].invocations[0];
  assert.equal(invocation.executionSuccessful, true);
  assert.equal(invocation.toolExecutionNotifications.length, 1);
  assert.equal(invocation.toolExecutionNotifications[0].level, 'note');
  assert.equal(invocation.toolExecutionNotifications[0].locations[0].physicalLocation.region.startLine, 5);
});
