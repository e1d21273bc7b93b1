import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DocumentSymbol, Location } from 'vscode-languageserver-protocol';
import { applyTextEdits, editsFor, LspClient, positionOf, textAt } from './lsp-client';
import { uri, VALID_SERVER } from './fixtures';

const TEXT = VALID_SERVER;

describe('names: definition, references, rename, highlights', () => {
  let c: LspClient;
  let u: string;
  before(async () => {
    c = await LspClient.start();
    u = uri('nav');
    await c.open(u, TEXT);
  });
  after(async () => {
    await c.stop();
  });

  const lineOf = (l: Location) => TEXT.split('\n')[l.range.start.line].trim();

  it('finds every reference of a machine name', async () => {
    const refs = (await c.references(u, positionOf(TEXT, 'server: ams01', 0, 9)))!;
    assert.ok(refs.every((r) => textAt(TEXT, r.range) === 'ams01'));
    assert.deepEqual(refs.map(lineOf), [
      '- { from: ams01, to: web01, port: tcp/22 }', // firewall allow from
      'ams01:', // declaration
      'hosts: { ams01: 10.0.0.10 }', // hosts key naming the machine
      'server: ams01',
      'from: ams01',
      '- { from: ams01, to: fs01, port: tcp/25001 }',
    ]);
    const noDecl = (await c.references(u, positionOf(TEXT, 'server: ams01', 0, 9), false))!;
    assert.equal(noDecl.length, refs.length - 1);
  });

  it('finds every reference of a subnet (zone) name', async () => {
    const refs = (await c.references(u, positionOf(TEXT, 'branch: 10.1', 0, 2)))!;
    assert.deepEqual(refs.map(lineOf), [
      'branch: 10.1.0.0/24',
      'between: [hq, branch]',
      '- { from: hq, to: branch, port: tcp/9876 }',
      '- { from: branch, to: hq, port: tcp/9876 }',
      'subnet: branch',
    ]);
  });

  it('goes to the declaration', async () => {
    const def = (await c.definition(u, positionOf(TEXT, 'to: [fs01', 0, 6))) as Location[];
    assert.equal(def.length, 1);
    assert.equal(lineOf(def[0]), 'fs01:');
    assert.equal(textAt(TEXT, def[0].range), 'fs01');
    const zone = (await c.definition(u, positionOf(TEXT, 'subnet: branch', 0, 10))) as Location[];
    assert.equal(lineOf(zone[0]), 'branch: 10.1.0.0/24');
    assert.equal(await c.definition(u, positionOf(TEXT, 'os: windows', 0, 5)), null);
  });

  it('renames a machine everywhere, declaration included', async () => {
    const prep = await c.prepareRename(u, positionOf(TEXT, 'ams01:', 0, 1));
    assert.deepEqual(prep && 'placeholder' in prep ? [prep.placeholder, textAt(TEXT, prep.range)] : prep, ['ams01', 'ams01']);
    const edit = await c.rename(u, positionOf(TEXT, 'from: ams01\n', 0, 7), 'backup-srv');
    const renamed = applyTextEdits(TEXT, editsFor(edit, u));
    assert.equal(renamed.match(/\bams01\b/g), null);
    assert.equal(renamed.match(/backup-srv/g)?.length, 6);
    assert.match(renamed, /\n  backup-srv:\n    os: windows/);
    assert.match(renamed, /hosts: \{ backup-srv: 10\.0\.0\.10 \}/);
    // the renamed document checks clean of unknown references
    const u2 = uri('renamed');
    const ds = await c.open(u2, renamed);
    assert.equal(ds.filter((d) => d.code === 'unknown-reference').length, 0);
  });

  it('rejects what is not a name, invalid new names and names already taken', async () => {
    assert.equal(await c.prepareRename(u, positionOf(TEXT, 'os: windows', 0, 5)), null);
    assert.equal(await c.prepareRename(u, positionOf(TEXT, 'components:', 0, 2)), null);
    assert.equal(await c.prepareRename(u, positionOf(TEXT, 'tcp/25001', 0, 2)), null);
    await assert.rejects(c.rename(u, positionOf(TEXT, 'fs01:', 0, 1), 'has space'), /not a valid machine name/);
    await assert.rejects(c.rename(u, positionOf(TEXT, 'fs01:', 0, 1), 'web01'), /already exists/);
  });

  it('highlights every occurrence, the declaration as a write', async () => {
    const hs = (await c.highlights(u, positionOf(TEXT, 'to: fs01,', 0, 5)))!;
    assert.ok(hs.length >= 3);
    assert.ok(hs.every((h) => textAt(TEXT, h.range) === 'fs01'));
    assert.equal(hs.filter((h) => h.kind === 3).length, 1);
    assert.equal(await c.highlights(u, positionOf(TEXT, 'title: Contoso', 0, 1)), null);
  });
});

