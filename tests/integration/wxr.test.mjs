// WordPress WXR 1.2 exports: counts, Blogger-style paths, labels from
// categories and tags, pages, drafts, comment moderation states, threads
// whose parent comes later in the file, re-import, bad XML, hostile HTML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  gazette, makeSite, removeSite, startServer, get, escapeHtml, fixtures,
} from './helpers.mjs';

const dir = join(fixtures, 'wxr');
const file = join(dir, 'site.xml');
const want = `imported\t${file}\tposts 2\tpages 1\tdrafts 1\tcomments 5\tskipped 2\n`;

function comments(site, status) {
  const r = gazette(['-C', site, 'comment', 'list', '--status', status]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').filter(Boolean);
}

test('wxr site.xml: imports, serves, re-imports without duplicates', async () => {
  const site = makeSite();
  const srv = { stop: async () => {} };
  try {
    const imp = gazette(['-C', site, 'import', file]);
    assert.equal(imp.status, 0, imp.stderr);
    assert.equal(imp.stdout, want);
    assert.match(imp.stderr, /site\.xml:\d+: skipped comment 16: in the trash/);
    assert.match(imp.stderr, /site\.xml:\d+: skipped attachment 104: not a post or a page/);

    const list = gazette(['-C', site, 'post', 'list', '--status', 'all']).stdout;
    assert.match(list, /\tdraft\t[^\t]+\t\/2023\/10\/notes-on-green-manure\.html\t/);
    assert.match(list, /\tpublished\t[^\t]+\t\/p\/about\.html\t/);

    const pending = comments(site, 'pending');
    assert.equal(pending.length, 1);
    assert.match(pending[0], /do slugs climb\?/);
    const spam = comments(site, 'spam');
    assert.equal(spam.length, 1);
    assert.match(spam[0], /discount bean fertiliser/);
    const before = comments(site, 'all');
    assert.equal(before.length, 5);

    Object.assign(srv, await startServer(site));
    const page = await get(srv.url + '/2023/09/runner-beans-on-a-wigwam.html');
    assert.equal(page.status, 200);
    const html = page.body;
    for (const l of ['Beans', 'Climbing plants', 'Hazel']) {
      assert.ok(html.includes(`href="/search/label/${encodeURIComponent(l)}"`), `label ${l}`);
    }
    assert.ok(html.includes('<strong>sturdy wigwam</strong>'));
    assert.ok(html.includes('<a href="https://example.org/beans">this note</a>'));
    // The reply comes before its parent in the file; served nested under it.
    const p = html.indexOf(escapeHtml('How deep do the poles go in?'));
    const r = html.indexOf(escapeHtml('Sink each pole a full spade deep.'));
    assert.ok(p > 0 && r > p, 'both comments shown, parent first');
    assert.ok(html.slice(p, r).includes('<ol class="replies">'), 'reply nested');
    assert.ok(html.includes('Mine blew over'));
    assert.ok(!html.includes('do slugs climb'), 'pending comment not shown');
    assert.ok(!html.includes('discount bean'), 'spam comment not shown');
    assert.ok(!html.includes('Binned comment'), 'trashed comment not imported');

    // Bare newlines become paragraphs; hostile HTML is gone.
    const pot = await get(srv.url + '/2023/10/lifting-the-potatoes.html');
    assert.equal(pot.status, 200);
    assert.ok(pot.body.includes('<p>Two rows of Charlotte came up clean.<br>\nNot a single slug hole.</p>'));
    assert.ok(pot.body.includes('<p>The Pink Fir Apple had scab.</p>'));
    assert.ok(pot.body.includes('<a>this</a>'), 'javascript: href dropped, text kept');
    assert.ok(pot.body.includes(`href="/search/label/Potatoes"`));
    for (const h of [html, pot.body]) {
      assert.doesNotMatch(h, /<script>alert|onerror=|onclick=|javascript:|<iframe|alert\(1\)/i);
    }

    assert.equal((await get(srv.url + '/2023/10/notes-on-green-manure.html')).status, 404, 'draft not served');
    const pg = await get(srv.url + '/p/about.html');
    assert.equal(pg.status, 200, 'page at /p/');
    assert.ok(pg.body.includes('Plot 14, the one with the blue shed.'));

    const again = gazette(['-C', site, 'import', file]);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout, want);
    assert.deepEqual(comments(site, 'all'), before, 'no duplicate comments');
    assert.equal(gazette(['-C', site, 'post', 'list', '--status', 'all']).stdout, list,
      'no duplicate posts');
  } finally {
    await srv.stop();
    removeSite(site);
  }
});

test('wxr broken.xml: exit 1 with file:line, nothing written', () => {
  const site = makeSite();
  try {
    const bad = join(dir, 'broken.xml');
    const r = gazette(['-C', site, 'import', bad]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`${bad.replace(/[.]/g, '\\.')}:14: malformed XML`));
    assert.equal(r.stdout, '');
    const list = gazette(['-C', site, 'post', 'list', '--status', 'all']);
    assert.equal(list.stdout.trim(), '', 'the valid first item was rolled back');
  } finally {
    removeSite(site);
  }
});

test('wxr: the old blog\'s addresses answer 301 to the new ones', async () => {
  const site = makeSite();
  const srv = { stop: async () => {} };
  try {
    assert.equal(gazette(['-C', site, 'import', file]).status, 0);
    const posts = gazette(['-C', site, 'post', 'list', '--json']).stdout.trim().split('\n')
      .map((l) => JSON.parse(l));
    const beans = posts.find((p) => p.url.endsWith('/runner-beans-on-a-wigwam.html'));
    const about = posts.find((p) => p.url.startsWith('/p/'));
    assert.ok(beans && about, JSON.stringify(posts));
    Object.assign(srv, await startServer(site));
    for (const [from, to] of [
      ['/?p=101', beans.url],
      ['/runner-beans-on-a-wigwam/', beans.url],
      ['/?page_id=2', about.url],
      ['/about/', about.url],
    ]) {
      const r = await get(srv.url + from);
      assert.equal(r.status, 301, from);
      assert.equal(r.headers.get('location'), to, from);
      assert.equal((await get(srv.url + to)).status, 200, to);
    }
    // A draft's address and unknown ones stay 404.
    for (const p of ['/?p=103', '/?p=99999', '/no-such-post/']) {
      assert.equal((await get(srv.url + p)).status, 404, p);
    }
  } finally {
    await srv.stop();
    removeSite(site);
  }
});
