// The admin's security and its workflows without a browser: accounts from
// the CLI, sign-in, cookie flags, CSRF, throttling, no user enumeration,
// role limits, TOTP, slug redirects, scheduling across a restart,
// moderation that trains the filter, labels and the stats page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  bin, gazette, makeSite, removeSite, startServer, get, postForm, formFields, fixtures,
} from './helpers.mjs';
import { addUser, AdminClient, totp } from './admin-helpers.mjs';

const NOW = 1790000000; // a fixed clock for the server: 2026-09-21
let dir, srv;

before(async () => {
  dir = makeSite({ conf: '[comments]\nmin_seconds = 0\nrate = 0\nmoderation = all' });
  addUser(dir, 'olivia', 'owner-password-1', 'owner');
  addUser(dir, 'edgar', 'editor-password-1', 'editor');
  addUser(dir, 'ana', 'author-password-1', 'author');
  addUser(dir, 'bert', 'author-password-2', 'author');
  srv = await startServer(dir, [], { GAZETTE_NOW: String(NOW) });
});

after(async () => {
  await srv?.stop();
  if (dir) removeSite(dir);
});

test('user: add, list, refusals with clear messages', () => {
  const list = gazette(['-C', dir, 'user', 'list']);
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /^\d+\tana\tauthor\t-\t/m);
  assert.match(list.stdout, /^\d+\tolivia\towner\t-\t/m);
  const again = gazette(['-C', dir, 'user', 'add', 'olivia'], { input: 'another-password\n' });
  assert.equal(again.status, 1);
  assert.match(again.stderr, /^gazette: user olivia: already exists/);
  const short = gazette(['-C', dir, 'user', 'add', 'zed'], { input: 'short\n' });
  assert.equal(short.status, 1);
  assert.match(short.stderr, /password: at least 8 characters/);
  const role = gazette(['-C', dir, 'user', 'add', '--role', 'king', 'zed'], { input: 'long-enough-1\n' });
  assert.equal(role.status, 2);
  assert.match(role.stderr, /--role: expected owner, editor or author/);
  assert.doesNotMatch(gazette(['-C', dir, 'user', 'list']).stdout, /zed/);
});

test('admin pages need a session; the login page is never cached', async () => {
  const r = await get(srv.url + '/admin/posts');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/admin/login?next=%2Fadmin%2Fposts');
  const login = await get(srv.url + '/admin/login');
  assert.equal(login.status, 200);
  assert.equal(login.headers.get('cache-control'), 'no-store');
  assert.match(login.body, /<form method="post" action="\/admin\/login"/);
});

test('sign-in sets a strict HttpOnly cookie; sign-out ends the session', async () => {
  const c = new AdminClient(srv.url);
  const r = await c.login('olivia', 'owner-password-1');
  assert.equal(r.status, 303);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /^gazette_session=[0-9a-f]{64}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
  const home = await c.get('/admin/');
  assert.equal(home.status, 200);
  assert.equal(home.headers.get('cache-control'), 'no-store');
  assert.match(home.body, /olivia <small>\(owner\)<\/small>/);
  const out = await c.post('/admin/logout', {});
  assert.equal(out.status, 303);
  assert.match(out.headers.get('set-cookie'), /Max-Age=0/);
  const after = await c.get('/admin/');
  assert.equal(after.status, 303, 'the old cookie opens nothing after sign-out');
});

test('a site served over https gets Secure cookies', async () => {
  const d = makeSite({ conf: '[site]\nurl = https://news.example' });
  addUser(d, 'sam', 'secure-password-1');
  const s = await startServer(d);
  try {
    const r = await new AdminClient(s.url).login('sam', 'secure-password-1');
    assert.equal(r.status, 303);
    assert.match(r.headers.get('set-cookie'), /; Secure$/);
  } finally {
    await s.stop();
    removeSite(d);
  }
});

