// Benchmark (not a test): time to lay out and draw a 1,000-machine deployment in the preview webview,
// in headless Chromium with the real bundle (client/media/preview.js) and the real CSP.
//   node --import tsx bench/preview.mjs [--machines 1000] [--runs 3] [--generator fixture|bench]
// --generator bench: the deployments of `npm run bench` (bench/generate.mjs: hosts entries, overrides,
// firewalls per site), whose pictures the readability plans leave large; fixture (default): the
// uniform ones of renderer/test/fixtures/generate.ts.
// For each case it posts the model (built by the engine: check → buildDiagram) and measures, inside the
// page, the time from the message to the drawn picture (ELK layout + SVG + DOM insertion). Prints a
// table and one JSON line per case. Also times check + buildDiagram (what the extension host pays).
import { cpus, loadavg } from 'node:os';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const machines = opt('machines', 1000);
const gi = args.indexOf('--generator');
const generator = gi >= 0 ? args[gi + 1] : 'fixture';
if (generator !== 'fixture' && generator !== 'bench') throw new Error(`--generator fixture|bench, not ${generator}`);
const runs = opt('runs', 3);

const engine = await import('../engine/src/index.ts');
const gen = await import('../renderer/test/fixtures/generate.ts');
const harness = await import('../test/preview/harness.ts');
const pick = (m, name) => m[name] ?? m.default?.[name];
const check = pick(engine, 'check');
const buildDiagram = pick(engine, 'buildDiagram');
const generateDeployment = pick(gen, 'generateDeployment');
const openHarness = pick(harness, 'openHarness');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const text = generator === 'bench' ? (await import('./generate.mjs')).generate(machines).text : generateDeployment({ machines, firewall: true });
const cases = [
  { name: `${machines} machines${generator === 'bench' ? ' (bench file)' : ''}, all view (grouped)`, view: 'all', opts: {} },
  { name: `${machines} machines${generator === 'bench' ? ' (bench file)' : ''}, communication view (grouped)`, view: 'communication', opts: {} },
  { name: `${machines} machines${generator === 'bench' ? ' (bench file)' : ''}, installation view (grouped)`, view: 'installation', opts: {} },
  { name: '150 machines, communication view, no grouping', view: 'communication', opts: { groupThreshold: Infinity, maxNodes: Infinity }, text: generateDeployment({ machines: 150, branches: 2 }) },
];

const h = await openHarness({ width: 1400, height: 900 });
const rows = [];
let seq = 0;
try {
  for (const c of cases) {
    const src = c.text ?? text;
    const host = [];
    let model;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const result = check(src);
      model = buildDiagram(result, c.view, { text: src, ...c.opts });
      host.push(performance.now() - t0);
    }
    const page = [];
    for (let i = 0; i < runs; i++) {
      const s = ++seq;
      const ms = await h.page.evaluate(
        ({ msg, s }) =>
          new Promise((resolve) => {
            const t0 = performance.now();
            const obs = new MutationObserver(() => {
              if (document.body.dataset.rendered === String(s)) {
                obs.disconnect();
                resolve(performance.now() - t0);
              }
            });
            obs.observe(document.body, { attributes: true, attributeFilter: ['data-rendered'] });
            window.postMessage(msg, '*');
          }),
        { msg: { type: 'model', seq: s, model, uri: `file:///bench-${s}.acrotopo.yaml`, fileName: 'bench.acrotopo.yaml', expanded: [] }, s },
      );
      page.push(ms);
    }
    const row = {
      case: c.name,
      boxes: model.nodes.length,
      arrows: model.edges.length,
      flows: model.stats.flows,
      hostMedianMs: Math.round(median(host)),
      webviewMedianMs: Math.round(median(page)),
      webviewRunsMs: page.map((x) => Math.round(x)),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
} finally {
  await h.close();
}
console.log('');
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log('| case | boxes | arrows | check + buildDiagram (host) | layout + draw in Chromium (median) |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.case} | ${r.boxes} | ${r.arrows} | ${r.hostMedianMs} ms | ${r.webviewMedianMs} ms (${r.webviewRunsMs.join(', ')}) |`);
