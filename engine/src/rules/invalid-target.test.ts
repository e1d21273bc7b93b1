import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, BASE, diags, yaml } from '../../test/helpers';

const RULE = 'invalid-target';

const TEXT = BASE.replace('management:', yaml`
  |  web01: { os: linux, address: 10.0.0.21, components: [agent-for-linux] }
  |  va01: { os: virtual-appliance, address: 10.0.0.40, components: [agent-for-vmware] }
  |  nas01: { os: other, address: 10.0.0.50, components: [network-share] }
  |  db01: { address: 10.0.0.60, components: [agent-for-sql] }
  |  ls01: { os: windows, address: 10.0.0.70, components: [license-server] }
  |management:`.replace(/^\|/gm, '')) + yaml`
  installation:
    from: ams01
    to:
      - fs01
      - web01
      - va01
      - nas01
      - db01
      - ls01
      - nosuch
`;

test('valid targets (windows / linux with an agent) do not fire', () => {
  const ds = diags(TEXT, RULE);
  assert.ok(!ds.some((d) => ['fs01', 'web01', 'nosuch'].includes(at(TEXT, d))));
  assert.deepEqual(diags(BASE + 'installation: { from: ams01, to: [fs01] }\n', RULE), []);
  assert.deepEqual(diags(BASE, RULE), []);
});

test('fires on each bad target item, at the item, with the reason', () => {
  const ds = diags(TEXT, RULE);
  assert.deepEqual(ds.map((d) => at(TEXT, d)), ['va01', 'nas01', 'db01', 'ls01']);
  const [va, nas, db, ls] = ds;
  assert.equal(va.range.start.line, 29);
  assert.equal(va.range.start.character, 6);
  assert.equal(va.severity, 'error');
  assert.match(va.message, /^installation target va01 runs os virtual-appliance: remote installation is documented only for windows \(tcp\/445, tcp\/25001\) and linux \(tcp\/22\) targets$/);
  assert.match(nas.message, /^installation target nas01 has no agent component \(agent-for-windows, agent-for-linux, agent-for-vmware and \d+ more\): remote installation installs an agent; it also runs os other/);
  assert.match(db.message, /^installation target db01 has no os: the OS decides the installation ports \(windows: tcp\/445, tcp\/25001; linux: tcp\/22\)$/);
  assert.match(ls.message, /^installation target ls01 has no agent component/);
  assert.deepEqual(va.related.map((r) => [TEXT.slice(r.span.start, r.span.end), r.message]), [['va01', 'va01 is declared here'], ['virtual-appliance', 'os of va01']]);
  assert.ok(ds.every((d) => d.fixes.length === 0));
});

test('a single-string installation.to is checked too', () => {
  const text = BASE.replace('components: [agent-for-windows]', 'components: [license-server]') + 'installation: { from: ams01, to: fs01 }\n';
  const [d] = diags(text, RULE);
  assert.equal(at(text, d), 'fs01');
  assert.equal(d.range.start.line, 19);
});

test('severity and suppression', () => {
  assert.equal(diags(TEXT, RULE, { rules: { [RULE]: 'info' } })[0].severity, 'info');
  const sup = TEXT.replace('    - va01', '    # acrotopo-disable-next-line invalid-target\n    - va01');
  assert.deepEqual(diags(sup, RULE).map((d) => at(sup, d)), ['nas01', 'db01', 'ls01']);
});
