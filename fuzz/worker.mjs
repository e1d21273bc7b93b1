// Engine target of `npm run fuzz`: runs inputs through check() in a worker thread, reporting each one
// before it starts (so the parent can tell which input hangs) and any finding after it.
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { makeInput } from './inputs.mjs';

const { from, to, seed, seeds, bundle } = workerData;
const { check } = createRequire(import.meta.url)(bundle);

for (let i = from; i < to; i++) {
  const { text } = makeInput(seed, seeds, i);
  parentPort.postMessage({ type: 'start', index: i, input: text });
  const t = performance.now();
  let finding;
  try {
    const res = check(text);
    const ie = res.diagnostics.find((d) => d.rule === 'internal-error');
    if (ie) finding = { index: i, reason: ie.message, input: text };
    for (const d of res.diagnostics) {
      if (d.span.start < 0 || d.span.end > text.length || d.span.start > d.span.end) { finding ??= { index: i, reason: `span out of the text: ${d.rule} ${JSON.stringify(d.span)}`, input: text }; }
    }
  } catch (e) {
    finding = { index: i, reason: `uncaught: ${e?.stack ?? e}`, input: text };
  }
  parentPort.postMessage({ type: 'done', index: i, ms: performance.now() - t, finding });
}
parentPort.postMessage({ type: 'end' });