test('unknown name and wrong password get the same answer', async () => {
  const a = await new AdminClient(srv.url).login('nobody-here', 'whatever-password');
  const b = await new AdminClient(srv.url).login('edgar', 'wrong-password');
  assert.equal(a.status, 403);
  assert.equal(b.status, 403);
  const msg = (r) => /<p class="alert" role="alert">([^<]*)<\/p>/.exec(r.body)[1];
  assert.equal(msg(a), 'Wrong name, password or code.');
  assert.equal(msg(a), msg(b));
  assert.equal(a.headers.get('set-cookie'), null);
});

test('login is throttled per account name', async () => {
  const c = new AdminClient(srv.url);
  for (let i = 0; i < 5; i++) assert.equal((await c.login('bert', `bad-guess-${i}`)).status, 403);
  const r = await c.login('bert', 'author-password-2');
  assert.equal(r.status, 429, 'even the right password waits once the name is throttled');
  assert.match(r.body, /Too many failed attempts/);
  assert.equal(r.headers.get('set-cookie'), null);
  // Another name from the same address still signs in.
  assert.equal((await new AdminClient(srv.url).login('edgar', 'editor-password-1')).status, 303);
});

test('guesses sent side by side are throttled all the same', async () => {
  addUser(dir, 'carl', 'carl-password-1', 'author');
  const answers = await Promise.all(Array.from({ length: 12 },
    (_, i) => new AdminClient(srv.url).login('carl', `parallel-guess-${i}`)));
  const wrong = answers.filter((r) => r.status === 403).length;
  const held = answers.filter((r) => r.status === 429).length;
  assert.equal(wrong + held, 12);
  assert.ok(wrong <= 5, `at most 5 guesses were tried, not ${wrong}`);
  assert.equal((await new AdminClient(srv.url).login('carl', 'carl-password-1')).status, 429);
});

test('forms without the session CSRF token are refused and change nothing', async () => {
  const c = new AdminClient(srv.url);
  await c.login('olivia', 'owner-password-1');
  const none = await c.post('/admin/posts/new', { title: 'Forged', source: 'x', action: 'publish' }, { csrf: false });
  assert.equal(none.status, 403);
  assert.match(none.body, /CSRF/);
  const wrong = await c.post('/admin/posts/new', { csrf: 'a'.repeat(48), title: 'Forged', source: 'x', action: 'publish' }, { csrf: false });
  assert.equal(wrong.status, 403);
  // A session's token does not work with another session's cookie.
  const other = new AdminClient(srv.url);
  await other.login('edgar', 'editor-password-1');
  const mixed = await c.post('/admin/posts/new', { csrf: other.csrf, title: 'Forged', source: 'x', action: 'publish' }, { csrf: false });
  assert.equal(mixed.status, 403);
  const list = gazette(['-C', dir, 'post', 'list']);
  assert.doesNotMatch(list.stdout, /Forged/);
});

test('authors edit only their own posts and cannot moderate', async () => {
  const ana = new AdminClient(srv.url);
  assert.equal((await ana.login('ana', 'author-password-1')).status, 303);
  const own = await ana.savePost({ title: 'Ana writes about gardens', source: 'Tomatoes and basil.' });
  const ed = new AdminClient(srv.url);
  await ed.login('edgar', 'editor-password-1');
  const theirs = await ed.savePost({ title: 'Edgar on the city budget', source: 'Numbers.' });
  assert.equal((await ana.get(`/admin/posts/${own}`)).status, 200);
  const refused = await ana.get(`/admin/posts/${theirs}`);
  assert.equal(refused.status, 403);
  assert.match(refused.body, /Authors edit only their own posts/);
  const write = await ana.post(`/admin/posts/${theirs}`, { title: 'Taken over', source: 'x', action: 'publish' });
  assert.equal(write.status, 403);
  assert.equal((await ana.get('/admin/comments')).status, 403);
  assert.equal((await ana.get('/admin/stats')).status, 403);
  const list = await ana.get('/admin/posts');
  assert.match(list.body, /Ana writes about gardens/);
  assert.doesNotMatch(list.body, /Edgar on the city budget/);
  // The editor may change the author's post.
  assert.equal((await ed.get(`/admin/posts/${own}`)).status, 200);
});

