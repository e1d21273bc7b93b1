// Folding ranges: every YAML collection spanning several lines (from its key's line), and blocks of
// two or more comment lines.
import { parseYaml } from '@acrotopo/engine';
import { isMap, isPair, isSeq, visit } from 'yaml';
import type { Node as YNode } from 'yaml';
import { FoldingRangeKind } from 'vscode-languageserver';
import type { FoldingRange } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ParsedYaml } from '@acrotopo/engine';

function lastContentOffset(text: string, start: number, end: number): number {
  let e = Math.min(end, text.length) - 1;
  while (e > start && /\s/.test(text[e])) e--;
  return e;
}

export function foldingRanges(doc: TextDocument, parsed?: ParsedYaml): FoldingRange[] {
  const text = doc.getText();
  const out: FoldingRange[] = [];
  const seen = new Set<string>();
  const add = (startLine: number, endLine: number, kind?: FoldingRangeKind) => {
    if (endLine <= startLine) return;
    const k = `${startLine}:${endLine}`;
    if (seen.has(k)) return;
    seen.add(k);
    const r: FoldingRange = { startLine, endLine };
    if (kind) r.kind = kind;
    out.push(r);
  };
  const { doc: ydoc } = parsed ?? parseYaml(text); // the server passes its cached parse of this version
  const rangeOf = (n: unknown) => (n as { range?: [number, number, number] } | null)?.range;
  visit(ydoc, {
    Pair(_k, pair) {
      const v = pair.value as YNode | null;
      if (!v || !(isMap(v) || isSeq(v))) return;
      const kr = rangeOf(pair.key);
      const vr = rangeOf(v);
      if (!vr) return;
      const start = kr ? kr[0] : vr[0];
      add(doc.positionAt(start).line, doc.positionAt(lastContentOffset(text, vr[0], vr[1])).line);
    },
    Seq(_k, seq) {
      for (const item of seq.items) {
        if (!(isMap(item) || isSeq(item)) || isPair(item)) continue;
        const r = rangeOf(item);
        if (!r) continue;
        add(doc.positionAt(r[0]).line, doc.positionAt(lastContentOffset(text, r[0], r[1])).line);
      }
    },
  });
  // comment blocks
  const lines = text.split(/\r\n|\r|\n/);
  let startC = -1;
  for (let i = 0; i <= lines.length; i++) {
    const isComment = i < lines.length && /^\s*#/.test(lines[i]);
    if (isComment && startC < 0) startC = i;
    if (!isComment && startC >= 0) {
      add(startC, i - 1, FoldingRangeKind.Comment);
      startC = -1;
    }
  }
  out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return out;
}
