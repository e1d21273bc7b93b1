// The preview webview in headless Chromium: the real bundle, the real CSP, models built from real files
// by the engine (check → buildDiagram). Screenshots go to test-results/preview/.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildDiagram, check } from '@acrotopo/engine';
import type { CheckResult, DiagramModel, DiagramView } from '@acrotopo/engine';
import { edgeLabelText } from '@acrotopo/renderer';
import { generateDeployment } from '../../renderer/test/fixtures/generate';
import { generate as generateBench } from '../../bench/generate.mjs';
import { openHarness, RESULTS, ROOT } from './harness';
import type { Harness } from './harness';

const SPEC = readFileSync(join(ROOT, 'renderer', 'test', 'fixtures', 'spec-example.acrotopo.yaml'), 'utf8');
const examplesDir = join(ROOT, 'examples');
const EXAMPLES: { name: string; text: string }[] = (() => {
  try {
    return (readdirSync(examplesDir, { recursive: true }) as string[]).filter((f) => /\.acrotopo\.ya?ml$/.test(f)).sort().map((f) => ({ name: f.replace(/\.acrotopo\.ya?ml$/, '').split(/[\\/]/).join('--'), text: readFileSync(join(examplesDir, f), 'utf8') }));
  } catch {
    return [];
  }
})();

let seq = 0;
function model(text: string, view: DiagramView): { result: CheckResult; model: DiagramModel } {
  const result = check(text);
  return { result, model: buildDiagram(result, view, { text }) };
}

interface DrawnEdge {
  id: string;
  from: string;
  to: string;
  label: string;
  dash: string | null;
  stroke: string;
  start: [number, number];
  end: [number, number];
  reversed: boolean;
}

/** What the page drew: node boxes and edges with their first/last points and computed stroke. */
async function drawn(h: Harness): Promise<{ nodes: Record<string, { x: number; y: number; w: number; h: number }>; edges: DrawnEdge[] }> {
  return h.page.evaluate(() => {
    const nodes: Record<string, { x: number; y: number; w: number; h: number }> = {};
    for (const g of Array.from(document.querySelectorAll('.canvas [data-node]'))) {
      const r = g.querySelector('rect.box')!;
      nodes[decodeURIComponent(g.getAttribute('data-node')!)] = { x: +r.getAttribute('x')!, y: +r.getAttribute('y')!, w: +r.getAttribute('width')!, h: +r.getAttribute('height')! };
    }
    const edges = Array.from(document.querySelectorAll('.canvas [data-flow]')).map((g) => {
      const line = g.querySelector('path.line')!;
      const nums = (line.getAttribute('d') ?? '').match(/-?\d+(\.\d+)?/g)!.map(Number);
      return {
        id: decodeURIComponent(g.getAttribute('data-flow')!),
        from: decodeURIComponent(g.getAttribute('data-from')!),
        to: decodeURIComponent(g.getAttribute('data-to')!),
        label: g.querySelector('text.label')!.textContent ?? '',
        dash: line.getAttribute('stroke-dasharray'),
        stroke: getComputedStyle(line).stroke,
        start: [nums[0], nums[1]] as [number, number],
        end: [nums[nums.length - 2], nums[nums.length - 1]] as [number, number],
        reversed: g.getAttribute('data-reversed') === 'true',
      };
    });
    return { nodes, edges };
  });
}

/** Distance from a point to the border of a box (0 on the border). */
function toBorder(p: [number, number], b: { x: number; y: number; w: number; h: number }): number {
  const [x, y] = p;
  const inside = x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h;
  if (inside) return Math.min(x - b.x, b.x + b.w - x, y - b.y, b.y + b.h - y);
  const dx = Math.max(b.x - x, 0, x - (b.x + b.w));
  const dy = Math.max(b.y - y, 0, y - (b.y + b.h));
  return Math.hypot(dx, dy);
}

