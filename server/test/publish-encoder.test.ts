// The stdio transport's encoder (server/src/publish-encoder.ts): the same JSON value as JSON.stringify,
// in ASCII, with kept encodings never served for a diagnostic that changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fc from 'fast-check';
import type { Diagnostic, Range } from 'vscode-languageserver';
import type { Diagnostic as EngineDiagnostic } from '@acrotopo/engine';
import { PublishedDiagnostics, toLspDiagnostic } from '../src/features/diagnostics';
import { asciiJson, PublishEncoder } from '../src/publish-encoder';
import { ensureBuilt, ROOT } from './lsp-client';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const FC_RUNS = Number(process.env.FC_RUNS ?? 200);
const URI = 'file:///w/d%C3%A9ploiement.acrotopo.yaml';

const range = (l: number, c: number, l2 = l, c2 = c + 3): Range => ({ start: { line: l, character: c }, end: { line: l2, character: c2 } });
const span = { start: 0, end: 1 };

function publish(diagnostics: unknown, version: number | undefined = 1): any {
  return { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: URI, ...(version === undefined ? {} : { version }), diagnostics } };
}

const isAscii = (b: Uint8Array) => b.every((x) => x < 0x80);
const expected = (msg: unknown) => JSON.parse(JSON.stringify(msg));

function engineDiag(r: Range, message: string, extra: Partial<EngineDiagnostic> = {}): EngineDiagnostic {
  return { rule: 'blocked-connection', severity: 'error', message, span, range: r, related: [], fixes: [], ...extra };
}

/** Publishes `engine` for `version` as the Validator does (PublishedDiagnostics, prepare, encode); returns the decoded message. */
async function send(enc: PublishEncoder, engine: EngineDiagnostic[], version: number, uri = URI): Promise<{ bytes: Uint8Array; value: unknown; msg: unknown }> {
  const diagnostics = enc.prepare(new PublishedDiagnostics(version, uri, engine));
  assert.equal(diagnostics.length, 0, 'a stand-in');
  // (expected: JSON.stringify of the message, which turns the stand-in into toLspDiagnostic's objects)
  const msg = { ...publish(diagnostics, version), params: { uri, version, diagnostics } };
  const bytes = await enc.encode(msg, { charset: 'utf-8' });
  return { bytes, value: JSON.parse(Buffer.from(bytes).toString('utf8')), msg };
}

test('asciiJson escapes every character above U+007F and keeps the value', () => {
  for (const s of ['plain', 'a → b — “c” ’', 'emoji 😀 and lone \ud800 and \udfff', '\u0080\u00ff\uffff', 'tab\t"q"\\']) {
    const j = asciiJson(JSON.stringify({ s }));
    assert.ok(/^[\x00-\x7f]*$/.test(j), j);
    assert.deepEqual(JSON.parse(j), { s });
  }
  assert.equal(asciiJson('{"a":1}'), '{"a":1}');
});

test('a prepared publish: the value JSON.stringify gives, in ASCII; kept encodings for the same diagnostics and their moved copies', async () => {
  const enc = new PublishEncoder();
  const r1 = range(3, 2);
  const rel = range(9, 4);
  const a = engineDiag(r1, 'blocked by firewall ‘fw’: a → b on tcp/9876 — 😀', { related: [{ message: 'destination: b’s key', span, range: rel }] });
  const b = engineDiag(range(4, 0), 'second', { rule: 'unencrypted-port', severity: 'warning' });
  const first = await send(enc, [a, b], 1);
  assert.ok(isAscii(first.bytes));
  assert.deepEqual(first.value, expected(first.msg));
  assert.equal(enc.last.encoded, 2);
  assert.equal(enc.bytesWritten((first.msg as { params: { diagnostics: Diagnostic[] } }).params.diagnostics), first.bytes.length, 'the size of the message it wrote, for its stand-in array');
  assert.equal(enc.bytesWritten([]), undefined, 'not for another array');
  // the next version: the same diagnostics, and a copy of `a` moved through an edit (new objects, the same ranges)
  const moved = { ...a, span: { start: 5, end: 6 }, related: a.related.map((r) => ({ ...r, span: { start: 7, end: 8 } })) };
  for (const [version, list] of [[2, [a, b]], [3, [b, moved]], [12345678, [moved, b, a]]] as const) {
    const next = await send(enc, [...list], version);
    assert.deepEqual(next.value, expected(next.msg), `version ${version}`);
    assert.ok(isAscii(next.bytes));
    assert.equal(enc.last.reused, list.length, `version ${version}: all kept`);
  }
});

