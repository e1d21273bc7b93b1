// The language server fixes V8's heap growing factor after its first publish (server/src/heap.ts,
// main.ts): unless its node was started with a factor of its own, and with an effect on the heap (a
// runtime flag V8 ignored would change nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEAP_GROWING_PERCENT, tuneHeap } from '../src/heap';
import { SERVER_STATUS_METHOD } from '../src/protocol';
import type { ServerStatus } from '../src/protocol';
import { LspClient, ROOT } from './lsp-client';

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
    assert.equal(after.heapGrowingPercent, HEAP_GROWING_PERCENT);
    const young = after.heapSpaces.find((s) => s.name === 'new_space');
    // --max-semi-space-size=4: two semi-spaces of 4 MiB (V8's default lets them grow to 2 × 16 MiB)
    assert.ok(young && young.size <= 8, JSON.stringify(young));
    assert.ok(after.memory.rss > 0 && after.memory.heapUsed > 0 && after.memory.heapUsed <= after.memory.heapTotal, JSON.stringify(after.memory));
  } finally {
    await client.stop().catch(() => undefined);
  }
});
