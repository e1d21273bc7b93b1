import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, at, diags, yaml } from '../../test/helpers';

const TEXT = yaml`
  acrotopo: 1
  network:
    subnets: { hq: 10.0.0.0/24, branch: 10.1.0.0/24 }
    firewalls:
      - name: branch-edge
        between: [hq, branch]
        allow:
          - { from: hq, to: branch, port: tcp/9876 }
          - from: branch
            to: hq
            port: tcp/9876
            source-ports: 49152-65535   # copied from the Windows rule
  machines:
    ams01: { os: windows, address: 10.0.0.10, components: [management-server] }
    web01: { os: linux, address: 10.1.0.21, components: [agent-for-linux], hosts: { ams01: 10.0.0.10 } }
    old01: { os: windows, windows-version: pre-vista, address: 10.1.0.22, components: [agent-for-windows], hosts: { ams01: 10.0.0.10 } }
    new01: { os: windows, address: 10.1.0.23, components: [agent-for-windows], hosts: { ams01: 10.0.0.10 } }
  management: { server: ams01 }
`;

test('source-ports-too-narrow: one diagnostic on the source-ports value, naming the initiators and ranges', () => {
  const ds = diags(TEXT, 'source-ports-too-narrow');
  assert.equal(ds.length, 1);
  assert.equal(at(TEXT, ds[0]), '49152-65535');
  assert.match(ds[0].message, /^source-ports 49152-65535 in firewall 'branch-edge' do not cover the source ports of web01, old01 \(Linux and the virtual appliance 32768-61000; Windows prior to Windows Vista 1025-5000\); 2 connections are blocked/);
  // and blocked-connection on each flow it fails to pass (spec §6)
  const blocked = diags(TEXT, 'blocked-connection');
  assert.deepEqual(blocked.map((d) => at(TEXT, d)), ['web01', 'old01']);
  assert.match(blocked[0].message, /allow entry #2 matches but its source-ports 49152-65535 do not cover Linux and the virtual appliance 32768-61000/);
  assert.equal(blocked[0].fixes[0].title, 'Widen source-ports to 32768-65535');
});

test('source-ports-too-narrow: none when the range covers every initiator, or is absent', () => {
  assert.equal(diags(TEXT.replace('49152-65535', '1025-65535'), 'source-ports-too-narrow').length, 0);
  assert.equal(diags(TEXT.replace('49152-65535', '1025-65535'), 'blocked-connection').length, 0);
  assert.equal(diags(TEXT.replace(/ +source-ports: .*\n/, ''), 'source-ports-too-narrow').length, 0);
});

test('fix sets the documented cover of all initiators; comment kept', () => {
  const fixed = applyFix(TEXT, diags(TEXT, 'source-ports-too-narrow')[0]);
  assert.ok(fixed.includes('source-ports: 1025-65535   # copied from the Windows rule'), fixed);
  assert.equal(diags(fixed, 'source-ports-too-narrow').length, 0);
  assert.equal(diags(fixed, 'blocked-connection').length, 0);
});
