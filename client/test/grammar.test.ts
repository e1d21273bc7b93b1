// Tokenizes Acrotopo YAML with the real TextMate engine VS Code uses (vscode-textmate + vscode-oniguruma)
// and checks the scopes the editor will colour: YAML basics and the Acrotopo highlights.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const grammarPath = join(root, 'syntaxes', 'acrotopo.tmLanguage.json');
const require = createRequire(import.meta.url);
let grammar: textmate.IGrammar;

before(async () => {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === 'source.acrotopo' ? textmate.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  const g = await registry.loadGrammar('source.acrotopo');
  assert.ok(g, 'grammar loads');
  grammar = g;
});

interface Tok { text: string; scopes: string[] }

function tokenize(source: string): Tok[][] {
  let stack = textmate.INITIAL;
  return source.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** Scopes of the token that starts `needle` on the line containing `lineHint` (the first such line). */
function scopesAt(lines: Tok[][], source: string, lineHint: string, needle: string): string[] {
  const srcLines = source.split('\n');
  const n = srcLines.findIndex((l) => l.includes(lineHint));
  assert.ok(n >= 0, `no line contains ${lineHint}`);
  const col = srcLines[n].indexOf(needle);
  assert.ok(col >= 0, `line ${n} has no ${needle}`);
  let at = 0;
  for (const t of lines[n]) {
    if (col >= at && col < at + t.text.length) return t.scopes;
    at += t.text.length;
  }
  throw new Error(`no token at ${n}:${col}`);
}

function has(scopes: string[], scope: string): boolean {
  return scopes.some((s) => s === scope || s.split(' ').includes(scope));
}

const example = `%YAML 1.2
---
acrotopo: 1
title: Contoso backup rollout: phase 2   # a comment
product: "11.7"
network:
  dns: true
  subnets:
    hq: 10.0.0.0/24
  firewalls:
    - name: branch-edge
      between: [hq, branch]
      allow:
        - { from: hq, to: branch, port: tcp/9876, source-ports: 32768-61000 }
        - { from: ams01, to: web01, port: icmp }
machines:
  ams01:                        # the key is the machine's network name
    os: windows
    address: 10.0.0.10
    components: [management-server, management-console, license-server]
    note: |
      free text: tcp/25001 stays text
      # not a comment either
    port: 9876
  web-01.example:
    os: linux
    hosts: { ams01: 10.0.0.10 }
defaults: &base
  weight: 1.5e3
copy: *base
tagged: !!str 12
empty: ~
quoted: 'it''s'
escaped: "tab\\there \\q"
installation:
  from: ams01
  # acrotopo-disable-next-line smb-encryption-unknown, not-a-rule -- the share is encrypted, see ticket 42
  to: [web-01.example]
rules:
  smb-encryption-unknown: off
  unencrypted-port: error
`;

test('grammar is well-formed JSON with the scope name the manifest contributes', () => {
  const raw = JSON.parse(readFileSync(grammarPath, 'utf8'));
  assert.equal(raw.scopeName, 'source.acrotopo');
  const manifest = JSON.parse(readFileSync(join(root, 'client', 'package.json'), 'utf8'));
  const g = manifest.contributes.grammars.find((x: { language: string }) => x.language === 'acrotopo');
  assert.equal(g.scopeName, raw.scopeName);
  assert.equal(g.path, './syntaxes/acrotopo.tmLanguage.json');
});

test('YAML basics: keys, comments, strings, numbers, booleans, null, anchors, aliases, tags, directives', () => {
  const t = tokenize(example);
  assert.ok(has(scopesAt(t, example, '%YAML', '%'), 'punctuation.definition.directive.begin.acrotopo'));
  assert.ok(has(scopesAt(t, example, '---', '---'), 'entity.other.document.begin.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'acrotopo: 1', 'acrotopo'), 'entity.name.tag.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'acrotopo: 1', '1'), 'constant.numeric.integer.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'title:', 'Contoso'), 'string.unquoted.plain.out.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'title:', 'phase'), 'string.unquoted.plain.out.acrotopo'), 'a colon inside a plain value stays text');
  assert.ok(has(scopesAt(t, example, 'title:', '# a comment'), 'comment.line.number-sign.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'product:', '11.7'), 'string.quoted.double.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'dns:', 'true'), 'constant.language.boolean.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'defaults:', '&'), 'punctuation.definition.anchor.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'defaults:', 'base'), 'variable.other.anchor.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'copy:', '*base'), 'variable.other.alias.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'weight:', '1.5e3'), 'constant.numeric.float.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'tagged:', '!!str'), 'storage.type.tag.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'empty:', '~'), 'constant.language.null.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'quoted:', "''"), 'constant.character.escape.single-quote.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'escaped:', '\\t'), 'constant.character.escape.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'escaped:', '\\q'), 'invalid.illegal.escape.acrotopo'));
  assert.ok(has(scopesAt(t, example, '- name:', '-'), 'punctuation.definition.block.sequence.item.acrotopo'));
  assert.ok(has(scopesAt(t, example, '- name:', 'name'), 'entity.name.tag.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'between:', '['), 'punctuation.definition.sequence.begin.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'between:', 'branch'), 'string.unquoted.plain.in.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'between:', ','), 'punctuation.separator.mapping.acrotopo'));
});

