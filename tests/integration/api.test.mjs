// The JSON API: public reads of published posts, labels and approved
// comments with pagination; writes only with a personal token made in the
// admin; JSON errors with a 4xx that says why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { gazette, makeSite, removeSite, startServer, get, postForm, formFields, fixtures } from './helpers.mjs';
import { addUser, AdminClient } from './admin-helpers.mjs';

let dir, srv, owner, token, authorToken;

async function api(path, { method = 'GET', body, auth, type = 'application/json' } = {}) {
  const headers = {};
  if (auth) headers.authorization = `Bearer ${auth}`;
  if (body !== undefined) headers['content-type'] = type;
  const r = await fetch(srv.url + path, {
    method, headers, redirect: 'manual', body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await r.text();
  assert.match(r.headers.get('content-type'), /^application\/json/, `${path}: ${text}`);
  return { status: r.status, headers: r.headers, json: JSON.parse(text) };
}

async function makeToken(client, name) {
  const r = await client.post('/admin/tokens', { op: 'create', name });
  assert.equal(r.status, 200, r.body);
  return /<code class="token" id="new-token">(gz_[0-9a-f]{64})<\/code>/.exec(r.body)[1];
}

before(async () => {
  dir = makeSite({ conf: '[comments]\nmin_seconds = 0\nrate = 0\nmoderation = all' });
  addUser(dir, 'olivia', 'owner-password-1', 'owner');
  addUser(dir, 'ana', 'author-password-1', 'author');
  srv = await startServer(dir);
  owner = new AdminClient(srv.url);
  await owner.login('olivia', 'owner-password-1');
  token = await makeToken(owner, 'script');
  const ana = new AdminClient(srv.url);
  await ana.login('ana', 'author-password-1');
  authorToken = await makeToken(ana, 'phone');
});

after(async () => {
  await srv?.stop();
  if (dir) removeSite(dir);
});

test('writes need a valid token', async () => {
  const none = await api('/api/v1/posts', { method: 'POST', body: { title: 'x' } });
  assert.equal(none.status, 401);
  assert.match(none.json.error, /needs an API token/);
  assert.match(none.headers.get('www-authenticate'), /^Bearer/);
  const bad = await api('/api/v1/posts', { method: 'POST', body: { title: 'x' }, auth: 'gz_' + '0'.repeat(64) });
  assert.equal(bad.status, 401);
  assert.match(bad.json.error, /not valid/);
  assert.doesNotMatch(gazette(['-C', dir, 'post', 'list']).stdout, /\tx$/m);
});

test('create, read, update a post; drafts stay private', async () => {
  const made = await api('/api/v1/posts', {
    method: 'POST', auth: token,
    body: { title: 'API launch notes', body: 'Written by *script*.', labels: ['Tech', 'News'], status: 'published' },
  });
  assert.equal(made.status, 201, JSON.stringify(made.json));
  assert.equal(made.json.title, 'API launch notes');
  assert.equal(made.json.status, 'published');
  assert.deepEqual(made.json.labels, ['Tech', 'News']);
  assert.match(made.json.html, /<em>script<\/em>/);
  assert.equal(made.headers.get('location'), `/api/v1/posts/${made.json.id}`);
  const page = await get(srv.url + made.json.path);
  assert.equal(page.status, 200);
  assert.match(page.body, /API launch notes/);

  const draft = await api('/api/v1/posts', { method: 'POST', auth: token, body: { title: 'Secret draft', body: 'Not yet.' } });
  assert.equal(draft.status, 201);
  assert.equal(draft.json.status, 'draft');
  assert.equal((await api(`/api/v1/posts/${draft.json.id}`)).status, 404);
  assert.equal((await api(`/api/v1/posts/${draft.json.id}`, { auth: token })).status, 200);

  const upd = await api(`/api/v1/posts/${made.json.id}`, { method: 'POST', auth: token, body: { title: 'API launch notes, updated' } });
  assert.equal(upd.status, 200);
  assert.equal(upd.json.title, 'API launch notes, updated');
  assert.equal(upd.json.path, made.json.path, 'the address stays while the slug does');
  const pub = await api(`/api/v1/posts/${made.json.id}`);
  assert.equal(pub.json.title, 'API launch notes, updated');
  assert.equal(pub.json.body, undefined, 'the Markdown source is for token holders');
});

test('a post published with a time to come is scheduled', async () => {
  const when = Math.floor(Date.now() / 1000) + 7 * 86400;
  const r = await api('/api/v1/posts', { method: 'POST', auth: token, body: { title: 'Next week', body: 'Soon.', status: 'published', published: when } });
  assert.equal(r.status, 201);
  assert.equal(r.json.status, 'scheduled');
  assert.equal(r.json.published, when);
  assert.equal((await api(`/api/v1/posts/${r.json.id}`)).status, 404);
  assert.equal((await get(srv.url + r.json.path)).status, 404);
});

test('bad bodies get a JSON error that names the field', async () => {
  const notJson = await api('/api/v1/posts', { method: 'POST', auth: token, body: '{"title": ', type: 'application/json' });
  assert.equal(notJson.status, 400);
  assert.match(notJson.json.error, /^body: line 1:/);
  const form = await api('/api/v1/posts', { method: 'POST', auth: token, body: 'title=x', type: 'application/x-www-form-urlencoded' });
  assert.equal(form.status, 415);
  const labels = await api('/api/v1/posts', { method: 'POST', auth: token, body: { title: 'x', labels: 'one' } });
  assert.equal(labels.status, 400);
  assert.match(labels.json.error, /^labels:/);
  const title = await api('/api/v1/posts', { method: 'POST', auth: token, body: { body: 'no title' } });
  assert.equal(title.status, 400);
  assert.match(title.json.error, /^title:/);
  const slug = await api('/api/v1/posts', { method: 'POST', auth: token, body: { title: 'x', slug: 'Not A Slug' } });
  assert.equal(slug.status, 400);
  assert.match(slug.json.error, /^slug:/);
  const limit = await api('/api/v1/posts?limit=0');
  assert.equal(limit.status, 400);
  assert.match(limit.json.error, /^limit:/);
  assert.equal((await api('/api/v1/nothing')).status, 404);
});

test('lists page with limit and offset and say where the next page is', async () => {
  for (let i = 1; i <= 5; i++) {
    const r = await api('/api/v1/posts', { method: 'POST', auth: token, body: { title: `Paged post ${i}`, body: 'x', status: 'published', labels: ['Paged'] } });
    assert.equal(r.status, 201);
  }
  const first = await api('/api/v1/posts?label=Paged&limit=2');
  assert.equal(first.status, 200);
  assert.equal(first.json.total, 5);
  assert.equal(first.json.posts.length, 2);
  assert.equal(first.json.next, '/api/v1/posts?limit=2&offset=2');
  const last = await api('/api/v1/posts?label=Paged&limit=2&offset=4');
  assert.equal(last.json.posts.length, 1);
  assert.equal(last.json.next, undefined);
  const seen = new Set([...first.json.posts, ...last.json.posts].map((p) => p.title));
  assert.equal(seen.size, 3);
  const labels = await api('/api/v1/labels');
  const paged = labels.json.labels.find((l) => l.name === 'Paged');
  assert.deepEqual(paged, { name: 'Paged', posts: 5, path: '/search/label/Paged' });
});

test('comments: approved ones are public; moderation needs an editor token', async () => {
  const path = gazette(['-C', dir, 'import', join(fixtures, 'seed', 'en-homoglyph.txt')]).stdout.split('\t')[1];
  const f = formFields((await get(srv.url + path)).body);
  assert.equal((await postForm(srv.url + '/comment', { ...f, website: '', name: 'Api Reader', body: 'Held for now.' })).status, 303);
  const id = JSON.parse(gazette(['-C', dir, 'comment', 'list', '--json', '--status', 'pending']).stdout.trim().split('\n')[0]).id;
  const hidden = await api('/api/v1/comments?status=pending');
  assert.equal(hidden.status, 401);
  assert.equal((await api('/api/v1/comments?status=pending', { auth: authorToken })).status, 403);
  const queue = await api('/api/v1/comments?status=pending', { auth: token });
  assert.ok(queue.json.comments.some((c) => c.name === 'Api Reader'));
  const refused = await api(`/api/v1/comments/${id}`, { method: 'POST', auth: authorToken, body: { action: 'approve' } });
  assert.equal(refused.status, 403);
  const ok = await api(`/api/v1/comments/${id}`, { method: 'POST', auth: token, body: { action: 'approve' } });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.status, 'approved');
  const post = Number(f.post);
  const pub = await api(`/api/v1/posts/${post}/comments`);
  assert.ok(pub.json.comments.some((c) => c.name === 'Api Reader' && c.status === 'approved'));
  const log = gazette(['-C', dir, 'comment', 'log', '--json']).stdout;
  assert.match(log, /"actor":"api:olivia"/);
});

test('an author token writes only the author\'s posts', async () => {
  const mine = await api('/api/v1/posts', { method: 'POST', auth: authorToken, body: { title: 'Ana via the API', body: 'x' } });
  assert.equal(mine.status, 201);
  const list = await api('/api/v1/posts?limit=1');
  const someone = list.json.posts[0].id;
  const r = await api(`/api/v1/posts/${someone}`, { method: 'POST', auth: authorToken, body: { title: 'Hijack' } });
  assert.equal(r.status, 403);
  assert.match(r.json.error, /only their own posts/);
});

test('search keeps its own JSON endpoint', async () => {
  const r = await get(srv.url + '/api/v1/search?q=launch');
  assert.equal(r.status, 200);
  assert.match(r.body, /"query":"launch"/);
});

test('a revoked token stops working', async () => {
  const t = await makeToken(owner, 'temporary');
  assert.equal((await api('/api/v1/posts', { method: 'POST', auth: t, body: { title: 'With temp' } })).status, 201);
  const page = await owner.get('/admin/tokens');
  const id = [...page.body.matchAll(/<td data-label="Name">temporary<\/td>[\s\S]*?name="id" value="(\d+)"/g)][0][1];
  assert.equal((await owner.post('/admin/tokens', { op: 'delete', id })).status, 303);
  assert.equal((await api('/api/v1/posts', { method: 'POST', auth: t, body: { title: 'After revoke' } })).status, 401);
});
