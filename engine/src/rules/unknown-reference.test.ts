import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, at, BASE, diags, run, yaml } from '../../test/helpers';

const RULE = 'unknown-reference';

/** Applies the fix and checks the result parses, is schema-clean where the input was, and loses `d`. */
function fixAndRecheck(text: string, index?: number) {
  const [d] = diags(text, RULE);
  const out = applyFix(text, d, index);
  const r = run(out);
  assert.deepEqual(r.diagnostics.filter((x) => x.rule === 'yaml-syntax'), []);
  const schemaBefore = new Set(run(text).diagnostics.filter((x) => x.rule === 'schema').map((x) => x.message));
  assert.deepEqual(r.diagnostics.filter((x) => x.rule === 'schema' && !schemaBefore.has(x.message)), []);
  assert.equal(r.diagnostics.filter((x) => x.rule === RULE).length, diags(text, RULE).length - 1);
  return out;
}

const FULL = yaml`
  acrotopo: 1
  network:
    subnets:
      hq: 10.0.0.0/24
      branch: 10.1.0.0/24
    firewalls:
      - name: edge
        between: [hq, branch]
        allow:
          - { from: hq, to: web01, port: tcp/9876 }
          - { from: branch, to: ams01, port: tcp/9876 }
  machines:
    ams01: { os: windows, address: 10.0.0.10, components: [management-server, management-console] }
    web01:
      os: linux
      subnet: branch
      address: 10.1.0.21
      components: [agent-for-linux]
  management: { server: ams01 }
  installation:
    from: ams01
    to: [web01]
  connections:
    - { from: web01, to: acronis-cloud, port: tcp/443 }
    - { from: ams01, to: internet, port: tcp/80 }
`;

test('does not fire when every name is declared (machines, subnets, zones, acronis-cloud, internet)', () => {
  assert.deepEqual(diags(FULL, RULE), []);
  assert.deepEqual(diags(BASE, RULE), []);
  const internetZone = FULL.replace('between: [hq, branch]', 'between: [hq, internet]').replace('{ from: hq, to: web01', '{ from: internet, to: acronis-cloud');
  assert.deepEqual(diags(internetZone, RULE), []);
});

test('management.server: did you mean, exact range, related, preferred fix', () => {
  const text = BASE.replace('server: ams01', 'server: ams1');
  const ds = diags(text, RULE);
  assert.equal(ds.length, 1);
  const d = ds[0];
  assert.equal(d.message, "unknown machine 'ams1'; did you mean 'ams01'?");
  assert.equal(at(text, d), 'ams1');
  assert.equal(d.range.start.line, 18);
  assert.equal(d.range.start.character, 10);
  assert.equal(d.severity, 'error');
  assert.equal(d.related.length, 1);
  assert.equal(text.slice(d.related[0].span.start, d.related[0].span.end), 'ams01');
  assert.equal(d.related[0].range.start.line, 8);
  assert.equal(d.fixes.length, 1);
  assert.equal(d.fixes[0].isPreferred, true);
  const out = fixAndRecheck(text);
  assert.equal(out, BASE);
});

test('each reference kind is checked, with its kind word', () => {
  const text = FULL
    .replace('between: [hq, branch]', 'between: [hq, brnch]')
    .replace('{ from: hq, to: web01', '{ from: hqq, to: web1')
    .replace('subnet: branch', 'subnet: brnch')
    .replace('from: ams01\n', 'from: ams02\n')
    .replace('to: [web01]', 'to: [web01, wbe01]')
    .replace('{ from: web01, to: acronis-cloud', '{ from: web01, to: acronis-clod')
    .replace('{ from: ams01, to: internet', '{ from: ams01, to: internt');
  const got = diags(text, RULE).map((d) => [at(text, d), d.message]);
  assert.deepEqual(got, [
    ['brnch', "unknown zone 'brnch'; did you mean 'branch'?"],
    ['hqq', "unknown zone or machine 'hqq'; did you mean 'hq'?"],
    ['web1', "unknown zone or machine 'web1'; did you mean 'web01'?"],
    ['brnch', "unknown subnet 'brnch'; did you mean 'branch'?"],
    ['ams02', "unknown machine 'ams02'; did you mean 'ams01'?"],
    ['wbe01', "unknown machine 'wbe01'; did you mean 'web01'?"],
    ['acronis-clod', "unknown machine 'acronis-clod'; did you mean 'acronis-cloud'?"],
    ['internt', "unknown machine 'internt'; did you mean 'internet'?"],
  ]);
});

test('no suggestion beyond edit distance 2: lists the declared names, no fix', () => {
  const text = BASE.replace('server: ams01', 'server: backup-srv');
  const [d] = diags(text, RULE);
  assert.equal(d.message, "unknown machine 'backup-srv' in management.server; declared machines: ams01 and fs01");
  assert.deepEqual(d.fixes, []);
  assert.deepEqual(d.related, []);
  const noMachines = yaml`
    acrotopo: 1
    management: { server: ams01 }
  `;
  assert.match(diags(noMachines, RULE)[0].message, /^unknown machine 'ams01' in management.server; no machines are declared$/);
});

