import { appendToSeq, replace, yamlScalar } from '../edits';
import { sourcePortsFor } from '../facts';
import { defineRule } from '../rule';
import type { AllowEntry, Firewall, Flow, TextEdit } from '../types';
import type { RuleContext } from '../rule';
import { describeFlow } from './util';

function fwName(fw: Firewall): string {
  return fw.name ? `'${fw.name.value}'` : `#${fw.index + 1}`;
}

function allowItem(from: string, to: string, port: string): string {
  return `{ from: ${yamlScalar(from)}, to: ${yamlScalar(to)}, port: ${port} }`;
}

/**
 * The zone-to-zone allow edits of one run, by firewall, zones and port: every blocked flow between two
 * zones gets the same one (thousands at 10k machines). Kept only when finding the `allow` sequence read
 * no alias: a lookup through aliases spends the alias budget, so it is repeated as before.
 */
type ZoneEdits = Map<string, TextEdit | undefined>;

function fixes(ctx: RuleContext, flow: Flow, fw: Firewall, near: AllowEntry | undefined, zoneEdits: ZoneEdits) {
  const out: { title: string; edits: { span: { start: number; end: number }; newText: string }[]; isPreferred?: boolean }[] = [];
  if (near?.sourcePorts && near.sourcePortRange && flow.sourcePorts) {
    const from = Math.min(near.sourcePortRange.from, flow.sourcePorts.from);
    const to = Math.max(near.sourcePortRange.to, flow.sourcePorts.to);
    out.push({ title: `Widen source-ports to ${from}-${to}`, edits: [replace(ctx.file, near.sourcePorts.span, `${from}-${to}`)], isPreferred: true });
  }
  const path = ['network', 'firewalls', String(fw.index), 'allow'];
  const byMachine = appendToSeq(ctx.file, ctx.reader, path, allowItem(flow.initiator, flow.destination, flow.portLabel));
  if (byMachine) out.push({ title: `Allow ${flow.portLabel} from ${flow.initiator} to ${flow.destination} in firewall ${fwName(fw)}`, edits: [byMachine], isPreferred: out.length === 0 });
  const zi = ctx.firewall.zoneOf(flow.initiator);
  const zd = ctx.firewall.zoneOf(flow.destination);
  if (zi && zd) {
    const key = `${fw.index}\u0000${zi}\u0000${zd}\u0000${flow.portLabel}`;
    let byZone = zoneEdits.get(key);
    if (byZone === undefined && !zoneEdits.has(key)) {
      const budget = ctx.reader.budget.remaining;
      byZone = appendToSeq(ctx.file, ctx.reader, path, allowItem(zi, zd, flow.portLabel));
      if (ctx.reader.budget.remaining === budget) zoneEdits.set(key, byZone);
    }
    if (byZone) out.push({ title: `Allow ${flow.portLabel} from zone ${zi} to zone ${zd} in firewall ${fwName(fw)}`, edits: [byZone] });
  }
  return out;
}

export default defineRule({
  id: 'blocked-connection',
  defaultSeverity: 'error',
  title: 'A firewall blocks a connection the deployment needs',
  description:
    'Traffic that crosses two zones named in a firewall\'s `between` passes only if an `allow` entry matches it ' +
    '(zone or machine on each side, the destination port, and — when given — `source-ports` covering the ' +
    'initiator\'s whole ephemeral range). The documentation\'s connection notes: *"The arrow direction shows which ' +
    'component initiates a connection. The text shows the destination port."* Management needs both directions on ' +
    'TCP 9876 (CC-1: the management server connects to agents to deploy plans and collect logs; agents connect to ' +
    'report that they are online), so a one-way rule breaks centralized management.',
  howToFix:
    'Add the matching `allow` entry to the firewall (quick fixes: machine to machine, or zone to zone), or widen ' +
    'the `source-ports` of the entry that almost matches.',
  catalogue: ['RI-2', 'RI-3', 'RI-4', 'RI-5', 'CC-1', 'CC-2', 'CC-3', 'CC-4', 'CC-5', 'CC-8', 'CC-9', 'CC-13', 'CC-14', 'CC-15'],
  run(ctx) {
    // Verdicts are looked up by flow object: two flows can share an id when a machine name holds '>'
    // ("a>b" → "c" and "a" → "b>c"; the schema rejects such names), and each has its own verdict.
    const zoneEdits: ZoneEdits = new Map();
    // (read once: in the language server the context's fields are getters that record what a rule reads)
    const flows = ctx.flows;
    const firewall = ctx.firewall;
    for (let n = 0; n < flows.length; n++) {
      const flow = flows[n];
      // evaluateFirewalls marks every flow it blocks: the others need no verdict lookup
      if (!flow.blockedBy) continue;
      const v = firewall.verdictOf(flow);
      if (!v) continue;
      for (const b of v.blockedBy) {
        const fw = b.firewall;
        const zi = firewall.zoneOf(flow.initiator);
        const zd = firewall.zoneOf(flow.destination);
        let why = 'no allow entry matches';
        const related = ctx.flowRelated(flow);
        if (fw.name) related.push({ message: `firewall ${fwName(fw)}`, span: fw.name.span });
        else related.push({ message: `firewall ${fwName(fw)}`, span: fw.span });
        if (b.nearMiss) {
          const sp = sourcePortsFor(ctx.t.machines.get(flow.initiator)?.os?.value, ctx.t.machines.get(flow.initiator)?.windowsVersion?.value);
          why = `allow entry #${b.nearMiss.index + 1} matches but its source-ports ${b.nearMiss.sourcePorts?.value} do not cover ${sp ? `${sp.label} ${sp.range.from}-${sp.range.to}` : 'the initiator\'s source ports'}`;
          related.push({ message: `allow entry #${b.nearMiss.index + 1}`, span: b.nearMiss.span });
        }
        ctx.report({
          span: ctx.flowOrigin(flow),
          message: `blocked by firewall ${fwName(fw)}: ${describeFlow(flow)} from zone ${zi} to zone ${zd}; ${why}`,
          related,
          flowId: flow.id,
          fixes: () => fixes(ctx, flow, fw, b.nearMiss, zoneEdits),
        });
      }
    }
  },
});
