// Times check() on the hostile files (fuzz/hostile-cases.ts) and prints a markdown table row per case
// (docs/reliability.md); a case whose diagnostics are not what hostile-cases.ts expects is marked.
// Run: node --import tsx fuzz/hostile.ts [CASE-PREFIX]
import { check } from '../engine/src/index';
import { HOSTILE_CASES } from './hostile-cases';

const only = process.argv[2];
const size = (n: number) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(0)} KiB` : `${n} B`);
console.log('| input | size | time | diagnostics | first diagnostic |');
console.log('|---|---|---|---|---|');
for (const c of HOSTILE_CASES) {
  if (only && !c.name.startsWith(only)) continue;
  const t = performance.now();
  const r = check(c.text);
  const ms = performance.now() - t;
  const first = r.diagnostics[0];
  const wrong = c.expect(r);
  console.log(`| ${c.name} | ${size(c.text.length)} | ${ms.toFixed(0)} ms | ${r.diagnostics.length} | ${first ? `${first.rule}: ${first.message.slice(0, 90).replace(/\|/g, '\\|')}` : '—'}${wrong ? ` **UNEXPECTED: ${wrong}**` : ''} |`);
}
