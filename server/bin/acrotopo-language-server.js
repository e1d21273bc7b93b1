#!/usr/bin/env node
// The language server, bundled by `npm run build` (scripts/build.mjs) into ../dist/server.js.
// Usage: acrotopo-language-server --stdio   (or --node-ipc, --socket=PORT)
//
// It runs compiled with V8's code cache when the build left one beside it (dist/server.js.cache, written
// by scripts/server-code-cache.mjs: a language server session over the examples, with the node options
// of server/node-options.json and ACROTOPO_CODE_CACHE=write). The functions an open runs then come
// compiled instead of being parsed and compiled while the user waits: ~20 ms of a 10,000-machine open
// here (docs/language-server.md, "Code cache"). dist/bundle-loader.cjs (scripts/bundle-loader.cjs) does
// that, for the CLI's bin too; `acrotopo/serverStatus` says whether the cache was used (codeCache).
'use strict';
const fs = require('fs');
const path = require('path');

const dist = path.join(__dirname, '..', 'dist');
if (!fs.existsSync(path.join(dist, 'server.js')) || !fs.existsSync(path.join(dist, 'bundle-loader.cjs'))) {
  process.stderr.write("acrotopo-language-server: the server is not built yet: run 'npm run build' in the repository root\n");
  process.exit(2);
}
require(path.join(dist, 'bundle-loader.cjs'))(path.join(dist, 'server.js'), 'acrotopo-language-server', module);
