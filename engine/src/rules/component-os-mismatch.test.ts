import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, BASE, diags, yaml } from '../../test/helpers';

const RULE = 'component-os-mismatch';

const TEXT = yaml`
  acrotopo: 1
  machines:
    fs01:
      os: windows
      components:
        - agent-for-linux       # wrong agent
        - vcenter
    web01: { os: linux, components: [agent-for-windows, management-console, license-server] }
    va01: { os: virtual-appliance, components: [agent-for-vmware] }
    vm01: { os: linux, components: [agent-for-vmware, storage-node] }
    nas01: { os: other, components: [network-share, esxi, acronis-cloud] }
    x01: { components: [agent-for-linux] }
`;

test('fires at the component item, naming machine, os, component and allowed OSes', () => {
  const ds = diags(TEXT, RULE);
  assert.deepEqual(ds.map((d) => at(TEXT, d)), ['agent-for-linux', 'agent-for-windows', 'agent-for-vmware', 'storage-node']);
  const d = ds[0];
  assert.equal(d.range.start.line, 5);
  assert.equal(d.range.start.character, 8);
  assert.equal(d.severity, 'error');
  assert.equal(d.message, 'agent-for-linux cannot run on fs01, whose os is windows: Agent for Linux runs on linux');
  assert.deepEqual(d.related.map((r) => [TEXT.slice(r.span.start, r.span.end), r.message]), [['windows', 'os of fs01']]);
  assert.equal(ds[1].message, 'agent-for-windows cannot run on web01, whose os is linux: Agent for Windows runs on windows');
  assert.equal(ds[2].message, 'agent-for-vmware cannot run on vm01, whose os is linux: Agent for VMware runs on windows or virtual-appliance');
});

test('an inferred OS list says so', () => {
  const [d] = diags(TEXT, RULE).filter((x) => at(TEXT, x) === 'storage-node');
  assert.match(d.message, /^storage-node cannot run on vm01, whose os is linux: Storage node runs on windows \(inferred/);
  assert.doesNotMatch(diags(TEXT, RULE)[0].message, /inferred/);
});

test('does not fire: matching OS, external systems, no os, unknown components', () => {
  assert.deepEqual(diags(BASE, RULE), []);
  const ok = yaml`
    acrotopo: 1
    machines:
      a: { os: linux, components: [agent-for-linux, management-console, license-server, vcenter] }
      b: { os: other, components: [esxi, network-share, acronis-cloud] }
      c: { components: [agent-for-windows, agent-for-linux] }
      d: { os: windows, components: [agent-for-nothing, 42] }
  `;
  assert.deepEqual(diags(ok, RULE), []);
});

test('severity setting and suppression on the item line', () => {
  assert.equal(diags(TEXT, RULE, { rules: { [RULE]: 'warning' } })[0].severity, 'warning');
  const sup = TEXT.replace('      - agent-for-linux', '      # acrotopo-disable-next-line component-os-mismatch\n      - agent-for-linux');
  assert.equal(diags(sup, RULE).length, 3);
});
