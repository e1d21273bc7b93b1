// Derives the connections the documentation requires (spec "What is derived"), and turns the
// `connections:` entries into stated flows. Every port, purpose and encryption class comes from facts.ts.
import {
  CATALOGUE_BY_ID,
  COMPONENT_BY_ID,
  DEFAULT_AGENT_PORT,
  ENCRYPTION_MATRIX,
  portFact,
  portLabel,
  sourcePortsFor,
  staticEncryption,
} from './facts';
import type { Role } from './facts';
import { agentPort, IMPLICIT_CLOUD, implicitMachine } from './model';
import type { EncryptionClass, EncryptionOption, Flow, Machine, PortSpec, Span, Topology } from './types';

export function hasRole(m: Machine | undefined, role: Role): boolean {
  if (!m) return false;
  for (const c of m.components) if (COMPONENT_BY_ID.get(c.value)?.roles.includes(role)) return true;
  return false;
}

export function machinesWithRole(t: Topology, role: Role): Machine[] {
  const out: Machine[] = [];
  for (const m of t.machines.values()) if (hasRole(m, role)) out.push(m);
  return out;
}

/** The management server machine, when `management.server` names a declared machine. */
export function managementServer(t: Topology): Machine | undefined {
  const name = t.management?.server?.value;
  return name === undefined ? undefined : t.machines.get(name);
}

export function effectiveEncryption(t: Topology, m: Machine | undefined, side: 'client' | 'server'): { value: EncryptionOption; span?: Span; where: 'machine' | 'management' | 'default' } {
  const own = m?.encryption[side];
  if (own) return { value: own.value, span: own.span, where: 'machine' };
  const global = t.management?.encryption[side];
  if (global) return { value: global.value, span: global.span, where: 'management' };
  return { value: 'enabled', where: 'default' };
}

const cloudNodes = new WeakMap<Topology, Machine>();

/** The machine carrying `acronis-cloud`, else the implicit `acronis-cloud` node (memoised per topology). */
export function cloudNode(t: Topology): Machine {
  let node = cloudNodes.get(t);
  if (!node) {
    node = machinesWithRole(t, 'acronis-cloud')[0] ?? implicitMachine(IMPLICIT_CLOUD, ['acronis-cloud']);
    cloudNodes.set(t, node);
  }
  return node;
}

/** Encryption class of a flow from its port facts and the file's settings. */
export function classifyEncryption(t: Topology, initiator: Machine | undefined, destination: Machine | undefined, port: PortSpec): { encryption: EncryptionClass; note: string } {
  const destPort = agentPort(t, destination, DEFAULT_AGENT_PORT);
  const fact = portFact(port, destPort);
  if (fact?.encryption === 'configurable') {
    const client = effectiveEncryption(t, initiator, 'client');
    const server = effectiveEncryption(t, destination, 'server');
    const verdict = ENCRYPTION_MATRIX[client.value][server.value];
    const pair = `client ${client.value} × server ${server.value}`;
    const note =
      verdict === 'encrypted' ? `Encrypted (${pair}). ${fact.note}`
        : verdict === 'unencrypted' ? `Not encrypted (${pair}).`
          : `No connection is possible (${pair}): a client with encryption disabled cannot reach a server that requires it, and a client that requires encryption cannot reach a server with encryption disabled.`;
    return { encryption: verdict, note };
  }
  if (fact?.encryption === 'depends') {
    const fse = destination?.fileSharingEncryption?.value;
    if (fse === true) return { encryption: 'encrypted', note: `SMB encryption is on (file-sharing-encryption: true). ${fact.note}` };
    if (fse === false) return { encryption: 'unencrypted', note: `SMB encryption is off (file-sharing-encryption: false). ${fact.note}` };
    return { encryption: 'depends', note: fact.note };
  }
  return { encryption: staticEncryption(fact), note: fact?.note ?? 'The documentation does not say whether this traffic is encrypted.' };
}

