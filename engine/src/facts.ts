// Every Acronis fact the engine uses, in one place. Each entry cites the catalogue
// (shared/reference/acronis-11x-network-connections.md: RI-*, CC-*, OT-*, sources S1..S21) and says
// whether it is documented or inferred. Rules and flow derivation read these tables; they never
// hard-code a port number.
import type { EncryptionClass, Os, PortRange, PortSpec, View } from './types';

export type Status = 'documented' | 'inferred';

/** The default Acronis agent port, "Remote Agent ports" of the administrative template (S4). */
export const DEFAULT_AGENT_PORT = 9876;

/** What the documentation says about a destination port's encryption. */
export interface PortFact {
  port: PortSpec;
  label: string;
  /**
   * encrypted / unencrypted / depends (tcp/445: File and Printer Sharing options) /
   * configurable (the agent port: client × server options) / not-stated
   */
  encryption: 'encrypted' | 'unencrypted' | 'depends' | 'configurable' | 'not-stated';
  note: string;
  status: Status;
  source: string;
}

export const PORT_FACTS: PortFact[] = [
  { port: { proto: 'tcp', from: 22, to: 22 }, label: 'SSH', encryption: 'encrypted', note: 'Traffic is encrypted by using the SSH protocol.', status: 'documented', source: 'S1 encryption notes' },
  { port: { proto: 'tcp', from: 445, to: 445 }, label: 'SMB', encryption: 'depends', note: 'Traffic encryption depends on the File and Printer Sharing options in Windows.', status: 'documented', source: 'S1 encryption notes' },
  { port: { proto: 'tcp', from: DEFAULT_AGENT_PORT, to: DEFAULT_AGENT_PORT }, label: 'Acronis agent port', encryption: 'configurable', note: 'By default, traffic is encrypted. Encryption is configured through the Acronis administrative template.', status: 'documented', source: 'S1 encryption notes, S4' },
  { port: { proto: 'tcp', from: 25001, to: 25001 }, label: 'Acronis remote installation', encryption: 'unencrypted', note: "Traffic itself isn't encrypted. But all user names and passwords are sent encrypted.", status: 'documented', source: 'S1 encryption notes' },
  { port: { proto: 'tcp', from: 443, to: 443 }, label: 'HTTPS', encryption: 'encrypted', note: 'HTTPS.', status: 'documented', source: 'S2' },
  { port: { proto: 'tcp', from: 44445, to: 44445 }, label: 'Acronis Cloud Backup Storage', encryption: 'encrypted', note: 'Traffic is encrypted.', status: 'documented', source: 'S2' },
  { port: { proto: 'tcp', from: 55556, to: 55556 }, label: 'Acronis Cloud Backup Storage', encryption: 'encrypted', note: 'Traffic is encrypted.', status: 'documented', source: 'S2' },
  { port: { proto: 'tcp', from: 8080, to: 8080 }, label: 'HTTP (management server web page)', encryption: 'unencrypted', note: 'Plain HTTP: not encrypted.', status: 'inferred', source: 'S2 (protocol; the "not encrypted" icon)' },
  { port: { proto: 'tcp', from: 80, to: 80 }, label: 'HTTP', encryption: 'unencrypted', note: 'Plain HTTP: not encrypted.', status: 'inferred', source: 'S2 (protocol)' },
  { port: { proto: 'tcp', from: 902, to: 902 }, label: 'VMware vSphere', encryption: 'not-stated', note: 'The documentation does not state whether this traffic is encrypted.', status: 'documented', source: 'S2' },
];

/** Ephemeral source ports of an initiator, per OS (S1, S3 connection notes). */
export const SOURCE_PORTS: { key: 'pre-vista' | 'vista-or-later' | 'linux'; label: string; range: PortRange; catalogue: string }[] = [
  { key: 'pre-vista', label: 'Windows prior to Windows Vista', range: { from: 1025, to: 5000 }, catalogue: 'S1' },
  { key: 'vista-or-later', label: 'Windows Vista and later', range: { from: 49152, to: 65535 }, catalogue: 'S1' },
  { key: 'linux', label: 'Linux and the virtual appliance', range: { from: 32768, to: 61000 }, catalogue: 'S1' },
];

