// `acrotopo firewall FILE [--format table|csv|json]`: the allow rules the deployment needs. One row per
// derived flow, deduplicated by (initiator, destination, port) with the catalogue ids and purposes of
// the merged flows; the source-port range of the initiator's OS ("any" when the OS is not known); the
// firewalls declared in the file that it crosses, and those that block it now. Exit 0 when listed; 1 when the file has
// syntax, schema or reference errors (the list may then be incomplete; the list is still printed);
// 2 usage or I/O error.
import { check, evaluateFirewalls, IMPLICIT_CLOUD, INTERNET_ZONE } from '@acrotopo/engine';
import type { CheckResult, Flow, SeveritySetting } from '@acrotopo/engine';
import { readSource } from './check';
import { expandArgs } from './files';
import type { Io } from './io';
import { paint, plural, useColour } from './io';

export type FirewallFormat = 'table' | 'csv' | 'json';

export interface FirewallCommand {
  file: string;
  format: FirewallFormat;
}

export interface FirewallRow {
  initiator: string;
  initiatorZone: string;
  destination: string;
  destinationZone: string;
  port: string;
  /** `from-to`, or `any` when the initiator's OS (and so its ephemeral range) is not known */
  sourcePorts: string;
  purpose: string;
  catalogue: string[];
  encryption: string;
  /** names of the declared firewalls the flow crosses (each needs the allow rule) */
  crosses: string[];
  /** names of the declared firewalls that block this flow now (empty: passes, or crosses none) */
  blockedBy: string[];
}

/** Diagnostics that mean the file was not fully understood, so the derived list may be incomplete. */
const STRUCTURAL = new Set(['yaml-syntax', 'schema', 'unknown-reference', 'internal-error']);

export function firewallRows(result: CheckResult): FirewallRow[] {
  const t = result.topology;
  const zoneOf = (name: string): string => t.machines.get(name)?.zone ?? (name === IMPLICIT_CLOUD ? INTERNET_ZONE : 'unknown');
  const fwName = (i: number): string => t.firewalls[i]?.name?.value ?? `firewall #${i + 1}`;
  const rows = new Map<string, FirewallRow>();
  const derived: Flow[] = result.flows.filter((f) => f.kind === 'derived');
  const firewalls = evaluateFirewalls(t, derived);
  for (const f of derived) {
    const key = `${f.initiator}\u0000${f.destination}\u0000${f.portLabel}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        initiator: f.initiator,
        initiatorZone: zoneOf(f.initiator),
        destination: f.destination,
        destinationZone: zoneOf(f.destination),
        port: f.portLabel,
        sourcePorts: f.sourcePorts ? `${f.sourcePorts.from}-${f.sourcePorts.to}` : 'any',
        purpose: f.purpose,
        catalogue: [],
        encryption: f.encryption,
        crosses: [],
        blockedBy: [],
      };
      rows.set(key, row);
    } else if (!row.purpose.split('; ').includes(f.purpose)) {
      row.purpose += `; ${f.purpose}`;
    }
    if (f.catalogue && !row.catalogue.includes(f.catalogue)) row.catalogue.push(f.catalogue);
    const v = firewalls.verdictOf(f); // (by flow: two flows can share an id when a name holds '>')
    const crossed = v ? [...v.passedBy, ...v.blockedBy].map((x) => x.firewall.index).sort((a, b) => a - b) : [];
    for (const i of crossed) {
      const n = fwName(i);
      if (!row.crosses.includes(n)) row.crosses.push(n);
    }
    for (const b of f.blockedBy ?? []) {
      const n = fwName(b.firewall);
      if (!row.blockedBy.includes(n)) row.blockedBy.push(n);
    }
  }
  return [...rows.values()];
}

const COLUMNS: { title: string; csv: string; get(r: FirewallRow, table?: boolean): string }[] = [
  { title: 'INITIATOR', csv: 'initiator', get: (r) => r.initiator },
  { title: 'ZONE', csv: 'initiator_zone', get: (r) => r.initiatorZone },
  { title: 'DESTINATION', csv: 'destination', get: (r) => r.destination },
  { title: 'ZONE', csv: 'destination_zone', get: (r) => r.destinationZone },
  { title: 'PORT', csv: 'port', get: (r) => r.port },
  { title: 'SOURCE PORTS', csv: 'source_ports', get: (r) => r.sourcePorts },
  { title: 'PURPOSE', csv: 'purpose', get: (r) => r.purpose },
  { title: 'CATALOGUE', csv: 'catalogue', get: (r) => r.catalogue.join(' ') },
  { title: 'ENCRYPTION', csv: 'encryption', get: (r) => r.encryption },
  { title: 'CROSSES', csv: 'crosses', get: (r, table) => (r.crosses.length ? r.crosses.join(' ') : table ? '-' : '') },
  { title: 'BLOCKED BY', csv: 'blocked_by', get: (r, table) => (r.blockedBy.length ? r.blockedBy.join(' ') : table ? '-' : '') },
];

/** RFC 4180: quote a field holding a comma, quote or line break; double the quotes inside. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatCsv(rows: FirewallRow[]): string {
  const lines = [COLUMNS.map((c) => c.csv).join(',')];
  for (const r of rows) lines.push(COLUMNS.map((c) => csvField(c.get(r))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function formatTable(rows: FirewallRow[], colour: boolean): string {
  const p = paint(colour);
  const cells = rows.map((r) => COLUMNS.map((c) => c.get(r, true)));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...cells.map((row) => row[i].length)));
  const line = (vals: string[]) => vals.map((v, i) => (i === vals.length - 1 ? v : v.padEnd(widths[i]))).join('  ').trimEnd();
  let out = `${p.bold(line(COLUMNS.map((c) => c.title)))}\n`;
  for (const row of cells) {
    const text = line(row);
    out += `${row[row.length - 1] !== '-' ? p.red(text) : text}\n`;
  }
  const blocked = rows.filter((r) => r.blockedBy.length > 0).length;
  out += `\n${plural(rows.length, 'connection')} to allow`;
  out += blocked ? `; ${blocked} ${blocked === 1 ? 'is' : 'are'} blocked by a declared firewall now\n` : '\n';
  return out;
}

export function formatFirewallJson(rows: FirewallRow[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
}

export function runFirewall(cmd: FirewallCommand, io: Io, rules: Record<string, SeveritySetting> = {}): number {
  const env = io.env ?? process.env;
  const { files, problems } = expandArgs([cmd.file], io.cwd);
  if (problems.length) {
    for (const p of problems) io.stderr.write(`acrotopo: ${p.message}\n`);
    return 2;
  }
  if (files.length !== 1) {
    io.stderr.write(`acrotopo: firewall takes one file; '${cmd.file}' names ${files.length}\n`);
    return 2;
  }
  const f = files[0];
  const r = readSource(f.absolute, f.path);
  if ('error' in r) {
    io.stderr.write(`acrotopo: ${r.error}\n`);
    return 2;
  }
  const result = check(r.text, { rules, fileName: f.path });
  const rows = firewallRows(result);
  if (cmd.format === 'csv') io.stdout.write(formatCsv(rows));
  else if (cmd.format === 'json') io.stdout.write(formatFirewallJson(rows));
  else io.stdout.write(formatTable(rows, useColour(io.stdout, env)));
  const structural = result.diagnostics.filter((d) => d.severity === 'error' && STRUCTURAL.has(d.rule));
  if (structural.length) {
    io.stderr.write(`acrotopo: '${f.path}' has ${plural(structural.length, 'error')} that may hide connections (run 'acrotopo check ${f.path}'); the list may be incomplete\n`);
    return 1;
  }
  return 0;
}
