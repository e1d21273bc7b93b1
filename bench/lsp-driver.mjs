#!/usr/bin/env node
// One LSP driver for the benchmarks: starts a language server over stdio (vscode-jsonrpc), opens a
// file, measures open → first publishDiagnostics, then types edits (bench/edits.mjs) one at a time and
// measures each edit → publishDiagnostics for that version; finally reads the server's peak RSS
// (VmHWM) and shuts it down. Every wait is bounded; the server is always killed at the end.
//
//   node bench/lsp-driver.mjs --server ours|yaml FILE [--edits N] [--typing | --typing-machine]     prints the result as JSON
//   import { runServer, SERVERS } from './lsp-driver.mjs'
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import rpc from 'vscode-jsonrpc/node.js';
import { applyEdit, planEdits, planTyping, planTypingMachine } from './edits.mjs';

const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = rpc;
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA = join(ROOT, 'schemas', 'acrotopo.schema.json');

/** yaml-language-server settings: OUR schema for *.acrotopo.yaml, validation on, no schema store (no network). */
export function yamlSettings() {
  return {
    yaml: {
      validate: true,
      hover: true,
      completion: true,
      format: { enable: false },
      schemas: { [pathToFileURL(SCHEMA).href]: '*.acrotopo.yaml' },
      schemaStore: { enable: false },
      customTags: [],
      maxItemsComputed: 5000,
      disableDefaultProperties: false,
      keyOrdering: false,
    },
    http: { proxy: '', proxyStrictSSL: false },
    '[yaml]': { 'editor.tabSize': 2 },
    editor: { detectIndentation: true, tabSize: 2 },
    files: { associations: {} },
  };
}

/** node's options and environment for our server, as the VS Code extension starts it (client/src/extension.ts) */
const OUR_NODE = JSON.parse(readFileSync(join(ROOT, 'server', 'node-options.json'), 'utf8'));

export const SERVERS = {
  ours: {
    id: 'ours',
    label: 'acrotopo-language-server',
    bin: join(ROOT, 'server', 'bin', 'acrotopo-language-server.js'),
    args: ['--stdio'],
    nodeArgs: OUR_NODE.execArgv,
    nodeEnv: OUR_NODE.env,
    languageId: 'acrotopo',
    // The editor's default debounce (75 ms) would dominate small files; the benchmark measures the work:
    // BENCH_OURS_DEBOUNCE_MS (default 0) sets acrotopo.validate.debounceMs.
    settings: () => ({ acrotopo: { validate: { debounceMs: Number(process.env.BENCH_OURS_DEBOUNCE_MS ?? 0) } } }),
  },
  yaml: {
    id: 'yaml',
    label: 'yaml-language-server',
    bin: join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'),
    args: ['--stdio'],
    // as the Red Hat YAML extension starts it (vscode-yaml: no node options in its run ServerOptions)
    nodeArgs: [],
    nodeEnv: {},
    languageId: 'yaml',
    settings: yamlSettings,
  },
};

/** Nearest-rank percentile of a list of numbers. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

function readPeakRssMiB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    /* not Linux or gone */
  }
  return NaN;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]);
}

/**
 * @param {{ server: typeof SERVERS.ours, file: string, edits?: number, node?: string,
 *           openTimeoutMs?: number, editTimeoutMs?: number, budgetMs?: number, gapMs?: number,
 *           typing?: boolean | 'machine' }} o  typing: the typing scenario (edits.mjs planTyping; 'machine': planTypingMachine) instead of planEdits
 */
