// The JSON encoder of the stream transports (--stdio, which the VS Code client uses). Every message is
// encoded as vscode-jsonrpc's own encoder does (JSON.stringify, then the charset), except
// textDocument/publishDiagnostics, the one message sent on every keystroke and the largest (3.9 MB for
// the 3,665 problems of the 10,000-machine benchmark file):
// - its diagnostics are encoded one by one and each encoding is kept, so a keystroke encodes only the
//   diagnostics it changed. The key is the diagnostic's range object, which the engine shares between a
//   diagnostic and its copies moved through an edit (and the last two results it keeps); a kept encoding
//   is used only when every field it was made from is equal (values, not references), so an encoding is
//   never reused for a diagnostic that differs;
// - it is ASCII: characters above U+007F are written as \uXXXX escapes (JSON's own), so the bytes are
//   written without UTF-8 conversion and the client's JSON.parse reads a one-byte string. Messages carry
//   "→", "—" and names from documents that are two-byte strings when one comment has a "’".
// The payload is the same JSON value JSON.stringify would give (test/publish-encoder.test.ts).
// Measured in docs/benchmarks.md and docs/architecture.md ("Publishing").
import type { Message } from 'vscode-languageserver/node';
import type { Diagnostic, Range } from 'vscode-languageserver';

const PUBLISH = 'textDocument/publishDiagnostics';
const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_ALL = /[\u0080-\uffff]/g;
/** the fields of a diagnostic an encoding is kept for (`data` is written for each publish: it names the version) */
const CACHEABLE = new Set(['range', 'severity', 'code', 'codeDescription', 'source', 'message', 'data', 'relatedInformation']);
/** encodings kept per range object (the same range with other messages: a few rules report on one node) */
const PER_RANGE = 4;

const escape = (c: string) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');

/** JSON text with every character above U+007F escaped: the same value, in ASCII. */
export function asciiJson(json: string): string {
  return NON_ASCII.test(json) ? json.replace(NON_ASCII_ALL, escape) : json;
}

type RangeValues = [unknown, unknown, unknown, unknown];

function values(r: Range): RangeValues {
  return [r.start.line, r.start.character, r.end.line, r.end.character];
}

function sameValues(r: Range, v: RangeValues): boolean {
  return r.start.line === v[0] && r.start.character === v[1] && r.end.line === v[2] && r.end.character === v[3];
}

interface Related {
  uri: string;
  message: string;
  at: RangeValues;
}

/** An encoded diagnostic without its closing brace and `data`, with what it was made from. */
interface Encoded {
  at: RangeValues;
  severity: unknown;
  code: unknown;
  href: unknown;
  source: unknown;
  message: unknown;
  related: Related[] | undefined;
  /** `{"range":…,"relatedInformation":[…]` (no closing brace), ASCII */
  head: Buffer;
}

function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

const primitive = (x: unknown) => x === undefined || typeof x === 'string' || typeof x === 'number';

function plainRange(r: unknown): r is Range {
  const x = r as Range | undefined;
  return !!x && typeof x === 'object' && keyCount(x) === 2 && !!x.start && !!x.end && keyCount(x.start) === 2 && keyCount(x.end) === 2;
}

/**
 * Whether the diagnostic has only the fields and shapes a kept encoding describes (toLspDiagnostic's);
 * anything else is encoded each time.
 */
function cacheable(d: Diagnostic): boolean {
  for (const k in d) if (!CACHEABLE.has(k)) return false;
  if (!plainRange(d.range) || typeof d.message !== 'string' || !primitive(d.severity) || !primitive(d.code) || !primitive(d.source)) return false;
  if (d.codeDescription !== undefined && (typeof d.codeDescription !== 'object' || d.codeDescription === null || keyCount(d.codeDescription) !== 1 || typeof d.codeDescription.href !== 'string')) return false;
  const rel = d.relatedInformation;
  if (rel === undefined) return true;
  if (!Array.isArray(rel)) return false;
  for (const r of rel) {
    if (!r || typeof r !== 'object' || keyCount(r) !== 2 || typeof r.message !== 'string') return false;
    const loc = r.location;
    if (!loc || typeof loc !== 'object' || keyCount(loc) !== 2 || typeof loc.uri !== 'string' || !plainRange(loc.range)) return false;
  }
  return true;
}

/** What a kept encoding is compared on (only for a cacheable diagnostic). */
function describe(d: Diagnostic): Omit<Encoded, 'head'> {
  const related = d.relatedInformation?.map((r) => ({ uri: r.location.uri, message: r.message, at: values(r.location.range)! }));
  return { at: values(d.range)!, severity: d.severity, code: d.code, href: d.codeDescription?.href, source: d.source, message: d.message, related };
}

