// The fast parse path (fast-yaml.ts) against yaml's own parseDocument: an equivalence oracle over
// node classes, ranges, values, scalar types, flow flags, key order and document fields; property
// tests on generated documents of the subset (must not bail, must be equal), on mutated example
// files (bail or equal, never different), and the whole pipeline (check() diagnostics equal with the
// fast path on and off).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Document, parseDocument } from 'yaml';
import { fastDuplicateKeys, fastParseDocument, PARSE_OPTIONS, setFastParseEnabled } from './fast-yaml';
import { parseYaml } from './yaml-ast';
import { check } from './check';
import { createIncrementalChecker } from './incremental';

const ROOT = join(__dirname, '..', '..');
// more runs for a deeper search: FAST_YAML_RUNS=20000 node --import tsx --test engine/src/fast-yaml.test.ts
const RUNS = Number(process.env.FAST_YAML_RUNS) || 0;
const runs = (n: number) => Math.max(n, RUNS);

// Not reproduced by the fast path (nothing in acrotopo reads them): comments and blank-line flags.
const IGNORED = new Set(['comment', 'commentBefore', 'spaceBefore']);

/**
 * The first difference between two documents (or nodes), or undefined when equal: the same class,
 * the same own enumerable properties (ignoring comments) with equal values (Object.is for scalars:
 * -0, NaN), recursively through items, pairs and ranges; collections hold their document's schema.
 */
export function docDiff(a: unknown, b: unknown): string | undefined {
  const da = a as Document.Parsed;
  const db = b as Document.Parsed;
  return diff(a, b, '', da.schema, db.schema);
}

