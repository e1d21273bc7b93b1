import { CATALOGUE_BY_ID, DEFAULT_AGENT_PORT } from '../facts';
import { hasRole, managementServer } from '../flows';
import { agentPort, INTERNET_ZONE, machineValues } from '../model';
import { defineRule } from '../rule';
import { addHostsEntryEdit, hasHostsEntry, machineRelated } from './util';

const zoneWord = (z: string) => (z === INTERNET_ZONE ? `zone ${z}` : `subnet ${z}`);

export default defineRule({
  id: 'missing-hosts-entry',
  defaultSeverity: 'warning',
  title: 'A cross-subnet agent registers with the management server by name but has no hosts entry for it',
  description:
    'When a new agent is installed it registers with the management server on the agent port (RI-5 ' +
    '"Registration on the management server", TCP 9876). The documentation says: *"The agent registers ' +
    'itself by using the specified network name or IP address of the management server. If the network ' +
    'name is specified, the agent obtains the IP address either from the DNS server or from the hosts file ' +
    '(`%SystemRoot%\\system32\\drivers\\etc\\hosts` in Windows or `/etc/hosts` in Linux). Adding the management ' +
    'server to this file helps when the agent is located on a different subnet than the management server."*\n\n' +
    'The rule fires for every agent machine (a machine with an `agent-for-*` component) whose subnet differs ' +
    'from the management server\'s, when `management.register-by` is `name` (the default) and the agent\'s ' +
    '`hosts:` has no entry for the server. It is a warning when DNS is available (`network.dns: true`, the ' +
    'default: DNS may still resolve the name) and an **error** in a non-DNS environment (`network.dns: false`), ' +
    'where the hosts file is the only way the name can be resolved. Agents in the same subnet as the server ' +
    'are covered by `unresolvable-server`.',
  howToFix:
    'Add the management server to the agent\'s hosts file, e.g. `hosts: { ams01: 10.0.0.10 }` (the quick ' +
    'fix adds it with the server\'s declared `address`), or let agents register by address ' +
    '(`management: { register-by: address }`).\n\n' +
    'To silence it: `# acrotopo-disable-next-line missing-hosts-entry` above the agent, or ' +
    '`rules: { missing-hosts-entry: off }` for the file.',
  catalogue: ['RI-5'],
  run(ctx) {
    const t = ctx.t;
    const server = managementServer(t);
    if (!server || t.management?.registerBy !== 'name' || !server.zone) return;
    const row = CATALOGUE_BY_ID.get('RI-5')!;
    const port = `tcp/${agentPort(t, server, DEFAULT_AGENT_PORT)}`;
    const severity = t.dns ? 'warning' : 'error';
    // (machineValues: tested as read, the one reported on taken from t.machines for its spans)
    for (const tested of machineValues(t.machines)) {
      if (tested.name === server.name || !tested.zone || tested.zone === server.zone) continue;
      if (!hasRole(tested, 'agent') || hasHostsEntry(tested, server.name)) continue;
      const agent = t.machines.get(tested.name)!;
      const why = t.dns
        ? 'unless DNS resolves the name across subnets, registration fails'
        : 'the network has no DNS (network.dns: false), so the hosts file is the only way to resolve the name';
      ctx.report({
        span: agent.hostsSpan ?? agent.keySpan,
        severity,
        message:
          `missing hosts entry for cross-subnet agent ${agent.name}: it registers with management server ${server.name} ` +
          `by name from ${zoneWord(tested.zone)} while the server is in ${zoneWord(server.zone)} ` +
          `(RI-5 "${row.purpose}", ${port}); ${why}`,
        related: [
          ...machineRelated(server, `management server ${server.name} (${zoneWord(server.zone)})`),
          ...(t.dnsSpan && !t.dns ? [{ message: 'no DNS in this network', span: t.dnsSpan }] : []),
        ],
        fixes: () => {
          const edit = addHostsEntryEdit(ctx, agent, server);
          return edit ? [{ title: `Add '${server.name}: ${server.address!.value}' to the hosts of ${agent.name}`, isPreferred: true, edits: [edit] }] : [];
        },
      });
    }
  },
});
