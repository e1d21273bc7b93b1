// Small helpers shared by the feature modules.
import { facts } from '@acrotopo/engine';
import type { CheckResult, Machine, PortSpec, Topology } from '@acrotopo/engine';
import type { Seg } from '../yaml/context';

/** Normalises a path for matching: sequence indices become `*`. */
export function pattern(path: Seg[]): string {
  return path.map((s) => (typeof s === 'number' ? '*' : s)).join('/');
}

/** `machines/<name>/…` → the pattern with the machine name replaced by `<m>`. */
export function slotPattern(path: Seg[]): string {
  const p = path.map((s) => (typeof s === 'number' ? '*' : s));
  if (p[0] === 'machines' && p.length >= 2) p[1] = '<m>';
  if (p[0] === 'rules' && p.length >= 2) p[1] = '<r>';
  if (p[0] === 'network' && p[1] === 'subnets' && p.length >= 3) p[2] = '<s>';
  return p.join('/');
}

export type Slot = 'machine' | 'zone' | 'zone-or-machine' | 'port' | 'agent-port' | 'source-ports' | 'severity' | 'component' | 'hosts-address';

/** What kind of value a path holds (names, ports, severities…), beyond what the schema says. */
export function slotOf(path: Seg[]): Slot | undefined {
  const p = slotPattern(path);
  switch (p) {
    case 'management/server':
    case 'installation/from':
    case 'installation/to':
    case 'installation/to/*':
    case 'connections/*/from':
    case 'connections/*/to':
      return 'machine';
    case 'machines/<m>/subnet':
    case 'network/firewalls/*/between/*':
      return 'zone';
    case 'network/firewalls/*/allow/*/from':
    case 'network/firewalls/*/allow/*/to':
      return 'zone-or-machine';
    case 'connections/*/port':
    case 'network/firewalls/*/allow/*/port':
      return 'port';
    case 'management/port':
    case 'machines/<m>/port':
      return 'agent-port';
    case 'network/firewalls/*/allow/*/source-ports':
      return 'source-ports';
    case 'rules/<r>':
      return 'severity';
    case 'machines/<m>/components/*':
      return 'component';
  }
  if (p.startsWith('machines/<m>/hosts/') && path.length === 4) return 'hosts-address';
  return undefined;
}

/** The agent port of the file (management.port, else the default). */
export function fileAgentPort(t: Topology): number {
  return t.management?.port?.value ?? facts.DEFAULT_AGENT_PORT;
}

/** Parses a port written as `tcp/N`, `udp/N-M`, `icmp`, or a bare number (TCP). */
export function parsePortText(text: string): PortSpec | undefined {
  const s = text.trim();
  if (/^\d{1,5}$/.test(s)) {
    const n = Number(s);
    return n >= 1 && n <= 65535 ? { proto: 'tcp', from: n, to: n } : undefined;
  }
  return facts.parsePort(s);
}

/** Is the port the agent port (the default, the file's, or a machine's own)? */
export function isAgentPort(t: Topology, p: PortSpec): boolean {
  if (p.proto !== 'tcp' || p.from !== p.to) return false;
  if (p.from === facts.DEFAULT_AGENT_PORT || p.from === fileAgentPort(t)) return true;
  for (const m of t.machines.values()) if (m.port?.value === p.from) return true;
  return false;
}

/** Catalogue rows whose ports cover `p` (the agent port standing for whatever the file uses). */
export function catalogueRowsFor(t: Topology, p: PortSpec): facts.CatalogueEntry[] {
  const agent = isAgentPort(t, p);
  return facts.CATALOGUE.filter((row) =>
    row.ports.some((rp) => {
      if (agent && rp.proto === 'tcp' && rp.from === facts.DEFAULT_AGENT_PORT && rp.to === facts.DEFAULT_AGENT_PORT) return true;
      return facts.portCovers(rp, p) || facts.portCovers(p, rp);
    }),
  );
}

const PARTY_LABEL: Record<string, string> = {
  'management-server': 'management server',
  console: 'management console',
  agent: 'agent',
  'storage-node': 'storage node',
  'license-server': 'license server',
  'pxe-server': 'PXE server',
  'vmware-agent': 'Agent for VMware',
  vsphere: 'vCenter / ESX(i)',
  'network-share': 'network share',
  'acronis-cloud': 'Acronis Cloud',
  installer: 'installer',
  'windows-target': 'Windows installation target',
  'linux-target': 'Linux installation target',
  'any-machine': 'any machine',
  internet: 'Internet',
};

export function partyLabel(p: string): string {
  return PARTY_LABEL[p] ?? p;
}

export function direction(row: facts.CatalogueEntry): string {
  return `${row.from.map(partyLabel).join(' / ')} → ${row.to.map(partyLabel).join(' / ')}`;
}

export function flowsOf(result: CheckResult, m: Machine): { out: CheckResult['flows']; in: CheckResult['flows'] } {
  return {
    out: result.flows.filter((f) => f.initiator === m.name),
    in: result.flows.filter((f) => f.destination === m.name),
  };
}

/** Names declared in the text under a top-level key path, read line by line (works on broken YAML). */
export function declaredKeysByText(text: string, path: string[]): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: string[] = [];
  let depth = 0;
  let parentIndent = -1;
  let childIndent = -1;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    const m = /^\s*([^\s:#'"-][^:#]*?|"[^"]*"|'[^']*')\s*:(?:\s|$)/.exec(line);
    if (depth < path.length) {
      if (indent <= parentIndent) {
        // left the parent before finding the next segment
        depth = 0;
        parentIndent = -1;
      }
      if (m && m[1].replace(/^["']|["']$/g, '') === path[depth] && indent > parentIndent) {
        depth++;
        parentIndent = indent;
        childIndent = -1;
      }
      continue;
    }
    if (indent <= parentIndent) {
      depth = 0;
      parentIndent = -1;
      if (m && m[1] === path[0]) { depth = 1; parentIndent = indent; }
      continue;
    }
    if (childIndent < 0) childIndent = indent;
    if (indent === childIndent && m) out.push(m[1].replace(/^["']|["']$/g, ''));
  }
  return [...new Set(out)];
}
