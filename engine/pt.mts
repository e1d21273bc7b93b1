import { check } from './src/check';
import { RULES } from './src/rules/index';
const lines = ['acrotopo: 1', 'network: { dns: false }', 'machines:', '  ams01: { os: windows, address: 10.0.0.10, components: [management-server] }'];
for (let i = 0; i < 3000; i++) lines.push(`  a${i}: { os: linux, components: [agent-for-linux], port: 9001 }`);
lines.push('management: { server: ams01 }', '');
const text = lines.join('\n');
for (const r of RULES) { const orig = r.run; r.run = (ctx) => { const t0 = performance.now(); orig(ctx); const dt = performance.now() - t0; if (dt > 50) console.log(r.id, dt.toFixed(0)); }; }
const t0 = performance.now(); const res = check(text); console.log('total', (performance.now() - t0).toFixed(0), res.diagnostics.length);
