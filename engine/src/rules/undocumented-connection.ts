import { defineRule } from '../rule';

export default defineRule({
  id: 'undocumented-connection',
  defaultSeverity: 'warning',
  title: 'A stated connection matches no connection in the Acronis documentation',
  description:
    'Each entry of `connections:` is compared with the flows derived for this file and with every row of the ' +
    'catalogue (RI-*, CC-*, OT-*) by the roles of its two machines and its port. An entry that matches nothing is ' +
    'either a typo (machine or port) or a connection Acronis does not need — a hole in the firewall with no ' +
    'documented purpose.',
  howToFix: 'Check the machines and the port; remove the entry if Acronis does not need it, or silence the rule on that line with `# acrotopo-disable-next-line undocumented-connection`.',
  catalogue: [],
  run(ctx) {
    for (const v of ctx.stated.verdicts) {
      if (v.kind !== 'undocumented') continue;
      ctx.report({
        span: v.connection.span,
        message: `undocumented connection: ${v.flow.initiator} → ${v.flow.destination} on ${v.flow.portLabel} matches no connection in the Acronis documentation for these machines' roles`,
        related: ctx.flowRelated(v.flow),
        flowId: v.flow.id,
      });
    }
  },
});
