// `--format json`: one array, one entry per checked file, positions 1-based as in ESLint's JSON output
// (column = character + 1; endLine/endColumn point just past the end, as ESLint's do).
import type { FileResult } from '../check';

export interface JsonDiagnostic {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface JsonFileReport {
  file: string;
  diagnostics: JsonDiagnostic[];
}

export function toJsonReports(results: FileResult[]): JsonFileReport[] {
  return results.map((r) => ({
    file: r.path,
    diagnostics: r.diagnostics.map((d) => ({
      rule: d.rule,
      severity: d.severity,
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      endLine: d.range.end.line + 1,
      endColumn: d.range.end.character + 1,
    })),
  }));
}

export function formatJson(results: FileResult[]): string {
  return `${JSON.stringify(toJsonReports(results), null, 2)}\n`;
}
