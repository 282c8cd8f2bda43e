// `npm run test:desktop`: the same extension-host suite (test/suite) in desktop VS Code through
// @vscode/test-electron. It needs either internet access (to download VS Code into .vscode-test/)
// or VSCODE_EXECUTABLE pointing at a local VS Code binary, so it is not part of `npm test`, which
// runs the suite offline in the VS Code server instead. Arguments narrow the run like test:host.
import { join } from 'node:path';
import { build, ensureDependencies, repoRoot } from './lib/setup.mjs';

ensureDependencies();
const { runTests } = await import('@vscode/test-electron');
const { buildTests } = await import('./buildTests.mjs');
const { copySampleWorkspace } = await import('./lib/harness.mjs');

build();
await buildTests();
const grep = process.argv.slice(2).join('|');
const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE;
if (!vscodeExecutablePath) console.log('[desktop] VSCODE_EXECUTABLE is not set: downloading VS Code (needs internet).');
try {
  await runTests({
    ...(vscodeExecutablePath ? { vscodeExecutablePath } : {}),
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: join(repoRoot, 'out', 'test', 'suite', 'index.js'),
    extensionTestsEnv: grep ? { BIOWRITE_TEST_GREP: grep } : {},
    launchArgs: [copySampleWorkspace(), '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
} catch (error) {
  console.error(`[desktop] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