const PRE_VISTA_PORTS = SOURCE_PORTS.find((s) => s.key === 'pre-vista')!;
const VISTA_PORTS = SOURCE_PORTS.find((s) => s.key === 'vista-or-later')!;
const LINUX_PORTS = SOURCE_PORTS.find((s) => s.key === 'linux')!;

function sourcePortsEntry(os: Os | undefined, windowsVersion: string | undefined) {
  if (os === 'windows') return windowsVersion === 'pre-vista' ? PRE_VISTA_PORTS : VISTA_PORTS;
  if (os === 'linux' || os === 'virtual-appliance') return LINUX_PORTS;
  return undefined;
}

export function sourcePortsFor(os: Os | undefined, windowsVersion: string | undefined): { range: PortRange; label: string } | undefined {
  const f = sourcePortsEntry(os, windowsVersion);
  return f && { range: f.range, label: f.label };
}

/** sourcePortsFor(…)?.range, without an object per call (once per flow). */
export function sourcePortRange(os: Os | undefined, windowsVersion: string | undefined): PortRange | undefined {
  return sourcePortsEntry(os, windowsVersion)?.range;
}

/** Client × server encryption matrix of the agent port (S4; spec "TCP 9876 client × server"). */
export const ENCRYPTION_MATRIX: Record<string, Record<string, 'encrypted' | 'unencrypted' | 'impossible'>> = {
  enabled: { enabled: 'encrypted', required: 'encrypted', disabled: 'unencrypted' },
  required: { enabled: 'encrypted', required: 'encrypted', disabled: 'impossible' },
  disabled: { enabled: 'unencrypted', required: 'impossible', disabled: 'unencrypted' },
};

// ---------------------------------------------------------------------------------------------
// Components

export type Role =
  | 'management-server'
  | 'console'
  | 'agent'
  | 'storage-node'
  | 'license-server'
  | 'pxe-server'
  | 'vmware-agent'
  | 'vsphere'
  | 'network-share'
  | 'acronis-cloud';

export interface ComponentFact {
  id: string;
  label: string;
  roles: Role[];
  /** operating systems the component runs on; undefined = any (external systems) */
  os?: Os[];
  osStatus: Status;
  /** an external system Acronis talks to, not an Acronis component */
  external?: boolean;
  note: string;
}

