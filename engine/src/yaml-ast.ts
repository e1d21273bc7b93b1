// Parsing with `yaml` (node ranges kept) and small, bounded helpers to read the AST.
// Aliases are resolved through these helpers only, with a budget, so an alias bomb cannot blow up.
import { Alias, Document, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { isAlias, isMap, isPair, isScalar, isSeq, mapKeyString, parseDocument, sameKey, SMALL_MAP, visit } from './yaml-lib';
import type { Node as YNode, Pair, ParsedNode } from 'yaml';
import type { Span } from './types';
import { fastDuplicateKeys, fastParseDocument, fastParseEnabled, PARSE_OPTIONS } from './fast-yaml';

export type AnyNode = YNode | ParsedNode;

export interface SyntaxProblem {
  span: Span;
  message: string;
  severity: 'error' | 'warning';
  code: string;
}

export interface ParsedYaml {
  doc: Document.Parsed;
  problems: SyntaxProblem[];
}

const MESSAGES: Record<string, string> = {
  MULTIPLE_DOCS: 'the file holds several YAML documents; an acrotopo file is one document (only the first is checked)',
  DUPLICATE_KEY: 'duplicate key: a key may appear only once in a mapping',
  TAB_AS_INDENT: 'tabs are not allowed as indentation in YAML; indent with spaces',
};

export function parseYaml(text: string): ParsedYaml {
  // The fast path (fast-yaml.ts) builds the same nodes as parseDocument for the block-style subset
  // acrotopo files use, and returns undefined for anything else; PARSE_OPTIONS are the options of both.
  const doc = (fastParseEnabled() ? fastParseDocument(text) : undefined) ?? (parseDocument(text, PARSE_OPTIONS) as Document.Parsed);
  return withProblems(doc, text);
}

/** parseYaml() when the fast path takes the text (no syntax problem, the block-style subset); else undefined. */
export function parseYamlFast(text: string): ParsedYaml | undefined {
  const doc = fastParseEnabled() ? fastParseDocument(text) : undefined;
  return doc && withProblems(doc, text);
}

function withProblems(doc: Document.Parsed, text: string): ParsedYaml {
  const problems: SyntaxProblem[] = [];
  const push = (e: { pos: [number, number]; code: string; message: string }, severity: 'error' | 'warning') => {
    let [start, end] = e.pos;
    start = Math.max(0, Math.min(start, text.length));
    end = Math.max(start, Math.min(end, text.length));
    if (e.code === 'MULTIPLE_DOCS') {
      // point at the document marker line, not at the whole rest of the file
      const nl = text.indexOf('\n', start);
      end = nl < 0 ? text.length : nl;
      if (text[end - 1] === '\r') end--;
    }
    if (end <= start) end = Math.min(text.length, start + 1);
    if (end <= start && start > 0 && start === text.length) start--; // at end of file: mark the last character
    // the parser's own stack overflow on thousands of nesting levels: once, in words (fuzz/hostile-cases.ts)
    const tooDeep = /Maximum call stack size exceeded/.test(e.message);
    if (tooDeep && problems.some((p) => p.code === 'TOO_DEEP')) return;
    const base = tooDeep ? 'the file is nested too deeply to be parsed (thousands of levels); what lies below was not checked' : (MESSAGES[e.code] ?? e.message.replace(/\s+at line \d+, column \d+[\s\S]*$/, '').trim());
    problems.push({ span: { start, end }, message: `YAML: ${base}`, severity, code: tooDeep ? 'TOO_DEEP' : e.code });
  };
  for (const e of doc.errors) push(e, 'error');
  for (const w of doc.warnings) push(w, 'warning');
  const np = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/.exec(text);
  if (np) {
    const code = np[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    problems.push({ span: { start: np.index, end: np.index + 1 }, message: `YAML: non-printable character U+${code} (is this a binary file?); YAML allows only printable characters`, severity: 'error', code: 'NON_PRINTABLE' });
  }
  const bomb = aliasBomb(doc, text);
  if (bomb) problems.push({ span: bomb, message: `YAML: this alias expands to more than ${MAX_EXPANDED_NODES.toLocaleString('en')} nodes (an alias bomb?); aliased content this large is not checked`, severity: 'error', code: 'ALIAS_BOMB' });
  // (the fast path found them while it parsed: the same spans, in document order)
  for (const span of fastDuplicateKeys(doc) ?? duplicateKeys(doc)) {
    problems.push({ span, message: `YAML: duplicate key '${text.slice(span.start, span.end)}': a key may appear only once in a mapping`, severity: 'error', code: 'DUPLICATE_KEY' });
  }
  problems.sort((a, b) => a.span.start - b.span.start);
  return { doc, problems };
}

export const MAX_EXPANDED_NODES = 100_000;

/**
 * The first alias whose expansion would exceed MAX_EXPANDED_NODES nodes. Sizes are memoised per
 * node, so this is linear in the document, whatever the aliases multiply to.
 */
function aliasBomb(doc: Document.Parsed, text: string): Span | undefined {
  if (!doc.contents || !text.includes('*')) return undefined; // no alias without a '*'
  const size = new Map<unknown, number>();
  let found: Span | undefined;
  const measure = (node: unknown, depth: number): number => {
    if (!node || typeof node !== 'object') return 1;
    const memo = size.get(node);
    if (memo !== undefined) return memo;
    if (depth > 5000) return 1; // the parser reports absurd nesting itself
    size.set(node, 1); // cycle guard
    let n = 1;
    if (isAlias(node)) {
      const target = (node as Alias).resolve(doc);
      n = measure(target, depth + 1);
      if (n > MAX_EXPANDED_NODES && !found) found = spanOf(node as AnyNode);
    } else if (isMap(node)) {
      for (const p of (node as YAMLMap).items) n += measure(p.key, depth + 1) + measure(p.value, depth + 1);
    } else if (isSeq(node)) {
      for (const it of (node as YAMLSeq).items) n += measure(it, depth + 1);
    }
    n = Math.min(n, Number.MAX_SAFE_INTEGER);
    size.set(node, n);
    return n;
  };
  let hasAlias = false;
  visit(doc, { Alias() { hasAlias = true; return visit.BREAK; } });
  if (!hasAlias) return undefined;
  measure(doc.contents, 0);
  return found;
}

/**
 * Spans of keys that repeat an earlier key of the same mapping (scalar keys; linear). Walks every
 * mapping of the document (keys, values and sequence items, as yaml's `visit` does, without its
 * per-node overhead) with an explicit stack, so deep nesting cannot overflow the call stack.
 */
function duplicateKeys(doc: Document.Parsed): Span[] {
  const out: Span[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    if (isMap(node)) {
      const items = (node as YAMLMap).items as { key: unknown; value: unknown }[];
      // (only what can hold a mapping: scalars, most of the nodes, are not pushed to be popped again)
      for (let i = 0; i < items.length; i++) {
        const { key, value } = items[i];
        if (key && typeof key === 'object' && !isScalar(key)) stack.push(key);
        if (value && typeof value === 'object' && !isScalar(value)) stack.push(value);
      }
      if (items.length < 2) continue;
      if (items.length <= SMALL_MAP) {
        // (most mappings have a handful of keys: compared pairwise, with no key string or set)
        for (let i = 1; i < items.length; i++) {
          const k = items[i].key;
          if (!isScalar(k) || k.value === '<<') continue;
          for (let j = 0; j < i; j++) {
            const e = items[j].key;
            if (isScalar(e) && e.value !== '<<' && sameKey(e.value, k.value)) {
              const sp = spanOf(k as AnyNode);
              if (sp) out.push(sp);
              break;
            }
          }
        }
        continue;
      }
      const seen = new Set<string>();
      for (const item of items) {
        const k = item.key;
        if (!isScalar(k) || k.value === '<<') continue;
        const key = mapKeyString(k.value);
        if (seen.has(key)) {
          const sp = spanOf(k as AnyNode);
          if (sp) out.push(sp);
        } else seen.add(key);
      }
    } else if (isSeq(node)) {
      const items = (node as YAMLSeq).items;
      for (let i = 0; i < items.length; i++) if (items[i] && typeof items[i] === 'object' && !isScalar(items[i])) stack.push(items[i]);
    } else if (isPair(node)) {
      stack.push(node.key, node.value);
    }
  }
  return out;
}

export function spanOf(node: AnyNode | null | undefined): Span | undefined {
  const r = (node as { range?: [number, number, number] } | null | undefined)?.range;
  if (!r) return undefined;
  return { start: r[0], end: r[1] };
}

/** Shared budget for alias resolution within one check (alias bombs). */
export class AliasBudget {
  remaining: number;
  exceeded: Span | undefined;
  constructor(limit = 10_000) {
    this.remaining = limit;
  }
}

export interface PairInfo {
  key: string;
  keyNode: AnyNode;
  value: AnyNode | undefined;
  keySpan: Span;
}

/** Lookups by scanning before a mapping is read and indexed (AstReader.pair). */
const SCANS_BEFORE_INDEX = 8;
const MERGED = Symbol('merge key');

/**
 * How a mapping's item counts for its pairs (AstReader.readPairs and scanPair): its key as a string,
 * MERGED for a merge key (`<<`), undefined for an item that is not a pair or has a null, missing or
 * collection key.
 */
function keyOf(item: unknown): string | typeof MERGED | undefined {
  if (!isPair(item)) return undefined;
  const keyNode = item.key as AnyNode;
  const k = isScalar(keyNode) ? keyNode.value : undefined;
  if (k === '<<' || (isScalar(keyNode) && (keyNode as Scalar).source === '<<')) return MERGED;
  if (k === null || k === undefined || typeof k === 'object') return undefined;
  return String(k);
}

function pairInfo(key: string, item: Pair): PairInfo {
  const keyNode = item.key as AnyNode;
  return { key, keyNode, value: (item.value as AnyNode | null) ?? undefined, keySpan: spanOf(keyNode) ?? { start: 0, end: 0 } };
}

/**
 * The own pair of `map` with this key, as AstReader.readPairs reads it: the last one (`pair()`'s
 * index keeps the last) or the first (`first`). MERGED when the mapping has no own pair with that key
 * but has a merge key (the merged pairs decide then).
 */
function scanPair(map: YAMLMap, key: string, first: boolean): PairInfo | undefined | typeof MERGED {
  let found: Pair | undefined;
  let merge = false;
  for (const item of map.items) {
    const k = keyOf(item);
    if (k === MERGED) merge = true;
    else if (k === key) {
      found = item as Pair;
      if (first) break;
    }
  }
  if (!found) return merge ? MERGED : undefined;
  return pairInfo(key, found);
}

/**
 * Mappings whose items are all pairs with distinct plain string keys, none a merge key, given with
 * their pairs by key by whoever built them: the `machines:` mapping the incremental checker assembles
 * from its chunks (incremental.ts), which knows every name already. `pair()` and `firstPair()` look
 * up such a mapping there instead of scanning or indexing it (a delta check that reruns a rule on
 * every machine — `network.dns` — looks up each reported machine's entry for its fix: at 10,000
 * machines 8 scans of every entry and an index of them, 15–20 ms per keystroke).
 */
export const KEYED_MAPS = new WeakMap<object, ReadonlyMap<string, Pair>>();

export class AstReader {
  constructor(readonly doc: Document.Parsed, readonly budget: AliasBudget = new AliasBudget()) {}

  /** Resolves an alias (bounded); other nodes come back as they are. */
  deref(node: unknown): AnyNode | undefined {
    let n = node as AnyNode | undefined;
    let hops = 0;
    while (n && isAlias(n)) {
      if (this.budget.remaining-- <= 0 || hops++ > 32) {
        this.budget.exceeded ??= spanOf(n);
        return undefined;
      }
      n = (n as Alias).resolve(this.doc) as AnyNode | undefined;
    }
    return n ?? undefined;
  }

  /**
   * Pairs of each mapping node, and an index by key, built once (the AST is not changed during a
   * check). The index is built on the first `pair()` of that mapping: most mappings (10k machines) are
   * only listed.
   */
  private readonly pairCache = new WeakMap<object, { list: PairInfo[]; byKey?: Map<string, PairInfo>; firstByKey?: Map<string, PairInfo> }>();

  private indexed(map: AnyNode): { list: PairInfo[]; byKey?: Map<string, PairInfo>; firstByKey?: Map<string, PairInfo> } {
    let entry = this.pairCache.get(map);
    if (!entry) {
      entry = { list: this.readPairs(map) };
      this.pairCache.set(map, entry);
    }
    return entry;
  }

  /** Pairs of a mapping node, merge keys (`<<`) expanded; keys as strings. Shared: do not modify the array. */
  pairs(node: unknown): PairInfo[] {
    const map = this.deref(node);
    if (!map || !isMap(map)) return [];
    return this.indexed(map).list;
  }

  /**
   * pairs(node) for a single pass, without making and keeping its list: calls `each` with each own
   * pair's key (as a string), value and key node, in order, and returns true — or returns false, calling
   * nothing, when the mapping has a merge key or was read already (pairs() then). Not a mapping: true,
   * no call, as pairs() lists none. buildTopology reads each machine entry once: 10,000 lists of
   * PairInfo (each with its key's span) that nothing read again.
   */
  eachPair(node: unknown, each: (key: string, value: AnyNode | undefined, keyNode: AnyNode) => void): boolean {
    const map = this.deref(node);
    if (!map || !isMap(map)) return true;
    if (this.pairCache.has(map)) return false;
    const items = (map as YAMLMap).items;
    for (let i = 0; i < items.length; i++) if (keyOf(items[i]) === MERGED) return false;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const key = keyOf(item);
      if (key === undefined || key === MERGED) continue;
      each(key, ((item as Pair).value as AnyNode | null) ?? undefined, (item as Pair).key as AnyNode);
    }
    return true;
  }

  /** `each` over every pair pairs(node) lists, in order: in one pass (eachPair) where it can, else over pairs(). */
  forEachPair(node: unknown, each: (key: string, value: AnyNode | undefined, keyNode: AnyNode) => void): void {
    if (!this.eachPair(node, each)) for (const p of this.pairs(node)) each(p.key, p.value, p.keyNode);
  }

  /** Lookups in a mapping not read yet that scan its items instead of reading and indexing it (see pair()). */
  private readonly scans = new WeakMap<object, number>();

  /**
   * The pair of a mapping node with this key (merge keys expanded): the last of the mapping's own
   * pairs with that key, else a merged one. In constant time once the mapping is indexed. A mapping
   * not read yet is scanned for its first few lookups instead: a delta check looks up one machine (a
   * fix's path) in a `machines:` it never lists, and reading 10,000 pairs for it cost 15–20 ms.
   */
  pair(node: unknown, key: string): PairInfo | undefined {
    return this.find(node, key, false);
  }

  /** The first pair of a mapping node with this key (merge keys expanded), as `pairs()` lists them. */
  firstPair(node: unknown, key: string): PairInfo | undefined {
    return this.find(node, key, true);
  }

  /** pair() (the last own pair) or firstPair() (`first`): a scan, or the index of that kind. */
  private find(node: unknown, key: string, first: boolean): PairInfo | undefined {
    const map = this.deref(node);
    if (!map || !isMap(map)) return undefined;
    const keyed = KEYED_MAPS.get(map);
    if (keyed) {
      const p = keyed.get(key);
      return p ? pairInfo(key, p) : undefined;
    }
    const found = this.scan(map, key, first);
    if (found !== MERGED) return found;
    const entry = this.indexed(map);
    if (first) {
      if (!entry.firstByKey) {
        entry.firstByKey = new Map();
        for (const p of entry.list) if (!entry.firstByKey.has(p.key)) entry.firstByKey.set(p.key, p);
      }
      return entry.firstByKey.get(key);
    }
    entry.byKey ??= new Map(entry.list.map((p) => [p.key, p]));
    return entry.byKey.get(key);
  }

  /** A scan for a mapping not indexed yet, for its first few lookups; MERGED when the index must answer. */
  private scan(map: AnyNode, key: string, first: boolean): PairInfo | undefined | typeof MERGED {
    // (a mapping already read — listed by pairs() — is indexed from its list at once: a full check
    // lists machines: before the rules look up the entries their fixes edit)
    if (this.pairCache.has(map)) return MERGED;
    const n = this.scans.get(map) ?? 0;
    if (n >= SCANS_BEFORE_INDEX) return MERGED;
    this.scans.set(map, n + 1);
    return scanPair(map as YAMLMap, key, first);
  }

  private readPairs(map: AnyNode): PairInfo[] {
    const out: { key: string; keyNode: AnyNode; value: AnyNode | undefined; keySpan: Span }[] = [];
    const merged: { key: string; keyNode: AnyNode; value: AnyNode | undefined; keySpan: Span }[] = [];
    for (const item of (map as YAMLMap).items) {
      const key = keyOf(item);
      if (key === MERGED) {
        const value = (item as Pair).value;
        const sources = this.deref(value);
        const list = sources && isSeq(sources) ? (sources as YAMLSeq).items : [value];
        for (const src of list) {
          for (const p of this.pairs(src)) merged.push(p);
        }
        continue;
      }
      if (key !== undefined) out.push(pairInfo(key, item as Pair));
    }
    if (merged.length > 0) {
      // merged pairs come after the mapping's own, and only for keys it does not have
      const seen = new Set(out.map((p) => p.key));
      for (const p of merged) if (!seen.has(p.key)) { seen.add(p.key); out.push(p); }
    }
    return out;
  }

  get(node: unknown, key: string): { keySpan: Span; value: AnyNode | undefined } | undefined {
    const p = this.pair(node, key);
    return p ? { keySpan: p.keySpan, value: p.value } : undefined;
  }

  items(node: unknown): AnyNode[] {
    const seq = this.deref(node);
    if (!seq || !isSeq(seq)) return [];
    return (seq as YAMLSeq).items as AnyNode[];
  }

  isMap(node: unknown): boolean {
    const n = this.deref(node);
    return !!n && isMap(n);
  }

  isSeq(node: unknown): boolean {
    const n = this.deref(node);
    return !!n && isSeq(n);
  }

  scalar(node: unknown): { value: unknown; span: Span } | undefined {
    const n = this.deref(node);
    if (!n || !isScalar(n)) return undefined;
    return { value: (n as Scalar).value, span: scalarSpan(n) };
  }

  // (string, bool, int and oneOf read the scalar themselves rather than through scalar(): one object
  // per value read instead of two or three — the model reads ~80,000 values at 10,000 machines)

  /** The scalar node behind `node` (aliases followed), else undefined. */
  private scalarNode(node: unknown): Scalar | undefined {
    const n = this.deref(node);
    return n && isScalar(n) ? (n as Scalar) : undefined;
  }

  string(node: unknown): { value: string; span: Span } | undefined {
    const n = this.scalarNode(node);
    const v = stringValue(n);
    return v === undefined ? undefined : { value: v, span: scalarSpan(n!) };
  }

  bool(node: unknown): { value: boolean; span: Span } | undefined {
    const n = this.scalarNode(node);
    return n && typeof n.value === 'boolean' ? { value: n.value, span: scalarSpan(n) } : undefined;
  }

  int(node: unknown): { value: number; span: Span } | undefined {
    const n = this.scalarNode(node);
    return n && typeof n.value === 'number' && Number.isInteger(n.value) ? { value: n.value, span: scalarSpan(n) } : undefined;
  }

  /**
   * String from a fixed list, else undefined (the schema reports the wrong value): the value as
   * `allowed` has it (the same value; lookups by it then compare pointers, not characters).
   */
  oneOf<T extends string>(node: unknown, allowed: readonly T[]): { value: T; span: Span } | undefined {
    const n = this.scalarNode(node);
    const v = stringValue(n);
    const i = v === undefined ? -1 : (allowed as readonly string[]).indexOf(v);
    return i >= 0 ? { value: allowed[i], span: scalarSpan(n!) } : undefined;
  }
}

/** A scalar's span (an empty one at 0 for a node without a range). */
function scalarSpan(n: AnyNode): Span {
  return spanOf(n) ?? { start: 0, end: 0 };
}

/** A scalar's value as AstReader.string reads it (numbers and booleans as their text), or undefined (null, missing, a collection). */
function stringValue(n: Scalar | undefined): string | undefined {
  const v = n?.value;
  return v === null || v === undefined || typeof v === 'object' ? undefined : String(v);
}

/** The node at a JSON pointer path (`/machines/ams01/os`), or the closest existing ancestor. */
export function nodeAtPath(reader: AstReader, path: string[]): { node: AnyNode | undefined; keySpan?: Span; depth: number } {
  let node: AnyNode | undefined = reader.deref(reader.doc.contents);
  let keySpan: Span | undefined;
  let depth = 0;
  for (const seg of path) {
    if (!node) break;
    if (isMap(node)) {
      const p = reader.pair(node, seg);
      if (!p) break;
      keySpan = p.keySpan;
      node = p.value ? reader.deref(p.value) ?? p.value : undefined;
      if (!node) { depth++; return { node: undefined, keySpan, depth }; }
    } else if (isSeq(node)) {
      const i = Number(seg);
      const items = (node as YAMLSeq).items as AnyNode[];
      if (!Number.isInteger(i) || i < 0 || i >= items.length) break;
      keySpan = undefined;
      node = reader.deref(items[i]) ?? items[i];
    } else break;
    depth++;
  }
  return { node, keySpan, depth };
}