test('accounts page: the owner adds and deletes; everyone changes their own password', async () => {
  const own = new AdminClient(srv.url);
  await own.login('olivia', 'owner-password-1');
  const add = await own.post('/admin/users', { op: 'add', name: 'nina', role: 'editor', password: 'first-password-1' });
  assert.equal(add.status, 303);
  assert.match(gazette(['-C', dir, 'user', 'list']).stdout, /\tnina\teditor\t/);
  const short = await own.post('/admin/users', { op: 'add', name: 'nino', role: 'editor', password: 'short' });
  assert.equal(short.status, 400);
  assert.match(short.body, /password: at least 8 characters/);
  const self = await own.post('/admin/users', { op: 'delete', name: 'olivia' });
  assert.equal(self.status, 400);

  const nina = new AdminClient(srv.url);
  assert.equal((await nina.login('nina', 'first-password-1')).status, 303);
  const page = await nina.get('/admin/users');
  assert.doesNotMatch(page.body, /olivia/, 'only the owner sees the accounts');
  assert.equal((await nina.post('/admin/users', { op: 'add', name: 'x', role: 'owner', password: 'x-password-1' })).status, 403);
  const wrong = await nina.post('/admin/users', { op: 'passwd', current: 'not-it', password: 'second-password-2' });
  assert.equal(wrong.status, 400);
  assert.equal((await nina.post('/admin/users', { op: 'passwd', current: 'first-password-1', password: 'second-password-2' })).status, 303);
  assert.equal((await new AdminClient(srv.url).login('nina', 'first-password-1')).status, 403);
  assert.equal((await new AdminClient(srv.url).login('nina', 'second-password-2')).status, 303);

  assert.equal((await own.post('/admin/users', { op: 'delete', name: 'nina' })).status, 303);
  assert.equal((await nina.get('/admin/')).status, 303, 'a deleted account\'s session ends');
});

test('TOTP: the code from the URI is required once set up', async () => {
  const r = gazette(['-C', dir, 'user', 'totp', 'edgar']);
  assert.equal(r.status, 0, r.stderr);
  const uri = r.stdout.split('\n')[0];
  assert.match(uri, /^otpauth:\/\/totp\/My%20gazette:edgar\?secret=[A-Z2-7]{32}&issuer=My%20gazette&algorithm=SHA1&digits=6&period=30$/);
  const secret = /secret=([A-Z2-7]+)/.exec(uri)[1];
  assert.equal((await new AdminClient(srv.url).login('edgar', 'editor-password-1')).status, 403);
  assert.equal((await new AdminClient(srv.url).login('edgar', 'editor-password-1', '000000' === totp(secret, NOW) ? '111111' : '000000')).status, 403);
  assert.equal((await new AdminClient(srv.url).login('edgar', 'editor-password-1', totp(secret, NOW))).status, 303);
  assert.equal(gazette(['-C', dir, 'user', 'totp', '--off', 'edgar']).status, 0);
  assert.equal((await new AdminClient(srv.url).login('edgar', 'editor-password-1')).status, 303);
});

test('without the script a suggested label is a submit button that adds it', async () => {
  const c = new AdminClient(srv.url);
  await c.login('olivia', 'owner-password-1');
  const r = await c.post('/admin/posts/new', {
    title: 'Ferries return to Harbour Town', source: 'The Harbour Town ferries are back. Harbour Town is happy.', labels: 'Travel', chip: 'Harbour Town',
  });
  assert.equal(r.status, 200);
  assert.match(r.body, /<input id="labels" name="labels" value="Travel, Harbour Town">/);
  assert.match(r.body, /<button type="submit" name="chip" value="[^"]+" class="chip/);
  assert.match(r.body, /<div class="prose"><p>The Harbour Town ferries are back/);
  assert.doesNotMatch(gazette(['-C', dir, 'post', 'list']).stdout, /Ferries return/, 'a chip saves nothing');
  const csp = r.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self'/);
  const pre = await c.post('/admin/preview', { source: '# Hi *there*' });
  assert.equal(pre.status, 200);
  assert.equal(pre.body, '<h1>Hi <em>there</em></h1>\n');
  const site = await get(srv.url + '/');
  assert.match(site.headers.get('content-security-policy'), /script-src 'none'/, 'readers\' pages keep no scripts');
});

