// Positions a diagram model with ELK (layered, orthogonal edges, zones as compound nodes, edge labels
// placed by ELK so they never overlap). `elkjs/lib/elk.bundled.js` runs the same in Node and in the
// webview, so `acrotopo render` and the VS Code preview draw the same picture.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { DiagramBadge, DiagramEdge, DiagramModel, DiagramNode, DiagramZone } from '@acrotopo/engine';
import { clip, monoWidth, sansWidth } from './text';

export interface Point { x: number; y: number }
export interface Box { x: number; y: number; width: number; height: number }

export interface PositionedBadge extends Box { badge: DiagramBadge; text: string }
export interface PositionedNode extends Box {
  node: DiagramNode;
  /** first line (machine name or group label), already clipped */
  title: string;
  /** second line: the OS, or a group's first members */
  subtitle: string;
  /** badge boxes relative to the node's top-left corner */
  badges: PositionedBadge[];
}
export interface PositionedZone extends Box { zone: DiagramZone; title: string; subtitle: string }
export interface PositionedEdge {
  edge: DiagramEdge;
  /** start, bends, end (absolute) */
  points: Point[];
  label: Box & { text: string };
  /**
   * The twin of an arrow the other way (same port, class, state and count: e.g. CC-1's server ⇄
   * agent): drawn on the twin's route with its arrowhead at the START, so the pair reads as one line
   * with two heads instead of two arrows looping around the picture. The points run from `edge.to`
   * to `edge.from` in that case.
   */
  reversed?: boolean;
}
export interface LegendItem extends Box { key: string; text: string; present: boolean }
export interface PositionedDiagram {
  model: DiagramModel;
  width: number;
  height: number;
  title: string;
  subtitle: string;
  legend: LegendItem[];
  zones: PositionedZone[];
  nodes: PositionedNode[];
  edges: PositionedEdge[];
}

// Geometry (px). Fonts: node titles 13 px bold mono, sub-lines 11 px, badges 10 px, edge labels 11 px.
export const G = {
  margin: 16,
  headerHeight: 78,
  nodePad: 9,
  titleSize: 13,
  subSize: 11,
  badgeSize: 10,
  badgeHeight: 16,
  badgeGap: 4,
  badgePadX: 5,
  labelSize: 11,
  labelHeight: 16,
  labelPadX: 4,
  zonePadTop: 38,
  zonePad: 16,
  maxNameChars: 36,
  severityRoom: 18,
  minNodeWidth: 130,
  maxBadgeRowWidth: 250,
};

/** The text drawn on an arrow: destination port, `×N` when it stands for several pairs, and its state. */
export function edgeLabelText(e: DiagramEdge): string {
  let t = e.label;
  if (e.count > 1) t += ` ×${e.count}`;
  if (e.state === 'blocked') t += ' blocked';
  else if (e.state === 'impossible') t += ' impossible';
  else if (e.encryption === 'unencrypted') t += ' unencrypted';
  return t;
}

function nodeGeometry(n: DiagramNode): Omit<PositionedNode, 'x' | 'y'> {
  const title = clip(n.label, G.maxNameChars);
  let subtitle: string;
  if (n.kind === 'group') {
    const names = (n.members ?? []).slice(0, 3).map((m) => m.name);
    subtitle = clip(`${names.join(', ')}${(n.members?.length ?? 0) > 3 ? ', …' : ''}`, G.maxNameChars + 6);
  } else {
    subtitle = n.implicit ? 'implicit' : n.os ?? 'os not set';
  }
  const titleW = monoWidth(title, G.titleSize) + (n.severity ? G.severityRoom : 0);
  const subW = monoWidth(subtitle, G.subSize);
  const badgeWs = n.components.map((b) => monoWidth(clip(b.short, 24), G.badgeSize) + 2 * G.badgePadX);
  const rowMax = Math.max(titleW, subW, Math.min(G.maxBadgeRowWidth, badgeWs.reduce((a, b) => a + b + G.badgeGap, -G.badgeGap)), G.minNodeWidth - 2 * G.nodePad, ...badgeWs);
  const badges: PositionedBadge[] = [];
  let bx = 0;
  let by = 0;
  const top = G.nodePad + 17 + 15 + 4;
  n.components.forEach((b, i) => {
    const w = badgeWs[i];
    if (bx > 0 && bx + w > rowMax) { bx = 0; by += G.badgeHeight + G.badgeGap; }
    badges.push({ badge: b, text: clip(b.short, 24), x: G.nodePad + bx, y: top + by, width: w, height: G.badgeHeight });
    bx += w + G.badgeGap;
  });
  const height = top + (badges.length ? by + G.badgeHeight : -4) + G.nodePad;
  return { node: n, title, subtitle, badges, width: Math.ceil(rowMax + 2 * G.nodePad), height: Math.ceil(height) };
}

