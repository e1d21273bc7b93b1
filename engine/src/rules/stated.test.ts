// wrong-install-port, reversed-connection, undocumented-connection (spec semantics §5)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, at, diags, run, yaml } from '../../test/helpers';

const BASE = yaml`
  acrotopo: 1
  machines:
    ams01: { os: windows, address: 10.0.0.10, components: [management-server, management-console] }
    fs01: { os: windows, address: 10.0.0.31, components: [agent-for-windows], file-sharing-encryption: true }
    web01: { os: linux, address: 10.0.0.21, components: [agent-for-linux] }
    share: { os: other, address: 10.0.0.50, components: [network-share] }
  management: { server: ams01 }
  installation: { from: ams01, to: [fs01, web01] }
  connections:
`;
const withConn = (...c: string[]) => BASE + c.map((x) => `  - ${x}\n`).join('');

test('identical stated flow: no stated-flow rule fires', () => {
  const text = withConn('{ from: ams01, to: web01, port: tcp/22 }', '{ from: web01, to: ams01, port: tcp/9876 }');
  for (const r of ['wrong-install-port', 'reversed-connection', 'undocumented-connection']) assert.equal(diags(text, r).length, 0, r);
});

test('reversed-connection: fires on the entry, fix swaps from and to', () => {
  const text = withConn('{ from: web01, to: ams01, port: tcp/22 }');
  const ds = diags(text, 'reversed-connection');
  assert.equal(ds.length, 1);
  assert.equal(at(text, ds[0]), '{ from: web01, to: ams01, port: tcp/22 }');
  assert.match(ds[0].message, /^reversed connection: web01 → ams01 on tcp\/22; the documentation has ams01 → web01 on tcp\/22 "Sending files \(see the list\) \/ Starting installation" \(RI-4\)/);
  const fixed = applyFix(text, ds[0]);
  assert.ok(fixed.endsWith('  - { from: ams01, to: web01, port: tcp/22 }\n'));
  assert.equal(diags(fixed, 'reversed-connection').length, 0);
  assert.equal(diags(fixed, 'undocumented-connection').length, 0);
  assert.equal(diags(text, 'undocumented-connection').length, 0, 'at most one stated-flow rule per entry');
});

test('wrong-install-port: tcp/445 to Linux and tcp/22 to Windows, with port fixes', () => {
  const text = withConn('{ from: ams01, to: web01, port: tcp/445 }', '{ from: ams01, to: fs01, port: tcp/22 }');
  const ds = diags(text, 'wrong-install-port');
  assert.equal(ds.length, 2);
  assert.match(ds[0].message, /^wrong installation port: ams01 → web01 on tcp\/445, but web01 runs linux; remote installation to Linux uses tcp\/22 "Sending files/);
  assert.match(ds[1].message, /remote installation to Windows uses tcp\/445 "Sending files \(see the list\)" and tcp\/25001 "Sending installation parameters"/);
  assert.deepEqual(ds[1].fixes.map((f) => f.title), ['Change the port to tcp/445', 'Change the port to tcp/25001']);
  let fixed = applyFix(text, ds[0]);
  fixed = applyFix(fixed, diags(fixed, 'wrong-install-port')[0]);
  assert.equal(diags(fixed, 'wrong-install-port').length, 0);
  assert.equal(diags(fixed, 'undocumented-connection').length, 0);
});

test('undocumented-connection: a port no row has; but documented non-derived rows (CC-7, CC-11) are fine', () => {
  const text = withConn('{ from: web01, to: fs01, port: tcp/3389 }', '{ from: fs01, to: share, port: tcp/445 }', '{ from: web01, to: ams01, port: tcp/8080 }');
  const ds = diags(text, 'undocumented-connection');
  assert.equal(ds.length, 1);
  assert.equal(at(text, ds[0]), '{ from: web01, to: fs01, port: tcp/3389 }');
  assert.equal(ds[0].severity, 'warning');
  assert.match(ds[0].message, /^undocumented connection: web01 → fs01 on tcp\/3389/);
  const flows = run(text).flows.filter((f) => f.kind === 'stated');
  assert.deepEqual(flows.map((f) => f.catalogue), [undefined, 'CC-7', 'CC-11']);
});
