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
  /**
   * flow id -> verdict, for every flow that crosses a firewall, in flow order. Built on first read: a
   * check reads verdicts through verdictOf, and hashing the ids (~70k at 10k machines) cost more than
   * the evaluation itself.
   */
  readonly verdicts: Map<string, FirewallVerdict>;
  /**
   * The verdict of this flow object; undefined when it crosses no firewall. The same as
   * verdicts.get(f.id) when no two flows share an id, as in one check unless a machine name holds '>'.
   */
  verdictOf(f: Flow): FirewallVerdict | undefined;
  /** allow entries whose source-ports are too narrow, with the flows they fail to pass */
  narrow: Map<AllowEntry, { firewall: Firewall; flows: Flow[] }>;
  zoneOf(name: string): string | undefined;
}

interface FirewallIndex {
  fw: Firewall;
  zones: Set<string>;
  /** allow `from` -> the numbers of its entries (in `entries`), in file order */
  byFrom: Map<string, number[]>;
}

/** The last two names looked up and their zones (flows come in runs with one endpoint in common, or
 * alternate between two: server → agent, agent → server). */
class ZoneCache {
  private a: string | undefined;
  private za: string | undefined;
  private b: string | undefined;
  private zb: string | undefined;
  private next = false;
  constructor(private readonly zoneOf: (name: string) => string | undefined) {}

  get(name: string): string | undefined {
    if (name === this.a) return this.za;
    if (name === this.b) return this.zb;
    const zone = this.zoneOf(name);
    if (this.next) {
      this.b = name;
      this.zb = zone;
    } else {
      this.a = name;
      this.za = zone;
    }
    this.next = !this.next;
    return zone;
  }
}

/** The result of evaluating no flows (a stage that failed, or rules run without the stages). */
export function noFirewall(): FirewallResult {
  return { verdicts: new Map(), verdictOf: () => undefined, narrow: new Map(), zoneOf: () => undefined };
}

