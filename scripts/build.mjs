// Bundles every runnable piece with esbuild. Runs on `npm ci` (prepare) and `npm run build`.
// Entries whose source does not exist (yet) are skipped, so a partial checkout still builds.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, logLevel: 'warning', absWorkingDir: root };
const entries = [
  // command line
  // `render` is a bundle of its own, required by acrotopo.js on demand (cli/src/cli.ts runRender)
  { ...node, entryPoints: ['cli/src/main.ts'], outfile: 'cli/dist/acrotopo.js', define: { ACROTOPO_RENDER_BUNDLE: '"render.js"' } },
  { ...node, entryPoints: ['cli/src/render.ts'], outfile: 'cli/dist/render.js' },
  // language server (stdio bin and the copy shipped inside the extension)
  { ...node, entryPoints: ['server/src/main.ts'], outfile: 'server/dist/server.js' },
  { ...node, entryPoints: ['server/src/main.ts'], outfile: 'client/dist/server.js', minify: true },
  // VS Code extension host side
  { ...node, entryPoints: ['client/src/extension.ts'], outfile: 'client/dist/extension.js', external: ['vscode'], minify: true },
  // preview webview (browser)
  { bundle: true, platform: 'browser', format: 'iife', target: 'es2020', sourcemap: false, logLevel: 'warning', absWorkingDir: root, minify: true,
    entryPoints: ['webview/src/main.ts'], outfile: 'client/media/preview.js' },
];
const t0 = Date.now();
await Promise.all(entries.filter((e) => existsSync(join(root, e.entryPoints[0]))).map((e) => build(e)));
// The schema ships inside the extension (yamlValidation, hover docs).
if (existsSync(join(root, 'schemas/acrotopo.schema.json'))) {
  mkdirSync(join(root, 'client/schemas'), { recursive: true });
  cpSync(join(root, 'schemas/acrotopo.schema.json'), join(root, 'client/schemas/acrotopo.schema.json'));
}
// The bins run their bundle through scripts/bundle-loader.cjs (V8's code cache), shipped in each dist/.
for (const dir of ['cli/dist', 'server/dist']) {
  if (existsSync(join(root, dir))) cpSync(join(root, 'scripts/bundle-loader.cjs'), join(root, dir, 'bundle-loader.cjs'));
}
// V8's code cache for the CLI bundle (cli/bin/acrotopo.js uses it): written by a check of an example,
// so it holds the functions a check compiles. Not having one only costs start-up time.
const cliBin = join(root, 'cli/bin/acrotopo.js');
const cacheExample = join(root, 'examples/large-estate.acrotopo.yaml');
if (existsSync(join(root, 'cli/dist/acrotopo.js')) && existsSync(cacheExample)) {
  rmSync(join(root, 'cli/dist/acrotopo.js.cache'), { force: true });
  const r = spawnSync(process.execPath, [cliBin, 'check', cacheExample, '--format', 'json'], { env: { ...process.env, ACROTOPO_CODE_CACHE: 'write' }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 60_000 });
  if (!existsSync(join(root, 'cli/dist/acrotopo.js.cache'))) console.log(`acrotopo build: no code cache for the CLI (exit ${r.status}): ${(r.stderr ?? '').trim().split('\n').at(-1) ?? ''}`);
}
// V8's code cache for the language server's bundle (server/bin/acrotopo-language-server.js uses it):
// written by a session over the examples (scripts/server-code-cache.mjs), with the functions an open
// compiles. Not having one only costs the time of compiling them.
if (existsSync(join(root, 'server/dist/server.js'))) {
  rmSync(join(root, 'server/dist/server.js.cache'), { force: true });
  const { writeServerCodeCache } = await import('./server-code-cache.mjs');
  await writeServerCodeCache().catch((e) => console.log(`acrotopo build: no code cache for the language server: ${e.message}`));
}
console.log(`acrotopo build: ${Date.now() - t0} ms`);
