// The delta check (delta.ts): after an edit inside one machine entry the rules run again on that
// machine and what depends on it; the result must be exactly check()'s, after any sequence of edits.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { generate } from '../../bench/generate.mjs';
import { check, RULES, settleFixes, TOPOLOGY_FIELDS } from '../src/check';
import type { CheckOptions, CheckResult } from '../src/types';
import { SECTION_FIELDS } from '../src/delta';
import { buildTopology } from '../src/model';
import { isSpan } from '../src/reuse';
import { AliasBudget, AstReader, parseYaml } from '../src/yaml-ast';
import { assertSame, EXAMPLES_DIR, exampleTexts } from './helpers';
import { createIncrementalChecker } from '../src/incremental';

const NUM_RUNS = Number(process.env.FC_RUNS ?? 60);


const EXAMPLES = exampleTexts();
// Generated deployments have every kind of machine, firewalls with machine entries, hosts entries,
// own ports, stated connections and an installation list; the examples have the odd cases.
const BASES = [generate(40, { seed: 5 }).text, generate(60, { seed: 11 }).text, generate(30, { seed: 3 }).text, ...EXAMPLES];

const MACHINE_LINE = /^ {2}([A-Za-z0-9][\w.-]*):(\s|$)/;

/** [first line, end line) of each machine entry (block style, as the generator and the examples write them). */
function machineBlocks(lines: string[]): [number, number][] {
  const start = lines.indexOf('machines:');
  if (start < 0) return [];
  const out: [number, number][] = [];
  for (let i = start + 1; i < lines.length && (lines[i] === '' || /^\s/.test(lines[i]) || lines[i].startsWith('#')); i++) {
    if (!MACHINE_LINE.test(lines[i])) continue;
    let e = i + 1;
    while (e < lines.length && /^ {4}/.test(lines[e])) e++;
    out.push([i, e]);
  }
  return out;
}

function namesOf(lines: string[]): string[] {
  return machineBlocks(lines).map(([s]) => MACHINE_LINE.exec(lines[s])![1]);
}

const COMPONENT_SETS = [
  '[agent-for-windows]', '[agent-for-linux]', '[agent-for-windows, agent-for-sql]', '[agent-for-vmware]', '[]',
  '[agent-for-windowz]', '[agent-for-windows, storage-node]', '[management-console]', '[agent-for-linux, agent-for-exchange]',
];
const ADDRESSES = ['10.20.0.200', '10.20.1.77', '10.20.2.9', '10.99.0.1', '192.168.7.7', 'not-an-ip', '10.20.0.10', '10.0.0.5'];

type Op = { kind: string; machine: number; line: number; pick: number; other: number };

/** One edit inside one machine entry: a value changed, a key added or removed, a character typed. */
function applyOp(lines: string[], o: Op): string[] | undefined {
  const blocks = machineBlocks(lines);
  if (blocks.length === 0) return undefined;
  const [s, e] = blocks[o.machine % blocks.length];
  const names = namesOf(lines);
  const other = names[o.other % names.length];
  const body = (key: string) => {
    for (let i = s + 1; i < e; i++) if (lines[i].startsWith(`    ${key}:`)) return i;
    return -1;
  };
  const set = (key: string, value: string | undefined) => {
    const out = [...lines];
    const i = body(key);
    if (value === undefined) {
      if (i >= 0) out.splice(i, 1);
    } else if (i >= 0) out[i] = `    ${key}: ${value}`;
    else out.splice(e, 0, `    ${key}: ${value}`);
    return out;
  };
  switch (o.kind) {
    case 'address':
      return set('address', ADDRESSES[o.pick % ADDRESSES.length]);
    case 'components':
      return set('components', COMPONENT_SETS[o.pick % COMPONENT_SETS.length]);
    case 'os':
      return set('os', ['windows', 'linux', 'other', 'virtual-appliance', 'wndows'][o.pick % 5]);
    case 'port':
      return set('port', [undefined, '9876', '9877', '1234'][o.pick % 4]);
    case 'hosts':
      return set('hosts', [undefined, `{ ${other}: 10.20.0.10 }`, `{ ams01: 10.20.0.10 }`, `{ ams01: 10.20.0.${o.pick % 250} }`, `{ ${other}: 10.20.${o.pick % 3}.${o.pick % 250}, nope: 1.2.3.4 }`][o.pick % 5]);
    case 'subnet':
      return set('subnet', [undefined, 'hq', 'site-001', 'site-002', 'nowhere'][o.pick % 5]);
    case 'encryption':
      return set('encryption', [undefined, '{ client: disabled }', '{ server: required }', '{ client: required, server: disabled }'][o.pick % 4]);
    case 'flags':
      return set(['file-sharing-encryption', 'file-and-printer-sharing', 'network-discovery', 'cloud-backup'][o.pick % 4], ['true', 'false', undefined][o.other % 3]);
    case 'windows-version':
      return set('windows-version', [undefined, 'pre-vista', 'vista-or-later'][o.pick % 3]);
    case 'rename': {
      // a fresh name, one a character off (another machine's, or a name a hosts entry, an installation
      // item or a connection may use), one letter added or taken, or another machine's (a duplicate)
      const own = names[o.machine % names.length];
      const name = [`new-${o.pick % 7}`, `${other}x`, other.slice(0, -1), `${own}${'abc'[o.pick % 3]}`, own.slice(0, -1), other, 'ams01', 'ams02', 'lic1', 'acronis-cloud', 'internet'][o.pick % 11];
      if (!name || name === own) return undefined;
      const out = [...lines];
      out[s] = `  ${name}:${lines[s].slice(lines[s].indexOf(':') + 1)}`;
      return out;
    }
    case 'swap': {
      // an entry moved below the next one (cut and pasted a place further): the same names, in another order
      const k = o.machine % blocks.length;
      if (k + 1 >= blocks.length) return undefined;
      const [ns, ne] = blocks[k + 1];
      const out = [...lines];
      out.splice(s, ne - s, ...lines.slice(ns, ne), ...lines.slice(s, e));
      return out;
    }
    case 'remove-many': {
      // several entries in a row deleted at once (a block cut)
      const last = blocks[Math.min(blocks.length - 1, (o.machine % blocks.length) + 1 + (o.line % 5))];
      const out = [...lines];
      out.splice(s, last[1] - s);
      return out;
    }
    case 'add-many': {
      // several entries pasted at once: copies of the entries from `other` on, under fresh names
      const from = o.other % blocks.length;
      const copied = blocks.slice(from, from + 2 + (o.line % 4)).flatMap(([cs, ce], j) => [`  pasted-${o.pick % 5}-${j}:${lines[cs].slice(lines[cs].indexOf(':') + 1)}`, ...lines.slice(cs + 1, ce)]);
      const out = [...lines];
      out.splice(s, 0, ...copied);
      return out;
    }
    case 'add':
    case 'remove':
    case 'partial': {
      // a machine entry pasted (a copy of another one under a fresh name, a name others use, or its
      // own: a duplicate), deleted, or typed up to some character (after the end of the entry before,
      // or at the start of a key line)
      const out = [...lines];
      if (o.kind === 'remove') {
        out.splice(s, e - s);
        return out;
      }
      const [cs, ce] = blocks[o.other % blocks.length];
      const name = [`new-${o.pick % 7}`, `${other}x`, other.slice(0, -1), other, 'ams01', 'lic1', 'acronis-cloud', `${names[o.machine % names.length]}`][o.pick % 8];
      const entry = [`  ${name}:${lines[cs].slice(lines[cs].indexOf(':') + 1)}`, ...lines.slice(cs + 1, ce)].join('\n');
      if (o.kind === 'add') {
        out.splice(o.line % 4 === 0 ? blocks[blocks.length - 1][1] : s, 0, ...entry.split('\n'));
        return out;
      }
      const typed = entry.slice(0, 1 + (o.pick % entry.length));
      if (o.line % 2 === 0 && s > 0) out[s - 1] = `${out[s - 1]}\n${typed}`;
      else out[s] = `${typed}${out[s]}`;
      return out.join('\n').split('\n');
    }
    default: {
      // a character typed into, or deleted from, a line of the entry
      const i = s + 1 + (o.line % Math.max(1, e - s - 1));
      if (i >= e) return undefined;
      const out = [...lines];
      const l = out[i];
      const at = Math.min(l.length, 6 + (o.pick % Math.max(1, l.length - 5)));
      out[i] = o.other % 2 ? l.slice(0, at) + 'x' + l.slice(at) : l.slice(0, at) + l.slice(at + 1);
      return out;
    }
  }
}

