import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, at, BASE, diags, run, yaml } from '../../test/helpers';

const RULE = 'invalid-installer';

const WITH_SERVER = BASE + yaml`
  installation:
    from: fs01      # wrong: the server installs
    to: [fs01]
`;

const NO_SERVER = yaml`
  acrotopo: 1
  machines:
    con01: { os: windows, address: 10.0.0.5, components: [management-console] }
    fs01:
      os: windows
      components: [agent-for-windows]
  installation: { from: fs01, to: [fs01] }
`;

function fixAndRecheck(text: string, index?: number) {
  const [d] = diags(text, RULE);
  const out = applyFix(text, d, index);
  const r = run(out);
  assert.deepEqual(r.diagnostics.filter((x) => x.rule === 'yaml-syntax'), []);
  const schemaBefore = new Set(run(text).diagnostics.filter((x) => x.rule === 'schema').map((x) => x.message));
  assert.deepEqual(r.diagnostics.filter((x) => x.rule === 'schema' && !schemaBefore.has(x.message)), []);
  assert.deepEqual(r.diagnostics.filter((x) => x.rule === RULE), []);
  return out;
}

test('with a management server: fires when installation.from is another machine', () => {
  const ds = diags(WITH_SERVER, RULE);
  assert.equal(ds.length, 1);
  const d = ds[0];
  assert.equal(at(WITH_SERVER, d), 'fs01');
  assert.equal(d.range.start.line, 20);
  assert.equal(d.range.start.character, 8);
  assert.equal(d.severity, 'error');
  assert.match(d.message, /^installation.from is fs01, but with a management server the installation is performed from the management server ams01/);
  assert.deepEqual(d.related.map((r) => [WITH_SERVER.slice(r.span.start, r.span.end), r.message]), [['ams01', 'management server ams01']]);
});

test('fix: use the management server, comment kept (golden)', () => {
  const [d] = diags(WITH_SERVER, RULE);
  assert.equal(d.fixes[0].title, 'Install from the management server ams01');
  assert.equal(d.fixes[0].isPreferred, true);
  assert.equal(fixAndRecheck(WITH_SERVER), WITH_SERVER.replace('from: fs01      #', 'from: ams01      #'));
});

test('without a management server: fires when the installer has no console; fix offers console machines (golden)', () => {
  const [d] = diags(NO_SERVER, RULE);
  assert.equal(at(NO_SERVER, d), 'fs01');
  assert.equal(d.range.start.line, 6);
  assert.equal(d.range.start.character, 22);
  assert.match(d.message, /^installation.from is fs01, which has no management-console: without a management server the installation is performed from a machine with the management console/);
  assert.match(d.message, /machines with the console: con01$/);
  assert.deepEqual(d.fixes.map((f) => [f.title, f.isPreferred]), [['Install from con01 (has the management console)', true]]);
  assert.equal(fixAndRecheck(NO_SERVER), NO_SERVER.replace('{ from: fs01,', '{ from: con01,'));
});

test('without a server and without any console: no fix, says so', () => {
  const text = NO_SERVER.replace('[management-console]', '[license-server]');
  const [d] = diags(text, RULE);
  assert.match(d.message, /no machine has the console$/);
  assert.deepEqual(d.fixes, []);
});

test('several consoles: several fixes, none preferred', () => {
  const text = NO_SERVER.replace('  fs01:\n', '  con02: { os: linux, components: [management-console] }\n  fs01:\n');
  const [d] = diags(text, RULE);
  assert.deepEqual(d.fixes.map((f) => [f.title, f.isPreferred]), [
    ['Install from con01 (has the management console)', false],
    ['Install from con02 (has the management console)', false],
  ]);
  assert.match(fixAndRecheck(text, 1), /from: con02,/);
});

test('does not fire: the server installs; a console installs without server; unknown names', () => {
  assert.deepEqual(diags(WITH_SERVER.replace('from: fs01', 'from: ams01'), RULE), []);
  assert.deepEqual(diags(NO_SERVER.replace('from: fs01', 'from: con01'), RULE), []);
  assert.deepEqual(diags(NO_SERVER.replace('from: fs01', 'from: nosuch'), RULE), []);
  assert.deepEqual(diags(WITH_SERVER.replace('server: ams01', 'server: nosuch'), RULE), []);
  assert.deepEqual(diags(BASE, RULE), []);
});

test('severity can be lowered by the file', () => {
  assert.equal(diags(WITH_SERVER + 'rules: { invalid-installer: warning }\n', RULE)[0].severity, 'warning');
});
