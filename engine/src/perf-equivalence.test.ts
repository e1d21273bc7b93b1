// The fast paths added for speed must answer exactly as the straightforward code they replace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { isDeepStrictEqual } from 'node:util';
import { parseDocument, stringify } from 'yaml';
import schemaJson from '../../schemas/acrotopo.schema.json';
import { buildTopology, dottedQuad, inCidr } from './model';
import { documentData } from './schema';
import { SourceFile } from './source';
import { parseDisableComment, suppressions } from './suppress';
import { AstReader, parseYaml } from './yaml-ast';

const DEFS = (schemaJson as unknown as { definitions: Record<string, { pattern: string }> }).definitions;
const SCHEMA_ADDRESS = new RegExp(DEFS.ipAddress.pattern, 'u');
const SCHEMA_CIDR = new RegExp(DEFS.cidr.pattern, 'u');

/** inCidr, straightforwardly: schema-valid values (the schema's patterns) read by ipaddr.js. */
function inCidrReference(address: string, cidr: string): boolean | undefined {
  if (!SCHEMA_ADDRESS.test(address) || !SCHEMA_CIDR.test(cidr)) return undefined;
  let a: ipaddr.IPv4 | ipaddr.IPv6;
  let c: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    a = ipaddr.parse(address);
    c = ipaddr.parseCIDR(cidr);
  } catch {
    return undefined;
  }
  if (a.kind() !== c[0].kind()) return false;
  return a.match(c[0], c[1]);
}

const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.constantFrom('0', '00', '010', '256', '999', '0x1f', '', ' 1', '1 ', '+1', '-1'));
const quad = fc.tuple(octet, octet, octet, octet).map((p) => p.join('.'));
const address = fc.oneof(quad, fc.constantFrom('10.0.0.1', '::1', '::ffff:10.0.0.1', 'fe80::1', '10.0.0', '10.0.0.1.2', '', 'x', '1.2.3.4 ', '0.0.0.0', '255.255.255.255', '10.20.0.5'));
const bits = fc.oneof(fc.integer({ min: 0, max: 33 }).map(String), fc.constantFrom('024', '', '-1', '128', '1e1', ' 8'));
const cidr = fc.oneof(fc.tuple(quad, bits).map(([q, b]) => `${q}/${b}`), fc.constantFrom('10.0.0.0/8', '::/0', 'fe80::/10', '10.0.0.0', '10.0.0.0//8', '10.0.0.0/8/8', '0.0.0.0/0'));

test('inCidr (dotted-quad fast path) answers as ipaddr.js does', () => {
  fc.assert(fc.property(address, cidr, (a, c) => { assert.equal(inCidr(a, c), inCidrReference(a, c), `${a} in ${c}`); }), { numRuns: 5000 });
  // near misses of the prefix
  for (let b = 0; b <= 32; b++) {
    for (const a of ['10.20.0.5', '10.21.0.5', '11.20.0.5', '10.20.255.255', '9.255.255.255', '0.0.0.0', '255.255.255.255', '128.0.0.0', '127.255.255.255']) {
      assert.equal(inCidr(a, `10.20.0.0/${b}`), inCidrReference(a, `10.20.0.0/${b}`), `${a} in 10.20.0.0/${b}`);
    }
  }
});

test('dottedQuad reads exactly the plain decimal form', () => {
  fc.assert(fc.property(quad, (q) => {
    const v = dottedQuad(q);
    const plain = /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(q) && q.split('.').every((p) => Number(p) <= 255);
    if (!plain) assert.equal(v, undefined, q);
    else assert.equal(v, ipaddr.parse(q).toByteArray().reduce((n, b) => n * 256 + b, 0), q);
  }), { numRuns: 3000 });
});

/** The zone of an address as the scan over all subnets found it (longest prefix, then file order); only schema-valid values count. */
function zoneReference(subnets: [string, string][], address: string): string | undefined {
  if (!SCHEMA_ADDRESS.test(address)) return undefined;
  subnets = subnets.filter(([, c]) => SCHEMA_CIDR.test(c));
  let a: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    a = ipaddr.parse(address);
  } catch {
    return undefined;
  }
  const parsed: { name: string; addr: ipaddr.IPv4 | ipaddr.IPv6; bits: number }[] = [];
  for (const [name, cidr] of subnets) {
    try {
      const [addr, bits] = ipaddr.parseCIDR(cidr);
      parsed.push({ name, addr, bits });
    } catch { /* not a CIDR */ }
  }
  parsed.sort((x, y) => y.bits - x.bits);
  return parsed.find((c) => c.addr.kind() === a.kind() && a.match(c.addr, c.bits))?.name;
}

