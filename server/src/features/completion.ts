// Completion from the cursor's YAML path (line-based, so it works while the YAML is broken): keys from
// the schema, enum values, declared machine / subnet / zone names, ports with their documented purpose,
// severities, and rule ids (in `rules:` and after `# acrotopo-disable-next-line`).
import { facts, INTERNET_ZONE, RULES } from '@acrotopo/engine';
import type { Topology } from '@acrotopo/engine';
import { yamlScalar } from '@acrotopo/engine';
import { CompletionItemKind, InsertTextFormat, MarkupKind } from 'vscode-languageserver';
import type { CompletionItem, CompletionList, Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../analysis';
import { docOf, enumValues, isArraySchema, isObjectSchema, propertiesOf, rootSchema, schemaAt } from '../schema';
import type { SchemaNode } from '../schema';
import { contextAt } from '../yaml/context';
import type { CursorContext, Seg } from '../yaml/context';
import { catalogueRowsFor, declaredKeysByText, slotOf } from './common';
import { portHover, ruleHover } from './hover';

/** Values the format fixes (spec v1), used when the schema is not available. */
const BUILTIN_ENUMS: Record<string, string[]> = {
  product: ['11.5', '11.7'],
  'machines/<m>/os': ['windows', 'linux', 'virtual-appliance', 'other'],
  'machines/<m>/windows-version': ['pre-vista', 'vista-or-later'],
  'management/register-by': ['name', 'address'],
  'management/encryption/client': ['enabled', 'disabled', 'required'],
  'management/encryption/server': ['enabled', 'disabled', 'required'],
  'machines/<m>/encryption/client': ['enabled', 'disabled', 'required'],
  'machines/<m>/encryption/server': ['enabled', 'disabled', 'required'],
};

const SEVERITY_DOCS: Record<string, string> = {
  error: 'Report as an error (fails `acrotopo check`).',
  warning: 'Report as a warning.',
  info: 'Report as information.',
  off: 'Do not report this rule.',
};

function patternOf(path: Seg[]): string {
  const p = path.map((s) => (typeof s === 'number' ? '*' : s));
  if (p[0] === 'machines' && p.length >= 2) p[1] = '<m>';
  return p.join('/');
}

interface Builder {
  items: CompletionItem[];
  add(label: string, kind: CompletionItemKind, opts?: { detail?: string; doc?: string; insert?: string; sort?: string; snippet?: boolean; filter?: string }): void;
}

function builder(doc: TextDocument, ctx: CursorContext): Builder {
  const range = { start: doc.positionAt(ctx.token.start), end: doc.positionAt(ctx.token.end) };
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  return {
    items,
    add(label, kind, opts = {}) {
      if (seen.has(label)) return;
      seen.add(label);
      const item: CompletionItem = { label, kind, textEdit: { range, newText: opts.insert ?? label } };
      if (opts.detail) item.detail = opts.detail;
      if (opts.doc) item.documentation = { kind: MarkupKind.Markdown, value: opts.doc };
      if (opts.sort) item.sortText = opts.sort;
      if (opts.filter) item.filterText = opts.filter;
      if (opts.snippet) item.insertTextFormat = InsertTextFormat.Snippet;
      items.push(item);
    },
  };
}

function machineNames(a: Analysis): string[] {
  const names = new Set<string>([...a.result.topology.machines.values()].filter((m) => !m.implicit).map((m) => m.name));
  for (const n of declaredKeysByText(a.text, ['machines'])) names.add(n);
  return [...names];
}

function subnetNames(a: Analysis): string[] {
  const names = new Set<string>(a.result.topology.subnets.keys());
  for (const n of declaredKeysByText(a.text, ['network', 'subnets'])) names.add(n);
  return [...names];
}

function machineDetail(t: Topology, name: string): string | undefined {
  const m = t.machines.get(name);
  if (!m) return undefined;
  const parts = [m.os?.value, m.address?.value, m.components.map((c) => c.value).join(', ')].filter(Boolean);
  return parts.join(' · ') || undefined;
}

function value(text: string, ctx: CursorContext): string {
  return ctx.quoted ? text : yamlScalar(text);
}

function addMachines(b: Builder, a: Analysis, ctx: CursorContext, exclude: string[] = []): void {
  for (const n of machineNames(a)) {
    if (exclude.includes(n)) continue;
    b.add(n, CompletionItemKind.Reference, { detail: machineDetail(a.result.topology, n) ?? 'machine', insert: value(n, ctx), sort: `1${n}` });
  }
}

function addZones(b: Builder, a: Analysis, ctx: CursorContext): void {
  const t = a.result.topology;
  for (const n of subnetNames(a)) b.add(n, CompletionItemKind.Module, { detail: `subnet ${t.subnets.get(n)?.cidr?.value ?? ''}`.trim(), insert: value(n, ctx), sort: `0${n}` });
  b.add(INTERNET_ZONE, CompletionItemKind.Module, { detail: 'zone outside the LAN (reserved)', insert: INTERNET_ZONE, sort: `2${INTERNET_ZONE}` });
}

/** Every documented port, with its first purpose as the detail. */
function addPorts(b: Builder, a: Analysis, ctx: CursorContext): void {
  const t = a.result.topology;
  const labels = new Map<string, facts.PortFact | undefined>();
  for (const f of facts.PORT_FACTS) labels.set(facts.portLabel(f.port), f);
  for (const row of facts.CATALOGUE) for (const p of row.ports) if (!labels.has(facts.portLabel(p))) labels.set(facts.portLabel(p), undefined);
  const agent = t.management?.port?.value;
  if (agent && agent !== facts.DEFAULT_AGENT_PORT) labels.set(`tcp/${agent}`, facts.PORT_FACTS.find((f) => f.encryption === 'configurable'));
  let i = 0;
  for (const label of labels.keys()) {
    const p = facts.parsePort(label);
    if (!p) continue;
    const rows = catalogueRowsFor(t, p);
    const purposes = [...new Set(rows.map((r) => r.purpose))];
    const detail = purposes.length > 0 ? `${purposes.slice(0, 2).join('; ')}${purposes.length > 2 ? '; …' : ''}` : labels.get(label)?.label;
    b.add(label, CompletionItemKind.Value, {
      detail,
      doc: portHover(t, a.result.flows, p),
      insert: label,
      sort: `${String(i++).padStart(3, '0')}`,
    });
  }
}

function addSeverities(b: Builder): void {
  for (const s of ['error', 'warning', 'info', 'off']) b.add(s, CompletionItemKind.EnumMember, { doc: SEVERITY_DOCS[s] });
}

function addRuleIds(b: Builder, exclude: Set<string>, suffix = ''): void {
  for (const r of RULES) {
    if (exclude.has(r.id)) continue;
    b.add(r.id, CompletionItemKind.Constant, { detail: `${r.title} (${r.defaultSeverity})`, doc: ruleHover(r.id), insert: `${r.id}${suffix}` });
  }
  // rules listed by the schema but not (yet) registered in the engine
  const root = rootSchema();
  if (root) {
    for (const [id, s] of propertiesOf(root, schemaAt(['rules'], root))) {
      if (!exclude.has(id)) b.add(id, CompletionItemKind.Constant, { doc: docOf(s), insert: `${id}${suffix}` });
    }
  }
}

function addEnum(b: Builder, path: Seg[], ctx: CursorContext, exclude: string[] = []): boolean {
  const root = rootSchema();
  let values: { value: unknown; doc?: string }[] = [];
  if (root) values = enumValues(root, schemaAt(path, root));
  if (values.length === 0) {
    const builtin = BUILTIN_ENUMS[patternOf(path)];
    if (builtin) values = builtin.map((v) => ({ value: v }));
  }
  if (values.length === 0 && slotOf(path) === 'component') values = facts.COMPONENTS.map((c) => ({ value: c.id }));
  let added = false;
  for (const v of values) {
    const s = String(v.value);
    if (exclude.includes(s)) continue;
    const comp = facts.COMPONENT_BY_ID.get(s);
    const doc = v.doc ?? (comp ? `**${comp.label}** — ${comp.note}` : undefined);
    b.add(s, CompletionItemKind.EnumMember, { doc, detail: comp?.label, insert: typeof v.value === 'string' ? value(s, ctx) : s });
    added = true;
  }
  return added;
}

function keyInsert(key: string, node: SchemaNode | undefined, root: SchemaNode, ctx: CursorContext, doc: TextDocument): string {
  if (ctx.inFlow) return `${key}: `;
  const col = doc.positionAt(ctx.token.start).character;
  if (isObjectSchema(root, node) && !isArraySchema(root, node) && enumValues(root, node).length === 0) return `${key}:\n${' '.repeat(col + 2)}`;
  return `${key}: `;
}

function addKeys(b: Builder, path: Seg[], ctx: CursorContext, doc: TextDocument, a: Analysis): void {
  const p = patternOf(path);
  if (p === 'rules') return addRuleIds(b, new Set(ctx.siblings), ': ');
  if (p === 'machines/<m>/hosts') {
    const self = typeof path[1] === 'string' ? path[1] : undefined;
    for (const n of machineNames(a)) {
      if (n === self || ctx.siblings.includes(n)) continue;
      const addr = a.result.topology.machines.get(n)?.address?.value;
      b.add(n, CompletionItemKind.Reference, { detail: addr ? `${n}: ${addr}` : 'machine', insert: `${yamlScalar(n)}: ${addr ?? ''}` });
    }
    return;
  }
  if (p === 'machines' || p === 'network/subnets') return; // new names are free
  const root = rootSchema();
  if (!root) return;
  const node = schemaAt(path, root);
  for (const [key, child] of propertiesOf(root, node)) {
    if (ctx.siblings.includes(key) && key !== ctx.token.text) continue;
    if (child.deprecated) continue;
    b.add(key, CompletionItemKind.Property, { doc: docOf(child), insert: keyInsert(key, child, root, ctx, doc) });
  }
}

function addValues(b: Builder, path: Seg[], ctx: CursorContext, a: Analysis): void {
  const slot = slotOf(path);
  switch (slot) {
    case 'machine': {
      const exclude: string[] = [];
      const t = a.result.topology;
      if (path[0] === 'installation' && path[1] === 'to') for (const x of t.installation?.to ?? []) if (x.value !== ctx.token.text) exclude.push(x.value);
      return addMachines(b, a, ctx, exclude);
    }
    case 'zone':
      return addZones(b, a, ctx);
    case 'zone-or-machine':
      addZones(b, a, ctx);
      return addMachines(b, a, ctx);
    case 'port':
      return addPorts(b, a, ctx);
    case 'agent-port':
      b.add(String(facts.DEFAULT_AGENT_PORT), CompletionItemKind.Value, { detail: 'default agent port ("Remote Agent ports")' });
      return;
    case 'source-ports':
      for (const s of facts.SOURCE_PORTS) b.add(`${s.range.from}-${s.range.to}`, CompletionItemKind.Value, { detail: s.label });
      return;
    case 'severity':
      return addSeverities(b);
    case 'component': {
      const m = typeof path[1] === 'string' ? a.result.topology.machines.get(path[1]) : undefined;
      const present = (m?.components ?? []).map((c) => c.value).filter((c) => c !== ctx.token.text);
      addEnum(b, path, ctx, present);
      return;
    }
  }
  const root = rootSchema();
  const node = root ? schemaAt(path, root) : undefined;
  // a list written after `key:` on the same line (`components: `): offer the values of its items
  if (root && isArraySchema(root, node) && !addEnum(b, path, ctx)) {
    const from = b.items.length;
    addEnum(b, [...path, 0], ctx);
    if (!ctx.inFlow) {
      // `components: |` → `components: [agent-for-windows]`
      for (const item of b.items.slice(from)) {
        const e = item.textEdit as { newText: string } | undefined;
        if (e) e.newText = `[${e.newText}]`;
      }
    }
    return;
  }
  addEnum(b, path, ctx);
}

export function complete(doc: TextDocument, position: Position, a: Analysis): CompletionList {
  const offset = doc.offsetAt(position);
  const ctx = contextAt(doc.getText(), offset);
  const b = builder(doc, ctx);
  switch (ctx.kind) {
    case 'comment':
      break;
    case 'disable-comment': {
      const line = doc.getText({ start: { line: position.line, character: 0 }, end: position });
      const listed = new Set(line.replace(/^.*acrotopo-disable-next-line/, '').split(/[\s,]+/).filter(Boolean));
      listed.delete(ctx.prefix);
      addRuleIds(b, listed);
      break;
    }
    case 'key':
      addKeys(b, ctx.path, ctx, doc, a);
      break;
    case 'value':
      addValues(b, ctx.path, ctx, a);
      break;
    case 'item': {
      const root = rootSchema();
      const slot = slotOf(ctx.path);
      if (slot) addValues(b, ctx.path, ctx, a);
      else if (root && isObjectSchema(root, schemaAt(ctx.path, root))) addKeys(b, ctx.path, ctx, doc, a);
      else addValues(b, ctx.path, ctx, a);
      break;
    }
  }
  return { isIncomplete: false, items: b.items };
}
