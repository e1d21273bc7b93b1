// The hostile files of the hardening issue, each with what must come out of check(): shared by the
// table printer (fuzz/hostile.ts → docs/reliability.md) and the CI suite (test/hostile.test.ts, which
// also runs each through the CLI in process). `slow` cases (a valid file just under the size limit)
// are measured by hostile.ts only.
import type { CheckResult } from '../engine/src/index';
import { DEFAULT_MAX_BYTES } from '../engine/src/index';

export interface HostileCase {
  name: string;
  text: string;
  /** what the diagnostics must show; returns a complaint or undefined */
  expect(r: CheckResult): string | undefined;
  slow?: boolean;
}

const BASE = [
  'acrotopo: 1',
  'machines:',
  '  ams01:',
  '    os: windows',
  '    address: 10.0.0.1',
  '    components: [management-server, management-console]',
  '  web01:',
  '    os: linux',
  '    address: 10.0.0.2',
  '    components: [agent-for-linux]',
  'management:',
  '  server: ams01',
  '',
].join('\n');

/** A valid deployment of about `bytes` characters: one flow-mapping machine per line. */
function estateOf(bytes: number): string {
  const lines = ['acrotopo: 1', 'machines:', '  ams01: { os: windows, address: 10.255.255.1, components: [management-server, management-console] }'];
  let len = lines.join('\n').length;
  for (let i = 0; len < bytes; i++) {
    const l = `  m${i}: { os: windows, address: 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}, components: [agent-for-windows] }`;
    lines.push(l);
    len += l.length + 1;
  }
  lines.push('management: { server: ams01 }');
  return lines.join('\n') + '\n';
}

const some = (r: CheckResult, re: RegExp, rule?: string) => (r.diagnostics.some((d) => re.test(d.message) && (!rule || d.rule === rule)) ? undefined : `no ${rule ?? ''} diagnostic matching ${re}: ${JSON.stringify(r.diagnostics.map((d) => `${d.rule}: ${d.message}`)).slice(0, 600)}`);
const none = (r: CheckResult) => (r.diagnostics.length === 0 ? undefined : `expected no diagnostics: ${JSON.stringify(r.diagnostics.map((d) => `${d.rule}: ${d.message}`)).slice(0, 600)}`);
const overLimit = (r: CheckResult) => (r.diagnostics.length === 1 && /over the \d+ MiB limit; it was not checked/.test(r.diagnostics[0].message) ? undefined : `expected the one over-the-limit diagnostic: ${JSON.stringify(r.diagnostics.map((d) => d.message)).slice(0, 300)}`);
const all = (...fs: (string | undefined)[]) => fs.find((x) => x !== undefined);

