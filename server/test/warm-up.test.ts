// The warm-up (server/src/warm-up.ts): a sample estate checked through one-line edits, once per
// server process, in idle time after the first document's own idle work — never before a document is
// open, never in the way of a change, and off with initializationOptions `warmUp: false`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, createIncrementalChecker, INTERNAL_ERROR } from '@acrotopo/engine';
import type { CheckOptions, IncrementalChecker } from '@acrotopo/engine';
import { SERVER_STATUS_METHOD } from '../src/protocol';
import type { ServerStatus } from '../src/protocol';
import { WARM_UP_EDITS, WarmUp, warmUpEdits, warmUpSample } from '../src/warm-up';
import { LspClient } from './lsp-client';

test('the sample is a whole estate: every section, both machine styles, checked without an internal error', () => {
  const sample = warmUpSample();
  assert.equal(warmUpSample(), sample, 'deterministic');
  const r = check(sample);
  assert.ok(!r.diagnostics.some((d) => d.rule === INTERNAL_ERROR || d.rule === 'yaml-syntax' || d.rule === 'schema'), JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.rule)));
  const t = r.topology;
  assert.ok(t.machines.size >= 40, `${t.machines.size} machines`);
  assert.ok(t.firewalls.length >= 2);
  assert.ok((t.installation?.to.length ?? 0) >= 3);
  assert.ok(t.connections.length >= 3);
  assert.ok([...t.machines.values()].some((m) => m.hosts.length > 0), 'hosts entries');
  assert.match(sample, /^ {2}[\w-]+: \{ os: /m, 'a flow-style machine');
  assert.match(sample, /^ {2}[\w-]+:\n {4}os: /m, 'a block-style machine');
  // rules find problems in it (the rules' code runs, not only the model's)
  assert.ok(new Set(r.diagnostics.map((d) => d.rule)).size >= 3);
});

