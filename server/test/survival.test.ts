// The language server survives load, races and its own bugs, over real stdio (the built bundle):
// 100 documents open at once, documents closed while their validation is pending, cancelled
// requests, 50 changes in a row, a document over the size limit, and an exception inside a rule
// (a test-only entry, throwing-rule-entry.ts, makes one real rule throw: no back door in the
// shipped server).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { DEFAULT_MAX_BYTES } from '@acrotopo/engine';
import { ensureBundle } from '../../test/bundle';
import { DEPLOYMENT, uri, VALID_SERVER } from './fixtures';
import { LspClient, positionOf, ROOT } from './lsp-client';
import type { Diagnostic } from 'vscode-languageserver-protocol';

const THROWING_RULE = 'unencrypted-port';
const THROW_MARKER = '# acrotopo-test-throw';

/** A valid deployment with `n` machines (each one a diagnostic-free agent). */
function estate(n: number): string {
  const lines = ['acrotopo: 1', 'network:', '  subnets:', '    lan: 10.0.0.0/8', 'machines:', '  ams01:', '    os: windows', '    address: 10.0.0.1', '    components: [management-server, management-console]'];
  for (let i = 0; i < n; i++) lines.push(`  m${i}:`, '    os: linux', `    address: 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${(i & 255) || 2}`, '    components: [agent-for-linux]');
  lines.push('management:', '  server: ams01');
  return lines.join('\n') + '\n';
}

/** Publications for one document, in arrival order. */
const pubs = (c: LspClient, u: string) => c.published.filter((p) => p.uri === u);

/** Sends a request and cancels it at once; resolves with its result, or 'cancelled' for a RequestCancelled error. */
async function cancelled(c: LspClient, method: string, params: unknown): Promise<unknown> {
  const source = new CancellationTokenSource();
  const p = c.conn.sendRequest(method, params, source.token);
  source.cancel();
  try {
    return await p;
  } catch (e) {
    assert.equal((e as { code?: number }).code, -32800, `${method}: an error other than RequestCancelled: ${String(e)}`);
    return 'cancelled';
  }
}

