import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, at, diags, run, yaml } from '../../test/helpers';

const RULE = 'port-mismatch';

const TEXT = yaml`
  acrotopo: 1
  machines:
    ams01: { os: windows, address: 10.0.0.10, components: [management-server, management-console] }
    web01:
      os: linux
      address: 10.0.0.21
      port: 9000            # changed by the admin template
      components: [agent-for-linux]
    fs01: { os: windows, address: 10.0.0.31, components: [agent-for-windows], port: 9000 }
    fs02: { os: windows, address: 10.0.0.32, components: [agent-for-windows] }
  management:
    server: ams01
`;

function fixAndRecheck(text: string, d: ReturnType<typeof diags>[number]) {
  const out = applyFix(text, d);
  const r = run(out);
  assert.deepEqual(r.diagnostics.filter((x) => x.rule === 'yaml-syntax'), []);
  const schemaBefore = new Set(run(text).diagnostics.filter((x) => x.rule === 'schema').map((x) => x.message));
  assert.deepEqual(r.diagnostics.filter((x) => x.rule === 'schema' && !schemaBefore.has(x.message)), []);
  assert.ok(!r.diagnostics.some((x) => x.rule === RULE && x.span.start === d.span.start));
  return { out, r };
}

test('fires once per machine whose own port differs from a peer on the agent port, at its port value', () => {
  const ds = diags(TEXT, RULE);
  assert.deepEqual(ds.map((d) => at(TEXT, d)), ['9000', '9000']);
  const d = ds[0];
  assert.equal(d.range.start.line, 6);
  assert.equal(d.range.start.character, 10);
  assert.equal(d.severity, 'error');
  assert.equal(d.message, 'port mismatch: web01 uses agent port 9000, but it must talk on the agent port ("Remote Agent ports", default tcp/9876) with ams01, which uses 9876');
  assert.deepEqual(d.related.map((r) => [TEXT.slice(r.span.start, r.span.end), r.message]), [['ams01', 'ams01 uses port 9876']]);
  // web01 and fs01 agree with each other and never talk: fs02 (default port) is not reported
  assert.ok(!ds.some((x) => /fs02 uses agent port/.test(x.message)));
});

test('the server with its own port is reported once, naming its peers (first few + count)', () => {
  const many = Array.from({ length: 6 }, (_, i) => `  a${i}: { os: linux, components: [agent-for-linux] }\n`).join('');
  const text = yaml`
    acrotopo: 1
    machines:
      ams01: { os: windows, components: [management-server], port: 7000 }
  ` + many + 'management: { server: ams01 }\n';
  const ds = diags(text, RULE);
  assert.equal(ds.length, 1);
  assert.equal(at(text, ds[0]), '7000');
  assert.equal(ds[0].message, 'port mismatch: ams01 uses agent port 7000, but it must talk on the agent port ("Remote Agent ports", default tcp/9876) with 6 machines that use another port: a0, a1, a2 and 3 more use 9876');
});

test('peers with different ports are grouped by port; management.port is preferred for the fix', () => {
  const text = yaml`
    acrotopo: 1
    machines:
      ams01: { os: windows, components: [management-server], port: 7000 }
      a1: { os: linux, components: [agent-for-linux], port: 8000 }
      a2: { os: linux, components: [agent-for-linux], port: 8000 }
      a3: { os: linux, components: [agent-for-linux] }
    management: { server: ams01, port: 9100 }
  `;
  const ds = diags(text, RULE);
  const server = ds.find((d) => /^port mismatch: ams01/.test(d.message))!;
  assert.match(server.message, /with 3 machines that use another port: a1 and a2 use 8000; a3 uses 9100$/);
  assert.equal(server.fixes[0].title, "Set ams01's port to 9100");
  assert.ok(server.related.some((r) => r.message === 'management.port 9100'));
  assert.deepEqual(ds.map((d) => at(text, d)), ['7000', '8000', '8000']);
});

test('does not fire: no own ports, equal ports, machines that do not talk on the agent port', () => {
  assert.deepEqual(diags(TEXT.replace(/ *port: 9000 *# changed by the admin template\n/, '').replace(', port: 9000 }', ' }'), RULE), []);
  assert.deepEqual(diags(TEXT.replace('server: ams01', 'server: ams01\n  port: 9000').replace('  fs02: { os: windows, address: 10.0.0.32, components: [agent-for-windows] }\n', '').replace('management-console] }', 'management-console], port: 9000 }'), RULE), []);
  // a management.port that differs from the default is fine when nobody overrides it
  assert.deepEqual(diags(TEXT.replace(/ *port: 9000 *# changed by the admin template\n/, '').replace(', port: 9000 }', ' }').replace('server: ams01', 'server: ams01\n  port: 7000'), RULE), []);
  const noTalk = yaml`
    acrotopo: 1
    machines:
      v1: { os: windows, components: [vcenter], port: 1234 }
      a1: { os: windows, components: [agent-for-vmware] }
  `;
  assert.deepEqual(diags(noTalk, RULE), []);
});

test('without a management server, console → agent (CC-3) is on the agent port', () => {
  const text = yaml`
    acrotopo: 1
    machines:
      con01: { os: windows, components: [management-console] }
      a1: { os: linux, components: [agent-for-linux], port: 9001 }
  `;
  const [d] = diags(text, RULE);
  assert.match(d.message, /^port mismatch: a1 uses agent port 9001, .* with con01, which uses 9876$/);
});

test('fix on a block machine keeps the comment (golden)', () => {
  const [d] = diags(TEXT, RULE);
  assert.equal(d.fixes[0].title, "Set web01's port to 9876");
  const { out } = fixAndRecheck(TEXT, d);
  assert.equal(out, TEXT.replace('port: 9000            # changed', 'port: 9876            # changed'));
});

test('fix on a flow-map machine (golden)', () => {
  const d = diags(TEXT, RULE)[1];
  const { out } = fixAndRecheck(TEXT, d);
  assert.equal(out, TEXT.replace('[agent-for-windows], port: 9000 }', '[agent-for-windows], port: 9876 }'));
});

test('stays linear: 10k agents with their own port on one server', () => {
  const lines = ['acrotopo: 1', 'machines:', '  ams01: { os: windows, components: [management-server] }'];
  for (let i = 0; i < 10_000; i++) lines.push(`  a${i}: { os: linux, components: [agent-for-linux], port: 9001 }`);
  lines.push('management: { server: ams01 }', '');
  const text = lines.join('\n');
  const ds = diags(text, RULE);
  assert.equal(ds.length, 10_000);
  assert.ok(ds.every((d) => /with ams01, which uses 9876$/.test(d.message)));
});
