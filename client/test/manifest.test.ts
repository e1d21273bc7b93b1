// The extension manifest (client/package.json) against what VS Code and vsce require, and against the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const client = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(client, '..');
const manifest = JSON.parse(readFileSync(join(client, 'package.json'), 'utf8'));
const contributes = manifest.contributes;

test('identity: acrotopo.acrotopo, engines, activation, entry point', () => {
  assert.equal(manifest.name, 'acrotopo');
  assert.equal(manifest.publisher, 'acrotopo');
  assert.equal(manifest.engines.vscode, '^1.91.0');
  // the language activates it; the preview serializer restores an open preview after a reload
  assert.deepEqual(manifest.activationEvents, ['onLanguage:acrotopo', 'onWebviewPanel:acrotopo.preview']);
  assert.equal(manifest.main, './dist/extension.js');
  // vsce refuses @types/vscode newer than engines.vscode
  const types = JSON.parse(readFileSync(join(root, 'node_modules', '@types', 'vscode', 'package.json'), 'utf8')).version;
  assert.match(types, /^1\.91\./);
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
});

test('language, grammar and schema contributions point at files that exist (after copy-assets)', () => {
  const lang = contributes.languages.find((l: { id: string }) => l.id === 'acrotopo');
  assert.deepEqual(lang.filenamePatterns, ['*.acrotopo.yaml', '*.acrotopo.yml']);
  assert.ok(existsSync(join(client, lang.configuration)));
  assert.ok(existsSync(join(client, lang.icon.light)) && existsSync(join(client, lang.icon.dark)));
  const grammar = contributes.grammars.find((g: { language: string }) => g.language === 'acrotopo');
  assert.equal(grammar.scopeName, 'source.acrotopo');
  // the grammar's source of truth is the top-level syntaxes/ folder; copy-assets puts it at the manifest's path
  assert.equal(grammar.path, './syntaxes/acrotopo.tmLanguage.json');
  assert.ok(existsSync(join(root, 'syntaxes', 'acrotopo.tmLanguage.json')));
  const yv = contributes.yamlValidation[0];
  assert.deepEqual(yv.fileMatch, lang.filenamePatterns);
  assert.equal(yv.url, './schemas/acrotopo.schema.json');
  assert.ok(existsSync(join(root, 'schemas', 'acrotopo.schema.json')), 'schemas/acrotopo.schema.json (copied by the build)');
});

test('icon is a 128×128 PNG', () => {
  const png = readFileSync(join(client, manifest.icon));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.equal(png.readUInt32BE(16), 128);
  assert.equal(png.readUInt32BE(20), 128);
});

test('settings: acrotopo.rules lists every rule with its four severities; trace and debounce', () => {
  const props = contributes.configuration.properties;
  const rules = props['acrotopo.rules'];
  assert.equal(Object.keys(rules.properties).length, 22);
  for (const [id, p] of Object.entries(rules.properties) as [string, { enum: string[] }][]) {
    assert.match(id, /^[a-z]+(-[a-z]+)*$/);
    assert.deepEqual(p.enum, ['error', 'warning', 'info', 'off'], id);
  }
  assert.deepEqual(rules.additionalProperties.enum, ['error', 'warning', 'info', 'off']);
  assert.deepEqual(props['acrotopo.trace.server'].enum, ['off', 'messages', 'verbose']);
  assert.equal(props['acrotopo.validate.debounceMs'].type, 'integer');
});

test('every contributed command is registered by the extension code', () => {
  const src = readdirSync(join(client, 'src')).filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(client, 'src', f), 'utf8')).join('\n');
  for (const c of contributes.commands as { command: string }[]) {
    assert.ok(src.includes(`'${c.command}'`) || src.includes(`"${c.command}"`), `${c.command} is registered`);
  }
  for (const c of ['acrotopo.showOutput', 'acrotopo.restartServer', 'acrotopo.showServerStatus']) {
    assert.ok(contributes.commands.some((x: { command: string }) => x.command === c), c);
  }
});

test('.vscodeignore ships only the runtime files', () => {
  const ignore = readFileSync(join(client, '.vscodeignore'), 'utf8');
  assert.match(ignore, /^\*\*$/m, 'everything excluded by default');
  for (const keep of ['!dist/extension.js', '!dist/server.js', '!media/**', '!syntaxes/acrotopo.tmLanguage.json', '!schemas/acrotopo.schema.json', '!language-configuration.json', '!README.md', '!CHANGELOG.md', '!LICENSE', '!icon.png']) {
    assert.ok(ignore.includes(keep), keep);
  }
  assert.doesNotMatch(ignore, /^!.*node_modules/m);
});
