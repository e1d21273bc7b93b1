// The language server fixes V8's heap growing factor at start-up (server/src/heap.ts): unless its node
// was started with a factor of its own, and with an effect on the heap (a runtime flag V8 ignored would
// change nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { HEAP_GROWING_PERCENT, tuneHeap } from '../src/heap';
import { ensureBuilt, ROOT } from './lsp-client';

test('tuneHeap sets --heap-growing-percent, and leaves a value given on the command line', () => {
  const set: string[] = [];
  assert.equal(tuneHeap([], (f) => set.push(f)), `--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  assert.deepEqual(set, [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
  for (const argv of [['--heap-growing-percent=20'], ['--inspect', '--heap_growing_percent=0'], ['--heap-growing-percent', '30']]) {
    const none: string[] = [];
    assert.equal(tuneHeap(argv, (f) => none.push(f)), undefined, argv.join(' '));
    assert.deepEqual(none, []);
  }
  // other flags that start alike are not the factor
  assert.ok(tuneHeap(['--heap-growing-percentage-x'], () => undefined));
});

/** The built server with the churn preload: the peak heap it reports. */
function churn(execArgv: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...execArgv, '--require', join(ROOT, 'server', 'test', 'heap-churn-preload.cjs'), join(ROOT, 'server', 'bin', 'acrotopo-language-server.js'), '--stdio'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    const timer = setTimeout(() => { p.kill(); reject(new Error(`no result in 60 s: ${err}`)); }, 60_000);
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', () => {
      clearTimeout(timer);
      const m = /heap-churn (\{.*\})/.exec(err);
      if (m) resolve((JSON.parse(m[1]) as { peakMiB: number }).peakMiB);
      else reject(new Error(`no heap-churn line: ${err}`));
    });
  });
}

test('the built server collects its old generation sooner than V8 by default', async () => {
  await ensureBuilt();
  // the same churn in the server as started (factor 1.5) and with V8's own factor (0 = V8 chooses),
  // given on the command line so that tuneHeap leaves it
  const tuned = await churn([]);
  const untuned = await churn(['--heap-growing-percent=0']);
  // ~40 MiB live: tuned ~140 MiB at the peak here, V8's own 260–340 MiB
  assert.ok(tuned < untuned * 0.75, `peak heap ${tuned} MiB with the server's factor, ${untuned} MiB with V8's`);
});
