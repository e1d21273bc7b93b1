// Tests of the test runner's output parsing and of the benchmark's generator and edit plan.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check } from '@acrotopo/engine';
import { applyEdit, planEdits, planTyping, TYPED_ENTRY } from '../bench/edits.mjs';
import { generate } from '../bench/generate.mjs';
import { parseNodeCounts, parsePlainCounts } from './run-all-lib.mjs';

test('parseNodeCounts reads the spec reporter summary (the last one wins) and TAP', () => {
  const spec = '✔ a (1ms)\nℹ tests 3\nℹ pass 1\nℹ fail 0\n\u001b[34mℹ tests 9\u001b[39m\n\u001b[34mℹ pass 7\u001b[39m\nℹ fail 1\nℹ cancelled 1\nℹ skipped 2\nℹ todo 1\n';
  assert.deepEqual(parseNodeCounts(spec), { passed: 7, failed: 2, skipped: 3 });
  assert.deepEqual(parseNodeCounts('ok 1 - x\n# tests 2\n# pass 2\n# fail 0\n'), { passed: 2, failed: 0, skipped: 0 });
  assert.equal(parseNodeCounts('✔ a test named pass 3\n'), undefined);
});

test('parsePlainCounts reads the last `N passed, N failed[, N skipped]` line, with an optional label', () => {
  assert.deepEqual(parsePlainCounts('3 passed, 1 failed\nlog\n5 passed, 0 failed\n'), { passed: 5, failed: 0, skipped: 0 });
  assert.deepEqual(parsePlainCounts('e2e: 12 passed, 2 failed, 1 skipped\n'), { passed: 12, failed: 2, skipped: 1 });
  assert.equal(parsePlainCounts('we passed, 2 failed tries\n'), undefined);
});

test('the generator is deterministic and sized as asked', () => {
  const a = generate(1000);
  assert.equal(a.text, generate(1000).text);
  assert.notEqual(a.text, generate(1000, { seed: 7 }).text);
  assert.equal(a.stats.machines, 1000);
  assert.ok(a.stats.subnets >= 4 && a.stats.installation >= 90 && a.stats.installation <= 110, JSON.stringify(a.stats));
  assert.throws(() => generate(5), RangeError);
});

test('a generated deployment is valid: no syntax, schema or reference errors, and realistic findings', () => {
  const { text } = generate(1000);
  const r = check(text);
  const byRule = new Map<string, number>();
  for (const d of r.diagnostics) byRule.set(d.rule, (byRule.get(d.rule) ?? 0) + 1);
  for (const rule of ['yaml-syntax', 'schema', 'unknown-reference', 'internal-error', 'address-outside-subnet', 'component-os-mismatch', 'invalid-target', 'invalid-installer']) {
    assert.equal(byRule.get(rule) ?? 0, 0, `${rule}: ${r.diagnostics.filter((d) => d.rule === rule).slice(0, 3).map((d) => d.message).join(' | ')}`);
  }
  assert.equal(r.topology.machines.size, 1000);
  for (const rule of ['missing-hosts-entry', 'hosts-entry-mismatch', 'unencrypted-port', 'reversed-connection', 'undocumented-connection']) {
    assert.ok((byRule.get(rule) ?? 0) > 0, `expected some ${rule}`);
  }
});

test('the edit plan stays on one line per edit, reverts each change, and changes the diagnostics', () => {
  const { text } = generate(300);
  const edits = planEdits(text, 50);
  assert.equal(edits.length, 50);
  const lines = text.split('\n');
  const before = check(text).diagnostics.length;
  let changed = 0;
  for (const [i, e] of edits.entries()) {
    assert.ok(e.line >= 0 && e.line < lines.length && e.character <= e.endCharacter && e.endCharacter <= lines[e.line].length, e.label);
    applyEdit(lines, e);
    assert.equal(!!e.back, i % 2 === 1, `${e.label}: marked as the revert of the edit before it`);
    if (i % 2 === 1) assert.equal(lines.join('\n'), text, `after ${e.label} the text is the original again`);
    else if (i < 14 && check(lines.join('\n')).diagnostics.length !== before) changed++;
  }
  assert.ok(changed >= 4, `only ${changed} of the first 7 changes altered the diagnostics`);
  const where = new Set(edits.map((e) => e.label.split(':')[0]));
  assert.deepEqual([...where].sort(), ['end', 'middle', 'top']);
});

