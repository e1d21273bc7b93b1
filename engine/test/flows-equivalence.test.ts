// deriveFlows, classifyStated and evaluateFirewalls were rewritten for speed (numbered dedup keys,
// shared port specs and notes, an index of only the flows a stated connection can match, nested zone
// maps). This property test keeps the straightforward versions they replaced as references and checks,
// on random topologies (odd names included), that the results are identical, order included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CATALOGUE_BY_ID, DEFAULT_AGENT_PORT, ENCRYPTION_MATRIX, PORT_FACTS, portCovers, portLabel, samePort, SOURCE_PORTS, staticEncryption } from '../src/facts';
import type { PortFact } from '../src/facts';
import { evaluateFirewalls } from '../src/firewall';
import { cloudNode, deriveFlows, effectiveEncryption, machinesWithRole, managementServer } from '../src/flows';
import { agentPort, buildTopology } from '../src/model';
import { classifyStated, endpoint } from '../src/stated';
import type { Flow, Machine, PortSpec, Span, Topology } from '../src/types';
import { AstReader, parseYaml } from '../src/yaml-ast';

// ----- the reference implementations (as they were before the rewrite) -----

function refPortFact(p: PortSpec, ap: number): PortFact | undefined {
  if (p.proto === 'tcp' && p.from === ap && p.to === ap) return PORT_FACTS.find((f) => f.encryption === 'configurable');
  return PORT_FACTS.find((f) => samePort(f.port, p) && f.encryption !== 'configurable');
}

function refClassify(t: Topology, i: Machine | undefined, d: Machine | undefined, port: PortSpec) {
  const fact = refPortFact(port, agentPort(t, d, DEFAULT_AGENT_PORT));
  if (fact?.encryption === 'configurable') {
    const client = effectiveEncryption(t, i, 'client');
    const server = effectiveEncryption(t, d, 'server');
    const verdict = ENCRYPTION_MATRIX[client.value][server.value];
    const pair = `client ${client.value} × server ${server.value}`;
    const note = verdict === 'encrypted' ? `Encrypted (${pair}). ${fact.note}`
      : verdict === 'unencrypted' ? `Not encrypted (${pair}).`
        : `No connection is possible (${pair}): a client with encryption disabled cannot reach a server that requires it, and a client that requires encryption cannot reach a server with encryption disabled.`;
    return { encryption: verdict, note };
  }
  if (fact?.encryption === 'depends') {
    const fse = d?.fileSharingEncryption?.value;
    if (fse === true) return { encryption: 'encrypted' as const, note: `SMB encryption is on (file-sharing-encryption: true). ${fact.note}` };
    if (fse === false) return { encryption: 'unencrypted' as const, note: `SMB encryption is off (file-sharing-encryption: false). ${fact.note}` };
    return { encryption: 'depends' as const, note: fact.note };
  }
  return { encryption: staticEncryption(fact), note: fact?.note ?? 'The documentation does not say whether this traffic is encrypted.' };
}

function refSourcePorts(m: Machine) {
  const os = m.os?.value;
  const key = os === 'windows' ? (m.windowsVersion?.value === 'pre-vista' ? 'pre-vista' : 'vista-or-later') : os === 'linux' || os === 'virtual-appliance' ? 'linux' : undefined;
  return key ? SOURCE_PORTS.find((s) => s.key === key)!.range : undefined;
}