export const COMPONENTS: ComponentFact[] = [
  { id: 'management-server', label: 'Management server', roles: ['management-server'], os: ['windows'], osStatus: 'inferred', note: 'Centralizes management of the agents (S1, S2). The 11.x management server installs on Windows.' },
  { id: 'management-console', label: 'Management console', roles: ['console'], os: ['windows', 'linux'], osStatus: 'inferred', note: 'Connects to the management server or directly to agents on the agent port (CC-2, CC-3).' },
  { id: 'agent-for-windows', label: 'Agent for Windows', roles: ['agent'], os: ['windows'], osStatus: 'documented', note: 'Backs up a Windows machine (S2).' },
  { id: 'agent-for-linux', label: 'Agent for Linux', roles: ['agent'], os: ['linux'], osStatus: 'documented', note: 'Backs up a Linux machine (S2).' },
  { id: 'agent-for-vmware', label: 'Agent for VMware', roles: ['agent', 'vmware-agent'], os: ['windows', 'virtual-appliance'], osStatus: 'documented', note: 'Agent for VMware (Virtual Appliance) or Agent for VMware (Windows) (S2, CC-8).' },
  { id: 'agent-for-hyper-v', label: 'Agent for Hyper-V', roles: ['agent'], os: ['windows'], osStatus: 'documented', note: 'Backs up Hyper-V virtual machines (S2).' },
  { id: 'agent-for-exchange', label: 'Agent for Exchange', roles: ['agent'], os: ['windows'], osStatus: 'documented', note: 'Backs up Microsoft Exchange (S2).' },
  { id: 'agent-for-sql', label: 'Agent for SQL', roles: ['agent'], os: ['windows'], osStatus: 'inferred', note: 'Not on the 11.5 page; behaves like Agent for Windows (inferred).' },
  { id: 'agent-for-active-directory', label: 'Agent for Active Directory', roles: ['agent'], os: ['windows'], osStatus: 'inferred', note: 'Not on the 11.5 page; behaves like Agent for Windows (inferred).' },
  { id: 'storage-node', label: 'Storage node', roles: ['storage-node'], os: ['windows'], osStatus: 'inferred', note: 'Hosts managed vaults (CC-4, CC-5).' },
  { id: 'license-server', label: 'License server', roles: ['license-server'], os: ['windows', 'linux'], osStatus: 'inferred', note: 'Issues and checks licenses (CC-13..15); optional.' },
  { id: 'pxe-server', label: 'Acronis PXE Server', roles: ['pxe-server'], os: ['windows'], osStatus: 'inferred', note: 'Boots bare-metal machines into Acronis media (OT-4, inferred).' },
  { id: 'vcenter', label: 'VMware vCenter Server', roles: ['vsphere'], external: true, osStatus: 'documented', note: 'Accessed by Agent for VMware on TCP 443 and TCP 902 (CC-8).' },
  { id: 'esxi', label: 'ESX(i) host', roles: ['vsphere'], external: true, osStatus: 'documented', note: 'Accessed by Agent for VMware on TCP 443 and TCP 902 (CC-8).' },
  { id: 'network-share', label: 'Network share / NAS', roles: ['network-share'], external: true, osStatus: 'documented', note: 'Managed or unmanaged vault location (CC-6, CC-7).' },
  { id: 'acronis-cloud', label: 'Acronis Cloud Backup Storage', roles: ['acronis-cloud'], external: true, osStatus: 'documented', note: 'Online backup storage, in the Internet (CC-9, CC-10).' },
];

export const COMPONENT_BY_ID = new Map(COMPONENTS.map((c) => [c.id, c]));
export const AGENT_COMPONENTS = COMPONENTS.filter((c) => c.roles.includes('agent')).map((c) => c.id);

// ---------------------------------------------------------------------------------------------
// The catalogue of connections

/** Who may be at one end of a catalogued connection. */
export type Party =
  | Role
  | 'installer' // the machine the installation runs from (RI-*)
  | 'windows-target' // an installation target running Windows
  | 'linux-target' // an installation target running Linux
  | 'any-machine' // e.g. a web browser on any machine
  | 'internet'; // anything outside the LAN

export interface CatalogueEntry {
  id: string;
  from: Party[];
  to: Party[];
  ports: PortSpec[];
  purpose: string;
  view: View;
  /** when the row applies (free text from the catalogue) */
  condition: string;
  /** documented or inferred, for the row as a whole and for its endpoints */
  status: Status;
  endpoints: Status;
  source: string;
  /** derived for v1 (spec table) or only used to recognise stated flows */
  derived: boolean;
}

const tcp = (n: number): PortSpec => ({ proto: 'tcp', from: n, to: n });
const udp = (n: number, m = n): PortSpec => ({ proto: 'udp', from: n, to: m });
const AGENT = tcp(DEFAULT_AGENT_PORT);

