// yaml-lib.ts answers the node type tests from the prototype: the same answers as yaml's own
// functions, on every kind of node yaml and the fast parser make and on anything else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import * as yaml from 'yaml';
import { fastParseDocument } from './fast-yaml';
import * as lib from './yaml-lib';

const TESTS = ['isScalar', 'isPair', 'isMap', 'isSeq', 'isAlias', 'isCollection'] as const;

function assertSameTests(x: unknown, what: string): void {
  for (const t of TESTS) assert.equal(lib[t](x), (yaml[t] as (n: unknown) => boolean)(x), `${t}(${what})`);
  // a YAMLMap or YAMLSeq itself, not a subclass
  const ctor = (n: unknown) => (n as { constructor?: unknown }).constructor;
  assert.equal(lib.isPlainMap(x), yaml.isMap(x) && ctor(x) === yaml.YAMLMap, `isPlainMap(${what})`);
  assert.equal(lib.isPlainSeq(x), yaml.isSeq(x) && ctor(x) === yaml.YAMLSeq, `isPlainSeq(${what})`);
}

/** Every node, pair and document reachable from a parse (aliases not followed). */
function nodesOf(doc: yaml.Document): unknown[] {
  const out: unknown[] = [doc, doc.contents];
  yaml.visit(doc, {
    Node(_k, n) {
      out.push(n);
    },
    Pair(_k, p) {
      out.push(p);
    },
  });
  return out;
}

const EXAMPLES = join(__dirname, '../../examples');

test('the type tests answer as yaml\'s on the nodes of yaml\'s parser and of the fast parser', () => {
  const texts = [
    ...readdirSync(EXAMPLES).filter((f) => f.endsWith('.acrotopo.yaml')).map((f) => readFileSync(join(EXAMPLES, f), 'utf8')),
    'a: &x { b: [1, 2] }\nc: *x\nd: !!omap [ { k: 1 } ]\ne: !!set { p, q }\nf: !!binary aGk=\n? [a, b]\n: complex\n<<: *x\n',
    '- - a\n  - b\n- { c: d }\n- "q"\n- |\n  block\n',
  ];
  let n = 0;
  for (const text of texts) {
    for (const doc of [yaml.parseDocument(text), fastParseDocument(text)]) {
      if (!doc) continue;
      for (const node of nodesOf(doc)) {
        assertSameTests(node, `a node of ${JSON.stringify(text.slice(0, 30))}`);
        n++;
      }
    }
  }
  assert.ok(n > 1000, `${n} nodes`);
  // the subclasses (YAMLOMap extends YAMLSeq, YAMLSet extends YAMLMap) are asked of yaml: seen above
  const omap = yaml.parseDocument('a: !!omap [ { k: 1 } ]\n').get('a', true);
  assert.equal(lib.isSeq(omap), true);
  assert.equal(lib.isCollection(omap), true);
  assert.equal(lib.isPlainSeq(omap), false);
  const set = yaml.parseDocument('a: !!set { p, q }\n').get('a', true);
  assert.equal(lib.isMap(set), true);
  assert.equal(lib.isPlainMap(set), false);
});

test('the type tests answer as yaml\'s on other values, and on objects made with the node classes\' prototypes', () => {
  const constructed = [new yaml.Scalar(1), new yaml.Pair(new yaml.Scalar('k'), null), new yaml.YAMLMap(), new yaml.YAMLSeq(), new yaml.Alias('a'), new yaml.Document({ a: 1 })];
  for (const x of constructed) assertSameTests(x, x.constructor.name);
  const others: unknown[] = [null, undefined, 0, 1, '', 'x', true, Symbol('s'), [], {}, Object.create(null), () => undefined, new Map(), { [Symbol.for('yaml.node.type')]: Symbol.for('yaml.scalar') }];
  for (const x of others) assertSameTests(x, String(typeof x));
  fc.assert(
    fc.property(fc.anything({ withObjectString: true, withNullPrototype: true, withMap: true, withSet: true }), (x) => {
      assertSameTests(x, 'an arbitrary value');
    }),
    { numRuns: 300 },
  );
});
