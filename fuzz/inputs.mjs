// The inputs of `npm run fuzz`, shared by its three targets (engine, language server, CLI): input
// number `index` of seed `seed` is always the same text, so a finding is reproduced by its index.
// Four kinds, by index % 4: mutations of an example (two of four), random YAML values under the
// top-level keys, and random token/character soup.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** Small deterministic PRNG (mulberry32). */
export function rng(s) {
  return () => { s |= 0; s = (s + 0x6d2b79f5) | 0; let t = Math.imul(s ^ (s >>> 15), 1 | s); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

export const TOKENS = ['\n', '  ', ': ', '- ', '[', ']', '{', '}', ',', '#', '&a ', '*a', '<<: ', '---\n', '"', "'", '\t', '|\n', '>\n', '?', 'tcp/', '9876', '25001', 'machines:', 'components:', 'os: ', 'windows', 'linux', 'address: ', '10.0.0.', '::1', 'subnet: ', 'firewalls:', 'between: ', 'allow:', 'source-ports: ', '1025-5000', 'installation:', 'to: ', 'from: ', 'management:', 'server: ', 'encryption:', 'client: disabled', 'server: required', 'hosts:', 'rules:', 'off', '\u0000', '\uFEFF', '\u202E', '\r\n', '~', 'null', '1e400', '-1', '0x1F'];

/** The text of every example, sorted by path (the mutation seeds). */
export function loadSeeds(root) {
  return readdirSync(join(root, 'examples'), { recursive: true }).filter((f) => f.endsWith('.acrotopo.yaml')).sort().map((f) => readFileSync(join(root, 'examples', f), 'utf8'));
}

export function mutate(r, text) {
  let t = text;
  const n = 1 + Math.floor(r() * 8);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (t.length + 1));
    const op = r();
    if (op < 0.35) t = t.slice(0, at) + TOKENS[Math.floor(r() * TOKENS.length)] + t.slice(at);
    else if (op < 0.6) t = t.slice(0, at) + t.slice(at + Math.floor(r() * 40));
    else if (op < 0.8) { const b = Math.floor(r() * t.length); const len = Math.floor(r() * 200); t = t.slice(0, at) + t.slice(b, b + len) + t.slice(at); }
    else { const lines = t.split('\n'); const li = Math.floor(r() * lines.length); lines[li] = ' '.repeat(Math.floor(r() * 6)) + lines[li].trimStart(); t = lines.join('\n'); }
  }
  return t;
}

function randomValue(r, depth) {
  const k = r();
  if (depth > 4 || k < 0.3) return [null, true, 1, -1, 1.5, 'windows', 'tcp/9876', '10.0.0.1', 'x'.repeat(Math.floor(r() * 50)), ''][Math.floor(r() * 10)];
  if (k < 0.65) { const o = {}; const n = Math.floor(r() * 5); for (let i = 0; i < n; i++) o[TOKENS[Math.floor(r() * TOKENS.length)].trim() || `k${i}`] = randomValue(r, depth + 1); return o; }
  return Array.from({ length: Math.floor(r() * 5) }, () => randomValue(r, depth + 1));
}

/** Input number `index` for `seed`; `r` (returned too) goes on with the same stream, for the target's own choices. */
export function makeInput(seed, seeds, index) {
  const r = rng(seed * 1_000_003 + index);
  const kind = index % 4;
  let text;
  if (kind === 0 || kind === 1) text = mutate(r, seeds[index % seeds.length]);
  else if (kind === 2) text = stringify({ acrotopo: 1, machines: randomValue(r, 0), network: randomValue(r, 1), management: randomValue(r, 2), installation: randomValue(r, 2), connections: randomValue(r, 2) });
  else {
    text = '';
    const n = Math.floor(r() * 300);
    for (let i = 0; i < n; i++) text += r() < 0.7 ? TOKENS[Math.floor(r() * TOKENS.length)] : String.fromCharCode(Math.floor(r() * 0x3000));
  }
  return { text, r };
}
