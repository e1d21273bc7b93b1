// The diagram model (engine/src/diagram.ts) built from real engine output.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildDiagram, check, DEFAULT_MAX_LAYOUT_EDGES, DEFAULT_MAX_LAYOUT_NODES, fatalSyntaxErrors } from '@acrotopo/engine';
import { generate as generateBench } from '../../bench/generate.mjs';
import type { DiagramModel } from '@acrotopo/engine';
import { nodeAtOffset } from '../src/index';
import { generateDeployment } from './fixtures/generate';

const SPEC = readFileSync(join(__dirname, 'fixtures', 'spec-example.acrotopo.yaml'), 'utf8');

function names(m: DiagramModel, id: string): string[] {
  const n = m.nodes.find((x) => x.id === id)!;
  return n.kind === 'group' ? n.members!.map((x) => x.name) : [n.name];
}

describe('buildDiagram: views of the spec example', () => {
  const result = check(SPEC);
  const inst = buildDiagram(result, 'installation', { text: SPEC });
  const comm = buildDiagram(result, 'communication', { text: SPEC });
  const all = buildDiagram(result, 'all', { text: SPEC });

  it('has the declared zones and every machine as a box in its zone', () => {
    assert.deepEqual(all.zones.map((z) => [z.id, z.cidr]), [['z/hq', '10.0.0.0/24'], ['z/branch', '10.1.0.0/24']]);
    assert.deepEqual(all.nodes.map((n) => [n.name, n.zone]), [['ams01', 'z/hq'], ['web01', 'z/branch'], ['fs01', 'z/hq']]);
    const ams = all.nodes[0];
    assert.deepEqual(ams.components.map((b) => b.id), ['management-server', 'management-console', 'license-server']);
    assert.equal(ams.os, 'windows');
    assert.equal(SPEC.slice(ams.span!.start, ams.span!.end), 'ams01');
    assert.equal(ams.range!.start.line, SPEC.split('\n').findIndex((l) => /^  ams01:/.test(l)));
  });

  it('installation view: RI flows only, arrows from installer to target labelled with the destination port', () => {
    const edges = inst.edges.map((e) => `${e.from}>${e.to} ${e.label} ${e.encryption}`);
    assert.deepEqual(edges.sort(), [
      'm/ams01>m/fs01 tcp/25001 unencrypted',
      'm/ams01>m/fs01 tcp/445 encrypted',
      'm/ams01>m/web01 tcp/22 encrypted',
      'm/fs01>m/ams01 tcp/9876 encrypted',
      'm/web01>m/ams01 tcp/9876 encrypted',
    ]);
    assert.ok(inst.edges.every((e) => e.catalogue.every((c) => c.startsWith('RI-'))));
    const ri5 = inst.edges.find((e) => e.from === 'm/web01')!;
    assert.deepEqual(ri5.purposes, ['Registration on the management server']);
    assert.equal(ri5.sourcePorts, '32768-61000');
  });

  it('communication view: CC-1 both ways between the server and each agent', () => {
    assert.equal(comm.edges.length, 4);
    assert.ok(comm.edges.every((e) => e.catalogue.every((c) => c.startsWith('CC-')) && e.label === 'tcp/9876'));
    for (const a of ['m/web01', 'm/fs01']) {
      assert.ok(comm.edges.some((e) => e.from === 'm/ams01' && e.to === a));
      assert.ok(comm.edges.some((e) => e.from === a && e.to === 'm/ams01'));
    }
  });

  it('all view: both, with an identical connection of two rows drawn once (RI-5 + CC-1)', () => {
    const reg = all.edges.filter((e) => e.from === 'm/web01' && e.to === 'm/ams01');
    assert.equal(reg.length, 1);
    assert.deepEqual(reg[0].catalogue.sort(), ['CC-1', 'RI-5']);
    assert.equal(reg[0].count, 1, 'one machine pair');
    assert.equal(reg[0].flowIds.length, 2);
  });

  it('every edge is one flow of the view: id = flow id, from = initiator, to = destination', () => {
    for (const m of [inst, comm]) {
      for (const e of m.edges) {
        const f = result.flows.find((x) => x.id === e.id)!;
        assert.ok(f);
        assert.deepEqual(names(m, e.from), [f.initiator]);
        assert.deepEqual(names(m, e.to), [f.destination]);
        assert.equal(e.label, f.portLabel);
        assert.deepEqual(e.range && SPEC.slice(e.span!.start, e.span!.end), SPEC.slice(f.origin.start, f.origin.end));
      }
    }
  });

  it('legend marks what is used', () => {
    const present = inst.legend.filter((l) => l.present).map((l) => l.key).sort();
    assert.deepEqual(present, ['encrypted', 'unencrypted']);
    assert.equal(inst.legend.length, 5);
  });

  it('nodeAtOffset finds the machine holding the cursor', () => {
    assert.equal(nodeAtOffset(all, SPEC.indexOf('agent-for-linux'))?.name, 'web01');
    assert.equal(nodeAtOffset(all, SPEC.indexOf('management:')), undefined);
  });
});

