#!/usr/bin/env node
// `npm run bench`: generates deployments of 100 / 1k / 10k machines (bench/generate.mjs), then measures
//   - the engine's check() in-process (bench/engine-check.mjs through tsx),
//   - `acrotopo check FILE --format json` end to end (the built CLI),
//   - our language server and yaml-language-server (with OUR JSON Schema) on the same files, through
//     the same LSP driver (bench/lsp-driver.mjs): open → diagnostics, edit → diagnostics, peak RSS,
// prints a table with the targets of issue 5 (met / not met) and writes it to docs/benchmarks.md.
//
// Environment: BENCH_SIZES=100,1000,10000  BENCH_EDITS=50  BENCH_SERVERS=ours,yaml  BENCH_OURS_DEBOUNCE_MS=0
//              BENCH_BUDGET_S=60 (edit time budget per server and size)  BENCH_NO_DOCS=1 (do not write docs)
//              BENCH_SKIP=engine,cli,typing,typing-machine (skip parts)
// Every wait is bounded; every process started here is killed before exit.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { writeDeployment } from './generate.mjs';
import { ROOT, SERVERS, percentile, runServer } from './lsp-driver.mjs';
import { planTypingMachine, TYPED_ENTRY, TYPED_MACHINE_EDITS, typedMachine } from './edits.mjs';

const sizes = (process.env.BENCH_SIZES || '100,1000,10000').split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n >= 20);
const editCount = Number(process.env.BENCH_EDITS || 50);
const serverIds = (process.env.BENCH_SERVERS || 'ours,yaml').split(',').map((s) => s.trim()).filter((s) => s in SERVERS);
const budgetMs = Number(process.env.BENCH_BUDGET_S || 60) * 1000;
const skip = new Set((process.env.BENCH_SKIP || '').split(',').map((s) => s.trim()).filter(Boolean));
const CLI = join(ROOT, 'cli', 'bin', 'acrotopo.js');
const CLI_BUNDLE = join(ROOT, 'cli', 'dist', 'acrotopo.js');
const started = Date.now();
const loadAtStart = loadavg();
const log = (...a) => console.error('[bench]', ...a);

/** Runs a process with a timeout; resolves { code, stdout, stderr, ms, timedOut }. */
function runProcess(cmd, argv, timeoutMs) {
  return new Promise((resolveRun) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (c) => {
      if (stdout.length < 64 * 1024 * 1024) stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr = (stderr + c).slice(-8000);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      stderr += String(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr, ms: performance.now() - t0, timedOut });
    });
  });
}

