// Copies the assets that live at the repository's top level into the extension folder, so that both the
// packaged .vsix and the development-mode extension (e2e ext-host tests) find them at the manifest's paths.
// Runs as `vscode:prepublish` (vsce calls it before packaging) and before the e2e runners.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const client = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(client, '..');
const assets = [
  // [source under the repository root, destination under client/]
  ['syntaxes/acrotopo.tmLanguage.json', 'syntaxes/acrotopo.tmLanguage.json'],
  ['schemas/acrotopo.schema.json', 'schemas/acrotopo.schema.json'],
];
let missing = 0;
for (const [from, to] of assets) {
  const src = join(root, from);
  if (!existsSync(src)) {
    console.error(`copy-assets: ${from} not found`);
    missing++;
    continue;
  }
  mkdirSync(dirname(join(client, to)), { recursive: true });
  cpSync(src, join(client, to));
}
// The bundles come from the root build; a package without them would install an extension that cannot start.
for (const built of ['dist/extension.js', 'dist/server.js']) {
  if (!existsSync(join(client, built))) {
    console.error(`copy-assets: client/${built} missing: run \`npm run build\` at the repository root first`);
    missing++;
  }
}
process.exit(missing ? 1 : 0);
