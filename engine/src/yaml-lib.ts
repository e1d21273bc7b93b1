// The `yaml` library's functions, read once. Bundled (esbuild, format cjs), every named import from a
// CommonJS package such as `yaml` becomes a property getter, called on each use: at 10,000 machines
// the AST helpers' isScalar/isMap/isPair calls spent about 60 ms of a 2 s check in those getters.
// The engine's hot paths import these functions from here; yaml's classes and types still come from
// 'yaml' (used as values only a few times per check).
import * as yaml from 'yaml';

export const isAlias = yaml.isAlias;
export const isCollection = yaml.isCollection;
export const isMap = yaml.isMap;
export const isPair = yaml.isPair;
export const isScalar = yaml.isScalar;
export const isSeq = yaml.isSeq;
export const parseDocument = yaml.parseDocument;
export const visit = yaml.visit;
