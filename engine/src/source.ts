// Offsets <-> positions, through a line index built once per text.
import type { Position, Range, Span, TextEdit } from './types';

export class SourceFile {
  readonly text: string;
  readonly lineStarts: readonly number[];

  /**
   * The file of `text` (LF line ends only, as the old file's), the old file's text with [at, oldEnd) replaced (length change `delta`): the line
   * index is the old one's, moved, with the replaced lines read again.
   */
  static afterEdit(old: SourceFile, text: string, at: number, oldEnd: number, delta: number): SourceFile {
    const end = oldEnd + delta;
    if (old.hasCR || text.slice(at, end).includes('\r')) return new SourceFile(text);
    const s = old.lineStarts;
    const keep = old.lineOf(at) + 1; // starts ≤ at: their line break is before the edit
    if (!old.text.slice(at, oldEnd).includes('\n') && !text.slice(at, end).includes('\n')) {
      // no line break removed or typed (most keystrokes): the same lines, those after the edit moved
      // (the same index when nothing moved: it is never changed)
      if (delta === 0) return new SourceFile(text, s);
      const moved = s.slice();
      for (let i = keep; i < moved.length; i++) moved[i] += delta;
      return new SourceFile(text, moved);
    }
    const out = s.slice(0, keep);
    for (let p = text.indexOf('\n', at); p >= 0 && p < end; p = text.indexOf('\n', p + 1)) out.push(p + 1);
    let j = keep;
    while (j < s.length && s[j] - 1 < oldEnd) j++; // line breaks inside the replaced text are gone
    for (; j < s.length; j++) out.push(s[j] + delta);
    return new SourceFile(text, out);
  }

  /** the text has a CR (its lines are then read character by character) */
  private readonly hasCR: boolean;

  /** @param lineStarts the line index, when known (afterEdit: a text without CR) */
  constructor(text: string, lineStarts?: readonly number[]) {
    this.text = text;
    if (lineStarts) {
      this.hasCR = false;
      this.lineStarts = lineStarts;
      return;
    }
    this.hasCR = text.includes('\r');
    const starts = [0];
    if (!this.hasCR) {
      // LF only (the usual case): jump from line break to line break instead of reading every character
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13) {
          if (text.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        }
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 0-based line of an offset (binary search). */
  lineOf(offset: number): number {
    const s = this.lineStarts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(o);
    return { line, character: o - this.lineStarts[line] };
  }

  offset(pos: Position): number {
    const line = Math.max(0, Math.min(pos.line, this.lineStarts.length - 1));
    const start = this.lineStarts[line];
    const end = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    return Math.min(start + Math.max(0, pos.character), end);
  }

  range(span: Span): Range {
    return { start: this.position(span.start), end: this.position(span.end) };
  }

  /** Start offset of a line, its end offset (before the line break) and its text. */
  line(line: number): { start: number; end: number; text: string } {
    const start = this.lineStarts[line];
    let end = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return { start, end, text: this.text.slice(start, end) };
  }

  /** The line break the document uses (CRLF is kept in edits). */
  get eol(): string {
    const i = this.text.indexOf('\n');
    return i > 0 && this.text.charCodeAt(i - 1) === 13 ? '\r\n' : '\n';
  }

  edit(span: Span, newText: string): TextEdit {
    return { span, range: this.range(span), newText };
  }
}

/** Applies non-overlapping edits to a text (used by tests and the CLI's --fix). */
export function applyEdits(text: string, edits: { span: Span; newText: string }[]): string {
  // Back to front. Inserts at one offset keep their array order in the result (as LSP specifies), so the
  // later of two equal edits is applied first.
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.span.start - a.e.span.start || b.e.span.end - a.e.span.end || b.i - a.i);
  let out = text;
  let lastStart = Infinity;
  for (const { e } of sorted) {
    if (e.span.end > lastStart) continue; // overlapping edit: skip rather than corrupt
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
    lastStart = e.span.start;
  }
  return out;
}

/**
 * A copy of `s` that keeps no larger string alive. V8 represents `text.slice(a, b)` (13 characters or
 * more) as a view of `text`: a slice kept in a cache keeps the whole text it was cut from. The
 * incremental checker caches one chunk of every document version it parses; as views, 200 keystrokes
 * in a 10,000-machine file kept 600 MB of old versions alive. Concatenation then slicing makes V8 copy
 * the characters into a string of the slice's own size (the view is then of that copy).
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
