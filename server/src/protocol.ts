// Requests this server understands beyond the LSP, shared with the VS Code extension (client/src).
// Documented in docs/language-server.md ("Custom requests").
import type { DiagramView, PreviewBuild } from '@acrotopo/engine';

/**
 * `acrotopo/diagram`: the preview's diagram model of an open document, from the analysis the server
 * already holds for the document's current version (the extension host never runs the engine itself).
 */
export const DIAGRAM_METHOD = 'acrotopo/diagram';

export interface DiagramParams {
  uri: string;
  view: DiagramView;
  /** ids of folded groups to show as individual machines */
  expand: string[];
}

/** `null` when the document is not open in the server. */
export type DiagramResult = (PreviewBuild & { version: number; /** engine time for this version, ms */ ms: number }) | null;

/**
 * `acrotopo/serverStatus` (no params): how the server process runs — node's version and options, the
 * heap growing factor it set (heap.ts), and its memory. The extension's "Show Server Status" command
 * prints it; the extension-host tests read the options the client started the server with.
 */
export const SERVER_STATUS_METHOD = 'acrotopo/serverStatus';

export interface ServerStatus {
  pid: number;
  node: string;
  /** node's command-line options (`process.execArgv`) */
  execArgv: string[];
  /** the C allocator's MALLOC_MMAP_THRESHOLD_ in the server's environment, when set (server/node-options.json) */
  mallocMmapThreshold?: string;
  /** the `--heap-growing-percent` the server set itself, once its first diagnostics were out; undefined before, or when given on the command line */
  heapGrowingPercent?: number;
  /** the cores node sees (os.availableParallelism()) */
  cores: number;
  /** whether V8 marks the old generation on a helper thread; false with at most 2 cores (heap.ts, tuneMarking) or when node was told so */
  concurrentMarking: boolean;
  /** MiB, from process.memoryUsage() */
  memory: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
  /** V8's heap spaces, MiB (v8.getHeapSpaceStatistics(): space size and used size) */
  heapSpaces: { name: string; size: number; used: number }[];
  /** the full collection the server made once the first large document's idle work was done (heap.ts, FirstLargeCollection) */
  collectedAfterOpen?: CollectionDone;
  /** the warm-up of the incremental check (server/src/warm-up.ts) */
  warmUp?: WarmUpStatus;
  /** V8's code cache of the bundle, when started through server/bin (acrotopo-language-server): used, absent, rejected, or being written (ACROTOPO_CODE_CACHE=write) */
  codeCache?: 'used' | 'absent' | 'rejected' | 'writing';
}

/** What the full collection after the first large open did (heap.ts, FirstLargeCollection). */
export interface CollectionDone {
  ms: number;
  heapBeforeMiB: number;
  heapAfterMiB: number;
}

/** `waiting` for the first document's idle time, `running`, `done`, or `off` (initializationOptions `warmUp: false`) */
export type WarmUpState = 'waiting' | 'running' | 'done' | 'off';

export interface WarmUpStatus {
  state: WarmUpState;
  /** checks of the warm-up sample run so far (the first, then two per edit) */
  checks: number;
  /** time spent on them, ms */
  ms: number;
}
