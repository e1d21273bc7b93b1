// Entry point of the language server. The transport comes from the command line: `--stdio` (how the
// VS Code client starts it), `--node-ipc` or `--socket=PORT`.
import { createConnection, ProposedFeatures, StreamMessageWriter } from 'vscode-languageserver/node';
import { format } from 'node:util';
import { tuneHeap } from './heap';
import { PublishEncoder } from './publish-encoder';
import { startServer } from './server';

process.on('uncaughtException', (e) => {
  // never die on a stray error; the message goes to stderr, which clients show in their log
  process.stderr.write(`acrotopo-language-server: uncaught ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
});
process.on('unhandledRejection', (e) => {
  process.stderr.write(`acrotopo-language-server: unhandled rejection ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
});

// The heap's growing factor (heap.ts) is set once the first diagnostics are out: opening a large file
// grows the heap from nothing, and with the factor set from the start V8 collected the old generation
// one more time during the open (a 14–75 ms pause at 10,000 machines).
// Not while the bin writes V8's code cache (ACROTOPO_CODE_CACHE=write, scripts/server-code-cache.mjs):
// V8 rejects a cache made after a flag changed, and tuneHeap changes one.
let heapTuned = process.env.ACROTOPO_CODE_CACHE === 'write';
const afterPublish = (): void => {
  if (heapTuned) return;
  heapTuned = true;
  tuneHeap();
};

if (process.argv.includes('--stdio')) {
  // stdout carries the protocol: console output goes to stderr (the library does this for --stdio
  // only when it makes the streams itself). The writer is ours for its encoder (publish-encoder.ts);
  // stdin stays a stream, so the library still exits when it closes.
  for (const k of ['log', 'info', 'debug', 'warn', 'error', 'trace', 'dir'] as const) {
    (console as unknown as Record<string, (...a: unknown[]) => void>)[k] = (...a: unknown[]) => void process.stderr.write(format(...a) + '\n');
  }
  const encoder = new PublishEncoder();
  const writer = new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: encoder });
  // (createConnection takes a reader or a stream on either side: it wraps only what has addListener;
  // the typings list streams and reader/writer pairs, not the mix)
  startServer(createConnection(ProposedFeatures.all, process.stdin, writer as unknown as NodeJS.WritableStream), encoder, afterPublish);
} else {
  startServer(createConnection(ProposedFeatures.all), undefined, afterPublish);
}
