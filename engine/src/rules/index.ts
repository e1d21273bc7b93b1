// The rule registry: one import + one entry per rule file.
import type { Rule } from '../rule';

export const RULES: Rule[] = [];

export const RULE_BY_ID = new Map(RULES.map((r) => [r.id, r]));
