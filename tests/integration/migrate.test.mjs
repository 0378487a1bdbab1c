// gazette migrate: a site moves from SQLite to PostgreSQL and back with
// everything a reader or moderator sees unchanged, ids included; a
// target that holds anything is refused.  Needs tests/pg's server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gazette, makeSite, removeSite, fixtures, haveSeed, seedFile } from './helpers.mjs';

const base = process.env.GAZETTE_TEST_PG;
const dbname = `gazette_migrate_${process.pid}`;
let dir, url;

function psql(sql, db = base) {
  const r = spawnSync('psql', ['-qAt', db, '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  return r.stdout.trim();
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

before(() => {
  if (!base) throw new Error('GAZETTE_TEST_PG is not set: run through tests/run (tests/pg)');
  psql(`CREATE DATABASE ${dbname}`);
  url = base.replace(/\/[^/?]*\?/, `/${dbname}?`);
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
});

after(() => {
  if (dir) removeSite(dir);
  if (base) psql(`DROP DATABASE IF EXISTS ${dbname} WITH (FORCE)`);
});

test('SQLite to PostgreSQL and back: the same site, counts checked', () => {
  const sqlite = `sqlite:${join(dir, 'gazette.db')}`;
  const back = `sqlite:${join(dir, 'back.db')}`;
  const v1 = view(sqlite);

  const to = gazette(['migrate', '--from', sqlite, '--to', url]);
  assert.equal(to.status, 0, to.stderr);
  for (const t of ['posts', 'labels', 'post_labels', 'comments', 'moderation_log',
    'spam_terms', 'spam_totals', 'redirects']) {
    const m = new RegExp(`^${t}\\t(\\d+)\\t(\\d+)$`, 'm').exec(to.stdout);
    assert.ok(m, `${t} in ${to.stdout}`);
    assert.equal(m[1], m[2]);
  }
  assert.match(to.stdout, /^comments\t[1-9]/m);
  assert.match(to.stdout, /^redirects\t[1-9]/m);
  assert.deepEqual(view(url), v1);

  const fro = gazette(['migrate', '--from', url, '--to', back]);
  assert.equal(fro.status, 0, fro.stderr);
  assert.deepEqual(view(back), v1);
  // New rows after the move take new ids, not old ones.
  const added = gazette(['-C', dir, '--db', url, 'import', join(fixtures, 'seed', 'ko.txt')]);
  assert.equal(added.status, 0, added.stderr);
  const ids = gazette(['-C', dir, '--db', url, 'post', 'list', '--status', 'all']).stdout
    .trim().split('\n').map((l) => Number(l.split('\t')[0]));
  assert.equal(new Set(ids).size, ids.length);
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
