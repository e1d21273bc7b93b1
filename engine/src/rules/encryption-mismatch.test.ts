import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, at, diags, yaml } from '../../test/helpers';

const TEXT = yaml`
  acrotopo: 1
  machines:
    ams01:
      os: windows
      address: 10.0.0.10
      components: [management-server, management-console]
      encryption: { server: required }
    fs01: { os: windows, address: 10.0.0.31, components: [agent-for-windows], encryption: { client: disabled } }
  management:
    server: ams01
`;

test('encryption-mismatch: client disabled × server required → no connection, error at the initiator key', () => {
  const ds = diags(TEXT, 'encryption-mismatch');
  assert.equal(ds.length, 1);
  assert.equal(at(TEXT, ds[0]), 'fs01');
  assert.equal(ds[0].severity, 'error');
  assert.match(ds[0].message, /^no connection is possible: fs01 → ams01 on tcp\/9876 "Registering, managing agents" \(CC-1\); client encryption of fs01 is disabled .* × server encryption of ams01 is required/);
  // initiator's key (= the diagnostic's own span: not repeated), destination, and the two settings
  assert.equal(ds[0].related.length, 3);
  assert.ok(ds[0].related.every((r) => r.span.start !== ds[0].span.start || r.span.end !== ds[0].span.end), 'no related location repeats the diagnostic');
});

test('encryption-mismatch: required × disabled the other way; none for required × enabled', () => {
  const other = TEXT.replace('encryption: { server: required }', 'encryption: { client: required }').replace('encryption: { client: disabled }', 'encryption: { server: disabled }');
  const ds = diags(other, 'encryption-mismatch');
  assert.equal(ds.length, 1);
  assert.match(ds[0].message, /ams01 → fs01 .* client encryption of ams01 is required .* server encryption of fs01 is disabled/);
  const ok = TEXT.replace('encryption: { client: disabled }', 'encryption: { client: enabled }');
  assert.equal(diags(ok, 'encryption-mismatch').length, 0);
});

test('fix sets the disabled side to enabled', () => {
  const fixed = applyFix(TEXT, diags(TEXT, 'encryption-mismatch')[0]);
  assert.ok(fixed.includes('encryption: { client: enabled } }'), fixed);
  assert.equal(diags(fixed, 'encryption-mismatch').length, 0);
});
