import { parseDisableComment, SourceFile } from '@acrotopo/engine';
// Where the cursor is in the YAML structure, from the text of the lines and their indentation.
// Deliberately not based on the AST: it must work on incomplete and invalid YAML (a line with just
// `    os: `, an unclosed `{`), which is exactly what the document looks like while someone types.
// Single-line flow collections (`{ from: a, to: b }`, `[x, y]`) are understood as well.

/** A path segment: a mapping key, or the index of a sequence item. */
export type Seg = string | number;

export type ContextKind =
  /** on (or typing) a mapping key; `path` is the mapping's path */
  | 'key'
  /** on (or typing) a value; `path` ends with the value's key or index */
  | 'value'
  /** after a block sequence dash with no colon yet (`- fo|`): a scalar item or the first key of a map item */
  | 'item'
  /** inside `# acrotopo-disable-next-line …` */
  | 'disable-comment'
  /** inside another comment */
  | 'comment';

export interface CursorContext {
  kind: ContextKind;
  path: Seg[];
  /** keys already present in the mapping (kind 'key' / 'item') */
  siblings: string[];
  /** the whole token under the cursor (document offsets; quotes excluded from `text`) */
  token: { start: number; end: number; text: string };
  /** the token's text before the cursor */
  prefix: string;
  /** the token is inside a flow collection on this line */
  inFlow: boolean;
  /** the token is a quoted scalar */
  quoted: boolean;
}

interface Frame {
  col: number;
  type: 'map' | 'seq';
  key?: string;
  keyHasValue: boolean;
  index: number;
  keys: string[];
}

interface BlockLine {
  /** columns of the leading `- ` indicators */
  dashes: number[];
  contentCol: number;
  /** content with any trailing comment removed */
  content: string;
  key?: string;
  keyStart?: number;
  keyEnd?: number;
  /** column where the value after `key:` starts (after the spaces) */
  valueCol?: number;
  value?: string;
}

/** Index of the first `#` that starts a comment (preceded by whitespace or at the start), outside quotes. */
export function commentStart(line: string): number {
  let q: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === q) {
        if (q === "'" && line[i + 1] === "'") { i++; continue; }
        q = undefined;
      } else if (c === '\\' && q === '"') i++;
      continue;
    }
    if ((c === '"' || c === "'") && (i === 0 || /[\s,[{:]/.test(line[i - 1]))) q = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return i;
  }
  return -1;
}

function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && ((t[0] === '"' && t[t.length - 1] === '"') || (t[0] === "'" && t[t.length - 1] === "'"))) return t.slice(1, -1);
  return t;
}

/** Position of the `:` that ends a block key (followed by a space or the end), outside quotes and flow openers. */
function keyColon(content: string): number {
  if (content.startsWith('{') || content.startsWith('[')) return -1;
  let q: string | undefined;
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (q) {
      if (c === q) q = undefined;
      continue;
    }
    if ((c === '"' || c === "'") && i === 0) q = c;
    else if (c === ':' && (i + 1 === content.length || content[i + 1] === ' ' || content[i + 1] === '\t')) return i;
  }
  return -1;
}

function parseBlockLine(raw: string): BlockLine {
  const cs = commentStart(raw);
  const line = cs >= 0 ? raw.slice(0, cs) : raw;
  const dashes: number[] = [];
  let i = 0;
  while (i < line.length && line[i] === ' ') i++;
  while (line[i] === '-' && (i + 1 === line.length || line[i + 1] === ' ' || line[i + 1] === '\t')) {
    dashes.push(i);
    i++;
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  }
  const contentCol = i;
  const content = line.slice(i).replace(/\s+$/, '');
  const out: BlockLine = { dashes, contentCol, content };
  const colon = keyColon(content);
  if (colon > 0) {
    out.key = unquote(content.slice(0, colon));
    out.keyStart = contentCol;
    out.keyEnd = contentCol + colon;
    let v = colon + 1;
    while (v < content.length && (content[v] === ' ' || content[v] === '\t')) v++;
    out.valueCol = contentCol + v;
    out.value = content.slice(v);
  }
  return out;
}

class Stack {
  frames: Frame[] = [];

  get top(): Frame | undefined {
    return this.frames[this.frames.length - 1];
  }