const DASH: Record<string, string | null> = { encrypted: null, 'not-stated': null, depends: '7 4', unencrypted: '2 3', blocked: '9 4' };
// fallbacks of the vscode theme's colours (no VS Code variables in the test page)
const STROKE: Record<string, string> = {
  encrypted: 'rgb(26, 127, 55)',
  depends: 'rgb(154, 103, 0)',
  unencrypted: 'rgb(209, 89, 10)',
  'not-stated': 'rgb(110, 119, 129)',
  blocked: 'rgb(207, 34, 46)',
};

async function showAndCheck(h: Harness, text: string, view: DiagramView, shot?: string): Promise<{ result: CheckResult; model: DiagramModel }> {
  const built = model(text, view);
  const s = ++seq;
  await h.send({ type: 'model', seq: s, model: built.model, uri: 'file:///test.acrotopo.yaml', fileName: 'test.acrotopo.yaml', expanded: [] });
  await h.waitDrawn(s);
  const d = await drawn(h);
  const m = built.model;
  assert.equal(Object.keys(d.nodes).length, m.nodes.length, 'one box per node');
  assert.equal(d.edges.length, m.edges.length, 'one arrow per edge');
  const flows = new Map(built.result.flows.map((f) => [f.id, f]));
  const nodeById = new Map(m.nodes.map((n) => [n.id, n]));
  for (const e of m.edges) {
    const de = d.edges.find((x) => x.id === e.id);
    assert.ok(de, `arrow ${e.id} drawn`);
    // the label is the destination port (plus count/state words)
    const f = flows.get(e.id)!;
    assert.equal(e.label, f.portLabel);
    assert.equal(de.label, edgeLabelText(e));
    assert.ok(de.label.startsWith(f.portLabel), `label of ${e.id} starts with the destination port`);
    // direction: starts on the initiator's box, ends on the destination's box
    const from = nodeById.get(de.from)!;
    const to = nodeById.get(de.to)!;
    assert.ok(from.name === f.initiator || from.members?.some((x) => x.name === f.initiator), `${e.id} starts at the initiator`);
    assert.ok(to.name === f.destination || to.members?.some((x) => x.name === f.destination), `${e.id} ends at the destination`);
    // (the twin of a pair drawn as one two-headed line runs the other way, its head at the start)
    const [tail, head] = de.reversed ? [de.end, de.start] : [de.start, de.end];
    assert.ok(toBorder(tail, d.nodes[de.from]) <= 2.5, `${e.id} leaves the initiator's box (${tail})`);
    assert.ok(toBorder(head, d.nodes[de.to]) <= 2.5, `${e.id} ends on the destination's box (${head})`);
    // style by encryption class / state
    const key = e.state === 'ok' ? e.encryption : 'blocked';
    assert.equal(de.dash, DASH[key], `${e.id} dash for ${key}`);
    assert.equal(de.stroke, STROKE[key], `${e.id} colour for ${key}`);
  }
  if (shot) {
    await h.page.locator('.tool-fit').click();
    await h.page.screenshot({ path: join(RESULTS, `${shot}.png`), fullPage: false });
  }
  return built;
}

