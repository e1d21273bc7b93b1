// Static audit: nothing the extension ships can reach the network. The three bundles of the VS Code
// package (client/dist/extension.js, the language server copy client/dist/server.js, the webview's
// client/media/preview.js) are rebuilt in memory with the options of scripts/build.mjs and a
// metafile; every import of a network or process module must be one of the allowlisted uses below
// (each explained), none may come from our own sources, and the output holds no browser network API.
// The runtime side is server/test/sandbox.test.ts (the server under the permission model with the
// network stubbed) and test/preview/security.test.ts (the webview in Chromium, CSP enforced).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { build } from 'esbuild';
import type { Metafile } from 'esbuild';

const ROOT = join(__dirname, '..', '..');
const NODE = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', absWorkingDir: ROOT, write: false, metafile: true, logLevel: 'silent', minify: true } as const;

/** Node modules that can reach another machine or start other programs. */
const WATCHED = new Set(['http', 'https', 'http2', 'net', 'tls', 'dns', 'dgram', 'child_process', 'worker_threads', 'cluster', 'undici', 'inspector']);

/**
 * The allowlisted (package file → module) imports, with why each is harmless for us.
 * A new entry in the bundles fails the test until it is explained here.
 */
const ALLOWED: Record<string, string> = {
  'vscode-languageclient/lib/node/main.js → child_process':
    'starts the language server: client/src/extension.ts uses TransportKind.stdio, a fork of dist/server.js on this machine',
  'vscode-languageclient/lib/node/processes.js → child_process':
    'stops the server process tree when the client stops (taskkill on Windows, kill elsewhere)',
  'vscode-jsonrpc/lib/node/main.js → net':
    'the named-pipe and socket transports of JSON-RPC (TransportKind.pipe/socket, --pipe/--socket=PORT), local only; the extension and the server use stdio',
  'vscode-languageserver/lib/node/files.js → child_process':
    'Files.resolveGlobalNodePath/resolveGlobalYarnPath run `npm`/`yarn` when a server calls them; ours never does (checked below)',
};

function watchedImports(meta: Metafile): string[] {
  const out = new Set<string>();
  for (const [file, input] of Object.entries(meta.inputs)) {
    for (const imp of input.imports) {
      const mod = imp.path.replace(/^node:/, '');
      if (!imp.external || !WATCHED.has(mod)) continue;
      const at = file.lastIndexOf('node_modules/');
      out.add(`${at < 0 ? `OUR OWN SOURCE ${file}` : file.slice(at + 'node_modules/'.length)} → ${mod}`);
    }
  }
  return [...out].sort();
}

async function bundles() {
  const [extension, server, webview] = await Promise.all([
    build({ ...NODE, entryPoints: ['client/src/extension.ts'], outfile: 'client/dist/extension.js', external: ['vscode'] }),
    build({ ...NODE, entryPoints: ['server/src/main.ts'], outfile: 'client/dist/server.js' }),
    build({ bundle: true, platform: 'browser', format: 'iife', target: 'es2020', absWorkingDir: ROOT, write: false, metafile: true, logLevel: 'silent', minify: true, entryPoints: ['webview/src/main.ts'], outfile: 'client/media/preview.js' }),
  ]);
  const js = (r: { outputFiles?: { path: string; text: string }[] }) => r.outputFiles!.filter((f) => f.path.endsWith('.js')).map((f) => f.text).join('\n');
  return { extension, server, webview, text: { extension: js(extension), server: js(server), webview: js(webview) } };
}

const built = bundles();

describe('the shipped bundles cannot reach the network', () => {
  it('every network or process module imported is an allowlisted library use; none from our sources', async () => {
    const b = await built;
    const found = [...new Set([...watchedImports(b.extension.metafile!), ...watchedImports(b.server.metafile!), ...watchedImports(b.webview.metafile!)])].sort();
    // nested copies of a package (node_modules/x/node_modules/y) count as y
    const normalised = [...new Set(found.map((f) => f.replace(/^.*node_modules\//, '')))].sort();
    assert.deepEqual(normalised, Object.keys(ALLOWED).sort(), `unexplained imports:\n${normalised.filter((f) => !(f in ALLOWED)).join('\n')}`);
    assert.ok(!found.some((f) => f.startsWith('OUR OWN SOURCE')));
    assert.deepEqual(watchedImports(b.webview.metafile!), [], 'the webview imports no node module');
  });

  it('no browser network API in any bundle (fetch, XMLHttpRequest, WebSocket, EventSource, sendBeacon)', async () => {
    const b = await built;
    for (const [name, text] of Object.entries(b.text)) {
      for (const api of [/\bfetch\s*\(/, /\bXMLHttpRequest\b/, /\bWebSocket\b/, /\bEventSource\b/, /\bsendBeacon\b/, /\bimportScripts\b/]) {
        assert.doesNotMatch(text, api, `${name} uses ${api}`);
      }
    }
  });

  it('our sources never call the allowlisted process-starting helpers of the libraries', () => {
    const sources: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d)) {
        const p = join(d, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.ts$/.test(e) && !/\.test\.ts$/.test(e)) sources.push(readFileSync(p, 'utf8'));
      }
    };
    for (const d of ['client/src', 'server/src', 'engine/src', 'renderer/src', 'webview/src']) walk(join(ROOT, d));
    const all = sources.join('\n');
    assert.doesNotMatch(all, /resolveGlobal(Node|Yarn)Path/);
    assert.doesNotMatch(all, /(from |require\(|import\()'(node:)?(http|https|http2|net|tls|dns|dgram|child_process|worker_threads|cluster|undici)'/);
    // the client starts the server over stdio, never a socket or a pipe
    const ext = readFileSync(join(ROOT, 'client', 'src', 'extension.ts'), 'utf8');
    assert.match(ext, /transport: TransportKind\.stdio/);
    assert.doesNotMatch(ext, /TransportKind\.(socket|pipe)/);
  });
});
