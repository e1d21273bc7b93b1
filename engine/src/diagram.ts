// The diagram MODEL: plain, serialisable data that says what the preview and `acrotopo render` draw.
// No layout and no drawing here (that is the renderer's job): zones, machine boxes (or groups of alike
// machines), one arrow per flow of the view, and the legend. Everything carries the source span (and the
// 0-based range when the text is given) so a click in the picture can reveal the YAML.
import { COMPONENT_BY_ID } from './facts';
import { IMPLICIT_CLOUD, INTERNET_ZONE } from './model';
import { SourceFile } from './source';
import type { CheckResult, Diagnostic, EncryptionClass, Flow, Machine, Range, Severity, Span } from './types';
import { parseYaml } from './yaml-ast';

export type DiagramView = 'installation' | 'communication' | 'all';
export const DIAGRAM_VIEWS: readonly DiagramView[] = ['installation', 'communication', 'all'];
export const DIAGRAM_VIEW_LABELS: Record<DiagramView, string> = {
  installation: 'Remote installation',
  communication: 'Communication between components',
  all: 'All',
};

/** Machines of one zone with the same role signature and flow pattern are folded past this count. */
export const DEFAULT_GROUP_THRESHOLD = 12;
export const DEFAULT_MAX_NODES = 40;
export const DEFAULT_MAX_EDGES = 70;
export const DEFAULT_MAX_LAYOUT_NODES = 300;
export const DEFAULT_MAX_LAYOUT_EDGES = 800;
/** expand requests looked at one by one when they do not all fit the layout budget */
const MAX_EXPANSIONS_TRIED = 64;

export interface DiagramOptions {
  /** the document text: when given, every span also gets its 0-based range */
  text?: string;
  /** ids of groups to show as individual machines */
  expand?: Iterable<string>;
  /** fold alike machines when a zone has MORE than this many (default 12; Infinity = never) */
  groupThreshold?: number;
  /**
   * Readability budget (default 40 boxes): when folding at `groupThreshold` still leaves more boxes
   * (or arrows than `maxEdges`), the threshold is halved (12 → 6 → 3 → 2), then machines with the same
   * OS and roles (not only the same components) fold, until the picture fits or nothing more folds.
   * Infinity turns it off.
   */
  maxNodes?: number;
  /** Readability budget of arrows (default 70): past it, machines of the same OS and roles fold too. */
  maxEdges?: number;
  /**
   * Layout budget (default 300 boxes, 800 arrows; Infinity turns it off): the most the preview lays
   * out (ELK in the page, which does nothing else meanwhile: 3–4 s at 800 arrows here). A picture the
   * readability plans leave larger than half of it folds further (machines of a zone with the same OS
   * and roles whatever their problems and flows, then a zone's machines), which leaves room to open
   * groups; an `expand` that would take the picture past the budget opens such a group into the groups
   * of the plan before it (ids `<group id>/<role>`) or is not applied. `DiagramModel.notes` says when
   * any of this happens.
   */
  maxLayoutNodes?: number;
  maxLayoutEdges?: number;
}

export interface DiagramBadge {
  /** component id, e.g. `agent-for-windows` */
  id: string;
  /** short text drawn in the badge */
  short: string;
  /** the documentation's name of the component */
  label: string;
}

export type ZoneKind = 'subnet' | 'internet' | 'unassigned';

export interface DiagramZone {
  id: string;
  kind: ZoneKind;
  /** subnet name, `internet`, or `no zone` */
  name: string;
  cidr?: string;
  span?: Span;
  range?: Range;
}

export interface DiagramMember {
  name: string;
  span: Span;
  range?: Range;
}

