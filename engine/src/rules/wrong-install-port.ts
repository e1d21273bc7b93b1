import { replace } from '../edits';
import { CATALOGUE, installationPorts, portLabel } from '../facts';
import { defineRule } from '../rule';

export default defineRule({
  id: 'wrong-install-port',
  defaultSeverity: 'error',
  title: 'A stated installation connection uses the other OS\'s installation port',
  description:
    'Remote installation uses TCP 445 ("Sending files") and TCP 25001 ("Sending installation parameters") to ' +
    'Windows targets (RI-2/3, RI-7/8), and TCP 22 (SSH, "Sending files / Starting installation") to Linux targets ' +
    '(RI-4, RI-9). A stated connection from the installer to a target on the other OS\'s port opens the wrong hole ' +
    'in the firewall.',
  howToFix: 'Change the port to the one the target\'s OS uses (quick fix).',
  catalogue: ['RI-2', 'RI-3', 'RI-4', 'RI-7', 'RI-8', 'RI-9'],
  run(ctx) {
    for (const v of ctx.stated.verdicts) {
      if (v.kind !== 'wrong-install-port') continue;
      const target = ctx.t.machines.get(v.flow.destination)!;
      const os = target.os!.value;
      const ports = installationPorts(os);
      const rows = CATALOGUE.filter((r) => r.from.includes('installer') && r.to.includes(os === 'windows' ? 'windows-target' : 'linux-target'));
      const uses = ports.map((p) => `${portLabel(p)} "${rows.find((r) => r.ports.some((q) => portLabel(q) === portLabel(p)))?.purpose}"`).join(' and ');
      const portSpan = v.connection.port!.span;
      ctx.report({
        span: v.connection.span,
        message: `wrong installation port: ${v.flow.initiator} → ${target.name} on ${v.flow.portLabel}, but ${target.name} runs ${os}; remote installation to ${os === 'windows' ? 'Windows' : 'Linux'} uses ${uses}`,
        related: [{ message: `os of ${target.name}`, span: target.os!.span }],
        flowId: v.flow.id,
        fixes: ports.map((p, i) => ({ title: `Change the port to ${portLabel(p)}`, edits: [replace(ctx.file, portSpan, portLabel(p))], isPreferred: i === 0 })),
      });
    }
  },
});
