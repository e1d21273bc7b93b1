// JSON Schema validation (ajv) with every error mapped back to the YAML node it is about.
//
// The schema (schemas/acrotopo.schema.json) is validated by ajv standalone code generated from it
// (engine/src/generated/, `npm run schema-validator`). A check converts the document to plain JS
// (aliases bounded), validates it, and turns each ajv error into one problem:
//   - unknown key (additionalProperties), bad name (propertyNames) → the KEY's span
//   - wrong value (type, enum, const, pattern, range…)           → the VALUE's span
//   - missing required key                                         → the parent's key span (or the
//     first line of the sequence item / of the document)
// Several errors on one node collapse into the most specific one. Paths are resolved through a cache
// of each mapping's keys, so many errors in a huge file cost no more than one walk.
import type { ErrorObject } from 'ajv';
import { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { isMap, isPair, isPlainMap, isPlainSeq, isScalar, isSeq } from './yaml-lib';
import schemaJson from '../../schemas/acrotopo.schema.json';
import { closeMatches } from './did-you-mean';
import { yamlScalar } from './edits';
import validate, { definitions } from './generated/schema-validator';
import type { SchemaProblem } from './rule';
import type { SourceFile } from './source';
import type { Span } from './types';
import type { AnyNode, AstReader } from './yaml-ast';
import { spanOf } from './yaml-ast';

/** The JSON Schema of format v1, as shipped in schemas/acrotopo.schema.json. */
export const ACROTOPO_SCHEMA: Record<string, unknown> = schemaJson as unknown as Record<string, unknown>;

/**
 * Which definition (`#/definitions/NAME`) a subschema of the validator came from: messages describe
 * values by it. The validator is ajv standalone code, generated from the schema with every `$ref`
 * inlined (scripts/gen-schema-validator.ts): compiling the schema at start-up cost ~100 ms.
 */
const DEFINITION_OF = new WeakMap<object, string>(definitions);

// ---------------------------------------------------------------------------------------------
// Locating nodes

interface Entry {
  keySpan: Span;
  value: AnyNode | undefined;
}

interface Located {
  /** the value node at the path as written (an alias stays an alias), when the whole path exists */
  node: AnyNode | undefined;
  /** the span of the last key on the path, when the last segment is a mapping key */
  keySpan?: Span;
  /** true when every segment of the path was found */
  complete: boolean;
  /** the deepest node found (for fallbacks) */
  deepest: AnyNode | undefined;
}

/**
 * Resolves JSON-pointer paths to YAML nodes: a key is the first pair with it (AstReader.firstPair,
 * which indexes a mapping once it is looked up more than a few times).
 */
class Locator {
  constructor(private readonly reader: AstReader) {}

  private entry(map: AnyNode, key: string): Entry | undefined {
    const p = this.reader.firstPair(map, key);
    return p && { keySpan: p.keySpan, value: p.value };
  }

  locate(path: readonly string[]): Located {
    const r = this.reader;
    let written: AnyNode | undefined = (r.doc.contents as AnyNode | null) ?? undefined;
    let node = r.deref(written);
    let keySpan: Span | undefined;
    for (const seg of path) {
      if (!node) return { node: undefined, keySpan, complete: false, deepest: undefined };
      let next: AnyNode | undefined;
      if (isMap(node)) {
        const e = this.entry(node, seg);
        if (!e) return { node: undefined, keySpan: undefined, complete: false, deepest: node };
        keySpan = e.keySpan;
        next = e.value;
      } else if (isSeq(node)) {
        const items = (node as YAMLSeq).items as AnyNode[];
        const i = Number(seg);
        if (!Number.isInteger(i) || i < 0 || i >= items.length) return { node: undefined, keySpan: undefined, complete: false, deepest: node };
        keySpan = undefined;
        next = items[i] ?? undefined;
      } else {
        return { node: undefined, keySpan: undefined, complete: false, deepest: node };
      }
      written = next;
      const resolved = r.deref(next);
      if (!resolved && next) return { node: undefined, keySpan, complete: false, deepest: node };
      node = resolved;
    }
    return { node: written, keySpan, complete: true, deepest: node };
  }
}

// ---------------------------------------------------------------------------------------------
// Words

function decodePointer(p: string): string[] {
  if (p === '') return [];
  return p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const ITEM_NOUN: Record<string, string> = {
  components: 'component',
  between: 'zone',
  to: 'installation target',
  firewalls: 'firewall',
  allow: 'allow entry',
  connections: 'connection',
};

/** User text in a message: quoted, and cut short (a junk file must not give a 20 kB message). */
function q(s: string): string {
  return `'${clip(s)}'`;
}

function clip(s: string, max = 60): string {
  const flat = s.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : '?'));
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function isIndex(seg: string): boolean {
  return /^\d+$/.test(seg);
}

function get(data: unknown, path: readonly string[]): unknown {
  let d = data;
  for (const s of path) {
    if (d === null || typeof d !== 'object') return undefined;
    d = (d as Record<string, unknown>)[s];
  }
  return d;
}

/** A named owner (machine, subnet, firewall, allow entry, connection, rule) and the rest of the path. */
function owner(path: readonly string[], data: unknown): { owner?: string; rest: string[] } {
  const [a, b, c, d, e] = path;
  if (a === 'machines' && b !== undefined) return { owner: `machine ${q(b)}`, rest: path.slice(2) };
  if (a === 'network' && b === 'subnets' && c !== undefined) return { owner: `subnet ${q(c)}`, rest: path.slice(3) };
  if (a === 'network' && b === 'firewalls' && c !== undefined && isIndex(c)) {
    const name = get(data, ['network', 'firewalls', c, 'name']);
    const fw = typeof name === 'string' && name !== '' ? `firewall ${q(name)}` : `firewall #${Number(c) + 1}`;
    if (d === 'allow' && e !== undefined && isIndex(e)) return { owner: `allow entry #${Number(e) + 1} of ${fw}`, rest: path.slice(5) };
    return { owner: fw, rest: path.slice(3) };
  }
  if (a === 'connections' && b !== undefined && isIndex(b)) return { owner: `connection #${Number(b) + 1}`, rest: path.slice(2) };
  if (a === 'rules' && b !== undefined) return { owner: `rule ${q(b)}`, rest: path.slice(2) };
  return { rest: [...path] };
}

function dotted(rest: readonly string[]): string {
  let out = '';
  for (const s of rest) out += isIndex(s) ? `[${s}]` : out === '' ? s : `.${s}`;
  return out;
}

/** "machine 'web01'", "encryption of machine 'web01'", "network.dns", "the top level". */
function phrase(path: readonly string[], data: unknown): string {
  const o = owner(path, data);
  const rest = dotted(o.rest);
  if (o.owner) return rest ? `${rest} of ${o.owner}` : o.owner;
  return rest || 'the top level';
}

/** The noun for the value at a path: its key, or the singular of its list. */
function noun(path: readonly string[]): string {
  const last = path[path.length - 1];
  if (last === undefined) return 'value';
  if (isIndex(last)) return ITEM_NOUN[path[path.length - 2] ?? ''] ?? 'item';
  if (path[0] === 'network' && path[1] === 'subnets' && path.length === 3) return 'subnet CIDR';
  if (path[0] === 'machines' && path[2] === 'hosts' && path.length === 4) return 'hosts address';
  if (path[0] === 'rules' && path.length === 2) return 'severity';
  return last;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (the value is empty)';
  if (typeof v === 'string') return `the text ${q(v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return `${v}`;
  if (Array.isArray(v)) return 'a list';
  return 'a mapping';
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping (key: value lines)',
  array: 'a list',
  null: 'empty',
};

/** What a definition's values look like, for messages (the schema's patternErrorMessage is for editors). */
const SHAPES: Record<string, string> = {
  flowPort: 'written tcp/N, udp/N, tcp/N-M, udp/N-M or icmp (e.g. tcp/9876; ports 1 to 65535, N ≤ M)',
  sourcePorts: 'a source-port range N-M (e.g. 49152-65535; ports 0 to 65535, N ≤ M)',
  ipAddress: 'an IPv4 or IPv6 address (e.g. 10.0.0.10)',
  cidr: 'a network in CIDR notation (e.g. 10.0.0.0/24 or fd00::/64)',
  name: "a name made of letters, digits, '-', '_' and '.', starting and ending with a letter, a digit or '_'",
};

function definitionOf(e: ErrorObject): string | undefined {
  return e.parentSchema ? DEFINITION_OF.get(e.parentSchema) : undefined;
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
}

/** A port written another way (`TCP/9876`, `tcp 9876`, `9876/tcp`, `tcp:9876`, `9876`) in the canonical form. */
export function normalizePort(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535) return `tcp/${v}`;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (s === 'icmp') return 'icmp';
  let m = /^(tcp|udp)\s*[/: ]\s*(\d{1,5})(?:\s*[-–:]\s*(\d{1,5}))?$/.exec(s);
  if (m) return portText(m[1], m[2], m[3]);
  m = /^(\d{1,5})(?:\s*[-–]\s*(\d{1,5}))?\s*[/ ]\s*(tcp|udp)$/.exec(s);
  if (m) return portText(m[3], m[1], m[2]);
  m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(s);
  if (m) return portText('tcp', m[1], m[2]);
  return undefined;
}

function portText(proto: string, a: string, b: string | undefined): string | undefined {
  const from = Number(a);
  const to = b === undefined ? from : Number(b);
  if (from < 1 || to > 65535 || from > to) return undefined;
  return from === to ? `${proto}/${from}` : `${proto}/${from}-${to}`;
}

const YAML11_BOOLEANS: Record<string, boolean> = { yes: true, no: false, on: true, off: false, y: true, n: false, true: true, false: false };

// ---------------------------------------------------------------------------------------------
// Turning errors into problems

interface Candidate extends SchemaProblem {
  rank: number;
  order: number;
}

const RANK: Record<string, number> = {
  additionalProperties: 100,
  propertyNames: 100,
  const: 90,
  enum: 90,
  pattern: 80,
  'x-ordered-range': 80,
  minimum: 70,
  maximum: 70,
  minItems: 60,
  uniqueItems: 60,
  type: 50,
  required: 40,
};

function firstLine(file: SourceFile, span: Span): Span {
  const line = file.line(file.lineOf(span.start));
  return { start: span.start, end: Math.max(span.start, Math.min(span.end, line.end)) };
}

function trimmed(file: SourceFile, span: Span): Span {
  let end = span.end;
  while (end > span.start && /\s/.test(file.text[end - 1])) end--;
  return { start: span.start, end };
}

class Mapper {
  private readonly locator: Locator;
  private readonly candidates = new Map<string, Candidate>();
  private readonly missing = new Map<string, { path: string[]; props: string[]; order: number }>();
  private order = 0;
  /** `path|key` of required keys that a misspelled sibling key probably meant (its fix adds them) */
  private readonly misspelled = new Set<string>();

  constructor(private readonly reader: AstReader, private readonly file: SourceFile, private readonly data: unknown) {
    this.locator = new Locator(reader);
  }

  private add(span: Span, message: string, rank: number, suggestions: SchemaProblem['suggestions'] = []): void {
    const key = `${span.start}:${span.end}`;
    const prev = this.candidates.get(key);
    if (prev && prev.rank >= rank) return;
    this.candidates.set(key, { span, message, suggestions, rank, order: prev?.order ?? this.order++ });
  }

  /** The span of the key at the end of `path` (unknown keys, bad names). */
  private keySpan(path: string[]): Span {
    const loc = this.locator.locate(path);
    if (loc.keySpan) return loc.keySpan;
    return this.valueSpan(path.slice(0, -1));
  }

  /** The span of the value at `path`; an empty value falls back to its key. */
  private valueSpan(path: string[]): Span {
    const loc = this.locator.locate(path);
    if (loc.complete) {
      const s = spanOf(loc.node);
      if (s && s.end > s.start) return trimmed(this.file, s);
      if (loc.keySpan) return loc.keySpan;
      if (s) return s;
    }
    const d = spanOf(loc.deepest);
    if (d && d.end > d.start) return firstLine(this.file, d);
    return { start: 0, end: 0 };
  }

  /** Where a missing key is reported: the parent's key, a list item's first line, the document's first line. */
  private parentSpan(path: string[]): Span {
    const loc = this.locator.locate(path);
    if (loc.complete && loc.keySpan) return loc.keySpan;
    const s = spanOf(loc.complete ? this.reader.deref(loc.node) : loc.deepest);
    if (s && s.end > s.start) return firstLine(this.file, trimmed(this.file, s));
    return { start: 0, end: 0 };
  }

  private suggestValues(span: Span, value: unknown, allowed: readonly unknown[]): { best?: string; suggestions: SchemaProblem['suggestions'] } {
    if (typeof value !== 'string') return { suggestions: [] };
    const strings = allowed.filter((a): a is string => typeof a === 'string');
    const matches = closeMatches(value, strings);
    return { best: matches[0], suggestions: matches.map((m) => ({ span, newText: yamlScalar(m), title: `Change to '${m}'` })) };
  }

  handle(e: ErrorObject): void {
    const path = decodePointer(e.instancePath);
    const rank = RANK[e.keyword] ?? 10;
    const where = phrase(path, this.data);
    const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName;

    // Errors inside `propertyNames`: about a key's name.
    if (propertyName !== undefined) {
      const span = this.keySpan([...path, propertyName]);
      const isSubnets = path.length === 2 && path[0] === 'network' && path[1] === 'subnets';
      if (isSubnets && propertyName === 'internet') {
        this.add(span, `${q(propertyName)} cannot be a subnet name: 'internet' is the reserved zone for everything outside the LAN; choose another name`, 95);
      } else {
        const what = path[0] === 'machines' && path.length === 1 ? 'machine name' : isSubnets ? 'subnet name' : path[2] === 'hosts' ? 'host name' : 'name';
        this.add(span, `${q(propertyName)} is not a valid ${what} in ${where}: use ${SHAPES.name}`, 95);
      }
      return;
    }

    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String((e.params as { additionalProperty: string }).additionalProperty);
        const span = this.keySpan([...path, key]);
        const allowed = Object.keys(((e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties) ?? {}).filter((k) => k !== '$schema');
        // a key already present is not what the misspelling meant (the fix would duplicate it)
        const present = get(this.data, path);
        const absent = present && typeof present === 'object' ? allowed.filter((k) => !Object.prototype.hasOwnProperty.call(present, k)) : allowed;
        const matches = closeMatches(key, absent);
        const isRules = path.length === 1 && path[0] === 'rules';
        let message = isRules ? `unknown rule ${q(key)} in rules` : `unknown key ${q(key)} ${path.length === 0 ? 'at' : 'in'} ${where}`;
        if (matches.length > 0) message += `; did you mean '${matches[0]}'?`;
        else if (!isRules && allowed.length > 0) message += `; allowed keys: ${allowed.join(', ')}`;
        this.add(span, message, rank, matches.map((m) => ({ span, newText: m, title: `Change to '${m}'` })));
        if (matches[0] !== undefined) this.misspelled.add(`${e.instancePath}|${matches[0]}`);
        return;
      }
      case 'propertyNames':
        return; // the nested error carries the detail (handled above)
      case 'required': {
        const prop = String((e.params as { missingProperty: string }).missingProperty);
        const k = e.instancePath;
        const m = this.missing.get(k);
        if (m) m.props.push(prop);
        else this.missing.set(k, { path, props: [prop], order: this.order++ });
        return;
      }
      default:
        break;
    }

    const span = this.valueSpan(path);
    const value = e.data;
    const what = noun(path);
    const parent = e.parentSchema as { enum?: unknown[]; const?: unknown; type?: string | string[] } | undefined;
    const def = definitionOf(e);
    const shape = def ? SHAPES[def] : undefined;

    // The document itself.
    if (path.length === 0 && e.keyword === 'type') {
      const empty = value === null || value === undefined;
      const suggestions = empty ? [{ span: { start: this.file.text.length, end: this.file.text.length }, newText: `${this.file.text.length > 0 && !/\n$/.test(this.file.text) ? this.file.eol : ''}acrotopo: 1${this.file.eol}`, title: "Add 'acrotopo: 1'" }] : [];
      this.add(empty ? { start: 0, end: 0 } : span, empty
        ? "the file is empty: an acrotopo file is a mapping that starts with 'acrotopo: 1'"
        : `an acrotopo file is a mapping of keys (acrotopo, network, machines, …), not ${describe(value)}`, rank, suggestions);
      return;
    }

    switch (e.keyword) {
      case 'const': {
        if (path.length === 1 && path[0] === 'acrotopo') {
          const fix = [{ span, newText: '1', title: "Change to '1'" }];
          if (value === '1') this.add(span, "acrotopo must be the number 1, not the text '1' (remove the quotes)", rank, fix);
          else if (typeof value === 'number' && Number.isInteger(value) && value > 1) this.add(span, `acrotopo: ${value} is not supported: this version of Acrotopo reads format 1 only (acrotopo: 1)`, rank, fix);
          else this.add(span, `acrotopo must be 1 (the format version), not ${describe(value)}`, rank, fix);
          return;
        }
        this.add(span, `${where} must be ${JSON.stringify(e.params && (e.params as { allowedValue: unknown }).allowedValue)}`, rank);
        return;
      }
      case 'enum': {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues ?? [];
        // `product: 11.7` — YAML reads an unquoted 11.7 as a number.
        if (typeof value === 'number' && allowed.includes(String(value))) {
          const text = JSON.stringify(String(value));
          this.add(span, `${where} must be text: write ${text} in quotes (unquoted, YAML reads ${value} as a number)`, 95, [{ span, newText: text, title: `Change to ${text}` }]);
          return;
        }
        if (typeof value !== 'string') {
          this.add(span, `${where} must be one of: ${quoteList(allowed)}; found ${describe(value)}`, rank);
          return;
        }
        const s = this.suggestValues(span, value, allowed);
        const dym = s.best ? ` did you mean '${s.best}'?` : '';
        // the owner itself when the value is directly its (a subnet's CIDR, a rule's severity), else the parent
        const o = owner(path, this.data);
        const up = isIndex(path[path.length - 1] ?? '') ? 2 : 1; // a list item: name the list's owner
        const container = o.owner && o.rest.length === 0 ? o.owner : path.length > up ? phrase(path.slice(0, -up), this.data) : undefined;
        this.add(span, `${q(value)} is not an allowed ${what}${container ? ` in ${container}` : ''};${dym} expected one of: ${quoteList(allowed)}`, rank, s.suggestions);
        return;
      }
      case 'x-ordered-range': {
        const swapped = typeof value === 'string' ? value.replace(/(\d+)-(\d+)$/, '$2-$1') : undefined;
        const suggestions = swapped ? [{ span, newText: swapped, title: `Change to '${swapped}'` }] : [];
        this.add(span, `${where} runs backwards: ${q(String(value))} ends before it starts; write the lower port first${swapped ? ` ('${swapped}')` : ''}`, rank, suggestions);
        return;
      }
      case 'pattern': {
        const fix = def === 'flowPort' ? normalizePort(value) : undefined;
        const suggestions = fix && fix !== value ? [{ span, newText: fix, title: `Change to '${fix}'` }] : [];
        this.add(span, `${where} must be ${shape ?? `text matching ${(e.params as { pattern?: string }).pattern ?? 'the expected form'}`}; found ${describe(value)}`, rank, suggestions);
        return;
      }
      case 'minimum':
      case 'maximum': {
        const sch = e.parentSchema as { minimum?: number; maximum?: number };
        this.add(span, `${where} must be between ${sch.minimum ?? '…'} and ${sch.maximum ?? '…'}; found ${describe(value)}`, rank);
        return;
      }
      case 'minItems': {
        const limit = (e.params as { limit: number }).limit;
        const isBetween = path[path.length - 1] === 'between';
        this.add(span, isBetween
          ? `between of ${owner(path, this.data).owner ?? 'the firewall'} must name at least ${limit} zones (a firewall separates two or more zones)`
          : `${where} must have at least ${limit} items`, rank);
        return;
      }
      case 'uniqueItems': {
        const { i, j } = e.params as { i: number; j: number };
        const dup = String(Math.max(i, j));
        const itemSpan = this.valueSpan([...path, dup]);
        const item = Array.isArray(value) ? value[Number(dup)] : undefined;
        const itemNoun = ITEM_NOUN[path[path.length - 1] ?? ''] ?? 'item';
        this.add(itemSpan, `${itemNoun} ${typeof item === 'string' ? q(item) : clip(JSON.stringify(item) ?? '')} is listed twice in ${where}`, rank);
        return;
      }
      case 'type': {
        const types = Array.isArray(e.params.type) ? (e.params.type as string[]) : String(e.params.type).split(',');
        const enumValues = parent?.enum;
        const suggestions: SchemaProblem['suggestions'] = [];
        let expected: string;
        if (shape) expected = shape;
        else if (enumValues) expected = `one of: ${quoteList(enumValues)}`;
        else expected = types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
        let note = '';
        if (types.includes('boolean') && typeof value === 'string' && value.toLowerCase() in YAML11_BOOLEANS) {
          const b = YAML11_BOOLEANS[value.toLowerCase()];
          suggestions.push({ span, newText: String(b), title: `Change to '${b}'` });
          note = value.toLowerCase() === 'true' || value.toLowerCase() === 'false' ? ' (remove the quotes)' : ' (YAML 1.2 reads yes/no/on/off as text)';
        } else if (def === 'flowPort') {
          const fix = normalizePort(value);
          if (fix) suggestions.push({ span, newText: fix, title: `Change to '${fix}'` });
        } else if ((types.includes('integer') || types.includes('number')) && typeof value === 'string' && /^\d+$/.test(value.trim())) {
          suggestions.push({ span, newText: value.trim(), title: `Change to ${value.trim()}` });
          note = ' (remove the quotes)';
        } else if (types.includes('string') && !types.includes('integer') && typeof value === 'number' && !enumValues) {
          note = ' (put it in quotes)';
        } else if (types.includes('array') && !types.includes('string') && value !== null && typeof value !== 'object') {
          const text = this.file.text.slice(span.start, span.end);
          if (!text.includes('\n')) suggestions.push({ span, newText: `[${text}]`, title: `Change to [${text}]` });
        }
        this.add(span, `${where} must be ${expected}; found ${describe(value)}${note}`, rank, suggestions);
        return;
      }
      default:
        this.add(span, `${where} ${e.message ?? 'is not valid'}`, rank);
    }
  }

  finish(): SchemaProblem[] {
    for (const [pointer, entry] of this.missing) {
      const path = entry.path;
      const props = entry.props.filter((p) => !this.misspelled.has(`${pointer}|${p}`));
      if (props.length === 0) continue;
      const list = props.map((p) => `'${p}'`);
      const words = list.length === 1 ? `key ${list[0]}` : `keys ${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
      if (path.length === 0) {
        const root = this.reader.deref(this.reader.doc.contents);
        const rs = spanOf(root);
        const span = rs ? firstLine(this.file, trimmed(this.file, rs)) : { start: 0, end: 0 };
        const suggestions: SchemaProblem['suggestions'] = [];
        if (props.includes('acrotopo') && rs && isMap(root) && !(root as { flow?: boolean }).flow) {
          suggestions.push({ span: { start: rs.start, end: rs.start }, newText: `acrotopo: 1${this.file.eol}${' '.repeat(this.file.position(rs.start).character)}`, title: "Add 'acrotopo: 1'" });
        }
        const message = props.length === 1 && props[0] === 'acrotopo'
          ? "missing 'acrotopo: 1' (the format version) at the top of the file"
          : `the file is missing the required ${words}`;
        this.add(span, message, RANK.required, suggestions);
        continue;
      }
      this.add(this.parentSpan(path), `${phrase(path, this.data)} is missing the required ${words}`, RANK.required);
    }
    return [...this.candidates.values()]
      .sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.order - b.order)
      .map(({ span, message, suggestions }) => ({ span, message, suggestions }));
  }
}