test('block scalars are text up to the end of their indentation', () => {
  const t = tokenize(example);
  assert.ok(has(scopesAt(t, example, 'note: |', '|'), 'keyword.control.flow.block-scalar.acrotopo'));
  const inside = scopesAt(t, example, 'free text:', 'free');
  assert.ok(has(inside, 'string.unquoted.block.acrotopo'));
  assert.ok(!has(scopesAt(t, example, 'free text:', 'tcp/25001'), 'constant.other.port.acrotopo'));
  assert.ok(has(scopesAt(t, example, '# not a comment', '#'), 'string.unquoted.block.acrotopo'));
  assert.ok(!has(scopesAt(t, example, '# not a comment', '#'), 'comment.line.number-sign.acrotopo'));
  // the scalar ends: the next key is a key again
  assert.ok(has(scopesAt(t, example, 'port: 9876', 'port'), 'entity.name.tag.acrotopo'));
  assert.ok(!has(scopesAt(t, example, 'port: 9876', 'port'), 'string.unquoted.block.acrotopo'));
});

test('Acrotopo: ports, ranges, addresses, components, enums', () => {
  const t = tokenize(example);
  const port = scopesAt(t, example, 'port: tcp/9876', 'tcp/9876');
  assert.ok(has(port, 'constant.other.port.acrotopo') && has(port, 'keyword.other.protocol.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'port: tcp/9876', '9876'), 'constant.numeric.port.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'port: tcp/9876', 'from'), 'entity.name.tag.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'port: tcp/9876', 'source-ports'), 'entity.name.tag.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'port: tcp/9876', '32768'), 'constant.numeric.range.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'port: icmp', 'icmp'), 'keyword.other.protocol.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'hq: 10.0.0.0/24', '10.0.0.0'), 'constant.numeric.ip-address.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'address: 10.0.0.10', '10.0'), 'constant.numeric.ip-address.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'components:', 'management-server'), 'support.type.component.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'components:', 'license-server'), 'support.type.component.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'os: windows', 'windows'), 'support.constant.enum.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'hosts:', 'ams01'), 'entity.name.tag.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'hosts:', '10.0.0.10'), 'constant.numeric.ip-address.acrotopo'));
});

