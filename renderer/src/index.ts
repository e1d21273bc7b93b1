// @acrotopo/renderer: ELK layout + SVG, shared by `acrotopo render` and the VS Code preview webview.
export { layout, edgeLabelText, G } from './layout';
export type { PositionedDiagram, PositionedNode, PositionedEdge, PositionedZone, PositionedBadge, LegendItem, Point, Box, LayoutOptions } from './layout';
export { renderSvg, PALETTES, edgeStyle, edgeStyleKey, rangeAttr } from './svg';
export type { Theme, Palette, SvgOptions } from './svg';
export { esc, neutralise, clip, monoWidth, dataValue, MONO, SANS } from './text';

import type { DiagramModel } from '@acrotopo/engine';
import { layout } from './layout';
import { renderSvg } from './svg';
import type { Theme } from './svg';

/** Model → SVG in one call (layout + draw). */
export async function renderDiagram(model: DiagramModel, theme: Theme = 'light'): Promise<string> {
  return renderSvg(await layout(model), { theme });
}
export { nodeAtOffset } from './query';
