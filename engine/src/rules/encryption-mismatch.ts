import { defineRule } from '../rule';
import { agentPortFlowsWith, describeFlow, encryptionFix, encryptionSides } from './util';

export default defineRule({
  id: 'encryption-mismatch',
  defaultSeverity: 'error',
  title: 'The client/server encryption settings make an agent-port (TCP 9876) connection impossible',
  description:
    'Administrative template, Client Encryption options (S4): *"Disabled: no encryption. Connections to a server ' +
    'application that requires encryption will not be established."* and *"Required: data moves only if the ' +
    'server application has encryption enabled"*. So client `disabled` × server `required`, and client ' +
    '`required` × server `disabled`, give **no connection**: the deployment cannot work.',
  howToFix: 'Set the `disabled` side to `enabled` (quick fix), in the machine\'s `encryption:` or in `management.encryption`.',
  catalogue: ['RI-1', 'RI-5', 'CC-1', 'CC-2', 'CC-3', 'CC-4', 'CC-5', 'CC-13', 'CC-14', 'CC-15'],
  run(ctx) {
    for (const flow of agentPortFlowsWith(ctx, 'impossible')) {
      const sides = encryptionSides(ctx, flow);
      const off = sides.filter((s) => s.value === 'disabled');
      ctx.report({
        span: ctx.flowOrigin(flow),
        message: `no connection is possible: ${describeFlow(flow)}; ${sides.map((s) => s.text).join(' × ')}`,
        related: [...ctx.flowRelated(flow), ...sides.filter((s) => s.span).map((s) => ({ message: s.text, span: s.span! }))],
        flowId: flow.id,
        fixes: () => encryptionFix(ctx, off),
      });
    }
  },
});