describe('buildDiagram: states, zones, diagnostics', () => {
  const text = [
    'acrotopo: 1',
    'network:',
    '  subnets: { hq: 10.0.0.0/24, branch: 10.1.0.0/24 }',
    '  firewalls:',
    '    - { name: edge, between: [hq, branch], allow: [] }',
    'machines:',
    '  ams01: { os: windows, address: 10.0.0.10, components: [management-server, management-console] }',
    '  web01: { os: linux, address: 10.1.0.21, components: [agent-for-linux], cloud-backup: true }',
    '  old01: { os: windows, address: 10.0.0.40, components: [agent-for-windows], encryption: { server: required } }',
    '  lost01: { os: windows, address: 192.168.9.9, components: [agent-for-windows] }',
    'management: { server: ams01, encryption: { client: disabled } }',
  ].join('\n');
  const result = check(text);
  const m = buildDiagram(result, 'communication', { text });

  it('blocked flows (firewall) and impossible flows (encryption settings) are marked', () => {
    const blocked = m.edges.filter((e) => e.state === 'blocked');
    assert.ok(blocked.length >= 2);
    assert.ok(blocked.every((e) => (e.from === 'm/web01') !== (e.to === 'm/web01') && e.blockedBy.includes('edge')));
    const impossible = m.edges.filter((e) => e.state === 'impossible');
    assert.deepEqual(impossible.map((e) => `${e.from}>${e.to}`), ['m/ams01>m/old01']);
    assert.equal(impossible[0].encryption, 'impossible');
  });

  it('machines with no zone go to "no zone"; the cloud endpoint to internet', () => {
    assert.equal(m.nodes.find((n) => n.name === 'lost01')!.zone, 'u/');
    const cloud = m.nodes.find((n) => n.name === 'acronis-cloud')!;
    assert.equal(cloud.zone, 'z/internet');
    assert.equal(cloud.implicit, true);
    assert.deepEqual(m.zones.map((z) => z.kind), ['subnet', 'subnet', 'internet', 'unassigned']);
    assert.equal(m.edges.filter((e) => e.to === cloud.id).map((e) => e.label).sort().join(' '), 'tcp/443 tcp/44445 tcp/55556');
  });

  it('diagnostics on flows are attached to their edge; the worst severity of a machine is on its box', () => {
    const withFlow = result.diagnostics.filter((d) => d.flowId);
    for (const d of withFlow) {
      const e = m.edges.find((x) => x.flowIds.includes(d.flowId!));
      if (!e) continue; // a flow of the other view
      assert.ok(e.diagnostics.some((x) => x.rule === d.rule && x.message === d.message));
    }
    for (const n of m.nodes) {
      if (!n.extent) continue;
      const inside = result.diagnostics.filter((d) => d.span.start >= n.extent!.start && d.span.start < n.extent!.end);
      assert.equal(n.diagnosticCount, inside.length, n.name);
      const rank = { error: 3, warning: 2, info: 1 } as const;
      const worst = inside.sort((a, b) => rank[b.severity] - rank[a.severity])[0]?.severity;
      assert.equal(n.severity, worst, n.name);
    }
  });
});