export function evaluateFirewalls(t: Topology, flows: Flow[]): FirewallResult {
  const entries: AllowEntry[] = [];
  const index: FirewallIndex[] = t.firewalls.map((fw) => {
    const byFrom = new Map<string, number[]>();
    for (const a of fw.allow) {
      if (!a.from) continue;
      const list = byFrom.get(a.from.value) ?? [];
      list.push(entries.length);
      entries.push(a);
      byFrom.set(a.from.value, list);
    }
    return { fw, zones: new Set(fw.between.map((z) => z.value)), byFrom };
  });
  const machine = (name: string): Machine | undefined => t.machines.get(name) ?? (name === IMPLICIT_CLOUD ? cloudNode(t) : undefined);
  const zoneOf = (name: string) => machine(name)?.zone;
  // initiator zone -> destination zone -> the number of the firewalls between them in `crossings`
  // (nested maps: no key string per flow)
  const byPair = new Map<string, Map<string, number>>();
  const crossings: FirewallIndex[][] = [];
  const crossing = (zi: string, zd: string): number => {
    let byDest = byPair.get(zi);
    if (!byDest) byPair.set(zi, (byDest = new Map()));
    let c = byDest.get(zd);
    if (c === undefined) {
      c = crossings.length;
      crossings.push(index.filter((x) => x.zones.has(zi) && x.zones.has(zd)));
      byDest.set(zd, c);
    }
    return c;
  };

  // Per flow n (~70k cross a firewall at 10k machines, and nearly all pass): which firewalls it crosses
  // (crossings number + 1; 0: none), and where the numbers of its passing entries start in `passes`, or
  // -1 when it is blocked (its verdict is built at once: it is reported). Other verdicts are built only
  // when read. Typed arrays of the flows' count: no object and no growing array per flow.
  const list = flows.slice(); // (what the lazy reads below see, whatever becomes of the caller's array)
  const crosses = new Int32Array(list.length);
  const passStart = new Int32Array(list.length);
  let passes = new Int32Array(list.length);
  let passCount = 0;
  const made = new Map<number, FirewallVerdict>();
  // flow -> n: the blocked flows at once (what a check reads), every crossing flow on the first other read
  const nOf = new Map<Flow, number>();
  let allIndexed = false;
  // the outcome of each crossed firewall for the current flow: the passing entry, else the near miss
  const entryAt: (AllowEntry | undefined)[] = [];
  const passAt: boolean[] = [];
  const numberAt: number[] = [];
  const narrow = new Map<AllowEntry, { firewall: Firewall; flows: Flow[] }>();
  const initiatorZones = new ZoneCache(zoneOf);
  const destinationZones = new ZoneCache(zoneOf);
  // the last zone pair's firewalls (runs of flows between two zones)
  let pairI: string | undefined;
  let pairD: string | undefined;
  let pairC = 0;
  // Indexed loops: this runs once per check over every flow, mostly before the JIT optimises it, and an
  // unoptimised for-of allocates an iterator result per step.
  // (no firewall: nothing crosses one, and the zones need not be looked up)
  for (let n = 0; n < list.length && index.length > 0; n++) {
    const f = list[n];
    const zi = initiatorZones.get(f.initiator);
    const zd = destinationZones.get(f.destination);
    if (!zi || !zd || zi === zd) continue;
    if (zi !== pairI || zd !== pairD) {
      pairC = crossing(zi, zd);
      pairI = zi;
      pairD = zd;
    }
    const fws = crossings[pairC];
    if (fws.length === 0) continue;
    let blocked = false;
    for (let w = 0; w < fws.length; w++) {
      const x = fws[w];
      // candidates: the entries from the initiator itself, then those from its zone
      const byMachine = x.byFrom.get(f.initiator);
      const byZone = zi !== f.initiator ? x.byFrom.get(zi) : undefined;
      let pass: AllowEntry | undefined;
      let passNumber = -1;
      let near: AllowEntry | undefined;
      for (let side = 0; side < 2 && !pass; side++) {
        const numbers = side === 0 ? byMachine : byZone;
        if (!numbers) continue;
        for (let k = 0; k < numbers.length; k++) {
          const a = entries[numbers[k]];
          const to = a.to?.value;
          if (to !== f.destination && to !== zd) continue;
          if (!a.portSpec || !portCovers(a.portSpec, f.port)) continue;
          if (a.sourcePortRange && f.sourcePorts && (a.sourcePortRange.from > f.sourcePorts.from || a.sourcePortRange.to < f.sourcePorts.to)) {
            near ??= a;
            continue;
          }
          pass = a;
          passNumber = numbers[k];
          break;
        }
      }
      entryAt[w] = pass ?? near;
      passAt[w] = pass !== undefined;
      numberAt[w] = passNumber;
      if (!pass) blocked = true;
    }
    crosses[n] = pairC + 1;
    if (!blocked) {
      if (passCount + fws.length > passes.length) {
        const more = new Int32Array(Math.max(passes.length * 2, passCount + fws.length));
        more.set(passes);
        passes = more;
      }
      passStart[n] = passCount;
      for (let w = 0; w < fws.length; w++) passes[passCount++] = numberAt[w];
      // a flow listed twice (blocked before): its last verdict is the one to read, as in `verdicts`
      if (f.blockedBy !== undefined && nOf.has(f)) nOf.set(f, n);
      continue;
    }
    const v: FirewallVerdict = { blockedBy: [], passedBy: [] };
    for (let w = 0; w < fws.length; w++) {
      const x = fws[w];
      const entry = entryAt[w];
      if (passAt[w]) v.passedBy.push({ firewall: x.fw, entry: entry! });
      else {
        v.blockedBy.push({ firewall: x.fw, nearMiss: entry });
        if (entry) {
          const n = narrow.get(entry) ?? { firewall: x.fw, flows: [] };
          n.flows.push(f);
          narrow.set(entry, n);
        }
      }
    }
    passStart[n] = -1;
    made.set(n, v);
    nOf.set(f, n);
    f.blockedBy = v.blockedBy.map((b) => ({ firewall: b.firewall.index, nearMiss: b.nearMiss ? { firewall: b.firewall.index, entry: b.nearMiss.index } : undefined }));
  }

  const verdictAt = (n: number): FirewallVerdict => {
    let v = made.get(n);
    if (!v) {
      const fws = crossings[crosses[n] - 1];
      const start = passStart[n];
      v = { blockedBy: [], passedBy: [] };
      for (let w = 0; w < fws.length; w++) v.passedBy.push({ firewall: fws[w].fw, entry: entries[passes[start + w]] });
      made.set(n, v);
    }
    return v;
  };
  let byId: Map<string, FirewallVerdict> | undefined;
  return {
    get verdicts() {
      if (!byId) {
        byId = new Map();
        for (let n = 0; n < list.length; n++) if (crosses[n] !== 0) byId.set(list[n].id, verdictAt(n));
      }
      return byId;
    },
    verdictOf(f: Flow) {
      let n = nOf.get(f);
      if (n === undefined && !allIndexed) {
        allIndexed = true;
        for (let m = 0; m < list.length; m++) if (crosses[m] !== 0) nOf.set(list[m], m);
        n = nOf.get(f);
      }
      return n === undefined ? undefined : verdictAt(n);
    },
    narrow,
    zoneOf,
  };
}
