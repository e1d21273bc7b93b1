// Messages between the extension (client/src/preview.ts) and the preview webview (webview/src/main.ts).
// Plain data only; both sides validate what they receive (a webview message is untrusted input).
import type { DiagramModel, DiagramView, Range } from '@acrotopo/engine';

export type ExportFormat = 'svg' | 'png';

/** extension → webview */
export type ToWebview =
  | { type: 'model'; seq: number; model: DiagramModel; uri: string; fileName: string; expanded: string[] }
  | { type: 'stale'; seq: number; reason: string; line?: number }
  | { type: 'cursor'; offset: number }
  | { type: 'requestExport'; format: ExportFormat };

/** webview → extension */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'reveal'; range: Range }
  | { type: 'setView'; view: DiagramView }
  | { type: 'expand'; group: string }
  | { type: 'collapseAll' }
  | { type: 'exported'; format: ExportFormat; data: string }
  | { type: 'error'; message: string };

/** What the webview keeps with `setState` and the serializer gets back after a reload. */
export interface PreviewState {
  uri: string;
  view: DiagramView;
  expanded: string[];
}

const VIEWS: readonly string[] = ['installation', 'communication', 'all'];

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isNat(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 1e9;
}

export function isRange(x: unknown): x is Range {
  if (!isObj(x) || !isObj(x.start) || !isObj(x.end)) return false;
  return isNat(x.start.line) && isNat(x.start.character) && isNat(x.end.line) && isNat(x.end.character);
}

/** Max size of an exported image accepted from the webview (a data URL of a large PNG). */
export const MAX_EXPORT_BYTES = 64 * 1024 * 1024;

/** Validates a message from the webview; anything else is undefined (and ignored). */
export function parseFromWebview(x: unknown): FromWebview | undefined {
  if (!isObj(x) || typeof x.type !== 'string') return undefined;
  switch (x.type) {
    case 'ready':
    case 'collapseAll':
      return { type: x.type };
    case 'reveal':
      return isRange(x.range) ? { type: 'reveal', range: { start: { line: x.range.start.line, character: x.range.start.character }, end: { line: x.range.end.line, character: x.range.end.character } } } : undefined;
    case 'setView':
      return typeof x.view === 'string' && VIEWS.includes(x.view) ? { type: 'setView', view: x.view as DiagramView } : undefined;
    case 'expand':
      return typeof x.group === 'string' && x.group.length < 2000 ? { type: 'expand', group: x.group } : undefined;
    case 'exported':
      if ((x.format !== 'svg' && x.format !== 'png') || typeof x.data !== 'string' || x.data.length > MAX_EXPORT_BYTES) return undefined;
      if (x.format === 'png' && !x.data.startsWith('data:image/png;base64,')) return undefined;
      if (x.format === 'svg' && !x.data.startsWith('<svg')) return undefined;
      return { type: 'exported', format: x.format, data: x.data };
    case 'error':
      return typeof x.message === 'string' ? { type: 'error', message: x.message.slice(0, 2000) } : undefined;
    default:
      return undefined;
  }
}

/** Validates a message from the extension (the webview trusts it little more than the document). */
export function parseToWebview(x: unknown): ToWebview | undefined {
  if (!isObj(x) || typeof x.type !== 'string') return undefined;
  switch (x.type) {
    case 'model':
      return isNat(x.seq) && isObj(x.model) && Array.isArray(x.model.nodes) && Array.isArray(x.model.edges) && Array.isArray(x.model.zones) && typeof x.uri === 'string'
        ? { type: 'model', seq: x.seq, model: x.model as unknown as DiagramModel, uri: x.uri, fileName: typeof x.fileName === 'string' ? x.fileName : '', expanded: Array.isArray(x.expanded) ? x.expanded.filter((e): e is string => typeof e === 'string') : [] }
        : undefined;
    case 'stale':
      return isNat(x.seq) && typeof x.reason === 'string' ? { type: 'stale', seq: x.seq, reason: x.reason, line: isNat(x.line) ? x.line : undefined } : undefined;
    case 'cursor':
      return isNat(x.offset) ? { type: 'cursor', offset: x.offset } : undefined;
    case 'requestExport':
      return x.format === 'svg' || x.format === 'png' ? { type: 'requestExport', format: x.format } : undefined;
    default:
      return undefined;
  }
}

export function parseState(x: unknown): PreviewState | undefined {
  if (!isObj(x) || typeof x.uri !== 'string') return undefined;
  const view = typeof x.view === 'string' && VIEWS.includes(x.view) ? (x.view as DiagramView) : 'all';
  const expanded = Array.isArray(x.expanded) ? x.expanded.filter((e): e is string => typeof e === 'string').slice(0, 1000) : [];
  return { uri: x.uri, view, expanded };
}
