// End-to-end: Biowrite's main features used as a researcher would, in a real VS Code (the offline
// server) driven through Chromium, with the literature services and the LLM replaced by local fakes.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { repoRoot } from '../../scripts/lib/vscodeServer.mjs';
import { startFakeLiteratureServers, type FakeLiteratureServers } from '../fakes/fakeLiteratureServers';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/fakeOpenAiServer';
import { chooseFromSubmenu, openBiowritePanel, openFile, openWorkbench, rightClickSelection, runCommand, selectText, uiTimeoutMs, withScreenshot, type Workbench } from './workbench';

/** The text of the active editor's visible lines, one string with plain spaces. */
async function editorText(page: Page): Promise<string> {
  const lines = await page.locator('.editor-instance .monaco-editor .view-lines .view-line').allTextContents();
  return lines.join('\n').replace(/\u00a0/g, ' ');
}

/** The cursor's line from the status bar ("Ln 22, Col 1"). */
async function cursorLine(page: Page): Promise<number> {
  const text = (await page.locator('.statusbar-item[id="status.editor.selection"]').textContent()) ?? '';
  const match = /Ln (\d+)/.exec(text);
  return match ? Number(match[1]) : 0;
}

/** Clicks into the editor and puts the cursor at the top, with no selection. */
async function cursorToTop(page: Page): Promise<void> {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Home');
  await page.waitForFunction(`/Ln 1, Col 1/.test(document.querySelector('.statusbar-item[id="status.editor.selection"]')?.textContent ?? '')`);
}

const abstractText = [
  '**Background:** Manual grading of fundus photographs limits screening capacity.',
  '**Methods:** We validated a convolutional neural network on 12,480 fundus photographs.',
  '**Results:** The network detected referable retinopathy with high sensitivity.',
  '**Conclusions:** Automated grading could relieve screening programmes of manual workload.',
].join('\n\n');

