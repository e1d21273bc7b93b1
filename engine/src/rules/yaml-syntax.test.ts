import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, diags } from '../../test/helpers';

test('yaml-syntax fires at the place the parser stopped, with a plain message', () => {
  const text = 'acrotopo: 1\nmachines:\n  ams01: { os: windows\n';
  const ds = diags(text, 'yaml-syntax');
  assert.ok(ds.length >= 1);
  assert.equal(ds[0].severity, 'error');
  assert.match(ds[0].message, /^YAML: /);
  assert.ok(!/line \d+, column/.test(ds[0].message), 'no duplicated position in the message');
  assert.ok(ds[0].range.start.line >= 2);
});

test('yaml-syntax does not fire on valid YAML (flow and block styles, comments, anchors)', () => {
  const text = 'acrotopo: 1 # v1\nmachines:\n  a: &x { os: windows }\n  b: *x\n  c:\n    os: linux\n';
  assert.equal(diags(text, 'yaml-syntax').length, 0);
});

test('duplicate key: on the second key, naming it', () => {
  const text = 'acrotopo: 1\ntitle: a\ntitle: b\n';
  const ds = diags(text, 'yaml-syntax');
  assert.equal(ds.length, 1);
  assert.equal(at(text, ds[0]), 'title');
  assert.deepEqual(ds[0].range.start, { line: 2, character: 0 });
  assert.match(ds[0].message, /duplicate key 'title'/);
});

test('unterminated quote at the end of the file stays inside the text', () => {
  const text = 'acrotopo: 1\ntitle: "abc';
  const ds = diags(text, 'yaml-syntax');
  assert.ok(ds.length >= 1);
  for (const d of ds) assert.ok(d.span.end <= text.length && d.span.start < d.span.end);
});

test('capped at 100 diagnostics', () => {
  const text = 'acrotopo: 1\n' + Array.from({ length: 300 }, (_, i) => `k${i}: [\n`).join('');
  assert.ok(diags(text, 'yaml-syntax').length <= 100);
});

test('can be silenced per line like any rule', () => {
  const text = 'acrotopo: 1\n# acrotopo-disable-next-line yaml-syntax\ntitle: a\ntitle: b\n';
  // the duplicate is on line 3, the comment silences line 2 only
  assert.equal(diags(text, 'yaml-syntax').length, 1);
  const text2 = 'acrotopo: 1\ntitle: a\n# acrotopo-disable-next-line yaml-syntax\ntitle: b\n';
  assert.equal(diags(text2, 'yaml-syntax').length, 0);
});
