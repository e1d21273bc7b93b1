import { check } from './src/check';
const text = `acrotopo: 1
network:
  dns: false
  subnets:
    hq: 10.0.0.0/24
    branch: 10.1.0.0/24
  firewalls:
    - name: edge
      between: [hq, brnch]
      allow:
        - { from: hq, to: web1, port: tcp/9876 }
machines:
  ams01:
    os: windows
    address: 10.0.0.10
    components: [management-server, management-console]
  web01:
    os: windows
    address: 10.1.0.21
    subnet: hq
    port: 1234
    components: [agent-for-linux]
    hosts: { ams01: 10.0.0.010 }
  fs01: { os: windows, address: 10.0.0.31, components: [agent-for-windows] }
  db01: { os: other, address: 10.1.0.5, components: [agent-for-windows] }
management:
  server: ams01
installation:
  from: fs01
  to: [web01, fs01, db01, xx]
`;
for (const d of check(text).diagnostics) console.log(d.rule, d.severity, `${d.range.start.line}:${d.range.start.character}`, JSON.stringify(text.slice(d.span.start, d.span.end)), '\n   ', d.message, d.fixes.map(f=>f.title));