describe('preview webview in Chromium', () => {
  let h: Harness;
  before(async () => {
    h = await openHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('posts ready and shows the three views as tabs', async () => {
    const posted = await h.posted();
    assert.ok(posted.some((m) => m.type === 'ready'));
    const tabs = await h.page.locator('.tab').allTextContents();
    assert.deepEqual(tabs, ['Remote installation', 'Communication between components', 'All']);
  });

  for (const view of ['installation', 'communication', 'all'] as const) {
    it(`draws the spec example, ${view} view: boxes, arrows initiator → destination, port labels, styles`, async () => {
      const { model: m } = await showAndCheck(h, SPEC, view, `spec-${view}`);
      assert.ok(m.edges.length > 0);
      const zones = await h.page.locator('.canvas .zone').count();
      assert.equal(zones, m.zones.length);
    });
  }

  it('draws every example (all view)', async (t) => {
    if (EXAMPLES.length === 0) t.skip('no examples/ yet');
    for (const ex of EXAMPLES) await showAndCheck(h, ex.text, 'all', `example-${ex.name}`);
  });

  it('shows unencrypted, depends and blocked/impossible arrows in their styles', async () => {
    const text = [
      'acrotopo: 1',
      'network:',
      '  subnets: { hq: 10.0.0.0/24, branch: 10.1.0.0/24 }',
      '  firewalls:',
      '    - name: edge',
      '      between: [hq, branch]',
      '      allow: []',
      'machines:',
      '  ams01: { os: windows, address: 10.0.0.10, components: [management-server, management-console] }',
      '  fs01: { os: windows, address: 10.0.0.31, components: [agent-for-windows] }',
      '  web01: { os: linux, address: 10.1.0.21, components: [agent-for-linux] }',
      '  old01: { os: windows, address: 10.0.0.40, components: [agent-for-windows], encryption: { server: required, client: disabled } }',
      'management: { server: ams01, encryption: { client: disabled, server: enabled } }',
      'installation: { from: ams01, to: [fs01, web01] }',
    ].join('\n');
    const { model: m } = await showAndCheck(h, text, 'all', 'styles');
    const kinds = new Set<string>(m.edges.map((e) => (e.state === 'ok' ? e.encryption : 'blocked')));
    for (const k of ['unencrypted', 'depends', 'blocked']) assert.ok(kinds.has(k), `has a ${k} arrow (${[...kinds]})`);
    assert.ok(m.edges.some((e) => e.state === 'impossible'), 'has an impossible flow');
    const unenc = await h.page.locator('.canvas .edge.enc-unencrypted.state-ok text.label').first().textContent();
    assert.match(unenc ?? '', /unencrypted/);
  });

  it('click on a machine and on an arrow posts reveal with the right range', async () => {
    const { model: m } = await showAndCheck(h, SPEC, 'all');
    await h.page.locator('.tool-fit').click();
    await h.clearPosted();
    const node = m.nodes.find((n) => n.name === 'web01')!;
    const box = await h.page.locator(`.canvas [data-node="m%2Fweb01"] rect.box`).boundingBox();
    assert.ok(box);
    await h.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    let posted = await h.posted();
    assert.deepEqual(posted.filter((p) => p.type === 'reveal').map((p) => p.range), [node.range]);
    assert.equal(SPEC.split('\n')[node.range!.start.line].trim(), 'web01:');

    await h.clearPosted();
    const edge = m.edges.find((e) => e.label === 'tcp/22')!;
    const lb = await h.page.locator(`.canvas [data-flow="${encodeURIComponent(edge.id)}"] rect.label-bg`).boundingBox();
    assert.ok(lb);
    await h.page.mouse.click(lb.x + lb.width / 2, lb.y + lb.height / 2);
    posted = await h.posted();
    assert.deepEqual(posted.filter((p) => p.type === 'reveal').map((p) => p.range), [edge.range]);
    // RI-4's origin is the target's item in installation.to
    const line = SPEC.split('\n')[edge.range!.start.line];
    assert.match(line, /to: \[web01, fs01\]/);
    assert.equal(line.slice(edge.range!.start.character, edge.range!.end.character), 'web01');
  });

  it('a drag pans without revealing; wheel zooms', async () => {
    await h.clearPosted();
    const before = await h.page.evaluate(() => (document.querySelector('.canvas') as HTMLElement).style.transform);
    const box = await h.page.locator(`.canvas [data-node="m%2Fams01"] rect.box`).boundingBox();
    assert.ok(box);
    await h.page.mouse.move(box.x + 10, box.y + 10);
    await h.page.mouse.down();
    await h.page.mouse.move(box.x + 80, box.y + 60, { steps: 5 });
    await h.page.mouse.up();
    const afterPan = await h.page.evaluate(() => (document.querySelector('.canvas') as HTMLElement).style.transform);
    assert.notEqual(afterPan, before);
    assert.equal((await h.posted()).filter((p) => p.type === 'reveal').length, 0);
    await h.page.mouse.wheel(0, -300);
    const afterZoom = await h.page.evaluate(() => (document.querySelector('.canvas') as HTMLElement).style.transform);
    assert.notEqual(afterZoom, afterPan);
  });

  it('highlights the machine whose key/value holds the cursor', async () => {
    const { model: m } = await showAndCheck(h, SPEC, 'all');
    const fs01 = m.nodes.find((n) => n.name === 'fs01')!;
    const offset = SPEC.indexOf('agent-for-windows', fs01.extent!.start);
    // zoom far in on the top-left corner so fs01 is off screen
    for (let i = 0; i < 8; i++) await h.page.mouse.wheel(0, -400);
    await h.page.mouse.move(5, 60);
    for (let i = 0; i < 4; i++) await h.page.mouse.wheel(0, -400);
    await h.send({ type: 'cursor', offset });
    await h.page.waitForSelector('.canvas .node.highlight');
    assert.equal(await h.page.locator('.canvas .node.highlight').getAttribute('data-node'), 'm%2Ffs01');
    // the highlighted box is brought into view
    const bb = (await h.page.locator('.canvas .node.highlight rect.box').boundingBox())!;
    const vp = (await h.page.locator('.viewport').boundingBox())!;
    assert.ok(bb.x >= vp.x - 1 && bb.y >= vp.y - 1 && bb.x + bb.width <= vp.x + vp.width + 1 && bb.y + bb.height <= vp.y + vp.height + 1, `box ${JSON.stringify(bb)} inside ${JSON.stringify(vp)}`);
    await h.send({ type: 'cursor', offset: SPEC.indexOf('management:') });
    await h.page.waitForFunction(() => !document.querySelector('.canvas .node.highlight'));
  });

  it('keeps the last picture with a banner when the YAML does not parse', async () => {
    await showAndCheck(h, SPEC, 'all');
    await h.send({ type: 'stale', seq: ++seq, reason: 'line 3: YAML: bad indentation', line: 2 });
    await h.page.waitForSelector('.banner:not([hidden])');
    assert.match((await h.page.locator('.banner').textContent()) ?? '', /does not parse.*line 3/);
    assert.equal(await h.page.locator('.canvas svg').count(), 1, 'the last good picture stays');
    await h.page.screenshot({ path: join(RESULTS, 'stale-banner.png') });
    await showAndCheck(h, SPEC, 'all');
    assert.equal(await h.page.locator('.banner').isHidden(), true);
  });

  it('tabs post setView; double-click on a group posts expand', async () => {
    await h.clearPosted();
    await h.page.locator('.tab[data-view="installation"]').click();
    assert.ok((await h.posted()).some((p) => p.type === 'setView' && p.view === 'installation'));
    const text = generateDeployment({ machines: 60, branches: 1 });
    const { model: m } = await showAndCheck(h, text, 'communication');
    const group = m.nodes.find((n) => n.kind === 'group');
    assert.ok(group, 'the 60-machine file has a group');
    await h.page.locator('.tool-fit').click();
    await h.clearPosted();
    const b = await h.page.locator(`.canvas [data-group="${encodeURIComponent(group.id)}"] rect.box`).boundingBox();
    assert.ok(b);
    await h.page.mouse.dblclick(b.x + b.width / 2, b.y + b.height / 2);
    assert.ok((await h.posted()).some((p) => p.type === 'expand' && p.group === group.id));
  });

  it('exports SVG and PNG on request (light background whatever the theme)', async () => {
    await showAndCheck(h, SPEC, 'all');
    await h.clearPosted();
    await h.send({ type: 'requestExport', format: 'svg' });
    await h.page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'exported'));
    const svg = (await h.posted()).find((p) => p.type === 'exported')!;
    assert.equal(svg.format, 'svg');
    assert.match(svg.data as string, /^<svg[^>]*theme-light/);
    assert.match(svg.data as string, /class="background"[^>]*fill="#ffffff"/);
    await h.clearPosted();
    await h.send({ type: 'requestExport', format: 'png' });
    await h.page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'exported'), undefined, { timeout: 60_000 });
    const png = (await h.posted()).find((p) => p.type === 'exported')!;
    assert.equal(png.format, 'png');
    const data = png.data as string;
    assert.ok(data.startsWith('data:image/png;base64,'));
    const bytes = Buffer.from(data.slice(22), 'base64');
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
    assert.ok(bytes.length > 5000, `a real picture (${bytes.length} bytes)`);
    writeFileSync(join(RESULTS, 'export.png'), bytes);
  });

  it('follows a dark theme through the VS Code variables', async () => {
    await h.page.evaluate(() => {
      document.body.classList.add('vscode-dark');
      const s = document.body.style;
      for (const [k, v] of Object.entries({
        '--vscode-editor-background': '#1e1e1e',
        '--vscode-editor-foreground': '#d4d4d4',
        '--vscode-foreground': '#cccccc',
        '--vscode-descriptionForeground': '#9d9d9d',
        '--vscode-sideBar-background': '#252526',
        '--vscode-editorWidget-background': '#2d2d30',
        '--vscode-editorWidget-foreground': '#cccccc',
        '--vscode-editorWidget-border': '#454545',
        '--vscode-panel-border': '#454545',
        '--vscode-badge-background': '#4d4d4d',
        '--vscode-badge-foreground': '#ffffff',
        '--vscode-charts-green': '#89d185',
        '--vscode-charts-orange': '#d18616',
        '--vscode-charts-yellow': '#cca700',
        '--vscode-charts-red': '#f14c4c',
      })) s.setProperty(k, v);
    });
    await showAndCheck(h, SPEC, 'all').catch(() => undefined); // colours differ from the light fallbacks here
    const stroke = await h.page.evaluate(() => getComputedStyle(document.querySelector('.canvas .edge.enc-encrypted path.line')!).stroke);
    assert.equal(stroke, 'rgb(137, 209, 133)', 'arrows take --vscode-charts-green');
    const fill = await h.page.evaluate(() => getComputedStyle(document.querySelector('.canvas .node rect.box')!).fill);
    assert.equal(fill, 'rgb(45, 45, 48)', 'boxes take --vscode-editorWidget-background');
    await h.page.screenshot({ path: join(RESULTS, 'spec-all-dark.png') });
    await h.page.evaluate(() => {
      document.body.classList.remove('vscode-dark');
      document.body.removeAttribute('style');
    });
  });

  it('draws a 1,000-machine deployment as a readable picture (groups)', async () => {
    const text = generateDeployment({ machines: 1000, firewall: true });
    for (const view of ['communication', 'all'] as const) {
      const { model: m } = await showAndCheck(h, text, view, `large-1000-${view}`);
      assert.ok(m.nodes.length <= 45, `${m.nodes.length} boxes for 1,000 machines`);
      assert.ok(m.nodes.some((n) => n.kind === 'group'));
      assert.ok(m.edges.some((e) => e.count > 1), 'merged arrows carry a count');
      assert.ok(await h.page.locator('.canvas text.label', { hasText: '×' }).count() > 0);
    }
  });

  it('draws a 3,000-machine estate folded to the layout budget, and says so in the banner', async () => {
    const text = generateBench(3000).text;
    const { model: m } = await showAndCheck(h, text, 'communication', 'large-3000-communication');
    assert.ok(m.nodes.length <= 150 && m.edges.length <= 400, `${m.nodes.length} boxes, ${m.edges.length} arrows`);
    await h.page.waitForSelector('.banner:not([hidden])');
    assert.match((await h.page.locator('.banner').textContent()) ?? '', /^Folded more than usual: .*\(300 boxes, 800 arrows\)/);
    await showAndCheck(h, SPEC, 'all');
    assert.equal(await h.page.locator('.banner').isHidden(), true, 'a picture without notes has no banner');
  });

  it('had no page errors, console errors or CSP violations', async () => {
    assert.deepEqual(h.pageErrors, []);
    assert.deepEqual(h.problems, []);
    assert.deepEqual(await h.cspViolations(), []);
  });
});

