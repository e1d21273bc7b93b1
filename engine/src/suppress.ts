// `# acrotopo-disable-next-line RULE[, RULE…] [-- reason]`: the comment's syntax in one place, used by
// the engine (which lines are silenced), the language server's code actions (adding a rule to an
// existing comment) and its completion (rule ids after the marker).
import type { SourceFile } from './source';

/** The marker of a disable comment (a text without it has none). */
export const DISABLE_MARKER = 'acrotopo-disable-next-line';
const DISABLE_RE = /^(\s*#\s*acrotopo-disable-next-line)\b(.*)$/;

export interface DisableComment {
  /** end of `# acrotopo-disable-next-line` (column) */
  prefixEnd: number;
  /** end of the rule list, before a ` -- reason` and trailing blanks (column); equals prefixEnd when the list is empty */
  listEnd: number;
  /** the rule ids listed (none = every rule) */
  rules: string[];
}

/** The disable comment on a line, or undefined when the line is not one. */
export function parseDisableComment(line: string): DisableComment | undefined {
  const m = DISABLE_RE.exec(line);
  if (!m) return undefined;
  const list = m[2].replace(/\s+--.*$/, '');
  return {
    prefixEnd: m[1].length,
    listEnd: (m[1] + list).replace(/\s+$/, '').length,
    rules: list.split(/[\s,]+/).filter(Boolean),
  };
}

/** Lines (0-based) silenced by `# acrotopo-disable-next-line [RULE, …]` → rule ids (`*` = all). */
export function suppressions(file: SourceFile): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  const MARKER = DISABLE_MARKER;
  if (!file.text.includes(MARKER)) return out;
  let pending: Set<string> | undefined;
  for (let l = 0; l < file.lineCount; l++) {
    if (!pending) {
      // nothing pending: only a line with the marker can change that, so skip to the next one
      const next = file.text.indexOf(MARKER, file.lineStarts[l]);
      if (next < 0) break;
      l = file.lineOf(next);
    }
    const line = file.line(l).text;
    const comment = parseDisableComment(line);
    if (comment) {
      pending ??= new Set();
      if (comment.rules.length === 0) pending.add('*');
      for (const r of comment.rules) pending.add(r);
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (pending) {
      out.set(l, pending);
      pending = undefined;
    }
  }
  return out;
}
