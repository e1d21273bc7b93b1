// Derives the connections the documentation requires (spec "What is derived"), and turns the
// `connections:` entries into stated flows. Every port, purpose and encryption class comes from facts.ts.
//
// Speed (10k machines → ~75k flows): everything per flow is looked up, not rebuilt — the machines of
// each role are listed once per derivation, catalogue rows are resolved once, encryption notes and
// source-port ranges come from tables built at load, and agent-port PortSpecs are shared per port.
import {
  CATALOGUE_BY_ID,
  COMPONENT_BY_ID,
  DEFAULT_AGENT_PORT,
  ENCRYPTION_MATRIX,
  PORT_FACTS,
  portFact,
  portLabel,
  sourcePortRange,
  staticEncryption,
} from './facts';
import type { CatalogueEntry, PortFact, Role } from './facts';
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

/** machinesWithRole for every role in one pass over the machines (same lists, same order). */
function machinesByRole(t: Topology): (role: Role) => Machine[] {
  const byRole = new Map<Role, Machine[]>();
  for (const m of t.machines.values()) {
    for (const c of m.components) {
      const roles = COMPONENT_BY_ID.get(c.value)?.roles;
      if (!roles) continue;
      for (const role of roles) {
        let list = byRole.get(role);
        if (!list) byRole.set(role, (list = []));
        if (list[list.length - 1] !== m) list.push(m); // two components with one role: listed once
      }
    }
  }
  return (role) => byRole.get(role) ?? [];
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

/** The effective options only (effectiveEncryption without the object: called per flow). */
function clientOption(t: Topology, m: Machine | undefined): EncryptionOption {
  return m?.encryption.client?.value ?? t.management?.encryption.client?.value ?? 'enabled';
}
function serverOption(t: Topology, m: Machine | undefined): EncryptionOption {
  return m?.encryption.server?.value ?? t.management?.encryption.server?.value ?? 'enabled';
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

/** The agent port's note for a client × server pair of options. */
function agentPortNote(fact: PortFact, client: EncryptionOption, server: EncryptionOption): string {
  const verdict = ENCRYPTION_MATRIX[client][server];
  const pair = `client ${client} × server ${server}`;
  return verdict === 'encrypted' ? `Encrypted (${pair}). ${fact.note}`
    : verdict === 'unencrypted' ? `Not encrypted (${pair}).`
      : `No connection is possible (${pair}): a client with encryption disabled cannot reach a server that requires it, and a client that requires encryption cannot reach a server with encryption disabled.`;
}

/** The same nine notes serve every flow on the agent port: built once, not per flow. */
const AGENT_FACT = PORT_FACTS.find((f) => f.encryption === 'configurable');
const AGENT_PORT_NOTES = new Map<string, Map<string, string>>(
  Object.keys(ENCRYPTION_MATRIX).map((client) => [client, new Map(Object.keys(ENCRYPTION_MATRIX[client]).map((server) => [server, agentPortNote(AGENT_FACT!, client as EncryptionOption, server as EncryptionOption)]))]),
);

/** Encryption class of a flow from its port facts and the file's settings. */
export function classifyEncryption(t: Topology, initiator: Machine | undefined, destination: Machine | undefined, port: PortSpec): { encryption: EncryptionClass; note: string } {
  const destPort = agentPort(t, destination, DEFAULT_AGENT_PORT);
  const fact = portFact(port, destPort);
  if (fact?.encryption === 'configurable') {
    const client = clientOption(t, initiator);
    const server = serverOption(t, destination);
    const note = (fact === AGENT_FACT ? AGENT_PORT_NOTES.get(client)?.get(server) : undefined) ?? agentPortNote(fact, client, server);
    return { encryption: ENCRYPTION_MATRIX[client][server], note };
  }
  if (fact?.encryption === 'depends') {
    const fse = destination?.fileSharingEncryption?.value;
    if (fse === true) return { encryption: 'encrypted', note: `SMB encryption is on (file-sharing-encryption: true). ${fact.note}` };
    if (fse === false) return { encryption: 'unencrypted', note: `SMB encryption is off (file-sharing-encryption: false). ${fact.note}` };
    return { encryption: 'depends', note: fact.note };
  }
  return { encryption: staticEncryption(fact), note: fact?.note ?? 'The documentation does not say whether this traffic is encrypted.' };
}

/** The non-empty spans of a flow's sources, as an exact-size array (one is kept per flow). */
function spans(a: Span, b: Span, c: Span | undefined): Span[] {
  const ua = a.end > a.start;
  const ub = b.end > b.start;
  if (c && c.end > c.start) return ua && ub ? [a, b, c] : ua ? [a, c] : ub ? [b, c] : [c];
  return ua && ub ? [a, b] : ua ? [a] : ub ? [b] : [];
}

/**
 * The ports of one catalogue row towards one destination: the row's ports with the agent port replaced
 * by the destination's effective agent port. PortSpecs and labels are shared per port number, and each
 * port carries the dedup sets of its label (shared by every row: one set per label and view).
 */
class RowPorts {
  private readonly byAgentPort = new Map<number, { port: PortSpec; label: string; seen: [Set<number>, Set<number>] }[]>();
  constructor(readonly row: CatalogueEntry, private readonly seenFor: (label: string) => [Set<number>, Set<number>]) {}

  for(agentPortOfDestination: number): { port: PortSpec; label: string; seen: [Set<number>, Set<number>] }[] {
    let list = this.byAgentPort.get(agentPortOfDestination);
    if (!list) {
      list = this.row.ports.map((p) => {
        const port: PortSpec = p.proto === 'tcp' && p.from === DEFAULT_AGENT_PORT && p.to === DEFAULT_AGENT_PORT
          ? { proto: 'tcp', from: agentPortOfDestination, to: agentPortOfDestination }
          : p;
        const label = portLabel(port);
        return { port, label, seen: this.seenFor(label) };
      });
      this.byAgentPort.set(agentPortOfDestination, list);
    }
    return list;
  }
}

/**
 * All derived flows of a topology, deduplicated by (view, initiator, destination, port): the first
 * row that produces a connection names it (a registration RI-5 and the managing CC-1 arrow between
 * the same machines are both kept, one per view). Order is stable: installation rows, then component rows in
 * machine order.
 */
export function deriveFlows(t: Topology): Flow[] {
  const flows: Flow[] = [];
  // Dedup by (view, port label, initiator, destination) without a string per flow: endpoints are
  // numbered by name (two machine objects with one name — a declared `acronis-cloud` and the implicit
  // one — are one endpoint, as with a name-based key), and each (label, view) has a set of
  // initiator × destination numbers. There are at most machines + 1 names (the implicit
  // acronis-cloud), so `pair` is exact and, up to ~32k machines, a small integer.
  const idByName = new Map<string, number>();
  const idByMachine = new Map<Machine, number>();
  const names = t.machines.size + 2;
  const lookUpId = (m: Machine) => {
    let id = idByMachine.get(m);
    if (id === undefined) {
      id = idByName.get(m.name);
      if (id === undefined) idByName.set(m.name, (id = idByName.size));
      idByMachine.set(m, id);
    }
    return id;
  };
  // The declared machines' numbers by their `index`, so the per-flow lookup is an array read.
  const machineAt: Machine[] = [];
  const idAt: number[] = [];
  for (const m of t.machines.values()) {
    const id = lookUpId(m);
    if (Number.isInteger(m.index) && m.index >= 0 && m.index < t.machines.size && machineAt[m.index] === undefined) {
      machineAt[m.index] = m;
      idAt[m.index] = id;
    }
  }
  const nameId = (m: Machine) => (m.index >= 0 && machineAt[m.index] === m ? idAt[m.index] : lookUpId(m));

  const seenByLabel = new Map<string, [Set<number>, Set<number>]>(); // label -> [installation, communication]
  const seenFor = (label: string) => {
    let byView = seenByLabel.get(label);
    if (!byView) seenByLabel.set(label, (byView = [new Set(), new Set()]));
    return byView;
  };
  const rows = new Map<string, RowPorts>();
  const row = (catalogue: string) => {
    let rp = rows.get(catalogue);
    if (!rp) rows.set(catalogue, (rp = new RowPorts(CATALOGUE_BY_ID.get(catalogue)!, seenFor)));
    return rp;
  };
  const add = (rp: RowPorts, i: Machine | undefined, d: Machine | undefined, origin: Span, extra?: Span) => {
    if (!i || !d) return;
    const ii = nameId(i);
    const di = nameId(d);
    if (ii === di) return; // spec §3: no flows between a machine and itself (same number = same name)
    const pair = ii * names + di;
    const r = rp.row;
    const view = r.view === 'installation' ? 0 : 1;
    const ports = rp.for(agentPort(t, d, DEFAULT_AGENT_PORT));
    for (let k = 0; k < ports.length; k++) {
      const { port, label, seen } = ports[k];
      const before = seen[view].size;
      seen[view].add(pair);
      if (seen[view].size === before) continue; // already derived (by an earlier row)
      const enc = classifyEncryption(t, i, d, port);
      flows.push({
        id: `${r.id}:${i.name}>${d.name}:${label}`,
        kind: 'derived',
        catalogue: r.id,
        purpose: r.purpose,
        initiator: i.name,
        destination: d.name,
        port,
        portLabel: label,
        encryption: enc.encryption,
        encryptionNote: enc.note,
        sourcePorts: sourcePortRange(i.os?.value, i.windowsVersion?.value),
        view: r.view,
        origin,
        sources: spans(i.keySpan, d.keySpan, extra),
      });
    }
  };

  const withRole = machinesByRole(t);
  const server = managementServer(t);
  const consoles = withRole('console');
  const agents = withRole('agent');

  // Remote installation (RI-*).
  const inst = t.installation;
  if (inst) {
    const installer = inst.from ? t.machines.get(inst.from.value) : undefined;
    const extra = inst.from?.span;
    if (server && t.product === '11.5' && inst.from) {
      for (const c of consoles) add(row('RI-1'), c, server, inst.from.span);
    }
    for (const item of inst.to) {
      const target = t.machines.get(item.value);
      if (!target) continue;
      const os = target.os?.value;
      if (installer) {
        if (os === 'windows') {
          add(row(server ? 'RI-2' : 'RI-7'), installer, target, item.span, extra);
          add(row(server ? 'RI-3' : 'RI-8'), installer, target, item.span, extra);
        } else if (os === 'linux') {
          add(row(server ? 'RI-4' : 'RI-9'), installer, target, item.span, extra);
        }
      }
      if (server && (os === 'windows' || os === 'linux')) add(row('RI-5'), target, server, item.span);
    }
  }

  // Communication between components (CC-*). Origin: the key of the initiating machine.
  // (Indexed loops over the agents: they run once per check, mostly before the JIT optimises them,
  // and an unoptimised for-of allocates an iterator result per agent.)
  if (server) {
    const cc1 = row('CC-1');
    for (let k = 0; k < agents.length; k++) {
      add(cc1, server, agents[k], server.keySpan);
      add(cc1, agents[k], server, agents[k].keySpan);
    }
    for (const c of consoles) add(row('CC-2'), c, server, c.keySpan);
  } else {
    const cc3 = row('CC-3');
    for (const c of consoles) for (let k = 0; k < agents.length; k++) add(cc3, c, agents[k], c.keySpan);
  }
  for (const n of withRole('storage-node')) {
    if (server) add(row('CC-4'), server, n, server.keySpan);
    const cc5 = row('CC-5');
    for (let k = 0; k < agents.length; k++) add(cc5, agents[k], n, agents[k].keySpan);
  }
  for (const l of withRole('license-server')) {
    if (server) add(row('CC-13'), server, l, server.keySpan);
    for (const c of consoles) add(row('CC-14'), c, l, c.keySpan);
    const cc15 = row('CC-15');
    for (let k = 0; k < agents.length; k++) add(cc15, agents[k], l, agents[k].keySpan);
  }
  const vsphere = withRole('vsphere');
  for (const v of withRole('vmware-agent')) for (const h of vsphere) add(row('CC-8'), v, h, v.keySpan);
  let cloud: Machine | undefined;
  for (const m of t.machines.values()) {
    if (m.cloudBackup?.value !== true) continue;
    cloud ??= cloudNode(t);
    add(row('CC-9'), m, cloud, m.keySpan, m.cloudBackup.span);
  }
  return flows;
}