describe('hostile names in the webview', () => {
  let h: Harness;
  before(async () => {
    h = await openHarness({ width: 1300, height: 800 });
  });
  after(async () => {
    await h?.close();
  });

  const HOSTILE = [
    'acrotopo: 1',
    'title: "<script>alert(1)</script> rollout"',
    'network:',
    '  subnets:',
    '    "\\"><img src=x onerror=alert(1)>": 10.0.0.0/24',
    'machines:',
    '  ams01: { os: windows, address: 10.0.0.10, components: [management-server, management-console] }',
    '  "<script>alert(1)</script>": { os: windows, address: 10.0.0.11, components: [agent-for-windows] }',
    '  "\\"><img src=x onerror=alert(1)>": { os: windows, address: 10.0.0.12, components: [agent-for-windows] }',
    '  "javascript:alert(1)": { os: linux, address: 10.0.0.13, components: [agent-for-linux] }',
    '  "evil\\u202Etxt.exe": { os: windows, address: 10.0.0.14, components: [agent-for-windows] }',
    '  "<svg onload=alert(1)>": { os: windows, address: 10.0.0.15, components: ["<img src=x onerror=alert(2)>"] }',
    'management: { server: ams01 }',
    'installation: { from: ams01, to: ["<script>alert(1)</script>", "javascript:alert(1)"] }',
  ].join('\n');

  it('renders them as text with zero script executions', async () => {
    const result = check(HOSTILE);
    assert.ok(result.topology.machines.has('<script>alert(1)</script>'));
    const m = buildDiagram(result, 'all', { text: HOSTILE });
    await h.send({ type: 'model', seq: 1, model: m, uri: 'file:///evil.acrotopo.yaml', fileName: 'evil.acrotopo.yaml', expanded: [] });
    await h.waitDrawn(1);
    // click every machine (a click handler must not turn names into anything active)
    for (const n of m.nodes) {
      const b = await h.page.locator('.canvas [data-node]').filter({ has: h.page.locator('rect.box') }).nth(m.nodes.indexOf(n)).boundingBox();
      if (b) await h.page.mouse.click(b.x + 5, b.y + 5);
    }
    await h.page.waitForTimeout(300);
    assert.equal(await h.alerts(), 0, 'no alert() ran');
    const dom = await h.page.evaluate(() => ({
      scripts: document.querySelectorAll('script').length,
      imgs: document.querySelectorAll('img').length,
      handlers: Array.from(document.querySelectorAll('*')).filter((e) => Array.from(e.attributes).some((a) => a.name.startsWith('on'))).length,
      links: Array.from(document.querySelectorAll('*')).filter((e) => e.hasAttribute('href') || e.hasAttributeNS('http://www.w3.org/1999/xlink', 'href')).length,
      jsAttr: Array.from(document.querySelectorAll('.canvas *')).flatMap((e) => Array.from(e.attributes)).filter((a) => /javascript:|onerror=|<|[\u202A-\u202E\u2066-\u2069]/i.test(a.value)).length,
      text: document.querySelector('.canvas svg')?.textContent ?? '',
      bidi: /[\u202A-\u202E\u2066-\u2069]/.test(document.body.textContent ?? ''),
    }));
    assert.equal(dom.scripts, 1, 'only our own script element');
    assert.equal(dom.imgs, 0);
    assert.equal(dom.handlers, 0, 'no on* attributes anywhere');
    assert.equal(dom.links, 1, 'only the stylesheet <link href>; nothing in the picture');
    assert.equal(dom.jsAttr, 0, 'no attribute value holds javascript:, onerror=, < or a bidi control');
    assert.ok(dom.text.includes('<script>alert(1)</script>'), 'the name shows as text');
    assert.ok(dom.text.includes('"><img src=x onerror=alert(1)>'));
    assert.ok(dom.text.includes('javascript:alert(1)'));
    assert.ok(dom.text.includes('evil\uFFFDtxt.exe'), 'the RTL override is neutralised');
    assert.equal(dom.bidi, false, 'no bidi control characters in the page');
    assert.deepEqual(await h.cspViolations(), [], 'nothing even tried to run');
    assert.deepEqual(h.pageErrors, []);
    await h.page.screenshot({ path: join(RESULTS, 'hostile-names.png') });
  });

  it('ignores malformed messages', async () => {
    await h.send({ type: 'model', seq: 'x', model: '<script>' });
    await h.send({ type: 'cursor', offset: -1 });
    await h.send('<img src=x onerror=alert(1)>');
    await h.send({ type: 'requestExport', format: 'exe' });
    await h.page.waitForTimeout(100);
    assert.equal(await h.alerts(), 0);
    assert.deepEqual(h.pageErrors, []);
  });
});
