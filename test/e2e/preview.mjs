// Smoke test of the preview in a REAL VS Code (code-server + Chromium, the test/e2e infrastructure):
// packages and installs the extension, opens test/e2e/fixtures/rollout.acrotopo.yaml, runs
// "Acrotopo: Open Preview to the Side" from the command palette, checks that the webview draws, that a
// click on the fs01 box selects `fs01` in the editor, and that a YAML syntax error shows the banner while
// the last picture stays. Run by `npm test` as the e2e-preview stage (after e2e-ui, which packages the vsix):
//   node test/e2e/preview.mjs      (E2E_SKIP_BUILD=1 reuses client/acrotopo.vsix)
// Screenshots: test-results/e2e/preview-*.png. Ends with `N passed, N failed`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { clientDir, outDir, log, npmRun, startCodeServer, launchChromium, cleanOutDir, checkTools } from './lib.mjs';
const FIXTURE = 'rollout.acrotopo.yaml';
const vsix = join(clientDir, 'acrotopo.vsix');
let cs, browser, page;
let ok = false;
try {
  checkTools();
  cleanOutDir('preview');
  if (!process.env.E2E_SKIP_BUILD) npmRun('package');
  cs = await startCodeServer({ name: 'preview', vsix });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 950 } });
  page.on('pageerror', (e) => console.log('[page error]', e.message));
  await page.goto(`${cs.base}/?folder=${encodeURIComponent(cs.ws)}`);
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FIXTURE }).waitFor({ timeout: 90_000 });
  await page.keyboard.press('Control+P');
  const qi = page.locator('.quick-input-widget input');
  await qi.waitFor();
  await qi.fill(FIXTURE);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: FIXTURE }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.editor-instance .view-lines', { hasText: 'installation' }).waitFor({ timeout: 30_000 });
  await page.locator('#status\\.editor\\.mode', { hasText: 'Acrotopo' }).waitFor({ timeout: 30_000 });
  log('file open');
  const btn = page.locator('.editor-actions .action-label[aria-label*="Preview"]');
  log(`title buttons: ${await btn.count()}`);
  await page.keyboard.press('Control+Shift+P');
  await qi.waitFor();
  await qi.fill('>Acrotopo: Open Preview to the Side');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Open Preview to the Side' }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  // the webview: outer iframe → inner iframe#active-frame
  const outer = page.frameLocator('iframe.webview');
  const inner = outer.frameLocator('iframe#active-frame');
  await inner.locator('.canvas svg').waitFor({ timeout: 60_000 });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(outDir, 'preview-open.png') });
  log('preview drawn');
  const node = inner.locator('.canvas [data-machine="fs01"] rect.box');
  await node.click({ force: true });
  await page.waitForTimeout(1500);
  const status = await page.locator('#status\\.editor\\.selection').innerText().catch(() => '?');
  log(`selection after click: ${status}`);
  if (!/Ln 23, Col \d+ \(4 selected\)/.test(status)) throw new Error(`clicking fs01 did not select the key fs01 (status: ${status})`);
  await page.screenshot({ path: join(outDir, 'preview-click.png') });
  // type an error → banner
  await page.locator('.editor-instance .view-lines').first().click();
  await page.keyboard.press('Control+End');
  // `a: b: c` is a YAML syntax error (nested mapping in a compact mapping); the editor's auto-closing
  // of brackets and quotes cannot repair it
  await page.keyboard.type('\nbroken: value: more\n');
  const banner = inner.locator('.banner:not([hidden])', { hasText: /YAML|pars/i });
  await banner.waitFor({ timeout: 20_000 });
  const bannerText = await banner.innerText();
  log(`banner: ${bannerText}`);
  if (!/YAML/i.test(bannerText)) throw new Error(`no syntax banner: ${bannerText}`);
  if ((await inner.locator('.canvas svg').count()) !== 1) throw new Error('the last picture was not kept');
  await page.screenshot({ path: join(outDir, 'preview-banner.png') });
  ok = true;
} catch (e) {
  console.error('FAIL', e);
  await page?.screenshot({ path: join(outDir, 'preview-failure.png') }).catch(() => {});
} finally {
  await browser?.close().catch(() => {});
  await cs?.stop({ keepLogs: !ok });
}
console.log(`${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
process.exit(ok ? 0 : 1);
