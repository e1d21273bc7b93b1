// The delta check: after an edit inside one machine entry or one top-level section, only what can
// depend on the edit is computed again, and the other diagnostics of the last result are kept (moved
// through the edit). The answer is check()'s — `engine/test/delta.test.ts` compares the two on random
// edit sequences — or a string saying why not, and the caller runs check(). docs/architecture.md
// ("Delta check") says why this is sound and where it stops.
//
// How, for an edit inside machine M (or of installation items, or of stated connections): the stages
// and the rules run on a *sub-topology* — the dirty machines (M and those whose hosts entries name it;
// the machines changed items name) and the hubs (machines with a component others connect to or from,
// and those the sections outside `machines:` name) — once on the last text's topology and once on the
// new one. Lookups by name see every machine; iteration sees the sub-run's; only the dirty machines'
// flows (and those between the ends of a changed stated connection) reach the firewalls and the rules.
// Everything about the dirty machines is then in both runs, and whatever else they find is found the
// same in both, as it does not depend on them. So, as multisets of diagnostics keyed by diagnosticKey:
//
//     new full = old full − old sub + new sub
//
// A rule that aggregates over other machines' flows (Rule.touches) makes it decline when a dirty flow
// is in one of its aggregates. For a section edit that only rules read (network.dns), the rules that
// read what changed (check() records it: readsOf) run again on the whole topology instead.
import { compareDiagnostics, diagnosticKey, INTERNAL_ERROR, recordingView, runRules, setDuplicates, setFile, setPendingFixes, setReads, TOPOLOGY_FIELDS } from './check';
import type { PendingFix } from './check';
import type { Reads, RuleInputs } from './check';
import { evaluateFirewalls, noFirewall } from './firewall';
import { deriveFlows } from './flows';
import { COMPONENT_BY_ID } from './facts';
import { assignZones, buildTopology, IMPLICIT_CLOUD, INTERNET_ZONE, machineOf, machineValues } from './model';
import type { DeltaScope, Rule } from './rule';
import { RULES } from './rules/index';
import { diagnosticMover, isSpan, mapper, mapSpan, MovedMachines, NoMap } from './reuse';
import type { OffsetMap, TextEditSpan } from './reuse';
import { validateSchemaPart } from './schema';
import { SourceFile } from './source';
import { checkedFlows, classifyStated, noStated } from './stated';
import { suppressions } from './suppress';
import type { CheckOptions, CheckResult, Diagnostic, Flow, Machine, Span, Topology } from './types';
import { AliasBudget, AstReader, spanOf } from './yaml-ast';
import type { AnyNode } from './yaml-ast';
import type { ParsedYaml } from './yaml-ast';

/** What a delta check starts from: a checked text, with what its check computed. */
export interface DeltaBase {
  text: string;
  file: SourceFile;
  sup: Map<number, Set<string>>;
  t: Topology;
  /** check()'s diagnostics for `text` */
  diagnostics: readonly Diagnostic[];
  /** how many reports each diagnosticKey had before check() dropped the duplicates, where more than one */
  duplicates: ReadonlyMap<string, number>;
  /** what the stages and the rules of its check read (check.ts, Reads) */
  reads: Reads;
  /** JSON of the check options */
  options: string;
  /** the hubs and who names whom in hosts entries (indexOf: made when first needed, then carried over) */
  index?: MachineIndex;
}

/** What a delta check looks up about the machines without going through all of them. */
interface MachineIndex {
  /** the hubs (isHub) */
  hubs: ReadonlySet<string>;
  /** name → the machines whose hosts entries name it */
  namedBy: ReadonlyMap<string, readonly string[]>;
  /** zone → the machines in it (a firewall edit makes the flows between its zones dirty) */
  byZone: ReadonlyMap<string, readonly string[]>;
}

/** Makes the base's index now (the incremental checker's prepare()); false when it was made. */
export function prepareBase(base: DeltaBase): boolean {
  if (base.index) return false;
  indexOf(base);
  return true;
}

