// Drives VS Code in headless Chromium as a user would, for the end-to-end tests: one VS Code server
// and one browser per test file, the sample workspace copied fresh, Biowrite loaded from the repo.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { copySampleWorkspace, launchBrowser, resultsDir, startServer, workbenchUrl } from '../../scripts/lib/harness.mjs';

/** A VS Code workbench open on a copy of samples/ with Biowrite loaded. */
export interface Workbench {
  readonly page: Page;
  /** The workspace folder (a temporary copy of samples/). */
  readonly workspace: string;
  /** Closes the browser and stops the server. */
  close(): Promise<void>;
}

/** How long UI waits may take: the first extension-host start on a busy CI machine is slow. */
export const uiTimeoutMs = 30_000;

/**
 * Starts a server and a browser and opens the workbench on a fresh copy of samples/.
 * Resolves once the workbench is ready and Biowrite's activity-bar entry is shown.
 * `trusted: false` opens the folder in Restricted Mode, as a freshly cloned repository would.
 * `userSettings` are written to the (fresh) user settings, where application-scoped settings such as
 * Biowrite's service base URLs live: in the browser profile, not on the server.
 * `locale` (a VS Code language id such as `ko`) is the display language: the server's (see
 * `startServer`), and the browser's language too, as a user of that language would have. VS Code's own
 * UI stays English (the server's language pack for it is empty), so command titles of VS Code itself
 * can still be typed in English.
 */
export async function openWorkbench(options: { trusted?: boolean; label?: string; userSettings?: Record<string, unknown>; locale?: string } = {}): Promise<Workbench> {
  const label = options.label ?? 'e2e';
  const workspace = copySampleWorkspace();
  const server = await startServer({ trusted: options.trusted ?? true, logFile: join(resultsDir, `${label}-vscode-server.log`), ...(options.locale ? { locale: options.locale } : {}) });
  const { browser, close: closeBrowser } = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, ...(options.locale ? { locale: options.locale } : {}) });
    page.setDefaultTimeout(uiTimeoutMs);
    await page.goto(workbenchUrl({ port: server.port, folder: workspace }));
    await page.locator('.monaco-workbench').waitFor();
    await biowriteActivityBarItem(page).waitFor();
    if (options.userSettings) await writeUserSettings(page, options.userSettings);
    return {
      page,
      workspace,
      async close() {
        await closeBrowser();
        await server.stop();
      },
    };
  } catch (error) {
    await closeBrowser();
    await server.stop();
    throw error;
  }
}

/**
 * Replaces the user settings with `settings`, as a user would: Preferences: Open User Settings (JSON),
 * select all, type the JSON on one line (inserted as one piece, so no bracket is auto-closed), save, close.
 */
export async function writeUserSettings(page: Page, settings: Record<string, unknown>): Promise<void> {
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  const tab = page.locator('.tabs-container .tab[data-resource-name="settings.json"]');
  await tab.waitFor();
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-lines').waitFor();
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(JSON.stringify(settings));
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+s');
  // Saved: the tab loses its dirty mark.
  await page.locator('.tabs-container .tab.dirty[data-resource-name="settings.json"]').waitFor({ state: 'detached' });
  await runCommand(page, 'View: Close Editor');
  await tab.waitFor({ state: 'detached' });
}

/** The Biowrite entry in the activity bar. */
export function biowriteActivityBarItem(page: Page): Locator {
  return page.locator('.activitybar .action-item a[aria-label^="Biowrite"], .activitybar .action-item[aria-label^="Biowrite"]').first();
}

/**
 * Opens the quick input (F1), types `text` and presses Enter on the first row holding `rowText`.
 * Retries when the quick input closes under it (a view that takes focus late, for instance, closes it).
 */
