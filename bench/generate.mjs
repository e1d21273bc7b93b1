#!/usr/bin/env node
// Deterministic generator of realistic Acrotopo deployments for the benchmarks.
//   node bench/generate.mjs [N…]        writes bench/out/bench-N.acrotopo.yaml (default 100 1000 10000)
//   import { generate } from './generate.mjs'; generate(1000) → { text, stats }
// Same N and seed → byte-identical output (seeded PRNG, no Math.random, no clock).
// The files are valid v1 documents (spec: /work/shared/spec/acrotopo-v1.md) with the kind of findings
// a real rollout has: a few missing or wrong hosts entries, narrow firewall source ports, a per-machine
// port or encryption override, stated connections that are reversed or undocumented.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'out');
export const DEFAULT_SEED = 0x5eed_acf0;

/** mulberry32: small, fast, good enough for test data. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST_HOST = 10; // machine addresses .10 … .249 of each /24
const LAST_HOST = 249;
const DEPARTMENTS = ['finance', 'sales', 'engineering', 'support', 'hr', 'legal', 'ops', 'research'];

/** Subnet i → name and CIDR. 10.20.0.0/24 (hq), 10.20.1.0/24 … 10.20.199.0/24, 10.21.0.0/24 … */
function subnet(i) {
  const b = 20 + Math.floor(i / 200);
  const c = i % 200;
  return { name: i === 0 ? 'hq' : `site-${String(i).padStart(3, '0')}`, prefix: `10.${b}.${c}`, cidr: `10.${b}.${c}.0/24` };
}

/**
 * @param {number} n number of machines (≥ 20)
 * @param {{ seed?: number }} [options]
 * @returns {{ text: string, stats: { machines: number, subnets: number, firewalls: number, installation: number, connections: number, lines: number, bytes: number } }}
 */
