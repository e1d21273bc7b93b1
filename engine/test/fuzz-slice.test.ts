// The CI slice of `npm run fuzz`: generated and mutated inputs through the engine in a watched
// worker; any uncaught exception, internal-error diagnostic, span outside the text or input taking
// over 2 s fails. The full run is `FUZZ_N=100000 npm run fuzz` (50 000 of them go to the engine; the
// server and CLI slices are server/test/fuzz-slice.test.ts and cli/test/fuzz-slice.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runFuzzSlice } from '../../test/fuzz-slice';

test('fuzz slice: 1500 inputs, no findings', () => {
  const r = runFuzzSlice('engine', 1500);
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /fuzz engine: 1500 inputs .* 0 findings/);
});
