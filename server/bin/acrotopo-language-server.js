#!/usr/bin/env node
// The language server, bundled by `npm run build` (scripts/build.mjs) into ../dist/server.js.
// Usage: acrotopo-language-server --stdio   (or --node-ipc, --socket=PORT)
//
// The bundle is compiled with V8's code cache when `npm run build` left one beside it
// (dist/server.js.cache, written by scripts/server-code-cache.mjs: a language server session over the
// examples, run with the node options of server/node-options.json, ACROTOPO_CODE_CACHE=write). The
// functions an open runs then come compiled instead of being parsed and compiled while the user waits:
// ~20 ms of a 10,000-machine open here (docs/language-server.md, "Code cache"). A cache V8 rejects
// (another Node, other node options, another bundle) or none at all only costs that time.
// ACROTOPO_CODE_CACHE=report says on stderr which it was; `acrotopo/serverStatus` says it too (codeCache).
'use strict';
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');

const bundle = path.join(__dirname, '..', 'dist', 'server.js');
let source;
try {
  source = fs.readFileSync(bundle, 'utf8');
} catch {
  process.stderr.write("acrotopo-language-server: the server is not built yet: run 'npm run build' in the repository root\n");
  process.exit(2);
}

const cacheFile = `${bundle}.cache`;
const mode = process.env.ACROTOPO_CODE_CACHE;
let cachedData;
if (mode !== 'write') {
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // no cache: V8 compiles as it goes
  }
}
// the module wrapper node gives every CommonJS file, so the bundle sees the same five names
const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
const state = mode === 'write' ? 'writing' : cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used';
// (read by the server's status request: server/src/heap.ts serverStatus)
globalThis[Symbol.for('acrotopo.codeCache')] = state;
if (mode === 'report') process.stderr.write(`acrotopo-language-server: code cache ${state}\n`);
if (mode === 'write') {
  // at the end of the session, with the functions it compiled (the server sets no V8 flag at run time
  // in this mode: V8 rejects a cache made under other flags than those of the process that reads it)
  process.on('exit', () => {
    try {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch (e) {
      process.stderr.write(`acrotopo-language-server: could not write the code cache ${cacheFile}: ${e && e.message}\n`);
    }
  });
}
const m = new Module(bundle, module);
m.filename = bundle;
m.paths = Module._nodeModulePaths(path.dirname(bundle));
script.runInThisContext().call(m.exports, m.exports, Module.createRequire(bundle), m, bundle, path.dirname(bundle));
