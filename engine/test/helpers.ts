// Test helpers shared by the engine's rule and flow tests.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from '../src/check';
import { applyEdits } from '../src/source';
import type { CheckOptions, CheckResult, Diagnostic } from '../src/types';

/** Strip the common indentation of a template literal and the first newline. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

export function run(text: string, options?: CheckOptions): CheckResult {
  return check(text, options);
}

export function diags(text: string, rule: string, options?: CheckOptions): Diagnostic[] {
  return check(text, options).diagnostics.filter((d) => d.rule === rule);
}

/** The exact source text a diagnostic points at. */
export function at(text: string, d: Diagnostic): string {
  return text.slice(d.span.start, d.span.end);
}

/** Applies the diagnostic's fix (by index, default: preferred or first) and returns the new text. */
export function applyFix(text: string, d: Diagnostic, index?: number): string {
  assert.ok(d.fixes.length > 0, `no fix on ${d.rule}: ${d.message}`);
  const fix = index !== undefined ? d.fixes[index] : d.fixes.find((f) => f.isPreferred) ?? d.fixes[0];
  return applyEdits(text, fix.edits);
}

/** A small valid deployment (the spec's example, trimmed) used as a base by many tests. */
export const BASE = yaml`
  acrotopo: 1
  title: Contoso
  network:
    dns: true
    subnets:
      hq: 10.0.0.0/24
      branch: 10.1.0.0/24
  machines:
    ams01:
      os: windows
      address: 10.0.0.10
      components: [management-server, management-console]
    fs01:
      os: windows
      address: 10.0.0.31
      components: [agent-for-windows]
      file-sharing-encryption: true
  management:
    server: ams01
`;

/** Canonical JSON of a result: Maps as entry lists (in order), everything else as is. */
export function canon(r: CheckResult): string {
  return JSON.stringify(r, (_k, v: unknown) => (v instanceof Map ? { map: [...v.entries()] } : v instanceof Set ? { set: [...v] } : v));
}

/** An incremental result is check()'s: diagnostics (with fixes), flows and topology. */
export function assertSame(actual: CheckResult, expected: CheckResult, text: string): void {
  // diagnostics first: the clearest message when they differ
  assert.deepEqual(actual.diagnostics, expected.diagnostics, `diagnostics differ for\n${text}`);
  assert.deepEqual(actual.flows, expected.flows, `flows differ for\n${text}`);
  assert.equal(canon(actual), canon(expected), `topology differs for\n${text}`);
}

export const EXAMPLES_DIR = join(__dirname, '../../examples');

/** The texts of examples/*.acrotopo.yaml and examples/problems/*.acrotopo.yaml, in name order. */
export function exampleTexts(): string[] {
  return [EXAMPLES_DIR, join(EXAMPLES_DIR, 'problems')].flatMap((dir) => {
    try {
      return readdirSync(dir).filter((f) => f.endsWith('.acrotopo.yaml')).sort().map((f) => readFileSync(join(dir, f), 'utf8'));
    } catch {
      return [];
    }
  });
}
