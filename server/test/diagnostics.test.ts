import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RULE_BY_ID } from '@acrotopo/engine';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { generate } from '../../bench/generate.mjs';
import { IDLE_GRACE_MAX_MS, idleGraceMs } from '../src/features/diagnostics';
import { LspClient, positionOf, textAt } from './lsp-client';
import { DEPLOYMENT, uri, VALID_SERVER } from './fixtures';

const waits = (...rules: string[]) => {
  const missing = rules.filter((r) => !RULE_BY_ID.has(r));
  return missing.length > 0 ? `waits for rule(s) ${missing.join(', ')}` : false;
};

function byRule(ds: Diagnostic[], rule: string): Diagnostic[] {
  return ds.filter((d) => d.code === rule);
}

describe('diagnostics', () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.start();
  });
  after(async () => {
    await c.stop();
  });

  it('publishes on open with code, source, codeDescription, relatedInformation and data', { skip: waits('unencrypted-port', 'unknown-reference') }, async () => {
    const u = uri();
    const ds = await c.open(u, DEPLOYMENT);
    const [unenc] = byRule(ds, 'unencrypted-port');
    assert.ok(unenc, JSON.stringify(ds.map((d) => [d.code, d.message])));
    assert.match(unenc.message, /^port 25001 is unencrypted: /);
    assert.equal(unenc.source, 'acrotopo');
    assert.equal(unenc.severity, 2);
    assert.equal(unenc.codeDescription?.href, 'https://github.com/acrotopo/acrotopo/blob/main/docs/rules.md#unencrypted-port');
    // related information points at the machines' keys, in the same document
    assert.ok(unenc.relatedInformation && unenc.relatedInformation.length >= 2);
    for (const r of unenc.relatedInformation!) assert.equal(r.location.uri, u);
    const relatedTexts = unenc.relatedInformation!.map((r) => textAt(DEPLOYMENT, r.location.range));
    assert.ok(relatedTexts.includes('ams01') && relatedTexts.includes('fs01'), relatedTexts.join(','));
    assert.deepEqual((unenc.data as { rule: string }).rule, 'unencrypted-port');

    const [unknown] = byRule(ds, 'unknown-reference');
    assert.equal(textAt(DEPLOYMENT, unknown.range), 'ams1');
    assert.equal(unknown.severity, 1);
    // `data` says where the diagnostic's fixes are on the server, not the fixes themselves (code
    // actions get them back: codeActions.test.ts)
    assert.deepEqual(unknown.data, { rule: 'unknown-reference', version: 1, index: ds.indexOf(unknown) });
    for (const [i, d] of ds.entries()) assert.deepEqual(d.data, { rule: d.code, version: 1, index: i });
    assert.doesNotMatch(JSON.stringify(ds.map((d) => d.data)), /fixes|edits|newText|title/);
  });

  it('re-validates after an incremental change', { skip: waits('unknown-reference') }, async () => {
    const u = uri();
    const before1 = await c.open(u, DEPLOYMENT);
    assert.equal(byRule(before1, 'unknown-reference').length, 1);
    // replace `ams1` by `ams01` with a ranged (incremental) change: insert a `0`
    const at = positionOf(DEPLOYMENT, 'server: ams1', 0, 'server: ams'.length);
    await c.change(u, 2, [{ range: { start: at, end: at }, text: '0' }]);
    const after2 = await c.diagnostics(u, 2);
    assert.equal(byRule(after2, 'unknown-reference').length, 0);
    // and back, with a ranged deletion
    await c.change(u, 3, [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' }]);
    const after3 = await c.diagnostics(u, 3);
    assert.equal(byRule(after3, 'unknown-reference').length, 1);
    assert.equal(textAt(DEPLOYMENT, byRule(after3, 'unknown-reference')[0].range), 'ams1');
  });

  it('after a publish, does the next edit\'s first work while idle (IncrementalChecker.prepare), and says so in the verbose trace', async () => {
    await c.setSettings({ trace: { server: 'verbose' } });
    try {
      const u = uri();
      await c.open(u, DEPLOYMENT);
      await c.waitFor('the idle work after the open', () => (c.logs.some((l) => l.includes(`prepared ${u} v1 for the next edit in `)) ? true : undefined));
      // and after an edit, for that version; the result is the same as without it
      const at = positionOf(DEPLOYMENT, 'server: ams1', 0, 'server: ams'.length);
      await c.change(u, 2, [{ range: { start: at, end: at }, text: '0' }]);
      const ds = await c.diagnostics(u, 2);
      assert.equal(byRule(ds, 'unknown-reference').length, 0);
    } finally {
      await c.setSettings({});
    }
  });

  it('begins the idle work after a large publish only once the client has had time to read it (idleGraceMs)', async () => {
    await c.setSettings({ trace: { server: 'verbose' } });
    try {
      const small = uri();
      await c.open(small, DEPLOYMENT);
      await c.waitFor('the idle work after a small open', () => (c.logs.some((l) => l.includes(`prepared ${small} v1 `)) ? true : undefined));
      assert.ok(!c.logs.some((l) => l.startsWith(`idle work for ${small} `)), 'a small publish: the idle work begins at once');

      const large = uri();
      const ds = await c.open(large, generate(1500).text);
      const bytes = Buffer.byteLength(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: large, version: 1, diagnostics: ds } }));
      await c.waitFor('the idle work after a large open', () => (c.logs.some((l) => l.includes(`prepared ${large} v1 `)) ? true : undefined));
      const waits = c.logs.findIndex((l) => l.startsWith(`idle work for ${large} v1 waits `));
      assert.ok(waits >= 0, `a ${bytes}-byte publish: the trace says how long the idle work waits`);
      const grace = Number(/waits (\d+) ms/.exec(c.logs[waits])![1]);
      // (the encoder's JSON escapes what JSON.stringify writes as UTF-8: its size is a little larger)
      assert.ok(grace >= 1 && grace >= idleGraceMs(bytes) && grace <= idleGraceMs(bytes * 1.1) + 1, `grace ${grace} ms for ${bytes} bytes`);
      assert.ok(waits < c.logs.findIndex((l) => l.includes(`prepared ${large} v1 `)), 'the idle work comes after its grace');
    } finally {
      await c.setSettings({});
    }
  });

  it('never publishes a stale version: a newer change cancels the older', async () => {
    await c.setSettings({ validate: { debounceMs: 1500 } });
    try {
      const u = uri();
      await c.open(u, VALID_SERVER);
      for (let v = 2; v <= 6; v++) await c.change(u, v, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `# edit ${v}\n` }]);
      await c.diagnostics(u, 6);
      const versions = c.published.filter((p) => p.uri === u).map((p) => p.version);
      assert.deepEqual(versions.filter((v) => v !== 1 && v !== 6), [], `published versions: ${versions.join(', ')}`);
      assert.equal(versions[versions.length - 1], 6);
    } finally {
      await c.setSettings({});
    }
  });

  it('applies acrotopo.rules from the settings and re-publishes on a configuration change', { skip: waits('unencrypted-port') }, async () => {
    const u = uri();
    const first = await c.open(u, DEPLOYMENT);
    assert.ok(byRule(first, 'unencrypted-port').length > 0);
    await c.setSettings({ rules: { 'unencrypted-port': 'off', 'smb-encryption-unknown': 'error' } });
    // the server pulls the new settings and re-publishes every open document
    const again = await c.waitFor('a re-publication without unencrypted-port', () => {
      const mine = c.published.filter((p) => p.uri === u);
      const last = mine[mine.length - 1].diagnostics;
      return byRule(last, 'unencrypted-port').length === 0 ? last : undefined;
    });
    assert.equal(byRule(again, 'unknown-reference').length, 1, 'other rules still reported');
    if (RULE_BY_ID.has('smb-encryption-unknown')) {
      const smb = byRule(again, 'smb-encryption-unknown');
      assert.ok(smb.length > 0);
      for (const d of smb) assert.equal(d.severity, 1);
    }
    // the file's own `rules:` win over the settings
    await c.setSettings({ rules: { 'unencrypted-port': 'off' } });
    const u2 = uri();
    const own = await c.open(u2, `${DEPLOYMENT}rules:\n  unencrypted-port: error\n`);
    assert.ok(byRule(own, 'unencrypted-port').every((d) => d.severity === 1) && byRule(own, 'unencrypted-port').length > 0);
    await c.setSettings({});
  });

  it('reports broken YAML as yaml-syntax without crashing', { skip: waits('yaml-syntax') }, async () => {
    const u = uri();
    const ds = await c.open(u, 'acrotopo: 1\nmachines:\n  a: [unclosed\n  b: {\n');
    assert.ok(byRule(ds, 'yaml-syntax').length > 0);
    for (const d of ds) assert.equal(d.source, 'acrotopo');
  });

  it('clears the problems of a closed document', async () => {
    const u = uri();
    await c.open(u, DEPLOYMENT);
    await c.close(u);
    const cleared = await c.waitFor('the clearing publication', () => c.published.find((p) => p.uri === u && p.version === undefined));
    assert.deepEqual(cleared.diagnostics, []);
  });
});

describe('idleGraceMs', () => {
  it('is 0 below 200 KB, ~5 ms per MB above, and at most IDLE_GRACE_MAX_MS', () => {
    assert.equal(idleGraceMs(0), 0);
    assert.equal(idleGraceMs(199_999), 0);
    assert.equal(idleGraceMs(200_000), 1);
    assert.equal(idleGraceMs(3_900_000), 19);
    assert.equal(idleGraceMs(1e9), IDLE_GRACE_MAX_MS);
  });
});