test('zones from addresses (prefix index) are the ones the subnet scan finds', () => {
  const smallOctet = fc.constantFrom('0', '10', '20', '128', '255', '1');
  const v4 = fc.tuple(smallOctet, smallOctet, smallOctet, smallOctet).map((p) => p.join('.'));
  const subnetCidr = fc.oneof(
    fc.tuple(v4, fc.constantFrom(0, 1, 7, 8, 9, 16, 23, 24, 25, 31, 32)).map(([q, b]) => `${q}/${b}`),
    fc.constantFrom('::/0', '::ffff:0:0/96', 'fe80::/10', '10.0.0.0/33', '010.0.0.0/8', 'x'),
  );
  const addr = fc.oneof(v4, fc.constantFrom('::ffff:10.20.0.1', 'fe80::1', '010.20.0.1', 'x', '10.20.0'));
  fc.assert(fc.property(fc.array(subnetCidr, { maxLength: 8 }), fc.array(addr, { minLength: 1, maxLength: 6 }), (cidrs, addrs) => {
    const subnets = cidrs.map((c, i): [string, string] => [`s${i}`, c]);
    const text = ['acrotopo: 1', 'network:', '  subnets:', ...(subnets.length ? subnets.map(([n, c]) => `    ${n}: "${c}"`) : ['    {}']), 'machines:', ...addrs.map((a, i) => `  m${i}: { address: "${a}" }`)].join('\n');
    const t = buildTopology(new AstReader(parseYaml(text).doc));
    addrs.forEach((a, i) => assert.equal(t.machines.get(`m${i}`)?.zone, zoneReference(subnets, a), `${a} in ${JSON.stringify(subnets)}`));
  }), { numRuns: 1500 });
});

test('documentData (plain-document conversion) returns what doc.toJS() returns', () => {
  const check = (text: string) => {
    const doc = parseYaml(text).doc;
    let expected: unknown;
    let expectedError: unknown;
    try {
      expected = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      expectedError = e;
    }
    if (expectedError) {
      assert.throws(() => documentData(new AstReader(doc)), text);
      assert.throws(() => documentData(new AstReader(doc), text), text);
      return;
    }
    const actual = documentData(new AstReader(doc));
    if (!isDeepStrictEqual(actual, expected)) assert.fail(`documentData differs from doc.toJS() for:\n${text}`);
    // with the text (anchors looked for only when it holds an '&')
    if (!isDeepStrictEqual(documentData(new AstReader(doc), text), expected)) assert.fail(`documentData(…, text) differs from doc.toJS() for:\n${text}`);
  };
  // shapes a generic value generator misses
  for (const text of [
    '', '~', 'a', '- 1\n- 2', 'a: 1\na: 2', '__proto__: { x: 1 }', 'toString: 1\nconstructor: 2', 'a: 1\nb: 2\na: 3', 'hasOwnProperty: 1\nvalueOf: 2\n__defineGetter__: 3\n__proto__: 4\n__proto__: 5', '? [a, b]\n: 1', '? { a: 1 }\n: 2',
    ': v', '? \n: v', '"": 1', 'null: 1\n~: 2', '1: a\n1.5: b\ntrue: c\n0x10: d', 'a: &x { b: 1 }\nc: *x', 'a: &x 1\nb: *x',
    'base: &b { p: 1 }\nm:\n  <<: *b\n  q: 2', 'm: { "<<": 1 }', "m: { '<<': 1 }", 'a: !!set { x, y }', 'a: !!omap [ { x: 1 } ]', 'a: !!binary aGVsbG8=',
    'a: [ b: 1 ]', 'a: !!str 1', 'a: !custom { x: 1 }', 'a: 12345678901234567890', 'a: .nan', 'a: -.inf', 'a: 2001-12-14',
    `x: ${'['.repeat(300)}${']'.repeat(300)}`, '- &a [*a]',
  ]) check(text);
  const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'toString', '<<', 'null', '~', '1', 'true', ''));
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, fc.constantFrom(null, true, false, 0, -1, 1.5, 'x', '', 'null', '1', 'yes', '<<', '*a'), fc.string({ maxLength: 5 }), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(key, tie('v'), { maxKeys: 3 })),
  })).v;
  fc.assert(fc.property(value, fc.boolean(), (v, flow) => {
    check(stringify(v, flow ? { collectionStyle: 'flow' } : undefined));
  }), { numRuns: 1500 });
});

