// End-to-end: the reference audit as a researcher uses it, in a real VS Code (the offline server)
// driven through Chromium, with Crossref, OpenAlex, PubMed, Europe PMC and arXiv replaced by local fakes.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startFakeReferenceServices, type FakeReferenceServices } from '../fakes/fakeReferenceServices';
import { openBiowritePanel, openFile, openWorkbench, runCommand, uiTimeoutMs, withScreenshot, type Workbench } from './workbench';

const manuscript = `---
title: Audit
bibliography: audit-refs.json
---

# Introduction

Deep learning changed image analysis [@lecun2015].
Encyclopedias of DNA elements exist [@chimera].
`;

const bibliography = [
  { id: 'lecun2015', type: 'article-journal', title: 'Deep learning', author: [{ family: 'LeCun' }, { family: 'Bengio' }, { family: 'Hinton' }], 'container-title': 'Nature', issued: { 'date-parts': [[2015]] }, DOI: '10.1038/nature14539' },
  { id: 'chimera', type: 'article-journal', title: 'A completely different paper about cats', author: [{ family: 'Smith' }], 'container-title': 'Nature', issued: { 'date-parts': [[2012]] }, DOI: '10.1038/nature11247' },
  { id: 'unused2019', type: 'webpage', title: 'A page nobody cites', URL: 'https://example.org/page' },
];

/** The active editor's text as shown (visible lines), plain spaces. */
async function editorText(page: Page): Promise<string> {
  const lines = await page.locator('.editor-instance .monaco-editor .view-lines .view-line').allTextContents();
  return lines.join('\n').replace(/\u00a0/g, ' ');
}

describe('Biowrite reference audit in the VS Code workbench', { timeout: 6 * 60_000 }, () => {
  let workbench: Workbench;
  let services: FakeReferenceServices;

  before(async () => {
    services = await startFakeReferenceServices();
    workbench = await openWorkbench({
      label: 'e2e-references',
      userSettings: {
        'biowrite.sources.crossref.baseUrl': services.urls.crossref,
        'biowrite.sources.openalex.baseUrl': services.urls.openalex,
        'biowrite.sources.pubmed.baseUrl': services.urls.pubmed,
        'biowrite.sources.europepmc.baseUrl': services.urls.europepmc,
        'biowrite.references.arxiv.baseUrl': services.urls.arxiv,
      },
    });
    writeFileSync(join(workbench.workspace, 'audit.md'), manuscript);
    writeFileSync(join(workbench.workspace, 'audit-refs.json'), `${JSON.stringify(bibliography, null, 2)}\n`);
  });

  after(async () => {
    await workbench?.close();
    await services?.close();
  });

  test('Check References fills the References view; Show entry, a quick fix and its undo in the bibliography', async () => {
    const { page } = workbench;
    await withScreenshot(page, 'e2e-references', async () => {
      await openFile(page, 'audit.md');
      await runCommand(page, 'Biowrite: Check References');
      // The command brings the panel up itself: wait for it rather than click its toggle mid-way.
      await page.locator('.part.sidebar .composite.title', { hasText: 'Biowrite' }).waitFor({ timeout: uiTimeoutMs });
      const panel = await openBiowritePanel(page);
      const section = panel.locator('[data-testid="references-section"]');
      await section.waitFor({ timeout: 2 * uiTimeoutMs });
      const chimera = section.locator('[data-testid="references-item"][data-key="chimera"]');
      await chimera.waitFor({ timeout: 2 * uiTimeoutMs });
      assert.match((await chimera.locator('[data-testid="references-status"]').allTextContents()).join(' '), /identifier|another work|mismatch/i, 'the chimeric entry carries its status');
      // The verified entry is hidden by the default filter (what needs fixing) and shown by "All".
      assert.equal(await section.locator('[data-testid="references-item"][data-key="lecun2015"]').isVisible(), false);
      const filter = section.locator('[data-testid="references-filter"]');
      const select = filter.locator('select');
      if ((await select.count()) > 0) await select.selectOption({ index: 0 });
      else await filter.getByText(/^All/).first().click();
      await section.locator('[data-testid="references-item"][data-key="lecun2015"]').waitFor({ timeout: uiTimeoutMs });

      // Show entry opens the bibliography at the unused entry's key.
      const unused = section.locator('[data-testid="references-item"][data-key="unused2019"]');
      await unused.locator('[data-testid="references-reveal-entry"]').click();
      await page.locator('.tabs-container .tab.active[data-resource-name="audit-refs.json"]').waitFor({ timeout: uiTimeoutMs });
      await page.waitForFunction(`/\\(10 selected\\)/.test(document.querySelector('.statusbar-item[id="status.editor.selection"]')?.textContent ?? '')`, undefined, { timeout: uiTimeoutMs });

      // The quick fix on that key, from the keyboard as a user would: Ctrl+. then the fix.
      await page.locator('.editor-instance .monaco-editor .view-lines').first().focus();
      await page.keyboard.press('Control+.');
      const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Remove the unused entry unused2019' });
      await fix.waitFor({ timeout: uiTimeoutMs });
      await fix.click();
      await page.waitForFunction(`![...document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line')].some((line) => line.textContent.includes('unused2019'))`, undefined, { timeout: uiTimeoutMs });
      assert.ok((await editorText(page)).includes('chimera'), 'the other entries stay');
      // One undo brings it back.
      await page.keyboard.press('Control+z');
      await page.waitForFunction(`[...document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line')].some((line) => line.textContent.includes('unused2019'))`, undefined, { timeout: uiTimeoutMs });
    });
  });
});
