// Validation: debounced per document, never publishing a result for a version that is no longer the
// document's, and converting engine diagnostics to LSP ones. Their quick fixes stay here, with the
// published set (PublishedDiagnostics); a diagnostic's `data` only says where to find them again.
// The engine itself is called in ../analysis.ts (the one place to swap in an incremental check).
import type { CheckOptions, Diagnostic as EngineDiagnostic, Severity } from '@acrotopo/engine';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { Connection, Diagnostic, Range, TextDocuments, TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analyzer } from '../analysis';
import type { Log } from '../log';
import type { PublishEncoder } from '../publish-encoder';
import type { WarmUp } from '../warm-up';

export const RULE_DOCS = 'https://github.com/acrotopo/acrotopo/blob/main/docs/rules.md';

/**
 * What a diagnostic's `data` holds: where its fixes are on the server, not the fixes themselves (their
 * edits were a third of every publish at 10k machines, sent and parsed on each keystroke).
 */
export interface DiagnosticData {
  rule: string;
  /** the document version it was published for */
  version: number;
  /** its position in that version's published list */
  index: number;
}

/** An engine fix in the form code actions return it. */
export interface LspFix {
  title: string;
  isPreferred: boolean;
  edits: TextEdit[];
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** The LSP severity of an engine severity (toLspDiagnostic's). */
export function lspSeverity(s: Severity): DiagnosticSeverity {
  return SEVERITY[s] ?? DiagnosticSeverity.Error;
}

export function ruleDocsUrl(rule: string): string {
  return `${RULE_DOCS}#${rule}`;
}

/**
 * @param index the diagnostic's position in the list published for `version`
 * (reads the rule, severity, message, range and related messages and ranges only: publish-encoder.ts
 * reuses an encoding for a diagnostic with the same ones, and writes this object's JSON itself —
 * `encodeHead` there: a field added here must be added there, which its tests check)
 */
export function toLspDiagnostic(d: EngineDiagnostic, uri: string, version: number, index: number): Diagnostic {
  const data: DiagnosticData = { rule: d.rule, version, index };
  const out: Diagnostic = {
    range: d.range,
    severity: lspSeverity(d.severity),
    code: d.rule,
    codeDescription: { href: ruleDocsUrl(d.rule) },
    source: 'acrotopo',
    message: d.message,
    data,
  };
  if (d.related.length > 0) out.relatedInformation = d.related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
  return out;
}

/** The `data` of a diagnostic, when it is one this server published (any version). */
export function diagnosticData(d: Diagnostic): DiagnosticData | undefined {
  const x = d.data as Partial<DiagnosticData> | undefined;
  if (!x || typeof x !== 'object' || typeof x.rule !== 'string' || !Number.isInteger(x.version) || !Number.isInteger(x.index)) return undefined;
  return x as DiagnosticData;
}

function toLspFix(f: EngineDiagnostic['fixes'][number]): LspFix {
  return { title: f.title, isPreferred: !!f.isPreferred, edits: f.edits.map((e) => ({ range: e.range, newText: e.newText })) };
}

function sameRange(a: Range | undefined, b: Range | undefined): boolean {
  return !!a && !!b && a.start?.line === b.start?.line && a.start?.character === b.start?.character && a.end?.line === b.end?.line && a.end?.character === b.end?.character;
}

function matchKey(code: unknown, r: Range | undefined, message: unknown): string | undefined {
  if (!r?.start || !r.end) return undefined;
  return `${String(code)}\0${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}\0${String(message)}`;
}

/**
 * The diagnostics published for one version of a document, with the engine's fixes behind them. The
 * LSP objects are made when first asked for (`diagnostic(i)`, `all()`): over stdio the publish is
 * encoded from the engine's diagnostics (publish-encoder.ts), and 3,665 LSP objects made for every
 * keystroke at 10,000 machines were ~2 MB that lived until the next publish — old-generation garbage.
 */
export class PublishedDiagnostics {
  private readonly lspFixes: (LspFix[] | undefined)[] = [];
  private readonly lsp: (Diagnostic | undefined)[] = [];
  private byKey: Map<string, number> | undefined;

  /**
   * @param settle makes the fixes the check left for later (Analyzer.settle): called before the first
   * fixes are read (the engine's checks leave the fixes rules make on demand for the idle time after
   * the publish, CheckOptions.fixes 'deferred')
   */
  constructor(
    readonly version: number,
    readonly uri: string,
    private readonly engine: readonly EngineDiagnostic[],
    private settle?: () => void,
  ) {}

  get length(): number {
    return this.engine.length;
  }

  /** The i-th published diagnostic, as it was sent. */
  diagnostic(i: number): Diagnostic {
    return (this.lsp[i] ??= toLspDiagnostic(this.engine[i], this.uri, this.version, i));
  }

  /** Every published diagnostic, as sent. */
  all(): Diagnostic[] {
    const out = new Array<Diagnostic>(this.engine.length);
    for (let i = 0; i < out.length; i++) out[i] = this.diagnostic(i);
    return out;
  }

  /** The engine's diagnostics behind them (for the encoder). */
  engineDiagnostics(): readonly EngineDiagnostic[] {
    return this.engine;
  }

  /**
   * Which published diagnostic `d` (as a client sends it back) is, or -1. Its `data` points at it when
   * it was published for this version with the same rule and range; one without `data` (some clients
   * drop it) or from another version is this version's diagnostic with the same rule, range and
   * message, when there is one — its fixes are then this version's, never edits for another text.
   */
  indexOf(d: Diagnostic): number {
    const data = diagnosticData(d);
    if (data && data.version === this.version && data.index >= 0 && data.index < this.engine.length) {
      const e = this.engine[data.index];
      if (e.rule === data.rule && sameRange(e.range, d.range)) return data.index;
    }
    const key = matchKey(data?.rule ?? d.code, d.range, d.message);
    if (key === undefined) return -1;
    if (!this.byKey) {
      // built on the first request that needs it; the first of identical diagnostics wins
      this.byKey = new Map();
      for (let i = this.engine.length - 1; i >= 0; i--) {
        const e = this.engine[i];
        this.byKey.set(matchKey(e.rule, e.range, e.message)!, i);
      }
    }
    return this.byKey.get(key) ?? -1;
  }

  rule(i: number): string {
    return this.engine[i].rule;
  }

  /** The fixes of the i-th diagnostic (converted once, on first request). */
  fixes(i: number): LspFix[] {
    if (this.settle) {
      const settle = this.settle;
      this.settle = undefined;
      settle();
    }
    return (this.lspFixes[i] ??= this.engine[i].fixes.map(toLspFix));
  }
}

export interface ValidatorOptions {
  debounceMs(): number;
  /** resolves once the client's settings are known */
  ready(): Promise<void>;
  /** the check options for a document (its resource-scoped `acrotopo.rules`) */
  checkOptions(uri: string): Promise<CheckOptions>;
  /** the stdio transport's encoder: told what each publish is made from (publish-encoder.ts) */
  encoder?: PublishEncoder;
  /** called after each publish has been written */
  afterPublish?(): void;
  /** called once a document's idle work is done, before the warm-up; what it returns is logged (server.ts: the first large collection) */
  afterIdleWork?(): string | undefined;
  /** the process's warm-up (warm-up.ts): run in idle time once a document's own idle work is done */
  warmUp?: WarmUp;
}

/** The idle work after a publish runs in slices of about this many milliseconds: a change that comes in waits for one at most. */
export const IDLE_SLICE_MS = 8;

/** The idle work after a publish waits this long per MB of the publish's JSON (idleGraceMs)… */
export const IDLE_GRACE_MS_PER_MB = 5;
/** …and at most this long. */
export const IDLE_GRACE_MAX_MS = 50;

/**
 * How long the idle work after a publish of `bytes` waits before it begins: while the client reads
 * and parses a large publish, the server's idle work (and the garbage collection it brings) competes
 * with it for the CPU. At 10,000 machines (a 3.9 MB publish) the benchmark driver's JSON.parse took
 * 30–45 ms with the idle work right after the publish and 14–17 ms with it 15 ms later, and the open
 * ended ~30 ms sooner (docs/language-server.md, "Idle work"). 0 below 200 KB: begun at once.
 */
export function idleGraceMs(bytes: number): number {
  return Math.min(IDLE_GRACE_MAX_MS, Math.floor((bytes * IDLE_GRACE_MS_PER_MB) / 1_000_000));
}

/** What a diagnostic of a publish weighs when no encoder says how large it was written (about 1 KB, as the benchmark's). */
const ESTIMATED_BYTES_PER_DIAGNOSTIC = 1000;

export class Validator {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** what was last published per document */
  private readonly published = new Map<string, PublishedDiagnostics>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly analyzer: Analyzer,
    private readonly options: ValidatorOptions,
    private readonly log: Log,
  ) {}

  /** Validate after the debounce delay; a newer call for the same document cancels this one. */
  schedule(doc: TextDocument, immediate = false): void {
    this.cancel(doc.uri);
    const version = doc.version;
    const delay = immediate ? 0 : this.options.debounceMs();
    const timer = setTimeout(() => {
      if (this.timers.get(doc.uri) === timer) this.timers.delete(doc.uri);
      void this.run(doc.uri, version);
    }, delay);
    this.timers.set(doc.uri, timer);
  }

  cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
  }

