import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, at, diags, run, yaml } from '../../test/helpers';

const RULE = 'address-outside-subnet';

const TEXT = yaml`
  acrotopo: 1
  network:
    subnets:
      hq: 10.0.0.0/24
      branch: 10.1.0.0/16
      lab: 10.1.5.0/24
  machines:
    web01:
      os: linux
      subnet: hq         # placed by hand
      address: 10.1.0.21
      components: [agent-for-linux]
    lab01: { os: linux, subnet: hq, address: 10.1.5.7, components: [agent-for-linux] }
    ext01: { os: linux, subnet: hq, address: 192.168.1.1 }
`;

function fixAndRecheck(text: string, d: ReturnType<typeof diags>[number]) {
  const out = applyFix(text, d);
  const r = run(out);
  assert.deepEqual(r.diagnostics.filter((x) => x.rule === 'yaml-syntax'), []);
  const schemaBefore = new Set(run(text).diagnostics.filter((x) => x.rule === 'schema').map((x) => x.message));
  assert.deepEqual(r.diagnostics.filter((x) => x.rule === 'schema' && !schemaBefore.has(x.message)), []);
  assert.ok(!r.diagnostics.some((x) => x.rule === RULE && x.message === d.message));
  return { out, r };
}

test('fires at the address, naming machine, address, subnet, CIDR and the subnet it falls in', () => {
  const ds = diags(TEXT, RULE);
  assert.deepEqual(ds.map((d) => at(TEXT, d)), ['10.1.0.21', '10.1.5.7', '192.168.1.1']);
  const d = ds[0];
  assert.equal(d.range.start.line, 10);
  assert.equal(d.range.start.character, 13);
  assert.equal(d.severity, 'error');
  assert.equal(d.message, 'address 10.1.0.21 of web01 is outside subnet hq (10.0.0.0/24); it falls in subnet branch (10.1.0.0/16)');
  assert.deepEqual(d.related.map((r) => [TEXT.slice(r.span.start, r.span.end), r.message]), [
    ['10.0.0.0/24', 'subnet hq is 10.0.0.0/24'],
    ['hq', 'web01 is placed in subnet hq'],
    ['10.1.0.0/16', 'subnet branch is 10.1.0.0/16'],
  ]);
  assert.match(ds[1].message, /it falls in subnet lab \(10\.1\.5\.0\/24\)$/, 'longest prefix wins');
  assert.equal(ds[2].message, 'address 192.168.1.1 of ext01 is outside subnet hq (10.0.0.0/24)');
  assert.deepEqual(ds[2].fixes, []);
});

test('does not fire: inside, no subnet, unknown subnet, subnet without a CIDR, bad address or CIDR', () => {
  assert.deepEqual(diags(TEXT.replace(/subnet: hq/g, 'subnet: branch').replace('address: 192.168.1.1', 'address: 10.1.9.9'), RULE), []);
  assert.deepEqual(diags(TEXT.replace(/ *subnet: hq *(# placed by hand)?\n/, '').replace(/subnet: hq, /g, ''), RULE), []);
  assert.deepEqual(diags(TEXT.replace(/subnet: hq/g, 'subnet: nosuch'), RULE), []);
  assert.deepEqual(diags(TEXT.replace(/subnet: hq/g, 'subnet: internet'), RULE), []);
  assert.deepEqual(diags(TEXT.replace('hq: 10.0.0.0/24', 'hq: not-a-cidr'), RULE), []);
  assert.deepEqual(diags(TEXT.replace('address: 10.1.0.21', 'address: banana'), RULE).length, 2);
});

test('IPv6 address in an IPv4 subnet is outside', () => {
  const text = TEXT.replace('address: 10.1.0.21', 'address: "fe80::1"');
  const [d] = diags(text, RULE);
  assert.equal(d.message, 'address fe80::1 of web01 is outside subnet hq (10.0.0.0/24)');
});

test('fix sets subnet: to the subnet the address is in, block machine, comment kept (golden)', () => {
  const [d] = diags(TEXT, RULE);
  assert.equal(d.fixes[0].title, 'Place web01 in subnet branch');
  const { out, r } = fixAndRecheck(TEXT, d);
  assert.equal(out, TEXT.replace('subnet: hq         # placed by hand', 'subnet: branch         # placed by hand'));
  assert.equal(r.topology.machines.get('web01')!.zone, 'branch');
});

test('fix on a flow-map machine (golden)', () => {
  const d = diags(TEXT, RULE)[1];
  const { out } = fixAndRecheck(TEXT, d);
  assert.equal(out, TEXT.replace('{ os: linux, subnet: hq, address: 10.1.5.7', '{ os: linux, subnet: lab, address: 10.1.5.7'));
});

test('severity', () => {
  assert.equal(diags(TEXT + 'rules:\n  address-outside-subnet: warning\n', RULE)[0].severity, 'warning');
});