function refDerive(t: Topology): Flow[] {
  const flows: Flow[] = [];
  const seen = new Set<string>();
  const add = (catalogue: string, i: Machine | undefined, d: Machine | undefined, origin: Span) => {
    if (!i || !d || i.name === d.name) return;
    const row = CATALOGUE_BY_ID.get(catalogue)!;
    const ap = agentPort(t, d, DEFAULT_AGENT_PORT);
    for (const p of row.ports) {
      const port: PortSpec = p.proto === 'tcp' && p.from === DEFAULT_AGENT_PORT && p.to === DEFAULT_AGENT_PORT ? { proto: 'tcp', from: ap, to: ap } : p;
      const label = portLabel(port);
      const key = `${row.view}|${i.name}>${d.name}:${label}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const enc = refClassify(t, i, d, port);
      flows.push({
        id: `${catalogue}:${i.name}>${d.name}:${label}`, kind: 'derived', catalogue, purpose: row.purpose, initiator: i.name, destination: d.name, port, portLabel: label,
        encryption: enc.encryption, encryptionNote: enc.note, sourcePorts: refSourcePorts(i), view: row.view, origin,
      });
    }
  };
  const server = managementServer(t);
  const consoles = machinesWithRole(t, 'console');
  const agents = machinesWithRole(t, 'agent');
  const inst = t.installation;
  if (inst) {
    const installer = inst.from ? t.machines.get(inst.from.value) : undefined;
    if (server && t.product === '11.5' && inst.from) for (const c of consoles) add('RI-1', c, server, inst.from.span);
    for (const item of inst.to) {
      const target = t.machines.get(item.value);
      if (!target) continue;
      const os = target.os?.value;
      if (installer) {
        if (os === 'windows') {
          add(server ? 'RI-2' : 'RI-7', installer, target, item.span);
          add(server ? 'RI-3' : 'RI-8', installer, target, item.span);
        } else if (os === 'linux') add(server ? 'RI-4' : 'RI-9', installer, target, item.span);
      }
      if (server && (os === 'windows' || os === 'linux')) add('RI-5', target, server, item.span);
    }
  }
  if (server) {
    for (const a of agents) { add('CC-1', server, a, server.keySpan); add('CC-1', a, server, a.keySpan); }
    for (const c of consoles) add('CC-2', c, server, c.keySpan);
  } else for (const c of consoles) for (const a of agents) add('CC-3', c, a, c.keySpan);
  for (const n of machinesWithRole(t, 'storage-node')) {
    if (server) add('CC-4', server, n, server.keySpan);
    for (const a of agents) add('CC-5', a, n, a.keySpan);
  }
  for (const l of machinesWithRole(t, 'license-server')) {
    if (server) add('CC-13', server, l, server.keySpan);
    for (const c of consoles) add('CC-14', c, l, c.keySpan);
    for (const a of agents) add('CC-15', a, l, a.keySpan);
  }
  const vsphere = machinesWithRole(t, 'vsphere');
  for (const v of machinesWithRole(t, 'vmware-agent')) for (const h of vsphere) add('CC-8', v, h, v.keySpan);
  for (const m of t.machines.values()) if (m.cloudBackup?.value === true) add('CC-9', m, cloudNode(t), m.keySpan);
  return flows;
}

/** The stated verdicts' kinds and matched flows, found with an index of every derived flow. */
function refStated(t: Topology, derived: Flow[]) {
  const byTriple = new Map<string, Flow[]>();
  for (const f of derived) {
    const k = `${f.initiator}>${f.destination}:${f.portLabel}`;
    byTriple.set(k, [...(byTriple.get(k) ?? []), f]);
  }
  const out: unknown[] = [];
  const originOf = new Map<string, Span>();
  for (const c of t.connections) {
    if (!c.from || !c.to || !c.portSpec) continue;
    const i = endpoint(t, c.from.value);
    const d = endpoint(t, c.to.value);
    if (!i || !d) continue;
    const label = portLabel(c.portSpec);
    const same = byTriple.get(`${i.name}>${d.name}:${label}`);
    if (same) {
      out.push({ index: c.index, kind: 'identical', ids: [same[0].id] });
      for (const f of same) if (!originOf.has(f.id)) originOf.set(f.id, c.span);
      continue;
    }
    const rev = byTriple.get(`${d.name}>${i.name}:${label}`)?.[0];
    if (rev) { out.push({ index: c.index, kind: 'reversed', ids: [rev.id] }); continue; }
    out.push({ index: c.index, kind: 'other' });
  }
  return { kinds: out, originOf: [...originOf] };
}

/** Firewall verdicts by scanning every firewall and every allow entry. */
function refFirewalls(t: Topology, flows: Flow[]) {
  const zoneOf = (n: string) => (t.machines.get(n) ?? (n === 'acronis-cloud' ? cloudNode(t) : undefined))?.zone;
  const out: unknown[] = [];
  for (const f of flows) {
    const zi = zoneOf(f.initiator);
    const zd = zoneOf(f.destination);
    if (!zi || !zd || zi === zd) continue;
    const fws = t.firewalls.filter((fw) => fw.between.some((z) => z.value === zi) && fw.between.some((z) => z.value === zd));
    if (!fws.length) continue;
    const v = { id: f.id, blocked: [] as unknown[], passed: [] as unknown[] };
    for (const fw of fws) {
      const candidates = [...fw.allow.filter((a) => a.from?.value === f.initiator), ...(zi !== f.initiator ? fw.allow.filter((a) => a.from?.value === zi) : [])];
      let pass; let near;
      for (const a of candidates) {
        const to = a.to?.value;
        if (to !== f.destination && to !== zd) continue;
        if (!a.portSpec || !portCovers(a.portSpec, f.port)) continue;
        if (a.sourcePortRange && f.sourcePorts && (a.sourcePortRange.from > f.sourcePorts.from || a.sourcePortRange.to < f.sourcePorts.to)) { near ??= a; continue; }
        pass = a; break;
      }
      if (pass) v.passed.push([fw.index, pass.index]);
      else v.blocked.push([fw.index, near?.index]);
    }
    out.push(v);
  }
  return out;
}

// ----- random topologies -----

const NAMES = ['ams01', 'AMS01', 'win1', 'lin1', 'a>b', 'a', 'b>c', 'b', 'c', 'acronis-cloud', 'internet', 'hq', 'x.y'];
const COMPONENTS = ['management-server', 'management-console', 'agent-for-windows', 'agent-for-linux', 'agent-for-vmware', 'storage-node', 'license-server', 'vcenter', 'esxi', 'acronis-cloud', 'network-share'];
const ZONES = ['hq', 'dmz', 'site', 'internet', 'a', 'ams01'];
const PORTS = ['tcp/9876', 'tcp/9877', 'tcp/445', 'tcp/443', 'tcp/22', 'tcp/25001', 'tcp/1-65535', 'tcp/9000-9999', 'udp/7', 'icmp', 'tcp/80'];
const q = (s: string) => JSON.stringify(s);
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const machine = fc.record({
  name: fc.constantFrom(...NAMES),
  os: opt(fc.constantFrom('windows', 'linux', 'virtual-appliance', 'other')),
  wv: opt(fc.constantFrom('pre-vista', 'vista-or-later')),
  components: fc.oneof(fc.constant(['agent-for-windows']), fc.constant(['management-server']), fc.subarray(COMPONENTS, { maxLength: 3 })),
  port: opt(fc.constantFrom(9876, 9877, 443, 445)),
  client: opt(fc.constantFrom('enabled', 'disabled', 'required')),
  server: opt(fc.constantFrom('enabled', 'disabled', 'required')),
  fse: opt(fc.boolean()),
  cloud: opt(fc.boolean()),
  address: opt(fc.constantFrom('10.0.0.5', '10.0.1.5', '192.168.1.1', '10.0.0.300')),
  subnet: opt(fc.constantFrom(...ZONES)),
});
const topology = fc.record({
  product: fc.constantFrom('11.5', '11.7'),
  machines: fc.array(machine, { minLength: 2, maxLength: 9 }),
  fixed: fc.boolean(), // a management server ams01 and an agent win1 in another subnet, first under machines:
  server: fc.oneof({ arbitrary: fc.constant('ams01'), weight: 3 }, { arbitrary: opt(fc.constantFrom(...NAMES)), weight: 1 }),
  mport: opt(fc.constantFrom(9876, 9877, 443)),
  mclient: opt(fc.constantFrom('enabled', 'disabled', 'required')),
  from: opt(fc.constantFrom(...NAMES)),
  to: fc.subarray(NAMES, { maxLength: 5 }),
  firewalls: fc.array(fc.record({
    between: fc.subarray(ZONES, { minLength: 2, maxLength: 3 }),
    // biased towards the fixed machines and their zones, so that machine and zone entries compete
    allow: fc.array(fc.record({
      from: fc.oneof(fc.constantFrom('hq', 'dmz', 'ams01', 'win1'), fc.constantFrom(...ZONES, ...NAMES)),
      to: fc.oneof(fc.constantFrom('hq', 'dmz', 'ams01', 'win1'), fc.constantFrom(...ZONES, ...NAMES)),
      port: fc.oneof(fc.constantFrom('tcp/9876', 'tcp/1-65535'), fc.constantFrom(...PORTS)),
      sp: opt(fc.constantFrom('1024-65535', '49152-65535', '32768-61000', '1025-5000')),
    }), { maxLength: 6 }),
  }), { maxLength: 3 }),
  // biased towards the agent port between the names most machines get, so that connections match flows
  connections: fc.array(fc.record({
    from: fc.constantFrom('ams01', 'win1', 'a', 'a>b', 'b', 'acronis-cloud', 'internet'),
    to: fc.constantFrom('ams01', 'win1', 'b>c', 'b', 'c', 'acronis-cloud'),
    port: fc.oneof({ arbitrary: fc.constant('tcp/9876'), weight: 4 }, { arbitrary: fc.constantFrom(...PORTS), weight: 2 }),
  }), { maxLength: 8 }),
});

function toYaml(x: typeof topology extends fc.Arbitrary<infer T> ? T : never): string {
  const lines = ['acrotopo: 1', `product: ${q(x.product)}`, 'network:', '  subnets:', '    hq: 10.0.0.0/24', '    dmz: 10.0.1.0/24', '    site: 10.0.0.0/16', '  firewalls:'];
  for (const fw of x.firewalls) {
    lines.push(`    - between: [${fw.between.map(q).join(', ')}]`, '      allow:');
    for (const a of fw.allow) lines.push(`        - { from: ${q(a.from)}, to: ${q(a.to)}, port: ${a.port}${a.sp ? `, source-ports: ${q(a.sp)}` : ''} }`);
    if (!fw.allow.length) lines.push('        []');
  }
  if (!x.firewalls.length) lines.push('    []');
  lines.push('machines:');
  if (x.fixed) lines.push('  ams01: { components: [management-server], os: windows, address: 10.0.0.10 }', '  win1: { components: [agent-for-windows], os: windows, address: 10.0.1.5 }');
  x.machines.forEach((m, i) => {
    const props = [`components: [${m.components.join(', ')}]`];
    if (m.os) props.push(`os: ${m.os}`);
    if (m.wv) props.push(`windows-version: ${m.wv}`);
    if (m.port) props.push(`port: ${m.port}`);
    if (m.client || m.server) props.push(`encryption: { ${[m.client && `client: ${m.client}`, m.server && `server: ${m.server}`].filter(Boolean).join(', ')} }`);
    if (m.fse !== undefined) props.push(`file-sharing-encryption: ${m.fse}`);
    if (m.cloud !== undefined) props.push(`cloud-backup: ${m.cloud}`);
    if (m.address) props.push(`address: ${m.address}`);
    if (m.subnet) props.push(`subnet: ${m.subnet}`);
    lines.push(`  ${q(i < NAMES.length ? m.name : m.name + i)}: { ${props.join(', ')} }`);
  });
  const mg = [x.server && `server: ${q(x.server)}`, x.mport && `port: ${x.mport}`, x.mclient && `encryption: { client: ${x.mclient} }`].filter(Boolean);
  if (mg.length) lines.push(`management: { ${mg.join(', ')} }`);
  if (x.from || x.to.length) lines.push(`installation: { ${[x.from && `from: ${q(x.from)}`, `to: [${x.to.map(q).join(', ')}]`].filter(Boolean).join(', ')} }`);
  lines.push('connections:', ...x.connections.map((c) => `  - { from: ${q(c.from)}, to: ${q(c.to)}, port: ${c.port} }`));
  if (!x.connections.length) lines.push('  []');
  return lines.join('\n') + '\n';
}

test('deriveFlows, classifyStated and evaluateFirewalls agree with the straightforward references', () => {
  const seen = { flows: 0, identical: 0, reversed: 0, crossing: 0, blocked: 0 };
  fc.assert(fc.property(topology, (x) => {
    const text = toYaml(x);
    const topo = () => buildTopology(new AstReader(parseYaml(text).doc));
    const t = topo();
    const derived = deriveFlows(t);
    seen.flows += derived.length;
    assert.equal(JSON.stringify(derived), JSON.stringify(refDerive(topo())), text);
    // with `keep` (the delta check's sub-runs): the flows a filter afterwards keeps, in their order
    const names = [...t.machines.keys()];
    const chosen = new Set(names.filter((_, i) => (i + x.machines.length) % 3 === 0));
    const keep = (a: string, b: string) => chosen.has(a) || (chosen.has(b) && a < b);
    assert.equal(JSON.stringify(deriveFlows(topo(), keep)), JSON.stringify(derived.filter((f) => keep(f.initiator, f.destination))), text);
    const stated = classifyStated(t, derived);
    const kinds = stated.verdicts.map((v) => ({ index: v.connection.index, kind: v.kind === 'identical' || v.kind === 'reversed' ? v.kind : 'other', ...(v.kind === 'identical' || v.kind === 'reversed' ? { ids: [v.derived!.id] } : {}) }));
    const ref = refStated(t, derived);
    assert.deepEqual(kinds, ref.kinds, text);
    assert.deepEqual([...stated.originOf], ref.originOf, text);
    for (const k of kinds) if (k.kind === 'identical' || k.kind === 'reversed') seen[k.kind]++;
    const flows = [...derived, ...stated.verdicts.filter((v) => v.kind !== 'identical').map((v) => v.flow)];
    const fw = evaluateFirewalls(t, flows);
    const got = [...fw.verdicts].map(([id, v]) => ({ id, blocked: v.blockedBy.map((b) => [b.firewall.index, b.nearMiss?.index]), passed: v.passedBy.map((p) => [p.firewall.index, p.entry.index]) }));
    const refFw = refFirewalls(t, flows);
    assert.deepEqual(got, refFw, text);
    // verdictOf answers by flow object: the reference verdict of every flow, even where ids collide
    const byFlow = flows.flatMap((f) => {
      const v = fw.verdictOf(f);
      return v ? [{ id: f.id, blocked: v.blockedBy.map((b) => [b.firewall.index, b.nearMiss?.index]), passed: v.passedBy.map((p) => [p.firewall.index, p.entry.index]) }] : [];
    });
    assert.deepEqual(byFlow, refFw, text);
    // and, for a flow whose id no other flow has, the very object `verdicts` holds for it
    const idCount = new Map<string, number>();
    for (const f of flows) idCount.set(f.id, (idCount.get(f.id) ?? 0) + 1);
    for (const f of flows) if (idCount.get(f.id) === 1) assert.equal(fw.verdictOf(f), fw.verdicts.get(f.id), `${f.id} ${text}`);
    seen.crossing += got.length;
    seen.blocked += got.filter((v) => v.blocked.length).length;
  }), { numRuns: 600 });
  // the generator must reach every branch compared above
  for (const [what, n] of Object.entries(seen)) assert.ok(n >= 5, `only ${n} ${what} (${JSON.stringify(seen)})`);
});
