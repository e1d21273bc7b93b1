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
//
// Marking: V8 marks the old generation on a helper thread while the program runs (concurrent marking).
// On a machine with two cores the server's main thread, that helper and the editor parsing the last
// publish are three threads on two cores, and the edits during which a collection ran were the slowest
// of the benchmark. With at most FEW_CORES cores the server marks on its main thread instead, in steps
// (`--no-concurrent-marking`, tuneMarking): at 10k, six alternating runs each, edit p95 102–126 ms
// (mean 108) with concurrent marking and 74–97 (84) without; marking takes longer then and the heap
// grows more meanwhile, so the growing factor is 1.25 instead of 1.3. Not during the first large open,
// though: the editor waits then, the other core is idle, and marking there on the main thread made the
// 10k open ~30 ms slower. The flag is set right after the collection that follows that open (below),
// when no marking is in progress; the factor is 1.25 from the first publish on.
//
// The first collection after a large open: the open grows the heap from nothing with V8's own factor,
// and the limit it leaves was reached only during the first edits (a peak of 160 MiB of heap at 10k,
// the run's highest RSS). Once the first large document's idle work is done, the server collects the
// heap once itself (FirstLargeCollection: ~55–70 ms at 10k, where ~88 of ~103 MiB are live), so the
// factor applies from the open's live size. At 10k, six alternating runs each, main-thread marking:
// peak RSS 237–251 MiB without it and 228–241 with it; edit p95 83–103 and 86–115 ms (more collections
// come early). docs/language-server.md, Memory, has the figures.
import { availableParallelism, cpus } from 'node:os';
import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { CollectionDone, ServerStatus } from './protocol';

const MIB = 1024 * 1024;
const mib = (bytes: number) => Math.round((bytes / MIB) * 10) / 10;

/** the old generation may grow to 1.3× its live size before V8 collects it */
export const HEAP_GROWING_PERCENT = 30;
/** the same when the server marks on its main thread (tuneMarking) */
export const HEAP_GROWING_PERCENT_MAIN_THREAD_MARKING = 25;
/** with at most this many cores the server marks the old generation on its main thread */
export const FEW_CORES = 2;

/** node options that mark on the main thread */
const MAIN_THREAD_MARKING_FLAG = /^--no[-_]concurrent[-_]marking$|^--single[-_]threaded(-gc)?$/;
/** node options about marking: given on the command line, tuneMarking leaves marking as they say */
const MARKING_FLAG = /^--(no[-_])?concurrent[-_]marking(=|$)|^--single[-_]threaded(-gc)?(=|$)/;

export function availableCores(): number {
  return typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
}

/** Whether V8 marks on the main thread in this process: told so on the command line, or by tuneMarking. */
export function marksOnMainThread(execArgv: readonly string[] = process.execArgv): boolean {
  if (marking !== undefined) return marking === 'main-thread';
  return execArgv.some((a) => MAIN_THREAD_MARKING_FLAG.test(a));
}

/** Whether tuneMarking turns concurrent marking off: at most FEW_CORES cores, and nothing about marking on node's command line. */
function tunesMarking(execArgv: readonly string[], cores: number): boolean {
  return cores <= FEW_CORES && !execArgv.some((a) => MARKING_FLAG.test(a));
}

/** Whether V8 marks on the main thread in this process once the server holds a large document: it does, or tuneMarking will. */
export function marksOnMainThreadLater(execArgv: readonly string[] = process.execArgv, cores = availableCores()): boolean {
  return marksOnMainThread(execArgv) || tunesMarking(execArgv, cores);
}

/**
 * With at most FEW_CORES cores, turns V8's concurrent marking off for this process
 * (`--no-concurrent-marking`), unless node's command line says something about marking. Called once,
 * right after the full collection that follows the first large open (server.ts, FirstLargeCollection):
 * the open itself is marked on the other core, which is idle then (the editor waits for the
 * diagnostics), and no marking is in progress when the flag changes (V8 reads it when marking starts
 * and when it ends). Returns the flag set, or undefined.
 */
export function tuneMarking(execArgv: readonly string[] = process.execArgv, cores = availableCores(), setFlags: (flags: string) => void = setFlagsFromString): string | undefined {
  if (!tunesMarking(execArgv, cores)) return undefined;
  const flag = '--no-concurrent-marking';
  setFlags(flag);
  if (setFlags === setFlagsFromString) marking = 'main-thread';
  return flag;
}

