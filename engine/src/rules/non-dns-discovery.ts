import { defineRule } from '../rule';
import { nameList, setKeysEdits } from './util';

export default defineRule({
  id: 'non-dns-discovery',
  defaultSeverity: 'error',
  title: 'Without DNS, the installing machine needs Network Discovery and File and Printer Sharing',
  description:
    'The documentation of remote installation says: *"In a non-DNS environment, it is necessary to enable ' +
    '**Network Discovery** and **File and Printer Sharing** on the machine from where the installation is ' +
    'performed (the management server or the management console). This requires additional TCP and UDP ports ' +
    'to be open."* (RI-11).\n\n' +
    'The rule fires when `network.dns` is `false`, the file has an `installation`, and the machine named by ' +
    '`installation.from` does not have both `network-discovery: true` and `file-and-printer-sharing: true` ' +
    '(an absent setting counts as `false`). One diagnostic names every missing setting.',
  howToFix:
    'Turn both Windows features on for the installing machine and say so in the file: ' +
    '`network-discovery: true` and `file-and-printer-sharing: true` (the quick fix sets both). Acronis does not list ' +
    'the "additional TCP and UDP ports" these need; they are those of the built-in Windows Firewall rule groups ' +
    '"Network Discovery" and "File and Printer Sharing" (NetBIOS, LLMNR, WSD, SSDP/UPnP, SMB).\n\n' +
    'To silence it: `# acrotopo-disable-next-line non-dns-discovery` above the reported line, or ' +
    '`rules: { non-dns-discovery: off }` for the file.',
  catalogue: ['RI-11'],
  run(ctx) {
    const t = ctx.t;
    if (t.dns || !t.installation?.from) return;
    const installer = t.machines.get(t.installation.from.value);
    if (!installer) return;
    const settings = [
      { key: 'network-discovery', label: 'Network Discovery', v: installer.networkDiscovery },
      { key: 'file-and-printer-sharing', label: 'File and Printer Sharing', v: installer.fileAndPrinterSharing },
    ];
    const missing = settings.filter((s) => s.v?.value !== true);
    if (missing.length === 0) return;
    const falseOne = missing.find((s) => s.v);
    const span = falseOne?.v?.span ?? installer.keySpan;
    const state = missing.map((s) => `${s.key}${s.v ? ': false' : ' is not set'}`);
    const edits = setKeysEdits(ctx, ['machines', installer.name], missing.map((s) => [s.key, 'true']));
    ctx.report({
      span,
      message:
        `${installer.name} runs the remote installation in a non-DNS environment (network.dns: false) without ` +
        `${nameList(missing.map((s) => s.label))} (${state.join(', ')}); both must be enabled on the machine the ` +
        `installation is performed from`,
      related: [
        ...(t.dnsSpan ? [{ message: 'no DNS in this network', span: t.dnsSpan }] : []),
        { message: 'the installation runs from here', span: t.installation.from.span },
      ],
      fixes: edits.length > 0
        ? [{ title: `Enable ${nameList(missing.map((s) => s.key))} on ${installer.name}`, isPreferred: true, edits }]
        : [],
    });
  },
});
