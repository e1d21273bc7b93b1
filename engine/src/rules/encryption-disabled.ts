import { defineRule } from '../rule';
import { agentPortFlowsWith, describeFlow, encryptionFix, encryptionSides } from './util';

export default defineRule({
  id: 'encryption-disabled',
  defaultSeverity: 'warning',
  title: 'An agent-port (TCP 9876) flow is left unencrypted by the client/server encryption settings',
  description:
    '*"TCP 9876: By default, traffic is encrypted. Encryption is configured through the Acronis administrative ' +
    'template."* The template\'s **Client Encryption options** and **Server Encryption options** decide it: the ' +
    'initiator\'s client option × the destination\'s server option. `disabled` on either side with `enabled` on the ' +
    'other sends the traffic unencrypted (S4: "Disabled: no encryption").',
  howToFix:
    'Set the side that disables encryption to `enabled` (quick fix) — in the machine\'s own `encryption:` or in ' +
    '`management.encryption`, wherever the effective setting comes from.',
  catalogue: ['RI-1', 'RI-5', 'CC-1', 'CC-2', 'CC-3', 'CC-4', 'CC-5', 'CC-13', 'CC-14', 'CC-15'],
  run(ctx) {
    for (const flow of agentPortFlowsWith(ctx, 'unencrypted')) {
      const sides = encryptionSides(ctx, flow);
      const off = sides.filter((s) => s.value === 'disabled');
      ctx.report({
        span: ctx.flowOrigin(flow),
        message: `port ${flow.port.from} is unencrypted: ${describeFlow(flow)}; ${sides.map((s) => s.text).join(' × ')}`,
        related: [...ctx.flowRelated(flow), ...off.filter((s) => s.span).map((s) => ({ message: s.text, span: s.span! }))],
        flowId: flow.id,
        fixes: () => encryptionFix(ctx, off),
      });
    }
  },
});