describe('Biowrite features in the VS Code workbench', { timeout: 6 * 60_000 }, () => {
  let workbench: Workbench;
  let literature: FakeLiteratureServers;
  let llm: FakeOpenAiServer;

  before(async () => {
    // Fixtures only (in the repository), so the answers are the same on every machine.
    literature = await startFakeLiteratureServers({ recordedDir: null });
    llm = await startFakeOpenAiServer();
    workbench = await openWorkbench({
      label: 'e2e-features',
      userSettings: {
        'biowrite.llm.baseUrl': llm.baseUrl,
        'biowrite.llm.model': 'fake-model',
        'biowrite.sources.pubmed.baseUrl': literature.urls.pubmed,
        'biowrite.sources.europepmc.baseUrl': literature.urls.europepmc,
        'biowrite.sources.crossref.baseUrl': literature.urls.crossref,
        'biowrite.sources.openalex.baseUrl': literature.urls.openalex,
      },
    });
  });

  after(async () => {
    await workbench?.close();
    await literature?.close();
    await llm?.close();
  });

  test('lists the claims in the panel and reveals one in the editor', async () => {
    const { page } = workbench;
    await withScreenshot(page, 'e2e-features-claims', async () => {
      await openFile(page, 'manuscript.md');
      await cursorToTop(page);
      const panel = await openBiowritePanel(page);
      const claims = panel.locator('.claims-list .claim-item');
      await claims.first().locator('.claim-score').waitFor({ timeout: 2 * uiTimeoutMs });
      const score = ((await claims.first().locator('.claim-score').textContent()) ?? '').trim();
      assert.match(score, /^[01]\.\d\d$/, `a claim shows its score, got "${score}"`);
      // Reveal a claim further down: the cursor moves to its line.
      const claim = claims.last();
      const line = Number(/line (\d+)/.exec((await claim.locator('.claim-line').textContent()) ?? '')?.[1]);
      const sentence = ((await claim.locator('.claim-text').textContent()) ?? '').trim();
      assert.ok(line > 1, `the claim's line is shown, got ${line}`);
      await claim.locator('.claim-reveal').click();
      await page.waitForFunction(`new RegExp('Ln ${line},').test(document.querySelector('.statusbar-item[id="status.editor.selection"]')?.textContent ?? '')`, undefined, { timeout: uiTimeoutMs });
      assert.equal(await cursorLine(page), line);
      // The sentence is on screen in the editor.
      const words = sentence.split(/\s+/).slice(0, 5).join(' ');
      assert.ok((await editorText(page)).includes(words), `the editor shows "${words}"`);
    });
  });

  test('finds sources for a selected sentence and inserts a library citation', async () => {
    const { page } = workbench;
    await withScreenshot(page, 'e2e-features-sources', async () => {
      // The researcher writes a new sentence (its words are those of the fake PubMed record's abstract) and selects it.
      const sentence = 'Deep learning on big data is changing medicine.';
      await openFile(page, 'manuscript.md');
      // It goes before the paragraph's last sentence: typed as one piece, no key press that a widget could take.
      await selectText(page, 'We therefore asked whether');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.insertText(`${sentence} `);
      await page.locator('.editor-instance .monaco-editor .view-line', { hasText: `${sentence} We therefore asked` }).first().waitFor();
      await selectText(page, sentence);
      await rightClickSelection(page);
      await page.locator('.monaco-menu .action-item', { hasText: /^Biowrite$/ }).first().hover();
      await chooseFromSubmenu(page, 'Find Sources for Selection');
      const panel = await openBiowritePanel(page);
      const cards = panel.locator('[data-testid="source-result"]');
      const libraryCard = cards.filter({ has: panel.locator('.badge-library') }).first();
      await libraryCard.waitFor({ timeout: 2 * uiTimeoutMs });
      // An online service answered from the fake servers too.
      await cards.filter({ has: panel.locator('.badge-pubmed, .badge-europepmc, .badge-crossref, .badge-openalex') }).first().waitFor({ timeout: 2 * uiTimeoutMs });
      assert.match((await libraryCard.locator('.badge-library').textContent()) ?? '', /Library/);
      const title = ((await libraryCard.locator('.source-title').textContent()) ?? '').trim();
      assert.ok(title.length > 3, `the card has a title, got "${title}"`);
      // The search finishes (its Stop button goes), and words of the query are highlighted in the snippets.
      await panel.locator('[data-testid="sources-stop"]').waitFor({ state: 'detached', timeout: 2 * uiTimeoutMs });
      await panel.locator('[data-testid="source-result"] .source-snippet mark').first().waitFor({ timeout: uiTimeoutMs });
      await libraryCard.locator('[data-testid="source-insert"]').click();
      // The citation lands at the end of the sentence ("… is changing medicine [@key].").
      await page.waitForFunction(
        `[...document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line')].some((line) => /is changing medicine \\[@[^\\]]+\\]\\./.test(line.textContent.replace(/\\u00a0/g, ' ')))`,
        undefined,
        { timeout: uiTimeoutMs },
      );
    }).finally(async () => {
      // Restore the manuscript for the next test: the sample's text on disk (the insert may have saved it), then revert the editor to it.
      writeFileSync(join(workbench.workspace, 'manuscript.md'), readFileSync(join(repoRoot, 'samples', 'manuscript.md')));
      await runCommand(page, 'File: Revert File');
      await page.waitForFunction(
        `![...document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line')].some((line) => line.textContent.includes('changing medicine'))`,
        undefined,
        { timeout: uiTimeoutMs },
      );
    });
  });

  test('streams a drafted abstract into the panel', async () => {
    const { page } = workbench;
    await withScreenshot(page, 'e2e-features-draft-abstract', async () => {
      llm.setHandler(() => ({ kind: 'text', text: abstractText, chunkDelayMs: 20, chunkSize: 8 }));
      await openFile(page, 'manuscript.md');
      await cursorToTop(page);
      // The command asks its questions in the quick input right away, so it is run by hand rather than with runCommand.
      const quickInput = page.locator('.quick-input-widget');
      const input = quickInput.locator('.quick-input-box input');
      await page.keyboard.press('F1');
      await input.fill('>Biowrite: Draft Abstract');
      await quickInput.locator('.quick-input-list .monaco-list-row', { hasText: 'Biowrite: Draft Abstract' }).first().waitFor();
      await input.press('Enter');
      // Structure (the configured one first), language (it decides the limit's unit), word limit: accept each default with Enter.
      for (const title of ['Draft Abstract: structure', 'Draft Abstract: language', 'Draft Abstract: word limit']) {
        await quickInput.locator('.quick-input-title', { hasText: title }).waitFor();
        await input.press('Enter');
        await quickInput.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'hidden' });
      }
      const panel = await openBiowritePanel(page);
      const draft = panel.locator('[data-testid="draft-text"]');
      await draft.filter({ hasText: 'Conclusions:' }).waitFor({ timeout: 2 * uiTimeoutMs });
      assert.match((await draft.textContent()) ?? '', /Background:.*Methods:.*Results:.*Conclusions:/s);
      // Once done, the word count against the limit, and no longer "drafting…".
      const status = panel.locator('[data-testid="draft-status"]');
      await status.filter({ hasText: /^\d+ \/ \d+ words/ }).filter({ hasNotText: 'drafting' }).waitFor({ timeout: uiTimeoutMs });
      const words = Number(/^(\d+)/.exec((await status.textContent()) ?? '')?.[1]);
      assert.ok(words >= 30 && words <= 60, `the word count of the draft, got ${words}`);
      const chats = llm.requests.filter((r) => r.path.endsWith('/chat/completions'));
      assert.ok(chats.length > 0, 'the draft was requested from the configured LLM');
      assert.ok(chats.some((r) => (r.body as { stream?: unknown }).stream === true), `the draft was streamed (stream flags: ${chats.map((r) => String((r.body as { stream?: unknown }).stream)).join(', ')})`);
      // Discard leaves the manuscript as it was.
      await panel.locator('[data-testid="draft-discard"]').click();
      await draft.waitFor({ state: 'detached' });
    });
  });
});
