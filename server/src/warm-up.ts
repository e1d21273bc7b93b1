// The warm-up: once per server process, in idle time after the first document's check, the incremental
// checker is run on a sample estate of its own (~45 machines) through WARM_UP_EDITS one-character edits,
// each made and undone. The user's documents, results and settings are not touched: the sample's checker
// is dropped when the warm-up ends.
//
// Why: opening a file runs the full check, so its code is compiled and optimised by V8 by the time the
// diagnostics are out; an edit runs other code (the chunk reuse, moving every chunk after the edit, the
// delta check, moving the kept diagnostics), and the first edits of each kind ran it cold: at 10,000
// machines the first "move an address" edit checked in ~70 ms, later ones in ~20–30. With the warm-up the
// first one checks in ~28 ms, and over the benchmark's 50 edits the p95 went from 117 to 110 ms (median
// of five runs each; docs/language-server.md, "Warm-up", has the figures). It costs ~140–220 ms of CPU
// once, in slices of IDLE_SLICE_MS between which a change that comes in is checked first
// (features/diagnostics.ts, Validator.warm).
//
// The sample and its edits are generic, not the benchmark's: every section of the format (network with
// firewalls and allow entries, management, block- and flow-style machines with hosts entries, the
// installation list, stated connections), and edits that type a character into each kind of line — a
// name misspelt, an address changed, a port made invalid, a comment — and delete it again: the schema's
// errors, the model's lookups, the flows, the firewall rules and the moving of everything after the
// edit run the way they do when a user types.
import { createIncrementalChecker } from '@acrotopo/engine';
import type { IncrementalChecker } from '@acrotopo/engine';
import type { WarmUpState, WarmUpStatus } from './protocol';

/** A deterministic sample deployment: three sites behind two firewalls, ~45 machines. */
export function warmUpSample(): string {
  const out: string[] = [
    '# acrotopo language server warm-up sample',
    'acrotopo: 1',
    'title: Warm-up estate',
    'product: "11.7"',
    '',
    'network:',
    '  dns: true',
    '  subnets:',
    '    hq: 10.40.0.0/24',
    '    north: 10.40.1.0/24',
    '    south: 10.40.2.0/24',
    '  firewalls:',
    '    - name: fw-north',
    '      between: [hq, north]',
    '      allow:',
    '        - { from: north, to: hq, port: tcp/9876 }',
    '        - { from: hq, to: north, port: tcp/9876 }',
    '        - { from: ams01, to: north, port: tcp/445 }',
    '        - { from: ams01, to: north, port: tcp/25001 }',
    '    - name: fw-south',
    '      between: [hq, south]',
    '      allow:',
    '        - { from: south, to: hq, port: tcp/9876, source-ports: 49152-65535 }',
    '        - { from: hq, to: south, port: tcp/9876 }',
    '        - { from: ams01, to: south, port: tcp/22 }',
    '',
    'management:',
    '  server: ams01',
    '  register-by: name',
    '  port: 9876',
    '  encryption:',
    '    client: enabled',
    '    server: enabled',
    '',
    'machines:',
    '  ams01:  # management server',
    '    os: windows',
    '    address: 10.40.0.10',
    '    components: [management-server, management-console]',
    '    network-discovery: true',
    '    file-and-printer-sharing: true',
    '  lic01:',
    '    os: windows',
    '    address: 10.40.0.11',
    '    components: [license-server]',
    '    file-sharing-encryption: true',
    '  sn01:',
    '    os: windows',
    '    address: 10.40.0.12',
    '    components: [storage-node, agent-for-windows]',
    '  admin01: { os: windows, address: 10.40.0.13, components: [management-console] }',
    '  vc01:',
    '    os: other',
    '    address: 10.40.0.14',
    '    components: [vcenter]',
    '  esx01:',
    '    os: other',
    '    address: 10.40.0.15',
    '    components: [esxi]',
    '  va01:',
    '    os: virtual-appliance',
    '    address: 10.40.0.16',
    '    components: [agent-for-vmware]',
  ];
  const installTo: string[] = [];
  ['hq', 'north', 'south'].forEach((site, s) => {
    out.push(`  # --- ${site}`);
    for (let i = 0; i < 13; i++) {
      const linux = i % 4 === 3;
      const name = `${site}-${linux ? 'lnx' : i % 3 === 0 ? 'srv' : 'ws'}${String(i + 1).padStart(2, '0')}`;
      const address = `10.40.${s}.${20 + i}`;
      if (i % 5 === 4) {
        out.push(`  ${name}: { os: ${linux ? 'linux' : 'windows'}, address: ${address}, components: [agent-for-${linux ? 'linux' : 'windows'}] }`);
        continue;
      }
      out.push(`  ${name}:`, `    os: ${linux ? 'linux' : 'windows'}`);
      if (!linux && i % 6 === 1) out.push('    windows-version: pre-vista');
      out.push(`    address: ${address}`, `    components: [agent-for-${linux ? 'linux' : 'windows'}${i % 3 === 0 && !linux ? ', agent-for-sql' : ''}]`);
      if (!linux && i % 2 === 0) out.push('    file-sharing-encryption: true');
      if (i === 6) out.push('    cloud-backup: true');
      if (s > 0 && i % 3 === 1) out.push('    hosts:', '      ams01: 10.40.0.10', '      lic01: 10.40.0.11');
      if (s > 0 && i % 4 === 2) installTo.push(name);
    }
  });
  out.push('', 'installation:', '  from: ams01', '  to:', ...installTo.map((n) => `    - ${n}`));
  out.push(
    '',
    'connections:',
    '  - { from: admin01, to: ams01, port: tcp/9876 }',
    '  - { from: ams01, to: lic01, port: tcp/9876 }',
    '  - { from: vc01, to: va01, port: tcp/443 }',
    '  - { from: ams01, to: north-ws02, port: tcp/9876 }',
  );
  return out.join('\n') + '\n';
}

