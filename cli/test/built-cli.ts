// Builds cli/dist/acrotopo.js (the bundle bin/acrotopo.js runs) when it is missing or older than the
// sources, with the options scripts/build.mjs uses, then lets tests spawn the real bin.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureBundle, ensureLoader } from '../../test/bundle';

export const ROOT = join(__dirname, '..', '..');
export const BIN = join(ROOT, 'cli', 'bin', 'acrotopo.js');
export const OUT = join(ROOT, 'cli', 'dist', 'acrotopo.js');
export const RENDER_OUT = join(ROOT, 'cli', 'dist', 'render.js');

let ready: Promise<void> | undefined;

/** Makes sure the bundle is up to date (see test/bundle.ts). */
export function ensureBuiltCli(): Promise<void> {
  // as scripts/build.mjs: `render` is its own bundle, required by acrotopo.js on demand
  const sources = ['cli/src', 'engine/src', 'renderer/src', 'cli/package.json'];
  ready ??= Promise.all([
    ensureBundle({ root: ROOT, entry: 'cli/src/main.ts', out: OUT, sources, logLevel: 'silent', define: { ACROTOPO_RENDER_BUNDLE: '"render.js"' } }),
    ensureBundle({ root: ROOT, entry: 'cli/src/render.ts', out: RENDER_OUT, sources, logLevel: 'silent' }),
  ]).then(() => ensureLoader(ROOT, join(ROOT, 'cli', 'dist')));
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
