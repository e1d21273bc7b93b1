// A fast, exact parse path for the block-style subset of YAML that acrotopo files use.
//
// `fastParseDocument(text)` builds the same `yaml` nodes (Document, YAMLMap, YAMLSeq, Pair, Scalar)
// with the same values, scalar types, flow flags and ranges that `parseDocument(text, PARSE_OPTIONS)`
// builds, in one line-oriented pass, or returns `undefined` ("bail": the caller then uses
// `parseDocument`) for anything outside the subset or anything it is not sure of.
//
// The subset: block mappings and block sequences (`- x`, `- key: v` compact mappings), plain scalars,
// single- and double-quoted scalars on one line (double-quoted without escapes), one-line flow
// sequences and flow mappings of scalars, comments (full-line and trailing), blank lines, empty
// values (`key:` → null), CRLF line ends. Everything else bails: anchors, aliases, tags, merge keys,
// block scalars, multi-line scalars or flow collections, complex keys, directives and document
// markers, tabs, BOM, control characters, odd indentation, and any syntax error.
//
// Not reproduced: comments (`comment`, `commentBefore`) and `spaceBefore` on nodes — nothing in
// acrotopo reads them. Ranges follow yaml 2.9.1's composer exactly, including where trailing
// comment lines and blank lines end up (see `attachTrivia`); fast-yaml.test.ts compares both
// parsers on generated and mutated documents.
import * as yaml from 'yaml';
import type { Document as DocumentT, Pair as PairT, Scalar as ScalarT, YAMLMap as YAMLMapT, YAMLSeq as YAMLSeqT } from 'yaml';

import type { Span } from './types';
import { isScalar, mapKeyString, sameKey, SMALL_MAP } from './yaml-lib';

// yaml's classes, read once (as yaml-lib.ts reads its functions): through a CommonJS interop layer
// (tsx, esbuild bundles) every `yaml.X` access is a getter call, and this module creates hundreds of
// thousands of nodes.
const Document = yaml.Document;
const Pair = yaml.Pair;
const Scalar = yaml.Scalar;
const YAMLMap = yaml.YAMLMap;
const YAMLSeq = yaml.YAMLSeq;
const PLAIN = yaml.Scalar.PLAIN;
const QUOTE_SINGLE = yaml.Scalar.QUOTE_SINGLE;
const QUOTE_DOUBLE = yaml.Scalar.QUOTE_DOUBLE;
type Pair = PairT;
type Scalar = ScalarT;
type YAMLMap = YAMLMapT;
type YAMLSeq = YAMLSeqT;

// yaml's node constructors give each node its type (`Symbol.for('yaml.node.type')`, which isScalar,
// isPair and the rest read) with Object.defineProperty: ~0.5 µs a node, and a 10,000-machine file has
// ~200,000 scalars and pairs. The fast path makes them with Object.create(Scalar.prototype /
// Pair.prototype) and their fields instead, and the type is found on the prototype, set there once
// below: the value every instance of the class has as its own. yaml reads it only as `node[NODE_TYPE]`;
// the nodes' string keys, prototype and values are those the constructors give (fast-yaml.test.ts
// compares them). Should a yaml version read it otherwise, FAST_NODES is false and the constructors
// are used.
const NODE_TYPE = Symbol.for('yaml.node.type');
const SCALAR_PROTO = yaml.Scalar.prototype;
const PAIR_PROTO = yaml.Pair.prototype;
const MAP_PROTO = yaml.YAMLMap.prototype;
const SEQ_PROTO = yaml.YAMLSeq.prototype;
const FAST_NODES = ((): boolean => {
  try {
    for (const [proto, type] of [[SCALAR_PROTO, 'yaml.scalar'], [PAIR_PROTO, 'yaml.pair'], [MAP_PROTO, 'yaml.map'], [SEQ_PROTO, 'yaml.seq']] as const) {
      if (!(NODE_TYPE in proto)) Object.defineProperty(proto, NODE_TYPE, { value: Symbol.for(type), configurable: true });
    }
    const s = Object.create(SCALAR_PROTO) as Scalar;
    s.value = 1;
    const p = Object.create(PAIR_PROTO) as Pair;
    p.key = s;
    p.value = null;
    const m = newCollection(true, undefined, true);
    const q = newCollection(false, undefined, true);
    return yaml.isScalar(s) && yaml.isNode(s) && !yaml.isCollection(s) && yaml.isPair(p) && !yaml.isNode(p) && !yaml.isScalar(p) && !yaml.isScalar(new yaml.Pair(s)) && yaml.isScalar(new Scalar(1))
      && yaml.isMap(m) && yaml.isCollection(m) && !yaml.isSeq(m) && yaml.isSeq(q) && !yaml.isMap(q) && yaml.isMap(new YAMLMap()) && !yaml.isMap(new YAMLSeq());
  } catch {
    return false;
  }
})();

