import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, at, diags, run, yaml } from '../../test/helpers';

const TEXT = yaml`
  acrotopo: 1
  network:
    subnets: { hq: 10.0.0.0/24, branch: 10.1.0.0/24 }
    firewalls:
      - name: branch-edge
        between: [hq, branch]
        allow:
          - { from: hq, to: branch, port: tcp/9876 }
  machines:
    ams01: { os: windows, address: 10.0.0.10, components: [management-server] }
    web01: { os: linux, address: 10.1.0.21, components: [agent-for-linux], hosts: { ams01: 10.0.0.10 } }
  management: { server: ams01 }
`;

test('blocked-connection: the agent → server direction is not allowed', () => {
  const ds = diags(TEXT, 'blocked-connection');
  assert.equal(ds.length, 1);
  const d = ds[0];
  assert.equal(at(TEXT, d), 'web01');
  assert.match(d.message, /^blocked by firewall 'branch-edge': web01 → ams01 on tcp\/9876 "Registering, managing agents" \(CC-1\) from zone branch to zone hq; no allow entry matches/);
  assert.ok(d.related.some((r) => r.message === "firewall 'branch-edge'"));
});

test('blocked-connection: no firewall, same zone, or a matching machine-level entry → nothing', () => {
  assert.equal(diags(TEXT.replace('10.1.0.21', '10.0.0.21'), 'blocked-connection').length, 0);
  assert.equal(diags(TEXT.replace('between: [hq, branch]', 'between: [hq, dmz]').replace('hq: 10.0.0.0/24,', 'hq: 10.0.0.0/24, dmz: 10.2.0.0/24,'), 'blocked-connection').length, 0);
  const allowed = TEXT.replace('- { from: hq, to: branch, port: tcp/9876 }', '- { from: hq, to: branch, port: tcp/9876 }\n        - { from: web01, to: ams01, port: tcp/9000-9999 }');
  assert.equal(diags(allowed, 'blocked-connection').length, 0);
});

test('fix (preferred) appends a machine-level allow entry in the same style; zone-level is offered too', () => {
  const d = diags(TEXT, 'blocked-connection')[0];
  assert.deepEqual(d.fixes.map((f) => f.title), [
    "Allow tcp/9876 from web01 to ams01 in firewall 'branch-edge'",
    "Allow tcp/9876 from zone branch to zone hq in firewall 'branch-edge'",
  ]);
  const fixed = applyFix(TEXT, d);
  assert.ok(fixed.includes('        - { from: hq, to: branch, port: tcp/9876 }\n        - { from: web01, to: ams01, port: tcp/9876 }\n'), fixed);
  assert.equal(diags(fixed, 'blocked-connection').length, 0);
  const zoneFixed = applyFix(TEXT, d, 1);
  assert.equal(diags(zoneFixed, 'blocked-connection').length, 0);
});

test('fix creates the allow list when the firewall has none', () => {
  const none = TEXT.replace(/ +allow:\n.*\n/, '');
  const ds = diags(none, 'blocked-connection');
  assert.equal(ds.length, 2);
  let text = none;
  for (let i = 0; i < 2; i++) text = applyFix(text, diags(text, 'blocked-connection')[0]);
  assert.equal(diags(text, 'blocked-connection').length, 0, text);
  assert.equal(run(text).diagnostics.filter((x) => x.severity === 'error').length, 0, text);
});

test('an internet firewall blocks cloud backup (CC-9) to the implicit acronis-cloud node', () => {
  const cloud = yaml`
    acrotopo: 1
    network:
      subnets: { lan: 192.168.1.0/24 }
      firewalls:
        - { name: edge, between: [lan, internet], allow: [{ from: lan, to: internet, port: tcp/443 }] }
    machines:
      pc1: { os: windows, address: 192.168.1.5, components: [agent-for-windows], cloud-backup: true }
  `;
  const ds = diags(cloud, 'blocked-connection');
  assert.deepEqual(ds.map((d) => /on (tcp\/\d+)/.exec(d.message)![1]), ['tcp/44445', 'tcp/55556']);
  assert.match(ds[0].message, /pc1 → acronis-cloud on tcp\/44445 "Accessing the cloud storage" \(CC-9\)/);
});

test('names holding ">" (two flows can share an id): each flow is judged on its own verdict', () => {
  // CC-5 "a>b" → c (blocked: branch → hq) and a → "b>c" (allowed: hq → branch) share the id
  // `CC-5:a>b>c:tcp/9876`; read by id, the later flow's verdict (it passes) hid the blocked one.
  const text = yaml`
    acrotopo: 1
    network:
      subnets: { hq: 10.0.0.0/24, branch: 10.1.0.0/24 }
      firewalls:
        - name: branch-edge
          between: [hq, branch]
          allow:
            - { from: hq, to: branch, port: tcp/9876 }
    machines:
      "a>b": { os: linux, address: 10.1.0.21, components: [agent-for-linux] }
      a: { os: linux, address: 10.0.0.22, components: [agent-for-linux] }
      c: { os: linux, address: 10.0.0.30, components: [storage-node] }
      "b>c": { os: linux, address: 10.1.0.30, components: [storage-node] }
  `;
  const ds = diags(text, 'blocked-connection');
  assert.deepEqual(ds.map((d) => d.flowId), ['CC-5:a>b>c:tcp/9876']);
  assert.match(ds[0].message, /a>b → c on tcp\/9876/);
  // the same verdict as without the collision
  const renamed = text.replace('"b>c"', 'bc');
  assert.deepEqual(diags(renamed, 'blocked-connection').map((d) => d.message), ds.map((d) => d.message));
});
