// The hostile-file suite of the hardening issue in CI (fuzz/hostile-cases.ts; `npm run fuzz:hostile`
// prints the timed table of docs/reliability.md): each file through check() and through the whole
// `acrotopo check` program in process, with the diagnostics each must produce. The valid file just
// under the size limit (seconds to check) is left to the table. The language server's side is
// server/test/hostile.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { check } from '@acrotopo/engine';
import { runCli } from '../cli/src/cli';
import { HOSTILE_CASES } from '../fuzz/hostile-cases';

const ROOT = join(__dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'acrotopo-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function cli(bytes: Buffer | string): Promise<{ code: number; stdout: string; stderr: string }> {
  writeFileSync(join(dir, 'h.acrotopo.yaml'), bytes);
  let stdout = '';
  let stderr = '';
  const code = await runCli(['check', 'h.acrotopo.yaml', '-f', 'json'], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: dir, env: {} });
  return { code, stdout, stderr };
}

describe('hostile files', () => {
  for (const c of HOSTILE_CASES.filter((x) => !x.slow)) {
    it(`${c.name}: the expected diagnostics, from the engine and from acrotopo check`, async () => {
      const r = check(c.text);
      assert.equal(c.expect(r), undefined);
      assert.ok(!r.diagnostics.some((d) => d.rule === 'internal-error'));
      for (const d of r.diagnostics) assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= c.text.length, `${d.rule} span inside the text`);
      // the CLI reads the bytes: invalid UTF-8 as raw bytes, the rest as UTF-8
      const bytes = c.name.startsWith('invalid UTF-8') ? Buffer.concat([Buffer.from('acrotopo: 1\ntitle: '), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from('\n')]) : c.text;
      const out = await cli(bytes);
      assert.doesNotMatch(out.stderr, /internal error|\n\s+at /);
      if (c.text.length > 20 * 1024 * 1024) {
        assert.equal(out.code, 2);
        assert.match(out.stderr, /^acrotopo: cannot read 'h\.acrotopo\.yaml': it is 20 MiB; files over 20 MiB are not read\n$/);
      } else if (c.text.includes('\u0000')) {
        assert.equal(out.code, 2);
        assert.match(out.stderr, /^acrotopo: cannot read 'h\.acrotopo\.yaml': it is a binary file \(it contains NUL bytes\), not YAML text\n$/);
      } else {
        assert.equal(out.stderr, '');
        assert.equal(out.code, r.diagnostics.some((d) => d.severity === 'error') ? 1 : 0);
        const files = JSON.parse(out.stdout) as { diagnostics: { rule: string; message: string }[] }[];
        const expected = c.name === 'BOM' || c.name.startsWith('BOM +') ? check(c.text.replace(/^\uFEFF/, '')) : r; // the CLI drops a BOM
        assert.deepEqual(files[0].diagnostics.map((d) => `${d.rule}: ${d.message}`), expected.diagnostics.map((d) => `${d.rule}: ${d.message}`));
      }
    });
  }

  it('nesting too deep for the stack of the schema validation is said, not passed as valid (fuzz regression)', () => {
    // a small stack makes the overflow certain; with the default one it depends on the JIT
    const script = "import { check } from './engine/src/index'; const t = 'acrotopo: 1\\n' + Array.from({ length: 2000 }, (_, i) => ' '.repeat(i) + 'k' + i + ':').join('\\n') + '\\n'; console.log(JSON.stringify(check(t).diagnostics.map((d) => d.rule + ': ' + d.message)));";
    writeFileSync(join(dir, 'deep.ts'), script.replace('./engine/src/index', join(ROOT, 'engine', 'src', 'index').replace(/\\/g, '/')));
    const r = spawnSync(process.execPath, ['--stack-size=250', '--import', 'tsx', join(dir, 'deep.ts')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const ds = JSON.parse(r.stdout) as string[];
    assert.deepEqual(ds, ['schema: the file is nested too deeply to be checked against the schema (thousands of levels); its content was not validated']);
  });
});
