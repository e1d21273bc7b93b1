// Builds cli/dist/acrotopo.js (the bundle bin/acrotopo.js runs) when it is missing or older than the
// sources, with the options scripts/build.mjs uses, then lets tests spawn the real bin.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

export const ROOT = join(__dirname, '..', '..');
export const BIN = join(ROOT, 'cli', 'bin', 'acrotopo.js');
const OUT = join(ROOT, 'cli', 'dist', 'acrotopo.js');

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (/\.(ts|json)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

let ready: Promise<void> | undefined;

/** Makes sure the bundle is up to date (built to a temporary file, then renamed: safe when test files run in parallel). */
export function ensureBuiltCli(): Promise<void> {
  ready ??= (async () => {
    const sources = Math.max(newestMtime(join(ROOT, 'cli', 'src')), newestMtime(join(ROOT, 'engine', 'src')), newestMtime(join(ROOT, 'renderer', 'src')), statSync(join(ROOT, 'cli', 'package.json')).mtimeMs);
    if (existsSync(OUT) && statSync(OUT).mtimeMs >= sources) return;
    const result = await build({
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: false,
      logLevel: 'silent',
      absWorkingDir: ROOT,
      entryPoints: ['cli/src/main.ts'],
      write: false,
      outfile: OUT,
    });
    mkdirSync(dirname(OUT), { recursive: true });
    const js = result.outputFiles.find((f) => f.path.endsWith('.js'))!;
    const tmp = `${OUT}.${process.pid}.tmp`;
    writeFileSync(tmp, js.contents);
    renameSync(tmp, OUT);
  })();
  return ready;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built bin with a clean colour environment (no FORCE_COLOR / NO_COLOR unless given). */
export function runBin(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliRun {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'FORCE_COLOR' && k !== 'NO_COLOR') env[k] = v;
  Object.assign(env, options.env ?? {});
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