export const CATALOGUE: CatalogueEntry[] = [
  { id: 'RI-1', from: ['console'], to: ['management-server'], ports: [AGENT], purpose: 'Requesting agent installation', view: 'installation', condition: 'management server present; documented for 11.5 only (S3)', status: 'documented', endpoints: 'documented', source: 'S3', derived: true },
  { id: 'RI-2', from: ['installer'], to: ['windows-target'], ports: [tcp(445)], purpose: 'Sending files (see the list)', view: 'installation', condition: 'management server present; Windows target', status: 'documented', endpoints: 'inferred', source: 'S1, S3', derived: true },
  { id: 'RI-3', from: ['installer'], to: ['windows-target'], ports: [tcp(25001)], purpose: 'Sending installation parameters', view: 'installation', condition: 'management server present; Windows target', status: 'documented', endpoints: 'inferred', source: 'S1, S3', derived: true },
  { id: 'RI-4', from: ['installer'], to: ['linux-target'], ports: [tcp(22)], purpose: 'Sending files (see the list) / Starting installation', view: 'installation', condition: 'management server present; Linux target', status: 'documented', endpoints: 'inferred', source: 'S1, S3', derived: true },
  { id: 'RI-5', from: ['agent', 'windows-target', 'linux-target'], to: ['management-server'], ports: [AGENT], purpose: 'Registration on the management server', view: 'installation', condition: 'management server present', status: 'documented', endpoints: 'documented', source: 'S1, S3', derived: true },
  { id: 'RI-6', from: ['any-machine'], to: ['license-server'], ports: [AGENT], purpose: 'Acquiring a license', view: 'installation', condition: 'a license server is used; initiator unknown', status: 'documented', endpoints: 'inferred', source: 'S1, S3', derived: false },
  { id: 'RI-7', from: ['installer'], to: ['windows-target'], ports: [tcp(445)], purpose: 'Sending files (see the list)', view: 'installation', condition: 'management server absent; Windows target', status: 'documented', endpoints: 'inferred', source: 'S1, S3', derived: true },
  { id: 'RI-8', from: ['installer'], to: ['windows-target'], ports: [tcp(25001)], purpose: 'Sending installation parameters', view: 'installation', condition: 'management server absent; Windows target', status: 'documented', endpoints: 'inferred', source: 'S1, S3', derived: true },
  { id: 'RI-9', from: ['installer'], to: ['linux-target'], ports: [tcp(22)], purpose: 'Sending files (see the list) / Starting installation', view: 'installation', condition: 'management server absent; Linux target', status: 'documented', endpoints: 'inferred', source: 'S1, S3', derived: true },
  { id: 'RI-10', from: ['any-machine'], to: ['license-server'], ports: [AGENT], purpose: 'Acquiring a license', view: 'installation', condition: 'management server absent; a license server is used; initiator unknown', status: 'documented', endpoints: 'inferred', source: 'S1, S3', derived: false },
  { id: 'CC-1', from: ['management-server', 'agent'], to: ['agent', 'management-server'], ports: [AGENT], purpose: 'Registering, managing agents', view: 'communication', condition: 'management server deployed; both directions', status: 'documented', endpoints: 'documented', source: 'S2', derived: true },
  { id: 'CC-2', from: ['console'], to: ['management-server'], ports: [AGENT], purpose: 'Communicating with the management server', view: 'communication', condition: 'management server deployed', status: 'documented', endpoints: 'inferred', source: 'S2', derived: true },
  { id: 'CC-3', from: ['console'], to: ['agent'], ports: [AGENT], purpose: 'Managing agents', view: 'communication', condition: 'direct management (no management server)', status: 'documented', endpoints: 'inferred', source: 'S2', derived: true },
  { id: 'CC-4', from: ['management-server'], to: ['storage-node'], ports: [AGENT], purpose: 'Managing storage nodes and centralized catalog', view: 'communication', condition: 'a storage node exists', status: 'documented', endpoints: 'inferred', source: 'S2', derived: true },
  { id: 'CC-5', from: ['agent'], to: ['storage-node'], ports: [AGENT], purpose: 'Accessing managed vaults', view: 'communication', condition: 'backup to a managed vault', status: 'documented', endpoints: 'inferred', source: 'S2', derived: true },
  { id: 'CC-6', from: ['storage-node'], to: ['network-share'], ports: [tcp(445), tcp(139), tcp(2049), tcp(21), tcp(22)], purpose: 'Storage behind the node (standard ports and protocols)', view: 'communication', condition: 'managed vault on a share or NAS; port numbers inferred', status: 'documented', endpoints: 'inferred', source: 'S2', derived: false },
  { id: 'CC-7', from: ['agent'], to: ['network-share'], ports: [tcp(445), tcp(139), tcp(2049), tcp(21), tcp(22)], purpose: 'Direct backup to an unmanaged vault (standard ports and protocols)', view: 'communication', condition: 'unmanaged vault used; port numbers inferred', status: 'documented', endpoints: 'inferred', source: 'S2', derived: false },
  { id: 'CC-8', from: ['vmware-agent'], to: ['vsphere'], ports: [tcp(443), tcp(902)], purpose: 'Accessing VMware vSphere', view: 'communication', condition: 'ESX(i)/vCenter environments', status: 'documented', endpoints: 'inferred', source: 'S2', derived: true },
  { id: 'CC-9', from: ['agent'], to: ['acronis-cloud'], ports: [tcp(443), tcp(44445), tcp(55556)], purpose: 'Accessing the cloud storage', view: 'communication', condition: 'Acronis Cloud Backup subscription', status: 'documented', endpoints: 'documented', source: 'S2', derived: true },
  { id: 'CC-10', from: ['any-machine'], to: ['acronis-cloud'], ports: [tcp(443)], purpose: 'Retrieving files from the cloud storage', view: 'communication', condition: 'cloud backup; from a web browser', status: 'documented', endpoints: 'inferred', source: 'S2', derived: false },
  { id: 'CC-11', from: ['any-machine'], to: ['management-server'], ports: [tcp(8080)], purpose: 'Accessing the management server Web page; downloading installation packages', view: 'communication', condition: 'installing agents from the management server web page', status: 'documented', endpoints: 'inferred', source: 'S2, S9', derived: false },
  { id: 'CC-12', from: ['console'], to: ['internet'], ports: [tcp(80)], purpose: 'Checking for software updates', view: 'communication', condition: 'Internet access', status: 'documented', endpoints: 'inferred', source: 'S2', derived: false },
  { id: 'CC-13', from: ['management-server'], to: ['license-server'], ports: [AGENT], purpose: 'Managing licenses', view: 'communication', condition: 'a license server is used', status: 'documented', endpoints: 'inferred', source: 'S2', derived: true },
  { id: 'CC-14', from: ['console'], to: ['license-server'], ports: [AGENT], purpose: 'Managing licenses', view: 'communication', condition: 'a license server is used', status: 'documented', endpoints: 'inferred', source: 'S2', derived: true },
  { id: 'CC-15', from: ['agent'], to: ['license-server'], ports: [AGENT], purpose: 'Checking licenses', view: 'communication', condition: 'a license server is used', status: 'documented', endpoints: 'inferred', source: 'S2, S6', derived: true },
  { id: 'CC-16', from: ['agent'], to: ['storage-node', 'network-share'], ports: [AGENT, tcp(445), tcp(139), tcp(2049), tcp(21), tcp(22)], purpose: 'To managed and unmanaged vaults', view: 'communication', condition: 'agents in guest VMs', status: 'documented', endpoints: 'inferred', source: 'S2', derived: false },
  { id: 'OT-1', from: ['management-server'], to: ['agent'], ports: [udp(7), udp(9), { proto: 'icmp' }], purpose: 'Wake-on-LAN (magic packet; ping first)', view: 'communication', condition: '"Use Wake-On-LAN" scheduling setting; port inferred', status: 'inferred', endpoints: 'documented', source: 'S8', derived: false },
  { id: 'OT-2', from: ['agent', 'management-server'], to: ['any-machine'], ports: [udp(162)], purpose: 'SNMP notifications (TRAP)', view: 'communication', condition: 'SNMP notifications enabled; port inferred', status: 'inferred', endpoints: 'documented', source: 'S13, S14', derived: false },
  { id: 'OT-4', from: ['any-machine'], to: ['pxe-server'], ports: [udp(67, 69)], purpose: 'PXE / DHCP / TFTP boot of Acronis media', view: 'installation', condition: 'PXE server installed; documented for Snap Deploy only', status: 'inferred', endpoints: 'inferred', source: 'S15', derived: false },
];