// ---------------------------------------------------------------------------------------------
// Plain data for ajv

const NOT_PLAIN = new Error('not a plain document');
const MAX_PLAIN_DEPTH = 200;

/**
 * What `doc.toJS()` returns, for the plain documents acrotopo files are — mappings, sequences and
 * scalars without anchors, aliases, merge keys, special collection tags or collection keys — built
 * without yaml's per-node conversion machinery (a third of the schema stage at 10k machines). Throws
 * NOT_PLAIN on anything else (or deep nesting), and the caller falls back to `doc.toJS()`. Mirrors
 * yaml's YAMLMap/YAMLSeq/Scalar toJSON and addPairToJSMap with `keep` set (no `json` option).
 */
/**
 * The plain data of mappings two levels down (a machine entry's value, a section's entries), by node:
 * the incremental checker hands over the same node objects for text that did not change, and nodes
 * are never changed in place (a moved chunk gets new range arrays; ranges are not data). Only plain
 * subtrees get here (anything else throws NOT_PLAIN before it is stored), and the data is only read.
 */
const plainMemo = new WeakMap<object, unknown>();
const MEMO_DEPTH = 2;

/**
 * Whether the text being converted may hold anchors (an `&`): when it cannot, no node has one and
 * plainToJS does not look (reading a property a node does not have, on nodes of every shape, was a
 * tenth of the conversion at 10,000 machines). Set by the conversions below for their duration.
 */
