import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, at, diags, run, yaml } from '../../test/helpers';

const RULE = 'hosts-entry-mismatch';

const TEXT = yaml`
  acrotopo: 1
  machines:
    ams01:
      os: windows
      address: 10.0.0.10
      components: [management-server]
    web01:
      os: linux
      address: 10.0.0.21
      components: [agent-for-linux]
      hosts:
        ams01: 10.0.0.11      # old address
        gw: 10.0.0.1
    fs01: { os: windows, address: 10.0.0.31, components: [agent-for-windows], hosts: { ams01: 10.0.0.12 } }
  management:
    server: ams01
`;

function fixAndRecheck(text: string, d: ReturnType<typeof diags>[number]) {
  const out = applyFix(text, d);
  const r = run(out);
  assert.deepEqual(r.diagnostics.filter((x) => x.rule === 'yaml-syntax'), []);
  const schemaBefore = new Set(run(text).diagnostics.filter((x) => x.rule === 'schema').map((x) => x.message));
  assert.deepEqual(r.diagnostics.filter((x) => x.rule === 'schema' && !schemaBefore.has(x.message)), []);
  assert.ok(!r.diagnostics.some((x) => x.rule === RULE && x.message === d.message));
  return out;
}

test('fires on each entry whose address differs, at the entry value', () => {
  const ds = diags(TEXT, RULE);
  assert.deepEqual(ds.map((d) => at(TEXT, d)), ['10.0.0.11', '10.0.0.12']);
  const d = ds[0];
  assert.equal(d.range.start.line, 11);
  assert.equal(d.range.start.character, 13);
  assert.equal(d.severity, 'error');
  assert.match(d.message, /^hosts entry of web01 maps ams01 to 10\.0\.0\.11, but ams01's declared address is 10\.0\.0\.10/);
  assert.deepEqual(d.related.map((r) => [TEXT.slice(r.span.start, r.span.end), r.message]), [['10.0.0.10', "ams01's address"]]);
});

test('does not fire for equal addresses in another form, unknown names, or names without an address', () => {
  const same = (v: string) => TEXT.replace('ams01: 10.0.0.11 ', `ams01: ${v} `).replace('hosts: { ams01: 10.0.0.12 }', 'hosts: {}');
  assert.deepEqual(diags(same('10.0.0.10'), RULE), []);
  assert.deepEqual(diags(same('"::ffff:10.0.0.10"'), RULE), []);
  assert.deepEqual(diags(same(' 10.0.0.10'), RULE), []);
  const v6 = TEXT.replace('address: 10.0.0.10', 'address: "fe80::1"').replace('ams01: 10.0.0.11 ', 'ams01: "FE80:0:0::1" ').replace('hosts: { ams01: 10.0.0.12 }', 'hosts: { ams01: "fe80::0:1" }');
  assert.deepEqual(diags(v6, RULE), []);
  const noAddress = TEXT.replace('    address: 10.0.0.10\n', '');
  assert.deepEqual(diags(noAddress, RULE), []);
  const gwDeclared = TEXT.replace('management:', '  gateway: { os: other, address: 10.0.0.1 }\nmanagement:');
  assert.equal(diags(gwDeclared, RULE).length, 2, 'gw is not a declared machine name');
});

test('host names compare case-insensitively', () => {
  const text = TEXT.replace('ams01: 10.0.0.11', 'AMS01: 10.0.0.11');
  assert.match(diags(text, RULE)[0].message, /maps AMS01 to 10\.0\.0\.11, but ams01's declared address/);
});

test('a leading zero is octal, and the message says so', () => {
  const text = TEXT.replace('ams01: 10.0.0.11 ', 'ams01: 10.0.0.010 ');
  const [d] = diags(text, RULE);
  assert.equal(at(text, d), '10.0.0.010');
  assert.match(d.message, /10\.0\.0\.010 is read as 10\.0\.0\.8: an octet with a leading 0 is octal/);
  const eight = TEXT.replace('address: 10.0.0.10', 'address: 10.0.0.8').replace('ams01: 10.0.0.11 ', 'ams01: 10.0.0.010 ');
  assert.deepEqual(diags(eight, RULE).map((d) => at(eight, d)), ['10.0.0.12']);
});

test('an entry that is not an IP address is a mismatch too', () => {
  const text = TEXT.replace('ams01: 10.0.0.11 ', 'ams01: ams01.local ');
  assert.match(diags(text, RULE)[0].message, /'ams01\.local' is not an IP address/);
});

test('fix in a block hosts map keeps the comment (golden)', () => {
  const [d] = diags(TEXT, RULE);
  assert.equal(d.fixes[0].title, 'Change the entry to 10.0.0.10');
  const out = fixAndRecheck(TEXT, d);
  assert.equal(out, TEXT.replace('ams01: 10.0.0.11      # old address', 'ams01: 10.0.0.10      # old address'));
});

test('fix in a flow hosts map on a flow-map machine (golden)', () => {
  const d = diags(TEXT, RULE)[1];
  const out = fixAndRecheck(TEXT, d);
  assert.equal(out, TEXT.replace('hosts: { ams01: 10.0.0.12 }', 'hosts: { ams01: 10.0.0.10 }'));
});

test('fix replaces a quoted IPv6 entry with the declared address, quoted when needed', () => {
  const text = TEXT.replace('address: 10.0.0.10', 'address: "fe80::1"').replace('ams01: 10.0.0.11 ', 'ams01: "fe80::2" ').replace('hosts: { ams01: 10.0.0.12 }', 'hosts: {}');
  const [d] = diags(text, RULE);
  const out = fixAndRecheck(text, d);
  assert.match(out, /ams01: fe80::1 {6}# old address/);
  assert.deepEqual(diags(out, RULE), []);
});

test('severity off / suppression', () => {
  assert.deepEqual(diags(TEXT + 'rules: { hosts-entry-mismatch: off }\n', RULE), []);
  const sup = TEXT.replace('      ams01: 10.0.0.11', '      # acrotopo-disable-next-line hosts-entry-mismatch\n      ams01: 10.0.0.11');
  assert.equal(diags(sup, RULE).length, 1);
});

test('a machine mapping its own name to loopback is not reported; another machine on loopback is', () => {
  const own = TEXT.replace('      gw: 10.0.0.1', '      gw: 10.0.0.1\n      web01: 127.0.1.1');
  assert.deepEqual(diags(own, RULE).map((d) => at(own, d)), ['10.0.0.11', '10.0.0.12']);
  const other = TEXT.replace('ams01: 10.0.0.11 ', 'ams01: 127.0.0.1 ');
  assert.deepEqual(diags(other, RULE).map((d) => at(other, d)), ['127.0.0.1', '10.0.0.12']);
});
