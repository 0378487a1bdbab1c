// The admin on a PostgreSQL site, without a browser: accounts from the
// CLI, sign-in and sign-out, publishing with labels that readers then
// see, authors limited to their own posts, API tokens made, used and
// revoked, the stats page, a session shared by two nodes, and a deleted
// account's session ending.  The rows are checked in the database
// itself.  Needs tests/pg's server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gazette, startServer, get } from './helpers.mjs';
import { addUser, AdminClient } from './admin-helpers.mjs';
import { psql, createDatabase, dropDatabase } from './pg-helpers.mjs';

const NOW = 1790000000; // a fixed clock for the server: 2026-09-21
const dbname = `gazette_admin_${process.pid}`;
let top, dir, url, srv;

async function api(path, { method = 'GET', body, auth } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (auth) headers.authorization = `Bearer ${auth}`;
  const r = await fetch(srv.url + path, {
    method, headers, redirect: 'manual', body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, headers: r.headers, json: JSON.parse(await r.text()) };
}

before(async () => {
  url = createDatabase(dbname);
  top = mkdtempSync(join(tmpdir(), 'gazette-admin-pg-'));
  dir = join(top, 'site');
  const r = gazette(['init', '--db', url, dir]);
  assert.equal(r.status, 0, r.stderr);
  appendFileSync(join(dir, 'gazette.conf'), '\n[comments]\nmin_seconds = 0\nrate = 0\n');
  addUser(dir, 'olivia', 'owner-password-1', 'owner');
  addUser(dir, 'edgar', 'editor-password-1', 'editor');
  addUser(dir, 'ana', 'author-password-1', 'author');
  srv = await startServer(dir, [], { GAZETTE_NOW: String(NOW) });
});

after(async () => {
  await srv?.stop();
  if (top) rmSync(top, { recursive: true, force: true });
  dropDatabase(dbname);
});

test('accounts live in PostgreSQL: list, refusals, hashes only', () => {
  const list = gazette(['-C', dir, 'user', 'list']);
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /^\d+\tana\tauthor\t-\t/m);
  assert.match(list.stdout, /^\d+\tolivia\towner\t-\t/m);
  const again = gazette(['-C', dir, 'user', 'add', 'OLIVIA'], { input: 'another-password\n' });
  assert.equal(again.status, 1);
  assert.match(again.stderr, /^gazette: user OLIVIA: already exists/);
  assert.equal(psql('SELECT count(*) FROM users', url), '3');
  assert.equal(psql("SELECT count(*) FROM users WHERE pwhash LIKE '$argon2id$%'", url), '3');
});

test('sign-in, a session stored as a hash, sign-out ends it', async () => {
  const c = new AdminClient(srv.url);
  const r = await c.login('olivia', 'owner-password-1');
  assert.equal(r.status, 303);
  const sid = /^gazette_session=([0-9a-f]{64});/.exec(r.headers.get('set-cookie'))[1];
  assert.match((await c.get('/admin/')).body, /olivia <small>\(owner\)<\/small>/);
  assert.equal(psql(`SELECT count(*) FROM sessions WHERE id_hash = '${sid}'`, url), '0',
    'the cookie itself is not in the database');
  assert.equal(psql('SELECT count(*) FROM sessions', url), '1');
  const wrong = await new AdminClient(srv.url).login('olivia', 'wrong-password');
  assert.equal(wrong.status, 403);
  assert.equal((await c.post('/admin/logout', {})).status, 303);
  assert.equal((await c.get('/admin/')).status, 303, 'the old cookie opens nothing after sign-out');
  assert.equal(psql('SELECT count(*) FROM sessions', url), '0');
});

test('publishing with labels: readers see it; authors keep to their own', async () => {
  const ed = new AdminClient(srv.url);
  assert.equal((await ed.login('edgar', 'editor-password-1')).status, 303);
  const id = await ed.savePost({ title: 'Tram line opens', source: 'The *new* tram runs.', labels: 'City, Transport' });
  const page = await get(srv.url + '/2026/09/tram-line-opens.html');
  assert.equal(page.status, 200);
  assert.match(page.body, /<p>The <em>new<\/em> tram runs.<\/p>/);
  assert.match((await get(srv.url + '/search/label/Transport')).body, /Tram line opens/);
  assert.match((await get(srv.url + '/')).body, /Tram line opens/);
  const ana = new AdminClient(srv.url);
  assert.equal((await ana.login('ana', 'author-password-1')).status, 303);
  const own = await ana.savePost({ title: 'Ana on gardens', source: 'Basil.', action: 'draft' });
  assert.equal((await ana.get(`/admin/posts/${own}`)).status, 200);
  assert.equal((await ana.get(`/admin/posts/${id}`)).status, 403);
  assert.equal((await ana.post(`/admin/posts/${id}`, { title: 'Taken over', source: 'x', action: 'publish' })).status, 403);
  assert.equal((await ed.get(`/admin/posts/${own}`)).status, 200, 'an editor may change it');
  assert.equal(psql(`SELECT u.name FROM post_authors a JOIN users u ON u.id = a.user_id WHERE a.post_id = ${own}`, url), 'ana');
  assert.equal((await get(srv.url + '/2026/09/ana-on-gardens.html')).status, 404, 'a draft is not out');
});

