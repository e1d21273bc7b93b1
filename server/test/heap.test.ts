// The language server fixes V8's heap growing factor after its first publish (server/src/heap.ts,
// main.ts): unless its node was started with a factor of its own, and with an effect on the heap (a
// runtime flag V8 ignored would change nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableCores, FEW_CORES, FirstLargeCollection, HEAP_GROWING_PERCENT, HEAP_GROWING_PERCENT_MAIN_THREAD_MARKING, LARGE_HEAP_MIB, marksOnMainThreadLater, tuneHeap, tuneMarking } from '../src/heap';
import { generate } from '../../bench/generate.mjs';
import { SERVER_STATUS_METHOD } from '../src/protocol';
import type { ServerStatus } from '../src/protocol';
import { LspClient, ROOT } from './lsp-client';

test('tuneMarking turns concurrent marking off with at most 2 cores, unless the command line speaks of marking', () => {
  const set: string[] = [];
  assert.equal(FEW_CORES, 2);
  assert.equal(tuneMarking([], 2, (f) => set.push(f)), '--no-concurrent-marking');
  assert.equal(tuneMarking(['--max-semi-space-size=4'], 1, (f) => set.push(f)), '--no-concurrent-marking');
  assert.deepEqual(set, ['--no-concurrent-marking', '--no-concurrent-marking']);
  const none: string[] = [];
  assert.equal(tuneMarking([], 4, (f) => none.push(f)), undefined, 'four cores: the helper thread has a core');
  for (const argv of [['--concurrent-marking'], ['--no-concurrent-marking'], ['--no_concurrent_marking'], ['--single-threaded-gc'], ['--single-threaded']]) {
    assert.equal(tuneMarking(argv, 2, (f) => none.push(f)), undefined, argv.join(' '));
  }
  assert.deepEqual(none, []);
});

