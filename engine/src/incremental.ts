// Incremental re-check for editors: `createIncrementalChecker().update(text, options)` returns what
// `check(text, options)` returns, but re-parses only the parts of the text that changed.
//
// The text is cut into chunks: one per top-level section (a line at column 0 that begins a key, up
// to the next such line) and, inside a block-style `machines:` section, one per machine entry (its
// key line up to the next key at the same indentation). Each chunk is parsed on its own with the same
// `yaml` options as the full parse, cached by its exact text, and its nodes are shifted to the chunk's
// offset when it moves. The chunks' nodes are then assembled into one document, equal (node types,
// values and value ranges `range[0..1]`) to what parsing the whole text gives, and the rest of check()
// runs on it. (`range[2]`, a node's end counting trailing comment lines, can differ for the last node
// of a chunk; nothing reads it.) The first update — a file just opened, or after the cache was
// dropped — parses the whole text once, checks that parse, and cuts it into the cache's entries
// afterwards (`cutWhole`, `fromFullParse`: in prepare(), or first thing in the next update), so the
// open's problems are not kept waiting for it; chunks whose root range assembly needs are then parsed
// alone.
//
// A chunk with a syntax problem (errors, warnings, duplicate keys) is parsed between its neighbours
// and taken when they come out as their own parses have them (`parseBrokenChunk`). A line at the
// machine entries' indentation that is not a plain key is one chunk with the entry after it.
//
// Whenever chunking could differ from a full parse, update() falls back to a full check(): a syntax
// problem that reaches past its chunk (or in two chunks in a row, or at a boundary), anchors,
// aliases, merge keys, tags, directives, document markers, tabs, a BOM, CR-only line ends,
// non-printable characters, a column-0 line that is not a plain key, a sequence or a comment,
// duplicate top-level keys or machine names, and anything else not understood (see `chunk()` below).
import { Document, Pair, YAMLMap } from 'yaml';
import type { Scalar } from 'yaml';
import { isAlias, isCollection, isMap, isPair, isScalar } from './yaml-lib';
import { check, checkParsed, duplicatesOf, fileOf, hasPendingFixes, INTERNAL_ERROR, overSizeLimit, readsOf, setDuplicates, setReads, settleFixes } from './check';
import { deltaCheck, prepareBase } from './delta';
import type { DeltaBase, DeltaInput } from './delta';
import { ownString, SourceFile } from './source';
import { suppressions } from './suppress';
import type { CheckOptions, CheckResult, Span } from './types';
import { commonEnds, commonLength, editBetween, movedResult, sameChunk, sameNodeMoved, textForbidsReuse } from './reuse';
import type { InsideEntry, TextEditSpan } from './reuse';
import { machineOf } from './model';
import { AstReader, KEYED_MAPS, parseYaml, parseYamlFast, spanOf } from './yaml-ast';
import type { AnyNode, ParsedYaml, SyntaxProblem } from './yaml-ast';

export interface IncrementalChecker {
  /** Same result as `check(text, options)`; reuses the parse of unchanged chunks from earlier calls. */
  update(text: string, options?: CheckOptions): CheckResult;
  /** The next update starts cold: it parses the whole text at once (nothing cached from an earlier one). */
  readonly cold: boolean;
  /** Statistics of the last update (for tests and benchmarks). */
  readonly stats: IncrementalStats;
  /**
   * The parse the last update checked (what `parseYaml(text)` gives: equal nodes and ranges), so an
   * editor's other features (outline, folding, code actions) need not parse the same version again;
   * undefined after a text over the size limit. Read-only: its nodes are shared with the chunk cache.
   */
  readonly parsed: ParsedYaml | undefined;
  /**
   * Does now the work the next update would do first, which the updates leave until an edit needs it:
   * the lists of the chunks' node ranges (an edit moves those after it in place; collected on the
   * first move: ~20 ms at 10,000 machines) and the delta check's base for the last result, with its
   * index of the machines (~20 ms); and the fixes the last update left for later (settle()). An editor
   * calls it when idle — the language server after each publish —, so that the first keystrokes after
   * opening a file do not pay for it. Changes no result (but for the fixes settle() makes) and no
   * statistic; the updates do the same work when it was not done. With `budgetMs` it stops once that
   * is spent, between two pieces of work (a chunk, a few fixes; the base is one piece). Returns
   * whether work is left: call it again.
   */
  prepare(budgetMs?: number): boolean;
  /**
   * Makes the fixes the last update left for later (CheckOptions.fixes 'deferred': settleFixes) — the
   * next update, and prepare(), do it first. Call it before reading the last result's fixes (with no
   * budget: all of them). Returns undefined when there were none, else the errors of fix functions
   * that threw (their diagnostics keep no fixes; usually none).
   */
  settle(budgetMs?: number): { rule: string; error: unknown }[] | undefined;
}

export interface IncrementalStats {
  /** `undefined` when the last update was incremental, else why it fell back to a full check() */
  fallback: string | undefined;
  chunks: number;
  /** chunks parsed in the last update (the others came from the cache) */
  parsed: number;
  /** the last update reused the result before it, moved through the edit (reuse.ts): nothing else ran */
  reused: boolean;
  /** the last update's text and options were those of one of the two updates before it: that result was returned */
  recalled: boolean;
  /** the last update was a delta check (delta.ts): only what depends on the edited machine entry or section ran again */
  delta: boolean;
  /** why the last update that changed one machine entry or section was not a delta check (undefined when it was, or when none was tried; `unexpected: …` is a bug) */
  deltaDeclined: string | undefined;
  /** how many times (since the checker was made) a reused result's topology or flows could not be moved and were checked again in full */
  recomputed: number;
  /** chunks whose lists of node ranges the last update collected, to move them (none after prepare()) */
  collected: number;
  /**
   * The last update was a cold start checked from one parse of the whole text; its chunks (`chunks`
   * and `parsed` are 0 then) are cut from that parse afterwards — by prepare(), or first thing in the
   * next update.
   */
  whole: boolean;
}

/** One chunk of the text: [start, end) and whether it is a machine entry of a split `machines:`. */
interface ChunkSpan {
  start: number;
  end: number;
  kind: 'top' | 'machines-header' | 'machine';
}

/**
 * A parsed chunk; its nodes' ranges are absolute for offset `base`. `root` (the one-pair mapping a
 * parse of the chunk alone gives) is undefined for a chunk taken from a parse of the whole text
 * (`fromFullParse`): only the pair is known then, and the root's range — which assembly reads for
 * the first and last chunks only — is made by parsing that chunk alone when it is needed.
 */
interface ParsedChunk {
  text: string;
  doc: Document.Parsed;
  root: YAMLMap | undefined;
  pair: Pair;
  key: string;
  base: number;
  /** the update that last placed it in the text (an object is placed once per update) */
  placed?: number;
  /**
   * A chunk whose text has syntax problems (parseBrokenChunk): the problems, spans relative to `base`,
   * and the texts of the chunks before and after it when it was parsed (its parse holds only beside those).
   * Never cached by text.
   */
  problems?: SyntaxProblem[];
  prevText?: string;
  nextText?: string;
  /** the range arrays of its nodes, collected on its first move (shiftChunk) */
  ranges?: [number, number, number][];
  /**
   * The machine entries after `pair` that a broken machine chunk holds (parseBrokenChunk): a line at
   * the entries' indentation that is not a key yet (`  w`, a name being typed) is an entry of its own
   * in yaml's reading (`w: null`, with a syntax problem), before the entry it was cut with.
   */
  extra?: Pair[];
}

