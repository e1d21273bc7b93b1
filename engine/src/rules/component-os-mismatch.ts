import { COMPONENT_BY_ID } from '../facts';
import { defineRule } from '../rule';
import { nameList } from './util';

export default defineRule({
  id: 'component-os-mismatch',
  defaultSeverity: 'error',
  title: 'A component on a machine whose operating system it does not run on',
  description:
    'Each Acronis component runs on given operating systems: the documentation\'s diagram has *"Agent for ' +
    'Windows"*, *"Agent for Linux"*, *"Agent for VMware (Virtual Appliance)"* and *"Agent for VMware (Windows)"*, ' +
    'and the management server, storage node and the Windows-only agents (Hyper-V, Exchange, SQL, Active ' +
    'Directory) run on Windows. A component on a machine of another `os` (e.g. `agent-for-linux` on a ' +
    '`windows` machine) is a mistake in the file, and it also changes what is derived: the OS decides the ' +
    'installation ports (TCP 445 and 25001 for Windows, TCP 22 for Linux) and the source ports of every flow.\n\n' +
    'Some OS lists are inferred (the catalogue does not state them); the message says so. External systems ' +
    '(`vcenter`, `esxi`, `network-share`, `acronis-cloud`) have no OS constraint. Machines without `os` are not checked.',
  howToFix:
    'Use the component that matches the machine (`agent-for-windows` on Windows, `agent-for-linux` on Linux, ' +
    '`agent-for-vmware` on Windows or the virtual appliance), or correct the machine\'s `os`.\n\n' +
    'To silence it: `# acrotopo-disable-next-line component-os-mismatch` above the line, or ' +
    '`rules: { component-os-mismatch: off }` for the file.',
  catalogue: [],
  run(ctx) {
    for (const m of ctx.t.machines.values()) {
      const os = m.os?.value;
      if (!os || m.implicit) continue;
      for (const c of m.components) {
        const fact = COMPONENT_BY_ID.get(c.value);
        if (!fact || fact.external || !fact.os || fact.os.includes(os)) continue;
        const inferred = fact.osStatus === 'inferred' ? ' (inferred: the documentation does not state the OS list)' : '';
        ctx.report({
          span: c.span,
          message:
            `${c.value} cannot run on ${m.name}, whose os is ${os}: ${fact.label} runs on ${nameList(fact.os, 5).replace(/ and /, ' or ')}${inferred}`,
          related: m.os ? [{ message: `os of ${m.name}`, span: m.os.span }] : [],
        });
      }
    }
  },
});