  /** The document was closed: stop its validation and clear its problems. */
  close(uri: string): void {
    this.cancel(uri);
    this.published.delete(uri);
    this.analyzer.forget(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
  }

  revalidateAll(): void {
    for (const doc of this.documents.all()) this.schedule(doc, true);
  }

  /** The diagnostics last published for a document, when they are for `version`. */
  publishedFor(uri: string, version: number): PublishedDiagnostics | undefined {
    const p = this.published.get(uri);
    return p && p.version === version ? p : undefined;
  }

  private isCurrent(uri: string, version: number): TextDocument | undefined {
    const doc = this.documents.get(uri);
    return doc && doc.version === version ? doc : undefined;
  }

  async run(uri: string, version: number): Promise<void> {
    try {
      await this.options.ready();
      const options = await this.options.checkOptions(uri);
      const doc = this.isCurrent(uri, version);
      if (!doc) return; // closed, or a newer change is on its way
      const a = this.analyzer.analyze(doc, options);
      if (!this.isCurrent(uri, version)) return;
      const published = new PublishedDiagnostics(version, uri, a.result.diagnostics, () => this.analyzer.settle(uri));
      this.published.set(uri, published);
      this.log.verbose(`validated ${uri} v${version}: ${published.length} problem(s) in ${a.elapsedMs.toFixed(1)} ms`);
      // Over stdio the encoder writes them from the engine's diagnostics: the array is a stand-in that
      // JSON.stringify (a trace, another transport) turns into the LSP objects.
      const diagnostics = this.options.encoder ? this.options.encoder.prepare(published) : published.all();
      await this.connection.sendDiagnostics({ uri, version, diagnostics });
      this.options.afterPublish?.();
      // Idle work, once the publish is written and the client has had time to read it (idleGraceMs), in
      // slices: unless another change came in meanwhile — read before each slice runs (setImmediate
      // comes after I/O) — whose check does what is left first.
      const bytes = this.options.encoder?.bytesWritten(diagnostics) ?? published.length * ESTIMATED_BYTES_PER_DIAGNOSTIC;
      const grace = idleGraceMs(bytes);
      if (grace > 0) {
        this.log.verbose(`idle work for ${uri} v${version} waits ${grace} ms: the client reads a publish of ${(bytes / 1e6).toFixed(1)} MB`);
        setTimeout(() => this.idle(uri, version, 0, 0), grace);
      } else setImmediate(() => this.idle(uri, version, 0, 0));
    } catch (e) {
      this.log.error(`validation of ${uri} failed`, e);
    }
  }

  /**
   * One slice (IDLE_SLICE_MS) of what the next check of the document would do first, done now
   * (Analyzer.prepare), and the next slice scheduled while work is left: when the document is still at
   * `version`, with no check scheduled. `spent` and `slices` so far, for the log.
   */
  private idle(uri: string, version: number, spent: number, slices: number): void {
    if (this.timers.has(uri) || !this.isCurrent(uri, version)) return;
    try {
      const t0 = performance.now();
      const more = this.analyzer.prepare(uri, IDLE_SLICE_MS);
      const ms = spent + performance.now() - t0;
      if (more) setImmediate(() => this.idle(uri, version, ms, slices + 1));
      else {
        this.log.verbose(`prepared ${uri} v${version} for the next edit in ${ms.toFixed(1)} ms (${slices + 1} slice${slices === 0 ? '' : 's'})`);
        const done = this.options.afterIdleWork?.();
        if (done) this.log.verbose(done);
        if (this.options.warmUp && !this.options.warmUp.done) setImmediate(() => this.warm());
      }
    } catch (e) {
      this.log.error(`idle work for ${uri} failed`, e);
    }
  }

  /**
   * One slice of the process's warm-up (warm-up.ts), and the next scheduled while work is left — while
   * no check is scheduled: a change that comes in is checked first, and the warm-up goes on once that
   * document's idle work is done.
   */
  private warm(): void {
    const w = this.options.warmUp;
    if (!w || w.done || this.timers.size > 0) return;
    if (w.step(IDLE_SLICE_MS)) setImmediate(() => this.warm());
    else {
      const s = w.status();
      this.log.verbose(`warmed up: ${s.checks} checks of the warm-up sample in ${s.ms.toFixed(1)} ms`);
    }
  }
}
