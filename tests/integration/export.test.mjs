// gazette export: the static export served by nginx (with
// contrib/nginx-static.conf) answers every URL of the sitemap, the feeds
// and the second front page with the bytes `gazette serve` sends; and
// the WXR and Blogger exports import into a fresh site as the same posts,
// labels and comments.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  existsSync, mkdtempSync, readFileSync, writeFileSync, readdirSync, rmSync,
  mkdirSync, statSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import {
  gazette, makeSite, removeSite, startServer, get, fixtures, root,
  seedFile, haveSeed,
} from './helpers.mjs';

const NGINX = '/usr/sbin/nginx';
const SITE_URL = 'https://export.example';
// A fixed clock: the comment form's token is time-stamped.
const NOW = '1767225600';
const env = { ...process.env, TZ: 'UTC', LC_ALL: 'C', GAZETTE_NOW: NOW };

let dir, tmp, out, srv, nginx;

function run(args) {
  return gazette(args, { env });
}

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// Every file below d, as paths relative to it.
function walk(d, base = d) {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(d, e.name), base) :
      [join(d, e.name).slice(base.length + 1)]);
}

// nginx as this user: a temp prefix, one worker, 127.0.0.1 only, and a
// gazette "behind" it at a port where nothing listens, so that every
// answer must come from the export's files.
async function startNginx(root) {
  const prefix = join(tmp, 'nginx');
  mkdirSync(join(prefix, 'tmp'), { recursive: true });
  const port = await freePort();
  const dead = await freePort();
  const site = readFileSync(join(root, 'contrib', 'nginx-static.conf'), 'utf8')
    .replace(/listen 80;/, `listen 127.0.0.1:${port};`)
    .replace(/root \/var\/www\/gazette;/, `root ${out};`)
    .replace(/server 127\.0\.0\.1:8080;/, `server 127.0.0.1:${dead};`);
  assert.match(site, new RegExp(`root ${out};`));
  writeFileSync(join(prefix, 'site.conf'), site);
  const t = join(prefix, 'tmp');
  writeFileSync(join(prefix, 'nginx.conf'), [
    process.getuid() === 0 ? 'user root root;' : '',
    'worker_processes 1;', 'daemon off;', 'master_process off;',
    `pid ${prefix}/nginx.pid;`, `error_log ${prefix}/error.log;`,
    'events { worker_connections 64; }',
    'http {', 'access_log off;',
    `client_body_temp_path ${t}/body;`, `proxy_temp_path ${t}/proxy;`,
    `fastcgi_temp_path ${t}/fcgi;`, `uwsgi_temp_path ${t}/uwsgi;`,
    `scgi_temp_path ${t}/scgi;`,
    `include ${prefix}/site.conf;`, '}', ''].join('\n'));
  const proc = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'),
    '-e', join(prefix, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((ok) => proc.on('exit', ok));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) break;
    try {
      await fetch(url + '/robots.txt');
      return { url, async stop() { proc.kill('SIGTERM'); await exited; } };
    } catch { /* not up yet */ }
    await new Promise((ok) => setTimeout(ok, 50));
  }
  proc.kill('SIGKILL');
  throw new Error(`nginx did not start: ${stderr}`);
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gazette-export-'));
  out = join(tmp, 'out');
  dir = makeSite({ conf: `[site]\nurl = ${SITE_URL}\n` });
  const files = [
    join(fixtures, 'seed', 'en-homoglyph.txt'),
    join(fixtures, 'seed', 'es-comments.txt'),
    join(fixtures, 'seed', 'ru.txt'),
    join(fixtures, 'wxr', 'site.xml'),
    join(fixtures, 'blogger', 'new.xml'),
  ];
  if (haveSeed) files.push(seedFile);
  // Enough posts for a second front page, a label with an odd name.
  for (let i = 1; i <= 12; i++) {
    const f = join(tmp, `n${i}.txt`);
    writeFileSync(f, `2022-0${1 + (i % 9)}-1${i % 10}\nNote number ${i}\n` +
      `Short note ${i} for the lists.\nLabels:\nnotes & odds\nC++/Rust\nnode.js\n`);
    files.push(f);
  }
  const imp = run(['-C', dir, 'import', ...files]);
  assert.equal(imp.status, 0, imp.stderr);
  srv = await startServer(dir, [], { GAZETTE_NOW: NOW });
});

