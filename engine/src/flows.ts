// Derives the connections the documentation requires (spec "What is derived"), and turns the
// `connections:` entries into stated flows. Every port, purpose and encryption class comes from facts.ts.
//
// Speed (10k machines → ~75k flows): everything per flow is looked up, not rebuilt — the machines of
// each role and each machine's settings are read once per derivation, catalogue rows and their port
// facts are resolved once, encryption notes and source-port ranges come from tables built at load,
// agent-port PortSpecs are shared per port, dedup sets are typed arrays, and ids are joined from kept
// pieces. What is kept per flow is the flow (GC time follows it: ~75k flows live until the check ends).
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
import type { EncryptionClass, EncryptionOption, Flow, Machine, PortRange, PortSpec, Span, Topology, View } from './types';

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
  return cloudNodeOf(t, () => machinesWithRole(t, 'acronis-cloud'));
}

/** cloudNode, given the machines with the role when it is not memoised yet (deriveFlows has them listed). */
function cloudNodeOf(t: Topology, withCloudRole: () => Machine[]): Machine {
  let node = cloudNodes.get(t);
  if (!node) {
    node = withCloudRole()[0] ?? implicitMachine(IMPLICIT_CLOUD, ['acronis-cloud']);
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

const NOT_DOCUMENTED = 'The documentation does not say whether this traffic is encrypted.';

/** The note of a port whose encryption the settings decide (the agent port's nine are built once). */
function configurableNote(fact: PortFact, client: EncryptionOption, server: EncryptionOption): string {
  return (fact === AGENT_FACT ? AGENT_PORT_NOTES.get(client)?.get(server) : undefined) ?? agentPortNote(fact, client, server);
}

/** Encryption class of a flow from its port facts and the file's settings. */
export function classifyEncryption(t: Topology, initiator: Machine | undefined, destination: Machine | undefined, port: PortSpec): { encryption: EncryptionClass; note: string } {
  const destPort = agentPort(t, destination, DEFAULT_AGENT_PORT);
  const fact = portFact(port, destPort);
  if (fact?.encryption === 'configurable') {
    const client = clientOption(t, initiator);
    const server = serverOption(t, destination);
    return { encryption: ENCRYPTION_MATRIX[client][server], note: configurableNote(fact, client, server) };
  }
  if (fact?.encryption === 'depends') return smbEncryption(fact, destination);
  return { encryption: staticEncryption(fact), note: fact?.note ?? NOT_DOCUMENTED };
}

/** The SMB port's class: from the destination's file-sharing-encryption. */
function smbEncryption(fact: PortFact, destination: Machine | undefined): { encryption: EncryptionClass; note: string } {
  const fse = destination?.fileSharingEncryption?.value;
  if (fse === true) return { encryption: 'encrypted', note: `SMB encryption is on (file-sharing-encryption: true). ${fact.note}` };
  if (fse === false) return { encryption: 'unencrypted', note: `SMB encryption is off (file-sharing-encryption: false). ${fact.note}` };
  return { encryption: 'depends', note: fact.note };
}

/**
 * A set of (initiator, destination) number pairs, open addressing in two typed arrays: one per port
 * label and view, ~75k adds at 10k machines, where a Set of numbers rehashes and allocates as it grows.
 */
class PairSet {
  private first = new Int32Array(64); // initiator number + 1; 0 = empty slot
  private second = new Int32Array(64);
  private count = 0;

  /** Adds the pair; false when it was there already. */
  add(a: number, b: number): boolean {
    let mask = this.first.length - 1;
    let slot = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca77)) & mask;
    for (;;) {
      const at = this.first[slot];
      if (at === 0) break;
      if (at === a + 1 && this.second[slot] === b) return false;
      slot = (slot + 1) & mask;
    }
    if (2 * (this.count + 1) > this.first.length) {
      this.grow();
      mask = this.first.length - 1;
      slot = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca77)) & mask;
      while (this.first[slot] !== 0) slot = (slot + 1) & mask;
    }
    this.first[slot] = a + 1;
    this.second[slot] = b;
    this.count++;
    return true;
  }

  private grow(): void {
    const first = this.first;
    const second = this.second;
    this.first = new Int32Array(first.length * 2);
    this.second = new Int32Array(first.length * 2);
    const mask = this.first.length - 1;
    for (let k = 0; k < first.length; k++) {
      if (first[k] === 0) continue;
      let slot = (Math.imul(first[k] - 1, 0x9e3779b1) ^ Math.imul(second[k] + 1, 0x85ebca77)) & mask;
      while (this.first[slot] !== 0) slot = (slot + 1) & mask;
      this.first[slot] = first[k];
      this.second[slot] = second[k];
    }
  }
}

