// Language-server target of `npm run fuzz`: one long-lived server process (the server bundle, stdio)
// driven over real JSON-RPC. Each input is opened as a new document (didOpen), edited 0–3 times
// (incremental didChange with fuzz tokens), then asked hover, completion, code actions and document
// symbols at random positions (some past the end of a line or of the document) plus one of
// definition / references / highlights / prepareRename / rename / folding, one request in ten
// cancelled with $/cancelRequest; then its diagnostics for the last version are awaited and it is
// closed. A finding: the process exits; a request fails with an error other than RequestCancelled /
// ContentModified; a request, or the diagnostics of the last version, takes longer than `hangMs`;
// the server logs an error (a handler that threw: the guards in server.ts turn it into a fallback
// answer, which would hide it); an internal-error diagnostic or one outside the document; anything
// on stderr. After a death or a hang the server is restarted and the run goes on.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { makeInput, TOKENS } from './inputs.mjs';

const require = createRequire(import.meta.url);
const rpc = require('vscode-jsonrpc/node');
const { TextDocument } = require('vscode-languageserver-textdocument');

const OK_ERRORS = new Set([-32800 /* RequestCancelled */, -32801 /* ContentModified */]);
/** requests that may refuse with a message: InvalidParams (a new name that is not a valid name, or taken) or RequestFailed (a reserved name) */
const REFUSALS = new Set(['textDocument/rename', 'textDocument/prepareRename']);
const REFUSAL_CODES = new Set([-32602 /* InvalidParams */, -32803 /* RequestFailed */]);

class Server {
  constructor(bundle) {
    this.proc = spawn(process.execPath, ['--enable-source-maps', bundle, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = false;
    this.stderr = '';
    this.errors = [];
    this.waiters = new Map(); // uri → { version, resolve }
    this.proc.on('exit', (code, signal) => {
      this.exited = true;
      this.exitReason = `server exited (code ${code}, signal ${signal})`;
      for (const w of this.waiters.values()) w.resolve(undefined);
    });
    this.proc.stderr.on('data', (d) => (this.stderr += d.toString()));
    this.proc.stdin.on('error', () => undefined);
    this.conn = rpc.createMessageConnection(new rpc.StreamMessageReader(this.proc.stdout), new rpc.StreamMessageWriter(this.proc.stdin));
    this.conn.onError(() => undefined);
    this.conn.onNotification('textDocument/publishDiagnostics', (p) => {
      const w = this.waiters.get(p.uri);
      if (w && p.version === w.version) {
        this.waiters.delete(p.uri);
        w.resolve(p.diagnostics);
      }
    });
    this.conn.onNotification('window/logMessage', (p) => {
      if (p.type === 1) this.errors.push(p.message);
    });
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({ validate: { debounceMs: 0 } })));
    this.conn.listen();
  }

  async init() {
    await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      initializationOptions: { settings: { validate: { debounceMs: 0 } } },
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true, dataSupport: true }, documentSymbol: { hierarchicalDocumentSymbolSupport: true }, rename: { prepareSupport: true } } },
    });
    await this.conn.sendNotification('initialized', {});
  }

  /** Resolves with the diagnostics published for exactly `version`, or undefined after `ms` or on exit. */
  diagnostics(uri, version, ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(uri);
        resolve(undefined);
      }, ms);
      this.waiters.set(uri, { version, resolve: (d) => { clearTimeout(timer); resolve(d); } });
      if (this.exited) resolve(undefined);
    });
  }

  kill() {
    try {
      this.conn.dispose();
    } catch { /* gone */ }
    this.proc.kill('SIGKILL');
  }
}

const pick = (r, xs) => xs[Math.floor(r() * xs.length)];

function randomPosition(r, doc) {
  const lines = doc.lineCount;
  const line = r() < 0.05 ? lines + Math.floor(r() * 3) : Math.floor(r() * lines);
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const character = r() < 0.05 ? text.length + 5 : Math.floor(r() * (text.length + 1));
  return { line, character };
}

