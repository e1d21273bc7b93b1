// The server's per-version analysis hands its YAML parse to the AST-walking features (outline,
// folding, code actions), so a request does not parse the same version again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseYaml } from '@acrotopo/engine';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyzer } from '../src/analysis';
import { foldingRanges } from '../src/features/folding';
import { documentSymbols } from '../src/features/symbols';
import { VALID_SERVER } from './fixtures';

describe('Analysis.yaml()', () => {
  it('is the parse the check used, one per version, equal to parseYaml', () => {
    const analyzer = new Analyzer(() => ({}));
    const d1 = TextDocument.create('file:///a.acrotopo.yaml', 'acrotopo', 1, VALID_SERVER);
    const a1 = analyzer.analyze(d1);
    const p = a1.yaml();
    assert.equal(a1.yaml(), p, 'memoised');
    assert.deepEqual(p.doc.toJS(), parseYaml(VALID_SERVER).doc.toJS());
    assert.deepEqual(p.doc.contents?.range, parseYaml(VALID_SERVER).doc.contents?.range);
    const edited = VALID_SERVER.replace('machines:\n', 'machines:\n  extra01:\n    os: linux\n');
    const d2 = TextDocument.update(d1, [{ text: edited }], 2);
    const a2 = analyzer.analyze(d2);
    assert.notEqual(a2.yaml(), p, 'a new version, a new parse');
    assert.ok(JSON.stringify(a2.yaml().doc.toJS()).includes('extra01'));
  });

  it('symbols and folding walk the parse they are given (the server passes its cached one)', () => {
    const d = TextDocument.create('file:///b.acrotopo.yaml', 'acrotopo', 1, VALID_SERVER);
    const other = parseYaml('acrotopo: 1\nmachines:\n  only01:\n    os: linux\n    address: 10.0.0.1\n');
    const names = JSON.stringify(documentSymbols(d, other));
    assert.match(names, /only01/);
    assert.doesNotMatch(names, /ams01/);
    assert.match(JSON.stringify(documentSymbols(d)), /ams01/, 'without one, the text is parsed');
    assert.notDeepEqual(foldingRanges(d, other), foldingRanges(d));
  });
});
