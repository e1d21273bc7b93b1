// Code actions, built from the engine's fixes kept with the published diagnostics (a diagnostic's `data`
// says which one it is), never by re-running a rule: one quick fix per engine fix, "Disable RULE for
// this line", "Disable RULE for this file", "Fix all RULE problems", and `source.fixAll.acrotopo`.
import { AstReader, parseDisableComment, parseYaml, setKey, SourceFile } from '@acrotopo/engine';
import type { ParsedYaml } from '@acrotopo/engine';
import { CodeActionKind } from 'vscode-languageserver';
import type { CodeAction, CodeActionParams, Diagnostic, Range, TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { diagnosticData } from './diagnostics';
import type { LspFix, PublishedDiagnostics } from './diagnostics';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.acrotopo`;

function lineText(doc: TextDocument, line: number): string {
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$|\r$/, '');
}

function eol(doc: TextDocument): string {
  const t = doc.getText();
  const i = t.indexOf('\n');
  return i > 0 && t[i - 1] === '\r' ? '\r\n' : '\n';
}

/** `# acrotopo-disable-next-line RULE` above the diagnostic's line (or RULE added to one already there). */
export function disableLineEdit(doc: TextDocument, line: number, rule: string): TextEdit {
  const text = lineText(doc, line);
  const indent = /^\s*/.exec(text)![0];
  // the nearest comment line above, when it is a disable comment for this line
  let l = line - 1;
  while (l >= 0 && /^\s*#/.test(lineText(doc, l)) && !parseDisableComment(lineText(doc, l))) l--;
  if (l >= 0) {
    const comment = parseDisableComment(lineText(doc, l));
    if (comment && comment.listEnd > comment.prefixEnd) {
      const end = comment.listEnd;
      return { range: { start: { line: l, character: end }, end: { line: l, character: end } }, newText: `, ${rule}` };
    }
  }
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# acrotopo-disable-next-line ${rule}${eol(doc)}` };
}

/** `RULE: off` in the top-level `rules:` mapping (created at the end of the file when absent). */
export function disableFileEdit(doc: TextDocument, rule: string, parsed?: ParsedYaml): TextEdit | undefined {
  const text = doc.getText();
  const file = new SourceFile(text);
  const { doc: ydoc } = parsed ?? parseYaml(text);
  const reader = new AstReader(ydoc);
  const root = reader.deref(ydoc.contents);
  const nl = file.eol;
  if (root && reader.isMap(root)) {
    const rules = reader.get(root, 'rules');
    if (rules) {
      if (rules.value && reader.isMap(rules.value)) {
        const e = setKey(file, reader, ['rules'], rule, 'off');
        return e ? { range: e.range, newText: e.newText } : undefined;
      }
      const scalar = rules.value ? reader.scalar(rules.value) : undefined;
      if (!rules.value || (scalar && (scalar.value === null || scalar.value === undefined))) {
        // `rules:` with nothing (or an explicit null) after it: the entry goes on the next line
        const keyLine = file.line(file.lineOf(rules.keySpan.start));
        const keyCol = rules.keySpan.start - keyLine.start;
        const from = scalar && scalar.span.end > scalar.span.start && scalar.span.start < keyLine.end ? scalar.span.start : keyLine.end;
        const removed = file.text.slice(from, keyLine.end);
        const start = removed.trim() === '' || scalar ? from : keyLine.end;
        return { range: file.range({ start, end: keyLine.end }), newText: `${nl}${' '.repeat(keyCol + 2)}${rule}: off` };
      }
      return undefined; // `rules:` holds something that is not a mapping: leave it to the schema rule
    }
    if (ydoc.errors.length === 0 && (root as { flow?: boolean }).flow) {
      const e = setKey(file, reader, [], 'rules', `{ ${rule}: off }`);
      return e ? { range: e.range, newText: e.newText } : undefined;
    }
  }
  const end = file.position(text.length);
  const needsNl = text.length > 0 && !/[\r\n]$/.test(text);
  return { range: { start: end, end }, newText: `${needsNl ? nl : ''}rules:${nl}  ${rule}: off${nl}` };
}

/** A position as one number that orders like (line, character) (characters below 1e8). */
function posKey(p: Range['start']): number {
  return p.line * 1e8 + p.character;
}

/**
 * Ranges of edits already taken, none overlapping another, sorted by start (and then end); for
 * disjoint ranges the ends are then in order too. Two ranges overlap when each starts before the
 * other ends; two insertions at the same point overlap too (their order would be arbitrary). An
 * insertion at a range's start or end does not overlap it.
 */
class TakenRanges {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  /** the number of taken ranges whose start is below s (or at most s, with `orEqual`) */
  private count(s: number, orEqual: boolean): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid] < s || (orEqual && this.starts[mid] === s)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  overlaps(r: Range): boolean {
    const s = posKey(r.start);
    const e = posKey(r.end);
    if (s === e) {
      // an insertion: inside a range, or at an insertion's point
      const j = this.count(s, false) - 1; // the last range starting before s has the largest end of those
      if (j >= 0 && this.ends[j] > s) return true;
      const k = this.count(s, false);
      return k < this.starts.length && this.starts[k] === s && this.ends[k] === s;
    }
    // ranges starting before e; the last of them ends last
    const j = this.count(e, false) - 1;
    return j >= 0 && this.ends[j] > s;
  }

  add(r: Range): void {
    const s = posKey(r.start);
    const e = posKey(r.end);
    let i = this.count(s, false);
    while (i < this.starts.length && this.starts[i] === s && this.ends[i] < e) i++;
    this.starts.splice(i, 0, s);
    this.ends.splice(i, 0, e);
  }
}

/** A diagnostic with its fixes. */
export interface Fixable {
  diagnostic: Diagnostic;
  fixes: readonly LspFix[];
  /** its position in the published list */
  index?: number;
}

/**
 * Every preferred fix of the diagnostics, skipping fixes whose edits overlap one already taken or
 * each other. `n log n` in the edits (a 10,000-machine file has thousands of fixable problems).
 */
export function collectFixAll(diagnostics: Iterable<Fixable>): { edits: TextEdit[]; fixed: Diagnostic[]; indexes: Set<number> } {
  const edits: TextEdit[] = [];
  const fixed: Diagnostic[] = [];
  const indexes = new Set<number>();
  const taken = new TakenRanges();
  for (const { diagnostic: d, fixes, index } of diagnostics) {
    const fix = fixes.find((f) => f.isPreferred);
    if (!fix || fix.edits.length === 0) continue;
    if (fix.edits.some((e) => taken.overlaps(e.range))) continue;
    if (fix.edits.length > 1) {
      // a fix's own edits must not overlap each other either
      const own = new TakenRanges();
      if (fix.edits.some((e) => (own.overlaps(e.range) ? true : (own.add(e.range), false)))) continue;
    }
    for (const e of fix.edits) taken.add(e.range);
    edits.push(...fix.edits);
    fixed.push(d);
    if (index !== undefined) indexes.add(index);
  }
  return { edits, fixed, indexes };
}

/** The published diagnostics (of `rule`, or all) with their fixes, in published order. */
function* publishedFixables(published: PublishedDiagnostics, rule?: string): Generator<Fixable> {
  for (let i = 0; i < published.length; i++) {
    if (rule === undefined || published.rule(i) === rule) yield { diagnostic: published.diagnostic(i), fixes: published.fixes(i), index: i };
  }
}

/** A diagnostic of the request that is ours, with its rule and the fixes it gets. */
interface Ours extends Fixable {
  rule: string;
}

/**
 * The request's diagnostics that are ours. One found among the diagnostics published for this version
 * (PublishedDiagnostics.indexOf) gets that one's fixes; any other of ours — from an older version, or
 * while this version's are not published yet — gets none, as they would be edits computed for another
 * text, but still the actions built here from this version's text.
 */
function oursOf(diagnostics: Diagnostic[], published: PublishedDiagnostics | undefined): Ours[] {
  const out: Ours[] = [];
  for (const d of diagnostics) {
    if (d.source !== 'acrotopo') continue;
    const i = published ? published.indexOf(d) : -1;
    if (i >= 0) out.push({ diagnostic: d, rule: published!.rule(i), fixes: published!.fixes(i), index: i });
    else {
      const data = diagnosticData(d);
      if (data) out.push({ diagnostic: d, rule: data.rule, fixes: [] });
    }
  }
  return out;
}

function wants(only: string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

/** The `data` of a fix-all action whose edit is left to codeAction/resolve. */
export interface FixAllData {
  acrotopo: 'fix-all';
  /** the document */
  uri: string;
  /** the rule of "Fix all RULE problems"; none for "Fix all auto-fixable acrotopo problems" */
  rule?: string;
}

function fixAllData(x: unknown): FixAllData | undefined {
  const d = x as Partial<FixAllData> | undefined;
  if (!d || typeof d !== 'object' || d.acrotopo !== 'fix-all' || typeof d.uri !== 'string' || (d.rule !== undefined && typeof d.rule !== 'string')) return undefined;
  return d as FixAllData;
}

export interface CodeActionOptions {
  /**
   * The client resolves an action's edit on demand (codeAction/resolve with `edit` among its
   * resolveSupport properties): the fix-all actions then come without their edits, computed only
   * when chosen. At 10,000 machines they were 0.6–0.8 MB in every answer, and editors ask for code
   * actions whenever the cursor rests on a problem.
   */
  lazyEdits?: boolean;
}

/**
 * Code actions for the request's range and diagnostics. The fix-all actions name, of all the problems
 * they fix, those of the request (not thousands of them); their edit is every preferred fix.
 * @param published the diagnostics published for this version of the document (their fixes, and the
 *                  fix-all actions); undefined when the published set is out of date
 * @param yaml the parse of this version (the server's cached one); parsed here, once, when not given
 */
export function codeActions(doc: TextDocument, params: CodeActionParams, published: PublishedDiagnostics | undefined, yaml?: () => ParsedYaml, options: CodeActionOptions = {}): CodeAction[] {
  const uri = doc.uri;
  /** a fix-all action: the request's diagnostics it fixes, and its edit (or what resolves it) */
  const fixAll = (title: string, kind: string, rule: string | undefined, fixable: ReturnType<typeof collectFixAll>): CodeAction => {
    const diagnostics = ours.filter((x) => x.index !== undefined && fixable.indexes.has(x.index)).map((x) => x.diagnostic);
    const a: CodeAction = { title, kind, diagnostics };
    if (options.lazyEdits) a.data = { acrotopo: 'fix-all', uri, ...(rule !== undefined ? { rule } : {}) } satisfies FixAllData;
    else a.edit = { changes: { [uri]: fixable.edits } };
    return a;
  };
  let parsed: ParsedYaml | undefined;
  const parse = () => (parsed ??= yaml?.() ?? parseYaml(doc.getText()));
  const only = params.context.only;
  const out: CodeAction[] = [];
  const ours = oursOf(params.context.diagnostics, published);

  if (wants(only, CodeActionKind.QuickFix)) {
    const fileRules = new Set<string>();
    for (const { diagnostic: d, fixes } of ours) {
      for (const f of fixes) {
        out.push({ title: f.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: f.isPreferred, edit: { changes: { [uri]: f.edits } } });
      }
    }
    for (const { rule } of ours) {
      if (!published || fileRules.has(`fix:${rule}`)) continue;
      const fixable = collectFixAll(publishedFixables(published, rule));
      if (fixable.fixed.length > 1) {
        fileRules.add(`fix:${rule}`);
        out.push(fixAll(`Fix all ${rule} problems`, CodeActionKind.QuickFix, rule, fixable));
      }
    }
    for (const { diagnostic: d, rule } of ours) {
      if (rule === 'internal-error') continue;
      out.push({ title: `Disable ${rule} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [uri]: [disableLineEdit(doc, d.range.start.line, rule)] } } });
    }
    for (const { rule } of ours) {
      if (rule === 'internal-error' || fileRules.has(rule)) continue;
      fileRules.add(rule);
      const e = disableFileEdit(doc, rule, parse());
      if (e) out.push({ title: `Disable ${rule} for this file`, kind: CodeActionKind.QuickFix, diagnostics: ours.filter((x) => x.rule === rule).map((x) => x.diagnostic), edit: { changes: { [uri]: [e] } } });
    }
  }

  if (wants(only, FIX_ALL_KIND)) {
    const fixable = collectFixAll(published ? publishedFixables(published) : ours);
    if (fixable.edits.length > 0) out.push(fixAll('Fix all auto-fixable acrotopo problems', FIX_ALL_KIND, undefined, fixable));
  }
  return out;
}

/**
 * codeAction/resolve: a fix-all action gets its edit, from the diagnostics published for the
 * document's current version (`published`); without them (a change not checked yet) it stays without
 * one, and applying it changes nothing. Any other action is returned as it came.
 */
export function resolveCodeAction(action: CodeAction, doc: TextDocument | undefined, published: PublishedDiagnostics | undefined): CodeAction {
  const data = fixAllData(action.data);
  if (!data || action.edit || !doc || doc.uri !== data.uri || !published) return action;
  const { edits } = collectFixAll(publishedFixables(published, data.rule));
  return { ...action, edit: { changes: { [doc.uri]: edits } } };
}
