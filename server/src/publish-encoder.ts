// The JSON encoder of the stdio transport (--stdio, which the VS Code client uses). Every message is
// encoded as vscode-jsonrpc's own encoder does (JSON.stringify, then the charset), except the
// textDocument/publishDiagnostics the Validator prepares (`prepare`): the one message sent on every
// keystroke, and the largest (3.6 MB for the 3,665 problems of the 10,000-machine benchmark file).
// It is written from the engine's diagnostics (toLspDiagnostic only for those not kept): the
// diagnostics array the Validator sends is a stand-in that JSON.stringify turns into the LSP objects.
// - Its diagnostics are encoded one by one and each encoding is kept, so a keystroke encodes only the
//   diagnostics it changed. An encoding is kept for the engine diagnostic's range object, which the
//   engine shares between a diagnostic and its copies moved through an edit (and the results it keeps
//   for an undo). It is used again only for a diagnostic made (by toLspDiagnostic) from the same things:
//   the same range object, message, severity, rule and document, and related information with the
//   same range objects and messages. The engine's diagnostics are values it never changes, so the
//   same objects mean the same JSON.
// - It is ASCII: characters above U+007F are written as \uXXXX escapes (JSON's own), so the bytes are
//   written without UTF-8 conversion and the client's JSON.parse reads a one-byte string. Messages carry
//   "→", "—" and names from documents that are two-byte strings when one comment has a "’".
// The decoded value is the one JSON.stringify gives (test/publish-encoder.test.ts). docs/language-server.md
// ("Publishing") has the figures.
import type { Diagnostic as EngineDiagnostic } from '@acrotopo/engine';
import type { Message } from 'vscode-languageserver/node';
import type { Diagnostic } from 'vscode-languageserver';
import { lspSeverity, ruleDocsUrl, toLspDiagnostic } from './features/diagnostics';
import type { PublishedDiagnostics } from './features/diagnostics';

const PUBLISH = 'textDocument/publishDiagnostics';
const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_ALL = /[\u0080-\uffff]/g;
/** encodings kept per range object (several rules may report on one node) */
const PER_RANGE = 4;

const escape = (c: string) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');

/** JSON text with every character above U+007F escaped: the same value, in ASCII. */
export function asciiJson(json: string): string {
  return NON_ASCII.test(json) ? json.replace(NON_ASCII_ALL, escape) : json;
}

/** One diagnostic's encoding, with what it was made from. */
interface Kept {
  uri: string;
  message: string;
  severity: string;
  rule: string;
  related: readonly EngineDiagnostic['related'][number][];
  /** `{"range":…,"relatedInformation":[…],"data":{"rule":"…","version":` (ASCII) */
  head: Uint8Array;
}

function sameSource(k: Kept, uri: string, d: EngineDiagnostic): boolean {
  if (k.message !== d.message || k.severity !== d.severity || k.rule !== d.rule || k.uri !== uri || k.related.length !== d.related.length) return false;
  for (let i = 0; i < d.related.length; i++) {
    const a = d.related[i];
    const b = k.related[i];
    if (a.range !== b.range || a.message !== b.message) return false;
  }
  return true;
}

/** Per rule: the JSON between a diagnostic's severity and its message, and the opening of its data. */
const RULE_JSON = new Map<string, { code: string; data: string }>();

function ruleJson(rule: string): { code: string; data: string } {
  let r = RULE_JSON.get(rule);
  if (!r) {
    const id = asciiJson(JSON.stringify(rule));
    r = { code: `,"code":${id},"codeDescription":{"href":${asciiJson(JSON.stringify(ruleDocsUrl(rule)))}},"source":"acrotopo","message":`, data: `,"data":{"rule":${id},"version":` };
    if (RULE_JSON.size < 1000) RULE_JSON.set(rule, r); // (rule ids are the engine's few; bounded all the same)
  }
  return r;
}

