// The JSON Schema (schemas/acrotopo.schema.json) and the `schema` validation stage (src/schema.ts):
// the schema compiles and matches the spec; valid files give no problem; each invalid node gives one
// problem on the exact node, with a clear message and did-you-mean fixes.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import fc from 'fast-check';
import { Document } from 'yaml';
import { closeMatches, didYouMean } from '../src/did-you-mean';
import { COMPONENTS } from '../src/facts';
import type { SchemaProblem } from '../src/rule';
import { ACROTOPO_SCHEMA, normalizePort, validateSchema } from '../src/schema';
import { applyEdits, SourceFile } from '../src/source';
import { AstReader, parseYaml } from '../src/yaml-ast';

const SPEC_PATH = join(__dirname, '../../docs/spec/acrotopo-v1.md');
const SPEC = readFileSync(SPEC_PATH, 'utf8');
const SPEC_EXAMPLE = /```yaml\n([\s\S]*?)```/.exec(SPEC)![1];
const SPEC_RULE_IDS = [...SPEC.matchAll(/^\| `([a-z-]+)` \| (?:error|warning|info)/gm)].map((m) => m[1]);
const SCHEMA_FILE = join(__dirname, '../../schemas/acrotopo.schema.json');
const CASES_DIR = join(__dirname, 'schema-cases');

function validate(text: string): SchemaProblem[] {
  const { doc } = parseYaml(text);
  return validateSchema(new AstReader(doc), new SourceFile(text));
}

function describeProblems(text: string, ps: SchemaProblem[]): string {
  return ps.map((p) => `  ${JSON.stringify(text.slice(p.span.start, p.span.end))} ${p.message}`).join('\n');
}

type Schema = Record<string, any>;
const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Schema;

// ---------------------------------------------------------------------------------------------
// The schema itself

test('the schema is draft-07 and compiles with a plain ajv (strict, annotations declared)', () => {
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.match(String(schema.$id), /acrotopo\.schema\.json$/);
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
  ajv.addVocabulary(['markdownDescription', 'patternErrorMessage', 'enumDescriptions', 'markdownEnumDescriptions', 'defaultSnippets', 'x-ordered-range']);
  const v = ajv.compile(schema);
  assert.equal(v({ acrotopo: 1 }), true);
  assert.equal(v({ acrotopo: 1, machines: { a: { os: 'solaris' } } }), false);
  // the engine validates with the very same document
  assert.deepEqual(ACROTOPO_SCHEMA, schema);
});

test('the schema is valid against the draft-07 meta-schema', () => {
  const ajv = new Ajv({ strict: false });
  const meta = ajv.getSchema('http://json-schema.org/draft-07/schema')!;
  assert.equal(meta(schema), true, JSON.stringify(meta.errors));
});

test('rule ids in `rules:` are exactly the 22 of the spec table', () => {
  assert.equal(SPEC_RULE_IDS.length, 22);
  assert.deepEqual(Object.keys(schema.definitions.rules.properties).sort(), [...SPEC_RULE_IDS].sort());
  assert.equal(schema.definitions.rules.additionalProperties, false);
});

test('components are exactly the 16 of the spec, in the engine facts order', () => {
  const listed = /^Components: ([\s\S]*?)\. A machine may carry/m.exec(SPEC)![1];
  const fromSpec = [...listed.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]);
  assert.equal(fromSpec.length, 16);
  assert.deepEqual(schema.definitions.component.enum, fromSpec);
  assert.deepEqual(schema.definitions.component.enum, COMPONENTS.map((c) => c.id));
  assert.equal(schema.definitions.component.markdownEnumDescriptions.length, 16);
});

test('every property has a title, a description and a markdownDescription', () => {
  const missing: string[] = [];
  const visit = (node: unknown, where: string) => {
    if (!node || typeof node !== 'object') return;
    const n = node as Schema;
    for (const [k, v] of Object.entries((n.properties ?? {}) as Record<string, Schema>)) {
      for (const field of ['title', 'description', 'markdownDescription']) if (typeof v[field] !== 'string' || v[field] === '') missing.push(`${where}.${k}: ${field}`);
      visit(v, `${where}.${k}`);
    }
    for (const key of ['items', 'additionalProperties']) if (n[key] && typeof n[key] === 'object') visit(n[key], `${where}[${key}]`);
  };
  visit(schema, '#');
  for (const [name, def] of Object.entries(schema.definitions as Record<string, Schema>)) {
    for (const field of ['title', 'description', 'markdownDescription']) if (typeof def[field] !== 'string') missing.push(`definitions.${name}: ${field}`);
    visit(def, `definitions.${name}`);
  }
  assert.deepEqual(missing, []);
});