// A plain key starting a line (after the indentation): safe characters only, then `:` and a space or
// the end of the line. Anything else at a chunk boundary falls back to a full check.
const KEY_AT = /[A-Za-z0-9_][A-Za-z0-9_.\-/]*:(?=[ \r\n]|$)/y;
// `machines:` alone on its line (blanks and a comment may follow)
const MACHINES_AT = /machines:[ ]*(?:[ ]#[^\n\r]*)?\r?(?=\n|$)/y;

// Reading a line in place (chunk() and relayout(): no string per line). x is an offset in the text.
/** The spaces at x. */
function indentAt(text: string, x: number): number {
  let i = x;
  while (text.charCodeAt(i) === 32) i++;
  return i - x;
}
/** Blank or comment only: the character after the indentation (at x) ends the line or starts a comment. */
function triviaAt(text: string, x: number): boolean {
  const c = text.charCodeAt(x);
  return Number.isNaN(c) || c === 10 || c === 13 || c === 35;
}
/** A plain key starts at x. */
function keyAt(text: string, x: number): boolean {
  KEY_AT.lastIndex = x;
  return KEY_AT.test(text);
}
/** `machines:` alone on the line starting at x. */
function machinesLineAt(text: string, x: number): boolean {
  MACHINES_AT.lastIndex = x;
  return MACHINES_AT.test(text);
}
/** A block sequence entry at x (`- …`, or `-` alone). */
function sequenceDashAt(text: string, x: number): boolean {
  return text.charCodeAt(x) === 45 && /^(?: |\r?\n|\r?$)/.test(text.slice(x + 1, x + 3));
}
// A BOM, a tab, a CR not before an LF, or a non-printable character
const ODD_CHARACTER = /[\uFEFF\t\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|\r(?!\n)/;
const PairClass = Pair;

class Unsafe extends Error {}
/** A chunk whose text alone has syntax problems (parseBrokenChunk may still place it). */
class Broken extends Unsafe {}

/** At most this many reuses in a row (reuse.ts); then a full check (positions are moved through every edit since). */
const MAX_REUSE_CHAIN = 32;

/** Cuts the text into chunks, or throws Unsafe. */
export function chunk(text: string): ChunkSpan[] {
  const odd = ODD_CHARACTER.exec(text); // one pass for all four
  if (odd) {
    const c = odd[0];
    throw new Unsafe(c === '\uFEFF' ? 'BOM' : c === '\t' ? 'tab' : c === '\r' ? 'CR line end' : 'non-printable character');
  }
  // line starts (offsets only: the lines are read in place, no string per line)
  const lines: number[] = [0];
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) lines.push(nl + 1);
  const out: ChunkSpan[] = [];
  let current: ChunkSpan | undefined;
  const open = (start: number, kind: ChunkSpan['kind']) => {
    if (current) current.end = start;
    else if (start !== 0) start = 0; // leading comments and blank lines go with the first chunk
    current = { start, end: text.length, kind };
    out.push(current);
  };
  let i = 0;
  while (i < lines.length) {
    const s = lines[i];
    const ind = indentAt(text, s);
    if (triviaAt(text, s + ind)) { i++; continue; }
    if (ind > 0) {
      if (!current) throw new Unsafe('indented content before the first key');
      i++;
      continue;
    }
    if (sequenceDashAt(text, s)) {
      // a block sequence at column 0 (`- …`, or `-` alone): the value of the key above (`connections:\n- …`)
      if (!current || current.kind !== 'top') throw new Unsafe('column-0 sequence');
      i++;
      continue;
    }
    if (!keyAt(text, s)) throw new Unsafe(`column-0 line that is not a plain key (line ${i + 1})`);
    if (!machinesLineAt(text, s)) {
      open(s, 'top');
      i++;
      continue;
    }
    // `machines:` with a block value: one chunk per machine entry
    let j = i + 1;
    let k = -1;
    const entries: number[] = [];
    // A line at the entries' indentation that is not a key (a machine's name being typed, before its
    // `:`) is one entry with the key line after it: yaml reads them as one multi-line key.
    let join = false;
    for (; j < lines.length; j++) {
      const l = lines[j];
      const li = indentAt(text, l);
      if (triviaAt(text, l + li)) continue;
      if (li === 0) break;
      if (k < 0) k = li;
      if (li < k) throw new Unsafe('machines: inconsistent indentation');
      if (li === k) {
        if (sequenceDashAt(text, l + k)) throw new Unsafe(`machines: a sequence item at the entries' indentation (line ${j + 1})`);
        if (!join) entries.push(j);
        join = !keyAt(text, l + k);
      }
    }
    if (entries.length === 0) {
      open(s, 'top');
    } else {
      open(s, 'machines-header');
      for (const e of entries) open(lines[e], 'machine');
    }
    i = j;
  }
  if (out.length === 0) throw new Unsafe('no top-level key');
  return out;
}

/** Shifts every node range under `node` by delta, in place (placing a chunk just parsed). */
function shiftNode(node: unknown, delta: number): void {
  const rs: [number, number, number][] = [];
  collectRanges(node, rs);
  moveRanges(rs, delta);
}

/** Moves range arrays by delta, in place. */
function moveRanges(rs: [number, number, number][], delta: number): void {
  for (let i = 0; i < rs.length; i++) {
    const r = rs[i];
    r[0] += delta;
    r[1] += delta;
    r[2] += delta;
  }
}

/** The machine entries (pairs) a chunk holds, in order: its pair and, for a broken machine chunk, the extra ones. */
function pairsOf(pc: ParsedChunk): Pair[] {
  return pc.extra ? [pc.pair, ...pc.extra] : [pc.pair];
}

/**
 * Collects the range array of every node under `node` (each node has its own range array, in `yaml`
 * and in fast-yaml.ts, set when it is parsed and never replaced).
 */
function collectRanges(node: unknown, out: [number, number, number][]): void {
  if (!node || typeof node !== 'object') return;
  const r = (node as { range?: [number, number, number] }).range;
  if (r) out.push(r);
  // (plain property reads: yaml's isCollection/isPair cost a call each, through the bundle's getters)
  const items = (node as { items?: unknown[] }).items;
  if (Array.isArray(items)) {
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (it instanceof PairClass) {
        collectRanges(it.key, out);
        collectRanges(it.value, out);
      } else collectRanges(it, out);
    }
  }
}

/** Anchors, aliases, explicit tags or merge keys in the chunk: not safe to assemble. */
function hasUnsafeNodes(node: unknown, text: string, depth = 0): boolean {
  if (!node || typeof node !== 'object') return false;
  if (depth > 200) return true;
  if (isAlias(node)) return true;
  const n = node as { anchor?: string; tag?: string };
  if (n.anchor) return true;
  if (n.tag && text.includes('!')) return true;
  if (isCollection(node)) {
    for (const it of (node as unknown as { items: unknown[] }).items) {
      if (isPair(it)) {
        if (isScalar(it.key) && (it.key.value === '<<' || (it.key as { source?: string }).source === '<<')) return true;
        if (!isScalar(it.key) && it.key !== null) return true; // complex keys
        if (hasUnsafeNodes(it.key, text, depth + 1) || hasUnsafeNodes(it.value, text, depth + 1)) return true;
      } else if (hasUnsafeNodes(it, text, depth + 1)) return true;
    }
  }
  return false;
}

function parseChunk(slice: string, base: number): ParsedChunk {
  // The chunk, its cache key and the values of its nodes (slices of it) outlive the document version
  // it was cut from: they must not keep that whole version alive (see ownString).
  const text = ownString(slice);
  const { doc, problems } = parseYaml(text);
  // (nesting too deep for the parser: not parsed again beside the next chunk, its stack overflow is fragile)
  if (problems.some((p) => p.code === 'TOO_DEEP')) throw new Unsafe('nesting too deep');
  if (problems.length > 0 || doc.errors.length || doc.warnings.length) throw new Broken('syntax problem in a chunk');
  const root = doc.contents;
  if (!root) throw new Unsafe('chunk is empty');
  // (not one key: the chunk alone reads a line that yaml reads in context as an entry with an error —
  // `  w`, a name typed after the last machine entry, is a scalar alone or a second key after the last
  // entry's value: parsed beside its neighbours, which decide)
  if (!isMap(root) || root.items.length !== 1) throw new Broken('chunk is not one key');
  const pair = root.items[0] as Pair;
  if (!isPair(pair) || !isScalar(pair.key)) throw new Unsafe('chunk key is not a scalar');
  if (hasUnsafeNodes(root, text)) throw new Unsafe('anchor, alias, tag or merge key');
  const kv = (pair.key as { value: unknown }).value;
  if (typeof kv !== 'string') throw new Unsafe('non-string key');
  if (base !== 0) shiftNode(root, base);
  return { text, doc: doc as Document.Parsed, root: root as YAMLMap, pair, key: kv, base };
}

