import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RULE_BY_ID } from '@acrotopo/engine';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { applyTextEdits, editsFor, LspClient, textAt } from './lsp-client';
import { DEPLOYMENT, uri } from './fixtures';

const waits = (...rules: string[]) => {
  const missing = rules.filter((r) => !RULE_BY_ID.has(r));
  return missing.length > 0 ? `waits for rule(s) ${missing.join(', ')}` : false;
};

describe('code actions', () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.start();
  });
  after(async () => {
    await c.stop();
  });

  /** Opens `text`, returns its diagnostics and a function applying an action as a client would. */
  async function session(text: string) {
    const u = uri('actions');
    let version = 1;
    let current = text;
    const diagnostics = await c.open(u, text);
    return {
      u,
      diagnostics,
      get text() {
        return current;
      },
      actionsFor: (d: Diagnostic, only?: string[]) => c.codeActions(u, d.range, [d], only).then((a) => (a ?? []) as CodeAction[]),
      /** applies the action's edit, sends it as a full-text change, returns the re-validated diagnostics */
      async apply(a: CodeAction): Promise<Diagnostic[]> {
        current = applyTextEdits(current, editsFor(a.edit, u));
        version++;
        await c.change(u, version, [{ text: current }]);
        return c.diagnostics(u, version);
      },
    };
  }

  it('one quick fix per engine fix; applying it makes the diagnostic disappear', { skip: waits('unknown-reference', 'smb-encryption-unknown') }, async () => {
    const s = await session(DEPLOYMENT);
    const unknown = s.diagnostics.find((d) => d.code === 'unknown-reference')!;
    const actions = await s.actionsFor(unknown);
    const fix = actions.find((a) => a.title === "Change 'ams1' to 'ams01'");
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.diagnostics?.map((d) => d.code), ['unknown-reference']);
    const after1 = await s.apply(fix);
    assert.equal(after1.filter((d) => d.code === 'unknown-reference').length, 0);
    assert.match(s.text, /server: ams01\n/);

    const smb = after1.find((d) => d.code === 'smb-encryption-unknown')!;
    const smbFix = (await s.actionsFor(smb)).find((a) => /file-sharing-encryption: true/.test(a.title))!;
    assert.ok(smbFix);
    const after2 = await s.apply(smbFix);
    assert.equal(after2.filter((d) => d.code === 'smb-encryption-unknown').length, 0);
    assert.match(s.text, /    components: \[agent-for-windows\]\n    file-sharing-encryption: true\n/);
  });

  it('"Disable RULE for this line" inserts a suppression comment with the same indentation', { skip: waits('unencrypted-port') }, async () => {
    const s = await session(DEPLOYMENT);
    const d = s.diagnostics.find((x) => x.code === 'unencrypted-port')!;
    const line = (await s.actionsFor(d)).find((a) => a.title === 'Disable unencrypted-port for this line');
    assert.ok(line);
    assert.equal(line.kind, 'quickfix');
    const after1 = await s.apply(line);
    assert.equal(after1.filter((x) => x.code === 'unencrypted-port').length, 0);
    assert.ok(after1.length > 0, 'other rules still reported');
    assert.match(s.text, /\n  # acrotopo-disable-next-line unencrypted-port\n  - \{ from: ams01, to: fs01, port: tcp\/25001 \}/);
    // a suppression comment already above the line is extended rather than duplicated
    const pre = DEPLOYMENT.replace('  - { from: ams01, to: fs01', '  # acrotopo-disable-next-line undocumented-connection\n  - { from: ams01, to: fs01');
    const s2 = await session(pre);
    const d2 = s2.diagnostics.find((x) => x.code === 'unencrypted-port')!;
    const line2 = (await s2.actionsFor(d2)).find((a) => a.title === 'Disable unencrypted-port for this line')!;
    const after2 = await s2.apply(line2);
    assert.equal(after2.filter((x) => x.code === 'unencrypted-port').length, 0);
    assert.match(s2.text, /\n  # acrotopo-disable-next-line undocumented-connection, unencrypted-port\n  - \{ from: ams01/);
  });

  it('"Disable RULE for this file" adds RULE: off to rules:, creating it when absent', { skip: waits('unencrypted-port', 'smb-encryption-unknown') }, async () => {
    const s = await session(DEPLOYMENT);
    const d = s.diagnostics.find((x) => x.code === 'unencrypted-port')!;
    const file = (await s.actionsFor(d)).find((a) => a.title === 'Disable unencrypted-port for this file')!;
    assert.ok(file);
    const after1 = await s.apply(file);
    assert.equal(after1.filter((x) => x.code === 'unencrypted-port').length, 0);
    assert.ok(s.text.endsWith('rules:\n  unencrypted-port: off\n'), s.text);
    assert.ok(s.text.startsWith(DEPLOYMENT), 'the rest of the document is untouched');
    // extending the existing mapping
    const smb = after1.find((x) => x.code === 'smb-encryption-unknown')!;
    const file2 = (await s.actionsFor(smb)).find((a) => a.title === 'Disable smb-encryption-unknown for this file')!;
    const after2 = await s.apply(file2);
    assert.equal(after2.filter((x) => x.code === 'smb-encryption-unknown').length, 0);
    assert.ok(s.text.endsWith('rules:\n  unencrypted-port: off\n  smb-encryption-unknown: off\n'), s.text);
  });

  it('fix all: source.fixAll.acrotopo and "Fix all RULE problems" apply every preferred fix', { skip: waits('unknown-reference') }, async () => {
    const text = DEPLOYMENT.replace('from: ams01\n', 'from: ams1\n').replace('to: [fs01, web01]', 'to: [fs1, web01]');
    const s = await session(text);
    const unknown = s.diagnostics.filter((d) => d.code === 'unknown-reference');
    assert.deepEqual(unknown.map((d) => textAt(text, d.range)), ['ams1', 'ams1', 'fs1']);
    const perRule = (await s.actionsFor(unknown[0])).find((a) => a.title === 'Fix all unknown-reference problems');
    assert.ok(perRule);
    assert.equal(perRule.diagnostics?.length, 3);
    const source = ((await c.codeActions(s.u, unknown[0].range, [], ['source.fixAll'])) ?? []) as CodeAction[];
    assert.deepEqual(source.map((a) => a.kind), ['source.fixAll.acrotopo']);
    assert.deepEqual(source.map((a) => a.title), ['Fix all auto-fixable acrotopo problems']);
    // only a fixAll request: no quick fixes in the answer
    const after1 = await s.apply(source[0]);
    assert.equal(after1.filter((d) => d.code === 'unknown-reference').length, 0);
    assert.match(s.text, /server: ams01\n/);
    assert.match(s.text, /from: ams01\n/);
    assert.match(s.text, /to: \[fs01, web01\]/);
  });

  it('ignores diagnostics that are not its own and returns nothing for an unknown document', async () => {
    const s = await session(DEPLOYMENT);
    const foreign: Diagnostic = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x', source: 'yaml' };
    const acts = await c.codeActions(s.u, foreign.range, [foreign], ['quickfix']);
    assert.deepEqual(acts, []);
    assert.deepEqual(await c.codeActions('file:///nowhere.acrotopo.yaml', foreign.range, [foreign]), []);
  });
});