describe('outline and folding', () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.start();
  });
  after(async () => {
    await c.stop();
  });

  it('lists the document symbols', async () => {
    const u = uri('symbols');
    await c.open(u, `${TEXT}rules:\n  smb-encryption-unknown: off\n`);
    const syms = (await c.symbols(u)) as DocumentSymbol[];
    assert.deepEqual(syms.map((s) => s.name), ['acrotopo', 'Contoso', 'network', 'machines', 'management', 'installation', 'connections', 'rules']);
    const network = syms.find((s) => s.name === 'network')!;
    assert.deepEqual(network.children?.map((s) => s.name), ['subnets', 'firewalls']);
    assert.deepEqual(network.children?.[0].children?.map((s) => [s.name, s.detail]), [['hq', '10.0.0.0/24'], ['branch', '10.1.0.0/24']]);
    const fw = network.children?.[1].children?.[0];
    assert.equal(fw?.name, 'branch-edge');
    assert.equal(fw?.detail, 'between hq, branch');
    assert.deepEqual(fw?.children?.map((s) => `${s.name} ${s.detail}`), ['hq → branch tcp/9876', 'branch → hq tcp/9876', 'ams01 → web01 tcp/22']);
    const machines = syms.find((s) => s.name === 'machines')!;
    assert.deepEqual(machines.children?.map((s) => [s.name, s.detail]), [
      ['ams01', 'windows · management-server, management-console'],
      ['fs01', 'windows · agent-for-windows'],
      ['web01', 'linux · agent-for-linux'],
    ]);
    const ams01 = machines.children![0];
    assert.equal(ams01.selectionRange.start.line, ams01.range.start.line);
    assert.ok(ams01.range.end.line > ams01.range.start.line);
    assert.equal(syms.find((s) => s.name === 'management')?.detail, 'server: ams01');
    assert.equal(syms.find((s) => s.name === 'installation')?.detail, 'ams01 → fs01, web01');
    assert.deepEqual(syms.find((s) => s.name === 'connections')?.children?.map((s) => `${s.name} ${s.detail}`), ['ams01 → fs01 tcp/25001']);
    assert.deepEqual(syms.find((s) => s.name === 'rules')?.children?.map((s) => `${s.name} ${s.detail}`), ['smb-encryption-unknown off']);
  });

  it('folds collections and comment blocks', async () => {
    const u = uri('folding');
    const text = `# Contoso\n# second comment line\n${TEXT}`;
    await c.open(u, text);
    const ranges = (await c.folding(u))!;
    const lines = text.split('\n');
    const has = (start: string, end: string, kind?: string) =>
      ranges.some((r) => lines[r.startLine].trim() === start && lines[r.endLine].trim() === end && (kind === undefined || r.kind === kind));
    assert.ok(has('# Contoso', '# second comment line', 'comment'));
    assert.ok(has('network:', '- { from: ams01, to: web01, port: tcp/22 }'));
    assert.ok(has('machines:', 'hosts: { ams01: 10.0.0.10 }'));
    assert.ok(has('ams01:', 'components: [management-server, management-console]'));
    assert.ok(has('- name: branch-edge', '- { from: ams01, to: web01, port: tcp/22 }'));
    assert.ok(!ranges.some((r) => r.endLine <= r.startLine));
  });
});
