// The rule registry: one import + one entry per rule file.
import type { Rule } from '../rule';
import unencryptedPort from './unencrypted-port';

export const RULES: Rule[] = [
  unencryptedPort,
];

export const RULE_BY_ID = new Map(RULES.map((r) => [r.id, r]));