function zoneTitle(z: DiagramZone): { title: string; subtitle: string } {
  return { title: clip(z.name, 40), subtitle: z.cidr ? clip(z.cidr, 45) : z.kind === 'internet' ? 'outside the LAN' : z.kind === 'unassigned' ? 'machines with no subnet' : 'no CIDR' };
}

const LEGEND_TEXT: Record<string, string> = {
  encrypted: 'encrypted',
  depends: 'depends (SMB)',
  unencrypted: 'not encrypted',
  'not-stated': 'not stated',
  blocked: 'blocked / impossible',
};

let elk: InstanceType<typeof ELK> | undefined;

/** Past this many routed arrows, ELK runs with cheaper settings (about 5× faster on 500 arrows). */
export const LARGE_EDGES = 120;
const LARGE_GRAPH_OPTIONS: Record<string, string> = {
  'elk.layered.thoroughness': '1',
  'elk.layered.considerModelOrder.strategy': 'NONE',
  'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
  'elk.layered.nodePlacement.strategy': 'SIMPLE',
};

export interface LayoutOptions {
  /** `RIGHT` (default) or `DOWN` */
  direction?: 'RIGHT' | 'DOWN';
  /** extra ELK options (tuning, tests) */
  elk?: Record<string, string>;
}

/** Lays the model out. Async because ELK's API is; it does not touch the DOM. */
export async function layout(model: DiagramModel, opts: LayoutOptions = {}): Promise<PositionedDiagram> {
  elk ??= new ELK();
  const geo = new Map<string, Omit<PositionedNode, 'x' | 'y'>>();
  for (const n of model.nodes) geo.set(n.id, nodeGeometry(n));
  const zoneChildren = new Map<string, ElkNode[]>();
  for (const z of model.zones) zoneChildren.set(z.id, []);
  for (const n of model.nodes) {
    const g = geo.get(n.id)!;
    const list = zoneChildren.get(n.zone) ?? zoneChildren.set(n.zone, []).get(n.zone)!;
    list.push({ id: n.id, width: g.width, height: g.height });
  }
  const zoneTitles = new Map(model.zones.map((z) => [z.id, zoneTitle(z)]));
  const children: ElkNode[] = model.zones.map((z) => {
    const zt = zoneTitles.get(z.id)!;
    const minW = Math.max(sansWidth(zt.title, 13) + monoWidth(zt.subtitle, 11) + 40, 160);
    return {
      id: z.id,
      children: zoneChildren.get(z.id) ?? [],
      layoutOptions: {
        'elk.padding': `[top=${G.zonePadTop},left=${G.zonePad},bottom=${G.zonePad},right=${G.zonePad}]`,
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
        'elk.nodeSize.minimum': `(${minW}, 70)`,
      },
    };
  });
  const labelTexts = new Map<string, string>();
  // pair each arrow with an identical one the other way, if any
  const twinOf = new Map<number, number>();
  const open = new Map<string, number[]>();
  // the routed one of a pair points at the end with more incoming arrows (servers), which keeps it a
  // forward edge for the layered layout (agents left, the servers they talk to right)
  const indegree = new Map<string, number>();
  for (const e of model.edges) indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
  model.edges.forEach((e, i) => {
    const back = `${e.to}\u0000${e.from}\u0000${e.label}\u0000${e.encryption}\u0000${e.state}\u0000${e.count}`;
    const waiting = open.get(back);
    if (waiting && waiting.length) {
      const j = waiting.shift()!;
      if ((indegree.get(e.to) ?? 0) > (indegree.get(model.edges[j].to) ?? 0)) twinOf.set(j, i);
      else twinOf.set(i, j);
      return;
    }
    const key = `${e.from}\u0000${e.to}\u0000${e.label}\u0000${e.encryption}\u0000${e.state}\u0000${e.count}`;
    (open.get(key) ?? open.set(key, []).get(key)!).push(i);
  });
  const edges: ElkExtendedEdge[] = model.edges.flatMap((e, i) => {
    const text = edgeLabelText(e);
    labelTexts.set(e.id, text);
    if (twinOf.has(i)) return [];
    return [{
      id: `e${i}`,
      sources: [e.from],
      targets: [e.to],
      labels: [{ id: `l${i}`, text, width: monoWidth(text, G.labelSize) + 2 * G.labelPadX, height: G.labelHeight, layoutOptions: { 'elk.edgeLabels.placement': 'CENTER' } }],
    }];
  });
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': opts.direction ?? 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.crossingMinimization.forceNodeModelOrder': 'false',
      'elk.spacing.nodeNode': '28',
      'elk.layered.spacing.nodeNodeBetweenLayers': '56',
      'elk.spacing.edgeNode': '16',
      'elk.spacing.edgeEdge': '12',
      'elk.layered.spacing.edgeNodeBetweenLayers': '16',
      'elk.layered.spacing.edgeEdgeBetweenLayers': '10',
      'elk.spacing.edgeLabel': '3',
      'elk.spacing.componentComponent': '40',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.padding': '[top=0,left=0,bottom=0,right=0]',
      // a large picture (groups expanded, grouping off): trade some crossings for a layout in seconds
      ...(edges.length > LARGE_EDGES ? LARGE_GRAPH_OPTIONS : {}),
      ...opts.elk,
    },
    children,
    edges,
  };
  const out = await elk.layout(graph);

  const dx = G.margin;
  const dy = G.headerHeight;
  const zones: PositionedZone[] = [];
  const nodes: PositionedNode[] = [];
  const zoneById = new Map(model.zones.map((z) => [z.id, z]));
  const nodeById = new Map(model.nodes.map((n) => [n.id, n]));
  for (const z of out.children ?? []) {
    const zone = zoneById.get(z.id)!;
    zones.push({ zone, ...zoneTitles.get(z.id)!, x: (z.x ?? 0) + dx, y: (z.y ?? 0) + dy, width: z.width ?? 0, height: z.height ?? 0 });
    for (const c of z.children ?? []) {
      const g = geo.get(c.id)!;
      if (!nodeById.has(c.id)) continue;
      nodes.push({ ...g, x: (c.x ?? 0) + dx, y: (c.y ?? 0) + dy });
    }
  }
  const routed = new Map<number, PositionedEdge>();
  for (const oe of out.edges ?? []) {
    const i = Number(oe.id.slice(1));
    const e = model.edges[i];
    const sec = (oe as ElkExtendedEdge).sections?.[0];
    const points: Point[] = sec ? [sec.startPoint, ...(sec.bendPoints ?? []), sec.endPoint].map((p) => ({ x: p.x + dx, y: p.y + dy })) : [];
    const l = oe.labels?.[0];
    const text = labelTexts.get(e.id) ?? e.label;
    routed.set(i, { edge: e, points, label: { text, x: (l?.x ?? 0) + dx, y: (l?.y ?? 0) + dy, width: l?.width ?? 0, height: l?.height ?? 0 } });
  }
  const pedges: PositionedEdge[] = model.edges.map((e, i) => {
    const twin = twinOf.get(i);
    if (twin === undefined) return routed.get(i) ?? { edge: e, points: [], label: { text: e.label, x: 0, y: 0, width: 0, height: 0 } };
    const t = routed.get(twin);
    return { edge: e, points: t?.points ?? [], label: { ...(t?.label ?? { x: 0, y: 0, width: 0, height: 0 }), text: labelTexts.get(e.id) ?? e.label }, reversed: true };
  });

  // header: title, view, legend in one row
  const title = clip(model.title ?? 'Acrotopo deployment', 80);
  const subtitle = `${model.viewLabel} — ${model.stats.machines} machine${model.stats.machines === 1 ? '' : 's'}, ${model.stats.flows} flow${model.stats.flows === 1 ? '' : 's'}${model.stats.groups ? `, ${model.stats.groups} group${model.stats.groups === 1 ? '' : 's'}` : ''}`;
  const legend: LegendItem[] = [];
  let lx = G.margin;
  for (const l of model.legend) {
    const text = LEGEND_TEXT[l.key] ?? l.label;
    const w = 34 + monoWidth(text, 11) + 18;
    legend.push({ key: l.key, text, present: l.present, x: lx, y: 54, width: w, height: 16 });
    lx += w;
  }
  const width = Math.ceil(Math.max((out.width ?? 0) + 2 * G.margin, lx + G.margin, sansWidth(title, 16) + 2 * G.margin, monoWidth(subtitle, 11) + 2 * G.margin));
  const height = Math.ceil((out.height ?? 0) + G.headerHeight + G.margin);
  return { model, width, height, title, subtitle, legend, zones, nodes, edges: pedges };
}
