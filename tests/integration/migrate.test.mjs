// gazette migrate: a site moves from SQLite to PostgreSQL and back with
// everything a reader or moderator sees unchanged, ids included, and the
// admin's accounts (passwords, TOTP), API tokens and authors working on
// the other side; a target that holds anything is refused.  Needs
// tests/pg's server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { gazette, makeSite, removeSite, startServer, get, fixtures, haveSeed, seedFile } from './helpers.mjs';
import { addUser, AdminClient, totp } from './admin-helpers.mjs';
import { psql, createDatabase, dropDatabase } from './pg-helpers.mjs';

const dbname = `gazette_migrate_${process.pid}`;
const NOW = 1790000000; // the servers' clock, for the TOTP codes
let dir, url, token, secret, draft;

// Serves the site from store db for the duration of fn(srv).
async function serving(db, fn) {
  const srv = await startServer(dir, ['--db', db], { GAZETTE_NOW: String(NOW) });
  try {
    await fn(srv);
  } finally {
    await srv.stop();
  }
}

// The token reads the owner's draft through the API (nobody else can).
async function apiDraft(srv, auth) {
  const headers = auth ? { authorization: `Bearer ${auth}` } : {};
  return (await get(`${srv.url}/api/v1/posts/${draft}`, { headers })).status;
}

// What the admin's people can do on the site in store db.
async function adminWorks(db) {
  await serving(db, async (srv) => {
    const olivia = new AdminClient(srv.url);
    assert.equal((await olivia.login('olivia', 'owner-password-1')).status, 303);
    assert.equal((await new AdminClient(srv.url).login('olivia', 'wrong-password')).status, 403);
    assert.equal(await apiDraft(srv, token), 200);
    assert.equal(await apiDraft(srv, 'gz_' + '0'.repeat(64)), 401);
    assert.equal(await apiDraft(srv, null), 404);
    // The TOTP secret came along: no sign-in without its code.
    assert.equal((await new AdminClient(srv.url).login('edgar', 'editor-password-1')).status, 403);
    assert.equal((await new AdminClient(srv.url).login('edgar', 'editor-password-1',
      totp(secret, NOW))).status, 303);
    // So did who wrote what: an author may open her own post only.
    const ana = new AdminClient(srv.url);
    assert.equal((await ana.login('ana', 'author-password-1')).status, 303);
    assert.equal((await ana.get(`/admin/posts/${draft + 1}`)).status, 200);
    assert.equal((await ana.get(`/admin/posts/${draft}`)).status, 403);
  });
}

