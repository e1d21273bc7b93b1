import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, at, diags, yaml } from '../../test/helpers';

const TEXT = yaml`
  acrotopo: 1
  machines:
    ams01: { os: windows, address: 10.0.0.10, components: [management-server] }
    web01:
      os: linux
      address: 10.0.0.21
      components: [agent-for-linux]
      encryption:
        client: disabled   # legacy proxy
  management:
    server: ams01
    encryption: { client: enabled, server: enabled }
`;

test('encryption-disabled fires on the agent-port flow whose client side is disabled (machine override)', () => {
  const ds = diags(TEXT, 'encryption-disabled');
  assert.equal(ds.length, 1, ds.map((d) => d.message).join('\n'));
  const d = ds[0];
  assert.equal(at(TEXT, d), 'web01');
  assert.equal(d.range.start.line, 3);
  assert.match(d.message, /^port 9876 is unencrypted: web01 → ams01 on tcp\/9876 "Registering, managing agents" \(CC-1\); client encryption of web01 is disabled \(web01's encryption.client\) × server encryption of ams01 is enabled \(management.encryption.server\)/);
  assert.equal(d.severity, 'warning');
  assert.equal(diags(TEXT, 'encryption-mismatch').length, 0);
});

test('encryption-disabled: global server disabled hits every flow into any machine; nothing with defaults', () => {
  const global = TEXT.replace('encryption: { client: enabled, server: enabled }', 'encryption: { client: enabled, server: disabled }').replace('client: disabled   # legacy proxy', 'client: enabled');
  const ds = diags(global, 'encryption-disabled');
  assert.deepEqual(ds.map((d) => d.message.slice(0, 61)).sort(), [
    'port 9876 is unencrypted: ams01 → web01 on tcp/9876 "Register',
    'port 9876 is unencrypted: web01 → ams01 on tcp/9876 "Register',
  ]);
  const clean = TEXT.replace('client: disabled   # legacy proxy', 'client: enabled');
  assert.equal(diags(clean, 'encryption-disabled').length, 0);
});

test('fix sets the disabling side to enabled where it is written, comment kept', () => {
  const fixed = applyFix(TEXT, diags(TEXT, 'encryption-disabled')[0]);
  assert.ok(fixed.includes('client: enabled   # legacy proxy'), fixed);
  assert.equal(diags(fixed, 'encryption-disabled').length, 0);
});
