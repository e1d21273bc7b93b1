// Runs the Mocha suite client/test/suite/*.test.cjs INSIDE the extension host of a real VS Code (code-server), the
// offline equivalent of @vscode/test-electron: the extension is loaded from client/ in development mode and the
// workbench URL's `payload` names extensionDevelopmentPath / extensionTestsPath (needs enable-smoke-test-driver).
//   node test/e2e/ext-host.mjs      (E2E_SKIP_BUILD=1 skips `npm run build`; E2E_DEBUG=1 prints workbench logs)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { clientDir, log, npmRun, copyAssets, startCodeServer, launchChromium, cleanOutDir, checkTools } from './lib.mjs';

const testsPath = join(clientDir, 'test', 'suite', 'index.cjs');
let cs, browser, exitCode = 'not run', output = '';
try {
  checkTools();
  cleanOutDir('ext-host');
  if (!process.env.E2E_SKIP_BUILD) npmRun('build');
  copyAssets();
  for (const f of ['dist/extension.js', 'dist/server.js']) {
    if (!existsSync(join(clientDir, f))) throw new Error(`client/${f} missing: the build did not produce it`);
  }
  cs = await startCodeServer({ name: 'ext-host', extraArgs: ['--vscode-option', 'enable-smoke-test-driver'] });
  browser = await launchChromium();
  const page = await browser.newPage();
  page.on('console', (m) => { if (process.env.E2E_DEBUG) console.log('[console]', m.type(), m.text().slice(0, 400)); });
  let resolveExit;
  const done = new Promise((r) => { resolveExit = r; });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  await page.exposeFunction('codeAutomationLog', (_type, args) => {
    const text = format(...args);
    output += text + '\n';
    // The workbench's own lines start with '%c'; the extension host's stdout (Mocha's reporter) does not.
    if (process.env.E2E_DEBUG || !String(args[0]).startsWith('%c')) console.log(text);
  });
  const remote = (p) => `vscode-remote://127.0.0.1:${cs.port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(clientDir)], ['extensionTestsPath', remote(testsPath)]];
  await page.goto(`${cs.base}/?folder=${encodeURIComponent(cs.ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  const timeout = Number(process.env.E2E_TIMEOUT ?? 300_000);
  exitCode = await Promise.race([done, new Promise((r) => setTimeout(() => r('timeout'), timeout))]);
  log(`extension tests exit code: ${exitCode}`);
} catch (e) { console.error(e); }
finally {
  await browser?.close().catch(() => {});
  await cs?.stop({ keepLogs: exitCode !== 0 || !!process.env.E2E_KEEP });
}
const passed = Number(/(\d+) passing/.exec(output)?.[1] ?? 0);
const failedCount = Number(/(\d+) failing/.exec(output)?.[1] ?? 0);
console.log(`${passed} passed, ${exitCode === 0 ? failedCount : Math.max(failedCount, 1)} failed`);
process.exit(exitCode === 0 ? 0 : 1);
