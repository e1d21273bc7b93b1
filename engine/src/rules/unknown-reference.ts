import { yamlScalar } from '../edits';
import { IMPLICIT_CLOUD, INTERNET_ZONE } from '../model';
import { defineRule } from '../rule';
import type { Located, Span } from '../types';
import { closestName, nameList, shown } from './util';

type Kind = 'machine' | 'subnet' | 'zone' | 'zone or machine';

/**
 * A name that may be referenced, and where it is declared (`declared` false and no span for the implicit
 * `internet` / `acronis-cloud`). The span is looked up when needed: machine lists are built from the
 * names alone (`t.machines.keys()`, every declared name also in the incremental checker's sub-runs).
 */
interface Declared {
  name: string;
  declared: boolean;
  span(): Span | undefined;
}

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
    const none = () => undefined;
    const internet: Declared = { name: INTERNET_ZONE, declared: false, span: none };
    const cloud: Declared = { name: IMPLICIT_CLOUD, declared: false, span: none };
    const withImplicit = (list: Declared[], extra: Declared[]) => [...list, ...extra.filter((e) => !list.some((x) => x.name === e.name))];
    const machineList = (): Declared[] => [...t.machines.keys()].map((name) => ({ name, declared: true, span: () => t.machines.get(name)?.keySpan }));
    const subnetList = (): Declared[] => [...t.subnets.values()].map((s) => ({ name: s.name, declared: true, span: () => s.keySpan }));

    // What each kind of reference may name. `has` answers from the topology's maps; the list of
    // declared names (for suggestions and messages) is built only when a name is unknown.
    interface Names { has(name: string): boolean; build(): Declared[]; list?: Declared[]; index?: Map<string, Declared> }
    const machines: Names = { has: (n) => t.machines.has(n), build: machineList };
    const endpoints: Names = { has: (n) => t.machines.has(n) || n === IMPLICIT_CLOUD || n === INTERNET_ZONE, build: () => withImplicit(machineList(), [cloud, internet]) };
    const zones: Names = { has: (n) => t.subnets.has(n) || n === INTERNET_ZONE, build: () => withImplicit(subnetList(), [internet]) };
    const subnetRefs: Names = { ...zones }; // same names; its own entry so the cached wording says "subnets"
    const zoneOrMachine: Names = {
      has: (n) => t.subnets.has(n) || n === INTERNET_ZONE || t.machines.has(n) || n === IMPLICIT_CLOUD,
      build: () => withImplicit([...subnetList(), internet, ...machineList()], [cloud]),
    };
    const listOf = (names: Names) => (names.list ??= names.build());
    const lookup = (names: Names) => (names.index ??= new Map(listOf(names).map((d) => [d.name, d])));

    const suggestions = new Map<Names, Map<string, string | undefined>>();
    const declaredLists = new Map<Names, string>();
    const plural: Record<Kind, string> = { machine: 'machines', subnet: 'subnets', zone: 'zones', 'zone or machine': 'zones and machines' };
    const check = (ref: Located<string> | undefined, kind: Kind, names: Names, where: string | (() => string)) => {
      if (!ref || names.has(ref.value)) return;
      const name = ref.value;
      const list = listOf(names);
      let cache = suggestions.get(names);
      if (!cache) suggestions.set(names, (cache = new Map()));
      if (!cache.has(name)) cache.set(name, closestName(name, list.map((d) => d.name)));
      const suggestion = cache.get(name);
      const declared = suggestion ? lookup(names).get(suggestion)?.span() : undefined;
      let message = `unknown ${kind} '${shown(name)}'`;
      if (suggestion) message += `; did you mean '${suggestion}'?`;
      else {
        let declaredList = declaredLists.get(names);
        if (declaredList === undefined) {
          const declaredNames = list.filter((d) => d.declared).map((d) => shown(d.name, 30));
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
    for (const m of t.machines.values()) if (m.subnet) check(m.subnet, 'subnet', subnetRefs, () => `the subnet of ${m.name}`);
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
