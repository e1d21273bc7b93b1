// The preview webview: receives the diagram MODEL from the extension, lays it out with ELK here (off the
// extension host), draws the SVG, and offers views, zoom/pan/fit, click-to-source, cursor highlight and
// SVG/PNG export. It never evaluates anything from the document: names arrive as data, are escaped by
// the renderer, and the SVG is parsed with DOMParser (never innerHTML) before it is inserted.
import { layout, nodeAtOffset, renderSvg } from '../../renderer/src/index';
import type { PositionedDiagram } from '../../renderer/src/index';
import type { DiagramModel, DiagramView, Range } from '@acrotopo/engine';
import { parseState, parseToWebview } from './protocol';
import type { ExportFormat, FromWebview, PreviewState } from './protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (m: FromWebview) => vscode.postMessage(m);

const VIEWS: { id: DiagramView; label: string }[] = [
  { id: 'installation', label: 'Remote installation' },
  { id: 'communication', label: 'Communication between components' },
  { id: 'all', label: 'All' },
];

const restored = parseState(vscode.getState());
const st = {
  uri: restored?.uri ?? '',
  view: (restored?.view ?? 'all') as DiagramView,
  expanded: restored?.expanded ?? ([] as string[]),
  model: undefined as DiagramModel | undefined,
  positioned: undefined as PositionedDiagram | undefined,
  latestSeq: -1,
  scale: 1,
  tx: 0,
  ty: 0,
  fitPending: true,
  highlight: undefined as string | undefined,
  cursorOffset: undefined as number | undefined,
};

// ---------------------------------------------------------------------------------------------------
// DOM (built with createElement/textContent only)

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

const app = document.getElementById('app') ?? document.body.appendChild(el('div'));
app.id = 'app';
app.className = '';
app.replaceChildren();
const toolbar = el('div', 'toolbar');
toolbar.setAttribute('role', 'toolbar');
const tabs = el('div', 'tabs');
tabs.setAttribute('role', 'tablist');
const tabButtons = new Map<DiagramView, HTMLButtonElement>();
for (const v of VIEWS) {
  const b = el('button', 'tab', v.label);
  b.type = 'button';
  b.dataset.view = v.id;
  b.setAttribute('role', 'tab');
  tabs.appendChild(b);
  tabButtons.set(v.id, b);
}
const spacer = el('span', 'spacer');
function tool(action: string, text: string, title: string): HTMLButtonElement {
  const b = el('button', `tool tool-${action}`, text);
  b.type = 'button';
  b.dataset.action = action;
  b.title = title;
  b.setAttribute('aria-label', title);
  return b;
}
const foldButton = tool('collapse', 'Fold groups', 'Fold the expanded groups again');
foldButton.hidden = true;
toolbar.append(
  tabs,
  spacer,
  foldButton,
  tool('zoom-out', '−', 'Zoom out (-)'),
  tool('zoom-in', '+', 'Zoom in (+)'),
  tool('fit', 'Fit', 'Fit the diagram to the window (0)'),
  tool('export-svg', 'SVG', 'Export as SVG…'),
  tool('export-png', 'PNG', 'Export as PNG…'),
);
const banner = el('div', 'banner');
banner.setAttribute('role', 'status');
banner.hidden = true;
const viewport = el('div', 'viewport');
viewport.tabIndex = 0;
const canvas = el('div', 'canvas');
viewport.appendChild(canvas);
const empty = el('div', 'empty', 'Waiting for the document…');
viewport.appendChild(empty);
const statusBar = el('div', 'statusbar');
app.append(toolbar, banner, viewport, statusBar);

function selectTab(view: DiagramView): void {
  for (const [id, b] of tabButtons) {
    b.setAttribute('aria-selected', String(id === view));
    b.classList.toggle('selected', id === view);
  }
}
selectTab(st.view);

function saveState(): void {
  const s: PreviewState = { uri: st.uri, view: st.view, expanded: st.expanded };
  vscode.setState(s);
}