/** One input through the server; returns a finding reason or undefined, and the time taken. */
async function oneInput(server, i, text, r, hangMs) {
  const uri = `file:///fuzz/input-${i}.acrotopo.yaml`;
  let doc = TextDocument.create(uri, 'acrotopo', 1, text);
  const problems = [];
  const t0 = performance.now();
  // the diagnostics wait starts before the notifications that cause them
  const edits = r() < 0.5 ? 0 : 1 + Math.floor(r() * 3);
  let version = 1;
  let published = server.diagnostics(uri, edits === 0 ? 1 : 1 + edits, hangMs + 500 * edits);
  await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'acrotopo', version, text } });
  for (let k = 0; k < edits; k++) {
    const a = doc.offsetAt(randomPosition(r, doc));
    const b = Math.min(doc.getText().length, a + Math.floor(r() * 30));
    const range = { start: doc.positionAt(a), end: doc.positionAt(b) };
    const change = { range, text: r() < 0.7 ? pick(r, TOKENS) : '' };
    version++;
    doc = TextDocument.update(doc, [change], version);
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
  }
  const requests = [];
  const send = (method, params) => {
    const source = new rpc.CancellationTokenSource();
    const started = performance.now();
    const p = server.conn.sendRequest(method, params, source.token).then(
      () => undefined,
      (e) => (e && (OK_ERRORS.has(e.code) || (REFUSALS.has(method) && REFUSAL_CODES.has(e.code))) ? undefined : `${method} failed: ${e?.code ?? ''} ${e?.message ?? e}`),
    );
    let timer;
    const timed = Promise.race([p, new Promise((res) => (timer = setTimeout(() => res(`${method} got no response within ${hangMs} ms`), hangMs)))]).finally(() => clearTimeout(timer));
    requests.push(timed.then((why) => why && `${why} (after ${(performance.now() - started).toFixed(0)} ms, params ${JSON.stringify(params).slice(0, 200)})`));
    return source;
  };
  const td = { uri };
  for (let q = 0; q < 4; q++) {
    const position = randomPosition(r, doc);
    const end = r() < 0.5 ? position : randomPosition(r, doc);
    const range = end.line < position.line || (end.line === position.line && end.character < position.character) ? { start: end, end: position } : { start: position, end };
    const sources = [
      send('textDocument/hover', { textDocument: td, position }),
      send('textDocument/completion', { textDocument: td, position }),
      send('textDocument/codeAction', { textDocument: td, range, context: { diagnostics: [], ...(r() < 0.3 ? { only: [pick(r, ['quickfix', 'source.fixAll', 'source.fixAll.acrotopo'])] } : {}) } }),
      send('textDocument/documentSymbol', { textDocument: td }),
    ];
    const extra = pick(r, ['definition', 'references', 'documentHighlight', 'prepareRename', 'rename', 'foldingRange']);
    if (extra === 'foldingRange') sources.push(send('textDocument/foldingRange', { textDocument: td }));
    else if (extra === 'rename') sources.push(send('textDocument/rename', { textDocument: td, position, newName: pick(r, ['x', 'new name', '', 'a:b', '\u202E', 'm'.repeat(300)]) }));
    else if (extra === 'references') sources.push(send('textDocument/references', { textDocument: td, position, context: { includeDeclaration: r() < 0.5 } }));
    else sources.push(send(`textDocument/${extra}`, { textDocument: td, position }));
    if (r() < 0.1) pick(r, sources).cancel();
  }
  const diags = await published;
  if (diags === undefined) problems.push(server.exited ? server.exitReason : `no diagnostics for version ${version} within ${hangMs} ms`);
  else {
    const ie = diags.find((d) => d.code === 'internal-error');
    if (ie) problems.push(`internal-error diagnostic: ${ie.message}`);
    const bad = diags.find((d) => d.range.start.line > doc.lineCount || d.range.end.line > doc.lineCount || d.range.start.line > d.range.end.line);
    if (bad) problems.push(`diagnostic outside the document: ${bad.code} ${JSON.stringify(bad.range)}`);
    // the code actions for what was published: the path an editor takes on every cursor move
    if (diags.length > 0) {
      const d = pick(r, diags);
      send('textDocument/codeAction', { textDocument: td, range: d.range, context: { diagnostics: [d] } });
    }
  }
  for (const why of await Promise.all(requests)) if (why) problems.push(why);
  await server.conn.sendNotification('textDocument/didClose', { textDocument: td }).catch(() => undefined);
  if (server.exited) problems.push(server.exitReason);
  if (server.errors.length) problems.push(`server logged: ${server.errors.splice(0).join(' | ').slice(0, 2000)}`);
  if (server.stderr) problems.push(`stderr: ${server.stderr.slice(0, 2000)}`);
  server.stderr = '';
  return { reason: problems[0] && problems.join('\n'), ms: performance.now() - t0 };
}

/**
 * Runs inputs [from, to) through the server bundle. Returns { done, maxMs, findings, restarts }.
 * `onProgress(done)` is called now and then.
 */
export async function fuzzServer({ from, to, seed, seeds, bundle, hangMs, onProgress }) {
  const findings = [];
  let maxMs = 0;
  let done = 0;
  let restarts = 0;
  let server = new Server(bundle);
  await server.init();
  for (let i = from; i < to; i++) {
    const { text, r } = makeInput(seed, seeds, i);
    let res;
    try {
      res = await oneInput(server, i, text, r, hangMs);
    } catch (e) {
      res = { reason: `driver: ${e?.stack ?? e}`, ms: 0 };
    }
    done++;
    maxMs = Math.max(maxMs, res.ms);
    if (res.reason) {
      findings.push({ target: 'server', index: i, reason: res.reason, input: text });
      // a dead or hung server is replaced; a living one that only reported keeps serving
      if (server.exited || /no response|no diagnostics/.test(res.reason)) {
        server.kill();
        server = new Server(bundle);
        await server.init();
        restarts++;
      }
    }
    if (onProgress && done % 500 === 0) onProgress(done);
  }
  try {
    await Promise.race([server.conn.sendRequest('shutdown'), new Promise((res) => setTimeout(res, 2000))]);
    await server.conn.sendNotification('exit');
  } catch { /* gone */ }
  setTimeout(() => server.kill(), 500).unref();
  return { done, maxMs, findings, restarts };
}
