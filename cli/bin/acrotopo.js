#!/usr/bin/env node
// The `acrotopo` command. The program is bundled to ../dist/acrotopo.js by `npm run build`.
'use strict';
const path = require('path');
const bundle = path.join(__dirname, '..', 'dist', 'acrotopo.js');
try {
  require.resolve(bundle);
} catch {
  process.stderr.write("acrotopo: the command is not built yet: run 'npm run build' in the repository root\n");
  process.exit(2);
}
require(bundle);