/**
 * One port of a catalogue row towards destinations with one agent port: the PortSpec and label (shared
 * per port number), the dedup sets of its label (shared by every row: one per label and view), the port
 * fact that classifyEncryption would look up for it (it depends on the port and the destination's agent
 * port only), and the tail of the flow ids.
 */
interface RowPort {
  port: PortSpec;
  label: string;
  seen: [PairSet, PairSet];
  fact: PortFact | undefined;
}

/**
 * A derived flow. Its id, `${catalogue}:${initiator}>${destination}:${portLabel}`, is made when read (a
 * getter; not kept: copies of a flow made by reuse.ts's mapDeep, with the prototype and own fields, read
 * it as well): at 10,000 machines there are ~74,000 flows and few ids are read (the reported flows, the
 * drawn ones, the stated connections'); made with each flow they were ~4.7 MB of the live heap (two
 * concatenations each) and as many allocations per check. JSON gives the fields with the id first, as
 * the object literal had them.
 */
class DerivedFlow implements Flow {
  readonly kind: 'derived';
  readonly catalogue: string;
  readonly purpose: string;
  readonly initiator: string;
  readonly destination: string;
  readonly port: PortSpec;
  readonly portLabel: string;
  readonly encryption: EncryptionClass;
  readonly encryptionNote: string;
  readonly sourcePorts: PortRange | undefined;
  readonly view: View;
  readonly origin: Span;
  constructor(catalogue: string, purpose: string, initiator: string, destination: string, port: PortSpec, portLabel: string, encryption: EncryptionClass, encryptionNote: string, sourcePorts: PortRange | undefined, view: View, origin: Span) {
    this.kind = 'derived';
    this.catalogue = catalogue;
    this.purpose = purpose;
    this.initiator = initiator;
    this.destination = destination;
    this.port = port;
    this.portLabel = portLabel;
    this.encryption = encryption;
    this.encryptionNote = encryptionNote;
    this.sourcePorts = sourcePorts;
    this.view = view;
    this.origin = origin;
  }

  get id(): string {
    return `${this.catalogue}:${this.initiator}>${this.destination}:${this.portLabel}`;
  }

  toJSON(): Flow {
    // (the own fields, after the id: spread copies no getter)
    return Object.assign({ id: this.id }, this);
  }
}

/**
 * The ports of one catalogue row towards one destination: the row's ports with the agent port replaced
 * by the destination's effective agent port.
 */
class RowPorts {
  private readonly byAgentPort = new Map<number, RowPort[]>();
  private lastAgentPort = NaN;
  private lastList: RowPort[] = [];
  constructor(readonly row: CatalogueEntry, private readonly seenFor: (label: string) => [PairSet, PairSet]) {}

  for(agentPortOfDestination: number): RowPort[] {
    if (agentPortOfDestination === this.lastAgentPort) return this.lastList; // runs of one destination port
    let list = this.byAgentPort.get(agentPortOfDestination);
    if (!list) {
      list = this.row.ports.map((p) => {
        const port: PortSpec = p.proto === 'tcp' && p.from === DEFAULT_AGENT_PORT && p.to === DEFAULT_AGENT_PORT
          ? { proto: 'tcp', from: agentPortOfDestination, to: agentPortOfDestination }
          : p;
        const label = portLabel(port);
        return { port, label, seen: this.seenFor(label), fact: portFact(port, agentPortOfDestination) };
      });
      this.byAgentPort.set(agentPortOfDestination, list);
    }
    this.lastAgentPort = agentPortOfDestination;
    this.lastList = list;
    return list;
  }
}

/** A delta check's sub-run on at most this many machines (and a quarter of the file at most) places them by a Map (deriveFlows). */
const SPARSE_SUB_RUN = 256;

