// A small LSP client for the tests: spawns the BUILT server (`node server/bin/acrotopo-language-server.js
// --stdio`) and talks real JSON-RPC over its stdio. The server bundle is rebuilt first when it is older
// than its sources (only the server entry, the same esbuild options as scripts/build.mjs).
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceFile } from '@acrotopo/engine';
import { ensureBundle, ensureLoader } from '../../test/bundle';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import type {
  CodeAction,
  CompletionItem,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  Position,
  PublishDiagnosticsParams,
  Range,
  TextDocumentContentChangeEvent,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'server', 'bin', 'acrotopo-language-server.js');
const OUT = join(ROOT, 'server', 'dist', 'server.js');
const TIMEOUT_MS = 15_000;

let built: Promise<void> | undefined;

/** Rebuilds server/dist/server.js when a source is newer (see test/bundle.ts). */
export function ensureBuilt(): Promise<void> {
  built ??= process.env.ACROTOPO_NO_BUILD === '1' && existsSync(OUT)
    ? Promise.resolve()
    : ensureBundle({ root: ROOT, entry: 'server/src/main.ts', out: OUT, sources: ['server/src', 'engine/src', 'schemas'], sourcemap: 'inline' }).then(() => ensureLoader(ROOT, dirname(OUT)));
  return built;
}

/** Strips the `|` cursor marker from a fixture; returns the text and the marker's position. */
export function fixture(src: string, marker = '|'): { text: string; offset: number; position: Position } {
  const text0 = dedent(src);
  const offset = text0.indexOf(marker);
  if (offset < 0) throw new Error('fixture without a cursor marker');
  const text = text0.slice(0, offset) + text0.slice(offset + marker.length);
  return { text, offset, position: positionAt(text, offset) };
}

/** Removes the common indentation of a template literal (and its first newline). */
export function dedent(src: string): string {
  const lines = src.replace(/^\n/, '').replace(/\n\s*$/, '\n').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

export function positionAt(text: string, offset: number): Position {
  return new SourceFile(text).position(offset);
}

export function offsetAt(text: string, p: Position): number {
  return new SourceFile(text).offset(p);
}

/** Position of the n-th occurrence (0-based) of `needle` in `text`, plus `delta` characters. */
export function positionOf(text: string, needle: string, nth = 0, delta = 0): Position {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`'${needle}' not found ${nth + 1} time(s)`);
  }
  return positionAt(text, i + delta);
}

export function textAt(text: string, r: Range): string {
  return text.slice(offsetAt(text, r.start), offsetAt(text, r.end));
}

/** Applies LSP text edits (non-overlapping) to a text. */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const sorted = edits
    .map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

export function editsFor(edit: WorkspaceEdit | null | undefined, uri: string): TextEdit[] {
  return edit?.changes?.[uri] ?? [];
}

export interface StartOptions {
  /** what `workspace/configuration` answers for the `acrotopo` section */
  settings?: Record<string, unknown>;
  /** advertise workspace/configuration support (default true) */
  configuration?: boolean;
  /** `stdio` (default): the bin over stdin/stdout; `ipc`: the bundle forked with `--node-ipc`, as VS Code starts it */
  transport?: 'stdio' | 'ipc';
  /** another server bundle to run over stdio instead of the bin (a test-only entry, see survival.test.ts) */
  module?: string;
  /** extra node options for the server process (e.g. the permission model) */
  execArgv?: string[];
  /** environment of the server process (default: this process's) */
  env?: NodeJS.ProcessEnv;
  /** working directory of the server process (default: the repository root) */
  cwd?: string;
  /** the initialize request's initializationOptions */
  initializationOptions?: unknown;
  /** advertise codeAction/resolve for `edit` (as VS Code does) */
  codeActionResolve?: boolean;
}

