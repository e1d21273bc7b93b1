// Reusing the last result when an edit cannot change it (incremental.ts): typing in a comment,
// adding blank lines or trailing blanks, or changing the title (which no rule reads). Everything
// check() returns is then the last result with every position moved through the edit — diagnostics
// at once (with their line/column ranges from the new text), topology and flows when first read.
//
// The edit is one replacement [at, oldEnd) → [at, at + newLength) inside one chunk. It "cannot change
// the result" when the chunk's nodes before and after are equal (classes, values, scalar types and
// sources, tags, flow/block style) and every node position maps through the edit; then the data every
// stage reads is the same, and so is every text position they compute, moved. Positions that do not
// map — strictly inside the replaced text, or a result span ending exactly at a pure insertion point,
// where "before" and "after" are both possible — make the whole reuse fail, and the caller checks the
// text in full.
// This holds because rules read the document through the model, the flows and the AST reader, never
// its comments (a contract: docs/architecture.md); the engine itself reads the suppression comments.
// Suppression comments are line based, so an edit that touches one, or changes the line count of a
// file that has one, is never reused; neither is an edit that moves the column of anything on its line
// (fix texts may depend on indentation), nor one that adds or removes a CR.
import { isMap, isPair, isScalar, isSeq } from './yaml-lib';
import type { Pair } from 'yaml';
import { copyMachine, movedMachine } from './model';
import { setFile } from './check';
import { SourceFile } from './source';
import { DISABLE_MARKER } from './suppress';
import type { CheckResult, Diagnostic, Machine, Span } from './types';

export class NoMap extends Error {}
const NO_MAP = new NoMap('position inside the edit');

export interface TextEditSpan {
  /** first changed offset (old and new text) */
  at: number;
  /** end of the replaced text in the old text */
  oldEnd: number;
  /** length change: new length − old length */
  delta: number;
}

/**
 * The lengths of the longest common prefix and suffix of a and b (not overlapping), extending a prefix
 * and a suffix already known to be common.
 */