test('line starts and disable comments (skipping to the next marker) are found as by a line-by-line scan', () => {
  const referenceLineStarts = (text: string) => {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    return starts;
  };
  const referenceSuppressions = (file: SourceFile) => {
    const out: [number, string[]][] = [];
    let pending: Set<string> | undefined;
    for (let l = 0; l < file.lineCount; l++) {
      const line = file.line(l).text;
      const comment = parseDisableComment(line);
      if (comment) {
        pending ??= new Set();
        if (comment.rules.length === 0) pending.add('*');
        for (const r of comment.rules) pending.add(r);
        continue;
      }
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      if (pending) {
        out.push([l, [...pending]]);
        pending = undefined;
      }
    }
    return out;
  };
  const line = fc.constantFrom('# acrotopo-disable-next-line', '  # acrotopo-disable-next-line a, b -- why', '#acrotopo-disable-next-line x', 'a: 1', '', '   ', '# c', 'x: y # acrotopo-disable-next-line z', 'acrotopo-disable-next-line', ' - q');
  const eol = fc.constantFrom('\n', '\n', '\r\n', '\r');
  fc.assert(fc.property(fc.array(fc.tuple(line, eol), { maxLength: 16 }), fc.boolean(), (lines, lastEol) => {
    let text = lines.map(([l, e]) => l + e).join('');
    if (!lastEol) text = text.replace(/(\r\n|\r|\n)$/, '');
    const file = new SourceFile(text);
    assert.deepEqual(file.lineStarts, referenceLineStarts(text), JSON.stringify(text));
    assert.deepEqual([...suppressions(file)].map(([l, s]) => [l, [...s]]), referenceSuppressions(file), JSON.stringify(text));
  }), { numRuns: 3000 });
});

test('SourceFile.afterEdit (the old index moved; shared when nothing moved) gives the index new SourceFile(text) reads', () => {
  const piece = fc.constantFrom('a', 'bc', ' ', '\n', '\r\n', '\r', 'x: 1\n', '');
  const text = fc.array(piece, { maxLength: 20 }).map((a) => a.join(''));
  fc.assert(fc.property(text, fc.nat(), fc.nat(), fc.array(piece, { maxLength: 4 }), (old, a, b, ins) => {
    const at = a % (old.length + 1);
    const oldEnd = at + (b % (old.length - at + 1));
    const added = ins.join('');
    const next = old.slice(0, at) + added + old.slice(oldEnd);
    const f = SourceFile.afterEdit(new SourceFile(old), next, at, oldEnd, added.length - (oldEnd - at));
    assert.equal(f.text, next);
    assert.deepEqual(f.lineStarts, new SourceFile(next).lineStarts, JSON.stringify({ old, at, oldEnd, added }));
    for (let o = 0; o <= next.length; o++) assert.deepEqual(f.position(o), new SourceFile(next).position(o));
  }), { numRuns: 3000 });
});

test('duplicate keys (one linear pass) are found where yaml\'s own uniqueKeys check finds them, at any depth', () => {
  const key = fc.constantFrom('a', 'b', '1', 'true', '"a"');
  const leaf = fc.constantFrom('1', 'x', 'null', '[]', '{}');
  const value: fc.Arbitrary<string> = fc.letrec((tie) => ({
    v: fc.oneof({ maxDepth: 4 }, leaf, tie('map'), tie('seq')),
    map: fc.array(fc.tuple(key, tie('v') as fc.Arbitrary<string>), { maxLength: 4 }).map((ps) => `{ ${ps.map(([k, v]) => `${k}: ${v}`).join(', ')} }`),
    seq: fc.array(tie('v') as fc.Arbitrary<string>, { maxLength: 3 }).map((xs) => `[ ${xs.join(', ')} ]`),
  })).v as fc.Arbitrary<string>;
  fc.assert(fc.property(fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 5 }), (pairs) => {
    const text = pairs.map(([k, v]) => `${k}: ${v}`).join('\n') + '\n';
    const ours = parseYaml(text).problems.filter((p) => p.code === 'DUPLICATE_KEY').map((p) => p.span.start).sort((x, y) => x - y);
    const theirs = parseDocument(text, { uniqueKeys: true }).errors.filter((e) => e.code === 'DUPLICATE_KEY').map((e) => e.pos[0]).sort((x, y) => x - y);
    assert.deepEqual(ours, theirs, text);
  }), { numRuns: 2000 });
});
