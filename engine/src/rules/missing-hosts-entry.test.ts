import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, at, diags, run, yaml } from '../../test/helpers';

const RULE = 'missing-hosts-entry';

const CROSS = yaml`
  acrotopo: 1
  network:
    subnets:
      hq: 10.0.0.0/24
      branch: 10.1.0.0/24
  machines:
    ams01:
      os: windows
      address: 10.0.0.10
      components: [management-server, management-console]
    web01: { os: linux, address: 10.1.0.21, components: [agent-for-linux] }
    fs01:
      os: windows
      address: 10.1.0.31    # branch file server
      components: [agent-for-windows]
      file-sharing-encryption: true
    fs02: { os: windows, address: 10.0.0.32, components: [agent-for-windows] }
  management:
    server: ams01
`;

function fixAndRecheck(text: string, d = diags(text, RULE)[0], index?: number) {
  const out = applyFix(text, d, index);
  const r = run(out);
  assert.deepEqual(r.diagnostics.filter((x) => x.rule === 'yaml-syntax'), []);
  const schemaBefore = new Set(run(text).diagnostics.filter((x) => x.rule === 'schema').map((x) => x.message));
  assert.deepEqual(r.diagnostics.filter((x) => x.rule === 'schema' && !schemaBefore.has(x.message)), []);
  const key = (x: { message: string }) => x.message;
  assert.ok(!r.diagnostics.some((x) => x.rule === RULE && key(x) === key(d)), 'the fixed diagnostic is gone');
  return { out, r };
}

test('fires for each cross-subnet agent without a hosts entry, at its key, with the subnets named', () => {
  const ds = diags(CROSS, RULE);
  assert.deepEqual(ds.map((d) => at(CROSS, d)), ['web01', 'fs01']);
  const d = ds[0];
  assert.equal(d.range.start.line, 10);
  assert.equal(d.range.start.character, 2);
  assert.match(d.message, /^missing hosts entry for cross-subnet agent web01: it registers with management server ams01 by name from subnet branch while the server is in subnet hq/);
  assert.match(d.message, /RI-5 "Registration on the management server", tcp\/9876/);
  assert.equal(d.severity, 'warning');
  assert.deepEqual(d.related.map((r) => [CROSS.slice(r.span.start, r.span.end), r.message]), [['ams01', 'management server ams01 (subnet hq)']]);
});

test('error when network.dns is false', () => {
  const text = CROSS.replace('network:\n', 'network:\n  dns: false\n');
  const ds = diags(text, RULE);
  assert.equal(ds.length, 2);
  assert.ok(ds.every((d) => d.severity === 'error'));
  assert.match(ds[0].message, /no DNS/);
  assert.ok(ds[0].related.some((r) => r.message === 'no DNS in this network'));
  // exactly one of missing-hosts-entry / unresolvable-server per agent: the cross-subnet ones are ours
  assert.deepEqual(diags(text, 'unresolvable-server').map((d) => at(text, d)), ['fs02']);
});

test('does not fire: hosts entry present (any case), same subnet, register-by address, no server, agent is the server', () => {
  assert.deepEqual(diags(CROSS.replace('components: [agent-for-linux] }', 'components: [agent-for-linux], hosts: { AMS01: 10.0.0.10 } }').replace('  fs01:\n', '  fs01:\n    hosts: { ams01: 10.0.0.10 }\n'), RULE), []);
  assert.deepEqual(diags(CROSS.replace('server: ams01', 'server: ams01\n  register-by: address'), RULE), []);
  assert.deepEqual(diags(CROSS.replace(/management:[\s\S]*$/, ''), RULE), []);
  assert.deepEqual(diags(CROSS.replace('server: ams01', 'server: nosuch'), RULE), []);
  // the server also carries an agent: no entry needed for itself
  const selfAgent = CROSS.replace('[management-server, management-console]', '[management-server, management-console, agent-for-windows]');
  assert.deepEqual(diags(selfAgent, RULE).map((d) => at(selfAgent, d)), ['web01', 'fs01']);
  // zones that cannot be told (no subnets) are not cross-subnet
  const noSubnets = CROSS.replace(/network:[\s\S]*?machines:/, 'machines:');
  assert.deepEqual(diags(noSubnets, RULE), []);
  // a machine without an agent component
  const noAgent = CROSS.replace('components: [agent-for-linux]', 'components: [management-console]');
  assert.deepEqual(diags(noAgent, RULE).map((d) => at(noAgent, d)), ['fs01']);
});

