// Every admin page is valid HTML5 (the Nu HTML Checker, as html.test.mjs
// runs it for the readers' pages), signed in as the owner with a post,
// labels, a held comment and stats to show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { makeSite, removeSite, startServer, get, postForm, formFields, root } from './helpers.mjs';
import { addUser, AdminClient } from './admin-helpers.mjs';

const vnu = join(root, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

test('admin pages are valid HTML', async () => {
  assert.ok(existsSync(vnu), 'vnu.jar is installed by scripts/deps (npm ci)');
  const dir = makeSite({ conf: '[comments]\nmin_seconds = 0\nrate = 0\nmoderation = all' });
  addUser(dir, 'olivia', 'owner-password-1');
  const out = mkdtempSync(join(tmpdir(), 'gazette-admin-html-'));
  const srv = await startServer(dir);
  try {
    const c = new AdminClient(srv.url);
    const login = await get(srv.url + '/admin/login');
    await c.login('olivia', 'owner-password-1');
    const id = await c.savePost({ title: 'Rain over the harbour', source: 'The *harbour* was wet.\n\n- one\n- two', labels: 'Weather, Harbour' });
    const path = (await c.get(`/admin/posts/${id}`)).body.match(/<a href="(\/\d{4}\/\d\d\/[^"]+)">View on the site/)[1];
    const f = formFields((await get(srv.url + path)).body);
    assert.equal((await postForm(srv.url + '/comment', { ...f, website: '', name: 'Reader', body: 'Wet indeed http://a.example http://b.example http://c.example' })).status, 303);
    const cid = /name="c(\d+)"/.exec((await c.get('/admin/comments')).body)[1];
    await c.post('/admin/tokens', { op: 'create', name: 'script' });
    const pages = {
      login,
      dashboard: await c.get('/admin/'),
      posts: await c.get('/admin/posts'),
      'editor-new': await c.get('/admin/posts/new'),
      editor: await c.get(`/admin/posts/${id}`),
      preview: await c.post('/admin/posts/new', { title: 'North Korea talks', source: 'North Korea and Russia met.', chip: 'Russia' }),
      error: await c.post('/admin/posts/new', { title: '', source: 'x', action: 'publish' }),
      comments: await c.get('/admin/comments'),
      reply: await c.get(`/admin/comments/${cid}`),
      labels: await c.get('/admin/labels'),
      stats: await c.get('/admin/stats'),
      tokens: await c.post('/admin/tokens', { op: 'create', name: 'another' }),
      users: await c.get('/admin/users'),
      missing: await c.get('/admin/nothing'),
    };
    const files = [];
    for (const [name, r] of Object.entries(pages)) {
      assert.match(r.headers.get('content-type'), /^text\/html/, name);
      const file = join(out, `${name}.html`);
      writeFileSync(file, r.body);
      files.push(file);
    }
    const v = spawnSync('java', ['-jar', vnu, '--errors-only', '--format', 'text', ...files],
      { encoding: 'utf8', timeout: 120000 });
    assert.equal(v.status, 0, v.stderr + v.stdout);
  } finally {
    await srv.stop();
    removeSite(dir);
    rmSync(out, { recursive: true, force: true });
  }
});
