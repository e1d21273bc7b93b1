import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RULE_BY_ID } from '@acrotopo/engine';
import { fixture, hoverText, LspClient, positionOf, textAt } from './lsp-client';
import { uri, VALID_SERVER } from './fixtures';

describe('hover', () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.start();
  });
  after(async () => {
    await c.stop();
  });

  async function hoverAt(src: string) {
    const f = fixture(src);
    const u = uri('hover');
    await c.open(u, f.text);
    const h = await c.hover(u, f.position);
    return { h, text: hoverText(h), f };
  }

  it('on a port value: purposes, direction, encryption and catalogue ids', async () => {
    const { h, text, f } = await hoverAt(VALID_SERVER.replace('port: tcp/25001', 'port: tcp/250|01'));
    assert.ok(text.includes('**acrotopo** port `25001`'), text);
    assert.match(text, /Sending installation parameters/);
    assert.match(text, /RI-3/);
    assert.match(text, /RI-8/);
    assert.match(text, /installer → Windows installation target/);
    assert.match(text, /Traffic itself isn't encrypted/);
    assert.match(text, /endpoints inferred/);
    assert.match(text, /\*\*In this file:\*\* 1 flow on `tcp\/25001`/);
    assert.equal(textAt(f.text, h!.range!), 'tcp/25001');
  });

  it('on a bare number under port:, and says "inferred" where the documentation is silent', async () => {
    const { text } = await hoverAt(VALID_SERVER.replace('server: ams01', 'server: ams01\n  port: 98|76'));
    assert.ok(text.includes('**acrotopo** port `9876`'), text);
    assert.match(text, /Registering, managing agents/);
    assert.match(text, /CC-1/);
    assert.match(text, /Encryption:\*\* encrypted by default/);
    const plain = await hoverAt(VALID_SERVER.replace('port: tcp/22 }', 'port: tcp/8|080 }'));
    assert.match(plain.text, /\*\*acrotopo\*\* port `8080`/);
    assert.match(plain.text, /Accessing the management server Web page/);
    assert.match(plain.text, /inferred/);
  });

  it('on a component', async () => {
    const { text } = await hoverAt(VALID_SERVER.replace('[agent-for-linux]', '[agent-for-li|nux]'));
    assert.match(text, /\*\*Agent for Linux\*\* `agent-for-linux`/);
    assert.match(text, /Backs up a Linux machine/);
    assert.match(text, /Runs on:\*\* linux/);
  });

  it('on a machine name, as the key and as a reference', async () => {
    const u = uri('hover');
    await c.open(u, VALID_SERVER);
    const onKey = hoverText(await c.hover(u, positionOf(VALID_SERVER, '  fs01:', 0, 3)));
    assert.match(onKey, /\*\*fs01\*\* — machine/);
    assert.match(onKey, /OS:\*\* windows/);
    assert.match(onKey, /Address:\*\* `10\.0\.0\.31`/);
    assert.match(onKey, /Zone:\*\* hq/);
    assert.match(onKey, /Components:\*\* `agent-for-windows`/);
    assert.match(onKey, /Flows in \([1-9]\d*\)/);
    assert.match(onKey, /← ams01 `tcp\/25001` Sending installation parameters \(RI-3\)/);
    const onRef = hoverText(await c.hover(u, positionOf(VALID_SERVER, 'server: ams01', 0, 'server: am'.length)));
    assert.match(onRef, /\*\*ams01\*\* — machine/);
    assert.match(onRef, /Management server/);
    assert.match(onRef, /Flows out \([1-9]\d*\)/);
    const inFlow = hoverText(await c.hover(u, positionOf(VALID_SERVER, 'to: web01', 0, 5)));
    assert.match(inFlow, /\*\*web01\*\* — machine/);
    assert.match(inFlow, /Zone:\*\* branch/);
    const zone = hoverText(await c.hover(u, positionOf(VALID_SERVER, 'between: [hq', 0, 'between: [h'.length)));
    assert.match(zone, /\*\*hq\*\* — subnet/);
    assert.match(zone, /10\.0\.0\.0\/24/);
  });

  it('on a key: the schema documentation', async () => {
    const { text, h, f } = await hoverAt(VALID_SERVER.replace('    address: 10.0.0.31', '    addr|ess: 10.0.0.31'));
    assert.match(text, /^\*\*address\*\*/);
    assert.ok(text.length > 'address'.length + 10, text);
    assert.equal(textAt(f.text, h!.range!), 'address');
    const os = await hoverAt(VALID_SERVER.replace('    os: linux', '    o|s: linux'));
    assert.match(os.text, /^\*\*os\*\*/);
    assert.match(os.text, /`virtual-appliance`/);
    const reg = await hoverAt(VALID_SERVER.replace('  server: ams01', '  server: ams01\n  regis|ter-by: name'));
    assert.match(reg.text, /^\*\*register-by\*\*/);
  });

  it('on a rule id, in rules: and in a suppression comment', { skip: !RULE_BY_ID.has('unencrypted-port') && 'waits for rule unencrypted-port' }, async () => {
    const rule = RULE_BY_ID.get('unencrypted-port')!;
    const inRules = await hoverAt(`${VALID_SERVER}rules:\n  unencrypted-p|ort: off\n`);
    assert.match(inRules.text, /^\*\*unencrypted-port\*\*/);
    assert.ok(inRules.text.includes(rule.title), inRules.text);
    assert.match(inRules.text, /docs\/rules\.md#unencrypted-port/);
    const inComment = await hoverAt(VALID_SERVER.replace('  connections:', '  connections:').replace('  - { from: ams01, to: fs01', '  # acrotopo-disable-next-line smb-encryption-unknown, unencrypted-p|ort\n  - { from: ams01, to: fs01'));
    assert.match(inComment.text, /^\*\*unencrypted-port\*\*/);
  });

  it('returns null on a comment and on blank space', async () => {
    const { h } = await hoverAt(`# a comment ab|out things\n${VALID_SERVER}`);
    assert.equal(h, null);
    const blank = await hoverAt(`${VALID_SERVER}\n|\n`);
    assert.equal(blank.h, null);
  });
});
