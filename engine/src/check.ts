// The engine's entry point: text in, diagnostics + topology + flows out.
import { evaluateFirewalls, noFirewall } from './firewall';
import { deriveFlows } from './flows';
import { buildTopology } from './model';
import type { Report, Rule, RuleContext, RuleFix, SchemaProblem } from './rule';
import { RULES, RULE_BY_ID } from './rules/index';
import { validateSchema } from './schema';
import { SourceFile } from './source';
import { suppressions } from './suppress';
import { checkedFlows, classifyStated, noStated } from './stated';
import type { CheckOptions, CheckResult, Diagnostic, Flow, Severity, SeveritySetting, Span, Topology } from './types';
import { AliasBudget, AstReader, parseYaml } from './yaml-ast';
import type { ParsedYaml } from './yaml-ast';

/** Documents longer than this (in UTF-16 code units, about bytes for YAML) get one diagnostic and are not checked: 5 MiB (a valid 5 MiB file checks in a few seconds; docs/reliability.md). */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const INTERNAL_ERROR = 'internal-error';

function clampSpan(s: Span, len: number): Span {
  const start = Math.max(0, Math.min(s.start, len));
  return { start, end: Math.max(start, Math.min(s.end, len)) };
}

function emptyTopology(): Topology {
  return { product: '11.7', dns: true, subnets: new Map(), firewalls: [], machines: new Map(), connections: [], rules: new Map() };
}

/** The rule ids in localeCompare order, so that sorting thousands of diagnostics needs no collation. */
const RULE_ID_ORDER = new Map([...RULES.map((r) => r.id), INTERNAL_ERROR, 'yaml-syntax'].sort((a, b) => a.localeCompare(b)).map((id, i) => [id, i]));

/** a.localeCompare(b) for rule ids (by rank for the known ones). */
function compareRuleIds(a: string, b: string): number {
  const ra = RULE_ID_ORDER.get(a);
  const rb = RULE_ID_ORDER.get(b);
  return ra !== undefined && rb !== undefined ? Math.sign(ra - rb) : a.localeCompare(b);
}

export function effectiveSeverity(rule: string, proposed: Severity, t: Topology, options: CheckOptions): SeveritySetting {
  const fromFile = t.rules.get(rule)?.value;
  if (fromFile) return fromFile;
  const fromCaller = options.rules?.[rule];
  if (fromCaller) return fromCaller;
  return proposed;
}

/** Is the text over the size limit (`options.maxBytes`, else DEFAULT_MAX_BYTES), so it is not checked? */
export function overSizeLimit(text: string, options: CheckOptions = {}): boolean {
  return text.length > (options.maxBytes ?? DEFAULT_MAX_BYTES);
}

export function check(text: string, options: CheckOptions = {}): CheckResult {
  if (overSizeLimit(text, options)) {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    const file = new SourceFile(text.slice(0, 200));
    const span = { start: 0, end: Math.min(1, text.length) };
    return {
      diagnostics: [{
        rule: 'yaml-syntax',
        severity: 'error',
        message: `the file is ${(text.length / 1048576).toFixed(1)} MiB, over the ${(maxBytes / 1048576).toFixed(0)} MiB limit; it was not checked (split the deployment into several files)`,
        span,
        range: file.range(span),
        related: [],
        fixes: [],
      }],
      topology: emptyTopology(),
      flows: [],
    };
  }
  return checkParsed(text, parseYaml(text), options);
}

/**
 * check() after the size guard, on an already parsed document (`parsed` must be what
 * `parseYaml(text)` returns, or equivalent: same node ranges, same problems). Used by the
 * incremental checker (incremental.ts), which assembles the parse from cached chunks. With `record`,
 * what the stages and rules read is kept for readsOf() (a delta check starts from such a result; the
 * recording costs a tenth of the check, so check() does not).
 */
