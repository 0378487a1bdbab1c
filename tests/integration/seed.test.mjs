// The page gazette exists to reproduce: a seed text file imported into a
// Spanish-language site and served as a Blogger-style post page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  gazette, makeSite, removeSite, startServer, get, escapeHtml,
  fixtures, seedFile, haveSeed,
} from './helpers.mjs';

// Splits a seed file the way DESIGN.md describes it.
function parseSeed(text) {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const kw = lines.findIndex((l) => /^\s*(keywords|labels|etiquetas|метки)\s*:\s*$/i.test(l));
  const chrome = lines.findIndex((l, i) => i > Math.max(kw, 1) &&
    /^(Comentarios|Comments|Комментарии|댓글)$/.test(l.trim()));
  const bodyEnd = kw >= 0 ? kw : (chrome >= 0 ? chrome : lines.length);
  const paras = lines.slice(2, bodyEnd).filter((l) => l.trim() !== '');
  const labels = kw >= 0
    ? lines.slice(kw + 1, chrome >= 0 ? chrome : lines.length).map((l) => l.trim()).filter(Boolean)
    : [];
  return { date: lines[0], title: lines[1], paras, labels };
}

async function checkSeedPage(file, { locale, dateText, isoDate, uiLang, chrome }) {
  const seed = parseSeed(readFileSync(file, 'utf8'));
  const dir = makeSite({ locale });
  const srv = { stop: async () => {} };
  try {
    const imp = gazette(['-C', dir, 'import', file]);
    assert.equal(imp.status, 0, imp.stderr);
    const [action, path, lang] = imp.stdout.trim().split('\t');
    assert.equal(action, 'created');
    assert.match(path, /^\/\d{4}\/\d{2}\/[a-z0-9-]+\.html$/);
    assert.equal(lang, uiLang);

    Object.assign(srv, await startServer(dir));
    const page = await get(srv.url + path);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /^text\/html; charset=utf-8$/i);
    const html = page.body;
    assert.ok(html.includes(`<h1>${escapeHtml(seed.title)}</h1>`), 'title');
    for (const p of seed.paras) {
      assert.ok(html.includes(`<p>${escapeHtml(p)}</p>`), `paragraph kept byte-exact: ${p}`);
    }
    assert.match(html, new RegExp(`<time datetime="${isoDate}T00:00:00[^"]*">${dateText}</time>`));
    assert.match(html, /<article[^>]* lang="[a-z]{2}"/);
    assert.match(html, new RegExp(`<html lang="${locale}">`));
    assert.match(html, /<link rel="canonical" href="[^"]+"/);
    assert.match(html, /<meta property="og:title" content="[^"]+"/);
    for (const label of seed.labels) {
      const href = `/search/label/${encodeURIComponent(label)}`;
      assert.ok(html.includes(`<a href="${href}" rel="tag">${escapeHtml(label)}</a>`), `label ${label}`);
      const lp = await get(srv.url + href);
      assert.equal(lp.status, 200, `label page ${href}`);
      assert.ok(lp.body.includes(`href="${path}"`), `label page ${href} lists the post`);
    }
    assert.ok(html.includes(chrome.comments), 'comments heading');
    assert.ok(html.includes(chrome.post), 'post a comment');
    assert.match(html, /<form [^>]*method="post" action="\/comment"/);
    const ld = /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(html);
    assert.ok(ld, 'JSON-LD');
    const j = JSON.parse(ld[1]);
    assert.equal(j['@type'], 'BlogPosting');
    assert.equal(j.headline, seed.title);
    assert.deepEqual(j.keywords, [...new Set(seed.labels)]);
    assert.match(j.datePublished, new RegExp(`^${isoDate}T00:00:00`));
    assert.match(html, /name="token" value="\d+\.[0-9a-f]{32}"/);

    const [, year, month] = /^\/(\d{4})\/(\d{2})\//.exec(path);
    for (const list of ['/', `/${year}/`, `/${year}/${month}/`]) {
      const r = await get(srv.url + list);
      assert.equal(r.status, 200, list);
      assert.ok(r.body.includes(`<a href="${path}">${escapeHtml(seed.title)}</a>`), `${list} lists the post`);
    }
    const other = await get(srv.url + `/${Number(year) + 1}/`);
    assert.ok(!other.body.includes(path), 'another year does not list it');

    const again = gazette(['-C', dir, 'import', file]);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout.split('\t')[0], 'updated');
    const list = gazette(['-C', dir, 'post', 'list']);
    assert.equal(list.stdout.trim().split('\n').length, 1, 're-import does not duplicate');
    return { dir, path, html };
  } finally {
    await srv.stop();
    removeSite(dir);
  }
}

test('the seed page, imported into a Spanish site', { skip: !haveSeed && 'seed page not beside the project' }, async () => {
  const { html } = await checkSeedPage(seedFile, {
    locale: 'es', dateText: '12 de septiembre de 2023', isoDate: '2023-09-12', uiLang: 'es',
    chrome: { comments: 'Comentarios', post: 'Publicar un comentario' },
  });
  assert.ok(html.includes('\u0430'), 'the Cyrillic а is kept');
});

test('an English fixture with a homoglyph keeps it byte-exact', async () => {
  const file = join(fixtures, 'seed', 'en-homoglyph.txt');
  const text = readFileSync(file, 'utf8');
  const date = parseSeed(text).date.trim();
  const d = new Date(date + ' UTC');
  const iso = isNaN(d) ? date : d.toISOString().slice(0, 10);
  const { html } = await checkSeedPage(file, {
    locale: 'en',
    dateText: d.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }),
    isoDate: iso, uiLang: 'en',
    chrome: { comments: 'Comments', post: 'Post a Comment' },
  });
  assert.match(html, /[\u0400-\u04ff]/, 'the Cyrillic letter is kept');
});

test('paginated lists link their neighbours for search engines', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = makeSite();
  const tmp = mkdtempSync(join(tmpdir(), 'gazette-pages-'));
  const srv = { stop: async () => {} };
  try {
    const files = [];
    for (let i = 1; i <= 12; i++) {
      const f = join(tmp, `p${i}.txt`);
      writeFileSync(f, `2024-03-${String(i).padStart(2, '0')}\nPost number ${i}\nA short paragraph ${i}.\n`);
      files.push(f);
    }
    assert.equal(gazette(['-C', dir, 'import', ...files]).status, 0);
    Object.assign(srv, await startServer(dir));
    const first = (await get(srv.url + '/')).body;
    assert.match(first, /<link rel="next" href="\/\?page=2">/);
    assert.ok(!first.includes('rel="prev"'));
    const second = (await get(srv.url + '/?page=2')).body;
    assert.match(second, /<link rel="prev" href="\/">/);
    assert.ok(!second.includes('<link rel="next"'));
    assert.match(second, /<link rel="canonical" href="[^"]*\/\?page=2">/);
  } finally {
    await srv.stop();
    removeSite(dir);
    rmSync(tmp, { recursive: true, force: true });
  }
});
