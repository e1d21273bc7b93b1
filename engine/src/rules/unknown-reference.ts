import { yamlScalar } from '../edits';
import { IMPLICIT_CLOUD, INTERNET_ZONE, machineValues } from '../model';
import { defineRule } from '../rule';
import type { Located, Span } from '../types';
import { closestName, nameList, shown } from './util';

type Kind = 'machine' | 'subnet' | 'zone' | 'zone or machine';

export default defineRule({
  id: 'unknown-reference',
  defaultSeverity: 'error',
  title: 'A machine, subnet or zone name that is not declared',
  description:
    'Names in an acrotopo file point at things declared elsewhere in it. This rule checks every one:\n\n' +
    '| where | must name |\n|---|---|\n' +
    '| `management.server`, `installation.from`, each item of `installation.to` | a machine under `machines:` |\n' +
    '| `connections[].from` / `to` | a machine, or the implicit `acronis-cloud` or `internet` |\n' +
    '| a machine\'s `subnet:` | a subnet under `network.subnets:` (or the reserved zone `internet`) |\n' +
    '| `network.firewalls[].between` items | a zone: a subnet name or `internet` |\n' +
    '| `network.firewalls[].allow[].from` / `to` | a zone or a machine |\n\n' +
    'An unknown name silently drops what depends on it: a misspelt `management.server` means no management ' +
    'server, so none of the flows the documentation requires for it (CC-1 "Registering, managing agents", ' +
    'RI-5 "Registration on the management server", …) is derived or checked; a misspelt zone in a firewall ' +
    'makes the firewall block nothing. When a declared name of the right kind is within edit distance 2, ' +
    'the message asks `did you mean \'NAME\'?`.',
  howToFix:
    'Correct the name (the quick fix applies the suggested one), or declare the missing machine under ' +
    '`machines:` / the missing subnet under `network.subnets:`.\n\n' +
    'To silence it: `# acrotopo-disable-next-line unknown-reference` above the line, or ' +
    '`rules: { unknown-reference: off }` for the file.',
  catalogue: [],
  run(ctx) {
    const t = ctx.t;
    // What each kind of reference may name. `has` answers from the topology's maps; the names a
    // suggestion is chosen from (`candidates`: the declared names and the implicit `internet` /
    // `acronis-cloud`, in the order the message's tie-break goes by) are listed only when a name is
    // unknown, as strings — at 10,000 machines an object per name, and a map of them, cost ~7 ms of
    // every run that met an unknown name (the delta check runs the rule twice per edit).
    interface Names {
      has(name: string): boolean;
      /** the declared names (for the message when nothing is close) */
      declared(): readonly string[];
      /** the names to suggest from, in order (declared and implicit) */
      candidates(): readonly string[];
      /** where a name suggested is declared (none for the implicit ones) */
      span(name: string): Span | undefined;
    }
    let machineNames: string[] | undefined;
    let subnetNames: string[] | undefined;
    const machinesDeclared = () => (machineNames ??= [...t.machines.keys()]);
    const subnetsDeclared = () => (subnetNames ??= [...t.subnets.values()].map((s) => s.name));
    const machineSpan = (n: string) => t.machines.get(n)?.keySpan;
    const subnetSpan = (n: string) => t.subnets.get(n)?.keySpan;
    /** `list` with each of `extra` not in it already, after it */
    const withImplicit = (list: readonly string[], extra: string[]) => [...list, ...extra.filter((e) => !list.includes(e))];
    const memo = <T>(f: () => T) => {
      let v: T | undefined;
      return () => (v ??= f());
    };
    const machines: Names = { has: (n) => t.machines.has(n), declared: machinesDeclared, candidates: machinesDeclared, span: machineSpan };
    const endpoints: Names = {
      has: (n) => t.machines.has(n) || n === IMPLICIT_CLOUD || n === INTERNET_ZONE,
      declared: machinesDeclared,
      candidates: memo(() => withImplicit(machinesDeclared(), [IMPLICIT_CLOUD, INTERNET_ZONE])),
      span: machineSpan,
    };
    const zones: Names = {
      has: (n) => t.subnets.has(n) || n === INTERNET_ZONE,
      declared: subnetsDeclared,
      candidates: memo(() => withImplicit(subnetsDeclared(), [INTERNET_ZONE])),
      span: subnetSpan,
    };
    const subnetRefs: Names = { ...zones }; // same names; its own entry so the cached wording says "subnets"
    const zoneOrMachine: Names = {
      has: (n) => t.subnets.has(n) || n === INTERNET_ZONE || t.machines.has(n) || n === IMPLICIT_CLOUD,
      declared: memo(() => [...subnetsDeclared(), ...machinesDeclared()]),
      candidates: memo(() => withImplicit([...subnetsDeclared(), INTERNET_ZONE, ...machinesDeclared()], [IMPLICIT_CLOUD])),
      // (a machine's before a subnet's of the same name; `internet` itself is the implicit zone)
      span: (n) => machineSpan(n) ?? (n === INTERNET_ZONE ? undefined : subnetSpan(n)),
    };

    const suggestions = new Map<Names, Map<string, string | undefined>>();
    const declaredLists = new Map<Names, string>();
    const plural: Record<Kind, string> = { machine: 'machines', subnet: 'subnets', zone: 'zones', 'zone or machine': 'zones and machines' };
    const check = (ref: Located<string> | undefined, kind: Kind, names: Names, where: string | (() => string)) => {
      if (!ref || names.has(ref.value)) return;
      const name = ref.value;
      let cache = suggestions.get(names);
      if (!cache) suggestions.set(names, (cache = new Map()));
      if (!cache.has(name)) cache.set(name, closestName(name, names.candidates()));
      const suggestion = cache.get(name);
      const declared = suggestion ? names.span(suggestion) : undefined;
      let message = `unknown ${kind} '${shown(name)}'`;
      if (suggestion) message += `; did you mean '${suggestion}'?`;
      else {
        let declaredList = declaredLists.get(names);
        if (declaredList === undefined) {
          const declaredNames = names.declared().map((d) => shown(d, 30));
          declaredList = declaredNames.length ? `declared ${plural[kind]}: ${nameList(declaredNames, 5)}` : `no ${plural[kind]} are declared`;
          declaredLists.set(names, declaredList);
        }
        message += ` in ${typeof where === 'string' ? where : where()}; ${declaredList}`;
      }
      ctx.report({
        span: ref.span,
        message,
        related: declared ? [{ message: `'${suggestion}' is declared here`, span: declared }] : [],
        fixes: suggestion ? [{ title: `Change '${shown(name)}' to '${suggestion}'`, isPreferred: true, edits: [{ span: ref.span, newText: yamlScalar(suggestion) }] }] : [],
      });
    };

    if (t.management) check(t.management.server, 'machine', machines, 'management.server');
    if (t.installation) {
      check(t.installation.from, 'machine', machines, 'installation.from');
      for (const item of t.installation.to) check(item, 'machine', machines, 'installation.to');
    }
    for (const c of t.connections) {
      check(c.from, 'machine', endpoints, 'connections');
      check(c.to, 'machine', endpoints, 'connections');
    }
    // (machineValues: tested as read; an unknown one reported with the machine's own, moved, span)
    for (const m of machineValues(t.machines)) if (m.subnet && !subnetRefs.has(m.subnet.value)) check(t.machines.get(m.name)!.subnet, 'subnet', subnetRefs, () => `the subnet of ${m.name}`);
    for (const fw of t.firewalls) {
      const label = fw.name ? `firewall ${fw.name.value}` : `firewall #${fw.index + 1}`;
      for (const z of fw.between) check(z, 'zone', zones, `the between list of ${label}`);
      for (const a of fw.allow) {
        check(a.from, 'zone or machine', zoneOrMachine, `an allow entry of ${label}`);
        check(a.to, 'zone or machine', zoneOrMachine, `an allow entry of ${label}`);
      }
    }
  },
});