export class LspClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  stderr = '';
  settings: Record<string, unknown>;
  configurationRequests = 0;
  /** the scopeUri of every item the server asked for (undefined: the global settings) */
  readonly configurationScopes: (string | undefined)[] = [];
  private waiters: (() => void)[] = [];
  private exited = false;

  private constructor(readonly proc: ChildProcess, readonly conn: MessageConnection, settings: Record<string, unknown>) {
    this.settings = settings;
  }

  static async start(opts: StartOptions = {}): Promise<LspClient> {
    await ensureBuilt();
    let proc: ChildProcess;
    let conn: MessageConnection;
    if (opts.transport === 'ipc') {
      proc = fork(OUT, ['--node-ipc'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
      conn = createMessageConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc));
    } else {
      const p = spawn(process.execPath, [...(opts.execArgv ?? []), opts.module ?? BIN, '--stdio'], { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
      proc = p;
      conn = createMessageConnection(new StreamMessageReader(p.stdout), new StreamMessageWriter(p.stdin));
    }
    const client = new LspClient(proc, conn, opts.settings ?? {});
    proc.stderr?.on('data', (d: Buffer) => (client.stderr += d.toString()));
    proc.on('exit', () => {
      client.exited = true;
      client.notify();
    });
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      client.published.push(p);
      client.notify();
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => client.logs.push(p.message));
    conn.onRequest('workspace/configuration', (p: { items: { section?: string; scopeUri?: string }[] }) => {
      client.configurationRequests++;
      for (const i of p.items) client.configurationScopes.push(i.scopeUri);
      client.notify();
      return p.items.map((i) => (i.section === 'acrotopo' ? client.settings : null));
    });
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.listen();
    const configuration = opts.configuration !== false;
    client.initializeResult = await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      ...(opts.initializationOptions !== undefined ? { initializationOptions: opts.initializationOptions } : {}),
      capabilities: {
        workspace: { configuration, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } },
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
            isPreferredSupport: true,
            dataSupport: true,
            ...(opts.codeActionResolve ? { resolveSupport: { properties: ['edit'] } } : {}),
          },
          rename: { prepareSupport: true },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        },
      },
    });
    await conn.sendNotification('initialized', {});
    return client;
  }

  initializeResult: { capabilities: Record<string, unknown>; serverInfo?: { name: string; version?: string } } = { capabilities: {} };

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits until `pred` holds (re-checked on each server notification), failing after a safety timeout. */
  async waitFor<T>(what: string, pred: () => T | undefined): Promise<T> {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const v = pred();
      if (v !== undefined) return v;
      if (this.exited) throw new Error(`server exited while waiting for ${what}\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; published: ${JSON.stringify(this.published.map((p) => [p.uri, p.version, p.diagnostics.length]))}\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The diagnostics published for exactly this version of the document. */
  diagnostics(uri: string, version: number): Promise<Diagnostic[]> {
    return this.waitFor(`diagnostics for ${uri} v${version}`, () => {
      for (let i = this.published.length - 1; i >= 0; i--) {
        const p = this.published[i];
        if (p.uri === uri && p.version === version) return p.diagnostics;
      }
      return undefined;
    });
  }

  async open(uri: string, text: string, version = 1, languageId = 'acrotopo'): Promise<Diagnostic[]> {
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    return this.diagnostics(uri, version);
  }

  async change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Changes the settings and waits until the server has pulled them. */
  async setSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    const before = this.configurationRequests;
    await this.conn.sendNotification('workspace/didChangeConfiguration', { settings: { acrotopo: settings } });
    await this.waitFor('the server to pull the settings', () => (this.configurationRequests > before ? true : undefined));
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.request('textDocument/hover', { textDocument: { uri }, position });
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const r = await this.request<CompletionList | CompletionItem[] | null>('textDocument/completion', { textDocument: { uri }, position });
    if (!r) return [];
    return Array.isArray(r) ? r : r.items;
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[] | null> {
    return this.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) } });
  }

  resolveCodeAction(action: CodeAction): Promise<CodeAction> {
    return this.request('codeAction/resolve', action);
  }

  symbols(uri: string): Promise<DocumentSymbol[] | null> {
    return this.request('textDocument/documentSymbol', { textDocument: { uri } });
  }

  folding(uri: string): Promise<FoldingRange[] | null> {
    return this.request('textDocument/foldingRange', { textDocument: { uri } });
  }

  definition(uri: string, position: Position): Promise<Location[] | Location | null> {
    return this.request('textDocument/definition', { textDocument: { uri }, position });
  }

  references(uri: string, position: Position, includeDeclaration = true): Promise<Location[] | null> {
    return this.request('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration } });
  }

  prepareRename(uri: string, position: Position): Promise<{ range: Range; placeholder: string } | Range | null> {
    return this.request('textDocument/prepareRename', { textDocument: { uri }, position });
  }

  rename(uri: string, position: Position, newName: string): Promise<WorkspaceEdit | null> {
    return this.request('textDocument/rename', { textDocument: { uri }, position, newName });
  }

  highlights(uri: string, position: Position): Promise<{ range: Range; kind?: number }[] | null> {
    return this.request('textDocument/documentHighlight', { textDocument: { uri }, position });
  }

  get alive(): boolean {
    return !this.exited;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    try {
      // (the 2 s bound is unref'd: a pending timer would keep the test file's process alive after its tests)
      await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 2000).unref())]);
      await this.conn.sendNotification('exit');
    } catch {
      // already gone
    }
    await new Promise<void>((resolve) => {
      if (this.exited) return resolve();
      const timer = setTimeout(() => {
        this.proc.kill();
        resolve();
      }, 2000);
      this.proc.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.conn.dispose();
  }
}

/** Hover contents as plain text. */
export function hoverText(h: Hover | null): string {
  if (!h) return '';
  const c = h.contents as unknown;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((x) => (typeof x === 'string' ? x : (x as { value: string }).value)).join('\n');
  return (c as { value: string }).value;
}