test('changing a slug keeps the old address as a 301', async () => {
  const c = new AdminClient(srv.url);
  await c.login('olivia', 'owner-password-1');
  const id = await c.savePost({ title: 'Harbour reopens', source: 'Ships are back.', slug: 'harbour-reopens' });
  const first = await get(srv.url + '/2026/09/harbour-reopens.html');
  assert.equal(first.status, 200);
  await c.savePost({ title: 'Harbour reopens', source: 'Ships are back.', slug: 'harbour-is-open' }, id);
  const old = await get(srv.url + '/2026/09/harbour-reopens.html');
  assert.equal(old.status, 301);
  assert.equal(old.headers.get('location'), '/2026/09/harbour-is-open.html');
  assert.equal((await get(srv.url + '/2026/09/harbour-is-open.html')).status, 200);
});

test('a scheduled post goes live by time alone, across a restart', async () => {
  const d = makeSite();
  addUser(d, 'olivia', 'owner-password-1');
  let s = await startServer(d, [], { GAZETTE_NOW: String(NOW) });
  try {
    const c = new AdminClient(s.url);
    await c.login('olivia', 'owner-password-1');
    // NOW is 2026-09-21 14:13:20 UTC; schedule for the next morning.
    const past = await c.post('/admin/posts/new', { title: 'Too late', source: 'x', when: '2026-09-20T09:00', action: 'schedule' });
    assert.equal(past.status, 400);
    assert.match(past.body, /pick a time in the future/);
    const id = await c.savePost({ title: 'Morning briefing', source: 'Coffee first.', when: '2026-09-22T08:00', action: 'schedule' });
    const ed = await c.get(`/admin/posts/${id}`);
    assert.match(ed.body, /<span class="badge scheduled">scheduled<\/span>/);
    assert.equal((await get(s.url + '/2026/09/morning-briefing.html')).status, 404);
    assert.doesNotMatch((await get(s.url + '/')).body, /Morning briefing/);
    await s.stop();
    s = await startServer(d, [], { GAZETTE_NOW: String(NOW + 86400) });
    assert.equal((await get(s.url + '/2026/09/morning-briefing.html')).status, 200);
    assert.match((await get(s.url + '/')).body, /Morning briefing/);
  } finally {
    await s.stop();
    removeSite(d);
  }
});

