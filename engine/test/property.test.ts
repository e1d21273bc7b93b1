// Property-based tests (fast-check): the engine never throws, whatever the text; fixes keep the file
// valid YAML and remove the problem they are for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { check } from '../src/check';
import { applyEdits } from '../src/source';

const NUM_RUNS = Number(process.env.FC_RUNS ?? 200);
const specExample = (() => {
  const spec = readFileSync(join(__dirname, '../../docs/spec/acrotopo-v1.md'), 'utf8');
  return /```yaml\n([\s\S]*?)```/.exec(spec)![1];
})();

function noInternalError(text: string): void {
  const r = check(text);
  const ie = r.diagnostics.filter((d) => d.rule === 'internal-error');
  assert.equal(ie.length, 0, `${ie.map((d) => d.message).join('\n')}\n--- input ---\n${text}`);
  for (const d of r.diagnostics) {
    assert.ok(d.span.start >= 0 && d.span.end <= text.length && d.span.start <= d.span.end, `bad span ${JSON.stringify(d.span)} for ${d.rule}`);
  }
}

test('arbitrary text never throws', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), noInternalError), { numRuns: NUM_RUNS });
});

test('arbitrary YAML values (as YAML text) never throw', () => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 5 }), (v) => noInternalError(stringify(v))), { numRuns: NUM_RUNS });
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => noInternalError(stringify({ acrotopo: 1, machines: v, network: v }))), { numRuns: NUM_RUNS });
});

test('mutations of the spec example never throw', () => {
  const mutation = fc.record({ at: fc.nat(specExample.length), del: fc.nat(20), ins: fc.string({ maxLength: 12 }) });
  fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (ms) => {
    let t = specExample;
    for (const m of ms) {
      const at = m.at % (t.length + 1);
      t = t.slice(0, at) + m.ins + t.slice(at + m.del);
    }
    noInternalError(t);
  }), { numRuns: NUM_RUNS });
});

// A generator of plausible deployments: real component names, OSes, subnets, firewalls, settings.
const OS = ['windows', 'linux', 'virtual-appliance', 'other'] as const;
const COMPONENTS = ['management-console', 'agent-for-windows', 'agent-for-linux', 'agent-for-vmware', 'agent-for-sql', 'storage-node', 'license-server', 'vcenter', 'esxi'];
const ENC = ['enabled', 'disabled', 'required'] as const;

const machineArb = fc.record({
  os: fc.constantFrom(...OS),
  pre: fc.boolean(),
  subnet: fc.nat(2),
  host: fc.integer({ min: 2, max: 250 }),
  components: fc.subarray(COMPONENTS, { maxLength: 3 }),
  fse: fc.option(fc.boolean()),
  client: fc.option(fc.constantFrom(...ENC)),
  server: fc.option(fc.constantFrom(...ENC)),
  hosts: fc.boolean(),
  cloud: fc.boolean(),
  style: fc.constantFrom('block', 'flow'),
});

const topologyArb = fc.record({
  dns: fc.boolean(),
  machines: fc.array(machineArb, { minLength: 1, maxLength: 6 }),
  firewall: fc.option(fc.record({ allowServer: fc.boolean(), narrow: fc.boolean() })),
  install: fc.boolean(),
  product: fc.constantFrom('11.5', '11.7'),
  mgmtClient: fc.option(fc.constantFrom(...ENC)),
});

type Topo = typeof topologyArb extends fc.Arbitrary<infer T> ? T : never;

function render(t: Topo): string {
  const L: string[] = ['acrotopo: 1', `product: "${t.product}"`, 'network:', `  dns: ${t.dns}`, '  subnets:', '    s0: 10.0.0.0/24', '    s1: 10.0.1.0/24', '    s2: 10.0.2.0/24'];
  if (t.firewall) {
    L.push('  firewalls:', '    - name: fw', '      between: [s0, s1]', '      allow:');
    L.push(`        - { from: s0, to: s1, port: tcp/9876${t.firewall.narrow ? ', source-ports: 49152-65535' : ''} }`);
    if (t.firewall.allowServer) L.push('        - { from: s1, to: s0, port: tcp/9876, source-ports: 49152-65535 }');
  }
  L.push('machines:', '  ms:', '    os: windows', '    address: 10.0.0.1', '    components: [management-server, management-console]');
  t.machines.forEach((m, i) => {
    const props: [string, string][] = [['os', m.os]];
    if (m.os === 'windows' && m.pre) props.push(['windows-version', 'pre-vista']);
    props.push(['address', `10.0.${m.subnet}.${m.host}`]);
    props.push(['components', `[${m.components.join(', ')}]`]);
    if (m.fse !== null) props.push(['file-sharing-encryption', String(m.fse)]);
    if (m.hosts) props.push(['hosts', '{ ms: 10.0.0.1 }']);
    if (m.cloud) props.push(['cloud-backup', 'true']);
    if (m.client || m.server) props.push(['encryption', `{ ${[m.client && `client: ${m.client}`, m.server && `server: ${m.server}`].filter(Boolean).join(', ')} }`]);
    if (m.style === 'flow') L.push(`  m${i}: { ${props.map(([k, v]) => `${k}: ${v}`).join(', ')} }`);
    else { L.push(`  m${i}:   # machine ${i}`); for (const [k, v] of props) L.push(`    ${k}: ${v}`); }
  });
  L.push('management:', '  server: ms');
  if (t.mgmtClient) L.push(`  encryption: { client: ${t.mgmtClient} }`);
  if (t.install) L.push('installation:', '  from: ms', '  to:', ...t.machines.map((_, i) => `    - m${i}`));
  return L.join('\n') + '\n';
}

test('generated deployments: no internal errors; every preferred fix keeps valid YAML and removes its problem', () => {
  fc.assert(fc.property(topologyArb, (topo) => {
    const text = render(topo);
    const r = check(text);
    assert.equal(r.diagnostics.filter((d) => d.rule === 'internal-error' || d.rule === 'yaml-syntax').length, 0, text);
    for (const d of r.diagnostics) {
      const fix = d.fixes.find((f) => f.isPreferred);
      if (!fix) continue;
      const fixed = applyEdits(text, fix.edits);
      const after = check(fixed).diagnostics;
      assert.equal(after.filter((x) => x.rule === 'yaml-syntax').length, 0, `fix "${fix.title}" broke the YAML:\n${fixed}`);
      const before = r.diagnostics.filter((x) => x.rule === d.rule && x.message === d.message).length;
      const still = after.filter((x) => x.rule === d.rule && x.message === d.message).length;
      assert.ok(still < before, `fix "${fix.title}" did not remove "${d.message}"\n--- before ---\n${text}\n--- after ---\n${fixed}`);
    }
  }), { numRuns: Math.max(50, Math.floor(NUM_RUNS / 2)) });
});