/** new Scalar(value), without the per-node defineProperty (FAST_NODES). */
function newScalar(value: unknown): Scalar {
  if (!FAST_NODES) return new Scalar(value);
  const n = Object.create(SCALAR_PROTO) as Scalar;
  n.value = value;
  return n;
}

/** new YAMLMap(schema) or new YAMLSeq(schema), with one defineProperty (its schema, not enumerable, as the constructor's) instead of two (FAST_NODES). */
function newCollection(map: boolean, schema: unknown, fast = FAST_NODES): YAMLMap | YAMLSeq {
  if (!fast) return map ? new YAMLMap(schema as never) : new YAMLSeq(schema as never);
  const n = Object.create(map ? MAP_PROTO : SEQ_PROTO) as YAMLMap | YAMLSeq;
  Object.defineProperty(n, 'schema', { value: schema, configurable: true, enumerable: false, writable: true });
  n.items = [];
  return n;
}

/** new Pair(key, value), without the per-node defineProperty (FAST_NODES). */
function newPair(key: unknown, value: unknown): Pair {
  if (!FAST_NODES) return new Pair(key, value);
  const n = Object.create(PAIR_PROTO) as Pair;
  n.key = key;
  n.value = value;
  return n;
}

/** The `yaml` options of every parse in the engine (parseYaml and the fast path agree on them). */
export const PARSE_OPTIONS = {
  keepSourceTokens: false,
  prettyErrors: false,
  // yaml's own uniqueKeys check is quadratic per mapping (10k machines: seconds); parseYaml's is linear.
  uniqueKeys: false,
  merge: true,
  strict: true,
  logLevel: 'error', // no console warnings (e.g. collection keys stringified by toJS)
} as const;

let enabled = true;
/** For tests: turn the fast path off (parseYaml then always uses yaml's parseDocument). */
export function setFastParseEnabled(on: boolean): void {
  enabled = on;
}
export function fastParseEnabled(): boolean {
  return enabled;
}

type Range3 = [number, number, number];
interface ScalarTag {
  tag: string;
  default?: boolean | 'key';
  test?: RegExp;
  format?: string;
  resolve: (value: string, onError: (msg: string) => void, options: unknown) => unknown;
}

// yaml's Directives class is not exported; composeDoc hands every document `directives.atDocument()`.
const Directives = new Document().directives!.constructor as new (yaml: { version: string }) => object;

// The scalar tags yaml tries on a plain scalar, in its order (findScalarTagByTest in compose-scalar.js).
const schemaTags = (new Document(undefined, PARSE_OPTIONS).schema as unknown as { tags: ScalarTag[] }).tags;
const STR_TAG = (new Document(undefined, PARSE_OPTIONS).schema as unknown as Record<symbol, ScalarTag>)[Symbol.for('yaml.scalar')];
// yaml's str tag resolves a string to itself (checked): plain strings skip the call
const STR_IS_IDENTITY = STR_TAG.resolve('a b', () => undefined, {}) === 'a b' && !STR_TAG.format;
const VALUE_TAGS = schemaTags.filter((t) => t.default === true && t.test);
const KEY_TAGS = schemaTags.filter((t) => (t.default === true || t.default === 'key') && t.test);
const MERGE_TAG = 'tag:yaml.org,2002:merge';
// A pre-filter: with the core schema's tests (checked here), only the empty string, strings that
// start with a digit or one of `~+-.<`, and strings of at most 5 characters that start with one of
// `tTfFnN` (true, False, NULL…) can match a tag other than str. If yaml's tests ever differ, the
// pre-filter is off and every plain scalar goes through every test.
const KNOWN_TESTS = [
  '^(?:~|[Nn]ull|NULL)?$',
  '^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$',
  '^0o[0-7]+$',
  '^[-+]?[0-9]+$',
  '^0x[0-9a-fA-F]+$',
  '^(?:[-+]?\\.(?:inf|Inf|INF)|\\.nan|\\.NaN|\\.NAN)$',
  '^[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)[eE][-+]?[0-9]+$',
  '^[-+]?(?:\\.[0-9]+|[0-9]+\\.[0-9]*)$',
  '^<<$',
];
const MAYBE_TAGGED = new Uint8Array(128);
{
  const tests = KEY_TAGS.map((t) => t.test!.source);
  const known = tests.length === KNOWN_TESTS.length && tests.every((s, i) => s === KNOWN_TESTS[i]) && KEY_TAGS.every((t) => !t.test!.flags);
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    MAYBE_TAGGED[c] = !known || '~0123456789+-.<'.includes(ch) ? 1 : 'nNtTfF'.includes(ch) ? 2 : 0;
  }
}