test('the typing plan clears one allow entry and types a new one over it, a character at a time', () => {
  const text = generate(300).text;
  const edits = planTyping(text, 1 + TYPED_ENTRY.length);
  assert.equal(edits.length, 1 + TYPED_ENTRY.length);
  const lines = text.split('\n');
  const line = edits[0].line;
  assert.match(lines[line], /^ {8}- \{ from: ams01, to: site-\d+, port: tcp\/22 \}$/);
  let broken = 0;
  for (const e of edits) {
    assert.equal(e.line, line);
    applyEdit(lines, e);
    if (check(lines.join('\n')).diagnostics.some((d) => d.rule === 'yaml-syntax')) broken++;
  }
  assert.equal(lines[line], `        - ${TYPED_ENTRY}`);
  assert.equal(lines.length, text.split('\n').length);
  // from the `{` to the last character before `}` the text has a syntax problem
  assert.equal(broken, TYPED_ENTRY.length - 1);
});

test('the machine typing plan clears a subnet\'s comment line and types a new machine entry on it, a character at a time', async () => {
  const { planTypingMachine, typedMachine, TYPED_MACHINE_EDITS } = await import('../bench/edits.mjs');
  const text = generate(300).text;
  const edits = planTypingMachine(text, TYPED_MACHINE_EDITS);
  const lines = text.split('\n');
  const line = edits[0].line;
  const m = /^ {2}# --- [\w-]+ \((\d+\.\d+\.\d+)\.0\/24\)/.exec(lines[line]);
  assert.ok(m, lines[line]);
  assert.equal(edits.length, 1 + typedMachine(`${m![1]}.250`).length);
  assert.ok(edits.length <= TYPED_MACHINE_EDITS);
  assert.ok(line > lines.indexOf('machines:') && line < lines.indexOf('installation:'), 'inside machines:');
  const names = (t: string) => check(t).topology.machines.size;
  const before = names(text);
  let broken = 0;
  let added = -1;
  for (const [i, e] of edits.entries()) {
    assert.equal(e.line, line);
    applyEdit(lines, e);
    const r = check(lines.join('\n'));
    if (r.diagnostics.some((d) => d.rule === 'yaml-syntax')) broken++;
    if (added < 0 && r.topology.machines.size > before) added = i;
  }
  assert.equal(lines[line], typedMachine(`${m![1]}.250`));
  assert.equal(lines.length, text.split('\n').length);
  assert.ok(check(lines.join('\n')).topology.machines.has('ws-typed'));
  assert.ok(added > 0 && added <= 4, `the first letter adds an entry (at keystroke ${added})`);
  assert.ok(broken >= 20, `${broken} keystrokes with a syntax problem`);
});

test('bench/yardstick.mjs times yaml parsing a file, and says what is wrong otherwise', async () => {
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { fileURLToPath } = await import('node:url');
  const dir = mkdtempSync(join(tmpdir(), 'acrotopo-yardstick-'));
  try {
    const run = (...args: string[]) => spawnSync(process.execPath, [fileURLToPath(new URL('../bench/yardstick.mjs', import.meta.url)), ...args], { encoding: 'utf8' });
    const good = join(dir, 'g.acrotopo.yaml');
    writeFileSync(good, generate(100).text);
    const ok = run(good);
    assert.equal(ok.status, 0, ok.stderr);
    const { parseMs } = JSON.parse(ok.stdout) as { parseMs: number };
    assert.ok(Number.isFinite(parseMs) && parseMs > 0, ok.stdout);
    const bad = join(dir, 'b.acrotopo.yaml');
    writeFileSync(bad, 'machines:\n  a: [\n');
    const broken = run(bad);
    assert.equal(broken.status, 1);
    assert.match(broken.stderr, /does not parse/);
    assert.equal(run().status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
