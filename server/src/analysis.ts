// The one place the server runs the engine. Every feature asks `Analyzer.analyze(doc)` and gets the
// result for that exact document version (cached). Today this re-runs `check()` on the full text; an
// incremental engine plugs in here (and only here).
import { check } from '@acrotopo/engine';
import type { CheckOptions, CheckResult } from '@acrotopo/engine';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { nameOccurrences } from './names';
import type { NameOccurrence } from './names';

export interface Analysis {
  uri: string;
  version: number;
  text: string;
  result: CheckResult;
  /** names of machines, subnets and zones with their spans (computed on first use) */
  names(): NameOccurrence[];
  /** milliseconds the engine took */
  elapsedMs: number;
}

export class Analyzer {
  private readonly cache = new Map<string, Analysis>();
  private generation = 0;
  private readonly generationOf = new Map<string, number>();

  constructor(private readonly options: () => CheckOptions) {}

  analyze(doc: TextDocument): Analysis {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version && this.generationOf.get(doc.uri) === this.generation) return hit;
    const text = doc.getText();
    const t0 = performance.now();
    const result: CheckResult = check(text, { ...this.options(), fileName: doc.uri });
    const elapsedMs = performance.now() - t0;
    let names: NameOccurrence[] | undefined;
    const a: Analysis = {
      uri: doc.uri,
      version: doc.version,
      text,
      result,
      names: () => (names ??= nameOccurrences(result.topology, text)),
      elapsedMs,
    };
    this.cache.set(doc.uri, a);
    this.generationOf.set(doc.uri, this.generation);
    return a;
  }

  /** The cached analysis when it is for this version, without computing one. */
  peek(uri: string, version: number): Analysis | undefined {
    const hit = this.cache.get(uri);
    return hit && hit.version === version && this.generationOf.get(uri) === this.generation ? hit : undefined;
  }

  /** Settings changed: every cached result is out of date. */
  invalidateAll(): void {
    this.generation++;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
    this.generationOf.delete(uri);
  }
}