let anchorsPossible = true;

/** `fn()` with anchorsPossible set for `text` (unknown text: possible). */
function converting<T>(text: string | undefined, fn: () => T): T {
  const before = anchorsPossible;
  anchorsPossible = text === undefined || text.includes('&');
  try {
    return fn();
  } finally {
    anchorsPossible = before;
  }
}

function plainToJS(node: unknown, depth: number): unknown {
  if (node === null || node === undefined) return node;
  if (depth > MAX_PLAIN_DEPTH || (anchorsPossible && (node as { anchor?: string }).anchor)) throw NOT_PLAIN;
  if (isScalar(node)) return (node as Scalar).value;
  if (depth === MEMO_DEPTH && typeof node === 'object') {
    const known = plainMemo.get(node);
    if (known !== undefined) return known;
    const data = plainData(node, depth);
    plainMemo.set(node, data);
    return data;
  }
  return plainData(node, depth);
}

/** The key of a mapping's item as toJS gives it (throws NOT_PLAIN for what toJS would treat otherwise: merge keys, odd keys). */
function plainKey(item: unknown): string {
  if (!isPair(item)) throw NOT_PLAIN;
  const key = item.key;
  let jsKey: unknown = key;
  if (key !== null && key !== undefined) {
    if (!isScalar(key)) throw NOT_PLAIN;
    if (anchorsPossible && (key as { anchor?: string }).anchor) throw NOT_PLAIN;
    jsKey = (key as Scalar).value;
    // (a merge key's scalar — `addToJSMap` — holds a symbol: yaml's merge tag; a string key has none)
    if (typeof jsKey !== 'string' && (key as { addToJSMap?: unknown }).addToJSMap) throw NOT_PLAIN;
    if (jsKey === '<<' || typeof jsKey === 'symbol' || (typeof jsKey === 'object' && jsKey !== null)) throw NOT_PLAIN; // merge keys, odd keys
  }
  return jsKey === null ? '' : String(jsKey);
}

