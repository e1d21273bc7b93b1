// Every place a machine, subnet or zone name occurs in a document, read from the engine's topology
// (each value there carries its exact span). Used by definition, references, rename and highlights.
import type { Located, Span, Topology } from '@acrotopo/engine';
import { INTERNET_ZONE } from '@acrotopo/engine';

export type NameKind = 'machine' | 'zone';

export interface NameOccurrence {
  kind: NameKind;
  name: string;
  /** the name's characters (quotes excluded) */
  span: Span;
  declaration: boolean;
  /** where it occurs, e.g. `management.server` (for tooltips and tests) */
  where: string;
}

/** Span of a scalar's characters without its quotes. */
export function innerSpan(text: string, span: Span): Span {
  const c = text[span.start];
  if ((c === '"' || c === "'") && span.end - span.start >= 2 && text[span.end - 1] === c) return { start: span.start + 1, end: span.end - 1 };
  return span;
}

export function nameOccurrences(t: Topology, text: string): NameOccurrence[] {
  const out: NameOccurrence[] = [];
  const push = (kind: NameKind, loc: Located<string> | undefined, where: string, declaration = false) => {
    if (!loc || loc.span.end <= loc.span.start) return;
    out.push({ kind, name: loc.value, span: innerSpan(text, loc.span), declaration, where });
  };
  const machineOrZone = (loc: Located<string> | undefined, where: string) => {
    if (!loc) return;
    const kind: NameKind = t.machines.has(loc.value) ? 'machine' : t.subnets.has(loc.value) || loc.value === INTERNET_ZONE ? 'zone' : 'machine';
    push(kind, loc, where);
  };
  for (const s of t.subnets.values()) push('zone', { value: s.name, span: s.keySpan }, 'network.subnets', true);
  for (const m of t.machines.values()) {
    if (m.implicit) continue;
    push('machine', { value: m.name, span: m.keySpan }, 'machines', true);
    push('zone', m.subnet, `machines.${m.name}.subnet`);
    for (const h of m.hosts) push('machine', h.name, `machines.${m.name}.hosts`);
  }
  for (const fw of t.firewalls) {
    for (const z of fw.between) push('zone', z, `network.firewalls[${fw.index}].between`);
    for (const a of fw.allow) {
      machineOrZone(a.from, `network.firewalls[${fw.index}].allow[${a.index}].from`);
      machineOrZone(a.to, `network.firewalls[${fw.index}].allow[${a.index}].to`);
    }
  }
  push('machine', t.management?.server, 'management.server');
  push('machine', t.installation?.from, 'installation.from');
  for (const x of t.installation?.to ?? []) push('machine', x, 'installation.to');
  for (const c of t.connections) {
    push('machine', c.from, `connections[${c.index}].from`);
    push('machine', c.to, `connections[${c.index}].to`);
  }
  out.sort((a, b) => a.span.start - b.span.start);
  return out;
}

/** The occurrence under an offset (the end of a name counts: a cursor just after it). */
export function occurrenceAt(list: NameOccurrence[], offset: number): NameOccurrence | undefined {
  return list.find((o) => o.span.start <= offset && offset <= o.span.end);
}

export function sameSymbol(a: NameOccurrence, b: NameOccurrence): boolean {
  return a.kind === b.kind && a.name === b.name;
}
