// The post feeds (Atom, RSS, JSON Feed, a label's feed), robots.txt,
// sitemap.xml and the feed links every page carries, checked against a
// running server with several imported posts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  gazette, makeSite, removeSite, startServer, get, fixtures,
} from './helpers.mjs';

const SITE_URL = 'https://feeds.example';
const ODD_TITLE = 'Fish <&"> chips & more';

// Seed files written at test time: distinct dates, so "newest first" is
// checkable, and a title full of characters XML and HTML care about.
const extra = {
  'odd-title.txt': `2024-01-05\n${ODD_TITLE}\nA title that needs escaping everywhere.\n` +
    'Labels:\nkitchen\nferries\n',
  'old-post.txt': '2021-03-04\nAn older note\nWritten long before the rest.\nLabels:\narchive\n',
};

let dir, tmp, srv;
const posts = [];	// { path, title } as the importer reported them

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gazette-feeds-'));
  const files = Object.entries(extra).map(([name, text]) => {
    writeFileSync(join(tmp, name), text);
    return join(tmp, name);
  });
  dir = makeSite({ conf: `[site]\nurl = ${SITE_URL}\n` });
  const imp = gazette(['-C', dir, 'import',
    join(fixtures, 'seed', 'en-homoglyph.txt'),
    join(fixtures, 'seed', 'iso-date.txt'),
    join(fixtures, 'seed', 'es-comments.txt'), ...files]);
  assert.equal(imp.status, 0, imp.stderr);
  for (const line of imp.stdout.trim().split('\n')) {
    const [action, path] = line.split('\t');
    assert.equal(action, 'created', line);
    posts.push({ path });
  }
  assert.equal(posts.length, 5);
  srv = await startServer(dir);
});

after(async () => {
  if (srv) await srv.stop();
  if (dir) removeSite(dir);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// A small well-formedness check: every '<' opens a proper tag (so there
// is no raw '<' in text), tags balance, attribute values are quoted,
// '&' starts an entity, and there is one root element.
function checkXml(doc) {
  let i = 0, roots = 0;
  const stack = [];
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*="[^"<]*")*)\s*(\/?)>/y;
  const badAmp = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  if (doc.startsWith('<?xml')) i = doc.indexOf('?>') + 2;
  while (i < doc.length) {
    const lt = doc.indexOf('<', i);
    const text = doc.slice(i, lt < 0 ? doc.length : lt);
    assert.ok(!badAmp.test(text), `bare & in text near ${JSON.stringify(text.slice(0, 60))}`);
    if (stack.length === 0) assert.equal(text.trim(), '', 'text outside the root');
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(doc);
    assert.ok(m, `not a tag at ${lt}: ${JSON.stringify(doc.slice(lt, lt + 60))}`);
    assert.ok(!badAmp.test(m[3]), `bare & in attributes of <${m[2]}>`);
    if (m[1]) {
      assert.equal(stack.pop(), m[2], `</${m[2]}> closes the wrong element`);
    } else {
      if (stack.length === 0) roots++;
      if (!m[4]) stack.push(m[2]);
    }
    i = tag.lastIndex;
  }
  assert.deepEqual(stack, [], 'unclosed elements');
  assert.equal(roots, 1, 'one root element');
}

function unescapeXml(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

// The text of each <name> in s, unescaped.
function all(s, name) {
  const re = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'g');
  return [...s.matchAll(re)].map((m) => unescapeXml(m[1]));
}

function atomEntries(doc) {
  return all(doc, 'entry').map((e) => ({
    id: all(e, 'id')[0],
    title: unescapeXml(/<title>([\s\S]*?)<\/title>/.exec(e)[1]),
    published: all(e, 'published')[0],
    link: unescapeXml(/<link rel="alternate" type="text\/html" href="([^"]*)"/.exec(e)[1]),
    labels: [...e.matchAll(/<category term="([^"]*)"\/>/g)].map((m) => unescapeXml(m[1])),
  }));
}

