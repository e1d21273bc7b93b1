import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, at, diags, run, yaml } from '../../test/helpers';

const RULE = 'non-dns-discovery';

const BLOCK = yaml`
  acrotopo: 1
  network:
    dns: false
  machines:
    ams01:                    # management server
      os: windows
      address: 10.0.0.10
      components: [management-server, management-console]
    fs01: { os: windows, address: 10.0.0.31, components: [agent-for-windows], hosts: { ams01: 10.0.0.10 } }
  management:
    server: ams01
  installation:
    from: ams01
    to: [fs01]
`;

function fixAndRecheck(text: string) {
  const [d] = diags(text, RULE);
  const out = applyFix(text, d);
  const r = run(out);
  assert.deepEqual(r.diagnostics.filter((x) => x.rule === 'yaml-syntax'), []);
  const schemaBefore = new Set(run(text).diagnostics.filter((x) => x.rule === 'schema').map((x) => x.message));
  assert.deepEqual(r.diagnostics.filter((x) => x.rule === 'schema' && !schemaBefore.has(x.message)), []);
  assert.deepEqual(r.diagnostics.filter((x) => x.rule === RULE), []);
  const m = r.topology.machines.get('ams01')!;
  assert.equal(m.networkDiscovery?.value, true);
  assert.equal(m.fileAndPrinterSharing?.value, true);
  return out;
}

test('fires once at the installer key when both settings are absent, naming both', () => {
  const ds = diags(BLOCK, RULE);
  assert.equal(ds.length, 1);
  const d = ds[0];
  assert.equal(at(BLOCK, d), 'ams01');
  assert.equal(d.range.start.line, 4);
  assert.equal(d.range.start.character, 2);
  assert.equal(d.severity, 'error');
  assert.match(d.message, /^ams01 runs the remote installation in a non-DNS environment \(network.dns: false\) without Network Discovery and File and Printer Sharing \(network-discovery is not set, file-and-printer-sharing is not set\)/);
  assert.deepEqual(d.related.map((r) => r.message), ['no DNS in this network', 'the installation runs from here']);
});

test('range is the false setting when one is written false', () => {
  const text = BLOCK.replace('    os: windows\n    address: 10.0.0.10\n', '    os: windows\n    address: 10.0.0.10\n    network-discovery: true\n    file-and-printer-sharing: false\n');
  const [d] = diags(text, RULE);
  assert.equal(at(text, d), 'false');
  assert.equal(d.range.start.line, 8);
  assert.equal(d.range.start.character, 30);
  assert.match(d.message, /without File and Printer Sharing \(file-and-printer-sharing: false\)/);
  assert.doesNotMatch(d.message, /Network Discovery/);
});

test('does not fire: DNS, both enabled, no installation, undeclared installer', () => {
  assert.deepEqual(diags(BLOCK.replace('dns: false', 'dns: true'), RULE), []);
  assert.deepEqual(diags(BLOCK.replace('network:\n  dns: false\n', ''), RULE), []);
  const both = BLOCK.replace('    os: windows\n    address: 10.0.0.10\n', '    os: windows\n    address: 10.0.0.10\n    network-discovery: true\n    file-and-printer-sharing: true\n');
  assert.deepEqual(diags(both, RULE), []);
  assert.deepEqual(diags(BLOCK.replace(/installation:[\s\S]*$/, ''), RULE), []);
  assert.deepEqual(diags(BLOCK.replace('from: ams01', 'from: nosuch'), RULE), []);
});

test('fix on a block machine sets both, in order, comments kept (golden)', () => {
  const [d] = diags(BLOCK, RULE);
  assert.equal(d.fixes[0].title, 'Enable network-discovery and file-and-printer-sharing on ams01');
  const out = fixAndRecheck(BLOCK);
  assert.equal(out, BLOCK.replace(
    '    components: [management-server, management-console]\n',
    '    components: [management-server, management-console]\n    network-discovery: true\n    file-and-printer-sharing: true\n',
  ));
  assert.match(out, /ams01: {20}# management server/);
});

test('fix on a flow-map machine (golden)', () => {
  const text = BLOCK.replace('from: ams01', 'from: fs01').replace(/management:\n {2}server: ams01\n/, '').replace('[management-server, management-console]', '[management-console]').replace('[agent-for-windows]', '[agent-for-windows, management-console]');
  const [d] = diags(text, RULE);
  assert.equal(at(text, d), 'fs01');
  const out = applyFix(text, d);
  assert.equal(out, text.replace('hosts: { ams01: 10.0.0.10 } }', 'hosts: { ams01: 10.0.0.10 }, network-discovery: true, file-and-printer-sharing: true }'));
  assert.deepEqual(diags(out, RULE), []);
  assert.deepEqual(run(out).diagnostics.filter((x) => x.rule === 'yaml-syntax'), []);
});

test('fix replaces a false value and inserts the missing one (golden)', () => {
  const text = BLOCK.replace('    os: windows\n    address: 10.0.0.10\n', '    os: windows\n    file-and-printer-sharing: false   # was off\n    address: 10.0.0.10\n');
  const out = fixAndRecheck(text);
  assert.equal(out, text
    .replace('file-and-printer-sharing: false   # was off', 'file-and-printer-sharing: true   # was off')
    .replace('    components: [management-server, management-console]\n', '    components: [management-server, management-console]\n    network-discovery: true\n'));
});

test('empty flow map machine gets a valid fix', () => {
  const text = yaml`
    acrotopo: 1
    network: { dns: false }
    machines:
      con01: {}
    installation: { from: con01, to: [] }
  `;
  const [d] = diags(text, RULE);
  const out = applyFix(text, d);
  assert.match(out, /con01: \{ network-discovery: true, file-and-printer-sharing: true \}/);
  assert.deepEqual(diags(out, RULE), []);
});

test('severity override', () => {
  assert.equal(diags(BLOCK, RULE, { rules: { [RULE]: 'warning' } })[0].severity, 'warning');
});