test('range is the hosts value when the agent has hosts (for another name)', () => {
  const text = CROSS.replace('components: [agent-for-linux] }', 'components: [agent-for-linux], hosts: { fs02: 10.0.0.32 } }');
  const [d] = diags(text, RULE);
  assert.equal(at(text, d), '{ fs02: 10.0.0.32 }');
  assert.equal(d.range.start.line, 10);
});

test('fix on a flow-map machine adds hosts: { server: address } (golden)', () => {
  const [d] = diags(CROSS, RULE);
  assert.equal(d.fixes[0].title, "Add 'ams01: 10.0.0.10' to the hosts of web01");
  const { out, r } = fixAndRecheck(CROSS, d);
  assert.equal(out, CROSS.replace(
    'web01: { os: linux, address: 10.1.0.21, components: [agent-for-linux] }',
    'web01: { os: linux, address: 10.1.0.21, components: [agent-for-linux], hosts: { ams01: 10.0.0.10 } }',
  ));
  assert.deepEqual(r.topology.machines.get('web01')!.hosts.map((h) => [h.name.value, h.address.value]), [['ams01', '10.0.0.10']]);
});

test('fix on a block machine appends a line and keeps comments (golden)', () => {
  const d = diags(CROSS, RULE)[1];
  const { out } = fixAndRecheck(CROSS, d);
  assert.equal(out, CROSS.replace(
    '    file-sharing-encryption: true\n',
    '    file-sharing-encryption: true\n    hosts: { ams01: 10.0.0.10 }\n',
  ));
  assert.match(out, /# branch file server/);
});

test('fix into an existing hosts map (flow and block)', () => {
  const flow = CROSS.replace('components: [agent-for-linux] }', 'components: [agent-for-linux], hosts: { fs02: 10.0.0.32 } }');
  assert.match(fixAndRecheck(flow).out, /hosts: \{ fs02: 10\.0\.0\.32, ams01: 10\.0\.0\.10 \} \}/);
  const block = CROSS.replace('    file-sharing-encryption: true\n', '    hosts:\n      fs02: 10.0.0.32   # same subnet\n    file-sharing-encryption: true\n');
  const d = diags(block, RULE).find((x) => /fs01/.test(x.message))!;
  const { out } = fixAndRecheck(block, d);
  assert.match(out, /    hosts:\n      fs02: 10\.0\.0\.32   # same subnet\n      ams01: 10\.0\.0\.10\n    file-sharing-encryption: true\n/);
});

test('no fix when the server has no address', () => {
  const text = yaml`
    acrotopo: 1
    network:
      subnets: { hq: 10.0.0.0/24, branch: 10.1.0.0/24 }
    machines:
      ams01: { os: windows, subnet: hq, components: [management-server] }
      web01: { os: linux, address: 10.1.0.21, components: [agent-for-linux] }
    management: { server: ams01 }
  `;
  const [d] = diags(text, RULE);
  assert.match(d.message, /from subnet branch while the server is in subnet hq/);
  assert.deepEqual(d.fixes, []);
});

test('the agent port of the server is named', () => {
  const text = CROSS.replace('server: ams01', 'server: ams01\n  port: 7000');
  assert.match(diags(text, RULE)[0].message, /tcp\/7000/);
});

test('fix fills an empty hosts: (null or {})', () => {
  const nullHosts = CROSS.replace('    file-sharing-encryption: true\n', '    file-sharing-encryption: true\n    hosts:\n');
  const d1 = diags(nullHosts, RULE).find((x) => /fs01/.test(x.message))!;
  assert.equal(at(nullHosts, d1), 'hosts');
  assert.match(fixAndRecheck(nullHosts, d1).out, /\n {4}hosts: \{ ams01: 10\.0\.0\.10 \}\n/);
  const emptyFlow = CROSS.replace('components: [agent-for-linux] }', 'components: [agent-for-linux], hosts: {} }');
  const d2 = diags(emptyFlow, RULE)[0];
  assert.equal(at(emptyFlow, d2), '{}');
  assert.match(fixAndRecheck(emptyFlow, d2).out, /hosts: \{ ams01: 10\.0\.0\.10 \} \}/);
});

test('CRLF files keep CRLF in the inserted line', () => {
  const crlf = CROSS.replace(/\n/g, '\r\n');
  const d = diags(crlf, RULE).find((x) => /fs01/.test(x.message))!;
  const { out } = fixAndRecheck(crlf, d);
  assert.ok(out.includes('file-sharing-encryption: true\r\n    hosts: { ams01: 10.0.0.10 }\r\n'));
  assert.ok(!/[^\r]\n/.test(out), 'no bare LF');
});
