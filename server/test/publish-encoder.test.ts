// The stdio transport's encoder (server/src/publish-encoder.ts): the same JSON value as JSON.stringify,
// in ASCII, with kept encodings never served for a diagnostic that changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fc from 'fast-check';
import type { Diagnostic, Range } from 'vscode-languageserver';
import { asciiJson, PublishEncoder } from '../src/publish-encoder';
import { ensureBuilt, ROOT } from './lsp-client';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const FC_RUNS = Number(process.env.FC_RUNS ?? 200);
const URI = 'file:///w/d%C3%A9ploiement.acrotopo.yaml';

const range = (l: number, c: number, l2 = l, c2 = c + 3): Range => ({ start: { line: l, character: c }, end: { line: l2, character: c2 } });

function publish(diagnostics: unknown[], version: number | undefined = 1): any {
  return { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: URI, ...(version === undefined ? {} : { version }), diagnostics } };
}

async function roundTrip(enc: PublishEncoder, msg: unknown, charset = 'utf-8'): Promise<{ bytes: Uint8Array; value: unknown }> {
  const bytes = await enc.encode(msg as any, { charset });
  return { bytes, value: JSON.parse(Buffer.from(bytes).toString('utf8')) };
}

const isAscii = (b: Uint8Array) => b.every((x) => x < 0x80);
const expected = (msg: unknown) => JSON.parse(JSON.stringify(msg));

function diag(r: Range, message: string, extra: Partial<Diagnostic> = {}, version = 1, index = 0): Diagnostic {
  return {
    range: r,
    severity: 1,
    code: 'blocked-connection',
    codeDescription: { href: 'https://example.test/rules#blocked-connection' },
    source: 'acrotopo',
    message,
    data: { rule: 'blocked-connection', version, index },
    ...extra,
  };
}

test('asciiJson escapes every character above U+007F and keeps the value', () => {
  for (const s of ['plain', 'a → b — “c” ’', 'emoji 😀 and lone \ud800 and \udfff', '\u0080\u00ff\uffff', 'tab\t"q"\\']) {
    const j = asciiJson(JSON.stringify({ s }));
    assert.ok(/^[\x00-\x7f]*$/.test(j), j);
    assert.deepEqual(JSON.parse(j), { s });
  }
  assert.equal(asciiJson('{"a":1}'), '{"a":1}');
});

test('publishDiagnostics: the same value as JSON.stringify, in ASCII, data written per publish', async () => {
  const enc = new PublishEncoder();
  const r1 = range(3, 2);
  const msg = publish([
    diag(r1, 'blocked by firewall ‘fw’: a → b on tcp/9876 — 😀', { relatedInformation: [{ location: { uri: URI, range: range(9, 4) }, message: 'destination: b’s key' }] }),
    diag(range(4, 0), 'no data', { data: undefined }),
    { range: range(5, 1), message: 'minimal' },
    diag(range(6, 0), 'with tags', { tags: [1] }),
  ]);
  const { bytes, value } = await roundTrip(enc, msg);
  assert.ok(isAscii(bytes));
  assert.deepEqual(value, expected(msg));
  // published again for the next version: the kept encodings, the new data
  const again = publish(msg.params.diagnostics.map((d: Diagnostic, i: number) => ({ ...d, ...(d.data ? { data: { rule: 'blocked-connection', version: 2, index: i } } : {}) })), 2);
  const second = await roundTrip(enc, again);
  assert.deepEqual(second.value, expected(again));
  assert.equal(enc.last.reused, 3, 'the three toLspDiagnostic-shaped diagnostics come from the cache (the one with tags does not)');
  assert.equal(enc.last.encoded, 1);
});

