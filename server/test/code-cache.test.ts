import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
// @ts-expect-error (a build script, plain JavaScript)
import { writeServerCodeCache } from '../../scripts/server-code-cache.mjs';
import { LspClient, ROOT } from './lsp-client';
import { DEPLOYMENT, uri } from './fixtures';

const NODE_OPTIONS = JSON.parse(readFileSync(join(ROOT, 'server', 'node-options.json'), 'utf8')) as { execArgv: string[]; env: Record<string, string> };

describe('V8 code cache of the server bundle (server/bin, scripts/server-code-cache.mjs)', () => {
  it('is written by a session over the examples, used by the bin under the server\'s node options, and a bad or missing one changes nothing but the state', async () => {
    // a copy of bin/ and dist/, so that the cache written here is this test's
    const dir = mkdtempSync(join(tmpdir(), 'acrotopo-server-cache-'));
    try {
      mkdirSync(join(dir, 'bin'));
      mkdirSync(join(dir, 'dist'));
      copyFileSync(join(ROOT, 'server', 'bin', 'acrotopo-language-server.js'), join(dir, 'bin', 'acrotopo-language-server.js'));
      copyFileSync(join(ROOT, 'server', 'dist', 'server.js'), join(dir, 'dist', 'server.js'));
      copyFileSync(join(ROOT, 'server', 'dist', 'bundle-loader.cjs'), join(dir, 'dist', 'bundle-loader.cjs'));
      const cache = join(dir, 'dist', 'server.js.cache');
      const session = async (execArgv: string[]) => {
        const c = await LspClient.start({ module: join(dir, 'bin', 'acrotopo-language-server.js'), execArgv, env: { ...process.env, ...NODE_OPTIONS.env } });
        try {
          const ds = await c.open(uri(), DEPLOYMENT);
          const status = (await c.request('acrotopo/serverStatus', null)) as { codeCache?: string };
          return { codes: ds.map((d) => d.code).sort(), state: status.codeCache };
        } finally {
          await c.stop();
        }
      };
      const none = await session(NODE_OPTIONS.execArgv);
      assert.equal(none.state, 'absent');
      assert.ok(none.codes.length > 0);

      const size = await writeServerCodeCache(dir);
      assert.ok(existsSync(cache) && statSync(cache).size === size && size > 100_000, `the cache is written (${size} bytes)`);
      const used = await session(NODE_OPTIONS.execArgv);
      assert.equal(used.state, 'used');
      assert.deepEqual(used.codes, none.codes);
      // other node options than the cache was made under: V8 rejects it
      const otherFlags = await session([...NODE_OPTIONS.execArgv, '--max-old-space-size=3000']);
      assert.equal(otherFlags.state, 'rejected');
      assert.deepEqual(otherFlags.codes, none.codes);
      writeFileSync(cache, 'not a code cache');
      const bad = await session(NODE_OPTIONS.execArgv);
      assert.equal(bad.state, 'rejected');
      assert.deepEqual(bad.codes, none.codes);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the bin says when the server is not built', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acrotopo-server-unbuilt-'));
    try {
      mkdirSync(join(dir, 'bin'));
      copyFileSync(join(ROOT, 'server', 'bin', 'acrotopo-language-server.js'), join(dir, 'bin', 'acrotopo-language-server.js'));
      const { spawnSync } = await import('node:child_process');
      const r = spawnSync(process.execPath, [join(dir, 'bin', 'acrotopo-language-server.js'), '--stdio'], { encoding: 'utf8', timeout: 60_000, input: '' });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /the server is not built yet: run 'npm run build'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
