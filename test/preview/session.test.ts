// The extension ⇄ webview message router (client/src/previewSession.ts) and the webview HTML, as plain
// code with a fake host: no VS Code, no browser.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, makeNonce, previewHtml } from '../../client/src/previewHtml';
import { PreviewSession, UPDATE_DEBOUNCE_MS } from '../../client/src/previewSession';
import type { PreviewHost } from '../../client/src/previewSession';
import { check, previewBuild } from '@acrotopo/engine';
import type { DiagramView, PreviewBuild } from '@acrotopo/engine';
import { parseFromWebview, parseState, parseToWebview } from '../../webview/src/protocol';
import type { ToWebview } from '../../webview/src/protocol';
import { ROOT } from './harness';

const SPEC = readFileSync(join(ROOT, 'renderer', 'test', 'fixtures', 'spec-example.acrotopo.yaml'), 'utf8');

function fakeHost(initial: string) {
  let text: string | undefined = initial;
  const posted: ToWebview[] = [];
  const revealed: unknown[] = [];
  const saved: { format: string; data: string }[] = [];
  const logs: string[] = [];
  const timers: { fn: () => void; ms: number; cleared: boolean }[] = [];
  const host: PreviewHost = {
    uri: 'file:///w/spec.acrotopo.yaml',
    fileName: 'spec.acrotopo.yaml',
    text: () => text,
    post: (m) => posted.push(m),
    reveal: (r) => revealed.push(r),
    save: (format, data) => { saved.push({ format, data }); },
    log: (m) => logs.push(m),
    setTimeout: (fn, ms) => { const t = { fn, ms, cleared: false }; timers.push(t); return t; },
    clearTimeout: (h) => { (h as { cleared: boolean }).cleared = true; },
  };
  return {
    host, posted, revealed, saved, logs, timers,
    setText: (t: string | undefined) => { text = t; },
    flush: () => { for (const t of timers.splice(0)) if (!t.cleared) t.fn(); },
  };
}