test('tuneHeap sets --heap-growing-percent (lower when marking is on the main thread), and leaves a value given on the command line', () => {
  const main: string[] = [];
  assert.equal(tuneHeap([], (f) => main.push(f), true), `--heap-growing-percent=${HEAP_GROWING_PERCENT_MAIN_THREAD_MARKING}`);
  assert.equal(tuneHeap(['--no-concurrent-marking'], (f) => main.push(f)), `--heap-growing-percent=${HEAP_GROWING_PERCENT_MAIN_THREAD_MARKING}`, 'told on the command line');
  assert.ok(HEAP_GROWING_PERCENT_MAIN_THREAD_MARKING < HEAP_GROWING_PERCENT);
  const set: string[] = [];
  assert.equal(tuneHeap([], (f) => set.push(f), false), `--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  assert.deepEqual(set, [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
  for (const argv of [['--heap-growing-percent=20'], ['--inspect', '--heap_growing_percent=0'], ['--heap-growing-percent', '30']]) {
    const none: string[] = [];
    assert.equal(tuneHeap(argv, (f) => none.push(f)), undefined, argv.join(' '));
    assert.deepEqual(none, []);
  }
  // other flags that start alike are not the factor
  assert.ok(tuneHeap(['--heap-growing-percentage-x'], () => undefined));
});

const PRELOAD = join(ROOT, 'server', 'test', 'heap-churn-preload.cjs');

/** The built server with the churn preload, churned after its first publish (or before any): the peak heap it reports. */
async function churn(execArgv: string[], afterPublish: boolean): Promise<number> {
  const client = await LspClient.start({ execArgv: [...execArgv, '--require', PRELOAD] });
  try {
    if (afterPublish) await client.open('file:///w/heap.acrotopo.yaml', 'title: heap\nmachines:\n  a: { os: linux, components: [agent-for-linux] }\n');
    const exited = new Promise<void>((resolve) => client.proc.once('exit', () => resolve()));
    client.proc.kill('SIGUSR2');
    await exited;
    const m = /heap-churn (\{.*\})/.exec(client.stderr);
    assert.ok(m, `no heap-churn line: ${client.stderr}`);
    return (JSON.parse(m[1]) as { peakMiB: number }).peakMiB;
  } finally {
    await client.stop().catch(() => undefined);
  }
}

test('the built server collects its old generation sooner than V8 by default, once it has published', async () => {
  // the same churn in the server as started (factor 1.3 after the first publish) and with V8's own
  // factor (0 = V8 chooses), given on the command line so that tuneHeap leaves it; and before any
  // publish, when the server has not set it yet (a large file's open grows the heap from nothing)
  const tuned = await churn([], true);
  const untuned = await churn(['--heap-growing-percent=0'], true);
  const early = await churn([], false);
  // ~40 MiB live: tuned ~140 MiB at the peak here, V8's own 260–340 MiB
  assert.ok(tuned < untuned * 0.75, `peak heap ${tuned} MiB with the server's factor, ${untuned} MiB with V8's`);
  assert.ok(tuned < early * 0.75, `peak heap ${tuned} MiB after a publish, ${early} MiB before any`);
});

test('acrotopo/serverStatus: node options as started (server/node-options.json, as the extension passes them), the factor once published, the young generation', async () => {
  const { execArgv, env } = JSON.parse(readFileSync(join(ROOT, 'server', 'node-options.json'), 'utf8')) as { execArgv: string[]; env: Record<string, string> };
  assert.ok(execArgv.length > 0);
  const client = await LspClient.start({ execArgv, env: { ...process.env, ...env } });
  try {
    const before = await client.request<ServerStatus>(SERVER_STATUS_METHOD, null);
    assert.deepEqual(before.execArgv, execArgv);
    assert.equal(before.node, process.version);
    assert.equal(before.heapGrowingPercent, undefined, 'not set before the first publish');
    assert.equal(before.mallocMmapThreshold, env.MALLOC_MMAP_THRESHOLD_);
    // a document large enough to fill the young generation many times over
    const text = ['title: status', 'machines:', ...Array.from({ length: 2000 }, (_, i) => `  m${i}: { os: linux, address: 10.0.${i >> 8}.${i & 255}, components: [agent-for-linux] }`), ''].join('\n');
    await client.open('file:///w/status.acrotopo.yaml', text);
    const after = await client.request<ServerStatus>(SERVER_STATUS_METHOD, null);
    // (V8 marks concurrently until the server holds a large document, whatever the cores: the next tests)
    assert.equal(after.cores, availableCores());
    assert.equal(before.concurrentMarking, true, 'concurrent at start: the first open is marked on another core');
    assert.equal(after.concurrentMarking, true, 'a document of 2,000 machines is not large');
    // (the factor is the one for how V8 will mark once a document is large: heap.ts, tuneHeap)
    const few = availableCores() <= FEW_CORES;
    assert.equal(after.heapGrowingPercent, few ? HEAP_GROWING_PERCENT_MAIN_THREAD_MARKING : HEAP_GROWING_PERCENT);
    const young = after.heapSpaces.find((s) => s.name === 'new_space');
    // --max-semi-space-size=4: two semi-spaces of 4 MiB (V8's default lets them grow to 2 × 16 MiB)
    assert.ok(young && young.size <= 8, JSON.stringify(young));
    assert.ok(after.memory.rss > 0 && after.memory.heapUsed > 0 && after.memory.heapUsed <= after.memory.heapTotal, JSON.stringify(after.memory));
  } finally {
    await client.stop().catch(() => undefined);
  }
});

test('marksOnMainThreadLater: with at most 2 cores unless the command line says how to mark, or when it says main thread', () => {
  assert.equal(marksOnMainThreadLater([], 2), true);
  assert.equal(marksOnMainThreadLater(['--max-semi-space-size=4'], 1), true);
  assert.equal(marksOnMainThreadLater([], 4), false);
  assert.equal(marksOnMainThreadLater(['--concurrent-marking'], 2), false);
  assert.equal(marksOnMainThreadLater(['--no-concurrent-marking'], 8), true);
  assert.equal(marksOnMainThreadLater(['--single-threaded-gc'], 8), true);
});

test('FirstLargeCollection: one full collection, the first time the idle work ends with a large heap', () => {
  let used = 10;
  let calls = 0;
  const c = new FirstLargeCollection(64, () => used, () => () => {
    calls++;
    used = 40;
  });
  assert.equal(c.maybeCollect(), undefined, 'not large yet');
  used = 100;
  const done = c.maybeCollect();
  assert.ok(done && done.ms >= 0, JSON.stringify(done));
  assert.equal(calls, 1);
  assert.deepEqual(c.result, done);
  used = 200;
  assert.equal(c.maybeCollect(), undefined, 'once');
  assert.equal(calls, 1);
  // without gc() (it could not be had): nothing, and not tried again
  const none = new FirstLargeCollection(0, () => 1, () => undefined);
  assert.equal(none.maybeCollect(), undefined);
  assert.equal(none.result, undefined);
  // the real one, in this process: gc() made available at run time
  const real = new FirstLargeCollection(0);
  const r = real.maybeCollect();
  assert.ok(r && r.ms >= 0 && r.heapAfterMiB > 0, JSON.stringify(r));
});

test('the built server collects once after opening a large document (10,000 machines), not after a small one', async () => {
  const client = await LspClient.start();
  try {
    await client.open('file:///w/small.acrotopo.yaml', 'title: small\nmachines:\n  a: { os: linux, components: [agent-for-linux] }\n');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await client.request<ServerStatus>(SERVER_STATUS_METHOD, null)).collectedAfterOpen, undefined, 'a small heap is left alone');
    const { text } = generate(10_000);
    await client.open('file:///w/large.acrotopo.yaml', text);
    const deadline = Date.now() + 30_000;
    let st: ServerStatus;
    for (;;) {
      st = await client.request<ServerStatus>(SERVER_STATUS_METHOD, null);
      if (st.collectedAfterOpen || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const c = st.collectedAfterOpen;
    assert.ok(c, 'collected');
    assert.ok(c.heapBeforeMiB >= LARGE_HEAP_MIB && c.heapAfterMiB < c.heapBeforeMiB, JSON.stringify(c));
    // from then on, with at most two cores (this machine's), V8 marks on the main thread
    const few = availableCores() <= FEW_CORES;
    assert.equal(st.concurrentMarking, !few);
    assert.equal(st.heapGrowingPercent, few ? HEAP_GROWING_PERCENT_MAIN_THREAD_MARKING : HEAP_GROWING_PERCENT);
  } finally {
    await client.stop().catch(() => undefined);
  }
});