test('the encryption options cite S4 and the TCP 9876 matrix; components cite catalogue rows', () => {
  assert.match(schema.definitions.encryptionOption.markdownDescription, /S4/);
  assert.match(schema.definitions.encryptionOption.markdownDescription, /9876/);
  for (const d of schema.definitions.component.markdownEnumDescriptions as string[]) assert.match(d, /\*\*(CC|RI|OT)-\d+/);
});

test('the patterns accept exactly what they should', () => {
  const re = (name: string) => new RegExp(schema.definitions[name].pattern, 'u');
  const cases: [string, string, boolean][] = [
    ['flowPort', 'tcp/9876', true], ['flowPort', 'udp/67-69', true], ['flowPort', 'icmp', true], ['flowPort', 'tcp/65535', true],
    ['flowPort', 'tcp/0', false], ['flowPort', 'tcp/65536', false], ['flowPort', 'TCP/80', false], ['flowPort', 'tcp 80', false], ['flowPort', 'tcp/080', false],
    ['sourcePorts', '49152-65535', true], ['sourcePorts', '0-65535', true], ['sourcePorts', '1025', true], ['sourcePorts', '1025-', false], ['sourcePorts', '70000', false],
    ['ipAddress', '10.0.0.10', true], ['ipAddress', 'fd00::10', true], ['ipAddress', '::ffff:10.0.0.1', true], ['ipAddress', '::', true], ['ipAddress', '1:2:3:4:5:6:7:8', true],
    ['ipAddress', '10.0.0.256', false], ['ipAddress', '10.0.0', false], ['ipAddress', '010.0.0.1', false], ['ipAddress', '1:2:3:4:5:6:7:8:9', false], ['ipAddress', '1::2::3', false], ['ipAddress', '10.0.0.0/24', false],
    ['cidr', '10.0.0.0/24', true], ['cidr', '0.0.0.0/0', true], ['cidr', 'fd00::/64', true], ['cidr', '10.0.0.0/33', false], ['cidr', 'fd00::/129', false], ['cidr', '10.0.0.0', false],
    ['name', 'web01', true], ['name', 'fs01.contoso.local', true], ['name', 'a', true], ['name', '_x', true], ['name', 'my_host-2', true],
    ['name', 'web 01', false], ['name', '-web', false], ['name', 'web.', false], ['name', '', false], ['name', 'ä', false], ['name', 'x'.repeat(254), false],
    ['subnetName', 'hq', true], ['subnetName', 'internet', false], ['subnetName', 'internet2', true],
  ];
  const wrong = cases.filter(([d, s, ok]) => re(d).test(s) !== ok);
  assert.deepEqual(wrong, []);
});

// ---------------------------------------------------------------------------------------------
// Valid documents

test('the spec example passes with no problems', () => {
  const ps = validate(SPEC_EXAMPLE);
  assert.deepEqual(ps, [], describeProblems(SPEC_EXAMPLE, ps));
});

test('every file in examples/ (and examples/problems/) passes the schema', () => {
  const dir = join(__dirname, '../../examples');
  const files = existsSync(dir) ? (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.acrotopo\.ya?ml$/.test(f)) : [];
  assert.ok(files.length > 0, 'no examples found');
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    const ps = validate(text);
    assert.deepEqual(ps, [], `${f}:\n${describeProblems(text, ps)}`);
  }
});

test('the modeline, $schema key, IPv6, merge keys and aliases are accepted', () => {
  const text = [
    '# yaml-language-server: $schema=../schemas/acrotopo.schema.json',
    '$schema: ../schemas/acrotopo.schema.json',
    'acrotopo: 1',
    'network:',
    '  subnets: { v6: "fd00::/64" }',
    'x-defaults: &win',
    '  os: windows',
    '  components: [agent-for-windows]',
    'machines:',
    '  a: { <<: *win, address: "fd00::10" }',
    '  b:',
    '    <<: *win',
    '    windows-version: pre-vista',
    '',
  ].join('\n');
  // x-defaults is not a v1 key: exactly that one problem
  const ps = validate(text);
  assert.equal(ps.length, 1, describeProblems(text, ps));
  assert.equal(text.slice(ps[0].span.start, ps[0].span.end), 'x-defaults');
  assert.deepEqual(validate(text.replace(/x-defaults: &win\n {2}os: windows\n {2}components: \[agent-for-windows\]\n/, '').replace(/<<: \*win, /, '').replace(/ {4}<<: \*win\n/, '')), []);
});

// ---------------------------------------------------------------------------------------------
// Invalid documents: one problem, on the exact node

interface Case {
  name: string;
  text: string;
  /** exact text of the span */
  span: string;
  /** a stable part of the message */
  message: RegExp;
  /** the first suggestion's replacement text, when one is expected */
  fix?: string;
}

const M = (machine: string) => `acrotopo: 1\nmachines:\n  web01:\n${machine.replace(/^/gm, '    ')}\n`;

