// `npm run fuzz` — feeds generated and mutated inputs (fuzz/inputs.mjs) to three targets and watches
// every input; a finding is written to fuzz/findings/ (target, index, reason, input) so that it can
// become a regression test.
//   engine  check() in a worker thread (fuzz/worker.mjs): an uncaught exception, an internal-error
//           diagnostic, a diagnostic span outside the text, or one input over FUZZ_HANG_MS
//   cli     the whole `acrotopo` program in process (runCli) in a worker thread (fuzz/cli-worker.mjs):
//           check ×3 formats, firewall, render 1 in 8; exit outside {0,1,2}, a throw, a stack trace or
//           "internal error" on stderr, unparseable JSON/SARIF, one invocation over FUZZ_HANG_MS
//           (a render: over FUZZ_RENDER_HANG_MS, default 10 000)
//   server  one long-lived language-server process over stdio (fuzz/server-target.mjs): didOpen,
//           didChange, hover, completion, code actions, symbols…; a death, a failed request, a
//           logged handler error, no answer or no diagnostics within FUZZ_HANG_MS
// FUZZ_N inputs in all, split over the targets by FUZZ_SPLIT (default engine=50,server=25,cli=25:
// percentages); input i of a target is the same text in every target for one FUZZ_SEED. The cli and
// server inputs are cut into FUZZ_JOBS (default 2) ranges run at the same time.
//
//   FUZZ_N=100000 npm run fuzz                    # the full run (local): 50k engine, 25k server, 25k cli
//   FUZZ_N=600 FUZZ_SPLIT=server=100 npm run fuzz # one target only
//   FUZZ_TARGETS=engine FUZZ_N=1500 …             # same, by name (the share of the others is dropped)
// Exit 0 when nothing was found, 1 otherwise; the last line is `N passed, N failed` (one per target).
import { Worker } from 'node:worker_threads';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { loadSeeds } from './inputs.mjs';
import { fuzzServer } from './server-target.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.FUZZ_N ?? 20000);
const HANG = Number(process.env.FUZZ_HANG_MS ?? 2000);
/** budget of one `acrotopo render` (an ELK layout) in the cli target */
const RENDER_HANG = Number(process.env.FUZZ_RENDER_HANG_MS ?? 10000);
const SEED = Number(process.env.FUZZ_SEED ?? 1);
/** cli and server inputs run in this many workers / server processes at once (engine: one worker) */
const JOBS = Math.max(1, Number(process.env.FUZZ_JOBS ?? 2));
const findingsDir = join(root, 'fuzz', 'findings');
const dist = join(root, 'fuzz', 'dist');

/** FUZZ_SPLIT ("engine=50,server=25,cli=25") restricted to FUZZ_TARGETS, as input counts summing to N. */
function split() {
  const shares = { engine: 50, server: 25, cli: 25 };
  if (process.env.FUZZ_SPLIT) {
    for (const k of Object.keys(shares)) shares[k] = 0;
    for (const part of process.env.FUZZ_SPLIT.split(',')) {
      const [k, v] = part.split('=');
      if (!(k in shares) || !(Number(v) >= 0)) throw new Error(`FUZZ_SPLIT: bad part '${part}' (engine=P,server=P,cli=P)`);
      shares[k] = Number(v);
    }
  }
  if (process.env.FUZZ_TARGETS) {
    const wanted = process.env.FUZZ_TARGETS.split(',');
    for (const k of Object.keys(shares)) if (!wanted.includes(k)) shares[k] = 0;
  }
  const total = Object.values(shares).reduce((a, b) => a + b, 0);
  if (total === 0) throw new Error('no target selected');
  const counts = {};
  let left = N;
  const keys = Object.keys(shares).filter((k) => shares[k] > 0);
  keys.forEach((k, j) => {
    counts[k] = j === keys.length - 1 ? left : Math.round((N * shares[k]) / total);
    left -= counts[k];
  });
  return counts;
}

const seeds = loadSeeds(root);
const counts = split();

// Workers and the server process run bundles (workers do not inherit the tsx loader); built here
// from the current sources, so a run never tests a stale build.
const bundles = {
  engine: { entry: 'engine/src/index.ts', out: join(dist, 'engine.cjs') },
  cli: { entry: 'cli/src/cli.ts', out: join(dist, 'cli.cjs') },
  server: { entry: 'server/src/main.ts', out: join(dist, 'server.cjs') },
};
await Promise.all(Object.keys(counts).map((k) => build({ entryPoints: [join(root, bundles[k].entry)], bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'inline', outfile: bundles[k].out, logLevel: 'warning' })));