const MACHINES_HEADER = 'machines:\n';

/**
 * Chunk `i`, whose text alone has syntax problems, parsed where the whole text puts it: after
 * `machines:` for a machine entry, after the chunk before it (yaml reads a broken line in the light of
 * the line above: `  w` after a flow mapping is a key of its own, after a plain value the start of a
 * two-line key), and followed by the next chunk, whose key (at the start of a line, no deeper than
 * this chunk's) ends whatever the broken text left open, as it does in the whole text. Taken only
 * when the chunks before and after come out exactly as their own parses have them (the parser is in
 * step there, as for the rest of the text) and every problem is inside this chunk (or at the next
 * key: an unclosed collection is reported where the next key starts); else Unsafe, and the caller
 * checks the whole text. The last chunk has no next one: the end of the text ends it either way.
 * engine/test/incremental.test.ts compares the results with check() on texts broken at random.
 */
function parseBrokenChunk(text: string, spans: ChunkSpan[], i: number, parts: (ParsedChunk | undefined)[], boundary: ReadonlySet<number>): ParsedChunk {
  const s = spans[i];
  const ct = ownString(text.slice(s.start, s.end));
  const last = i === spans.length - 1;
  // the last machine entry (before a section, or at the end of the text): its parse gives the end of
  // `machines:`, read from the machines mapping of the parse in context (as for the last chunk, the
  // end of the document)
  const lastMachine = s.kind === 'machine' && (last || spans[i + 1].kind !== 'machine');
  if (boundary.has(i) && !(last && s.kind === 'top') && !lastMachine) throw new Unsafe('syntax problem in a chunk at a boundary');
  if (s.kind === 'machines-header' || i === 0) throw new Unsafe('syntax problem in the machines header or the first chunk');
  const prev = parts[i - 1];
  const next = last ? undefined : parts[i + 1];
  if (!prev || prev.problems || (!last && (!next || next.problems))) throw new Unsafe('syntax problems in two chunks in a row');
  if (spans[i - 1].kind !== s.kind) throw new Unsafe('a broken chunk after another kind of chunk');
  // (a section may be followed by `machines:` alone, parsed as `machines: null` as its chunk is; a
  // machine entry by another, or the last one by a section)
  if (!last && spans[i + 1].kind !== s.kind && !(s.kind === 'top' && spans[i + 1].kind === 'machines-header') && !(lastMachine && spans[i + 1].kind === 'top')) {
    throw new Unsafe('a broken chunk before another kind of chunk');
  }
  const prefix = s.kind === 'machine' ? MACHINES_HEADER : '';
  const parsedText = prefix + prev.text + ct + (next ? next.text : '');
  const { doc, problems } = parseYaml(parsedText);
  const from = prefix.length + prev.text.length;
  const to = from + ct.length;
  // (an unclosed collection is reported at the next key, after its indentation)
  let upTo = to;
  while (parsedText.charCodeAt(upTo) === 32) upTo++;
  if (problems.some((p) => p.span.start < from || p.span.start > upTo)) throw new Unsafe('a syntax problem outside its chunk');
  // The mapping holding the chunk's entries (the root, or `machines:`'s value), and the next chunk's
  // pair: in that mapping, or beside `machines:` when the next chunk is a section.
  const top = doc.contents as unknown;
  let container: unknown = top;
  let nextNode: unknown;
  let own: number;
  if (prefix) {
    const beside = !!next && spans[i + 1].kind !== 'machine';
    if (!isMap(top) || top.items.length !== (beside ? 2 : 1)) throw new Unsafe('broken machine entry: not under machines');
    container = (top.items[0] as Pair).value;
    if (!isMap(container)) throw new Unsafe('broken machine entry: machines is not a mapping');
    if (beside) nextNode = top.items[1];
    else if (next) nextNode = container.items[container.items.length - 1];
    own = container.items.length - 1 - (next && !beside ? 1 : 0);
  } else {
    if (!isMap(top)) throw new Unsafe('broken chunk: not a mapping');
    if (next) nextNode = top.items[top.items.length - 1];
    own = top.items.length - 1 - (next ? 1 : 0);
  }
  const entries = (container as YAMLMap).items;
  // the chunk's own entries, between the chunk before and the one after: one, or (a machine chunk)
  // more — a name typed before its colon is an entry of its own
  if (own < 1 || (own > 1 && s.kind !== 'machine')) throw new Unsafe('broken chunk: not one key');
  const pairs = entries.slice(1, 1 + own) as Pair[];
  for (const x of pairs) {
    if (!isPair(x) || !isScalar(x.key) || typeof x.key.value !== 'string') throw new Unsafe('broken chunk: key is not a string');
    const kr = (x.key as { range?: number[] }).range;
    if (!kr || kr[0] < from || kr[1] > to) throw new Unsafe('broken chunk: key outside it');
  }
  const pair = pairs[0] as Pair & { key: Scalar & { value: string } };
  if (hasUnsafeNodes(top, parsedText)) throw new Unsafe('anchor, alias, tag or merge key');
  // the chunks before and after as their own parses have them, at their places here
  if (!sameNodeMoved(prev.pair, entries[0], prefix.length - prev.base)) throw new Unsafe('the chunk before a broken one parses differently beside it');
  if (next && !sameNodeMoved(next.pair, nextNode, to - next.base)) throw new Unsafe('the chunk after a broken one parses differently beside it');
  // (last, being a parse of its own) The chunk after the next one must not change what yaml reports: its recovery from a broken flow
  // collection may look past the next line (`components: [` run into a section's header: the entry
  // after it parses as its own parse has it, but with the line after that, yaml reports errors on it).
  if (next && i + 2 < spans.length) {
    const after = parseYaml(parsedText + text.slice(spans[i + 2].start, spans[i + 2].end)).problems;
    const same = after.length === problems.length && after.every((p, k) => p.code === problems[k].code && p.span.start === problems[k].span.start && p.span.end === problems[k].span.end);
    if (!same) throw new Unsafe('the chunk after the next one changes what the broken one reads');
  }
  // a chunk whose root assembly reads (the last one, the last machine entry) keeps the mapping, moved whole
  const root = last || lastMachine ? (container as YAMLMap) : undefined;
  if (root) shiftNode(root, s.start - from);
  else {
    for (const x of pairs) {
      shiftNode(x.key, s.start - from);
      shiftNode(x.value, s.start - from);
    }
  }
  return {
    text: ct,
    doc: doc as Document.Parsed,
    root,
    pair,
    ...(own > 1 ? { extra: pairs.slice(1) } : {}),
    key: pair.key.value,
    base: s.start,
    problems: problems.map((p) => ({ ...p, span: { start: p.span.start - from, end: p.span.end - from } })),
    prevText: prev.text,
    nextText: next?.text,
  };
}

/**
 * The machine entry of a machine chunk, read now (its nodes are moved in place by later updates): a
 * reused result's topology takes it instead of moving the last one through the edit.
 */
function insideEntry(pc: ParsedChunk): InsideEntry {
  const keySpan = spanOf(pc.pair.key as AnyNode);
  if (!keySpan) return { name: pc.key };
  try {
    return { name: pc.key, read: machineOf(new AstReader(pc.doc), pc.key, pc.pair.key as AnyNode, keySpan, (pc.pair.value ?? undefined) as AnyNode | undefined, -1) };
  } catch {
    return { name: pc.key }; // (then moved span by span, or checked again)
  }
}

