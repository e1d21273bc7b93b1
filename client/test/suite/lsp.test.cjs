// Language features through VS Code's own command API, i.e. exactly what the editor asks the server for.
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers.cjs');

const FIXTURE = 'rollout.acrotopo.yaml';

describe('Acrotopo extension in the VS Code extension host', function () {
  this.timeout(60000);

  before(async () => {
    const ext = vscode.extensions.getExtension('acrotopo.acrotopo');
    assert.ok(ext, 'extension acrotopo.acrotopo is installed');
    await h.openFixture(FIXTURE);
    await h.until(() => ext.isActive, 'activation on an acrotopo document');
  });
  afterEach(() => h.closeAll());
  after(() => h.deleteScratch());

  it('gives *.acrotopo.yaml files the acrotopo language and registers the commands', async () => {
    const doc = await h.openFixture(FIXTURE);
    assert.strictEqual(doc.languageId, 'acrotopo');
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['acrotopo.showOutput', 'acrotopo.restartServer', 'acrotopo.showServerStatus']) assert.ok(commands.includes(c), `command ${c}`);
  });

  it('reports the derived tcp/25001 flow as unencrypted at the installation target (vscode.languages.getDiagnostics)', async () => {
    const doc = await h.openFixture(FIXTURE);
    const ds = await h.diagnostics(doc, (ds) => ds.some((d) => h.codeOf(d) === 'unencrypted-port'), 'unencrypted-port');
    const d = ds.find((x) => h.codeOf(x) === 'unencrypted-port');
    assert.match(d.message, /^port 25001 is unencrypted: ams01 → fs01/);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(d.source, 'acrotopo');
    const target = h.positionOf(doc, 'fs01', { after: 'installation:' });
    assert.deepStrictEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
      [target.line, target.character, target.line, target.character + 'fs01'.length]);
    const smb = ds.find((x) => h.codeOf(x) === 'smb-encryption-unknown');
    assert.ok(smb, 'smb-encryption-unknown is reported too');
    assert.strictEqual(smb.severity, vscode.DiagnosticSeverity.Information);
  });

  it('checks *.acrotopo.yml files too', async () => {
    const doc = await h.openFixture('minimal.acrotopo.yml');
    assert.strictEqual(doc.languageId, 'acrotopo');
    const ds = await h.diagnostics(doc, (ds) => ds.some((d) => h.codeOf(d) === 'component-os-mismatch'), 'component-os-mismatch');
    const d = ds.find((x) => h.codeOf(x) === 'component-os-mismatch');
    assert.strictEqual(doc.getText(d.range), 'agent-for-windows');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
  });

  it('explains a port on hover (vscode.executeHoverProvider)', async () => {
    const doc = await h.openFixture(FIXTURE);
    const pos = h.positionOf(doc, '25001', { after: 'allow:' });
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, pos);
    const text = h.hoverText(hovers);
    assert.match(text, /tcp\/25001/);
    assert.match(text, /installation parameters/i);
  });

  it('completes enum values and components in an untitled document (vscode.executeCompletionItemProvider)', async () => {
    const doc = await h.openUntitled('acrotopo: 1\nmachines:\n  m1:\n    os: \n    components: []\n');
    const osPos = h.positionOf(doc, 'os: ', { delta: 4 });
    const os = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, osPos);
    const osLabels = os.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const v of ['windows', 'linux', 'virtual-appliance', 'other']) assert.ok(osLabels.includes(v), `os completion ${v} in ${osLabels}`);
    const compPos = h.positionOf(doc, '[]', { delta: 1 });
    const comps = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, compPos);
    const compLabels = comps.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const v of ['management-server', 'agent-for-windows', 'agent-for-linux']) assert.ok(compLabels.includes(v), `component ${v} in ${compLabels}`);
  });

  it('quick-fixes smb-encryption-unknown (vscode.executeCodeActionProvider + workspace.applyEdit)', async () => {
    const doc = await h.openScratch(h.fixtureText(FIXTURE));
    const ds = await h.diagnostics(doc, (ds) => ds.some((d) => h.codeOf(d) === 'smb-encryption-unknown'), 'smb-encryption-unknown');
    const smb = ds.find((d) => h.codeOf(d) === 'smb-encryption-unknown');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, smb.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => /file-sharing-encryption: true/.test(a.title));
    assert.ok(fix, `fix offered; got: ${actions.map((a) => a.title)}`);
    assert.ok(fix.edit, 'the fix carries its edit');
    // (vscode.executeCodeActionProvider does not hand back CodeAction.diagnostics, so that link is checked in the UI test.)
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), /fs01:\n(?: {4}.*\n)*? {4}file-sharing-encryption: true\n/);
    await h.diagnostics(doc, (ds) => ds.length > 0 && !ds.some((d) => h.codeOf(d) === 'smb-encryption-unknown'), 'the SMB diagnostic to go');
  });

  it('fix all: VS Code resolves the edit of source.fixAll.acrotopo (codeAction/resolve) and it fixes every problem', async () => {
    const text = h.fixtureText(FIXTURE).replace('server: ams01', 'server: ams1').replace('to: [fs01]', 'to: [fs1]');
    const doc = await h.openScratch(text);
    const ds = await h.diagnostics(doc, (ds) => ds.filter((d) => h.codeOf(d) === 'unknown-reference').length === 2, 'two unknown-reference problems');
    const first = ds.find((d) => h.codeOf(d) === 'unknown-reference');
    // without resolving, the action comes without its edit (the server computes it on codeAction/resolve)
    const lazy = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, first.range, 'source.fixAll.acrotopo');
    const unresolved = lazy.find((a) => a.title === 'Fix all auto-fixable acrotopo problems');
    assert.ok(unresolved, `source.fixAll offered; got: ${lazy.map((a) => a.title)}`);
    assert.strictEqual(unresolved.edit, undefined, 'the edit is left to codeAction/resolve');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, first.range, 'source.fixAll.acrotopo', 10);
    const fixAll = actions.find((a) => a.title === 'Fix all auto-fixable acrotopo problems');
    assert.ok(fixAll && fixAll.edit, 'resolved with its edit');
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    assert.match(doc.getText(), /server: ams01\n/);
    assert.match(doc.getText(), /to: \[fs01\]/);
    await h.diagnostics(doc, (ds) => ds.length > 0 && !ds.some((d) => h.codeOf(d) === 'unknown-reference'), 'the unknown references to go');
  });

  it('renames a machine everywhere it is referenced (vscode.executeDocumentRenameProvider)', async () => {
    const doc = await h.openScratch(h.fixtureText(FIXTURE));
    await h.diagnostics(doc);
    const key = h.positionOf(doc, 'fs01:', { after: 'machines:' });
    const edit = await vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', doc.uri, key, 'files01');
    assert.ok(edit, 'rename gives a workspace edit');
    const before = (doc.getText().match(/\bfs01\b/g) || []).length;
    const edits = edit.get(doc.uri);
    assert.strictEqual(edits.length, before, `one edit per occurrence of fs01 (${before})`);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.doesNotMatch(doc.getText(), /\bfs01\b/);
    const after = await h.diagnostics(doc, (ds) => ds.some((d) => /files01/.test(d.message)), 'diagnostics naming files01');
    assert.ok(!after.some((d) => h.codeOf(d) === 'unknown-reference'), `no dangling reference: ${after.map((d) => d.message)}`);
  });

  it('honours the acrotopo.rules setting (configuration is synchronised to the server)', async () => {
    const doc = await h.openFixture(FIXTURE);
    await h.diagnostics(doc, (ds) => ds.some((d) => h.codeOf(d) === 'unencrypted-port'), 'unencrypted-port');
    const config = vscode.workspace.getConfiguration('acrotopo');
    await config.update('rules', { 'unencrypted-port': 'off', 'smb-encryption-unknown': 'error' }, vscode.ConfigurationTarget.Global);
    try {
      const ds = await h.diagnostics(doc, (ds) => !ds.some((d) => h.codeOf(d) === 'unencrypted-port')
        && ds.some((d) => h.codeOf(d) === 'smb-encryption-unknown' && d.severity === vscode.DiagnosticSeverity.Error), 'the new severities');
      assert.ok(ds.length > 0);
    } finally {
      await config.update('rules', undefined, vscode.ConfigurationTarget.Global);
    }
    await h.diagnostics(doc, (ds) => ds.some((d) => h.codeOf(d) === 'unencrypted-port'), 'unencrypted-port back');
  });

  it('switches the LSP trace on and off with acrotopo.trace.server alone', async () => {
    const api = vscode.extensions.getExtension('acrotopo.acrotopo').exports;
    const channel = api.client.traceOutputChannel;
    assert.strictEqual(channel.logLevel, vscode.LogLevel.Off);
    const config = vscode.workspace.getConfiguration('acrotopo');
    await config.update('trace.server', 'verbose', vscode.ConfigurationTarget.Global);
    try {
      await h.until(() => channel.logLevel === vscode.LogLevel.Trace, 'trace level');
      const doc = await h.openFixture(FIXTURE);
      const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, h.positionOf(doc, '25001', { after: 'allow:' }));
      assert.match(h.hoverText(hovers), /25001/, 'requests still work while traced');
    } finally {
      await config.update('trace.server', undefined, vscode.ConfigurationTarget.Global);
    }
    await h.until(() => channel.logLevel === vscode.LogLevel.Off, 'trace off again');
  });

  it('answers the preview\'s acrotopo/diagram request for the document\'s current version', async () => {
    const api = vscode.extensions.getExtension('acrotopo.acrotopo').exports;
    const doc = await h.openScratch(h.fixtureText(FIXTURE));
    await h.diagnostics(doc);
    const r = await api.client.sendRequest('acrotopo/diagram', { uri: doc.uri.toString(), view: 'all', expand: [] });
    assert.ok(r && r.kind === 'model', JSON.stringify(r).slice(0, 200));
    assert.strictEqual(r.version, doc.version);
    assert.ok(r.model.nodes.some((n) => n.name === 'fs01'), 'fs01 is drawn');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), doc.getText().replace(/\bfs01\b/g, 'files02'));
    assert.ok(await vscode.workspace.applyEdit(edit));
    const r2 = await api.client.sendRequest('acrotopo/diagram', { uri: doc.uri.toString(), view: 'all', expand: [] });
    assert.strictEqual(r2.version, doc.version, 'the answer is for the edited version');
    assert.ok(r2.model.nodes.some((n) => n.name === 'files02') && !r2.model.nodes.some((n) => n.name === 'fs01'));
  });

  it('starts the server with the node options of server/node-options.json, and reports its status', async () => {
    const api = vscode.extensions.getExtension('acrotopo.acrotopo').exports;
    const doc = await h.openScratch(h.fixtureText(FIXTURE));
    await h.diagnostics(doc);
    const options = require('../../../server/node-options.json');
    const want = options.execArgv;
    const st = await api.client.sendRequest('acrotopo/serverStatus');
    assert.ok(st && Array.isArray(st.execArgv), JSON.stringify(st));
    for (const a of want) assert.ok(st.execArgv.includes(a), `${a} in ${st.execArgv.join(' ')}`);
    assert.strictEqual(st.mallocMmapThreshold, options.env.MALLOC_MMAP_THRESHOLD_, 'the environment of node-options.json');
    // the young generation that option gives: two semi-spaces of 4 MiB at most
    const young = st.heapSpaces.find((x) => x.name === 'new_space');
    assert.ok(young && young.size <= 8, JSON.stringify(young));
    // the heap growing factor is set once the first diagnostics are out (server/src/heap.ts)
    assert.strictEqual(typeof st.heapGrowingPercent, 'number');
    // V8 marks the old generation concurrently until the server holds a large document (then, with at
    // most two cores, on its main thread: server/src/heap.ts); the growing factor is the one for that
    const os = require('node:os');
    const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    assert.strictEqual(st.cores, cores);
    assert.strictEqual(st.concurrentMarking, true, JSON.stringify({ cores: st.cores, concurrentMarking: st.concurrentMarking }));
    assert.strictEqual(st.heapGrowingPercent, cores > 2 ? 30 : 25);
    // the warm-up (server/src/warm-up.ts) begins once a document's idle work is done, and ends
    for (let i = 0; i < 100 && (await api.client.sendRequest('acrotopo/serverStatus')).warmUp.state !== 'done'; i++) await new Promise((r) => setTimeout(r, 100));
    const warm = (await api.client.sendRequest('acrotopo/serverStatus')).warmUp;
    assert.strictEqual(warm.state, 'done', JSON.stringify(warm));
    assert.ok(warm.checks > 1 && warm.ms > 0, JSON.stringify(warm));
    await vscode.commands.executeCommand('acrotopo.showServerStatus');
  });

  it('honours # acrotopo-disable-next-line', async () => {
    const doc = await h.openScratch(h.fixtureText(FIXTURE).replace('  to: [fs01]', '  # acrotopo-disable-next-line unencrypted-port\n  to: [fs01]'));
    const ds = await h.diagnostics(doc, (ds) => ds.some((d) => h.codeOf(d) === 'smb-encryption-unknown'), 'smb-encryption-unknown');
    assert.ok(!ds.some((d) => h.codeOf(d) === 'unencrypted-port'), 'unencrypted-port is silenced');
  });

  it('restarts the server on acrotopo.restartServer and keeps working', async () => {
    await vscode.commands.executeCommand('acrotopo.restartServer');
    const doc = await h.openFixture(FIXTURE);
    const pos = h.positionOf(doc, '25001', { after: 'allow:' });
    const text = await h.until(async () => h.hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, pos)), 'hover after restart');
    assert.match(text, /25001/);
  });
});
