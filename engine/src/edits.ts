// Minimal text edits for quick fixes: replace a scalar, set a key in a mapping, append an item to a
// sequence. They keep comments and formatting: only the smallest span changes, new lines copy the
// indentation of their siblings, flow collections (`{ }`, `[ ]`) stay flow collections.
import { isMap, isScalar, isSeq } from './yaml-lib';
import type { YAMLMap, YAMLSeq } from 'yaml';
import type { SourceFile } from './source';
import type { Span, TextEdit } from './types';
import type { AnyNode, AstReader } from './yaml-ast';
import { nodeAtPath, spanOf } from './yaml-ast';

/** Quote a YAML scalar when it is not a plain safe string. */
export function yamlScalar(v: string | number | boolean): string {
  if (typeof v !== 'string') return String(v);
  if (/^[A-Za-z0-9_./-][A-Za-z0-9_./:-]*$/.test(v) && !/^(true|false|yes|no|on|off|null|~|y|n)$/i.test(v) && !/: /.test(v) && Number.isNaN(Number(v))) return v;
  return JSON.stringify(v);
}

function lineEnd(file: SourceFile, offset: number): number {
  return file.line(file.lineOf(offset)).end;
}

function lastNonSpace(text: string, start: number, end: number): number {
  let i = end - 1;
  while (i > start && /\s/.test(text[i])) i--;
  return i;
}

function indentOf(file: SourceFile, offset: number): number {
  return file.position(offset).character;
}

function isFlow(node: AnyNode): boolean {
  return (node as { flow?: boolean }).flow === true;
}

/** Insert `key: value` into a mapping node (block or flow). */
export function insertPair(file: SourceFile, map: YAMLMap, key: string, valueText: string): TextEdit {
  const span = spanOf(map as AnyNode)!;
  const text = file.text;
  if (isFlow(map as AnyNode)) {
    const close = text.lastIndexOf('}', span.end - 1);
    const hasItems = map.items.length > 0;
    let at = close;
    const before = lastNonSpace(text, span.start, close);
    at = before + 1;
    return file.edit({ start: at, end: at }, `${hasItems ? ', ' : ' '}${key}: ${valueText}${hasItems ? '' : ' '}`);
  }
  const first = map.items[0];
  const firstKey = first ? spanOf(first.key as AnyNode) : undefined;
  const indent = firstKey ? indentOf(file, firstKey.start) : indentOf(file, span.start);
  const last = lastNonSpace(text, span.start, span.end);
  const at = lineEnd(file, last);
  return file.edit({ start: at, end: at }, `${file.eol}${' '.repeat(indent)}${key}: ${valueText}`);
}

/** Append an item to a sequence node (block or flow). */
export function appendItem(file: SourceFile, seq: YAMLSeq, itemText: string): TextEdit {
  const span = spanOf(seq as AnyNode)!;
  const text = file.text;
  if (isFlow(seq as AnyNode)) {
    const close = text.lastIndexOf(']', span.end - 1);
    const before = lastNonSpace(text, span.start, close);
    const hasItems = seq.items.length > 0;
    return file.edit({ start: before + 1, end: before + 1 }, `${hasItems ? ', ' : ''}${itemText}`);
  }
  // The dash of the first item gives the indentation.
  let dashIndent = indentOf(file, span.start);
  const firstItem = seq.items[0] as AnyNode | undefined;
  const fs = firstItem ? spanOf(firstItem) : undefined;
  if (fs) {
    const lineText = file.line(file.lineOf(fs.start)).text;
    const d = lineText.indexOf('-');
    if (d >= 0) dashIndent = d;
  }
  const last = lastNonSpace(text, span.start, span.end);
  const at = lineEnd(file, last);
  return file.edit({ start: at, end: at }, `${file.eol}${' '.repeat(dashIndent)}- ${itemText}`);
}

/**
 * Set `key` to `valueText` in the mapping at `path`: replace the value when the key exists,
 * otherwise insert the pair. Returns no edit when the path does not lead to a mapping.
 */
export function setKey(file: SourceFile, reader: AstReader, path: string[], key: string, valueText: string): TextEdit | undefined {
  const { node, depth } = nodeAtPath(reader, path);
  if (depth !== path.length || !node || !isMap(node)) return undefined;
  const map = node as YAMLMap;
  for (const item of map.items) {
    const k = item.key as AnyNode;
    if (isScalar(k) && String(k.value) === key) {
      const v = item.value as AnyNode | null;
      const vs = v ? spanOf(v) : undefined;
      if (vs && vs.end > vs.start) return file.edit(vs, valueText);
      const ks = spanOf(k)!;
      // `key:` with no value: put the value after the colon.
      const colon = file.text.indexOf(':', ks.end);
      const at = colon >= 0 ? colon + 1 : ks.end;
      return file.edit({ start: at, end: at }, ` ${valueText}`);
    }
  }
  return insertPair(file, map, key, valueText);
}

/** Append an item to the sequence at `path`, or create `key: [item]` in the parent mapping. */
export function appendToSeq(file: SourceFile, reader: AstReader, path: string[], itemText: string): TextEdit | undefined {
  const { node, depth } = nodeAtPath(reader, path);
  if (depth === path.length && node && isSeq(node)) return appendItem(file, node as YAMLSeq, itemText);
  if (depth === path.length - 1 || (depth === path.length && !node)) {
    return setKey(file, reader, path.slice(0, -1), path[path.length - 1], `[${itemText}]`);
  }
  return undefined;
}

export function replace(file: SourceFile, span: Span, newText: string): TextEdit {
  return file.edit(span, newText);
}
