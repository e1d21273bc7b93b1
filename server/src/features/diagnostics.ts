// Validation: debounced per document, never publishing a result for a version that is no longer the
// document's, and converting engine diagnostics to LSP ones that carry what their code actions need.
// The engine itself is called in ../analysis.ts (the one place to swap in an incremental check).
import type { CheckOptions, Diagnostic as EngineDiagnostic, Severity } from '@acrotopo/engine';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analyzer } from '../analysis';
import type { Log } from '../log';

export const RULE_DOCS = 'https://github.com/acrotopo/acrotopo/blob/main/docs/rules.md';

/** What a diagnostic's `data` holds: enough for the code actions to never re-run the engine. */
export interface DiagnosticData {
  rule: string;
  version: number;
  fixes: { title: string; isPreferred: boolean; edits: { range: Diagnostic['range']; newText: string }[] }[];
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function ruleDocsUrl(rule: string): string {
  return `${RULE_DOCS}#${rule}`;
}

export function toLspDiagnostic(d: EngineDiagnostic, uri: string, version: number): Diagnostic {
  const data: DiagnosticData = {
    rule: d.rule,
    version,
    fixes: d.fixes.map((f) => ({ title: f.title, isPreferred: !!f.isPreferred, edits: f.edits.map((e) => ({ range: e.range, newText: e.newText })) })),
  };
  const out: Diagnostic = {
    range: d.range,
    severity: SEVERITY[d.severity] ?? DiagnosticSeverity.Error,
    code: d.rule,
    codeDescription: { href: ruleDocsUrl(d.rule) },
    source: 'acrotopo',
    message: d.message,
    data,
  };
  if (d.related.length > 0) out.relatedInformation = d.related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
  return out;
}

export function diagnosticData(d: Diagnostic): DiagnosticData | undefined {
  const x = d.data as Partial<DiagnosticData> | undefined;
  if (!x || typeof x !== 'object' || typeof x.rule !== 'string' || !Array.isArray(x.fixes)) return undefined;
  return x as DiagnosticData;
}

export interface ValidatorOptions {
  debounceMs(): number;
  /** resolves once the client's settings are known */
  ready(): Promise<void>;
  /** the check options for a document (its resource-scoped `acrotopo.rules`) */
  checkOptions(uri: string): Promise<CheckOptions>;
}

export class Validator {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** what was last published per document */
  private readonly published = new Map<string, { version: number; diagnostics: Diagnostic[] }>();

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
  publishedFor(uri: string, version: number): Diagnostic[] | undefined {
    const p = this.published.get(uri);
    return p && p.version === version ? p.diagnostics : undefined;
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
      const diagnostics = a.result.diagnostics.map((d) => toLspDiagnostic(d, uri, version));
      this.published.set(uri, { version, diagnostics });
      this.log.verbose(`validated ${uri} v${version}: ${diagnostics.length} problem(s) in ${a.elapsedMs.toFixed(1)} ms`);
      await this.connection.sendDiagnostics({ uri, version, diagnostics });
    } catch (e) {
      this.log.error(`validation of ${uri} failed`, e);
    }
  }
}