  dash(c: number): void {
    for (;;) {
      const t = this.top;
      if (!t) break;
      if (t.col > c) { this.frames.pop(); continue; }
      if (t.col === c && t.type === 'map' && !(t.key !== undefined && !t.keyHasValue)) { this.frames.pop(); continue; }
      break;
    }
    const t = this.top;
    if (t && t.type === 'seq' && t.col === c) t.index++;
    else this.frames.push({ col: c, type: 'seq', index: 0, keyHasValue: false, keys: [] });
  }

  key(c: number, k: string, hasValue: boolean): void {
    for (;;) {
      const t = this.top;
      if (!t) break;
      if (t.col > c || (t.col === c && t.type === 'seq')) { this.frames.pop(); continue; }
      break;
    }
    const t = this.top;
    if (t && t.type === 'map' && t.col === c) {
      t.key = k;
      t.keyHasValue = hasValue;
      t.keys.push(k);
    } else this.frames.push({ col: c, type: 'map', key: k, keyHasValue: hasValue, index: 0, keys: [k] });
  }

  scalar(c: number): void {
    while (this.top && this.top.col > c) this.frames.pop();
  }

  /** Pops to the container that a key at column c belongs to; returns that map frame, if any. */
  mapFor(c: number): Frame | undefined {
    for (;;) {
      const t = this.top;
      if (!t) return undefined;
      if (t.col > c || (t.col === c && t.type === 'seq')) { this.frames.pop(); continue; }
      return t.col === c && t.type === 'map' ? t : undefined;
    }
  }

  path(): Seg[] {
    const out: Seg[] = [];
    for (const f of this.frames) {
      if (f.type === 'seq') out.push(f.index);
      else if (f.key !== undefined) out.push(f.key);
    }
    return out;
  }
}

function processLine(stack: Stack, bl: BlockLine): void {
  for (const d of bl.dashes) stack.dash(d);
  if (bl.key !== undefined) stack.key(bl.contentCol, bl.key, (bl.value ?? '') !== '' && !/^[&!]\S*$/.test(bl.value ?? ''));
  else if (bl.content !== '') stack.scalar(bl.contentCol);
}


/** Token around `col` in a flow context: bounded by `,{}[]`, a `: ` separator and whitespace at the ends. */
function flowToken(line: string, from: number, col: number): { start: number; end: number } {
  let s = col;
  while (s > from && !/[,{}[\]]/.test(line[s - 1]) && !(line[s - 1] === ' ' && line[s - 2] === ':')) s--;
  while (s < col && line[s] === ' ') s++;
  let e = col;
  while (e < line.length && !/[,{}[\]]/.test(line[e]) && !(line[e] === ':' && (line[e + 1] === ' ' || e + 1 === line.length))) e++;
  while (e > s && line[e - 1] === ' ') e--;
  return { start: s, end: Math.max(e, s) };
}

interface FlowResult {
  kind: 'key' | 'value';
  path: Seg[];
  siblings: string[];
  start: number;
  end: number;
}

/**
 * Parses a single-line flow collection from `open` (the column of the first `{` or `[`) to the cursor.
 * Returns the context of the cursor relative to the collection.
 */
function flowContext(line: string, open: number, col: number): FlowResult | undefined {
  type F = { type: '{' | '['; key?: string; index: number; keys: string[]; segStart: number };
  const stack: F[] = [];
  let q: string | undefined;
  for (let i = open; i < col; i++) {
    const c = line[i];
    if (q) {
      if (c === q) q = undefined;
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === '"' || c === "'") { q = c; continue; }
    if (c === '{' || c === '[') {
      stack.push({ type: c, index: 0, keys: [], segStart: i + 1 });
    } else if (c === '}' || c === ']') {
      stack.pop();
      if (stack.length === 0) return undefined; // the cursor is after the collection
    } else if (c === ',' && top) {
      if (top.type === '[') top.index++;
      top.key = undefined;
      top.segStart = i + 1;
    } else if (c === ':' && top && top.type === '{' && top.key === undefined && (line[i + 1] === ' ' || i + 1 === line.length || line[i + 1] === ',' || line[i + 1] === '}')) {
      const k = unquote(line.slice(top.segStart, i));
      top.key = k;
      top.keys.push(k);
    }
  }
  if (stack.length === 0) return undefined;
  const path: Seg[] = [];
  for (let i = 0; i < stack.length - 1; i++) {
    const f = stack[i];
    path.push(f.type === '[' ? f.index : (f.key ?? ''));
  }
  const top = stack[stack.length - 1];
  const tok = flowToken(line, top.segStart, col);
  // keys of the mapping after the cursor count as siblings too
  const siblings = [...top.keys];
  if (top.type === '{') {
    const rest = line.slice(col);
    const close = rest.indexOf('}');
    const tail = close >= 0 ? rest.slice(0, close) : rest;
    for (const m of tail.matchAll(/(?:^|,)\s*([^,:{}[\]]+?)\s*:(?:\s|$)/g)) siblings.push(unquote(m[1]));
  }
  if (top.type === '[') return { kind: 'value', path: [...path, top.index], siblings: [], start: tok.start, end: tok.end };
  if (top.key !== undefined) return { kind: 'value', path: [...path, top.key], siblings, start: tok.start, end: tok.end };
  return { kind: 'key', path, siblings: siblings.filter((s) => s !== line.slice(tok.start, tok.end)), start: tok.start, end: tok.end };
}