export function checkParsed(text: string, parsed: ParsedYaml, options: CheckOptions = {}, record = false): CheckResult {
  const file = new SourceFile(text);
  const { doc, problems: syntax } = parsed;
  const budget = new AliasBudget();
  const reader = new AstReader(doc, budget);
  const diagnostics: Diagnostic[] = [];
  let t: Topology = emptyTopology();
  let derived: Flow[] = [];
  let stated = noStated();
  let schema: SchemaProblem[] = [];
  const internal = (stage: string, e: unknown, span: Span = { start: 0, end: 0 }) => {
    diagnostics.push({
      rule: INTERNAL_ERROR,
      severity: 'error',
      message: `internal error in ${stage}: ${e instanceof Error ? e.message : String(e)} (please report it; the rest of the file was still checked)`,
      span,
      range: file.range(span),
      related: [],
      fixes: [],
    });
  };
  try {
    t = buildTopology(reader);
  } catch (e) {
    internal('the model builder', e);
  }
  try {
    schema = validateSchema(reader, file);
  } catch (e) {
    internal('the schema validation', e);
  }
  // what the stages and each rule read of the topology and of the stages' results (for delta.ts)
  const reads: Reads = { stages: new Set(), rules: new Map() };
  const tStages = record ? recordingView(t, TOPOLOGY_FIELDS, reads.stages) : t;
  try {
    derived = deriveFlows(tStages);
    stated = classifyStated(tStages, derived);
  } catch (e) {
    internal('the flow derivation', e);
  }
  const flows = checkedFlows(derived, stated);
  let firewall: ReturnType<typeof evaluateFirewalls>;
  try {
    firewall = evaluateFirewalls(tStages, flows);
  } catch (e) {
    internal('the firewall evaluation', e);
    firewall = noFirewall();
  }

  const inputs: RuleInputs = { file, reader, t, flows, derived, stated, firewall, syntax, schema };
  const sup = suppressions(file);
  const pending: PendingFix[] = [];
  const reported = runRules(inputs, RULES, { options, sup, textLength: text.length, onError: (rule, e) => internal(`rule ${rule}`, e), record: record ? reads.rules : undefined, noFixes: options.fixes === false, defer: options.fixes === 'deferred' ? pending : undefined });
  const seen = new Set<string>();
  const duplicates = new Map<string, number>();
  for (const d of reported) {
    const key = diagnosticKey(d);
    if (seen.has(key)) {
      duplicates.set(key, (duplicates.get(key) ?? 1) + 1);
      continue;
    }
    seen.add(key);
    diagnostics.push(d);
  }
  if (budget.exceeded) {
    const span = budget.exceeded;
    diagnostics.push({ rule: 'yaml-syntax', severity: 'error', message: 'YAML: too many alias expansions (possible alias bomb); the aliased content was not checked', span, range: file.range(span), related: [], fixes: [] });
  }
  diagnostics.sort(compareDiagnostics);
  const result = { diagnostics, topology: t, flows };
  if (pending.length > 0) PENDING.set(result, pending);
  FILES.set(result, file);
  if (!budget.exceeded) DUPLICATES.set(result, duplicates);
  if (!budget.exceeded && record) READS.set(result, reads);
  return result;
}

/** The topology's fields whose reads are recorded (machines are not: delta.ts handles them apart). */
export const TOPOLOGY_FIELDS = ['version', 'title', 'product', 'dns', 'dnsSpan', 'subnets', 'firewalls', 'management', 'installation', 'connections', 'rules'] as const;
/** The rule inputs whose reads are recorded, as `@name` (the stages' results and the document's problems). */
const INPUT_FIELDS = ['flows', 'derived', 'stated', 'firewall', 'syntax', 'schema'] as const;

/**
 * What the stages (together) and each rule read: topology fields (TOPOLOGY_FIELDS) and rule inputs
 * (`@flows`, `@stated`, …). A stage or rule that did not read a field gives the same result when only
 * that field changes; the delta check (delta.ts) re-runs only the rules that read what an edit changed.
 */
export interface Reads {
  stages: Set<string>;
  rules: Map<string, Set<string>>;
}

const READS = new WeakMap<CheckResult, Reads>();

/** For a result of checkParsed() (or one the incremental checker made from one): what its stages and rules read. */
export function readsOf(result: CheckResult): Reads | undefined {
  return READS.get(result);
}

export function setReads(result: CheckResult, reads: Reads): void {
  READS.set(result, reads);
}

/**
 * `target` seen through an object that records, in `reads`, which of `fields` are read (the values are
 * those of when the view was made). Reads of other properties go to the target (the prototype);
 * nothing writes through it.
 */
export function recordingView<T extends object>(target: T, fields: readonly string[], reads: Set<string>, prefix = ''): T {
  const view = Object.create(target) as T;
  for (const f of fields) {
    // (a getter that stays: redefining the property on first read would turn the view into a
    // dictionary, and rules read `ctx.flows` once per flow)
    const value = (target as Record<string, unknown>)[f];
    let read = false;
    Object.defineProperty(view, f, {
      configurable: true,
      enumerable: true,
      get() {
        if (!read) {
          read = true;
          reads.add(prefix + f);
        }
        return value;
      },
    });
  }
  return view;
}

