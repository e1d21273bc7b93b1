// AstReader's lookups: a mapping looked up a few times is scanned, not read and indexed; the answers
// must be those of the index (pair: the last own pair with the key, else a merged one; firstPair: the
// first, as pairs() lists them), whatever the keys — duplicates, merge keys, non-string keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AstReader, parseYaml } from '../src/yaml-ast';
import type { PairInfo } from '../src/yaml-ast';

const FC_RUNS = Number(process.env.FC_RUNS ?? 300);

const same = (a: PairInfo | undefined, b: PairInfo | undefined, what: string) => {
  assert.equal(a === undefined, b === undefined, what);
  if (!a || !b) return;
  assert.equal(a.key, b.key, what);
  assert.equal(a.keyNode, b.keyNode, `${what}: key node`);
  assert.equal(a.value, b.value, `${what}: value node`);
  assert.deepEqual(a.keySpan, b.keySpan, `${what}: key span`);
};

/** Each lookup by a fresh reader (scans) and by one that indexed the mapping first (pairs()). */
function compare(text: string, keys: string[]): void {
  const { doc } = parseYaml(text);
  const root = doc.contents;
  const scanning = new AstReader(doc);
  const pairFirst = new AstReader(doc);
  const indexing = new AstReader(doc);
  indexing.pairs(root);
  indexing.pair(root, '\u0000'); // builds the last-wins index
  for (const k of keys) {
    same(scanning.pair(root, k), indexing.pair(root, k), `pair ${JSON.stringify(k)} in\n${text}`);
    same(pairFirst.firstPair(root, k), indexing.firstPair(root, k), `firstPair ${JSON.stringify(k)} in\n${text}`);
  }
}

test('scans answer as the index: duplicates (last / first), merge keys, other keys', () => {
  const text = ['base: &b { x: 1, y: 2 }', 'a: 1', 'x: own', 'a: 2', '<<: *b', '1: one', 'null: n', '? [k]', ': v', 'a: 3', ''].join('\n');
  compare(text, ['a', 'x', 'y', '1', 'null', 'missing', 'base', '<<', 'k']);
  const { doc } = parseYaml(text);
  const r = new AstReader(doc);
  assert.equal((r.pair(doc.contents, 'a')?.value as { value?: unknown }).value, 3, 'the last own pair');
  assert.equal((r.firstPair(doc.contents, 'a')?.value as { value?: unknown }).value, 1, 'the first own pair');
  assert.equal((r.pair(doc.contents, 'y')?.value as { value?: unknown }).value, 2, 'merged');
  assert.equal((r.pair(doc.contents, 'x')?.value as { value?: unknown }).value, 'own', 'own before merged');
});

test('after a few lookups the mapping is indexed; the answers stay the same', () => {
  const lines = Array.from({ length: 40 }, (_, i) => `k${i % 13}: ${i}`);
  const text = lines.join('\n') + '\n';
  const keys = Array.from({ length: 30 }, (_, i) => `k${(i * 7) % 15}`); // more lookups than scans, some missing
  compare(text, keys);
});

test('property: pair and firstPair by scanning equal the index on random mappings', () => {
  const key = fc.constantFrom('a', 'b', 'c', '1', 'null', '<<', '"a"', "'b'", '~', 'true');
  const value = fc.constantFrom('1', 'x', '{ a: 1, b: 2 }', '*m', '[1]', '', '{ c: 3 }');
  fc.assert(
    fc.property(fc.array(fc.tuple(key, value), { maxLength: 12 }), fc.array(fc.constantFrom('a', 'b', 'c', '1', 'null', 'true', 'zz', '<<', '~'), { maxLength: 20 }), (pairs, keys) => {
      const text = 'm: &m { a: m, c: mc }\n' + pairs.map(([k, v]) => `${k}: ${v}`).join('\n') + '\n';
      const parsed = parseYaml(text);
      if (!parsed.doc.contents) return;
      compare(text, keys);
    }),
    { numRuns: FC_RUNS },
  );
});

test('property: eachPair calls with what pairs() lists (key, value and key node, in order), and declines mappings with a merge key or already read', () => {
  const key = fc.constantFrom('a', 'b', 'c', '1', 'null', '<<', '"a"', "'b'", '~', 'true', '? [k]\n');
  const value = fc.constantFrom('1', 'x', '{ a: 1, b: 2 }', '*m', '[1]', '', '{ c: 3 }');
  fc.assert(
    fc.property(fc.array(fc.tuple(key, value), { maxLength: 12 }), fc.boolean(), (pairs, readFirst) => {
      const text = 'm: &m { a: m, c: mc }\n' + pairs.map(([k, v]) => `${k}: ${v}`).join('\n') + '\n';
      const { doc } = parseYaml(text);
      const root = doc.contents;
      if (!root) return;
      const r = new AstReader(doc);
      if (readFirst) r.pairs(root);
      const seen: [string, unknown, unknown][] = [];
      const took = r.eachPair(root, (k, v, keyNode) => seen.push([k, v, keyNode]));
      const listed = new AstReader(doc).pairs(root);
      const merged = pairs.some(([k]) => k === '<<');
      assert.equal(took, !merged && !readFirst, text);
      if (took) assert.deepEqual(seen, listed.map((p) => [p.key, p.value, p.keyNode]), text);
      else assert.deepEqual(seen, []);
    }),
    { numRuns: FC_RUNS },
  );
  assert.equal(new AstReader(parseYaml('- a\n').doc).eachPair(parseYaml('- a\n').doc.contents, () => assert.fail()), true, 'not a mapping: nothing to call');
});

test('a keyed mapping (KEYED_MAPS: the machines the incremental checker assembles) answers as the index, and the assembled machines: mapping is keyed', async () => {
  const { KEYED_MAPS } = await import('../src/yaml-ast');
  const { createIncrementalChecker } = await import('../src/incremental');
  const { generate } = await import('../../bench/generate.mjs');
  const text = generate(40, { seed: 3 }).text;
  const inc = createIncrementalChecker();
  inc.update(text);
  // the next text is cut into chunks and assembled (the first was one parse of the whole text)
  const next = text.replace(/^title: .*$/m, (l) => `${l} (draft)`);
  inc.update(next);
  const doc = inc.parsed!.doc;
  const reader = new AstReader(doc);
  const machines = reader.pair(doc.contents, 'machines')!.value!;
  assert.ok(KEYED_MAPS.has(machines), 'the assembled machines: mapping is keyed');
  // the same answers as an index of a parse of the whole text
  const whole = parseYaml(next).doc;
  const plain = new AstReader(whole);
  const wholeMachines = plain.pair(whole.contents, 'machines')!.value!;
  assert.ok(!KEYED_MAPS.has(wholeMachines));
  const names = [...next.matchAll(/^ {2}([\w-]+):/gm)].map((m) => m[1]);
  for (const k of [...names, 'missing', '<<', '']) {
    for (const first of [false, true]) {
      const a = first ? reader.firstPair(machines, k) : reader.pair(machines, k);
      const b = first ? plain.firstPair(wholeMachines, k) : plain.pair(wholeMachines, k);
      assert.equal(a === undefined, b === undefined, k);
      if (a && b) {
        assert.equal(a.key, b.key);
        assert.deepEqual(a.keySpan, b.keySpan, k);
        assert.deepEqual((a.value as { range?: unknown }).range, (b.value as { range?: unknown }).range, k);
      }
    }
  }
});