export function generate(n, options = {}) {
  if (!Number.isInteger(n) || n < 20) throw new RangeError(`generate: N must be an integer ≥ 20, got ${n}`);
  const rnd = prng(options.seed ?? DEFAULT_SEED);
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
  const chance = (p) => rnd() < p;
  const width = String(n).length;
  const num = (i) => String(i).padStart(width, '0');

  const subnetCount = Math.max(3, Math.ceil(n / 230));
  const subnets = Array.from({ length: subnetCount }, (_, i) => subnet(i));
  const nextHost = new Array(subnetCount).fill(FIRST_HOST);
  /** The next free subnet at or after si (a full subnet passes its machines on). */
  const room = (si) => {
    for (let k = 0; k < subnetCount; k++) {
      const j = (si + k) % subnetCount;
      if (nextHost[j] <= LAST_HOST) return j;
    }
    throw new RangeError(`generate: ${n} machines do not fit in ${subnetCount} subnets`);
  };
  const addr = (si) => `${subnets[si].prefix}.${nextHost[si]++}`;

  /** @type {{ name: string, si: number, lines: string[], os: string, agent: boolean, installable: boolean, comment?: string }[]} */
  const machines = [];
  const hq = 0;
  const infra = (name, os, components, extra = [], comment) => {
    const m = { name, si: hq, os, agent: false, installable: false, comment, address: '', lines: [] };
    m.address = addr(hq);
    m.lines = [`os: ${os}`, `address: ${m.address}`, `components: [${components.join(', ')}]`, ...extra];
    machines.push(m);
    return m;
  };

  // --- infrastructure in hq ---------------------------------------------------------------------
  const ams = infra('ams01', 'windows', ['management-server', 'management-console'], ['network-discovery: true', 'file-and-printer-sharing: true'], 'management server; remote installations start here');
  const lic = infra('lic01', 'windows', ['license-server'], ['file-sharing-encryption: true']);
  const storageNodes = [];
  for (let i = 1; i <= Math.max(1, Math.round(n / 2500)); i++) {
    storageNodes.push(infra(`sn${String(i).padStart(2, '0')}`, 'windows', ['storage-node', 'agent-for-windows'], ['file-sharing-encryption: true'], i === 1 ? 'storage nodes (managed vaults)' : undefined));
  }
  const consoles = [];
  for (let i = 1; i <= Math.max(2, Math.round(n / 2000)); i++) {
    consoles.push(infra(`admin${String(i).padStart(2, '0')}`, 'windows', ['management-console'], [], i === 1 ? 'administrators’ workstations' : undefined));
  }
  const vcenter = infra('vc01', 'other', ['vcenter'], [], 'VMware');
  const esxCount = Math.max(1, Math.round(n / 500));
  for (let i = 1; i <= esxCount; i++) infra(`esx${String(i).padStart(2, '0')}`, 'other', ['esxi']);
  for (let i = 1; i <= Math.max(1, Math.round(n / 1000)); i++) {
    const m = infra(`va${String(i).padStart(2, '0')}`, 'virtual-appliance', ['agent-for-vmware']);
    m.agent = true;
  }
  {
    const m = infra('vmproxy01', 'windows', ['agent-for-windows', 'agent-for-vmware'], ['file-sharing-encryption: true']);
    m.agent = true;
    m.installable = true;
  }

  // --- agents over all subnets -------------------------------------------------------------------
  const remaining = n - machines.length;
  let kindCounter = 0;
  for (let k = 0; k < remaining; k++) {
    // hq keeps a share like any site; the rest spread evenly over the sites.
    const si = room(k % subnetCount);
    const r = rnd();
    const lines = [];
    let name;
    let os;
    kindCounter++;
    if (r < 0.42) {
      name = `ws-${num(kindCounter)}`;
      os = 'windows';
    } else if (r < 0.72) {
      name = `lnx-${num(kindCounter)}`;
      os = 'linux';
    } else {
      name = `srv-${num(kindCounter)}`;
      os = 'windows';
    }
    const address = addr(si);
    lines.push(`os: ${os}`);
    if (os === 'windows') {
      if (chance(0.06)) lines.push('windows-version: pre-vista');
      else if (chance(0.1)) lines.push('windows-version: vista-or-later');
    }
    lines.push(`address: ${address}`);
    if (chance(0.1)) lines.push(`subnet: ${subnets[si].name}`);
    let components;
    if (os === 'linux') components = ['agent-for-linux'];
    else if (name.startsWith('ws-')) components = ['agent-for-windows'];
    else {
      components = ['agent-for-windows'];
      const extra = rnd();
      if (extra < 0.12) components.push('agent-for-sql');
      else if (extra < 0.18) components.push('agent-for-exchange');
      else if (extra < 0.22) components.push('agent-for-active-directory');
      else if (extra < 0.27) components.push('agent-for-hyper-v');
    }
    lines.push(`components: [${components.join(', ')}]`);
    if (os === 'windows') {
      const fse = rnd();
      if (fse < 0.55) lines.push('file-sharing-encryption: true');
      else if (fse < 0.6) lines.push('file-sharing-encryption: false');
    }
    if (chance(0.03)) lines.push('cloud-backup: true');
    if (chance(0.002)) lines.push('port: 9877');
    const enc = rnd();
    if (enc < 0.008) lines.push('encryption: { client: required }');
    else if (enc < 0.01) lines.push('encryption: { server: disabled }');
    else if (enc < 0.011) lines.push('encryption:', '  client: disabled', '  server: required');
    if (si !== hq) {
      // Agents outside the server's subnet register by name: they need a hosts entry for ams01.
      const h = rnd();
      if (h < 0.02) {
        /* missing: the rollout forgot this one */
      } else if (h < 0.025) {
        lines.push('hosts:', `  ams01: ${subnets[hq].prefix}.${250 + Math.floor(rnd() * 5)}`);
      } else if (h < 0.5) {
        lines.push('hosts:', `  ams01: ${ams.address}`, `  lic01: ${lic.address}`);
      } else if (h < 0.9) {
        lines.push('hosts:', `  ams01: ${ams.address}`);
      } else {
        lines.push(`hosts: { ams01: ${ams.address} }`);
      }
    }
    const comment = chance(0.04) ? `owner: ${pick(DEPARTMENTS)}` : undefined;
    machines.push({ name, si, os, agent: true, installable: true, address, lines, comment });
  }

  // --- firewalls: hq ↔ every 3rd site, and one between two sites ---------------------------------
  const firewalls = [];
  for (let si = 1; si < subnetCount; si++) {
    if (si % 3 !== 1) continue;
    const s = subnets[si].name;
    const narrow = firewalls.length % 3 === 1;
    const allow = [
      `{ from: ${s}, to: hq, port: tcp/9876${narrow ? ', source-ports: 49152-65535' : ''} }`,
      `{ from: hq, to: ${s}, port: tcp/9876 }`,
      `{ from: ams01, to: ${s}, port: tcp/445 }`,
      `{ from: ams01, to: ${s}, port: tcp/25001 }`,
      `{ from: ams01, to: ${s}, port: tcp/22 }`,
    ];
    firewalls.push({ name: `fw-${s}`, between: ['hq', s], allow, comment: narrow ? 'source ports copied from the Windows template' : undefined });
  }
  if (subnetCount >= 3) {
    const a = subnets[1].name;
    const b = subnets[2].name;
    firewalls.push({ name: `fw-${a}-${b}`, between: [a, b], allow: [`{ from: ${a}, to: ${b}, port: tcp/22 }`] });
  }

  // --- installation (~10 %) and stated connections ----------------------------------------------
  const installable = machines.filter((m) => m.installable);
  const installation = installable.filter((_, i) => i % 10 === 3).map((m) => m.name);
  const agents = machines.filter((m) => m.agent && m.name !== 'vmproxy01');
  const linuxTarget = machines.find((m) => m.os === 'linux' && installation.includes(m.name));
  const connections = [];
  connections.push(`{ from: ${consoles[0].name}, to: ams01, port: tcp/9876 }`);
  connections.push(`{ from: ams01, to: ${lic.name}, port: tcp/9876 }`);
  connections.push(`{ from: ${vcenter.name}, to: vmproxy01, port: tcp/443 }`); // reversed CC-8
  connections.push(`{ from: ${consoles[1].name}, to: ams01, port: tcp/3389 }`); // undocumented
  if (linuxTarget) connections.push(`{ from: ams01, to: ${linuxTarget.name}, port: tcp/445 }`); // wrong install port
  const statedCount = Math.max(5, Math.min(60, Math.round(n / 100)));
  for (let i = 0; connections.length < statedCount && i < agents.length; i += Math.max(1, Math.floor(agents.length / statedCount))) {
    const m = agents[i];
    connections.push(chance(0.5) ? `{ from: ${m.name}, to: ams01, port: tcp/9876 }` : `{ from: ams01, to: ${m.name}, port: tcp/9876 }`);
  }

  // --- text ---------------------------------------------------------------------------------------
  const out = [];
  out.push(`# Synthetic Acronis Backup Advanced 11.7 deployment: ${n} machines, ${subnetCount} subnets.`);
  out.push('# Generated by bench/generate.mjs (deterministic); used by `npm run bench`.');
  out.push('acrotopo: 1');
  out.push(`title: Benchmark deployment (${n} machines)`);
  out.push('product: "11.7"');
  out.push('');
  out.push('network:');
  out.push('  dns: true');
  out.push('  subnets:');
  for (const s of subnets) out.push(`    ${s.name}: ${s.cidr}`);
  out.push('  firewalls:');
  for (const fw of firewalls) {
    if (fw.comment) out.push(`    # ${fw.comment}`);
    out.push(`    - name: ${fw.name}`);
    out.push(`      between: [${fw.between.join(', ')}]`);
    out.push('      allow:');
    for (const a of fw.allow) out.push(`        - ${a}`);
  }
  out.push('');
  out.push('management:');
  out.push('  server: ams01');
  out.push('  register-by: name');
  out.push('  port: 9876');
  out.push('  encryption:');
  out.push('    client: enabled');
  out.push('    server: enabled');
  out.push('');
  out.push('machines:');
  const bySubnet = subnets.map(() => []);
  for (const m of machines) bySubnet[m.si].push(m);
  bySubnet.forEach((list, si) => {
    if (list.length === 0) return;
    out.push(`  # --- ${subnets[si].name} (${subnets[si].cidr}): ${list.length} machines`);
    for (const m of list) {
      out.push(`  ${m.name}:${m.comment ? `  # ${m.comment}` : ''}`);
      for (const l of m.lines) out.push(`    ${l}`);
    }
  });
  out.push('');
  out.push('installation:');
  out.push('  from: ams01');
  out.push('  to:');
  for (const name of installation) out.push(`    - ${name}`);
  out.push('');
  out.push('# Stated by the network team for the firewall request; checked against the documentation.');
  out.push('connections:');
  for (const c of connections) out.push(`  - ${c}`);
  const text = out.join('\n') + '\n';
  return {
    text,
    stats: {
      machines: machines.length,
      subnets: subnetCount,
      firewalls: firewalls.length,
      installation: installation.length,
      connections: connections.length,
      lines: out.length,
      bytes: Buffer.byteLength(text),
    },
  };
}

/** Writes bench/out/bench-N.acrotopo.yaml and returns its path and stats. */
export function writeDeployment(n, options = {}) {
  const { text, stats } = generate(n, options);
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, `bench-${n}.acrotopo.yaml`);
  writeFileSync(file, text);
  return { file, stats };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const sizes = process.argv.slice(2).map(Number);
  for (const n of sizes.length ? sizes : [100, 1000, 10000]) {
    const { file, stats } = writeDeployment(n);
    console.log(`${file}: ${stats.machines} machines, ${stats.subnets} subnets, ${stats.firewalls} firewalls, ${stats.installation} to install, ${stats.connections} stated, ${stats.lines} lines, ${(stats.bytes / 1048576).toFixed(2)} MiB`);
  }
}
