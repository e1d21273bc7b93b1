// Preloaded (`node --require`) into the built language server by heap.test.ts: on SIGUSR2 makes
// old-generation garbage as a check at 10,000 machines does — a new result each round, the one before
// dropped after it was promoted — and writes the peak heap to stderr as `heap-churn {"peakMiB":N}`,
// then exits. Nothing here runs unless the test preloads it.
'use strict';
process.on('SIGUSR2', () => {
  const ring = [];
  let peak = 0;
  for (let i = 0; i < 300; i++) {
    const result = [];
    for (let k = 0; k < 20000; k++) result.push({ at: k, message: 'problem ' + k, related: [k] });
    ring.push(result);
    if (ring.length > 20) ring.shift();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  process.stderr.write(`heap-churn ${JSON.stringify({ peakMiB: Math.round(peak / 2 ** 20) })}\n`, () => process.exit(0));
});
