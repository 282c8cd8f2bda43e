import { openWorkbench, runCommand, openFile, selectText } from '/work/main/test/e2e/workbench';
const wb = await openWorkbench({ label: 'probe' });
const { page } = wb;
await openFile(page, 'manuscript.md');
await runCommand(page, 'Biowrite: Show Log');
await page.waitForTimeout(1500);
console.log(await page.evaluate(() => {
  const sel = document.querySelector('select.monaco-select-box');
  const panel = document.querySelector('.part.panel');
  return { selClass: sel?.className, selParents: [...(function*(e){ let x=e; let i=0; while(x && i<8){ yield x.className; x=x.parentElement; i++;} })(sel)], panelClass: panel?.className, selected: (sel as HTMLSelectElement)?.value, titleAttr: sel?.getAttribute('title'), aria: sel?.getAttribute('aria-label') };
}));

await selectText(page, 'Manual grading of fundus photographs is time-consuming');
await page.locator('.editor-instance .monaco-editor .selected-text').first().click({ button: 'right' });
await page.waitForTimeout(1000);
console.log(await page.evaluate(() => [...document.querySelectorAll('.context-view .monaco-menu .action-item')].map(e => e.className + ' :: ' + e.textContent)));
console.log(await page.evaluate(() => { const m = document.querySelector('.context-view'); return m ? m.outerHTML.slice(0, 1500) : 'no context view'; }));
await page.screenshot({ path: '/tmp/probe.png' });
await wb.close();