class Bail extends Error {}
const BAIL = new Bail('not in the fast subset');
function bail(): never {
  throw BAIL;
}
const onResolveError = () => bail();

const SP = 32;
const CR = 13;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const SQ = 39;
const DQ = 34;
const BACKSLASH = 92;

// Characters a plain scalar may not start with (besides `-`, `?`, `:` followed by a space, which are
// indicators): flow indicators, comment, anchor, alias, tag, block scalars, quotes, directive and
// reserved characters. `?` and `:` are refused in any case (rare, and their rules are subtle).
const BAD_PLAIN_START = new Uint8Array(128);
for (const ch of ',[]{}#&*!|>\'"%@`?:') BAD_PLAIN_START[ch.charCodeAt(0)] = 1;
const FLOW_INDICATOR = new Uint8Array(128);
for (const ch of ',[]{}') FLOW_INDICATOR[ch.charCodeAt(0)] = 1;

const MAP = 0;
const SEQ = 1;
interface Frame {
  kind: typeof MAP | typeof SEQ;
  indent: number;
  node: YAMLMap | YAMLSeq;
  start: number;
  /** range[2] from a trailing comment kept in this collection, else -1 */
  commentEnd: number;
  /** a mapping's keys (mapKeyString), once it has more than SMALL_MAP (noteKey) */
  keys?: Set<string>;
}

/** A blank or comment-only line between two content lines. */
interface Trivia {
  /** offset of the line's start */
  start: number;
  indent: number;
  comment: boolean;
  /** offset of the line's newline token (== next when the text ends without one) */
  nl: number;
  /** offset of the next line (or the end of the text) */
  next: number;
}

/**
 * Characters the fast path does not take: tabs, a CR that does not end a line, control and
 * non-printable characters (C0, DEL, C1), BOM, U+2028/2029 and the noncharacters U+FFFE/FFFF.
 */
const BAD_CHARS = /[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\uFEFF\uFFFE\uFFFF]|\r(?!\n)/;

export function fastParseDocument(text: string): DocumentT.Parsed | undefined {
  if (BAD_CHARS.test(text)) return undefined;
  try {
    const parser = new FastParser(text);
    const doc = parser.parse();
    DUPLICATES.set(doc, parser.duplicates);
    return doc;
  } catch (e) {
    if (e === BAIL) return undefined;
    throw e;
  }
}

/** the duplicate keys each document of fastParseDocument has (fastDuplicateKeys) */
const DUPLICATES = new WeakMap<object, Span[]>();

/**
 * For a document fastParseDocument made: the spans of the keys that repeat an earlier key of their
 * mapping, in document order — what yaml-ast.ts's duplicateKeys finds walking it (the same comparison:
 * sameKey, or mapKeyString in a set past SMALL_MAP keys; fast-yaml.test.ts compares them), found while
 * the keys were parsed instead of in a walk of every node afterwards (~10–15 ms of a cold 10,000-machine
 * open). Undefined for any other document.
 */
export function fastDuplicateKeys(doc: object): readonly Span[] | undefined {
  return DUPLICATES.get(doc);
}

