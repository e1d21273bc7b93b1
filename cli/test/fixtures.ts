// Deployments shared by the CLI tests.

/** No findings at all. */
export const CLEAN = `acrotopo: 1
machines:
  ams01:
    os: windows
    components: [management-server, management-console]
  web01:
    os: linux
    components: [agent-for-linux]
management:
  server: ams01
`;