describe('language server survival', () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.start();
  });
  after(async () => {
    await c.stop();
  });

  it('100 documents open at once: each gets its diagnostics, closing them all clears them, the server still answers', async () => {
    const uris = Array.from({ length: 100 }, (_, i) => uri(`many-${i}`));
    // every other document has an error of its own: its diagnostics must be its own
    const texts = uris.map((_, i) => (i % 2 === 0 ? DEPLOYMENT : VALID_SERVER).replace('title: Contoso', `title: Contoso ${i}`));
    await Promise.all(uris.map((u, i) => c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'acrotopo', version: 1, text: texts[i] } })));
    const all = await Promise.all(uris.map((u) => c.diagnostics(u, 1)));
    all.forEach((ds, i) => {
      const unknownServer = ds.filter((d) => d.code === 'unknown-reference' && /ams1/.test(d.message));
      assert.equal(unknownServer.length, i % 2 === 0 ? 1 : 0, `document ${i}: ${JSON.stringify(ds.map((d) => d.message))}`);
    });
    await Promise.all(uris.map((u) => c.close(u)));
    for (const u of uris) {
      await c.waitFor(`the clearing of ${u}`, () => {
        const mine = pubs(c, u);
        const last = mine[mine.length - 1];
        return last && last.version === undefined && last.diagnostics.length === 0 ? true : undefined;
      });
    }
    // closed documents are forgotten: requests on them get empty answers, and the server goes on
    assert.equal(await c.hover(uris[0], { line: 1, character: 2 }), null);
    const fresh = uri('after-many');
    const ds = await c.open(fresh, DEPLOYMENT);
    assert.ok(ds.some((d) => d.code === 'unknown-reference'));
    assert.ok(c.alive);
  });

  it('a document closed while its validation is pending or running publishes nothing afterwards but the clearing', async () => {
    const big = estate(3000); // long enough that the close arrives while the first validation is queued or running
    const closed: string[] = [];
    for (let k = 0; k < 5; k++) {
      const u = uri(`closed-mid-${k}`);
      closed.push(u);
      await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'acrotopo', version: 1, text: big } });
      if (k % 2 === 1) await c.change(u, 2, [{ text: big + '# edited\n' }]);
      await c.close(u);
    }
    // a document opened after them is answered only once the server has dealt with everything before it
    const later = uri('after-closed-mid');
    await c.open(later, DEPLOYMENT);
    for (const u of closed) {
      const mine = pubs(c, u);
      assert.ok(mine.length > 0, `${u}: the close clears the problems`);
      const clearing = mine.findIndex((p) => p.version === undefined && p.diagnostics.length === 0);
      assert.ok(clearing >= 0, `${u}: a clearing publication`);
      assert.deepEqual(mine.slice(clearing + 1), [], `${u}: nothing published after the close`);
    }
    // and the server kept no state for them: reopening one validates afresh
    const again = await c.open(closed[0], DEPLOYMENT, 7);
    assert.ok(again.some((d) => d.code === 'unknown-reference'));
    await c.close(closed[0]);
  });

  it('$/cancelRequest on hover, completion and code actions: a result or RequestCancelled, and the server keeps serving', async () => {
    const u = uri('cancel');
    const text = estate(2000);
    await c.open(u, text);
    // queue each request behind the validation of a new version, then cancel it
    const pos = { line: 9, character: 3 };
    for (let v = 2; v < 5; v++) {
      await c.change(u, v, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: `# v${v}\n` }]);
      const results = await Promise.all([
        cancelled(c, 'textDocument/hover', { textDocument: { uri: u }, position: pos }),
        cancelled(c, 'textDocument/completion', { textDocument: { uri: u }, position: pos }),
        cancelled(c, 'textDocument/codeAction', { textDocument: { uri: u }, range: { start: pos, end: pos }, context: { diagnostics: [] } }),
        cancelled(c, 'textDocument/documentSymbol', { textDocument: { uri: u } }),
      ]);
      for (const r of results) assert.ok(r === 'cancelled' || r === null || typeof r === 'object', String(r));
    }
    // the same requests, not cancelled, are answered on the latest version
    await c.diagnostics(u, 4);
    const h = await c.hover(u, { line: 12, character: 3 });
    assert.match(JSON.stringify(h), /m0/);
    assert.ok((await c.completion(u, { line: 13, character: 4 })).length > 0);
    assert.ok(c.alive);
    await c.close(u);
  });

  it('50 changes in a row: the last publication is the last version, with its own diagnostics, and versions never go back', async () => {
    const u = uri('rapid');
    await c.open(u, VALID_SERVER);
    for (let v = 2; v <= 51; v++) {
      // only the last version names an unknown management server
      const text = VALID_SERVER.replace('server: ams01', v === 51 ? 'server: ams51' : 'server: ams01').replace('title: Contoso', `title: Contoso v${v}`);
      await c.change(u, v, [{ text }]);
    }
    const last = await c.diagnostics(u, 51);
    assert.ok(last.some((d) => d.code === 'unknown-reference' && /ams51/.test(d.message)), JSON.stringify(last.map((d) => d.message)));
    // nothing published for an older version after it (give stragglers the time of another round trip)
    await c.open(uri('rapid-after'), DEPLOYMENT);
    const versions = pubs(c, u).map((p) => p.version);
    assert.equal(versions[versions.length - 1], 51, JSON.stringify(versions));
    for (let i = 1; i < versions.length; i++) assert.ok((versions[i] as number) > (versions[i - 1] as number), `published out of order: ${JSON.stringify(versions)}`);
    assert.ok(versions.length < 51, `debounced: ${versions.length} publications for 51 versions`);
    await c.close(u);
  });

  it(`a document over the ${DEFAULT_MAX_BYTES / 1048576} MiB limit: one diagnostic saying so, and every request answered`, async () => {
    const u = uri('huge');
    const text = estate(130_000); // about 10 MiB
    assert.ok(text.length > DEFAULT_MAX_BYTES);
    const ds = await c.open(u, text);
    assert.equal(ds.length, 1, JSON.stringify(ds.map((d) => d.message)));
    assert.match(ds[0].message, /over the 5 MiB limit; it was not checked/);
    assert.deepEqual(ds[0].range.start, { line: 0, character: 0 });
    const p = { line: 5, character: 3 };
    // answered (empty: nothing was parsed), not computed on 10 MiB of YAML
    assert.equal(await c.hover(u, p), null);
    assert.deepEqual(await c.completion(u, p), []);
    assert.deepEqual(await c.symbols(u), []);
    assert.deepEqual(await c.folding(u), []);
    assert.equal(await c.definition(u, p), null);
    const actions = await c.codeActions(u, ds[0].range, ds);
    assert.deepEqual(actions, []);
    await c.close(u);
    const after = await c.open(uri('after-huge'), DEPLOYMENT);
    assert.ok(after.length > 0);
  });
});