async function pickFromQuickInput(page: Page, text: string, rowText: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  const row = widget.locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first();
  for (let attempt = 1; ; attempt += 1) {
    try {
      if (!(await input.isVisible())) await page.keyboard.press('F1');
      await input.waitFor({ timeout: 5_000 });
      await input.fill(text);
      await row.waitFor({ timeout: 10_000 });
      await input.press('Enter');
      await widget.waitFor({ state: 'hidden', timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/** Runs a command from the command palette (F1) by its title, for example `Biowrite: Open Panel`. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await pickFromQuickInput(page, `>${title}`, title);
}

/** Opens a workspace file with Quick Open (or its tab, when already open) and waits for its editor. */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  const fileName = relativePath.split('/').pop() ?? relativePath;
  const tab = page.locator(`.tabs-container .tab[data-resource-name="${fileName}"]`);
  if (await tab.isVisible()) await tab.click();
  else await pickFromQuickInput(page, relativePath, fileName);
  await tab.waitFor();
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
}

/** Selects the first occurrence of `text` in the active editor with the Find widget, as a user would. */
export async function selectText(page: Page, text: string): Promise<void> {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+f');
  const find = page.locator('.editor-instance .find-widget textarea').first();
  await find.waitFor();
  await find.fill(text);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  // The status bar counts the selected characters once the editor has taken the find's match as its
  // selection; waiting for a highlight alone could see the one of a previous selection.
  const selected = `(${text.length} selected)`;
  await page.waitForFunction(
    (expected) => (document.querySelector('.statusbar-item[id="status.editor.selection"]')?.textContent ?? '').includes(expected),
    selected,
    { timeout: uiTimeoutMs },
  );
  await page.locator('.editor-instance .monaco-editor .selected-text').first().waitFor();
}

/** Right-clicks the middle of the editor's selection (its last line), which opens the editor context menu. */
export async function rightClickSelection(page: Page): Promise<void> {
  // The highlight sits under the text layer, so a locator click would hit the text: click by position.
  // The editor re-renders its view lines after an edit or a scroll, which can detach the highlight
  // between finding it and measuring it: measure again the highlight that is rendered now.
  const highlight = page.locator('.editor-instance .monaco-editor .selected-text').last();
  let box: { x: number; y: number; width: number; height: number } | null = null;
  for (let attempt = 0; attempt < 5 && !box; attempt += 1) {
    await highlight.waitFor({ state: 'visible', timeout: uiTimeoutMs });
    box = await highlight.boundingBox();
  }
  if (!box) throw new Error('The editor has no visible selection to right-click.');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
  await page.locator('.monaco-menu .action-item').first().waitFor();
}

/**
 * Chooses `label` in the open submenu with the keyboard, as mouse clicks on menu items race the
 * menu's own hover handling: the first item is focused with ArrowRight, then ArrowDown to `label`, Enter.
 */
export async function chooseFromSubmenu(page: Page, label: string): Promise<void> {
  const submenu = page.locator('.monaco-submenu');
  await submenu.locator('.action-label', { hasText: label }).first().waitFor();
  const focused = submenu.locator('.action-item.focused .action-label').first();
  if (!(await focused.isVisible())) await page.keyboard.press('ArrowRight');
  const itemCount = await submenu.locator('.action-item:not(.disabled) .action-label').count();
  for (let step = 0; step <= itemCount; step += 1) {
    const focusedLabel = (await focused.count()) > 0 ? await focused.textContent() : '';
    if (focusedLabel?.trim() === label) {
      await page.keyboard.press('Enter');
      await submenu.waitFor({ state: 'hidden' });
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`"${label}" could not be focused in the submenu.`);
}

/** Opens the Biowrite panel from its activity-bar entry and returns the panel's webview content frame. */
export async function openBiowritePanel(page: Page): Promise<FrameLocator> {
  const sidebarTitle = page.locator('.part.sidebar .composite.title', { hasText: 'Biowrite' });
  if (!(await sidebarTitle.isVisible())) await biowriteActivityBarItem(page).click();
  await sidebarTitle.waitFor();
  return biowritePanelFrame(page);
}

/**
 * The panel's content. Webviews are two nested iframes: VS Code's host frame (its URL carries the
 * extension id) and, inside, `#active-frame` with the extension's HTML.
 */
export function biowritePanelFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview[src*="extensionId=biowrite.biowrite"]').first().frameLocator('#active-frame');
}

/** Runs `body`; when it throws, saves a screenshot of the window as test-results/<name>.png and rethrows. */
export async function withScreenshot<T>(page: Page, name: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await page.screenshot({ path: file }).catch(() => undefined);
    if (error instanceof Error) error.message += `\n(screenshot: ${file})`;
    // Leave the window usable for the next test: dismiss a dialog, menu or quick pick left open.
    for (let attempt = 0; attempt < 3; attempt += 1) await page.keyboard.press('Escape').catch(() => undefined);
    throw error;
  }
}
