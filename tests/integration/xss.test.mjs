// Hostile text everywhere a reader can put it (comment names, bodies and
// web addresses, titles and labels of an imported page, search queries)
// comes out as text: no page grows a script, an event handler, or a
// javascript: or data: link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  gazette, makeSite, removeSite, startServer, get, postForm, formFields,
} from './helpers.mjs';
import { payloads } from './xss-payloads.mjs';

// Every tag of a page, checked: known elements, no on* attribute, no
// script URL in href, src or action.
function checkPage(html, where) {
  // The one script element a page may have: JSON-LD data, which must
  // parse and must not hold a '<' that could close it.
  html = html.replace(/<script type="application\/ld\+json">([^]*?)<\/script>/g, (_, json) => {
    assert.ok(!json.includes('<'), `${where}: '<' inside JSON-LD`);
    assert.equal(typeof JSON.parse(json), 'object', `${where}: JSON-LD parses`);
    return '';
  });
  const allowed = new Set(['html', 'head', 'meta', 'title', 'link', 'body', 'a', 'header', 'nav',
    'ul', 'li', 'form', 'label', 'input', 'button', 'main', 'article', 'p', 'time', 'h1', 'h2',
    'h3', 'div', 'footer', 'section', 'ol', 'textarea', 'span', 'br', 'mark', 'strong', 'em',
    'code', 'pre', 'blockquote']);
  // Loose on purpose: any tag, attributes quoted or not.
  for (const m of html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
    const tag = m[1].toLowerCase();
    assert.ok(allowed.has(tag), `${where}: unexpected <${tag}>`);
    for (const a of m[2].matchAll(/[\s/]([^\s=>"'/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)) {
      const name = a[1].toLowerCase();
      a[2] = (a[2] || '').replace(/^["']|["']$/g, '');
      assert.ok(!name.startsWith('on'), `${where}: event handler ${name} on <${tag}>`);
      if (['href', 'src', 'action'].includes(name)) {
        const v = (a[2] || '').replace(/&#?\w+;/g, '').replace(/\s/g, '').toLowerCase();
        assert.ok(!v.startsWith('javascript:') && !v.startsWith('data:') && !v.startsWith('vbscript:'),
          `${where}: ${name}="${a[2]}"`);
      }
    }
  }
  assert.ok(!/<script/i.test(html), `${where}: a script tag`);
}

test('hostile text in every field is escaped on every page', async () => {
  const dir = makeSite({ conf: '[comments]\nmin_seconds = 0\nrate = 0\nmoderation = none' });
  const tmp = mkdtempSync(join(tmpdir(), 'gazette-xss-'));
  const srv = { stop: async () => {} };
  try {
    const file = join(tmp, 'xss.txt');
    writeFileSync(file, ['2024-02-02', `Title ${payloads[1]} ${payloads[2]}`, ...payloads,
      'Labels:', 'x<b>y</b>', '"><svg onload=alert(1)>', 'javascript:alert(1)', ''].join('\n'));
    const imp = gazette(['-C', dir, 'import', file]);
    assert.equal(imp.status, 0, imp.stderr);
    const path = imp.stdout.split('\t')[1];
    Object.assign(srv, await startServer(dir));

    const f = formFields((await get(srv.url + path)).body);
    for (const p of payloads) {
      const r = await postForm(srv.url + '/comment', { ...f, name: p.slice(0, 80), body: `${p}\n\nsee http://x.example/${p}`, website: '' });
      assert.ok([303, 400].includes(r.status), `${p}: ${r.status}`);
      checkPage(r.body, `comment answer for ${p}`);
      const u = await postForm(srv.url + '/comment', { ...f, name: 'U', url: p, body: 'x', website: '' });
      assert.ok([303, 400].includes(u.status), `url ${p}: ${u.status}`);
    }
    const pages = [path, '/', '/2024/', '/2024/02/', '/comment/held?post=1', '/nope'];
    for (const p of payloads) pages.push(`/search?q=${encodeURIComponent(p)}`);
    for (const label of ['x<b>y</b>', '"><svg onload=alert(1)>', 'javascript:alert(1)']) {
      pages.push(`/search/label/${encodeURIComponent(label)}`);
    }
    for (const p of pages) {
      const r = await get(srv.url + p);
      assert.ok(r.status < 500, `${p}: ${r.status}`);
      checkPage(r.body, p);
    }
    const feeds = await get(srv.url + '/feeds/posts/default');
    assert.ok(!/<script/i.test(feeds.body.replace(/&lt;script/gi, '')), 'the feed escapes');
  } finally {
    await srv.stop();
    removeSite(dir);
    rmSync(tmp, { recursive: true, force: true });
  }
});
