// Machines (model.ts): one shape for every machine, and movedMachine moving every span of it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generate } from '../../bench/generate.mjs';
import { buildTopology, MACHINE_KEYS, movedMachine } from '../src/model';
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
