// Builds the typed topology from the YAML AST. Tolerant: a value of the wrong type is left out of the
// model (the schema rule reports it), so every later stage sees only well-typed data with its spans.
import ipaddr from 'ipaddr.js';
import { isMap } from './yaml-lib';
import { COMPONENT_BY_ID, parsePort, parsePortRange } from './facts';
import type { AnyNode, AstReader } from './yaml-ast';
import { spanOf } from './yaml-ast';
import schemaJson from '../../schemas/acrotopo.schema.json';
import type {
  AllowEntry,
  HostsEntry,
  EncryptionOption,
  Firewall,
  Located,
  Machine,
  SeveritySetting,
  Span,
  StatedConnection,
  Subnet,
  Topology,
} from './types';

export const INTERNET_ZONE = 'internet';
export const IMPLICIT_CLOUD = 'acronis-cloud';

/** A node that no machine entry declares, in the `internet` zone: the implicit `acronis-cloud`, or `internet` itself. */
export function implicitMachine(name: string, components: string[]): Machine {
  const none: Span = { start: 0, end: 0 };
  const m = newMachine(name, none, none, -1);
  m.implicit = true;
  for (const value of components) m.components.push({ value, span: none });
  m.zone = INTERNET_ZONE;
  return m;
}

/**
 * Every field of a Machine, in the one order every machine has them (MACHINE_KEYS): absent ones are
 * undefined (JSON, which the tests compare topologies by, leaves them out). One shape for all
 * machines keeps their property reads monomorphic in the stages and rules; with a shape per set of
 * keys an entry happened to have (eight common ones in the benchmark files), code optimized for some
 * was thrown away when an edit brought another (a second network.dns toggle at 1,000 machines took
 * twice the first).
 */
export const MACHINE_KEYS = [
  'name', 'keySpan', 'valueSpan', 'index', 'implicit', 'os', 'windowsVersion', 'address', 'subnet', 'components', 'networkDiscovery',
  'fileAndPrinterSharing', 'fileSharingEncryption', 'cloudBackup', 'hosts', 'hostsSpan', 'port', 'encryption', 'zone',
] as const;

function newMachine(name: string, keySpan: Span, valueSpan: Span, index: number): Machine {
  return {
    name,
    keySpan,
    valueSpan,
    index,
    implicit: undefined,
    os: undefined,
    windowsVersion: undefined,
    address: undefined,
    subnet: undefined,
    components: [],
    networkDiscovery: undefined,
    fileAndPrinterSharing: undefined,
    fileSharingEncryption: undefined,
    cloudBackup: undefined,
    hosts: [],
    hostsSpan: undefined,
    port: undefined,
    encryption: { client: undefined, server: undefined },
    zone: undefined,
  };
}

const OSES = ['windows', 'linux', 'virtual-appliance', 'other'] as const;
const WINVER = ['pre-vista', 'vista-or-later'] as const;
const ENC = ['enabled', 'disabled', 'required'] as const;
const SEVERITIES = ['error', 'warning', 'info', 'off'] as const;

const EMPTY: Span = { start: 0, end: 0 };

/** The reader's answers are fresh `{ value, span }` objects: they are the model's Located values as they are. */
function loc<T>(x: { value: T; span: Span } | undefined): Located<T> | undefined {
  return x;
}

function readEncryption(r: AstReader, node: AnyNode | undefined) {
  const out: { client?: Located<EncryptionOption>; server?: Located<EncryptionOption> } = { client: undefined, server: undefined };
  if (!node) return out;
  out.client = loc(r.oneOf(r.get(node, 'client')?.value, ENC));
  out.server = loc(r.oneOf(r.get(node, 'server')?.value, ENC));
  return out;
}

function readMachine(r: AstReader, name: string, keySpan: Span, value: AnyNode | undefined, index: number): Machine {
  const m = newMachine(name, keySpan, spanOf(r.deref(value)) ?? keySpan, index);
  if (!value || !r.isMap(value)) return m;
  r.forEachPair(value, (key, v, keyNode) => readMachineKey(r, m, key, v, keyNode));
  return m;
}

