// Stated flows (`connections:`), compared with the derived ones (spec semantics §5).
import { CATALOGUE, DEFAULT_AGENT_PORT, installationPorts, portCovers, portLabel, samePort, sourcePortsFor } from './facts';
import type { CatalogueEntry, Party } from './facts';
import { classifyEncryption, cloudNode, hasRole } from './flows';
import { agentPort, IMPLICIT_CLOUD, implicitMachine, INTERNET_ZONE } from './model';
import type { Flow, Machine, PortSpec, Span, StatedConnection, Topology } from './types';

export type StatedKind = 'identical' | 'reversed' | 'wrong-install-port' | 'documented' | 'undocumented';

export interface StatedVerdict {
  connection: StatedConnection;
  flow: Flow;
  kind: StatedKind;
  /** identical / reversed: the derived flow */
  derived?: Flow;
  /** documented: the catalogue row it matches by roles */
  row?: CatalogueEntry;
}

export interface StatedResult {
  verdicts: StatedVerdict[];
  /** derived flow id -> the stated entry where diagnostics about it start */
  originOf: Map<string, Span>;
}

/** The result of no stated connections (a stage that failed, or rules run without the stages). */
export function noStated(): StatedResult {
  return { verdicts: [], originOf: new Map() };
}

export function endpoint(t: Topology, name: string): Machine | undefined {
  const m = t.machines.get(name);
  if (m) return m;
  if (name === IMPLICIT_CLOUD) return cloudNode(t);
  if (name === INTERNET_ZONE) return implicitMachine(INTERNET_ZONE, []); // anything outside the LAN
  return undefined;
}

const targetSets = new WeakMap<Topology, Set<string>>();

function isTarget(t: Topology, name: string): boolean {
  let set = targetSets.get(t);
  if (!set) {
    set = new Set(t.installation?.to.map((x) => x.value) ?? []);
    targetSets.set(t, set);
  }
  return set.has(name);
}

function partyMatches(t: Topology, party: Party, m: Machine): boolean {
  switch (party) {
    case 'installer':
      return t.installation?.from?.value === m.name;
    case 'windows-target':
    case 'linux-target':
      return isTarget(t, m.name) && m.os?.value === (party === 'windows-target' ? 'windows' : 'linux');
    case 'any-machine':
      return !m.implicit;
    case 'internet':
      return m.zone === INTERNET_ZONE;
    case 'management-server':
      return t.management?.server?.value === m.name || hasRole(m, 'management-server');
    default:
      return hasRole(m, party);
  }
}

function rowMatches(t: Topology, row: CatalogueEntry, i: Machine, d: Machine, port: PortSpec): boolean {
  const ap = agentPort(t, d, DEFAULT_AGENT_PORT);
  const portOk = row.ports.some((p) => {
    const q = p.proto === 'tcp' && p.from === DEFAULT_AGENT_PORT ? { proto: 'tcp' as const, from: ap, to: ap } : p;
    return portCovers(q, port);
  });
  if (!portOk) return false;
  return row.from.some((p) => partyMatches(t, p, i)) && row.to.some((p) => partyMatches(t, p, d));
}

/** The (initiator, destination, port) key of a flow: how a stated connection finds its derived flows. */
function tripleKey(initiator: string, destination: string, label: string): string {
  return `${initiator}>${destination}:${label}`;
}

/** The flows check() reports on: the derived ones, then the stated connections that are not one of them. */
export function checkedFlows(derived: Flow[], stated: StatedResult): Flow[] {
  return [...derived, ...stated.verdicts.filter((v) => v.kind !== 'identical').map((v) => v.flow)];
}

export function classifyStated(t: Topology, derived: Flow[]): StatedResult {
  // The keys the connections below look up: each connection, both ways.
  const wanted: string[] = [];
  for (const c of t.connections) {
    if (!c.from || !c.to || !c.portSpec) continue;
    const i = endpoint(t, c.from.value);
    const d = endpoint(t, c.to.value);
    if (!i || !d) continue;
    const label = portLabel(c.portSpec);
    wanted.push(tripleKey(i.name, d.name, label), tripleKey(d.name, i.name, label));
  }
  // Only derived flows that can match one of them are indexed (a handful of connections, ~75k flows at
  // 10k machines). A key starts with `initiator>`, so a flow can match only when its initiator is the
  // text before some '>' of a wanted key (names may contain '>' in an invalid file: every '>' counts).
  const initiators = new Set<string>();
  for (const k of wanted) for (let at = k.indexOf('>'); at >= 0; at = k.indexOf('>', at + 1)) initiators.add(k.slice(0, at));
  // (initiator, destination, port) -> the derived flows with it (one per view at most)
  const byTriple = new Map<string, Flow[]>();
  if (initiators.size > 0) {
    for (let n = 0; n < derived.length; n++) {
      const f = derived[n];
      if (!initiators.has(f.initiator)) continue;
      const k = tripleKey(f.initiator, f.destination, f.portLabel);
      const list = byTriple.get(k);
      if (list) list.push(f);
      else byTriple.set(k, [f]);
    }
  }
  const verdicts: StatedVerdict[] = [];
  const originOf = new Map<string, Span>();
  const installer = t.installation?.from?.value;
  const targets = new Set(t.installation?.to.map((x) => x.value) ?? []);
  const installPortsAll = [...installationPorts('windows'), ...installationPorts('linux')];

  for (const c of t.connections) {
    if (!c.from || !c.to || !c.portSpec) continue;
    const i = endpoint(t, c.from.value);
    const d = endpoint(t, c.to.value);
    if (!i || !d) continue; // unknown-reference reports it
    const label = portLabel(c.portSpec);
    const enc = classifyEncryption(t, i, d, c.portSpec);
    const flow: Flow = {
      id: `stated#${c.index}`,
      kind: 'stated',
      purpose: 'stated connection',
      initiator: i.name,
      destination: d.name,
      port: c.portSpec,
      portLabel: label,
      encryption: enc.encryption,
      encryptionNote: enc.note,
      sourcePorts: sourcePortsFor(i.os?.value, i.windowsVersion?.value)?.range,
      view: 'communication',
      origin: c.span,
    };
    const sameList = byTriple.get(tripleKey(i.name, d.name, label));
    if (sameList) {
      const same = sameList[0];
      flow.sameAs = same.id;
      flow.catalogue = same.catalogue;
      flow.purpose = same.purpose;
      flow.view = same.view;
      for (const f of sameList) if (!originOf.has(f.id)) originOf.set(f.id, c.span);
      verdicts.push({ connection: c, flow, kind: 'identical', derived: same });
      continue;
    }
    const rev = byTriple.get(tripleKey(d.name, i.name, label))?.[0];
    if (rev) {
      flow.catalogue = rev.catalogue;
      flow.purpose = rev.purpose;
      verdicts.push({ connection: c, flow, kind: 'reversed', derived: rev });
      continue;
    }
    if (installer === i.name && targets.has(d.name)) {
      const own = installationPorts(d.os?.value);
      if (installPortsAll.some((p) => samePort(p, c.portSpec!)) && !own.some((p) => samePort(p, c.portSpec!)) && own.length) {
        verdicts.push({ connection: c, flow, kind: 'wrong-install-port' });
        continue;
      }
    }
    const row = CATALOGUE.find((r) => rowMatches(t, r, i, d, c.portSpec!));
    if (row) {
      flow.catalogue = row.id;
      flow.purpose = row.purpose;
      flow.view = row.view;
      verdicts.push({ connection: c, flow, kind: 'documented', row });
    } else verdicts.push({ connection: c, flow, kind: 'undocumented' });
  }
  return { verdicts, originOf };
}