/**
 * As addPairToJSMap, which defines (not assigns) a key that is already there or inherited (`key in
 * map`). An assignment does the same for every such key but `__proto__` — Object.prototype's other
 * properties are writable data properties, so assigning makes an own, enumerable, writable and
 * configurable one, as defining does, and an own key keeps those attributes and its place — so only
 * `__proto__` (an accessor: assigning would set the prototype) is defined. (The `in` check was a
 * third of the conversion at 10,000 machines.)
 */
function setPlain(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}

function plainData(node: unknown, depth: number): unknown {
  // (only YAMLMap and YAMLSeq themselves: not their subclasses — YAMLSet, YAMLOMap —, which toJS converts otherwise)
  if (isPlainMap(node)) {
    const items = (node as YAMLMap).items;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < items.length; i++) setPlain(out, plainKey(items[i]), plainToJS((items[i] as Pair).value, depth + 1));
    return out;
  }
  if (isPlainSeq(node)) {
    const items = (node as YAMLSeq).items;
    const out: unknown[] = [];
    for (let i = 0; i < items.length; i++) {
      if (isPair(items[i])) throw NOT_PLAIN;
      out.push(plainToJS(items[i], depth + 1));
    }
    return out;
  }
  throw NOT_PLAIN; // aliases, pairs, other node classes
}

