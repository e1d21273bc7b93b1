import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RULE_BY_ID } from '@acrotopo/engine';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { applyTextEdits, editsFor, LspClient, textAt } from './lsp-client';
import { DEPLOYMENT, uri } from './fixtures';
import { generate } from '../../bench/generate.mjs';

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
    // it names the request's diagnostic, and fixes all three
    assert.deepEqual(perRule.diagnostics?.map((d) => d.range), [unknown[0].range]);
    assert.equal(editsFor(perRule.edit, s.u).length, 3);
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

  it('with codeAction/resolve, fix-all actions come without their edits, which resolve computes', { skip: waits('unknown-reference') }, async () => {
    const lazy = await LspClient.start({ codeActionResolve: true });
    try {
      assert.equal((lazy.initializeResult.capabilities.codeActionProvider as { resolveProvider?: boolean }).resolveProvider, true);
      const text = DEPLOYMENT.replace('from: ams01\n', 'from: ams1\n').replace('to: [fs01, web01]', 'to: [fs1, web01]');
      const u = uri('lazy');
      const diagnostics = await lazy.open(u, text);
      const unknown = diagnostics.filter((d) => d.code === 'unknown-reference');
      const actions = ((await lazy.codeActions(u, unknown[1].range, [unknown[1]])) ?? []) as CodeAction[];
      const perRule = actions.find((a) => a.title === 'Fix all unknown-reference problems')!;
      assert.ok(perRule, actions.map((a) => a.title).join(' | '));
      assert.equal(perRule.edit, undefined);
      assert.deepEqual(perRule.diagnostics?.map((d) => d.range), [unknown[1].range]);
      // a single fix still comes with its edit
      assert.ok(actions.find((a) => a.title === "Change 'fs1' to 'fs01'" || a.title === "Change 'ams1' to 'ams01'")?.edit);
      const resolved = await lazy.resolveCodeAction(perRule);
      const fixedText = applyTextEdits(text, editsFor(resolved.edit, u));
      assert.match(fixedText, /server: ams01\n/);
      assert.match(fixedText, /from: ams01\n/);
      assert.match(fixedText, /to: \[fs01, web01\]/);
      const source = ((await lazy.codeActions(u, unknown[0].range, [], ['source.fixAll'])) ?? []) as CodeAction[];
      assert.equal(source.length, 1);
      assert.equal(source[0].edit, undefined);
      const all = await lazy.resolveCodeAction(source[0]);
      assert.equal(applyTextEdits(text, editsFor(all.edit, u)), fixedText);
      // once the text changed and is not checked yet, resolve leaves the action without an edit
      await lazy.setSettings({ validate: { debounceMs: 1500 } });
      await lazy.change(u, 2, [{ text: `# moved\n${text}` }]);
      assert.equal((await lazy.resolveCodeAction(perRule)).edit, undefined);
      // an action that is not ours to resolve comes back as it went
      const other = { title: 'x', kind: 'quickfix', data: { something: 1 } };
      assert.deepEqual(await lazy.resolveCodeAction(other), other);
    } finally {
      await lazy.stop();
    }
  });

  it('at 1,000 machines a code action answer stays small: fix-all actions name only the request\'s problems', async () => {
    const lazy = await LspClient.start({ codeActionResolve: true });
    try {
      const text = generate(1000).text;
      const u = uri('big-actions');
      const diagnostics = await lazy.open(u, text);
      const d = diagnostics.find((x) => x.code === 'missing-hosts-entry') ?? diagnostics[0];
      const actions = ((await lazy.codeActions(u, d.range, [d])) ?? []) as CodeAction[];
      const fixAll = actions.find((a) => a.kind === 'source.fixAll.acrotopo')!;
      assert.ok(fixAll, actions.map((a) => a.title).join(' | '));
      const bytes = JSON.stringify(actions).length;
      const edits = editsFor((await lazy.resolveCodeAction(fixAll)).edit, u);
      // the resolved edit is what the answer no longer carries (before: every fixed diagnostic and every edit)
      assert.ok(edits.length >= 30, `${edits.length} edits`);
      assert.ok(bytes < 8000, `${bytes} bytes in the answer`);
      for (const a of actions) assert.ok((a.diagnostics?.length ?? 0) <= 1, `${a.title}: ${a.diagnostics?.length} diagnostics`);
    } finally {
      await lazy.stop();
    }
  });

  /** The actions as JSON, without the `data` of the diagnostics they name (it differs between copies). */
  const withoutData = (acts: CodeAction[]) => JSON.stringify(acts, (k, v) => (k === 'data' ? undefined : v));

  it('the fixes stay on the server: a published diagnostic gets them back, with its `data` or without it', { skip: waits('unknown-reference') }, async () => {
    const s = await session(DEPLOYMENT);
    const unknown = s.diagnostics.find((d) => d.code === 'unknown-reference')!;
    assert.doesNotMatch(JSON.stringify(unknown.data), /ams01|newText/);
    const actions = await s.actionsFor(unknown);
    const fix = actions.find((a) => a.title === "Change 'ams1' to 'ams01'")!;
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    assert.deepEqual(editsFor(fix.edit, s.u), [{ range: unknown.range, newText: 'ams01' }]);
    // some clients do not send `data` back: the same diagnostic is recognised by rule, range and message
    const bare: Diagnostic = { ...unknown, data: undefined };
    assert.equal(withoutData(await s.actionsFor(bare)), withoutData(actions));
    // … but not when it says something else
    assert.deepEqual(await s.actionsFor({ ...bare, message: 'something else' }, ['quickfix']), []);
  });

  it('a diagnostic from an older version never gets edits computed for another text', { skip: waits('unknown-reference') }, async () => {
    const u = uri('stale');
    const v1 = await c.open(u, DEPLOYMENT);
    const old = v1.find((d) => d.code === 'unknown-reference')!;
    const change = "Change 'ams1' to 'ams01'";
    // v2: a line above moves every problem one line down; the v1 diagnostic is not v2's
    const text2 = `# moved\n${DEPLOYMENT}`;
    await c.change(u, 2, [{ text: text2 }]);
    const v2 = await c.diagnostics(u, 2);
    const stale = await c.codeActions(u, old.range, [old]);
    assert.ok(stale && !stale.some((a) => a.title === change), JSON.stringify(stale?.map((a) => a.title)));
    assert.ok(stale.some((a) => a.title === 'Disable unknown-reference for this file'), 'the actions built from this text remain');
    const current = v2.find((d) => d.code === 'unknown-reference')!;
    assert.equal(current.range.start.line, old.range.start.line + 1);
    const fix2 = ((await c.codeActions(u, current.range, [current])) ?? []).find((a) => a.title === change)!;
    assert.deepEqual(editsFor(fix2.edit, u), [{ range: current.range, newText: 'ams01' }]);

    // v3: an edit after it leaves it where it was: the v2 diagnostic is v3's too, and gets v3's fix
    const text3 = `${text2}# appended\n`;
    await c.change(u, 3, [{ text: text3 }]);
    const v3 = await c.diagnostics(u, 3);
    assert.deepEqual(v3.find((d) => d.code === 'unknown-reference')!.range, current.range);
    const fix3 = ((await c.codeActions(u, current.range, [current])) ?? []).find((a) => a.title === change)!;
    assert.ok(fix3);
    assert.match(applyTextEdits(text3, editsFor(fix3.edit, u)), /server: ams01\n/);

    // v4 not validated yet (long debounce): nothing is known of v4's fixes, so none are offered, fix-all included
    await c.setSettings({ validate: { debounceMs: 1500 } });
    try {
      await c.change(u, 4, [{ text: `# again\n${text3}` }]);
      const pending = (await c.codeActions(u, current.range, [current])) ?? [];
      assert.ok(!pending.some((a) => a.title === change || a.title.startsWith('Fix all')), JSON.stringify(pending.map((a) => a.title)));
      assert.deepEqual(await c.codeActions(u, current.range, v3, ['source.fixAll']), []);
      await c.diagnostics(u, 4);
    } finally {
      await c.setSettings({});
    }
  });

  it('ignores diagnostics that are not its own and returns nothing for an unknown document', async () => {
    const s = await session(DEPLOYMENT);
    const foreign: Diagnostic = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x', source: 'yaml' };
    const acts = await c.codeActions(s.u, foreign.range, [foreign], ['quickfix']);
    assert.deepEqual(acts, []);
    assert.deepEqual(await c.codeActions('file:///nowhere.acrotopo.yaml', foreign.range, [foreign]), []);
  });
});