/**
 * Moves a chunk's nodes by delta, in place (a moved chunk costs no garbage). Their range arrays are
 * collected on the first move: an edit near the top of a 10,000-machine file moves every chunk after
 * it, and walking their trees each time cost 7–12 ms per keystroke; the flat list costs ~2.
 */
function shiftChunk(pc: ParsedChunk, delta: number): void {
  moveRanges(pc.ranges ?? collectChunkRanges(pc), delta);
  pc.base += delta;
}

/** chunks whose range lists were collected, by any checker (for IncrementalStats.collected) */
let collectedChunks = 0;

/** The chunk's list of node ranges (shiftChunk), collected and kept. */
function collectChunkRanges(pc: ParsedChunk): [number, number, number][] {
  collectedChunks++;
  const rs: [number, number, number][] = [];
  if (pc.root) collectRanges(pc.root, rs);
  else {
    for (const x of pairsOf(pc)) {
      collectRanges(x.key, rs);
      collectRanges(x.value, rs);
    }
  }
  return (pc.ranges = rs);
}

/**
 * Chunk entries from a parse of the whole text, so that the first update (opening a file) parses the
 * text once instead of once per chunk and the cache is warm for the next edit. Undefined when the
 * parse cannot be cut along `spans` the way chunk parses would be (anything unsafe: the caller then
 * caches nothing). Every machine entry and top-level section except the `machines:` header (whose
 * chunk alone parses to a different value) becomes an entry, sharing the whole parse's nodes.
 */
/** Does the pair's key lie inside the chunk? */
function keyInside(p: Pair, span: ChunkSpan): boolean {
  const r = (p.key as { range?: [number, number, number] } | null)?.range;
  return !!r && r[0] >= span.start && r[1] <= span.end;
}

function fromFullParse(text: string, spans: ChunkSpan[], full: ParsedYaml): ParsedChunk[] | undefined {
  const { doc } = full;
  if (full.problems.length > 0 || doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
  const root = doc.contents;
  if (!root || !isMap(root) || hasUnsafeNodes(root, text)) return undefined;
  const out: ParsedChunk[] = [];
  let top = 0;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i];
    const pair = root.items[top++] as Pair | undefined;
    if (!pair || !isScalar(pair.key) || typeof pair.key.value !== 'string') return undefined;
    if (!keyInside(pair, s)) return undefined;
    if (s.kind === 'top') {
      out.push({ text: text.slice(s.start, s.end), doc, root: undefined, pair, key: pair.key.value, base: s.start });
      continue;
    }
    if (s.kind !== 'machines-header' || pair.key.value !== 'machines' || !isMap(pair.value)) return undefined;
    const machines = pair.value.items as Pair[];
    let j = i + 1;
    let m = 0;
    for (; j < spans.length && spans[j].kind === 'machine'; j++, m++) {
      const mp = machines[m];
      if (!mp || !isScalar(mp.key) || typeof mp.key.value !== 'string' || !keyInside(mp, spans[j])) return undefined;
      out.push({ text: text.slice(spans[j].start, spans[j].end), doc, root: undefined, pair: mp, key: mp.key.value, base: spans[j].start });
    }
    if (m !== machines.length) return undefined;
    i = j - 1;
  }
  return top === root.items.length ? out : undefined;
}

/** The chunks whose root range assembly reads: the first and the last, the first and last machine. */
function boundaryOf(spans: ChunkSpan[]): Set<number> {
  const boundary = new Set<number>([0, spans.length - 1]);
  const firstMachine = spans.findIndex((s) => s.kind === 'machine');
  if (firstMachine >= 0) {
    boundary.add(firstMachine);
    let lastMachine = firstMachine;
    while (lastMachine + 1 < spans.length && spans[lastMachine + 1].kind === 'machine') lastMachine++;
    boundary.add(lastMachine);
  }
  return boundary;
}

function rangeOf(n: unknown): [number, number, number] {
  const r = (n as { range?: [number, number, number] }).range;
  if (!r) throw new Unsafe('node without range');
  return r;
}

/** The chunks of the last update, to cut the next text around its edit only (`relayout`). */
interface Layout {
  text: string;
  spans: ChunkSpan[];
  parts: ParsedChunk[];
}

