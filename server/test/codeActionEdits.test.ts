// The code-action edit builders, and the fixes kept with the published diagnostics, in process (the
// end-to-end cases are in codeActions.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { check } from '@acrotopo/engine';
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

describe('fixes kept with the published diagnostics', () => {
  const u = 'file:///t.acrotopo.yaml';
  const publish = (text: string, version: number) => {
    const result = check(text, { fileName: u });
    const diagnostics = result.diagnostics.map((d, i) => toLspDiagnostic(d, u, version, i));
    return { result, published: new PublishedDiagnostics(version, diagnostics, result.diagnostics), wire: JSON.parse(JSON.stringify(diagnostics)) as Diagnostic[] };
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