function rssItems(doc) {
  return [...doc.matchAll(/<item>([\s\S]*?)<\/item>/g)].map(([, e]) => ({
    title: unescapeXml(/<title>([\s\S]*?)<\/title>/.exec(e)[1]),
    link: unescapeXml(/<link>([\s\S]*?)<\/link>/.exec(e)[1]),
    guid: /<guid isPermaLink="true">([\s\S]*?)<\/guid>/.exec(e)[1],
    pubDate: /<pubDate>([^<]*)<\/pubDate>/.exec(e)[1],
    labels: all(e, 'category'),
    description: unescapeXml(/<description>([\s\S]*?)<\/description>/.exec(e)[1]),
  }));
}

function assertNewestFirst(dates) {
  const t = dates.map((d) => Date.parse(d));
  assert.ok(t.every((x) => !Number.isNaN(x)), `dates parse: ${dates}`);
  for (let i = 1; i < t.length; i++) assert.ok(t[i - 1] >= t[i], `newest first: ${dates}`);
}

const urls = () => posts.map((p) => SITE_URL + p.path).sort();

test('Atom feed: every post, absolute URLs, labels, newest first', async () => {
  const r = await get(srv.url + '/feeds/posts/default');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
  assert.match(r.headers.get('last-modified'), /GMT$/);
  checkXml(r.body);
  assert.match(r.body, /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/);
  const es = atomEntries(r.body);
  assert.deepEqual(es.map((e) => e.id).sort(), urls());
  for (const e of es) assert.equal(e.link, e.id);
  assertNewestFirst(es.map((e) => e.published));
  assert.equal(es[0].title, ODD_TITLE);
  assert.deepEqual(es[0].labels, ['kitchen', 'ferries']);
  assert.equal(es.at(-1).title, 'An older note');
  const ferry = es.find((e) => e.title.startsWith('Harbor towns'));
  assert.deepEqual(ferry.labels, ['ferries', 'coastal towns', 'transport']);
  // Content is HTML carried as text: no element of the post in the XML.
  assert.match(r.body, /<content type="html">&lt;p&gt;/);
});

test('RSS feed', async () => {
  const r = await get(srv.url + '/feeds/posts/default?alt=rss');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/rss+xml; charset=utf-8');
  checkXml(r.body);
  assert.match(r.body, /<rss version="2\.0"/);
  const rfc822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000$/;
  const channel = r.body.slice(0, r.body.indexOf('<item>'));
  assert.equal(all(channel, 'title')[0], 'My gazette');
  assert.equal(all(channel, 'link')[0], `${SITE_URL}/`);
  assert.equal(all(channel, 'language')[0], 'en');
  assert.ok(all(channel, 'description')[0].length > 0);
  assert.match(all(channel, 'lastBuildDate')[0], rfc822);
  const items = rssItems(r.body);
  assert.deepEqual(items.map((i) => i.link).sort(), urls());
  for (const i of items) {
    assert.equal(i.guid, i.link);
    assert.match(i.pubDate, rfc822);
    assert.match(i.description, /^<p>/);
  }
  assertNewestFirst(items.map((i) => i.pubDate));
  assert.equal(items[0].title, ODD_TITLE);
  assert.deepEqual(items[0].labels, ['kitchen', 'ferries']);
  assert.ok(r.body.includes('<title>Fish &lt;&amp;&quot;&gt; chips &amp; more</title>'));
});