function firstFlowOpen(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '{' || c === '[') return i;
    if (c !== ' ' && c !== '\t') return -1;
  }
  return -1;
}

/** The cursor context at a document offset. */
export function contextAt(text: string, offset: number): CursorContext {
  const file = new SourceFile(text);
  const lineNo = file.lineOf(offset);
  const lineStart = file.lineStarts[lineNo];
  const line = file.line(lineNo).text;
  const col = Math.min(offset - lineStart, line.length);
  const stack = new Stack();

  // Forward pass over the lines above the cursor.
  let blockScalarCol = -1;
  let flowDepth = 0;
  let flowIndent = 0;
  for (let l = 0; l < lineNo; l++) {
    const raw = file.line(l).text;
    const trimmed = raw.trim();
    const indent = raw.length - raw.trimStart().length;
    if (blockScalarCol >= 0) {
      if (trimmed === '' || indent > blockScalarCol) continue;
      blockScalarCol = -1;
    }
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('%') || trimmed === '---' || trimmed === '...') continue;
    if (flowDepth > 0 && indent > flowIndent) {
      // continuation of a flow collection opened on an earlier line
      flowDepth += depthDelta(raw);
      if (flowDepth < 0) flowDepth = 0;
      continue;
    }
    flowDepth = 0; // a line back at the opener's indentation ends an unclosed `[` or `{`
    const bl = parseBlockLine(raw);
    processLine(stack, bl);
    if (bl.value !== undefined && /^[|>][-+0-9]*$/.test(bl.value)) blockScalarCol = indent;
    const tail = bl.value ?? (bl.content.startsWith('{') || bl.content.startsWith('[') ? bl.content : '');
    if (tail) {
      flowDepth = Math.max(0, depthDelta(tail));
      flowIndent = indent;
    }
  }

  const mk = (kind: ContextKind, path: Seg[], s: number, e: number, extra: Partial<CursorContext> = {}): CursorContext => {
    let ts = s;
    let te = e;
    let quoted = false;
    const raw = line.slice(ts, te);
    if (raw.length >= 1 && (raw[0] === '"' || raw[0] === "'")) {
      quoted = true;
      ts++;
      if (te > ts && line[te - 1] === raw[0]) te--;
    }
    const tokText = line.slice(ts, te);
    return {
      kind,
      path,
      siblings: [],
      token: { start: lineStart + ts, end: lineStart + te, text: tokText },
      prefix: line.slice(ts, Math.max(ts, Math.min(col, te))),
      inFlow: false,
      quoted,
      ...extra,
    };
  };

  // Inside the text of a block scalar (`title: >` and the lines below it): nothing structural.
  if (blockScalarCol >= 0 && (line.trim() === '' ? col > blockScalarCol : line.length - line.trimStart().length > blockScalarCol)) {
    return mk('comment', [], col, col);
  }

  // Comments.
  const cs = commentStart(line);
  if (cs >= 0 && col > cs) {
    const comment = parseDisableComment(line);
    if (comment && col >= comment.prefixEnd) {
      let s = col;
      while (s > comment.prefixEnd && !/[\s,]/.test(line[s - 1])) s--;
      let e = col;
      while (e < line.length && !/[\s,]/.test(line[e])) e++;
      return mk('disable-comment', [], s, e);
    }
    return mk('comment', [], col, col);
  }

  const bl = parseBlockLine(line);
  // Dashes before the cursor open (or continue) sequences.
  for (const d of bl.dashes) if (d < col) stack.dash(d);

  if (bl.key !== undefined && bl.keyStart !== undefined && bl.keyEnd !== undefined && col > bl.keyEnd) {
    // After `key:` — a value.
    const hasValue = (bl.value ?? '') !== '';
    stack.key(bl.contentCol, bl.key, hasValue);
    const path = stack.path();
    const vc = bl.valueCol ?? col;
    const open = firstFlowOpen(line, vc);
    if (open >= 0 && col > open) {
      const fc = flowContext(line, open, col);
      if (fc) return mk(fc.kind, [...path, ...fc.path], fc.start, fc.end, { inFlow: true, siblings: fc.siblings });
    }
    const s = Math.min(Math.max(vc, bl.keyEnd + 1), col);
    let start = s;
    while (start < col && line[start] === ' ') start++;
    const end = Math.max(col, bl.contentCol + bl.content.length);
    return mk('value', path, start, end);
  }

  if (bl.key !== undefined && bl.keyStart !== undefined && bl.keyEnd !== undefined && col >= bl.keyStart) {
    // On a key.
    const map = stack.mapFor(bl.contentCol);
    const siblings = map ? map.keys.slice() : [];
    const path = stack.path();
    if (map && map.key !== undefined) path.pop();
    return mk('key', path, bl.keyStart, bl.keyEnd, { siblings });
  }

  // No `key:` before the cursor on this line.
  const open = bl.content.startsWith('{') || bl.content.startsWith('[') ? bl.contentCol : -1;
  if (open >= 0 && col > open) {
    stack.scalar(bl.contentCol);
    const path = stack.path();
    const fc = flowContext(line, open, col);
    if (fc) return mk(fc.kind, [...path, ...fc.path], fc.start, fc.end, { inFlow: true, siblings: fc.siblings });
  }
  const keyCol = bl.content === '' || col <= bl.contentCol ? Math.min(col, Math.max(bl.contentCol, col)) : bl.contentCol;
  let tokStart = bl.content === '' ? col : bl.contentCol;
  if (tokStart > col) tokStart = col;
  let tokEnd = bl.content === '' ? col : bl.contentCol + bl.content.length;
  if (bl.content !== '' && col < bl.contentCol) tokEnd = col; // cursor in the indentation
  const afterDash = bl.dashes.some((d) => d < col) && (bl.dashes.length === 0 || col > bl.dashes[bl.dashes.length - 1]);
  if (afterDash && (bl.content === '' || col >= bl.contentCol)) {
    const path = stack.path();
    const top = stack.top;
    return mk('item', path, tokStart, Math.max(tokEnd, tokStart), { siblings: top && top.type === 'map' ? top.keys.slice() : [] });
  }
  // A key being typed (or an empty line): the mapping at that column.
  const c = bl.content === '' ? col : keyCol;
  const map = stack.mapFor(c);
  const path = stack.path();
  let siblings: string[] = [];
  if (map) {
    siblings = map.keys.slice();
    if (map.key !== undefined) path.pop();
  }
  // keys below the cursor at the same indentation are siblings too
  for (let l = lineNo + 1; l < file.lineCount; l++) {
    const raw = file.line(l).text;
    if (raw.trim() === '' || raw.trim().startsWith('#')) continue;
    const b = parseBlockLine(raw);
    if (b.dashes.length > 0 || b.contentCol < c) break;
    if (b.contentCol === c && b.key !== undefined) siblings.push(b.key);
  }
  return mk('key', path, tokStart, Math.max(tokEnd, tokStart), { siblings });
}

function depthDelta(s: string): number {
  let d = 0;
  let q: string | undefined;
  const cs = commentStart(s);
  const str = cs >= 0 ? s.slice(0, cs) : s;
  for (const c of str) {
    if (q) {
      if (c === q) q = undefined;
      continue;
    }
    if (c === '"' || c === "'") q = c;
    else if (c === '{' || c === '[') d++;
    else if (c === '}' || c === ']') d--;
  }
  return d;
}
