// CLI target of `npm run fuzz`: each input is written to a temporary file and run through the whole
// `acrotopo` program in process (runCli with in-memory streams, the function cli/src/main.ts binds to
// the process): check in the three formats, firewall in one format, and (one input in eight) render.
// A finding: runCli throws (main.ts would print a stack trace and exit 2), an exit code outside
// {0, 1, 2}, exit 2 where the input is readable text, "internal error" or a stack frame on stderr,
// JSON or SARIF output that does not parse. The parent times each invocation: over FUZZ_HANG_MS (2 s)
// is a finding, over FUZZ_RENDER_HANG_MS (10 s) for render, whose ELK layout alone takes 1–5 s on the
// 60-machine example on this machine (docs/reliability.md).
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeInput } from './inputs.mjs';

const { from, to, seed, seeds, bundle, renderHangMs } = workerData;
const { runCli } = createRequire(import.meta.url)(bundle);
const dir = mkdtempSync(join(tmpdir(), 'acrotopo-fuzz-cli-'));
const FILE = 'input.acrotopo.yaml';

async function run(argv) {
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (s) => (stdout += s) }, stderr: { write: (s) => (stderr += s) }, cwd: dir, env: {} };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** What is wrong with one run, or undefined. */
function judge(argv, res, binary) {
  const { code, stdout, stderr } = res;
  if (![0, 1, 2].includes(code)) return `exit code ${code}`;
  if (/internal error/i.test(stderr)) return `internal error on stderr: ${stderr.slice(0, 500)}`;
  if (/\n\s+at .+:\d+:\d+\)?/.test(stderr)) return `stack trace on stderr: ${stderr.slice(0, 500)}`;
  const cmd = argv[0];
  if (code === 2) {
    if (binary && /binary file/.test(stderr)) return undefined;
    if (cmd === 'render' && /does not parse as YAML/.test(stderr)) return undefined;
    return `exit 2 on a readable text file: ${stderr.slice(0, 500)}`;
  }
  const fi = argv.indexOf('-f');
  const format = fi >= 0 ? argv[fi + 1] : undefined;
  if (format === 'json' || format === 'sarif') {
    try {
      JSON.parse(stdout);
    } catch (e) {
      return `${format} output does not parse: ${e.message}`;
    }
  }
  if (cmd === 'render' && !/^<svg[\s>]/.test(stdout)) return `render printed no SVG: ${stdout.slice(0, 200)}`;
  return undefined;
}

try {
  for (let i = from; i < to; i++) {
    const { text, r } = makeInput(seed, seeds, i);
    writeFileSync(join(dir, FILE), text);
    const binary = text.slice(0, 8192).includes('\u0000');
    const runs = [['check', FILE], ['check', FILE, '-f', 'json'], ['check', FILE, '-f', 'sarif'], ['firewall', FILE, '-f', ['table', 'csv', 'json'][Math.floor(r() * 3)]]];
    if (r() < 0.3) runs[Math.floor(r() * 3)].push(['-q', '--max-warnings=0', '--rule=unencrypted-port=error', '--rule=schema=off'][Math.floor(r() * 4)]);
    if (i % 8 === 0) runs.push(['render', FILE, '--view', ['all', 'installation', 'communication'][Math.floor(r() * 3)], ...(r() < 0.3 ? ['--expand', 'all'] : [])]);
    let finding;
    let ms = 0;
    let renderMs = 0;
    for (const argv of runs) {
      // a layout is given FUZZ_RENDER_HANG_MS: ELK takes seconds on pictures with hundreds of arrows (docs/preview.md)
      parentPort.postMessage({ type: 'start', index: i, input: text, step: argv.join(' '), budget: argv[0] === 'render' ? renderHangMs : undefined });
      const t = performance.now();
      let why;
      try {
        why = judge(argv, await run(argv), binary);
      } catch (e) {
        why = `runCli threw: ${e?.stack ?? e}`;
      }
      const took = performance.now() - t;
      if (argv[0] === 'render') renderMs = took;
      else ms = Math.max(ms, took);
      if (why && !finding) finding = { index: i, reason: `acrotopo ${argv.join(' ')}: ${why}`, input: text };
      parentPort.postMessage({ type: 'step', ms: took });
    }
    parentPort.postMessage({ type: 'done', index: i, ms, renderMs, finding });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
parentPort.postMessage({ type: 'end' });
