// Bad input never throws or hangs: each case gets a clear diagnostic and the rest is still checked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check } from '../src/check';
import { at, yaml } from './helpers';

const rules = (text: string) => check(text).diagnostics.map((d) => d.rule);

test('empty file and comment-only file: no crash, no flows', () => {
  for (const t of ['', '\n\n', '# only a comment\n']) {
    const r = check(t);
    assert.equal(r.flows.length, 0);
    assert.ok(!rules(t).includes('internal-error'));
  }
});

test('BOM and CRLF are accepted: same diagnostics as the plain file', () => {
  const plain = yaml`
    acrotopo: 1
    machines:
      con01: { os: windows, components: [management-console] }
      fs01: { os: windows, components: [agent-for-windows], file-sharing-encryption: false }
    installation: { from: con01, to: [fs01] }
  `;
  const base = check(plain).diagnostics.map((d) => `${d.rule}@${d.range.start.line}:${d.range.start.character}`);
  assert.ok(base.length > 0);
  assert.deepEqual(check('\uFEFF' + plain).diagnostics.map((d) => `${d.rule}@${d.range.start.line}:${d.range.start.character - (d.range.start.line === 0 ? 1 : 0)}`), base);
  assert.deepEqual(check(plain.replace(/\n/g, '\r\n')).diagnostics.map((d) => `${d.rule}@${d.range.start.line}:${d.range.start.character}`), base);
});

test('tabs as indentation: yaml-syntax error on the tab', () => {
  const t = 'acrotopo: 1\nmachines:\n\tams01: { os: windows }\n';
  const d = check(t).diagnostics.find((x) => x.rule === 'yaml-syntax');
  assert.ok(d);
  assert.equal(d.range.start.line, 2);
});

test('several documents: one yaml-syntax error at the second marker, the first document still checked', () => {
  const t = 'acrotopo: 1\nmachines:\n  con01: { os: windows, components: [management-console] }\n  fs01: { os: windows, components: [agent-for-windows], file-sharing-encryption: false }\ninstallation: { from: con01, to: [fs01] }\n---\nacrotopo: 1\n';
  const ds = check(t).diagnostics;
  const syn = ds.filter((d) => d.rule === 'yaml-syntax');
  assert.equal(syn.length, 1);
  assert.equal(at(t, syn[0]), '---');
  assert.match(syn[0].message, /several YAML documents/);
  assert.ok(ds.some((d) => d.rule === 'smb-unencrypted'), 'rules still ran on the first document');
});

test('duplicate keys: yaml-syntax error on the repeated key; the first occurrence is used', () => {
  const t = 'acrotopo: 1\nmachines:\n  a: { os: windows, components: [agent-for-windows] }\n  a: { os: linux }\n';
  const ds = check(t).diagnostics.filter((d) => d.rule === 'yaml-syntax');
  assert.equal(ds.length, 1);
  assert.equal(ds[0].range.start.line, 3);
  assert.match(ds[0].message, /duplicate key 'a'/);
  assert.equal(check(t).topology.machines.get('a')!.os!.value, 'windows');
});

