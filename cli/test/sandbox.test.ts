// No network and no file reads outside the workspace: the built CLI (cli/dist/acrotopo.js) runs check,
// firewall and render under Node's permission model — it may read its bundle and a temporary
// workspace, nothing else; no writes, no child processes, no workers — with every network API
// replaced by a stub that reports and throws (server/test/no-network-preload.mjs). Everything works,
// so the CLI needs nothing else; a read or a write it was not given is refused with exit 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBuiltCli, ROOT } from './built-cli';

const BUNDLE_DIR = join(ROOT, 'cli', 'dist');
const PRELOAD = join(ROOT, 'server', 'test', 'no-network-preload.mjs');

let workspace: string;

function sandboxed(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // the tsx loader of the test runner would be a read outside the sandbox
  delete env.FORCE_COLOR;
  const r = spawnSync(
    process.execPath,
    ['--experimental-permission', `--allow-fs-read=${BUNDLE_DIR}`, `--allow-fs-read=${workspace}`, `--allow-fs-read=${PRELOAD}`, '--import', PRELOAD, '--no-warnings', join(BUNDLE_DIR, 'acrotopo.js'), ...args],
    { cwd: workspace, env, encoding: 'utf8', timeout: 60_000 },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(async () => {
  await ensureBuiltCli();
  workspace = mkdtempSync(join(tmpdir(), 'acrotopo-cli-sandbox-'));
  for (const f of ['small-office.acrotopo.yaml', 'problems/dmz-firewall.acrotopo.yaml']) writeFileSync(join(workspace, f.replace('problems/', '')), readFileSync(join(ROOT, 'examples', f)));
});

after(() => {
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

describe('acrotopo in a sandbox (permission model, network stubbed)', () => {
  it('check (three formats, a directory), firewall and render all work with reads limited to the bundle and the workspace', () => {
    const runs: [string[], number, RegExp][] = [
      [['check', 'small-office.acrotopo.yaml'], 0, /no problems/],
      [['check', '.', '-f', 'json'], 1, /"file": ?"dmz-firewall\.acrotopo\.yaml"/],
      [['check', 'dmz-firewall.acrotopo.yaml', '-f', 'sarif'], 1, /"version": ?"2\.1\.0"/],
      [['firewall', 'small-office.acrotopo.yaml', '-f', 'csv'], 0, /^initiator,/],
      [['render', 'small-office.acrotopo.yaml'], 0, /^<svg[\s>]/],
    ];
    for (const [args, code, out] of runs) {
      const r = sandboxed(args);
      assert.equal(r.code, code, `acrotopo ${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, out, args.join(' '));
      assert.equal(r.stderr.replace(/^network stubs installed\n/, '').replace(/^acrotopo: note: .*\n/gm, ''), '', `acrotopo ${args.join(' ')}`);
    }
  });

  it('the sandbox is real: a file outside the workspace cannot be read, nor -o written (exit 2, one message)', () => {
    const outside = join(ROOT, 'examples', 'small-office.acrotopo.yaml');
    const read = sandboxed(['check', outside]);
    assert.equal(read.code, 2);
    assert.match(read.stderr, /acrotopo: cannot read '.*small-office\.acrotopo\.yaml': .*(restricted|ERR_ACCESS_DENIED)/);
    const write = sandboxed(['render', 'small-office.acrotopo.yaml', '-o', 'out.svg']);
    assert.equal(write.code, 2);
    assert.match(write.stderr, /acrotopo: cannot write 'out\.svg': ERR_ACCESS_DENIED/);
    assert.equal(existsSync(join(workspace, 'out.svg')), false);
    assert.doesNotMatch(read.stderr + write.stderr, /NETWORK ACCESS|\n\s+at /);
  });
});
