#!/usr/bin/env node
// Writes V8's code cache of the language server's bundle (server/dist/server.js.cache), which
// server/bin/acrotopo-language-server.js compiles the bundle with. Run by `npm run build`
// (scripts/build.mjs) after bundling; no cache only costs start-up time (docs/language-server.md,
// "Code cache").
//
// The cache holds the functions a session compiled: this one starts the server through the bin with
// ACROTOPO_CODE_CACHE=write and the node options the server always runs with (server/node-options.json:
// V8 rejects a cache made under other flags), opens every example over stdio — the full check of each,
// its diagnostics encoded and published —, waits for the idle work and the warm-up (the incremental
// check's code) and ends the session; the bin writes the cache as the process exits.
//
//   node scripts/server-code-cache.mjs [SERVER_DIR]   (SERVER_DIR: a directory with bin/ and dist/; default server/)
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nodeOptions = JSON.parse(readFileSync(join(root, 'server', 'node-options.json'), 'utf8'));
const TIMEOUT_MS = 60_000;

const examples = [join(root, 'examples'), join(root, 'examples', 'problems')]
  .filter((d) => existsSync(d))
  .flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.acrotopo.yaml')).map((f) => join(d, f)));

/**
 * Runs the session with the server in `serverDir` (bin/ and dist/); resolves with the cache's size in
 * bytes, or rejects with why there is none.
 */
export async function writeServerCodeCache(serverDir = join(root, 'server')) {
  const bin = join(serverDir, 'bin', 'acrotopo-language-server.js');
  const cache = join(serverDir, 'dist', 'server.js.cache');
  if (!existsSync(bin)) throw new Error(`${bin} not found`);
  const child = spawn(process.execPath, [...nodeOptions.execArgv, bin, '--stdio'], {
    env: { ...process.env, ...nodeOptions.env, ACROTOPO_CODE_CACHE: 'write' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-2000)));
  const exited = new Promise((r) => child.on('exit', (code) => r(code)));
  child.stdin.on('error', () => { /* the server is gone: its exit says why */ });

  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  // the server's requests: settings (workspace/configuration: none), registrations
  conn.onRequest((method, params) => (method === 'workspace/configuration' ? (params?.items ?? []).map(() => null) : null));
  const published = new Set();
  let onPublish = () => undefined;
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    published.add(p.uri);
    onPublish();
  });
  conn.listen();

  const deadline = Date.now() + TIMEOUT_MS;
  const timeout = setTimeout(() => child.kill(), TIMEOUT_MS);
  try {
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true } } } });
    await conn.sendNotification('initialized', {});
    for (const file of examples) {
      const uri = pathToFileURL(file).href;
      const seen = new Promise((r) => {
        onPublish = () => published.has(uri) && r();
      });
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'acrotopo', version: 1, text: readFileSync(file, 'utf8') } });
      await seen;
    }
    // the idle work after the last publish, and the warm-up (the incremental check's code)
    for (;;) {
      const status = await conn.sendRequest('acrotopo/serverStatus');
      if (!status?.warmUp || status.warmUp.state === 'done' || status.warmUp.state === 'off') break;
      if (Date.now() > deadline) throw new Error('the warm-up did not end');
      await new Promise((r) => setTimeout(r, 50));
    }
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    const code = await exited;
    if (code !== 0) throw new Error(`the server exited with ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`);
  } catch (e) {
    child.kill();
    throw new Error(`${e instanceof Error ? e.message : String(e)}${stderr.trim() ? ` (stderr: ${stderr.trim().split('\n').at(-1)})` : ''}`);
  } finally {
    clearTimeout(timeout);
    conn.dispose();
  }
  if (!existsSync(cache)) throw new Error(`the server did not write ${cache}: ${stderr.trim().split('\n').at(-1) ?? ''}`);
  return statSync(cache).size;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeServerCodeCache(resolve(process.argv[2] ?? join(root, 'server'))).then(
    (size) => console.log(`acrotopo: wrote the language server's code cache (${Math.round(size / 1024)} KiB)`),
    (e) => {
      console.log(`acrotopo: no code cache for the language server: ${e.message}`);
    },
  );
}
