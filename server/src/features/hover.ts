// Hover: ports (documented purposes, direction, encryption, catalogue ids), components, machine and
// zone names, keys (the schema's docs) and rule ids. Every fact comes from the engine.
import { facts, IMPLICIT_CLOUD, INTERNET_ZONE, RULE_BY_ID } from '@acrotopo/engine';
import type { Flow, Machine, PortSpec, Topology } from '@acrotopo/engine';
import { MarkupKind } from 'vscode-languageserver';
import type { Hover, Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../analysis';
import { occurrenceAt } from '../names';
import { docOf, enumValues, rootSchema, schemaAt } from '../schema';
import { contextAt } from '../yaml/context';
import { catalogueRowsFor, direction, fileAgentPort, flowsOf, isAgentPort, parsePortText, slotOf } from './common';
import { ruleDocsUrl } from './diagnostics';

const MAX_FLOWS_LISTED = 5;

const ENCRYPTION_WORDS: Record<string, string> = {
  encrypted: 'encrypted',
  unencrypted: 'not encrypted',
  depends: 'depends on the target’s File and Printer Sharing options',
  configurable: 'encrypted by default; configurable (administrative template, client × server options)',
  'not-stated': 'not stated by the documentation',
  impossible: 'no connection possible',
};

function code(s: string): string {
  return `\`${s.replace(/`/g, '')}\``;
}

export function portHover(t: Topology, flows: Flow[], p: PortSpec): string {
  const label = facts.portLabel(p);
  const number = p.proto === 'icmp' ? 'icmp' : p.from === p.to ? String(p.from) : `${p.from}-${p.to}`;
  const agent = isAgentPort(t, p);
  const fact = agent ? facts.PORT_FACTS.find((f) => f.encryption === 'configurable') : facts.portFact(p, fileAgentPort(t));
  const lines: string[] = [];
  lines.push(`**acrotopo** port ${code(number)} — ${code(label)}${fact ? ` · ${fact.label}` : ''}`);
  lines.push('');
  const rows = catalogueRowsFor(t, p);
  if (rows.length > 0) {
    // one line per purpose + direction, with every catalogue id that says it
    const groups = new Map<string, { purpose: string; dir: string; ids: string[]; inferred: boolean }>();
    for (const r of rows) {
      const dir = direction(r);
      const key = `${r.purpose}|${dir}`;
      const g = groups.get(key) ?? { purpose: r.purpose, dir, ids: [], inferred: false };
      g.ids.push(r.id);
      if (r.status === 'inferred' || r.endpoints === 'inferred') g.inferred = true;
      groups.set(key, g);
    }
    lines.push('| purpose | direction (initiator → destination) | catalogue |');
    lines.push('|---|---|---|');
    for (const g of groups.values()) {
      const rowsOfGroup = rows.filter((r) => g.ids.includes(r.id));
      const portInferred = rowsOfGroup.every((r) => r.status === 'inferred');
      const endpointsInferred = rowsOfGroup.some((r) => r.endpoints === 'inferred');
      const note = portInferred ? ' *(inferred)*' : endpointsInferred ? ' *(endpoints inferred)*' : '';
      lines.push(`| ${g.purpose}${portInferred ? ' *(inferred)*' : ''} | ${g.dir}${note && !portInferred ? note : ''} | ${g.ids.join(', ')} |`);
    }
  } else {
    lines.push('The Acronis documentation lists no connection on this port *(inferred: not a documented Acronis port)*.');
  }
  lines.push('');
  if (fact) {
    const status = fact.status === 'inferred' ? 'inferred' : 'documented';
    lines.push(`**Encryption:** ${ENCRYPTION_WORDS[fact.encryption] ?? fact.encryption} — ${fact.note} *(${status}; ${fact.source})*`);
  } else {
    lines.push('**Encryption:** not stated by the documentation *(inferred)*');
  }
  if (agent && p.from !== facts.DEFAULT_AGENT_PORT) lines.push('', `This file uses ${code(String(p.from))} as the agent port (default ${facts.DEFAULT_AGENT_PORT}).`);
  const here = flows.filter((f) => facts.samePort(f.port, p));
  if (here.length > 0) {
    lines.push('', `**In this file:** ${here.length} flow${here.length === 1 ? '' : 's'} on ${code(label)}`);
    for (const f of here.slice(0, MAX_FLOWS_LISTED)) lines.push(`- ${f.initiator} → ${f.destination}: ${f.purpose}${f.catalogue ? ` (${f.catalogue})` : ''} — ${ENCRYPTION_WORDS[f.encryption] ?? f.encryption}`);
    if (here.length > MAX_FLOWS_LISTED) lines.push(`- … and ${here.length - MAX_FLOWS_LISTED} more`);
  }
  return lines.join('\n');
}

