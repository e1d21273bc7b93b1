export * from './types';
export { check, suppressions, effectiveSeverity, DEFAULT_MAX_BYTES, INTERNAL_ERROR, RULES, RULE_BY_ID } from './check';
export { SourceFile, applyEdits } from './source';
export * as facts from './facts';
export { deriveFlows, managementServer, machinesWithRole, hasRole, classifyEncryption, effectiveEncryption } from './flows';
export { evaluateFirewalls } from './firewall';
export { classifyStated } from './stated';
export { buildTopology, IMPLICIT_CLOUD, INTERNET_ZONE } from './model';
export { parseYaml, AstReader } from './yaml-ast';
