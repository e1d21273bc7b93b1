// Typing must not make the incremental checker keep old versions of the document alive. Its chunk
// cache once kept V8 "sliced strings" (views) of every version it parsed a chunk of: 100 keystrokes in
// a 10,000-machine file kept about 300 MB alive, and a long session ran out of memory.
// Run in a child process with --expose-gc, so that live heap can be read after full GCs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

test('300 keystrokes in a 1,000-machine file keep no old versions of the text alive', () => {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, 'fixtures', 'retained-heap.ts'), '1000'], {
    encoding: 'utf8',
    cwd: join(__dirname, '..', '..'),
  });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { textBytes: number; opened: number; typed: number; paths: { reused: number; delta: number; other: number } };
  // the typing went through both paths that cache chunks of new versions
  assert.ok(r.paths.reused >= 90, `reused results: ${JSON.stringify(r.paths)}`);
  assert.ok(r.paths.delta >= 180, `delta checks: ${JSON.stringify(r.paths)}`);
  // Measured: 94 MB when every version was kept (about two copies of the 148 KB text per keystroke),
  // 5 MB now (the chunk cache's parsed entries for the typed versions, bounded by its size limit).
  const grown = r.typed - r.opened;
  assert.ok(grown < 20 * 1048576, `live heap grew by ${(grown / 1048576).toFixed(1)} MB over 300 keystrokes (text ${(r.textBytes / 1024).toFixed(0)} KB): old versions are kept`);
});
