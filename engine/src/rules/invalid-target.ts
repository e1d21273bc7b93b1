import { AGENT_COMPONENTS, installationPorts, portLabel } from '../facts';
import { hasRole } from '../flows';
import { defineRule } from '../rule';
import { machineRelated, nameList } from './util';

const ports = (os: 'windows' | 'linux') => installationPorts(os).map(portLabel).join(', ');

export default defineRule({
  id: 'invalid-target',
  defaultSeverity: 'error',
  title: 'An installation target cannot receive an agent by remote installation',
  description:
    'Remote installation installs **agents** (*"1. Remote installation of Agents"*), and the documentation ' +
    'describes it for two kinds of target: a Windows machine, which receives the files on TCP 445 (*"Sending ' +
    'files (see the list)"*, RI-2/RI-7) and the parameters on TCP 25001 (*"Sending installation parameters"*, ' +
    'RI-3/RI-8), and a Linux machine, reached by SSH on TCP 22 (*"Sending files (see the list) / Starting ' +
    'installation"*, RI-4/RI-9).\n\n' +
    'So every item of `installation.to` must be a machine that carries an agent component (`agent-for-windows`, ' +
    '`agent-for-linux`, …) and whose `os` is `windows` or `linux`: a virtual appliance or an `other` system has ' +
    'no documented installation path, and without an `os` the installation ports cannot be derived.',
  howToFix:
    'Add the agent being installed to the target\'s `components`, set its `os:` to `windows` or `linux`, or remove ' +
    'the machine from `installation.to` (a virtual appliance is deployed, not remotely installed).\n\n' +
    'To silence it: `# acrotopo-disable-next-line invalid-target` above the item, or ' +
    '`rules: { invalid-target: off }` for the file.',
  catalogue: ['RI-2', 'RI-3', 'RI-4', 'RI-7', 'RI-8', 'RI-9'],
  run(ctx) {
    const t = ctx.t;
    if (!t.installation) return;
    for (const item of t.installation.to) {
      const m = t.machines.get(item.value);
      if (!m) continue; // unknown-reference
      const reasons: string[] = [];
      if (!hasRole(m, 'agent')) reasons.push(`has no agent component (${nameList(AGENT_COMPONENTS, 3)}): remote installation installs an agent`);
      const os = m.os?.value;
      if (!os) reasons.push(`has no os: the OS decides the installation ports (windows: ${ports('windows')}; linux: ${ports('linux')})`);
      else if (os !== 'windows' && os !== 'linux') reasons.push(`runs os ${os}: remote installation is documented only for windows (${ports('windows')}) and linux (${ports('linux')}) targets`);
      if (reasons.length === 0) continue;
      ctx.report({
        span: item.span,
        message: `installation target ${m.name} ${reasons.join('; it also ')}`,
        related: [...machineRelated(m, `${m.name} is declared here`), ...(m.os ? [{ message: `os of ${m.name}`, span: m.os.span }] : [])],
      });
    }
  },
});
