// The code-action edit builders, and the fixes kept with the published diagnostics, in process (the
// end-to-end cases are in codeActions.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { check, settleFixes } from '@acrotopo/engine';
import { codeActions, collectFixAll, disableFileEdit, disableLineEdit } from '../src/features/codeActions';
import type { Fixable } from '../src/features/codeActions';
import { PublishedDiagnostics, toLspDiagnostic } from '../src/features/diagnostics';
import { DEPLOYMENT } from './fixtures';
import { applyTextEdits } from './lsp-client';

const docOf = (text: string) => TextDocument.create('file:///t.acrotopo.yaml', 'acrotopo', 1, text);

function diag(line: number, from: number, to: number, newText: string, isPreferred = true): Fixable {
  const range = { start: { line, character: from }, end: { line, character: to } };
  const diagnostic: Diagnostic = { range, message: 'm', source: 'acrotopo', data: { rule: 'r', version: 1, index: 0 } };
  return { diagnostic, fixes: [{ title: 't', isPreferred, edits: [{ range, newText }] }] };
}

describe('code action edits', () => {
  it('disable for the file: creates rules:, extends a block or flow mapping, fills an empty one', () => {
    const add = (text: string) => applyTextEdits(text, [disableFileEdit(docOf(text), 'unencrypted-port')!]);
    assert.equal(add('acrotopo: 1'), 'acrotopo: 1\nrules:\n  unencrypted-port: off\n');
    assert.equal(add('acrotopo: 1\nrules:\n  schema: warning\ntitle: x\n'), 'acrotopo: 1\nrules:\n  schema: warning\n  unencrypted-port: off\ntitle: x\n');
    assert.equal(add('acrotopo: 1\nrules: { schema: off }\n'), 'acrotopo: 1\nrules: { schema: off, unencrypted-port: off }\n');
    assert.equal(add('acrotopo: 1\nrules:\ntitle: x\n'), 'acrotopo: 1\nrules:\n  unencrypted-port: off\ntitle: x\n');
    assert.equal(add('acrotopo: 1\r\ntitle: x\r\n'), 'acrotopo: 1\r\ntitle: x\r\nrules:\r\n  unencrypted-port: off\r\n');
  });

  it('disable for the line: indentation of the line, CRLF kept', () => {
    const text = 'a:\r\n    - b: 1\r\n';
    assert.equal(applyTextEdits(text, [disableLineEdit(docOf(text), 1, 'x')]), 'a:\r\n    # acrotopo-disable-next-line x\r\n    - b: 1\r\n');
  });

  it('fix all skips fixes whose edits overlap one already taken, and non-preferred fixes', () => {
    const ds = [diag(0, 0, 4, 'A'), diag(0, 2, 6, 'B'), diag(1, 0, 0, 'C'), diag(1, 0, 0, 'D'), diag(2, 0, 1, 'E', false)];
    const { edits, fixed } = collectFixAll(ds);
    assert.deepEqual(edits.map((e) => e.newText), ['A', 'C']);
    assert.equal(fixed.length, 2);
  });
});