test('the edits: one character typed into one line each (and deleted by the undo), spread over the sections', () => {
  const sample = warmUpSample();
  const lines = sample.split('\n');
  const edits = warmUpEdits(sample);
  assert.equal(edits.length, WARM_UP_EDITS);
  const sections = new Set<string>();
  for (const e of edits) {
    assert.equal(e.undo, lines[e.line]);
    assert.equal(e.text.length, e.undo.length + 1, `${e.undo} → ${e.text}`);
    let at = 0;
    while (e.text[at] === e.undo[at]) at++;
    assert.equal(e.text.slice(0, at) + e.text.slice(at + 1), e.undo, `${e.undo} → ${e.text}: one character typed`);
    assert.match(e.text[at], /^[x1]$/);
    let k = e.line;
    while (k > 0 && !/^[a-z]/.test(lines[k])) k--;
    sections.add(lines[k].split(':')[0]);
  }
  for (const s of ['network', 'machines', 'installation', 'connections']) assert.ok(sections.has(s), `${s}: ${[...sections].join(', ')}`);
  assert.ok(edits.some((e) => /^\s*#/.test(e.undo)), 'a comment line');
  assert.ok(edits.some((e) => /^\s*- \{/.test(e.undo)), 'a flow-mapping item (an allow entry or a connection)');
  // all of them when fewer than asked for
  assert.ok(warmUpEdits(sample, 1000).length > WARM_UP_EDITS);
  assert.equal(warmUpEdits(sample, 5).length, 5);
});

/** A checker that records the texts it is given. */
function recording(texts: string[], inner = createIncrementalChecker()): () => IncrementalChecker {
  return () => ({
    ...inner,
    update: (text: string, options?: CheckOptions) => {
      texts.push(text);
      return inner.update(text, options);
    },
  });
}

test('WarmUp: the sample, then each edit and its undo, at least one check per step, then done', () => {
  const texts: string[] = [];
  const w = new WarmUp(true, recording(texts));
  assert.deepEqual(w.status(), { state: 'waiting', checks: 0, ms: 0 });
  // a budget of 0 still makes progress: one check per step
  assert.equal(w.step(0), true);
  assert.equal(w.status().checks, 1);
  assert.equal(w.status().state, 'running');
  assert.equal(w.step(0), true);
  assert.equal(w.status().checks, 2);
  let steps = 2;
  while (w.step(5)) steps++;
  const s = w.status();
  assert.equal(s.state, 'done');
  assert.equal(s.checks, 1 + 2 * WARM_UP_EDITS);
  assert.equal(texts.length, s.checks);
  assert.ok(steps < s.checks, 'several checks per step when the budget allows');
  const sample = warmUpSample();
  assert.equal(texts[0], sample);
  for (let i = 1; i < texts.length; i++) {
    if (i % 2 === 0) assert.equal(texts[i], sample, `check ${i} is an undo`);
    else assert.notEqual(texts[i], sample);
  }
  assert.equal(w.step(100), false, 'nothing after done');
  assert.equal(w.status().checks, s.checks);
});

test('WarmUp: off, or ended by a checker that throws', () => {
  const off = new WarmUp(false);
  assert.equal(off.done, true);
  assert.equal(off.step(10), false);
  assert.deepEqual(off.status(), { state: 'off', checks: 0, ms: 0 });
  const late = new WarmUp(true);
  late.disable();
  assert.equal(late.status().state, 'off');
  // disable() once it has begun changes nothing
  const begun = new WarmUp(true);
  begun.step(0);
  begun.disable();
  assert.equal(begun.status().state, 'running');
  let n = 0;
  const throwing = new WarmUp(true, () => ({
    ...createIncrementalChecker(),
    update: () => {
      if (++n === 3) throw new Error('boom');
      return check('acrotopo: 1\n');
    },
  }));
  while (throwing.step(0));
  assert.equal(throwing.status().state, 'done');
  assert.equal(n, 3);
});

const DOC = 'file:///w/warm.acrotopo.yaml';
const TEXT = 'acrotopo: 1\ntitle: warm\nmachines:\n  a: { os: linux, address: 10.0.0.1, components: [agent-for-linux] }\n';

async function status(client: LspClient): Promise<ServerStatus> {
  return client.request<ServerStatus>(SERVER_STATUS_METHOD, null);
}

/** The warm-up's status once it is done (asked every 50 ms, for 20 s at most). */
async function warmedUp(client: LspClient): Promise<NonNullable<ServerStatus['warmUp']>> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const w = (await status(client)).warmUp;
    if (w?.state === 'done') return w;
    if (Date.now() > deadline) throw new Error(`warm-up not done: ${JSON.stringify(w)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the server warms up once, after the first document is checked, and reports it in acrotopo/serverStatus', async () => {
  const client = await LspClient.start();
  try {
    // nothing before a document is open (a document's first check is never delayed by it)
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual((await status(client)).warmUp, { state: 'waiting', checks: 0, ms: 0 });
    await client.open(DOC, TEXT);
    const done = await warmedUp(client);
    assert.equal(done.checks, 1 + 2 * WARM_UP_EDITS);
    assert.ok(done.ms > 0);
    // the document's diagnostics are its own, and once only
    await client.change(DOC, 2, [{ text: TEXT.replace('agent-for-linux', 'agent-for-linux, storage-node') }]);
    await client.diagnostics(DOC, 2);
    assert.deepEqual((await status(client)).warmUp, done);
  } finally {
    await client.stop();
  }
});

test('initializationOptions warmUp: false turns it off', async () => {
  const client = await LspClient.start({ initializationOptions: { warmUp: false } });
  try {
    await client.open(DOC, TEXT);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual((await status(client)).warmUp, { state: 'off', checks: 0, ms: 0 });
  } finally {
    await client.stop();
  }
});

test('a change during the warm-up is checked first; the warm-up goes on after it', async () => {
  const client = await LspClient.start();
  try {
    await client.open(DOC, TEXT);
    // changes one after another, from the first publish on: each gets its diagnostics
    for (let v = 2; v <= 12; v++) {
      await client.change(DOC, v, [{ text: TEXT.replace('10.0.0.1', `10.0.0.${v}`) }]);
      const d = await client.diagnostics(DOC, v);
      assert.ok(Array.isArray(d));
    }
    const w = await warmedUp(client);
    assert.equal(w.checks, 1 + 2 * WARM_UP_EDITS);
  } finally {
    await client.stop();
  }
});