describe('buildDiagram: grouping alike machines', () => {
  const text = generateDeployment({ machines: 1000, firewall: true });
  const result = check(text);

  it('a 1,000-machine file gives a small picture; groups carry their members', () => {
    for (const view of ['installation', 'communication', 'all'] as const) {
      const m = buildDiagram(result, view, { text });
      assert.ok(m.nodes.length <= 40, `${view}: ${m.nodes.length} boxes`);
      const members = m.nodes.reduce((n, x) => n + (x.members?.length ?? 1), 0);
      assert.equal(members, 1000, 'every machine is in exactly one box');
      const g = m.nodes.find((n) => n.kind === 'group')!;
      assert.match(g.label, /^\d+ × (Windows|Linux) agents$/);
      assert.equal(g.members!.length, Number(g.label.split(' ')[0]));
      // merged arrows: one per group pair and port, with the pair count
      const e = m.edges.find((x) => x.from === g.id || x.to === g.id)!;
      assert.ok(e.count > 1);
    }
  });

  it('folds only past the threshold, and only machines with the same role and flows', () => {
    const small = generateDeployment({ machines: 30, branches: 0 });
    const r = check(small);
    const m = buildDiagram(r, 'communication', { text: small });
    // 27 agents in hq: 9 Linux (≤ 12: drawn one by one) and 18 Windows (folded)
    const groups = m.nodes.filter((n) => n.kind === 'group');
    assert.deepEqual(groups.map((g) => g.label), ['18 × Windows agents']);
    assert.equal(m.nodes.filter((n) => n.kind === 'machine' && n.os === 'linux').length, 9);
    const never = buildDiagram(r, 'communication', { text: small, groupThreshold: Infinity });
    assert.equal(never.nodes.filter((n) => n.kind === 'group').length, 0);
    assert.equal(never.nodes.length, 30);
  });

  it('expand shows a group machine by machine; ids are stable across edits', () => {
    const m = buildDiagram(result, 'communication', { text });
    const g = m.nodes.find((n) => n.kind === 'group')!;
    const x = buildDiagram(result, 'communication', { text, expand: [g.id] });
    assert.ok(!x.nodes.some((n) => n.id === g.id));
    for (const name of g.members!.map((mm) => mm.name)) assert.ok(x.nodes.some((n) => n.id === `m/${name}`));
    const edited = text.replace('title: Generated', 'title: Edited');
    const again = buildDiagram(check(edited), 'communication', { text: edited });
    assert.deepEqual(again.nodes.map((n) => n.id), m.nodes.map((n) => n.id));
  });

  it('a machine with a problem is not folded with healthy ones', () => {
    const small = generateDeployment({ machines: 30, branches: 0 }).replace('  ws0002:\n    os: windows\n    address: 10.0.0.20', '  ws0002:\n    os: windows\n    address: 10.9.9.9');
    const r = check(small);
    const m = buildDiagram(r, 'communication', { text: small });
    const ws2 = m.nodes.find((n) => n.name === 'ws0002' || n.members?.some((x) => x.name === 'ws0002'))!;
    if (r.diagnostics.some((d) => d.span.start > small.indexOf('ws0002') && d.span.start < small.indexOf('ws0003'))) assert.equal(ws2.kind, 'machine');
    assert.equal(ws2.zone, 'u/', 'its address is outside every subnet');
  });
});