describe('PreviewSession', () => {
  it('sends nothing before the webview is ready, then the model', async () => {
    const f = fakeHost(SPEC);
    const s = new PreviewSession(f.host);
    s.update();
    assert.equal(f.posted.length, 0);
    await s.receive({ type: 'ready' });
    assert.equal(f.posted.length, 1);
    const m = f.posted[0];
    assert.equal(m.type, 'model');
    if (m.type !== 'model') return;
    assert.equal(m.model.view, 'all');
    assert.equal(m.model.nodes.length, 3);
    assert.ok(m.model.nodes[0].range, 'ranges are filled from the text');
    assert.equal(m.uri, 'file:///w/spec.acrotopo.yaml');
  });

  it('debounces document changes (one rebuild after 250 ms of quiet)', async () => {
    const f = fakeHost(SPEC);
    const s = new PreviewSession(f.host);
    await s.receive({ type: 'ready' });
    f.posted.length = 0;
    s.documentChanged();
    s.documentChanged();
    s.documentChanged();
    assert.equal(f.timers.filter((t) => !t.cleared).length, 1);
    assert.equal(f.timers[0].ms, UPDATE_DEBOUNCE_MS);
    f.setText(SPEC.replaceAll('web01', 'web02'));
    f.flush();
    assert.equal(f.posted.length, 1);
    const m = f.posted[0];
    assert.ok(m.type === 'model' && m.model.nodes.some((n) => n.name === 'web02'));
  });

  it('keeps the last good picture: a parse error posts `stale` with the line, not a model', async () => {
    const f = fakeHost(SPEC);
    const s = new PreviewSession(f.host);
    await s.receive({ type: 'ready' });
    f.posted.length = 0;
    f.setText(SPEC + '\nbroken: [\n');
    s.update();
    assert.equal(f.posted.length, 1);
    const m = f.posted[0];
    assert.equal(m.type, 'stale');
    if (m.type !== 'stale') return;
    assert.match(m.reason, /^line \d+: YAML: .* — showing the last diagram that parsed$/);
    assert.ok(m.seq > 0);
  });

  it('reveal, view switch, expand and collapse', async () => {
    const f = fakeHost(SPEC);
    const states: unknown[] = [];
    f.host.stateChanged = (st) => states.push(st);
    const s = new PreviewSession(f.host);
    await s.receive({ type: 'ready' });
    const range = { start: { line: 3, character: 2 }, end: { line: 3, character: 7 } };
    await s.receive({ type: 'reveal', range });
    assert.deepEqual(f.revealed, [range]);
    f.posted.length = 0;
    await s.receive({ type: 'setView', view: 'installation' });
    assert.equal(s.view, 'installation');
    assert.ok(f.posted[0].type === 'model' && f.posted[0].model.view === 'installation');
    await s.receive({ type: 'setView', view: 'installation' });
    assert.equal(f.posted.length, 1, 'same view: no rebuild');
    await s.receive({ type: 'expand', group: 'g/z/hq/windows:agent-for-windows' });
    assert.deepEqual(s.state.expanded, ['g/z/hq/windows:agent-for-windows']);
    await s.receive({ type: 'collapseAll' });
    assert.deepEqual(s.state.expanded, []);
    assert.deepEqual(states.map((x) => (x as { view: string }).view), ['installation', 'installation', 'installation']);
  });

  it('forwards cursor moves and export requests (queued until ready), and saves exports', async () => {
    const f = fakeHost(SPEC);
    const s = new PreviewSession(f.host);
    s.cursorMoved(10);
    s.requestExport('png');
    assert.equal(f.posted.length, 0);
    await s.receive({ type: 'ready' });
    assert.deepEqual(f.posted.map((p) => p.type), ['model', 'requestExport']);
    s.cursorMoved(42);
    assert.deepEqual(f.posted[2], { type: 'cursor', offset: 42 });
    await s.receive({ type: 'exported', format: 'svg', data: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' });
    assert.deepEqual(f.saved.map((x) => x.format), ['svg']);
  });

  it('ignores malformed or hostile messages from the webview', async () => {
    const f = fakeHost(SPEC);
    const s = new PreviewSession(f.host);
    for (const bad of [null, 'ready', 42, [], { type: 'reveal', range: { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } } }, { type: 'reveal' }, { type: 'setView', view: 'evil' }, { type: 'exported', format: 'png', data: 'javascript:alert(1)' }, { type: 'exported', format: 'svg', data: 'not svg' }, { type: 'exported', format: 'exe', data: '<svg' }, { type: '__proto__' }, { type: 'expand', group: 7 }]) {
      assert.equal(await s.receive(bad), undefined, JSON.stringify(bad));
    }
    assert.equal(f.posted.length + f.revealed.length + f.saved.length, 0);
    assert.ok(f.logs.length > 0);
  });

  it('builds nothing while hidden; the new webview\'s ready rebuilds', async () => {
    const f = fakeHost(SPEC);
    const s = new PreviewSession(f.host);
    await s.receive({ type: 'ready' });
    s.hidden();
    f.posted.length = 0;
    s.documentChanged();
    f.flush();
    s.update();
    assert.equal(f.posted.length, 0);
    await s.receive({ type: 'ready' });
    assert.deepEqual(f.posted.map((p) => p.type), ['model']);
    assert.ok(s.debounceMs >= UPDATE_DEBOUNCE_MS && s.debounceMs <= 2000);
  });

  it('after dispose, nothing is posted', async () => {
    const f = fakeHost(SPEC);
    const s = new PreviewSession(f.host);
    await s.receive({ type: 'ready' });
    s.documentChanged();
    s.dispose();
    f.posted.length = 0;
    f.flush();
    s.cursorMoved(1);
    assert.equal(f.posted.length, 0);
    assert.ok(f.timers.every((t) => t.cleared));
  });
});

describe('PreviewSession through the language server (host.build)', () => {
  // A build as the server answers `acrotopo/diagram`: previewBuild on the server's analysis.
  const serverBuild = (text: string, view: DiagramView, expand: string[]): PreviewBuild => previewBuild(text, check(text), view, expand);

  it('posts the server\'s model and does not run the engine itself', async () => {
    const f = fakeHost(SPEC);
    const asked: { view: string; expand: string[] }[] = [];
    const marker = serverBuild(SPEC, 'all', []);
    assert.ok(marker.kind === 'model');
    marker.model.title = 'from the server';
    f.host.build = async (view, expand) => {
      asked.push({ view, expand });
      return marker;
    };
    f.host.text = () => { throw new Error('the in-process path must not run'); };
    const s = new PreviewSession(f.host);
    await s.receive({ type: 'ready' });
    assert.deepEqual(asked, [{ view: 'all', expand: [] }]);
    assert.equal(f.posted.length, 1);
    const m = f.posted[0];
    assert.ok(m.type === 'model' && m.model.title === 'from the server');
    await s.receive({ type: 'setView', view: 'installation' });
    assert.equal(asked[1].view, 'installation');
  });

  it('a fatal answer posts `stale` with the line; a later good one posts the model', async () => {
    const f = fakeHost(SPEC);
    let next: PreviewBuild = { kind: 'fatal', line: 4, message: 'YAML: broken' };
    f.host.build = async () => next;
    const s = new PreviewSession(f.host);
    await s.receive({ type: 'ready' });
    assert.deepEqual(f.posted[0], { type: 'stale', seq: 1, line: 4, reason: 'line 5: YAML: broken' });
    next = serverBuild(SPEC, 'all', []);
    await s.update();
    assert.equal(f.posted[1].type, 'model');
  });

  it('drops an answer that a newer update overtook', async () => {
    const f = fakeHost(SPEC);
    const pending: ((b: PreviewBuild) => void)[] = [];
    f.host.build = () => new Promise<PreviewBuild>((resolve) => pending.push(resolve));
    const s = new PreviewSession(f.host);
    const first = s.receive({ type: 'ready' });
    const second = s.update();
    const old = serverBuild(SPEC, 'all', []);
    const fresh = serverBuild(SPEC.replaceAll('web01', 'web02'), 'all', []);
    pending[1](fresh);
    pending[0](old);
    await Promise.all([first, second]);
    assert.equal(f.posted.length, 1, JSON.stringify(f.posted.map((p) => p.type)));
    const m = f.posted[0];
    assert.ok(m.type === 'model' && m.model.nodes.some((n) => n.name === 'web02'));
  });

  it('builds in-process when the server cannot answer (undefined or an error), and logs why', async () => {
    for (const build of [async () => undefined, async () => { throw new Error('server gone'); }]) {
      const f = fakeHost(SPEC);
      f.host.build = build;
      const s = new PreviewSession(f.host);
      await s.receive({ type: 'ready' });
      assert.equal(f.posted.length, 1);
      const m = f.posted[0];
      assert.ok(m.type === 'model' && m.model.nodes.length === 3);
    }
    const f = fakeHost(SPEC);
    f.host.build = async () => { throw new Error('server gone'); };
    const s = new PreviewSession(f.host);
    await s.receive({ type: 'ready' });
    assert.ok(f.logs.some((l) => /server gone/.test(l)), f.logs.join('\n'));
  });
});

describe('protocol validators', () => {
  it('parseToWebview and parseState accept good messages only', () => {
    assert.equal(parseToWebview({ type: 'cursor', offset: 3 })?.type, 'cursor');
    assert.equal(parseToWebview({ type: 'cursor', offset: '3' }), undefined);
    assert.equal(parseToWebview({ type: 'model', seq: 1, model: { nodes: [], edges: [] }, uri: 'x' }), undefined, 'zones missing');
    assert.deepEqual(parseState({ uri: 'file:///a', view: 'nope', expanded: ['g', 3] }), { uri: 'file:///a', view: 'all', expanded: ['g'] });
    assert.equal(parseState({ view: 'all' }), undefined);
    assert.deepEqual(parseFromWebview({ type: 'reveal', range: { start: { line: 1, character: 2 }, end: { line: 1, character: 4 }, extra: 1 } }), { type: 'reveal', range: { start: { line: 1, character: 2 }, end: { line: 1, character: 4 } } });
  });
});

describe('preview HTML', () => {
  it('has a strict CSP with a nonce, no inline script or style, resources from cspSource only', () => {
    const nonce = makeNonce();
    assert.match(nonce, /^[A-Za-z0-9_-]{24}$/);
    assert.notEqual(makeNonce(), nonce, 'a new nonce per load');
    const html = previewHtml({ cspSource: 'vscode-webview://abc', nonce, scriptUri: 'vscode-webview://abc/media/preview.js', styleUri: 'vscode-webview://abc/media/preview.css', title: '<x>' });
    const csp = contentSecurityPolicy('vscode-webview://abc', nonce);
    assert.equal(csp, `default-src 'none'; img-src vscode-webview://abc data:; style-src vscode-webview://abc; script-src 'nonce-${nonce}'; font-src vscode-webview://abc`);
    assert.ok(html.includes(`content="${csp.replace(/'/g, '&#39;')}"`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts, [`<script nonce="${nonce}" src="vscode-webview://abc/media/preview.js">`]);
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i);
    assert.match(html, /<title>&lt;x&gt;<\/title>/);
  });
});
