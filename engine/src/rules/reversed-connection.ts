import { replace, yamlScalar } from '../edits';
import { defineRule } from '../rule';
import { describeFlow } from './util';

export default defineRule({
  id: 'reversed-connection',
  defaultSeverity: 'error',
  title: 'A stated connection matches a documented one only with from and to swapped',
  description:
    '*"The arrow direction shows which component initiates a connection. The text shows the destination port."* ' +
    'A firewall rule opened in the wrong direction does not let the documented connection through.',
  howToFix: 'Swap `from` and `to` (quick fix).',
  catalogue: [],
  run(ctx) {
    for (const v of ctx.stated.verdicts) {
      if (v.kind !== 'reversed' || !v.derived) continue;
      const c = v.connection;
      ctx.report({
        span: c.span,
        message: `reversed connection: ${c.from!.value} → ${c.to!.value} on ${v.flow.portLabel}; the documentation has ${describeFlow(v.derived)} — the connection is initiated by ${v.derived.initiator}`,
        related: ctx.flowRelated(v.derived),
        flowId: v.flow.id,
        fixes: [{
          title: 'Swap from and to',
          edits: [replace(ctx.file, c.from!.span, yamlScalar(c.to!.value)), replace(ctx.file, c.to!.span, yamlScalar(c.from!.value))],
          isPreferred: true,
        }],
      });
    }
  },
});