const FILES = new WeakMap<CheckResult, SourceFile>();

/**
 * The line index of the text a result is for, when the one who made the result kept it (checkParsed,
 * the delta check, a reused result): the next result moved or checked from it takes that index
 * through the edit (SourceFile.afterEdit) instead of reading the whole text again (6–10 ms at 10,000
 * machines).
 */
export function fileOf(result: CheckResult, text: string): SourceFile | undefined {
  const f = FILES.get(result);
  return f && f.text.length === text.length && f.text === text ? f : undefined;
}

export function setFile(result: CheckResult, file: SourceFile): void {
  FILES.set(result, file);
}

const DUPLICATES = new WeakMap<CheckResult, ReadonlyMap<string, number>>();

/**
 * For a result of checkParsed() (or one the incremental checker made from one): how many reports each
 * diagnosticKey had before the duplicates were dropped, where more than one. Undefined for other results.
 */
export function duplicatesOf(result: CheckResult): ReadonlyMap<string, number> | undefined {
  return DUPLICATES.get(result);
}

/** Records what duplicatesOf(result) answers (the incremental checker, for results it assembles). */
export function setDuplicates(result: CheckResult, duplicates: ReadonlyMap<string, number>): void {
  DUPLICATES.set(result, duplicates);
}

/**
 * The order of check()'s diagnostics: by span, then rule, then message — a total order on a list
 * without duplicates (diagnosticKey), so that it does not depend on the order the rules found them in
 * (the incremental checker splices lists found in other orders; delta.ts).
 */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.span.start - b.span.start || a.span.end - b.span.end || compareRuleIds(a.rule, b.rule) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

/** What makes two diagnostics one: check() keeps the first of those with the same key. */
export function diagnosticKey(d: { rule: string; span: Span; message: string }): string {
  return `${d.rule}|${d.span.start}|${d.span.end}|${d.message}`;
}

/** What the rules read, besides the report callback (RuleContext without its functions). */
export type RuleInputs = Pick<RuleContext, 'file' | 'reader' | 't' | 'flows' | 'derived' | 'stated' | 'firewall' | 'syntax' | 'schema'>;

/** The context rules run in, for these inputs; `report` is set per rule by runRules. */
export function ruleContext(inputs: RuleInputs, report: (r: Report) => void): RuleContext {
  const { t, stated } = inputs;
  const machineKey = (name: string) => t.machines.get(name)?.keySpan;
  return {
    ...inputs,
    report,
    // (most files state no connection identical to a derived flow: then no id needs hashing)
    flowOrigin: (f) => (stated.originOf.size > 0 ? stated.originOf.get(f.id) : undefined) ?? f.origin,
    flowRelated: (f) => {
      const out: { message: string; span: Span }[] = [];
      const i = machineKey(f.initiator);
      const d = machineKey(f.destination);
      if (i && i.end > i.start) out.push({ message: `initiator: ${f.initiator}`, span: i });
      if (d && d.end > d.start) out.push({ message: `destination: ${f.destination}`, span: d });
      return out;
    },
  };
}

export interface RunRulesOptions {
  options: CheckOptions;
  /** the silenced lines of `file` (suppressions()) */
  sup: Map<number, Set<string>>;
  textLength: number;
  /** a rule threw: its reports are dropped */
  onError(rule: string, e: unknown): void;
  /** the file whose lines and columns the diagnostics get (default: inputs.file) */
  file?: SourceFile;
  /** fixes are not wanted (left empty) */
  noFixes?: boolean;
  /** the fixes rules make on demand are made later (CheckOptions.fixes 'deferred'): pushed here, their diagnostics' fixes empty until settleFixes */
  defer?: PendingFix[];
  /** called with each rule's context after it ran (for Rule.touches) */
  after?(rule: Rule, ctx: RuleContext): void;
  /** records what each rule reads (Reads.rules): added to the set under its id */
  record?: Map<string, Set<string>>;
}

/**
 * Runs the rules and turns their reports into diagnostics: clamped to the text, under the severity the
 * file and the caller give, without those a disable comment silences. Duplicates are kept (check()
 * drops them by diagnosticKey), in the order the rules reported them.
 */