/**
 * All derived flows of a topology, deduplicated by (view, initiator, destination, port): the first
 * row that produces a connection names it (a registration RI-5 and the managing CC-1 arrow between
 * the same machines are both kept, one per view). Order is stable: installation rows, then component rows in
 * machine order. With `keep`, only the flows between the pairs it keeps (initiator and destination
 * names): `deriveFlows(t).filter(f => keep(f.initiator, f.destination))`, without making the others.
 */
export function deriveFlows(t: Topology, keep?: (initiator: string, destination: string) => boolean): Flow[] {
  const flows: Flow[] = [];
  // Dedup by (view, port label, initiator, destination) without a string per flow: endpoints are
  // numbered by name (two machine objects with one name — a declared `acronis-cloud` and the implicit
  // one — are one endpoint, as with a name-based key), and each (label, view) has a set of
  // initiator × destination number pairs.
  const idByName = new Map<string, number>();
  const idByMachine = new Map<Machine, number>();
  const lookUpId = (m: Machine) => {
    let id = idByMachine.get(m);
    if (id === undefined) {
      id = idByName.get(m.name);
      if (id === undefined) idByName.set(m.name, (id = idByName.size));
      idByMachine.set(m, id);
    }
    return id;
  };
  // The declared machines' numbers by their `index`, so the per-flow lookup is an array read; with what
  // every flow of a machine reads of it (agent port, encryption options, source ports), read once here
  // rather than through its settings' objects per flow (~7 flows per machine at 10k machines).
  const machineAt: Machine[] = [];
  const idAt: number[] = [];
  const agentPortAt: number[] = [];
  const clientAt: EncryptionOption[] = [];
  const serverAt: EncryptionOption[] = [];
  const sourcePortsAt: (PortRange | undefined)[] = [];
  // In the same pass: machinesWithRole for every role (same lists, same order), and the machines that
  // back up to the cloud.
  const byRole = new Map<Role, Machine[]>();
  const withRole = (role: Role) => byRole.get(role) ?? [];
  const cloudBackups: Machine[] = [];
  // Places by `index`; in a delta check's sub-run on a few of the machines (`keep`; a few dozen of
  // thousands, their indexes spread over the file) by the order met here instead: arrays indexed by
  // `index` grew to the file's size for them (~3 MB per edit at 10,000 machines). (A sub-run on many
  // machines — `dns: false` — keeps the arrays: a Map lookup per flow cost more than they do.)
  const machines = [...t.machines.values()];
  const placeOf = keep && machines.length <= SPARSE_SUB_RUN && machines.length * 4 < t.machines.size ? new Map<Machine, number>() : undefined;
  // (the indexes given a place: the first machine with an index takes it, as in the arrays)
  const placed = placeOf && new Set<number>();
  const placeFor = (m: Machine) => {
    const i = m.index;
    if (!Number.isInteger(i) || i < 0 || i >= t.machines.size || placed!.has(i)) return -1;
    placed!.add(i);
    return placeOf!.size;
  };
  for (const m of machines) {
    for (const c of m.components) {
      const roles = COMPONENT_BY_ID.get(c.value)?.roles;
      if (!roles) continue;
      for (const role of roles) {
        let list = byRole.get(role);
        if (!list) byRole.set(role, (list = []));
        if (list[list.length - 1] !== m) list.push(m); // two components with one role: listed once
      }
    }
    if (m.cloudBackup?.value === true) cloudBackups.push(m);
    const at = placeOf ? placeFor(m) : m.index;
    if (Number.isInteger(at) && at >= 0 && at < t.machines.size && machineAt[at] === undefined) {
      placeOf?.set(m, at);
      // (numbered by name without idByMachine: lookUpId never sees this machine, `declared` finds it)
      let id = idByName.get(m.name);
      if (id === undefined) idByName.set(m.name, (id = idByName.size));
      machineAt[at] = m;
      idAt[at] = id;
      agentPortAt[at] = agentPort(t, m, DEFAULT_AGENT_PORT);
      clientAt[at] = clientOption(t, m);
      serverAt[at] = serverOption(t, m);
      sourcePortsAt[at] = sourcePortRange(m.os?.value, m.windowsVersion?.value);
    } else lookUpId(m);
  }
  /** the machine's place in the arrays above; -1 when it is not a declared machine (the implicit cloud) */
  const declared = placeOf ? (m: Machine) => placeOf.get(m) ?? -1 : (m: Machine) => (m.index >= 0 && machineAt[m.index] === m ? m.index : -1);

  const seenByLabel = new Map<string, [PairSet, PairSet]>(); // label -> [installation, communication]
  const seenFor = (label: string) => {
    let byView = seenByLabel.get(label);
    if (!byView) seenByLabel.set(label, (byView = [new PairSet(), new PairSet()]));
    return byView;
  };
  const rows = new Map<string, RowPorts>();
  const row = (catalogue: string) => {
    let rp = rows.get(catalogue);
    if (!rp) rows.set(catalogue, (rp = new RowPorts(CATALOGUE_BY_ID.get(catalogue)!, seenFor)));
    return rp;
  };
  const add = (rp: RowPorts, i: Machine | undefined, d: Machine | undefined, origin: Span) => {
    if (!i || !d) return;
    const iAt = declared(i);
    const dAt = declared(d);
    const ii = iAt >= 0 ? idAt[iAt] : lookUpId(i);
    const di = dAt >= 0 ? idAt[dAt] : lookUpId(d);
    if (ii === di) return; // spec §3: no flows between a machine and itself (same number = same name)
    // (the delta check's sub-runs keep the flows of edited machines only: the others are not made.
    // A pair's flows depend on nothing but the pair, so the kept ones are those a filter afterwards
    // would keep, in the same order)
    if (keep && !keep(i.name, d.name)) return;
    const r = rp.row;
    const view = r.view === 'installation' ? 0 : 1;
    const ports = rp.for(dAt >= 0 ? agentPortAt[dAt] : agentPort(t, d, DEFAULT_AGENT_PORT));
    for (let k = 0; k < ports.length; k++) {
      const rport = ports[k];
      const { port, label, seen, fact } = rport;
      if (!seen[view].add(ii, di)) continue; // already derived (by an earlier row)
      // classifyEncryption(t, i, d, port), with the port fact looked up once per row port
      let encryption: EncryptionClass;
      let note: string;
      if (fact?.encryption === 'configurable') {
        const client = iAt >= 0 ? clientAt[iAt] : clientOption(t, i);
        const server = dAt >= 0 ? serverAt[dAt] : serverOption(t, d);
        encryption = ENCRYPTION_MATRIX[client][server];
        note = configurableNote(fact, client, server);
      } else if (fact?.encryption === 'depends') {
        ({ encryption, note } = smbEncryption(fact, d));
      } else {
        encryption = staticEncryption(fact);
        note = fact?.note ?? NOT_DOCUMENTED;
      }
      flows.push(new DerivedFlow(
        r.id,
        r.purpose,
        i.name,
        d.name,
        port,
        label,
        encryption,
        note,
        iAt >= 0 ? sourcePortsAt[iAt] : sourcePortRange(i.os?.value, i.windowsVersion?.value),
        r.view,
        origin,
      ));
    }
  };

  const server = managementServer(t);
  const consoles = withRole('console');
  const agents = withRole('agent');

  // Remote installation (RI-*).
  const inst = t.installation;
  if (inst) {
    const installer = inst.from ? t.machines.get(inst.from.value) : undefined;
    if (server && t.product === '11.5' && inst.from) {
      for (const c of consoles) add(row('RI-1'), c, server, inst.from.span);
    }
    for (const item of inst.to) {
      const target = t.machines.get(item.value);
      if (!target) continue;
      const os = target.os?.value;
      if (installer) {
        if (os === 'windows') {
          add(row(server ? 'RI-2' : 'RI-7'), installer, target, item.span);
          add(row(server ? 'RI-3' : 'RI-8'), installer, target, item.span);
        } else if (os === 'linux') {
          add(row(server ? 'RI-4' : 'RI-9'), installer, target, item.span);
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
  for (const m of cloudBackups) {
    cloud ??= cloudNodeOf(t, () => withRole('acronis-cloud'));
    add(row('CC-9'), m, cloud, m.keySpan);
  }
  return flows;
}
