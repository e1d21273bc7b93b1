#!/usr/bin/env node
// The language server, bundled by `npm run build` (scripts/build.mjs) into ../dist/server.js.
// Usage: acrotopo-language-server --stdio   (or --node-ipc, --socket=PORT)
require('../dist/server.js');
