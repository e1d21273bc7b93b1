// Small helpers shared by rule files (wording of flows, machine lookups, common fixes).
import { setKey } from '../edits';
import { DEFAULT_AGENT_PORT, portFact } from '../facts';
import { effectiveEncryption } from '../flows';
import { agentPort } from '../model';
import type { RuleContext } from '../rule';
import type { Flow, Machine, PortSpec, Span, TextEdit } from '../types';

/** `ams01 → fs01 on tcp/25001 "Sending installation parameters" (RI-3)` */
export function describeFlow(f: Flow): string {
  if (!f.catalogue) return `${f.initiator} → ${f.destination} on ${f.portLabel} (stated connection)`;
  return `${f.initiator} → ${f.destination} on ${f.portLabel} "${f.purpose}" (${f.catalogue})`;
}

/** Flows on the SMB port (encryption "depends" on the target's File and Printer Sharing options). */
export function smbFlows(ctx: RuleContext): { flow: Flow; destination: Machine }[] {
  const out: { flow: Flow; destination: Machine }[] = [];
  // (flows share their PortSpec objects: the fact is looked up once per run of one port)
  let lastPort: PortSpec | undefined;
  let depends = false;
  // (the context's fields read once: in the language server they are getters that record what a rule
  // reads — check.ts recordingView —, and this loop runs over every flow)
  const flows = ctx.flows;
  const machines = ctx.t.machines;
  for (let n = 0; n < flows.length; n++) {
    const flow = flows[n]; // (indexed: ~75k flows, once per check)
    if (flow.port !== lastPort) {
      lastPort = flow.port;
      depends = portFact(flow.port)?.encryption === 'depends';
    }
    if (!depends) continue;
    const destination = machines.get(flow.destination);
    if (destination) out.push({ flow, destination });
  }
  return out;
}

/** Quick fix: `file-sharing-encryption: true` on the machine. */
export function smbFix(ctx: RuleContext, m: Machine) {
  const edit = setKey(ctx.file, ctx.reader, ['machines', m.name], 'file-sharing-encryption', 'true');
  return edit ? [{ title: `Set file-sharing-encryption: true on ${m.name}`, edits: [edit], isPreferred: true }] : [];
}

/** Is the flow on the (effective) agent port, whose encryption the administrative template configures? */
export function isAgentPortFlow(ctx: RuleContext, f: Flow): boolean {
  const dest = ctx.t.machines.get(f.destination);
  return portFact(f.port, agentPort(ctx.t, dest, DEFAULT_AGENT_PORT))?.encryption === 'configurable';
}

/** Agent-port flows of one encryption class, in flow order (the class is the cheap test: it goes first). */
export function agentPortFlowsWith(ctx: RuleContext, encryption: Flow['encryption']): Flow[] {
  const out: Flow[] = [];
  const flows = ctx.flows; // (read once: smbFlows)
  for (let n = 0; n < flows.length; n++) {
    const f = flows[n];
    if (f.encryption === encryption && isAgentPortFlow(ctx, f)) out.push(f);
  }
  return out;
}

export interface EncryptionSide {
  side: 'client' | 'server';
  machine: string;
  value: string;
  span?: Span;
  /** `client encryption of web01 is disabled (machine setting)` */
  text: string;
  /** path of the mapping holding the setting */
  path: string[];
}

/** The initiator's client option and the destination's server option, with where each comes from. */
export function encryptionSides(ctx: RuleContext, flow: Flow): EncryptionSide[] {
  const sides: EncryptionSide[] = [];
  for (const [side, name] of [['client', flow.initiator], ['server', flow.destination]] as const) {
    const m = ctx.t.machines.get(name);
    const eff = effectiveEncryption(ctx.t, m, side);
    const where = eff.where === 'machine' ? `${name}'s encryption.${side}` : eff.where === 'management' ? `management.encryption.${side}` : 'default';
    sides.push({
      side,
      machine: name,
      value: eff.value,
      span: eff.span,
      text: `${side} encryption of ${name} is ${eff.value} (${where})`,
      path: eff.where === 'machine' ? ['machines', name, 'encryption'] : ['management', 'encryption'],
    });
  }
  return sides;
}

