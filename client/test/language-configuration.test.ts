// The language configuration as VS Code reads it: JSON valid, every regex compiles, words keep ports, addresses and
// hyphenated names whole, Enter after `key:` indents, `#` comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const config = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'language-configuration.json'), 'utf8'));

/** The word at `col` of `line`, as VS Code computes it from wordPattern (the match that spans the column). */
function wordAt(line: string, col: number): string | undefined {
  const re = new RegExp(config.wordPattern, 'g');
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m.index <= col && col <= m.index + m[0].length) return m[0];
    if (m[0].length === 0) re.lastIndex++;
  }
  return undefined;
}

test('comments, brackets and pairs', () => {
  assert.equal(config.comments.lineComment, '#');
  assert.deepEqual(config.brackets, [['{', '}'], ['[', ']']]);
  const opens = config.autoClosingPairs.map((p: { open: string }) => p.open);
  for (const o of ['{', '[', '"', "'"]) assert.ok(opens.includes(o), o);
});

test('word pattern keeps ports, ranges, addresses and hyphenated names whole', () => {
  const line = '  - { from: agent-for-windows, to: 10.0.0.0/24, port: tcp/9876, source-ports: 32768-61000 }';
  assert.equal(wordAt(line, line.indexOf('9876')), 'tcp/9876');
  assert.equal(wordAt(line, line.indexOf('tcp')), 'tcp/9876');
  assert.equal(wordAt(line, line.indexOf('for-windows')), 'agent-for-windows');
  assert.equal(wordAt(line, line.indexOf('0/24')), '10.0.0.0/24');
  assert.equal(wordAt(line, line.indexOf('source')), 'source-ports');
  assert.equal(wordAt('    udp/67-69', 10), 'udp/67-69');
  assert.equal(wordAt('  web01.example.com: x', 6), 'web01.example.com');
  // punctuation is not part of a word
  assert.equal(wordAt('  ams01: {', 2), 'ams01');
  assert.equal(wordAt('[fs01]', 1), 'fs01');
});

test('Enter after a key with no value indents; after a value it does not', () => {
  const rules = config.onEnterRules.map((r: { beforeText: string }) => new RegExp(r.beforeText));
  const indents = (line: string) => rules.some((r: RegExp) => r.test(line));
  for (const l of ['machines:', '  ams01:', '  ams01:   # comment', '    - name:', '  note: |', '  note: >-']) assert.ok(indents(l), l);
  for (const l of ['  os: windows', '# machines:', '  url: http://x', '  - { a: b }', '']) assert.ok(!indents(l), l);
  const inc = new RegExp(config.indentationRules.increaseIndentPattern);
  assert.ok(inc.test('machines:') && !inc.test('  os: windows'));
});

test('folding follows indentation and #region markers', () => {
  assert.equal(config.folding.offSide, true);
  assert.ok(new RegExp(config.folding.markers.start).test('  # region hosts'));
  assert.ok(new RegExp(config.folding.markers.end).test('# endregion'));
});
