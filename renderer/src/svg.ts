// Writes a positioned diagram as one self-contained SVG string. Colours are presentation attributes
// (no <style>, no style="…"), so the same markup works in a file, in a browser and inside the webview
// under a strict CSP. Every name and label is escaped; nothing from the document becomes a link.
import type { DiagramEdge, DiagramNode, EncryptionClass, Range, Severity } from '@acrotopo/engine';
import type { PositionedDiagram, PositionedEdge, PositionedNode, PositionedZone, Point } from './layout';
import { dataValue, esc, MONO, SANS } from './text';

export type Theme = 'light' | 'dark' | 'vscode';

export interface Palette {
  /** background rect (none for the vscode theme: the editor's own background shows through) */
  background?: string;
  fg: string;
  muted: string;
  zoneStroke: string;
  zoneFill: string;
  internetFill: string;
  nodeFill: string;
  nodeStroke: string;
  badgeFill: string;
  badgeStroke: string;
  badgeText: string;
  labelFill: string;
  edge: Record<EncryptionClass | 'blocked', string>;
  severity: Record<Severity, string>;
}

export const PALETTES: Record<Theme, Palette> = {
  light: {
    background: '#ffffff',
    fg: '#1f2328',
    muted: '#59636e',
    zoneStroke: '#8c959f',
    zoneFill: '#f6f8fa',
    internetFill: '#eef4fb',
    nodeFill: '#ffffff',
    nodeStroke: '#57606a',
    badgeFill: '#ddf4ff',
    badgeStroke: '#54aeff',
    badgeText: '#0a3069',
    labelFill: '#ffffff',
    edge: { encrypted: '#1a7f37', depends: '#9a6700', unencrypted: '#d1590a', 'not-stated': '#6e7781', impossible: '#cf222e', blocked: '#cf222e' },
    severity: { error: '#cf222e', warning: '#bf8700', info: '#0969da' },
  },
  dark: {
    background: '#1e1e1e',
    fg: '#e6edf3',
    muted: '#9198a1',
    zoneStroke: '#6e7681',
    zoneFill: '#262a30',
    internetFill: '#1d2a3a',
    nodeFill: '#2d333b',
    nodeStroke: '#8b949e',
    badgeFill: '#0c2d6b',
    badgeStroke: '#388bfd',
    badgeText: '#cae8ff',
    labelFill: '#1e1e1e',
    edge: { encrypted: '#3fb950', depends: '#d29922', unencrypted: '#f0883e', 'not-stated': '#8b949e', impossible: '#f85149', blocked: '#f85149' },
    severity: { error: '#f85149', warning: '#d29922', info: '#58a6ff' },
  },
  vscode: {
    fg: 'var(--vscode-editor-foreground, #1f2328)',
    muted: 'var(--vscode-descriptionForeground, #59636e)',
    zoneStroke: 'var(--vscode-editorWidget-border, #8c959f)',
    zoneFill: 'var(--vscode-sideBar-background, #f6f8fa)',
    internetFill: 'var(--vscode-editorInfo-background, var(--vscode-sideBar-background, #eef4fb))',
    nodeFill: 'var(--vscode-editorWidget-background, #ffffff)',
    nodeStroke: 'var(--vscode-editorWidget-foreground, #57606a)',
    badgeFill: 'var(--vscode-badge-background, #ddf4ff)',
    badgeStroke: 'var(--vscode-badge-background, #54aeff)',
    badgeText: 'var(--vscode-badge-foreground, #0a3069)',
    labelFill: 'var(--vscode-editor-background, #ffffff)',
    edge: {
      encrypted: 'var(--vscode-charts-green, #1a7f37)',
      depends: 'var(--vscode-charts-yellow, #9a6700)',
      unencrypted: 'var(--vscode-charts-orange, #d1590a)',
      'not-stated': 'var(--vscode-disabledForeground, #6e7781)',
      impossible: 'var(--vscode-charts-red, #cf222e)',
      blocked: 'var(--vscode-charts-red, #cf222e)',
    },
    severity: {
      error: 'var(--vscode-editorError-foreground, #cf222e)',
      warning: 'var(--vscode-editorWarning-foreground, #bf8700)',
      info: 'var(--vscode-editorInfo-foreground, #0969da)',
    },
  },
};

/** Stroke style per encryption class / state: the legend and the arrows use the same table. */
export function edgeStyle(key: EncryptionClass | 'blocked'): { dash?: string; width: number } {
  switch (key) {
    case 'encrypted': return { width: 1.6 };
    case 'depends': return { dash: '7 4', width: 1.6 };
    case 'unencrypted': return { dash: '2 3', width: 2 };
    case 'not-stated': return { width: 1.3 };
    case 'impossible':
    case 'blocked': return { dash: '9 4', width: 2 };
  }
}