const isPosition = (p: { line: number; character: number }) => Number.isSafeInteger(p.line) && Number.isSafeInteger(p.character);

/** JSON.stringify of an engine range (SourceFile.range: two positions of integers, nothing else), written out; undefined for other numbers. */
function rangeJson(r: EngineDiagnostic['range']): string | undefined {
  const a = r.start;
  const b = r.end;
  if (!isPosition(a) || !isPosition(b)) return undefined;
  return `{"start":{"line":${a.line},"character":${a.character}},"end":{"line":${b.line},"character":${b.character}}}`;
}

/**
 * toLspDiagnostic(e, …)'s JSON without its data, open at the end for it:
 * `{"range":…,"severity":…,"code":…,"codeDescription":…,"source":…,"message":…,"relatedInformation":[…],"data":{"rule":…,"version":`
 * (ASCII). Written out rather than built as objects and given to JSON.stringify: the first publish
 * of a 10,000-machine file (3,665 diagnostics, all new) took 64–126 ms that way, 56–74 ms now; the
 * same JSON value (the tests compare it with JSON.stringify's).
 */
function encodeHead(e: EngineDiagnostic, uriJson: string, uri: string, version: number, index: number): string {
  const range = rangeJson(e.range);
  let plain = range !== undefined;
  let related = '';
  for (let i = 0; plain && i < e.related.length; i++) {
    const r = rangeJson(e.related[i].range);
    if (r === undefined) plain = false;
    else related += `${i === 0 ? ',"relatedInformation":[' : ','}{"location":{"uri":${uriJson},"range":${r}},"message":${asciiJson(JSON.stringify(e.related[i].message))}}`;
  }
  // (not the engine's plain ranges: as JSON.stringify writes it)
  if (!plain) return asciiJson(JSON.stringify({ ...toLspDiagnostic(e, uri, version, index), data: undefined })).slice(0, -1) + ruleJson(e.rule).data;
  const rule = ruleJson(e.rule);
  // (the messages are the only parts that may hold characters above U+007F — the rule's JSON, the
  // URI's and the ranges are ASCII already —: escaped alone, not the whole head again)
  return `{"range":${range},"severity":${lspSeverity(e.severity)}${rule.code}${asciiJson(JSON.stringify(e.message))}${related}${related ? ']' : ''}${rule.data}`;
}

/** Writes the decimal digits of a non-negative integer at `at`; returns the new end (the index of each diagnostic). */
function writeInt(out: Uint8Array, at: number, n: number): number {
  if (n < 10) {
    out[at] = 48 + n;
    return at + 1;
  }
  const s = String(n);
  for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  return at + s.length;
}

const CLOSE = Buffer.from('}}', 'latin1');

/** Copies `b` to `out` at `at` (a memcpy: a loop over the bytes took 7 ms of every 3.8 MB publish); returns the new end. */
function writeBytes(out: Uint8Array, at: number, b: Uint8Array): number {
  out.set(b, at);
  return at + b.length;
}

interface Prepared {
  uri: string;
  version: number;
  engine: readonly EngineDiagnostic[];
  /** the size of the message it was written as, once written (bytesWritten) */
  bytes?: number;
}

/** A vscode-jsonrpc ContentTypeEncoder: `encode` gives the bytes of one message. */
export class PublishEncoder {
  readonly name = 'application/json';
  private readonly kept = new WeakMap<object, Kept[]>();
  private readonly prepared = new WeakMap<readonly Diagnostic[], Prepared>();
  /** per prepared publish: diagnostics encoded / taken from what was kept (for tests and the log) */
  readonly last = { encoded: 0, reused: 0 };

  /**
   * The array to publish `published` with: empty, encoded here from the engine's diagnostics (with the
   * kept encodings), and turned by JSON.stringify (`toJSON`) into the LSP objects anywhere else.
   */
  prepare(published: PublishedDiagnostics): Diagnostic[] {
    const stand = [] as Diagnostic[] & { toJSON?: () => Diagnostic[] };
    Object.defineProperty(stand, 'toJSON', { value: () => published.all(), enumerable: false });
    this.prepared.set(stand, { uri: published.uri, version: published.version, engine: published.engineDiagnostics() });
    return stand;
  }

