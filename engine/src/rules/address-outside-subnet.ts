import { yamlScalar } from '../edits';
import { inCidr, parseCidr } from '../model';
import { defineRule } from '../rule';
import type { Subnet } from '../types';

export default defineRule({
  id: 'address-outside-subnet',
  defaultSeverity: 'error',
  title: 'A machine\'s address is outside the subnet named for it',
  description:
    'A machine placed in a subnet with `subnet: NAME` must have an `address` inside that subnet\'s CIDR. The ' +
    'subnet decides the machine\'s zone, and so which firewalls its flows cross and whether it is ' +
    '"located on a different subnet than the management server" (the documentation\'s reason to add a hosts ' +
    'entry, RI-5). An address outside the CIDR means one of the two is wrong, and every zone-based check about ' +
    'the machine may be wrong with it. When the address falls in another declared subnet, the message names it.',
  howToFix:
    'Correct the `address`, or the `subnet:` (the quick fix sets it to the subnet that contains the address, ' +
    'when there is one), or remove `subnet:` so the subnet is derived from the address.\n\n' +
    'To silence it: `# acrotopo-disable-next-line address-outside-subnet` above `address:`, or ' +
    '`rules: { address-outside-subnet: off }` for the file.',
  catalogue: [],
  run(ctx) {
    const t = ctx.t;
    // Subnets with a valid CIDR, longest prefix first (the subnet an address falls in).
    const parsed = [...t.subnets.values()]
      .flatMap((s) => {
        const c = s.cidr ? parseCidr(s.cidr.value) : undefined;
        return c && s.cidr ? [{ s, cidr: s.cidr.value, bits: c.bits }] : [];
      })
      .sort((a, b) => b.bits - a.bits);
    const containing = (address: string, except: Subnet) => parsed.find((p) => p.s !== except && inCidr(address, p.cidr) === true)?.s;
    for (const m of t.machines.values()) {
      if (!m.subnet || !m.address) continue;
      const subnet = t.subnets.get(m.subnet.value);
      if (!subnet?.cidr) continue;
      const inside = inCidr(m.address.value, subnet.cidr.value);
      if (inside !== false) continue; // inside, or an address / CIDR that does not parse (the schema says so)
      const other = containing(m.address.value, subnet);
      ctx.report({
        span: m.address.span,
        message:
          `address ${m.address.value} of ${m.name} is outside subnet ${subnet.name} (${subnet.cidr.value})` +
          (other ? `; it falls in subnet ${other.name} (${other.cidr!.value})` : ''),
        related: [
          { message: `subnet ${subnet.name} is ${subnet.cidr.value}`, span: subnet.cidr.span },
          { message: `${m.name} is placed in subnet ${subnet.name}`, span: m.subnet.span },
          ...(other?.cidr ? [{ message: `subnet ${other.name} is ${other.cidr.value}`, span: other.cidr.span }] : []),
        ],
        fixes: other ? [{ title: `Place ${m.name} in subnet ${other.name}`, isPreferred: true, edits: [{ span: m.subnet.span, newText: yamlScalar(other.name) }] }] : [],
      });
    }
  },
});
