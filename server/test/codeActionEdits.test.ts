// The code-action edit builders in process (the end-to-end cases are in codeActions.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver';
import { collectFixAll, disableFileEdit, disableLineEdit } from '../src/features/codeActions';
import { applyTextEdits } from './lsp-client';

const docOf = (text: string) => TextDocument.create('file:///t.acrotopo.yaml', 'acrotopo', 1, text);

function diag(line: number, from: number, to: number, newText: string, isPreferred = true): Diagnostic {
  const range = { start: { line, character: from }, end: { line, character: to } };
  return { range, message: 'm', source: 'acrotopo', data: { rule: 'r', version: 1, fixes: [{ title: 't', isPreferred, edits: [{ range, newText }] }] } };
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