export interface DiagramNode {
  id: string;
  kind: 'machine' | 'group';
  /** machine name; for a group `48 × Windows agents` */
  label: string;
  /** machine name (a group: its first member's) */
  name: string;
  os?: string;
  components: DiagramBadge[];
  /** zone id */
  zone: string;
  /** the machine's key in `machines:` (a group: the first member's) */
  span?: Span;
  range?: Range;
  /** key start … value end: a cursor inside it highlights the box */
  extent?: Span;
  /** worst diagnostic on the machine (or on any member) */
  severity?: Severity;
  diagnosticCount: number;
  /** not declared in the file (the implicit acronis-cloud / internet node) */
  implicit?: boolean;
  /** no flow of this view starts or ends here */
  idle?: boolean;
  /** a group: its members, in file order */
  members?: DiagramMember[];
  /** a group: member extents, for cursor highlighting */
  memberExtents?: Span[];
}

export interface DiagramDiagnostic {
  rule: string;
  severity: Severity;
  message: string;
}

export type FlowState = 'ok' | 'blocked' | 'impossible';

export interface DiagramEdge {
  /** the first flow's id */
  id: string;
  /** node ids */
  from: string;
  to: string;
  /** destination port, e.g. `tcp/9876` */
  label: string;
  /** documentation purposes (several when flows of different rows share the arrow) */
  purposes: string[];
  catalogue: string[];
  encryption: EncryptionClass;
  encryptionNote: string;
  state: FlowState;
  /** firewall names (or `#N`) that block the flow */
  blockedBy: string[];
  /** `49152-65535` */
  sourcePorts?: string;
  kind: 'derived' | 'stated';
  span?: Span;
  range?: Range;
  diagnostics: DiagramDiagnostic[];
  severity?: Severity;
  /** number of machine pairs this arrow stands for (>1 when it joins a group) */
  count: number;
  flowIds: string[];
}

export interface LegendEntry {
  key: EncryptionClass | 'blocked';
  label: string;
  description: string;
  /** used by at least one arrow of this diagram */
  present: boolean;
}

export interface DiagramModel {
  version: 1;
  title?: string;
  view: DiagramView;
  viewLabel: string;
  zones: DiagramZone[];
  nodes: DiagramNode[];
  edges: DiagramEdge[];
  legend: LegendEntry[];
  stats: {
    machines: number;
    flows: number;
    groups: number;
    /** flows left out because an end is not a declared machine */
    omittedFlows: number;
  };
  /** what the picture leaves out or folds beyond the usual, for the preview to say (the layout budget) */
  notes?: string[];
}

/** A way of folding: machines with the same `sig` in a zone (and, with `detail`, the same worst severity and flows). */
interface Plan {
  sig: (i: MachineInfo) => string;
  detail: boolean;
  /** the plan a group of this one opens into when it cannot open machine by machine (the layout budget) */
  finer?: Plan;
}

