// Loads the REAL webview bundle (client/media/preview.js + preview.css) in headless Chromium, in a page
// served from 127.0.0.1 with the same HTML and Content-Security-Policy as the extension uses, and a fake
// `acquireVsCodeApi` that records what the page posts. Used by the preview tests and bench/preview.mjs.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { previewHtml } from '../../client/src/previewHtml';

export const ROOT = resolve(__dirname, '..', '..');
export const MEDIA = join(ROOT, 'client', 'media');
export const RESULTS = join(ROOT, 'test-results', 'preview');
export const CHROMIUM = process.env.ACROTOPO_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestMtime(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** (Re)builds client/media/preview.js with the options of scripts/build.mjs when a source is newer. */
export function ensureBundle(): string {
  const out = join(MEDIA, 'preview.js');
  const src = Math.max(newestMtime(join(ROOT, 'webview', 'src')), newestMtime(join(ROOT, 'renderer', 'src')), statSync(join(ROOT, 'engine', 'src', 'diagram.ts')).mtimeMs);
  if (!existsSync(out) || statSync(out).mtimeMs < src) {
    buildSync({ bundle: true, platform: 'browser', format: 'iife', target: 'es2020', sourcemap: false, logLevel: 'warning', absWorkingDir: ROOT, minify: true, entryPoints: ['webview/src/main.ts'], outfile: 'client/media/preview.js' });
  }
  return out;
}

export interface Posted {
  type: string;
  [k: string]: unknown;
}

export interface Harness {
  browser: Browser;
  page: Page;
  server: Server;
  origin: string;
  /** console messages of level error/warning, page errors, CSP violations */
  problems: string[];
  consoleMessages: string[];
  pageErrors: string[];
  /** every URL the page requested (from before the first load), in order */
  requests: string[];
  /** every path the HTTP server behind the page was asked for */
  served: string[];
  /** the CSP nonce of the page's script */
  nonce: string;
  close(): Promise<void>;
  /** sends a message as the extension would (window 'message' event) */
  send(message: unknown): Promise<void>;
  /** what the page posted to the extension so far */
  posted(): Promise<Posted[]>;
  clearPosted(): Promise<void>;
  alerts(): Promise<number>;
  cspViolations(): Promise<string[]>;
  /** waits until the picture of `seq` is drawn */
  waitDrawn(seq: number): Promise<void>;
}

export async function openHarness(viewport = { width: 1400, height: 900 }, state?: unknown): Promise<Harness> {
  ensureBundle();
  mkdirSync(RESULTS, { recursive: true });
  const nonce = 'test' + Math.random().toString(36).slice(2) + 'Nonce';
  let origin = '';
  const served: string[] = [];
  const server = createServer((req, res) => {
    served.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(previewHtml({ cspSource: origin, nonce, scriptUri: `${origin}/media/preview.js`, styleUri: `${origin}/media/preview.css` }));
      return;
    }
    const m = /^\/media\/(preview\.(?:js|css))$/.exec(url.pathname);
    if (m) {
      res.writeHead(200, { 'content-type': m[1].endsWith('.js') ? 'text/javascript' : 'text/css' });
      res.end(readFileSync(join(MEDIA, m[1])));
      return;
    }
    res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  const consoleMessages: string[] = [];
  const pageErrors: string[] = [];
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    consoleMessages.push(`${m.type()}: ${m.text()}`);
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => {
    pageErrors.push(e.message);
    problems.push(`pageerror: ${e.message}`);
  });
  // tsx compiles the functions below with esbuild's keepNames, which calls a `__name` helper that the
  // page does not have: give it one (identity) before anything else runs.
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.addInitScript((initialState: unknown) => {
    const w = window as unknown as Record<string, unknown>;
    w.__posted = [];
    w.__alerts = 0;
    w.__csp = [];
    let state = initialState;
    w.acquireVsCodeApi = () => ({
      postMessage: (m: unknown) => (w.__posted as unknown[]).push(JSON.parse(JSON.stringify(m))),
      getState: () => state,
      setState: (s: unknown) => { state = s; },
    });
    const count = () => { w.__alerts = (w.__alerts as number) + 1; };
    window.alert = count;
    window.confirm = () => { count(); return false; };
    window.prompt = () => { count(); return null; };
    document.addEventListener('securitypolicyviolation', (e) => (w.__csp as string[]).push(`${e.violatedDirective} ${e.blockedURI}`));
  }, state);
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => ((window as unknown as { __posted: { type: string }[] }).__posted ?? []).some((m) => m.type === 'ready'));
  return {
    browser,
    page,
    server,
    origin,
    problems,
    consoleMessages,
    pageErrors,
    requests,
    served,
    nonce,
    async close() {
      await browser.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
    async send(message) {
      await page.evaluate((m) => window.postMessage(m, '*'), message);
    },
    async posted() {
      return page.evaluate(() => (window as unknown as { __posted: Posted[] }).__posted);
    },
    async clearPosted() {
      await page.evaluate(() => { (window as unknown as { __posted: unknown[] }).__posted = []; });
    },
    async alerts() {
      return page.evaluate(() => (window as unknown as { __alerts: number }).__alerts);
    },
    async cspViolations() {
      return page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
    },
    async waitDrawn(seq) {
      await page.waitForFunction((s) => document.body.dataset.rendered === String(s), seq, { timeout: 120_000 });
    },
  };
}