class FastParser {
  /** keys that repeat an earlier key of their mapping (fastDuplicateKeys) */
  readonly duplicates: Span[] = [];
  private readonly doc: DocumentT.Parsed;
  private readonly schema: unknown;
  private readonly options: unknown;
  private readonly stack: Frame[] = [];
  // what the last content line left open:
  /** (a) the value at the end of the last content line (its range[2] may grow over indented comments) */
  private lastValue: Scalar | YAMLMap | YAMLSeq | null = null;
  /** (b) a key with no value on its line, in the top frame (a map): value pending */
  private pendingPair: Pair | null = null;
  /** where the empty value of pendingPair sits (after `:` and the spaces after it) */
  private pendingPos = 0;
  /** the pending key's line has a comment */
  private pendingLineComment = false;
  /** offset of the pending key line's newline token, -1 at the end of the text */
  private pendingNl = -1;
  private readonly trivia: Trivia[] = [];
  private readonly floating: Floating = { open: false, any: false, maxComment: -1, end: 0 };
  private docStart = -1;

  constructor(private readonly text: string) {
    const opts = Object.assign({ _directives: new Directives({ version: '1.2' }) }, PARSE_OPTIONS);
    this.doc = new Document(undefined, opts as never) as DocumentT.Parsed;
    this.schema = this.doc.schema;
    this.options = this.doc.options;
  }

  parse(): DocumentT.Parsed {
    const text = this.text;
    const len = text.length;
    let pos = 0;
    while (pos < len) {
      let nl = text.indexOf('\n', pos);
      const next = nl < 0 ? len : nl + 1;
      if (nl < 0) nl = len;
      let end = nl; // end of the line's content (before CR LF)
      if (end > pos && text.charCodeAt(end - 1) === CR) end--;
      let i = pos;
      while (i < end && text.charCodeAt(i) === SP) i++;
      const indent = i - pos;
      if (i === end) {
        this.trivia.push({ start: pos, indent, comment: false, nl: end, next });
      } else if (text.charCodeAt(i) === HASH) {
        this.trivia.push({ start: pos, indent, comment: true, nl: end, next });
      } else {
        this.contentLine(pos, i, end, next);
      }
      pos = next;
    }
    // the end of the text
    if (this.stack.length === 0) bail(); // empty document or comments only
    const floating = this.beforeContent(-1, len);
    for (let k = this.stack.length - 1; k >= 0; k--) this.close(this.stack[k], floating);
    const root = this.stack[0].node;
    const contentEnd = (root.range as Range3)[2];
    const doc = this.doc;
    doc.contents = root as DocumentT.Parsed['contents'];
    // trailing blank lines and comments that no collection keeps belong to the document's end
    doc.range = [this.docStart, contentEnd, floating.open && floating.any ? len : contentEnd];
    return doc;
  }

  /**
   * Handles what lies between the last content line and the next one (at `indent`, its content at
   * `cs`; -1 and the text's length at the end): the pending empty value, indented comments that
   * extend the last value, and returns what is left to attach to the collections it closes.
   */
  private beforeContent(indent: number, cs: number): Floating {
    const trivia = this.trivia;
    const floating = this.floating;
    floating.open = false;
    floating.any = false;
    floating.maxComment = -1;
    floating.end = cs;
    if (this.pendingPair) {
      const top = this.stack[this.stack.length - 1];
      // an empty value (null): yaml places it after `:` and the spaces after it; with a comment in
      // its separator tokens, its range ends with those tokens
      let sepEnd = cs;
      if (indent === top.indent) {
        // the next key of the same mapping takes the newlines from the second one after the last
        // reset (the `:` or a comment indented deeper than the mapping) on, and what follows them
        let count = this.pendingNl >= 0 ? 1 : 0;
        let second = -1;
        for (const t of trivia) {
          if (t.comment && t.indent > top.indent) {
            count = 0;
            second = -1;
          }
          if (t.nl < t.next) {
            count++;
            if (count === 2) second = t.nl;
          }
        }
        if (second >= 0) sepEnd = second;
      }
      let comment = this.pendingLineComment;
      for (const t of trivia) if (t.comment && t.start < sepEnd) comment = true;
      const p = this.pendingPos;
      const value = this.plain('', p, p, comment ? sepEnd : p, false);
      this.pendingPair.value = value;
      this.pendingPair = null;
      trivia.length = 0;
      return floating;
    }
    const last = this.lastValue;
    if (trivia.length === 0 && last) {
      // the common case: the next content line follows the value's line directly
      floating.open = true;
      floating.any = cs > (last.range as Range3)[2];
      this.lastValue = null;
      return floating;
    }
    // after a value at the end of a line: comment lines indented deeper than its collection extend
    // the value's range (with the blank lines before them), up to the first comment line that is not
    let k = 0;
    if (last) {
      const top = this.stack[this.stack.length - 1];
      const r = last.range as Range3;
      for (let j = 0; j < trivia.length; j++) {
        const t = trivia[j];
        if (!t.comment) continue;
        if (t.indent <= top.indent) break;
        r[2] = t.next;
        k = j + 1;
      }
    }
    // the rest (and the indentation of the next line) floats up through the collections being closed
    const any = last ? cs > (last.range as Range3)[2] : trivia.length > 0 || cs > 0;
    for (let j = k; j < trivia.length; j++) if (trivia[j].comment && trivia[j].indent > floating.maxComment) floating.maxComment = trivia[j].indent;
    floating.open = true;
    floating.any = any;
    trivia.length = 0;
    this.lastValue = null;
    return floating;
  }

