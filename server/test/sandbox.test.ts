// No network and no file reads outside the workspace: the built language server (server/dist/server.js,
// the bundle the bin runs; the extension ships a minified copy of the same entry) runs a whole session
// under Node's permission model — it may read its own bundle and a temporary workspace, nothing else;
// no writes, no child processes, no workers — with every network API replaced by a stub that reports
// and throws (no-network-preload.mjs). Everything works, so the server needs nothing else.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DEPLOYMENT } from './fixtures';
import { ensureBuilt, LspClient, positionAt, positionOf, ROOT } from './lsp-client';

const BUNDLE_DIR = join(ROOT, 'server', 'dist');
const PRELOAD = join(ROOT, 'server', 'test', 'no-network-preload.mjs');

/** Node options: read the bundle, the preload and `workspace` only; nothing else is allowed. */
export function sandboxArgs(bundleDir: string, workspace: string): string[] {
  return ['--experimental-permission', `--allow-fs-read=${bundleDir}`, `--allow-fs-read=${workspace}`, `--allow-fs-read=${PRELOAD}`, '--import', PRELOAD, '--no-warnings'];
}

describe('the language server in a sandbox (permission model, network stubbed)', () => {
  let workspace: string;
  let c: LspClient;
  before(async () => {
    await ensureBuilt();
    workspace = mkdtempSync(join(tmpdir(), 'acrotopo-sandbox-ws-'));
    writeFileSync(join(workspace, 'site.acrotopo.yaml'), DEPLOYMENT);
    const env = { ...process.env };
    delete env.NODE_OPTIONS; // the tsx loader of the test runner would be a read outside the sandbox
    c = await LspClient.start({ module: join(BUNDLE_DIR, 'server.js'), execArgv: sandboxArgs(BUNDLE_DIR, workspace), cwd: workspace, env });
  });
  after(async () => {
    await c?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('the sandbox is real: the network stubs are installed, and a file outside the workspace cannot be read', async () => {
    await c.waitFor('the preload banner', () => (/network stubs installed/.test(c.stderr) ? true : undefined));
    // A client may name a schema file (initializationOptions.schemaPath). One outside the workspace
    // that knows no keys: read, completion would offer no top-level keys (the control, unsandboxed);
    // in the sandbox the read is refused and the server keeps its bundled schema.
    const outside = mkdtempSync(join(tmpdir(), 'acrotopo-sandbox-outside-'));
    const schemaPath = join(outside, 'schema.json');
    writeFileSync(schemaPath, '{"type": "object"}');
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const offersRules = async (sandboxed: boolean) => {
      const s = await LspClient.start({ module: join(BUNDLE_DIR, 'server.js'), execArgv: sandboxed ? sandboxArgs(BUNDLE_DIR, workspace) : [], cwd: workspace, env, initializationOptions: { schemaPath } });
      try {
        const u = pathToFileURL(join(workspace, 'probe.acrotopo.yaml')).href;
        const text = `${DEPLOYMENT}\n`;
        await s.open(u, text);
        const items = await s.completion(u, positionAt(text, text.length));
        assert.ok(s.alive);
        return items.some((i) => i.label === 'rules');
      } finally {
        await s.stop();
      }
    };
    try {
      assert.equal(await offersRules(false), false, 'control: unsandboxed, the outside schema is read');
      assert.equal(await offersRules(true), true, 'sandboxed: the outside schema is not read');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('serves a whole session: open, diagnostics, hover, completion, code actions, symbols, folding, definition, rename, close', async () => {
    const u = pathToFileURL(join(workspace, 'site.acrotopo.yaml')).href;
    const ds = await c.open(u, DEPLOYMENT);
    assert.ok(ds.some((d) => d.code === 'unknown-reference'), JSON.stringify(ds.map((d) => d.code)));
    assert.match(JSON.stringify(await c.hover(u, positionOf(DEPLOYMENT, 'ams01:', 0, 1))), /ams01/);
    assert.ok((await c.completion(u, positionOf(DEPLOYMENT, 'os: windows', 0, 4))).some((i) => i.label === 'windows'));
    const unknown = ds.find((d) => d.code === 'unknown-reference')!;
    const actions = await c.codeActions(u, unknown.range, [unknown]);
    assert.ok(actions && actions.some((a) => /ams01/.test(a.title)), JSON.stringify(actions?.map((a) => a.title)));
    const symbols = await c.symbols(u);
    assert.ok(symbols && symbols.some((s) => s.name === 'machines'));
    assert.ok(((await c.folding(u)) ?? []).length > 0);
    assert.ok(await c.definition(u, positionOf(DEPLOYMENT, 'from: ams01', 0, 7)));
    const edit = await c.rename(u, positionOf(DEPLOYMENT, 'fs01:', 0, 1), 'fs02');
    assert.ok(edit && Object.values(edit.changes ?? {}).flat().length >= 2);
    await c.change(u, 2, [{ text: DEPLOYMENT.replace('server: ams1', 'server: ams01') }]);
    const fixed = await c.diagnostics(u, 2);
    assert.ok(!fixed.some((d) => d.code === 'unknown-reference'));
    await c.close(u);
    await c.waitFor('the clearing', () => c.published.find((p) => p.uri === u && p.version === undefined));
    assert.ok(c.alive);
    assert.doesNotMatch(c.stderr, /NETWORK ACCESS|ERR_ACCESS_DENIED|uncaught|unhandled/, c.stderr);
  });
});
