// Inputs found by `npm run fuzz` (server target), kept as regression tests.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { uri } from './fixtures';
import { LspClient, positionOf, ROOT } from './lsp-client';

describe('fuzz regressions: language server', () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.start();
  });
  after(async () => {
    await c.stop();
  });

  // seed 1, inputs 6229, 11464, 23389: rename on the reserved zone `internet` was refused with
  // InvalidRequest (-32600, "the JSON-RPC request is malformed"); it is a well-formed request that
  // cannot be carried out: RequestFailed (-32803), with the reason, and prepareRename offers nothing there
  it('rename on the reserved zone internet: RequestFailed with the reason; prepareRename null', async () => {
    const text = readFileSync(join(ROOT, 'examples', 'problems', 'cloud-backup.acrotopo.yaml'), 'utf8');
    const u = uri('internet-rename');
    await c.open(u, text);
    const at = positionOf(text, 'to: internet', 0, 5);
    assert.equal(await c.prepareRename(u, at), null);
    for (const newName of ['x', '', '\u202E']) {
      await assert.rejects(c.rename(u, at, newName), (e: { code?: number; message?: string }) => {
        assert.equal(e.code, -32803);
        assert.equal(e.message, "'internet' is a reserved zone name and cannot be renamed");
        return true;
      });
    }
    assert.ok(c.alive);
  });
});