export async function runServer(o) {
  const server = o.server;
  const file = resolve(o.file);
  const text = readFileSync(file, 'utf8');
  const uri = pathToFileURL(file).href;
  const editCount = o.edits ?? 50;
  const openTimeoutMs = o.openTimeoutMs ?? 120_000;
  const editTimeoutMs = o.editTimeoutMs ?? 60_000;
  const budgetMs = o.budgetMs ?? 180_000;
  const gapMs = o.gapMs ?? 100;
  const result = {
    server: server.label,
    file: basename(file),
    openMs: NaN,
    openDiagnostics: NaN,
    edits: /** @type {{ label: string, back: boolean, ms: number, diagnostics: number }[]} */ ([]),
    editsPlanned: editCount,
    editMedianMs: NaN,
    editP95Ms: NaN,
    peakRssMiB: NaN,
    extraPublishes: 0,
    sync: '',
    error: /** @type {string | undefined} */ (undefined),
    stderrTail: '',
  };
  if (!existsSync(server.bin)) {
    result.error = `${server.bin} not found`;
    return result;
  }

  const child = spawn(o.node ?? process.execPath, [...server.nodeArgs, server.bin, ...server.args], { cwd: ROOT, env: { ...process.env, ...server.nodeEnv }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => {
    stderr = (stderr + c.toString('utf8')).slice(-4000);
  });
  let exited = false;
  const exitPromise = new Promise((r) => child.on('exit', (code, signal) => {
    exited = true;
    r({ code, signal });
  }));
  child.on('error', (e) => {
    result.error ??= `spawn failed: ${e.message}`;
  });
  child.stdin.on('error', () => { /* server gone; reported through exit */ });

  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const settings = server.settings();
  conn.onRequest((method, params) => {
    if (method === 'workspace/configuration') {
      return (params?.items ?? []).map((it) => (it.section ? (it.section.split('.').reduce((o2, k) => (o2 == null ? o2 : o2[k]), settings) ?? null) : settings));
    }
    if (method === 'workspace/workspaceFolders') return [{ uri: pathToFileURL(ROOT).href, name: 'acrotopo' }];
    return null; // client/registerCapability, window/workDoneProgress/create, custom requests …
  });
  conn.onNotification(() => { /* logMessage, telemetry, progress … */ });

  /** @type {{ version: number, resolve: (p: any) => void } | undefined} */
  let waiter;
  let publishes = 0;
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    if (p.uri !== uri) return;
    publishes++;
    const versionOk = p.version === undefined || p.version === null || waiter === undefined || p.version >= waiter.version;
    if (waiter && versionOk) {
      const w = waiter;
      waiter = undefined;
      w.resolve(p);
    }
  });
  conn.onClose(() => {
    if (waiter) result.error ??= 'connection closed';
  });
  conn.listen();

  const waitFor = (version, timeoutMs, what) =>
    withTimeout(
      new Promise((r) => {
        waiter = { version, resolve: r };
      }),
      timeoutMs,
      what,
    ).finally(() => {
      waiter = undefined;
    });

  try {
    const init = await withTimeout(
      conn.sendRequest('initialize', {
        processId: process.pid,
        clientInfo: { name: 'acrotopo-bench', version: '1' },
        rootUri: pathToFileURL(ROOT).href,
        workspaceFolders: [{ uri: pathToFileURL(ROOT).href, name: 'acrotopo' }],
        capabilities: {
          workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false }, workspaceFolders: true },
          textDocument: {
            synchronization: { dynamicRegistration: false, didSave: true },
            publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          },
          window: { workDoneProgress: false },
        },
        initializationOptions: {},
      }),
      30_000,
      'initialize',
    );
    const sync = init?.capabilities?.textDocumentSync;
    const kind = typeof sync === 'number' ? sync : sync?.change ?? 1;
    result.sync = kind === 2 ? 'incremental' : 'full';
    await conn.sendNotification('initialized', {});
    await conn.sendNotification('workspace/didChangeConfiguration', { settings });
    await sleep(200); // let the server apply the settings before the document arrives

    // ---- open ----
    let version = 1;
    const opened = waitFor(version, openTimeoutMs, 'open → publishDiagnostics');
    const t0 = performance.now();
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: server.languageId, version, text } });
    const first = await opened;
    result.openMs = performance.now() - t0;
    result.openDiagnostics = first.diagnostics.length;
    const seenAfterOpen = publishes;
    await sleep(Math.max(gapMs, 300));
    result.extraPublishes += publishes - seenAfterOpen;

    // ---- edits ----
    const lines = text.split('\n');
    const plan = o.typing === 'machine' ? planTypingMachine(text, editCount) : o.typing ? planTyping(text, editCount) : planEdits(text, editCount);
    if (plan.length === 0) throw new Error('nothing to edit in this file');
    const editStart = performance.now();
    for (const e of plan) {
      if (exited) throw new Error('server exited');
      if (performance.now() - editStart > budgetMs) {
        result.error = `edit budget of ${Math.round(budgetMs / 1000)} s used up after ${result.edits.length} edits`;
        break;
      }
      version++;
      applyEdit(lines, e);
      const change = kind === 2
        ? { range: { start: { line: e.line, character: e.character }, end: { line: e.line, character: e.endCharacter } }, text: e.newText }
        : { text: lines.join('\n') };
      const got = waitFor(version, editTimeoutMs, `edit ${version - 1} (${e.label}) → publishDiagnostics`);
      const t1 = performance.now();
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      const p = await got;
      result.edits.push({ label: e.label, back: !!e.back, ms: performance.now() - t1, diagnostics: p.diagnostics.length });
      const seen = publishes;
      await sleep(gapMs);
      result.extraPublishes += publishes - seen;
    }
  } catch (e) {
    result.error ??= e instanceof Error ? e.message : String(e);
  } finally {
    if (!exited) result.peakRssMiB = readPeakRssMiB(child.pid);
    if (!exited) {
      try {
        await withTimeout(conn.sendRequest('shutdown'), 5000, 'shutdown');
        await conn.sendNotification('exit');
      } catch {
        /* killed below */
      }
      await Promise.race([exitPromise, sleep(2000)]);
    }
    if (!exited) {
      child.kill('SIGKILL');
      await Promise.race([exitPromise, sleep(2000)]);
    }
    conn.dispose();
  }
  const times = result.edits.map((x) => x.ms);
  result.editMedianMs = percentile(times, 50);
  result.editP95Ms = percentile(times, 95);
  result.stderrTail = stderr.trim().split('\n').slice(-5).join('\n');
  return result;
}

/** The value after `name` in argv (both taken out of it), else `fallback` (the bench scripts' options). */
export function takeOption(argv, name, fallback) {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  const opt = (name, dflt) => takeOption(argv, name, dflt);
  const which = opt('--server', 'ours');
  const edits = Number(opt('--edits', '50'));
  const node = opt('--node', undefined);
  let typing = false;
  if (argv.includes('--typing-machine')) {
    argv.splice(argv.indexOf('--typing-machine'), 1);
    typing = 'machine';
  }
  if (argv.includes('--typing')) {
    argv.splice(argv.indexOf('--typing'), 1);
    typing = true;
  }
  const file = argv[0];
  const server = SERVERS[which];
  if (!file || !server) {
    console.error('usage: node bench/lsp-driver.mjs --server ours|yaml FILE [--edits N] [--typing | --typing-machine] [--node PATH]');
    process.exit(2);
  }
  const r = await runServer({ server, file, edits, node, typing });
  console.log(JSON.stringify(r, null, 2));
  process.exit(r.error ? 1 : 0);
}