const fmtMs = (v) => (Number.isFinite(v) ? (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`) : '—');
const fmtMiB = (v) => (Number.isFinite(v) ? `${v.toFixed(0)} MiB` : '—');
const fmtX = (v) => (Number.isFinite(v) ? `${v >= 10 ? v.toFixed(0) : v.toFixed(1)}×` : '—');
const sizeLabel = (n) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

// ---- 0. build (the CLI and the server are measured as shipped: the esbuild bundles) ---------------
if (!process.env.BENCH_NO_BUILD) {
  log('building (node scripts/build.mjs)…');
  const b = await runProcess(process.execPath, ['scripts/build.mjs'], 180_000);
  if (b.code !== 0) log(`build failed (exit ${b.code}); measuring whatever bundles exist.\n${b.stderr.split('\n').slice(0, 6).join('\n')}`);
}

// ---- 1. files --------------------------------------------------------------------------------------
const files = sizes.map((n) => {
  const { file, stats } = writeDeployment(n);
  log(`${relative(ROOT, file)}: ${stats.lines} lines, ${(stats.bytes / 1048576).toFixed(2)} MiB`);
  return { n, file, stats };
});

// ---- machine speed (bench/yardstick.mjs), here and again at the end -----------------------------------
const yardstickFile = files.at(-1);
/** `yaml`'s parseDocument of the largest file in a fresh process: the median of three runs, or an error. */
async function yardstick() {
  if (!yardstickFile) return { error: 'no file' };
  const times = [];
  for (let i = 0; i < 3; i++) {
    const r = await runProcess(process.execPath, ['bench/yardstick.mjs', yardstickFile.file], 120_000);
    try {
      times.push(JSON.parse(r.stdout.trim()).parseMs);
    } catch {
      return { error: r.timedOut ? 'timed out' : `exit ${r.code}: ${r.stderr.trim().split('\n').at(-1) ?? ''}` };
    }
  }
  return { medianMs: percentile(times, 50), minMs: Math.min(...times), maxMs: Math.max(...times) };
}
log(`machine speed: yaml parseDocument of ${relative(ROOT, yardstickFile?.file ?? '')}…`);
const yardstickAtStart = await yardstick();

// ---- 2. engine in-process, 3. CLI -------------------------------------------------------------------
/** @type {Map<number, any>} */
const engine = new Map();
if (!skip.has('engine')) {
  for (const f of files) {
    log(`engine check() in-process on ${sizeLabel(f.n)}…`);
    const r = await runProcess(process.execPath, ['--import', 'tsx', 'bench/engine-check.mjs', '--budget-ms', String(Math.min(budgetMs, 60_000)), f.file], 240_000);
    const line = r.stdout.trim().split('\n').filter(Boolean).at(-1);
    try {
      engine.set(f.n, JSON.parse(line ?? ''));
    } catch {
      engine.set(f.n, { error: r.timedOut ? 'timed out' : `exit ${r.code}: ${r.stderr.trim().split('\n').slice(-2).join(' ')}` });
    }
  }
}
/** @type {Map<number, any>} */
const cli = new Map();
if (!skip.has('cli')) {
  if (!existsSync(CLI) || !existsSync(CLI_BUNDLE)) {
    log('CLI not built (cli/bin/acrotopo.js or cli/dist/acrotopo.js missing): skipped');
  } else {
    for (const f of files) {
      log(`acrotopo check --format json on ${sizeLabel(f.n)}…`);
      const times = [];
      let diagnostics = NaN;
      let error;
      for (let i = 0; i < 3; i++) {
        const r = await runProcess(process.execPath, [CLI, 'check', f.file, '--format', 'json'], 120_000);
        if (r.timedOut || (r.code !== 0 && r.code !== 1)) {
          error = r.timedOut ? 'timed out' : `exit ${r.code}: ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}`;
          break;
        }
        times.push(r.ms);
        try {
          const out = JSON.parse(r.stdout);
          diagnostics = out.reduce((a, x) => a + (x.diagnostics?.length ?? 0), 0);
        } catch {
          error = 'output is not the JSON array of the spec';
        }
        if (r.ms > 20_000) break; // slow: one run says enough
      }
      cli.set(f.n, { medianMs: percentile(times, 50), runs: times.length, diagnostics, error });
    }
  }
}

// ---- 4. language servers ---------------------------------------------------------------------------------
/** @type {Map<string, any>} key `${id}:${n}` */
const lsp = new Map();
/** the typing scenario (edits.mjs planTyping), same keys */
const typing = new Map();
const typingCount = 1 + TYPED_ENTRY.length;
/** the second typing scenario (edits.mjs planTypingMachine), same keys */
const typingMachine = new Map();
for (const f of files) {
  for (const id of serverIds) {
    const server = SERVERS[id];
    if (!existsSync(server.bin)) {
      lsp.set(`${id}:${f.n}`, { error: `${relative(ROOT, server.bin)} not found` });
      continue;
    }
    if (id === 'ours' && !existsSync(join(ROOT, 'server', 'dist', 'server.js'))) {
      lsp.set(`${id}:${f.n}`, { error: 'server/dist/server.js not built' });
      continue;
    }
    log(`${server.label} on ${sizeLabel(f.n)} (${editCount} edits, budget ${budgetMs / 1000} s)…`);
    const r = await runServer({ server, file: f.file, edits: editCount, budgetMs, openTimeoutMs: 120_000, editTimeoutMs: 60_000 });
    if (r.error) log(`  ${server.label}: ${r.error}${r.stderrTail ? `\n  stderr: ${r.stderrTail}` : ''}`);
    lsp.set(`${id}:${f.n}`, r);
    if (!skip.has('typing')) {
      log(`${server.label} on ${sizeLabel(f.n)}: typing an allow entry (${typingCount} keystrokes, budget ${budgetMs / 1000} s)…`);
      const ty = await runServer({ server, file: f.file, edits: typingCount, budgetMs, openTimeoutMs: 120_000, editTimeoutMs: 60_000, typing: true });
      if (ty.error) log(`  ${server.label} typing: ${ty.error}`);
      typing.set(`${id}:${f.n}`, ty);
    }
    if (skip.has('typing-machine')) continue;
    log(`${server.label} on ${sizeLabel(f.n)}: typing a machine entry (about ${TYPED_MACHINE_EDITS} keystrokes, budget ${budgetMs / 1000} s)…`);
    const tm = await runServer({ server, file: f.file, edits: TYPED_MACHINE_EDITS, budgetMs, openTimeoutMs: 120_000, editTimeoutMs: 60_000, typing: 'machine' });
    if (tm.error) log(`  ${server.label} typing a machine: ${tm.error}`);
    typingMachine.set(`${id}:${f.n}`, tm);
  }
}

// ---- 5. report ---------------------------------------------------------------------------------------------
const cpuModel = cpus()[0]?.model ?? 'unknown';
let osName = process.platform;
try {
  osName = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? osName;
} catch {
  /* not Linux */
}
let yamlLsVersion = '?';
try {
  yamlLsVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/yaml-language-server/package.json'), 'utf8')).version;
} catch {
  /* not installed */
}
let commit = '';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {
  /* not a git checkout */
}
log('machine speed again…');
const yardstickAtEnd = await yardstick();
const fmtYardstick = (y) => (y.error ? `(${y.error})` : `${fmtMs(y.medianMs)} (${fmtMs(y.minMs)}–${fmtMs(y.maxMs)})`);
const machine = [
  `- date: ${new Date().toISOString()}${commit ? ` (commit ${commit}, with the working tree as it was)` : ''}`,
  `- CPU: ${cpuModel}, ${cpus().length} cores; RAM ${(totalmem() / 2 ** 30).toFixed(1)} GiB; ${osName}`,
  `- Node ${process.version}; yaml-language-server ${yamlLsVersion}; load average (1/5/15 min) at the start ${loadAtStart.map((x) => x.toFixed(1)).join(' / ')}, at the end ${loadavg().map((x) => x.toFixed(1)).join(' / ')}`,
  `- machine speed (\`bench/yardstick.mjs\`: \`yaml\` parseDocument of the ${sizeLabel(yardstickFile?.n ?? 0)} file, cold, duplicate-key check off; median of 3): ${fmtYardstick(yardstickAtStart)} at the start, ${fmtYardstick(yardstickAtEnd)} at the end`,
  `- edits per file: ${editCount} (time budget ${budgetMs / 1000} s per server and size; a server that uses it up is measured on the edits it finished)`,
];

/** One row per size and server with a result in `results` (`${id}:${n}`): row(r, yaml's result, f, id). */
const perServer = (results, row) =>
  files.flatMap((f) => serverIds.filter((id) => results.get(`${id}:${f.n}`)).map((id) => row(results.get(`${id}:${f.n}`), results.get(`yaml:${f.n}`), f, id)));

/**
 * The opens of a server on a size: one per session (the edits, typing an allow entry, typing a machine
 * entry), each a fresh server process opening the file. `median` is what the tables and the target use:
 * a single open moved by ±50 ms from run to run here.
 */
const opensOf = (id, n) => {
  const all = [lsp, typing, typingMachine].map((m) => m.get(`${id}:${n}`)?.openMs).filter((x) => Number.isFinite(x));
  return { all, median: all.length ? percentile(all, 50) : NaN };
};
const fmtOpens = (o) => (o.all.length > 1 ? `${fmtMs(o.median)} (${o.all.map((x) => Math.round(x)).join(', ')})` : fmtMs(o.median));
const lspHeader = ['size', 'server', 'open → diagnostics (median of the sessions)', 'edit → diagnostics median', 'edit p95', 'edits done', 'diagnostics', 'peak RSS', 'speed-up vs yaml-ls (open / edit p95)'];
const lspRows = perServer(lsp, (r, yaml, f, id) => [
  sizeLabel(f.n),
  SERVERS[id].label,
  fmtOpens(opensOf(id, f.n)),
  fmtMs(r.editMedianMs),
  fmtMs(r.editP95Ms),
  r.edits ? `${r.edits.length}/${editCount}` : '—',
  Number.isFinite(r.openDiagnostics) ? String(r.openDiagnostics) : '—',
  fmtMiB(r.peakRssMiB),
  r.error && !r.edits?.length ? `error: ${r.error}` : id === 'ours' && yaml && r.edits ? `${fmtX(opensOf('yaml', f.n).median / opensOf(id, f.n).median)} / ${fmtX(yaml.editP95Ms / r.editP95Ms)}` : '',
]);
// The same edits by kind: half of them revert the edit before them (the text is then the one of two
// edits ago — an undo), which a server may answer from memory; the others make a text not seen before.
const kindHeader = ['size', 'server', 'new text: median', 'new text: p95', 'back to an earlier text: median', 'back: p95'];
const kindRows = perServer(lsp, (r, _yaml, f, id) => {
  if (!r.edits?.length) return undefined;
  const fresh = r.edits.filter((e) => !e.back).map((e) => e.ms);
  const back = r.edits.filter((e) => e.back).map((e) => e.ms);
  return [sizeLabel(f.n), SERVERS[id].label, fmtMs(percentile(fresh, 50)), fmtMs(percentile(fresh, 95)), fmtMs(percentile(back, 50)), fmtMs(percentile(back, 95))];
}).filter(Boolean);
// The typing scenario: every keystroke a text not seen before, most of them with a syntax problem.
const typingHeader = ['size', 'server', 'keystroke → diagnostics median', 'p95', 'slowest', 'keystrokes done', 'peak RSS', 'speed-up vs yaml-ls (p95)'];
const typingRowsOf = (runs, count) => perServer(runs, (r, yaml, f, id) => [
  sizeLabel(f.n),
  SERVERS[id].label,
  fmtMs(r.editMedianMs),
  fmtMs(r.editP95Ms),
  r.edits?.length ? fmtMs(Math.max(...r.edits.map((e) => e.ms))) : '—',
  r.edits ? `${r.edits.length}/${count(f)}` : '—',
  fmtMiB(r.peakRssMiB),
  r.error && !r.edits?.length ? `error: ${r.error}` : id === 'ours' && yaml?.edits?.length && r.edits?.length ? fmtX(yaml.editP95Ms / r.editP95Ms) : '',
]);
const typingRows = typingRowsOf(typing, () => typingCount);
const typingMachineRows = typingRowsOf(typingMachine, (f) => planTypingMachine(readFileSync(f.file, 'utf8'), TYPED_MACHINE_EDITS).length);
const checkHeader = ['size', 'lines', 'MiB', 'engine check() cold', 'engine check() warm median', 'acrotopo check (CLI, wall)', 'diagnostics'];
const checkRows = files.map((f) => {
  const e = engine.get(f.n);
  const c = cli.get(f.n);
  return [
    sizeLabel(f.n),
    String(f.stats.lines),
    (f.stats.bytes / 1048576).toFixed(2),
    e?.error ? `error: ${e.error}` : fmtMs(e?.coldMs),
    e?.error ? '' : fmtMs(e?.warmMedianMs),
    c?.error ? `error: ${c.error}` : fmtMs(c?.medianMs),
    String(e?.diagnostics ?? c?.diagnostics ?? '—'),
  ];
});

// Targets (issue 5).
const targets = [];
const target = (what, value, limit, fmt, cmp = '≤') => {
  const met = Number.isFinite(value) ? (cmp === '≤' ? value <= limit : value >= limit) : undefined;
  targets.push([what, `${cmp} ${fmt(limit)}`, fmt(value), met === undefined ? 'not measured' : met ? 'met' : 'NOT met']);
};
{
  const o10 = lsp.get('ours:10000');
  const y10 = lsp.get('yaml:10000');
  const o1 = lsp.get('ours:1000');
  if (sizes.includes(10000)) {
    target('10k: edit → diagnostics p95 (our server)', o10?.editP95Ms, 100, fmtMs);
    target('10k: open → diagnostics (our server; median of the sessions)', opensOf('ours', 10000).median, 500, fmtMs);
    target('10k: peak RSS (our server)', o10?.peakRssMiB, 250, fmtMiB);
    target('10k: ≥ 15× faster than yaml-language-server (edit p95)', y10?.editP95Ms / o10?.editP95Ms, 15, fmtX, '≥');
    target('10k: acrotopo check, CLI wall time', cli.get(10000)?.medianMs, 1000, fmtMs);
    target('10k: engine check() in-process (cold)', engine.get(10000)?.coldMs, 1000, fmtMs);
  }
  if (sizes.includes(1000)) target('1k: edit → diagnostics p95 (our server)', o1?.editP95Ms, 25, fmtMs);
}

const table = (header, rows) => {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(w[i])).join('  ');
  return [line(header), w.map((n) => '─'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
};
const md = (header, rows) => [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`)].join('\n');

console.log('\nLanguage servers (same files, same edits, same driver)');
console.log(table(lspHeader, lspRows));
console.log('\nEdits by kind (half of the edits revert the one before: the text is that of two edits ago)');
console.log(table(kindHeader, kindRows));
console.log('\nBatch check');
console.log(table(checkHeader, checkRows));
console.log('\nTyping an allow entry, keystroke by keystroke');
console.log(table(typingHeader, typingRows));
if (typingMachineRows.length) {
  console.log('\nTyping a machine entry, keystroke by keystroke');
  console.log(table(typingHeader, typingMachineRows));
}
console.log('\nTargets (issue 5)');
console.log(table(['target', 'limit', 'measured', 'status'], targets));
console.log('\n' + machine.join('\n'));

const notes = [];
for (const [k, r] of lsp) if (r.error) notes.push(`- ${k.replace(':', ' on ')}: ${r.error}`);
for (const [k, r] of typing) if (r.error) notes.push(`- ${k.replace(':', ' on ')}, typing: ${r.error}`);
for (const [k, r] of typingMachine) if (r.error) notes.push(`- ${k.replace(':', ' on ')}, typing a machine: ${r.error}`);
for (const [n, c] of cli) if (c.error) notes.push(`- CLI on ${sizeLabel(n)}: ${c.error}`);
for (const [n, e] of engine) if (e.error) notes.push(`- engine on ${sizeLabel(n)}: ${e.error}`);

if (!process.env.BENCH_NO_DOCS) {
  const doc = `# Benchmarks

Generated by \`npm run bench\` (bench/run.mjs); rerun it to refresh this page. Sizes: ${files.map((f) => sizeLabel(f.n)).join(', ')} machines.

## What is measured

- **Files**: \`bench/generate.mjs\` writes deterministic deployments (seeded PRNG) to \`bench/out/\`: one subnet per
  ~230 machines, a management server, consoles, a license server, storage nodes, Windows (vista+ and pre-vista)
  and Linux agents, agent-for-vmware with vCenter/ESXi, cloud backup, hosts entries (a few missing or wrong),
  per-machine port and encryption overrides, firewalls with allow entries (some with narrow source ports), an
  installation list of ~10 % of the machines, stated connections and comments.
- **Language servers**: \`bench/lsp-driver.mjs\` starts the server over stdio, sends \`didOpen\` and times the first
  \`publishDiagnostics\` (each of the three sessions below — these edits, typing an allow entry, typing a machine
  entry — starts a fresh server and opens the file: the open is the median of the three, each listed after it; a
  single open moved by ±50 ms from run to run here); then types ${editCount} single-line edits one at a time (top, middle and end of the file; most change
  the diagnostics: an address moved to another subnet, a misspelt component, an unknown installation target,
  \`dns: false\`, a stated port) and times each \`didChange\` → \`publishDiagnostics\` (for that version when the server
  sends versions). Both servers get the same files and the same edits; yaml-language-server validates against
  OUR schema (\`schemas/acrotopo.schema.json\` mapped to \`*.acrotopo.yaml\`, schema store off). The times are what a user
  waits for after a keystroke. yaml-language-server always waits 200 ms before validating (\`validationDelayMs\`, not a
  setting); our server is run with \`acrotopo.validate.debounceMs: ${process.env.BENCH_OURS_DEBOUNCE_MS ?? 0}\` (editor default 75 ms) so its figures are the work
  itself. At 10k machines that difference is noise. Peak RSS is the server process's VmHWM. Each server's node is
  started as its VS Code extension starts it: ours with \`server/node-options.json\` (node options and environment,
  as client/src/extension.ts passes them), yaml-language-server with none (the Red Hat extension passes none).
- **Typing**: the same driver, in a fresh server, clears one allow entry and types a new one over it one character
  at a time (\`bench/edits.mjs\`, \`planTyping\`): every keystroke a text not seen before, most of them with a syntax
  problem (the flow mapping is open until its \`}\`). A second scenario types a new machine entry the same way
  (\`planTypingMachine\`).
- **Machine speed**: \`bench/yardstick.mjs\` parses the largest file with \`yaml\`'s \`parseDocument\` once in a fresh
  process (duplicate-key check off: at 10,000 machine names that quadratic check alone takes seconds), three times
  at the start of the run and three times at the end. This machine's speed has varied by up to half within an hour;
  figures of two runs compare through it (and a run whose start and end differ much was made on a moving machine).
- **Batch**: the engine's \`check()\` in a fresh process (cold = first call, warm = median of the repeats) and
  \`node cli/bin/acrotopo.js check FILE --format json\` wall time (median of up to 3 runs, Node start-up included).

## Results

${machine.join('\n')}

### Language servers

${md(lspHeader, lspRows)}

### Edits by kind

Every second edit reverts the one before it (the text is then the one of two edits ago, as after an undo or a
typo typed and deleted). Our server keeps the results of its last two texts and answers such an edit from memory
(engine/src/incremental.ts); edits that make a text it has not seen are the other column.

${md(kindHeader, kindRows)}

### Typing an allow entry, keystroke by keystroke

A firewall's allow entry (SSH installations to one site) is cleared to \`- \` and
\`${TYPED_ENTRY}\` typed over it one character at a time: every keystroke makes a text
not seen before, and from the \`{\` until the \`}\` the text has a syntax problem (an unclosed flow mapping), as
when a user types it.

${md(typingHeader, typingRows)}
${typingMachineRows.length ? `
### Typing a machine entry, keystroke by keystroke

The comment line that heads a subnet's machines near the middle of \`machines:\` is cleared and
\`${typedMachine('10.20.N.250')}\` typed on it one character at a time (the address in that subnet). The
first letter adds a machine entry (a line that is not a key yet, cut with the entry after it), the \`:\`
splits it off, and from the \`{\` until the \`}\` the entry has a syntax problem.

${md(typingHeader, typingMachineRows)}
` : ''}
### Batch check

${md(checkHeader, checkRows)}

### Targets (issue 5)

${md(['target', 'limit', 'measured', 'status'], targets)}
${notes.length ? `\n### Notes from this run\n\n${notes.join('\n')}\n` : ''}
## Running it

\`\`\`sh
npm run bench                                   # 100, 1k, 10k machines, ${editCount} edits; writes this page
BENCH_SIZES=100,1000 BENCH_EDITS=10 npm run bench   # quick
BENCH_SERVERS=ours BENCH_SKIP=cli npm run bench     # only our server and the engine
node bench/lsp-driver.mjs --server yaml bench/out/bench-1000.acrotopo.yaml --edits 20   # one server, JSON out
npm run bench:ab -- 617d66e --size 10000 --runs 4      # this tree's server against another revision's, alternating
\`\`\`

Knobs: \`BENCH_SIZES\`, \`BENCH_EDITS\`, \`BENCH_SERVERS\` (ours,yaml), \`BENCH_BUDGET_S\` (edit time budget per server
and size, default 60), \`BENCH_SKIP\` (engine,cli,typing,typing-machine), \`BENCH_NO_DOCS=1\` (do not rewrite this page),
\`BENCH_NO_BUILD=1\`, \`BENCH_OURS_DEBOUNCE_MS\` (our server's debounce, default 0). Timings on a shared 2-core machine vary from run to run: compare figures from one run.
A change to our server is measured with \`npm run bench:ab -- REV\` (bench/ab.mjs): REV is built in a temporary git worktree
and the two servers run in turns on one file (both started with this tree's \`server/node-options.json\`), so both see the same minutes; it prints each metric's minimum and median
and each kind of edit's median. On the machines here the same build's 10k open ranged over 1,050–1,930 ms within an
hour, so several alternating runs are needed to see a change of 10–20%.
`;
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), doc);
  log(`wrote docs/benchmarks.md (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
}
