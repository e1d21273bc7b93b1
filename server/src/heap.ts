// How the language server's V8 heap grows. V8 collects the old generation when it reaches a limit set
// after the last full collection: the live heap times a factor V8 picks from how fast it collects and
// allocates (up to 4). A language server allocates in bursts — each check makes a new result and drops
// the one before, which by then lives in the old generation — and at 10,000 machines that was ~4 MiB of
// old garbage per keystroke that no full collection took back within 50 keystrokes: the live heap stayed
// ~120 MiB while the process grew from 220 to 420 MiB (docs/benchmarks.md, peak RSS).
//
// With the factor fixed at 1.5 the collections came every ~15 keystrokes there, marked concurrently
// (the second core) and finished in a short pause: peak RSS 310–314 MiB against 418–422 MiB in the same
// minutes; the slowest edits paid ~10–35 ms for it (the marking shares the 2 cores with the client's
// parse of the publish, and the collection ends in a pause during some edit). Since the young
// generation is 2 × 4 MiB (server/node-options.json, as the extension starts the server) the factor is
// 1.3: at 10k, peaks of 271–279 MiB with 1.3 against 300–306 with 1.5 and 254–260 with 1.2, whose edits
// were slower by a fifth (median; docs/language-server.md, Memory). Forcing full collections ourselves
// in idle time (gc()) cost 120–250 ms each at that size, on the main thread. main.ts sets the factor
// after the first publish: set from the start, it made V8 collect once more while the open's check
// grew the heap (a 14–75 ms pause at 10k).
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import type { ServerStatus } from './protocol';

/** the old generation may grow to 1.3× its live size before V8 collects it */
export const HEAP_GROWING_PERCENT = 30;

/**
 * Sets V8's heap growing factor for this process (`--heap-growing-percent`), unless the process was
 * started with a value of its own (node's `execArgv`, as the client's debug launch or a user may pass).
 * Returns the flag set, or undefined.
 */
export function tuneHeap(execArgv: readonly string[] = process.execArgv, setFlags: (flags: string) => void = setFlagsFromString): string | undefined {
  if (execArgv.some((a) => /^--heap[-_]growing[-_]percent(=|$)/.test(a))) return undefined;
  const flag = `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
  setFlags(flag);
  if (setFlags === setFlagsFromString) applied = HEAP_GROWING_PERCENT;
  return flag;
}

/** the growing percent tuneHeap set in this process */
let applied: number | undefined;

const MIB = 1024 * 1024;
const mib = (bytes: number) => Math.round((bytes / MIB) * 10) / 10;

/** The process's side of `acrotopo/serverStatus`. */
export function serverStatus(): ServerStatus {
  const m = process.memoryUsage();
  return {
    pid: process.pid,
    node: process.version,
    execArgv: [...process.execArgv],
    ...(process.env.MALLOC_MMAP_THRESHOLD_ === undefined ? {} : { mallocMmapThreshold: process.env.MALLOC_MMAP_THRESHOLD_ }),
    ...(applied === undefined ? {} : { heapGrowingPercent: applied }),
    memory: { rss: mib(m.rss), heapTotal: mib(m.heapTotal), heapUsed: mib(m.heapUsed), external: mib(m.external), arrayBuffers: mib(m.arrayBuffers) },
    heapSpaces: getHeapSpaceStatistics().map((s) => ({ name: s.space_name, size: mib(s.space_size), used: mib(s.space_used_size) })),
  };
}
