// What a preview shows for one document version: the diagram model of a view, or — when the YAML does
// not parse at all — the first fatal syntax error (the preview then keeps its last good picture).
// Shared by the language server (the `acrotopo/diagram` request, docs/language-server.md) and the
// extension's in-process fallback, so both paths give the same answer.
import { effectiveSeverity, overSizeLimit } from './check';
import { buildDiagram, fatalSyntaxErrors } from './diagram';
import type { DiagramModel, DiagramView } from './diagram';
import type { CheckOptions, CheckResult } from './types';

export type PreviewBuild =
  | { kind: 'model'; model: DiagramModel }
  | { kind: 'fatal'; line: number; message: string };

/**
 * `result` must be check()'s result for `text` (with `options`). A fatal syntax error always shows as a
 * `yaml-syntax` diagnostic (of any severity) unless the user switched that rule off; only then is the text parsed again to
 * look for one, so a clean document costs no second parse.
 */
export function previewBuild(text: string, result: CheckResult, view: DiagramView, expand: Iterable<string>, options: CheckOptions = {}): PreviewBuild {
  if (overSizeLimit(text, options)) {
    return { kind: 'fatal', line: 0, message: result.diagnostics[0]?.message ?? 'the file is over the size limit' };
  }
  const syntaxOff = effectiveSeverity('yaml-syntax', 'error', result.topology, options) === 'off';
  if (syntaxOff || result.diagnostics.some((d) => d.rule === 'yaml-syntax')) {
    const fatal = fatalSyntaxErrors(text);
    if (fatal.length > 0) return { kind: 'fatal', line: fatal[0].range.start.line, message: fatal[0].message };
  }
  return { kind: 'model', model: buildDiagram(result, view, { text, expand }) };
}