const CASES: Case[] = [
  { name: 'unknown top-level key', text: 'acrotopo: 1\nmachine:\n  a: { os: linux }\n', span: 'machine', message: /unknown key 'machine' at the top level; did you mean 'machines'\?/, fix: 'machines' },
  { name: 'unknown key in network', text: 'acrotopo: 1\nnetwork:\n  subnet:\n    hq: 10.0.0.0/24\n', span: 'subnet', message: /unknown key 'subnet' in network; did you mean 'subnets'\?/, fix: 'subnets' },
  { name: 'unknown key in a machine', text: M('os: linux\nadress: 10.0.0.1'), span: 'adress', message: /unknown key 'adress' in machine 'web01'; did you mean 'address'\?/, fix: 'address' },
  { name: 'unknown key in machine encryption', text: M('encryption: { clinet: enabled }'), span: 'clinet', message: /unknown key 'clinet' in encryption of machine 'web01'; did you mean 'client'\?/, fix: 'client' },
  { name: 'unknown key in a firewall', text: 'acrotopo: 1\nnetwork:\n  firewalls:\n    - name: fw\n      betwen: [a, b]\n', span: 'betwen', message: /unknown key 'betwen' in firewall 'fw'; did you mean 'between'\?/, fix: 'between' },
  { name: 'unknown key in an allow entry', text: 'acrotopo: 1\nnetwork:\n  firewalls:\n    - between: [a, b]\n      allow:\n        - { from: a, to: b, port: tcp/1, source-port: 1-2 }\n', span: 'source-port', message: /unknown key 'source-port' in allow entry #1 of firewall #1; did you mean 'source-ports'\?/, fix: 'source-ports' },
  { name: 'unknown key in management', text: 'acrotopo: 1\nmanagement:\n  register_by: name\n', span: 'register_by', message: /unknown key 'register_by' in management; did you mean 'register-by'\?/, fix: 'register-by' },
  { name: 'unknown key in installation', text: 'acrotopo: 1\ninstallation:\n  from: a\n  to: [b]\n  via: c\n', span: 'via', message: /unknown key 'via' in installation; allowed keys: from, to/ },
  { name: 'unknown key in a connection', text: 'acrotopo: 1\nconnections:\n  - { from: a, to: b, prot: tcp/1 }\n', span: 'prot', message: /unknown key 'prot' in connection #1; did you mean 'port'\?/, fix: 'port' },
  { name: 'unknown rule id in rules', text: 'acrotopo: 1\nrules:\n  smb-encryption-unknwn: off\n', span: 'smb-encryption-unknwn', message: /unknown rule 'smb-encryption-unknwn' in rules; did you mean 'smb-encryption-unknown'\?/, fix: 'smb-encryption-unknown' },
  { name: 'bad severity', text: 'acrotopo: 1\nrules:\n  schema: fatal\n', span: 'fatal', message: /'fatal' is not an allowed severity in rule 'schema'; expected one of: error, warning, info, off/ },
  { name: 'bad os (enum)', text: M('os: solaris'), span: 'solaris', message: /^'solaris' is not an allowed os in machine 'web01'; expected one of: windows, linux, virtual-appliance, other$/ },
  { name: 'misspelled os value', text: M('os: linxu'), span: 'linxu', message: /did you mean 'linux'\?/, fix: 'linux' },
  { name: 'bad windows-version', text: M('windows-version: xp'), span: 'xp', message: /'xp' is not an allowed windows-version in machine 'web01'; expected one of: pre-vista, vista-or-later/ },
  { name: 'unknown component', text: M('components: [agent-for-window]'), span: 'agent-for-window', message: /'agent-for-window' is not an allowed component in machine 'web01'; did you mean 'agent-for-windows'\?/, fix: 'agent-for-windows' },
  { name: 'duplicate component', text: M('components:\n  - agent-for-linux\n  - agent-for-linux'), span: 'agent-for-linux', message: /component 'agent-for-linux' is listed twice in components of machine 'web01'/ },
  { name: 'components not a list', text: M('components: agent-for-linux'), span: 'agent-for-linux', message: /components of machine 'web01' must be a list/, fix: '[agent-for-linux]' },
  { name: 'bad encryption option', text: 'acrotopo: 1\nmanagement:\n  encryption:\n    server: requird\n', span: 'requird', message: /'requird' is not an allowed server in management.encryption; did you mean 'required'\?/, fix: 'required' },
  { name: 'bad register-by', text: 'acrotopo: 1\nmanagement:\n  register-by: ip\n', span: 'ip', message: /'ip' is not an allowed register-by in management; expected one of: name, address/ },
  { name: 'boolean written yes', text: 'acrotopo: 1\nnetwork:\n  dns: yes\n', span: 'yes', message: /network.dns must be true or false; found the text 'yes'/, fix: 'true' },
  { name: 'quoted boolean', text: M('cloud-backup: "false"'), span: '"false"', message: /cloud-backup of machine 'web01' must be true or false/, fix: 'false' },
  { name: 'port out of range', text: M('port: 70000'), span: '70000', message: /port of machine 'web01' must be between 1 and 65535/ },
  { name: 'agent port as text', text: 'acrotopo: 1\nmanagement:\n  port: "9876"\n', span: '"9876"', message: /management.port must be a whole number; found the text '9876'/, fix: '9876' },
  { name: 'bad port string', text: 'acrotopo: 1\nconnections:\n  - { from: a, to: b, port: "tcp:9876" }\n', span: '"tcp:9876"', message: /port of connection #1 must be written tcp\/N, udp\/N, tcp\/N-M, udp\/N-M or icmp/, fix: 'tcp/9876' },
  { name: 'port as a bare number', text: 'acrotopo: 1\nconnections:\n  - from: a\n    to: b\n    port: 25001\n', span: '25001', message: /port of connection #1 must be written tcp\/N/, fix: 'tcp/25001' },
  { name: 'backwards port range', text: 'acrotopo: 1\nconnections:\n  - { from: a, to: b, port: udp/69-67 }\n', span: 'udp/69-67', message: /runs backwards/, fix: 'udp/67-69' },
  { name: 'bad source-ports', text: 'acrotopo: 1\nnetwork:\n  firewalls:\n    - between: [a, b]\n      allow:\n        - { from: a, to: b, port: tcp/1, source-ports: 49152..65535 }\n', span: '49152..65535', message: /source-ports of allow entry #1 of firewall #1 must be a source-port range N-M/ },
  { name: 'backwards source-ports', text: 'acrotopo: 1\nnetwork:\n  firewalls:\n    - between: [a, b]\n      allow:\n        - { from: a, to: b, port: tcp/1, source-ports: 65535-49152 }\n', span: '65535-49152', message: /runs backwards/, fix: '49152-65535' },
  { name: 'bad CIDR', text: 'acrotopo: 1\nnetwork:\n  subnets:\n    hq: 10.0.0.0/33\n', span: '10.0.0.0/33', message: /subnet 'hq' must be a network in CIDR notation/ },
  { name: 'CIDR without prefix', text: 'acrotopo: 1\nnetwork:\n  subnets:\n    hq: 10.0.0.0\n', span: '10.0.0.0', message: /CIDR notation/ },
  { name: 'bad IP address', text: M('address: 10.0.0.300'), span: '10.0.0.300', message: /address of machine 'web01' must be an IPv4 or IPv6 address/ },
  { name: 'bad hosts address', text: M('hosts: { ams01: 10.0.0 }'), span: '10.0.0', message: /hosts.ams01 of machine 'web01' must be an IPv4 or IPv6 address/ },
  { name: 'internet as a subnet', text: 'acrotopo: 1\nnetwork:\n  subnets:\n    internet: 0.0.0.0/0\n', span: 'internet', message: /'internet' cannot be a subnet name: 'internet' is the reserved zone/ },
  { name: 'bad machine name', text: 'acrotopo: 1\nmachines:\n  "web 01": { os: linux }\n', span: '"web 01"', message: /'web 01' is not a valid machine name/ },
  { name: 'bad zone name in between', text: 'acrotopo: 1\nnetwork:\n  firewalls:\n    - between: [hq, "branch office"]\n', span: '"branch office"', message: /between\[1\] of firewall #1 must be a name made of letters, digits/ },
  { name: 'between with one zone', text: 'acrotopo: 1\nnetwork:\n  firewalls:\n    - between: [hq]\n', span: '[hq]', message: /between of firewall #1 must name at least 2 zones/ },
  { name: 'missing required key in an allow entry', text: 'acrotopo: 1\nnetwork:\n  firewalls:\n    - between: [a, b]\n      allow:\n        - from: a\n          port: tcp/1\n', span: 'from: a', message: /allow entry #1 of firewall #1 is missing the required key 'to'/ },
  { name: 'missing required keys in a connection', text: 'acrotopo: 1\nconnections:\n  - { from: a }\n', span: '{ from: a }', message: /connection #1 is missing the required keys 'to' and 'port'/ },
  { name: 'missing required key in installation', text: 'acrotopo: 1\ninstallation:\n  to: [a]\n', span: 'installation', message: /installation is missing the required key 'from'/ },
  { name: 'installation.to not a list', text: 'acrotopo: 1\ninstallation:\n  from: a\n  to: web01\n', span: 'web01', message: /installation.to must be a list/, fix: '[web01]' },
  { name: 'missing acrotopo', text: '# a comment\ntitle: x\nmachines: {}\n', span: 'title: x', message: /missing 'acrotopo: 1'/, fix: 'acrotopo: 1\n' },
  { name: 'acrotopo: 2', text: 'acrotopo: 2\n', span: '2', message: /acrotopo: 2 is not supported/, fix: '1' },
  { name: 'acrotopo as text', text: 'acrotopo: "1"\n', span: '"1"', message: /acrotopo must be the number 1/, fix: '1' },
  { name: 'product unquoted', text: 'acrotopo: 1\nproduct: 11.7\n', span: '11.7', message: /product must be text: write "11.7" in quotes/, fix: '"11.7"' },
  { name: 'product not allowed', text: 'acrotopo: 1\nproduct: "12.5"\n', span: '"12.5"', message: /'12.5' is not an allowed product; .*expected one of: 11.5, 11.7/ },
  { name: 'empty machine value', text: 'acrotopo: 1\nmachines:\n  web01:\n', span: 'web01', message: /machine 'web01' must be a mapping \(key: value lines\); found nothing/ },
  { name: 'empty enum value', text: M('os:'), span: 'os', message: /os of machine 'web01' must be one of: windows, linux, virtual-appliance, other; found nothing/ },
  { name: 'machines as a list', text: 'acrotopo: 1\nmachines:\n  - web01\n  - web02\n', span: '- web01\n  - web02', message: /machines must be a mapping/ },
  { name: 'root is a list', text: '- acrotopo: 1\n', span: '- acrotopo: 1', message: /an acrotopo file is a mapping of keys/ },
  { name: 'empty file', text: '', span: '', message: /the file is empty/, fix: 'acrotopo: 1\n' },
  { name: 'comments only', text: '# nothing yet\n', span: '', message: /the file is empty/ },
  { name: 'title not text', text: 'acrotopo: 1\ntitle: [a]\n', span: '[a]', message: /title must be text; found a list/ },
  { name: 'alias to a bad value', text: 'acrotopo: 1\ntitle: &t solaris\nmachines:\n  web01:\n    os: *t\n', span: '*t', message: /'solaris' is not an allowed os in machine 'web01'/ },
];

for (const c of CASES) {
  test(`schema: ${c.name}`, () => {
    const ps = validate(c.text);
    assert.equal(ps.length, 1, `expected one problem for:\n${c.text}\ngot:\n${describeProblems(c.text, ps)}`);
    const p = ps[0];
    assert.equal(c.text.slice(p.span.start, p.span.end), c.span);
    assert.match(p.message, c.message);
    if (c.fix !== undefined) {
      assert.ok(p.suggestions.length > 0, `no suggestion: ${p.message}`);
      assert.equal(p.suggestions[0].newText, c.fix);
      assert.match(p.suggestions[0].title, /^(Change to|Add) /);
      // applying the fix leaves a valid file
      const fixed = applyEdits(c.text, [p.suggestions[0]]);
      assert.deepEqual(validate(fixed), [], `after the fix:\n${fixed}\n${describeProblems(fixed, validate(fixed))}`);
    }
  });
}

test('the empty file gets its problem at 0..0 and a fix that makes it valid', () => {
  const ps = validate('');
  assert.deepEqual(ps[0].span, { start: 0, end: 0 });
  assert.deepEqual(validate(applyEdits('', [ps[0].suggestions[0]])), []);
});

test('missing acrotopo is reported on the first line of the document and fixed by inserting it', () => {
  const text = 'title: x\nmachines: {}\n';
  const ps = validate(text);
  assert.deepEqual(ps[0].span, { start: 0, end: 'title: x'.length });
  assert.deepEqual(validate(applyEdits(text, [ps[0].suggestions[0]])), []);
});

test('an alias bomb returns quickly with no schema problem (yaml-syntax reports it)', () => {
  const lines = ['a: &a [x,x,x,x,x,x,x,x,x]'];
  for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  const text = lines.join('\n') + '\n';
  assert.deepEqual(validate(text), []);
});

test('several errors in one file: one problem per node, sorted, no generic noise', () => {
  const text = [
    'acrotopo: 1',
    'product: 11.5',
    'network:',
    '  dns: no',
    '  subnets: { internet: 1.2.3.4/8, hq: 10.0.0.0/24 }',
    'machines:',
    '  web01:',
    '    os: Linux',
    '    adress: 10.0.0.1',
    '    port: 0',
    '',
  ].join('\n');
  const ps = validate(text);
  const at = ps.map((p) => text.slice(p.span.start, p.span.end));
  assert.deepEqual(at, ['11.5', 'no', 'internet', 'Linux', 'adress', '0']);
  for (const p of ps) assert.doesNotMatch(p.message, /must match a schema|anyOf|oneOf|must NOT have/);
  const starts = ps.map((p) => p.span.start);
  assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
});

test('a misspelled required key is not also reported as missing', () => {
  const text = 'acrotopo: 1\nconnections:\n  - { from: a, too: b, port: tcp/1 }\n';
  const ps = validate(text);
  assert.equal(ps.length, 1, describeProblems(text, ps));
  assert.equal(text.slice(ps[0].span.start, ps[0].span.end), 'too');
  assert.deepEqual(validate(applyEdits(text, [ps[0].suggestions[0]])), []);
});

test('CRLF files and quoted keys keep exact spans', () => {
  const text = 'acrotopo: 1\r\nmachines:\r\n  "web01":\r\n    "adress": 10.0.0.1\r\n    os: bsd\r\n';
  const ps = validate(text);
  assert.deepEqual(ps.map((p) => text.slice(p.span.start, p.span.end)), ['"adress"', 'bsd']);
  assert.equal(applyEdits(text, [ps[0].suggestions[0]]).includes('    address: 10.0.0.1\r\n'), true);
});

test('a merged key that is not allowed is reported where it is written', () => {
  const text = 'acrotopo: 1\nmachines:\n  base: &b { os: windows, colour: red }\n  web01:\n    <<: *b\n    address: 10.0.0.1\n';
  const ps = validate(text);
  // `colour` is wrong in both machines; both point at the one place it is written
  assert.equal(ps.length, 1, describeProblems(text, ps));
  assert.equal(text.slice(ps[0].span.start, ps[0].span.end), 'colour');
});

test('many wrong machines: one problem each, in document order', () => {
  const lines = ['acrotopo: 1', 'machines:'];
  const n = 2000;
  for (let i = 0; i < n; i++) lines.push(`  m${i}:`, `    os: ${i % 2 ? 'solaris' : 'linux'}`, `    ${i % 3 ? 'address' : 'adress'}: 10.0.0.1`);
  const text = lines.join('\n') + '\n';
  const ps = validate(text);
  const expected = Array.from({ length: n }, (_, i) => [i % 2 ? 'solaris' : undefined, i % 3 ? undefined : 'adress']).flat().filter((x) => x !== undefined);
  assert.deepEqual(ps.map((p) => text.slice(p.span.start, p.span.end)), expected);
});

// ---------------------------------------------------------------------------------------------
// Golden files: schema-cases/*.acrotopo.yaml → *.expected.json (whole messages and fixes).
// Regenerate with ACROTOPO_UPDATE_GOLDEN=1 after checking the new output by eye.

for (const f of readdirSync(CASES_DIR).filter((x) => x.endsWith('.acrotopo.yaml')).sort()) {
  test(`golden: ${f}`, () => {
    const text = readFileSync(join(CASES_DIR, f), 'utf8');
    const file = new SourceFile(text);
    const actual = validate(text).map((p) => ({
      line: file.position(p.span.start).line + 1,
      text: text.slice(p.span.start, p.span.end),
      message: p.message,
      fixes: p.suggestions.map((s) => s.newText),
    }));
    const expectedPath = join(CASES_DIR, f.replace(/\.acrotopo\.yaml$/, '.expected.json'));
    if (process.env.ACROTOPO_UPDATE_GOLDEN === '1') writeFileSync(expectedPath, JSON.stringify(actual, null, 2) + '\n');
    assert.deepEqual(actual, JSON.parse(readFileSync(expectedPath, 'utf8')));
  });
}

// ---------------------------------------------------------------------------------------------
// Did you mean

test('did-you-mean: edit distance ≤ 2, prefixes, and nothing for far words', () => {
  assert.equal(didYouMean('adress', ['os', 'address', 'subnet']), 'address');
  assert.equal(didYouMean('Windows', ['windows', 'linux']), 'windows');
  assert.equal(didYouMean('agent-for-win', ['agent-for-linux', 'agent-for-windows']), 'agent-for-windows');
  assert.equal(didYouMean('to', ['os']), undefined, 'a two-letter word needs distance ≤ 1');
  assert.equal(didYouMean('banana', ['address', 'os']), undefined);
  assert.deepEqual(closeMatches('11.6', ['11.5', '11.7']), ['11.5', '11.7']);
  assert.deepEqual(closeMatches('', ['a']), []);
});

test('normalizePort understands the usual ways of writing a port', () => {
  assert.equal(normalizePort('TCP/9876'), 'tcp/9876');
  assert.equal(normalizePort('tcp 445'), 'tcp/445');
  assert.equal(normalizePort('9876/tcp'), 'tcp/9876');
  assert.equal(normalizePort('udp:67-69'), 'udp/67-69');
  assert.equal(normalizePort(25001), 'tcp/25001');
  assert.equal(normalizePort('ICMP'), 'icmp');
  assert.equal(normalizePort('tcp/99999'), undefined);
  assert.equal(normalizePort('http'), undefined);
});

// ---------------------------------------------------------------------------------------------
// Properties (fast-check)

const NUM_RUNS = Number(process.env.FC_RUNS ?? 150);
const COMPONENT_IDS = COMPONENTS.map((c) => c.id);
const name = fc.stringMatching(/^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,10}[A-Za-z0-9_])?$/).filter((s) => s !== 'internet' && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(s));
const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const ipv6 = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(':'));
const ip = fc.oneof(ipv4, ipv6);
const cidr = fc.oneof(fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })).map(([a, b]) => `${a}/${b}`), fc.tuple(ipv6, fc.integer({ min: 0, max: 128 })).map(([a, b]) => `${a}/${b}`));
const portNo = fc.integer({ min: 1, max: 65535 });
const flowPort = fc.oneof(
  fc.constant('icmp'),
  fc.tuple(fc.constantFrom('tcp', 'udp'), portNo).map(([p, n]) => `${p}/${n}`),
  fc.tuple(fc.constantFrom('tcp', 'udp'), portNo, portNo).map(([p, a, b]) => `${p}/${Math.min(a, b)}-${Math.max(a, b)}`),
);
const sourcePorts = fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`));
const enc = fc.record({ client: fc.constantFrom('enabled', 'disabled', 'required'), server: fc.constantFrom('enabled', 'disabled', 'required') }, { requiredKeys: [] });
const machine = fc.record({
  os: fc.constantFrom('windows', 'linux', 'virtual-appliance', 'other'),
  'windows-version': fc.constantFrom('pre-vista', 'vista-or-later'),
  address: ip,
  subnet: name,
  components: fc.uniqueArray(fc.constantFrom(...COMPONENT_IDS), { maxLength: 5 }),
  'network-discovery': fc.boolean(),
  'file-and-printer-sharing': fc.boolean(),
  'file-sharing-encryption': fc.boolean(),
  'cloud-backup': fc.boolean(),
  hosts: fc.dictionary(name, ip, { maxKeys: 3 }),
  port: portNo,
  encryption: enc,
}, { requiredKeys: [] });
const endpoint = fc.oneof(name, fc.constant('internet'));
const topology = fc.record({
  acrotopo: fc.constant(1),
  title: fc.string({ maxLength: 30 }),
  product: fc.constantFrom('11.5', '11.7'),
  network: fc.record({
    dns: fc.boolean(),
    subnets: fc.dictionary(name, cidr, { maxKeys: 4 }),
    firewalls: fc.array(fc.record({
      name: fc.string({ maxLength: 12 }),
      between: fc.uniqueArray(endpoint, { minLength: 2, maxLength: 3 }),
      allow: fc.array(fc.record({ from: endpoint, to: endpoint, port: flowPort, 'source-ports': sourcePorts }, { requiredKeys: ['from', 'to', 'port'] }), { maxLength: 3 }),
    }, { requiredKeys: ['between'] }), { maxLength: 2 }),
  }, { requiredKeys: [] }),
  machines: fc.dictionary(name, machine, { maxKeys: 5 }),
  management: fc.record({ server: name, 'register-by': fc.constantFrom('name', 'address'), port: portNo, encryption: enc }, { requiredKeys: [] }),
  installation: fc.record({ from: name, to: fc.uniqueArray(name, { maxLength: 4 }) }),
  connections: fc.array(fc.record({ from: name, to: name, port: flowPort }), { maxLength: 3 }),
  rules: fc.dictionary(fc.constantFrom(...SPEC_RULE_IDS), fc.constantFrom('error', 'warning', 'info', 'off'), { maxKeys: 4 }),
}, { requiredKeys: ['acrotopo'] });
const style = fc.record({ flow: fc.boolean(), indent: fc.constantFrom(2, 4), comments: fc.boolean() });

function render(value: unknown, s: { flow: boolean; indent: number; comments: boolean }): string {
  const doc = new Document(value);
  if (s.comments) doc.commentBefore = ' yaml-language-server: $schema=../schemas/acrotopo.schema.json';
  return doc.toString({ indent: s.indent, collectionStyle: s.flow ? 'flow' : 'block', lineWidth: 0 });
}

test('property: generated valid topologies have no schema problem', () => {
  fc.assert(fc.property(topology, style, (t, s) => {
    const text = render(t, s);
    const ps = validate(text);
    assert.deepEqual(ps, [], `${text}\n${describeProblems(text, ps)}`);
  }), { numRuns: NUM_RUNS });
});

/** Objects of a topology where an unknown key may be added (closed objects only). */
function closedObjects(t: Record<string, any>): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [t];
  if (t.network) {
    out.push(t.network);
    for (const fw of t.network.firewalls ?? []) { out.push(fw); out.push(...(fw.allow ?? [])); }
  }
  for (const m of Object.values((t.machines ?? {}) as Record<string, any>)) { out.push(m); if (m.encryption) out.push(m.encryption); }
  if (t.management) { out.push(t.management); if (t.management.encryption) out.push(t.management.encryption); }
  if (t.installation) out.push(t.installation);
  out.push(...(t.connections ?? []));
  return out;
}

test('property: one unknown key anywhere gives exactly one problem, on that key', () => {
  fc.assert(fc.property(topology, style, fc.nat(), (t, s, pick) => {
    const objects = closedObjects(t as Record<string, any>);
    objects[pick % objects.length]['zz-unknown'] = 'x';
    const text = render(t, s);
    const ps = validate(text);
    assert.equal(ps.length, 1, `${text}\n${describeProblems(text, ps)}`);
    assert.equal(text.slice(ps[0].span.start, ps[0].span.end), 'zz-unknown');
    assert.match(ps[0].message, /^unknown key 'zz-unknown'/);
  }), { numRuns: NUM_RUNS });
});

test('property: one bad os anywhere gives exactly one problem, on that value', () => {
  fc.assert(fc.property(topology.filter((t) => Object.keys(t.machines ?? {}).length > 0), style, fc.nat(), (t, s, pick) => {
    const machines = Object.values(t.machines!) as Record<string, unknown>[];
    machines[pick % machines.length].os = 'zz-os';
    const text = render(t, s);
    const ps = validate(text);
    assert.equal(ps.length, 1, `${text}\n${describeProblems(text, ps)}`);
    assert.equal(text.slice(ps[0].span.start, ps[0].span.end), 'zz-os');
  }), { numRuns: NUM_RUNS });
});

test('property: arbitrary YAML-ish text never throws and spans stay inside the text', () => {
  const piece = fc.constantFrom('acrotopo: 1\n', 'machines:\n', '  a:\n', '    os: x\n', '  - b\n', '&a ', '*a\n', '<<: *a\n', '{', '}', '[', ']', ': ', '"', '\t', '\n', 'network: { subnets: [', 'port: tcp/', '#c\n', '? ', '!!str ');
  fc.assert(fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
    const text = parts.join('');
    for (const p of validate(text)) {
      assert.ok(p.span.start >= 0 && p.span.start <= p.span.end && p.span.end <= text.length, JSON.stringify(p.span));
      for (const s of p.suggestions) assert.ok(s.span.start >= 0 && s.span.end <= text.length);
    }
  }), { numRuns: NUM_RUNS * 2 });
});

// ---------------------------------------------------------------------------------------------
// yaml-language-server (the Red Hat YAML extension's engine) accepts the schema

test('yaml-language-server resolves the schema without errors and reports the same kinds of problems', async () => {
  const { YAMLSchemaService } = await import('yaml-language-server/out/src/languageservice/services/yamlSchemaService.js' as string);
  const { yamlDocumentsCache } = await import('yaml-language-server/out/src/languageservice/parser/yaml-documents.js' as string);
  const { TextDocument } = await import('vscode-languageserver-textdocument');
  const svc = new YAMLSchemaService(async (uri: string) => { throw new Error(`unexpected schema request ${uri}`); }, { resolveRelativePath: (r: string, b: string) => new URL(r, b).toString() });
  svc.registerExternalSchema('file:///schemas/acrotopo.schema.json', ['*.acrotopo.yaml'], schema);
  let version = 0;
  const run = async (text: string) => {
    // the documents cache is keyed by uri and version
    const doc = TextDocument.create('file:///w/x.acrotopo.yaml', 'yaml', ++version, text);
    const yamlDoc = yamlDocumentsCache.getYamlDocument(doc, {}, true).documents[0];
    const resolved = await svc.getSchemaForResource(doc.uri, yamlDoc);
    assert.deepEqual(resolved.errors, []);
    assert.deepEqual(resolved.warnings, []);
    return (yamlDoc.validate(doc, resolved.schema) as { message: string; range: { start: { line: number } } }[]).map((d) => `${d.range.start.line}: ${d.message}`);
  };
  assert.deepEqual(await run(SPEC_EXAMPLE), []);
  const bad = await run('acrotopo: 1\nmachines:\n  web01:\n    adress: 10.0.0.1\n    os: solaris\nnetwork:\n  subnets:\n    internet: 10.0.0.0/8\n');
  assert.ok(bad.some((m) => /^3: .*adress/.test(m)), bad.join('\n'));
  assert.ok(bad.some((m) => /^4: .*windows/.test(m)), bad.join('\n'));
  assert.ok(bad.some((m) => /^7: .*internet.*reserved/.test(m)), bad.join('\n'));
});