  /** Sets a finished collection's range; trailing comments indented at least as deep as it stay in it. */
  private close(f: Frame, floating: Floating): void {
    if (floating.open && f.indent !== 0 && floating.maxComment >= f.indent) {
      f.commentEnd = floating.end;
      floating.open = false;
    }
    const items = f.node.items;
    if (items.length === 0) bail();
    const lastItem = items[items.length - 1];
    const lastNode = f.kind === MAP ? (lastItem as Pair).value : lastItem;
    const end = ((lastNode as Scalar).range as Range3)[2];
    f.node.range = [f.start, end, f.commentEnd >= 0 ? f.commentEnd : end];
    // An array grown by push keeps room for 16 items or more, and most collections have a few: a
    // machine's mapping 4–6 pairs. Its exact copy, made while the grown one is still young, halves
    // what each later garbage collection copies of it (~5 MB kept at 10,000 machines).
    f.node.items = items.slice();
  }

  private contentLine(lineStart: number, cs: number, end: number, next: number): void {
    const text = this.text;
    const indent = cs - lineStart;
    const c0 = text.charCodeAt(cs);
    if (indent === 0 && (c0 === DASH || c0 === 46 /* . */) && end - cs >= 3) {
      const s = text.slice(cs, cs + 3);
      if ((s === '---' || s === '...') && (end === cs + 3 || text.charCodeAt(cs + 3) === SP)) bail();
    }
    const c1 = cs + 1 < end ? text.charCodeAt(cs + 1) : -1;
    const isSeqLine = c0 === DASH && (c1 === SP || c1 === -1);
    const stack = this.stack;
    if (stack.length === 0) {
      // the first content line opens the root collection
      this.docStart = lineStart;
      this.trivia.length = 0;
      const root = this.open(isSeqLine ? SEQ : MAP, indent, cs);
      if (isSeqLine) this.seqItem(root, lineStart, cs, end, next);
      else this.mapEntry(root, cs, end, next);
      return;
    }
    const pending = this.pendingPair;
    if (pending) {
      const top = stack[stack.length - 1];
      if (indent > top.indent || (indent === top.indent && isSeqLine)) {
        // this line starts the pending key's block value; the trivia before it are its comments
        this.pendingPair = null;
        this.trivia.length = 0;
        const f = this.open(isSeqLine ? SEQ : MAP, indent, cs);
        pending.value = f.node;
        if (isSeqLine) this.seqItem(f, lineStart, cs, end, next);
        else this.mapEntry(f, cs, end, next);
        return;
      }
    }
    const floating = this.beforeContent(indent, cs);
    // close the collections this line is outside of
    let top = stack[stack.length - 1];
    if (indent > top.indent) bail(); // a continuation line or bad indentation
    while (top.indent > indent || (top.indent === indent && top.kind === SEQ && !isSeqLine)) {
      this.close(top, floating);
      stack.pop();
      if (stack.length === 0) bail(); // less indented than the root
      top = stack[stack.length - 1];
    }
    if (top.indent !== indent) bail();
    if (isSeqLine) {
      if (top.kind !== SEQ) bail(); // `- ` at a mapping's indentation without a pending key
      this.seqItem(top, lineStart, cs, end, next);
    } else {
      if (top.kind !== MAP) bail();
      this.mapEntry(top, cs, end, next);
    }
  }

  private open(kind: typeof MAP | typeof SEQ, indent: number, start: number): Frame {
    const node = newCollection(kind === MAP, this.schema);
    const f: Frame = { kind, indent, node, start, commentEnd: -1 };
    this.stack.push(f);
    return f;
  }

