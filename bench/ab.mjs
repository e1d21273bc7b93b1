#!/usr/bin/env node
// `npm run bench:ab -- REV`: this working tree's language server against revision REV's, run in turns on
// the same generated file with the same driver (bench/lsp-driver.mjs). A single `npm run bench` cannot
// show a change much smaller than the machine's drift: on the 2-core machines here the same build's
// 10k open took 1,050 ms and 1,930 ms within an hour. Runs of the two builds alternate, so both see
// the same minutes; the table gives each metric's minimum and median over the runs, and each kind of
// edit's median.
//
//   node bench/ab.mjs REV [--size 1000|10000] [--runs 4] [--edits 28]
//
// REV is checked out in a temporary git worktree with its own node_modules/@acrotopo links (the
// packages resolve to the worktree's sources; everything else is this tree's node_modules) and built
// with its scripts/build.mjs; the worktree is removed at the end. Nothing is written to docs/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDeployment } from './generate.mjs';
import { ROOT, SERVERS, runServer, takeOption } from './lsp-driver.mjs';

const argv = process.argv.slice(2);
const opt = (name, fallback) => takeOption(argv, name, fallback);
const size = Number(opt('--size', '10000'));
const runs = Number(opt('--runs', '4'));
const edits = Number(opt('--edits', '28'));
const rev = argv[0];
if (!rev || !Number.isInteger(size) || size <= 0 || !Number.isInteger(runs) || runs <= 0 || !Number.isInteger(edits) || edits <= 0) {
  console.error('usage: node bench/ab.mjs REV [--size 1000|10000] [--runs 4] [--edits 28]');
  process.exit(2);
}

const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
const sha = git('rev-parse', '--verify', `${rev}^{commit}`);
const wt = mkdtempSync(join(tmpdir(), 'acrotopo-ab-'));

/** The worktree's node_modules: this tree's entries, but @acrotopo/* pointing at the worktree's own packages. */
function linkModules(dir) {
  const main = join(ROOT, 'node_modules');
  const nm = join(dir, 'node_modules');
  mkdirSync(nm);
  for (const e of readdirSync(main)) if (e !== '@acrotopo' && e !== '.package-lock.json') symlinkSync(join(main, e), join(nm, e));
  mkdirSync(join(nm, '@acrotopo'));
  for (const pkg of readdirSync(join(main, '@acrotopo'))) if (existsSync(join(dir, pkg))) symlinkSync(join('..', '..', pkg), join(nm, '@acrotopo', pkg));
}

const median = (xs) => {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const min = (xs) => Math.min(...xs.filter(Number.isFinite));
const ms = (x) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(1) : Math.round(x)}` : '—');

try {
  console.error(`[ab] ${rev} (${sha.slice(0, 10)}) in ${wt}…`);
  git('worktree', 'add', '--detach', wt, sha);
  linkModules(wt);
  execFileSync(process.execPath, [join(wt, 'scripts', 'build.mjs')], { cwd: wt, stdio: ['ignore', 'ignore', 'inherit'] });
  console.error('[ab] building this tree…');
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const { file } = writeDeployment(size);
  const builds = [
    { name: `${rev}`, server: { ...SERVERS.ours, bin: join(wt, 'server', 'bin', 'acrotopo-language-server.js') } },
    { name: 'this tree', server: SERVERS.ours },
  ];
  const results = builds.map(() => []);
  for (let k = 0; k < runs; k++) {
    // (the order turns each round: neither build is always the first after a pause)
    const order = k % 2 === 0 ? [0, 1] : [1, 0];
    for (const b of order) {
      const r = await runServer({ server: builds[b].server, file, edits });
      if (r.error) throw new Error(`${builds[b].name}: ${r.error}`);
      results[b].push(r);
      console.error(`[ab] run ${k + 1}/${runs} ${builds[b].name}: open ${ms(r.openMs)} ms, edit median ${ms(r.editMedianMs)}, p95 ${ms(r.editP95Ms)}, RSS ${ms(r.peakRssMiB)} MiB`);
    }
  }
  const rows = [
    ['open → diagnostics (ms)', (r) => r.openMs],
    ['edit median (ms)', (r) => r.editMedianMs],
    ['edit p95 (ms)', (r) => r.editP95Ms],
    ['peak RSS (MiB)', (r) => r.peakRssMiB],
  ];
  console.log(`\nA/B on bench-${size}.acrotopo.yaml, ${runs} runs each, ${edits} edits per run, alternating`);
  console.log(`${'metric'.padEnd(36)}${builds.map((b) => `${b.name} min / median`.padStart(28)).join('')}`);
  for (const [label, f] of rows) console.log(`${label.padEnd(36)}${results.map((rs) => `${ms(min(rs.map(f)))} / ${ms(median(rs.map(f)))}`.padStart(28)).join('')}`);
  // each kind of edit (planEdits' labels, the first round apart: its code is not compiled yet)
  console.log(`\n${'edit (median over runs and rounds)'.padEnd(48)}${builds.map((b) => b.name.padStart(14)).join('')}`);
  const labels = [...new Set(results[0][0].edits.map((e, i) => `${i < 14 ? 'first ' : ''}${e.label}`))];
  for (const label of labels) {
    const of = (rs) => median(rs.flatMap((r) => r.edits.filter((e, i) => `${i < 14 ? 'first ' : ''}${e.label}` === label).map((e) => e.ms)));
    console.log(`${label.slice(0, 47).padEnd(48)}${results.map((rs) => ms(of(rs)).padStart(14)).join('')}`);
  }
} finally {
  try {
    git('worktree', 'remove', '--force', wt);
  } catch {
    rmSync(wt, { recursive: true, force: true });
    try {
      git('worktree', 'prune');
    } catch {
      /* nothing to prune */
    }
  }
}