function diff(a: unknown, b: unknown, path: string, sa: unknown, sb: unknown): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return `${path || '/'}: ${describe(a)} ≠ ${describe(b)}`;
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: class ${a.constructor?.name} ≠ ${b.constructor?.name}`;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return `${path}: length ${a.length} ≠ ${bb.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = diff(a[i], bb[i], `${path}[${i}]`, sa, sb);
      if (d) return d;
    }
    return undefined;
  }
  if (a instanceof Document) {
    // the schema is compared by name and tags; options and directives field by field
    const x = a as Document.Parsed;
    const y = b as Document.Parsed;
    if (x.schema?.name !== y.schema?.name) return `${path}/schema: ${x.schema?.name} ≠ ${y.schema?.name}`;
    const tx = (x.schema as unknown as { tags: unknown[] }).tags;
    const ty = (y.schema as unknown as { tags: unknown[] }).tags;
    if (tx.length !== ty.length || tx.some((t, i) => t !== ty[i])) return `${path}/schema: tags differ`;
    for (const k of ['options', 'directives'] as const) {
      try {
        assert.deepStrictEqual(x[k], y[k]);
      } catch {
        return `${path}/${k} differ`;
      }
    }
    for (const k of ['contents', 'range', 'errors', 'warnings'] as const) {
      const d = diff(x[k], y[k], `${path}/${k}`, x.schema, y.schema);
      if (d) return d;
    }
    const keys = (o: object) => Object.keys(o).filter((k) => !IGNORED.has(k)).sort().join(',');
    if (keys(x) !== keys(y)) return `${path}: document keys ${keys(x)} ≠ ${keys(y)}`;
    return undefined;
  }
  const ka = Object.keys(a).filter((k) => !IGNORED.has(k)).sort();
  const kb = Object.keys(b).filter((k) => !IGNORED.has(k)).sort();
  if (ka.join(',') !== kb.join(',')) return `${path}: keys {${ka}} ≠ {${kb}}`;
  // collections carry their document's schema (non-enumerable)
  if ('items' in a && ((a as { schema?: unknown }).schema !== sa || (b as { schema?: unknown }).schema !== sb)) {
    return `${path}: collection schema is not the document's`;
  }
  for (const k of ka) {
    const d = diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`, sa, sb);
    if (d) return d;
  }
  return undefined;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

function reference(text: string): Document.Parsed {
  return parseDocument(text, PARSE_OPTIONS) as Document.Parsed;
}

/** fast === reference, or the fast path bailed; returns whether it bailed. */
function assertSameOrBail(text: string): boolean {
  const fast = fastParseDocument(text);
  if (!fast) return true;
  const ref = reference(text);
  assert.equal(ref.errors.length, 0, `fast path accepted a text yaml reports errors for: ${JSON.stringify(text)} → ${ref.errors.map((e) => e.code)}`);
  assert.equal(ref.warnings.length, 0, `fast path accepted a text yaml warns about: ${JSON.stringify(text)}`);
  const d = docDiff(fast, ref);
  assert.equal(d, undefined, `fast path differs from parseDocument for ${JSON.stringify(text)}: ${d}`);
  return false;
}

function assertSame(text: string): void {
  const bailed = assertSameOrBail(text);
  assert.equal(bailed, false, `fast path bailed on ${JSON.stringify(text.length > 400 ? text.slice(0, 400) + '…' : text)}`);
}

// ---------------------------------------------------------------------------------------------
// the oracle itself

test('docDiff: finds differences in ranges, values, types, classes and flow flags', () => {
  const base = 'a: 1\nb: [x, y]\n';
  const a = reference(base);
  assert.equal(docDiff(a, reference(base)), undefined);
  assert.match(docDiff(a, reference('a: 1\nb: [x, z]\n')) ?? '', /value/);
  assert.match(docDiff(a, reference('a:  1\nb: [x, y]\n')) ?? '', /range/);
  assert.match(docDiff(a, reference("a: '1'\nb: [x, y]\n")) ?? '', /value|type|range/);
  assert.match(docDiff(a, reference('a: 1\nb:\n  - x\n  - y\n')) ?? '', /flow|range|keys/);
  assert.match(docDiff(reference('a: 0\n'), reference('a: -0\n')) ?? '', /-0|source|range/);
  assert.match(docDiff(reference('a: b\n'), reference('a: [b]\n')) ?? '', /class/);
  const c = reference(base);
  (c.contents as unknown as { items: { key: { range: number[] } }[] }).items[1].key.range[2] = 99;
  assert.match(docDiff(a, c) ?? '', /items\[1\]\/key\/range\[2\]/);
});

// ---------------------------------------------------------------------------------------------
// hand-written cases: each must take the fast path and equal parseDocument

const ACCEPTED: string[] = [
  'a: 1\nb: 2\n',
  'a: 1',
  'a: 1 # c\n',
  'a:\n  b: 1\n\n# c\nc: 2',
  'a:\n',
  'a:',
  'a:   \nb: x',
  'a:  # c\nb: x\n',
  'a:\n  - x\n  - y: 1\n    z: 2\n\n  # com\n\nb: 1\n\n\n',
  '- a\n- b\n',
  'a: [x, y ] # c\n',
  'a: { x: 1, y: 2 }\n',
  'a: [ x ,y ,  z  ]\n',
  'a: { x : 1 ,y:  2  ,z: "q" }   \n',
  "a: ['x' , \"y\"]",
  'a: []\nb: {}\nc: [ ]\n',
  '# lead\n\na: 1\n',
  'x:\n  a:\n# top\n\nb: 1\n',
  'a:   # c1\n# c2\nb: 1\n',
  'a:\n  b: 1\n    # deep\n  # mid\n\n# top\n  c: 2\n',
  '- a: 1\n  # c\n- b\n',
  'a  : 1\nb : 2\n',
  "'a': 1\n\"b\": 2\n",
  'a: [-1, -x, a:b, x?, a b  ,  c#d]',
  'x: a[1] {b}, c\nk[1]: 2\n-k: 3\n',
  '  a: 1\n  b: 2\n',
  '\n\n  a: 1',
  '# c\n  # d\n   a: 1',
  'a:\n- x\n- y\nb: 1\n',
  'a:\n- x\n# c\n- y\n  # d\nb: 1\n',
  'a: 1\r\nb:\r\n  - x\r\n  - y # c\r\n\r\n',
  'n: null\nt: true\nT: True\nf: FALSE\ni: 0o17\nh: 0x1F\nd: -12\nf1: 1.50\ne: 1e3\ninf: -.inf\nnan: .NaN\nt2: ~\ns: yes\nz: -0\nq: 012\n',
  '1: a\n0x10: b\nnull: c\ntrue: d\n1.5: e\n',
  "a: 'it''s'\nb: \"x # y: z\"\nc: 'a: b'\n",
  'a: x # c\n   # deeper comment\n\n   # another\n# top\nb: y\n',
  'a:\n  b:\n    c: 1\n      # deep\n    # at c\n  # at b\n# at a\n',
  'a:\n  b:\n    c: 1\n\n\n',
  'a:\n  b:\n    c:\n      # deep\n    # at c\n\n  # at b\nd: 1\n',
  'a:\n  b:\n\n    # deeper\n\n  c: 1\n',
  'm:\n  - name: x\n    between: [a, b]\n    allow:\n      - { from: a, to: b, port: tcp/9876 }\n      - { from: b, to: a, port: tcp/445 }\n  - name: y\n',
  '- - x\n'.replace('- - x', '- x'),
  'a: "é ’ 𝄞"\nb: ünï\n',
  'a: b:c\nc: http://x/y?z=1#f\n',
  'k:\n    - a\n    - b\n',
  '- a:\n    b: 1\n- c:\n  - d\n',
];

test('fast path: hand-written documents of the subset equal parseDocument', () => {
  for (const text of ACCEPTED) assertSame(text);
});

const REFUSED: string[] = [
  '', '# only a comment\n', 'a: &x 1\nb: *x\n', 'a: !!str 1\n', '<<: {a: 1}\n', 'a: |\n  x\n', 'a: >\n  x\n',
  'a: b\n  c\n', 'a: [x,\n  y]\n', '? a\n: b\n', '---\na: 1\n', 'a: 1\n...\n', '%YAML 1.2\n---\na: 1\n',
  'a:\t1\n', '\uFEFFa: 1\n', 'a: \u0001\n', 'a: "x\\ty"\n', 'a: 1\n b: 2\n', 'a:\n  b: 1\n c: 2\n',
  '- a\nb: 1\n', 'a: b: c\n', 'a: [[x]]\n', 'a: [x, ]\n', 'a: {x}\n', 'a: {x: }\n', 'a: [x] y\n',
  '-\n  a: 1\n', '- \n', 'a\n', '"a\n', "a: 'x\n", 'a: @x\n', 'a: `x\n', 'a: %x\n', 'a: 1\r2\n',
  '[a, b]\n', 'a: - x\n', '- - x\n', '{a: 1}: b\n', 'a: 1 #c\n  d\n', 'a:\n  "x"\n',
  // `-` alone in a flow collection (yaml: BLOCK_IN_FLOW); found by the mutated-examples property
  'a: [-, b]\n', 'a: [b, -]\n', 'a: [-]\n', 'a: {k: -, j: 1}\n',
];