/** The model's notes as one banner text (strings only, a few, clipped), or undefined. */
function modelNotes(model: DiagramModel): string | undefined {
  const notes = Array.isArray(model.notes) ? model.notes.filter((n): n is string => typeof n === 'string').slice(0, 4).map((n) => n.slice(0, 600)) : [];
  return notes.length > 0 ? notes.join(' ') : undefined;
}

function showBanner(text: string | undefined, kind: 'warning' | 'error' = 'warning'): void {
  banner.hidden = text === undefined;
  banner.textContent = text ?? '';
  banner.className = `banner ${kind}`;
}

// ---------------------------------------------------------------------------------------------------
// Zoom and pan (a CSS transform on the canvas; CSSOM writes are allowed by the CSP)

function applyTransform(): void {
  canvas.style.transform = `translate(${st.tx}px, ${st.ty}px) scale(${st.scale})`;
}

function zoomAt(factor: number, cx: number, cy: number): void {
  const ns = Math.min(8, Math.max(0.05, st.scale * factor));
  const f = ns / st.scale;
  st.tx = cx - (cx - st.tx) * f;
  st.ty = cy - (cy - st.ty) * f;
  st.scale = ns;
  applyTransform();
}

function fit(): void {
  const pd = st.positioned;
  if (!pd) return;
  const w = viewport.clientWidth || 800;
  const h = viewport.clientHeight || 600;
  const s = Math.min(1.5, Math.max(0.05, Math.min((w - 16) / pd.width, (h - 16) / pd.height)));
  st.scale = s;
  st.tx = Math.max(8, (w - pd.width * s) / 2);
  st.ty = 8;
  applyTransform();
}

viewport.addEventListener(
  'wheel',
  (ev) => {
    ev.preventDefault();
    const r = viewport.getBoundingClientRect();
    zoomAt(Math.exp(-ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.0015)), ev.clientX - r.left, ev.clientY - r.top);
  },
  { passive: false },
);

let drag: { x: number; y: number; tx: number; ty: number; moved: boolean; id: number } | undefined;
viewport.addEventListener('pointerdown', (ev) => {
  if (ev.button !== 0) return;
  drag = { x: ev.clientX, y: ev.clientY, tx: st.tx, ty: st.ty, moved: false, id: ev.pointerId };
});
viewport.addEventListener('pointermove', (ev) => {
  if (!drag || ev.pointerId !== drag.id) return;
  const dx = ev.clientX - drag.x;
  const dy = ev.clientY - drag.y;
  if (!drag.moved && Math.abs(dx) + Math.abs(dy) > 4) {
    drag.moved = true;
    viewport.setPointerCapture(ev.pointerId);
    viewport.classList.add('panning');
  }
  if (drag.moved) {
    st.tx = drag.tx + dx;
    st.ty = drag.ty + dy;
    applyTransform();
  }
});
function endDrag(ev: PointerEvent): void {
  if (!drag || ev.pointerId !== drag.id) return;
  const wasDrag = drag.moved;
  drag = undefined;
  viewport.classList.remove('panning');
  if (viewport.hasPointerCapture(ev.pointerId)) viewport.releasePointerCapture(ev.pointerId);
  if (!wasDrag) activate(ev.target, false);
}
viewport.addEventListener('pointerup', endDrag);
viewport.addEventListener('pointercancel', (ev) => {
  drag = undefined;
  viewport.classList.remove('panning');
  if (viewport.hasPointerCapture(ev.pointerId)) viewport.releasePointerCapture(ev.pointerId);
});
viewport.addEventListener('dblclick', (ev) => activate(ev.target, true));
viewport.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' || ev.key === ' ') {
    activate(ev.target, false);
    ev.preventDefault();
  } else if (ev.key === '+' || ev.key === '=') zoomAt(1.25, viewport.clientWidth / 2, viewport.clientHeight / 2);
  else if (ev.key === '-') zoomAt(0.8, viewport.clientWidth / 2, viewport.clientHeight / 2);
  else if (ev.key === '0') fit();
});

// ---------------------------------------------------------------------------------------------------
// Click → source

function reveal(range: Range | undefined): void {
  if (range) post({ type: 'reveal', range });
}