describe('fatalSyntaxErrors', () => {
  it('reports YAML that does not parse, not duplicate keys', () => {
    assert.equal(fatalSyntaxErrors('a: [\nb: 1\n').length, 1);
    assert.equal(fatalSyntaxErrors('a: 1\na: 2\n').length, 0);
    assert.equal(fatalSyntaxErrors(SPEC).length, 0);
  });

  it('never throws on junk', () => {
    for (const t of ['', '\u0000', '{{{{', '- - - -', ':', 'machines: !!binary x', '&a [*a]']) {
      const r = check(t);
      buildDiagram(r, 'all', { text: t });
    }
  });
});

describe('buildDiagram: the layout budget', () => {
  // the benchmark's generator: distinct flow patterns per site, so the readability plans leave a large picture
  const text = generateBench(3000).text;
  const result = check(text);
  const boxesOf = (m: DiagramModel) => m.nodes.reduce((n, x) => n + (x.implicit ? 0 : (x.members?.length ?? 1)), 0);

  it('a picture over half the budget folds further, says so, and keeps every machine in one box', () => {
    for (const view of ['communication', 'all'] as const) {
      const loose = buildDiagram(result, view, { text, maxLayoutNodes: Infinity, maxLayoutEdges: Infinity });
      assert.ok(loose.nodes.length > DEFAULT_MAX_LAYOUT_NODES / 2 || loose.edges.length > DEFAULT_MAX_LAYOUT_EDGES / 2, `${view}: ${loose.nodes.length} boxes, ${loose.edges.length} arrows without the budget`);
      assert.equal(loose.notes, undefined);
      const m = buildDiagram(result, view, { text });
      assert.ok(m.nodes.length <= DEFAULT_MAX_LAYOUT_NODES / 2 && m.edges.length <= DEFAULT_MAX_LAYOUT_EDGES / 2, `${view}: ${m.nodes.length} boxes, ${m.edges.length} arrows`);
      assert.equal(m.notes?.length, 1);
      assert.match(m.notes![0], new RegExp(`^Folded more than usual: .*the picture had ${loose.nodes.length.toLocaleString('en-US')} boxes and ${loose.edges.length.toLocaleString('en-US')} arrows`));
      assert.equal(boxesOf(m), 3000, 'every machine is in exactly one box');
      // a group of machines with different OSes says so, and has no OS
      for (const g of m.nodes.filter((n) => n.kind === 'group')) {
        const oses = new Set(g.members!.map((x) => result.topology.machines.get(x.name)?.os?.value));
        if (oses.size > 1) {
          assert.match(g.label, /^\d+ × mixed-OS (agents|machines)$/);
          assert.equal(g.os, undefined);
        } else assert.doesNotMatch(g.label, /mixed-OS/);
      }
      // every arrow joins two boxes of the picture
      const ids = new Set(m.nodes.map((n) => n.id));
      for (const e of m.edges) assert.ok(ids.has(e.from) && ids.has(e.to), e.id);
    }
  });

  it('a small picture is left as it was (no notes)', () => {
    const small = generateDeployment({ machines: 1000, firewall: true });
    const m = buildDiagram(check(small), 'all', { text: small });
    assert.equal(m.notes, undefined);
    assert.ok(m.nodes.length <= 40);
  });

  it('a group opened past the budget opens into smaller groups, or else stays folded; each with a note', () => {
    const m = buildDiagram(result, 'communication', { text });
    const groups = m.nodes.filter((n) => n.kind === 'group').sort((a, b) => b.members!.length - a.members!.length);
    const [big] = groups;
    // a group that opens on its own within the budget (here the Linux agents of a site; the Windows ones, ~150 each, do not)
    const small = [...groups].reverse().find((g) => !buildDiagram(result, 'communication', { text, expand: [g.id] }).nodes.some((n) => n.id === g.id));
    assert.ok(small && small.id !== big.id, 'some group opens within the budget');
    const x = buildDiagram(result, 'communication', { text, expand: [big.id, small.id] });
    assert.ok(!x.nodes.some((n) => n.id === big.id), 'the large group is opened');
    const parts = x.nodes.filter((n) => n.id.startsWith(`${big.id}/`));
    assert.ok(parts.length > 0, 'into smaller groups named after it');
    const bigNames = new Set(big.members!.map((mm) => mm.name));
    const shown = x.nodes.filter((n) => n.id.startsWith(`${big.id}/`) || (n.kind === 'machine' && bigNames.has(n.name)));
    assert.equal(shown.reduce((k, n) => k + (n.members?.length ?? 1), 0), big.members!.length, 'its machines are all in its parts');
    assert.ok(!x.nodes.some((n) => n.id === small.id), 'the small one opens');
    for (const name of small.members!.map((mm) => mm.name)) assert.ok(x.nodes.some((n) => n.id === `m/${name}`));
    assert.ok(x.nodes.length <= DEFAULT_MAX_LAYOUT_NODES && x.edges.length <= DEFAULT_MAX_LAYOUT_EDGES, `${x.nodes.length} boxes, ${x.edges.length} arrows`);
    assert.ok(x.notes?.some((n) => n.startsWith(`Opened into smaller groups, not machine by machine: ${big.id} (${big.members!.length.toLocaleString('en-US')} machines)`)), JSON.stringify(x.notes));
    assert.equal(boxesOf(x), 3000);
    // a part is asked for by its id, after the group it came from: opened, or named in a note (this
    // one, ~145 machines of a first-plan group, has no smaller groups and does not fit machine by machine)
    const part = parts.sort((a, b) => b.members!.length - a.members!.length)[0];
    const y = buildDiagram(result, 'communication', { text, expand: [big.id, part.id] });
    const partOpened = !y.nodes.some((n) => n.id === part.id);
    assert.ok(partOpened || y.notes?.some((n) => n.startsWith(`Not shown machine by machine: ${part.id} (`)), JSON.stringify(y.notes));
    assert.equal(boxesOf(y), 3000);
    // a budget the parts do not fit either: the group stays folded
    const tight = { maxLayoutNodes: 60, maxLayoutEdges: 200 };
    const z = buildDiagram(result, 'communication', { text, ...tight });
    const zone = z.nodes.filter((n) => n.kind === 'group').sort((a, b) => b.members!.length - a.members!.length)[0];
    assert.match(zone.label, /× mixed-OS machines$/);
    const zx = buildDiagram(result, 'communication', { text, ...tight, expand: [zone.id] });
    assert.ok(zx.nodes.some((n) => n.id === zone.id), 'the zone group stays folded');
    assert.ok(zx.nodes.length <= 60 && zx.edges.length <= 200);
    assert.ok(zx.notes?.some((n) => n.startsWith(`Not shown machine by machine: ${zone.id} (`)), JSON.stringify(zx.notes));
  });

  it('many groups asked for: each looked at, within the budget, and the refused ones counted', () => {
    const m = buildDiagram(result, 'all', { text });
    const ids = m.nodes.filter((n) => n.kind === 'group').map((n) => n.id);
    const x = buildDiagram(result, 'all', { text, expand: [...ids, 'g/no-such-group'] });
    assert.ok(x.nodes.length <= DEFAULT_MAX_LAYOUT_NODES && x.edges.length <= DEFAULT_MAX_LAYOUT_EDGES, `${x.nodes.length} boxes, ${x.edges.length} arrows`);
    assert.equal(boxesOf(x), 3000);
    const refused = ids.filter((id) => x.nodes.some((n) => n.id === id)).length;
    assert.ok(refused > 0);
    const note = x.notes?.find((n) => n.startsWith('Not shown machine by machine'));
    assert.ok(note, JSON.stringify(x.notes));
    if (refused > 3) assert.match(note, new RegExp(` and ${refused - 3} more groups;`));
  });
});