export function edgeStyleKey(e: DiagramEdge): EncryptionClass | 'blocked' {
  return e.state === 'ok' ? e.encryption : 'blocked';
}

/** `line:col-line:col`, 1-based like the CLI's output (the model's ranges are 0-based). */
export function rangeAttr(r: Range | undefined): string | undefined {
  if (!r) return undefined;
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}

/** Multi-line tooltip text: each line neutralised and escaped, joined with newlines. */
function tip(lines: (string | undefined)[]): string {
  return lines.filter((l): l is string => l !== undefined && l !== '').map((l) => esc(l)).join('\n');
}

function attrs(a: Record<string, string | number | undefined>): string {
  let s = '';
  for (const [k, v] of Object.entries(a)) if (v !== undefined) s += ` ${k}="${esc(v)}"`;
  return s;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

function pathOf(points: Point[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${r1(p.x)} ${r1(p.y)}`).join(' ');
}

export interface SvgOptions {
  theme?: Theme;
  /** prefix for ids inside the SVG (markers), so two diagrams can sit in one page */
  idPrefix?: string;
}

const SEVERITY_WORD: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info' };

function zoneSvg(z: PositionedZone, p: Palette): string {
  const fill = z.zone.kind === 'internet' ? p.internetFill : p.zoneFill;
  const dash = z.zone.kind === 'unassigned' ? '5 4' : undefined;
  return `<g${attrs({ class: `zone zone-${z.zone.kind}`, 'data-zone': dataValue(z.zone.name), 'data-range': rangeAttr(z.zone.range) })}>`
    + `<title>${tip([`zone ${z.zone.name}`, z.zone.cidr])}</title>`
    + `<rect${attrs({ x: r1(z.x), y: r1(z.y), width: r1(z.width), height: r1(z.height), rx: 10, fill, stroke: p.zoneStroke, 'stroke-width': 1.2, 'stroke-dasharray': dash })}/>`
    // the CIDR follows the name in the same <text> (a tspan), so it can never overlap a wide name
    + `<text${attrs({ x: r1(z.x + 12), y: r1(z.y + 22), fill: p.fg, 'font-family': SANS, 'font-size': 13, 'font-weight': 'bold' })}>${esc(z.title)}`
    + `<tspan${attrs({ dx: 10, fill: p.muted, 'font-family': MONO, 'font-size': 11, 'font-weight': 'normal' })}>${esc(z.subtitle)}</tspan></text>`
    + `</g>`;
}

function nodeTooltip(n: DiagramNode, zoneName: string): string {
  const comps = n.components.map((b) => b.label).join(', ');
  if (n.kind === 'group') {
    const members = n.members ?? [];
    const shown = members.slice(0, 40).map((m) => m.name).join(', ');
    return tip([
      n.label,
      `zone: ${zoneName}`,
      n.os ? `os: ${n.os}` : undefined,
      comps ? `components: ${comps}` : undefined,
      `members: ${shown}${members.length > 40 ? `, … and ${members.length - 40} more` : ''}`,
      n.severity ? `${n.diagnosticCount} problem${n.diagnosticCount === 1 ? '' : 's'} (worst: ${n.severity})` : undefined,
      'alike machines with the same flows, folded; expand the group to see each one',
    ]);
  }
  return tip([
    n.name,
    n.implicit ? 'implicit node (not declared in the file)' : undefined,
    `zone: ${zoneName}`,
    n.os ? `os: ${n.os}` : undefined,
    comps ? `components: ${comps}` : undefined,
    n.severity ? `${n.diagnosticCount} problem${n.diagnosticCount === 1 ? '' : 's'} (worst: ${n.severity})` : undefined,
    n.idle ? 'no flow of this view starts or ends here' : undefined,
  ]);
}

function nodeSvg(pn: PositionedNode, index: number, p: Palette, zoneName: string): string {
  const n = pn.node;
  const { x, y, width: w, height: h } = pn;
  const cls = ['node', n.kind, n.severity ? `sev-${n.severity}` : '', n.idle ? 'idle' : '', n.implicit ? 'implicit' : ''].filter(Boolean).join(' ');
  let s = `<g${attrs({ class: cls, 'data-index': index, 'data-node': dataValue(n.id), 'data-machine': dataValue(n.name), 'data-group': n.kind === 'group' ? dataValue(n.id) : undefined, 'data-count': n.members?.length, 'data-range': rangeAttr(n.range), opacity: n.idle ? 0.55 : undefined, tabindex: 0, role: 'button' })}>`;
  s += `<title>${nodeTooltip(n, zoneName)}</title>`;
  if (n.kind === 'group') {
    s += `<rect${attrs({ x: r1(x + 6), y: r1(y - 6), width: r1(w), height: r1(h), rx: 6, fill: p.nodeFill, stroke: p.nodeStroke, 'stroke-width': 1 })}/>`;
    s += `<rect${attrs({ x: r1(x + 3), y: r1(y - 3), width: r1(w), height: r1(h), rx: 6, fill: p.nodeFill, stroke: p.nodeStroke, 'stroke-width': 1 })}/>`;
  }
  const stroke = n.severity ? p.severity[n.severity] : p.nodeStroke;
  s += `<rect${attrs({ class: 'box', x: r1(x), y: r1(y), width: r1(w), height: r1(h), rx: 6, fill: p.nodeFill, stroke, 'stroke-width': n.severity ? 2 : 1.2, 'stroke-dasharray': n.implicit ? '4 3' : undefined })}/>`;
  s += `<text${attrs({ x: r1(x + 9), y: r1(y + 9 + 13), fill: p.fg, 'font-size': 13, 'font-weight': 'bold' })}>${esc(pn.title)}</text>`;
  s += `<text${attrs({ x: r1(x + 9), y: r1(y + 9 + 17 + 12), fill: p.muted, 'font-size': 11 })}>${esc(pn.subtitle)}</text>`;
  if (n.severity) {
    s += `<circle${attrs({ class: 'severity', cx: r1(x + w - 11), cy: r1(y + 11), r: 5, fill: p.severity[n.severity] })}><title>${esc(`${n.diagnosticCount} ${SEVERITY_WORD[n.severity]}-level problem${n.diagnosticCount === 1 ? '' : 's'} or worse`)}</title></circle>`;
  }
  for (const b of pn.badges) {
    s += `<g class="badge"><title>${esc(b.badge.label)}</title>`
      + `<rect${attrs({ x: r1(x + b.x), y: r1(y + b.y), width: r1(b.width), height: b.height, rx: 8, fill: p.badgeFill, stroke: p.badgeStroke, 'stroke-width': 0.8 })}/>`
      + `<text${attrs({ x: r1(x + b.x + 5), y: r1(y + b.y + 11.5), fill: p.badgeText, 'font-size': 10 })}>${esc(b.text)}</text></g>`;
  }
  return s + '</g>';
}

function edgeTooltip(e: DiagramEdge, from: string, to: string): string {
  const enc = e.state === 'impossible' ? 'impossible' : e.encryption;
  return tip([
    `${from} → ${to}: ${e.label}${e.count > 1 ? ` (${e.count} connections)` : ''}`,
    `purpose: ${e.purposes.join('; ')}`,
    `encryption: ${enc} — ${e.encryptionNote}`,
    e.catalogue.length ? `catalogue: ${e.catalogue.join(', ')}` : e.kind === 'stated' ? 'stated in connections: (matches no documented flow)' : undefined,
    e.sourcePorts ? `source ports: ${e.sourcePorts}` : undefined,
    e.state === 'blocked' ? `blocked by: ${e.blockedBy.join(', ')}` : undefined,
    ...e.diagnostics.slice(0, 5).map((d) => `${d.severity} ${d.rule}: ${d.message}`),
    e.diagnostics.length > 5 ? `… and ${e.diagnostics.length - 5} more problems` : undefined,
  ]);
}

function edgeSvg(pe: PositionedEdge, index: number, p: Palette, names: Map<string, string>, prefix: string): string {
  const e = pe.edge;
  if (pe.points.length < 2) return '';
  const key = edgeStyleKey(e);
  const st = edgeStyle(key);
  const colour = p.edge[key];
  const d = pathOf(pe.points);
  const cls = `edge enc-${e.encryption} state-${e.state}${e.severity ? ` sev-${e.severity}` : ''}`;
  let s = `<g${attrs({ class: cls, 'data-index': index, 'data-flow': dataValue(e.id), 'data-from': dataValue(e.from), 'data-to': dataValue(e.to), 'data-port': dataValue(e.label), 'data-encryption': e.encryption, 'data-state': e.state, 'data-count': e.count, 'data-range': rangeAttr(e.range), 'data-reversed': pe.reversed ? 'true' : undefined, tabindex: 0, role: 'button' })}>`;
  s += `<title>${edgeTooltip(e, names.get(e.from) ?? e.from, names.get(e.to) ?? e.to)}</title>`;
  s += `<path${attrs({ class: 'hit', d, fill: 'none', stroke: 'transparent', 'stroke-width': 10 })}/>`;
  s += `<path${attrs({ class: 'line', d, fill: 'none', stroke: colour, 'stroke-width': st.width, 'stroke-dasharray': st.dash, 'stroke-linecap': key === 'unencrypted' ? 'round' : undefined, [pe.reversed ? 'marker-start' : 'marker-end']: `url(#${prefix}arrow-${key})` })}/>`;
  const l = pe.label;
  s += `<rect${attrs({ class: 'label-bg', x: r1(l.x), y: r1(l.y), width: r1(l.width), height: r1(l.height), rx: 3, fill: p.labelFill, stroke: colour, 'stroke-width': 0.8, 'fill-opacity': 0.92 })}/>`;
  s += `<text${attrs({ class: 'label', x: r1(l.x + 4), y: r1(l.y + 12), fill: key === 'encrypted' || key === 'not-stated' ? p.fg : colour, 'font-size': 11 })}>${esc(l.text)}</text>`;
  return s + '</g>';
}

function markers(p: Palette, prefix: string): string {
  const keys: (EncryptionClass | 'blocked')[] = ['encrypted', 'depends', 'unencrypted', 'not-stated', 'impossible', 'blocked'];
  return '<defs>' + keys.map((k) => `<marker${attrs({ id: `${prefix}arrow-${k}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse' })}><path${attrs({ d: 'M0 0 L10 5 L0 10 z', fill: p.edge[k] })}/></marker>`).join('') + '</defs>';
}

function legendSvg(pd: PositionedDiagram, p: Palette, prefix: string): string {
  let s = '<g class="legend">';
  for (const item of pd.legend) {
    const key = item.key as EncryptionClass | 'blocked';
    const st = edgeStyle(key);
    const y = item.y + 8;
    s += `<g${attrs({ class: `legend-item legend-${key}${item.present ? '' : ' absent'}`, opacity: item.present ? undefined : 0.6 })}>`
      + `<line${attrs({ x1: item.x, y1: y, x2: item.x + 26, y2: y, stroke: p.edge[key], 'stroke-width': st.width, 'stroke-dasharray': st.dash, 'marker-end': `url(#${prefix}arrow-${key})` })}/>`
      + `<text${attrs({ x: item.x + 32, y: y + 4, fill: p.fg, 'font-size': 11 })}>${esc(item.text)}</text></g>`;
  }
  return s + '</g>';
}

/** The whole diagram as an SVG document (UTF-8 text, no XML declaration). */
export function renderSvg(pd: PositionedDiagram, opts: SvgOptions = {}): string {
  const theme = opts.theme ?? 'light';
  const p = PALETTES[theme];
  const prefix = (opts.idPrefix ?? 'acrotopo-').replace(/[^A-Za-z0-9_-]/g, '');
  const zoneNames = new Map(pd.model.zones.map((z) => [z.id, z.name]));
  const names = new Map(pd.model.nodes.map((n) => [n.id, n.kind === 'group' ? n.label : n.name]));
  const m = pd.model;
  let s = `<svg xmlns="http://www.w3.org/2000/svg"${attrs({ width: pd.width, height: pd.height, viewBox: `0 0 ${pd.width} ${pd.height}`, class: `acrotopo-diagram theme-${theme}`, 'data-view': m.view, 'font-family': MONO, role: 'img' })}>`;
  s += `<title>${esc(`${pd.title} — ${m.viewLabel}`)}</title>`;
  s += markers(p, prefix);
  if (p.background) s += `<rect${attrs({ class: 'background', x: 0, y: 0, width: pd.width, height: pd.height, fill: p.background })}/>`;
  s += `<g class="header"><text${attrs({ x: 16, y: 26, fill: p.fg, 'font-family': SANS, 'font-size': 16, 'font-weight': 'bold' })}>${esc(pd.title)}</text>`;
  s += `<text${attrs({ x: 16, y: 45, fill: p.muted, 'font-size': 11 })}>${esc(pd.subtitle)}</text></g>`;
  s += legendSvg(pd, p, prefix);
  s += '<g class="zones">' + pd.zones.map((z) => zoneSvg(z, p)).join('') + '</g>';
  s += '<g class="nodes">' + pd.nodes.map((n, i) => nodeSvg(n, i, p, zoneNames.get(n.node.zone) ?? '')).join('') + '</g>';
  s += '<g class="edges">' + pd.edges.map((e, i) => edgeSvg(e, i, p, names, prefix)).join('') + '</g>';
  if (m.nodes.length === 0) {
    s += `<text${attrs({ x: 16, y: G_EMPTY_Y, fill: p.muted, 'font-size': 12 })}>No machines to draw: add machines under \`machines:\`.</text>`;
  }
  return s + '</svg>';
}

const G_EMPTY_Y = 100;