test('moderation: bulk approve, spam with reasons shown, reply; the filter learns', async () => {
  const path = gazette(['-C', dir, 'import', join(fixtures, 'seed', 'en-homoglyph.txt')]).stdout.split('\t')[1];
  const post = async (name, body) => {
    const f = formFields((await get(srv.url + path)).body);
    const r = await postForm(srv.url + '/comment', { ...f, website: '', name, body });
    assert.equal(r.status, 303, r.body);
  };
  await post('Reader One', 'A thoughtful note about the article.');
  await post('Reader Two', 'I agree with the second paragraph.');
  await post('Pills Seller', 'Cheap p\u0456lls at http://a.example http://b.example http://c.example buy now');
  const c = new AdminClient(srv.url);
  await c.login('olivia', 'owner-password-1');
  const queue = await c.get('/admin/comments');
  assert.equal(queue.status, 200);
  const ids = {};
  for (const m of queue.body.matchAll(/name="c(\d+)" value="1">\s*<label for="pick\d+"><strong>([^<]+)</g)) ids[m[2]] = m[1];
  assert.deepEqual(Object.keys(ids).sort(), ['Pills Seller', 'Reader One', 'Reader Two']);
  assert.match(queue.body, /class="reasons"/, 'the scorer\'s reasons are shown');
  const bulk = await c.post('/admin/comments', { status: 'pending', action: 'approve', [`c${ids['Reader One']}`]: '1', [`c${ids['Reader Two']}`]: '1' });
  assert.equal(bulk.status, 303);
  const spam = await c.post('/admin/comments', { status: 'pending', one: `spam:${ids['Pills Seller']}` });
  assert.equal(spam.status, 303);
  const list = gazette(['-C', dir, 'comment', 'list', '--json']).stdout.trim().split('\n').map((l) => JSON.parse(l));
  const status = Object.fromEntries(list.map((x) => [x.name, x.status]));
  assert.equal(status['Reader One'], 'approved');
  assert.equal(status['Reader Two'], 'approved');
  assert.equal(status['Pills Seller'], 'spam');
  const log = gazette(['-C', dir, 'comment', 'log', '--json']).stdout;
  assert.match(log, /"actor":"admin:olivia"/);
  const checked = JSON.parse(gazette(['-C', dir, 'spam', 'check', '--json', 'Cheap p\u0456lls at http://a.example http://b.example http://c.example buy now']).stdout);
  assert.ok(Number(checked.bayes) > 0.5, `the filter learned from the clicks: ${checked.bayes}`);
  const reply = await c.post(`/admin/comments/${ids['Reader One']}`, { body: 'Thank you for reading!' });
  assert.equal(reply.status, 303);
  const page = await get(srv.url + path);
  assert.match(page.body, /Thank you for reading!/);
});

test('the post list filters by title and pages 50 at a time', async () => {
  const c = new AdminClient(srv.url);
  await c.login('olivia', 'owner-password-1');
  for (let i = 1; i <= 52; i++) await c.savePost({ title: `Bulk item ${i}`, source: 'x', action: 'draft' });
  const first = await c.get('/admin/posts?status=draft&q=bulk');
  assert.equal([...first.body.matchAll(/>Bulk item \d+<\/a>/g)].length, 50);
  const next = /<a class="button" href="([^"]+)" rel="next">/.exec(first.body);
  assert.ok(next, 'a link to the older ones');
  const second = await c.get(next[1].replace(/&amp;/g, '&'));
  assert.equal([...second.body.matchAll(/>Bulk item \d+<\/a>/g)].length, 2);
  assert.doesNotMatch(second.body, /rel="next"/);
  assert.match(second.body, /rel="prev"/);
  const none = await c.get('/admin/posts?status=published&q=bulk');
  assert.match(none.body, /No posts match/);
  assert.equal((await c.get('/admin/posts?page=0')).status, 400);
});

test('a page lives at /p/SLUG.html and stays out of the feed', async () => {
  const c = new AdminClient(srv.url);
  await c.login('olivia', 'owner-password-1');
  await c.savePost({ title: 'About this paper', source: 'We report.', is_page: '1' });
  const r = await get(srv.url + '/p/about-this-paper.html');
  assert.equal(r.status, 200);
  assert.match(r.body, /We report\./);
  assert.doesNotMatch((await get(srv.url + '/feeds/posts/default')).body, /About this paper/);
  const list = await c.get('/admin/posts?status=page');
  assert.match(list.body, /About this paper/);
  assert.doesNotMatch(list.body, /Harbour/);
});