/** Index of the chunk holding offset x: the last with start ≤ x. */
function chunkAt(spans: ChunkSpan[], x: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (spans[mid].start <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * What `chunk(text)` gives, from the chunks of the last text: the text is compared with the last one,
 * and only the chunks around the edit (one more on each side) are cut again; the others are the same,
 * those after the edit moved by its length change. `from`…`toNew` are the new chunks cut again, which
 * replace the last text's `from`…`toOld`. Undefined whenever cutting the whole text could differ: an
 * edit near the `machines:` header or the first machine entry (whose indentation every entry follows),
 * across a section and machine entries, that adds a column-0 line among machine entries or a
 * `machines:` line among sections, or anything chunk() would refuse — chunk() then decides.
 */
export function relayout(last: { text: string; spans: ChunkSpan[] }, text: string): { spans: ChunkSpan[]; from: number; toNew: number; toOld: number; delta: number } | undefined {
  const old = last.text;
  const spans = last.spans;
  const ol = old.length;
  const nl = text.length;
  const m = Math.min(ol, nl);
  const delta0 = nl - ol;
  // the common prefix and suffix: whole chunks first, then characters (the texts' common ends are
  // found in a few native block comparisons: one per chunk cost 10–20 ms at 10,000 machines)
  const samePrefix = Math.min(commonLength(old, text), m);
  const sameSuffix = commonLength(old, text, true);
  let p0 = 0;
  for (let i = 0; i < spans.length && spans[i].end <= samePrefix; i++) p0 = spans[i].end;
  let s0 = 0;
  for (let i = spans.length - 1; i >= 0 && spans[i].start + delta0 >= p0 && spans[i].start >= p0 && ol - spans[i].start <= sameSuffix; i--) s0 = ol - spans[i].start;
  const { prefix: p, suffix: sfx } = commonEnds(old, text, p0, s0);
  if (p === ol && p === nl) return { spans, from: 0, toNew: 0, toOld: 0, delta: 0 };
  const oldEnd = ol - sfx;
  const newEnd = nl - sfx;
  const delta = nl - ol;
  // what chunk() refuses anywhere, looked for where the text changed (a CR cut from its LF included)
  if (ODD_CHARACTER.test(text.slice(Math.max(0, p - 1), Math.min(nl, newEnd + 1)))) return undefined;
  let a = chunkAt(spans, p);
  // An edit on a chunk's first line may join that line to the chunk before (it may stop being a key);
  // below it, the chunk's start stays where it is (the first line is the same text), so the chunk
  // before is not cut again — an edit in the section after the last machine would otherwise take in
  // a machine entry, and a region of both kinds is cut by chunk() over the whole text.
  const firstLineEnd = old.indexOf('\n', spans[a].start);
  if (a > 0 && (firstLineEnd < 0 || p <= firstLineEnd)) a--;
  let b = chunkAt(spans, oldEnd);
  if (b + 1 < spans.length) b++;
  const firstMachine = spans.findIndex((x) => x.kind === 'machine');
  let mode: 'top' | 'machine' | undefined;
  for (let i = a; i <= b; i++) {
    const k = spans[i].kind;
    if (k === 'machines-header' || i === firstMachine) return undefined;
    if (mode && mode !== k) return undefined;
    mode = k as 'top' | 'machine';
  }
  const entryIndent = mode === 'machine' ? indentAt(text, spans[firstMachine].start) : 0; // (before the edit: unchanged)
  const regionStart = spans[a].start;
  const regionEnd = spans[b].end + delta;
  const region: ChunkSpan[] = [];
  let join = false;
  const open = (start: number) => {
    if (region.length > 0) region[region.length - 1].end = start;
    region.push({ start: region.length === 0 ? regionStart : start, end: regionEnd, kind: mode! });
  };
  for (let l = regionStart; l < regionEnd; ) {
    const nlAt = text.indexOf('\n', l);
    const next = nlAt < 0 || nlAt + 1 > regionEnd ? regionEnd : nlAt + 1;
    const ind = indentAt(text, l);
    if (!triviaAt(text, l + ind)) {
      if (mode === 'machine') {
        if (ind < entryIndent) return undefined; // the end of `machines:`, or a bad indentation
        if (ind === entryIndent) {
          // (as chunk(): a line that is not a key is one entry with the key line after it)
          if (sequenceDashAt(text, l + ind)) return undefined;
          if (!join) open(l);
          join = !keyAt(text, l + ind);
        } else if (region.length === 0) return undefined;
      } else if (ind === 0) {
        if (sequenceDashAt(text, l)) {
          if (region.length === 0) return undefined; // a sequence needs the key above it
        } else {
          if (!keyAt(text, l) || machinesLineAt(text, l)) return undefined;
          open(l);
        }
      } else if (region.length === 0) return undefined; // indented content before the first key
    }
    l = next;
  }
  if (region.length === 0 || region[0].start !== regionStart || join) return undefined; // (join: the entry goes on after the region)
  const after = spans.slice(b + 1).map((x) => ({ start: x.start + delta, end: x.end + delta, kind: x.kind }));
  return { spans: [...spans.slice(0, a), ...region, ...after], from: a, toNew: a + region.length, toOld: b + 1, delta };
}

/** The one chunk an update changed (same place, same kind), the edit in it, and whether the text forbids reusing anything across it (reuse.ts, textForbidsReuse). */
interface OneChange {
  k: number;
  e: TextEditSpan;
  forbidden: boolean;
}

/**
 * The machine entries an update changed, when every chunk that differs is a machine entry and they are
 * next to each other: the last update's chunks [k, k + oldCount) became these [k, k + newCount), at most
 * MAX_WINDOW on either side (an entry added, removed, split into two, two joined, an entry and its
 * neighbour, a block of entries pasted or deleted). `e` is the edit between those stretches of text,
 * `region` the stretches. (Beyond MAX_WINDOW entries check() runs: a delta check's sub-runs grow with
 * them.)
 */
interface MachineWindow {
  k: number;
  oldCount: number;
  newCount: number;
  e: TextEditSpan;
  region: { old: Span; new: Span };
  forbidden: boolean;
}
const MAX_WINDOW = 32;

/** Is a chunk of these the one of the last update at that place (the same object, or the same text parsed alone: no syntax problems)? */
function unchangedChunk(a: ParsedChunk, b: ParsedChunk): boolean {
  return a === b || (a.text === b.text && !a.problems && !b.problems && !a.extra && !b.extra);
}

function changedWindow(old: Layout, text: string, spans: ChunkSpan[], parts: ParsedChunk[]): MachineWindow | undefined {
  const n = parts.length;
  const m = old.parts.length;
  let a = 0;
  while (a < n && a < m && unchangedChunk(parts[a], old.parts[a])) a++;
  let b = 0;
  while (b < n - a && b < m - a && unchangedChunk(parts[n - 1 - b], old.parts[m - 1 - b])) b++;
  const newCount = n - a - b;
  const oldCount = m - a - b;
  if (newCount + oldCount === 0 || newCount > MAX_WINDOW || oldCount > MAX_WINDOW) return undefined;
  for (let i = a; i < a + newCount; i++) if (spans[i].kind !== 'machine') return undefined;
  for (let i = a; i < a + oldCount; i++) if (old.spans[i].kind !== 'machine') return undefined;
  // the stretch of text: [start, end) in each text, with the same start (the chunks before are the same)
  const start = a < m ? old.spans[a].start : old.text.length;
  if ((a < n ? spans[a].start : text.length) !== start) return undefined;
  const oldEnd = oldCount > 0 ? old.spans[a + oldCount - 1].end : start;
  const newEnd = newCount > 0 ? spans[a + newCount - 1].end : start;
  const e = editBetween(old.text.slice(start, oldEnd), text.slice(start, newEnd), start);
  return { k: a, oldCount, newCount, e, region: { old: { start, end: oldEnd }, new: { start, end: newEnd } }, forbidden: textForbidsReuse(old.text, text, e) };
}

/** What the delta check is told of the machine entries of chunks [k, k + oldCount) of the last update's replaced by [k, k + newCount) of these. */
function machinesChange(old: Layout, spans: ChunkSpan[], parts: ParsedChunk[], k: number, oldCount: number, newCount: number): { at: number; before: string[]; after: { name: string; key: unknown; value: unknown }[] } {
  // the place of the first: the entries of the machine chunks before it
  let at = 0;
  for (let i = k - 1; i >= 0 && spans[i].kind === 'machine'; i--) at += 1 + (parts[i].extra?.length ?? 0);
  const before: string[] = [];
  for (let i = k; i < k + oldCount; i++) for (const p of pairsOf(old.parts[i])) before.push((p.key as Scalar).value as string);
  const after: { name: string; key: unknown; value: unknown }[] = [];
  for (let i = k; i < k + newCount; i++) for (const p of pairsOf(parts[i])) after.push({ name: (p.key as Scalar).value as string, key: p.key, value: p.value });
  return { at, before, after };
}

/** The one chunk that differs between the last update's chunks and these; undefined when none or several do. */
function oneChange(old: Layout | undefined, text: string, spans: ChunkSpan[], parts: ParsedChunk[]): OneChange | undefined {
  if (!old || old.spans.length !== spans.length) return undefined;
  let k = -1;
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === old.parts[i]) continue;
    if (k >= 0) return undefined; // two chunks changed
    k = i;
  }
  if (k < 0 || spans[k].start !== old.spans[k].start || spans[k].kind !== old.spans[k].kind) return undefined;
  const e = editBetween(old.parts[k].text, parts[k].text, spans[k].start);
  return { k, e, forbidden: textForbidsReuse(old.text, text, e) };
}