export function runRules(inputs: RuleInputs, rules: readonly Rule[], o: RunRulesOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { t } = inputs;
  const file = o.file ?? inputs.file;
  let reports: Report[] = [];
  const push = (r: Report) => reports.push(r);
  const shared = o.record ? undefined : ruleContext(inputs, push);
  for (const rule of rules) {
    reports = [];
    let ctx = shared;
    if (!ctx) {
      let reads = o.record!.get(rule.id);
      if (!reads) o.record!.set(rule.id, (reads = new Set()));
      ctx = recordingView(ruleContext({ ...inputs, t: recordingView(t, TOPOLOGY_FIELDS, reads) }, push), INPUT_FIELDS, reads, '@');
    }
    try {
      rule.run(ctx);
      // fixes made on demand: now, while the rule's context is what it ran in (a throw is the rule's) — or later (defer)
      if (!o.noFixes && !o.defer) for (const r of reports) if (typeof r.fixes === 'function') r.fixes = r.fixes();
      o.after?.(rule, ctx);
    } catch (e) {
      o.onError(rule.id, e);
      continue;
    }
    for (const r of reports) {
      r.span = clampSpan(r.span, o.textLength);
      const sev = effectiveSeverity(rule.id, r.severity ?? rule.defaultSeverity, t, o.options);
      if (sev === 'off') continue;
      const range = file.range(r.span);
      const silenced = o.sup.get(range.start.line);
      if (silenced && (silenced.has('*') || silenced.has(rule.id))) continue;
      const d: Diagnostic = {
        rule: rule.id,
        severity: sev,
        message: r.message,
        span: r.span,
        range,
        // (a related location at the diagnostic's own span — the initiator of a flow reported on its key — says nothing)
        related: (r.related ?? []).filter((x) => x.span.start !== r.span.start || x.span.end !== r.span.end).map((x) => ({ message: x.message, span: x.span, range: file.range(x.span) })),
        fixes: o.noFixes || typeof r.fixes === 'function' ? [] : lspFixes(r.fixes ?? [], file),
        flowId: r.flowId,
      };
      if (o.defer && !o.noFixes && typeof r.fixes === 'function') o.defer.push({ d, make: r.fixes, file, rule: rule.id });
      out.push(d);
    }
  }
  return out;
}

/** A rule's fixes as a diagnostic has them: each edit with its range in `file`. */
function lspFixes(fixes: readonly RuleFix[], file: SourceFile): Diagnostic['fixes'] {
  return fixes.map((f) => ({ title: f.title, isPreferred: f.isPreferred, edits: f.edits.map((e) => file.edit(e.span, e.newText)) }));
}

/** A diagnostic whose fixes are made later (CheckOptions.fixes 'deferred'): the function its rule gave, and the file of its check. */
export interface PendingFix {
  d: Diagnostic;
  make: () => RuleFix[];
  file: SourceFile;
  rule: string;
}

/** the fixes of a result left for later (CheckOptions.fixes 'deferred'), until settleFixes */
const PENDING = new WeakMap<CheckResult, PendingFix[]>();

/** Sets aside the fixes of diagnostics a check made apart (the delta check's runs) for settleFixes(result). */
export function setPendingFixes(result: CheckResult, pending: PendingFix[]): void {
  if (pending.length > 0) PENDING.set(result, pending);
}

/**
 * Makes the fixes a check with CheckOptions.fixes 'deferred' left for later, and sets them on their
 * diagnostics (once; nothing to do for any other result). Call it before the result's AST changes
 * (the incremental checker does, at its next update) and before reading the fixes. A fix function
 * that throws leaves its diagnostic without fixes; the errors are returned. With `until` (a
 * performance.now() time) it stops there and leaves the rest for the next call (hasPendingFixes).
 */
export function settleFixes(result: CheckResult, until = Infinity): { rule: string; error: unknown }[] {
  const pending = PENDING.get(result);
  if (!pending) return [];
  const errors: { rule: string; error: unknown }[] = [];
  let i = 0;
  for (; i < pending.length; i++) {
    // (the deadline is looked at every 16 fixes: a fix takes microseconds)
    if (until !== Infinity && (i & 15) === 0 && i > 0 && performance.now() >= until) break;
    const p = pending[i];
    try {
      p.d.fixes = lspFixes(p.make(), p.file);
    } catch (error) {
      errors.push({ rule: p.rule, error });
    }
  }
  if (i >= pending.length) PENDING.delete(result);
  else PENDING.set(result, pending.slice(i));
  return errors;
}

/** Whether a result has fixes left for later (settleFixes). */
export function hasPendingFixes(result: CheckResult): boolean {
  return PENDING.has(result);
}

export { RULES, RULE_BY_ID, suppressions };
