// End-to-end: a freshly cloned manuscript repository opens in Restricted Mode; Biowrite must still
// load there, say what is limited, and keep taking endpoints only from the user's settings.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBiowritePanel, openFile, openWorkbench, withScreenshot, type Workbench } from './workbench';

describe('Biowrite in Restricted Mode', { timeout: 3 * 60_000 }, () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench({ trusted: false, label: 'e2e-restricted' });
  });

  after(async () => {
    await workbench?.close();
  });

  test('the workbench is in Restricted Mode and Biowrite is still loaded', async () => {
    const { page } = workbench;
    await withScreenshot(page, 'e2e-restricted-loaded', async () => {
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
      await openFile(page, 'manuscript.md');
    });
  });

  test('the panel explains what Restricted Mode limits', async () => {
    const { page } = workbench;
    await withScreenshot(page, 'e2e-restricted-panel', async () => {
      const panel = await openBiowritePanel(page);
      const note = panel.locator('[data-testid="connection-restricted"]');
      await note.waitFor();
      assert.match((await note.textContent()) ?? '', /Restricted Mode/);
      assert.match((await note.textContent()) ?? '', /user settings/);
      // The endpoint still comes from the (default) user settings.
      await panel.locator('[data-testid="connection-status"]').filter({ hasText: /^Configured$/ }).waitFor();
      assert.match((await panel.locator('[data-testid="connection-summary"]').textContent()) ?? '', /localhost:11434/);
    });
  });
});
