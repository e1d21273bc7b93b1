#!/usr/bin/env node
// The machine's speed, measured the same way in every bench run: `yaml`'s parseDocument of FILE, once,
// in this fresh process (cold, as a language server or a CLI meets a file), with the duplicate-key check
// off (it compares every key of a mapping with the ones before it: at 10,000 machine names that
// quadratic check alone took 2–5 s here and says more about the file's shape than about the machine).
// Prints {"parseMs": N}. bench/run.mjs runs it at the start and at the end of a bench, so that figures
// of runs made at different times — this machine's speed has varied by up to half within an hour — can
// be compared through it.
//
//   node bench/yardstick.mjs FILE
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bench/yardstick.mjs FILE\n');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
const t0 = performance.now();
const doc = parseDocument(text, { uniqueKeys: false });
const parseMs = performance.now() - t0;
if (doc.errors.length > 0) {
  process.stderr.write(`yardstick: ${file} does not parse: ${doc.errors[0].message}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify({ parseMs })}\n`);