test('JSON Feed', async () => {
  const r = await get(srv.url + '/feed.json');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/feed+json; charset=utf-8');
  const f = JSON.parse(r.body);
  assert.equal(f.version, 'https://jsonfeed.org/version/1.1');
  assert.equal(f.home_page_url, `${SITE_URL}/`);
  assert.equal(f.feed_url, `${SITE_URL}/feed.json`);
  assert.equal(f.language, 'en');
  assert.equal(typeof f.title, 'string');
  assert.deepEqual(f.items.map((i) => i.url).sort(), urls());
  for (const i of f.items) {
    assert.equal(i.id, i.url);
    assert.match(i.date_published, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(i.content_html, /^<p>/);
  }
  assertNewestFirst(f.items.map((i) => i.date_published));
  assert.equal(f.items[0].title, ODD_TITLE);
  assert.deepEqual(f.items[0].tags, ['kitchen', 'ferries']);
});

test('max-results and start-index page the feeds', async () => {
  const full = atomEntries((await get(srv.url + '/feeds/posts/default')).body).map((e) => e.id);
  const page = async (q) => atomEntries((await get(`${srv.url}/feeds/posts/default?${q}`)).body)
    .map((e) => e.id);
  assert.deepEqual(await page('max-results=2'), full.slice(0, 2));
  assert.deepEqual(await page('max-results=2&start-index=3'), full.slice(2, 4));
  assert.deepEqual(await page('start-index=5'), full.slice(4));
  assert.deepEqual(await page('start-index=6'), []);
  assert.deepEqual(await page('max-results=500'), full);
  const rss = rssItems((await get(`${srv.url}/feeds/posts/default?alt=rss&max-results=1&start-index=2`)).body);
  assert.deepEqual(rss.map((i) => i.link), full.slice(1, 2));
  const json = JSON.parse((await get(`${srv.url}/feed.json?max-results=3&start-index=2`)).body);
  assert.deepEqual(json.items.map((i) => i.url), full.slice(1, 4));
  for (const [q, why] of [
    ['max-results=0', 'max-results'], ['max-results=501', 'max-results'],
    ['max-results=x', 'max-results'], ['start-index=0', 'start-index'],
    ['start-index=-1', 'start-index'], ['alt=xml', 'alt'],
  ]) {
    const r = await get(`${srv.url}/feeds/posts/default?${q}`);
    assert.equal(r.status, 400, q);
    assert.ok(r.body.includes(`&quot;${why}&quot;`) || r.body.includes(`"${why}"`), q);
  }
  assert.equal((await get(`${srv.url}/feed.json?max-results=1000`)).status, 400);
});

test('a label feed answers to any spelling; unknown labels are 404', async () => {
  for (const spelling of ['coastal towns', 'Coastal Towns', 'COASTAL TOWNS']) {
    const r = await get(`${srv.url}/feeds/posts/default/-/${encodeURIComponent(spelling)}`);
    assert.equal(r.status, 200, spelling);
    assert.equal(r.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
    checkXml(r.body);
    const es = atomEntries(r.body);
    assert.equal(es.length, 1, spelling);
    assert.ok(es[0].title.startsWith('Harbor towns'));
  }
  const ferries = atomEntries((await get(`${srv.url}/feeds/posts/default/-/Ferries`)).body);
  assert.equal(ferries.length, 2);
  assert.equal(ferries[0].title, ODD_TITLE);
  const rss = await get(`${srv.url}/feeds/posts/default/-/ferries?alt=rss`);
  assert.equal(rss.headers.get('content-type'), 'application/rss+xml; charset=utf-8');
  assert.equal((await get(`${srv.url}/feeds/posts/default/-/no-such-label`)).status, 404);
});

test('robots.txt', async () => {
  const r = await get(srv.url + '/robots.txt');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/plain/);
  const lines = r.body.split('\n');
  for (const l of ['User-agent: *', 'Allow: /', 'Disallow: /comment', 'Disallow: /search',
    `Sitemap: ${SITE_URL}/sitemap.xml`]) assert.ok(lines.includes(l), l);
});

test('sitemap.xml lists the front page and every post with lastmod', async () => {
  const r = await get(srv.url + '/sitemap.xml');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/xml/);
  checkXml(r.body);
  assert.match(r.body, /<urlset xmlns="http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9">/);
  const entries = [...r.body.matchAll(/<url>([\s\S]*?)<\/url>/g)].map(([, u]) => ({
    loc: all(u, 'loc')[0], lastmod: all(u, 'lastmod')[0],
  }));
  assert.deepEqual(entries.map((e) => e.loc).sort(), [`${SITE_URL}/`, ...urls()].sort());
  for (const e of entries) assert.match(e.lastmod, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, e.loc);
});

test('pages link their feeds for autodiscovery', async () => {
  for (const p of ['/', posts[0].path]) {
    const r = await get(srv.url + p);
    assert.equal(r.status, 200, p);
    for (const [type, href] of [
      ['application/atom+xml', '/feeds/posts/default'],
      ['application/rss+xml', '/feeds/posts/default?alt=rss'],
      ['application/feed+json', '/feed.json'],
    ]) {
      const re = new RegExp(`<link rel="alternate" type="${type.replace('+', '\\+')}" ` +
        `title="[^"]+" href="${href.replace(/[?.]/g, '\\$&')}">`);
      assert.match(r.body, re, `${p} ${type}`);
    }
  }
});
