// Layout + SVG: well-formed output, styles by encryption class, data attributes for click-to-source,
// tooltips, and escaping of hostile names.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildDiagram, check } from '@acrotopo/engine';
import { clip, dataValue, esc, layout, neutralise, renderSvg } from '../src/index';
import { parseXml, walk } from './xml';
import type { XmlElement } from './xml';

const SPEC = readFileSync(join(__dirname, 'fixtures', 'spec-example.acrotopo.yaml'), 'utf8');

async function svgOf(text: string, view: 'installation' | 'communication' | 'all' = 'all', theme: 'light' | 'dark' | 'vscode' = 'light') {
  const result = check(text);
  const model = buildDiagram(result, view, { text });
  const pd = await layout(model);
  const svg = renderSvg(pd, { theme });
  return { result, model, pd, svg, root: parseXml(svg) };
}

function all(root: XmlElement, pred: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  walk(root, (e) => { if (pred(e)) out.push(e); });
  return out;
}

const cls = (e: XmlElement, c: string) => (e.attrs.class ?? '').split(' ').includes(c);

describe('renderSvg', () => {
  it('is well-formed XML with one group per node and per edge', async () => {
    for (const theme of ['light', 'dark', 'vscode'] as const) {
      const { model, root } = await svgOf(SPEC, 'all', theme);
      assert.equal(root.name, 'svg');
      assert.equal(root.attrs.xmlns, 'http://www.w3.org/2000/svg');
      assert.equal(all(root, (e) => cls(e, 'node')).length, model.nodes.length);
      assert.equal(all(root, (e) => cls(e, 'edge')).length, model.edges.length);
      assert.equal(all(root, (e) => cls(e, 'zone')).length, model.zones.length);
      const bg = all(root, (e) => cls(e, 'background'));
      assert.equal(bg.length, theme === 'vscode' ? 0 : 1, 'light/dark draw their own background');
    }
  });

  it('arrows carry the flow id, ends, port label, range and a tooltip', async () => {
    const { model, root } = await svgOf(SPEC, 'installation');
    for (const e of model.edges) {
      const g = all(root, (x) => x.attrs['data-flow'] === dataValue(e.id))[0];
      assert.ok(g, e.id);
      assert.equal(decodeURIComponent(g.attrs['data-from']), e.from);
      assert.equal(decodeURIComponent(g.attrs['data-to']), e.to);
      const label = all(g, (x) => cls(x, 'label'))[0];
      assert.ok(label.text.startsWith(e.label));
      const r = e.range!;
      assert.equal(g.attrs['data-range'], `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`);
      const title = g.children.find((c) => c.name === 'title')!;
      assert.match(title.text, new RegExp(`purpose: ${e.purposes[0].replace(/[()/]/g, '.')}`));
      assert.match(title.text, /encryption: /);
      assert.match(title.text, new RegExp(`catalogue: ${e.catalogue[0]}`));
      if (e.sourcePorts) assert.match(title.text, new RegExp(`source ports: ${e.sourcePorts}`));
    }
    const unenc = model.edges.find((e) => e.label === 'tcp/25001')!;
    const g = all(root, (x) => x.attrs['data-flow'] === dataValue(unenc.id))[0];
    assert.match(all(g, (x) => cls(x, 'label'))[0].text, /unencrypted/);
  });

  it('styles arrows by encryption class and state', async () => {
    const text = [
      'acrotopo: 1',
      'network:',
      '  subnets: { hq: 10.0.0.0/24, branch: 10.1.0.0/24 }',
      '  firewalls: [{ name: edge, between: [hq, branch], allow: [] }]',
      'machines:',
      '  ams01: { os: windows, address: 10.0.0.10, components: [management-server] }',
      '  fs01: { os: windows, address: 10.0.0.31, components: [agent-for-windows] }',
      '  web01: { os: linux, address: 10.1.0.21, components: [agent-for-linux] }',
      '  vmw: { os: windows, address: 10.0.0.50, components: [agent-for-vmware] }',
      '  vc: { os: other, address: 10.0.0.60, components: [vcenter] }',
      'management: { server: ams01 }',
      'installation: { from: ams01, to: [fs01] }',
    ].join('\n');
    const { model, root } = await svgOf(text, 'all');
    const seen = new Map<string, XmlElement>();
    for (const g of all(root, (e) => cls(e, 'edge'))) {
      const line = all(g, (x) => cls(x, 'line'))[0];
      const e = model.edges.find((x) => dataValue(x.id) === g.attrs['data-flow'])!;
      seen.set(e.state === 'ok' ? e.encryption : 'blocked', line);
      // the twin of a two-way pair carries its head at the start of the shared route
      assert.equal(line.attrs[g.attrs['data-reversed'] === 'true' ? 'marker-start' : 'marker-end'], `url(#acrotopo-arrow-${e.state === 'ok' ? e.encryption : 'blocked'})`);
    }
    assert.equal(seen.get('encrypted')!.attrs['stroke-dasharray'], undefined, 'encrypted: solid');
    assert.equal(seen.get('encrypted')!.attrs.stroke, '#1a7f37');
    assert.equal(seen.get('depends')!.attrs['stroke-dasharray'], '7 4', 'depends: dashed');
    assert.equal(seen.get('depends')!.attrs.stroke, '#9a6700', 'depends: amber');
    assert.equal(seen.get('unencrypted')!.attrs['stroke-dasharray'], '2 3', 'unencrypted: dotted');
    assert.equal(seen.get('unencrypted')!.attrs.stroke, '#d1590a', 'unencrypted: orange');
    assert.equal(seen.get('not-stated')!.attrs.stroke, '#6e7781', 'not stated: grey (tcp/902)');
    assert.equal(seen.get('blocked')!.attrs['stroke-dasharray'], '9 4', 'blocked: dashed');
    assert.equal(seen.get('blocked')!.attrs.stroke, '#cf222e', 'blocked: red');
  });

  it('the vscode theme uses VS Code variables with fallbacks', async () => {
    const { svg } = await svgOf(SPEC, 'all', 'vscode');
    assert.match(svg, /stroke="var\(--vscode-charts-green, #1a7f37\)"/);
    assert.match(svg, /fill="var\(--vscode-editor-foreground, #1f2328\)"/);
  });

  it('machines carry data-machine, data-range and their badges', async () => {
    const { model, root } = await svgOf(SPEC, 'all');
    const ams = model.nodes.find((n) => n.name === 'ams01')!;
    const g = all(root, (x) => x.attrs['data-machine'] === 'ams01')[0];
    assert.equal(g.attrs['data-node'], dataValue(ams.id));
    assert.equal(g.attrs['data-range'], `${ams.range!.start.line + 1}:3-${ams.range!.end.line + 1}:8`);
    const badges = all(g, (x) => cls(x, 'badge')).map((b) => b.children.find((c) => c.name === 'text')!.text);
    assert.deepEqual(badges, ['mgmt server', 'console', 'license']);
  });

  it('an empty file draws an empty, valid picture', async () => {
    const { root, model } = await svgOf('acrotopo: 1\n');
    assert.equal(model.nodes.length, 0);
    assert.ok(all(root, (e) => e.name === 'text').some((t) => /No machines/.test(t.text)));
  });
});

