import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, at, diags, run, yaml } from '../../test/helpers';

const RULE = 'unresolvable-server';

const NODNS = yaml`
  acrotopo: 1
  network:
    dns: false
    subnets:
      hq: 10.0.0.0/24
  machines:
    ams01:
      os: windows
      address: 10.0.0.10
      components: [management-server, management-console]
    fs01:                     # file server
      os: windows
      address: 10.0.0.31
      components: [agent-for-windows]
      file-sharing-encryption: true
    web01: { os: linux, address: 10.0.0.21, components: [agent-for-linux] }
  management:
    server: ams01
`;

function fixAndRecheck(text: string, d: ReturnType<typeof diags>[number], index?: number) {
  const out = applyFix(text, d, index);
  const r = run(out);
  assert.deepEqual(r.diagnostics.filter((x) => x.rule === 'yaml-syntax'), []);
  const schemaBefore = new Set(run(text).diagnostics.filter((x) => x.rule === 'schema').map((x) => x.message));
  assert.deepEqual(r.diagnostics.filter((x) => x.rule === 'schema' && !schemaBefore.has(x.message)), []);
  assert.ok(!r.diagnostics.some((x) => x.rule === RULE && x.message === d.message), 'the fixed diagnostic is gone');
  return { out, r };
}

test('fires for each same-subnet agent without a hosts entry, at its key', () => {
  const ds = diags(NODNS, RULE);
  assert.deepEqual(ds.map((d) => at(NODNS, d)), ['fs01', 'web01']);
  const d = ds[0];
  assert.equal(d.range.start.line, 10);
  assert.equal(d.range.start.character, 2);
  assert.equal(d.severity, 'error');
  assert.match(d.message, /^agent fs01 cannot resolve management server ams01: the network has no DNS \(network.dns: false\)/);
  assert.match(d.message, /RI-5 "Registration on the management server", tcp\/9876/);
  assert.match(d.message, /same subnet as the server \(hq\)/);
  assert.deepEqual(d.related.map((r) => [NODNS.slice(r.span.start, r.span.end), r.message]), [['ams01', 'management server ams01'], ['false', 'no DNS in this network']]);
});

test('fires when the zones cannot be told; not for a cross-subnet agent (missing-hosts-entry)', () => {
  const noSubnets = NODNS.replace('  subnets:\n    hq: 10.0.0.0/24\n', '');
  const ds = diags(noSubnets, RULE);
  assert.equal(ds.length, 2);
  assert.match(ds[0].message, /its subnet cannot be told/);
  assert.deepEqual(diags(noSubnets, 'missing-hosts-entry'), []);
  const cross = NODNS.replace('hq: 10.0.0.0/24', 'hq: 10.0.0.0/24\n    branch: 10.1.0.0/24').replace('address: 10.0.0.21', 'address: 10.1.0.21');
  assert.deepEqual(diags(cross, RULE).map((d) => at(cross, d)), ['fs01']);
  assert.deepEqual(diags(cross, 'missing-hosts-entry').map((d) => at(cross, d)), ['web01']);
});

test('does not fire: DNS, register-by address, hosts entry, no server, not an agent, the server itself', () => {
  assert.deepEqual(diags(NODNS.replace('dns: false', 'dns: true'), RULE), []);
  assert.deepEqual(diags(NODNS.replace('  dns: false\n', ''), RULE), []);
  assert.deepEqual(diags(NODNS.replace('server: ams01', 'server: ams01\n  register-by: address'), RULE), []);
  const withHosts = NODNS.replace('components: [agent-for-linux] }', 'components: [agent-for-linux], hosts: { Ams01: 10.0.0.10 } }');
  assert.deepEqual(diags(withHosts, RULE).map((d) => at(withHosts, d)), ['fs01']);
  assert.deepEqual(diags(NODNS.replace(/management:[\s\S]*$/, ''), RULE), []);
  const serverAgent = NODNS.replace('[management-server, management-console]', '[management-server, agent-for-windows]');
  assert.deepEqual(diags(serverAgent, RULE).map((d) => at(serverAgent, d)), ['fs01', 'web01']);
  const noAgent = NODNS.replace('[agent-for-linux]', '[license-server]');
  assert.deepEqual(diags(noAgent, RULE).map((d) => at(noAgent, d)), ['fs01']);
});

test('preferred fix adds the hosts entry: block machine, comments kept (golden)', () => {
  const [d] = diags(NODNS, RULE);
  assert.equal(d.fixes.length, 2);
  assert.equal(d.fixes[0].isPreferred, true);
  const { out, r } = fixAndRecheck(NODNS, d);
  assert.equal(out, NODNS.replace('    file-sharing-encryption: true\n', '    file-sharing-encryption: true\n    hosts: { ams01: 10.0.0.10 }\n'));
  assert.match(out, /fs01: {21}# file server/);
  assert.deepEqual(r.topology.machines.get('fs01')!.hosts.map((h) => h.address.value), ['10.0.0.10']);
});

test('preferred fix on a flow-map machine (golden)', () => {
  const d = diags(NODNS, RULE)[1];
  const { out } = fixAndRecheck(NODNS, d);
  assert.equal(out, NODNS.replace('components: [agent-for-linux] }', 'components: [agent-for-linux], hosts: { ams01: 10.0.0.10 } }'));
});

test('second fix: register-by address, inserted into management or replacing name (golden)', () => {
  const [d] = diags(NODNS, RULE);
  assert.equal(d.fixes[1].title, 'Register agents by address (management.register-by: address)');
  const { out, r } = fixAndRecheck(NODNS, d, 1);
  assert.equal(out, NODNS.replace('  server: ams01\n', '  server: ams01\n  register-by: address\n'));
  assert.deepEqual(r.diagnostics.filter((x) => x.rule === RULE), []);
  const explicit = NODNS.replace('server: ams01', 'server: ams01\n  register-by: name   # default');
  const { out: out2 } = fixAndRecheck(explicit, diags(explicit, RULE)[0], 1);
  assert.match(out2, /register-by: address   # default/);
  const flow = NODNS.replace('management:\n  server: ams01', 'management: { server: ams01 }');
  assert.match(fixAndRecheck(flow, diags(flow, RULE)[0], 1).out, /management: \{ server: ams01, register-by: address \}/);
});

test('only the register-by fix when the server has no address', () => {
  const text = NODNS.replace('    address: 10.0.0.10\n', '    subnet: hq\n');
  const [d] = diags(text, RULE);
  assert.deepEqual(d.fixes.map((f) => f.title), ['Register agents by address (management.register-by: address)']);
});

test('severity is configurable and suppressible', () => {
  assert.equal(diags(NODNS, RULE, { rules: { [RULE]: 'warning' } })[0].severity, 'warning');
  const sup = NODNS.replace('  fs01:', '  # acrotopo-disable-next-line unresolvable-server\n  fs01:');
  assert.deepEqual(diags(sup, RULE).map((d) => at(sup, d)), ['web01']);
});