/** Quick fix: set each disabling side to `enabled`, where its effective value is written. */
export function encryptionFix(ctx: RuleContext, off: EncryptionSide[]) {
  const edits: TextEdit[] = [];
  for (const s of off) {
    const e = setKey(ctx.file, ctx.reader, s.path, s.side, 'enabled');
    if (e && !edits.some((x) => x.span.start === e.span.start)) edits.push(e);
  }
  if (!edits.length) return [];
  return [{ title: off.length === 1 ? `Set ${off[0].side} encryption to enabled (${off[0].path.join('.')})` : 'Set client and server encryption to enabled', edits, isPreferred: true }];
}

// ---------------------------------------------------------------------------------------------
// Names, lists and hosts-file fixes (reference and name-resolution rules).
import { distance } from 'fastest-levenshtein';
import { yamlScalar } from '../edits';

/** `a, b, c and 4 more` (names in the order given). */
export function nameList(names: readonly string[], max = 3): string {
  if (names.length === 0) return '';
  if (names.length <= max) return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/**
 * The declared name closest to `name` within edit distance `maxDistance` (ties: the first in
 * `candidates`, i.e. the first declared). Undefined when none is close enough.
 */
export function closestName(name: string, candidates: Iterable<string>, maxDistance = 2): string | undefined {
  let best: string | undefined;
  let bestD = maxDistance + 1;
  for (const c of candidates) {
    if (c === name) return c;
    if (Math.abs(c.length - name.length) >= bestD) continue; // cheap bound before the full distance
    const d = distance(name, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/** Related information pointing at a machine's key (none for implicit nodes). */
export function machineRelated(m: Machine | undefined, message: string): { message: string; span: Span }[] {
  return m && !m.implicit && m.keySpan.end > m.keySpan.start ? [{ message, span: m.keySpan }] : [];
}

/** Hosts-file names are case-insensitive: does `m` have an entry for `name`? */
export function hasHostsEntry(m: Machine, name: string): boolean {
  const n = name.toLowerCase();
  return m.hosts.some((h) => h.name.value.toLowerCase() === n);
}

/**
 * The edit that adds `server: address` to the agent's `hosts:` map, creating `hosts: { … }` when the
 * machine has none (or an empty `hosts:`). Undefined when the server has no declared address or the
 * agent's YAML is not a mapping.
 */
export function addHostsEntryEdit(ctx: RuleContext, agent: Machine, server: Machine): TextEdit | undefined {
  const address = server.address?.value;
  if (address === undefined || address.trim() === '') return undefined;
  const key = yamlScalar(server.name);
  const value = yamlScalar(address);
  return (
    setKey(ctx.file, ctx.reader, ['machines', agent.name, 'hosts'], key, value) ??
    setKey(ctx.file, ctx.reader, ['machines', agent.name], 'hosts', `{ ${key}: ${value} }`)
  );
}

/**
 * Set several keys of one mapping in a single fix. Keys that exist are replaced in place; missing keys
 * are inserted together, in the order given (several inserts at one offset are merged into one edit
 * so every editor applies them in the same order).
 */
export function setKeysEdits(ctx: RuleContext, path: string[], pairs: [string, string][]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const [key, valueText] of pairs) {
    const e = setKey(ctx.file, ctx.reader, path, key, valueText);
    if (!e) continue;
    const prev = out.find((p) => p.span.start === e.span.start && p.span.end === e.span.end && e.span.start === e.span.end);
    if (!prev) {
      out.push(e);
      continue;
    }
    // Both are insertions of a new pair at the same place: append the new pair to the previous one.
    const flowEmpty = /^ .* $/.test(prev.newText) && !prev.newText.startsWith(ctx.file.eol);
    if (prev.newText.startsWith(', ') || flowEmpty) {
      const pair = e.newText.replace(/^(, | )/, '').replace(/ $/, '');
      prev.newText = flowEmpty ? `${prev.newText.replace(/ $/, '')}, ${pair} ` : `${prev.newText}, ${pair}`;
    } else {
      prev.newText += e.newText;
    }
  }
  return out;
}

/** A user-written name or value for a message, cut to `max` characters (junk input keeps messages short). */
export function shown(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