describe('escaping hostile names', () => {
  const HOSTILE = [
    'acrotopo: 1',
    'title: "</title><script>alert(1)</script>"',
    'network:',
    '  subnets:',
    '    "\\"><img src=x onerror=alert(1)>": 10.0.0.0/24',
    'machines:',
    '  ams01: { os: windows, address: 10.0.0.10, components: [management-server] }',
    '  "<script>alert(1)</script>": { os: windows, address: 10.0.0.11, components: [agent-for-windows] }',
    '  "\\"><img src=x onerror=alert(1)>": { os: windows, address: 10.0.0.12, components: [agent-for-windows] }',
    '  "javascript:alert(1)": { os: linux, address: 10.0.0.13, components: [agent-for-linux] }',
    '  "evil\\u202Etxt.exe\\u2066x\\u2069": { os: windows, address: 10.0.0.14, components: [agent-for-windows] }',
    '  "a&b\'c\\u0001d": { os: windows, address: 10.0.0.15, components: ["<b onmouseover=alert(1)>"] }',
    'management: { server: ams01 }',
    'installation: { from: ams01, to: ["<script>alert(1)</script>", "javascript:alert(1)"] }',
  ].join('\n');

  it('produces no markup, handlers, links or javascript: from the document', async () => {
    for (const theme of ['light', 'vscode'] as const) {
      const { svg, root, model } = await svgOf(HOSTILE, 'all', theme);
      assert.ok(model.nodes.some((n) => n.name === '<script>alert(1)</script>'));
      assert.doesNotMatch(svg, /<script/i);
      assert.doesNotMatch(svg, /<img/i);
      assert.doesNotMatch(svg, /<b /i);
      assert.doesNotMatch(svg, /href/i, 'no href or xlink:href at all');
      assert.doesNotMatch(svg, /[\u202A-\u202E\u2066-\u2069\u0001]/, 'no bidi or control characters');
      walk(root, (e) => {
        for (const [k, v] of Object.entries(e.attrs)) {
          assert.ok(!/^on/i.test(k), `no ${k} attribute`);
          assert.doesNotMatch(v, /javascript:|onerror=|onmouseover=|[<>"]/i, `attribute ${k}="${v}"`);
        }
      });
      // the names are there, as text
      const texts: string[] = [];
      walk(root, (e) => texts.push(e.text));
      assert.ok(texts.includes('<script>alert(1)</script>'));
      assert.ok(texts.includes('"><img src=x onerror=alert(1)>'));
      assert.ok(texts.includes('javascript:alert(1)'));
      assert.ok(texts.includes('evil\uFFFDtxt.exe\uFFFDx\uFFFD'));
    }
  });

  it('esc, neutralise, clip and dataValue', () => {
    assert.equal(esc(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    assert.equal(neutralise('a\u202Eb\u2067c\u200Fd\ne\u0000'), 'a\uFFFDb\uFFFDc\uFFFDd e\uFFFD');
    assert.equal(neutralise('x\uD800y'), 'x\uFFFDy');
    assert.equal(clip('abcdef', 4), 'abc…');
    assert.equal(clip('😀😀😀', 2), '😀…', 'clips by code point');
    assert.equal(dataValue('javascript:alert(1)'), 'javascript%3Aalert(1)');
    assert.equal(dataValue('x\uDC00'), 'x%EF%BF%BD');
  });
});
