// Bad input never crashes the command: mutated examples and arbitrary bytes go through the whole
// `acrotopo check` / `firewall` path in process (runCli with in-memory streams). Each run must end
// with exit 0, 1 or 2, and the JSON and SARIF outputs must stay parseable.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { runCli } from '../src/cli';
import type { Io } from '../src/io';

const ROOT = join(__dirname, '..', '..');
const EXAMPLES = (readdirSync(join(ROOT, 'examples'), { recursive: true }) as string[])
  .filter((f) => f.endsWith('.acrotopo.yaml'))
  .sort()
  .map((f) => readFileSync(join(ROOT, 'examples', f), 'utf8'));

const dir = mkdtempSync(join(tmpdir(), 'acrotopo-robust-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: dir, env: {} };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** An example with a slice deleted, a slice duplicated, or random text inserted. */
const mutated = fc
  .tuple(fc.constantFrom(...EXAMPLES), fc.nat(), fc.nat(), fc.constantFrom('delete', 'duplicate', 'insert'), fc.string({ maxLength: 20 }))
  .map(([text, a, b, op, s]) => {
    const i = a % (text.length + 1);
    const j = Math.min(text.length, i + (b % 200));
    if (op === 'delete') return text.slice(0, i) + text.slice(j);
    if (op === 'duplicate') return text.slice(0, j) + text.slice(i, j) + text.slice(j);
    return text.slice(0, i) + s + text.slice(i);
  });

describe('robustness of acrotopo check and firewall', () => {
  it('mutated examples: exit 0/1, parseable json and sarif, a firewall list', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async (text) => {
        writeFileSync(join(dir, 'm.acrotopo.yaml'), text);
        const json = await run(['check', 'm.acrotopo.yaml', '-f', 'json']);
        assert.ok(json.code === 0 || json.code === 1, json.stderr);
        JSON.parse(json.stdout);
        const sarif = await run(['check', 'm.acrotopo.yaml', '-f', 'sarif']);
        assert.equal(sarif.code, json.code);
        JSON.parse(sarif.stdout);
        const text2 = await run(['check', 'm.acrotopo.yaml']);
        assert.equal(text2.code, json.code);
        const fw = await run(['firewall', 'm.acrotopo.yaml', '-f', 'csv']);
        assert.ok(fw.code === 0 || fw.code === 1, fw.stderr);
        assert.match(fw.stdout, /^initiator,/);
      }),
      { numRuns: 60, seed: 20261125 },
    );
  });

  it('arbitrary bytes: never throws; binary input is refused with exit 2', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        writeFileSync(join(dir, 'b.acrotopo.yaml'), bytes);
        const r = await run(['check', 'b.acrotopo.yaml', '-f', 'json']);
        if (bytes.includes(0)) assert.equal(r.code, 2);
        else {
          assert.ok(r.code === 0 || r.code === 1, r.stderr);
          JSON.parse(r.stdout);
        }
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('arbitrary argument lists: exit 0, 1 or 2, never an exception', async () => {
    const word = fc.constantFrom('check', 'firewall', '--format', '-f', 'json', 'sarif', 'csv', '--rule', 'schema=off', '--max-warnings', '3', '-q', '--', '-', 'm.acrotopo.yaml', 'nope', '*.yaml', '--help', '--version', '=', '');
    await fc.assert(
      fc.asyncProperty(fc.array(word, { maxLength: 6 }), async (argv) => {
        const r = await run(argv);
        assert.ok([0, 1, 2].includes(r.code), `${argv.join(' ')} → ${r.code}`);
      }),
      { numRuns: 150, seed: 11 },
    );
  });
});
