#!/usr/bin/env node
// Runs the same extension-host Mocha suite (test/suite/*.test.cjs) in desktop VS Code via @vscode/test-electron,
// for machines that can download VS Code (offline, use test/e2e/ext-host.mjs, which runs it in code-server).
//   npm run build && node client/test/run-test-electron.cjs        (VSCODE_VERSION=1.91.0 pins the version; default stable)
// On a headless Linux machine wrap it in xvfb-run.
const path = require('path');
const fs = require('fs');
const os = require('os');
const { execFileSync } = require('child_process');

async function main() {
  const { runTests } = require('@vscode/test-electron');
  const client = path.resolve(__dirname, '..');
  const root = path.resolve(client, '..');
  execFileSync(process.execPath, [path.join(client, 'scripts', 'copy-assets.mjs')], { stdio: 'inherit' });
  for (const f of ['dist/extension.js', 'dist/server.js']) {
    if (!fs.existsSync(path.join(client, f))) throw new Error(`client/${f} missing: run \`npm run build\` at the repository root`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'acrotopo-electron-'));
  const ws = path.join(tmp, 'workspace');
  fs.cpSync(path.join(root, 'test', 'e2e', 'fixtures'), ws, { recursive: true });
  const resultFile = path.join(tmp, 'result.json');
  let code = 1;
  try {
    code = await runTests({
      version: process.env.VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: client,
      extensionTestsPath: path.join(client, 'test', 'suite', 'index.cjs'),
      extensionTestsEnv: { ACROTOPO_TEST_RESULT: resultFile, ACROTOPO_TEST_GREP: process.env.ACROTOPO_TEST_GREP || '' },
      launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        '--user-data-dir', path.join(tmp, 'user-data')],
    });
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
  }
  let result = { passes: 0, failures: 0 };
  try { result = JSON.parse(fs.readFileSync(resultFile, 'utf8')); } catch { /* VS Code never ran the suite */ }
  fs.rmSync(tmp, { recursive: true, force: true });
  const failed = code === 0 ? result.failures : Math.max(result.failures, 1);
  console.log(`${result.passes} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
main();
