// What the language configuration and grammar give the editor itself (no language server involved).
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers.cjs');

describe('Acrotopo language configuration in the editor', function () {
  this.timeout(30000);
  afterEach(() => h.closeAll());

  it('treats tcp/25001, addresses and hyphenated names as one word (double-click, word navigation)', async () => {
    const doc = await h.openFixture('rollout.acrotopo.yaml');
    const word = (needle, after, delta = 1) => doc.getText(doc.getWordRangeAtPosition(h.positionOf(doc, needle, { after, delta })));
    assert.strictEqual(word('25001', 'allow:'), 'tcp/25001');
    assert.strictEqual(word('agent-for-windows', 'fs01:', 8), 'agent-for-windows');
    assert.strictEqual(word('10.1.0.0/24', 'branch:', 6), '10.1.0.0/24');
  });

  it('toggles # line comments', async () => {
    const doc = await h.openUntitled('machines:\n  ams01:\n    os: windows\n');
    const editor = vscode.window.activeTextEditor;
    editor.selection = new vscode.Selection(2, 4, 2, 4);
    await vscode.commands.executeCommand('editor.action.commentLine');
    assert.strictEqual(doc.lineAt(2).text, '    # os: windows');
  });
});