  /** `- …` at cs (the dash). */
  private seqItem(f: Frame, lineStart: number, cs: number, end: number, next: number): void {
    const text = this.text;
    let v = cs + 1;
    while (v < end && text.charCodeAt(v) === SP) v++;
    if (v === end) bail(); // `-` alone: an empty item or a block on the next lines
    const c = text.charCodeAt(v);
    if (c === HASH) bail(); // `- # comment`: an empty item
    if (c === DASH && (v + 1 === end || text.charCodeAt(v + 1) === SP)) bail(); // `- - x`
    const seq = f.node as YAMLSeq;
    if (c === 91 /* [ */ || c === 123 /* { */) {
      const node = this.flow(v, end, next);
      seq.items.push(node);
      this.lastValue = node;
      return;
    }
    // a scalar, or the first key of a compact mapping
    const keyEnd = this.findKey(v, end);
    if (keyEnd >= 0) {
      const m = this.open(MAP, v - lineStart, v);
      seq.items.push(m.node);
      this.mapEntry(m, v, end, next);
      return;
    }
    const node = this.blockScalarValue(v, end, next);
    seq.items.push(node);
    this.lastValue = node;
  }

  /**
   * If a block mapping key starts at `s` (a plain or quoted scalar followed by `:` and a space or
   * the line end), the offset of that `:`, else -1. Bails on keys yaml would not read the same way.
   */
  private findKey(s: number, end: number): number {
    const text = this.text;
    const c = text.charCodeAt(s);
    if (c === SQ || c === DQ) {
      const q = this.quotedEnd(s, end);
      let i = q;
      while (i < end && text.charCodeAt(i) === SP) i++;
      if (i < end && text.charCodeAt(i) === COLON && (i + 1 === end || text.charCodeAt(i + 1) === SP)) return i;
      return -1;
    }
    for (let i = s; i < end; i++) {
      const ch = text.charCodeAt(i);
      if (ch === COLON) {
        if (i + 1 === end || text.charCodeAt(i + 1) === SP) return i;
      } else if (ch === SP && text.charCodeAt(i + 1) === HASH) return -1;
    }
    return -1;
  }

  /** `key: value` with the key at cs. */
  private mapEntry(f: Frame, cs: number, end: number, next: number): void {
    const text = this.text;
    const colon = this.findKey(cs, end);
    if (colon < 0) bail(); // not a `key:` line (a scalar, a continuation, an error)
    if (colon - cs > 1000) bail(); // implicit keys are limited to 1024 characters
    const c = text.charCodeAt(cs);
    let key: Scalar;
    if (c === SQ || c === DQ) {
      const q = this.quotedEnd(cs, end);
      key = this.quoted(cs, q, q);
    } else {
      if (BAD_PLAIN_START[c] || c === DASH && (cs + 1 === end || text.charCodeAt(cs + 1) === SP)) bail();
      let e = colon;
      while (text.charCodeAt(e - 1) === SP) e--;
      key = this.plain(text.slice(cs, e), cs, e, e, true);
    }
    if (key.value === '<<') bail(); // merge keys
    const map = f.node as YAMLMap;
    this.noteKey(map.items as Pair[], key, f);
    let v = colon + 1;
    while (v < end && text.charCodeAt(v) === SP) v++;
    if (v === end || text.charCodeAt(v) === HASH) {
      // no value on this line: a block value on the next lines, or an empty value
      const pair = newPair(key, null);
      map.items.push(pair);
      this.pendingPair = pair;
      this.pendingPos = v;
      this.pendingLineComment = v < end;
      this.pendingNl = next > end ? end : -1;
      return;
    }
    const vc = text.charCodeAt(v);
    let value: Scalar | YAMLMap | YAMLSeq;
    if (vc === 91 /* [ */ || vc === 123 /* { */) value = this.flow(v, end, next);
    else value = this.blockScalarValue(v, end, next);
    map.items.push(newPair(key, value));
    this.lastValue = value;
  }

