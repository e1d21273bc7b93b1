// Firewall evaluation (spec "Firewalls", semantics §6). Traffic that crosses two zones named in a
// firewall's `between` passes only if an `allow` entry matches: zone or machine on each side, port,
// and, when given, `source-ports` covering the initiator OS's whole range. Indexed by zone pair and by
// the `from` side of allow entries, so 10k machines stay linear.
import { portCovers } from './facts';
import { cloudNode } from './flows';
import { IMPLICIT_CLOUD } from './model';
import type { AllowEntry, Firewall, Flow, Machine, Topology } from './types';

export interface FirewallVerdict {
  /** firewalls that block the flow */
  blockedBy: { firewall: Firewall; nearMiss?: AllowEntry }[];
  /** the allow entries that let the flow through (one per crossed firewall) */
  passedBy: { firewall: Firewall; entry: AllowEntry }[];
}

export interface FirewallResult {
  verdicts: Map<string, FirewallVerdict>;
  /** allow entries whose source-ports are too narrow, with the flows they fail to pass */
  narrow: Map<AllowEntry, { firewall: Firewall; flows: Flow[] }>;
  zoneOf(name: string): string | undefined;
}

interface FirewallIndex {
  fw: Firewall;
  zones: Set<string>;
  byFrom: Map<string, AllowEntry[]>;
}

export function evaluateFirewalls(t: Topology, flows: Flow[]): FirewallResult {
  const index: FirewallIndex[] = t.firewalls.map((fw) => {
    const byFrom = new Map<string, AllowEntry[]>();
    for (const a of fw.allow) {
      if (!a.from) continue;
      const list = byFrom.get(a.from.value) ?? [];
      list.push(a);
      byFrom.set(a.from.value, list);
    }
    return { fw, zones: new Set(fw.between.map((z) => z.value)), byFrom };
  });
  const machine = (name: string): Machine | undefined => t.machines.get(name) ?? (name === IMPLICIT_CLOUD ? cloudNode(t) : undefined);
  const zoneOf = (name: string) => machine(name)?.zone;
  // initiator zone -> destination zone -> the firewalls between them (nested maps: no key string per flow)
  const byPair = new Map<string, Map<string, FirewallIndex[]>>();
  const crossing = (zi: string, zd: string): FirewallIndex[] => {
    let byDest = byPair.get(zi);
    if (!byDest) byPair.set(zi, (byDest = new Map()));
    let list = byDest.get(zd);
    if (!list) {
      list = index.filter((x) => x.zones.has(zi) && x.zones.has(zd));
      byDest.set(zd, list);
    }
    return list;
  };

  const verdicts = new Map<string, FirewallVerdict>();
  // Indexed loops: this runs once per check over every flow, mostly before the JIT optimises it, and an
  // unoptimised for-of allocates an iterator result per step.
  const narrow = new Map<AllowEntry, { firewall: Firewall; flows: Flow[] }>();
  for (let n = 0; n < flows.length; n++) {
    const f = flows[n];
    const zi = zoneOf(f.initiator);
    const zd = zoneOf(f.destination);
    if (!zi || !zd || zi === zd) continue;
    const fws = crossing(zi, zd);
    if (fws.length === 0) continue;
    const v: FirewallVerdict = { blockedBy: [], passedBy: [] };
    for (let w = 0; w < fws.length; w++) {
      const x = fws[w];
      // candidates: the entries from the initiator itself, then those from its zone
      const byMachine = x.byFrom.get(f.initiator);
      const byZone = zi !== f.initiator ? x.byFrom.get(zi) : undefined;
      let pass: AllowEntry | undefined;
      let near: AllowEntry | undefined;
      for (let side = 0; side < 2 && !pass; side++) {
        const list = side === 0 ? byMachine : byZone;
        if (!list) continue;
        for (let k = 0; k < list.length; k++) {
          const a = list[k];
          const to = a.to?.value;
          if (to !== f.destination && to !== zd) continue;
          if (!a.portSpec || !portCovers(a.portSpec, f.port)) continue;
          if (a.sourcePortRange && f.sourcePorts && (a.sourcePortRange.from > f.sourcePorts.from || a.sourcePortRange.to < f.sourcePorts.to)) {
            near ??= a;
            continue;
          }
          pass = a;
          break;
        }
      }
      if (pass) v.passedBy.push({ firewall: x.fw, entry: pass });
      else {
        v.blockedBy.push({ firewall: x.fw, nearMiss: near });
        if (near) {
          const n = narrow.get(near) ?? { firewall: x.fw, flows: [] };
          n.flows.push(f);
          narrow.set(near, n);
        }
      }
    }
    verdicts.set(f.id, v);
    if (v.blockedBy.length) f.blockedBy = v.blockedBy.map((b) => ({ firewall: b.firewall.index, nearMiss: b.nearMiss ? { firewall: b.firewall.index, entry: b.nearMiss.index } : undefined }));
  }
  return { verdicts, narrow, zoneOf };
}
