// The bundle `check` runs: the layout engine (elkjs) stays out of it, in cli/dist/render.js, which only
// `acrotopo render` loads — compiling 1.6 MB of ELK on every `acrotopo check` doubled its start-up.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureBuiltCli, OUT, RENDER_OUT, ROOT, runBin } from './built-cli';

describe('CLI bundles', () => {
  before(() => ensureBuiltCli());

  it('acrotopo.js holds no layout engine; render.js does', () => {
    const main = readFileSync(OUT, 'utf8');
    const render = readFileSync(RENDER_OUT, 'utf8');
    assert.doesNotMatch(main, /org\.eclipse\.elk/, 'ELK is not in the check bundle');
    assert.match(render, /org\.eclipse\.elk/);
    assert.ok(statSync(OUT).size < statSync(RENDER_OUT).size / 2, `${statSync(OUT).size} vs ${statSync(RENDER_OUT).size}`);
  });

  it('render still works from the bundle (it loads render.js next to acrotopo.js)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acrotopo-render-'));
    try {
      const out = join(dir, 'out.svg');
      const r = runBin(['render', join(ROOT, 'examples', 'large-estate.acrotopo.yaml'), '-o', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(readFileSync(out, 'utf8'), /^<svg[\s\S]*<\/svg>\s*$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
