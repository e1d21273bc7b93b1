// Small queries on a diagram model used by the preview (no layout, no DOM).
import type { DiagramModel, DiagramNode } from '@acrotopo/engine';

/** The node whose key or value contains `offset` (a group when the offset is in one of its members). */
export function nodeAtOffset(model: DiagramModel, offset: number): DiagramNode | undefined {
  for (const n of model.nodes) {
    if (n.kind === 'group') {
      if (n.memberExtents?.some((e) => e.start <= offset && offset <= e.end)) return n;
    } else if (n.extent && n.extent.start <= offset && offset <= n.extent.end) return n;
  }
  return undefined;
}
