// `acrotopo render` (cli/src/render.ts) in-process.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildDiagram, check } from '@acrotopo/engine';
import { runRender } from '../../cli/src/render';
import { generateDeployment } from './fixtures/generate';
import { generate as generateBench } from '../../bench/generate.mjs';
import { parseXml, walk } from './xml';

const dir = mkdtempSync(join(tmpdir(), 'acrotopo-render-'));
const SPEC = join(__dirname, 'fixtures', 'spec-example.acrotopo.yaml');

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runRender(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: dir });
  return { code, stdout, stderr };
}

function count(svg: string, cls: string): number {
  let n = 0;
  walk(parseXml(svg.trim()), (e) => { if ((e.attrs.class ?? '').split(' ').includes(cls)) n++; });
  return n;
}

describe('acrotopo render', () => {
  it('writes a well-formed SVG to stdout (default view all, light theme)', async () => {
    const r = await run(SPEC);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^<svg [^>]*class="acrotopo-diagram theme-light" data-view="all"/);
    assert.equal(count(r.stdout, 'node'), 3);
    assert.equal(count(r.stdout, 'edge'), 7);
  });

  it('--view, --theme and -o', async () => {
    const r = await run(SPEC, '--view', 'installation', '--theme=dark', '-o', 'out.svg');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const svg = readFileSync(join(dir, 'out.svg'), 'utf8');
    assert.match(svg, /theme-dark" data-view="installation"/);
    assert.equal(count(svg, 'edge'), 5);
    assert.match(svg, /class="background"[^>]*fill="#1e1e1e"/);
  });

  it('draws a file with findings (exit 0, a note on stderr)', async () => {
    const f = join(dir, 'bad-ref.acrotopo.yaml');
    writeFileSync(f, 'acrotopo: 1\nmachines:\n  a: { os: windows, components: [agent-for-windows], address: 10.0.0.300 }\nmanagement: { server: nope }\n');
    const r = await run(f);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^<svg/);
  });

  it('exit 2: unreadable file, YAML that does not parse, bad options, unwritable output', async () => {
    let r = await run('missing.acrotopo.yaml');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read 'missing\.acrotopo\.yaml'/);
    const f = join(dir, 'broken.acrotopo.yaml');
    writeFileSync(f, 'acrotopo: 1\nmachines: [\n  a: 1\n');
    r = await run(f);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /broken\.acrotopo\.yaml:\d+:\d+: error: YAML: .*\(yaml-syntax\)/);
    assert.match(r.stderr, /does not parse as YAML; nothing was drawn/);
    assert.equal(r.stdout, '');
    r = await run(SPEC, '--view', 'nope');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid value 'nope' for --view/);
    r = await run();
    assert.equal(r.code, 2);
    r = await run(SPEC, '-o', join(dir, 'no', 'such', 'dir', 'x.svg'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot write/);
  });

  it('groups alike machines; --expand all and --no-grouping show them one by one', async () => {
    const f = join(dir, 'big.acrotopo.yaml');
    writeFileSync(f, generateDeployment({ machines: 60, branches: 1 }));
    const grouped = await run(f, '--view', 'communication');
    assert.equal(grouped.code, 0);
    assert.match(grouped.stderr, /folded \d+ groups? of alike machines: .*'g\/z\/hq\/windows:agent-for-windows' \(\d+ × Windows agents\)/);
    const expanded = await run(f, '--view', 'communication', '--expand', 'all');
    const plain = await run(f, '--view', 'communication', '--no-grouping');
    assert.ok(count(grouped.stdout, 'node') < 20);
    assert.equal(count(expanded.stdout, 'node'), 60);
    assert.equal(count(plain.stdout, 'node'), 60);
  });

  it('a large estate is folded to the layout budget, with a note; --no-layout-budget lays it all out', async () => {
    const f = join(dir, 'estate.acrotopo.yaml');
    writeFileSync(f, generateBench(3000).text);
    const folded = await run(f, '--view', 'communication');
    assert.equal(folded.code, 0, folded.stderr);
    const note = /acrotopo: note: Folded more than usual: .*the picture had (\d+) boxes and \d+ arrows.* \(--no-layout-budget lays out everything\)\n/.exec(folded.stderr);
    assert.ok(note, folded.stderr);
    assert.ok(count(folded.stdout, 'node') <= 150);
    // a group past the budget opens into smaller groups, whose ids --expand takes after it
    const text = readFileSync(f, 'utf8');
    const result = check(text);
    const m = buildDiagram(result, 'communication', { text });
    const big = m.nodes.filter((n) => n.kind === 'group').sort((a, b) => b.members!.length - a.members!.length)[0];
    const part = buildDiagram(result, 'communication', { text, expand: [big.id] }).nodes.find((n) => n.id.startsWith(`${big.id}/`))!;
    assert.ok(part, 'the large group opens into smaller ones');
    const opened = await run(f, '--view', 'communication', '--expand', big.id, '--expand', part.id);
    assert.equal(opened.code, 0, opened.stderr);
    assert.match(opened.stderr, new RegExp(`note: Opened into smaller groups, not machine by machine: ${big.id.replace(/[/:]/g, '.')} `));
    assert.doesNotMatch(opened.stderr, /warning: no group/);
    const unknown = await run(f, '--view', 'communication', '--expand', 'g/no-such-group');
    assert.match(unknown.stderr, /warning: no group 'g\/no-such-group'/);
    const all = await run(f, '--view', 'communication', '--no-layout-budget');
    assert.equal(all.code, 0, all.stderr);
    assert.doesNotMatch(all.stderr, /Folded more than usual/);
    assert.equal(count(all.stdout, 'node'), Number(note[1]), 'the boxes the note said');
  });

  it('--help', async () => {
    const r = await run('--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: acrotopo render FILE/);
  });
});