function indexOf(base: DeltaBase): MachineIndex {
  if (base.index) return base.index;
  const hubs = new Set<string>();
  const namedBy = new Map<string, string[]>();
  const byZone = new Map<string, string[]>();
  // (names, components, zones and hosts names: the machines as read do — machineValues)
  for (const m of machineValues(base.t.machines)) {
    if (isHub(m)) hubs.add(m.name);
    if (m.zone !== undefined) {
      const list = byZone.get(m.zone);
      if (!list) byZone.set(m.zone, [m.name]);
      else list.push(m.name);
    }
    for (const h of m.hosts) {
      const list = namedBy.get(h.name.value);
      if (!list) namedBy.set(h.name.value, [m.name]);
      else if (list[list.length - 1] !== m.name) list.push(m.name);
    }
  }
  return (base.index = { hubs, namedBy, byZone });
}

/** The index after the machines `before` (none a hub) were replaced by `after` (none a hub): edited, renamed, added or removed. */
function afterMachinesEdit(index: MachineIndex, before: readonly Machine[], after: readonly Machine[]): MachineIndex {
  let { namedBy, byZone } = index;
  const hostsOf = (ms: readonly Machine[]) => ms.map((m) => [...new Set(m.hosts.map((h) => h.name.value))].sort().join('\n')).join('\t');
  const namesOf = (ms: readonly Machine[]) => ms.map((m) => m.name).join('\t');
  const zonesOf = (ms: readonly Machine[]) => ms.map((m) => m.zone ?? '').join('\t');
  const renamed = namesOf(before) !== namesOf(after);
  if (renamed || hostsOf(before) !== hostsOf(after)) {
    const m = new Map(namedBy);
    for (const x of before) for (const h of x.hosts) m.set(h.name.value, (m.get(h.name.value) ?? []).filter((n) => n !== x.name));
    for (const x of after) for (const h of x.hosts) m.set(h.name.value, [...(m.get(h.name.value) ?? []).filter((n) => n !== x.name), x.name]);
    namedBy = m;
  }
  if (renamed || zonesOf(before) !== zonesOf(after)) {
    const z = new Map(byZone);
    for (const x of before) if (x.zone !== undefined) z.set(x.zone, (z.get(x.zone) ?? []).filter((n) => n !== x.name));
    for (const x of after) if (x.zone !== undefined) z.set(x.zone, [...(z.get(x.zone) ?? []).filter((n) => n !== x.name), x.name]);
    byZone = z;
  }
  return namedBy === index.namedBy && byZone === index.byZone ? index : { hubs: index.hubs, namedBy, byZone };
}

/**
 * The zones between which a firewall changed: those in the `between` of each firewall that differs
 * (by place, positions aside) between the two lists, old and new.
 */
function changedFirewallZones(a: Topology['firewalls'], b: Topology['firewalls'], map: OffsetMap): Set<string> {
  const zones = new Set<string>();
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = movedJson(a[i], map);
    if (x !== undefined && x === movedJson(b[i])) continue;
    for (const fw of [a[i], b[i]]) for (const z of fw?.between ?? []) zones.add(z.value);
  }
  return zones;
}

/** Rules run in full on the new text, never in a sub-run: yaml-syntax, whose input is the document. */
const WHOLE = new Set(['yaml-syntax']);
/** The schema rule: its problems are local to an entry or section (validateSchemaPart), so those of the edited chunk are found again. */
const SCHEMA = 'schema';
const SUB_RULES: readonly Rule[] = RULES.filter((r) => !WHOLE.has(r.id) && r.id !== SCHEMA);
const WHOLE_RULES: readonly Rule[] = RULES.filter((r) => WHOLE.has(r.id) || r.id === SCHEMA);
/** What a rule reads when its reports can depend on the firewalls: them, their verdicts, or the flows (marked `blockedBy`). */
const FIREWALL_READS = ['firewalls', '@firewall', '@flows'];
/** The rule inputs the stages give (Reads: `@name`): a rule run outside a sub-run must not read them. */
const STAGE_INPUTS = new Set(['@flows', '@derived', '@stated', '@firewall']);

/** Components with a role other machines connect to or from (a machine with one is a hub: in every sub-topology). */
const HUB_COMPONENTS = new Set([...COMPONENT_BY_ID.values()].filter((c) => c.roles.some((r) => r !== 'agent' && r !== 'vmware-agent')).map((c) => c.id));

function isHub(m: Machine): boolean {
  for (let i = 0; i < m.components.length; i++) if (HUB_COMPONENTS.has(m.components[i].value)) return true;
  return false; // (a machine that backs up to the cloud only initiates: its flows are its own)
}