test('a kept encoding is not used once a field it was made from changed (same range object)', async () => {
  const enc = new PublishEncoder();
  const r = range(1, 1);
  const rel = range(7, 2);
  const base = () => diag(r, 'm1', { relatedInformation: [{ location: { uri: URI, range: rel }, message: 'other end' }] });
  await roundTrip(enc, publish([base()]));
  const variants: [string, Diagnostic][] = [
    ['message', { ...base(), message: 'm2' }],
    ['severity', { ...base(), severity: 2 }],
    ['code', { ...base(), code: 'unencrypted-port' }],
    ['href', { ...base(), codeDescription: { href: 'https://example.test/other' } }],
    ['source', { ...base(), source: 'other' }],
    ['related message', { ...base(), relatedInformation: [{ location: { uri: URI, range: rel }, message: 'changed' }] }],
    ['related uri', { ...base(), relatedInformation: [{ location: { uri: 'file:///other', range: rel }, message: 'other end' }] }],
    ['related count', { ...base(), relatedInformation: [] }],
    ['no related', { ...base(), relatedInformation: undefined }],
    ['extra field', { ...base(), tags: [2] }],
    ['extra related field', { ...base(), relatedInformation: [{ location: { uri: URI, range: rel }, message: 'other end', x: 1 } as any] }],
  ];
  for (const [what, d] of variants) {
    const msg = publish([d]);
    const { value } = await roundTrip(enc, msg);
    assert.deepEqual(value, expected(msg), what);
  }
  // range values changed in place (the key is the object): never the old bytes
  await roundTrip(enc, publish([base()])); // (kept again: the variants pushed it out of the range's few)
  await roundTrip(enc, publish([base()]));
  assert.equal(enc.last.reused, 1);
  rel.end.character = 99;
  const msg = publish([base()]);
  assert.deepEqual((await roundTrip(enc, msg)).value, expected(msg), 'a related range changed');
  assert.equal(enc.last.encoded, 1);
  r.start.line = 40;
  const msg2 = publish([base()]);
  assert.deepEqual((await roundTrip(enc, msg2)).value, expected(msg2), 'the range changed');
  assert.equal(enc.last.encoded, 1);
});

test('other messages, and other charsets, are encoded as vscode-jsonrpc does', async () => {
  const enc = new PublishEncoder();
  const hover = { jsonrpc: '2.0', id: 3, result: { contents: { kind: 'markdown', value: 'tcp/9876 → “agent”' } } };
  assert.deepEqual(Buffer.from(await enc.encode(hover as any, { charset: 'utf-8' })), Buffer.from(JSON.stringify(hover), 'utf-8'));
  const msg = publish([diag(range(1, 1), 'a → b')]);
  assert.deepEqual(Buffer.from(await enc.encode(msg, { charset: 'latin1' })), Buffer.from(JSON.stringify(msg), 'latin1'));
  for (const odd of [publish('nope' as any), { ...publish([]), params: undefined }, publish([null]), publish([5])]) {
    assert.deepEqual(Buffer.from(await enc.encode(odd, { charset: 'utf-8' })), Buffer.from(JSON.stringify(odd), 'utf-8'));
  }
  const empty = publish([], undefined);
  assert.deepEqual((await roundTrip(enc, empty)).value, expected(empty));
});

test('property: any sequence of publishes sharing and mutating range objects decodes to JSON.stringify\'s value', async () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '→', '—', '😀', '"', '\\', '\n', '\ud800', 'é') as any, maxLength: 8 });
  const step = fc.record({
    picks: fc.array(fc.record({ r: fc.nat(5), m: fc.oneof(text, fc.constant('same')), rel: fc.array(fc.record({ r: fc.nat(5), m: text }), { maxLength: 3 }), sev: fc.constantFrom(1, 2, 3), data: fc.boolean(), tags: fc.boolean() }), { maxLength: 8 }),
    mutate: fc.array(fc.record({ r: fc.nat(5), line: fc.nat(3), end: fc.boolean() }), { maxLength: 3 }),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
      const enc = new PublishEncoder();
      const ranges = Array.from({ length: 6 }, (_, i) => range(i, i));
      let version = 0;
      for (const s of steps) {
        for (const m of s.mutate) {
          if (m.end) ranges[m.r].end.character = m.line;
          else ranges[m.r].start.line = m.line;
        }
        version++;
        const ds = s.picks.map((p, i) => ({
          range: ranges[p.r],
          severity: p.sev,
          code: 'rule',
          source: 'acrotopo',
          message: p.m,
          ...(p.data ? { data: { rule: 'rule', version, index: i } } : {}),
          ...(p.rel.length ? { relatedInformation: p.rel.map((x) => ({ location: { uri: URI, range: ranges[x.r] }, message: x.m })) } : {}),
          ...(p.tags ? { tags: [1] } : {}),
        }));
        const msg = publish(ds, version);
        const { bytes, value } = await roundTrip(enc, msg);
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
