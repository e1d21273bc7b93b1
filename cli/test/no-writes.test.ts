// The built `acrotopo` command writes nothing anywhere unless `render -o` says so, and bad file
// arguments (missing, unreadable, binary, directories) are each reported once with exit 2 while the
// others are still checked. Every run happens in a fresh temporary working directory with HOME,
// TMPDIR and the XDG directories pointed at temporary directories of their own, whose trees are
// snapshotted (path, type, size, content hash, mtime) before and after.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBuiltCli, runBin } from './built-cli';
import { CLEAN } from './fixtures';

const VALID = CLEAN;
const ERRORS = `acrotopo: 1
machines:
  fs01:
    os: windoze
`;
const IS_ROOT = process.getuid?.() === 0;

let base: string;
let cwd: string;
let env: Record<string, string>;

/** path → "type size hash mtime" of every entry below `dir` */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const st = statSync(p);
      if (e.isDirectory()) {
        out.set(p, `dir ${st.mtimeMs}`);
        walk(p);
      } else {
        let hash = '?';
        try {
          hash = createHash('sha256').update(readFileSync(p)).digest('hex');
        } catch {
          /* the unreadable fixture (when not root) */
        }
        out.set(p, `file ${st.size} ${hash} ${st.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out;
}

const run = (args: string[]) => runBin(args, { cwd, env });

before(async () => {
  await ensureBuiltCli();
  base = mkdtempSync(join(tmpdir(), 'acrotopo-nowrite-'));
  cwd = join(base, 'work');
  const home = join(base, 'home');
  const tmp = join(base, 'tmp');
  for (const d of [cwd, home, tmp, join(home, '.config'), join(home, '.cache'), join(cwd, 'site'), join(cwd, 'empty')]) mkdirSync(d, { recursive: true });
  env = { HOME: home, USERPROFILE: home, TMPDIR: tmp, TMP: tmp, TEMP: tmp, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache'), XDG_DATA_HOME: join(home, '.local') };
  writeFileSync(join(cwd, 'valid.acrotopo.yaml'), VALID);
  writeFileSync(join(cwd, 'errors.acrotopo.yaml'), ERRORS);
  writeFileSync(join(cwd, 'site', 'hq.acrotopo.yaml'), VALID);
  writeFileSync(join(cwd, 'binary.acrotopo.yaml'), Buffer.from([0x61, 0x3a, 0x00, 0xff, 0xfe, 0x0a]));
  writeFileSync(join(cwd, 'unreadable.acrotopo.yaml'), VALID);
  chmodSync(join(cwd, 'unreadable.acrotopo.yaml'), 0o000);
});

after(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('acrotopo writes nothing unless -o says so', () => {
  it('check (text, json, sarif, a directory, a glob), firewall (table, csv, json), render to stdout, help, version and usage errors leave every tree unchanged', () => {
    const roots = [cwd, env.HOME, env.TMPDIR];
    const before = roots.map(snapshot);
    const runs: [string[], number[]][] = [
      [['check', 'valid.acrotopo.yaml'], [0]],
      [['check', 'errors.acrotopo.yaml', '-f', 'json'], [1]],
      [['check', 'valid.acrotopo.yaml', 'errors.acrotopo.yaml', '-f', 'sarif'], [1]],
      [['check', 'site'], [0]],
      [['check', '**/*.acrotopo.yaml', '-q'], [2]], // the glob takes in the binary (and, not as root, the unreadable) file
      [['firewall', 'valid.acrotopo.yaml'], [0]],
      [['firewall', 'valid.acrotopo.yaml', '-f', 'csv'], [0]],
      [['firewall', 'errors.acrotopo.yaml', '-f', 'json'], [1]],
      [['render', 'valid.acrotopo.yaml'], [0]],
      [['render', 'valid.acrotopo.yaml', '--view', 'installation', '--theme', 'dark'], [0]],
      [['--help'], [0]],
      [['render', '--help'], [0]],
      [['--version'], [0]],
      [['check'], [2]],
      [['nonsense'], [2]],
      [['check', 'missing.acrotopo.yaml'], [2]],
    ];
    for (const [args, codes] of runs) {
      const r = run(args);
      assert.ok(codes.includes(r.code as number), `acrotopo ${args.join(' ')} → ${r.code}\n${r.stderr}`);
    }
    const afterRuns = roots.map(snapshot);
    roots.forEach((root, i) => assert.deepEqual([...afterRuns[i]], [...before[i]], `something changed under ${root}`));
  });

  it('render -o writes exactly that file, and nothing else', () => {
    const before = [cwd, env.HOME, env.TMPDIR].map(snapshot);
    const r = run(['render', 'valid.acrotopo.yaml', '-o', 'out.svg']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const out = join(cwd, 'out.svg');
    assert.match(readFileSync(out, 'utf8'), /^<svg[\s>]/);
    const afterCwd = snapshot(cwd);
    assert.deepEqual([...afterCwd.keys()].filter((k) => !before[0].has(k)), [out]);
    for (const [k, v] of before[0]) if (k !== cwd) assert.equal(afterCwd.get(k), v, `${k} changed`);
    assert.deepEqual([...snapshot(env.HOME)], [...before[1]]);
    assert.deepEqual([...snapshot(env.TMPDIR)], [...before[2]]);
    rmSync(out);
  });

  it('render -o into a missing directory: exit 2, a message, nothing created', () => {
    const before = snapshot(cwd);
    const r = run(['render', 'valid.acrotopo.yaml', '-o', 'no/such/dir/out.svg']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^acrotopo: cannot write 'no\/such\/dir\/out\.svg': ENOENT/m);
    assert.deepEqual([...snapshot(cwd)], [...before]);
  });
});

describe('bad file arguments: exit 2, one message each, the rest still checked', () => {
  it('check: missing, binary, a directory without deployments, a glob matching nothing, and (not as root) an unreadable file', () => {
    const bad = ['missing.acrotopo.yaml', 'binary.acrotopo.yaml', 'empty', 'nothing/*.acrotopo.yaml', ...(IS_ROOT ? [] : ['unreadable.acrotopo.yaml'])];
    const r = run(['check', 'valid.acrotopo.yaml', ...bad, 'errors.acrotopo.yaml', 'site', '-f', 'json']);
    assert.equal(r.code, 2);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, bad.length, r.stderr);
    assert.ok(lines.every((l) => l.startsWith('acrotopo: ')), r.stderr);
    // one line per bad argument (expansion problems first, then files that could not be read)
    const about = (b: string) => lines.filter((l) => l.includes(`'${b}'`));
    for (const b of bad) assert.equal(about(b).length, 1, `one message about ${b}:\n${r.stderr}`);
    assert.match(about('missing.acrotopo.yaml')[0], /ENOENT: no such file or directory/);
    assert.match(about('binary.acrotopo.yaml')[0], /it is a binary file/);
    assert.match(about('empty')[0], /no \*\.acrotopo\.yaml or \*\.acrotopo\.yml files in directory 'empty'/);
    assert.match(about('nothing/*.acrotopo.yaml')[0], /no files match the pattern/);
    if (!IS_ROOT) assert.match(about('unreadable.acrotopo.yaml')[0], /EACCES: permission denied/);
    const checked = (JSON.parse(r.stdout) as { file: string; diagnostics: unknown[] }[]).map((x) => [x.file, x.diagnostics.length > 0]);
    assert.deepEqual(checked, [['valid.acrotopo.yaml', false], ['errors.acrotopo.yaml', true], ['site/hq.acrotopo.yaml', false]]);
  });

  it('an unreadable file (chmod 000): exit 2 with EACCES, the others checked', { skip: IS_ROOT && 'running as root: chmod 000 does not stop root from reading' }, () => {
    const r = run(['check', 'unreadable.acrotopo.yaml', 'errors.acrotopo.yaml']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "acrotopo: cannot read 'unreadable.acrotopo.yaml': EACCES: permission denied\n");
    assert.match(r.stdout, /errors\.acrotopo\.yaml/);
  });

  it('firewall and render: a missing, binary or directory argument is exit 2 with one message, no output', () => {
    for (const cmd of ['firewall', 'render']) {
      for (const [arg, msg] of [
        ['missing.acrotopo.yaml', /ENOENT/],
        ['binary.acrotopo.yaml', /it is a binary file/],
        // firewall expands a directory like check (one deployment in it is taken); render refuses any
        cmd === 'firewall' ? ['empty', /no \*\.acrotopo\.yaml or \*\.acrotopo\.yml files in directory/] : ['site', /it is a directory/],
        ...(IS_ROOT ? [] : [['unreadable.acrotopo.yaml', /EACCES/]]),
      ] as [string, RegExp][]) {
        const r = run([cmd, arg]);
        assert.equal(r.code, 2, `${cmd} ${arg}: ${r.stderr}`);
        const lines = r.stderr.trimEnd().split('\n');
        assert.equal(lines.length, 1, `${cmd} ${arg}: ${r.stderr}`);
        assert.match(lines[0], msg);
        assert.ok(lines[0].includes(`'${arg}'`), lines[0]);
        assert.equal(r.stdout, '', `${cmd} ${arg}`);
      }
    }
  });
});