/** Machine names the sections outside `machines:` give (management, installer, firewalls, connections). */
function namedOutside(t: Topology): Set<string> {
  const out = new Set<string>();
  if (t.management?.server) out.add(t.management.server.value);
  if (t.installation?.from) out.add(t.installation.from.value);
  for (const fw of t.firewalls) {
    for (const a of fw.allow) {
      if (a.from) out.add(a.from.value);
      if (a.to) out.add(a.to.value);
    }
  }
  for (const c of t.connections) {
    if (c.from) out.add(c.from.value);
    if (c.to) out.add(c.to.value);
  }
  return out;
}

/**
 * The machines of `t` a sub-run iterates (values, entries, forEach, for…of), in their order. Lookups
 * by name (`get`, `has`), `keys()` (every declared name: the lists and suggestions of unknown-reference)
 * and `size` (flows.ts numbers declared machines by index) are those of all machines.
 */
class SubMachines extends Map<string, Machine> {
  constructor(private readonly all: Map<string, Machine>, names: ReadonlySet<string>) {
    super();
    const chosen: Machine[] = [];
    for (const name of names) {
      const m = all.get(name);
      if (m) chosen.push(m);
    }
    chosen.sort((a, b) => a.index - b.index);
    for (const m of chosen) super.set(m.name, m);
  }
  override get(name: string): Machine | undefined {
    return this.all.get(name);
  }
  override has(name: string): boolean {
    return this.all.has(name);
  }
  override keys(): MapIterator<string> {
    return this.all.keys();
  }
  override get size(): number {
    return this.all.size;
  }
}

class Fallback extends Error {}

/** The stages and the topology rules on the machines `names` of `t` (see the top of the file). */
function subRun(t: Topology, names: ReadonlySet<string>, dirty: ReadonlySet<string>, dirtyPair: (initiator: string, destination: string) => boolean, inputs: Pick<RuleInputs, 'file' | 'reader'>, o: { options: CheckOptions; sup: Map<number, Set<string>>; textLength: number; file: SourceFile; noFixes: boolean; defer?: PendingFix[]; record?: Map<string, Set<string>>; stageReads?: Set<string>; rules: readonly Rule[]; scope: DeltaScope }): Diagnostic[] {
  // Installation items naming a machine outside the sub-run give the same reports in both runs (each
  // item's flows and reports are its own): they are left out of both.
  const inst = t.installation && { ...t.installation, to: t.installation.to.filter((item) => names.has(item.value) || !t.machines.has(item.value)) };
  const plain: Topology = { ...t, machines: new SubMachines(t.machines, names), installation: inst };
  const sub = o.stageReads ? recordingView(plain, TOPOLOGY_FIELDS, o.stageReads) : plain;
  // Flows between two clean machines (hubs, mostly) are the same in both runs: only those of a dirty
  // machine go on, and the rules iterate the dirty machines only (lookups still see every machine).
  const derived = deriveFlows(sub, dirtyPair);
  const stated = classifyStated(sub, derived);
  const flows = checkedFlows(derived, stated);
  const firewall = evaluateFirewalls(sub, flows);
  const forRules: Topology = { ...plain, machines: new SubMachines(t.machines, dirty) }; // (not a spread of the recording view: that would read every field)
  return runRules({ ...inputs, t: forRules, flows, derived, stated, firewall, syntax: [], schema: [] }, o.rules, {
    ...o,
    onError: (rule, e) => {
      throw e instanceof Fallback ? e : new Fallback(`rule ${rule} threw in a sub-run: ${e instanceof Error ? e.message : String(e)}`);
    },
    after: (rule, ctx) => {
      if (rule.touches?.(ctx, (f) => dirtyPair(f.initiator, f.destination), o.scope)) throw new Fallback(`${rule.id} aggregates over an edited flow`);
    },
  });
}

/** Do two diagnostics with one key (diagnosticKey) say the same: severity, flow and related locations (fixes aside)? */
function sameFinding(a: Diagnostic, b: Diagnostic): boolean {
  if (a.severity !== b.severity || a.flowId !== b.flowId || a.related.length !== b.related.length) return false;
  for (let i = 0; i < a.related.length; i++) {
    const x = a.related[i];
    const y = b.related[i];
    if (x.message !== y.message || x.span.start !== y.span.start || x.span.end !== y.span.end) return false;
  }
  return true;
}

