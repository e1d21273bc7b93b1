import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, at, diags, yaml } from '../../test/helpers';

const TEXT = yaml`
  acrotopo: 1
  machines:
    con01: { os: windows, address: 10.0.0.5, components: [management-console] }
    fs01:
      os: windows
      address: 10.0.0.31
      components: [agent-for-windows]
      file-sharing-encryption: false
  installation:
    from: con01
    to:
      - fs01
`;

test('smb-unencrypted fires at the target item when file-sharing-encryption is false (no MS: RI-7)', () => {
  const ds = diags(TEXT, 'smb-unencrypted');
  assert.equal(ds.length, 1);
  assert.equal(at(TEXT, ds[0]), 'fs01');
  assert.equal(ds[0].range.start.line, 11);
  assert.equal(ds[0].severity, 'warning');
  assert.match(ds[0].message, /^port 445 is unencrypted: con01 → fs01 on tcp\/445 "Sending files \(see the list\)" \(RI-7\); fs01 has file-sharing-encryption: false/);
  assert.ok(ds[0].related.some((r) => at(TEXT, { ...ds[0], span: r.span }) === 'false'));
  assert.equal(diags(TEXT, 'smb-encryption-unknown').length, 0);
});

test('smb-unencrypted does not fire when true or absent', () => {
  assert.equal(diags(TEXT.replace('file-sharing-encryption: false', 'file-sharing-encryption: true'), 'smb-unencrypted').length, 0);
  assert.equal(diags(TEXT.replace('    file-sharing-encryption: false\n', ''), 'smb-unencrypted').length, 0);
});

test('fix sets it to true in place', () => {
  const fixed = applyFix(TEXT, diags(TEXT, 'smb-unencrypted')[0]);
  assert.equal(fixed, TEXT.replace('file-sharing-encryption: false', 'file-sharing-encryption: true'));
  assert.equal(diags(fixed, 'smb-unencrypted').length, 0);
});
