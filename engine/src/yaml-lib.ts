// The `yaml` library's functions, read once. Bundled (esbuild, format cjs), every named import from a
// CommonJS package such as `yaml` becomes a property getter, called on each use: at 10,000 machines
// the AST helpers' isScalar/isMap/isPair calls spent about 60 ms of a 2 s check in those getters.
// The engine's hot paths import these functions from here; yaml's classes and types still come from
// 'yaml' (used as values only a few times per check).
//
// The type tests answer from the node's prototype when it is exactly one of yaml's node classes'
// (Scalar, Pair, YAMLMap, YAMLSeq, Alias) — as yaml's own would: such a node's type symbol is its
// class's (set by the constructor, or on the prototype for fast-yaml.ts's nodes) — and ask yaml's
// own function for anything else (subclasses such as YAMLOMap and YAMLSet, documents, other objects).
// yaml's read `node[Symbol.for('yaml.node.type')]`, a property load that sees every node shape in the
// engine's loops (megamorphic: ~15 ms of a 10,000-machine open went to `eachPair`'s three tests per
// pair); Object.getPrototypeOf is one load whatever the shape. yaml-lib.test.ts compares both on
// every kind of node and on other values.
import * as yaml from 'yaml';
import type { Alias, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

const SCALAR_P: object = yaml.Scalar.prototype;
const PAIR_P: object = yaml.Pair.prototype;
const MAP_P: object = yaml.YAMLMap.prototype;
const SEQ_P: object = yaml.YAMLSeq.prototype;
const ALIAS_P: object = yaml.Alias.prototype;

const yamlIsAlias = yaml.isAlias;
const yamlIsCollection = yaml.isCollection;
const yamlIsMap = yaml.isMap;
const yamlIsPair = yaml.isPair;
const yamlIsScalar = yaml.isScalar;
const yamlIsSeq = yaml.isSeq;

/** One of the five classes' prototypes exactly: the type is known from it. */
function known(p: object | null): boolean {
  return p === SCALAR_P || p === PAIR_P || p === MAP_P || p === SEQ_P || p === ALIAS_P;
}

/** A type test for the class whose prototype is `proto`, asking `yamlTest` for nodes of no known class. */
function typeTest<T>(proto: object, yamlTest: (node: unknown) => boolean): (node: unknown) => node is T {
  return (node: unknown): node is T => {
    if (node === null || typeof node !== 'object') return false;
    const p = Object.getPrototypeOf(node);
    if (p === proto) return true;
    return known(p) ? false : yamlTest(node);
  };
}

export const isScalar = typeTest<Scalar>(SCALAR_P, yamlIsScalar);
export const isPair = typeTest<Pair>(PAIR_P, yamlIsPair);
export const isMap = typeTest<YAMLMap>(MAP_P, yamlIsMap);
export const isSeq = typeTest<YAMLSeq>(SEQ_P, yamlIsSeq);
export const isAlias = typeTest<Alias>(ALIAS_P, yamlIsAlias);

export function isCollection(node: unknown): node is YAMLMap | YAMLSeq {
  if (node === null || typeof node !== 'object') return false;
  const p = Object.getPrototypeOf(node);
  if (p === MAP_P || p === SEQ_P) return true;
  return known(p) ? false : yamlIsCollection(node);
}

const YAMLMapClass = yaml.YAMLMap;
const YAMLSeqClass = yaml.YAMLSeq;

/**
 * A YAMLMap itself, not a subclass (YAMLSet, YAMLOMap's kin), which toJS converts otherwise: what
 * `isMap(node) && node.constructor === YAMLMap` says, from the prototype when it is YAMLMap's (one
 * load, where `.constructor` is read through the prototype of every shape of node).
 */
export function isPlainMap(node: unknown): node is YAMLMap {
  if (node === null || typeof node !== 'object') return false;
  const p = Object.getPrototypeOf(node);
  if (p === MAP_P) return true;
  return !known(p) && yamlIsMap(node) && (node as { constructor?: unknown }).constructor === YAMLMapClass;
}

/** A YAMLSeq itself, not a subclass (YAMLOMap): as isPlainMap. */
export function isPlainSeq(node: unknown): node is YAMLSeq {
  if (node === null || typeof node !== 'object') return false;
  const p = Object.getPrototypeOf(node);
  if (p === SEQ_P) return true;
  return !known(p) && yamlIsSeq(node) && (node as { constructor?: unknown }).constructor === YAMLSeqClass;
}

export const parseDocument = yaml.parseDocument;
export const visit = yaml.visit;

// ---------------------------------------------------------------------------------------------
// Duplicate keys (yaml-ast.ts duplicateKeys, and fast-yaml.ts while it parses)

/** Mappings with at most this many keys are checked for duplicates pairwise (sameKey); larger ones through a set of mapKeyString. */
export const SMALL_MAP = 12;

/** Do two scalar keys' values name the same key (as mapKeyString would say: type and value, objects by JSON)? */
export function sameKey(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false;
  if (typeof a === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return a === b || String(a) === String(b);
}

/** A scalar key's value as a string that two values share exactly when sameKey says they are the same key. */
export function mapKeyString(v: unknown): string {
  return typeof v === 'object' ? JSON.stringify(v) : `${typeof v}:${String(v)}`;
}
