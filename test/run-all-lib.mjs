// Parsing of test-runner output for test/run-all.mjs (kept apart so that it can be tested).

export const stripAnsi = (s) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
function lastNumber(text, re) {
  let m;
  let last;
  const g = new RegExp(re.source, 'gm');
  while ((m = g.exec(text))) last = Number(m[1]);
  return last;
}
/** Counts from node's spec reporter (`ℹ pass N`) or TAP (`# pass N`). */
export function parseNodeCounts(raw) {
  const text = stripAnsi(raw);
  const get = (word) => lastNumber(text, new RegExp(`^\\s*(?:ℹ|#)\\s+${word}\\s+(\\d+)\\s*$`));
  const pass = get('pass');
  const fail = get('fail');
  if (pass === undefined || fail === undefined) return undefined;
  return { passed: pass, failed: fail + (get('cancelled') ?? 0), skipped: (get('skipped') ?? 0) + (get('todo') ?? 0) };
}
/** Counts from a plain `N passed, N failed[, N skipped]` line (the last one wins). */
export function parsePlainCounts(raw) {
  const text = stripAnsi(raw);
  const re = /^(?:\w+:\s*)?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/gm;
  let m;
  let last;
  while ((m = re.exec(text))) last = { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3] ?? 0) };
  return last;
}
