// One test (positive and negative) per row of the spec's derived-flow table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveFlows } from '../src/flows';
import type { Flow } from '../src/types';
import { run, yaml } from './helpers';

const flowsOf = (text: string): Flow[] => run(text).flows.filter((f) => f.kind === 'derived');
const ids = (text: string): string[] => flowsOf(text).map((f) => f.id).sort();

const MS = yaml`
  acrotopo: 1
  product: "11.7"
  machines:
    ams01: { os: windows, address: 10.0.0.10, components: [management-server] }
    con01: { os: windows, address: 10.0.0.11, components: [management-console] }
    win01: { os: windows, address: 10.0.0.20, components: [agent-for-windows] }
    lin01: { os: linux, address: 10.0.0.21, components: [agent-for-linux] }
  management: { server: ams01 }
`;

test('installation, Windows target, MS present: RI-2 tcp/445 and RI-3 tcp/25001 from the installer, RI-5 registration', () => {
  const text = MS + 'installation: { from: ams01, to: [win01] }\n';
  const fs = flowsOf(text).filter((f) => f.view === 'installation');
  assert.deepEqual(fs.map((f) => f.id), ['RI-2:ams01>win01:tcp/445', 'RI-3:ams01>win01:tcp/25001', 'RI-5:win01>ams01:tcp/9876']);
  const [ri2, ri3, ri5] = fs;
  assert.equal(ri2.purpose, 'Sending files (see the list)');
  assert.equal(ri2.encryption, 'depends');
  assert.equal(ri3.purpose, 'Sending installation parameters');
  assert.equal(ri3.encryption, 'unencrypted');
  assert.equal(ri5.purpose, 'Registration on the management server');
  assert.equal(ri5.encryption, 'encrypted');
  assert.deepEqual(ri2.sourcePorts, { from: 49152, to: 65535 });
  assert.equal(text.slice(ri2.origin.start, ri2.origin.end), 'win01');
  assert.equal(text.slice(ri5.origin.start, ri5.origin.end), 'win01');
});

test('installation, Linux target: RI-4 tcp/22 (SSH, encrypted); no 445/25001', () => {
  const text = MS + 'installation: { from: ams01, to: [lin01] }\n';
  const fs = flowsOf(text).filter((f) => f.view === 'installation');
  assert.deepEqual(fs.map((f) => `${f.id} ${f.encryption}`), ['RI-4:ams01>lin01:tcp/22 encrypted', 'RI-5:lin01>ams01:tcp/9876 encrypted']);
  assert.deepEqual(fs[1].sourcePorts, { from: 32768, to: 61000 });
});

test('installation without MS: RI-7/8/9 from the console machine; no RI-5', () => {
  const text = MS.replace('management: { server: ams01 }\n', '') + 'installation: { from: con01, to: [win01, lin01] }\n';
  const fs = flowsOf(text).filter((f) => f.view === 'installation');
  assert.deepEqual(fs.map((f) => f.id), ['RI-7:con01>win01:tcp/445', 'RI-8:con01>win01:tcp/25001', 'RI-9:con01>lin01:tcp/22']);
});

test('RI-1 console → server "Requesting agent installation" on 11.5 only', () => {
  const inst = 'installation: { from: ams01, to: [win01] }\n';
  const v115 = MS.replace('"11.7"', '"11.5"') + inst;
  const ri1 = flowsOf(v115).filter((f) => f.catalogue === 'RI-1');
  assert.deepEqual(ri1.map((f) => f.id), ['RI-1:con01>ams01:tcp/9876']);
  assert.equal(ri1[0].purpose, 'Requesting agent installation');
  assert.equal(flowsOf(MS + inst).filter((f) => f.catalogue === 'RI-1').length, 0);
  assert.equal(flowsOf(MS.replace('"11.7"', '"11.5"')).filter((f) => f.catalogue === 'RI-1').length, 0, 'no installation, no RI-1');
});

test('CC-1 both directions between the server and every agent machine; CC-2 console → server', () => {
  const got = ids(MS);
  assert.deepEqual(got, [
    'CC-1:ams01>lin01:tcp/9876', 'CC-1:ams01>win01:tcp/9876', 'CC-1:lin01>ams01:tcp/9876', 'CC-1:win01>ams01:tcp/9876',
    'CC-2:con01>ams01:tcp/9876',
  ]);
  const cc2 = flowsOf(MS).find((f) => f.catalogue === 'CC-2')!;
  assert.equal(MS.slice(cc2.origin.start, cc2.origin.end), 'con01', 'CC rows start at the initiating machine key');
});

test('CC-3 console → agents only without a management server', () => {
  const noMs = MS.replace('management: { server: ams01 }\n', '');
  assert.deepEqual(ids(noMs), ['CC-3:con01>lin01:tcp/9876', 'CC-3:con01>win01:tcp/9876']);
  assert.equal(ids(MS).some((i) => i.startsWith('CC-3')), false);
});

