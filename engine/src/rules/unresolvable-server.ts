import { setKey } from '../edits';
import { CATALOGUE_BY_ID, DEFAULT_AGENT_PORT } from '../facts';
import { hasRole, managementServer } from '../flows';
import { agentPort, machineValues } from '../model';
import { defineRule } from '../rule';
import type { RuleFix } from '../rule';
import { addHostsEntryEdit, hasHostsEntry, machineRelated } from './util';

export default defineRule({
  id: 'unresolvable-server',
  defaultSeverity: 'error',
  title: 'Without DNS, an agent cannot resolve the management server\'s name',
  description:
    'When a new agent is installed it registers with the management server on the agent port (RI-5 ' +
    '"Registration on the management server", TCP 9876). The documentation says: *"The agent registers ' +
    'itself by using the specified network name or IP address of the management server. If the network ' +
    'name is specified, the agent obtains the IP address either from the DNS server or from the hosts file ' +
    '(`%SystemRoot%\\system32\\drivers\\etc\\hosts` in Windows or `/etc/hosts` in Linux)."*\n\n' +
    'In a non-DNS environment (`network.dns: false`) with `management.register-by: name` (the default), an ' +
    'agent machine whose `hosts:` has no entry for the management server has no way to turn the name into an ' +
    'address: registration fails. This rule covers agents in the same subnet as the server and agents whose ' +
    'subnet cannot be told; an agent in another subnet gets `missing-hosts-entry` instead (exactly one of the ' +
    'two fires per agent).',
  howToFix:
    'Add the management server to the agent\'s hosts file (the preferred quick fix adds `hosts: { SERVER: ADDRESS }` ' +
    'with the server\'s declared `address`), or make agents register by IP address with ' +
    '`management: { register-by: address }` (second quick fix).\n\n' +
    'To silence it: `# acrotopo-disable-next-line unresolvable-server` above the agent, or ' +
    '`rules: { unresolvable-server: off }` for the file.',
  catalogue: ['RI-5'],
  run(ctx) {
    const t = ctx.t;
    const server = managementServer(t);
    if (t.dns || !server || t.management?.registerBy !== 'name') return;
    const row = CATALOGUE_BY_ID.get('RI-5')!;
    const port = `tcp/${agentPort(t, server, DEFAULT_AGENT_PORT)}`;
    // (the second fix, the same for every agent: made once, when the first agent's fixes are)
    let byAddress: ReturnType<typeof setKey> | null = null;
    // (machineValues: tested as read, the one reported on taken from t.machines for its spans)
    for (const tested of machineValues(t.machines)) {
      if (tested.name === server.name || !hasRole(tested, 'agent') || hasHostsEntry(tested, server.name)) continue;
      // Cross-subnet agents are missing-hosts-entry's.
      if (tested.zone && server.zone && tested.zone !== server.zone) continue;
      const agent = t.machines.get(tested.name)!;
      const where = agent.zone && agent.zone === server.zone ? `it is in the same subnet as the server (${agent.zone})` : 'its subnet cannot be told';
      const fixes = (): RuleFix[] => {
        const out: RuleFix[] = [];
        const edit = addHostsEntryEdit(ctx, agent, server);
        if (edit) out.push({ title: `Add '${server.name}: ${server.address!.value}' to the hosts of ${agent.name}`, isPreferred: true, edits: [edit] });
        if (byAddress === null) byAddress = setKey(ctx.file, ctx.reader, ['management'], 'register-by', 'address');
        if (byAddress) out.push({ title: 'Register agents by address (management.register-by: address)', edits: [byAddress] });
        return out;
      };
      ctx.report({
        span: agent.keySpan,
        message:
          `agent ${agent.name} cannot resolve management server ${server.name}: the network has no DNS (network.dns: false), ` +
          `it registers by name (RI-5 "${row.purpose}", ${port}) and its hosts file has no entry for ${server.name}; ` +
          where,
        related: [
          ...machineRelated(server, `management server ${server.name}`),
          ...(t.dnsSpan ? [{ message: 'no DNS in this network', span: t.dnsSpan }] : []),
        ],
        fixes,
      });
    }
  },
});
