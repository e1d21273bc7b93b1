import ipaddr from 'ipaddr.js';
import { yamlScalar } from '../edits';
import { defineRule } from '../rule';
import { shown } from './util';
import type { Machine } from '../types';

/** An address in a form that compares right (IPv4-mapped IPv6 → IPv4, IPv6 zero runs expanded). */
function normalise(text: string): { norm: string; shown: string; loopback: boolean } | undefined {
  try {
    const a = ipaddr.process(text.trim());
    return { norm: `${a.kind()}:${a.toNormalizedString()}`, shown: a.toString(), loopback: a.range() === 'loopback' };
  } catch {
    return undefined;
  }
}

export default defineRule({
  id: 'hosts-entry-mismatch',
  defaultSeverity: 'error',
  title: 'A hosts entry maps a machine\'s name to an address other than its declared one',
  description:
    'An entry of a machine\'s `hosts:` (its `/etc/hosts` or `%SystemRoot%\\system32\\drivers\\etc\\hosts`) ' +
    'that names a machine of this file with a declared `address`, but maps it to another address. The ' +
    'documentation: *"If the network name is specified, the agent obtains the IP address either from the DNS ' +
    'server or from the hosts file"* — a wrong entry sends the agent\'s registration (RI-5, TCP 9876) and ' +
    'every later connection by that name to the wrong host.\n\n' +
    'Addresses are compared as IP addresses, not as text: `::ffff:10.0.0.10` equals `10.0.0.10`, ' +
    '`fe80:0::1` equals `fe80::1`. An octet with a leading zero is read as octal, as the system resolvers ' +
    'do (`10.0.0.010` is `10.0.0.8`), and the message says so. Names are compared case-insensitively, ' +
    'as host names are. A machine\'s own name mapped to a loopback address (`127.0.1.1 web01`, as Debian ' +
    'installs it) is not reported.',
  howToFix:
    'Correct the entry to the machine\'s declared address (the quick fix does), or correct the machine\'s ' +
    '`address` if the entry is the right one.\n\n' +
    'To silence it: `# acrotopo-disable-next-line hosts-entry-mismatch` above the entry, or ' +
    '`rules: { hosts-entry-mismatch: off }` for the file.',
  catalogue: ['RI-5'],
  run(ctx) {
    const t = ctx.t;
    // machines by lower-case name (first declared wins), built only when an entry's name is not exact
    let byLower: Map<string, Machine> | undefined;
    const byLowerName = (name: string) => {
      if (!byLower) {
        byLower = new Map();
        for (const m of t.machines.values()) if (!byLower.has(m.name.toLowerCase())) byLower.set(m.name.toLowerCase(), m);
      }
      return byLower.get(name.toLowerCase());
    };
    const declaredCache = new Map<Machine, ReturnType<typeof normalise>>();
    // Hosts entries repeat a few addresses (the servers') thousands of times: each text is read once.
    const entryCache = new Map<string, ReturnType<typeof normalise>>();
    const normaliseEntry = (text: string) => {
      if (!entryCache.has(text)) entryCache.set(text, normalise(text));
      return entryCache.get(text);
    };
    for (const m of t.machines.values()) {
      for (const h of m.hosts) {
        const target = t.machines.get(h.name.value) ?? byLowerName(h.name.value);
        if (!target?.address) continue;
        if (!declaredCache.has(target)) declaredCache.set(target, normalise(target.address.value));
        const declared = declaredCache.get(target);
        if (!declared) continue; // the declared address is not an IP address (the schema says so)
        const entry = normaliseEntry(h.address.value);
        if (entry && entry.norm === declared.norm) continue;
        // A machine's own name on a loopback address (`127.0.1.1 web01` on Debian) is not a mismatch.
        if (entry?.loopback && target === m) continue;
        const written = shown(h.address.value);
        let detail = '';
        if (!entry) detail = ` ('${written}' is not an IP address)`;
        else if (/(^|[.:])0\d/.test(written) && entry.shown !== written) detail = ` (${written} is read as ${entry.shown}: an octet with a leading 0 is octal)`;
        ctx.report({
          span: h.address.span,
          message:
            `hosts entry of ${m.name} maps ${h.name.value} to ${written}${detail}, but ${target.name}'s declared address is ` +
            `${target.address.value}: ${m.name} would reach the wrong host by that name`,
          related: [{ message: `${target.name}'s address`, span: target.address.span }],
          fixes: [{ title: `Change the entry to ${target.address.value}`, isPreferred: true, edits: [{ span: h.address.span, newText: yamlScalar(target.address.value) }] }],
        });
      }
    }
  },
});
