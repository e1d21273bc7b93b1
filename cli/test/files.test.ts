// The glob matcher and the expansion of FILES arguments, in process.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { expandArgs, globToRegExp } from '../src/files';

describe('globToRegExp', () => {
  const cases: [string, string, boolean][] = [
    ['*.acrotopo.yaml', 'a.acrotopo.yaml', true],
    ['*.acrotopo.yaml', 'd/a.acrotopo.yaml', false],
    ['**/*.acrotopo.yaml', 'a.acrotopo.yaml', true],
    ['**/*.acrotopo.yaml', 'd/e/a.acrotopo.yaml', true],
    ['d/**/x.yaml', 'd/x.yaml', true],
    ['d/**/x.yaml', 'd/a/b/x.yaml', true],
    ['d/**/x.yaml', 'dd/x.yaml', false],
    ['site-?.yaml', 'site-a.yaml', true],
    ['site-?.yaml', 'site-ab.yaml', false],
    ['site-[ab].yaml', 'site-b.yaml', true],
    ['site-[!ab].yaml', 'site-b.yaml', false],
    ['*.acrotopo.{yaml,yml}', 'a.acrotopo.yml', true],
    ['*.acrotopo.{yaml,yml}', 'a.acrotopo.json', false],
    ['a+b(1).yaml', 'a+b(1).yaml', true],
    ['**', 'a/b/c', true],
  ];
  for (const [glob, path, expected] of cases) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${path}`, () => {
      assert.equal(globToRegExp(glob).test(path), expected);
    });
  }
});

describe('expandArgs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'acrotopo-files-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'b', 'c'), { recursive: true });
  writeFileSync(join(dir, 'z.acrotopo.yaml'), '');
  writeFileSync(join(dir, 'b', 'a.acrotopo.yml'), '');
  writeFileSync(join(dir, 'b', 'c', 'm.ACROTOPO.YAML'), '');
  writeFileSync(join(dir, 'b', 'plain.yaml'), '');

  it('keeps argument order, sorts inside one expansion, drops duplicates', () => {
    const r = expandArgs(['z.acrotopo.yaml', '.', 'b/a.acrotopo.yml'], dir);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.files.map((f) => f.path), ['z.acrotopo.yaml', 'b/a.acrotopo.yml', 'b/c/m.ACROTOPO.YAML']);
  });

  it('a trailing slash on a directory does not double the separator', () => {
    assert.deepEqual(expandArgs(['b/'], dir).files.map((f) => f.path), ['b/a.acrotopo.yml', 'b/c/m.ACROTOPO.YAML']);
  });

  it('an explicit file is taken whatever its extension', () => {
    assert.deepEqual(expandArgs(['b/plain.yaml'], dir).files.map((f) => f.path), ['b/plain.yaml']);
  });

  it('reports a missing path and an empty glob, and still expands the rest', () => {
    const r = expandArgs(['nope.yaml', 'b/*.none', 'b/*.yml'], dir);
    assert.deepEqual(r.files.map((f) => f.path), ['b/a.acrotopo.yml']);
    assert.equal(r.problems.length, 2);
    assert.match(r.problems[0].message, /^cannot read 'nope\.yaml': ENOENT: no such file or directory$/);
    assert.match(r.problems[1].message, /no files match the pattern 'b\/\*\.none'/);
  });

  it('an absolute glob keeps absolute paths', () => {
    const r = expandArgs([`${dir}/**/*.yml`], '/');
    assert.deepEqual(r.files.map((f) => f.path), [`${dir}/b/a.acrotopo.yml`]);
  });
});
