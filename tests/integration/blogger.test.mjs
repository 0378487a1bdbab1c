// Blogger Atom exports, older and 2019 format: counts, original paths,
// labels, threads, drafts, pages, re-import, bad XML and hostile HTML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  gazette, makeSite, removeSite, startServer, get, escapeHtml, fixtures,
} from './helpers.mjs';

const dir = join(fixtures, 'blogger');

const cases = [
  {
    file: 'old.xml', skipped: 0,
    post: '/2023/09/planting-garlic.html', labels: ['Gardening', 'Autumn'],
    reply: 'Yes, add sand first.', parentOf: 'Does this work in clay soil?',
    cyr: '/2023/09/blog-post.html', cyrTitle: 'Осенний урожай тыкв',
    draft: '/2023/09/unfinished-thoughts-on-compost.html',
    page: '/p/about.html', pageText: 'A small plot behind the house.',
  },
  {
    file: 'new.xml', skipped: 1,
    post: '/2023/09/rye-bread.html', labels: ['Baking', 'Bread'],
    reply: '250°C, then 220°C.', parentOf: 'How hot should the oven be?',
    cyr: '/2023/10/borscht.html', cyrTitle: 'Борщ по-домашнему',
    draft: '/2023/10/pickles-maybe.html',
    page: '/p/contact.html', pageText: 'mailto:lena@example.org',
  },
];

function commentLines(site) {
  const r = gazette(['-C', site, 'comment', 'list', '--status', 'all']);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').filter(Boolean);
}

for (const c of cases) {
  test(`blogger ${c.file}: imports, serves, re-imports without duplicates`, async () => {
    const site = makeSite();
    const srv = { stop: async () => {} };
    try {
      const file = join(dir, c.file);
      const want = `imported\t${file}\tposts 2\tpages 1\tdrafts 1\tcomments 4\tskipped ${c.skipped}\n`;
      const imp = gazette(['-C', site, 'import', file]);
      assert.equal(imp.status, 0, imp.stderr);
      assert.equal(imp.stdout, want);
      if (c.skipped) assert.match(imp.stderr, /new\.xml:\d+: skipped 5004: deleted/);
      else assert.equal(imp.stderr, '');

      const list = gazette(['-C', site, 'post', 'list', '--status', 'all']).stdout;
      assert.match(list, new RegExp(`\tdraft\t[^\t]+\t${c.draft}\t`));
      assert.match(list, new RegExp(`\tpublished\t[^\t]+\t${c.page}\t`));
      const before = commentLines(site);
      assert.equal(before.length, 4);

      Object.assign(srv, await startServer(site));
      const page = await get(srv.url + c.post);
      assert.equal(page.status, 200);
      const html = page.body;
      for (const l of c.labels) {
        assert.ok(html.includes(`href="/search/label/${encodeURIComponent(l)}"`), `label ${l}`);
      }
      // The reply sits inside a replies list after the comment it answers.
      const p = html.indexOf(escapeHtml(c.parentOf));
      const r = html.indexOf(escapeHtml(c.reply));
      assert.ok(p > 0 && r > p, 'both comments shown, parent first');
      assert.ok(html.slice(p, r).includes('<ol class="replies">'), 'reply nested');
      // Hostile HTML is gone, harmless markup stays.
      assert.doesNotMatch(html, /<script>alert|onerror=|onclick=|javascript:|<iframe/i);

      const cyr = await get(srv.url + c.cyr);
      assert.equal(cyr.status, 200);
      assert.ok(cyr.body.includes(c.cyrTitle));
      assert.equal((await get(srv.url + c.draft)).status, 404, 'draft not served');
      const pg = await get(srv.url + c.page);
      assert.equal(pg.status, 200, 'page at /p/');
      assert.ok(pg.body.includes(c.pageText));

      const again = gazette(['-C', site, 'import', file]);
      assert.equal(again.status, 0, again.stderr);
      assert.equal(again.stdout, want);
      assert.deepEqual(commentLines(site), before, 'no duplicate comments');
    } finally {
      await srv.stop();
      removeSite(site);
    }
  });
}

test('blogger old.xml: sanitized content keeps safe markup', async () => {
  const site = makeSite();
  const srv = { stop: async () => {} };
  try {
    assert.equal(gazette(['-C', site, 'import', join(dir, 'old.xml')]).status, 0);
    Object.assign(srv, await startServer(site));
    const html = (await get(srv.url + '/2023/09/planting-garlic.html')).body;
    assert.ok(html.includes('<b>pointy end up</b>'));
    assert.ok(html.includes('<a href="https://example.org/garlic">this guide</a>'));
    assert.ok(html.includes('<a>this trick</a>'), 'javascript: href dropped, text kept');
    assert.ok(html.includes('<img src="https://example.org/g.jpg" alt="garlic">'));
    assert.ok(html.includes('Mulch well.'), 'text of a dropped element kept');
    assert.ok(!html.includes('alert(1)'), 'script text dropped');
  } finally {
    await srv.stop();
    removeSite(site);
  }
});

test('blogger broken.xml: exit 1 with file:line, nothing written', () => {
  const site = makeSite();
  try {
    const file = join(dir, 'broken.xml');
    const r = gazette(['-C', site, 'import', file]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`${file.replace(/[.]/g, '\\.')}:12: malformed XML`));
    assert.equal(r.stdout, '');
    const list = gazette(['-C', site, 'post', 'list', '--status', 'all']);
    assert.equal(list.stdout.trim(), '', 'the valid first entry was rolled back');
  } finally {
    removeSite(site);
  }
});
