import { setKey } from '../edits';
import { CATALOGUE_BY_ID, DEFAULT_AGENT_PORT, portFact } from '../facts';
import { agentPort } from '../model';
import { defineRule } from '../rule';
import type { Machine } from '../types';
import { machineRelated, nameList } from './util';

/** Catalogue rows on the agent port (tcp/9876, "Remote Agent ports"). */
const AGENT_PORT_ROWS = new Set([...CATALOGUE_BY_ID.values()].filter((row) => row.ports.some((p) => portFact(p, DEFAULT_AGENT_PORT)?.encryption === 'configurable')).map((row) => row.id));

/** Is this catalogue row one on the agent port? */
function onAgentPort(catalogue: string | undefined): boolean {
  return catalogue !== undefined && AGENT_PORT_ROWS.has(catalogue);
}

export default defineRule({
  id: 'port-mismatch',
  defaultSeverity: 'error',
  title: 'Two machines that must talk on the agent port use different ports',
  description:
    'All Acronis component traffic — management server ⇄ agents (CC-1, RI-5), console → server or agents ' +
    '(CC-2, CC-3, RI-1), storage node (CC-4, CC-5) and license server (CC-13..15) — uses one port, TCP 9876 by ' +
    'default. The administrative template\'s *"Remote Agent ports"* setting changes it: it is *"the port a ' +
    'component uses for incoming and outgoing communication with other Acronis components"* (S4). A machine ' +
    'whose `port:` differs from the port of a machine it must talk to cannot reach it (the catalogue infers ' +
    'that clients and servers must agree).\n\n' +
    'The effective port of a machine is its own `port:`, else `management.port`, else 9876. The rule reports ' +
    'each machine whose own `port:` differs from a peer\'s, once, naming the peers; machines that set no ' +
    '`port:` of their own all use `management.port` and agree.',
  howToFix:
    'Set the same port on both sides: change the machine\'s `port:` to its peers\' port (quick fix; the ' +
    'management port is preferred), or remove the per-machine `port:` so that `management.port` applies, and ' +
    'change the administrative template on the machines to match.\n\n' +
    'To silence it: `# acrotopo-disable-next-line port-mismatch` above `port:`, or ' +
    '`rules: { port-mismatch: off }` for the file.',
  catalogue: ['CC-1', 'CC-2', 'CC-3', 'CC-4', 'CC-5', 'CC-13', 'CC-14', 'CC-15', 'RI-1', 'RI-5'],
  // A machine's report lists all its peers on another port: a dirty flow is in some report when it is
  // on the agent port and its two ends use different ports, one of them with its own `port:`.
  touches(ctx, dirty) {
    const t = ctx.t;
    const derived = ctx.derived; // (read once: a recording getter in the language server, util.ts smbFlows)
    for (let n = 0; n < derived.length; n++) {
      const f = derived[n];
      if (!dirty(f)) continue;
      if (!onAgentPort(f.catalogue)) continue;
      const a = t.machines.get(f.initiator);
      const b = t.machines.get(f.destination);
      if (!a || !b || a === b || (!a.port && !b.port)) continue;
      if (agentPort(t, a, DEFAULT_AGENT_PORT) !== agentPort(t, b, DEFAULT_AGENT_PORT)) return true;
    }
    return false;
  },
  run(ctx) {
    const t = ctx.t;
    const managementPort = t.management?.port?.value ?? DEFAULT_AGENT_PORT;
    // machine with its own port -> peer port -> peer names (insertion order = flow order)
    const peers = new Map<Machine, Map<number, Set<string>>>();
    const note = (m: Machine, mp: number, peer: Machine, pp: number) => {
      if (!m.port || m.port.value !== mp) return;
      let byPort = peers.get(m);
      if (!byPort) peers.set(m, (byPort = new Map()));
      let names = byPort.get(pp);
      if (!names) byPort.set(pp, (names = new Set()));
      names.add(peer.name);
    };
    // Only a machine with its own `port:` is reported, and two machines without one agree: flows between
    // two such machines need no lookup (nearly all of them).
    const ownPort = new Set<string>();
    t.machines.forEach((m, name) => {
      if (m.port) ownPort.add(name);
    });
    if (ownPort.size === 0) return;
    const derived = ctx.derived; // (read once: util.ts smbFlows)
    for (let n = 0; n < derived.length; n++) {
      const f = derived[n]; // (indexed: ~75k flows, once per check)
      if (!ownPort.has(f.initiator) && !ownPort.has(f.destination)) continue;
      if (!onAgentPort(f.catalogue)) continue;
      const a = t.machines.get(f.initiator);
      const b = t.machines.get(f.destination);
      if (!a || !b || a === b) continue;
      const pa = agentPort(t, a, DEFAULT_AGENT_PORT);
      const pb = agentPort(t, b, DEFAULT_AGENT_PORT);
      if (pa === pb) continue;
      note(a, pa, b, pb);
      note(b, pb, a, pa);
    }
    for (const [m, byPort] of peers) {
      const own = m.port!;
      const groups = [...byPort.entries()].map(([port, names]) => ({ port, names: [...names] }));
      const total = groups.reduce((n, g) => n + g.names.length, 0);
      const target = groups.find((g) => g.port === managementPort) ?? [...groups].sort((x, y) => y.names.length - x.names.length)[0];
      const described = groups.map((g) => `${nameList(g.names)} ${g.names.length === 1 ? 'uses' : 'use'} ${g.port}`).join('; ');
      const firstPeer = t.machines.get(groups[0].names[0]);
      ctx.report({
        span: own.span,
        message:
          `port mismatch: ${m.name} uses agent port ${own.value}, but it must talk on the agent port ("Remote Agent ports", ` +
          `default tcp/${DEFAULT_AGENT_PORT}) with ` +
          (total === 1 ? `${groups[0].names[0]}, which uses ${groups[0].port}` : `${total} machines that use another port: ${described}`),
        related: [
          ...machineRelated(firstPeer, `${firstPeer?.name} uses port ${groups[0].port}`),
          ...(t.management?.port ? [{ message: `management.port ${t.management.port.value}`, span: t.management.port.span }] : []),
        ],
        fixes: () => {
          const edit = setKey(ctx.file, ctx.reader, ['machines', m.name], 'port', String(target.port));
          return edit ? [{ title: `Set ${m.name}'s port to ${target.port}`, isPreferred: true, edits: [edit] }] : [];
        },
      });
    }
  },
});