/** [0, n) cut into `jobs` contiguous ranges run at the same time; `f(from, to)` → { done, maxMs, findings, restarts? }. */
async function inParallel(n, jobs, f) {
  const size = Math.ceil(n / jobs);
  const parts = await Promise.all(Array.from({ length: jobs }, (_, j) => f(j * size, Math.min(n, (j + 1) * size))).filter(Boolean));
  return parts.reduce((a, p) => ({ done: a.done + p.done, maxMs: Math.max(a.maxMs, p.maxMs), maxRenderMs: Math.max(a.maxRenderMs, p.maxRenderMs ?? 0), findings: [...a.findings, ...p.findings], restarts: a.restarts + (p.restarts ?? 0) }), { done: 0, maxMs: 0, maxRenderMs: 0, findings: [], restarts: 0 });
}

/** Runs [from, to) of a worker target, restarting the worker after a crash or a hang. */
async function workerTarget(target, file, from, n) {
  const findings = [];
  let done = 0;
  let maxMs = 0;
  let maxRenderMs = 0;
  let next = from;
  while (next < n) {
    const w = new Worker(join(root, 'fuzz', file), { workerData: { from: next, to: n, seed: SEED, seeds, bundle: bundles[target].out, renderHangMs: RENDER_HANG } });
    let current = { index: next, input: undefined, started: Date.now() }; // input set while an invocation runs
    const result = await new Promise((resolve) => {
      const timer = setInterval(() => {
        if (current.input !== undefined && Date.now() - current.started > (current.budget ?? HANG)) {
          clearInterval(timer);
          void w.terminate();
          resolve({ hang: current });
        }
      }, 100);
      w.on('message', (m) => {
        if (m.type === 'start') current = { index: m.index, input: m.input, step: m.step, budget: m.budget, started: Date.now() };
        else if (m.type === 'step') current = { ...current, input: undefined };
        else if (m.type === 'done') {
          current = { ...current, input: undefined };
          done++;
          maxMs = Math.max(maxMs, m.ms);
          maxRenderMs = Math.max(maxRenderMs, m.renderMs ?? 0);
          if (m.finding) findings.push({ target, ...m.finding });
          if (done % 5000 === 0) console.log(`  ${target} [${from}, ${n}): ${done}`);
        } else if (m.type === 'end') {
          clearInterval(timer);
          resolve({ end: true });
        }
      });
      w.on('error', (e) => {
        clearInterval(timer);
        resolve({ crash: { ...current, error: String(e?.stack ?? e) } });
      });
      w.on('exit', () => {
        clearInterval(timer);
        resolve({ crash: { ...current, error: 'the worker exited' } });
      });
    });
    if (result.end) break;
    const c = result.hang ?? result.crash;
    const what = c.step ? ` (${c.step})` : '';
    findings.push({ target, index: c.index, reason: result.hang ? `took more than ${c.budget ?? HANG} ms${what}` : `worker crashed${what}: ${c.error}`, input: c.input });
    done++;
    next = c.index + 1;
  }
  return { done, maxMs, maxRenderMs, findings };
}

const results = [];
for (const [target, n] of Object.entries(counts)) {
  const t0 = Date.now();
  let r;
  if (target === 'engine') r = await workerTarget('engine', 'worker.mjs', 0, n);
  else if (target === 'cli') r = await inParallel(n, JOBS, (from, to) => workerTarget('cli', 'cli-worker.mjs', from, to));
  else r = await inParallel(n, JOBS, (from, to) => fuzzServer({ from, to, seed: SEED, seeds, bundle: bundles.server.out, hangMs: HANG, onProgress: (d) => d % 5000 === 0 && console.log(`  server [${from}, ${to}): ${d}`) }));
  const secs = (Date.now() - t0) / 1000;
  results.push({ target, ...r, secs });
  console.log(`fuzz ${target}: ${r.done} inputs in ${secs.toFixed(1)} s (${(r.done / secs).toFixed(0)}/s), slowest ${r.maxMs.toFixed(0)} ms${r.maxRenderMs ? ` (render: ${r.maxRenderMs.toFixed(0)} ms)` : ''}, ${r.findings.length} findings${r.restarts ? `, ${r.restarts} server restarts` : ''}`);
  for (const f of r.findings.slice(0, 10)) console.log(`  #${f.index}: ${String(f.reason).split('\n')[0].slice(0, 300)}`);
  if (r.findings.length) {
    mkdirSync(findingsDir, { recursive: true });
    for (const f of r.findings) writeFileSync(join(findingsDir, `${target}-seed${SEED}-${f.index}.json`), JSON.stringify({ seed: SEED, ...f }, null, 2));
  }
}
const total = results.reduce((a, r) => a + r.findings.length, 0);
console.log(`fuzz: ${results.map((r) => `${r.target} ${r.done}`).join(', ')} (seed ${SEED}): ${total} findings${total ? ` (written to ${findingsDir})` : ''}`);
const failed = results.filter((r) => r.findings.length).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
