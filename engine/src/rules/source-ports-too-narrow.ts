import { replace } from '../edits';
import { sourcePortsFor } from '../facts';
import { defineRule } from '../rule';

export default defineRule({
  id: 'source-ports-too-narrow',
  defaultSeverity: 'error',
  title: 'An allow entry\'s source-ports do not cover the initiator OS\'s ephemeral port range',
  description:
    'The documentation\'s connection notes: *"The source port is 1025–5000 (Windows prior to Windows Vista), ' +
    '49152–65535 (Windows Vista and later), or 32768–61000 (Linux and the virtual appliance)."* An allow entry that ' +
    'would pass a flow but for its `source-ports` drops the connections whose ephemeral port falls outside — ' +
    'typically intermittent failures. Each flow it fails to pass is also reported as `blocked-connection`.',
  howToFix: 'Set `source-ports` to the documented range of every initiator the entry serves (quick fix), or remove it.',
  catalogue: [],
  // One report per allow entry, over every flow it fails to pass: whole in a sub-run when every flow
  // through its firewall is dirty (that firewall was edited).
  touches(ctx, dirty, scope) {
    for (const { firewall, flows } of ctx.firewall.narrow.values()) if (!scope.wholeFirewall(firewall) && flows.some(dirty)) return true;
    return false;
  },
  run(ctx) {
    for (const [entry, { firewall, flows }] of ctx.firewall.narrow) {
      if (!entry.sourcePorts || !entry.sourcePortRange) continue;
      let from = entry.sourcePortRange.from;
      let to = entry.sourcePortRange.to;
      const needs = new Map<string, string>();
      for (const f of flows) {
        if (!f.sourcePorts) continue;
        from = Math.min(from, f.sourcePorts.from);
        to = Math.max(to, f.sourcePorts.to);
        const m = ctx.t.machines.get(f.initiator);
        const sp = sourcePortsFor(m?.os?.value, m?.windowsVersion?.value);
        if (sp) needs.set(sp.label, `${sp.label} ${sp.range.from}-${sp.range.to}`);
      }
      const initiators = [...new Set(flows.map((f) => f.initiator))];
      const who = initiators.slice(0, 3).join(', ') + (initiators.length > 3 ? ` and ${initiators.length - 3} more` : '');
      const fw = firewall.name ? `'${firewall.name.value}'` : `#${firewall.index + 1}`;
      ctx.report({
        span: entry.sourcePorts.span,
        message: `source-ports ${entry.sourcePorts.value} in firewall ${fw} do not cover the source ports of ${who} (${[...needs.values()].join('; ')}); ${flows.length} connection${flows.length === 1 ? ' is' : 's are'} blocked`,
        related: initiators.slice(0, 10).map((n) => ({ message: `initiator ${n}`, span: ctx.t.machines.get(n)!.keySpan })),
        fixes: [{ title: `Set source-ports to ${from}-${to}`, edits: [replace(ctx.file, entry.sourcePorts.span, `${from}-${to}`)], isPreferred: true }],
      });
    }
  },
});