test('fast path: bails on documents outside the subset', () => {
  for (const text of REFUSED) assert.equal(fastParseDocument(text), undefined, `should bail: ${JSON.stringify(text)}`);
});

// ---------------------------------------------------------------------------------------------
// real files: must not bail, must equal

function exampleFiles(): string[] {
  const out: string[] = [];
  for (const dir of ['examples', 'examples/problems']) {
    for (const f of readdirSync(join(ROOT, dir))) if (f.endsWith('.yaml')) out.push(join(ROOT, dir, f));
  }
  return out;
}

function benchFiles(): string[] {
  const dir = join(ROOT, 'bench', 'out');
  return [100, 1000, 10000].map((n) => join(dir, `bench-${n}.acrotopo.yaml`)).filter((f) => existsSync(f));
}

test('fast path: every example and problem example, and the bench files, take the fast path and equal parseDocument', () => {
  const files = [...exampleFiles(), ...benchFiles()];
  assert.ok(files.length >= 10);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    if (reference(text).errors.length > 0) continue;
    assert.doesNotThrow(() => assertSame(text), `${f}`);
  }
});

test('fast path: the bench generator output (100 machines, generated in memory) takes the fast path', async () => {
  const { generate } = (await import(join(ROOT, 'bench', 'generate.mjs'))) as { generate: (n: number) => { text: string } };
  for (const n of [20, 100, 300]) assertSame(generate(n).text);
});

// ---------------------------------------------------------------------------------------------
// generated documents of the subset

