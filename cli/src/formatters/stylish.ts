// Text output in the manner of ESLint's "stylish" formatter: each file with problems, its path
// underlined, then aligned `line:col  severity  message  rule-id` rows (1-based), then one summary line.
import type { FileResult } from '../check';
import type { Paint } from '../io';
import { plural } from '../io';

/** One line of text per message: collapses line breaks so the columns stay aligned. */
function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** `quiet`: only errors were kept (--quiet), so a clean run says "no errors" rather than "no problems". */
export function formatStylish(results: FileResult[], p: Paint, quiet = false): string {
  let out = '';
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const r of results) {
    if (r.diagnostics.length === 0) continue;
    const rows = r.diagnostics.map((d) => {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
      else infos++;
      return {
        line: String(d.range.start.line + 1),
        col: String(d.range.start.character + 1),
        severity: d.severity,
        message: oneLine(d.message),
        rule: d.rule,
      };
    });
    const wLine = Math.max(...rows.map((x) => x.line.length));
    const wCol = Math.max(...rows.map((x) => x.col.length));
    const wSev = Math.max(...rows.map((x) => x.severity.length));
    const wMsg = Math.max(...rows.map((x) => x.message.length));
    out += `\n${p.underline(r.path)}\n`;
    for (const x of rows) {
      const pos = p.dim(`${x.line.padStart(wLine)}:${x.col.padEnd(wCol)}`);
      const sevText = x.severity.padEnd(wSev);
      const sev = x.severity === 'error' ? p.red(sevText) : x.severity === 'warning' ? p.yellow(sevText) : p.blue(sevText);
      out += `  ${pos}  ${sev}  ${x.message.padEnd(wMsg)}  ${p.dim(x.rule)}\n`;
    }
  }
  const total = errors + warnings + infos;
  if (total === 0) {
    const n = results.length;
    return n === 0 ? '' : `${p.green('✔')} no ${quiet ? 'errors' : 'problems'} (${plural(n, 'file')} checked)\n`;
  }
  const summary = `✖ ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info')})`;
  const coloured = errors > 0 ? p.red(p.bold(summary)) : warnings > 0 ? p.yellow(p.bold(summary)) : p.blue(p.bold(summary));
  out += `\n${coloured}\n`;
  return out;
}