export const CATALOGUE_BY_ID = new Map(CATALOGUE.map((c) => [c.id, c]));

/** Ports used for remote installation per target OS (RI-2..4, RI-7..9). */
export function installationPorts(os: Os | undefined): PortSpec[] {
  const rows = CATALOGUE.filter((c) => c.from.includes('installer') && c.to.includes(os === 'windows' ? 'windows-target' : 'linux-target'));
  const seen = new Map<string, PortSpec>();
  for (const r of rows) for (const p of r.ports) seen.set(portLabel(p), p);
  return os === 'windows' || os === 'linux' ? [...seen.values()] : [];
}

// ---------------------------------------------------------------------------------------------
// Port helpers

export function portLabel(p: PortSpec): string {
  if (p.proto === 'icmp') return 'icmp';
  return p.from === p.to ? `${p.proto}/${p.from}` : `${p.proto}/${p.from}-${p.to}`;
}

export function samePort(a: PortSpec, b: PortSpec): boolean {
  return a.proto === b.proto && a.from === b.from && a.to === b.to;
}

/** Does `outer` cover every port of `inner`? */
export function portCovers(outer: PortSpec, inner: PortSpec): boolean {
  if (outer.proto !== inner.proto) return false;
  if (outer.proto === 'icmp') return true;
  return outer.from! <= inner.from! && inner.to! <= outer.to!;
}