/** One key of a machine entry, read into m (readMachine: each pair in order, as pairs() lists them). */
function readMachineKey(r: AstReader, m: Machine, key: string, v: AnyNode | undefined, keyNode: AnyNode): void {
  switch (key) {
    case 'os': m.os = loc(r.oneOf(v, OSES)); break;
    case 'windows-version': m.windowsVersion = loc(r.oneOf(v, WINVER)); break;
    case 'address': m.address = loc(r.string(v)); break;
    case 'subnet': m.subnet = loc(r.string(v)); break;
    case 'components': {
      // (the list is copied exactly sized at the end: one grown by push keeps room for 16)
      const components = m.components;
      for (const item of r.items(v)) {
        const s = r.string(item);
        if (!s) continue;
        // A known component's id is the catalogue's own string (the same value): the rules look
        // components up by it per machine and per flow, and a Map lookup with a string cut from the
        // document compares the characters on every hit (~0.4 µs), with the same string the pointers.
        const known = COMPONENT_BY_ID.get(s.value);
        if (known) s.value = known.id;
        components.push(s);
      }
      m.components = components.slice();
      break;
    }
    case 'network-discovery': m.networkDiscovery = loc(r.bool(v)); break;
    case 'file-and-printer-sharing': m.fileAndPrinterSharing = loc(r.bool(v)); break;
    case 'file-sharing-encryption': m.fileSharingEncryption = loc(r.bool(v)); break;
    case 'cloud-backup': m.cloudBackup = loc(r.bool(v)); break;
    case 'port': m.port = loc(r.int(v)); break;
    case 'encryption': m.encryption = readEncryption(r, v); break;
    case 'hosts': {
      // an empty `hosts:` has a zero-length null node: point at the key instead
      const hs = spanOf(r.deref(v));
      m.hostsSpan = hs && hs.end > hs.start ? hs : (spanOf(keyNode) ?? { start: 0, end: 0 });
      r.forEachPair(v, (name, value, nameNode) => {
        const addr = r.string(value);
        if (addr) m.hosts.push({ name: { value: name, span: spanOf(nameNode) ?? { start: 0, end: 0 } }, address: addr });
      });
      m.hosts = m.hosts.slice(); // exactly sized (components)
      break;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Machines again, for the incremental checker (incremental.ts). It hands over the same key and value
// node objects for a machine entry whose text did not change; when the entry moved, all its nodes'
// ranges moved by the same distance. So the Machine read last time is the answer again, with every
// span moved by the distance its key moved. Entries that dereferenced an alias are not kept (the
// alias budget must be spent on every check).

interface MachineMemo {
  value: unknown;
  keyStart: number;
  m: Machine;
}
const machineMemo = new WeakMap<object, MachineMemo>();

const movedSpan = (s: Span, d: number): Span => ({ start: s.start + d, end: s.end + d });
const movedLocated = <T>(x: Located<T> | undefined, d: number): Located<T> | undefined => (x === undefined ? undefined : { value: x.value, span: movedSpan(x.span, d) });

/**
 * A copy of m with `index` and every span moved by delta (delta 0: the same field objects). Used by
 * the memo below, and for a topology moved through an edit (reuse.ts, MovedMachines): tens of
 * thousands at a time, so written out, field by field in MACHINE_KEYS order (a test moves the
 * examples' machines with it and with a generic deep copy that moves every span: a field added to
 * Machine and not here fails it).
 */
export function movedMachine(m: Machine, delta: number, index = m.index): Machine {
  if (delta === 0) return copyMachine(m, index);
  // (arrays filled by push, as readMachine's: packed, not the holey arrays new Array(n) makes — code
  // optimized for one kind was thrown away when the other came, on every second network.dns toggle)
  const cs = m.components;
  const components: Located<string>[] = [];
  for (let i = 0; i < cs.length; i++) components.push(movedLocated(cs[i], delta)!);
  const hs = m.hosts;
  const hosts: HostsEntry[] = [];
  for (let i = 0; i < hs.length; i++) hosts.push({ name: movedLocated(hs[i].name, delta)!, address: movedLocated(hs[i].address, delta)! });
  return {
    name: m.name,
    keySpan: movedSpan(m.keySpan, delta),
    valueSpan: movedSpan(m.valueSpan, delta),
    index,
    implicit: m.implicit,
    os: movedLocated(m.os, delta),
    windowsVersion: movedLocated(m.windowsVersion, delta),
    address: movedLocated(m.address, delta),
    subnet: movedLocated(m.subnet, delta),
    components,
    networkDiscovery: movedLocated(m.networkDiscovery, delta),
    fileAndPrinterSharing: movedLocated(m.fileAndPrinterSharing, delta),
    fileSharingEncryption: movedLocated(m.fileSharingEncryption, delta),
    cloudBackup: movedLocated(m.cloudBackup, delta),
    hosts,
    hostsSpan: m.hostsSpan === undefined ? undefined : movedSpan(m.hostsSpan, delta),
    port: movedLocated(m.port, delta),
    encryption: { client: movedLocated(m.encryption.client, delta), server: movedLocated(m.encryption.server, delta) },
    zone: m.zone,
  };
}

/**
 * A copy of m with the same field objects (and `index`), written out as newMachine's literal: object
 * spread gives another hidden class, and code optimized for the machines' one was thrown away when
 * such a copy came by.
 */
export function copyMachine(m: Machine, index = m.index): Machine {
  return {
    name: m.name,
    keySpan: m.keySpan,
    valueSpan: m.valueSpan,
    index,
    implicit: m.implicit,
    os: m.os,
    windowsVersion: m.windowsVersion,
    address: m.address,
    subnet: m.subnet,
    components: m.components,
    networkDiscovery: m.networkDiscovery,
    fileAndPrinterSharing: m.fileAndPrinterSharing,
    fileSharingEncryption: m.fileSharingEncryption,
    cloudBackup: m.cloudBackup,
    hosts: m.hosts,
    hostsSpan: m.hostsSpan,
    port: m.port,
    encryption: m.encryption,
    zone: m.zone,
  };
}

/**
 * The machines of a topology to test, in their order, with the values they have in it: t.machines'
 * own, or — for machines moved through edits (the incremental checker's) — each as it was read, not
 * moved, so that its spans may be those of an earlier text. A rule that tests every machine and
 * reports on few iterates these and takes the machine it reports on from t.machines (get) before it
 * reads a span; moving 10,000 machines to test each is what it saves.
 */
export function machineValues(machines: ReadonlyMap<string, Machine>): Iterable<Machine> {
  const unmoved = (machines as { unmoved?: () => Iterable<Machine> }).unmoved;
  return typeof unmoved === 'function' ? unmoved.call(machines) : machines.values();
}

/**
 * One machine entry read as buildTopology reads it, through the memo (its zone is assigned apart:
 * assignZones); the delta check (delta.ts) reads the edited entry with it.
 */
export function machineOf(r: AstReader, name: string, keyNode: AnyNode, keySpan: Span, value: AnyNode | undefined, index: number): Machine {
  const keyRange = (keyNode as { range?: [number, number, number] }).range;
  const memo = machineMemo.get(keyNode);
  if (memo && memo.value === value && keyRange && memo.m.name === name) {
    return movedMachine(memo.m, keyRange[0] - memo.keyStart, index);
  }
  const before = r.budget.remaining;
  const m = readMachine(r, name, keySpan, value, index);
  if (keyRange && r.budget.remaining === before) machineMemo.set(keyNode, { value, keyStart: keyRange[0], m: copyMachine(m) });
  return m;
}

/**
 * The topology of the document. `machines`, when given, is taken as the machines (and their zones)
 * instead of reading `machines:` — the delta check (delta.ts) passes the last text's, moved, with the
 * edited entry read again (machineOf, assignZones).
 */
export function buildTopology(r: AstReader, machines?: Map<string, Machine>): Topology {
  const root = r.deref(r.doc.contents);
  const t: Topology = {
    product: '11.7',
    dns: true,
    subnets: new Map(),
    firewalls: [],
    machines: new Map(),
    connections: [],
    rules: new Map(),
  };
  if (!root || !isMap(root)) return t;
  const top = new Map(r.pairs(root).map((p) => [p.key, p]));

  const version = top.get('acrotopo');
  if (version) t.version = { value: r.scalar(version.value)?.value, span: spanOf(version.value) ?? version.keySpan };
  t.title = r.string(top.get('title')?.value)?.value;
  const product = r.oneOf(top.get('product')?.value, ['11.5', '11.7'] as const);
  if (product) t.product = product.value;

  // network
  const network = top.get('network')?.value;
  if (network) {
    const dns = r.bool(r.get(network, 'dns')?.value);
    if (dns) { t.dns = dns.value; t.dnsSpan = dns.span; }
    for (const p of r.pairs(r.get(network, 'subnets')?.value)) {
      const subnet: Subnet = { name: p.key, keySpan: p.keySpan, cidr: loc(r.string(p.value)) };
      t.subnets.set(p.key, subnet);
    }
    r.items(r.get(network, 'firewalls')?.value).forEach((fwNode, index) => {
      const fw: Firewall = { index, span: spanOf(r.deref(fwNode)) ?? EMPTY, between: [], allow: [] };
      fw.name = loc(r.string(r.get(fwNode, 'name')?.value));
      for (const z of r.items(r.get(fwNode, 'between')?.value)) {
        const s = r.string(z);
        if (s) fw.between.push(s);
      }
      const allow = r.get(fwNode, 'allow')?.value;
      fw.allowSpan = spanOf(r.deref(allow));
      r.items(allow).forEach((aNode, ai) => {
        const a: AllowEntry = { index: ai, span: spanOf(r.deref(aNode)) ?? EMPTY };
        a.from = loc(r.string(r.get(aNode, 'from')?.value));
        a.to = loc(r.string(r.get(aNode, 'to')?.value));
        a.port = loc(r.string(r.get(aNode, 'port')?.value));
        if (a.port) a.portSpec = parsePort(a.port.value);
        const sp = r.scalar(r.get(aNode, 'source-ports')?.value);
        if (sp && (typeof sp.value === 'string' || typeof sp.value === 'number')) {
          a.sourcePorts = { value: String(sp.value), span: sp.span };
          a.sourcePortRange = parsePortRange(String(sp.value));
        }
        fw.allow.push(a);
      });
      t.firewalls.push(fw);
    });
  }

  // machines
  if (machines) t.machines = machines;
  else {
    let index = 0;
    for (const p of r.pairs(top.get('machines')?.value)) {
      if (t.machines.has(p.key)) continue; // duplicate key: yaml-syntax reports it
      t.machines.set(p.key, machineOf(r, p.key, p.keyNode, p.keySpan, p.value, index++));
    }
  }

  // management
  const mg = top.get('management');
  if (mg && mg.value && r.isMap(mg.value)) {
    const v = mg.value;
    const rb = r.oneOf(r.get(v, 'register-by')?.value, ['name', 'address'] as const);
    t.management = {
      span: spanOf(r.deref(v)) ?? mg.keySpan,
      server: loc(r.string(r.get(v, 'server')?.value)),
      registerBy: rb?.value ?? 'name',
      registerBySpan: rb?.span,
      port: loc(r.int(r.get(v, 'port')?.value)),
      encryption: readEncryption(r, r.get(v, 'encryption')?.value),
    };
  }

  // installation
  const inst = top.get('installation');
  if (inst && inst.value && r.isMap(inst.value)) {
    const v = inst.value;
    const to: Located<string>[] = [];
    const toNode = r.get(v, 'to')?.value;
    if (r.isSeq(toNode)) {
      for (const item of r.items(toNode)) {
        const s = r.string(item);
        if (s) to.push(s);
      }
    } else {
      const single = r.string(toNode);
      if (single) to.push(single);
    }
    t.installation = { span: inst.keySpan, from: loc(r.string(r.get(v, 'from')?.value)), to };
  }

  // connections
  r.items(top.get('connections')?.value).forEach((cNode, index) => {
    const c: StatedConnection = { index, span: spanOf(r.deref(cNode)) ?? EMPTY };
    c.from = loc(r.string(r.get(cNode, 'from')?.value));
    c.to = loc(r.string(r.get(cNode, 'to')?.value));
    c.port = loc(r.string(r.get(cNode, 'port')?.value));
    if (c.port) c.portSpec = parsePort(c.port.value);
    t.connections.push(c);
  });

  // rules
  for (const p of r.pairs(top.get('rules')?.value)) {
    const s = r.oneOf(p.value, SEVERITIES);
    if (s) t.rules.set(p.key, { value: s.value as SeveritySetting, span: s.span });
  }

  if (!machines) assignZones(t);
  return t;
}

// ---------------------------------------------------------------------------------------------
// Zones: the subnet a machine is in, from `subnet:` or from its address (longest prefix wins).

interface ParsedCidr {
  name: string;
  addr: ipaddr.IPv4 | ipaddr.IPv6;
  bits: number;
}

// An address or CIDR the schema rejects (`fe80::1%eth0` with a zone id, octal `010.0.0.1`, hex
// `0x0a.0.0.1`, `10.0.0.0/024`) is not one here either: ipaddr.js reads such forms, and the machine
// would get a zone — and rules would report on it — while the schema says the value is invalid. The
// schema's own patterns decide, so there is one verdict per value.
const DEFINITIONS = (schemaJson as unknown as { definitions: Record<string, { pattern?: string }> }).definitions;
const ADDRESS_RE = new RegExp(DEFINITIONS.ipAddress.pattern ?? '^$', 'u');
const CIDR_RE = new RegExp(DEFINITIONS.cidr.pattern ?? '^$', 'u');

/** parseCidr's answers by text (subnets are parsed again on every check; ipaddr.js tries IPv6 first and throws): bounded */
const cidrMemo = new Map<string, { addr: ipaddr.IPv4 | ipaddr.IPv6; bits: number } | undefined>();

export function parseCidr(text: string): { addr: ipaddr.IPv4 | ipaddr.IPv6; bits: number } | undefined {
  if (cidrMemo.has(text)) return cidrMemo.get(text);
  let out: { addr: ipaddr.IPv4 | ipaddr.IPv6; bits: number } | undefined;
  if (CIDR_RE.test(text)) {
    try {
      const [addr, bits] = ipaddr.parseCIDR(text);
      out = { addr, bits };
    } catch {
      out = undefined;
    }
  }
  if (cidrMemo.size >= 4096) cidrMemo.clear();
  cidrMemo.set(text, out);
  return out;
}

export function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (!ADDRESS_RE.test(text)) return undefined;
  try {
    return ipaddr.parse(text);
  } catch {
    return undefined;
  }
}

// Fast path for the common form, plain dotted-decimal IPv4 (`10.20.0.5`, `10.20.0.0/24`): read as a
// 32-bit number without ipaddr.js (whose parseCIDR tries IPv6 first and throws). Every other form goes
// through parseAddress/parseCidr: the schema's pattern, then ipaddr.js; so results are the same.

/** A dotted-decimal IPv4 address without leading zeros as an unsigned 32-bit number, else undefined. */
export function dottedQuad(text: string): number | undefined {
  let value = 0;
  let parts = 0;
  let i = 0;
  const n = text.length;
  while (parts < 4) {
    const start = i;
    let octet = 0;
    while (i < n && i - start < 4) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      octet = octet * 10 + (c - 48);
      i++;
    }
    const len = i - start;
    if (len === 0 || len > 3 || octet > 255 || (len > 1 && text.charCodeAt(start) === 48)) return undefined;
    value = value * 256 + octet;
    parts++;
    if (parts < 4) {
      if (text.charCodeAt(i) !== 46) return undefined; // '.'
      i++;
    }
  }
  return i === n ? value : undefined;
}

/** `a.b.c.d/bits` with a dotted-quad address and 0 ≤ bits ≤ 32 (the prefix as a number), else undefined. */
function dottedQuadCidr(text: string): { net: number; bits: number } | undefined {
  const slash = text.lastIndexOf('/');
  if (slash < 0 || slash === text.length - 1) return undefined;
  for (let i = slash + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  if (text.length - slash > 2 && text.charCodeAt(slash + 1) === 48) return undefined; // `/024`: not schema-valid
  const bits = parseInt(text.slice(slash + 1), 10);
  if (!(bits >= 0 && bits <= 32)) return undefined;
  const net = dottedQuad(text.slice(0, slash));
  return net === undefined ? undefined : { net, bits };
}

/** The first `bits` bits (0–32) of an IPv4 number. */
function ipv4Prefix(a: number, bits: number): number {
  return bits === 0 ? 0 : Math.floor(a / 2 ** (32 - bits));
}

/** Are the first `bits` bits of two IPv4 numbers equal (ipaddr's IPv4 match)? */
function sameIpv4Prefix(a: number, b: number, bits: number): boolean {
  return ipv4Prefix(a, bits) === ipv4Prefix(b, bits);
}

export function inCidr(address: string, cidr: string): boolean | undefined {
  const a4 = dottedQuad(address);
  const c4 = a4 === undefined ? undefined : dottedQuadCidr(cidr);
  if (a4 !== undefined && c4) return sameIpv4Prefix(a4, c4.net, c4.bits);
  const a = parseAddress(address);
  const c = parseCidr(cidr);
  if (!a || !c) return undefined;
  if (a.kind() !== c.addr.kind()) return false;
  return a.match(c.addr, c.bits);
}

/** Sets the zone of each of `machines` (default: all of t's) from the subnets of `t`. */
export function assignZones(t: Topology, machines: Iterable<Machine> = t.machines.values()): void {
  const cidrs: ParsedCidr[] = [];
  for (const s of t.subnets.values()) {
    if (!s.cidr) continue;
    const c = parseCidr(s.cidr.value);
    if (c) cidrs.push({ name: s.name, ...c });
  }
  cidrs.sort((a, b) => b.bits - a.bits);
  // IPv4 subnets by prefix length (longest first) and prefix: an IPv4 address finds its subnet with one
  // lookup per prefix length instead of a test per subnet. Within a length the first subnet (in the
  // sorted order) wins, as in the scan.
  const v4Levels: { bits: number; byPrefix: Map<number, string> }[] = [];
  for (const c of cidrs) {
    if (c.addr.kind() !== 'ipv4') continue;
    let level = v4Levels[v4Levels.length - 1];
    if (!level || level.bits !== c.bits) v4Levels.push((level = { bits: c.bits, byPrefix: new Map() }));
    const prefix = ipv4Prefix(dottedQuad(c.addr.toString())!, c.bits);
    if (!level.byPrefix.has(prefix)) level.byPrefix.set(prefix, c.name);
  }
  for (const m of machines) {
    if (m.subnet) {
      // (the subnet's own name string when declared: zones are compared and looked up per flow)
      m.zone = t.subnets.get(m.subnet.value)?.name ?? m.subnet.value;
      continue;
    }
    if (!m.address) continue;
    let zone: string | undefined;
    const a4 = dottedQuad(m.address.value);
    if (a4 !== undefined) {
      for (const level of v4Levels) {
        zone = level.byPrefix.get(ipv4Prefix(a4, level.bits));
        if (zone !== undefined) break;
      }
    } else {
      const a = parseAddress(m.address.value);
      if (!a) continue;
      for (const c of cidrs) {
        if (c.addr.kind() === a.kind() && a.match(c.addr, c.bits)) { zone = c.name; break; }
      }
    }
    m.zone = zone;
  }
}

/** The machine's effective agent port (its own `port:`, else `management.port`, else the default). */
export function agentPort(t: Topology, m: Machine | undefined, fallback: number): number {
  return m?.port?.value ?? t.management?.port?.value ?? fallback;
}
