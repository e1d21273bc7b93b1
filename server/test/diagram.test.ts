// The `acrotopo/diagram` request the preview uses (server/src/protocol.ts), over real stdio.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildDiagram, check } from '@acrotopo/engine';
import { DIAGRAM_METHOD } from '../src/protocol';
import type { DiagramResult } from '../src/protocol';
import { LspClient } from './lsp-client';
import { uri, VALID_SERVER } from './fixtures';

describe('acrotopo/diagram', () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.start();
  });
  after(async () => {
    await c.stop();
  });

  it('returns the model of the requested view for the current version, equal to the engine’s', async () => {
    const u = uri('diagram-model');
    await c.open(u, VALID_SERVER, 3);
    for (const view of ['all', 'installation', 'communication'] as const) {
      const r = await c.request<DiagramResult>(DIAGRAM_METHOD, { uri: u, view, expand: [] });
      assert.ok(r && r.kind === 'model', JSON.stringify(r));
      assert.equal(r.version, 3);
      const expected = buildDiagram(check(VALID_SERVER, { fileName: u }), view, { text: VALID_SERVER, expand: [] });
      assert.deepEqual(r.model, JSON.parse(JSON.stringify(expected)));
      assert.ok(r.model.nodes.length > 0);
    }
  });

  it('follows edits: the answer is for the version the server just received', async () => {
    const u = uri('diagram-edit');
    await c.open(u, VALID_SERVER, 1);
    const edited = VALID_SERVER.replace('machines:\n', 'machines:\n  extra01:\n    os: linux\n    components: [agent-for-linux]\n');
    assert.notEqual(edited, VALID_SERVER);
    await c.change(u, 2, [{ text: edited }]);
    const r = await c.request<DiagramResult>(DIAGRAM_METHOD, { uri: u, view: 'all', expand: [] });
    assert.ok(r && r.kind === 'model');
    assert.equal(r.version, 2);
    const names = JSON.stringify(r.model.nodes);
    assert.match(names, /extra01/);
  });

  it('after edits the checker skips (comments, blank lines, the title), the model is the one of the new text', async () => {
    // these edits reuse the last result, moved through the edit (engine/src/reuse.ts); its topology and
    // flows are only built when read — here, by the diagram request
    const u = uri('diagram-reuse');
    let text = VALID_SERVER;
    await c.open(u, text, 1);
    const edits = [
      (t: string) => `# a comment line at the top\n${t}`,
      (t: string) => t.replace('machines:\n', 'machines:\n\n  # the head office\n'),
      (t: string) => t.replace('title: Contoso', 'title: Contoso (draft)'),
    ];
    let version = 1;
    for (const edit of edits) {
      text = edit(text);
      version++;
      await c.change(u, version, [{ text }]);
      const published = await c.diagnostics(u, version);
      const fresh = check(text, { fileName: u });
      assert.deepEqual(published.map((d) => [d.code, d.range]), fresh.diagnostics.map((d) => [d.rule, d.range]));
      const r = await c.request<DiagramResult>(DIAGRAM_METHOD, { uri: u, view: 'all', expand: [] });
      assert.ok(r && r.kind === 'model');
      assert.equal(r.version, version);
      assert.deepEqual(r.model, JSON.parse(JSON.stringify(buildDiagram(fresh, 'all', { text, expand: [] }))));
    }
    assert.match(JSON.stringify((await c.request<DiagramResult & { model: { title?: string } }>(DIAGRAM_METHOD, { uri: u, view: 'all', expand: [] }))?.model), /Contoso \(draft\)/);
  });

  it('a document that does not parse gives the first fatal syntax error and its line', async () => {
    const u = uri('diagram-fatal');
    const broken = VALID_SERVER.replace('machines:\n', 'machines:\n  bad: [unclosed\n');
    await c.open(u, broken, 1);
    const r = await c.request<DiagramResult>(DIAGRAM_METHOD, { uri: u, view: 'all', expand: [] });
    assert.ok(r && r.kind === 'fatal', JSON.stringify(r));
    assert.match(r.message, /^YAML:/);
    assert.ok(r.line >= broken.split('\n').findIndex((l) => l.includes('[unclosed')));
  });

  it('null for a document the server does not have; an error for malformed params; the server keeps serving', async () => {
    assert.equal(await c.request<DiagramResult>(DIAGRAM_METHOD, { uri: 'file:///nowhere.acrotopo.yaml', view: 'all', expand: [] }), null);
    await assert.rejects(c.request(DIAGRAM_METHOD, { uri: 42, view: 'everything' }), (e: { code?: number }) => e.code === -32602);
    await assert.rejects(c.request(DIAGRAM_METHOD, null), (e: { code?: number }) => e.code === -32602);
    const u = uri('diagram-after');
    await c.open(u, VALID_SERVER, 1);
    const r = await c.request<DiagramResult>(DIAGRAM_METHOD, { uri: u, view: 'all', expand: ['not-a-group', 7] });
    assert.ok(r && r.kind === 'model');
    assert.ok(c.alive);
  });
});