const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('address', 'components', 'os', 'port', 'hosts', 'subnet', 'encryption', 'flags', 'windows-version', 'type', 'rename', 'add', 'remove', 'partial', 'add-many', 'remove-many', 'swap'),
  machine: fc.nat(200),
  line: fc.nat(20),
  pick: fc.nat(1000),
  other: fc.nat(200),
});

/** Runs edit sequences (each op, or back to the text before the last when `back` is 0) against check(); counts delta checks. */
function property<O>(ops: fc.Arbitrary<O>, apply: (lines: string[], op: O) => string[] | undefined, what: string): void {
  let deltas = 0;
  let total = 0;
  const declined = new Map<string, number>();
  /** (FC_VERBOSE) per kind of edit: delta checks, updates */
  const byKind = new Map<string, [number, number]>();
  fc.assert(
    // (deferred: the fixes made on demand left for later, as the language server does — settled before
    // some comparisons, by the next update before the others)
    fc.property(fc.nat(BASES.length - 1), fc.array(fc.tuple(ops, fc.nat(5)), { minLength: 1, maxLength: 12 }), fc.boolean(), (bi, seq, deferred) => {
      const inc = createIncrementalChecker();
      const options: CheckOptions = deferred ? { fixes: 'deferred' } : {};
      let lines = BASES[bi].split('\n');
      const history = [lines];
      inc.update(lines.join('\n'), options);
      /** a deferred result not compared yet (not settled): the next update settles it */
      let last: [CheckResult, string] | undefined;
      for (const [op, back] of seq) {
        const next = back === 0 ? history[Math.max(0, history.length - 2)] : apply(lines, op);
        if (!next) continue;
        lines = next;
        history.push(lines);
        const text = lines.join('\n');
        const got = inc.update(text, options);
        if (last) assertSame(last[0], check(last[1]), last[1]);
        last = undefined;
        total++;
        if (inc.stats.delta) deltas++;
        if (process.env.FC_VERBOSE && back !== 0) {
          const o = op as { kind?: string; machine?: { kind: string }; section?: { kind: string } };
          const kind = o.kind ?? o.machine?.kind ?? o.section?.kind ?? '?';
          const k = byKind.get(kind) ?? [0, 0];
          k[0] += inc.stats.delta ? 1 : 0;
          k[1]++;
          byKind.set(kind, k);
        }
        if (inc.stats.deltaDeclined) declined.set(inc.stats.deltaDeclined, (declined.get(inc.stats.deltaDeclined) ?? 0) + 1);
        assert.ok(!inc.stats.deltaDeclined?.startsWith('unexpected'), `the delta check threw (${inc.stats.deltaDeclined}) for\n${text}`);
        if (deferred && back % 2 === 1) {
          last = [got, text];
          // (a slice of the idle work: some of the fixes made, the rest by the next update)
          if (back === 3) inc.prepare(0);
        }
        else {
          if (deferred) assert.equal(inc.settle()?.length ?? 0, 0);
          assertSame(got, check(text), text);
        }
      }
      if (last) {
        inc.settle();
        assertSame(last[0], check(last[1]), last[1]);
      }
    }),
    { numRuns: NUM_RUNS },
  );
  if (process.env.FC_VERBOSE) console.log(`${what} — delta: ${deltas}/${total}; declined:`, declined, 'by kind (delta, updates):', byKind);
  // the property is about the delta path: a good part of the updates must take it
  assert.ok(deltas > total / 6, `only ${deltas} of ${total} updates were delta checks (declined: ${JSON.stringify([...declined])})`);
}

test('delta checks equal check() through random edits inside machine entries', () => {
  property(opArb, applyOp, 'machine edits');
});

type SectionOp = { kind: string; pick: number; other: number };

