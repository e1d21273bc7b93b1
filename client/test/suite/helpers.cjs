// Helpers shared by the extension-host tests.
const vscode = require('vscode');
const fs = require('fs');
const path = require('path');

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls fn() until it returns a truthy value (returned) or the time is up (throws with the last value). */
async function until(fn, what, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await wait(100);
  }
}

function fixtureUri(name) {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (!folder) throw new Error('the tests need the e2e fixtures folder opened as the workspace');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Opens a fixture from disk (read-only use). */
async function openFixture(name) {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Opens an untitled Acrotopo document with the given text (for tests that edit). */
async function openUntitled(content) {
  const doc = await vscode.workspace.openTextDocument({ language: 'acrotopo', content });
  await vscode.window.showTextDocument(doc);
  return doc;
}

let scratchCount = 0;
const scratchUris = [];
/** Writes a new, uniquely named file into the workspace and opens it (tests that edit use this; never the fixtures). */
async function openScratch(content) {
  const uri = fixtureUri(`scratch-${process.pid}-${++scratchCount}.acrotopo.yaml`);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(content, 'utf8'));
  scratchUris.push(uri);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

async function deleteScratch() {
  for (const uri of scratchUris.splice(0)) await vscode.workspace.fs.delete(uri).then(undefined, () => {});
}

function fixtureText(name) {
  return fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'e2e', 'fixtures', name), 'utf8');
}

/** Position of the n-th (0-based) occurrence of needle, plus `delta` characters. */
function positionOf(doc, needle, { nth = 0, delta = 0, after } = {}) {
  const text = doc.getText();
  let i = after ? text.indexOf(after) : 0;
  if (i < 0) throw new Error(`${after} not in document`);
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, k === 0 ? i : i + 1);
    if (i < 0) throw new Error(`${needle} (#${nth}) not in document`);
  }
  return doc.positionAt(i + delta);
}

const codeOf = (d) => (typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code));

/** Waits until the document has diagnostics (and the optional predicate holds for them). */
function diagnostics(doc, predicate = (ds) => ds.length > 0, what = 'diagnostics') {
  return until(() => {
    const ds = vscode.languages.getDiagnostics(doc.uri);
    return predicate(ds) ? ds : false;
  }, `${what} on ${doc.uri.toString()}`);
}

function hoverText(hovers) {
  return (hovers || []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

/** Closes every editor, reverting edits first (an untitled or dirty editor would otherwise ask to be saved). */
async function closeAll() {
  for (let i = 0; i < 50 && vscode.window.tabGroups.all.some((g) => g.tabs.length > 0); i++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
}

module.exports = { wait, until, fixtureUri, openFixture, openUntitled, openScratch, deleteScratch, fixtureText, positionOf, codeOf, diagnostics, hoverText, closeAll };
