// UI end-to-end test in a real VS Code workbench (code-server), driven by headless Debian Chromium:
// builds and packages the extension, installs the .vsix into a fresh code-server, opens a fixture and reads what a
// user reads — the Problems panel, the status bar, a hover — and applies a quick fix with Ctrl+.
//   node test/e2e/ui.mjs            (E2E_SKIP_BUILD=1 reuses client/acrotopo.vsix; E2E_KEEP=1 keeps logs)
// Prerequisite once per machine: bash scripts/setup-e2e.sh
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { clientDir, outDir, log, npmRun, startCodeServer, launchChromium, cleanOutDir, checkTools } from './lib.mjs';

const FIXTURE = 'rollout.acrotopo.yaml';
const vsix = process.env.E2E_VSIX ?? join(clientDir, 'acrotopo.vsix');
const results = [];
let cs, browser, page, setupFailed = false;

/** Runs one named check; a failing check is recorded (with a screenshot) and the next ones still run. */
async function check(name, fn) {
  const t = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    log(`PASS ${name} (${Date.now() - t} ms)`);
  } catch (e) {
    results.push({ name, ok: false, error: e });
    log(`FAIL ${name}: ${e?.message ?? e}`);
    await shot(`ui-failure-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
  }
}

async function shot(name) {
  if (!page) return;
  const path = join(outDir, `${name}.png`);
  await page.screenshot({ path }).catch(() => {});
  log(`screenshot ${path}`);
}

const squash = (s) => s.replace(/\s+/g, ' ').trim();
const problemsRow = (text) => page.locator('.markers-panel .monaco-list-row', { hasText: text }).first();

/** Centre of the first rendered occurrence of `needle` on an editor line that contains `lineHint`. */
async function locateText(needle, lineHint = needle) {
  const box = await page.evaluate(([n, hint]) => {
    for (const line of document.querySelectorAll('.editor-instance .view-line')) {
      const text = line.textContent ?? '';
      if (!text.includes(hint)) continue;
      const offset = text.indexOf(n);
      if (offset < 0) continue;
      // Walk the text nodes (one per token) to the node holding that offset.
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let seen = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const len = node.textContent.length;
        if (offset < seen + len) {
          const r = document.createRange();
          const start = offset - seen;
          r.setStart(node, start);
          r.setEnd(node, Math.min(len, start + n.length));
          const b = r.getBoundingClientRect();
          return { x: b.x + Math.min(b.width, 40) / 2, y: b.y + b.height / 2 };
        }
        seen += len;
      }
    }
    return null;
  }, [needle, lineHint]);
  if (!box) throw new Error(`"${needle}" is not rendered on a line with "${lineHint}"`);
  return box;
}

try {
  checkTools();
  cleanOutDir('ui');
  if (!process.env.E2E_SKIP_BUILD) npmRun('package');
  if (!existsSync(vsix)) throw new Error(`${vsix} missing: run \`npm run package\``);
  if (!existsSync(join(clientDir, 'dist', 'server.js'))) throw new Error('client/dist/server.js missing: the language server was not built');
  cs = await startCodeServer({ name: 'ui', vsix });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  page.on('pageerror', (e) => console.log('[page error]', e.message));
  await page.goto(`${cs.base}/?folder=${encodeURIComponent(cs.ws)}`);
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FIXTURE }).waitFor({ timeout: 90_000 });
  log('workbench loaded');

  // Quick Open (Ctrl+P) → the fixture → Enter.
  await page.keyboard.press('Control+P');
  const quickInput = page.locator('.quick-input-widget input');
  await quickInput.waitFor();
  await quickInput.fill(FIXTURE);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: FIXTURE }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.editor-instance .view-lines', { hasText: 'installation' }).waitFor({ timeout: 30_000 });
  log('file open');
} catch (e) {
  setupFailed = true;
  console.error(e);
  await shot('ui-failure-setup');
}

