// In-process timing of the engine's check() on files. Run through tsx (the engine is TypeScript):
//   node --import tsx bench/engine-check.mjs [--budget-ms 60000] FILE…
// Prints one JSON line per file: { file, bytes, coldMs, warmMedianMs, warmRuns, diagnostics, flows }.
// coldMs is the first call in a fresh process (what `acrotopo check` pays); warm runs repeat it
// while the per-file time budget lasts (at most 5).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { check } from '../engine/src/index.ts';

const args = process.argv.slice(2);
let budgetMs = 60_000;
const bi = args.indexOf('--budget-ms');
if (bi >= 0) {
  budgetMs = Number(args[bi + 1]);
  args.splice(bi, 2);
}

for (const file of args) {
  const text = readFileSync(file, 'utf8');
  const t0 = performance.now();
  const first = check(text);
  const coldMs = performance.now() - t0;
  const warm = [];
  const started = performance.now();
  while (warm.length < 5 && performance.now() - started + (warm.at(-1) ?? coldMs) < budgetMs) {
    const t = performance.now();
    check(text);
    warm.push(performance.now() - t);
  }
  warm.sort((a, b) => a - b);
  const warmMedianMs = warm.length ? warm[Math.floor((warm.length - 1) / 2)] : NaN;
  console.log(JSON.stringify({ file: basename(file), bytes: Buffer.byteLength(text), coldMs, warmMedianMs, warmRuns: warm.length, diagnostics: first.diagnostics.length, flows: first.flows.length }));
}