test('a kept encoding is not used for a diagnostic made from other things, even on the same range object', async () => {
  const enc = new PublishEncoder();
  const r = range(1, 1);
  const rel = range(7, 2);
  const base = engineDiag(r, 'm1', { related: [{ message: 'other end', span, range: rel }] });
  await send(enc, [base], 1);
  const variants: [string, EngineDiagnostic, string?][] = [
    ['message', { ...base, message: 'm2' }],
    ['severity', { ...base, severity: 'warning' }],
    ['rule', { ...base, rule: 'unencrypted-port' }],
    ['related message', { ...base, related: [{ message: 'changed', span, range: rel }] }],
    ['related range', { ...base, related: [{ message: 'other end', span, range: range(7, 2) }] }],
    ['related count', { ...base, related: [] }],
    ['document', base, 'file:///other.acrotopo.yaml'],
  ];
  let version = 1;
  for (const [what, d, uri] of variants) {
    const { value, msg } = await send(enc, [d], ++version, uri);
    assert.deepEqual(value, expected(msg), what);
    assert.equal(enc.last.encoded, 1, what);
  }
  // the original is still kept (a few per range)
  await send(enc, [base], ++version);
  assert.equal(enc.last.encoded, 1, 'pushed out by the variants (four per range)');
  await send(enc, [base], ++version);
  assert.equal(enc.last.reused, 1);
});

test('anything not prepared is encoded as vscode-jsonrpc does (a prepared publish, by JSON.stringify of its stand-in)', async () => {
  const enc = new PublishEncoder();
  const hover = { jsonrpc: '2.0', id: 3, result: { contents: { kind: 'markdown', value: 'tcp/9876 → “agent”' } } };
  const same = async (msg: any, charset = 'utf-8') => assert.deepEqual(Buffer.from(await enc.encode(msg, { charset })), Buffer.from(JSON.stringify(msg), charset as BufferEncoding));
  await same(hover);
  const engine = [engineDiag(range(1, 1), 'a → b', { related: [{ message: 'other end', span, range: range(4, 2) }] })];
  const lsp = engine.map((d, i) => toLspDiagnostic(d, URI, 1, i));
  await same(publish(lsp)); // not prepared
  const stand = enc.prepare(new PublishedDiagnostics(1, URI, engine));
  assert.deepEqual(JSON.parse(JSON.stringify(stand)), JSON.parse(JSON.stringify(lsp)), 'the stand-in stringifies to the LSP objects');
  await same(publish(stand), 'latin1'); // another charset
  await same({ ...publish(stand), params: { uri: 'file:///elsewhere', version: 1, diagnostics: stand } }); // another document
  await same(publish(stand, 2)); // another version
  const negative = enc.prepare(new PublishedDiagnostics(-1, URI, engine));
  await same(publish(negative, -1)); // a version not written as digits
  const { value, msg } = await send(enc, [], 1);
  assert.deepEqual(value, expected(msg));
  for (const odd of [publish('nope'), { ...publish([]), params: undefined }, publish([null])]) await same(odd);
});