test('what readers and authors type is escaped in the admin', async () => {
  const c = new AdminClient(srv.url);
  await c.login('olivia', 'owner-password-1');
  const id = await c.savePost({ title: '<script>alert(1)</script> & co', source: '<img src=x onerror=alert(2)>', labels: '"><b>x</b>' });
  const pages = [await c.get('/admin/posts'), await c.get(`/admin/posts/${id}`), await c.get('/admin/labels'), await c.get('/admin/')];
  for (const p of pages) {
    assert.doesNotMatch(p.body, /<script>alert|<img src=x|<b>x<\/b>/);
  }
  assert.match(pages[0].body, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; co/);
  const path = /<a href="(\/\d{4}\/\d\d\/[^"]+)">View on the site/.exec(pages[1].body)[1];
  const f = formFields((await get(srv.url + path)).body);
  assert.equal((await postForm(srv.url + '/comment', { ...f, website: '', name: '<svg onload=alert(3)>', body: '</textarea><script>alert(4)</script>' })).status, 303);
  const q = await c.get('/admin/comments');
  assert.doesNotMatch(q.body, /<svg onload|<script>alert\(4/);
  assert.match(q.body, /&lt;svg onload=alert\(3\)&gt;/);
});

test('labels: counts, rename and merge', async () => {
  const c = new AdminClient(srv.url);
  await c.login('olivia', 'owner-password-1');
  await c.savePost({ title: 'Rain in the valley', source: 'Wet.', labels: 'Weather, weathr' });
  await c.savePost({ title: 'Sun on the coast', source: 'Dry.', labels: 'Weather' });
  let page = await c.get('/admin/labels');
  assert.match(page.body, /<a href="\/search\/label\/Weather">Weather<\/a><\/td>\s*<td data-label="Posts">2<\/td>/);
  assert.equal((await c.post('/admin/labels', { op: 'merge', from: 'weathr', to: 'Weather' })).status, 303);
  assert.equal((await c.post('/admin/labels', { op: 'rename', from: 'Weather', to: 'Climate' })).status, 303);
  page = await c.get('/admin/labels');
  assert.doesNotMatch(page.body, /weathr/);
  assert.match(page.body, />Climate<\/a><\/td>\s*<td data-label="Posts">2<\/td>/);
  const missing = await c.post('/admin/labels', { op: 'rename', from: 'No such', to: 'X' });
  assert.equal(missing.status, 404);
});

test('stats: views per day without cookies, top posts and searches', async () => {
  const c = new AdminClient(srv.url);
  await c.login('olivia', 'owner-password-1');
  await c.savePost({ title: 'Counted story', source: 'Read me.' });
  for (let i = 0; i < 3; i++) {
    const r = await get(srv.url + '/2026/09/counted-story.html');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('set-cookie'), null, 'no cookie for readers');
  }
  await get(srv.url + '/search?q=Harbour');
  const page = await c.get('/admin/stats');
  assert.equal(page.status, 200);
  assert.match(page.body, /<svg class="chart"[^>]*role="img"/);
  assert.match(page.body, /<a href="\/2026\/09\/counted-story.html">Counted story<\/a> <span>3<\/span>/);
  assert.match(page.body, /<li>harbour <span>1<\/span><\/li>/);
  const top = /<h2>Top posts<\/h2>([\s\S]*?)<\/section>/.exec(page.body)[1];
  assert.doesNotMatch(top, /\/admin|\/static/, 'admin pages and assets are not views');
});

test('the demo site comes with an owner whose password it logs', async () => {
  const port = await new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
  });
  const proc = spawn(bin, ['demo', '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((ok) => proc.on('exit', (code) => ok(code)));
  try {
    let pw = null;
    for (let i = 0; i < 200 && !pw; i++) {
      pw = /sign in at \/admin\/ as demo, password ([0-9a-f]{12})/.exec(err)?.[1];
      if (!pw) await new Promise((ok) => setTimeout(ok, 50));
    }
    assert.ok(pw, err);
    for (let i = 0; i < 100; i++) {
      try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break; } catch { /* not yet */ }
      await new Promise((ok) => setTimeout(ok, 50));
    }
    const c = new AdminClient(`http://127.0.0.1:${port}`);
    assert.equal((await c.login('demo', pw)).status, 303);
    assert.match((await c.get('/admin/posts')).body, /badge published/);
  } finally {
    proc.kill('SIGTERM');
    assert.equal(await exited, 0, err);
  }
});
