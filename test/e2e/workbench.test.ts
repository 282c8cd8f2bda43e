// End-to-end: Biowrite in a real VS Code (the offline server) driven through Chromium like a user.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { biowritePanelFrame, openBiowritePanel, openFile, openWorkbench, runCommand, selectText, uiTimeoutMs, withScreenshot, type Workbench } from './workbench';

describe('Biowrite in the VS Code workbench', { timeout: 5 * 60_000 }, () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench({ label: 'e2e-workbench' });
  });

  after(async () => {
    await workbench?.close();
  });

  test('opens the sample manuscript', async () => {
    const { page } = workbench;
    await withScreenshot(page, 'e2e-open-manuscript', async () => {
      await openFile(page, 'manuscript.md');
      await page.locator('.editor-instance .view-lines', { hasText: 'Diabetic retinopathy is the leading cause' }).first().waitFor();
      const languageStatus = page.locator('.statusbar-item[id="status.editor.mode"]');
      assert.match((await languageStatus.textContent()) ?? '', /Markdown/);
    });
  });

  test('runs a Biowrite command from the command palette', async () => {
    const { page } = workbench;
    await withScreenshot(page, 'e2e-command-palette', async () => {
      await runCommand(page, 'Biowrite: Show Log');
      // The Output view opens on the "Biowrite" log channel.
      const channelPicker = page.locator('.part.panel select[aria-label="Switch Output"]');
      await channelPicker.waitFor();
      await page.waitForFunction(() => (document.querySelector('.part.panel select[aria-label="Switch Output"]') as HTMLSelectElement | null)?.value === 'Biowrite');
    });
  });

  test('offers the Biowrite submenu on a selection', async () => {
    const { page } = workbench;
    await withScreenshot(page, 'e2e-context-menu', async () => {
      await openFile(page, 'manuscript.md');
      await selectText(page, 'Manual grading of fundus photographs is time-consuming');
      await page.locator('.editor-instance .monaco-editor .selected-text').first().click({ button: 'right' });
      const menu = page.locator('.context-view .monaco-menu');
      await menu.locator('.action-item', { hasText: /^Biowrite/ }).first().hover();
      const submenuItems = page.locator('.context-view .monaco-menu .action-label');
      await page.locator('.context-view .monaco-menu .action-label', { hasText: 'Find Sources for Selection' }).first().waitFor();
      const labels = (await submenuItems.allTextContents()).map((label) => label.trim());
      for (const expected of ['Find Sources for Selection', 'Translate Selection…', 'Draft Abstract', 'Check Claims in Document']) {
        assert.ok(labels.includes(expected), `"${expected}" is missing from the Biowrite submenu (saw: ${labels.join(' | ')})`);
      }
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
    });
  });

  test('shows the Biowrite panel with the LLM connection state', async () => {
    const { page } = workbench;
    await withScreenshot(page, 'e2e-panel', async () => {
      await openBiowritePanel(page);
      await page.locator('.pane-header', { hasText: /Biowrite/i }).first().waitFor();
      const panel = biowritePanelFrame(page).locator('[data-testid="biowrite-panel"]');
      await panel.waitFor({ timeout: uiTimeoutMs });
      // The default endpoint (a local Ollama) is configured but not reachable here, and no key is set.
      const connection = biowritePanelFrame(page).getByText(/not configured|configured|unreachable|connected/i).first();
      await connection.waitFor({ timeout: uiTimeoutMs });
      const text = (await panel.textContent()) ?? '';
      assert.doesNotMatch(text, /Loading Biowrite/);
      assert.match(text, /llama3\.1:8b|localhost:11434/, 'the panel should name the configured model or endpoint');
    });
  });
});
