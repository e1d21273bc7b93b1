import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setKey } from '../src/edits';
import { buildTopology } from '../src/model';
import { applyEdits, SourceFile } from '../src/source';
import { AstReader, parseYaml } from '../src/yaml-ast';

test('applyEdits: inserts at one offset appear in array order (LSP semantics)', () => {
  const text = 'a: 1\n';
  const out = applyEdits(text, [
    { span: { start: 4, end: 4 }, newText: '\nb: 2' },
    { span: { start: 4, end: 4 }, newText: '\nc: 3' },
  ]);
  assert.equal(out, 'a: 1\nb: 2\nc: 3\n');
});

test('applyEdits: a replacement and an insert at its start both apply, insert first', () => {
  const out = applyEdits('x: abc\n', [
    { span: { start: 3, end: 6 }, newText: 'def' },
    { span: { start: 3, end: 3 }, newText: '[' },
  ]);
  assert.equal(out, 'x: [def\n');
});

test('applyEdits: overlapping edits are skipped, not corrupted', () => {
  const out = applyEdits('0123456789', [
    { span: { start: 2, end: 6 }, newText: 'A' },
    { span: { start: 4, end: 8 }, newText: 'B' },
  ]);
  assert.equal(out, '0123B89');
});

test('two setKey inserts into one block map, applied together, keep their order', () => {
  const text = 'machines:\n  ams01:\n    os: windows # keep\n';
  const file = new SourceFile(text);
  const reader = new AstReader(parseYaml(text).doc);
  const e1 = setKey(file, reader, ['machines', 'ams01'], 'network-discovery', 'true')!;
  const e2 = setKey(file, reader, ['machines', 'ams01'], 'file-and-printer-sharing', 'true')!;
  assert.equal(applyEdits(text, [e1, e2]), 'machines:\n  ams01:\n    os: windows # keep\n    network-discovery: true\n    file-and-printer-sharing: true\n');
});

test('AstReader.pair: constant-time lookup, merge keys expanded, own keys win', () => {
  const text = 'base: &b { os: linux, port: 1 }\nm:\n  <<: *b\n  port: 2\n';
  const reader = new AstReader(parseYaml(text).doc);
  const m = reader.get(reader.doc.contents, 'm')!.value;
  assert.equal(reader.scalar(reader.pair(m, 'port')!.value)!.value, 2);
  assert.equal(reader.scalar(reader.pair(m, 'os')!.value)!.value, 'linux');
  assert.equal(reader.pair(m, 'nope'), undefined);
  assert.equal(reader.pair(reader.pair(m, 'os')!.value, 'x'), undefined, 'not a map');
  assert.strictEqual(reader.pairs(m), reader.pairs(m), 'built once per map');
  assert.deepEqual(reader.pairs(m).map((p) => p.key), ['port', 'os']);
});

test('setKey through a machines map with many entries finds the right machine', () => {
  const lines = ['machines:'];
  for (let i = 0; i < 2000; i++) lines.push(`  m${i}: { os: linux }`);
  const text = lines.join('\n') + '\n';
  const file = new SourceFile(text);
  const reader = new AstReader(parseYaml(text).doc);
  const e = setKey(file, reader, ['machines', 'm1999'], 'port', '9876')!;
  assert.match(applyEdits(text, [e]), /m1999: \{ os: linux, port: 9876 \}\n$/);
});

test('model: an empty `hosts:` is located at its key (not a zero-length span)', () => {
  const text = 'machines:\n  a:\n    hosts:\n    os: linux\n';
  const t = buildTopology(new AstReader(parseYaml(text).doc));
  const s = t.machines.get('a')!.hostsSpan!;
  assert.equal(text.slice(s.start, s.end), 'hosts');
});