const plainWord = fc.stringMatching(/^[a-z][a-z0-9_./-]{0,8}$/);
const plainWithSpaces = fc.tuple(plainWord, fc.constantFrom(' ', '  '), plainWord).map(([a, s, b]) => `${a}${s}${b}`);
const special = fc.constantFrom(
  '1', '-1', '0', '-0', '+5', '007', '0o17', '0x1f', '0xFF', '1.5', '1.50', '-.5', '1e3', '1.0E-2', '.inf', '-.Inf', '.nan', '.NaN',
  'true', 'True', 'TRUE', 'false', 'False', 'null', 'Null', 'NULL', '~', 'yes', 'no', 'on', 'off', 'y', 'n', 'tcp/9876', '10.0.0.1',
  '10.0.0.0/24', 'a:b', 'http://x:80/y', 'x#y', 'a-b', '-x', '1.2.3', '0b101', '12:30', '2024-01-01', 'é', '’',
);
const plainScalar = fc.oneof(plainWord, plainWord, plainWithSpaces, special);
const quotedContent = fc.stringMatching(/^[a-z0-9 #:,\[\]{}\-&*!|>%@`"]{0,10}$/);
const singleQuoted = quotedContent.map((s) => `'${s.replace(/'/g, "''")}'`);
const doubleQuoted = quotedContent.map((s) => `"${s.replace(/"/g, '')}"`);
const scalar = fc.oneof({ weight: 6, arbitrary: plainScalar }, { weight: 1, arbitrary: singleQuoted }, { weight: 1, arbitrary: doubleQuoted });
const key = fc.oneof({ weight: 8, arbitrary: plainWord }, { weight: 1, arbitrary: special.filter((s) => !s.includes(':') && !s.startsWith('-') ) }, { weight: 1, arbitrary: singleQuoted }, { weight: 1, arbitrary: doubleQuoted });
const sp = fc.constantFrom('', ' ', '  ');
const sp1 = fc.constantFrom(' ', '  ');
const flowScalar = fc.oneof(plainWord, special.filter((s) => !/[:#,[\]{}]/.test(s) && !s.startsWith('-')), singleQuoted, doubleQuoted);
const flowSeq = fc.tuple(sp, fc.array(fc.tuple(flowScalar, sp, sp), { maxLength: 4 })).map(([s0, items]) =>
  items.length === 0 ? `[${s0}]` : `[${s0}${items.map(([v, a, b], i) => `${i ? `,${b}` : ''}${v}${a}`).join('')}]`,
);
const flowKey = fc.oneof({ weight: 4, arbitrary: plainWord }, { weight: 1, arbitrary: singleQuoted }, { weight: 1, arbitrary: doubleQuoted });
const flowMap = fc.tuple(sp, fc.array(fc.tuple(flowKey, sp, sp1, flowScalar, sp, sp), { maxLength: 4 })).map(([s0, items]) =>
  items.length === 0 ? `{${s0}}` : `{${s0}${items.map(([k, a, b, v, c, d], i) => `${i ? `,${d}` : ''}${k}${a}:${b}${v}${c}`).join('')}}`,
);
const lineComment = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: sp1 }, // trailing spaces
  { weight: 1, arbitrary: fc.tuple(sp1, fc.stringMatching(/^[a-z :#-]{0,6}$/), sp).map(([s, c, t]) => `${s}#${c}${t}`) },
);

/** Blank and comment lines at random indentation (0..maxIndent). */
const triviaLines = (maxIndent: number) =>
  fc.array(
    fc.oneof(
      fc.constant(''),
      fc.integer({ min: 0, max: maxIndent + 4 }).map((n) => ' '.repeat(n)),
      fc.tuple(fc.integer({ min: 0, max: maxIndent + 4 }), fc.stringMatching(/^[a-z #]{0,5}$/)).map(([n, c]) => `${' '.repeat(n)}#${c}`),
    ),
    { maxLength: 3 },
  );

type Node = { kind: 'scalar' | 'flow'; text: string } | { kind: 'map'; pairs: [string, Node][] } | { kind: 'seq'; items: Node[] } | { kind: 'empty' };

const node: fc.Memo<Node> = fc.memo((n) =>
  n <= 1
    ? fc.oneof(
        { weight: 5, arbitrary: scalar.map((t) => ({ kind: 'scalar', text: t }) as Node) },
        { weight: 1, arbitrary: fc.oneof(flowSeq, flowMap).map((t) => ({ kind: 'flow', text: t }) as Node) },
        { weight: 1, arbitrary: fc.constant({ kind: 'empty' } as Node) },
      )
    : fc.oneof(
        { weight: 3, arbitrary: scalar.map((t) => ({ kind: 'scalar', text: t }) as Node) },
        { weight: 1, arbitrary: fc.oneof(flowSeq, flowMap).map((t) => ({ kind: 'flow', text: t }) as Node) },
        { weight: 1, arbitrary: fc.constant({ kind: 'empty' } as Node) },
        { weight: 2, arbitrary: fc.array(fc.tuple(key, node(n - 1)), { minLength: 1, maxLength: 4 }).map((pairs) => ({ kind: 'map', pairs }) as Node) },
        { weight: 2, arbitrary: fc.array(node(n - 1), { minLength: 1, maxLength: 4 }).map((items) => ({ kind: 'seq', items }) as Node) },
      ),
);

/** Renders a block collection; `style` picks indentation steps, same-indent sequences, spacing. */
interface Style {
  step: number;
  seqSameIndent: boolean;
  dashSpaces: number;
  trivia: string[][];
  comments: string[];
  valueSpaces: string[];
  crlf: boolean;
}

function render(root: Node, style: Style): string | undefined {
  let ti = 0;
  let ci = 0;
  let vi = 0;
  const lines: string[] = [];
  const trivia = () => {
    const t = style.trivia[ti++ % style.trivia.length] ?? [];
    lines.push(...t);
  };
  const comment = () => style.comments[ci++ % style.comments.length] ?? '';
  const vsp = () => style.valueSpaces[vi++ % style.valueSpaces.length] ?? ' ';
  // writes `node` as the value after `prefix` (a key line `k:` or a seq dash `- `); indent is the
  // indentation of the collection holding it
  const emit = (n: Node, indent: number): boolean => {
    if (n.kind === 'map') {
      let first = true;
      for (const [k, v] of n.pairs) {
        if (!first) trivia();
        first = false;
        const pre = ' '.repeat(indent) + k + ':';
        if (!value(pre, v, indent, false)) return false;
      }
      return true;
    }
    if (n.kind === 'seq') {
      let first = true;
      for (const it of n.items) {
        if (!first) trivia();
        first = false;
        const pre = ' '.repeat(indent) + '-' + ' '.repeat(style.dashSpaces);
        if (it.kind === 'map') {
          // compact mapping: first key on the dash line
          const inner = indent + 1 + style.dashSpaces;
          const [[k0, v0], ...rest] = it.pairs;
          if (!value(pre + k0 + ':', v0, inner, false)) return false;
          for (const [k, v] of rest) {
            trivia();
            if (!value(' '.repeat(inner) + k + ':', v, inner, false)) return false;
          }
        } else if (it.kind === 'seq' || it.kind === 'empty') {
          return false; // `- - x` and `-` alone are outside the subset
        } else {
          lines.push(pre + it.text + comment());
        }
      }
      return true;
    }
    return false;
  };
  const value = (pre: string, v: Node, indent: number, _inSeq: boolean): boolean => {
    if (v.kind === 'scalar' || v.kind === 'flow') {
      lines.push(pre + vsp() + v.text + comment());
      return true;
    }
    if (v.kind === 'empty') {
      lines.push(pre + comment());
      return true;
    }
    lines.push(pre + comment());
    trivia();
    if (v.kind === 'seq' && style.seqSameIndent) return emit(v, indent);
    return emit(v, indent + style.step);
  };
  if (root.kind !== 'map' && root.kind !== 'seq') return undefined;
  trivia();
  if (!emit(root, 0)) return undefined;
  trivia();
  const nl = style.crlf ? '\r\n' : '\n';
  return lines.join(nl) + (ti % 2 ? nl : '');
}

const style: fc.Arbitrary<Style> = fc.record({
  step: fc.integer({ min: 1, max: 4 }),
  seqSameIndent: fc.boolean(),
  dashSpaces: fc.integer({ min: 1, max: 3 }),
  trivia: fc.array(triviaLines(6), { minLength: 1, maxLength: 6 }),
  comments: fc.array(lineComment, { minLength: 1, maxLength: 5 }),
  valueSpaces: fc.array(fc.constantFrom(' ', '  ', '   '), { minLength: 1, maxLength: 3 }),
  crlf: fc.boolean(),
});

const documentText = fc.tuple(node(4), style).map(([n, s]) => render(n, s)).filter((t): t is string => t !== undefined);

test('property: generated documents of the subset take the fast path and equal parseDocument', () => {
  fc.assert(
    fc.property(documentText, (text) => {
      assertSame(text);
    }),
    { numRuns: runs(1500) },
  );
});

// random lines (keys, dashes, scalars, flow collections, comments at any indentation): bail or equal

const fragment = fc.oneof(
  key.map((k) => `${k}:`),
  fc.tuple(key, sp1, scalar).map(([k, s, v]) => `${k}:${s}${v}`),
  fc.tuple(key, sp1, fc.oneof(flowSeq, flowMap)).map(([k, s, v]) => `${k}:${s}${v}`),
  scalar.map((v) => `- ${v}`),
  fc.tuple(key, scalar).map(([k, v]) => `- ${k}: ${v}`),
  key.map((k) => `- ${k}:`),
  fc.constantFrom('-', '- ', '#', '# c', '', ' ', 'x', '- - a', '[a]', '? a', ': b', '---', '...', 'a: b: c', 'a:b', '"q', "'q", '{a: 1}', 'a: &x 1', 'b: *x', '<<: {a: 1}', 'a: |', 'a: >-', 'a: !!str x'),
  scalar,
);
const soup = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 7 }), fragment, lineComment), { minLength: 1, maxLength: 14 })
  .chain((ls) => fc.tuple(fc.constant(ls), fc.boolean(), fc.boolean()))
  .map(([ls, crlf, finalNl]) => ls.map(([n, f, c]) => ' '.repeat(n) + f + c).join(crlf ? '\r\n' : '\n') + (finalNl ? '\n' : ''));

test('property: random lines either bail or equal parseDocument', () => {
  let n = 0;
  let taken = 0;
  fc.assert(
    fc.property(soup, (text) => {
      n++;
      if (!assertSameOrBail(text)) taken++;
    }),
    { numRuns: runs(3000) },
  );
  console.log(`# random lines: ${taken}/${n} took the fast path`);
  assert.ok(taken > n / 20, `the fast path should take some of the random documents (${taken}/${n})`);
});

// ---------------------------------------------------------------------------------------------
// mutated real files: bail or equal, never different

const SIGNIFICANT = [' ', '  ', '\n', '\r\n', '\r', '\t', '#', ' #', ':', ': ', '- ', '-', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', "'", '"', '?', '%', '@', '`', '~', '\\', '---', '...', '.', '0', '1', '0x', 'e', 'null', 'true', '<<', 'é', '\u0085', '\u00A0', '\u2028', '\uFEFF'];

test('property: mutated example files either bail or equal parseDocument (fallback rate reported)', () => {
  const texts = exampleFiles().map((f) => readFileSync(f, 'utf8'));
  let count = 0;
  let bails = 0;
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: texts.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.constantFrom(...SIGNIFICANT), fc.integer({ min: 0, max: 2 })), { minLength: 1, maxLength: 3 }),
      (fi, edits) => {
        let text = texts[fi];
        for (const [at, s, del] of edits) {
          const p = at % (text.length + 1);
          text = text.slice(0, p) + s + text.slice(p + del);
        }
        count++;
        if (assertSameOrBail(text)) bails++;
      },
    ),
    { numRuns: runs(1500) },
  );
  // a mutation rarely leaves the subset: most mutated files must still take the fast path
  console.log(`# mutation test: ${bails}/${count} fell back to parseDocument (${((100 * bails) / count).toFixed(1)}%)`);
  assert.ok(bails < count * 0.8, `too many fallbacks: ${bails}/${count}`);
});

// ---------------------------------------------------------------------------------------------
// the whole pipeline: same diagnostics with the fast path on and off

function checkJson(text: string): string {
  const r = check(text);
  return JSON.stringify(r.diagnostics);
}

function withFastPath<T>(on: boolean, f: () => T): T {
  setFastParseEnabled(on);
  try {
    return f();
  } finally {
    setFastParseEnabled(true);
  }
}

test('pipeline: check() diagnostics are identical with the fast path on and off (examples, mutated examples)', () => {
  const texts = exampleFiles().map((f) => readFileSync(f, 'utf8'));
  for (const t of texts) assert.equal(withFastPath(true, () => checkJson(t)), withFastPath(false, () => checkJson(t)));
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: texts.length - 1 }),
      fc.tuple(fc.nat(), fc.constantFrom(...SIGNIFICANT, 'x', '  - y\n', 'os: linux\n', 'address: 10.0.0.1\n')),
      (fi, [at, s]) => {
        const text = texts[fi];
        const p = at % (text.length + 1);
        const m = text.slice(0, p) + s + text.slice(p);
        assert.equal(withFastPath(true, () => checkJson(m)), withFastPath(false, () => checkJson(m)));
      },
    ),
    { numRuns: 150 },
  );
});

test('duplicate keys found while parsing (fastDuplicateKeys) = the walk after yaml\'s parse: any depth, block and flow, small and large mappings, typed keys', () => {
  // keys that collide as YAML keys: `1` and `'1'` differ (number, string), `true` and `True` do not
  const key = fc.constantFrom('a', 'b', 'c', '1', '01', "'1'", '"a"', 'true', 'True', 'null', '~', 'x-y', '0x1');
  const leaf = fc.constantFrom('1', 'x', 'null', '[a, b]', '{ a: 1, b: 2 }', '{ a: 1, a: 2 }', "'q'");
  const line = (depth: number): fc.Arbitrary<string[]> =>
    depth <= 0
      ? fc.tuple(key, leaf).map(([k, v]) => [`${k}: ${v}`])
      : fc.oneof(
          fc.tuple(key, leaf).map(([k, v]) => [`${k}: ${v}`]),
          fc.tuple(key, block(depth - 1)).map(([k, ls]) => [`${k}:`, ...ls.map((l) => `  ${l}`)]),
          fc.tuple(key, fc.array(block(depth - 1), { minLength: 1, maxLength: 2 })).map(([k, items]) => [`${k}:`, ...items.flatMap((ls) => ls.map((l, i) => `${i === 0 ? '  - ' : '    '}${l}`))]),
        );
  // (a mapping of up to 20 keys: the set past SMALL_MAP as well as the pairwise comparison)
  const block = (depth: number): fc.Arbitrary<string[]> => fc.array(line(depth), { minLength: 1, maxLength: 20 }).map((ls) => ls.flat());
  fc.assert(
    fc.property(block(2), (lines) => {
      const text = lines.join('\n') + '\n';
      const doc = fastParseDocument(text);
      if (!doc) return; // outside the fast path's subset: parseYaml walks yaml's parse
      const on = withFastPath(true, () => parseYaml(text).problems);
      const off = withFastPath(false, () => parseYaml(text).problems);
      assert.deepEqual(on, off, text);
      assert.deepEqual(fastDuplicateKeys(doc), off.filter((p) => p.code === 'DUPLICATE_KEY').map((p) => p.span), text);
    }),
    { numRuns: Number(process.env.FC_RUNS ?? 400) },
  );
  // a large mapping with repeats far apart, and one repeated three times
  const many = Array.from({ length: 40 }, (_, i) => `k${i % 25}: ${i}`).join('\n') + '\nk3: again\n';
  const doc = fastParseDocument(many)!;
  assert.deepEqual(fastDuplicateKeys(doc)!.map((s) => many.slice(s.start, s.end)), ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9', 'k10', 'k11', 'k12', 'k13', 'k14', 'k3']);
  assert.equal(fastDuplicateKeys({}), undefined, 'not a document of the fast path');
});

test('pipeline: parseYaml problems and the incremental checker agree with the fast path on and off', () => {
  const text = readFileSync(join(ROOT, 'examples', 'large-estate.acrotopo.yaml'), 'utf8');
  const dup = text.replace(/\n(\w[\w-]*):/, '\n$1:\n$1:');
  for (const t of [text, dup, text + '\n\t\n']) {
    const on = withFastPath(true, () => parseYaml(t).problems);
    const off = withFastPath(false, () => parseYaml(t).problems);
    assert.deepEqual(on, off);
  }
  const inc = createIncrementalChecker();
  const a = inc.update(text);
  const b = withFastPath(false, () => check(text));
  assert.equal(JSON.stringify(a.diagnostics), JSON.stringify(b.diagnostics));
});
