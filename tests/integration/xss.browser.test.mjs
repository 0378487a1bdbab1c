// The XSS corpus in a real browser: every payload goes where a reader or
// an imported file can put text (comment names, bodies and web
// addresses, a post's title and labels, search queries), and every page
// that shows it is loaded in headless chromium twice: with the site's
// Content-Security-Policy, and with the policy bypassed, so escaping
// alone is shown to hold.  Fails on any dialog, any console line, any
// request that is not to the site itself, and any script the page's own
// world compiles (inline scripts and event handlers alike).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  gazette, makeSite, removeSite, startServer, get, postForm, formFields,
} from './helpers.mjs';
import { haveBrowser, launchBrowser } from './browser.mjs';
import { payloads } from './xss-payloads.mjs';

const labels = ['x<b>y</b>', '"><svg onload=alert(1)>', 'javascript:alert(1)',
  '<img src=x onerror=console.log("gazette-xss-label")>'];

// Loads each page in a fresh tab of context; returns what went wrong.
async function visit(context, origin, pages) {
  const problems = [];
  // Nothing leaves the machine: a request elsewhere is noted and dropped.
  await context.route((u) => u.origin !== origin, (r) => r.abort());
  for (const path of pages) {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    page.on('dialog', async (d) => {
      problems.push(`${path}: a ${d.type()} dialog "${d.message()}"`);
      await d.dismiss();
    });
    page.on('console', (m) => {
      // The browser's own note on a 404 page or on its favicon is not ours.
      const at = m.location().url || '';
      if (/^Failed to load resource/.test(m.text()) &&
          (at === origin + path || at === origin + '/favicon.ico')) return;
      problems.push(`${path}: console ${m.type()}: ${m.text()} (${at})`);
    });
    page.on('pageerror', (e) => problems.push(`${path}: script error ${e.message}`));
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.origin !== origin) problems.push(`${path}: a request to ${r.url()}`);
    });
    // Every script V8 compiles in the page's own world: there must be none.
    cdp.on('Debugger.scriptParsed', (e) => {
      if (e.executionContextAuxData?.isDefault) problems.push(`${path}: a script ran (${e.url || 'inline'})`);
    });
    await cdp.send('Debugger.enable');
    const r = await page.goto(origin + path, { waitUntil: 'load' });
    assert.ok(r.status() < 500, `${path}: ${r.status()}`);
    // Give handlers a chance: focus, hover and toggle what is there.
    await page.mouse.move(10, 10);
    await page.mouse.move(200, 300);
    await page.keyboard.press('Tab');
    await page.waitForTimeout(50);
    await page.close();
  }
  return problems;
}

test('no XSS payload runs in chromium, with or without the CSP', { skip: !haveBrowser, timeout: 240000 }, async () => {
  const dir = makeSite({ conf: '[comments]\nmin_seconds = 0\nrate = 0\nmoderation = none' });
  const tmp = mkdtempSync(join(tmpdir(), 'gazette-xss-browser-'));
  const srv = { stop: async () => {} };
  let browser = null;
  try {
    const file = join(tmp, 'xss-browser.txt');
    writeFileSync(file, ['2024-03-03', `Harbour ${payloads[0]} ${payloads[2]} ${payloads[5]}`,
      ...payloads, 'Labels:', ...labels, ''].join('\n'));
    const imp = gazette(['-C', dir, 'import', file]);
    assert.equal(imp.status, 0, imp.stderr);
    const path = imp.stdout.split('\t')[1];
    Object.assign(srv, await startServer(dir));

    const f = formFields((await get(srv.url + path)).body);
    let stored = 0;
    for (const p of payloads) {
      const r = await postForm(srv.url + '/comment', { ...f, name: p.slice(0, 80), body: `${p}\n\nhttp://x.example/${p}`, website: '' });
      if (r.status === 303) stored++;
      for (const url of [p, `http://ok.example/${p}`]) {
        const u = await postForm(srv.url + '/comment', { ...f, name: 'U', url, body: `url ${p}`, website: '' });
        if (u.status === 303) stored++;
      }
    }
    assert.ok(stored >= payloads.length, `comments stored: ${stored}`);
    const pages = [path, '/', '/2024/', '/2024/03/', `/comment/held?post=${f.post}`, '/nope',
      '/feeds/posts/default', `/feeds/${f.post}/comments/default`];
    for (const l of labels) pages.push(`/search/label/${encodeURIComponent(l)}`);
    for (const p of payloads) pages.push(`/search?q=${encodeURIComponent(p)}`);
    // The payloads are really on the post page, as text.
    const html = (await get(srv.url + path)).body;
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);

    browser = await launchBrowser();
    for (const bypassCSP of [false, true]) {
      const context = await browser.newContext({ bypassCSP, javaScriptEnabled: true });
      const problems = await visit(context, srv.url, pages);
      await context.close();
      assert.deepEqual(problems, [], `bypassCSP ${bypassCSP}`);
    }
  } finally {
    if (browser) await browser.close();
    await srv.stop();
    removeSite(dir);
    rmSync(tmp, { recursive: true, force: true });
  }
});
