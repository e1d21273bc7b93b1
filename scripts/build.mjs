// Bundles every runnable piece with esbuild. Runs on `npm ci` (prepare) and `npm run build`.
// Entries whose source does not exist (yet) are skipped, so a partial checkout still builds.
import { build } from 'esbuild';
import { existsSync, mkdirSync, cpSync } from 'node:fs';
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
console.log(`acrotopo build: ${Date.now() - t0} ms`);