export interface DeltaInput {
  text: string;
  parsed: ParsedYaml;
  /** the edit from base.text to text: one change, inside a few machine entries next to each other or one top-level section */
  edit: TextEditSpan;
  /**
   * where the edit is: machine entries — those named `before` in the last text, from place `at` among
   * the machines on (none when the edit added entries), replaced by `after` (their names and the key
   * and value nodes of the new text; none when it removed them) — or the top-level section `section`
   * (not `machines`)
   */
  change: { machines: { at: number; before: readonly string[]; after: readonly { name: string; key: unknown; value: unknown }[] } } | { section: string };
  /** those entries' or that section's text in the old and the new text: [start, end) */
  region: { old: Span; new: Span };
  options: CheckOptions;
}

/** The topology fields, position-free: JSON with Maps as entry lists and spans moved by `map` (undefined when one does not map). */
function movedJson(v: unknown, map?: OffsetMap): string | undefined {
  if (v === undefined) return 'undefined';
  try {
    return JSON.stringify(v, (_k, x: unknown) => {
      if (x instanceof Map) return [...x];
      if (map && isSpan(x)) return mapSpan(x, map);
      return x;
    });
  } catch (e) {
    if (e instanceof NoMap) return undefined;
    throw e;
  }
}

/**
 * The topology fields (TOPOLOGY_FIELDS) each top-level section gives: buildTopology reads each of them
 * from that section alone, and a delta check's texts have no aliases (it declines them), so an edit
 * inside one section changes none of the others' fields — only their positions, which the offset map
 * moves. (delta.test.ts checks the list against buildTopology on every section of the examples.)
 */
export const SECTION_FIELDS: Readonly<Record<string, readonly (typeof TOPOLOGY_FIELDS)[number][]>> = {
  acrotopo: ['version'],
  title: ['title'],
  product: ['product'],
  network: ['dns', 'dnsSpan', 'subnets', 'firewalls'],
  management: ['management'],
  installation: ['installation'],
  connections: ['connections'],
  rules: ['rules'],
};

/**
 * The fields of the topology (TOPOLOGY_FIELDS) that differ between the two texts, besides positions:
 * of those `section` gives (SECTION_FIELDS; all of them for another key). Comparing all of them took
 * 4–6 ms of a section edit at 10,000 machines (the firewalls, installation list and connections as JSON).
 */
function changedFields(a: Topology, b: Topology, map: OffsetMap, section: string): Set<string> {
  const out = new Set<string>();
  for (const f of Object.hasOwn(SECTION_FIELDS, section) ? SECTION_FIELDS[section] : TOPOLOGY_FIELDS) {
    const x = movedJson(a[f], map);
    if (x === undefined || x !== movedJson(b[f])) out.add(f);
  }
  return out;
}

