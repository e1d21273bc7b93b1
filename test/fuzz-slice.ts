// Runs one CI slice of `npm run fuzz` (fuzz/fuzz.mjs) for one target, as the three fuzz-slice tests do
// (engine/test, server/test, cli/test): the same seed (FUZZ_SEED, default 20261125) and a 5-minute cap.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

export function runFuzzSlice(target: 'engine' | 'server' | 'cli', inputs: number, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'fuzz', 'fuzz.mjs')], {
    cwd: ROOT,
    env: { ...process.env, FUZZ_N: String(inputs), FUZZ_TARGETS: target, FUZZ_SEED: String(Number(process.env.FUZZ_SEED ?? 20261125)), ...env },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