test('API tokens: made in the admin, used, revoked', async () => {
  const c = new AdminClient(srv.url);
  await c.login('olivia', 'owner-password-1');
  const r = await c.post('/admin/tokens', { op: 'create', name: 'script' });
  assert.equal(r.status, 200, r.body);
  const token = /<code class="token" id="new-token">(gz_[0-9a-f]{64})<\/code>/.exec(r.body)[1];
  const made = await api('/api/v1/posts', {
    method: 'POST', auth: token, body: { title: 'Sent by script', body: 'Hello.', status: 'published', labels: ['City'] },
  });
  assert.equal(made.status, 201, JSON.stringify(made.json));
  assert.equal((await get(srv.url + '/2026/09/sent-by-script.html')).status, 200);
  const bad = await api('/api/v1/posts', { method: 'POST', auth: 'gz_' + '0'.repeat(64), body: { title: 'x' } });
  assert.equal(bad.status, 401);
  const page = await c.get('/admin/tokens');
  assert.match(page.body, /script/);
  const tid = psql("SELECT id FROM api_tokens WHERE name = 'script'", url);
  assert.equal((await c.post('/admin/tokens', { op: 'delete', id: tid })).status, 303);
  const after = await api('/api/v1/posts', { method: 'POST', auth: token, body: { title: 'x' } });
  assert.equal(after.status, 401);
});

test('stats: views counted into PostgreSQL and shown', async () => {
  const c = new AdminClient(srv.url);
  await c.login('olivia', 'owner-password-1');
  for (let i = 0; i < 3; i++) assert.equal((await get(srv.url + '/2026/09/tram-line-opens.html')).status, 200);
  await get(srv.url + '/search?q=tram');
  const page = await c.get('/admin/stats');
  assert.equal(page.status, 200);
  assert.match(page.body, /<svg class="chart"[^>]*role="img"/);
  assert.match(page.body, /<a href="\/2026\/09\/tram-line-opens.html">Tram line opens<\/a> <span>[3-9]<\/span>/);
  assert.match(page.body, /<li>tram <span>1<\/span><\/li>/);
  assert.notEqual(psql("SELECT count(*) FROM stats_daily WHERE kind = 'view'", url), '0');
});

test('a session made on one node works on another of the same database', async () => {
  const other = await startServer(dir, [], { GAZETTE_NOW: String(NOW) });
  try {
    const c = new AdminClient(srv.url);
    assert.equal((await c.login('edgar', 'editor-password-1')).status, 303);
    const there = new AdminClient(other.url);
    there.cookie = c.cookie;
    const home = await there.get('/admin/');
    assert.equal(home.status, 200);
    assert.match(home.body, /edgar <small>\(editor\)<\/small>/);
    // Its CSRF token too: a post saved through the second node.
    const id = await there.savePost({ title: 'Saved on the other node', source: 'Same base.' });
    assert.equal((await c.get(`/admin/posts/${id}`)).status, 200);
    assert.equal((await get(srv.url + '/2026/09/saved-on-other-node.html')).status, 200);
  } finally {
    await other.stop();
  }
});

test('a deleted account\'s session ends', async () => {
  const own = new AdminClient(srv.url);
  await own.login('olivia', 'owner-password-1');
  const ana = new AdminClient(srv.url);
  assert.equal((await ana.login('ana', 'author-password-1')).status, 303);
  assert.equal((await own.post('/admin/users', { op: 'delete', name: 'ana' })).status, 303);
  assert.equal((await ana.get('/admin/')).status, 303);
  assert.equal(psql("SELECT count(*) FROM users WHERE name = 'ana'", url), '0');
  assert.equal(psql("SELECT count(*) FROM posts WHERE title = 'Ana on gardens'", url), '1');
  assert.equal(psql('SELECT count(*) FROM post_authors a JOIN posts p ON p.id = a.post_id '
    + "WHERE p.title = 'Ana on gardens'", url), '0', 'her post stays, without an author');
});
