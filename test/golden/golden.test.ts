// Golden files: for every example, what the built CLI prints in text (no colour), json and sarif is
// compared with test/golden/<example>.{txt,json,sarif}. After a deliberate change of rules or
// messages, rewrite them with:
//
//   UPDATE_GOLDEN=1 node --import tsx --test test/golden/golden.test.ts
//
// and review the diff. The SARIF's absolute %SRCROOT% (the checkout folder) is replaced by
// file:///SRCROOT/ so the files do not depend on where the repository lives.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, it } from 'node:test';
import { ensureBuiltCli, ROOT, runBin } from '../../cli/test/built-cli';

const GOLDEN = join(ROOT, 'test', 'golden');
const EXAMPLES = join(ROOT, 'examples');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const FORMATS = [
  { format: 'text', ext: 'txt' },
  { format: 'json', ext: 'json' },
  { format: 'sarif', ext: 'sarif' },
] as const;

// examples/*.acrotopo.yaml and examples/problems/*.acrotopo.yaml (golden name: problems--NAME)
const examples = (readdirSync(EXAMPLES, { recursive: true }) as string[])
  .map((f) => f.split('\\').join('/'))
  .filter((f) => f.endsWith('.acrotopo.yaml'))
  .sort();
const nameOf = (file: string) => file.replace(/\.acrotopo\.yaml$/, '').split('/').join('--');

function normalise(format: string, out: string): string {
  if (format !== 'sarif') return out;
  const root = pathToFileURL(ROOT).href.replace(/\/?$/, '/');
  return out.split(JSON.stringify(root).slice(1, -1)).join('file:///SRCROOT/');
}

/** The first differing line with two lines of context, instead of two 90 KB strings. */
function firstDifference(expected: string, actual: string): string {
  const e = expected.split('\n');
  const a = actual.split('\n');
  let i = 0;
  while (i < e.length && i < a.length && e[i] === a[i]) i++;
  const from = Math.max(0, i - 2);
  const show = (lines: string[], sign: string) => lines.slice(from, i + 3).map((l, k) => `${sign}${String(from + k + 1).padStart(5)}| ${l}`).join('\n');
  return `first difference at line ${i + 1}\n--- golden\n${show(e, '-')}\n+++ actual\n${show(a, '+')}`;
}

before(async () => {
  await ensureBuiltCli();
});

describe('golden outputs of the examples', () => {
  it('there are at least 12 examples', () => {
    assert.ok(examples.length >= 12, `only ${examples.length} examples`);
  });

  for (const file of examples) {
    const name = nameOf(file);
    describe(name, () => {
      let exitCode: number | null = null;
      for (const { format, ext } of FORMATS) {
        it(`${format} output matches ${name}.${ext}`, () => {
          const r = runBin(['check', `examples/${file}`, '--format', format], { cwd: ROOT });
          assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
          assert.equal(r.stderr, '');
          if (exitCode === null) exitCode = r.code;
          else assert.equal(r.code, exitCode, 'the exit code does not depend on the format');
          const actual = normalise(format, r.stdout);
          const path = join(GOLDEN, `${name}.${ext}`);
          if (UPDATE) {
            writeFileSync(path, actual);
            return;
          }
          assert.ok(existsSync(path), `missing golden file test/golden/${name}.${ext}: run UPDATE_GOLDEN=1 node --import tsx --test test/golden/golden.test.ts`);
          const expected = readFileSync(path, 'utf8');
          if (actual !== expected) assert.fail(`test/golden/${name}.${ext} differs (UPDATE_GOLDEN=1 to rewrite it after a deliberate change):\n${firstDifference(expected, actual)}`);
        });
      }
      it('exit code 1 exactly when the json output has an error', () => {
        const r = runBin(['check', `examples/${file}`, '--format', 'json'], { cwd: ROOT });
        const hasError = (JSON.parse(r.stdout) as { diagnostics: { severity: string }[] }[]).some((x) => x.diagnostics.some((d) => d.severity === 'error'));
        assert.equal(r.code, hasError ? 1 : 0);
      });
    });
  }

  it("the README's first command exits 0 (examples/ has no errors); examples/problems/ exits 1", () => {
    const top = examples.filter((f) => !f.includes('/')).map((f) => `examples/${f}`);
    assert.ok(top.length >= 5);
    assert.equal(runBin(['check', ...top], { cwd: ROOT }).code, 0);
    const problems = runBin(['check', 'examples/problems/', '--format', 'json'], { cwd: ROOT });
    assert.equal(problems.code, 1);
    const files = JSON.parse(problems.stdout) as { diagnostics: { severity: string }[] }[];
    assert.ok(files.every((f) => f.diagnostics.some((d) => d.severity === 'error')), 'every example in problems/ shows an error');
  });

  it('no golden file is left over from a removed example', () => {
    const wanted = new Set(examples.flatMap((f) => FORMATS.map(({ ext }) => `${nameOf(f)}.${ext}`)));
    const stale = readdirSync(GOLDEN).filter((f) => /\.(txt|json|sarif)$/.test(f) && !wanted.has(f));
    if (UPDATE) for (const f of stale) unlinkSync(join(GOLDEN, f));
    else assert.deepEqual(stale, []);
  });
});
