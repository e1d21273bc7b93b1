// The line-based cursor context (no server): paths on valid, broken and flow-style YAML.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contextAt } from '../src/yaml/context';
import { fixture } from './lsp-client';

function ctx(src: string, marker = '|') {
  const f = fixture(src, marker);
  return contextAt(f.text, f.offset);
}

describe('cursor context', () => {
  it('a value after key: on an otherwise empty line', () => {
    const c = ctx('machines:\n  ams01:\n    os: |\n');
    assert.equal(c.kind, 'value');
    assert.deepEqual(c.path, ['machines', 'ams01', 'os']);
    assert.equal(c.prefix, '');
  });

  it('a key being typed, with its siblings above and below', () => {
    const c = ctx('machines:\n  ams01:\n    os: windows\n    add|\n    components: []\n');
    assert.equal(c.kind, 'key');
    assert.deepEqual(c.path, ['machines', 'ams01']);
    assert.deepEqual(c.siblings.sort(), ['components', 'os']);
    assert.equal(c.token.text, 'add');
  });

  it('block sequences of mappings, including compact ones', () => {
    const c = ctx('network:\n  firewalls:\n    - name: a\n    - name: b\n      allow:\n      - from: x\n        to: y\n      - from: z\n        to: |\n');
    assert.deepEqual(c.path, ['network', 'firewalls', 1, 'allow', 1, 'to']);
    const item = ctx('installation:\n  to:\n    - a\n    - |\n');
    assert.equal(item.kind, 'item');
    assert.deepEqual(item.path, ['installation', 'to', 1]);
  });

  it('flow mappings and sequences on one line', () => {
    const v = ctx('connections:\n  - { from: a, to: b, port: tcp/9| }\n');
    assert.equal(v.kind, 'value');
    assert.deepEqual(v.path, ['connections', 0, 'port']);
    assert.equal(v.token.text, 'tcp/9');
    const k = ctx('connections:\n  - { from: a, | }\n');
    assert.equal(k.kind, 'key');
    assert.deepEqual(k.path, ['connections', 0]);
    assert.deepEqual(k.siblings, ['from']);
    const s = ctx('machines:\n  a:\n    components: [agent-for-windows, lic|]\n');
    assert.deepEqual(s.path, ['machines', 'a', 'components', 1]);
    assert.equal(s.token.text, 'lic');
  });

  it('survives an unclosed flow collection on an earlier line', () => {
    const c = ctx('machines:\n  a:\n    components: [x, y\n  b:\n    os: |\n');
    assert.deepEqual(c.path, ['machines', 'b', 'os']);
  });

  it('skips block scalars and comments', () => {
    const c = ctx('title: >\n  os: not a key\n  machines:\n# machines:\nmachines:\n  a:\n    o|\n');
    assert.equal(c.kind, 'key');
    assert.deepEqual(c.path, ['machines', 'a']);
  });

  it('inside a block scalar there is no structure', () => {
    assert.equal(ctx('title: >\n  Contoso back|up\nmachines: {}\n').kind, 'comment');
    const literal = ctx('title: |\n  line one\n  line tw^o\nmachines: {}\n', '^');
    assert.equal(literal.kind, 'comment');
    const after = ctx('title: |\n  line one\nmachines:\n  a:\n    o^\n', '^');
    assert.equal(after.kind, 'key');
    assert.deepEqual(after.path, ['machines', 'a']);
  });

  it('quoted tokens exclude their quotes', () => {
    const c = ctx('management:\n  server: "am|s01"\n');
    assert.equal(c.quoted, true);
    assert.equal(c.token.text, 'ams01');
    assert.equal(c.prefix, 'am');
  });

  it('suppression comments and plain comments', () => {
    const d = ctx('# acrotopo-disable-next-line unencrypted-port, sm|\nmachines: {}\n');
    assert.equal(d.kind, 'disable-comment');
    assert.equal(d.token.text, 'sm');
    assert.equal(ctx('machines: # a comm|ent\n').kind, 'comment');
  });

  it('CRLF line breaks', () => {
    const c = ctx('machines:\r\n  ams01:\r\n    os: w|\r\n');
    assert.deepEqual(c.path, ['machines', 'ams01', 'os']);
    assert.equal(c.token.text, 'w');
  });
});
