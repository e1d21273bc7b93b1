// The preview webview's HTML: strict CSP (no inline script or style, a fresh nonce per load), the
// bundled script and stylesheet from the extension's media folder only. Plain function: unit-tested.

export interface PreviewHtmlInput {
  /** `webview.cspSource` */
  cspSource: string;
  /** URI of media/preview.js as the webview sees it */
  scriptUri: string;
  /** URI of media/preview.css as the webview sees it */
  styleUri: string;
  nonce: string;
  /** document title shown while loading */
  title?: string;
}

function escAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A nonce of 32 base64url characters from a CSPRNG. */
export function makeNonce(random: (n: number) => Uint8Array = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n))): string {
  const bytes = random(24);
  let s = '';
  for (const b of bytes) s += 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[b & 63];
  return s;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function previewHtml(input: PreviewHtmlInput): string {
  const csp = contentSecurityPolicy(input.cspSource, input.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escAttr(input.styleUri)}">
<title>${escAttr(input.title ?? 'Acrotopo preview')}</title>
</head>
<body>
<div id="app" class="loading">Loading the diagram…</div>
<script nonce="${escAttr(input.nonce)}" src="${escAttr(input.scriptUri)}"></script>
</body>
</html>
`;
}