/** One edit inside one top-level section other than machines. */
function applySectionOp(lines: string[], o: SectionOp): string[] | undefined {
  const names = namesOf(lines);
  const name = (k: number) => (k % 7 === 6 ? `nosuch${k % 3}` : names[k % names.length]);
  const out = [...lines];
  const inst = out.indexOf('installation:');
  const conn = out.indexOf('connections:');
  const sectionEnd = (from: number) => {
    let e = from + 1;
    while (e < out.length && (out[e] === '' || /^[\s-]/.test(out[e]))) e++;
    while (e > from + 1 && out[e - 1] === '') e--;
    return e;
  };
  switch (o.kind) {
    case 'install-item': {
      if (inst < 0) return undefined;
      const items = out.map((l, i) => (i > inst && i < sectionEnd(inst) && /^ {4}- /.test(l) ? i : -1)).filter((i) => i >= 0);
      if (items.length === 0) return undefined;
      const i = items[o.pick % items.length];
      if (o.other % 4 === 0) out.splice(i, 1);
      else if (o.other % 4 === 1) out.splice(i, 0, `    - ${name(o.other)}`);
      else out[i] = `    - ${name(o.other)}`;
      return out;
    }
    case 'installer': {
      if (inst < 0) return undefined;
      const i = out.findIndex((l, k) => k > inst && /^ {2}from: /.test(l));
      if (i < 0) return undefined;
      out[i] = `  from: ${name(o.other)}`;
      return out;
    }
    case 'connection': {
      if (conn < 0) return undefined;
      const items = out.map((l, i) => (i > conn && i < sectionEnd(conn) && /^ {2}- /.test(l) ? i : -1)).filter((i) => i >= 0);
      const port = ['tcp/9876', 'tcp/445', 'tcp/3389', 'tcp/443', 'tcp/25001', 'udp/9876'][o.pick % 6];
      const line = `  - { from: ${name(o.other)}, to: ${name(o.pick)}, port: ${port} }`;
      if (items.length === 0) {
        out.splice(conn + 1, 0, line);
        return out;
      }
      const i = items[o.pick % items.length];
      if (o.other % 4 === 0) out.splice(i, 1);
      else if (o.other % 4 === 1) out.splice(i, 0, line);
      else out[i] = line;
      return out;
    }
    case 'dns': {
      const i = out.findIndex((l) => /^ {2}dns: /.test(l));
      if (i < 0) return undefined;
      out[i] = `  dns: ${['true', 'false', 'yes', 'maybe'][o.pick % 4]}`;
      return out;
    }
    case 'register-by': {
      const i = out.findIndex((l) => /^ {2}register-by: /.test(l));
      if (i < 0) return undefined;
      out[i] = `  register-by: ${['name', 'address'][o.pick % 2]}`;
      return out;
    }
    case 'subnet': {
      const i = out.findIndex((l) => /^ {4}site-001: /.test(l));
      if (i < 0) return undefined;
      out[i] = `    site-001: ${['10.20.1.0/24', '10.20.1.0/25', '10.20.0.0/23'][o.pick % 3]}`;
      return out;
    }
    case 'allow': {
      // a firewall's allow entry: its port or its ends changed, one removed or added; or its `between`
      const i = out.findIndex((l, k) => /^ {8}- \{ from: /.test(l) && k % 3 === o.pick % 3);
      if (i < 0) return undefined;
      switch (o.other % 5) {
        case 0:
          out[i] = out[i].replace(/port: [^ }]+/, `port: ${['tcp/9876', 'tcp/445', 'tcp/22', 'tcp/9877'][o.pick % 4]}`);
          break;
        case 1:
          out[i] = out[i].replace(/from: [^,]+/, `from: ${['hq', 'ams01', 'site-002', 'lic01'][o.pick % 4]}`);
          break;
        case 2:
          if (out.filter((l) => /^ {8}- \{ from: /.test(l)).length < 2) return undefined;
          out.splice(i, 1);
          break;
        case 3:
          out.splice(i + 1, 0, `        - { from: ${['hq', 'site-001', 'ams01'][o.pick % 3]}, to: ${['site-001', 'hq', 'site-002'][o.pick % 3]}, port: tcp/${[9876, 9877, 445, 25001][o.pick % 4]} }`);
          break;
        default: {
          const b = out.findIndex((l, k) => /^ {6}between: \[/.test(l) && k % 2 === o.pick % 2);
          if (b < 0) return undefined;
          out[b] = `      between: [hq, ${['site-001', 'site-002', 'site-003'][o.pick % 3]}]`;
        }
      }
      return out;
    }
    default: {
      // a severity in rules:, added or changed
      const i = out.indexOf('rules:');
      const rule = ['port-mismatch', 'blocked-connection', 'missing-hosts-entry'][o.pick % 3];
      const sev = ['off', 'info', 'error'][o.other % 3];
      if (i < 0) out.push('rules:', `  ${rule}: ${sev}`);
      else out.splice(i + 1, 0, `  ${rule}: ${sev}`);
      return out;
    }
  }
}

const sectionOpArb: fc.Arbitrary<SectionOp> = fc.record({
  kind: fc.constantFrom('install-item', 'install-item', 'installer', 'connection', 'connection', 'dns', 'dns', 'register-by', 'subnet', 'allow', 'rules'),
  pick: fc.nat(1000),
  other: fc.nat(1000),
});

test('delta checks equal check() through random edits of installation, connections and network settings, mixed with machine edits', () => {
  const op = fc.oneof(fc.record({ section: sectionOpArb }), fc.record({ machine: opArb }));
  property(op, (lines, o) => ('section' in o ? applySectionOp(lines, o.section) : applyOp(lines, o.machine)), 'section and machine edits');
});

/** Updates the checker to each text in turn and returns the stats after the last, checking every result against check(). */
function through(texts: string[]): { delta: boolean; declined: string | undefined }[] {
  const inc = createIncrementalChecker();
  const out: { delta: boolean; declined: string | undefined }[] = [];
  for (const text of texts) {
    assertSame(inc.update(text), check(text), text);
    out.push({ delta: inc.stats.delta, declined: inc.stats.deltaDeclined });
  }
  return out;
}

test('the benchmark\'s kinds of edit are delta checks: an address, a component, an installation item, network.dns, a stated port', () => {
  const base = generate(200, { seed: 9 }).text;
  const edits: [RegExp, string][] = [
    [/^( {4}address: 10\.20\.\d+\.)(\d+)(\n {4}subnet: site)/m, '$1199$3'],
    [/^( {4}components: \[agent-for-linux)\]$/m, '$1z]'],
    [/(\ninstallation:\n[^]*?\n {4}- )(\S+)\n/, '$1$2x\n'],
    [/^( {2}dns: )true$/m, '$1false'],
    [/^( {2}- \{ from: [\w-]+, to: [\w-]+, port: tcp\/)9876( \})$/m, '$13389$2'],
  ];
  for (const [re, to] of edits) {
    const next = base.replace(re, to);
    assert.notEqual(next, base, String(re));
    const [, s] = through([base, next]);
    assert.equal(s.delta, true, `${re}: ${s.declined}`);
  }
});

test('firewall edits are delta checks: an allow entry\'s port, one added, one removed, a between', () => {
  // (the installations to site-001 blocked: the allow entry added below lets them through)
  const base = generate(200, { seed: 9 }).text.replace(/(\n {8}- \{ from: ams01, to: site-001, port: tcp\/)445( \})/, '$19877$2');
  const edits: [RegExp, string][] = [
    [/(\n {8}- \{ from: ams01, to: site-001, port: tcp\/)22( \})/, '$19877$2'],
    [/(\n {8}- \{ from: hq, to: site-001, port: tcp\/9876 \})/, '$1\n        - { from: ams01, to: site-001, port: tcp/445 }'],
    [/\n {8}- \{ from: site-001, to: hq, port: tcp\/9876 \}/, ''],
    [/(\n {6}between: \[hq, )site-001\]/, '$1site-002]'],
  ];
  const blocked = (text: string) => check(text).diagnostics.filter((d) => d.rule === 'blocked-connection').length;
  const before = blocked(base);
  for (const [re, to] of edits) {
    const next = base.replace(re, to);
    assert.notEqual(next, base, String(re));
    assert.notEqual(blocked(next), before, `${re} changes what is blocked`);
    const [, s] = through([base, next]);
    assert.equal(s.delta, true, `${re}: ${s.declined}`);
  }
});

test('a delta check keeps what the next one needs: a machine edit, then network.dns, then an installation item', () => {
  const t0 = generate(60, { seed: 5 }).text;
  const t1 = t0.replace(/^( {4}address: 10\.20\.1\.)1(\d)(\n {4}subnet: )/m, '$12$2$3');
  const t2 = t1.replace(/^( {2}dns: )true$/m, '$1false');
  const t3 = t2.replace(/(\ninstallation:\n[^]*?\n {4}- )(\S+)\n/, '$1$2x\n');
  const s = through([t0, t1, t2, t3]);
  assert.deepEqual(s.slice(1).map((x) => x.delta), [true, true, true], JSON.stringify(s));
});

/** The first installation target of a generated text. */
function installed(text: string): string {
  return /\ninstallation:\n[^]*?\n {4}- (\S+)\n/.exec(text)![1];
}

test('edits a delta check cannot take fall back to check(), with the reason', () => {
  const t0 = generate(60, { seed: 5 }).text;
  const cases: [string, string, RegExp][] = [
    ['a hub', t0.replace('components: [license-server]', 'components: [license-server, agent-for-windows]'), /hub/],
    ['a renamed machine named in connections:', t0.replace(/^ {2}lnx-43:/m, '  lnx-43x:'), /renamed machine is named outside/],
    ['the management section', t0.replace('register-by: name', 'register-by: address'), /management/],
    ['rule severities', `${t0}\nrules:\n  port-mismatch: off\n`.replace(/\n\nrules:/, '\nrules:'), /./],
  ];
  for (const [what, next, why] of cases) {
    assert.notEqual(next, t0, what);
    const [, s] = through([t0, next]);
    assert.equal(s.delta, false, what);
    if (s.declined !== undefined) assert.match(s.declined, why, what);
  }
});

// A machine with its own port is reported with all its peers on another port (port-mismatch), and an
// allow entry with all the flows its source-ports fail (source-ports-too-narrow): an edit of one peer
// changes another machine's report. Rule.touches makes the delta check decline; without it the kept
// report would be stale, and the result would differ from check().
const AGGREGATES = `acrotopo: 1
network:
  subnets:
    hq: 10.0.0.0/24
    lab: 10.0.1.0/24
  firewalls:
    - name: fw
      between: [hq, lab]
      allow:
        - { from: lab, to: hq, port: tcp/9876, source-ports: 49152-65535 }
        - { from: hq, to: lab, port: tcp/9876 }
management:
  server: ams01
  register-by: address
machines:
  ams01:
    os: windows
    address: 10.0.0.10
    port: 9877
    components: [management-server]
  w1:
    os: windows
    address: 10.0.0.21
    components: [agent-for-windows]
  w2:
    os: windows
    address: 10.0.0.22
    components: [agent-for-windows]
  l1:
    os: linux
    address: 10.0.1.31
    components: [agent-for-linux]
  l2:
    os: linux
    address: 10.0.1.32
    components: [agent-for-linux]
`;

test('port-mismatch: an edit of one of a machine\'s peers is not a delta check (Rule.touches), and the result is check()\'s', () => {
  const next = AGGREGATES.replace(/( {2}w2:\n {4}os: windows\n {4}address: 10\.0\.0\.22\n {4}components: )\[agent-for-windows\]/, '$1[]');
  assert.notEqual(next, AGGREGATES);
  assert.ok(check(AGGREGATES).diagnostics.some((d) => d.rule === 'port-mismatch' && d.message.includes('w2')));
  const [, s] = through([AGGREGATES, next]);
  assert.equal(s.delta, false);
  assert.match(s.declined ?? '', /port-mismatch/);
});

test('source-ports-too-narrow: an edit of one of the flows an entry fails is not a delta check (Rule.touches), and the result is check()\'s', () => {
  const noPorts = AGGREGATES.replace('    port: 9877\n', '');
  const next = noPorts.replace(/( {2}l2:\n {4}os: )linux/, '$1windows').replace('components: [agent-for-linux]\n', 'components: [agent-for-linux]\n').replace(/( {2}l2:\n {4}os: windows\n {4}address: 10\.0\.1\.32\n {4}components: )\[agent-for-linux\]/, '$1[agent-for-windows]');
  assert.notEqual(next, noPorts);
  assert.ok(check(noPorts).diagnostics.some((d) => d.rule === 'source-ports-too-narrow' && /l1, l2|2 connections/.test(d.message)), check(noPorts).diagnostics.map((d) => d.message).join('\n'));
  const [, s] = through([noPorts, next]);
  assert.equal(s.delta, false);
  assert.match(s.declined ?? '', /source-ports-too-narrow/);
});

test('delta checks after reused results (a comment typed in an entry, then values changed in it and in another) equal check()', () => {
  const t0 = generate(60, { seed: 5 }).text;
  // a comment at the end of a machine's line (reused), then a value in the same entry and in another one
  const t1 = t0.replace(/^( {4}address: 10\.20\.1\.1\d)(\n {4}subnet: )/m, '$1  # moved last week$2');
  const t2 = t1.replace('# moved last week', '# moved last weekend');
  const t3 = t2.replace(/^( {4}address: 10\.20\.1\.)1(\d)( {2}# moved last weekend)/m, '$12$2$3');
  const t4 = t3.replace(/^( {4}address: 10\.20\.2\.)1(\d)(\n {4}subnet: )/m, '$12$2$3');
  assert.ok(t1 !== t0 && t2 !== t1 && t3 !== t2 && t4 !== t3);
  const inc = createIncrementalChecker();
  const kinds: string[] = [];
  for (const text of [t0, t1, t2, t3, t4]) {
    const got = inc.update(text);
    kinds.push(inc.stats.delta ? 'delta' : inc.stats.reused ? 'reused' : inc.stats.recalled ? 'recalled' : 'full');
    assertSame(got, check(text), text);
  }
  assert.deepEqual(kinds, ['full', 'reused', 'reused', 'delta', 'delta']);
});

test('a hub\'s hosts entry for an edited machine is checked again (the hub is dirty with it)', () => {
  const t0 = readFileSync(join(EXAMPLES_DIR, 'problems', 'branch-office-no-dns.acrotopo.yaml'), 'utf8');
  // the management server gets a hosts entry for br-fs01 (not a delta check: a hub), then br-fs01 moves
  const t1 = t0.replace('    network-discovery: true         # required', '    hosts: { br-fs01: 10.20.8.11 }\n    network-discovery: true         # required');
  const t2 = t1.replace('    address: 10.20.8.11\n    components: [agent-for-windows]', '    address: 10.20.8.12\n    components: [agent-for-windows]');
  assert.ok(t1 !== t0 && t2 !== t1);
  const s = through([t0, t1, t2]);
  assert.equal(s[2].delta, true, JSON.stringify(s));
  assert.ok(check(t2).diagnostics.some((d) => d.rule === 'hosts-entry-mismatch' && d.message.includes('hosts entry of hq-ams maps br-fs01')));
});

test('150 delta checks in a row (machines moved through every edit since the last whole topology) equal check()', () => {
  // Edits that change the text's length above most machines (a stated port near the end does not
  // move them; an address does, for every machine after it): the topology's machines go through a
  // long run of composed edits, and are made whole again every so many (reuse.ts, MovedMachines).
  let text = generate(80, { seed: 13 }).text;
  const inc = createIncrementalChecker();
  inc.update(text);
  const lines = text.split('\n');
  const at = lines.map((l, i) => (/^ {4}address: 10\.20\.[1-9]\d*\.\d+$/.test(l) ? i : -1)).filter((i) => i >= 0).slice(0, 6);
  assert.equal(at.length, 6);
  let deltas = 0;
  for (let i = 0; i < 150; i++) {
    // (the last octet with one, two or three digits: the text longer and shorter by turns)
    const l = at[i % 6];
    const before = lines[l];
    lines[l] = before.replace(/\.\d+$/, `.${[7, 77, 177][i % 3] + (i % 6)}`);
    if (lines[l] === before) lines[l] = before.replace(/\.\d+$/, '.199');
    const next = lines.join('\n');
    text = next;
    const r = inc.update(text);
    if (inc.stats.delta) deltas++;
    if (i % 25 === 24 || i === 149) assertSame(r, check(text), text);
  }
  assert.ok(deltas >= 120, `${deltas} of 150 updates were delta checks`);
});

test('source-ports-too-narrow: an edit of the firewall itself is a delta check (its aggregate is whole in the sub-runs), and the result is check()\'s', () => {
  const base = AGGREGATES.replace('    port: 9877\n', '');
  assert.ok(check(base).diagnostics.some((d) => d.rule === 'source-ports-too-narrow'));
  const edits = [
    base.replace('source-ports: 49152-65535', 'source-ports: 49152-65000'),
    base.replace('source-ports: 49152-65535', 'source-ports: 32768-65535'),
    base.replace('{ from: hq, to: lab, port: tcp/9876 }', '{ from: hq, to: lab, port: tcp/9877 }'),
    base.replace('{ from: hq, to: lab, port: tcp/9876 }', '{ from: hq, to: lab, port: tcp/9877'),
  ];
  for (const next of edits) {
    assert.notEqual(next, base);
    const [, s] = through([base, next]);
    assert.equal(s.delta, true, s.declined);
  }
});

test('renaming a machine is a delta check: unreferenced, named by hosts entries, near unknown references; each equal to check()', () => {
  const t0 = generate(60, { seed: 5 }).text;
  const names = [...t0.matchAll(/^ {2}([a-z][\w-]*):$/gm)].map((m) => m[1]);
  const target = installed(t0);
  const plain = names.find((n) => n !== target && /^(ws|srv|lnx)-/.test(n) && !t0.includes(`${n} `) && !t0.includes(`${n},`) && !t0.includes(`- ${n}\n`))!;
  const rename = (text: string, from: string, to: string) => text.replace(new RegExp(`^ {2}${from}:`, 'm'), `  ${to}:`);
  // a hosts entry naming `plain` in another machine's entry (the generated ones name hubs only)
  const other = names.find((n) => n !== plain && n !== target && /^(ws|srv|lnx)-/.test(n))!;
  const named = t0.replace(new RegExp(`(^ {2}${other}:\\n)`, 'm'), `$1    hosts: { ${plain}: 10.20.1.250 }\n`);
  assert.notEqual(named, t0);
  const cases: [string, string[]][] = [
    ['an unreferenced machine, letter by letter', [rename(t0, plain, `${plain}x`), rename(t0, plain, `${plain}xy`), rename(t0, plain, `${plain}x`)]],
    ['a machine a hosts entry names (it becomes unknown, and known again)', [named, rename(named, plain, `${plain}-old`), named]],
    // an installation item one letter off a machine name: unknown, with a suggestion that the rename changes
    ['near an unknown installation item', [t0.replace(new RegExp(`(\\n {4}- )${target}\\n`), `$1${plain}q\n`), rename(t0.replace(new RegExp(`(\\n {4}- )${target}\\n`), `$1${plain}q\n`), plain, `${plain}qq`)]],
  ];
  for (const [what, texts] of cases) {
    const s = through([t0, ...texts]);
    assert.ok(s.slice(1).some((x) => x.delta), `${what}: ${JSON.stringify(s)}`);
    const last = s[s.length - 1];
    assert.ok(!last.declined?.startsWith('unexpected'), what);
  }
});

test('a machine renamed to acronis-cloud (the cloud node every cloud-backup flow ends at, by name) is not a delta check, and the result is check()\'s', () => {
  // found by the rename property: crm01 → acronis-cloud stayed blocked when fin01 became the cloud node
  const base = EXAMPLES.find((t) => /^ {2}fin01:/m.test(t) && /cloud-backup: true/.test(t))!;
  assert.ok(base, 'an example with fin01 and cloud backups');
  const renamed = base.replace(/^ {2}fin01:/m, '  acronis-cloud:');
  const s = through([base, renamed, base]);
  assert.equal(s[1].delta, false);
  assert.match(s[1].declined ?? '', /named acronis-cloud/);
});

// Adding or removing a machine entry changes how many chunks there are; the entries next to each other
// that changed (at most two chunks on either side) are a delta check too, the machines after them
// numbered again. Typing an entry goes through texts where a line that is not a key yet is cut with
// the entry after it (a broken chunk holding two entries), then split off.
test('adding and removing machine entries are delta checks: pasted, deleted, typed key by key; each equal to check()', () => {
  const t0 = generate(60, { seed: 5 }).text;
  const lines = t0.split('\n');
  const blocks = machineBlocks(lines);
  const names = namesOf(lines);
  // machines nothing outside machines: names, and no hub: a plain agent
  const plainAt = names.map((n, i) => [n, i] as const).filter(([n]) => /^(ws|lnx)-/.test(n) && !t0.includes(`${n} `) && !t0.includes(`${n},`) && !t0.includes(`- ${n}\n`) && !t0.includes(`${n}:\n      `));
  assert.ok(plainAt.length >= 3, 'plain agents');
  // a plain agent followed by another
  const plainSet = new Set(plainAt.map(([n]) => n));
  const mid = plainAt.map(([, i]) => i).find((i) => i >= blocks.length / 3 && plainSet.has(names[i + 1]))!;
  assert.ok(mid !== undefined, 'two plain agents next to each other');
  const [ms, me] = blocks[mid];
  const entryOf = (i: number, name: string) => [`  ${name}:`, ...lines.slice(blocks[i][0] + 1, blocks[i][1])];
  const withLines = (at: number, remove: number, add: string[]) => {
    const out = [...lines];
    out.splice(at, remove, ...add);
    return out.join('\n');
  };
  const lastEnd = blocks[blocks.length - 1][1];
  const cases: [string, string[]][] = [
    ['an entry pasted in the middle, edited, then deleted', [withLines(ms, 0, entryOf(mid, 'ws-pasted')), withLines(ms, 0, entryOf(mid, 'ws-pasted').map((l) => l.replace(/^( {4}address: \d+\.\d+\.\d+\.)\d+$/, '$1202'))), t0]],
    ['an entry pasted after the last one', [withLines(lastEnd, 0, entryOf(mid, 'ws-last')), t0]],
    ['an existing entry deleted, the one after it edited, and the entry put back', [withLines(ms, me - ms, []), withLines(ms, me - ms, lines.slice(me, blocks[mid + 1][1]).map((l) => l.replace(/^( {4}address: \d+\.\d+\.\d+\.)\d+$/, '$1201'))).replace(lines.slice(me, blocks[mid + 1][1]).join('\n') + '\n', ''), t0]],
    ['two entries pasted at once', [withLines(ms, 0, [...entryOf(mid, 'ws-one'), ...entryOf(mid, 'ws-two')])]],
    // a block of entries pasted, and one deleted (other machines' entries: hubs among them decline)
    ['ten entries pasted at once, then deleted', [withLines(ms, 0, Array.from({ length: 10 }, (_, i) => entryOf(mid, `ws-block${i}`)).flat()), t0]],
  ];
  for (const [what, texts] of cases) {
    const all = [t0, ...texts];
    for (let i = 1; i < all.length; i++) assert.notEqual(all[i], all[i - 1], `${what} (${i})`);
    const s = through(all);
    // (a text of the last two updates is answered from memory)
    for (let i = 1; i < s.length; i++) if (!all.slice(Math.max(0, i - 2), i).includes(all[i])) assert.ok(s[i].delta, `${what} (${i}): ${JSON.stringify(s[i])}`);
  }
  // typed after the end of the entry before, a character at a time: every keystroke is answered
  // without a full check (a delta check, or the last result moved: comments and blanks)
  const typed = `\n${entryOf(mid, 'ws-new').join('\n')}`;
  const inc = createIncrementalChecker();
  inc.update(t0);
  const anchor = lines.slice(0, ms).join('\n').length; // the end of the line before the entry at `mid`
  const full: string[] = [];
  for (let i = 1; i <= typed.length; i++) {
    const text = t0.slice(0, anchor) + typed.slice(0, i) + t0.slice(anchor);
    assertSame(inc.update(text), check(text), text);
    if (!inc.stats.delta && !inc.stats.reused && !inc.stats.recalled) full.push(`${JSON.stringify(typed.slice(0, i).slice(-12))}: ${inc.stats.deltaDeclined ?? inc.stats.fallback ?? 'no delta'}`);
  }
  assert.deepEqual(full, []);
  // eight plain agents' entries in a row deleted at once (cut), and pasted back (from another text)
  const run = plainAt.map(([, i]) => i).find((i) => [...Array(8).keys()].every((j) => plainSet.has(names[i + j])));
  assert.ok(run !== undefined, 'eight plain agents in a row');
  const cut = [...lines.slice(0, blocks[run][0]), ...lines.slice(blocks[run + 7][1])].join('\n');
  const s2 = through([t0, cut]);
  assert.ok(s2[1].delta, JSON.stringify(s2));
  const s3 = through([cut, t0]);
  assert.ok(s3[1].delta, JSON.stringify(s3));
});

test('adding or removing a machine entry others depend on is not a delta check: a hub, a name used outside machines:, a duplicate', () => {
  const t0 = generate(60, { seed: 5 }).text;
  const lines = t0.split('\n');
  const blocks = machineBlocks(lines);
  const names = namesOf(lines);
  const hub = names.indexOf('lic01') >= 0 ? names.indexOf('lic01') : names.findIndex((n) => t0.includes(`${n}:\n    os: windows\n    address: 10.20.0.`));
  const target = installed(t0);
  const [ms] = blocks[Math.floor(blocks.length / 2)];
  const entry = (from: number, name: string) => [`  ${name}:`, ...lines.slice(blocks[from][0] + 1, blocks[from][1])];
  const insert = (add: string[]) => [...lines.slice(0, ms), ...add, ...lines.slice(ms)].join('\n');
  const plain = names.findIndex((n) => /^ws-/.test(n));
  const cases: [string, string, RegExp][] = [
    ['a copy of a hub', insert(entry(hub, 'hub-copy')), /hub/],
    ['an entry named by the installation list', insert(entry(plain, `${target}`)), /declared in the last text|named outside/],
    ['a duplicate name', insert(entry(plain, names[plain])), /./],
  ];
  for (const [what, next, why] of cases) {
    const [, s] = through([t0, next]);
    assert.equal(s.delta, false, what);
    if (s.declined !== undefined) assert.match(s.declined, why, what);
  }
});

test('a machine entry added for an installation item that named no machine, and removed again: delta checks (the item is read by both sub-runs), equal to check()', () => {
  const t0 = generate(60, { seed: 5 }).text;
  const target = installed(t0);
  const unknown = t0.replace(new RegExp(`(\\n {4}- )${target}\\n`), '$1ws-coming\n');
  const lines = unknown.split('\n');
  const blocks = machineBlocks(lines);
  const plain = namesOf(lines).findIndex((n) => /^ws-/.test(n));
  const [ms] = blocks[Math.floor(blocks.length / 2)];
  const added = [...lines.slice(0, ms), '  ws-coming:', ...lines.slice(blocks[plain][0] + 1, blocks[plain][1]), ...lines.slice(ms)].join('\n');
  const s = through([unknown, added, added.replace('  ws-coming:', '  ws-comin:'), unknown]);
  assert.deepEqual(s.slice(1).map((x) => x.delta), [true, true, true], JSON.stringify(s));
  // (the item's report comes and goes: unknown target, then known)
  assert.ok(check(unknown).diagnostics.some((d) => d.message.includes('ws-coming')));
});

test('a machine entry added, then a firewall between its subnet and another edited: the new machine is in the index of zones (its flows are evaluated again), equal to check()', () => {
  const t0 = generate(60, { seed: 5 }).text;
  const lines = t0.split('\n');
  const blocks = machineBlocks(lines);
  // a plain agent in site-001, copied under a new name (same subnet: behind fw-site-001)
  const i = blocks.findIndex(([s, e]) => /^ {2}(ws|lnx)-/.test(lines[s]) && lines.slice(s, e).some((l) => /^ {4}address: 10\.20\.1\./.test(l)) && !t0.includes(`- ${lines[s].trim().slice(0, -1)}\n`));
  assert.ok(i >= 0, 'a workstation in site-001');
  const [s, e] = blocks[i];
  const added = [...lines.slice(0, e), '  ws-added:', ...lines.slice(s + 1, e), ...lines.slice(e)].join('\n');
  // the agents' registration port no longer allowed from site-001 to hq
  const closed = added.replace('- { from: site-001, to: hq, port: tcp/9876 }', '- { from: site-001, to: hq, port: tcp/9877 }');
  assert.notEqual(closed, added);
  const s2 = through([t0, added, closed]);
  assert.deepEqual(s2.slice(1).map((x) => x.delta), [true, true], JSON.stringify(s2));
  assert.ok(check(closed).diagnostics.some((d) => d.message.includes('ws-added') || d.related.some((r) => r.message.includes('ws-added'))), 'the new machine is reported');
});

test('a text that cannot be assembled from its chunks is checked in full, and the next one is a delta check from the text before it', () => {
  const t0 = generate(60, { seed: 5 }).text;
  const lines = t0.split('\n');
  const blocks = machineBlocks(lines);
  const names = namesOf(lines);
  const i = names.findIndex((n, k) => k > blocks.length / 3 && /^(ws|lnx)-/.test(n) && /^(ws|lnx)-/.test(names[k + 1] ?? '') && !t0.includes(`${n} `) && !t0.includes(`- ${n}\n`));
  assert.ok(i >= 0);
  const [s] = blocks[i];
  const at = lines.slice(0, s).join('\n').length + 1; // the start of the entry's key line
  const cases: [string, string[]][] = [
    // typed at the start of a key line: `  ws-new:  ws-…:` is a nested mapping that takes in the entries after it
    ['a key typed before another on its line, then a line break', [`${t0.slice(0, at)}  ws-new:${t0.slice(at)}`, `${t0.slice(0, at)}  ws-new:\n${t0.slice(at)}`]],
    // a name typed twice (a duplicate), then changed
    ['a duplicate name, then another name', [t0.replace(`\n  ${names[i]}:`, `\n  ${names[i + 1]}:`), t0.replace(`\n  ${names[i]}:`, `\n  ${names[i + 1]}x:`)]],
  ];
  for (const [what, texts] of cases) {
    const inc = createIncrementalChecker();
    inc.update(t0);
    const [broken, repaired] = texts;
    assertSame(inc.update(broken), check(broken), broken);
    assert.ok(inc.stats.fallback, `${what}: the broken text is checked in full (${JSON.stringify(inc.stats)})`);
    assertSame(inc.update(repaired), check(repaired), repaired);
    assert.ok(inc.stats.delta, `${what}: ${JSON.stringify(inc.stats)}`);
  }
});

test('texts that could not be assembled from their chunks, then an edit before where they changed: every chunk is where the text has it (found by the property)', () => {
  // A name typed into an entry made a duplicate (checked in full: the chunks of the text before are
  // kept), an address edited and undone (in full again: those attempts moved the chunks after their
  // edits), then two entries above them cut: the chunks before the cut were used where the attempts
  // had left them, and the flows' positions differed from check()'s.
  const seq: Op[] = [
    { kind: 'partial', machine: 119, line: 0, pick: 619, other: 0 },
    { kind: 'address', machine: 0, line: 0, pick: 5, other: 0 },
    { kind: 'back', machine: 0, line: 0, pick: 0, other: 0 },
    { kind: 'remove-many', machine: 180, line: 0, pick: 0, other: 0 },
  ];
  const inc = createIncrementalChecker();
  let lines = BASES[3].split('\n');
  const history = [lines];
  inc.update(lines.join('\n'));
  for (const op of seq) {
    const next = op.kind === 'back' ? history[Math.max(0, history.length - 2)] : applyOp(lines, op);
    assert.ok(next, op.kind);
    lines = next!;
    history.push(lines);
    const text = lines.join('\n');
    assertSame(inc.update(text), check(text), text);
  }
});

test('SECTION_FIELDS: an edit inside one top-level section changes no topology field of the others (buildTopology on every section of the examples and generated files, each emptied and removed)', () => {
  // position-free JSON of a topology field: spans dropped, Maps as entry lists
  const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (x instanceof Map ? [...x] : isSpan(x) ? null : x));
  const topologyOf = (text: string) => buildTopology(new AstReader(parseYaml(text).doc, new AliasBudget()));
  let compared = 0;
  const covered = new Set<string>();
  for (const text of BASES) {
    const lines = text.split('\n');
    const tops = lines.map((l, i) => (/^([A-Za-z][\w-]*):/.exec(l) ? i : -1)).filter((i) => i >= 0);
    const before = topologyOf(text);
    tops.forEach((start, k) => {
      const section = /^([A-Za-z][\w-]*):/.exec(lines[start])![1];
      if (section === 'machines' || !Object.hasOwn(SECTION_FIELDS, section)) return;
      const end = k + 1 < tops.length ? tops[k + 1] : lines.length;
      // the section emptied (its key kept) and the section removed: two edits inside it
      for (const variant of [[...lines.slice(0, start), `${section}:`, ...lines.slice(end)], [...lines.slice(0, start), ...lines.slice(end)]]) {
        const after = topologyOf(variant.join('\n'));
        for (const f of TOPOLOGY_FIELDS) {
          if (SECTION_FIELDS[section].includes(f)) continue;
          assert.equal(json(after[f]), json(before[f]), `editing ${section}: changed ${f}`);
          compared++;
        }
        covered.add(section);
      }
    });
  }
  assert.ok(compared > 100, `compared ${compared}`);
  // every section the list names is exercised
  assert.deepEqual([...covered].sort(), Object.keys(SECTION_FIELDS).sort());
});

test('fixes: false gives check()\'s diagnostics without their fixes (the rules that make them on demand skip them), on the examples and generated files', () => {
  let withFixes = 0;
  for (const text of BASES) {
    const all = check(text).diagnostics;
    const none = check(text, { fixes: false }).diagnostics;
    withFixes += all.filter((d) => d.fixes.length > 0).length;
    assert.deepEqual(none, all.map((d) => ({ ...d, fixes: [] })));
  }
  assert.ok(withFixes > 10, `${withFixes} diagnostics with fixes`);
});

test('a rule whose fixes, made on demand, throw is reported as a rule that threw (internal-error), and the rest of the file is checked', () => {
  const text = BASES.find((t) => check(t).diagnostics.some((d) => d.rule === 'blocked-connection'))!;
  const others = check(text).diagnostics.filter((d) => d.rule !== 'blocked-connection');
  const rule = RULES.find((r) => r.id === 'blocked-connection')!;
  const run = rule.run;
  rule.run = (ctx) => run({ ...ctx, report: (r) => ctx.report({ ...r, fixes: () => { throw new Error('boom'); } }) });
  try {
    const ds = check(text).diagnostics;
    assert.equal(ds.filter((d) => d.rule === 'internal-error' && /rule blocked-connection: boom/.test(d.message)).length, 1);
    assert.deepEqual(ds.filter((d) => d.rule !== 'internal-error'), others);
    // without fixes they are not made: nothing throws
    assert.ok(check(text, { fixes: false }).diagnostics.some((d) => d.rule === 'blocked-connection'));
    assert.ok(!check(text, { fixes: false }).diagnostics.some((d) => d.rule === 'internal-error'));
  } finally {
    rule.run = run;
  }
});

test('fixes: \'deferred\' leaves the fixes rules make on demand for settleFixes: then the diagnostics are check()\'s, fixes included', () => {
  let deferred = 0;
  for (const text of BASES) {
    const all = check(text).diagnostics;
    const r = check(text, { fixes: 'deferred' });
    // before: the same diagnostics, some without their fixes yet
    assert.deepEqual(r.diagnostics.map((d) => ({ ...d, fixes: [] })), all.map((d) => ({ ...d, fixes: [] })));
    const missing = r.diagnostics.filter((d, i) => d.fixes.length === 0 && all[i].fixes.length > 0).length;
    deferred += missing;
    assert.deepEqual(settleFixes(r), []);
    assert.deepEqual(r.diagnostics, all);
    // once only
    assert.deepEqual(settleFixes(r), []);
  }
  assert.ok(deferred > 10, `${deferred} diagnostics had their fixes made later`);
});

test('deferred fixes that throw leave their diagnostic without fixes and are returned by settleFixes (the rule\'s other reports stay)', () => {
  const text = BASES.find((t) => check(t).diagnostics.some((d) => d.rule === 'blocked-connection'))!;
  const expected = check(text).diagnostics;
  const rule = RULES.find((r) => r.id === 'blocked-connection')!;
  const run = rule.run;
  rule.run = (ctx) => run({ ...ctx, report: (r) => ctx.report({ ...r, fixes: () => { throw new Error('boom'); } }) });
  try {
    const r = check(text, { fixes: 'deferred' });
    const errors = settleFixes(r);
    const blocked = expected.filter((d) => d.rule === 'blocked-connection').length;
    assert.equal(errors.length, blocked);
    assert.ok(errors.every((e) => e.rule === 'blocked-connection' && /boom/.test(String(e.error))));
    assert.deepEqual(r.diagnostics, expected.map((d) => (d.rule === 'blocked-connection' ? { ...d, fixes: [] } : d)));
  } finally {
    rule.run = run;
  }
});
