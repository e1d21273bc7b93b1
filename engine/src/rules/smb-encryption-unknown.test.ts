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
    fs01:
      os: windows   # file server
      address: 10.0.0.31
      components: [agent-for-windows]
    db01: { os: windows, address: 10.0.0.32, components: [agent-for-sql] }
  management: { server: ams01 }
  installation: { from: ams01, to: [fs01, db01] }
`;

test('smb-encryption-unknown fires per tcp/445 flow to a machine without file-sharing-encryption', () => {
  const ds = diags(TEXT, 'smb-encryption-unknown');
  assert.deepEqual(ds.map((d) => at(TEXT, d)), ['fs01', 'db01']);
  assert.equal(ds[0].severity, 'info');
  assert.match(ds[0].message, /^SMB encryption of fs01 is not stated: ams01 → fs01 on tcp\/445 "Sending files \(see the list\)" \(RI-2\)/);
  assert.deepEqual(ds[0].range.start, { line: 12, character: 34 });
});

test('smb-encryption-unknown does not fire when stated (true or false) or for Linux targets', () => {
  const stated = TEXT.replace('components: [agent-for-windows]', 'components: [agent-for-windows]\n    file-sharing-encryption: false').replace('agent-for-sql] }', 'agent-for-sql], file-sharing-encryption: true }');
  assert.equal(diags(stated, 'smb-encryption-unknown').length, 0);
  const linux = TEXT.replace(/fs01:\n    os: windows/, 'fs01:\n    os: linux').replace('[agent-for-windows]', '[agent-for-linux]').replace('to: [fs01, db01]', 'to: [fs01]');
  assert.equal(diags(linux, 'smb-encryption-unknown').length, 0);
});

test('fix on a block machine adds file-sharing-encryption: true with the siblings\' indentation, comments kept', () => {
  const d = diags(TEXT, 'smb-encryption-unknown')[0];
  const fixed = applyFix(TEXT, d);
  assert.ok(fixed.includes('    os: windows   # file server\n    address: 10.0.0.31\n    components: [agent-for-windows]\n    file-sharing-encryption: true\n  db01:'), fixed);
  assert.deepEqual(diags(fixed, 'smb-encryption-unknown').map((x) => at(fixed, x)), ['db01']);
  assert.equal(diags(fixed, 'yaml-syntax').length + diags(fixed, 'schema').length, 0);
});

test('fix on a flow-map machine stays a flow map', () => {
  const d = diags(TEXT, 'smb-encryption-unknown')[1];
  const fixed = applyFix(TEXT, d);
  assert.ok(fixed.includes('db01: { os: windows, address: 10.0.0.32, components: [agent-for-sql], file-sharing-encryption: true }'), fixed);
  assert.equal(diags(fixed, 'smb-encryption-unknown').length, 1);
});

test('CRLF documents get CRLF in the inserted line', () => {
  const crlf = TEXT.replace(/\n/g, '\r\n');
  const d = diags(crlf, 'smb-encryption-unknown')[0];
  const fixed = applyFix(crlf, d);
  assert.ok(fixed.includes('[agent-for-windows]\r\n    file-sharing-encryption: true\r\n'));
  assert.equal(fixed.replace(/\r\n/g, '').includes('\n'), false);
});
