// `--format sarif`: SARIF 2.1.0 (OASIS), one run, for GitHub code scanning and other SARIF viewers.
// Positions are 1-based, columns in UTF-16 code units (the run's columnKind), end columns exclusive.
// Paths are relative to %SRCROOT% (the working directory), with forward slashes.
import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES } from '@acrotopo/engine';
import type { Diagnostic, Range, RuleMeta, Severity } from '@acrotopo/engine';
// Types only (the @types/sarif definitions of SARIF 2.1.0): the compiler checks the shape we emit.
import type * as Sarif from 'sarif';
import type { FileProblem, FileResult } from '../check';
import { HOMEPAGE, ruleHelpUri, TOOL_NAME } from '../meta';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const SRCROOT = '%SRCROOT%';

export function sarifLevel(s: Severity): Sarif.Result.level {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

export function region(r: Range): Sarif.Region {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

/** Markdown → plain text, enough for rule descriptions (emphasis, code, links). */
export function plainText(md: string): string {
  return md
    .replace(/\[([^\]]+)\]\([^)]+\)/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/(^|[^\w*])\*([^*\n]+)\*(?!\w)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1');
}

/** PascalCase name of a rule id (`unencrypted-port` → `UnencryptedPort`), SARIF's reportingDescriptor.name. */
export function ruleName(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

function encodePath(p: string): string {
  return p.split('/').map((seg) => encodeURIComponent(seg)).join('/');
}

/** Relative to %SRCROOT% when the file is under the working directory; an absolute file URI otherwise. */
export function artifactLocation(absolute: string, cwd: string): Sarif.ArtifactLocation {
  const rel = relative(cwd, absolute);
  if (rel && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel)) {
    return { uri: encodePath(rel.split(sep).join('/')), uriBaseId: SRCROOT };
  }
  return { uri: pathToFileURL(absolute).href };
}

export function ruleDescriptor(rule: RuleMeta): Sarif.ReportingDescriptor {
  const description = rule.description.trim();
  const howToFix = rule.howToFix.trim();
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: plainText(rule.title) },
    fullDescription: { text: plainText(description), markdown: description },
    help: {
      text: `${plainText(description)}\n\nHow to fix: ${plainText(howToFix)}`,
      markdown: `${description}\n\n**How to fix:** ${howToFix}\n\n[Rule reference](${ruleHelpUri(rule.id)})`,
    },
    helpUri: ruleHelpUri(rule.id),
    defaultConfiguration: { level: sarifLevel(rule.defaultSeverity) },
    properties: { tags: ['acronis', 'network'], ...(rule.catalogue.length ? { catalogue: rule.catalogue } : {}) },
  };
}

function fixesOf(d: Diagnostic, location: Sarif.ArtifactLocation): Sarif.Fix[] {
  return d.fixes.map((f) => ({
    description: { text: f.title },
    artifactChanges: [
      {
        artifactLocation: location,
        replacements: f.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
      },
    ],
  }));
}

export interface SarifOptions {
  cwd: string;
  version: string;
  /** files that could not be read: tool execution notifications */
  notifications?: FileProblem[];
}

export function buildSarif(results: FileResult[], options: SarifOptions): Sarif.Log {
  const rules: RuleMeta[] = [...RULES];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  // A diagnostic whose rule is not registered (the engine's internal-error) still gets a descriptor.
  for (const r of results) {
    for (const d of r.diagnostics) {
      if (index.has(d.rule)) continue;
      index.set(d.rule, rules.length);
      rules.push({ id: d.rule, defaultSeverity: d.severity, title: d.rule, description: `Diagnostics reported as '${d.rule}'.`, howToFix: 'See the message.', catalogue: [] });
    }
  }
  const sarifResults: Sarif.Result[] = [];
  for (const r of results) {
    const location = artifactLocation(r.absolute, options.cwd);
    for (const d of r.diagnostics) {
      const result: Sarif.Result = {
        ruleId: d.rule,
        ruleIndex: index.get(d.rule)!,
        level: sarifLevel(d.severity),
        message: { text: d.message },
        locations: [{ physicalLocation: { artifactLocation: location, region: region(d.range) } }],
      };
      if (d.related.length) {
        result.relatedLocations = d.related.map((x, i) => ({
          id: i + 1,
          message: { text: x.message },
          physicalLocation: { artifactLocation: location, region: region(x.range) },
        }));
      }
      if (d.fixes.length) result.fixes = fixesOf(d, location);
      sarifResults.push(result);
    }
  }
  const notifications = (options.notifications ?? []).map((p): Sarif.Notification => ({
    level: 'error',
    message: { text: p.message },
    descriptor: { id: 'io-error' },
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: options.version,
            semanticVersion: options.version,
            informationUri: HOMEPAGE,
            rules: rules.map(ruleDescriptor),
          },
        },
        invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }],
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(options.cwd).href.replace(/\/?$/, '/') } },
        columnKind: 'utf16CodeUnits',
        results: sarifResults,
      },
    ],
  };
}

export function formatSarif(results: FileResult[], options: SarifOptions): string {
  return `${JSON.stringify(buildSarif(results, options), null, 2)}\n`;
}
