import { DEFAULT_AGENT_PORT, portFact } from '../facts';
import { agentPort } from '../model';
import { defineRule } from '../rule';
import type { PortSpec } from '../types';
import { describeFlow } from './util';

export default defineRule({
  id: 'unencrypted-port',
  defaultSeverity: 'warning',
  title: 'A required connection uses a port whose traffic is not encrypted',
  description:
    'Fires for every derived or stated flow on a port the documentation marks as not encrypted: TCP 25001 ' +
    '("Sending installation parameters", RI-3/RI-8: *"Traffic itself isn\'t encrypted. But all user names and ' +
    'passwords are sent encrypted."*), and plain HTTP on TCP 8080 (management server web page, CC-11) or TCP 80 ' +
    '(update check, CC-12). The traffic crosses the network in clear text.',
  howToFix:
    'There is no setting that encrypts these ports. Keep the flow inside a trusted network segment, or silence ' +
    'the rule for the file (`rules: { unencrypted-port: off }`) once the risk is accepted.',
  catalogue: ['RI-3', 'RI-8', 'CC-11', 'CC-12'],
  run(ctx) {
    // A port's fact is its own one unless it is the destination's agent port (then it is configurable, not
    // unencrypted): flows on a port whose own fact is not "unencrypted" need no destination lookup. Flows
    // share their PortSpec objects, so the own fact is looked up once per run of one port.
    let lastPort: PortSpec | undefined;
    let mayBeUnencrypted = false;
    const flows = ctx.flows; // (read once: a recording getter in the language server, util.ts smbFlows)
    for (let n = 0; n < flows.length; n++) {
      const f = flows[n]; // (indexed: ~75k flows, once per check)
      if (f.port !== lastPort) {
        lastPort = f.port;
        mayBeUnencrypted = portFact(f.port, NaN)?.encryption === 'unencrypted'; // NaN: no agent port
      }
      if (!mayBeUnencrypted) continue;
      const t = ctx.t;
      const dest = t.machines.get(f.destination);
      const fact = portFact(f.port, agentPort(t, dest, DEFAULT_AGENT_PORT));
      if (fact?.encryption !== 'unencrypted') continue;
      ctx.report({
        span: ctx.flowOrigin(f),
        message: `port ${f.port.from} is unencrypted: ${describeFlow(f)}. ${fact.note}`,
        related: ctx.flowRelated(f),
        flowId: f.id,
      });
    }
  },
});
