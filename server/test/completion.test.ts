import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RULE_BY_ID } from '@acrotopo/engine';
import type { CompletionItem } from 'vscode-languageserver-protocol';
import { applyTextEdits, dedent, fixture, LspClient } from './lsp-client';
import { uri, VALID_SERVER } from './fixtures';

const labels = (items: CompletionItem[]) => items.map((i) => i.label);

describe('completion', () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.start();
  });
  after(async () => {
    await c.stop();
  });

  async function completeAt(src: string) {
    const f = fixture(src);
    const u = uri('completion');
    await c.open(u, f.text);
    const items = await c.completion(u, f.position);
    const apply = (label: string) => {
      const item = items.find((i) => i.label === label);
      assert.ok(item, `no item ${label} in ${labels(items).join(', ')}`);
      const e = item.textEdit as { range: any; newText: string };
      return applyTextEdits(f.text, [{ range: e.range, newText: e.newText }]);
    };
    return { items, f, apply };
  }

  it('keys from the schema at the cursor path, with docs, without the keys already there', async () => {
    const { items, apply } = await completeAt(VALID_SERVER.replace('    address: 10.0.0.31\n', '    address: 10.0.0.31\n    |\n'));
    const l = labels(items);
    for (const k of ['windows-version', 'file-sharing-encryption', 'hosts', 'subnet', 'cloud-backup', 'network-discovery']) assert.ok(l.includes(k), `${k} in ${l.join(', ')}`);
    for (const k of ['os', 'address', 'components']) assert.ok(!l.includes(k), `${k} already present`);
    const fse = items.find((i) => i.label === 'file-sharing-encryption')!;
    assert.ok(JSON.stringify(fse.documentation).length > 40, 'documented');
    assert.match(apply('file-sharing-encryption'), /\n    file-sharing-encryption: \n/);
    // top level
    const top = await completeAt(`acrotopo: 1\n|\n`);
    for (const k of ['title', 'product', 'network', 'machines', 'management', 'installation', 'connections', 'rules']) assert.ok(labels(top.items).includes(k), k);
    assert.ok(!labels(top.items).includes('acrotopo'));
    // a partly typed key in a flow mapping of a firewall allow entry
    const flow = await completeAt(VALID_SERVER.replace('- { from: hq, to: branch, port: tcp/9876 }', '- { from: hq, to: branch, sou| }'));
    assert.deepEqual(labels(flow.items).sort(), ['port', 'source-ports']);
  });

  it('enum values: os, components, encryption options, register-by, product, severities', async () => {
    const os = await completeAt(VALID_SERVER.replace('    os: linux', '    os: |'));
    assert.deepEqual(labels(os.items).sort(), ['linux', 'other', 'virtual-appliance', 'windows']);
    const comps = await completeAt(VALID_SERVER.replace('[agent-for-linux]', '[agent-for-linux, |]'));
    assert.ok(labels(comps.items).includes('management-console'));
    assert.ok(labels(comps.items).includes('license-server'));
    assert.ok(!labels(comps.items).includes('agent-for-linux'), 'already listed');
    const list = await completeAt(VALID_SERVER.replace('    components: [agent-for-linux]', '    components: |'));
    assert.match(list.apply('agent-for-linux'), /\n    components: \[agent-for-linux\]\n/);
    const enc = await completeAt(VALID_SERVER.replace('  server: ams01', '  server: ams01\n  encryption:\n    client: |'));
    assert.deepEqual(labels(enc.items).sort(), ['disabled', 'enabled', 'required']);
    const reg = await completeAt(VALID_SERVER.replace('  server: ams01', '  server: ams01\n  register-by: a|'));
    assert.deepEqual(labels(reg.items).sort(), ['address', 'name']);
    const product = await completeAt('acrotopo: 1\nproduct: |\n');
    assert.deepEqual(labels(product.items).sort(), ['11.5', '11.7']);
    assert.match(product.apply('11.5'), /product: "11\.5"/, 'quoted: unquoted YAML reads 11.5 as a number');
    const sev = await completeAt(`${VALID_SERVER}rules:\n  unencrypted-port: |\n`);
    assert.deepEqual(labels(sev.items).sort(), ['error', 'info', 'off', 'warning']);
  });

  it('declared machine names where a machine is expected', async () => {
    const server = await completeAt(VALID_SERVER.replace('server: ams01', 'server: a|'));
    assert.deepEqual(labels(server.items).sort(), ['ams01', 'fs01', 'web01']);
    assert.match(server.items.find((i) => i.label === 'fs01')!.detail ?? '', /windows/);
    const to = await completeAt(VALID_SERVER.replace('to: [fs01, web01]', 'to: [fs01, |]'));
    assert.deepEqual(labels(to.items).sort(), ['ams01', 'web01']);
    const conn = await completeAt(VALID_SERVER.replace('{ from: ams01, to: fs01, port: tcp/25001 }', '{ from: |, to: fs01, port: tcp/25001 }'));
    assert.deepEqual(labels(conn.items).sort(), ['ams01', 'fs01', 'web01']);
    // a block sequence item
    const block = await completeAt(VALID_SERVER.replace('  to: [fs01, web01]', '  to:\n    - fs01\n    - |'));
    assert.ok(labels(block.items).includes('web01'));
  });

  it('hosts entries: machine names with their address; source-port ranges per OS', async () => {
    const hosts = await completeAt(VALID_SERVER.replace('hosts: { ams01: 10.0.0.10 }', 'hosts: { ams01: 10.0.0.10, | }'));
    assert.deepEqual(labels(hosts.items), ['fs01'], 'not itself, not ams01 already there');
    assert.match(hosts.apply('fs01'), /hosts: \{ ams01: 10\.0\.0\.10, fs01: 10\.0\.0\.31 \}/);
    const sp = await completeAt(VALID_SERVER.replace('- { from: branch, to: hq, port: tcp/9876 }', '- { from: branch, to: hq, port: tcp/9876, source-ports: | }'));
    assert.deepEqual(labels(sp.items), ['1025-5000', '49152-65535', '32768-61000']);
    assert.match(sp.items[2].detail ?? '', /Linux/);
  });

  it('subnet and zone names; zones or machines in allow from/to', async () => {
    const subnet = await completeAt(VALID_SERVER.replace('    subnet: branch', '    subnet: |'));
    assert.deepEqual(labels(subnet.items).sort(), ['branch', 'hq', 'internet']);
    const between = await completeAt(VALID_SERVER.replace('between: [hq, branch]', 'between: [hq, |]'));
    assert.deepEqual(labels(between.items).sort(), ['branch', 'hq', 'internet']);
    const allow = await completeAt(VALID_SERVER.replace('- { from: hq, to: branch, port: tcp/9876 }', '- { from: hq, to: |, port: tcp/9876 }'));
    assert.deepEqual(labels(allow.items).sort(), ['ams01', 'branch', 'fs01', 'hq', 'internet', 'web01']);
  });

  it('ports with their documented purpose', async () => {
    const { items, apply } = await completeAt(VALID_SERVER.replace('port: tcp/25001 }', 'port: tcp/| }'));
    const agent = items.find((i) => i.label === 'tcp/9876');
    assert.ok(agent, labels(items).join(', '));
    assert.match(agent.detail ?? '', /Registering, managing agents|Requesting agent installation|Registration on the management server/);
    assert.match(JSON.stringify(agent.documentation), /Registering, managing agents/);
    const inst = items.find((i) => i.label === 'tcp/25001')!;
    assert.match(inst.detail ?? '', /Sending installation parameters/);
    for (const p of ['tcp/22', 'tcp/445', 'tcp/443', 'tcp/902']) assert.ok(labels(items).includes(p), p);
    assert.match(apply('tcp/445'), /port: tcp\/445 \}/);
  });

  it('rule ids in rules: keys and after # acrotopo-disable-next-line', { skip: !RULE_BY_ID.has('unencrypted-port') && 'waits for the rules' }, async () => {
    const keys = await completeAt(`${VALID_SERVER}rules:\n  smb-encryption-unknown: off\n  un|\n`);
    const l = labels(keys.items);
    assert.ok(l.includes('unencrypted-port') && l.includes('unknown-reference'), l.join(', '));
    assert.ok(!l.includes('smb-encryption-unknown'), 'already set');
    assert.match(keys.apply('unencrypted-port'), /\n  unencrypted-port: \n/);
    const comment = await completeAt(VALID_SERVER.replace('  - { from: ams01, to: fs01', '  # acrotopo-disable-next-line unencrypted-port, s|\n  - { from: ams01, to: fs01'));
    const cl = labels(comment.items);
    assert.ok(cl.includes('smb-encryption-unknown'));
    assert.ok(!cl.includes('unencrypted-port'), 'already listed');
    assert.match(comment.apply('smb-unencrypted'), /# acrotopo-disable-next-line unencrypted-port, smb-unencrypted\n/);
  });

  it('works on incomplete and invalid YAML', async () => {
    // a line with just `    os: ` while the rest of the machine is missing
    const broken = dedent(`
      acrotopo: 1
      machines:
        ams01:
          os: windows
          components: [management-server
        web01:
          os: |
      management:
        server: [ams01
    `);
    const os = await completeAt(broken);
    assert.deepEqual(labels(os.items).sort(), ['linux', 'other', 'virtual-appliance', 'windows']);
    const server = await completeAt(broken.replace('    os: |', '    os: linux').replace('server: [ams01', 'server: |'));
    assert.deepEqual(labels(server.items).sort(), ['ams01', 'web01']);
    const key = await completeAt(broken.replace('    os: |', '    os: linux\n    compo|'));
    assert.ok(labels(key.items).includes('components'));
    const unterminated = await completeAt('acrotopo: 1\nmachines:\n  a:\n    address: "10.0.0.1\n    o|');
    assert.ok(labels(unterminated.items).includes('os'), labels(unterminated.items).join(', '));
  });

  it('offers nothing inside an ordinary comment or a free name', async () => {
    const comment = await completeAt(`# just a comment |\n${VALID_SERVER}`);
    assert.deepEqual(comment.items, []);
    const name = await completeAt(VALID_SERVER.replace('  web01:\n', '  web01:\n  |\n'));
    assert.deepEqual(name.items, []);
  });
});
