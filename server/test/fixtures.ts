// Inline deployments shared by the server tests.
import { dedent } from './lsp-client';

/** A deployment whose diagnostics are known: unknown-reference (ams1), smb-encryption-unknown and
 *  unencrypted-port for fs01 (remote installation from ams01). */
export const DEPLOYMENT = dedent(`
  acrotopo: 1
  title: Contoso
  network:
    subnets:
      hq: 10.0.0.0/24
      branch: 10.1.0.0/24
    firewalls:
      - name: branch-edge
        between: [hq, branch]
        allow:
          - { from: hq, to: branch, port: tcp/9876 }
          - { from: branch, to: hq, port: tcp/9876 }
          - { from: ams01, to: web01, port: tcp/22 }
  machines:
    ams01:
      os: windows
      address: 10.0.0.10
      components: [management-server, management-console]
    fs01:
      os: windows
      address: 10.0.0.31
      components: [agent-for-windows]
    web01:
      os: linux
      address: 10.1.0.21
      subnet: branch
      components: [agent-for-linux]
      hosts: { ams01: 10.0.0.10 }
  management:
    server: ams1
  installation:
    from: ams01
    to: [fs01, web01]
  connections:
    - { from: ams01, to: fs01, port: tcp/25001 }
`);

/** The same deployment with the management server named correctly. */
export const VALID_SERVER = DEPLOYMENT.replace('server: ams1', 'server: ams01');

let n = 0;
export function uri(name = 'doc'): string {
  return `file:///tmp/acrotopo-server-test/${name}-${process.pid}-${n++}.acrotopo.yaml`;
}
