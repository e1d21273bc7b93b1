// Runs both real-VS-Code suites (UI, then extension host) and prints one closing line.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let passed = 0, failed = 0;
for (const [i, runner] of ['ui.mjs', 'ext-host.mjs'].entries()) {
  // The UI run packages (build included); the extension-host run reuses that build.
  const env = i === 0 ? process.env : { ...process.env, E2E_SKIP_BUILD: '1' };
  const r = spawnSync(process.execPath, [join(here, runner)], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(r.stdout ?? '');
  const m = /(\d+) passed, (\d+) failed\s*$/.exec(r.stdout ?? '');
  passed += Number(m?.[1] ?? 0);
  failed += m ? Number(m[2]) : 1;
  if (r.status !== 0 && m && Number(m[2]) === 0) failed++;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
