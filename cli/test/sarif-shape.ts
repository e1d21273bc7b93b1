// A structural check of SARIF 2.1.0 logs without the network: the subset of the OASIS
// sarif-schema-2.1.0.json that covers every object acrotopo emits, with the schema's own required
// properties, enums, minimums and `additionalProperties: false` (so a misspelt property fails), plus
// the cross-references a JSON Schema cannot express (ruleIndex → rules[], uriBaseId → originalUriBaseIds).
import Ajv from 'ajv';

const obj = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties: { ...properties, properties: { type: 'object' } },
});
const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const arrayOf = (name: string, minItems = 0) => ({ type: 'array', minItems, items: ref(name) });
const level = { enum: ['none', 'note', 'warning', 'error'] };
const int1 = { type: 'integer', minimum: 1 };
const int0 = { type: 'integer', minimum: 0 };

export const SARIF_SUBSET_SCHEMA = {
  $ref: '#/definitions/sarifLog',
  definitions: {
    sarifLog: obj({ $schema: { type: 'string', pattern: '^https?://' }, version: { enum: ['2.1.0'] }, runs: arrayOf('run'), inlineExternalProperties: { type: 'array' } }, ['version', 'runs']),
    run: obj(
      {
        tool: ref('tool'),
        invocations: arrayOf('invocation'),
        originalUriBaseIds: { type: 'object', additionalProperties: ref('artifactLocation') },
        results: arrayOf('result'),
        columnKind: { enum: ['utf16CodeUnits', 'unicodeCodePoints'] },
        artifacts: { type: 'array' },
        automationDetails: { type: 'object' },
        language: { type: 'string' },
      },
      ['tool'],
    ),
    tool: obj({ driver: ref('toolComponent'), extensions: arrayOf('toolComponent') }, ['driver']),
    toolComponent: obj(
      {
        name: { type: 'string' },
        version: { type: 'string' },
        semanticVersion: { type: 'string' },
        informationUri: { type: 'string', pattern: '^https?://' },
        organization: { type: 'string' },
        fullName: { type: 'string' },
        shortDescription: ref('multiformatMessageString'),
        fullDescription: ref('multiformatMessageString'),
        rules: { type: 'array', items: ref('reportingDescriptor'), uniqueItems: true },
        notifications: arrayOf('reportingDescriptor'),
      },
      ['name'],
    ),
    reportingDescriptor: obj(
      {
        id: { type: 'string' },
        name: { type: 'string' },
        shortDescription: ref('multiformatMessageString'),
        fullDescription: ref('multiformatMessageString'),
        help: ref('multiformatMessageString'),
        helpUri: { type: 'string', pattern: '^https?://' },
        defaultConfiguration: obj({ enabled: { type: 'boolean' }, level, rank: { type: 'number' }, parameters: { type: 'object' } }),
        messageStrings: { type: 'object' },
      },
      ['id'],
    ),
    multiformatMessageString: obj({ text: { type: 'string' }, markdown: { type: 'string' } }, ['text']),
    message: { ...obj({ text: { type: 'string' }, markdown: { type: 'string' }, id: { type: 'string' }, arguments: { type: 'array', items: { type: 'string' } } }), anyOf: [{ required: ['text'] }, { required: ['id'] }] },
    invocation: obj(
      {
        executionSuccessful: { type: 'boolean' },
        toolExecutionNotifications: arrayOf('notification'),
        toolConfigurationNotifications: arrayOf('notification'),
        exitCode: { type: 'integer' },
        commandLine: { type: 'string' },
      },
      ['executionSuccessful'],
    ),
    notification: obj({ message: ref('message'), level, descriptor: obj({ id: { type: 'string' }, index: { type: 'integer', minimum: -1 } }), locations: arrayOf('location') }, ['message']),
    result: obj(
      {
        ruleId: { type: 'string' },
        ruleIndex: { type: 'integer', minimum: -1 },
        kind: { enum: ['notApplicable', 'pass', 'fail', 'review', 'open', 'informational'] },
        level,
        message: ref('message'),
        locations: arrayOf('location'),
        relatedLocations: arrayOf('location'),
        fixes: arrayOf('fix'),
        partialFingerprints: { type: 'object' },
        fingerprints: { type: 'object' },
      },
      ['message'],
    ),
    location: obj({ id: int0, physicalLocation: ref('physicalLocation'), message: ref('message'), logicalLocations: { type: 'array' } }),
    physicalLocation: { ...obj({ artifactLocation: ref('artifactLocation'), region: ref('region'), contextRegion: ref('region'), address: { type: 'object' } }), anyOf: [{ required: ['address'] }, { required: ['artifactLocation'] }] },
    artifactLocation: obj({ uri: { type: 'string', pattern: '^[^\\\\\\s]*$' }, uriBaseId: { type: 'string' }, index: { type: 'integer', minimum: -1 }, description: ref('message') }),
    region: obj({
      startLine: int1,
      startColumn: int1,
      endLine: int1,
      endColumn: int1,
      charOffset: { type: 'integer', minimum: -1 },
      charLength: int0,
      byteOffset: { type: 'integer', minimum: -1 },
      byteLength: int0,
      snippet: obj({ text: { type: 'string' }, binary: { type: 'string' } }),
      message: ref('message'),
    }),
    fix: obj({ description: ref('message'), artifactChanges: arrayOf('artifactChange', 1) }, ['artifactChanges']),
    artifactChange: obj({ artifactLocation: ref('artifactLocation'), replacements: arrayOf('replacement', 1) }, ['artifactLocation', 'replacements']),
    replacement: obj({ deletedRegion: ref('region'), insertedContent: obj({ text: { type: 'string' }, binary: { type: 'string' } }) }, ['deletedRegion']),
  },
};

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(SARIF_SUBSET_SCHEMA);

