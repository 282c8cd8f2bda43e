// End-to-end: with VS Code's display language set to Korean, Biowrite's own UI is Korean: a command
// title in the Command Palette (package.nls.ko.json), the panel's webview (the l10n bundle embedded in
// its page) and a message of the extension host (vscode.l10n.t). The expected text is read from the
// repository's Korean files, so the test holds for whatever the translations say.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resultsDir } from '../../scripts/lib/harness.mjs';
import { repoRoot } from '../../scripts/lib/vscodeServer.mjs';
import { biowritePanelFrame, openFile, openWorkbench, runCommand, withScreenshot, type Workbench } from './workbench';

/** The display language under test, as VS Code names it (`vscode.env.language`). */
const locale = 'ko';

function readJson(relativePath: string): Record<string, string> {
  return JSON.parse(readFileSync(join(repoRoot, relativePath), 'utf8')) as Record<string, string>;
}

/** Looks `key` up in a Korean file, failing clearly when the translation is missing or left English. */
function translated(file: string, translations: Record<string, string>, english: Record<string, string>, key: string): string {
  const value = translations[key];
  assert.ok(typeof value === 'string' && value.trim() !== '', `${file} has no translation for "${key}"`);
  assert.ok(english[key] === undefined || value !== english[key] || !/[A-Za-z]/.test(value), `${file} leaves "${key}" in English ("${value}")`);
  return value;
}

/** A pattern matching `template` (a `vscode.l10n.t` message) with each `{n}` filled by a number. */
function messagePattern(template: string): RegExp {
  const parts = template.split(/\{\d+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(parts.join('\\d+'));
}

const manifestFile = `package.nls.${locale}.json`;
const bundleFile = `l10n/bundle.l10n.${locale}.json`;
const manifestEnglish = readJson('package.nls.json');
const manifestKorean = readJson(manifestFile);
const bundleEnglish = readJson('l10n/bundle.l10n.json');
const bundleKorean = readJson(bundleFile);

/** `Biowrite: Open Panel` as the Korean Command Palette lists it: the category (translated or not), a colon, the title. */
const openPanelTitle = `${manifestKorean['biowrite.command.category'] ?? manifestEnglish['biowrite.command.category']}: ${translated(manifestFile, manifestKorean, manifestEnglish, 'biowrite.command.openPanel.title')}`;
/** The panel's connection state with fresh settings (the webview's `t('Configured')`). */
const configured = translated(bundleFile, bundleKorean, bundleEnglish, 'Configured');
/** The claims count in the status bar (the extension host's `vscode.l10n.t('{0} claims', n)`). */
const claimsCount = translated(bundleFile, bundleKorean, bundleEnglish, '{0} claims');

describe('Biowrite in Korean', { timeout: 4 * 60_000 }, () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench({ label: 'e2e-korean', locale });
  });

  after(async () => {
    await workbench?.close();
  });

  test('a message of the extension host is Korean: the claims count in the status bar', async () => {
    const { page } = workbench;
    await withScreenshot(page, 'e2e-korean-status-bar', async () => {
      await openFile(page, 'manuscript.md');
      // The sample has more than one claim without a source, so the count takes the "{0} claims" form.
      await page.locator('.statusbar-item', { hasText: messagePattern(claimsCount) }).first().waitFor();
    });
  });

  test('the Command Palette lists a Biowrite command under its Korean title, which runs it', async () => {
    const { page } = workbench;
    await withScreenshot(page, 'e2e-korean-command-palette', async () => {
      // Types the Korean title and picks the row showing it; it opens the panel.
      await runCommand(page, openPanelTitle);
      await biowritePanelFrame(page).locator('[data-testid="biowrite-panel"]').waitFor();
    });
  });

  test('the panel shows Korean strings from the bundle embedded in its page', async () => {
    const { page } = workbench;
    await withScreenshot(page, 'e2e-korean-panel', async () => {
      const panel = biowritePanelFrame(page);
      // The page is rendered for vscode.env.language…
      await panel.locator(`html[lang="${locale}"]`).waitFor({ state: 'attached' });
      // …and the webview's t() finds the Korean messages.
      const escaped = configured.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      await panel.locator('[data-testid="connection-status"]').filter({ hasText: new RegExp(`^\\s*${escaped}\\s*$`) }).waitFor();
    });
  });

  test('a screenshot shows the Korean UI', async () => {
    const { page } = workbench;
    await withScreenshot(page, 'e2e-korean-screenshot', async () => {
      // The Command Palette open on the Korean title, over the panel and the status bar.
      await page.keyboard.press('F1');
      const widget = page.locator('.quick-input-widget');
      await widget.locator('.quick-input-box input').fill(`>${openPanelTitle}`);
      await widget.locator('.quick-input-list .monaco-list-row', { hasText: openPanelTitle }).first().waitFor();
      await page.locator('.statusbar-item', { hasText: messagePattern(claimsCount) }).first().waitFor();
      mkdirSync(resultsDir, { recursive: true });
      await page.screenshot({ path: join(resultsDir, 'korean-ui.png'), fullPage: true });
      await page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden' });
    });
  });
});
