// Plain data types shared by the engine, the CLI, the language server and the renderer.
// Nothing here knows about an editor. Positions are 0-based (LSP style); the CLI converts to 1-based.

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

export interface Position {
  /** 0-based line */
  line: number;
  /** 0-based UTF-16 column */
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Half-open character offsets [start, end) into the document text. */
export interface Span {
  start: number;
  end: number;
}

export interface TextEdit {
  span: Span;
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix an editor applies for "fix all" / the preferred quick fix. */
  isPreferred?: boolean;
}

export interface RelatedInformation {
  message: string;
  span: Span;
  range: Range;
}

export interface Diagnostic {
  rule: string;
  severity: Severity;
  message: string;
  span: Span;
  range: Range;
  related: RelatedInformation[];
  fixes: Fix[];
  /** Id of the flow this diagnostic is about, when it is about a flow. */
  flowId?: string;
}

export type Os = 'windows' | 'linux' | 'virtual-appliance' | 'other';
export type WindowsVersion = 'pre-vista' | 'vista-or-later';
export type EncryptionOption = 'enabled' | 'disabled' | 'required';
export type Proto = 'tcp' | 'udp' | 'icmp';

export interface PortSpec {
  proto: Proto;
  /** first port (absent for icmp) */
  from?: number;
  /** last port, equal to `from` for a single port */
  to?: number;
}

export interface PortRange {
  from: number;
  to: number;
}

/**
 * Encryption class of a flow, after the file's settings are applied.
 * - encrypted: SSH, HTTPS, TLS, or tcp/9876 with compatible settings
 * - unencrypted: plain traffic (tcp/25001, tcp/80, tcp/8080, tcp/9876 with encryption disabled, SMB without encryption)
 * - depends: tcp/445 when the target's File and Printer Sharing encryption is not stated
 * - impossible: tcp/9876 whose client/server settings make the connection impossible
 * - not-stated: the documentation says nothing (tcp/902, ports of stated flows with no fact)
 */
export type EncryptionClass = 'encrypted' | 'unencrypted' | 'depends' | 'impossible' | 'not-stated';

/** A YAML scalar (or other node) together with where it is. */
export interface Located<T> {
  value: T;
  span: Span;
}

export interface Machine {
  name: string;
  /** the key of the machine in `machines:` */
  keySpan: Span;
  /** the whole machine value (the map) */
  valueSpan: Span;
  /** index of the machine in `machines:` (stable order) */
  index: number;
  /** true for the implicit acronis-cloud node */
  implicit?: boolean;
  os?: Located<Os>;
  windowsVersion?: Located<WindowsVersion>;
  address?: Located<string>;
  subnet?: Located<string>;
  components: Located<string>[];
  networkDiscovery?: Located<boolean>;
  fileAndPrinterSharing?: Located<boolean>;
  fileSharingEncryption?: Located<boolean>;
  cloudBackup?: Located<boolean>;
  hosts: HostsEntry[];
  /** span of the `hosts` value when present */
  hostsSpan?: Span;
  port?: Located<number>;
  encryption: { client?: Located<EncryptionOption>; server?: Located<EncryptionOption> };
  /** zone (subnet name, or 'internet') the machine is in, derived from `subnet:` or its address */
  zone?: string;
}

export interface HostsEntry {
  name: Located<string>;
  address: Located<string>;
}

export interface Subnet {
  name: string;
  keySpan: Span;
  cidr?: Located<string>;
}

export interface AllowEntry {
  index: number;
  span: Span;
  from?: Located<string>;
  to?: Located<string>;
  port?: Located<string>;
  portSpec?: PortSpec;
  sourcePorts?: Located<string>;
  sourcePortRange?: PortRange;
}

export interface Firewall {
  index: number;
  span: Span;
  name?: Located<string>;
  between: Located<string>[];
  /** span of the `allow` sequence when present */
  allowSpan?: Span;
  allow: AllowEntry[];
}

export interface StatedConnection {
  index: number;
  span: Span;
  from?: Located<string>;
  to?: Located<string>;
  port?: Located<string>;
  portSpec?: PortSpec;
}

export interface Topology {
  version?: Located<unknown>;
  title?: string;
  product: '11.5' | '11.7';
  dns: boolean;
  dnsSpan?: Span;
  subnets: Map<string, Subnet>;
  firewalls: Firewall[];
  machines: Map<string, Machine>;
  management?: {
    span: Span;
    server?: Located<string>;
    registerBy: 'name' | 'address';
    registerBySpan?: Span;
    port?: Located<number>;
    encryption: { client?: Located<EncryptionOption>; server?: Located<EncryptionOption> };
  };
  installation?: {
    span: Span;
    from?: Located<string>;
    to: Located<string>[];
  };
  connections: StatedConnection[];
  /** per-file severities from `rules:` */
  rules: Map<string, Located<SeveritySetting>>;
}

export type View = 'installation' | 'communication';

export interface Flow {
  /** stable id: `${catalogue}:${initiator}>${destination}:${port}` (stated flows: `stated#${index}`) */
  id: string;
  kind: 'derived' | 'stated';
  /** catalogue id (RI-*, CC-*, OT-*); undefined for an undocumented stated flow */
  catalogue?: string;
  /** documentation label of the purpose */
  purpose: string;
  initiator: string;
  destination: string;
  port: PortSpec;
  /** `tcp/9876`, `udp/67-69`, `icmp` */
  portLabel: string;
  encryption: EncryptionClass;
  /** why the encryption class is what it is (documentation note or matrix result) */
  encryptionNote: string;
  /** ephemeral source-port range of the initiator's OS; undefined when the OS is not known */
  sourcePorts?: PortRange;
  view: View;
  /** the node that caused the flow: where diagnostics about it start */
  origin: Span;
  /** for a stated flow: the derived flow it is identical to */
  sameAs?: string;
  /** firewall verdict, filled by the firewall evaluation */
  blockedBy?: { firewall: number; nearMiss?: { firewall: number; entry: number } }[];
}

export interface RuleMeta {
  id: string;
  defaultSeverity: Severity;
  /** one-line summary */
  title: string;
  /** markdown: what the rule means and why (quoting the documentation) */
  description: string;
  /** markdown: how to fix it */
  howToFix: string;
  /** catalogue ids this rule is about */
  catalogue: string[];
}

export interface CheckOptions {
  /** severities set by the caller (workspace settings, CLI); the file's `rules:` win over these */
  rules?: Record<string, SeveritySetting>;
  /** file name, only used in messages */
  fileName?: string;
  /** documents larger than this get one diagnostic and are not checked (default 5 MiB, DEFAULT_MAX_BYTES) */
  maxBytes?: number;
  /**
   * false: the diagnostics come without quick fixes (`fixes` empty), and the rules do not compute the
   * ones they make on demand (Report.fixes): the CLI's text and JSON output show none. The alias budget
   * is then not spent on them either. Default true.
   *
   * 'deferred' (the language server): the fixes a rule makes on demand are made later, by
   * settleFixes(result) — the incremental checker's next update, prepare() or settle() —, and their
   * diagnostics' `fixes` are empty until then; the others are made as usual. The diagnostics come
   * sooner; whoever reads the fixes settles first. A fix that throws then leaves its diagnostic
   * without fixes (settleFixes returns the error) instead of failing its rule. The text must not be
   * parsed again in between: the fixes read the result's AST.
   */
  fixes?: boolean | 'deferred';
}

export interface CheckResult {
  diagnostics: Diagnostic[];
  topology: Topology;
  flows: Flow[];
}