export function componentHover(id: string): string | undefined {
  const c = facts.COMPONENT_BY_ID.get(id);
  if (!c) return undefined;
  const lines = [`**${c.label}** ${code(c.id)}${c.external ? ' — external system Acronis talks to' : ' — Acronis component'}`, '', c.note];
  if (c.os) lines.push('', `**Runs on:** ${c.os.join(', ')}${c.osStatus === 'inferred' ? ' *(inferred)*' : ''}`);
  const rows = facts.CATALOGUE.filter((r) => r.derived && c.roles.some((role) => r.from.includes(role) || r.to.includes(role)));
  if (rows.length > 0) lines.push('', `**Connections:** ${rows.map((r) => `${r.id} ${r.purpose} (${r.ports.map(facts.portLabel).join(', ')})`).join('; ')}`);
  return lines.join('\n');
}

function flowLine(f: Flow, other: string, arrow: string): string {
  return `- ${arrow} ${other} ${code(f.portLabel)} ${f.purpose}${f.catalogue ? ` (${f.catalogue})` : ''}`;
}

export function machineHover(a: Analysis, m: Machine): string {
  const t = a.result.topology;
  const lines = [`**${m.name}** — machine`, ''];
  const os = m.os ? `${m.os.value}${m.os.value === 'windows' && m.windowsVersion ? ` (${m.windowsVersion.value})` : ''}` : '*not stated*';
  lines.push(`- **OS:** ${os}`);
  lines.push(`- **Address:** ${m.address ? code(m.address.value) : '*not stated*'}`);
  lines.push(`- **Zone:** ${m.zone ?? '*unknown (no subnet matches)*'}`);
  lines.push(`- **Components:** ${m.components.length > 0 ? m.components.map((c) => code(c.value)).join(', ') : '*none*'}`);
  if (t.management?.server?.value === m.name) lines.push('- **Management server** of this deployment');
  const { out, in: incoming } = flowsOf(a.result, m);
  lines.push('', `**Flows out (${out.length})**`);
  for (const f of out.slice(0, MAX_FLOWS_LISTED)) lines.push(flowLine(f, f.destination, '→'));
  if (out.length > MAX_FLOWS_LISTED) lines.push(`- … and ${out.length - MAX_FLOWS_LISTED} more`);
  lines.push('', `**Flows in (${incoming.length})**`);
  for (const f of incoming.slice(0, MAX_FLOWS_LISTED)) lines.push(flowLine(f, f.initiator, '←'));
  if (incoming.length > MAX_FLOWS_LISTED) lines.push(`- … and ${incoming.length - MAX_FLOWS_LISTED} more`);
  return lines.join('\n');
}