const PORT_RE = /^(tcp|udp)\/(\d{1,5})(?:-(\d{1,5}))?$/;

/** Parses `tcp/N`, `udp/N`, `tcp/N-M`, `icmp`. Undefined when malformed (the schema reports it). */
export function parsePort(text: string): PortSpec | undefined {
  if (text === 'icmp') return { proto: 'icmp' };
  const m = PORT_RE.exec(text);
  if (!m) return undefined;
  const from = Number(m[2]);
  const to = m[3] === undefined ? from : Number(m[3]);
  if (from < 1 || to > 65535 || from > to) return undefined;
  return { proto: m[1] as 'tcp' | 'udp', from, to };
}

/** Parses a source-port range `N-M` (or a single `N`). */
export function parsePortRange(text: string): PortRange | undefined {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from < 0 || to > 65535 || from > to) return undefined;
  return { from, to };
}

const CONFIGURABLE_FACT = PORT_FACTS.find((f) => f.encryption === 'configurable');
/** The first non-configurable fact of each single TCP port (portFact runs once per flow). */
const FACT_BY_TCP_PORT = new Map<number, PortFact>();
for (const f of PORT_FACTS) {
  if (f.encryption !== 'configurable' && f.port.proto === 'tcp' && f.port.from === f.port.to && !FACT_BY_TCP_PORT.has(f.port.from!)) FACT_BY_TCP_PORT.set(f.port.from!, f);
}

export function portFact(p: PortSpec, agentPort: number = DEFAULT_AGENT_PORT): PortFact | undefined {
  if (p.proto === 'tcp' && p.from === agentPort && p.to === agentPort) return CONFIGURABLE_FACT;
  if (p.proto === 'tcp' && p.from === p.to && p.from !== undefined) return FACT_BY_TCP_PORT.get(p.from);
  return PORT_FACTS.find((f) => samePort(f.port, p) && f.encryption !== 'configurable');
}

/** Encryption class of a port that has no settings to consult (all but the agent port and SMB). */
export function staticEncryption(fact: PortFact | undefined): EncryptionClass {
  if (!fact) return 'not-stated';
  if (fact.encryption === 'configurable') return 'encrypted';
  return fact.encryption;
}
