// `npm run fuzz` — feeds the engine generated and mutated inputs in a worker thread and watches
// every input: an uncaught exception, an `internal-error` diagnostic, or one input taking more than
// FUZZ_HANG_MS (default 2000) is a finding. Findings are written to fuzz/findings/ (input + reason)
// so they can become regression tests (engine/test/fuzz-regressions.test.ts replays them).
//
//   FUZZ_N=100000 npm run fuzz      # the full run (local)
//   FUZZ_N=3000 npm run fuzz        # the CI slice (run by the test suite)
import { Worker } from 'node:worker_threads';
import { mkdirSync, writeFileSync, readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.FUZZ_N ?? 20000);
const HANG = Number(process.env.FUZZ_HANG_MS ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 1);
const findingsDir = join(root, 'fuzz', 'findings');

const seeds = readdirSync(join(root, 'examples'), { recursive: true }).filter((f) => f.endsWith('.acrotopo.yaml')).sort().map((f) => readFileSync(join(root, 'examples', f), 'utf8'));

// The worker runs the engine bundled by esbuild (workers do not inherit the tsx loader).
const engineBundle = join(root, 'fuzz', 'dist', 'engine.cjs');
await build({ entryPoints: [join(root, 'engine/src/index.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: engineBundle, logLevel: 'warning' });

function startWorker(from) {
  return new Worker(join(root, 'fuzz', 'worker.mjs'), { workerData: { from, to: N, seed: SEED, seeds, engineBundle } });
}

const findings = [];
let done = 0;
let maxMs = 0;
let next = 0;
const t0 = Date.now();
while (next < N) {
  const w = startWorker(next);
  let current = { index: next, input: undefined, started: Date.now() }; // input set once the worker starts it
  const result = await new Promise((resolve) => {
    const timer = setInterval(() => {
      if (current.input !== undefined && Date.now() - current.started > HANG) {
        clearInterval(timer);
        w.terminate();
        resolve({ hang: current });
      }
    }, 100);
    w.on('message', (m) => {
      if (m.type === 'start') current = { index: m.index, input: m.input, started: Date.now() };
      else if (m.type === 'done') { current = { ...current, input: undefined }; done++; maxMs = Math.max(maxMs, m.ms); if (m.finding) findings.push(m.finding); }
      else if (m.type === 'end') { clearInterval(timer); resolve({ end: true }); }
    });
    w.on('error', (e) => { clearInterval(timer); resolve({ crash: { ...current, error: String(e?.stack ?? e) } }); });
  });
  if (result.end) break;
  const f = result.hang ? { index: result.hang.index, reason: `took more than ${HANG} ms`, input: result.hang.input }
    : { index: result.crash.index, reason: `worker crashed: ${result.crash.error}`, input: result.crash.input };
  findings.push(f);
  done++;
  next = f.index + 1;
}
const secs = (Date.now() - t0) / 1000;
if (findings.length) {
  mkdirSync(findingsDir, { recursive: true });
  for (const f of findings) writeFileSync(join(findingsDir, `seed${SEED}-${f.index}.json`), JSON.stringify(f, null, 2));
}
console.log(`fuzz: ${done} inputs in ${secs.toFixed(1)} s (${(done / secs).toFixed(0)}/s), slowest ${maxMs.toFixed(0)} ms, ${findings.length} findings`);
for (const f of findings.slice(0, 10)) console.log(`  #${f.index}: ${f.reason.split('\n')[0]}`);
console.log(`${findings.length ? 0 : 1} passed, ${findings.length ? 1 : 0} failed`);
process.exit(findings.length ? 1 : 0);