test('CC-4 server → storage node, CC-5 agents → storage node', () => {
  const t2 = yaml`
    acrotopo: 1
    machines:
      ams01: { os: windows, components: [management-server] }
      sn01: { os: windows, components: [storage-node] }
      win01: { os: windows, components: [agent-for-windows] }
    management: { server: ams01 }
  `;
  const got = ids(t2).filter((i) => /^CC-[45]/.test(i));
  assert.deepEqual(got, ['CC-4:ams01>sn01:tcp/9876', 'CC-5:win01>sn01:tcp/9876']);
  assert.equal(ids(t2.replace('management: { server: ams01 }', '')).filter((i) => i.startsWith('CC-4')).length, 0);
});

test('CC-13..15 server, consoles, agents → license server; none to itself', () => {
  const t = yaml`
    acrotopo: 1
    machines:
      ams01: { os: windows, components: [management-server, license-server] }
      lic01: { os: windows, components: [license-server] }
      con01: { os: windows, components: [management-console] }
      win01: { os: windows, components: [agent-for-windows] }
    management: { server: ams01 }
  `;
  const got = ids(t).filter((i) => /^CC-1[345]/.test(i));
  // con01 → ams01 and win01 → ams01 on the same port are already CC-2 / CC-1 (one arrow per connection and view)
  assert.deepEqual(got, ['CC-13:ams01>lic01:tcp/9876', 'CC-14:con01>lic01:tcp/9876', 'CC-15:win01>lic01:tcp/9876']);
  assert.equal(flowsOf(t).find((f) => f.catalogue === 'CC-15')!.purpose, 'Checking licenses');
});

test('CC-8 agent-for-vmware → vcenter/esxi on tcp/443 (encrypted) and tcp/902 (not stated)', () => {
  const t = yaml`
    acrotopo: 1
    machines:
      va01: { os: virtual-appliance, components: [agent-for-vmware] }
      vc01: { os: other, components: [vcenter] }
      esx01: { os: other, components: [esxi] }
      win01: { os: windows, components: [agent-for-windows] }
  `;
  const fs = flowsOf(t).filter((f) => f.catalogue === 'CC-8');
  assert.deepEqual(fs.map((f) => `${f.id} ${f.encryption}`), [
    'CC-8:va01>vc01:tcp/443 encrypted', 'CC-8:va01>vc01:tcp/902 not-stated', 'CC-8:va01>esx01:tcp/443 encrypted', 'CC-8:va01>esx01:tcp/902 not-stated',
  ]);
  assert.deepEqual(fs[0].sourcePorts, { from: 32768, to: 61000 });
  assert.equal(ids(t.replace('[agent-for-vmware]', '[agent-for-linux]')).filter((i) => i.startsWith('CC-8')).length, 0);
});

test('CC-9 cloud-backup: true → implicit acronis-cloud in the internet zone on 443, 44445, 55556', () => {
  const t = yaml`
    acrotopo: 1
    machines:
      pc1: { os: windows, components: [agent-for-windows], cloud-backup: true }
      pc2: { os: windows, components: [agent-for-windows], cloud-backup: false }
  `;
  const fs = flowsOf(t).filter((f) => f.catalogue === 'CC-9');
  assert.deepEqual(fs.map((f) => `${f.id} ${f.encryption}`), [
    'CC-9:pc1>acronis-cloud:tcp/443 encrypted', 'CC-9:pc1>acronis-cloud:tcp/44445 encrypted', 'CC-9:pc1>acronis-cloud:tcp/55556 encrypted',
  ]);
  const explicit = t + '  cloud: { os: other, components: [acronis-cloud] }\n';
  assert.ok(ids(explicit).includes('CC-9:pc1>cloud:tcp/443'));
});

test('agent port follows management.port and per-machine port (destination listens)', () => {
  const t = MS.replace('management: { server: ams01 }', 'management: { server: ams01, port: 9000 }').replace('components: [agent-for-linux] }', 'components: [agent-for-linux], port: 9100 }');
  const got = ids(t);
  assert.ok(got.includes('CC-1:ams01>lin01:tcp/9100'));
  assert.ok(got.includes('CC-1:lin01>ams01:tcp/9000'));
  const f = flowsOf(t).find((x) => x.id === 'CC-1:ams01>lin01:tcp/9100')!;
  assert.equal(f.encryption, 'encrypted', 'the configured agent port keeps the agent port\'s encryption class');
});

test('source ports: pre-Vista Windows 1025–5000; other OS unknown', () => {
  const t = MS.replace('{ os: windows, address: 10.0.0.20,', '{ os: windows, windows-version: pre-vista, address: 10.0.0.20,');
  const f = flowsOf(t).find((x) => x.id === 'CC-1:win01>ams01:tcp/9876')!;
  assert.deepEqual(f.sourcePorts, { from: 1025, to: 5000 });
  const o = flowsOf(MS.replace('{ os: linux,', '{ os: other,')).find((x) => x.id === 'CC-1:lin01>ams01:tcp/9876')!;
  assert.equal(o.sourcePorts, undefined);
});

test('deriveFlows: 5,000 agents give 2 flows each (to and from the server; none between agents)', () => {
  const lines = ['acrotopo: 1', 'machines:', '  ams01: { os: windows, components: [management-server] }'];
  for (let i = 0; i < 5000; i++) lines.push(`  a${i}: { os: linux, components: [agent-for-linux] }`);
  lines.push('management: { server: ams01 }');
  const r = run(lines.join('\n'));
  assert.equal(r.flows.length, 10000);
  assert.equal(deriveFlows(r.topology).length, 10000);
});
