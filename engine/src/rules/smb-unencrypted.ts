import { defineRule } from '../rule';
import { describeFlow, smbFlows, smbFix } from './util';

export default defineRule({
  id: 'smb-unencrypted',
  defaultSeverity: 'warning',
  title: 'A TCP 445 flow goes to a machine with SMB encryption turned off',
  description:
    'Remote installation sends the installation packages (.msi files, Acroinst.exe, Msi_setup.exe) to Windows ' +
    'targets over TCP 445 (RI-2, RI-7). *"TCP 445: Traffic encryption depends on the File and Printer Sharing ' +
    'options in Windows"* — with `file-sharing-encryption: false` they cross the network unencrypted.',
  howToFix: 'Turn on SMB encryption on the target and set `file-sharing-encryption: true` (quick fix).',
  catalogue: ['RI-2', 'RI-7'],
  run(ctx) {
    for (const { flow, destination } of smbFlows(ctx)) {
      const fse = destination.fileSharingEncryption;
      if (!fse || fse.value !== false) continue;
      ctx.report({
        span: ctx.flowOrigin(flow),
        message: `port 445 is unencrypted: ${describeFlow(flow)}; ${destination.name} has file-sharing-encryption: false`,
        related: [...ctx.flowRelated(flow), { message: `file-sharing-encryption of ${destination.name}`, span: fse.span }],
        flowId: flow.id,
        fixes: () => smbFix(ctx, destination),
      });
    }
  },
});
