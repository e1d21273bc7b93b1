#!/usr/bin/env node
// The `acrotopo` command. The program is bundled to ../dist/acrotopo.js by `npm run build`.
//
// The bundle is compiled with V8's code cache when `npm run build` left one beside it
// (dist/acrotopo.js.cache, made by running a check with ACROTOPO_CODE_CACHE=write): the functions a
// check runs then come compiled instead of being parsed and compiled on every run, ~25 ms of the
// ~160 ms `acrotopo check` takes on a small file here. A cache V8 rejects (another Node, another
// bundle) or none at all only costs that time. ACROTOPO_CODE_CACHE=report says on stderr which it was.
'use strict';
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');

const bundle = path.join(__dirname, '..', 'dist', 'acrotopo.js');
let source;
try {
  source = fs.readFileSync(bundle, 'utf8');
} catch {
  process.stderr.write("acrotopo: the command is not built yet: run 'npm run build' in the repository root\n");
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
if (mode === 'report') process.stderr.write(`acrotopo: code cache ${cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used'}\n`);
if (mode === 'write') {
  // after the run, with the functions it compiled
  process.on('exit', () => {
    try {
      fs.writeFileSync(cacheFile, script.createCachedData());
    } catch (e) {
      process.stderr.write(`acrotopo: could not write the code cache ${cacheFile}: ${e && e.message}\n`);
    }
  });
}
const m = new Module(bundle, module);
m.filename = bundle;
m.paths = Module._nodeModulePaths(path.dirname(bundle));
script.runInThisContext().call(m.exports, m.exports, Module.createRequire(bundle), m, bundle, path.dirname(bundle));