  /**
   * Records `key` as a duplicate when it repeats the key of one of `items` (the pairs of its mapping
   * before it): pairwise while the mapping has at most SMALL_MAP keys, then through a set kept in
   * `holder` — as duplicateKeys compares them (the keys here are scalars, none `<<`).
   */
  private noteKey(items: readonly Pair[], key: Scalar, holder: { keys?: Set<string> }): void {
    const v = key.value;
    const n = items.length;
    let dup = false;
    if (n < SMALL_MAP) {
      for (let j = 0; j < n; j++) {
        if (sameKey((items[j].key as Scalar).value, v)) {
          dup = true;
          break;
        }
      }
    } else {
      let seen = holder.keys;
      if (!seen) {
        seen = holder.keys = new Set();
        for (let j = 0; j < n; j++) seen.add(mapKeyString((items[j].key as Scalar).value));
      }
      const k = mapKeyString(v);
      if (seen.has(k)) dup = true;
      else seen.add(k);
    }
    if (dup) {
      const r = key.range as Range3;
      this.duplicates.push({ start: r[0], end: r[1] });
    }
  }

  /** A scalar value that ends its line (after it: spaces, a comment, the line end). */
  private blockScalarValue(v: number, end: number, next: number): Scalar {
    const text = this.text;
    const c = text.charCodeAt(v);
    if (c === SQ || c === DQ) {
      const q = this.quotedEnd(v, end);
      this.lineRest(q, end);
      return this.quoted(v, q, next);
    }
    if (c < 128 && BAD_PLAIN_START[c]) bail();
    if (c === DASH && (v + 1 === end || text.charCodeAt(v + 1) === SP)) bail();
    let e = v; // end of the scalar (last non-space + 1)
    for (let i = v; i < end; i++) {
      const ch = text.charCodeAt(i);
      if (ch === SP) {
        if (text.charCodeAt(i + 1) === HASH) break;
        continue;
      }
      if (ch === COLON && (i + 1 === end || text.charCodeAt(i + 1) === SP)) bail(); // a mapping in a value
      e = i + 1;
    }
    return this.plain(text.slice(v, e), v, e, next, false);
  }

  /** After a quoted scalar or flow collection: only spaces and a comment (after a space) may follow. */
  private lineRest(i: number, end: number): void {
    const text = this.text;
    if (i === end) return;
    if (text.charCodeAt(i) !== SP) bail();
    while (i < end && text.charCodeAt(i) === SP) i++;
    if (i < end && text.charCodeAt(i) !== HASH) bail();
  }

  /** The offset after the closing quote of a one-line quoted scalar starting at s. */
  private quotedEnd(s: number, end: number): number {
    const text = this.text;
    const q = text.charCodeAt(s);
    for (let i = s + 1; i < end; i++) {
      const ch = text.charCodeAt(i);
      if (ch === q) {
        if (q === SQ && text.charCodeAt(i + 1) === SQ && i + 1 < end) {
          i++;
          continue;
        }
        return i + 1;
      }
      if (ch === BACKSLASH && q === DQ) bail(); // escapes: yaml's own parser
    }
    return bail(); // not closed on this line
  }

  private quoted(s: number, e: number, end2: number): Scalar {
    const text = this.text;
    const single = text.charCodeAt(s) === SQ;
    let value = text.slice(s + 1, e - 1);
    if (single && value.includes("''")) value = value.replace(/''/g, "'");
    const node = newScalar(STR_TAG.resolve(value, onResolveError, this.options));
    node.range = [s, e, end2];
    (node as { source?: string }).source = value;
    node.type = single ? QUOTE_SINGLE : QUOTE_DOUBLE;
    return node;
  }

  /** A plain scalar resolved as yaml's core schema does (compose-scalar.js findScalarTagByTest). */
  private plain(str: string, s: number, e: number, end2: number, atKey: boolean): Scalar {
    let tag = STR_TAG;
    const c = str.charCodeAt(0);
    const maybe = c < 128 ? MAYBE_TAGGED[c] : 1;
    if (str.length === 0 || maybe === 1 || (maybe === 2 && str.length <= 5)) {
      const tags = atKey ? KEY_TAGS : VALUE_TAGS;
      for (let i = 0; i < tags.length; i++) {
        if (tags[i].test!.test(str)) {
          tag = tags[i];
          break;
        }
      }
      if (tag.tag === MERGE_TAG) bail();
    }
    let node: Scalar;
    if (tag === STR_TAG && STR_IS_IDENTITY) node = newScalar(str);
    else {
      const res = tag.resolve(str, onResolveError, this.options);
      node = isScalar(res) ? (res as Scalar) : newScalar(res);
    }
    node.range = [s, e, end2];
    (node as { source?: string }).source = str;
    node.type = PLAIN;
    if (tag.format) node.format = tag.format;
    return node;
  }