export function zoneHover(t: Topology, name: string): string {
  const s = t.subnets.get(name);
  const lines = [`**${name}** — ${s ? 'subnet (zone)' : name === 'internet' ? 'zone outside the LAN (reserved)' : 'zone (not declared)'}`];
  if (s?.cidr) lines.push('', `- **CIDR:** ${code(s.cidr.value)}`);
  const machines = [...t.machines.values()].filter((m) => m.zone === name).map((m) => m.name);
  lines.push(`- **Machines (${machines.length}):** ${machines.slice(0, 10).join(', ')}${machines.length > 10 ? ', …' : ''}`);
  const fws = t.firewalls.filter((f) => f.between.some((z) => z.value === name));
  if (fws.length > 0) lines.push(`- **Firewalls:** ${fws.map((f) => f.name?.value ?? `#${f.index + 1}`).join(', ')}`);
  return lines.join('\n');
}

export function ruleHover(id: string): string | undefined {
  const r = RULE_BY_ID.get(id);
  if (!r) return undefined;
  const lines = [`**${r.id}** — ${r.title}`, '', `Default severity: ${code(r.defaultSeverity)}${r.catalogue.length > 0 ? ` · catalogue: ${r.catalogue.join(', ')}` : ''}`];
  if (r.description) lines.push('', r.description);
  if (r.howToFix) lines.push('', `**How to fix:** ${r.howToFix}`);
  lines.push('', `[Documentation](${ruleDocsUrl(r.id)})`);
  return lines.join('\n');
}

export function keyHover(path: (string | number)[], key: string): string | undefined {
  const root = rootSchema();
  if (!root) return undefined;
  const node = schemaAt([...path, key], root);
  const doc = docOf(node);
  if (!doc) return undefined;
  const lines = [`**${key}**`, '', doc];
  const values = enumValues(root, node).filter((v) => typeof v.value === 'string');
  if (values.length > 0 && values.length <= 20) lines.push('', `Allowed: ${values.map((v) => code(String(v.value))).join(', ')}`);
  return lines.join('\n');
}

function enumValueHover(path: (string | number)[], value: string): string | undefined {
  const root = rootSchema();
  if (!root) return undefined;
  const node = schemaAt(path, root);
  const v = enumValues(root, node).find((x) => String(x.value) === value);
  const key = [...path].reverse().find((s) => typeof s === 'string');
  if (v?.doc) return `${code(value)} — ${v.doc}`;
  if (v && key) return keyHover(path.slice(0, path.lastIndexOf(key)), key);
  return undefined;
}

export function hover(doc: TextDocument, position: Position, a: Analysis): Hover | null {
  const text = a.text;
  const offset = doc.offsetAt(position);
  const ctx = contextAt(text, offset);
  const range = { start: doc.positionAt(ctx.token.start), end: doc.positionAt(ctx.token.end) };
  const md = (value: string | undefined): Hover | null => (value ? { contents: { kind: MarkupKind.Markdown, value }, range } : null);
  const t = a.result.topology;

  if (ctx.kind === 'comment') return null;
  if (ctx.kind === 'disable-comment') return md(ruleHover(ctx.token.text));

  const occ = occurrenceAt(a.names(), offset);
  if (occ) {
    const r = { start: doc.positionAt(occ.span.start), end: doc.positionAt(occ.span.end) };
    const m = occ.kind === 'machine' ? t.machines.get(occ.name) : undefined;
    const value = m
      ? machineHover(a, m)
      : occ.kind === 'zone' || occ.name === INTERNET_ZONE
        ? zoneHover(t, occ.name)
        : occ.name === IMPLICIT_CLOUD
          ? `${componentHover(IMPLICIT_CLOUD) ?? ''}\n\nNo machine carries \`acronis-cloud\`: this is the implicit node in the \`internet\` zone.`
          : `**${occ.name}** — machine *(not declared)*`;
    return { contents: { kind: MarkupKind.Markdown, value }, range: r };
  }

  if (ctx.kind === 'key') {
    const key = ctx.token.text;
    if (ctx.path.length === 1 && ctx.path[0] === 'rules') return md(ruleHover(key)) ?? md(keyHover([], 'rules'));
    return md(keyHover(ctx.path, key));
  }

  // a value (or a sequence item)
  const value = ctx.token.text;
  if (value === '') return null;
  const slot = slotOf(ctx.path);
  const last = ctx.path[ctx.path.length - 1];
  if (slot === 'port' || slot === 'agent-port' || last === 'port' || /^(tcp|udp)\/\d/.test(value)) {
    const p = parsePortText(value);
    if (p) return md(portHover(t, a.result.flows, p));
  }
  if (slot === 'component' || facts.COMPONENT_BY_ID.has(value)) {
    const h = componentHover(value);
    if (h) return md(h);
  }
  if (slot === 'severity' && typeof ctx.path[1] === 'string') return md(ruleHover(ctx.path[1]));
  if (slot === 'machine' || slot === 'zone-or-machine') {
    const m = t.machines.get(value);
    if (m) return md(machineHover(a, m));
  }
  if (slot === 'zone') return md(zoneHover(t, value));
  return md(enumValueHover(ctx.path, value));
}