describe('fix all: which fixes it takes', () => {
  type R = { start: { line: number; character: number }; end: { line: number; character: number } };
  const before = (p: R['start'], q: R['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  const eq = (p: R['start'], q: R['start']) => p.line === q.line && p.character === q.character;
  /** the definition: each starts before the other ends; two insertions at one point overlap too */
  const overlaps = (a: R, b: R) => (eq(a.start, a.end) && eq(b.start, b.end) ? eq(a.start, b.start) : before(a.start, b.end) && before(b.start, a.end));
  /** the obvious quadratic reading of it, to compare with */
  const reference = (ds: Fixable[]) => {
    const taken: R[] = [];
    const titles: string[] = [];
    for (const { fixes } of ds) {
      const fix = fixes.find((f) => f.isPreferred);
      if (!fix || fix.edits.length === 0) continue;
      const own = fix.edits.map((e) => e.range);
      if (own.some((r) => taken.some((x) => overlaps(x, r)))) continue;
      if (own.some((r, i) => own.some((q, j) => i < j && overlaps(r, q)))) continue;
      taken.push(...own);
      titles.push(fix.title);
    }
    return titles;
  };
  const pos = fc.record({ line: fc.nat(3), character: fc.nat(6) });
  const range = fc.tuple(pos, pos).map(([a, b]) => (before(b, a) ? { start: b, end: a } : { start: a, end: b }));
  const fixable = fc.record({ ranges: fc.array(range, { minLength: 1, maxLength: 3 }), preferred: fc.boolean() });

  it('takes exactly the fixes the quadratic definition takes (random ranges, insertions, multi-edit fixes)', () => {
    fc.assert(
      fc.property(fc.array(fixable, { maxLength: 30 }), (xs) => {
        const ds: Fixable[] = xs.map((x, i) => ({
          diagnostic: { range: x.ranges[0], message: `d${i}` },
          fixes: [{ title: `f${i}`, isPreferred: x.preferred, edits: x.ranges.map((r) => ({ range: r, newText: `${i}` })) }],
        }));
        const got = collectFixAll(ds);
        const want = reference(ds);
        assert.deepEqual(got.fixed.map((d) => String(d.message).slice(1)), want.map((t) => t.slice(1)));
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });
});

describe('fixes kept with the published diagnostics', () => {
  const u = 'file:///t.acrotopo.yaml';
  const publish = (text: string, version: number) => {
    const result = check(text, { fileName: u });
    const diagnostics = result.diagnostics.map((d, i) => toLspDiagnostic(d, u, version, i));
    return { result, published: new PublishedDiagnostics(version, u, result.diagnostics), wire: JSON.parse(JSON.stringify(diagnostics)) as Diagnostic[] };
  };
  const request = (d: Diagnostic[]) => ({ textDocument: { uri: u }, range: d[0].range, context: { diagnostics: d, only: ['quickfix'] } });
  /** the engine-fix quick fixes (the only ones with isPreferred set) */
  const engineFixes = (acts: CodeAction[]) => acts.filter((a) => a.isPreferred !== undefined).map((a) => ({ title: a.title, isPreferred: a.isPreferred, edits: a.edit!.changes![u] }));

  it('a published diagnostic, back from the client, gets exactly its engine fixes; its data holds no edit', () => {
    const doc = TextDocument.create(u, 'acrotopo', 1, DEPLOYMENT);
    const { result, published, wire } = publish(DEPLOYMENT, 1);
    assert.ok(result.diagnostics.some((d) => d.fixes.length > 0));
    for (const [i, d] of wire.entries()) {
      assert.deepEqual(Object.keys(d.data as object), ['rule', 'version', 'index']);
      const expected = result.diagnostics[i].fixes.map((f) => ({ title: f.title, isPreferred: !!f.isPreferred, edits: f.edits.map((e) => ({ range: e.range, newText: e.newText })) }));
      assert.deepEqual(engineFixes(codeActions(doc, request([d]), published)), expected, String(d.code));
      // without `data` (dropped by some clients), the same
      assert.deepEqual(engineFixes(codeActions(doc, request([{ ...d, data: undefined }]), published)), expected, String(d.code));
    }
  });

  it('fixes left for later by the check (fixes: \'deferred\', as the server checks) are made before the first code action reads them', () => {
    const doc = TextDocument.create(u, 'acrotopo', 1, DEPLOYMENT);
    const eager = publish(DEPLOYMENT, 1);
    const deferred = check(DEPLOYMENT, { fileName: u, fixes: 'deferred' });
    const pending = deferred.diagnostics.filter((d, i) => d.fixes.length === 0 && eager.result.diagnostics[i].fixes.length > 0).length;
    assert.ok(pending > 0, 'some fixes are left for later');
    let settled = 0;
    const published = new PublishedDiagnostics(1, u, deferred.diagnostics, () => {
      settled++;
      settleFixes(deferred);
    });
    for (const [i, d] of eager.wire.entries()) {
      const expected = eager.result.diagnostics[i].fixes.map((f) => ({ title: f.title, isPreferred: !!f.isPreferred, edits: f.edits.map((e) => ({ range: e.range, newText: e.newText })) }));
      assert.deepEqual(engineFixes(codeActions(doc, request([d]), published)), expected, String(d.code));
    }
    assert.equal(settled, 1, 'settled once, before the first fixes were read');
  });

  it('a diagnostic of another version gets no fixes unless this version has the same one; data pointing elsewhere is not trusted', () => {
    const text2 = `# moved\n${DEPLOYMENT}`;
    const doc2 = TextDocument.create(u, 'acrotopo', 2, text2);
    const v1 = publish(DEPLOYMENT, 1);
    const v2 = publish(text2, 2);
    const i = v1.wire.findIndex((d) => d.code === 'unknown-reference');
    const stale = v1.wire[i];
    const acts = codeActions(doc2, request([stale]), v2.published);
    assert.deepEqual(engineFixes(acts), []);
    assert.ok(acts.some((a) => a.title === 'Disable unknown-reference for this file'));
    // no published set for this version: no fixes, and no fix-all
    assert.deepEqual(engineFixes(codeActions(doc2, request([v2.wire[i]]), undefined)), []);
    assert.deepEqual(codeActions(doc2, { ...request([v2.wire[i]]), context: { diagnostics: [v2.wire[i]], only: ['source.fixAll'] } }, undefined), []);
    // a v2 diagnostic whose index names another diagnostic is found by its rule, range and message
    const wrong = { ...v2.wire[i], data: { ...(v2.wire[i].data as object), index: i === 0 ? 1 : 0 } };
    assert.deepEqual(engineFixes(codeActions(doc2, request([wrong]), v2.published)).map((f) => f.edits), [[{ range: v2.wire[i].range, newText: 'ams01' }]]);
  });
});
