// The JSON Schema of the format (schemas/acrotopo.schema.json), for key docs and completion. Bundled
// into the server by esbuild (and resolved by tsx when run from source), so the server needs no file
// next to it at run time. Tests or an editor may point at another file (initializationOptions.schemaPath).
import { readFileSync } from 'node:fs';
import bundled from '../../schemas/acrotopo.schema.json';
import type { Seg } from './yaml/context';

export interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  title?: string;
  description?: string;
  markdownDescription?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  examples?: unknown[];
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  propertyNames?: SchemaNode;
  items?: SchemaNode | SchemaNode[];
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
  required?: string[];
  deprecated?: boolean;
  [k: string]: unknown;
}

let current: SchemaNode | undefined = bundled as unknown as SchemaNode;

/** Replaces the bundled schema with the one in a file (undefined: back to the bundled one). */
export function setSchemaPath(path: string | undefined): void {
  if (!path) {
    current = bundled as unknown as SchemaNode;
    return;
  }
  try {
    current = JSON.parse(readFileSync(path, 'utf8')) as SchemaNode;
  } catch {
    // keep the bundled schema
  }
}

/** The root schema. */
export function rootSchema(): SchemaNode | undefined {
  return current && typeof current === 'object' ? current : undefined;
}

function resolveRef(root: SchemaNode, ref: string): SchemaNode | undefined {
  if (!ref.startsWith('#')) return undefined;
  const parts = ref.slice(1).split('/').filter(Boolean).map((p) => decodeURIComponent(p.replace(/~1/g, '/').replace(/~0/g, '~')));
  let n: unknown = root;
  for (const p of parts) {
    if (!n || typeof n !== 'object') return undefined;
    n = (n as Record<string, unknown>)[p];
  }
  return n && typeof n === 'object' ? (n as SchemaNode) : undefined;
}

/** The node with `$ref` followed (bounded), merged over its own keywords (draft 2019+ allows siblings). */
export function deref(root: SchemaNode, node: SchemaNode | undefined, depth = 0): SchemaNode | undefined {
  if (!node || depth > 16) return node;
  if (node.$ref) {
    const target = deref(root, resolveRef(root, node.$ref), depth + 1);
    if (!target) return node;
    const { $ref: _ignored, ...rest } = node;
    void _ignored;
    return { ...target, ...rest };
  }
  return node;
}

/** The alternatives a node stands for (itself, its oneOf/anyOf/allOf branches), all dereferenced. */
export function variants(root: SchemaNode, node: SchemaNode | undefined, depth = 0): SchemaNode[] {
  const n = deref(root, node);
  if (!n || depth > 8) return n ? [n] : [];
  const out: SchemaNode[] = [n];
  for (const list of [n.oneOf, n.anyOf, n.allOf]) {
    if (Array.isArray(list)) for (const b of list) out.push(...variants(root, b, depth + 1));
  }
  return out;
}

/** The schema of the value of `key` in the object schema `node`. */
export function childOf(root: SchemaNode, node: SchemaNode | undefined, key: Seg): SchemaNode | undefined {
  for (const v of variants(root, node)) {
    if (typeof key === 'number') {
      if (v.items && !Array.isArray(v.items)) return deref(root, v.items);
      if (Array.isArray(v.items)) return deref(root, v.items[key] ?? v.items[v.items.length - 1]);
      continue;
    }
    const p = v.properties?.[key];
    if (p) return deref(root, p);
  }
  for (const v of variants(root, node)) {
    if (typeof key === 'number') continue;
    if (v.patternProperties) {
      for (const [pat, s] of Object.entries(v.patternProperties)) {
        try {
          if (new RegExp(pat, 'u').test(key)) return deref(root, s);
        } catch {
          // an invalid pattern in the schema: ignore it
        }
      }
    }
    if (v.additionalProperties && typeof v.additionalProperties === 'object') return deref(root, v.additionalProperties);
  }
  // `installation.to` may be a single name or a list: an index into a non-array falls back to the node.
  if (typeof key === 'number') {
    for (const v of variants(root, node)) if (v.enum || v.type === 'string') return v;
  }
  return undefined;
}

/** The schema node at a path (`['machines', 'ams01', 'os']`). */
export function schemaAt(path: Seg[], root: SchemaNode | undefined = rootSchema()): SchemaNode | undefined {
  if (!root) return undefined;
  let node: SchemaNode | undefined = deref(root, root);
  for (const seg of path) {
    node = childOf(root, node, seg);
    if (!node) return undefined;
  }
  return node;
}

/** Declared properties of an object schema (merged over its variants), in schema order. */
export function propertiesOf(root: SchemaNode, node: SchemaNode | undefined): [string, SchemaNode][] {
  const out = new Map<string, SchemaNode>();
  for (const v of variants(root, node)) {
    for (const [k, s] of Object.entries(v.properties ?? {})) if (!out.has(k)) out.set(k, deref(root, s) ?? s);
  }
  return [...out];
}

/** Allowed scalar values of a node (enum, const, oneOf of consts, booleans). */
export function enumValues(root: SchemaNode, node: SchemaNode | undefined): { value: unknown; doc?: string }[] {
  const out: { value: unknown; doc?: string }[] = [];
  const seen = new Set<string>();
  const add = (value: unknown, doc?: string) => {
    const k = JSON.stringify(value);
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ value, doc });
  };
  for (const v of variants(root, node)) {
    if (Array.isArray(v.enum)) {
      const docs = (v.markdownEnumDescriptions ?? v.enumDescriptions) as string[] | undefined;
      v.enum.forEach((e, i) => add(e, docs?.[i]));
    }
    if (v.const !== undefined) add(v.const, v.markdownDescription ?? v.description);
    const types = Array.isArray(v.type) ? v.type : v.type ? [v.type] : [];
    if (types.includes('boolean')) {
      add(true);
      add(false);
    }
  }
  return out;
}

/** Markdown documentation of a node. */
export function docOf(node: SchemaNode | undefined): string | undefined {
  if (!node) return undefined;
  return node.markdownDescription ?? node.description ?? node.title;
}

/** Does the node describe an object (so a sequence item of it starts with a key)? */
export function isObjectSchema(root: SchemaNode, node: SchemaNode | undefined): boolean {
  return variants(root, node).some((v) => v.type === 'object' || (Array.isArray(v.type) && v.type.includes('object')) || !!v.properties);
}

export function isArraySchema(root: SchemaNode, node: SchemaNode | undefined): boolean {
  return variants(root, node).some((v) => v.type === 'array' || (Array.isArray(v.type) && v.type.includes('array')) || !!v.items);
}