/** check(input.text, input.options), from `base`; a string says why it cannot be done this way. */
export function deltaCheck(base: DeltaBase, input: DeltaInput): { result: CheckResult; base: DeltaBase } | string {
  const { text, parsed, edit, change, region, options } = input;
  if (base.diagnostics.some((d) => d.rule === INTERNAL_ERROR)) return 'the last result has an internal error';
  // (syntax problems inside the edited entry or section are the new text's, found by yaml-syntax,
  // which runs in full; the nodes there are read as check() reads them)
  let problemsEnd = region.new.end; // (an unclosed collection is reported at the next key, after its indentation)
  while (text.charCodeAt(problemsEnd) === 32) problemsEnd++;
  if (parsed.problems.some((p) => p.span.start < region.new.start || p.span.start > problemsEnd)) return 'the text has syntax problems outside the edit';
  const file = SourceFile.afterEdit(base.file, text, edit.at, edit.oldEnd, edit.delta);
  const budget = new AliasBudget();
  const limit = budget.remaining;
  const reader = new AstReader(parsed.doc, budget);
  // The topology: the sections read again, the machines the last text's moved through the edit, with
  // the edited entries read again.
  /** the edited entries: the last text's machines there, and those of this text (read again) */
  const olds: Machine[] = [];
  const edited: Machine[] = [];
  /** the edited entries have the names they had, in the same order (else renamed, added, removed or moved) */
  let sameNames = true;
  let machines: Map<string, Machine>;
  if ('machines' in change) {
    const { at, before, after } = change.machines;
    for (const name of before) {
      const m = base.t.machines.get(name);
      if (!m || m.index !== at + olds.length) return 'the machines are not the same';
      olds.push(m);
    }
    if (olds.length === 0 && at > base.t.machines.size) return 'the machines are not the same';
    const seen = new Set<string>();
    for (const x of after) {
      if (seen.has(x.name)) return 'two entries with one name';
      seen.add(x.name);
      if (base.t.machines.has(x.name) && !before.includes(x.name)) return 'renamed to a name declared in the last text';
      const keySpan = spanOf(x.key as AnyNode);
      if (!keySpan) return 'the machine entry has no key';
      edited.push(machineOf(reader, x.name, x.key as AnyNode, keySpan, (x.value ?? undefined) as AnyNode | undefined, at + edited.length));
    }
    sameNames = olds.length === edited.length && olds.every((m, i) => m.name === edited[i].name);
    machines = sameNames
      ? new MovedMachines(base.t.machines, edit, new Map(olds.map((m, i) => [m.name, edited[i]])))
      : new MovedMachines(base.t.machines, edit, undefined, { at, removed: before, added: edited }); // (names and places change)
  } else machines = new MovedMachines(base.t.machines, edit);
  const t = buildTopology(reader, machines);
  if (edited.length > 0) assignZones(t, edited);
  // the schema problems of the edited entries or section (the others are kept: validateSchemaPart)
  const inRegion = (x: Span, r: Span) => x.start >= r.start && x.start < r.end;
  const part = validateSchemaPart(reader, file, edited.map((m) => m.name));
  if (!part) return 'the document is not plain data';
  const schema = part.filter((p) => inRegion(p.span, region.new));
  if (budget.remaining !== limit || budget.exceeded) return 'the text uses aliases';
  const map = mapper(edit);
  const index = indexOf(base);
  let nextIndex = index;
  const sup = suppressions(file);
  const reads: Reads = { stages: new Set(base.reads.stages), rules: new Map([...base.reads.rules].map(([k, v]) => [k, new Set(v)])) };

  /** What rules read in this check, added to what they read before (a superset stays right). */
  // (the record's own sets are kept, with the earlier reads added: what a fix made later — settleFixes —
  // reads is recorded into them, as it would have been had the fix been made while its rule ran)
  const addReads = (record: Map<string, Set<string>>) => {
    for (const [rule, r] of record) {
      for (const x of reads.rules.get(rule) ?? []) r.add(x);
      reads.rules.set(rule, r);
    }
  };
  /** the fixes rules make on demand, left for later (CheckOptions.fixes 'deferred') */
  const pending: PendingFix[] = [];
  const defer = options.fixes === 'deferred' ? pending : undefined;

  /** Rules run on the whole new topology, without the stages' results (which they must not read). */
  const wholeRun = (rules: readonly Rule[], syntax: RuleInputs['syntax'], schemaProblems: RuleInputs['schema']): Diagnostic[] => {
    const record = new Map<string, Set<string>>();
    const out = runRules({ file, reader, t, flows: [], derived: [], stated: noStated(), firewall: noFirewall(), syntax, schema: schemaProblems }, rules, {
      options,
      sup,
      textLength: text.length,
      onError: (rule, e) => {
        throw new Fallback(`rule ${rule} threw: ${e instanceof Error ? e.message : String(e)}`);
      },
      record,
      noFixes: options.fixes === false,
      defer,
    });
    for (const [rule, r] of record) if ([...r].some((f) => STAGE_INPUTS.has(f))) throw new Fallback(`${rule} reads what the stages give`);
    addReads(record);
    return out;
  };

  /** diagnostics of the last result dropped (their rules run again in full), and what replaces them */
  let rerun: ReadonlySet<string> = WHOLE;
  let oldSub: Diagnostic[] = [];
  let newSub: Diagnostic[] = [];
  let fresh: Diagnostic[] = [];
  try {
    let dirty: Set<string> | undefined;
    let names: Set<string> | undefined;
    /** initiator>destination of stated connections that changed, both ways: their flows are dirty */
    const pairs = new Set<string>();
    /** the zones of the firewalls that changed (flows between two of them are dirty), and the machines in them */
    let zones: Set<string> | undefined;
    const inZones = new Set<string>();
    /** the rules the sub-runs run */
    let subRules = SUB_RULES;
    const outside = namedOutside(t);
    if ('machines' in change) {
      for (const m of [...olds, ...edited]) {
        if (isHub(m)) return 'the edited machine is a hub';
        // (the cloud node every cloud-backup machine's flows end at goes by its name: a machine named so
        // decides the flows of machines a sub-run does not iterate; `internet` is the reserved zone)
        if (m.name === IMPLICIT_CLOUD || m.name === INTERNET_ZONE) return `the edited machine is named ${m.name}`;
      }
      const names = new Set([...olds, ...edited].map((m) => m.name));
      if (!sameNames) {
        // Renamed, added or removed: the old names are dirty (their flows and reports in the last text),
        // the new ones too (in this one), and the machines whose hosts entries name any. References
        // elsewhere (installation, connections, firewalls, management: their unknown names,
        // suggestions and lists of declared names) are read in full by both sub-runs, which compare them.
        for (const x of namedOutside(base.t)) outside.add(x);
      }
      for (const n of names) if (outside.has(n)) return sameNames ? 'the edited machine is named outside machines:' : 'the renamed machine is named outside machines:';
      dirty = new Set(names);
      // and the machines whose hosts entries name them (in the last text; in this one, only the edited
      // entries changed) (hubs too: a hub's hosts entry for M is checked against M's address)
      for (const n of names) for (const name of index.namedBy.get(n) ?? []) dirty.add(name);
      nextIndex = afterMachinesEdit(index, olds, edited);
    } else {
      const changed = changedFields(base.t, t, map, change.section);
      // (the one thing of a machine another section decides: its zone, from the subnets)
      if (changed.has('subnets')) return 'the edit changes subnets';
      const stageFields = [...changed].filter((f) => reads.stages.has(f));
      if (changed.has('rules')) return 'the edit changes rule severities';
      if (stageFields.length === 0) {
        // Only rules read what changed (network.dns, say): those run again, on everything.
        const again = new Set(WHOLE);
        for (const [rule, r] of reads.rules) for (const f of changed) if (r.has(f)) again.add(rule);
        for (const rule of again) if ([...reads.rules.get(rule) ?? []].some((f) => STAGE_INPUTS.has(f))) return `${rule} reads what the stages give`;
        rerun = again;
        fresh = wholeRun(SUB_RULES.filter((r) => again.has(r.id)), [], []);
      } else {
        // Installation items or stated connections changed: the machines they name (in either text) are
        // dirty, and the sub-runs see them.
        const other = [...changed].filter((f) => f !== 'installation' && f !== 'connections' && f !== 'firewalls');
        if (other.length > 0) return `the edit changes ${[...changed].join(', ')}`;
        if (changed.has('installation') && base.t.installation?.from?.value !== t.installation?.from?.value) return 'the edit changes the installer';
        dirty = new Set();
        const a = base.t.installation?.to ?? [];
        const b = t.installation?.to ?? [];
        for (let i = 0; i < Math.max(a.length, b.length); i++) {
          if (a[i]?.value === b[i]?.value) continue;
          if (a[i]) dirty.add(a[i].value);
          if (b[i]) dirty.add(b[i].value);
        }
        // the ends of stated connections that changed (by place: one inserted changes those after it)
        const ca = base.t.connections;
        const cb = t.connections;
        for (let i = 0; i < Math.max(ca.length, cb.length); i++) {
          const x = ca[i];
          const y = cb[i];
          if (x && y && x.from?.value === y.from?.value && x.to?.value === y.to?.value && x.port?.value === y.port?.value) continue;
          for (const c of [x, y]) if (c?.from && c.to) pairs.add(`${c.from.value}>${c.to.value}`).add(`${c.to.value}>${c.from.value}`);
        }
        for (const x of namedOutside(base.t)) outside.add(x);
        if (changed.size === 1 && changed.has('firewalls')) {
          // Only the firewalls changed: the flows, stated connections and machines are the same, and a
          // rule that reads neither the firewalls nor their verdicts (the flows carry theirs: blockedBy)
          // says what it said. Only the others run in the sub-runs (port-mismatch, an aggregate over
          // the flows, would otherwise make a firewall edit decline whenever a zone has a custom port).
          subRules = SUB_RULES.filter((r) => {
            const r2 = reads.rules.get(r.id);
            return !r2 || FIREWALL_READS.some((f) => r2.has(f));
          });
        }
        if (changed.has('firewalls')) {
          // A firewall changed: the verdicts that can change are those of flows between two of its zones
          // (old or new `between`; a machine's zone comes from the subnets, which did not change). Those
          // flows are dirty, and the rules iterate the machines in those zones.
          zones = changedFirewallZones(base.t.firewalls, t.firewalls, map);
          for (const z of zones) for (const name of index.byZone.get(z) ?? []) inZones.add(name);
        }
      }
    }
    if (dirty) {
      const iterated = inZones.size > 0 ? new Set([...dirty, ...inZones]) : dirty;
      names = new Set([...iterated, ...index.hubs]);
      for (const name of outside) if (t.machines.has(name)) names.add(name);
      // The old run reads the old topology; its reports are only matched by key, so it shares the new
      // text's AST (fixes, which read it, are not kept) and takes lines from the old text.
      const record = new Map<string, Set<string>>();
      const d = dirty;
      // (the zone of a flow's end: the machines are the same in both texts, and so are their zones; a
      // flow to the cloud no machine declares goes to the implicit one, in the internet zone — not
      // cloudNode(t), which would go through every machine)
      const zoneOf = (name: string) => t.machines.get(name)?.zone ?? (name === IMPLICIT_CLOUD ? INTERNET_ZONE : undefined);
      const crossesChanged = (initiator: string, destination: string) => {
        if (!zones || zones.size === 0) return false;
        const zi = zoneOf(initiator);
        const zd = zoneOf(destination);
        return zi !== undefined && zd !== undefined && zi !== zd && zones.has(zi) && zones.has(zd);
      };
      /** the flows between these two are dirty (deriveFlows makes no others in the sub-runs) */
      const dirtyPair = (initiator: string, destination: string) => d.has(initiator) || d.has(destination) || (pairs.size > 0 && pairs.has(`${initiator}>${destination}`)) || crossesChanged(initiator, destination);
      // (a firewall whose zones are all among the edited firewalls': every flow through it is dirty)
      const scope: DeltaScope = { wholeFirewall: (fw) => !!zones && fw.between.length > 0 && fw.between.every((z) => zones!.has(z.value)) };
      oldSub = subRun(base.t, names, iterated, dirtyPair, { file, reader }, { options, sup: base.sup, textLength: base.text.length, file: base.file, noFixes: true, rules: subRules, scope });
      newSub = subRun(t, names, iterated, dirtyPair, { file, reader }, { options, sup, textLength: text.length, file, noFixes: options.fixes === false, defer, record, stageReads: reads.stages, rules: subRules, scope });
      addReads(record);
    }
    fresh.push(...wholeRun(WHOLE_RULES, parsed.problems, schema));
  } catch (e) {
    if (e instanceof Fallback) return e.message;
    throw e;
  }
  if (budget.remaining !== limit || budget.exceeded) return 'the text uses aliases';

  // Signed counts per key in the new text's positions: old full − old sub (moved through the edit) +
  // new sub. A key the sub-runs found is theirs to say (their diagnostic replaces the kept one) when the
  // old sub-run found it as the last result has it; otherwise what they found about it is beside the
  // point (a hub's flow without its other end, say) and must be the same in both runs: the kept one stays.
  const move = diagnosticMover(base.text, text, edit, file);
  const oldCount = new Map<string, { n: number; d: Diagnostic }>();
  for (const d of oldSub) {
    const k = diagnosticKey(d);
    const c = oldCount.get(k);
    if (c) c.n++;
    else oldCount.set(k, { n: 1, d });
  }
  interface Entry { n: number; full?: Diagnostic; own?: boolean; oldSub?: Diagnostic; newSub?: Diagnostic; dup?: boolean }
  /** kept diagnostics no sub-run key can be: one each, as they are */
  const plain: Diagnostic[] = [];
  const total = new Map<string, Entry>();
  const entry = (d: Diagnostic): Entry => {
    const k = diagnosticKey(d);
    let e = total.get(k);
    if (!e) total.set(k, (e = { n: 0 }));
    return e;
  };
  try {
    // Most kept diagnostics share no span start with a sub-run's or a duplicate: they need no key.
    const oldStarts = new Set(oldSub.map((d) => d.span.start));
    const newStarts = new Set(newSub.map((d) => d.span.start));
    const dupStarts = new Set([...base.duplicates.keys()].map((k) => Number(k.split('|')[1])));
    for (const d of base.diagnostics) {
      if (rerun.has(d.rule) || (d.rule === SCHEMA && inRegion(d.span, region.old))) continue;
      if (!oldStarts.has(d.span.start) && !dupStarts.has(d.span.start)) {
        const moved = move(d);
        if (!newStarts.has(moved.span.start)) {
          plain.push(moved);
          continue;
        }
        const e = entry(moved);
        e.n += 1;
        e.full = moved;
        continue;
      }
      const k = diagnosticKey(d);
      const sub = oldCount.get(k);
      const count = base.duplicates.get(k) ?? 1;
      if (sub) oldCount.delete(k);
      const own = !!sub && sameFinding(sub.d, d);
      // found again by the sub-runs as it was: whatever the new one says about it stands (it may be in the edited text)
      if (own && count === sub!.n) continue;
      const moved = move(d);
      const e = entry(moved);
      e.n += count - (sub?.n ?? 0);
      e.full = moved;
      e.dup = count > 1;
      if (sub) {
        e.oldSub = move(sub.d);
        e.own = own;
      }
    }
    // what the old sub-run found that the last result does not have: the new sub-run must find it too
    for (const { n, d } of oldCount.values()) {
      const moved = move(d);
      const e = entry(moved);
      e.n -= n;
      e.oldSub = moved;
    }
  } catch (e) {
    if (e instanceof NoMap) return 'a kept diagnostic is in the edited text';
    throw e;
  }
  for (const d of newSub) {
    const e = entry(d);
    e.n += 1;
    e.newSub ??= d;
  }
  const out: Diagnostic[] = plain;
  const duplicates = new Map<string, number>();
  for (const [k, e] of total) {
    if (e.n < 0) return 'a report of the old sub-run did not come back';
    if (e.n === 0) continue;
    let d: Diagnostic;
    if (!e.full) d = e.newSub!;
    else if (!e.oldSub && !e.newSub) d = e.full;
    else if (e.own) {
      if (e.dup) return 'duplicate reports the sub-runs found one of';
      d = e.newSub ?? e.full;
    } else if (e.oldSub) {
      // beside the point in the sub-runs: found the same in both, the kept diagnostic stays
      if (!e.newSub || !sameFinding(e.oldSub, e.newSub)) return 'a sub-run report differs from the last result';
      d = e.full;
    } else {
      // the new sub-run found a key the last result had from elsewhere
      if (!sameFinding(e.full, e.newSub!)) return 'a new report duplicates a kept one';
      d = e.full;
    }
    if (e.n > 1) duplicates.set(k, e.n);
    out.push(d);
  }
  const seenFresh = new Set<string>();
  for (const d of fresh) {
    const k = diagnosticKey(d);
    if (seenFresh.has(k) || total.has(k)) {
      duplicates.set(k, (duplicates.get(k) ?? 1) + 1);
      continue;
    }
    seenFresh.add(k);
    out.push(d);
  }
  out.sort(compareDiagnostics);

  // Topology now; flows (for hovers and the preview) when first read, as check() derives them.
  let flows: Flow[] | undefined;
  const result = { diagnostics: out, topology: t } as CheckResult;
  Object.defineProperty(result, 'flows', {
    enumerable: true,
    configurable: true,
    get: () => {
      if (!flows) {
        const derived = deriveFlows(t);
        flows = checkedFlows(derived, classifyStated(t, derived));
        evaluateFirewalls(t, flows); // (marks the flows it blocks: `blockedBy`)
      }
      return flows;
    },
  });
  setDuplicates(result, duplicates);
  setReads(result, reads);
  setFile(result, file);
  setPendingFixes(result, pending);
  return { result, base: { text, file, sup, t, diagnostics: out, duplicates, reads, options: base.options, index: nextIndex } };
}