test('alias bomb (billion laughs) is bounded and reported', () => {
  const lines = ['acrotopo: 1', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  lines.push('machines:', '  m1: *a11', 'connections: *a11', 'network: { subnets: *a11 }');
  const t = lines.join('\n');
  const r = check(t);
  const bomb = r.diagnostics.filter((d) => d.rule === 'yaml-syntax' && /alias bomb/.test(d.message));
  assert.equal(bomb.length, 1);
  assert.equal(t.slice(bomb[0].span.start, bomb[0].span.end), '*a4'); // a4 is the first to pass 100k nodes
  assert.ok(!r.diagnostics.some((d) => d.rule === 'internal-error'), JSON.stringify(r.diagnostics.filter((d) => d.rule === 'internal-error')));
});

test('anchors and merge keys on machines are followed', () => {
  const t = yaml`
    acrotopo: 1
    machines:
      base: &win { os: windows, components: [agent-for-windows] }
      con01: { os: windows, components: [management-console] }
      fs01:
        <<: *win
        file-sharing-encryption: false
      fs02: *win
    installation: { from: con01, to: [fs01] }
  `;
  const r = check(t);
  assert.equal(r.topology.machines.get('fs01')!.os!.value, 'windows');
  assert.equal(r.topology.machines.get('fs02')!.components[0].value, 'agent-for-windows');
  assert.ok(r.diagnostics.some((d) => d.rule === 'smb-unencrypted'));
});

test('wrong types everywhere never throw', () => {
  const cases = [
    'acrotopo: 1\nmachines: 5\n',
    'acrotopo: 1\nmachines: [a, b]\nnetwork: yes\nmanagement: [1]\ninstallation: 3\nconnections: {a: 1}\nrules: [x]\n',
    'acrotopo: 1\nmachines:\n  a: { os: 3, components: x, hosts: [1], encryption: 7, port: "x", address: [1] }\n',
    'acrotopo: 1\nmachines:\n  ? [complex, key]\n  : { os: windows }\n  null: {}\n  123: { os: linux }\n',
    'acrotopo: 1\nnetwork:\n  firewalls: [{ between: 5, allow: 7 }, 3, { allow: [1, { from: [], port: 5 }] }]\n',
    '- just\n- a list\n',
    '"a scalar"\n',
    'acrotopo: 1\nmachines:\n  a: { os: windows, port: 1e400, address: "::ffff:10.0.0.1" }\n  b: { address: "2001:db8::1", subnet: v6 }\nnetwork: { subnets: { v6: "2001:db8::/32", bad: "10.0.0.0/99" } }\n',
  ];
  for (const t of cases) {
    const ds = check(t).diagnostics;
    assert.ok(!ds.some((d) => d.rule === 'internal-error'), `${t}\n${JSON.stringify(ds)}`);
  }
});

test('binary junk and NUL bytes: bounded yaml-syntax diagnostics, no crash', () => {
  let junk = '';
  for (let i = 0; i < 20000; i++) junk += String.fromCharCode((i * 7919) % 256);
  const ds = check(junk).diagnostics;
  assert.ok(ds.length > 0 && ds.length <= 120, `${ds.length}`);
  assert.ok(!ds.some((d) => d.rule === 'internal-error'));
  const nul = check('acrotopo: 1\u0000\nmachines: {}\n').diagnostics.filter((d) => d.rule === 'yaml-syntax');
  assert.equal(nul.length, 1);
  assert.deepEqual(nul[0].range.start, { line: 0, character: 11 });
  assert.match(nul[0].message, /non-printable character U\+0000/);
  assert.ok(ds.every((d) => d.message.length < 400), 'messages stay short even for junk');
});

test('deep nesting (10k levels) does not blow the stack', () => {
  const deep = 'acrotopo: 1\nx: ' + '['.repeat(10000) + ']'.repeat(10000) + '\n';
  const ds = check(deep).diagnostics;
  assert.ok(Array.isArray(ds));
});

test('a file over the size limit gets one diagnostic and is not parsed', () => {
  const big = 'acrotopo: 1\n' + '#'.repeat(2000) + '\n';
  const ds = check(big, { maxBytes: 1000 }).diagnostics;
  assert.equal(ds.length, 1);
  assert.match(ds[0].message, /over the 0 MiB limit|limit/);
});

test('a rule that throws becomes one internal-error diagnostic; the others still run', async () => {
  const { RULES } = await import('../src/rules/index');
  const bad = { id: 'boom', defaultSeverity: 'error' as const, title: '', description: '', howToFix: '', catalogue: [], run: () => { throw new Error('kaboom'); } };
  RULES.push(bad);
  try {
    const t = 'acrotopo: 1\nmachines:\n  con01: { os: windows, components: [management-console] }\n  fs01: { os: windows, components: [agent-for-windows], file-sharing-encryption: false }\ninstallation: { from: con01, to: [fs01] }\n';
    const ds = check(t).diagnostics;
    const ie = ds.filter((d) => d.rule === 'internal-error');
    assert.equal(ie.length, 1);
    assert.match(ie[0].message, /rule boom: kaboom/);
    assert.ok(ds.some((d) => d.rule === 'smb-unencrypted'));
  } finally {
    RULES.pop();
  }
});

test('an address or CIDR the schema rejects gets no zone: one verdict per value (zone ids, octal, hex, /024)', () => {
  for (const [address, cidr] of [['fe80::1%eth0', 'fe80::/10'], ['010.0.0.5', '10.0.0.0/24'], ['0x0a.0.0.5', '10.0.0.0/24'], ['10.0.0.5', '10.0.0.0/024']]) {
    const text = `acrotopo: 1\nnetwork:\n  subnets:\n    lan: "${cidr}"\nmachines:\n  ams01: { os: windows, components: [management-server] }\n  x: { os: linux, address: "${address}", subnet: lan, components: [agent-for-linux] }\nmanagement: { server: ams01 }\n`;
    const r = check(text);
    const bySubnetOnly = check(text.replace(', subnet: lan', ''));
    assert.equal(bySubnetOnly.topology.machines.get('x')?.zone, undefined, `${address} in ${cidr}: the address gives no zone`);
    const schema = r.diagnostics.filter((d) => d.rule === 'schema').map((d) => d.message);
    assert.ok(schema.length === 1, `exactly one schema diagnostic for ${address} / ${cidr}: ${schema.join(' | ')}`);
    assert.ok(!r.diagnostics.some((d) => d.rule === 'address-outside-subnet'), `no rule judges the invalid value (${address} / ${cidr})`);
  }
  // and the valid forms still get their zone
  const ok = check('acrotopo: 1\nnetwork:\n  subnets:\n    lan: "fe80::/10"\nmachines:\n  x: { os: linux, address: "fe80::1", components: [agent-for-linux] }\n');
  assert.equal(ok.topology.machines.get('x')?.zone, 'lan');
});
