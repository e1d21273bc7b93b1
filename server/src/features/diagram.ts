// The `acrotopo/diagram` request (../protocol.ts): the preview asks the server for the diagram of a
// document's current version. The analysis is the cached one the diagnostics were published from, so a
// preview update costs only buildDiagram, never a second engine run.
import { DIAGRAM_VIEWS, previewBuild } from '@acrotopo/engine';
import type { DiagramView } from '@acrotopo/engine';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../analysis';
import type { DiagramParams, DiagramResult } from '../protocol';

/** Validates untrusted params; undefined when they are not a diagram request. */
export function parseDiagramParams(p: unknown): DiagramParams | undefined {
  if (!p || typeof p !== 'object') return undefined;
  const { uri, view, expand } = p as Record<string, unknown>;
  if (typeof uri !== 'string' || !DIAGRAM_VIEWS.includes(view as DiagramView)) return undefined;
  const groups = Array.isArray(expand) ? expand.filter((g): g is string => typeof g === 'string').slice(0, 10_000) : [];
  return { uri, view: view as DiagramView, expand: groups };
}

export function diagram(doc: TextDocument, params: DiagramParams, analysis: Analysis): DiagramResult {
  const build = previewBuild(analysis.text, analysis.result, params.view, params.expand, analysis.options);
  return { ...build, version: doc.version, ms: Math.round(analysis.elapsedMs) };
}