/** One line of the sample with a character typed in it (`text`), and the line as it was (`undo`). */
interface WarmUpEdit {
  line: number;
  text: string;
  undo: string;
}

/** How many edits the warm-up makes (each undone), shared out over the sample's sections (warmUpEdits). */
export const WARM_UP_EDITS = 20;

/**
 * The edits: one character typed — `1` after a digit, `x` after a letter — after the last letter or
 * digit of a line's value (a scalar, a flow collection, a sequence item; before a trailing comment) or
 * at the end of a comment line, each followed by its undo (the character deleted). So each edit moves
 * every line after it by one character, as typing does. `max` of them: each top-level section gets its
 * share by its number of such lines (one at least), and within a section the kinds of line (its key;
 * for a sequence item, `- {`, `- key:` or `-`; `#` for a comment) take turns, the commonest first.
 */
export function warmUpEdits(sample: string, max = WARM_UP_EDITS): WarmUpEdit[] {
  const lines = sample.split('\n');
  /** per section, per kind of line, its edits */
  const sections = new Map<string, Map<string, WarmUpEdit[]>>();
  let section = '';
  let total = 0;
  lines.forEach((line, i) => {
    if (/^[a-z]/.test(line)) section = line.split(':')[0];
    const comment = /^\s*#/.test(line);
    if (!comment && !(/:\s*\S/.test(line) || /^\s*- \S/.test(line))) return;
    // (typed after the last letter or digit of the value — before a trailing comment —, or at the end of a comment line)
    const body = comment ? line : line.replace(/\s+#.*$/, '');
    const m = /[A-Za-z0-9](?=[^A-Za-z0-9]*$)/.exec(body);
    if (!m) return;
    const at = m.index + 1;
    const typed = /\d/.test(m[0]) ? '1' : 'x';
    const item = /^\s*- (\{|[\w-]+:)?/.exec(line);
    const kind = comment ? '#' : item ? `- ${item[1] ?? ''}` : line.trim().split(':')[0];
    let kinds = sections.get(section);
    if (!kinds) sections.set(section, (kinds = new Map()));
    let list = kinds.get(kind);
    if (!list) kinds.set(kind, (list = []));
    list.push({ line: i, text: line.slice(0, at) + typed + line.slice(at), undo: line });
    total++;
  });
  if (total <= max) return [...sections.values()].flatMap((kinds) => [...kinds.values()].flat()).sort((x, y) => x.line - y.line);
  // the shares: one per section, the rest by size (largest remainders first)
  const all = [...sections.values()].map((kinds) => [...kinds.values()].sort((p, q) => q.length - p.length));
  const sizes = all.map((lists) => lists.reduce((n, l) => n + l.length, 0));
  const rest = Math.max(0, max - all.length);
  const exact = sizes.map((n) => (rest * n) / total);
  const shares = exact.map((x) => 1 + Math.floor(x));
  const byRemainder = exact.map((x, k) => [x - Math.floor(x), k]).sort((p, q) => q[0] - p[0] || p[1] - q[1]);
  for (let left = max - shares.reduce((a, b) => a + b, 0), j = 0; left > 0 && j < byRemainder.length; left--, j++) shares[byRemainder[j][1]]++;
  const edits: WarmUpEdit[] = [];
  all.forEach((lists, k) => {
    const mine: WarmUpEdit[] = [];
    for (let round = 0; mine.length < shares[k] && lists.some((l) => l.length > round); round++) {
      for (const l of lists) if (round < l.length && mine.length < shares[k]) mine.push(l[round]);
    }
    edits.push(...mine);
  });
  return edits.sort((x, y) => x.line - y.line).slice(0, max);
}

/** The warm-up of one server process, run a slice at a time (`step`). */
export class WarmUp {
  private state: WarmUpState;
  private checker: IncrementalChecker | undefined;
  private lines: string[] | undefined;
  private edits: WarmUpEdit[] = [];
  private next = 0;
  private checks = 0;
  private ms = 0;

  /** @param makeChecker the checker to warm up (the tests watch it) */
  constructor(
    enabled = true,
    private readonly makeChecker: () => IncrementalChecker = createIncrementalChecker,
  ) {
    this.state = enabled ? 'waiting' : 'off';
  }

  /** Turns the warm-up off, unless it has begun (initializationOptions `warmUp: false`). */
  disable(): void {
    if (this.state === 'waiting') this.state = 'off';
  }

  get done(): boolean {
    return this.state === 'done' || this.state === 'off';
  }

  status(): WarmUpStatus {
    return { state: this.state, checks: this.checks, ms: Math.round(this.ms * 10) / 10 };
  }

  /**
   * Runs checks of the sample for about `budgetMs` (at least one). Returns whether work is left. A
   * check that throws ends the warm-up (it is an optimisation: nothing depends on it).
   */
  step(budgetMs: number): boolean {
    if (this.done) return false;
    const t0 = performance.now();
    const until = t0 + budgetMs;
    try {
      // (at least one check per step: the sample's first, or an edit's)
      let checked = false;
      if (!this.checker || !this.lines) {
        this.state = 'running';
        const sample = warmUpSample();
        this.checker = this.makeChecker();
        this.lines = sample.split('\n');
        this.edits = warmUpEdits(sample);
        this.check();
        checked = true;
      }
      while (this.next < this.edits.length * 2 && (!checked || performance.now() < until)) {
        checked = true;
        const e = this.edits[this.next >> 1];
        this.lines[e.line] = this.next % 2 === 0 ? e.text : e.undo;
        this.next++;
        this.check();
      }
      if (this.next >= this.edits.length * 2) this.finish();
    } catch {
      this.finish();
    }
    this.ms += performance.now() - t0;
    return !this.done;
  }

  private check(): void {
    // (the fixes are left for later, as the server's own checks leave them, and made by the next update)
    this.checker!.update(this.lines!.join('\n'), { fixes: 'deferred' });
    this.checks++;
  }

  private finish(): void {
    this.state = 'done';
    this.checker = undefined;
    this.lines = undefined;
    this.edits = [];
  }
}