const bomb = ['acrotopo: 1', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
for (let i = 1; i < 12; i++) bomb.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
bomb.push('machines: *a11');

export const HOSTILE_CASES: HostileCase[] = [
  { name: 'alias bomb (`&a0`…`&a11`, 10^12 nodes)', text: bomb.join('\n'), expect: (r) => some(r, /alias expands to more than .* nodes/, 'yaml-syntax') },
  { name: '10 000-deep flow nesting `[[[…]]]`', text: 'acrotopo: 1\nx: ' + '['.repeat(10000) + ']'.repeat(10000) + '\n', expect: (r) => all(some(r, /unknown key 'x' at the top level/, 'schema'), some(r, /nested too deeply to be parsed/, 'yaml-syntax')) },
  { name: '2 000-deep block nesting', text: 'acrotopo: 1\n' + Array.from({ length: 2000 }, (_, i) => ' '.repeat(i) + `k${i}:`).join('\n') + '\n', expect: (r) => some(r, /unknown key 'k0' at the top level|nested too deeply to be checked against the schema/, 'schema') },
  { name: 'a 100 000-character line', text: 'acrotopo: 1\ntitle: ' + 'x'.repeat(100000) + '\n', expect: none },
  { name: `valid file just under the ${DEFAULT_MAX_BYTES / 1048576} MiB limit`, text: estateOf(DEFAULT_MAX_BYTES - 200), expect: none, slow: true },
  { name: '10 MB valid file (over the limit)', text: estateOf(10_000_000), expect: overLimit },
  { name: '20 MiB file (over the limit)', text: 'acrotopo: 1\n' + '#'.repeat(20 * 1024 * 1024), expect: overLimit },
  { name: 'NUL byte', text: 'acrotopo: 1\u0000\nmachines: {}\n', expect: (r) => some(r, /non-printable character U\+0000 \(is this a binary file\?\)/, 'yaml-syntax') },
  { name: 'invalid UTF-8 (decoded as U+FFFD by the editor/CLI)', text: 'acrotopo: 1\ntitle: \uFFFD\uFFFD\n', expect: none },
  { name: 'BOM', text: '\uFEFF' + BASE, expect: none },
  { name: 'CRLF line ends', text: BASE.replace(/\n/g, '\r\n'), expect: none },
  { name: 'tab indentation', text: 'acrotopo: 1\nmachines:\n\tams01:\n\t\tos: windows\n', expect: (r) => some(r, /tabs are not allowed as indentation/, 'yaml-syntax') },
  { name: 'BOM + CRLF + tabs', text: '\uFEFFacrotopo: 1\r\nmachines:\r\n\tams01: {}\r\n', expect: (r) => some(r, /tabs are not allowed as indentation/, 'yaml-syntax') },
  { name: 'duplicate keys', text: BASE.replace('    os: linux\n', '    os: linux\n    os: windows\n'), expect: (r) => some(r, /duplicate key 'os'/, 'yaml-syntax') },
  {
    name: 'merge key `<<: *base` in a machine',
    text: 'acrotopo: 1\nmachines:\n  ams01: { os: windows, components: [management-server] }\n  web01:\n    <<: &base { os: linux, components: [agent-for-linux] }\n    address: 10.0.0.2\n  web02:\n    <<: *base\nmanagement: { server: ams01 }\n',
    expect: (r) => all(none(r), r.topology.machines.get('web02')?.os?.value === 'linux' ? undefined : 'web02 did not get os: linux from the merge'),
  },
  {
    name: 'anchor on a machine, alias as another',
    text: 'acrotopo: 1\nmachines:\n  ams01: { os: windows, components: [management-server] }\n  web01: &m { os: linux, components: [agent-for-linux] }\n  web02: *m\nmanagement: { server: ams01 }\n',
    expect: (r) => all(none(r), r.topology.machines.get('web02')?.os?.value === 'linux' ? undefined : 'web02 is not the aliased machine'),
  },
  { name: 'several documents', text: 'acrotopo: 1\n---\nacrotopo: 1\n---\n', expect: (r) => some(r, /./, 'yaml-syntax') },
  { name: 'huge numbers (`1e400`, 20 digits)', text: 'acrotopo: 1\nmanagement: { port: 1e400 }\nmachines: { a: { port: 99999999999999999999 } }\n', expect: (r) => some(r, /must be a whole number/, 'schema') },
  {
    name: 'IPv6 addresses and subnets (`/129`, zone id)',
    text: 'acrotopo: 1\nnetwork:\n  subnets:\n    v6: "2001:db8::/32"\n    bad: "2001:db8::/129"\nmachines:\n  ams01: { os: windows, address: "2001:db8::1", components: [management-server] }\n  web01: { os: linux, address: "2001:db8::2", components: [agent-for-linux] }\n  x: { os: linux, address: "fe80::1%eth0", components: [agent-for-linux] }\nmanagement: { server: ams01 }\n',
    expect: (r) => all(some(r, /subnet 'bad' must be a network in CIDR notation/), some(r, /address of machine 'x' must be an IPv4 or IPv6 address/), r.diagnostics.length === 2 ? undefined : `expected 2 diagnostics, got ${r.diagnostics.map((d) => d.message).join(' | ')}`),
  },
  {
    name: 'CIDR edge cases (`/0`, `/32`, `/33`, `/-1`, no prefix, `300.0.0.0/8`)',
    text: 'acrotopo: 1\nnetwork:\n  subnets:\n    all: 0.0.0.0/0\n    host: 10.0.0.1/32\n    bad: 10.0.0.0/33\n    neg: 10.0.0.0/-1\n    none: 10.0.0.0\n    big: 300.0.0.0/8\nmachines:\n  ams01: { os: windows, address: 10.0.0.1, components: [management-server] }\nmanagement: { server: ams01 }\n',
    expect: (r) => {
      const flagged = r.diagnostics.filter((d) => /must be a network in CIDR notation/.test(d.message)).map((d) => /subnet '(\w+)'/.exec(d.message)?.[1]);
      return JSON.stringify(flagged) === JSON.stringify(['bad', 'neg', 'none', 'big']) ? undefined : `flagged ${JSON.stringify(flagged)}`;
    },
  },
  { name: 'names with spaces, Cyrillic, U+202E', text: 'acrotopo: 1\nmachines:\n  "file server 1": { os: windows }\n  сервер: { os: linux }\n  "\u202Eevil": { os: linux }\n', expect: (r) => some(r, /'file server 1' is not a valid machine name/, 'schema') },
];
