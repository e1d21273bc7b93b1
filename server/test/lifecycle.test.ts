import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LspClient } from './lsp-client';
import { DEPLOYMENT, uri } from './fixtures';

describe('language server lifecycle and robustness', () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.start();
  });
  after(async () => {
    await c.stop();
  });

  it('advertises its capabilities', () => {
    const caps = c.initializeResult.capabilities as Record<string, any>;
    assert.equal(caps.textDocumentSync.change, 2, 'incremental sync');
    assert.equal(caps.textDocumentSync.openClose, true);
    assert.equal(caps.hoverProvider, true);
    assert.ok(caps.completionProvider.triggerCharacters.includes(':'));
    assert.deepEqual(caps.codeActionProvider.codeActionKinds, ['quickfix', 'source.fixAll', 'source.fixAll.acrotopo']);
    assert.ok(caps.documentSymbolProvider);
    assert.equal(caps.definitionProvider, true);
    assert.equal(caps.referencesProvider, true);
    assert.deepEqual(caps.renameProvider, { prepareProvider: true });
    assert.equal(caps.foldingRangeProvider, true);
    assert.equal(caps.documentHighlightProvider, true);
    assert.equal(c.initializeResult.serverInfo?.name, 'acrotopo-language-server');
  });

  it('pulls the acrotopo settings with workspace/configuration, globally and per document (resource scope)', async () => {
    await c.waitFor('a global configuration request', () => (c.configurationScopes.includes(undefined) ? true : undefined));
    const u = uri('scoped');
    await c.open(u, DEPLOYMENT);
    assert.ok(c.configurationScopes.includes(u), JSON.stringify(c.configurationScopes));
  });

  it('survives requests on garbage input and unknown documents', async () => {
    const u = uri('garbage');
    const garbage = '{{{[[[: : :\n\t- - ? ! &a *a *b\n\u0000\u0007 }}}' + '\n  - :'.repeat(50) + '\n"unclosed';
    await c.open(u, garbage);
    const pos = { line: 1, character: 3 };
    for (let line = 0; line < 4; line++) {
      for (let character = 0; character < 12; character += 3) {
        const p = { line, character };
        await c.hover(u, p);
        await c.completion(u, p);
        await c.definition(u, p);
        await c.references(u, p);
        await c.prepareRename(u, p);
        await c.highlights(u, p);
      }
    }
    await c.symbols(u);
    await c.folding(u);
    await c.codeActions(u, { start: pos, end: pos }, [{ range: { start: pos, end: pos }, message: 'x', source: 'acrotopo', data: { nonsense: true } }]);
    // positions past the end, and a document the server never saw
    await c.hover(u, { line: 999, character: 999 });
    await c.completion(u, { line: 999, character: 999 });
    assert.equal(await c.hover('file:///never-opened.acrotopo.yaml', pos), null);
    // a request with malformed params gets an answer (null or an error), not a dead server
    await c.request('textDocument/hover', { nonsense: 1 }).catch(() => undefined);
    // … and the failure is logged to the client, not thrown into the void
    await c.waitFor('the logged hover failure', () => (c.logs.some((l) => /^hover failed/.test(l)) ? true : undefined));
    // still answering afterwards
    const d = await c.open(uri('after-garbage'), DEPLOYMENT);
    assert.ok(d.length > 0);
    assert.ok(c.alive);
  });

  it('does not publish for a document closed before its validation ran', async () => {
    await c.setSettings({ validate: { debounceMs: 1500 } });
    const u = uri('closed');
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'acrotopo', version: 1, text: DEPLOYMENT } });
    await c.diagnostics(u, 1);
    await c.change(u, 2, [{ text: DEPLOYMENT + '\n# edited\n' }]);
    await c.close(u);
    // the close clears the document's problems (an unversioned empty publication) …
    await c.waitFor('the clearing publication', () => c.published.find((p) => p.uri === u && p.version === undefined && p.diagnostics.length === 0));
    // … and a document opened afterwards is still served, while v2 of the closed one never is
    const other = uri('after-close');
    await c.open(other, DEPLOYMENT);
    await c.setSettings({});
    await c.open(uri('after-close-2'), DEPLOYMENT);
    assert.equal(c.published.some((p) => p.uri === u && p.version === 2), false);
  });

  it('answers every request at every position of a valid and a broken document without a handler failure', async () => {
    const broken = DEPLOYMENT.replace('  ams01:\n', '  ams01: [\n').replace('{ from: hq,', '{ from: "hq,').replace('management:\n', 'management: {\n');
    for (const text of [DEPLOYMENT, broken]) {
      const u = uri('sweep');
      await c.open(u, text);
      const lines = text.split('\n');
      const pending: Promise<unknown>[] = [];
      for (let line = 0; line < lines.length; line++) {
        for (let character = 0; character <= lines[line].length; character += 3) {
          const p = { line, character };
          pending.push(c.hover(u, p), c.completion(u, p), c.prepareRename(u, p), c.highlights(u, p), c.definition(u, p));
        }
      }
      await Promise.all(pending);
      await c.symbols(u);
      await c.folding(u);
    }
    assert.deepEqual(c.logs.filter((l) => / failed/.test(l) && !/^hover failed: TypeError: Cannot read properties of undefined \(reading 'uri'\)/.test(l)), []);
  });

  it('checks a large document and keeps answering', async () => {
    const lines = ['acrotopo: 1', 'network:', '  subnets:', '    lan: 10.0.0.0/8', 'machines:', '  ams01:', '    os: windows', '    address: 10.0.0.1', '    components: [management-server, management-console]'];
    for (let i = 0; i < 2000; i++) lines.push(`  m${i}:`, '    os: linux', `    address: 10.${(i >> 8) & 255}.${i & 255}.2`, '    components: [agent-for-linux]');
    lines.push('management:', '  server: ams01');
    const u = uri('large');
    const d = await c.open(u, lines.join('\n') + '\n');
    assert.ok(Array.isArray(d));
    const h = await c.hover(u, { line: 9, character: 3 });
    assert.match(JSON.stringify(h), /m0/);
  });
});

describe('transports', () => {
  it('speaks LSP over node IPC too (how the VS Code client starts it)', async () => {
    const ipc = await LspClient.start({ transport: 'ipc' });
    try {
      assert.equal(ipc.initializeResult.serverInfo?.name, 'acrotopo-language-server');
      const ds = await ipc.open(uri('ipc'), DEPLOYMENT);
      assert.ok(ds.length > 0);
      assert.ok(ds.every((d) => d.source === 'acrotopo'));
    } finally {
      await ipc.stop();
    }
  });

  it('takes settings from didChangeConfiguration when the client cannot be asked', async () => {
    const push = await LspClient.start({ configuration: false });
    try {
      const u = uri('push');
      const first = await push.open(u, DEPLOYMENT);
      assert.equal(push.configurationRequests, 0);
      const rule = first[0].code as string;
      const count = push.published.filter((p) => p.uri === u).length;
      push.settings = {};
      await push.conn.sendNotification('workspace/didChangeConfiguration', { settings: { acrotopo: { rules: { [rule]: 'off' } } } });
      const again = await push.waitFor('a re-publication', () => {
        const mine = push.published.filter((p) => p.uri === u);
        return mine.length > count ? mine[mine.length - 1].diagnostics : undefined;
      });
      assert.equal(again.filter((d) => d.code === rule).length, 0);
      assert.equal(again.length, first.filter((d) => d.code !== rule).length);
    } finally {
      await push.stop();
    }
  });
});