export function createIncrementalChecker(): IncrementalChecker {
  let cache = new Map<string, ParsedChunk>();
  let lastChunks = 0; // chunks of the last incremental update
  /** the chunks of the last successful update (undefined after a full check): the next text is cut around its edit */
  let layout: Layout | undefined;
  /** the `machines:` mapping the last assembly made, and the machine chunks it holds the pairs of, in order */
  let assembled: { map: YAMLMap; parts: ParsedChunk[] } | undefined;
  let generation = 0;
  const stats: IncrementalStats = { fallback: undefined, chunks: 0, parsed: 0, reused: false, recalled: false, delta: false, deltaDeclined: undefined, recomputed: 0, collected: 0, whole: false };
  /**
   * A cold start's text and the parse it was checked from, until its chunks are cut (cutWhole): the
   * open of a file publishes its problems without waiting for that (~30 ms at 10,000 machines).
   */
  let uncut: { text: string; whole: ParsedYaml } | undefined;
  /** The statistics of an update that checks without chunks (full, coldStart): `recalled` is set once known. */
  const startStats = (fallback: string | undefined, whole: boolean) => {
    stats.fallback = fallback;
    stats.chunks = 0;
    stats.parsed = 0;
    stats.reused = false;
    stats.recalled = false;
    stats.delta = false;
    stats.deltaDeclined = undefined;
    stats.whole = whole;
  };

  let parsed: ParsedYaml | undefined;

  /**
   * What the next update may reuse (reuse.ts), besides the last update's chunks (`layout`): its result
   * (`last`), the last result computed in full (`base`) and the edits since, and the title then.
   * Set and dropped with `layout`.
   */
  let chain: {
    options: string;
    base: CheckResult;
    last: CheckResult;
    edits: TextEditSpan[];
    /** for each edit, the machine whose entry it is in (if any), read again after it */
    inside: (InsideEntry | undefined)[];
    title: string | undefined;
  } | undefined;

  /** The last result, moved through the edit from `old` (the last update's chunks), when the edit cannot change it (reuse.ts); else undefined. */
  const reuse = (old: Layout | undefined, one: OneChange | undefined, text: string, spans: ChunkSpan[], parts: ParsedChunk[], optionsKey: string, options: CheckOptions) => {
    if (!old || !one || one.forbidden || !chain || chain.options !== optionsKey || chain.edits.length >= MAX_REUSE_CHAIN) return undefined;
    if (chain.last.diagnostics.some((d) => d.rule === INTERNAL_ERROR)) return undefined; // whatever made it throw, look again
    // (syntax problems can change while the nodes stay: a broken text is checked again)
    if (parts.some((p) => p.problems) || old.parts.some((p) => p.problems)) return undefined;
    const { k, e } = one;
    const same = sameChunk(old.parts[k].pair, parts[k].pair, e, text, spans[k].kind === 'top');
    if (!same) return undefined;
    const title = same.title ?? chain.title;
    const inside = [...chain.inside, spans[k].kind === 'machine' ? insideEntry(parts[k]) : undefined];
    const recompute = () => {
      stats.recomputed++;
      return check(text, options);
    };
    const result = movedResult(chain.base, chain.last, [...chain.edits, e], old.text, text, title, recompute, inside, fileOf(chain.last, old.text));
    if (!result) return undefined;
    const reads = readsOf(chain.base);
    if (duplicatesOf(chain.base)?.size === 0 && reads) {
      // (keys with counts would have to move)
      setDuplicates(result, duplicatesOf(chain.base)!);
      setReads(result, reads);
    }
    chain = { ...chain, last: result, edits: [...chain.edits, e], inside, title };
    movedFrom.set(result, chain.base);
    return result;
  };

  /**
   * A delta check (delta.ts) from the last update's result, when the edit changed one machine entry
   * (keeping its name) or one top-level section; a string says why not (`unexpected: …` when it threw:
   * check() then answers), undefined when the edit is not of that kind.
   */
  const delta = (old: Layout | undefined, one: OneChange | undefined, text: string, spans: ChunkSpan[], parts: ParsedChunk[], p: ParsedYaml, optionsKey: string, options: CheckOptions): CheckResult | string | undefined => {
    if (!old) return undefined;
    let k: number;
    let e: TextEditSpan;
    let forbidden: boolean;
    let region: { old: Span; new: Span };
    let change: DeltaInput['change'];
    if (one && !parts[one.k].extra && !old.parts[one.k].extra) {
      // one chunk: a machine entry or a top-level section
      if (spans[one.k].kind === 'machines-header') return undefined;
      ({ k, e, forbidden } = one);
      const renamed = parts[k].key !== old.parts[k].key;
      if (renamed && spans[k].kind !== 'machine') return 'a top-level key changed';
      if (spans[k].kind === 'top' && parts[k].key === 'machines') return undefined;
      region = { old: { start: old.spans[k].start, end: old.spans[k].end }, new: { start: spans[k].start, end: spans[k].end } };
      change = spans[k].kind === 'machine' ? { machines: machinesChange(old, spans, parts, k, 1, 1) } : { section: parts[k].key };
    } else {
      // machine entries next to each other: added, removed, split, joined (a broken chunk holds two)
      const w = changedWindow(old, text, spans, parts);
      if (!w) return one ? 'a machine chunk holds more than one entry' : undefined;
      ({ k, e, forbidden, region } = w);
      change = { machines: machinesChange(old, spans, parts, k, w.oldCount, w.newCount) };
    }
    // (the result of the text the chunks are of: the last one, or the one before when the last could
    // not be cut into chunks — full(…, keepLayout))
    const last = recentFor(old.text, optionsKey);
    if (!last) return 'no result for the last text';
    if (forbidden) return 'the edit touches a disable comment or line ends';
    const base = baseOf(last);
    if (!base) return 'the last result cannot be a base';
    try {
      const d = deltaCheck(base, { text, parsed: p, edit: e, change, region, options });
      if (typeof d === 'string') return d;
      bases.set(d.result, d.base);
      return d.result;
    } catch (err) {
      return `unexpected: ${err instanceof Error ? err.message : String(err)}`;
    }
  };
  const bases = new WeakMap<CheckResult, DeltaBase>();
  /** a reused result → the result its chain started from (reuse) */
  const movedFrom = new WeakMap<CheckResult, CheckResult>();
  const baseOf = (r: { text: string; options: string; result: CheckResult }): DeltaBase | undefined => {
    let b = bases.get(r.result);
    if (b) return b;
    const duplicates = duplicatesOf(r.result);
    const reads = readsOf(r.result);
    if (!duplicates || !reads) return undefined;
    const file = fileOf(r.result, r.text) ?? new SourceFile(r.text);
    // (a reused result has the machines of the result it was moved from, at other places: the same
    // index, which names them only; building it again would move every machine)
    const from = movedFrom.get(r.result);
    const index = from && bases.get(from)?.index;
    b = { text: r.text, file, sup: suppressions(file), t: r.result.topology, diagnostics: r.result.diagnostics, duplicates, reads, options: r.options, ...(index ? { index } : {}) };
    bases.set(r.result, b);
    return b;
  };

  /**
   * The results of the last two updates, oldest first: check() is a function of the text and the
   * options, so a text checked a moment ago — an undo, a typo typed and deleted, a value changed and
   * changed back — gets its result again without running the stages. (One result more is kept alive
   * than the caller holds: tens of MiB at 10,000 machines.)
   */
  let recent: { text: string; options: string; result: CheckResult }[] = [];
  /** the newest of them for `text` (and `optionsKey`, when given) */
  const recentFor = (text: string, optionsKey?: string) => {
    for (let i = recent.length - 1; i >= 0; i--) {
      const r = recent[i];
      if ((optionsKey === undefined || r.options === optionsKey) && r.text.length === text.length && r.text === text) return r;
    }
    return undefined;
  };
  const recall = (text: string, optionsKey: string): CheckResult | undefined => recentFor(text, optionsKey)?.result;
  const remember = (text: string, optionsKey: string, result: CheckResult): CheckResult => {
    recent = [...recent.filter((r) => r.result !== result), { text, options: optionsKey, result }].slice(-2);
    return result;
  };

  /**
   * check(), and no chunks for the next update to start from — or, with `keepLayout` (the text could
   * not be assembled from its chunks: Unsafe), the chunks of the last update that had them: the next
   * text is cut around its edit from that one, and a delta check starts from that text's result while
   * it is one of the last two (a broken state typed through — `  ws-new:  ws-0643:`, a name typed twice
   * — is one full check, not two).
   */
  const full = (text: string, options: CheckOptions | undefined, why: string, already?: ParsedYaml, keepLayout = false): CheckResult => {
    chain = undefined;
    if (!keepLayout) layout = undefined;
    startStats(why, false);
    if (overSizeLimit(text, options)) {
      parsed = undefined;
      return check(text, options);
    }
    parsed = already ?? parseYaml(text); // check() = size guard + parseYaml + checkParsed
    const optionsKey = JSON.stringify(options ?? {});
    return remember(text, optionsKey, recalledOrChecked(text, parsed, options, optionsKey));
  };

  /** A recent result for this text and options (recall), or `p` checked; `stats.recalled` says which. */
  const recalledOrChecked = (text: string, p: ParsedYaml, options: CheckOptions | undefined, optionsKey: string): CheckResult => {
    const known = recall(text, optionsKey);
    stats.recalled = !!known;
    return known ?? checkParsed(text, p, options, true);
  };

  /**
   * A successful update: `next` becomes the cache, the text's chunks (`spans`, and `parts` in their
   * order) the layout the next update starts from, and `p` (chunk-assembled or whole) is checked —
   * unless a recent result or the last one moved (reuse) answers.
   */
  const done = (text: string, options: CheckOptions, next: Map<string, ParsedChunk>, parsedChunks: number, p: ParsedYaml, spans: ChunkSpan[], parts: ParsedChunk[]): CheckResult => {
    cache = next;
    lastChunks = spans.length;
    const old = layout;
    layout = { text, spans, parts };
    stats.fallback = undefined;
    stats.chunks = spans.length;
    stats.parsed = parsedChunks;
    stats.whole = false;
    parsed = p;
    const optionsKey = JSON.stringify(options);
    const known = recall(text, optionsKey);
    stats.recalled = !!known;
    const one = known ? undefined : oneChange(old, text, spans, parts);
    const reused = known ? undefined : reuse(old, one, text, spans, parts, optionsKey, options);
    stats.reused = !!reused;
    stats.delta = false;
    stats.deltaDeclined = undefined;
    if (reused) return remember(text, optionsKey, reused);
    let result = known;
    if (!result) {
      const d = delta(old, one, text, spans, parts, p, optionsKey, options);
      if (typeof d === 'string') stats.deltaDeclined = d;
      else if (d) {
        result = d;
        stats.delta = true;
      }
    }
    result ??= checkParsed(text, p, options, true);
    chain = { options: optionsKey, base: result, last: result, edits: [], inside: [], title: undefined };
    return remember(text, optionsKey, result);
  };

  /** the last result, while it has fixes left for later (settle) */
  let unsettled: CheckResult | undefined;
  const settle = (budgetMs = Infinity) => {
    const r = unsettled;
    if (!r) return undefined;
    const errors = settleFixes(r, performance.now() + budgetMs);
    if (!hasPendingFixes(r)) unsettled = undefined;
    return errors;
  };
  const update = (text: string, options: CheckOptions = {}): CheckResult => {
    // (before anything moves the last text's nodes, which those fixes read; the errors were the last result's to tell — settle())
    settle();
    cutWhole();
    const collectedBefore = collectedChunks;
    try {
      const result = updateText(text, options);
      if (hasPendingFixes(result)) unsettled = result;
      return result;
    } finally {
      stats.collected = collectedChunks - collectedBefore;
    }
  };
  /**
   * A cold start (nothing cached) with a text the fast parser takes whole: that parse is checked at
   * once and cut into chunk entries for the next update afterwards (cutWhole), so that opening a file
   * publishes sooner.
   */
  const coldStart = (text: string, options: CheckOptions, whole: ParsedYaml): CheckResult => {
    chain = undefined;
    layout = undefined;
    startStats(undefined, true);
    parsed = whole;
    const optionsKey = JSON.stringify(options);
    const result = recalledOrChecked(text, whole, options, optionsKey);
    chain = { options: optionsKey, base: result, last: result, edits: [], inside: [], title: undefined };
    uncut = { text, whole };
    return remember(text, optionsKey, result);
  };

  /**
   * The chunks of the last cold start's text (coldStart), cut from its parse: they become the cache
   * and the layout the next update starts from. When the parse cannot be cut the way chunk parses
   * would be (anything unsafe), nothing is cached and the next update starts cold again.
   */
  const cutWhole = (): void => {
    const u = uncut;
    if (!u) return;
    uncut = undefined;
    const { text, whole } = u;
    try {
      const spans = chunk(text);
      const entries = fromFullParse(text, spans, whole);
      if (!entries) return;
      // The few chunks whose root assembly reads (and the `machines:` header) are parsed alone now,
      // so that the parts line up with the chunks and the next update can reuse this result.
      const boundary = boundaryOf(spans);
      const parts: ParsedChunk[] = [];
      for (let i = 0, j = 0; i < spans.length; i++) {
        const s = spans[i];
        if (s.kind === 'machines-header') parts.push(parseChunk(text.slice(s.start, s.end), s.start));
        else if (boundary.has(i)) {
          parts.push(parseChunk(text.slice(s.start, s.end), s.start));
          j++;
        } else parts.push(entries[j++]);
      }
      const next = new Map<string, ParsedChunk>();
      for (const pc of parts) if (!next.get(pc.text)?.root) next.set(pc.text, pc);
      cache = next;
      lastChunks = spans.length;
      layout = { text, spans, parts };
    } catch {
      // (Unsafe, Broken: chunks would not be what check() sees. The next update starts cold.)
    }
  };

  const updateText = (text: string, options: CheckOptions): CheckResult => {
    if (overSizeLimit(text, options)) return full(text, options, 'too large');
    if (cache.size === 0) {
      // Cold (a file just opened, or the cache was dropped): one parse of the whole text, checked at
      // once (coldStart). When the fast parser does not take the whole text (a syntax problem, or YAML
      // outside its subset) or finds a problem (a repeated key, say), the chunks are parsed one by
      // one below instead (a broken one between its neighbours: parseBrokenChunk), so that a file
      // opened broken is not checked in full, by yaml's slower parser, on every keystroke.
      const whole = parseYamlFast(text);
      if (whole && whole.problems.length === 0) return coldStart(text, options, whole);
    }
    let doc: Document.Parsed;
    let lastSpans: ChunkSpan[] | undefined;
    let lastParts: ParsedChunk[] | undefined;
    // cut around the edit when the last update's chunks allow; their cache then carries over
    const lay = layout && cache.size > 0 ? relayout(layout, text) : undefined;
    let next = lay ? cache : new Map<string, ParsedChunk>();
    let parsedCount = 0;
    let chunkCount = 0;
    try {
      const spans = lay ? lay.spans : chunk(text);
      chunkCount = spans.length;
      const gen = ++generation;
      /** A chunk at its place in this text: moved there if it is elsewhere (by an edit before it, or by an update that could not be assembled: full(…, keepLayout)). */
      const place = (pc: ParsedChunk, start: number): ParsedChunk => {
        if (pc.base !== start) shiftChunk(pc, start - pc.base);
        pc.placed = gen;
        return pc;
      };
      const boundary = boundaryOf(spans);
      /** chunks whose text alone has syntax problems: placed by parseBrokenChunk once all parts are known */
      const broken: number[] = [];
      const get = (s: ChunkSpan, i: number): ParsedChunk => {
        const ct = text.slice(s.start, s.end);
        let pc = next.get(ct) ?? cache.get(ct);
        if (pc && pc.placed === gen) pc = undefined; // the same text twice: parse the second one anew
        if (pc && !pc.root && boundary.has(i)) pc = undefined; // its root range is needed: parse it alone
        if (!pc) {
          try {
            pc = parseChunk(ct, s.start);
          } catch (e) {
            if (!(e instanceof Broken)) throw e;
            broken.push(i);
            parsedCount++;
            return undefined as unknown as ParsedChunk; // (placed below)
          }
          parsedCount++;
          if (!next.get(ct)?.root) next.set(pc.text, pc); // replaces an entry without its root, not the first of a text seen twice
        }
        place(pc, s.start);
        if (!next.has(ct)) next.set(pc.text, pc);
        return pc;
      };
      let parts: ParsedChunk[];
      if (lay && layout) {
        // Cut around the edit: the chunks before it are the last update's, those after it too, moved;
        // only the new ones are looked up (by text) or parsed. The cache carries over (bounded below).
        const last = layout.parts;
        parts = new Array<ParsedChunk>(spans.length);
        // (the chunks before it are where the last update left them — unless an update since could not
        // be assembled and moved them: place() moves them back)
        for (let i = 0; i < lay.from; i++) parts[i] = place(last[i], spans[i].start);
        for (let i = lay.toNew, j = lay.toOld; i < spans.length; i++, j++) parts[i] = place(last[j], spans[i].start);
        for (let i = lay.from; i < lay.toNew; i++) parts[i] = get(spans[i], i);
        // the chunks whose root assembly reads may have changed: parse alone those without one
        for (const i of boundary) {
          const pc = parts[i];
          if (!pc || pc.root) continue; // (undefined: a broken one, placed below)
          parts[i] = parseChunk(pc.text, spans[i].start);
          parsedCount++;
          parts[i].placed = gen;
          next.set(pc.text, parts[i]);
        }
        if (next.size > 2 * spans.length + 1000) {
          // old versions of edited chunks pile up: keep what this text uses
          const kept = new Map<string, ParsedChunk>();
          for (const pc of parts) if (pc && !pc.problems && !kept.has(pc.text)) kept.set(pc.text, pc);
          next = kept;
        }
      } else parts = spans.map(get);
      // Chunks with syntax problems: those just parsed, and those kept from the last update whose
      // neighbours are not the ones they were parsed beside.
      for (let i = 0; i < parts.length; i++) {
        const pc = parts[i];
        if (pc?.problems && ((i + 1 < parts.length ? parts[i + 1]?.text : undefined) !== pc.nextText || parts[i - 1]?.text !== pc.prevText)) broken.push(i);
      }
      // (from the last one back: a broken chunk is parsed beside the clean one after it)
      for (const i of [...new Set(broken)].sort((a, b) => b - a)) {
        parts[i] = parseBrokenChunk(text, spans, i, parts, boundary);
        parts[i].placed = gen;
      }
      lastSpans = spans;
      lastParts = parts;
      const first = parts[0];
      const rootOf = (pc: ParsedChunk): YAMLMap => {
        if (!pc.root) throw new Error('a chunk without its root at a boundary'); // never: boundary chunks are parsed alone
        return pc.root;
      };
      const root = new YAMLMap((rootOf(first) as unknown as { schema?: never }).schema);
      const topKeys = new Set<string>();
      let firstRoot: [number, number, number] | undefined;
      let lastPart: ParsedChunk = first;
      for (let i = 0; i < parts.length; i++) {
        const p = parts[i];
        const kind = spans[i].kind;
        if (kind === 'machine') throw new Unsafe('machine chunk without header'); // (handled below)
        if (topKeys.has(p.key)) throw new Unsafe('duplicate top-level key');
        topKeys.add(p.key);
        firstRoot ??= rangeOf(rootOf(p));
        if (kind === 'top') {
          root.items.push(p.pair);
          lastPart = p;
          continue;
        }
        // machines header followed by its machine chunks
        if (p.key !== 'machines' || !isScalar(p.pair.value) || (p.pair.value as { value: unknown }).value !== null) {
          throw new Unsafe('unexpected machines header');
        }
        let j = i + 1;
        while (j < parts.length && spans[j].kind === 'machine') j++;
        if (j === i + 1) throw new Unsafe('machines header without entries');
        // The same machine chunks as the mapping last assembled (an edit outside machines:): that
        // mapping again — its entries are those chunks' pairs, moved with them (10,000 entries and
        // their index by name were 2–3 ms of every such keystroke).
        const count = j - i - 1;
        let machines: YAMLMap;
        if (assembled && assembled.parts.length === count && assembled.parts.every((pc, x) => pc === parts[i + 1 + x])) machines = assembled.map;
        else {
          machines = new YAMLMap((rootOf(p) as unknown as { schema?: never }).schema);
          const byName = new Map<string, Pair>();
          let plainKeys = true;
          for (let x = i + 1; x < j; x++) {
            for (const pair of pairsOf(parts[x])) {
              const key = pair.key as Scalar;
              const name = key.value as string; // (a string: parseChunk, parseBrokenChunk, fromFullParse)
              if (byName.has(name)) throw new Unsafe('duplicate machine name');
              byName.set(name, pair);
              if (typeof name !== 'string' || name === '<<' || key.source === '<<') plainKeys = false;
              machines.items.push(pair);
            }
          }
          // (the names are known: lookups by name need not scan 10,000 entries — yaml-ast.ts, KEYED_MAPS)
          if (plainKeys) KEYED_MAPS.set(machines, byName);
          assembled = { map: machines, parts: parts.slice(i + 1, j) };
        }
        const mFirst = rangeOf(rootOf(parts[i + 1]));
        const mLast = rangeOf(rootOf(parts[j - 1]));
        machines.range = [mFirst[0], mLast[1], mLast[2]];
        root.items.push(new Pair(p.pair.key, machines));
        lastPart = parts[j - 1];
        i = j - 1;
      }
      const lastRoot = rangeOf(rootOf(lastPart));
      root.range = [firstRoot![0], lastRoot[1], lastRoot[2]];
      // a copy of the first chunk's document (options, schema, directives) holding the assembled root;
      // its own contents are not copied (clone() would copy them, and they are replaced anyway)
      const contents = first.doc.contents;
      first.doc.contents = null;
      try {
        doc = first.doc.clone() as Document.Parsed;
      } finally {
        first.doc.contents = contents;
      }
      doc.contents = root as Document.Parsed['contents'];
      doc.errors = [];
      doc.warnings = [];
      doc.range = [0, text.length, text.length];
    } catch (e) {
      // Unsafe: chunking could differ from a full parse. Anything else would be a bug here: never
      // let it reach the editor, the full check gives the right answer anyway.
      // The cache is kept (plus what this attempt parsed): typing through a broken state must not
      // cost a full re-parse once the text is valid again. Bounded: dropped when it grows too big.
      if (e instanceof Unsafe) {
        for (const [k, v] of next) if (!cache.has(k)) cache.set(k, v);
        if (cache.size > 2 * Math.max(lastChunks, chunkCount) + 1000) cache = new Map();
      } else cache = new Map();
      return full(text, options, e instanceof Unsafe ? e.message : `unexpected: ${e instanceof Error ? e.message : String(e)}`, undefined, e instanceof Unsafe && !!layout);
    }
    // the syntax problems of broken chunks, where they are in this text
    const problems: SyntaxProblem[] = [];
    for (let i = 0; i < lastParts!.length; i++) {
      const pc = lastParts![i];
      if (!pc.problems) continue;
      const at = lastSpans![i].start;
      for (const x of pc.problems) problems.push({ ...x, span: { start: x.span.start + at, end: x.span.end + at } });
    }
    return done(text, options, next, parsedCount, { doc, problems }, lastSpans!, lastParts!);
  };

  /** chunks of `layout` before this one have their range lists (prepare) */
  let rangesFrom = 0;
  let rangesOf: Layout | undefined;
  // Each call does one piece of work at least (a few fixes, 64 chunks, the base), however small the
  // budget: called again and again, it gets to the end.
  const prepare = (budgetMs = Infinity): boolean => {
    const until = performance.now() + budgetMs;
    if (unsettled) {
      settle(budgetMs);
      if (unsettled || performance.now() >= until) return true;
    }
    if (uncut) {
      cutWhole();
      if (performance.now() >= until) return true;
    }
    if (!layout) return false;
    if (rangesOf !== layout) {
      rangesOf = layout;
      rangesFrom = 0;
    }
    const parts = layout.parts;
    if (rangesFrom < parts.length) {
      const first = rangesFrom;
      for (; rangesFrom < parts.length; rangesFrom++) {
        if (rangesFrom > first && (rangesFrom & 63) === 0 && performance.now() >= until) return true;
        if (!parts[rangesFrom].ranges) collectChunkRanges(parts[rangesFrom]);
      }
      if (performance.now() >= until) return true;
    }
    // (the result of the text the chunks are of, which a delta check starts from: delta())
    const last = recentFor(layout.text);
    const base = last && baseOf(last);
    if (base) prepareBase(base);
    return false;
  };

  return {
    update,
    stats,
    get parsed() {
      return parsed;
    },
    get cold() {
      return cache.size === 0 && !uncut;
    },
    prepare,
    settle,
  };
}