  /** The size in bytes of the message the publish with this stand-in array (prepare) was written as; undefined before it is written, or when it was not written here. */
  bytesWritten(diagnostics: readonly Diagnostic[]): number | undefined {
    return this.prepared.get(diagnostics)?.bytes;
  }

  encode(msg: Message, options: { charset: string }): Promise<Uint8Array> {
    try {
      const m = msg as { method?: unknown; params?: { uri?: unknown; version?: unknown; diagnostics?: unknown } };
      if (m.method === PUBLISH && /^utf-?8$/i.test(options.charset) && m.params && Array.isArray(m.params.diagnostics)) {
        const p = this.prepared.get(m.params.diagnostics);
        // (the version is written as digits: a non-negative integer, as LSP's)
        if (p && p.uri === m.params.uri && p.version === m.params.version && Number.isSafeInteger(p.version) && p.version >= 0) {
          const bytes = this.publish(msg, p);
          p.bytes = bytes.length;
          return Promise.resolve(bytes);
        }
      }
      return Promise.resolve(Buffer.from(JSON.stringify(msg, undefined, 0), options.charset as BufferEncoding));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** The prepared publish as bytes. */
  private publish(msg: Message, p: Prepared): Uint8Array {
    const { params, ...rest } = msg as Message & { params: Record<string, unknown> };
    const { diagnostics: _, ...other } = params;
    // {"jsonrpc":"2.0","method":…,"params":{"uri":…,"version":…,"diagnostics":[ … ]}}
    const open = asciiJson(JSON.stringify({ ...rest, params: { ...other, diagnostics: [] } }));
    const cut = open.lastIndexOf('[]');
    const prefix = Buffer.from(open.slice(0, cut + 1), 'latin1');
    const suffix = Buffer.from(open.slice(cut + 1), 'latin1');
    const { engine, uri, version } = p;
    // what follows each head: the version, the same for all, then the index
    const versionThenIndex = Buffer.from(`${version},"index":`, 'latin1');
    const heads: Uint8Array[] = new Array(engine.length);
    const uriJson = asciiJson(JSON.stringify(uri));
    let size = prefix.length + suffix.length;
    let encoded = 0;
    for (let i = 0; i < engine.length; i++) {
      const e = engine[i];
      const list = this.kept.get(e.range);
      let head: Uint8Array | undefined;
      if (list) for (const k of list) if (sameSource(k, uri, e)) { head = k.head; break; }
      if (head === undefined) {
        encoded++;
        head = Buffer.from(encodeHead(e, uriJson, uri, version, i), 'latin1');
        const entry: Kept = { uri, message: e.message, severity: e.severity, rule: e.rule, related: e.related.slice(), head };
        if (list) {
          if (list.length >= PER_RANGE) list.shift();
          list.push(entry);
        } else this.kept.set(e.range, [entry]);
      }
      heads[i] = head;
      // head, version and ',"index":', index, '}}', and a comma between diagnostics
      size += head.length + versionThenIndex.length + 16 + CLOSE.length + 1;
    }
    const out = Buffer.allocUnsafe(size);
    let at = writeBytes(out, 0, prefix);
    for (let i = 0; i < heads.length; i++) {
      if (i > 0) out[at++] = 44; // ,
      at = writeBytes(out, at, heads[i]);
      at = writeBytes(out, at, versionThenIndex);
      at = writeInt(out, at, i);
      at = writeBytes(out, at, CLOSE);
    }
    at = writeBytes(out, at, suffix);
    this.last.encoded = encoded;
    this.last.reused = engine.length - encoded;
    return out.subarray(0, at);
  }
}