if (!setupFailed) {
  await check('language mode is Acrotopo', async () => {
    await page.locator('#status\\.editor\\.mode', { hasText: 'Acrotopo' }).waitFor({ timeout: 30_000 });
  });

  await check('grammar colours a port token', async () => {
    // With the TextMate grammar, `tcp/25001` is split into tokens with their own classes (not one span per line).
    // Tokenization is asynchronous: the line is first drawn as plain text, then re-rendered with
    // the grammar's tokens. Poll until it is (or 15 s pass).
    const sample = () => page.evaluate(() => {
      const line = [...document.querySelectorAll('.editor-instance .view-line')].find((l) => l.textContent.includes('tcp/25001'));
      if (!line) return null;
      const spans = [...line.querySelectorAll('span > span')];
      const of = (t) => spans.find((s) => s.textContent === t)?.className;
      return { proto: of('tcp'), port: of('25001'), key: of('port'), spans: spans.length };
    });
    let colours = await sample();
    for (let i = 0; i < 60 && colours && (!colours.proto || !colours.port || colours.spans < 8); i++) {
      await page.waitForTimeout(250);
      colours = await sample();
    }
    if (!colours) throw new Error('no line with tcp/25001');
    if (!colours.proto || !colours.port || colours.spans < 8) throw new Error(`port not tokenized: ${JSON.stringify(colours)}`);
    if (colours.proto === colours.key) throw new Error(`protocol coloured like a key: ${JSON.stringify(colours)}`);
  });

  let problemText = '';
  await check('Problems panel lists "port 25001 is unencrypted" at the installation target', async () => {
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').waitFor({ timeout: 10_000 });
    const row = problemsRow('port 25001 is unencrypted');
    await row.waitFor({ timeout: 60_000 });
    problemText = squash(await row.innerText());
    log(`problem row: ${problemText}`);
    if (!/port 25001 is unencrypted: ams01 → fs01/.test(problemText)) throw new Error(`unexpected row text: ${problemText}`);
    if (!/unencrypted-port/.test(problemText)) throw new Error(`rule id (code) missing from the row: ${problemText}`);
    // installation: to: [fs01] is line 34, column 8 (1-based) in the fixture.
    if (!/\[Ln 34, Col 8\]/.test(problemText)) throw new Error(`wrong position: ${problemText}`);
    await problemsRow('SMB encryption of fs01 is not stated').waitFor({ timeout: 10_000 });
    await shot('ui-problems');
  });

  await check('status bar shows the problem count of the active document; a click opens Problems', async () => {
    const item = page.locator('.statusbar-item[aria-label^="Acrotopo:"]').first();
    await item.waitFor({ timeout: 10_000 });
    const label = await item.getAttribute('aria-label');
    log(`status bar: ${label}`);
    if (!/^Acrotopo: \d+ errors?, [1-9]\d* warnings?, [1-9]\d* infos?/.test(label ?? '')) throw new Error(`unexpected status: ${label}`);
    // A click on it opens the Problems panel (closed first with View: Toggle Panel).
    await page.keyboard.press('Control+J');
    await page.locator('.markers-panel').waitFor({ state: 'hidden', timeout: 10_000 });
    await item.click();
    await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 10_000 });
  });

  await check('hover on a port explains it', async () => {
    await page.keyboard.press('Escape');
    const box = await locateText('25001', 'tcp/25001');
    await page.mouse.move(box.x, box.y - 30);
    await page.mouse.move(box.x, box.y, { steps: 6 });
    const hover = page.locator('.monaco-hover', { hasText: '25001' }).first();
    await hover.waitFor({ timeout: 30_000 });
    const text = squash(await hover.innerText());
    log(`hover: ${text}`);
    if (!/tcp\/25001/.test(text) || !/installation parameters/i.test(text)) throw new Error(`hover lacks port/purpose: ${text}`);
    await shot('ui-hover');
    await page.mouse.move(5, 5);
  });

  await check('quick fix (Ctrl+.) adds file-sharing-encryption and the SMB diagnostic goes away', async () => {
    // Put the caret where the diagnostic starts (`fs01` in `installation: to: [fs01]`, Ln 34, Col 8) with Go to Line.
    const caretToTarget = async () => {
      await page.locator('.editor-instance .view-lines').first().click();
      await page.keyboard.press('Control+G');
      const quickInput = page.locator('.quick-input-widget input');
      await quickInput.waitFor();
      await quickInput.fill(':34:9');
      await page.keyboard.press('Enter');
      await page.locator('#status\\.editor\\.selection', { hasText: 'Ln 34, Col 9' }).waitFor({ timeout: 10_000 });
    };
    await caretToTarget();
    // Ctrl+. asks the server for code actions at the caret. Under load (CI, right after a build) the first press has
    // once shown no menu within 30 s, so the menu is asked for up to three times, and what it showed is logged.
    const menu = page.locator('.action-widget').first();
    const item = menu.locator('.monaco-list-row', { hasText: 'file-sharing-encryption' }).first();
    for (let attempt = 1; ; attempt++) {
      await page.locator('.editor-instance .view-lines').first().focus().catch(() => {});
      await page.keyboard.press('Control+.');
      try {
        await item.waitFor({ timeout: 10_000 });
        break;
      } catch (e) {
        const shown = await menu.isVisible().catch(() => false) ? squash(await menu.innerText().catch(() => '')) : '(no menu)';
        const caret = await page.locator('#status\\.editor\\.selection').first().innerText().catch(() => '?');
        log(`quick fix attempt ${attempt}: caret ${caret}; menu: ${shown}`);
        if (attempt === 3) throw e;
        await page.keyboard.press('Escape');
        await caretToTarget();
      }
    }
    log(`quick fixes: ${squash(await menu.innerText())}`);
    await shot('ui-quickfix-menu');
    await item.click();
    await page.locator('.editor-instance .view-line', { hasText: 'file-sharing-encryption: true' }).waitFor({ timeout: 10_000 });
    await problemsRow('SMB encryption of fs01 is not stated').waitFor({ state: 'detached', timeout: 30_000 });
    // The other finding about the same target is still there.
    await problemsRow('port 25001 is unencrypted').waitFor({ timeout: 5_000 });
    await shot('ui-after-fix');
  });
}

await browser?.close().catch(() => {});
const failed = setupFailed ? 1 + results.filter((r) => !r.ok).length : results.filter((r) => !r.ok).length;
await cs?.stop({ keepLogs: failed > 0 || !!process.env.E2E_KEEP });
for (const r of results.filter((x) => !x.ok)) console.error(`\n✗ ${r.name}\n${r.error?.stack ?? r.error}`);
const passed = results.filter((r) => r.ok).length;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
