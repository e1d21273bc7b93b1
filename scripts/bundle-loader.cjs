// Runs a bundle (the CLI's dist/acrotopo.js, the language server's dist/server.js) compiled with V8's
// code cache beside it (BUNDLE.cache), for the bins cli/bin/acrotopo.js and
// server/bin/acrotopo-language-server.js. `npm run build` copies this file into both packages' dist/
// (scripts/build.mjs) and writes each cache: a run of the command, or a language server session, with
// ACROTOPO_CODE_CACHE=write (docs/cli.md, docs/language-server.md "Code cache").
//
// The functions a run compiled then come compiled instead of being parsed and compiled on every start.
// A cache V8 rejects (another Node, other node options, another bundle) or none at all only costs that
// time. ACROTOPO_CODE_CACHE=report says on stderr which it was (`NAME: code cache used`, `absent`,
// `rejected`); globalThis[Symbol.for('acrotopo.codeCache')] holds it too (the server's status request
// reports it). In write mode the cache is written as the process exits, with what the run compiled:
// V8 rejects a cache made after the process changed a V8 flag, so a run that writes one must not.
'use strict';
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');

/**
 * @param {string} bundle the bundle's path
 * @param {string} name the command's name, for messages
 * @param {NodeJS.Module} parent the bin's module
 */
module.exports = function loadBundle(bundle, name, parent) {
  const source = fs.readFileSync(bundle, 'utf8');
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
  globalThis[Symbol.for('acrotopo.codeCache')] = state;
  if (mode === 'report') process.stderr.write(`${name}: code cache ${state}\n`);
  if (mode === 'write') {
    process.on('exit', () => {
      try {
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
      } catch (e) {
        process.stderr.write(`${name}: could not write the code cache ${cacheFile}: ${e && e.message}\n`);
      }
    });
  }
  const m = new Module(bundle, parent);
  m.filename = bundle;
  m.paths = Module._nodeModulePaths(path.dirname(bundle));
  script.runInThisContext().call(m.exports, m.exports, Module.createRequire(bundle), m, bundle, path.dirname(bundle));
};
