// The preview webview's sandbox in headless Chromium: the page requests nothing but its own HTML,
// script and stylesheet, and its Content-Security-Policy (client/src/previewHtml.ts; its exact text
// is asserted in session.test.ts) blocks what an injected name could try — inline scripts without
// the nonce, inline event handlers, javascript: URLs, fetch / XHR / WebSocket / beacons, images from
// elsewhere — while a script with the nonce runs (the control that shows the probes would see an
// execution).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildDiagram, check } from '@acrotopo/engine';
import { openHarness, ROOT } from './harness';
import type { Harness } from './harness';

const EXAMPLES = (readdirSync(join(ROOT, 'examples'), { recursive: true }) as string[]).filter((f) => f.endsWith('.acrotopo.yaml')).sort();

describe('preview webview: no network, CSP enforced', () => {
  it('the webview bundle has no eval, new Function, fetch, XMLHttpRequest, WebSocket, EventSource or sendBeacon', () => {
    // eval is checked here, not in Chromium: a browser driven over the DevTools protocol lets eval
    // through whatever the CSP says; the CSP has no 'unsafe-eval' (session.test.ts)
    const js = readFileSync(join(ROOT, 'client', 'media', 'preview.js'), 'utf8');
    for (const word of [/\beval\s*\(/, /new\s+Function\b/, /\bfetch\s*\(/, /XMLHttpRequest/, /WebSocket/, /EventSource/, /sendBeacon/, /importScripts/]) {
      assert.doesNotMatch(js, word);
    }
  });

  let h: Harness;
  before(async () => {
    h = await openHarness({ width: 1200, height: 800 });
  });
  after(async () => {
    await h?.close();
  });

  /** The page's own resources; the browser itself may ask for a favicon (VS Code's webview host does not). */
  const own = () => new Set([`${h.origin}/`, `${h.origin}/media/preview.js`, `${h.origin}/media/preview.css`, `${h.origin}/favicon.ico`]);

  it('draws every example, in every view, exports SVG and PNG: no request but the page\'s own resources', async () => {
    let seq = 0;
    for (const f of EXAMPLES) {
      const text = readFileSync(join(ROOT, 'examples', f), 'utf8');
      const result = check(text);
      for (const view of ['all', 'installation', 'communication'] as const) {
        seq++;
        await h.send({ type: 'model', seq, model: buildDiagram(result, view, { text }), uri: `file:///${f}`, fileName: f, expanded: [] });
        await h.waitDrawn(seq);
      }
    }
    await h.send({ type: 'requestExport', format: 'svg' });
    await h.send({ type: 'requestExport', format: 'png' });
    await h.page.waitForFunction(() => ((window as unknown as { __posted: { type: string }[] }).__posted ?? []).filter((m) => m.type === 'exported').length >= 2, undefined, { timeout: 60_000 });
    const others = h.requests.filter((u) => !own().has(u) && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(others, []);
    assert.ok(h.requests.includes(`${h.origin}/media/preview.js`), 'the request log works');
    assert.deepEqual(await h.cspViolations(), []);
  });

  it('blocks inline scripts without the nonce, inline handlers, javascript: URLs and every way out; a script with the nonce runs', async () => {
    const before = h.served.length;
    const outcome = await h.page.evaluate(async ({ nonce, origin }) => {
      const w = window as unknown as { __ran: string[] };
      w.__ran = [];
      const add = (html: string) => {
        const t = document.createElement('template');
        t.innerHTML = html;
        document.body.append(t.content);
      };
      const script = (code: string, n?: string) => {
        const s = document.createElement('script');
        if (n !== undefined) s.setAttribute('nonce', n);
        s.textContent = code;
        document.body.append(s);
      };
      script("window.__ran.push('inline without nonce')");
      script("window.__ran.push('inline with a wrong nonce')", 'wrong');
      script("window.__ran.push('inline with the nonce')", nonce);
      add(`<img src="data:," onerror="window.__ran.push('onerror handler')">`);
      add(`<svg><rect width="1" height="1" onload="window.__ran.push('svg onload')"/></svg>`);
      add(`<a id="js-link" href="javascript:window.__ran.push('javascript: url')">x</a>`);
      (document.getElementById('js-link') as HTMLAnchorElement).click();
      const refused: Record<string, string> = {};
      await fetch(`${origin}/fetched`).then(() => w.__ran.push('fetch answered'), (e) => (refused.fetch = String(e)));
      await new Promise<void>((resolve) => {
        const x = new XMLHttpRequest();
        x.onload = () => { w.__ran.push('xhr answered'); resolve(); };
        x.onerror = () => { refused.xhr = 'error'; resolve(); };
        try {
          x.open('GET', `${origin}/xhr`);
          x.send();
        } catch (e) {
          refused.xhr = String(e);
          resolve();
        }
      });
      try {
        const ws = new WebSocket(origin.replace('http', 'ws') + '/ws');
        ws.onopen = () => w.__ran.push('websocket open');
      } catch (e) {
        refused.websocket = String(e);
      }
      try {
        navigator.sendBeacon(`${origin}/beacon`, 'x'); // returns true, then the CSP blocks the send
      } catch (e) {
        refused.beacon = String(e);
      }
      const img = new Image();
      await new Promise<void>((resolve) => {
        img.onload = () => { w.__ran.push('foreign image loaded'); resolve(); };
        img.onerror = () => resolve();
        img.src = 'http://localhost:9/track.png';
      });
      await new Promise((r) => setTimeout(r, 300));
      return { ran: w.__ran, refused };
    }, { nonce: h.nonce, origin: h.origin });

    assert.deepEqual(outcome.ran, ['inline with the nonce'], 'only the script carrying the nonce ran');
    assert.ok(outcome.refused.fetch, 'fetch refused');
    assert.ok(outcome.refused.xhr, 'XMLHttpRequest refused');
    const violations = await h.cspViolations();
    for (const directive of ['script-src-elem', 'script-src-attr', 'img-src']) {
      assert.ok(violations.some((v) => v.startsWith(directive)), `a ${directive} violation in ${JSON.stringify(violations)}`);
    }
    for (const probe of ['/fetched', '/xhr', '/ws', '/beacon']) {
      assert.ok(violations.some((v) => v.startsWith('connect-src') && v.endsWith(probe)), `connect-src blocked ${probe}: ${JSON.stringify(violations)}`);
    }
    // nothing reached the network: the page's server never saw a probe (the foreign image's is the
    // img-src violation above: blocked before any connection)
    assert.deepEqual(h.served.slice(before), []);
    assert.ok(violations.includes('img-src http://localhost:9/track.png'), JSON.stringify(violations));
  });
});