/** Whether a kept encoding is the encoding of `d` (a cacheable diagnostic). */
function matches(e: Encoded, d: Diagnostic): boolean {
  if (!sameValues(d.range, e.at) || e.severity !== d.severity || e.code !== d.code || e.href !== d.codeDescription?.href || e.source !== d.source || e.message !== d.message) return false;
  const rel = d.relatedInformation;
  if (!e.related || !rel) return !e.related && !rel;
  if (rel.length !== e.related.length) return false;
  for (let i = 0; i < rel.length; i++) {
    const a = rel[i];
    const b = e.related[i];
    if (a.message !== b.message || a.location.uri !== b.uri || !sameValues(a.location.range, b.at)) return false;
  }
  return true;
}

/** The diagnostic as JSON without `data` and without its closing brace, ASCII. */
function headOf(d: Diagnostic): string {
  const json = asciiJson(JSON.stringify(d.data === undefined ? d : { ...d, data: undefined }));
  return json.slice(0, -1);
}

/** A ContentTypeEncoder (vscode-jsonrpc): `encode` gives the bytes of one message. */
export class PublishEncoder {
  readonly name = 'application/json';
  private cache = new WeakMap<Range, Encoded[]>();
  /** per publish: diagnostics encoded / taken from the cache (for tests and the log) */
  readonly last = { encoded: 0, reused: 0 };

  encode(msg: Message, options: { charset: string }): Promise<Uint8Array> {
    try {
      const m = msg as { method?: unknown; params?: unknown };
      if (m.method === PUBLISH && /^utf-?8$/i.test(options.charset)) {
        const out = this.publish(msg);
        if (out) return Promise.resolve(out);
      }
      return Promise.resolve(Buffer.from(JSON.stringify(msg, undefined, 0), options.charset as BufferEncoding));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Forget every kept encoding. */
  clear(): void {
    this.cache = new WeakMap();
  }

  /** The publish message as bytes, or undefined when it is not the shape this encodes (then JSON.stringify does). */
  private publish(msg: Message): Buffer | undefined {
    const { params, ...rest } = msg as Message & { params?: { uri?: unknown; version?: unknown; diagnostics?: unknown } };
    if (!params || typeof params !== 'object' || !Array.isArray(params.diagnostics)) return undefined;
    const { diagnostics, ...otherParams } = params as { diagnostics: Diagnostic[] };
    // {"jsonrpc":"2.0","method":…,"params":{"uri":…,"version":…,"diagnostics":[ … ]}}
    const open = asciiJson(JSON.stringify({ ...rest, params: { ...otherParams, diagnostics: [] } }));
    const cut = open.lastIndexOf('[]');
    if (cut < 0) return undefined;
    const prefix = open.slice(0, cut + 1);
    const suffix = open.slice(cut + 1);
    const heads: Buffer[] = new Array(diagnostics.length);
    const tails: string[] = new Array(diagnostics.length);
    let size = prefix.length + suffix.length + Math.max(0, diagnostics.length - 1);
    let encoded = 0;
    let reused = 0;
    for (let i = 0; i < diagnostics.length; i++) {
      const d = diagnostics[i];
      if (!d || typeof d !== 'object') return undefined;
      let head: Buffer | undefined;
      const key = cacheable(d) ? d.range : undefined;
      const kept = key && this.cache.get(key);
      if (kept) for (const e of kept) if (matches(e, d)) { head = e.head; break; }
      if (head) reused++;
      else {
        encoded++;
        head = Buffer.from(headOf(d), 'latin1');
        if (key) {
          const list = kept || [];
          if (list.length >= PER_RANGE) list.shift();
          list.push({ ...describe(d), head });
          if (!kept) this.cache.set(key, list);
        }
      }
      const data = d.data === undefined ? '' : `${head.length > 1 ? ',' : ''}"data":${asciiJson(JSON.stringify(d.data))}`;
      tails[i] = data + '}';
      heads[i] = head;
      size += head.length + tails[i].length;
    }
    const out = Buffer.allocUnsafe(size);
    let at = out.write(prefix, 0, 'latin1');
    for (let i = 0; i < heads.length; i++) {
      if (i > 0) at += out.write(',', at, 'latin1');
      at += heads[i].copy(out, at);
      at += out.write(tails[i], at, 'latin1');
    }
    at += out.write(suffix, at, 'latin1');
    this.last.encoded = encoded;
    this.last.reused = reused;
    return at === size ? out : undefined;
  }
}