export function commonEnds(a: string, b: string, prefix = 0, suffix = 0): { prefix: number; suffix: number } {
  const n = Math.min(a.length, b.length);
  let p = prefix;
  while (p < n - suffix && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let s = suffix;
  while (s < n - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  return { prefix: p, suffix: s };
}

/**
 * How many characters a and b have in common at their starts (`fromEnd`: at their ends), compared in
 * blocks by the engine's own string equality (of two slices: V8 compares flat strings' characters in
 * bulk), halving the block at a difference: about log n native comparisons, not one per character or
 * per chunk. (startsWith / endsWith, used before, compare a character at a time: 1–16 ms per
 * keystroke at 10,000 machines for the two ends of the text, against ~0.3 ms.)
 */
export function commonLength(a: string, b: string, fromEnd = false): number {
  const n = Math.min(a.length, b.length);
  const al = a.length;
  const bl = b.length;
  let k = 0;
  let block = 1 << 16;
  while (k < n) {
    const len = Math.min(block, n - k);
    const same = fromEnd ? a.slice(al - k - len, al - k) === b.slice(bl - k - len, bl - k) : a.slice(k, k + len) === b.slice(k, k + len);
    if (same) k += len;
    else if (len <= 16) break;
    else block = len >> 2;
  }
  if (fromEnd) while (k < n && a.charCodeAt(al - 1 - k) === b.charCodeAt(bl - 1 - k)) k++;
  else while (k < n && a.charCodeAt(k) === b.charCodeAt(k)) k++;
  return k;
}

/** The single replacement turning a (one chunk's old text) into b, at chunk offset `base`. */
export function editBetween(a: string, b: string, base: number): TextEditSpan {
  const { prefix, suffix } = commonEnds(a, b);
  return { at: base + prefix, oldEnd: base + a.length - suffix, delta: b.length - a.length };
}

/**
 * Old offsets in the new text (NO_MAP thrown for an offset strictly inside the replaced text). At a
 * pure insertion point a start moves with the text after it and an end stays with the text before —
 * as yaml's own node ranges do there (a value's range ends at the next line's start, where a blank
 * line is inserted; a key starts after it); `sameNode` checks every node against that rule, and a
 * zero-width span there (an insertion point: before or after the new text?) does not map.
 */
export interface OffsetMap {
  start(p: number): number;
  end(p: number): number;
  /**
   * The end of a span in the result: like `end`, except at a pure insertion point, where it does
   * not map. A result span may end at a position the checker computed from the text — the end of a
   * line, with its comment — which moves with text typed there, while a node's end stays.
   */
  spanEnd(p: number): number;
}

export function mapper(e: TextEditSpan): OffsetMap {
  const insertion = e.oldEnd === e.at;
  const outside = (p: number) => (p < e.at ? p : p + e.delta);
  return {
    start: (p) => {
      if (p < e.at || p > e.oldEnd) return outside(p);
      if (insertion) return p + e.delta;
      if (p === e.at) return p;
      if (p === e.oldEnd) return p + e.delta;
      throw NO_MAP;
    },
    end: (p) => {
      if (p < e.at || p > e.oldEnd) return outside(p);
      if (insertion || p === e.at) return p;
      if (p === e.oldEnd) return p + e.delta;
      throw NO_MAP;
    },
    spanEnd: (p) => {
      if (p < e.at || p > e.oldEnd) return outside(p);
      if (insertion) throw NO_MAP;
      if (p === e.at) return p;
      if (p === e.oldEnd) return p + e.delta;
      throw NO_MAP;
    },
  };
}

/**
 * Can the edit change anything check() computes, judged on the text alone? (Suppression comments are
 * line based; a CR changes line ends.) False means "reuse is possible so far".
 */
export function textForbidsReuse(oldText: string, newText: string, e: TextEditSpan): boolean {
  const removed = oldText.slice(e.at, e.oldEnd);
  const added = newText.slice(e.at, e.oldEnd + e.delta);
  if (removed.includes('\r') || added.includes('\r')) return true;
  // the whole lines around the edit, before and after
  const lineStart = oldText.lastIndexOf('\n', e.at - 1) + 1;
  const oldLineEnd = oldText.indexOf('\n', e.oldEnd);
  const newLineEnd = newText.indexOf('\n', e.oldEnd + e.delta);
  const oldLines = oldText.slice(lineStart, oldLineEnd < 0 ? oldText.length : oldLineEnd);
  const newLines = newText.slice(lineStart, newLineEnd < 0 ? newText.length : newLineEnd);
  if (oldLines.includes(DISABLE_MARKER) || newLines.includes(DISABLE_MARKER)) return true;
  if ((removed.includes('\n') || added.includes('\n')) && newText.includes(DISABLE_MARKER)) return true;
  return false;
}

type Ranged = { range?: [number, number, number] };

/** The first node start at or after `after` (new text), to see whether a node follows the edit on its line. */
interface Probe {
  after: number;
  first: number;
}

/** Are two nodes equal in everything but positions, with every old position mapping to the new one? */
function sameNode(a: unknown, b: unknown, map: OffsetMap, probe: Probe, depth: number): boolean {
  if (a === b) return a === null || a === undefined; // shared nodes never happen: two parses
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  if (a.constructor !== b.constructor || depth > 200) return false;
  const x = a as Ranged & { tag?: string; anchor?: string };
  const y = b as Ranged & { tag?: string; anchor?: string };
  if (x.tag !== y.tag || x.anchor !== y.anchor) return false;
  if (!x.range !== !y.range) return false;
  if (x.range && y.range) {
    // range[2] (the end counting trailing comment lines) is not compared: the checker reads ranges
    // through spanOf (range[0..1]) only, as chunk assembly relies on too (incremental.ts)
    if (map.start(x.range[0]) !== y.range[0] || map.end(x.range[1]) !== y.range[1]) return false;
    if (y.range[0] >= probe.after && y.range[0] < probe.first) probe.first = y.range[0];
  }
  if (isScalar(a)) {
    const s = a as unknown as { value: unknown; type?: string; source?: string };
    const t = b as unknown as { value: unknown; type?: string; source?: string };
    return Object.is(s.value, t.value) && s.type === t.type && s.source === t.source;
  }
  if (isMap(a) || isSeq(a)) {
    const s = a as unknown as { items: unknown[]; flow?: boolean };
    const t = b as unknown as { items: unknown[]; flow?: boolean };
    if (!!s.flow !== !!t.flow || s.items.length !== t.items.length) return false;
    for (let i = 0; i < s.items.length; i++) if (!sameNode(s.items[i], t.items[i], map, probe, depth + 1)) return false;
    return true;
  }
  if (isPair(a)) {
    const s = a as Pair;
    const t = b as Pair;
    return sameNode(s.key, t.key, map, probe, depth + 1) && sameNode(s.value, t.value, map, probe, depth + 1);
  }
  return false;
}

/** sameNode where every position of `b` is that of `a` moved by `delta` (two parses of the same text at other offsets). */
export function sameNodeMoved(a: unknown, b: unknown, delta: number): boolean {
  const move = (p: number) => p + delta;
  return sameNode(a, b, { start: move, end: move, spanEnd: move }, { after: Infinity, first: Infinity }, 0);
}

/**
 * Does the edit leave a chunk's pair (a top-level section or a machine entry) the same? The title's
 * value may change to another string: no rule reads it (the model keeps it as `topology.title`).
 * Returns `{ title }` (the new title, or undefined when it did not change), or false when the chunk
 * differs — including when a node follows the edit on its line (its column moved, and fix texts may
 * depend on columns, e.g. indentation).
 */
export function sameChunk(a: Pair, b: Pair, e: TextEditSpan, newText: string, topLevel: boolean): false | { title: string | undefined } {
  const map = mapper(e);
  const newEditEnd = e.oldEnd + e.delta;
  const probe: Probe = { after: newEditEnd, first: Infinity };
  let title: string | undefined;
  try {
    let same = false;
    if (topLevel && isScalar(a.key) && a.key.value === 'title' && isScalar(b.key) && b.key.value === 'title' && isScalar(a.value) && isScalar(b.value)) {
      const va = (a.value as { value: unknown }).value;
      const vb = (b.value as { value: unknown }).value;
      if (typeof va === 'string' && typeof vb === 'string' && va !== vb) {
        // the key is the same, the value starts where it did; its end moves with its length
        const ra = (a.value as Ranged).range!;
        const rb = (b.value as Ranged).range!;
        if (!sameNode(a.key, b.key, map, probe, 1) || map.start(ra[0]) !== rb[0]) return false;
        title = vb;
        same = true;
      }
    }
    if (!same && !sameNode(a, b, map, probe, 0)) return false;
  } catch (err) {
    if (err instanceof NoMap) return false;
    throw err;
  }
  if (probe.first !== Infinity && !newText.slice(newEditEnd, probe.first).includes('\n')) return false;
  return { title };
}

/** A span through the map (NoMap when it does not map). */
export function mapSpan(s: Span, map: OffsetMap): Span {
  const out = { start: map.start(s.start), end: map.spanEnd(s.end) };
  if (out.end < out.start) throw NO_MAP; // (never: spanEnd does not map an insertion point)
  return out;
}

/** Is x a span: an object of exactly `start` and `end`, numbers (how topology and flow data hold positions)? */
export function isSpan(x: unknown): x is Span {
  if (!x || typeof x !== 'object') return false;
  const o = x as Record<string, unknown>;
  return typeof o.start === 'number' && typeof o.end === 'number' && Object.keys(o).length === 2;
}

/** A deep copy of topology or flow data with every span ({start, end} of numbers) mapped. */
function mapDeep(v: unknown, map: OffsetMap, seen: Map<object, unknown>): unknown {
  if (v === null || typeof v !== 'object') return v;
  const known = seen.get(v);
  if (known !== undefined) return known;
  let out: unknown;
  if (Array.isArray(v)) {
    const a: unknown[] = [];
    seen.set(v, a);
    for (let i = 0; i < v.length; i++) a.push(mapDeep(v[i], map, seen));
    out = a;
  } else if (v instanceof Map) {
    const m = new Map();
    seen.set(v, m);
    for (const [k, x] of v) m.set(k, mapDeep(x, map, seen));
    out = m;
  } else if (v instanceof Set) {
    out = new Set(v); // sets of names
    seen.set(v, out);
  } else {
    const o = v as Record<string, unknown>;
    if (isSpan(o)) {
      out = mapSpan(o, map);
      seen.set(v, out);
    } else {
      const c = Object.create(Object.getPrototypeOf(o)) as Record<string, unknown>;
      seen.set(v, c);
      for (const k of Object.keys(o)) c[k] = mapDeep(o[k], map, seen);
      out = c;
    }
  }
  return out;
}

export function mapDiagnostic(d: Diagnostic, map: OffsetMap, file: SourceFile): Diagnostic {
  const span = mapSpan(d.span, map);
  const out: Diagnostic = {
    rule: d.rule,
    severity: d.severity,
    message: d.message,
    span,
    range: file.range(span),
    related: d.related.map((r) => {
      const s = mapSpan(r.span, map);
      return { message: r.message, span: s, range: file.range(s) };
    }),
    fixes: d.fixes.map((f) => ({ title: f.title, isPreferred: f.isPreferred, edits: f.edits.map((e) => file.edit(mapSpan(e.span, map), e.newText)) })),
  };
  if ('flowId' in d) out.flowId = d.flowId;
  return out;
}

/**
 * Moves diagnostics of `oldText` through the edit to `newText` (`file`); throws NoMap for a position
 * inside the edit (mapDiagnostic). Most are far from the edit: one wholly before it is the same; when the edit adds or
 * removes no line, one whose positions are all before it or on later lines keeps its lines and
 * columns, and only its offsets move (by nothing when the edit keeps the text's length: then it is the same).
 */
export function diagnosticMover(oldText: string, newText: string, e: TextEditSpan, file: SourceFile): (d: Diagnostic) => Diagnostic {
  const map = mapper(e);
  const sameLines = !oldText.slice(e.at, e.oldEnd).includes('\n') && !newText.slice(e.at, e.oldEnd + e.delta).includes('\n');
  const nl = oldText.indexOf('\n', e.oldEnd);
  const after = sameLines && nl >= 0 ? nl + 1 : Infinity; // old offsets from here on keep their line and column
  const far = (s: Span) => (s.end < e.at ? 0 : s.start >= after ? 1 : 2); // 0 before, 1 after, 2 near
  const shift = (s: Span): Span => (s.start < e.at ? s : { start: s.start + e.delta, end: s.end + e.delta });
  return (d) => {
    let where = far(d.span);
    for (const r of d.related) where |= far(r.span);
    for (const f of d.fixes) for (const x of f.edits) where |= far(x.span);
    if (where === 0) return d;
    if (where & 2) return mapDiagnostic(d, map, file);
    // (an edit of one line that keeps its length — a character replaced, a port retyped — moves no
    // offset: the same diagnostic, not a copy; half of them at 10,000 machines, ~1.4 MB per edit)
    if (e.delta === 0) return d;
    const out: Diagnostic = {
      rule: d.rule,
      severity: d.severity,
      message: d.message,
      span: shift(d.span),
      range: d.range,
      // (no related locations or fixes: the same empty array — diagnostics are values nobody changes)
      related: d.related.length === 0 ? d.related : d.related.map((r) => ({ message: r.message, span: shift(r.span), range: r.range })),
      fixes: d.fixes.length === 0 ? d.fixes : d.fixes.map((f) => ({ title: f.title, isPreferred: f.isPreferred, edits: f.edits.map((x) => ({ span: shift(x.span), range: x.range, newText: x.newText })) })),
    };
    if ('flowId' in d) out.flowId = d.flowId;
    return out;
  };
}

/** At most this many edits between a MovedMachines and the machines it moves; then they are moved all at once. */
const MAX_STEPS = 64;

/**
 * Machine entries of the last text replaced in this one (the delta check, when entries were added,
 * removed or renamed): from place `at` among the machines, the entries named `removed` gave way to
 * `added` (read in the new text, numbered from `at`). The entries after them move up or down by `shift`.
 */
export interface MachineSplice {
  at: number;
  removed: readonly string[];
  added: readonly Machine[];
}

interface Step {
  edit: TextEditSpan;
  /** the machines read again in this step's text, by name (a splice's `added` too) */
  inside?: ReadonlyMap<string, Machine>;
  splice?: MachineSplice & { shift: number };
}

/**
 * The machines of a text moved through an edit: each is moved when first looked up, and all of them
 * only when iterated. Those the edit is inside (the edited entry) are given (`inside`): read again by
 * the delta check, or moved span by span by a reused result. An edit that added, removed or renamed
 * entries gives a `splice`: their names and places change, and the machines after them are numbered
 * again (Machine.index is a machine's place) when looked up. Read-only.
 *
 * Made from the last text's machines, which may be moved machines themselves: then the edits are
 * composed, not the maps — a machine is copied once, from the machines last made whole (`root`) or
 * from the latest edit that read it again, moved by the sum of the edits after it that lie before it.
 * (Chained maps copied a machine at every level, and making the base whole copied every machine
 * once per level: 80,000 copies on some keystrokes at 10,000 machines; a rename or an added entry
 * made a new map of every machine, 15–30 ms at 10,000 machines.)
 */
export class MovedMachines extends Map<string, Machine> {
  /** the machines the edits are applied to; undefined once made whole (the map itself then holds them) */
  private root: Map<string, Machine> | undefined;
  /** the edits since `root`, oldest first, each with the machines read again inside it */
  private readonly steps: Step[];
  private readonly moved = new Map<string, Machine>();
  /** whether a step added, removed or renamed entries (names and places then differ from the root's) */
  private readonly spliced: boolean;
  /** the names in their order (spliced only), made when first needed */
  private order: string[] | undefined;
  constructor(base: Map<string, Machine>, edit: TextEditSpan, inside?: ReadonlyMap<string, Machine>, splice?: MachineSplice) {
    super();
    let step: Step = { edit, inside };
    if (splice) {
      const all = new Map(inside);
      for (const m of splice.added) all.set(m.name, m);
      step = { edit, inside: all, splice: { ...splice, shift: splice.added.length - splice.removed.length } };
    }
    if (base instanceof MovedMachines && base.root && base.steps.length < MAX_STEPS) {
      this.root = base.root;
      this.steps = [...base.steps, step];
    } else {
      if (base instanceof MovedMachines) base.fill();
      this.root = base;
      this.steps = [step];
    }
    this.spliced = this.steps.some((x) => x.splice);
  }
  /** The step that last read the machine (its index in steps; -1: the root), or undefined when it is not one of these machines. */
  private latest(name: string): number | undefined {
    let k = this.steps.length - 1;
    while (k >= 0 && !this.steps[k].inside?.has(name)) k--;
    if (k < 0 && !this.root!.has(name)) return undefined;
    // (removed by a later step; one that removed and added it again read it: it is that step)
    if (this.spliced) for (let i = k + 1; i < this.steps.length; i++) if (this.steps[i].splice?.removed.includes(name)) return undefined;
    return k;
  }
  private lookup(name: string): Machine | undefined {
    const known = this.moved.get(name);
    if (known) return known;
    // the latest edit that read it again, else the root
    const k = this.latest(name);
    if (k === undefined) return undefined;
    const out = this.moveFrom(k >= 0 ? this.steps[k].inside!.get(name)! : this.root!.get(name)!, k);
    this.moved.set(name, out);
    return out;
  }
  /** A machine as step k read it (-1: the root's), moved by the edits after that step and numbered again after their splices. */
  private moveFrom(m: Machine, k: number): Machine {
    let at = m.keySpan.start;
    let delta = 0;
    let index = m.index;
    for (let i = k + 1; i < this.steps.length; i++) {
      const e = this.steps[i].edit;
      if (at >= e.oldEnd && e.delta !== 0) {
        at += e.delta;
        delta += e.delta;
      }
      const sp = this.steps[i].splice;
      if (sp && index >= sp.at + sp.removed.length) index += sp.shift;
    }
    return delta === 0 && index === m.index ? m : movedMachine(m, delta, index);
  }
  /** The names in their order: the root's, with each step's splice applied. */
  private names(): string[] {
    if (!this.order) {
      const names = [...this.root!.keys()];
      for (const st of this.steps) if (st.splice) names.splice(st.splice.at, st.splice.removed.length, ...st.splice.added.map((m) => m.name));
      this.order = names;
    }
    return this.order;
  }
  private fill(): void {
    if (!this.root) return;
    if (this.spliced) for (const name of this.names()) super.set(name, this.lookup(name)!);
    else {
      // The names are the root's: each machine from the root, or from the last step that read it
      // again, without looking it up step by step (a section edit that makes a rule iterate every
      // machine fills 10,000 at once).
      const readAt = new Map<string, number>();
      for (let k = 0; k < this.steps.length; k++) for (const name of this.steps[k].inside?.keys() ?? []) readAt.set(name, k);
      for (const [name, m] of this.root) {
        const k = readAt.get(name) ?? -1;
        super.set(name, this.moved.get(name) ?? this.moveFrom(k >= 0 ? this.steps[k].inside!.get(name)! : m, k));
      }
    }
    this.root = undefined;
    this.order = undefined;
    this.moved.clear();
  }
  override get(name: string): Machine | undefined {
    return this.root ? this.lookup(name) : super.get(name);
  }
  override has(name: string): boolean {
    if (!this.root) return super.has(name);
    return this.spliced ? this.latest(name) !== undefined : this.root.has(name);
  }
  override get size(): number {
    if (!this.root) return super.size;
    let n = this.root.size;
    for (const st of this.steps) if (st.splice) n += st.splice.shift;
    return n;
  }
  override keys(): MapIterator<string> {
    if (!this.root) return super.keys();
    return this.spliced ? (this.names().values() as unknown as MapIterator<string>) : this.root.keys();
  }
  /**
   * The machines with the values they have here, each as it was read — in the root's text or in the
   * latest step's that read it again —, neither moved nor copied: their spans may be an earlier text's.
   * machineValues() (model.ts) gives it to the rules that test every machine and report on few (on a
   * `network.dns` toggle at 10,000 machines, moving all of them took 12–25 ms). Made whole, or when
   * entries were added, removed or renamed (places and names then differ too): the machines themselves.
   */
  unmoved(): Iterable<Machine> {
    if (!this.root || this.spliced) return this.values();
    const readAgain = new Map<string, Machine>();
    for (const st of this.steps) if (st.inside) for (const [name, m] of st.inside) readAgain.set(name, m);
    const out: Machine[] = [];
    for (const [name, m] of this.root) out.push(this.moved.get(name) ?? readAgain.get(name) ?? m);
    return out;
  }
  override values(): MapIterator<Machine> {
    this.fill();
    return super.values();
  }
  override entries(): MapIterator<[string, Machine]> {
    this.fill();
    return super.entries();
  }
  override [Symbol.iterator](): MapIterator<[string, Machine]> {
    this.fill();
    return super[Symbol.iterator]();
  }
  override forEach(cb: (value: Machine, key: string, map: Map<string, Machine>) => void, thisArg?: unknown): void {
    this.fill();
    super.forEach(cb, thisArg);
  }
  override set(name: string, m: Machine): this {
    this.fill();
    return super.set(name, m);
  }
  override delete(name: string): boolean {
    this.fill();
    return super.delete(name);
  }
  override clear(): void {
    this.fill();
    super.clear();
  }
}

/** The machine an edit of a reuse chain is inside, and its entry read again after the edit. */
export interface InsideEntry {
  name: string;
  read?: Machine;
}

/**
 * The last result moved through the edits since it was computed (`edits`, oldest first), for `text`;
 * undefined when a diagnostic's position does not map. Topology and flows are copied when first read
 * (an editor mostly publishes diagnostics and never reads them); if one of their positions does not
 * map then, `recompute()` gives them (a full check of the same text: the same answer, slower).
 */
export function movedResult(
  base: CheckResult,
  last: CheckResult,
  edits: TextEditSpan[],
  /** the text of `last` */
  lastText: string,
  text: string,
  title: string | undefined,
  recompute: () => CheckResult,
  /**
   * for each edit, the machine whose entry it is in (if any), with that entry read again from the text
   * after the edit (`read`, index and zone still to be set): its spans may end where the edit inserted
   * text (a line break typed after a value), which no offset map can move
   */
  inside: (InsideEntry | undefined)[] = [],
  /** the line index of `lastText`, if known (fileOf, which checks that it is that text's): this text's is made from it (SourceFile.afterEdit) */
  lastFile?: SourceFile,
): CheckResult | undefined {
  const lastEdit = edits[edits.length - 1];
  const file = lastFile ? SourceFile.afterEdit(lastFile, text, lastEdit.at, lastEdit.oldEnd, lastEdit.delta) : new SourceFile(text);
  const maps = edits.map(mapper);
  const all: OffsetMap = {
    start: (p) => {
      for (let i = 0; i < maps.length; i++) p = maps[i].start(p);
      return p;
    },
    end: (p) => {
      for (let i = 0; i < maps.length; i++) p = maps[i].end(p);
      return p;
    },
    spanEnd: (p) => {
      for (let i = 0; i < maps.length; i++) p = maps[i].spanEnd(p);
      return p;
    },
  };
  let diagnostics: Diagnostic[];
  try {
    diagnostics = last.diagnostics.map(diagnosticMover(lastText, text, lastEdit, file));
  } catch (e) {
    if (e instanceof NoMap) return undefined;
    throw e;
  }
  // Topology and flows each when first read (a delta check from this result reads the topology only).
  // The machines are moved lazily (MovedMachines), the one each edit is inside span by span.
  let again: CheckResult | undefined;
  const recomputed = () => (again ??= recompute());
  let topology: CheckResult['topology'] | undefined;
  let flows: CheckResult['flows'] | undefined;
  const topologyOf = () => {
    if (!topology) {
      try {
        const src = base.topology;
        let machines = src.machines;
        for (let i = 0; i < edits.length; i++) {
          const e = inside[i];
          const m = e === undefined ? undefined : machines.get(e.name);
          let moved: Machine | undefined;
          if (m && e?.read) {
            moved = copyMachine(e.read, m.index);
            if (m.zone !== undefined) moved.zone = m.zone; // (from the subnets, which the edit did not change)
          } else if (m) moved = mapDeep(m, maps[i], new Map()) as Machine;
          machines = new MovedMachines(machines, edits[i], moved && new Map([[m!.name, moved]]));
        }
        const seen = new Map<object, unknown>();
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(src)) out[k] = k === 'machines' ? machines : mapDeep((src as unknown as Record<string, unknown>)[k], all, seen);
        if (title !== undefined) out.title = title;
        topology = out as unknown as CheckResult['topology'];
      } catch (e) {
        if (!(e instanceof NoMap)) throw e;
        topology = recomputed().topology;
      }
    }
    return topology;
  };
  const flowsOf = () => {
    if (!flows) {
      try {
        flows = mapDeep(base.flows, all, new Map()) as CheckResult['flows'];
      } catch (e) {
        if (!(e instanceof NoMap)) throw e;
        flows = recomputed().flows;
      }
    }
    return flows;
  };
  const result = { diagnostics } as CheckResult;
  setFile(result, file);
  Object.defineProperty(result, 'topology', { enumerable: true, configurable: true, get: topologyOf });
  Object.defineProperty(result, 'flows', { enumerable: true, configurable: true, get: flowsOf });
  return result;
}
