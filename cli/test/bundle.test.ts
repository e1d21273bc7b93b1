// The bundle `check` runs: the layout engine (elkjs) stays out of it, in cli/dist/render.js, which only
// `acrotopo render` loads — compiling 1.6 MB of ELK on every `acrotopo check` doubled its start-up.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

  it('the bin compiles the bundle with a V8 code cache when one is beside it, and runs the same without or with a bad one', () => {
    // a copy of bin/ and dist/, so that the cache written here is this test's
    const dir = mkdtempSync(join(tmpdir(), 'acrotopo-cache-'));
    try {
      mkdirSync(join(dir, 'bin'));
      mkdirSync(join(dir, 'dist'));
      copyFileSync(join(ROOT, 'cli', 'bin', 'acrotopo.js'), join(dir, 'bin', 'acrotopo.js'));
      copyFileSync(OUT, join(dir, 'dist', 'acrotopo.js'));
      copyFileSync(RENDER_OUT, join(dir, 'dist', 'render.js'));
      copyFileSync(join(ROOT, 'cli', 'dist', 'bundle-loader.cjs'), join(dir, 'dist', 'bundle-loader.cjs'));
      const cache = join(dir, 'dist', 'acrotopo.js.cache');
      const example = join(ROOT, 'examples', 'problems', 'dmz-firewall.acrotopo.yaml');
      const run = (mode: string) => {
        const r = spawnSync(process.execPath, [join(dir, 'bin', 'acrotopo.js'), 'check', example, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, ACROTOPO_CODE_CACHE: mode }, timeout: 60_000 });
        return { code: r.status, stdout: r.stdout, stderr: r.stderr };
      };
      const none = run('report');
      assert.match(none.stderr, /^acrotopo: code cache absent$/m);
      assert.equal(none.code, 1, none.stderr);
      assert.ok(JSON.parse(none.stdout)[0].diagnostics.length > 0);
      const written = run('write');
      assert.equal(written.code, 1, written.stderr);
      assert.ok(existsSync(cache) && statSync(cache).size > 10_000, 'the cache is written');
      const used = run('report');
      assert.match(used.stderr, /^acrotopo: code cache used$/m);
      assert.equal(used.stdout, none.stdout);
      writeFileSync(cache, 'not a code cache');
      const bad = run('report');
      assert.match(bad.stderr, /^acrotopo: code cache rejected$/m);
      assert.equal(bad.stdout, none.stdout);
      assert.equal(bad.code, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the bin says when the command is not built', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acrotopo-unbuilt-'));
    try {
      mkdirSync(join(dir, 'bin'));
      copyFileSync(join(ROOT, 'cli', 'bin', 'acrotopo.js'), join(dir, 'bin', 'acrotopo.js'));
      const r = spawnSync(process.execPath, [join(dir, 'bin', 'acrotopo.js'), '--version'], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /the command is not built yet: run 'npm run build'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
