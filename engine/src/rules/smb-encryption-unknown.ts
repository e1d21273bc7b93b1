import { defineRule } from '../rule';
import { describeFlow, smbFlows, smbFix } from './util';

export default defineRule({
  id: 'smb-encryption-unknown',
  defaultSeverity: 'info',
  title: 'A TCP 445 flow goes to a machine whose SMB encryption is not stated',
  description:
    'Remote installation sends files to Windows targets over TCP 445 (RI-2, RI-7: "Sending files (see the list)"). ' +
    'The documentation says: *"TCP 445: Traffic encryption depends on the File and Printer Sharing options in ' +
    'Windows"*. When the target does not state `file-sharing-encryption`, Acrotopo cannot tell whether the ' +
    'installation packages cross the network encrypted.',
  howToFix:
    'Turn on SMB encryption on the target (Windows Server 2012 and later: `Set-SmbServerConfiguration ' +
    '-EncryptData $true`) and record it with `file-sharing-encryption: true` on the machine (quick fix), or ' +
    'record `false` if it is off (then `smb-unencrypted` warns).',
  catalogue: ['RI-2', 'RI-7'],
  run(ctx) {
    for (const { flow, destination } of smbFlows(ctx)) {
      if (destination.fileSharingEncryption) continue;
      ctx.report({
        span: ctx.flowOrigin(flow),
        message: `SMB encryption of ${destination.name} is not stated: ${describeFlow(flow)}; traffic encryption depends on the File and Printer Sharing options in Windows`,
        related: ctx.flowRelated(flow),
        flowId: flow.id,
        fixes: () => smbFix(ctx, destination),
      });
    }
  },
});
