// The page cache, black-box: every kind of write makes the pages that
// show what it changed fresh at once (X-Cache: miss and the new content)
// and leaves every other page cached (X-Cache: hit).  Writes come from
// this server (a comment over HTTP) and from other processes (the CLI on
// the same database), as another node's would.  Then encodings, ETags,
// 304s and HEAD.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { request } from 'node:http';
import {
  gazette, makeSite, removeSite, startServer, get, postForm, formFields,
} from './helpers.mjs';

let dir, srv;
const ids = {};	// slug -> post id
const paths = {};	// slug -> path

// Our own little posts, in the seed text format.
const posts = {
  harbour: ['2023-09-12', 'Harbour ferry keeps its night crossing',
    'The town voted to keep the late ferry.', ['Transport', 'North Coast']],
  market: ['2023-08-01', 'Market hall reopens after the fire',
    'Stalls are back on the ground floor.', ['Markets']],
  snow: ['2022-05-05', 'Late snow in May surprises the valley',
    'Orchards lit fires to save the blossom.', ['Weather']],
};

function seedText([date, title, body, labels]) {
  return `${date}\n${title}\n${body}\nKEYWORDS :\n${labels.join('\n')}\n`;
}

function cli(...args) {
  const r = gazette(['-C', dir, ...args]);
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function importPost(slug, fields) {
  const f = join(dirname(dir), `${slug}.txt`);
  writeFileSync(f, seedText(fields));
  const out = cli('import', f);
  const path = out.split('\t')[1];
  paths[slug] = path;
  return path;
}

before(async () => {
  dir = makeSite({ conf: '[comments]\nmoderation = none\nmin_seconds = 0\nrate = 0' });
  for (const [slug, fields] of Object.entries(posts)) importPost(slug, fields);
  for (const line of cli('post', 'list').trim().split('\n')) {
    const [id, , , path] = line.split('\t');
    for (const [slug, p] of Object.entries(paths)) if (p === path) ids[slug] = id;
  }
  srv = await startServer(dir);
});

after(async () => {
  await srv.stop();
  removeSite(dir);
});

// Pages that stopped existing (never cached: errors and redirects).
const gone = new Set();

// Every page the tests watch, by a short name.
function pages() {
  const all = {
    front: '/',
    front2: '/?page=1',
    y2023: '/2023/',
    m202309: '/2023/09/',
    m202308: '/2023/08/',
    y2022: '/2022/',
    harbour: paths.harbour,
    market: paths.market,
    snow: paths.snow,
    labelTransport: '/search/label/Transport',
    labelCoast: '/search/label/North%20Coast',
    labelMarkets: '/search/label/Markets',
    labelWeather: '/search/label/Weather',
    feed: '/feeds/posts/default',
    rss: '/feeds/posts/default?alt=rss',
    json: '/feed.json',
    feedTransport: '/feeds/posts/default/-/Transport',
    feedMarkets: '/feeds/posts/default/-/Markets',
    harbourComments: `/feeds/${ids.harbour}/comments/default`,
    marketComments: `/feeds/${ids.market}/comments/default`,
    sitemap: '/sitemap.xml',
    robots: '/robots.txt',
    css: '/static/style.css',
  };
  return Object.fromEntries(Object.entries(all).filter(([name]) => !gone.has(name)));
}

async function fetchPage(path) {
  const r = await get(srv.url + path);
  return { status: r.status, cache: r.headers.get('x-cache'), body: r.body };
}

// Loads every page until each answers from the cache.
async function warm() {
  for (const [name, path] of Object.entries(pages())) {
    await fetchPage(path);
    const r = await fetchPage(path);
    assert.equal(r.cache, 'hit', `${name} (${path}) should be cached: ${r.status}`);
  }
}

// After a write: the affected pages are made afresh, the rest still cached.
async function check(affected, what) {
  const results = {};
  for (const [name, path] of Object.entries(pages())) {
    const r = await fetchPage(path);
    results[name] = r;
    if (affected.includes(name)) {
      assert.notEqual(r.cache, 'hit', `${what}: ${name} (${path}) must be fresh`);
    } else {
      assert.equal(r.cache, 'hit', `${what}: ${name} (${path}) must stay cached`);
    }
  }
  return results;
}

// Pages that show a post: its own, its comment feed, the lists it is on.
const harbourLists = ['front', 'front2', 'y2023', 'm202309', 'labelTransport',
  'labelCoast', 'feed', 'rss', 'json', 'feedTransport', 'sitemap'];

test('a comment posted over HTTP refreshes its post and the lists that show it', async () => {
  await warm();
  const page = await get(srv.url + paths.harbour);
  const f = formFields(page.body);
  const r = await postForm(srv.url + '/comment', {
    ...f, name: 'Ines', body: 'The ferry is a lifeline in winter.', website: '',
  });
  assert.equal(r.status, 303);
  const res = await check(['harbour', 'harbourComments', ...harbourLists], 'comment');
  assert.match(res.harbour.body, /The ferry is a lifeline in winter\./);
  assert.match(res.harbourComments.body, /The ferry is a lifeline in winter\./);
});

test('moderating from the CLI (another process) refreshes the post at once', async () => {
  const id = cli('comment', 'list').trim().split('\n')
    .find((l) => l.includes('\tInes\t')).split('\t')[0];
  for (const [action, shown] of [['spam', false], ['approve', true], ['delete', false]]) {
    await warm();
    cli('comment', action, id);
    const res = await check(['harbour', 'harbourComments', ...harbourLists], `comment ${action}`);
    assert.equal(res.harbour.body.includes(`id="c${id}"`), shown, `comment ${action}`);
  }
});

test('importing an update refreshes the post and its lists only', async () => {
  await warm();
  importPost('market', ['2023-08-01', 'Market hall reopens after the fire',
    'Stalls are back on the ground floor, and the café too.', ['Markets']]);
  const res = await check(['market', 'marketComments', 'front', 'front2', 'y2023',
    'm202308', 'labelMarkets', 'feed', 'rss', 'json', 'feedMarkets', 'sitemap'], 'update');
  assert.match(res.market.body, /and the café too/);
  assert.match(res.feedMarkets.body, /and the café too/);
});

test('importing a new post refreshes the lists it joins', async () => {
  await warm();
  importPost('thaw', ['2022-05-20', 'The thaw comes at last',
    'Rivers rise after the late snow.', ['Weather']]);
  const res = await check(['front', 'front2', 'y2022', 'labelWeather', 'feed', 'rss',
    'json', 'sitemap'], 'new post');
  assert.match(res.y2022.body, /The thaw comes at last/);
  assert.match(res.front.body, /The thaw comes at last/);
});

test('deleting a post refreshes its page and its lists', async () => {
  await warm();
  cli('post', 'delete', ids.snow);
  const res = await check(['snow', 'front', 'front2', 'y2022', 'labelWeather', 'feed',
    'rss', 'json', 'sitemap'], 'delete');
  assert.equal(res.snow.status, 404);
  assert.doesNotMatch(res.front.body, /Late snow in May/);
  assert.equal(res.y2022.status, 200);
  gone.add('snow');
});

test('renaming and merging labels refresh the posts that show them', async () => {
  await warm();
  cli('labels', 'rename', 'Markets', 'Market Halls');
  // A post's comment feed goes with its page (one tag, post:ID).
  let res = await check(['market', 'marketComments', 'labelMarkets', 'feedMarkets', 'front', 'front2',
    'y2023', 'm202308', 'feed', 'rss', 'json', 'sitemap'], 'rename');
  assert.match(res.market.body, /Market Halls/);
  assert.notEqual(res.labelMarkets.status, 200);
  gone.add('labelMarkets');
  gone.add('feedMarkets');

  await warm();
  cli('labels', 'merge', 'North Coast', 'Transport');
  res = await check(['harbour', 'harbourComments', 'labelCoast', 'labelTransport', 'feedTransport',
    ...harbourLists], 'merge');
  assert.doesNotMatch(res.harbour.body, /North Coast/);
  assert.notEqual(res.labelCoast.status, 200);
  gone.add('labelCoast');
});

test('a scheduled post goes live on the lists without any write', async () => {
  // A Blogger export with one post published two seconds from now.
  const when = new Date(Date.now() + 2000);
  const iso = when.toISOString();
  const ym = iso.slice(0, 7).replace('-', '/');
  const xml = `<?xml version='1.0' encoding='utf-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
<id>tag:blogger.com,1999:blog-9</id><title>T</title>
<entry><id>tag:blogger.com,1999:blog-9.post-1</id><blogger:type>POST</blogger:type>
<blogger:status>LIVE</blogger:status><title>Tomorrow's edition</title>
<content type='html'>&lt;p&gt;Printed at dawn.&lt;/p&gt;</content>
<blogger:filename>/${ym}/tomorrow.html</blogger:filename>
<published>${iso}</published><updated>${iso}</updated></entry>
</feed>`;
  const f = join(dirname(dir), 'scheduled.xml');
  writeFileSync(f, xml);
  cli('import', f);
  await warm();
  let r = await fetchPage('/');
  assert.equal(r.cache, 'hit');
  assert.doesNotMatch(r.body, /Tomorrow's edition/);
  while (Date.now() < when.getTime() + 1100) await new Promise((ok) => setTimeout(ok, 100));
  r = await fetchPage('/');
  assert.equal(r.cache, 'miss');
  assert.match(r.body, /Tomorrow(&#39;|')s edition/);
  r = await fetchPage(paths.harbour);
  assert.equal(r.cache, 'hit', 'a post page does not depend on other posts');
});

// Raw HTTP, so that nothing decodes or adds headers for us.
function raw(path, headers = {}, method = 'GET') {
  return new Promise((ok, fail) => {
    const req = request(srv.url + path, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

test('encodings, ETags, 304 and HEAD come from the same entry', async () => {
  const path = paths.harbour;
  const id = await raw(path);
  assert.equal(id.status, 200);
  assert.equal(id.headers['content-encoding'], undefined);
  assert.equal(id.headers.vary, 'Accept-Encoding');
  assert.match(id.headers.etag, /^"[0-9a-f]{32}"$/);
  const gz = await raw(path, { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz.headers['x-cache'], 'hit');
  assert.deepEqual(gunzipSync(gz.body), id.body);
  const br = await raw(path, { 'accept-encoding': 'gzip;q=0.5, br' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.deepEqual(brotliDecompressSync(br.body), id.body);
  assert.ok(br.body.length < gz.body.length && gz.body.length < id.body.length);
  const only = await raw(path, { 'accept-encoding': 'br;q=0, gzip;q=0' });
  assert.equal(only.headers['content-encoding'], undefined);
  // Each representation has its own strong tag.
  assert.equal(gz.headers.etag, id.headers.etag.replace(/"$/, '-gz"'));
  assert.equal(br.headers.etag, id.headers.etag.replace(/"$/, '-br"'));

  let r = await raw(path, { 'if-none-match': id.headers.etag });
  assert.equal(r.status, 304);
  assert.equal(r.body.length, 0);
  assert.equal(r.headers.etag, id.headers.etag);
  r = await raw(path, { 'accept-encoding': 'br', 'if-none-match': id.headers.etag });
  assert.equal(r.status, 200, 'the identity tag does not match the brotli body');
  r = await raw(path, { 'if-modified-since': id.headers['last-modified'] });
  assert.equal(r.status, 304);
  r = await raw(path, { 'if-modified-since': 'Mon, 01 Jan 2001 00:00:00 GMT' });
  assert.equal(r.status, 200);

  const head = await raw(path, { 'accept-encoding': 'gzip' }, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.headers['x-cache'], 'hit');
  assert.equal(head.headers['content-length'], String(gz.body.length));
  assert.equal(head.body.length, 0);

  // Never cached: errors, health, metrics, comment posts.
  for (const p of ['/no/such/page', '/healthz', '/metrics']) {
    await raw(p);
    const again = await raw(p);
    assert.notEqual(again.headers['x-cache'], 'hit', p);
  }
});