test('property: publishes of diagnostics sharing range objects, messages and related ranges decode to JSON.stringify\'s value', async () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '→', '—', '😀', '"', '\\', '\n', '\ud800', 'é') as any, maxLength: 8 });
  const pick = fc.record({ r: fc.nat(5), m: fc.oneof(text, fc.constant('same')), rel: fc.array(fc.record({ r: fc.nat(5), m: fc.oneof(text, fc.constant('end')) }), { maxLength: 3 }), sev: fc.constantFrom('error', 'warning', 'info'), rule: fc.constantFrom('a-rule', 'b-rule'), copy: fc.boolean() });
  await fc.assert(
    fc.asyncProperty(fc.array(fc.record({ picks: fc.array(pick, { maxLength: 8 }), uri: fc.constantFrom(URI, 'file:///b.acrotopo.yaml') }), { minLength: 1, maxLength: 6 }), async (steps) => {
      const enc = new PublishEncoder();
      const ranges = Array.from({ length: 6 }, (_, i) => range(i, i));
      const made = new Map<string, EngineDiagnostic>();
      let version = 0;
      for (const s of steps) {
        version++;
        const engine = s.picks.map((p) => {
          const key = JSON.stringify(p);
          const fresh = engineDiag(ranges[p.r], p.m, { severity: p.sev as EngineDiagnostic['severity'], rule: p.rule, related: p.rel.map((x) => ({ message: x.m, span, range: ranges[x.r] })) });
          // the same object again, or a copy (as moved through an edit)
          const d = made.get(key) ?? fresh;
          made.set(key, d);
          return p.copy ? { ...d, related: d.related.map((r) => ({ ...r })) } : d;
        });
        const { bytes, value, msg } = await send(enc, engine, version, s.uri);
        assert.ok(isAscii(bytes));
        assert.deepEqual(value, expected(msg));
      }
    }),
    { numRuns: FC_RUNS },
  );
});

test('the stdio server publishes through it: the bytes on stdout are ASCII, "→" written as \\u2192', async () => {
  await ensureBuilt();
  const child = spawn(process.execPath, [join(ROOT, 'server', 'bin', 'acrotopo-language-server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const frame = (o: unknown) => {
    const body = Buffer.from(JSON.stringify(o), 'utf8');
    child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    child.stdin.write(body);
  };
  let out = Buffer.alloc(0);
  const publishBody = new Promise<Buffer>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no publish; stdout so far: ${out.toString('latin1').slice(0, 400)}`)), 15_000);
    child.stdout.on('data', (b: Buffer) => {
      out = Buffer.concat([out, b]);
      // frames: Content-Length: N\r\n\r\n{body}
      let at = 0;
      for (;;) {
        const head = out.indexOf('\r\n\r\n', at, 'latin1');
        if (head < 0) break;
        const n = Number(/Content-Length: (\d+)/.exec(out.subarray(at, head).toString('latin1'))?.[1]);
        if (out.length < head + 4 + n) break;
        const body = out.subarray(head + 4, head + 4 + n);
        at = head + 4 + n;
        const m = JSON.parse(body.toString('utf8'));
        // the server's requests (its settings, registrations): answered with defaults
        if (m.id !== undefined && m.method) frame({ jsonrpc: '2.0', id: m.id, result: m.method === 'workspace/configuration' ? m.params.items.map(() => null) : null });
        if (m.method === 'textDocument/publishDiagnostics' && body.includes('blocked')) {
          clearTimeout(timer);
          resolve(Buffer.from(body));
        }
      }
    });
  });
  try {
    frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } });
    frame({ jsonrpc: '2.0', method: 'initialized', params: {} });
    // a shipped example with blocked connections, and a comment that makes the text a two-byte string
    const text = readFileSync(join(ROOT, 'examples', 'problems', 'dmz-firewall.acrotopo.yaml'), 'utf8') + '# “Zweigstelle” ’\n';
    frame({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: URI, languageId: 'acrotopo', version: 1, text } } });
    const body = await publishBody;
    assert.ok(isAscii(body), 'ASCII only');
    assert.ok(body.includes('\\u2192'), 'the arrow is an escape');
    const value = JSON.parse(body.toString('utf8'));
    assert.ok(value.params.diagnostics.some((d: Diagnostic) => d.code === 'blocked-connection' && String(d.message).includes('→')), 'decoded, the message has its arrow');
  } finally {
    child.kill();
  }
});
