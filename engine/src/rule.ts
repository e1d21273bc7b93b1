// What a rule is, and what it gets to work with. A rule file exports `defineRule({...})`; its
// registration is one line in rules/index.ts.
import type { FirewallResult } from './firewall';
import type { SourceFile } from './source';
import type { StatedResult } from './stated';
import type { Firewall, Fix, Flow, RelatedInformation, RuleMeta, Severity, Span, Topology } from './types';
import type { AstReader, SyntaxProblem } from './yaml-ast';

export interface SchemaProblem {
  span: Span;
  message: string;
  /** did-you-mean replacements: each becomes a quick fix */
  suggestions: { span: Span; newText: string; title: string }[];
}

export interface Report {
  span: Span;
  message: string;
  /** overrides the rule's default severity for this diagnostic (still under the user's settings) */
  severity?: Severity;
  related?: { message: string; span: Span }[];
  /**
   * The quick fixes, or a function that makes them: called right after the rule ran, and only when the
   * caller wants fixes (CheckOptions.fixes; not the CLI's text and JSON output, nor the delta check's
   * run on the last text) — or later, before the text is parsed again, when the caller defers them
   * (CheckOptions.fixes 'deferred': the language server makes them while idle). Fixes that read the
   * AST (an entry to add, a key to set) are given so. The function reads what the rule's context held
   * when it ran (the context stays), and nothing of the stages' results the rule itself did not read:
   * the delta check decides from what the rule read whether to run it again.
   */
  fixes?: RuleFix[] | (() => RuleFix[]);
  flowId?: string;
}

export interface RuleFix {
  title: string;
  edits: { span: Span; newText: string }[];
  isPreferred?: boolean;
}

export interface RuleContext {
  file: SourceFile;
  reader: AstReader;
  t: Topology;
  /** derived and stated flows */
  flows: Flow[];
  derived: Flow[];
  stated: StatedResult;
  firewall: FirewallResult;
  syntax: SyntaxProblem[];
  schema: SchemaProblem[];
  report(r: Report): void;
  /** the span where diagnostics about a flow start (the stated entry when the flow was stated) */
  flowOrigin(f: Flow): Span;
  /** related information for the two machines of a flow */
  flowRelated(f: Flow): { message: string; span: Span }[];
}

export interface Rule extends RuleMeta {
  run(ctx: RuleContext): void;
  /**
   * For the incremental checker (delta.ts), which re-runs the rules on a few machines only and keeps
   * the other reports: a rule whose report about one machine or flow can depend on *other* machines'
   * flows (an aggregate: "N connections", "machines that use another port") says here whether, in this
   * context, anything it would aggregate is a dirty flow. True makes the checker run in
   * full. A rule without it promises that each report depends only on its own machine or flow, the
   * machines and flows it looks up by name, and the sections outside `machines:`.
   * `dirty` tells the flows that are new or gone (those of an edited machine or stated connection, or
   * that cross an edited firewall); `scope` what else is whole in the sub-runs.
   */
  touches?(ctx: RuleContext, dirty: (f: Flow) => boolean, scope: DeltaScope): boolean;
}

/** What a delta check tells Rule.touches beside the dirty flows. */
export interface DeltaScope {
  /**
   * Every flow that crosses this firewall is dirty (an edit of the firewalls made every flow between
   * their zones dirty): an aggregate over its flows is whole in the sub-runs, and may be found again there.
   */
  wholeFirewall(fw: Firewall): boolean;
}

export function defineRule(r: Rule): Rule {
  return r;
}

export type { Fix, RelatedInformation };
