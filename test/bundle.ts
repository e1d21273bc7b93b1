// Test support: rebuild one esbuild bundle when any of its sources is newer than it, written to a
// temporary file and renamed (test files running in parallel may race). Used by the CLI tests
// (cli/dist/acrotopo.js) and the language-server tests (server/dist/server.js), which spawn the
// real bins.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

/** Newest modification time of the .ts/.json files (tests excluded) under `path` (a folder or a file). */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  let newest = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (/\.(ts|json)$/.test(e.name) && !e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export interface BundleSpec {
  root: string;
  /** entry point, relative to root */
  entry: string;
  /** output file, absolute */
  out: string;
  /** folders and files (relative to root) whose changes make the bundle stale */
  sources: string[];
  sourcemap?: boolean | 'inline';
  logLevel?: 'silent' | 'warning';
  /** esbuild `define` (as scripts/build.mjs gives it) */
  define?: Record<string, string>;
}

export async function ensureBundle(spec: BundleSpec): Promise<void> {
  const newest = Math.max(...spec.sources.map((s) => newestMtime(join(spec.root, s))));
  if (existsSync(spec.out) && statSync(spec.out).mtimeMs >= newest) return;
  const result = await build({
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: spec.sourcemap ?? false,
    logLevel: spec.logLevel ?? 'warning',
    absWorkingDir: spec.root,
    entryPoints: [spec.entry],
    outfile: spec.out,
    define: spec.define,
    write: false,
  });
  mkdirSync(dirname(spec.out), { recursive: true });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'))!;
  const tmp = `${spec.out}.${process.pid}.tmp`;
  writeFileSync(tmp, js.contents);
  renameSync(tmp, spec.out);
}

/**
 * The bins' loader (scripts/bundle-loader.cjs, which `npm run build` copies into each dist/) in
 * `distDir`, as the source is: a bundle rebuilt here is run through it.
 */
export function ensureLoader(root: string, distDir: string): void {
  const source = readFileSync(join(root, 'scripts', 'bundle-loader.cjs'), 'utf8');
  const out = join(distDir, 'bundle-loader.cjs');
  if (existsSync(out) && readFileSync(out, 'utf8') === source) return;
  mkdirSync(distDir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, source);
  renameSync(tmp, out);
}