/** what tuneMarking set in this process */
let marking: 'main-thread' | undefined;

/**
 * Sets V8's heap growing factor for this process (`--heap-growing-percent`), unless the process was
 * started with a value of its own (node's `execArgv`, as the client's debug launch or a user may pass):
 * HEAP_GROWING_PERCENT, or HEAP_GROWING_PERCENT_MAIN_THREAD_MARKING when marking is on the main thread.
 * Returns the flag set, or undefined.
 */
export function tuneHeap(execArgv: readonly string[] = process.execArgv, setFlags: (flags: string) => void = setFlagsFromString, mainThreadMarking = marksOnMainThreadLater(execArgv)): string | undefined {
  if (execArgv.some((a) => /^--heap[-_]growing[-_]percent(=|$)/.test(a))) return undefined;
  const percent = mainThreadMarking ? HEAP_GROWING_PERCENT_MAIN_THREAD_MARKING : HEAP_GROWING_PERCENT;
  const flag = `--heap-growing-percent=${percent}`;
  setFlags(flag);
  if (setFlags === setFlagsFromString) applied = percent;
  return flag;
}

/** the growing percent tuneHeap set in this process */
let applied: number | undefined;

/** V8's gc() without --expose-gc on the command line (the flag set now, the function read from a new context); undefined if that fails. */
function exposedGc(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/** A document's heap is "large" from this much used heap on (a 10,000-machine file leaves ~100 MiB after its open). */
export const LARGE_HEAP_MIB = 64;

/** One full collection, the first time a document's idle work ends with the used heap at LARGE_HEAP_MIB or more. */
export class FirstLargeCollection {
  result: CollectionDone | undefined;
  private tried = false;

  constructor(
    private readonly thresholdBytes = LARGE_HEAP_MIB * MIB,
    // (asked after each document's idle work until the heap is large: V8's figure alone, not
    // process.memoryUsage(), which also reads the process's resident size from the system)
    private readonly heapUsed: () => number = () => getHeapStatistics().used_heap_size,
    private readonly gc: () => (() => void) | undefined = exposedGc,
  ) {}

  /** Called when a document's idle work is done. Returns what it did, or undefined (done before, heap not large, no gc()). */
  maybeCollect(): CollectionDone | undefined {
    if (this.tried) return undefined;
    const before = this.heapUsed();
    if (before < this.thresholdBytes) return undefined;
    this.tried = true;
    const gc = this.gc();
    if (!gc) return undefined;
    const t0 = performance.now();
    gc();
    this.result = { ms: Math.round((performance.now() - t0) * 10) / 10, heapBeforeMiB: mib(before), heapAfterMiB: mib(this.heapUsed()) };
    return this.result;
  }
}

/** The process's side of `acrotopo/serverStatus`. */
export function serverStatus(): ServerStatus {
  const m = process.memoryUsage();
  const codeCache = codeCacheState();
  return {
    pid: process.pid,
    node: process.version,
    execArgv: [...process.execArgv],
    ...(process.env.MALLOC_MMAP_THRESHOLD_ === undefined ? {} : { mallocMmapThreshold: process.env.MALLOC_MMAP_THRESHOLD_ }),
    ...(applied === undefined ? {} : { heapGrowingPercent: applied }),
    cores: availableCores(),
    concurrentMarking: !marksOnMainThread(),
    memory: { rss: mib(m.rss), heapTotal: mib(m.heapTotal), heapUsed: mib(m.heapUsed), external: mib(m.external), arrayBuffers: mib(m.arrayBuffers) },
    heapSpaces: getHeapSpaceStatistics().map((s) => ({ name: s.space_name, size: mib(s.space_size), used: mib(s.space_used_size) })),
    ...(codeCache === undefined ? {} : { codeCache }),
  };
}

/** What server/bin/acrotopo-language-server.js did with V8's code cache; undefined when the server was started otherwise. */
function codeCacheState(): ServerStatus['codeCache'] {
  const s = (globalThis as Record<symbol, unknown>)[Symbol.for('acrotopo.codeCache')];
  return s === 'used' || s === 'absent' || s === 'rejected' || s === 'writing' ? s : undefined;
}