test('ties go to the first declared name; a subnet is not suggested for a machine', () => {
  const text = yaml`
    acrotopo: 1
    network:
      subnets: { srv: 10.0.0.0/24 }
    machines:
      srv2: { os: windows, components: [management-server] }
      srv1: { os: windows, components: [management-console] }
    management: { server: srv }
  `;
  const [d] = diags(text, RULE);
  assert.equal(d.message, "unknown machine 'srv'; did you mean 'srv2'?");
});

test('the implicit zone internet is suggested, with no related location', () => {
  const text = FULL.replace('between: [hq, branch]', 'between: [hq, intranet]');
  const [d] = diags(text, RULE);
  assert.equal(d.message, "unknown zone 'intranet'; did you mean 'internet'?");
  assert.deepEqual(d.related, [], 'internet is implicit: nothing to point at');
  assert.match(fixAndRecheck(text), /between: \[hq, internet\]/);
});

test('fix in a block sequence keeps comments and quoting style', () => {
  const text = yaml`
    acrotopo: 1
    machines:
      ams01: { os: windows, components: [management-console] }
      fs01: { os: windows, components: [agent-for-windows] }
    installation:
      from: ams01   # the console
      to:
        - "fs1"     # file server
  `;
  const out = fixAndRecheck(text);
  assert.equal(out, text.replace('"fs1"', 'fs01'));
  assert.match(out, /# file server/);
});

test('severity: file and caller settings, suppression', () => {
  const text = BASE.replace('server: ams01', 'server: ams1');
  assert.equal(diags(text, RULE, { rules: { [RULE]: 'warning' } })[0].severity, 'warning');
  assert.equal(diags(text + 'rules:\n  unknown-reference: off\n', RULE).length, 0);
  const silenced = text.replace('  server: ams1', '  # acrotopo-disable-next-line unknown-reference\n  server: ams1');
  assert.equal(diags(silenced, RULE).length, 0);
});

test('non-string and odd values do not crash', () => {
  const text = yaml`
    acrotopo: 1
    machines:
      "": { os: windows }
      a: {}
    management: { server: 12 }
    installation: { from: [x], to: y }
    network: { firewalls: [ { between: [1, ~] }, 7 ] }
  `;
  const ds = diags(text, RULE);
  assert.deepEqual(ds.map((d) => at(text, d)), ['12', 'y', '1']);
});

test('a very long unknown name is cut in the message', () => {
  const text = BASE.replace('server: ams01', `server: ${'x'.repeat(5000)}`);
  const [d] = diags(text, RULE);
  assert.ok(d.message.length < 200, d.message);
  assert.match(d.message, /^unknown machine 'x+…' in management.server/);
  assert.equal(at(text, d).length, 5000);
});

test('without a suggestion, subnet and zone references list their own kind', () => {
  const text = FULL.replace('between: [hq, branch]', 'between: [hq, datacenter]').replace('subnet: branch', 'subnet: warehouse');
  assert.deepEqual(diags(text, RULE).map((d) => d.message), [
    "unknown zone 'datacenter' in the between list of firewall edge; declared zones: hq and branch",
    "unknown subnet 'warehouse' in the subnet of web01; declared subnets: hq and branch",
  ]);
});

test('an allow entry one letter off the implicit zone or cloud is asked about them; a name both a subnet and a machine points at the machine', () => {
  const text = FULL.replace('{ from: hq, to: web01, port: tcp/9876 }', '{ from: internt, to: web01, port: tcp/9876 }').replace('{ from: branch, to: ams01, port: tcp/9876 }', '{ from: acronis-clod, to: ams01, port: tcp/9876 }');
  const ds = diags(text, RULE);
  assert.deepEqual(ds.map((d) => d.message.replace(/ in .*$/, '')), ["unknown zone or machine 'internt'; did you mean 'internet'?", "unknown zone or machine 'acronis-clod'; did you mean 'acronis-cloud'?"]);
  // implicit names are declared nowhere: no related location
  assert.deepEqual(ds.map((d) => d.related.length), [0, 0]);
  // `branch` is a subnet and (here) a machine too: the suggestion's declaration is the machine's key
  const both = FULL.replace('\n  web01:\n', '\n  branch:\n').replace('{ from: hq, to: web01, port: tcp/9876 }', '{ from: hq, to: brnch, port: tcp/9876 }');
  assert.notEqual(both, FULL.replace('{ from: hq, to: web01, port: tcp/9876 }', '{ from: hq, to: brnch, port: tcp/9876 }'));
  const [d] = diags(both, RULE).filter((x) => x.message.includes("'brnch'"));
  assert.match(d.message, /did you mean 'branch'\?/);
  assert.equal(d.related.length, 1);
  assert.equal(both.slice(d.related[0].span.start, d.related[0].span.end), 'branch');
  assert.ok(d.related[0].span.start > both.indexOf('machines:'), 'the machine key (under machines:), not the subnet key');
});