function makeFlow(
  t: Topology,
  catalogue: string,
  initiator: Machine,
  destination: Machine,
  port: PortSpec,
  origin: Span,
  extraSources: Span[] = [],
): Flow {
  const row = CATALOGUE_BY_ID.get(catalogue)!;
  const label = portLabel(port);
  const enc = classifyEncryption(t, initiator, destination, port);
  const sp = sourcePortsFor(initiator.os?.value, initiator.windowsVersion?.value);
  return {
    id: `${catalogue}:${initiator.name}>${destination.name}:${label}`,
    kind: 'derived',
    catalogue,
    purpose: row.purpose,
    initiator: initiator.name,
    destination: destination.name,
    port,
    portLabel: label,
    encryption: enc.encryption,
    encryptionNote: enc.note,
    sourcePorts: sp?.range,
    view: row.view,
    origin,
    sources: [initiator.keySpan, destination.keySpan, ...extraSources].filter((s) => s.end > s.start),
  };
}

/** Ports of a catalogue row with the agent port replaced by the destination's effective agent port. */
function rowPorts(t: Topology, catalogue: string, destination: Machine): PortSpec[] {
  const row = CATALOGUE_BY_ID.get(catalogue)!;
  return row.ports.map((p) =>
    p.proto === 'tcp' && p.from === DEFAULT_AGENT_PORT && p.to === DEFAULT_AGENT_PORT
      ? { proto: 'tcp', from: agentPort(t, destination, DEFAULT_AGENT_PORT), to: agentPort(t, destination, DEFAULT_AGENT_PORT) }
      : p,
  );
}

/**
 * All derived flows of a topology, deduplicated by (view, initiator, destination, port): the first
 * row that produces a connection names it (a registration RI-5 and the managing CC-1 arrow between
 * the same machines are both kept, one per view). Order is stable: installation rows, then component rows in
 * machine order.
 */
export function deriveFlows(t: Topology): Flow[] {
  const flows: Flow[] = [];
  const seen = new Set<string>();
  const add = (catalogue: string, i: Machine | undefined, d: Machine | undefined, origin: Span, extra: Span[] = []) => {
    if (!i || !d || i.name === d.name) return; // spec §3: no flows between a machine and itself
    for (const port of rowPorts(t, catalogue, d)) {
      const key = `${CATALOGUE_BY_ID.get(catalogue)!.view}|${i.name}>${d.name}:${portLabel(port)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      flows.push(makeFlow(t, catalogue, i, d, port, origin, extra));
    }
  };

  const server = managementServer(t);
  const consoles = machinesWithRole(t, 'console');
  const agents = machinesWithRole(t, 'agent');

  // Remote installation (RI-*).
  const inst = t.installation;
  if (inst) {
    const installer = inst.from ? t.machines.get(inst.from.value) : undefined;
    const extra = inst.from ? [inst.from.span] : [];
    if (server && t.product === '11.5' && inst.from) {
      for (const c of consoles) add('RI-1', c, server, inst.from.span);
    }
    for (const item of inst.to) {
      const target = t.machines.get(item.value);
      if (!target) continue;
      const os = target.os?.value;
      if (installer) {
        if (os === 'windows') {
          add(server ? 'RI-2' : 'RI-7', installer, target, item.span, extra);
          add(server ? 'RI-3' : 'RI-8', installer, target, item.span, extra);
        } else if (os === 'linux') {
          add(server ? 'RI-4' : 'RI-9', installer, target, item.span, extra);
        }
      }
      if (server && (os === 'windows' || os === 'linux')) add('RI-5', target, server, item.span);
    }
  }

  // Communication between components (CC-*). Origin: the key of the initiating machine.
  if (server) {
    for (const a of agents) {
      add('CC-1', server, a, server.keySpan);
      add('CC-1', a, server, a.keySpan);
    }
    for (const c of consoles) add('CC-2', c, server, c.keySpan);
  } else {
    for (const c of consoles) for (const a of agents) add('CC-3', c, a, c.keySpan);
  }
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
  let cloud: Machine | undefined;
  for (const m of t.machines.values()) {
    if (m.cloudBackup?.value !== true) continue;
    cloud ??= cloudNode(t);
    add('CC-9', m, cloud, m.keySpan, [m.cloudBackup.span]);
  }
  return flows;
}
