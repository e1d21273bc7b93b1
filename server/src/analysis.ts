// The one place the server runs the engine. Every feature asks `Analyzer.analyze(doc)` and gets the
// result for that exact document version (cached). Each document has an incremental checker
// (`createIncrementalChecker`): it returns exactly what `check()` returns, re-parsing only the
// sections and machine entries that changed since the document's previous version.
import { createIncrementalChecker, parseYaml } from '@acrotopo/engine';
import type { CheckOptions, CheckResult, IncrementalChecker, ParsedYaml } from '@acrotopo/engine';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { nameOccurrences } from './names';
import type { NameOccurrence } from './names';

export interface Analysis {
  uri: string;
  version: number;
  text: string;
  result: CheckResult;
  /** the options the check ran with */
  options: CheckOptions;
  /** names of machines, subnets and zones with their spans (computed on first use) */
  names(): NameOccurrence[];
  /**
   * The YAML parse of this version — the one the check used — for the features that walk the AST
   * (outline, folding, code actions): one parse per version, not one per request. Read-only.
   */
  yaml(): ParsedYaml;
  /** milliseconds the engine took */
  elapsedMs: number;
}

export class Analyzer {
  private readonly cache = new Map<string, Analysis & { optionsKey: string; generation: number }>();
  private generation = 0;
  /** one incremental checker per document (dropped by forget(), when the document closes) */
  private readonly checkers = new Map<string, IncrementalChecker>();

  /**
   * @param defaults the options for a document when the caller gives none (its last known settings)
   * @param onFixError a rule's fix function threw when its fixes were made (settle): the diagnostic has no quick fix
   */
  constructor(
    private readonly defaults: (uri: string) => CheckOptions,
    private readonly onFixError: (rule: string, error: unknown) => void = () => undefined,
  ) {}

  /**
   * The analysis of this exact document version. With `options`, a cached result computed with other
   * options is recomputed; without, any result for this version (and settings generation) will do.
   */
  analyze(doc: TextDocument, options?: CheckOptions): Analysis {
    const opts = options ?? this.defaults(doc.uri);
    const optionsKey = JSON.stringify(opts.rules ?? {});
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version && hit.generation === this.generation && (options === undefined || hit.optionsKey === optionsKey)) return hit;
    const text = doc.getText();
    const t0 = performance.now();
    let checker = this.checkers.get(doc.uri);
    if (!checker) {
      checker = createIncrementalChecker();
      this.checkers.set(doc.uri, checker);
    }
    // (the last result's fixes, left for later, are made first: their errors logged — settle())
    this.settle(doc.uri);
    // Fixes made on demand are left for later ('deferred'): made while idle (prepare), or when a code
    // action asks for them (PublishedDiagnostics.fixes) — the diagnostics are published without waiting.
    const result: CheckResult = checker.update(text, { ...opts, fileName: doc.uri, fixes: 'deferred' });
    const elapsedMs = performance.now() - t0;
    let names: NameOccurrence[] | undefined;
    let parsed = checker.parsed;
    const a = {
      uri: doc.uri,
      version: doc.version,
      text,
      result,
      options: opts,
      names: () => (names ??= nameOccurrences(result.topology, text)),
      yaml: () => (parsed ??= parseYaml(text)),
      elapsedMs,
      optionsKey,
      generation: this.generation,
    };
    this.cache.set(doc.uri, a);
    return a;
  }

  /**
   * A slice of the idle work for a document (IncrementalChecker.prepare): what its next update would
   * do first, the deferred fixes included, for about `budgetMs`. Returns whether work is left.
   */
  prepare(uri: string, budgetMs: number): boolean {
    const checker = this.checkers.get(uri);
    if (!checker) return false;
    // (the fixes first, through settle: their errors are logged. When it used the budget up, fixes
    // may be left, and the checker's prepare would make more of them and drop their errors: the next
    // slice goes on)
    const until = performance.now() + budgetMs;
    this.settle(uri, budgetMs);
    if (performance.now() >= until) return true;
    return checker.prepare(until - performance.now());
  }

  /**
   * Makes the fixes the document's last check left for later (IncrementalChecker.settle; with a
   * budget, some of them); a fix that throws is logged (its diagnostic has no quick fix).
   */
  settle(uri: string, budgetMs?: number): void {
    const errors = this.checkers.get(uri)?.settle(budgetMs);
    for (const { rule, error } of errors ?? []) this.onFixError(rule, error);
  }

  /** Settings changed: every cached result is out of date. */
  invalidateAll(): void {
    this.generation++;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
    this.checkers.delete(uri);
  }
}