after(async () => {
  if (nginx) await nginx.stop();
  if (srv) await srv.stop();
  if (dir) removeSite(dir);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('export --format static writes every page with .gz and .br beside it', () => {
  const r = run(['-C', dir, 'export', '--format', 'static', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^exported\t.*\tposts \d+\tfiles \d+\tbytes \d+\tskipped 0\tremoved 0\n$/);
  const files = walk(out);
  for (const f of ['index.html', 'index,page=2.html', 'sitemap.xml', 'robots.txt',
    'feed.json', 'feeds/posts/default.atom', 'feeds/posts/default.rss',
    'search/label/notes & odds.html', 'search/label/C++/Rust.html',
    'feeds/posts/default/-/node.js.atom', 'search/label/node.js.html',
    'feeds/posts/default/-/notes & odds.atom', 'static/style.css', '404.html'])
    assert.ok(files.includes(f), `${f} missing`);
  const plain = files.filter((f) => !/\.(gz|br)$/.test(f) && f !== '.gazette-export');
  // The list of what it wrote, for the next export to tidy up after.
  const listed = readFileSync(join(out, '.gazette-export'), 'utf8').trim().split('\n');
  assert.deepEqual(listed.slice().sort(), plain.slice().sort());
  for (const f of plain) {
    const body = readFileSync(join(out, f));
    assert.deepEqual(gunzipSync(readFileSync(join(out, f + '.gz'))), body, f);
    assert.deepEqual(brotliDecompressSync(readFileSync(join(out, f + '.br'))), body, f);
  }
  // No temporary file left behind, and none readable by nobody.
  assert.deepEqual(files.filter((f) => /\.tmp/.test(f)), []);
  assert.equal(statSync(join(out, 'index.html')).mode & 0o777, 0o644);
});

test('a second export over the first replaces it and keeps no stray files', () => {
  const before = walk(out).sort();
  const r = run(['-C', dir, 'export', '--format', 'static', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(walk(out).sort(), before);
});

test('an export removes the pages of a deleted post, and only what it wrote', () => {
  const mine = join(out, 'mine.txt');
  writeFileSync(mine, 'not the export\'s\n');
  const other = join(tmp, 'other');
  assert.equal(run(['-C', dir, 'export', '--format', 'static', other]).status, 0);
  const list = run(['-C', dir, 'post', 'list']).stdout.trim().split('\n')
    .map((l) => l.split('\t'));
  const [id, , , path] = list.find((l) => l[4] === 'Note number 7');
  const file = join(other, path.slice(1));
  assert.ok(existsSync(file) && existsSync(file + '.gz') && existsSync(file + '.br'));
  assert.equal(run(['-C', dir, 'post', 'delete', id]).status, 0);
  const r = run(['-C', dir, 'export', '--format', 'static', other]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\tremoved [1-9]\d*\n$/);
  assert.ok(!existsSync(file) && !existsSync(file + '.gz') && !existsSync(file + '.br'),
    'the deleted post\'s page stayed');
  assert.ok(!existsSync(join(other, 'feeds', id, 'comments', 'default.atom')));
  assert.ok(existsSync(join(other, 'index.html')));
  assert.ok(existsSync(mine), 'a file the export did not write was removed');
  // The first export folder keeps the post for the tests below, which
  // compare it with the server: put the post back there.
  assert.equal(run(['-C', dir, 'import', join(tmp, 'n7.txt')]).status, 0);
  assert.equal(run(['-C', dir, 'export', '--format', 'static', out]).status, 0);
});

test('nginx serving the export gives the same bodies as gazette serve', async (t) => {
  if (!existsSync(NGINX)) {
    t.skip(`${NGINX} is not installed`);
    return;
  }
  nginx = await startNginx(root);
  const sitemap = (await get(srv.url + '/sitemap.xml')).body;
  const urls = [...sitemap.matchAll(/<loc>([^<]*)<\/loc>/g)]
    .map((m) => m[1].replaceAll('&amp;', '&').slice(SITE_URL.length));
  assert.ok(urls.length > 20, `only ${urls.length} URLs in the sitemap`);
  const label = encodeURIComponent('notes & odds');
  urls.push('/?page=2', '/sitemap.xml', '/robots.txt', '/feed.json',
    '/feeds/posts/default', '/feeds/posts/default?alt=rss',
    `/feeds/posts/default/-/${label}`, `/feeds/posts/default/-/${label}?alt=rss`,
    `/search/label/${label}`, `/search/label/${label}?page=2`,
    '/search/label/C%2B%2B%2FRust', '/2022/', '/2022/03/', '/static/style.css',
    '/feeds/posts/default/-/node.js', '/search/label/node.js');
  for (const u of urls) {
    const [a, b] = await Promise.all([get(srv.url + u), get(nginx.url + u)]);
    assert.equal(a.status, 200, `gazette ${u}`);
    assert.equal(b.status, 200, `nginx ${u}`);
    assert.equal(b.headers.get('content-type'), a.headers.get('content-type'), u);
    assert.equal(b.body, a.body, `body of ${u}`);
  }
  // A missing page is the site's own 404 page.
  const [a, b] = await Promise.all([get(srv.url + '/no/such.html'),
    get(nginx.url + '/no/such.html')]);
  assert.equal(a.status, 404);
  assert.equal(b.status, 502, 'misses go to the gazette behind nginx');
  assert.equal((await get(nginx.url + '/404.html')).status, 404);
  assert.equal((await get(nginx.url + '/404.html')).body, a.body);
});

// Posts (status, date, path, title), labels and comments of a site.
function snapshot(d, commentStatus) {
  const posts = run(['-C', d, 'post', 'list', '--status', 'all']).stdout
    .trim().split('\n').map((l) => l.split('\t').slice(1).join('\t')).sort();
  const labels = run(['-C', d, 'labels', 'list']).stdout.trim().split('\n').sort();
  const comments = run(['-C', d, 'comment', 'list', '--status', commentStatus])
    .stdout.trim().split('\n').map((l) => {
      const [, st, , name, excerpt] = l.split('\t');
      return [st, name, excerpt].join('\t');
    }).sort();
  return { posts, labels, comments };
}

for (const [format, statuses] of [['wxr', 'all'], ['atom', 'approved']]) {
  test(`export --format ${format} then import gives the same posts, labels and comments`, () => {
    const file = join(tmp, `site-${format}.xml`);
    const r = run(['-C', dir, 'export', '--format', format, file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^exported\t.*\tposts \d+\tcomments \d+\n$/);
    const fresh = makeSite({ conf: `[site]\nurl = ${SITE_URL}\n` });
    try {
      const imp = run(['-C', fresh, 'import', file]);
      assert.equal(imp.status, 0, imp.stderr);
      assert.match(imp.stdout, /skipped 0\n$/);
      const want = snapshot(dir, statuses), got = snapshot(fresh, statuses);
      assert.ok(want.posts.some((l) => l.startsWith('draft\t')), 'a draft');
      assert.ok(want.comments.length >= 5, 'comments');
      assert.deepEqual(got, want);
      // Every post page the same (text, labels, comment threads), but
      // for the ids the new site gave its posts and comments.
      const a = join(tmp, `a-${format}`), b = join(tmp, `b-${format}`);
      assert.equal(run(['-C', dir, 'export', '--format', 'static', a]).status, 0);
      assert.equal(run(['-C', fresh, 'export', '--format', 'static', b]).status, 0);
      const pages = walk(a).filter((f) =>
        /^(\d{4}\/\d\d|p)\/[^/]+\.html$/.test(f) && !f.endsWith('/index.html'));
      assert.ok(pages.length > 10);
      const norm = (f) => readFileSync(f, 'utf8')
        .replace(/name="token" value="[^"]*"/g, '').replace(/\d+/g, '#');
      for (const f of pages)
        assert.equal(norm(join(b, f)), norm(join(a, f)), f);
      assert.match(readFileSync(join(a, pages[0]), 'utf8'), /<article/);
    } finally {
      removeSite(fresh);
    }
  });
}

test('export --format wxr - writes to standard output', () => {
  const r = run(['-C', dir, 'export', '--format', 'wxr', '-']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0"/);
  assert.match(r.stdout, /<wp:wxr_version>1.2<\/wp:wxr_version>/);
  assert.match(r.stderr, /^exported\t-\t/);
});

test('export refuses a bad format or a missing output, with status 2', () => {
  let r = run(['-C', dir, 'export', '--format', 'pdf', join(tmp, 'x')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /gazette: export: unknown format "pdf"/);
  r = run(['-C', dir, 'export', '--format', 'static']);
  assert.equal(r.status, 2);
  r = run(['-C', dir, 'export', '--format', 'wxr', join(tmp, 'no', 'such', 'f.xml')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no\/such\/f\.xml/);
});

test('a small site has a plain sitemap and no sitemap parts', async () => {
  const r = await get(srv.url + '/sitemap.xml');
  assert.equal(r.status, 200);
  assert.match(r.body, /<urlset xmlns="http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9">/);
  assert.doesNotMatch(r.body, /<sitemapindex/);
  assert.equal((await get(srv.url + '/sitemap-1.xml')).status, 404);
  assert.equal((await get(srv.url + '/sitemap-x.xml')).status, 404);
});