/** Machines folded together by a plan; `parent`: the id of the group they were opened from. */
interface Bucket {
  role: string;
  members: MachineInfo[];
  plan: Plan;
  parent?: string;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

function worse(a: Severity | undefined, b: Severity | undefined): Severity | undefined {
  if (!a) return b;
  if (!b) return a;
  return SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a;
}

const SHORT: Record<string, string> = {
  'management-server': 'mgmt server',
  'management-console': 'console',
  'agent-for-windows': 'agent win',
  'agent-for-linux': 'agent linux',
  'agent-for-vmware': 'agent vmware',
  'agent-for-hyper-v': 'agent hyper-v',
  'agent-for-exchange': 'agent exchange',
  'agent-for-sql': 'agent sql',
  'agent-for-active-directory': 'agent AD',
  'storage-node': 'storage node',
  'license-server': 'license',
  'pxe-server': 'pxe',
  vcenter: 'vcenter',
  esxi: 'esxi',
  'network-share': 'share',
  'acronis-cloud': 'acronis cloud',
};

function badge(id: string): DiagramBadge {
  const fact = COMPONENT_BY_ID.get(id);
  return { id, short: SHORT[id] ?? id, label: fact?.label ?? id };
}

const OS_LABEL: Record<string, string> = { windows: 'Windows', linux: 'Linux', 'virtual-appliance': 'Virtual appliance', other: 'Other' };

export const LEGEND: Omit<LegendEntry, 'present'>[] = [
  { key: 'encrypted', label: 'Encrypted', description: 'SSH, HTTPS, or the agent port with compatible encryption settings' },
  { key: 'depends', label: 'Depends', description: 'SMB (tcp/445): encrypted only if the target enables SMB encryption' },
  { key: 'unencrypted', label: 'Not encrypted', description: 'plain traffic (tcp/25001, tcp/80, tcp/8080, disabled encryption, SMB without encryption)' },
  { key: 'not-stated', label: 'Not stated', description: 'the documentation does not say (e.g. tcp/902)' },
  { key: 'blocked', label: 'Blocked / impossible', description: 'a firewall blocks it, or the encryption settings make it impossible' },
];

/**
 * Errors that keep the YAML from parsing at all (not duplicate keys or extra documents, which still give
 * a usable document). The preview keeps its last good picture, and `acrotopo render` exits 2, on these.
 */
export function fatalSyntaxErrors(text: string): { message: string; span: Span; range: Range }[] {
  const { problems } = parseYaml(text);
  const fatal = problems.filter((p) => p.severity === 'error' && p.code !== 'DUPLICATE_KEY' && p.code !== 'MULTIPLE_DOCS');
  if (fatal.length === 0) return [];
  const file = new SourceFile(text);
  return fatal.map((p) => ({ message: p.message, span: p.span, range: file.range(p.span) }));
}

interface MachineInfo {
  name: string;
  machine?: Machine;
  zone: string;
  os?: string;
  components: string[];
  span?: Span;
  extent?: Span;
  severity?: Severity;
  diagnosticCount: number;
  implicit?: boolean;
}

function flowInView(f: Flow, view: DiagramView): boolean {
  return view === 'all' || f.view === view;
}

/** Builds the diagram of one view from the engine's result. Pure; never throws on a partial topology. */
export function buildDiagram(result: CheckResult, view: DiagramView, opts: DiagramOptions = {}): DiagramModel {
  const t = result.topology;
  const file = opts.text !== undefined ? new SourceFile(opts.text) : undefined;
  const rangeOf = (s: Span | undefined): Range | undefined => (file && s ? file.range(s) : undefined);
  const maxNodes = opts.maxNodes ?? DEFAULT_MAX_NODES;
  const maxEdges = opts.maxEdges ?? DEFAULT_MAX_EDGES;
  const maxLayoutNodes = opts.maxLayoutNodes ?? DEFAULT_MAX_LAYOUT_NODES;
  const maxLayoutEdges = opts.maxLayoutEdges ?? DEFAULT_MAX_LAYOUT_EDGES;
  const expand = [...new Set(opts.expand ?? [])];
  const notes: string[] = [];

  // ---- zones
  const zones: DiagramZone[] = [];
  const zoneIds = new Map<string, string>();
  for (const s of t.subnets.values()) {
    if (s.name === INTERNET_ZONE) continue;
    const id = `z/${s.name}`;
    zoneIds.set(s.name, id);
    zones.push({ id, kind: 'subnet', name: s.name, cidr: s.cidr?.value, span: s.keySpan, range: rangeOf(s.keySpan) });
  }
  const internetId = `z/${INTERNET_ZONE}`;
  const unassignedId = 'u/';
  const zoneOf = (m: Machine | undefined): string => {
    const z = m?.zone;
    if (z === INTERNET_ZONE) return internetId;
    if (z !== undefined && zoneIds.has(z)) return zoneIds.get(z)!;
    return unassignedId;
  };

  // ---- machines, with the worst diagnostic inside each machine's key … value
  const infos = new Map<string, MachineInfo>();
  const ordered = [...t.machines.values()].sort((a, b) => a.index - b.index);
  for (const m of ordered) {
    const extent = m.keySpan.end > m.keySpan.start ? { start: m.keySpan.start, end: Math.max(m.keySpan.end, m.valueSpan.end) } : undefined;
    infos.set(m.name, {
      name: m.name,
      machine: m,
      zone: zoneOf(m),
      os: m.os?.value,
      components: m.components.map((c) => c.value),
      span: m.keySpan.end > m.keySpan.start ? m.keySpan : undefined,
      extent,
      diagnosticCount: 0,
    });
  }
  const byStart = [...infos.values()].filter((i) => i.extent).sort((a, b) => a.extent!.start - b.extent!.start);
  const flowDiags = new Map<string, Diagnostic[]>();
  for (const d of result.diagnostics) {
    if (d.flowId !== undefined) {
      const list = flowDiags.get(d.flowId) ?? [];
      list.push(d);
      flowDiags.set(d.flowId, list);
    }
    // binary search: the last machine whose extent starts at or before the diagnostic
    let lo = 0;
    let hi = byStart.length - 1;
    let hit = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (byStart[mid].extent!.start <= d.span.start) { hit = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (hit >= 0) {
      const info = byStart[hit];
      if (d.span.start < info.extent!.end || (d.span.start === info.extent!.end && d.span.end === d.span.start)) {
        info.severity = worse(info.severity, d.severity);
        info.diagnosticCount++;
      }
    }
  }

  // ---- flows of the view, with endpoints that are implicit (acronis-cloud, internet) added as nodes
  const flows = result.flows.filter((f) => flowInView(f, view));
  let omittedFlows = 0;
  const usable: Flow[] = [];
  const endpointInfo = (name: string): MachineInfo | undefined => {
    const known = infos.get(name);
    if (known) return known;
    if (name === IMPLICIT_CLOUD || name === INTERNET_ZONE) {
      const info: MachineInfo = { name, zone: internetId, components: name === IMPLICIT_CLOUD ? ['acronis-cloud'] : [], diagnosticCount: 0, implicit: true };
      infos.set(name, info);
      return info;
    }
    return undefined;
  };
  for (const f of flows) {
    if (!endpointInfo(f.initiator) || !endpointInfo(f.destination)) { omittedFlows++; continue; }
    usable.push(f);
  }
  const stateOf = (f: Flow): FlowState => (f.encryption === 'impossible' ? 'impossible' : f.blockedBy && f.blockedBy.length > 0 ? 'blocked' : 'ok');

  // ---- grouping: per zone, machines with the same os + components + severity + flow pattern
  const pattern = new Map<string, string[]>();
  for (const f of usable) {
    const tail = `${f.portLabel}|${f.encryption}|${stateOf(f)}|${f.catalogue ?? ''}`;
    (pattern.get(f.initiator) ?? pattern.set(f.initiator, []).get(f.initiator)!).push(`>${f.destination}|${tail}`);
    (pattern.get(f.destination) ?? pattern.set(f.destination, []).get(f.destination)!).push(`<${f.initiator}|${tail}`);
  }
  // Plans, from the most faithful to the most folded: alike = same os + components (then: same os +
  // roles, so Exchange/SQL/AD agents fold with the other agents of their zone), folded past a threshold
  // that halves (12 → 6 → 3 → 2) until the picture fits the budget of boxes and arrows.
  const roleSets = (info: MachineInfo) => [...new Set(info.components.flatMap((c) => COMPONENT_BY_ID.get(c)?.roles ?? [`?${c}`]))].sort().join('+');
  const osAndRoles = (i: MachineInfo) => `${i.os ?? 'no-os'}:roles:${roleSets(i) || 'none'}`;
  const plans: Plan[] = [
    { sig: (i) => `${i.os ?? 'no-os'}:${[...i.components].sort().join('+') || 'none'}`, detail: true },
    { sig: osAndRoles, detail: true },
  ];
  // For a picture those plans leave larger than the layout budget (a 10,000-machine estate: 405 boxes
  // and 3,116 arrows, 26 s of ELK in the preview's page, which meanwhile does nothing else): machines of
  // a zone with the same OS and roles fold whatever their problems and flows (an arrow then stands for
  // some of the group's members: its count says how many pairs), then a zone's machines whatever their
  // OS and roles.
  // A group of those plans that is opened past the budget opens into the groups of the plan before
  // (`finer`): a zone's machines into their OS and roles, those into the first plans' groups.
  const byRoles: Plan = { sig: osAndRoles, detail: false, finer: plans[1] };
  const layoutPlans: Plan[] = [byRoles, { sig: () => 'zone', detail: false, finer: byRoles }];
  const patternKeys = new Map<string, string>(); // machine name -> its flow pattern, sorted (made once)
  const patternKey = (name: string) => {
    let k = patternKeys.get(name);
    if (k === undefined) patternKeys.set(name, (k = (pattern.get(name) ?? []).sort().join('\u0001')));
    return k;
  };
  const bucketsFor = (plan: Plan, of: Iterable<MachineInfo> = infos.values()): Bucket[] => {
    const { sig, detail } = plan;
    const buckets = new Map<string, Bucket>();
    for (const info of of) {
      if (info.implicit) continue;
      const role = sig(info);
      const key = detail ? `${info.zone}\u0000${role}\u0000${info.severity ?? ''}\u0000${patternKey(info.name)}` : `${info.zone}\u0000${role}`;
      (buckets.get(key) ?? buckets.set(key, { role, members: [], plan }).get(key)!).members.push(info);
    }
    return [...buckets.values()];
  };
  const implicitCount = [...infos.values()].filter((i) => i.implicit).length;
  // The arrows a plan gives are counted as numbers: each machine a number (its box until a group takes
  // it), each usable flow its two ends' numbers and the number of its port, class and state (the arrows'
  // merge key). With strings this took ~60 ms a plan at 10,000 machines, and up to 16 plans are tried.
  const machineNo = new Map<string, number>();
  for (const name of infos.keys()) machineNo.set(name, machineNo.size);
  const machineCount = machineNo.size;
  const styleNo = new Map<string, number>();
  const flowFrom = new Int32Array(usable.length);
  const flowTo = new Int32Array(usable.length);
  const flowStyle = new Int32Array(usable.length);
  usable.forEach((f, k) => {
    flowFrom[k] = machineNo.get(f.initiator)!;
    flowTo[k] = machineNo.get(f.destination)!;
    const style = `${f.portLabel}\u0000${f.encryption}\u0000${stateOf(f)}`;
    let n = styleNo.get(style);
    if (n === undefined) styleNo.set(style, (n = styleNo.size));
    flowStyle[k] = n;
  });
  /** boxes and arrows with `buckets` folded past `th`, except the buckets in `open` (expanded) */
  const cost = (buckets: readonly Bucket[], th: number, open?: ReadonlySet<Bucket>) => {
    let nodesN = implicitCount;
    const box = new Int32Array(machineCount);
    for (let i = 0; i < machineCount; i++) box[i] = i;
    buckets.forEach((b, bi) => {
      if (b.members.length > th && !open?.has(b)) {
        nodesN++;
        for (const m of b.members) box[machineNo.get(m.name)!] = machineCount + bi;
      } else nodesN += b.members.length;
    });
    const boxes = machineCount + buckets.length;
    const styles = styleNo.size;
    const edgeKeys = new Set<number>();
    for (let k = 0; k < usable.length; k++) edgeKeys.add((box[flowFrom[k]] * boxes + box[flowTo[k]]) * styles + flowStyle[k]);
    return { nodes: nodesN, edges: edgeKeys.size };
  };
  const start = opts.groupThreshold ?? DEFAULT_GROUP_THRESHOLD;
  type Cost = { nodes: number; edges: number };
  const within = (nodes: number, edges: number) => (c: Cost) => c.nodes <= nodes && c.edges <= edges;
  /**
   * The first plan of `list`, at the first threshold (halving from `start` down to 2), whose picture
   * `accept`s; when none does, the last tried (the most folded). With the plan's place in `list` and its cost.
   */
  const search = (list: readonly Plan[], accept: (c: Cost) => boolean) => {
    let found: { buckets: Bucket[]; threshold: number; cost: Cost; at: number } | undefined;
    for (const [at, plan] of list.entries()) {
      const buckets = bucketsFor(plan);
      for (let th = start; ; th = Math.max(2, Math.floor(th / 2))) {
        found = { buckets, threshold: th, cost: cost(buckets, th), at };
        if (accept(found.cost)) return found;
        if (th <= 2) break;
      }
    }
    return found;
  };
  let chosen: { buckets: Bucket[]; threshold: number } | undefined;
  const inLayout = within(maxLayoutNodes, maxLayoutEdges);
  const fmt = (n: number) => n.toLocaleString('en-US');
  if (Number.isFinite(start)) {
    // (no readability budget: the first plan at the first threshold)
    const readable = search(plans, Number.isFinite(maxNodes) ? within(maxNodes, maxEdges) : () => true);
    chosen = readable;
    if (readable && (Number.isFinite(maxLayoutNodes) || Number.isFinite(maxLayoutEdges)) && !within(maxLayoutNodes / 2, maxLayoutEdges / 2)(readable.cost)) {
      const folded = search(layoutPlans, within(maxLayoutNodes / 2, maxLayoutEdges / 2))!;
      chosen = folded;
      const how = folded.at === 0 ? 'by OS and roles alone, whatever their problems and flows' : 'together, whatever their OS and roles';
      notes.push(`Folded more than usual: folded by OS, roles, problems and flows, the picture had ${fmt(readable.cost.nodes)} boxes and ${fmt(readable.cost.edges)} arrows, more than half of what the preview lays out (${fmt(maxLayoutNodes)} boxes, ${fmt(maxLayoutEdges)} arrows); the machines of each zone are folded ${how}: ${fmt(folded.cost.nodes)} boxes, ${fmt(folded.cost.edges)} arrows.`);
    }
  }
  // group ids, stable across edits: zone and role, numbered when several groups share them
  // (a group opened into smaller ones names them after itself: `<its id>/<role>`)
  const groupIdOf = new Map<Bucket, string>();
  const idsOf = (buckets: readonly Bucket[], th: number) => {
    const ids: (string | undefined)[] = [];
    const count = new Map<string, number>();
    for (const b of buckets) {
      if (!(b.members.length > th)) { ids.push(undefined); continue; }
      const base = b.parent !== undefined ? `${b.parent}/${b.role}` : `g/${b.members[0].zone}/${b.role}`;
      const n = (count.get(base) ?? 0) + 1;
      count.set(base, n);
      const id = n === 1 ? base : `${base}#${n}`;
      ids.push(id);
      groupIdOf.set(b, id);
    }
    return ids;
  };
  let bucketIds = idsOf(chosen?.buckets ?? [], chosen?.threshold ?? Infinity);
  // The groups asked for, in order, shown machine by machine while the picture stays within the layout
  // budget; past it, a group of the layout plans opens into the groups of the plan before (`finer`),
  // whose ids later requests can name; any other stays folded.
  const opened = new Set<Bucket>();
  if (chosen && expand.length > 0) {
    const th = chosen.threshold;
    const refused: Bucket[] = [];
    const split: Bucket[] = [];
    let tried = 0;
    for (const id of expand) {
      const bi = bucketIds.indexOf(id);
      if (bi < 0) continue;
      const b = chosen.buckets[bi];
      if (tried++ >= MAX_EXPANSIONS_TRIED) { refused.push(b); continue; }
      if (inLayout(cost(chosen.buckets, th, new Set([...opened, b])))) { opened.add(b); continue; }
      if (b.plan.finer) {
        const parts = bucketsFor(b.plan.finer, b.members).map((x) => ({ ...x, parent: id }));
        const finer: Bucket[] = [...chosen.buckets.slice(0, bi), ...parts, ...chosen.buckets.slice(bi + 1)];
        if (inLayout(cost(finer, th, opened))) {
          chosen = { buckets: finer, threshold: th };
          bucketIds = idsOf(finer, th);
          split.push(b);
          continue;
        }
      }
      refused.push(b);
    }
    const named = (list: Bucket[]) => list.slice(0, 3).map((b) => `${groupIdOf.get(b)} (${fmt(b.members.length)} machines)`).join(', ') + (list.length > 3 ? ` and ${fmt(list.length - 3)} more groups` : '');
    if (split.length > 0) notes.push(`Opened into smaller groups, not machine by machine: ${named(split)}; machine by machine the picture would have more than the preview lays out (${fmt(maxLayoutNodes)} boxes, ${fmt(maxLayoutEdges)} arrows). Open those groups in turn.`);
    if (refused.length > 0) notes.push(`Not shown machine by machine: ${named(refused)}; opened, the picture would have more than the preview lays out (${fmt(maxLayoutNodes)} boxes, ${fmt(maxLayoutEdges)} arrows).`);
  }
  const nodeOf = new Map<string, string>(); // machine name -> node id
  const groups: DiagramNode[] = [];
  for (const [bi, b] of (chosen?.buckets ?? []).entries()) {
    const id = bucketIds[bi];
    if (id === undefined || opened.has(b)) continue;
    const { members } = b;
    const first = members[0];
    const components = [...new Set(members.flatMap((m) => m.components))];
    const allAgents = components.length > 0 && components.every((c) => COMPONENT_BY_ID.get(c)?.roles.includes('agent'));
    const what = allAgents ? 'agents' : 'machines';
    const oneOs = members.every((m) => m.os === first.os);
    const osLabel = !oneOs ? 'mixed-OS' : first.os ? OS_LABEL[first.os] ?? first.os : 'OS not set:';
    let severity: Severity | undefined;
    let diagnosticCount = 0;
    for (const m of members) { severity = worse(severity, m.severity); diagnosticCount += m.diagnosticCount; nodeOf.set(m.name, id); }
    groups.push({
      id,
      kind: 'group',
      label: `${members.length} × ${osLabel} ${what}`,
      name: first.name,
      os: oneOs ? first.os : undefined,
      components: components.map(badge),
      zone: first.zone,
      span: first.span,
      range: rangeOf(first.span),
      extent: first.extent,
      severity,
      diagnosticCount,
      members: members.map((m) => ({ name: m.name, span: m.span ?? { start: 0, end: 0 }, range: rangeOf(m.span) })),
      memberExtents: members.map((m) => m.extent).filter((e): e is Span => !!e),
    });
  }

  // ---- nodes, in file order (a group sits where its first member is)
  const involved = new Set<string>();
  for (const f of usable) { involved.add(f.initiator); involved.add(f.destination); }
  const nodes: DiagramNode[] = [];
  const emittedGroups = new Set<string>();
  const groupById = new Map(groups.map((g) => [g.id, g]));
  for (const info of infos.values()) {
    const gid = nodeOf.get(info.name);
    if (gid) {
      if (!emittedGroups.has(gid)) {
        emittedGroups.add(gid);
        const g = groupById.get(gid)!;
        if (!involved.has(info.name)) g.idle = true;
        nodes.push(g);
      }
      continue;
    }
    const id = `m/${info.name}`;
    nodeOf.set(info.name, id);
    nodes.push({
      id,
      kind: 'machine',
      label: info.name,
      name: info.name,
      os: info.os,
      components: info.components.map(badge),
      zone: info.zone,
      span: info.span,
      range: rangeOf(info.span),
      extent: info.extent,
      severity: info.severity,
      diagnosticCount: info.diagnosticCount,
      implicit: info.implicit || undefined,
      idle: involved.has(info.name) ? undefined : true,
    });
  }

  // ---- edges: one per flow, merged when they join the same two nodes with the same port, class and state
  const edges: DiagramEdge[] = [];
  const edgeByKey = new Map<string, DiagramEdge>();
  const pairsOf = new Map<DiagramEdge, Set<string>>();
  const fwName = (i: number) => t.firewalls[i]?.name?.value ?? `firewall #${i + 1}`;
  for (const f of usable) {
    const from = nodeOf.get(f.initiator)!;
    const to = nodeOf.get(f.destination)!;
    const state = stateOf(f);
    const key = `${from}\u0000${to}\u0000${f.portLabel}\u0000${f.encryption}\u0000${state}`;
    const diags = (flowDiags.get(f.id) ?? []).map((d) => ({ rule: d.rule, severity: d.severity, message: d.message }));
    let severity: Severity | undefined;
    for (const d of diags) severity = worse(severity, d.severity);
    const existing = edgeByKey.get(key);
    if (existing) {
      const pairs = pairsOf.get(existing)!;
      pairs.add(`${f.initiator}\u0000${f.destination}`);
      existing.count = pairs.size;
      existing.flowIds.push(f.id);
      if (!existing.purposes.includes(f.purpose)) existing.purposes.push(f.purpose);
      if (f.catalogue && !existing.catalogue.includes(f.catalogue)) existing.catalogue.push(f.catalogue);
      for (const b of f.blockedBy ?? []) if (!existing.blockedBy.includes(fwName(b.firewall))) existing.blockedBy.push(fwName(b.firewall));
      // keep at most a few diagnostics per merged arrow (the editor lists them all)
      for (const d of diags) if (existing.diagnostics.length < 20) existing.diagnostics.push(d);
      existing.severity = worse(existing.severity, severity);
      continue;
    }
    const origin = f.origin.end > f.origin.start ? f.origin : undefined;
    const edge: DiagramEdge = {
      id: f.id,
      from,
      to,
      label: f.portLabel,
      purposes: [f.purpose],
      catalogue: f.catalogue ? [f.catalogue] : [],
      encryption: f.encryption,
      encryptionNote: f.encryptionNote,
      state,
      blockedBy: [...new Set((f.blockedBy ?? []).map((b) => fwName(b.firewall)))],
      sourcePorts: f.sourcePorts ? `${f.sourcePorts.from}-${f.sourcePorts.to}` : undefined,
      kind: f.kind,
      span: origin,
      range: rangeOf(origin),
      diagnostics: diags.slice(0, 20),
      severity,
      count: 1,
      flowIds: [f.id],
    };
    edgeByKey.set(key, edge);
    pairsOf.set(edge, new Set([`${f.initiator}\u0000${f.destination}`]));
    edges.push(edge);
  }

  // ---- zones that hold something (declared subnets are always shown), then internet and "no zone"
  const used = new Set(nodes.map((n) => n.zone));
  if (used.has(internetId)) zones.push({ id: internetId, kind: 'internet', name: INTERNET_ZONE });
  if (used.has(unassignedId)) zones.push({ id: unassignedId, kind: 'unassigned', name: 'no zone' });

  const present = new Set<string>(edges.map((e) => (e.state === 'ok' ? e.encryption : 'blocked')));
  return {
    version: 1,
    title: t.title,
    view,
    viewLabel: DIAGRAM_VIEW_LABELS[view],
    zones,
    nodes,
    edges,
    legend: LEGEND.map((l) => ({ ...l, present: present.has(l.key) })),
    stats: { machines: t.machines.size, flows: usable.length, groups: emittedGroups.size, omittedFlows },
    ...(notes.length > 0 ? { notes } : {}),
  };
}