/** A click (or Enter) on a node or an arrow reveals its YAML; a double click on a group expands it. */
function activate(target: EventTarget | null, double: boolean): void {
  const pd = st.positioned;
  if (!pd || !(target instanceof Element)) return;
  // elements carry their index in the positioned diagram (names in data-* are only informational)
  const edgeEl = target.closest('[data-flow]');
  if (edgeEl) {
    const e = pd.edges[Number(edgeEl.getAttribute('data-index'))]?.edge;
    if (e && !double) reveal(e.range);
    return;
  }
  const nodeEl = target.closest('[data-node]');
  if (nodeEl) {
    const n = pd.nodes[Number(nodeEl.getAttribute('data-index'))]?.node;
    if (!n) return;
    if (double && n.kind === 'group') post({ type: 'expand', group: n.id });
    else if (!double) reveal(n.range);
  }
}

toolbar.addEventListener('click', (ev) => {
  const b = (ev.target as Element | null)?.closest('button');
  if (!b) return;
  const view = b.dataset.view as DiagramView | undefined;
  if (view) {
    if (view !== st.view) {
      st.view = view;
      st.fitPending = true;
      selectTab(view);
      saveState();
      post({ type: 'setView', view });
    }
    return;
  }
  switch (b.dataset.action) {
    case 'zoom-in': zoomAt(1.25, viewport.clientWidth / 2, viewport.clientHeight / 2); break;
    case 'zoom-out': zoomAt(0.8, viewport.clientWidth / 2, viewport.clientHeight / 2); break;
    case 'fit': fit(); break;
    case 'collapse': post({ type: 'collapseAll' }); break;
    case 'export-svg': void exportAs('svg'); break;
    case 'export-png': void exportAs('png'); break;
  }
});

// ---------------------------------------------------------------------------------------------------
// Drawing

const nodeEls = new Map<string, Element>();

function highlight(id: string | undefined): void {
  if (st.highlight) nodeEls.get(st.highlight)?.classList.remove('highlight');
  st.highlight = id;
  if (id) nodeEls.get(id)?.classList.add('highlight');
}

async function draw(model: DiagramModel, seq: number): Promise<void> {
  const t0 = performance.now();
  statusBar.textContent = 'Laying out…';
  let pd: PositionedDiagram;
  try {
    pd = await layout(model);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    showBanner(`The layout failed: ${msg.slice(0, 300)}`, 'error');
    post({ type: 'error', message: `layout failed: ${msg.slice(0, 1000)}` });
    return;
  }
  if (seq !== st.latestSeq) return; // a newer model arrived meanwhile
  const svgText = renderSvg(pd, { theme: 'vscode' });
  const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length > 0) {
    showBanner('The diagram could not be drawn (invalid SVG).', 'error');
    post({ type: 'error', message: 'renderer produced invalid SVG' });
    return;
  }
  const svg = document.importNode(root, true);
  canvas.replaceChildren(svg);
  empty.hidden = model.nodes.length > 0;
  if (model.nodes.length === 0) empty.textContent = 'No machines to draw yet: add some under `machines:`.';
  st.model = model;
  st.positioned = pd;
  nodeEls.clear();
  for (const g of Array.from(svg.querySelectorAll('[data-node]'))) {
    const n = pd.nodes[Number(g.getAttribute('data-index'))]?.node;
    if (n) nodeEls.set(n.id, g);
  }
  st.highlight = undefined;
  if (st.cursorOffset !== undefined) highlight(nodeAtOffset(model, st.cursorOffset)?.id);
  if (st.fitPending) {
    st.fitPending = false;
    fit();
  } else applyTransform();
  const ms = Math.round(performance.now() - t0);
  const groups = model.nodes.filter((n) => n.kind === 'group').length;
  statusBar.textContent = `${model.stats.machines} machine${model.stats.machines === 1 ? '' : 's'} · ${model.edges.length} arrow${model.edges.length === 1 ? '' : 's'}${groups ? ` · ${groups} folded group${groups === 1 ? '' : 's'} (double-click to expand)` : ''} · drawn in ${ms} ms`;
  document.body.dataset.rendered = String(seq);
  if (pendingExport) {
    const f = pendingExport;
    pendingExport = undefined;
    void exportAs(f);
  }
}

