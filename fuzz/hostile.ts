// Times check() on hostile inputs and prints a markdown table row per case (docs/reliability.md).
// Run: node --import tsx fuzz/hostile.ts [CASE-PREFIX]
import { check } from '../engine/src/index';
const cases: [string, string][] = [];
const bomb = ['acrotopo: 1', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
for (let i = 1; i < 12; i++) bomb.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
bomb.push('machines: *a11');
cases.push(['alias bomb (10^12 nodes)', bomb.join('\n')]);
cases.push(['10k-deep flow nesting', 'acrotopo: 1\nx: ' + '['.repeat(10000) + ']'.repeat(10000) + '\n']);
cases.push(['10k-deep block nesting', 'acrotopo: 1\n' + Array.from({ length: 2000 }, (_, i) => ' '.repeat(i) + `k${i}:`).join('\n') + '\n']);
cases.push(['100k-character line', 'acrotopo: 1\ntitle: ' + 'x'.repeat(100000) + '\n']);
const big = ['acrotopo: 1', 'machines:'];
let i = 0; let len = 0; while (len < 10 * 1024 * 1024) { len += big[big.push(`  m${i}: { os: windows, address: 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}, components: [agent-for-windows] }`) - 1].length + 1; i++; }
cases.push(['10 MiB file (' + i + ' machines)', big.join('\n')]);
cases.push(['20 MiB file (over the limit)', 'acrotopo: 1\n' + '#'.repeat(20 * 1024 * 1024)]);
cases.push(['NUL bytes', 'acrotopo: 1\u0000\nmachines: {}\n']);
cases.push(['invalid UTF-8 (decoded as U+FFFD)', 'acrotopo: 1\ntitle: \uFFFD\uFFFD\n']);
cases.push(['BOM + CRLF + tabs', '\uFEFFacrotopo: 1\r\nmachines:\r\n\tams01: {}\r\n']);
cases.push(['huge numbers', 'acrotopo: 1\nmanagement: { port: 1e400 }\nmachines: { a: { port: 99999999999999999999 } }\n']);
cases.push(['several documents', 'acrotopo: 1\n---\nacrotopo: 1\n---\n']);
cases.push(['names with spaces and Unicode', 'acrotopo: 1\nmachines:\n  "file server 1": { os: windows }\n  сервер: { os: linux }\n  "\u202Eevil": { os: linux }\n']);
const only = process.argv[2];
for (const [name, text] of cases) {
  if (only && !name.startsWith(only)) continue;
  const t = performance.now();
  const r = check(text);
  const ms = performance.now() - t;
  const first = r.diagnostics[0];
  console.log(`| ${name} | ${(text.length / 1024).toFixed(0)} KiB | ${ms.toFixed(0)} ms | ${r.diagnostics.length} | ${first ? `${first.rule}: ${first.message.slice(0, 90).replace(/\|/g, '\\|')}` : '—'} |`);
}
