// "Did you mean …?" for misspelled keys, enum values and names.
// A candidate is close when its edit distance (case-insensitive Levenshtein) is at most 2, and at most
// half the length of the typed word (so `to` does not become `os`), or when one is a prefix of the other
// (`agent-for-win` → `agent-for-windows`). Closest first (a swap of two letters counts as closer than
// two other edits); ties keep the candidates' own order.
import { distance } from 'fastest-levenshtein';

export const MAX_EDIT_DISTANCE = 2;

/** Up to `limit` candidates close to `word`, best first. */
export function closeMatches(word: string, candidates: readonly string[], limit = 3): string[] {
  const w = word.toLowerCase();
  if (w.length === 0) return [];
  const maxDistance = Math.min(MAX_EDIT_DISTANCE, Math.floor(w.length / 2));
  const scored: { c: string; score: number; index: number }[] = [];
  candidates.forEach((c, index) => {
    if (c === word) return;
    const lc = c.toLowerCase();
    // quick reject: lengths too far apart for the distance bound and not a prefix either
    const prefix = w.length >= 3 && (lc.startsWith(w) || w.startsWith(lc));
    if (!prefix && Math.abs(lc.length - w.length) > maxDistance) return;
    const d = lc === w ? 0 : distance(w, lc);
    // a swap of two letters (`prot` → `port`) costs 2 in Levenshtein; rank it before other 2s
    const anagram = d > 0 && lc.length === w.length && [...lc].sort().join('') === [...w].sort().join('');
    if (d <= maxDistance) scored.push({ c, score: anagram ? d - 0.5 : d, index });
    else if (prefix) scored.push({ c, score: MAX_EDIT_DISTANCE + 1 + Math.abs(lc.length - w.length) / 1000, index });
  });
  scored.sort((a, b) => a.score - b.score || a.index - b.index);
  return scored.slice(0, limit).map((s) => s.c);
}

/** The best candidate close to `word`, if any. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  return closeMatches(word, candidates, 1)[0];
}
