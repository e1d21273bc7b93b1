import { yamlScalar } from '../edits';
import { hasRole, machinesWithRole, managementServer } from '../flows';
import { defineRule } from '../rule';
import type { Report } from '../rule';
import { machineRelated, nameList } from './util';

export default defineRule({
  id: 'invalid-installer',
  defaultSeverity: 'error',
  title: 'The installation runs from a machine that cannot perform it',
  description:
    'The documentation shows remote installation of agents in two set-ups: *"Management Server is present"*, ' +
    'where the management server sends the files and the installation parameters to the target (RI-2, RI-3, ' +
    'RI-4), and *"Management Server is absent"*, where the management console does (RI-7, RI-8, RI-9). The ' +
    'notes call it *"the machine from where the installation is performed (the management server or the ' +
    'management console)"*.\n\n' +
    'So `installation.from` must be the management server named by `management.server` when there is one; ' +
    'when there is none, it must be a machine with the `management-console` component. Otherwise the derived ' +
    'installation flows (and the firewall rules they need) start from the wrong machine.',
  howToFix:
    'Set `installation.from` to the management server (quick fix), or, without a management server, to a machine ' +
    'that carries `management-console` (quick fixes offer the console machines), or add `management-console` ' +
    'to the machine\'s `components`.\n\n' +
    'To silence it: `# acrotopo-disable-next-line invalid-installer` above `from:`, or ' +
    '`rules: { invalid-installer: off }` for the file.',
  catalogue: ['RI-2', 'RI-3', 'RI-4', 'RI-7', 'RI-8', 'RI-9'],
  run(ctx) {
    const t = ctx.t;
    const from = t.installation?.from;
    if (!from) return;
    const installer = t.machines.get(from.value);
    if (!installer) return; // unknown-reference
    const server = managementServer(t);
    if (t.management?.server && !server) return; // the server name is unknown: unknown-reference
    if (server) {
      if (installer === server) return;
      ctx.report({
        span: from.span,
        message:
          `installation.from is ${installer.name}, but with a management server the installation is performed from ` +
          `the management server ${server.name} (RI-2…RI-4: it sends the files and installation parameters to the targets)`,
        related: machineRelated(server, `management server ${server.name}`),
        fixes: [{ title: `Install from the management server ${server.name}`, isPreferred: true, edits: [{ span: from.span, newText: yamlScalar(server.name) }] }],
      });
      return;
    }
    if (hasRole(installer, 'console')) return;
    const consoles = machinesWithRole(t, 'console');
    const fixes: NonNullable<Report['fixes']> = consoles.slice(0, 3).map((c, i) => ({
      title: `Install from ${c.name} (has the management console)`,
      isPreferred: i === 0 && consoles.length === 1,
      edits: [{ span: from.span, newText: yamlScalar(c.name) }],
    }));
    ctx.report({
      span: from.span,
      message:
        `installation.from is ${installer.name}, which has no management-console: without a management server the ` +
        `installation is performed from a machine with the management console (RI-7…RI-9)` +
        (consoles.length ? `; machines with the console: ${nameList(consoles.map((c) => c.name))}` : '; no machine has the console'),
      related: [
        ...machineRelated(installer, `${installer.name} has no management-console`),
        ...consoles.slice(0, 3).flatMap((c) => machineRelated(c, `${c.name} has the management console`)),
      ],
      fixes,
    });
  },
});
