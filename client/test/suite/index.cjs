// Mocha entry loaded INSIDE the VS Code extension host (extensionTestsPath). Used by both runners:
// test/e2e/ext-host.mjs (code-server, offline) and client/test/run-test-electron.cjs (@vscode/test-electron).
// ACROTOPO_TEST_GREP filters tests; ACROTOPO_TEST_RESULT names a file that receives { passes, failures } as JSON.
const path = require('path');
const fs = require('fs');
const Mocha = require('mocha');

exports.run = async function run() {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30000, color: false, reporter: 'spec' });
  if (process.env.ACROTOPO_TEST_GREP) mocha.grep(process.env.ACROTOPO_TEST_GREP);
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.cjs')).sort()) mocha.addFile(path.join(__dirname, f));
  await new Promise((ok, ko) => {
    const runner = mocha.run((failures) => {
      if (process.env.ACROTOPO_TEST_RESULT) {
        fs.writeFileSync(process.env.ACROTOPO_TEST_RESULT, JSON.stringify({ passes: runner.stats.passes, failures }));
      }
      if (failures) ko(new Error(`${failures} tests failed`)); else ok();
    });
  });
};