/** Pans (without zooming) so the box of `id` is inside the viewport. */
function bringIntoView(id: string): void {
  const pn = st.positioned?.nodes.find((n) => n.node.id === id);
  if (!pn) return;
  const w = viewport.clientWidth;
  const h = viewport.clientHeight;
  const x0 = st.tx + pn.x * st.scale;
  const y0 = st.ty + pn.y * st.scale;
  const x1 = x0 + pn.width * st.scale;
  const y1 = y0 + pn.height * st.scale;
  if (x0 >= 0 && y0 >= 0 && x1 <= w && y1 <= h) return;
  st.tx += w / 2 - (x0 + x1) / 2;
  st.ty += h / 2 - (y0 + y1) / 2;
  applyTransform();
}

// ---------------------------------------------------------------------------------------------------
// Export (a fixed light theme with its own background, whatever the editor's theme)

function utf8Base64(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

let pendingExport: ExportFormat | undefined;

async function exportAs(format: ExportFormat): Promise<void> {
  const pd = st.positioned;
  if (!pd) {
    pendingExport = format; // runs once the first picture is drawn
    return;
  }
  const svg = renderSvg(pd, { theme: 'light' });
  if (format === 'svg') {
    post({ type: 'exported', format, data: svg });
    return;
  }
  try {
    const img = new Image();
    img.decoding = 'async';
    img.src = `data:image/svg+xml;base64,${utf8Base64(svg)}`;
    await img.decode();
    // 2× for sharpness, within the canvas limits of the browser (16384 px a side, ~256 MB)
    let scale = 2;
    while (scale > 0.25 && (pd.width * scale > 16000 || pd.height * scale > 16000 || pd.width * pd.height * scale * scale > 60e6)) scale /= 2;
    const c = document.createElement('canvas');
    c.width = Math.ceil(pd.width * scale);
    c.height = Math.ceil(pd.height * scale);
    const ctx = c.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, c.width, c.height);
    ctx.drawImage(img, 0, 0, c.width, c.height);
    post({ type: 'exported', format, data: c.toDataURL('image/png') });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    showBanner(`PNG export failed: ${msg}`, 'error');
    post({ type: 'error', message: `png export failed: ${msg}` });
  }
}

// ---------------------------------------------------------------------------------------------------
// Messages from the extension

window.addEventListener('message', (ev: MessageEvent) => {
  const msg = parseToWebview(ev.data);
  if (!msg) return;
  switch (msg.type) {
    case 'model': {
      if (msg.seq < st.latestSeq) return;
      st.latestSeq = msg.seq;
      if (msg.uri !== st.uri) st.fitPending = true;
      st.uri = msg.uri;
      if (msg.model.view !== st.view) {
        st.view = msg.model.view;
        selectTab(st.view);
      }
      st.expanded = msg.expanded;
      foldButton.hidden = msg.expanded.length === 0;
      saveState();
      // what the picture folds beyond the usual or does not open (the layout budget, engine/src/diagram.ts)
      showBanner(modelNotes(msg.model));
      void draw(msg.model, msg.seq);
      break;
    }
    case 'stale':
      if (msg.seq < st.latestSeq) return;
      st.latestSeq = msg.seq;
      showBanner(`The YAML does not parse — ${msg.reason}`, 'warning');
      if (!st.model) {
        empty.hidden = false;
        empty.textContent = 'Nothing to draw until the YAML parses.';
      }
      break;
    case 'cursor':
      st.cursorOffset = msg.offset;
      if (st.model) {
        const id = nodeAtOffset(st.model, msg.offset)?.id;
        const changed = id !== st.highlight;
        highlight(id);
        if (id && changed) bringIntoView(id);
      }
      break;
    case 'requestExport':
      void exportAs(msg.format);
      break;
  }
});

window.addEventListener('resize', () => {
  if (st.positioned && st.scale > 0 && st.fitPending) fit();
});

post({ type: 'ready' });