test('Acrotopo: machine names under machines:, and only there', () => {
  const t = tokenize(example);
  assert.ok(has(scopesAt(t, example, 'ams01:   ', 'ams01'), 'entity.name.type.machine.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'web-01.example:', 'web-01.example'), 'entity.name.type.machine.acrotopo'));
  assert.ok(!has(scopesAt(t, example, 'os: windows', 'os'), 'entity.name.type.machine.acrotopo'), 'a property is not a machine');
  assert.ok(!has(scopesAt(t, example, 'hq: 10.0.0.0/24', 'hq'), 'entity.name.type.machine.acrotopo'));
  assert.ok(!has(scopesAt(t, example, 'weight:', 'weight'), 'meta.section.machines.acrotopo'), 'the section ends at the next top-level key');
  assert.ok(has(scopesAt(t, example, 'ams01:   ', '# the key'), 'comment.line.number-sign.acrotopo'));
});

test('Acrotopo: rule ids in rules: and in the suppression comment', () => {
  const t = tokenize(example);
  const line = '# acrotopo-disable-next-line';
  assert.ok(has(scopesAt(t, example, line, 'acrotopo-disable-next-line'), 'keyword.control.directive.suppression.acrotopo'));
  assert.ok(has(scopesAt(t, example, line, 'smb-encryption-unknown'), 'support.constant.rule.acrotopo'));
  assert.ok(has(scopesAt(t, example, line, 'not-a-rule'), 'invalid.illegal.unknown-rule.acrotopo'));
  assert.ok(has(scopesAt(t, example, line, '#'), 'comment.line.number-sign.directive.acrotopo'));
  const reason = scopesAt(t, example, line, 'ticket');
  assert.ok(has(reason, 'comment.line.description.acrotopo') && !has(reason, 'invalid.illegal.unknown-rule.acrotopo'), 'text after -- is the reason');
  // only a whole-line comment is a directive (as in the engine)
  const inline = 'os: windows # acrotopo-disable-next-line schema';
  assert.ok(!has(scopesAt(tokenize(inline), inline, 'os:', 'acrotopo-disable'), 'keyword.control.directive.suppression.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'smb-encryption-unknown: off', 'smb-encryption-unknown'), 'support.constant.rule.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'smb-encryption-unknown: off', 'off'), 'support.constant.severity.acrotopo'));
  assert.ok(has(scopesAt(t, example, 'unencrypted-port: error', 'error'), 'support.constant.severity.acrotopo'));
});

test('rule ids in the grammar are exactly the rule ids of the acrotopo.rules setting', () => {
  const raw = readFileSync(grammarPath, 'utf8');
  const manifest = JSON.parse(readFileSync(join(root, 'client', 'package.json'), 'utf8'));
  const ids = Object.keys(manifest.contributes.configuration.properties['acrotopo.rules'].properties);
  assert.equal(ids.length, 22);
  const t = tokenize(ids.map((id) => `# acrotopo-disable-next-line ${id}`).join('\n'));
  for (const [i, id] of ids.entries()) {
    assert.ok(t[i].some((tok) => tok.text === id && has(tok.scopes, 'support.constant.rule.acrotopo')), `grammar knows ${id}`);
  }
  const grammarRules = /\(\?:([a-z|-]+)\)\\\\b/.exec(raw);
  assert.ok(grammarRules);
  assert.deepEqual(grammarRules[1].split('|').sort(), [...ids].sort());
});

test('engine rule ids and component ids are all known to the grammar', async () => {
  const engine = await import('../../engine/src/index');
  const t = tokenize([...engine.RULES.map((r: { id: string }) => `# acrotopo-disable-next-line ${r.id}`),
    `components: [${engine.facts.COMPONENTS.map((c: { id: string }) => c.id).join(', ')}]`].join('\n'));
  for (const [i, r] of engine.RULES.entries()) {
    assert.ok(t[i].some((tok) => tok.text === r.id && has(tok.scopes, 'support.constant.rule.acrotopo')), `grammar knows rule ${r.id}`);
  }
  const comps = t[engine.RULES.length].filter((tok) => has(tok.scopes, 'support.type.component.acrotopo')).map((tok) => tok.text);
  assert.deepEqual(comps, engine.facts.COMPONENTS.map((c: { id: string }) => c.id));
});

test('every line of a hostile document tokenizes (no catastrophic pattern, no exception)', () => {
  const nasty = ['"unterminated', "'also", '{ [ { [', 'key: |', '  - - - -', ': : :', '#'.repeat(5000), 'a'.repeat(20000) + ':', '\t\tx: \\', '&a *b !c'].join('\n');
  const t = tokenize(nasty);
  assert.equal(t.length, nasty.split('\n').length);
});
