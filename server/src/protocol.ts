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