/** The document as plain data: `doc.toJS({ maxAliasCount: 100 })`, quicker for plain documents. */
export function documentData(reader: AstReader, text?: string): unknown {
  try {
    return converting(text, () => plainToJS(reader.doc.contents, 0));
  } catch (e) {
    if (e !== NOT_PLAIN) throw e;
  }
  return reader.doc.toJS({ maxAliasCount: 100 });
}

/**
 * validateSchema for part of the document: the problems of its data with `machines` holding only
 * the entries named `machines` (none when empty); undefined when the document is not plain data or
 * one of them is not there. Every schema problem is local to the machine
 * entry or the top-level section it is in — the schema relates nothing across them (no `if` over
 * sections, `uniqueItems` only within a list) — so the delta check (delta.ts) validates the edited
 * entry or section alone and keeps the other problems.
 */
export function validateSchemaPart(reader: AstReader, file: SourceFile, machines: readonly string[]): SchemaProblem[] | undefined {
  // The document's data with `machines` holding the one machine (or none): the other entries are not
  // converted (tens of thousands of keys, on every keystroke).
  const root = reader.doc.contents;
  if (!isPlainMap(root)) return undefined;
  const partial: Record<string, unknown> = {};
  const whole = converting(file.text, () => {
    try {
      const wanted = new Set(machines);
      let found = 0;
      for (const item of (root as YAMLMap).items) {
        const key = plainKey(item);
        const value = (item as Pair).value;
        if (key !== 'machines') {
          setPlain(partial, key, plainToJS(value, 1));
          continue;
        }
        if (!isPlainMap(value)) return false;
        const one: Record<string, unknown> = {};
        if (wanted.size > 0) {
          for (const p of (value as YAMLMap).items) {
            const name = plainKey(p);
            if (!wanted.has(name) || Object.prototype.hasOwnProperty.call(one, name)) continue;
            setPlain(one, name, plainToJS((p as Pair).value, 2));
            if (++found === wanted.size) break;
          }
        }
        setPlain(partial, key, one);
      }
      return found === wanted.size;
    } catch {
      return false; // not plain data (NOT_PLAIN), or nested too deeply
    }
  });
  if (!whole) return undefined;
  if (validate(partial)) return [];
  const mapper = new Mapper(reader, file, partial);
  for (const e of validate.errors ?? []) mapper.handle(e);
  return mapper.finish();
}

/** Validates the document against the JSON Schema; one problem per offending node. */
export function validateSchema(reader: AstReader, file: SourceFile): SchemaProblem[] {
  let data: unknown;
  try {
    data = documentData(reader, file.text);
  } catch (e) {
    // thousands of nesting levels overflow the stack of the (recursive) conversion: say so rather
    // than pass the file as valid (fuzz/hostile-cases.ts, "2 000-deep block nesting")
    if (e instanceof RangeError) {
      const nl = file.text.indexOf('\n');
      return [{ span: { start: 0, end: nl < 0 ? file.text.length : nl }, message: 'the file is nested too deeply to be checked against the schema (thousands of levels); its content was not validated', suggestions: [] }];
    }
    return []; // e.g. an alias bomb: yaml-syntax reports it
  }
  if (validate(data)) return [];
  const mapper = new Mapper(reader, file, data);
  for (const e of validate.errors ?? []) mapper.handle(e);
  return mapper.finish();
}
