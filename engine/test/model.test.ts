// Machines (model.ts): one shape for every machine, and movedMachine moving every span of it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generate } from '../../bench/generate.mjs';
import { buildTopology, MACHINE_KEYS, machineValues, movedMachine } from '../src/model';
import { MovedMachines } from '../src/reuse';
import type { Machine } from '../src/types';
import { AliasBudget, AstReader, parseYaml } from '../src/yaml-ast';
import { exampleTexts } from './helpers';

/** A generic deep copy with every span ({start, end} of numbers) moved by d. */
function deepMove(v: unknown, d: number): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => deepMove(x, d));
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 2 && typeof o.start === 'number' && typeof o.end === 'number') return { start: (o.start as number) + d, end: (o.end as number) + d };
  return Object.fromEntries(keys.map((k) => [k, deepMove(o[k], d)]));
}

const topologyOf = (text: string) => buildTopology(new AstReader(parseYaml(text).doc, new AliasBudget()));

function machines(): Machine[] {
  const out: Machine[] = [];
  for (const text of [...exampleTexts(), generate(60, { seed: 11 }).text]) out.push(...buildTopology(new AstReader(parseYaml(text).doc, new AliasBudget())).machines.values());
  return out;
}

test('every machine has MACHINE_KEYS, in that order (one shape), whatever keys its entry has', () => {
  const all = machines();
  assert.ok(all.length > 60);
  for (const m of all) assert.deepEqual(Object.keys(m), [...MACHINE_KEYS], m.name);
});

test('movedMachine moves every span of a machine as a generic deep copy does, keeps the keys and their order, and sets the index', () => {
  for (const m of machines()) {
    for (const d of [0, 9, -4]) {
      const moved = movedMachine(m, d, m.index + 3);
      const expected = { ...(deepMove(m, d) as Machine), index: m.index + 3 };
      assert.deepEqual(Object.keys(moved), Object.keys(expected), m.name);
      assert.deepEqual(moved, expected, `${m.name} moved by ${d}`);
    }
  }
});

test('machineValues: machines moved through edits are tested as read (values as the map\'s, none moved or copied); a plain map gives its own', () => {
  const t = topologyOf(generate(40, { seed: 21 }).text);
  const root = t.machines;
  const names = [...root.keys()];
  // a plain map: its values
  assert.deepEqual([...machineValues(root)], [...root.values()]);
  // two edits before every machine (a longer title, then one more character), one re-reading a machine
  const reread = { ...movedMachine(root.get(names[3])!, 0), os: { value: 'linux' as const, span: { start: 1, end: 2 } } };
  const once = new MovedMachines(root, { at: 0, oldEnd: 0, delta: 5 });
  const twice = new MovedMachines(once, { at: 1, oldEnd: 1, delta: 1 }, new Map([[names[3], reread]]));
  const tested = [...machineValues(twice)];
  assert.deepEqual(tested.map((m) => m.name), names);
  // each the object it was read as: the root's, or the one the edit read again
  tested.forEach((m, i) => assert.equal(m, i === 3 ? reread : root.get(names[i])));
  // while the map's own are moved by both edits (and its values are the same but for the spans)
  assert.equal(twice.get(names[0])!.keySpan.start, root.get(names[0])!.keySpan.start + 6);
  assert.equal(twice.get(names[3])!.os!.value, 'linux');
  // made whole: the map's own values
  const whole = [...twice.values()];
  assert.deepEqual([...machineValues(twice)], whole);
  // entries added or removed (a splice): the map's own values too
  const spliced = new MovedMachines(root, { at: 0, oldEnd: 0, delta: 0 }, undefined, { at: 2, removed: [names[2]], added: [] });
  assert.deepEqual([...machineValues(spliced)], [...spliced.values()]);
  assert.equal([...machineValues(spliced)].length, names.length - 1);
});
