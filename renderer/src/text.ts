// Text safety and metrics shared by the layout and the SVG writer.

/**
 * Characters that reorder text (bidi embeddings, overrides and isolates: U+202A–U+202E, U+2066–U+2069)
 * plus the implicit marks (U+200E, U+200F, U+061C). They are replaced with U+FFFD so a hostile name
 * cannot make `exe.txt` read `txt.exe`, and the reader still sees that something was there.
 */
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
/** Characters XML 1.0 does not allow (C0 controls but TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces bidi controls and characters XML cannot carry; the result is safe to draw as one line. */
export function neutralise(text: string): string {
  return text.replace(BIDI, '\uFFFD').replace(NOT_XML, '\uFFFD').replace(/[\t\r\n]+/g, ' ');
}

/** XML-escapes text for element content AND attribute values (after neutralising it). */
export function esc(text: string | number | undefined): string {
  if (text === undefined) return '';
  return neutralise(String(text))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Shortens a label to `max` characters with an ellipsis (the full text stays in the tooltip). */
export function clip(text: string, max: number): string {
  const chars = [...neutralise(text)];
  return chars.length <= max ? chars.join('') : chars.slice(0, Math.max(1, max - 1)).join('') + '…';
}

/** Monospace font stack: labels are measured as n × 0.6 em, which all of these honour (±5%). */
export const MONO = "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', 'Courier New', monospace";
export const SANS = "'Segoe UI', 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif";

/** Width of `text` drawn in the monospace stack at `size` px (wide characters count double). */
export function monoWidth(text: string, size: number): number {
  let units = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    units += c >= 0x1100 && (c <= 0x115f || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0x1f300 && c <= 0x1faff) || (c >= 0x20000 && c <= 0x3fffd)) ? 2 : 1;
  }
  return Math.ceil(units * size * 0.61);
}

/** Width of `text` in the sans stack (bold headings): a generous average so nothing is clipped. */
export function sansWidth(text: string, size: number): number {
  return Math.ceil([...text].length * size * 0.62);
}

/**
 * A value from the document (a name, an id) for a `data-*` attribute: percent-encoded like
 * encodeURIComponent, so no attribute ever holds markup, `javascript:`, `onerror=` or a bidi control
 * from the document. Read it back with decodeURIComponent.
 */
export function dataValue(text: string): string {
  return encodeURIComponent(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}