interface Region {
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}

/** Every problem found in a SARIF log (empty = valid). */
export function sarifProblems(log: unknown): string[] {
  const problems: string[] = [];
  if (!validate(log)) {
    for (const e of validate.errors ?? []) problems.push(`${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
    return problems;
  }
  // Cross-references.
  type Loc = { physicalLocation?: { artifactLocation?: { uri?: string; uriBaseId?: string }; region?: Region } };
  const l = log as {
    runs: {
      tool: { driver: { rules?: { id: string }[] } };
      originalUriBaseIds?: Record<string, { uri?: string }>;
      results?: { ruleId?: string; ruleIndex?: number; locations?: Loc[]; relatedLocations?: Loc[]; fixes?: { artifactChanges: { artifactLocation: { uriBaseId?: string }; replacements: { deletedRegion: Region }[] }[] }[] }[];
    }[];
  };
  for (const [ri, run] of l.runs.entries()) {
    const rules = run.tool.driver.rules ?? [];
    const ids = new Set<string>();
    for (const r of rules) {
      if (ids.has(r.id)) problems.push(`run ${ri}: rule id ${r.id} appears twice`);
      ids.add(r.id);
    }
    const bases = run.originalUriBaseIds ?? {};
    for (const [k, v] of Object.entries(bases)) {
      if (v.uri && !/^file:\/\/.*\/$/.test(v.uri)) problems.push(`originalUriBaseIds.${k}.uri must be an absolute URI ending with '/': ${v.uri}`);
    }
    const checkRegion = (where: string, r: Region | undefined) => {
      if (!r) return;
      if (r.endLine !== undefined && r.startLine !== undefined && r.endLine < r.startLine) problems.push(`${where}: endLine < startLine`);
      if (r.endLine === r.startLine && r.endColumn !== undefined && r.startColumn !== undefined && r.endColumn < r.startColumn) problems.push(`${where}: endColumn < startColumn`);
    };
    const checkLoc = (where: string, loc: Loc) => {
      const a = loc.physicalLocation?.artifactLocation;
      if (a?.uriBaseId && !(a.uriBaseId in bases)) problems.push(`${where}: uriBaseId ${a.uriBaseId} not in originalUriBaseIds`);
      if (a?.uri && a.uriBaseId && (a.uri.startsWith('/') || a.uri.includes('\\'))) problems.push(`${where}: a uri relative to ${a.uriBaseId} must be relative, with forward slashes: ${a.uri}`);
      checkRegion(where, loc.physicalLocation?.region);
    };
    for (const [i, res] of (run.results ?? []).entries()) {
      const where = `runs[${ri}].results[${i}]`;
      if (res.ruleIndex !== undefined && rules[res.ruleIndex]?.id !== res.ruleId) problems.push(`${where}: ruleIndex ${res.ruleIndex} does not point at rule ${res.ruleId}`);
      for (const loc of res.locations ?? []) checkLoc(where, loc);
      for (const loc of res.relatedLocations ?? []) checkLoc(`${where} related`, loc);
      for (const f of res.fixes ?? []) for (const c of f.artifactChanges) for (const r of c.replacements) checkRegion(`${where} fix`, r.deletedRegion);
    }
  }
  return problems;
}
