// Document symbols (the outline): title, network (subnets, firewalls), machines (components as
// detail), management, installation, connections, rules. Read from the YAML AST with its ranges.
import { parseYaml, AstReader } from '@acrotopo/engine';
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node as YNode, Pair, YAMLMap, YAMLSeq } from 'yaml';
import { SymbolKind } from 'vscode-languageserver';
import type { DocumentSymbol, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ParsedYaml } from '@acrotopo/engine';

type N = YNode | null | undefined;

function rangeOf(doc: TextDocument, start: number, end: number): Range {
  return { start: doc.positionAt(start), end: doc.positionAt(Math.max(start, end)) };
}

function nodeRange(n: N): [number, number] | undefined {
  const r = (n as { range?: [number, number, number] } | null | undefined)?.range;
  return r ? [r[0], r[1]] : undefined;
}

function scalarText(n: N): string | undefined {
  if (!n || !isScalar(n)) return undefined;
  const v = n.value;
  return v === null || v === undefined || typeof v === 'object' ? undefined : String(v);
}

function pairs(n: N): Pair<YNode, YNode>[] {
  if (!n || !isMap(n)) return [];
  return (n as YAMLMap<YNode, YNode>).items.filter((p) => isPair(p));
}

function items(n: N): YNode[] {
  if (!n || !isSeq(n)) return [];
  return (n as YAMLSeq<YNode>).items;
}

function get(n: N, key: string): N {
  return pairs(n).find((p) => scalarText(p.key) === key)?.value ?? undefined;
}

function inline(n: N): string | undefined {
  const s = scalarText(n);
  if (s !== undefined) return s;
  if (n && isSeq(n)) return items(n).map((i) => scalarText(i) ?? '…').join(', ');
  return undefined;
}

export function documentSymbols(doc: TextDocument, parsed?: ParsedYaml): DocumentSymbol[] {
  const text = doc.getText();
  const { doc: ydoc } = parsed ?? parseYaml(text); // the server passes its cached parse of this version
  const reader = new AstReader(ydoc);
  const root = reader.deref(ydoc.contents) as N;
  if (!root || !isMap(root)) return [];

  const symbol = (name: string, kind: SymbolKind, keyNode: N, value: N, detail?: string, children?: DocumentSymbol[]): DocumentSymbol | undefined => {
    const k = nodeRange(keyNode);
    const v = nodeRange(value);
    const start = k?.[0] ?? v?.[0];
    if (start === undefined) return undefined;
    const end = v?.[1] ?? k?.[1] ?? start;
    const s: DocumentSymbol = {
      name: name === '' ? ' ' : name,
      kind,
      range: rangeOf(doc, start, end),
      selectionRange: rangeOf(doc, start, k?.[1] ?? end),
    };
    if (detail) s.detail = detail;
    if (children && children.length > 0) s.children = children;
    return s;
  };
  const itemSymbol = (name: string, kind: SymbolKind, node: N, detail?: string, children?: DocumentSymbol[]) => symbol(name, kind, undefined, node, detail, children);
  const defined = <T>(xs: (T | undefined)[]): T[] => xs.filter((x): x is T => x !== undefined);

  const out: DocumentSymbol[] = [];
  for (const p of pairs(root)) {
    const key = scalarText(p.key) ?? '';
    const v = p.value;
    switch (key) {
      case 'title':
        out.push(...defined([symbol(scalarText(v) ?? 'title', SymbolKind.String, p.key, v, 'title')]));
        break;
      case 'network': {
        const children = defined(
          pairs(v).map((np) => {
            const nk = scalarText(np.key) ?? '';
            if (nk === 'subnets') {
              const subnets = defined(pairs(np.value).map((sp) => symbol(scalarText(sp.key) ?? '', SymbolKind.Module, sp.key, sp.value, inline(sp.value))));
              return symbol('subnets', SymbolKind.Namespace, np.key, np.value, undefined, subnets);
            }
            if (nk === 'firewalls') {
              const fws = defined(
                items(np.value).map((fw, i) => {
                  const allow = defined(
                    items(get(fw, 'allow')).map((a) => {
                      const from = inline(get(a, 'from')) ?? '?';
                      const to = inline(get(a, 'to')) ?? '?';
                      return itemSymbol(`${from} → ${to}`, SymbolKind.Event, a, inline(get(a, 'port')));
                    }),
                  );
                  const between = inline(get(fw, 'between'));
                  return itemSymbol(inline(get(fw, 'name')) ?? `firewall ${i + 1}`, SymbolKind.Interface, fw, between ? `between ${between}` : undefined, allow);
                }),
              );
              return symbol('firewalls', SymbolKind.Array, np.key, np.value, undefined, fws);
            }
            return symbol(nk, SymbolKind.Property, np.key, np.value, inline(np.value));
          }),
        );
        out.push(...defined([symbol('network', SymbolKind.Namespace, p.key, v, undefined, children)]));
        break;
      }
      case 'machines': {
        const machines = defined(
          pairs(v).map((mp) => {
            const comps = inline(get(mp.value, 'components'));
            const os = inline(get(mp.value, 'os'));
            const detail = [os, comps].filter(Boolean).join(' · ');
            return symbol(scalarText(mp.key) ?? '', SymbolKind.Class, mp.key, mp.value, detail || undefined);
          }),
        );
        out.push(...defined([symbol('machines', SymbolKind.Namespace, p.key, v, `${machines.length}`, machines)]));
        break;
      }
      case 'management': {
        const server = inline(get(v, 'server'));
        out.push(...defined([symbol('management', SymbolKind.Object, p.key, v, server ? `server: ${server}` : undefined)]));
        break;
      }
      case 'installation': {
        const from = inline(get(v, 'from'));
        const to = inline(get(v, 'to'));
        out.push(...defined([symbol('installation', SymbolKind.Object, p.key, v, from || to ? `${from ?? '?'} → ${to ?? '?'}` : undefined)]));
        break;
      }
      case 'connections': {
        const conns = defined(items(v).map((c) => itemSymbol(`${inline(get(c, 'from')) ?? '?'} → ${inline(get(c, 'to')) ?? '?'}`, SymbolKind.Event, c, inline(get(c, 'port')))));
        out.push(...defined([symbol('connections', SymbolKind.Array, p.key, v, undefined, conns)]));
        break;
      }
      case 'rules': {
        const rules = defined(pairs(v).map((rp) => symbol(scalarText(rp.key) ?? '', SymbolKind.Property, rp.key, rp.value, inline(rp.value))));
        out.push(...defined([symbol('rules', SymbolKind.Object, p.key, v, undefined, rules)]));
        break;
      }
      default:
        out.push(...defined([symbol(key, SymbolKind.Property, p.key, v, inline(v))]));
    }
  }
  return out;
}
