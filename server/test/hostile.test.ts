// The hostile files (fuzz/hostile-cases.ts) opened in the language server over stdio: each gets the
// engine's diagnostics (the server's incremental checker must agree with check()), hover,
// completion, symbols and folding answer on it, and the server keeps serving.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { check } from '@acrotopo/engine';
import { HOSTILE_CASES } from '../../fuzz/hostile-cases';
import { uri } from './fixtures';
import { LspClient } from './lsp-client';

describe('hostile files in the language server', () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.start();
  });
  after(async () => {
    await c.stop();
  });

  for (const h of HOSTILE_CASES.filter((x) => !x.slow)) {
    it(`${h.name}: the engine's diagnostics, and every request answered`, async () => {
      const u = uri('hostile');
      const ds = await c.open(u, h.text);
      const expected = check(h.text, { fileName: u }).diagnostics;
      // where the parser runs out of stack on thousands of levels depends on the process: no position for that one
      const at = (code: unknown, r: { start: { line: number; character: number } }, message: string) => (/nested too deeply to be parsed/.test(message) ? `${code}: ${message}` : `${code}@${r.start.line}:${r.start.character}: ${message}`);
      assert.deepEqual(ds.map((d) => at(d.code, d.range, d.message)), expected.map((d) => at(d.rule, d.range, d.message)));
      const p = { line: 1, character: 2 };
      await c.hover(u, p);
      await c.completion(u, p);
      await c.symbols(u);
      await c.folding(u);
      if (ds.length > 0) await c.codeActions(u, ds[0].range, [ds[0]]);
      await c.close(u);
      assert.ok(c.alive);
      assert.deepEqual(c.logs.filter((l) => / failed/.test(l)), []);
    });
  }
});
