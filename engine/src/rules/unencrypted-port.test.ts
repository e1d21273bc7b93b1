import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, diags, yaml } from '../../test/helpers';

const INSTALL = yaml`
  acrotopo: 1
  machines:
    ams01: { os: windows, address: 10.0.0.10, components: [management-server, management-console] }
    fs01: { os: windows, address: 10.0.0.31, components: [agent-for-windows], file-sharing-encryption: true }
    web01: { os: linux, address: 10.0.0.21, components: [agent-for-linux] }
  management: { server: ams01 }
  installation:
    from: ams01
    to: [fs01, web01]
`;

test('unencrypted-port fires on the RI-3 tcp/25001 flow, at the target item', () => {
  const ds = diags(INSTALL, 'unencrypted-port');
  assert.equal(ds.length, 1);
  const d = ds[0];
  assert.equal(at(INSTALL, d), 'fs01');
  assert.equal(d.range.start.line, 8);
  assert.match(d.message, /^port 25001 is unencrypted: ams01 → fs01 on tcp\/25001 "Sending installation parameters" \(RI-3\)/);
  assert.match(d.message, /user names and passwords are sent encrypted/);
  assert.equal(d.severity, 'warning');
  assert.deepEqual(d.related.map((r) => r.message), ['initiator: ams01', 'destination: fs01']);
});

test('unencrypted-port does not fire for a Linux target (SSH) nor without installation', () => {
  const linuxOnly = INSTALL.replace('to: [fs01, web01]', 'to: [web01]');
  assert.equal(diags(linuxOnly, 'unencrypted-port').length, 0);
  const none = INSTALL.replace(/installation:[\s\S]*$/, '');
  assert.equal(diags(none, 'unencrypted-port').length, 0);
});

test('unencrypted-port fires on a stated tcp/8080 connection, at the entry', () => {
  const text = INSTALL + 'connections:\n  - { from: web01, to: ams01, port: tcp/8080 }\n';
  const ds = diags(text, 'unencrypted-port').filter((d) => /8080/.test(d.message));
  assert.equal(ds.length, 1);
  assert.equal(at(text, ds[0]), '{ from: web01, to: ams01, port: tcp/8080 }');
  assert.match(ds[0].message, /^port 8080 is unencrypted: web01 → ams01 on tcp\/8080 "Accessing the management server Web page/);
});

test('a stated flow identical to the derived one is reported at the stated entry only', () => {
  const text = INSTALL + 'connections:\n  - { from: ams01, to: fs01, port: tcp/25001 }\n';
  const ds = diags(text, 'unencrypted-port');
  assert.equal(ds.length, 1);
  assert.equal(at(text, ds[0]), '{ from: ams01, to: fs01, port: tcp/25001 }');
});

test('severity is overridable by the file and by the caller; the file wins', () => {
  assert.equal(diags(INSTALL, 'unencrypted-port', { rules: { 'unencrypted-port': 'error' } })[0].severity, 'error');
  assert.equal(diags(INSTALL, 'unencrypted-port', { rules: { 'unencrypted-port': 'off' } }).length, 0);
  const fileOff = INSTALL + 'rules:\n  unencrypted-port: info\n';
  assert.equal(diags(fileOff, 'unencrypted-port', { rules: { 'unencrypted-port': 'off' } })[0].severity, 'info');
});

test('# acrotopo-disable-next-line silences it on the next non-comment line', () => {
  const text = INSTALL.replace('  to: [fs01, web01]', '  # acrotopo-disable-next-line unencrypted-port\n  to: [fs01, web01]');
  assert.equal(diags(text, 'unencrypted-port').length, 0);
  const other = INSTALL.replace('  to: [fs01, web01]', '  # acrotopo-disable-next-line blocked-connection\n  to: [fs01, web01]');
  assert.equal(diags(other, 'unencrypted-port').length, 1);
  const all = INSTALL.replace('  to: [fs01, web01]', '  # acrotopo-disable-next-line\n  # another comment\n  to: [fs01, web01]');
  assert.equal(diags(all, 'unencrypted-port').length, 0);
});
