#!/usr/bin/env node
// The `acrotopo` command. The program is bundled to ../dist/acrotopo.js by `npm run build`, and run
// compiled with V8's code cache when the build left one beside it (dist/acrotopo.js.cache, made by a
// check of an example with ACROTOPO_CODE_CACHE=write): the functions a check runs then come compiled
// instead of being parsed and compiled on every run, ~25 ms of the ~160 ms `acrotopo check` takes on a
// small file here. dist/bundle-loader.cjs (scripts/bundle-loader.cjs) does that, for the language
// server's bin too; ACROTOPO_CODE_CACHE=report says on stderr whether the cache was used.
'use strict';
const fs = require('fs');
const path = require('path');

const dist = path.join(__dirname, '..', 'dist');
if (!fs.existsSync(path.join(dist, 'acrotopo.js')) || !fs.existsSync(path.join(dist, 'bundle-loader.cjs'))) {
  process.stderr.write("acrotopo: the command is not built yet: run 'npm run build' in the repository root\n");
  process.exit(2);
}
require(path.join(dist, 'bundle-loader.cjs'))(path.join(dist, 'acrotopo.js'), 'acrotopo', module);