// What a reader and a moderator see of the site in store db.
function view(db) {
  const run = (args) => {
    const r = gazette(['-C', dir, '--db', db, ...args]);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  return {
    posts: run(['post', 'list', '--status', 'all']),
    comments: run(['comment', 'list', '--status', 'all']),
    labels: run(['labels', 'list']),
    log: run(['comment', 'log']),
    spam: run(['spam', 'check', 'cheap pills buy now cheap pills']),
    keywords: run(['keywords', 'suggest', '1']),
  };
}

before(async () => {
  url = createDatabase(dbname);
  dir = makeSite();
  const files = [join(fixtures, 'wxr', 'site.xml'), join(fixtures, 'seed', 'es-comments.txt'),
    join(fixtures, 'seed', 'ru.txt')];
  if (haveSeed) files.push(seedFile);
  for (const f of files) {
    const r = gazette(['-C', dir, 'import', f]);
    assert.equal(r.status, 0, r.stderr);
  }
  // Moderation leaves a log and teaches the spam filter.
  const ids = gazette(['-C', dir, 'comment', 'list', '--status', 'all']).stdout
    .trim().split('\n').map((l) => l.split('\t')[0]);
  assert.ok(ids.length >= 2, 'the fixtures have comments');
  assert.equal(gazette(['-C', dir, 'comment', 'spam', ids[0]]).status, 0);
  assert.equal(gazette(['-C', dir, 'comment', 'approve', ids[1]]).status, 0);
  // The admin's: accounts, a TOTP secret, a token, posts with authors,
  // and a page view counted.
  addUser(dir, 'olivia', 'owner-password-1', 'owner');
  addUser(dir, 'edgar', 'editor-password-1', 'editor');
  addUser(dir, 'ana', 'author-password-1', 'author');
  const t = gazette(['-C', dir, 'user', 'totp', 'edgar']);
  assert.equal(t.status, 0, t.stderr);
  secret = /secret=([A-Z2-7]+)/.exec(t.stdout)[1];
  await serving(`sqlite:${join(dir, 'gazette.db')}`, async (srv) => {
    const olivia = new AdminClient(srv.url);
    assert.equal((await olivia.login('olivia', 'owner-password-1')).status, 303);
    draft = await olivia.savePost({ title: 'Owner draft', source: 'Not out yet.', action: 'draft' });
    const r = await olivia.post('/admin/tokens', { op: 'create', name: 'script' });
    assert.equal(r.status, 200, r.body);
    token = /<code class="token" id="new-token">(gz_[0-9a-f]{64})<\/code>/.exec(r.body)[1];
    const ana = new AdminClient(srv.url);
    assert.equal((await ana.login('ana', 'author-password-1')).status, 303);
    assert.equal(await ana.savePost({ title: 'Ana on gardens', source: 'Basil.' }), draft + 1);
    assert.equal((await get(srv.url + '/')).status, 200);
  });
  await adminWorks(`sqlite:${join(dir, 'gazette.db')}`);
});

after(() => {
  if (dir) removeSite(dir);
  dropDatabase(dbname);
});

test('SQLite to PostgreSQL and back: the same site, counts checked', async () => {
  const sqlite = `sqlite:${join(dir, 'gazette.db')}`;
  const back = `sqlite:${join(dir, 'back.db')}`;
  const v1 = view(sqlite);

  const to = gazette(['migrate', '--from', sqlite, '--to', url]);
  assert.equal(to.status, 0, to.stderr);
  for (const t of ['posts', 'labels', 'post_labels', 'comments', 'moderation_log',
    'spam_terms', 'spam_totals', 'redirects', 'users', 'api_tokens', 'post_authors',
    'stats_daily']) {
    const m = new RegExp(`^${t}\\t(\\d+)\\t(\\d+)$`, 'm').exec(to.stdout);
    assert.ok(m, `${t} in ${to.stdout}`);
    assert.equal(m[1], m[2]);
  }
  assert.match(to.stdout, /^comments\t[1-9]/m);
  assert.match(to.stdout, /^redirects\t[1-9]/m);
  assert.match(to.stdout, /^users\t3\t3$/m);
  assert.match(to.stdout, /^api_tokens\t1\t1$/m);
  assert.match(to.stdout, /^post_authors\t2\t2$/m);
  assert.match(to.stdout, /^stats_daily\t[1-9]/m);
  assert.doesNotMatch(to.stdout, /^sessions/m);
  assert.deepEqual(view(url), v1);
  await adminWorks(url);

  const fro = gazette(['migrate', '--from', url, '--to', back]);
  assert.equal(fro.status, 0, fro.stderr);
  assert.deepEqual(view(back), v1);
  await adminWorks(back);
  // New rows after the move take new ids, not old ones.
  const added = gazette(['-C', dir, '--db', url, 'import', join(fixtures, 'seed', 'ko.txt')]);
  assert.equal(added.status, 0, added.stderr);
  const ids = gazette(['-C', dir, '--db', url, 'post', 'list', '--status', 'all']).stdout
    .trim().split('\n').map((l) => Number(l.split('\t')[0]));
  assert.equal(new Set(ids).size, ids.length);
  for (const db of [url, back]) {
    const zoe = gazette(['-C', dir, '--db', db, 'user', 'add', 'zoe'], { input: 'zoe-password-1\n' });
    assert.equal(zoe.status, 0, zoe.stderr);
    const users = gazette(['-C', dir, '--db', db, 'user', 'list']).stdout
      .trim().split('\n').map((l) => Number(l.split('\t')[0]));
    assert.equal(users.length, 4);
    assert.equal(new Set(users).size, 4);
  }
});

test('a target that holds a site is refused, and left as it was', () => {
  const sqlite = `sqlite:${join(dir, 'gazette.db')}`;
  const before = psql('SELECT count(*) FROM posts', url);
  const r = gazette(['migrate', '--from', sqlite, '--to', url]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not empty/);
  assert.equal(psql('SELECT count(*) FROM posts', url), before);
  const u = gazette(['migrate', '--from', sqlite]);
  assert.equal(u.status, 2);
});
