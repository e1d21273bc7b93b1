// JSON Schema validation (ajv) with errors mapped to YAML node ranges.
// PLACEHOLDER — being written (schema helper). Returns no problems yet.
import type { SchemaProblem } from './rule';
import type { SourceFile } from './source';
import type { AstReader } from './yaml-ast';

export function validateSchema(_reader: AstReader, _file: SourceFile): SchemaProblem[] {
  return [];
}