  /** A one-line flow sequence or mapping of scalars at v, ending its line. */
  private flow(v: number, end: number, next: number): YAMLMap | YAMLSeq {
    const text = this.text;
    const isMap = text.charCodeAt(v) === 123;
    const close = isMap ? 125 : 93;
    const coll = newCollection(isMap, this.schema);
    coll.flow = true;
    let i = v + 1;
    while (i < end && text.charCodeAt(i) === SP) i++;
    const keys = this.flowKeys;
    keys.keys = undefined;
    if (i < end && text.charCodeAt(i) === close) {
      i++;
    } else {
      for (;;) {
        // an item (a key in a mapping)
        const itemStart = i;
        const item = this.flowScalar(i, end, isMap);
        i = this.flowEnd;
        let j = i;
        while (j < end && text.charCodeAt(j) === SP) j++;
        if (isMap) {
          if (j >= end || text.charCodeAt(j) !== COLON) bail(); // `{ a }`, `{ a, b }`
          if (j + 1 >= end || text.charCodeAt(j + 1) !== SP) bail();
          const key = item;
          key.range = [itemStart, i, i];
          if (key.value === '<<') bail();
          this.noteKey((coll as YAMLMap).items as Pair[], key, keys);
          let k = j + 1;
          while (k < end && text.charCodeAt(k) === SP) k++;
          const vc = text.charCodeAt(k);
          if (k >= end || vc === 44 || vc === close || vc === 91 || vc === 123) bail(); // empty or nested values
          const val = this.flowScalar(k, end, false);
          i = this.flowEnd;
          j = i;
          while (j < end && text.charCodeAt(j) === SP) j++;
          val.range = [k, i, j];
          (coll as YAMLMap).items.push(newPair(key, val));
        } else {
          item.range = [itemStart, i, j];
          (coll as YAMLSeq).items.push(item);
        }
        if (j >= end) bail(); // not closed on this line
        const ch = text.charCodeAt(j);
        if (ch === close) {
          i = j + 1;
          break;
        }
        if (ch !== 44 /* , */) bail();
        i = j + 1;
        while (i < end && text.charCodeAt(i) === SP) i++;
        if (i >= end || text.charCodeAt(i) === close) bail(); // trailing comma or not closed
      }
    }
    this.lineRest(i, end);
    coll.range = [v, i, next];
    coll.items = coll.items.slice(); // exactly sized (close)
    return coll;
  }

  /** a flow mapping's keys past SMALL_MAP (noteKey), for the one flow() is reading */
  private readonly flowKeys: { keys?: Set<string> } = {};

  /** where the last flowScalar ended */
  private flowEnd = 0;

  /** A plain or quoted scalar inside a flow collection (no nested collections); sets flowEnd. */
  private flowScalar(s: number, end: number, atKey: boolean): Scalar {
    const text = this.text;
    if (s >= end) bail();
    const c = text.charCodeAt(s);
    if (c === SQ || c === DQ) {
      const q = this.quotedEnd(s, end);
      this.flowEnd = q;
      return this.quoted(s, q, q);
    }
    if (c < 128 && BAD_PLAIN_START[c]) bail();
    if (c === DASH) {
      // `-` starts a plain scalar only before a character that is safe in a flow (`[-, x]` is an error)
      const n = s + 1 < end ? text.charCodeAt(s + 1) : SP;
      if (n === SP || (n < 128 && FLOW_INDICATOR[n])) bail();
    }
    let e = s;
    for (let i = s; i < end; i++) {
      const ch = text.charCodeAt(i);
      if (ch === SP) {
        const n = text.charCodeAt(i + 1);
        if (n === HASH) bail(); // a comment inside a one-line flow collection
        continue;
      }
      if (ch < 128 && FLOW_INDICATOR[ch]) break;
      if (ch === COLON) {
        const n = i + 1 < end ? text.charCodeAt(i + 1) : SP;
        if (n === SP || (n < 128 && FLOW_INDICATOR[n])) break;
      }
      e = i + 1;
    }
    if (e === s) bail();
    this.flowEnd = e;
    return this.plain(text.slice(s, e), s, e, e, atKey);
  }
}

interface Floating {
  /** trailing trivia not yet kept by a collection */
  open: boolean;
  /** there are trailing trivia tokens at all */
  any: boolean;
  /** deepest indentation of a comment among them, -1 if none */
  maxComment: number;
  /** where they end (the start of the next content, or the end of the text) */
  end: number;
}