describe('an exception inside a rule', () => {
  let c: LspClient;
  const bundle = join(tmpdir(), `acrotopo-throwing-rule-server-${process.pid}.js`);
  before(async () => {
    rmSync(bundle, { force: true });
    await ensureBundle({ root: ROOT, entry: 'server/test/throwing-rule-entry.ts', out: bundle, sources: ['server/test/throwing-rule-entry.ts'], logLevel: 'silent' });
    c = await LspClient.start({ module: bundle });
  });
  after(async () => {
    await c?.stop();
    rmSync(bundle, { force: true });
  });

  it('becomes one internal-error diagnostic naming the rule; the other rules still report and the server keeps serving', async () => {
    const u = uri('throwing');
    const healthy = await c.open(u, DEPLOYMENT);
    assert.ok(healthy.some((d) => d.code === THROWING_RULE), 'the rule works when it does not throw');
    assert.ok(!healthy.some((d) => d.code === 'internal-error'));

    // The marker comment, plus the title quoted: a change the checker cannot skip (a comment alone
    // is reused without running any rule: engine/src/reuse.ts), and that changes no finding.
    const text2 = `${DEPLOYMENT.replace('title: Contoso', 'title: "Contoso"')}${THROW_MARKER}\n`;
    await c.change(u, 2, [{ text: text2 }]);
    const broken: Diagnostic[] = await c.diagnostics(u, 2);
    const internal = broken.filter((d) => d.code === 'internal-error');
    assert.equal(internal.length, 1, JSON.stringify(broken.map((d) => [d.code, d.message])));
    assert.match(internal[0].message, new RegExp(`internal error in rule ${THROWING_RULE}: injected failure`));
    assert.equal(internal[0].severity, 1);
    assert.ok(!broken.some((d) => d.code === THROWING_RULE), 'the throwing rule reports nothing');
    // every other rule still ran: the same findings as before but the thrown one
    const others = (ds: Diagnostic[]) => ds.filter((d) => d.code !== THROWING_RULE && d.code !== 'internal-error').map((d) => `${d.code}|${d.message}`).sort();
    assert.deepEqual(others(broken), others(healthy));

    // requests go on, on the broken version too
    assert.match(JSON.stringify(await c.hover(u, positionOf(text2, 'ams01:', 0, 1))), /ams01/);
    assert.ok((await c.completion(u, positionOf(text2, 'os: windows', 0, 4))).length > 0);
    assert.ok(Array.isArray(await c.codeActions(u, internal[0].range, internal)));
    // and the next version without the marker is healthy again
    await c.change(u, 3, [{ text: DEPLOYMENT }]);
    const healed = await c.diagnostics(u, 3);
    assert.deepEqual(others(healed), others(healthy));
    assert.ok(healed.some((d) => d.code === THROWING_RULE));
    assert.ok(c.alive);
    assert.doesNotMatch(c.stderr, /uncaught|unhandled/);
  });
});
