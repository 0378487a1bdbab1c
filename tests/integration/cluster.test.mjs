// Two `gazette serve` nodes on one PostgreSQL database, as behind a load
// balancer: a write on one shows on the other at once, a node killed in
// the middle of writes loses nothing it acknowledged, and an outage of
// the database gives 503s that end by themselves when it returns.
// Needs the server that tests/pg starts (tests/run does): without it
// this fails rather than skips, since CI installs PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  gazette, startServer, get, postForm, formFields, fixtures, root,
} from './helpers.mjs';

const base = process.env.GAZETTE_TEST_PG;
const dbname = `gazette_cluster_${process.pid}`;
let top, dirA, dirB, a, b, path, url;

function psql(sql, db = base) {
  const r = spawnSync('psql', ['-qAt', db, '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  return r.stdout.trim();
}

function pgctl(what) {
  const r = spawnSync('sh', [join(root, 'tests', 'pg'), 'ctl', what], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tests/pg ctl ${what}: ${r.stderr}`);
}

// Polls fn (async, true when done) every 10 ms up to ms; returns the
// time it took, or throws.
async function within(ms, what, fn) {
  const t0 = Date.now();
  for (;;) {
    if (await fn()) return Date.now() - t0;
    if (Date.now() - t0 > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((ok) => setTimeout(ok, 10));
  }
}

function node(name) {
  const dir = join(top, name);
  const r = gazette(['init', '--db', url, dir]);
  if (r.status !== 0) throw new Error(`init ${name}: ${r.stderr}`);
  writeFileSync(join(dir, 'gazette.conf'),
    `[site]\ntitle = Cluster\nurl = http://cluster.example\n`
    + `[store]\ndb = ${url}\n`
    + '[comments]\nmoderation = none\nmin_seconds = 0\nrate = 0\n');
  return dir;
}

before(async () => {
  if (!base) throw new Error('GAZETTE_TEST_PG is not set: run through tests/run (tests/pg)');
  psql(`CREATE DATABASE ${dbname}`);
  url = base.replace(/\/[^/?]*\?/, `/${dbname}?`);
  top = mkdtempSync(join(tmpdir(), 'gazette-cluster-'));
  dirA = node('a');
  dirB = node('b');
  // Every node signs comment forms with the same key, as a deployment
  // behind one address must.
  copyFileSync(join(dirA, 'secret.key'), join(dirB, 'secret.key'));
  const imp = gazette(['-C', dirA, 'import', join(fixtures, 'seed', 'en-homoglyph.txt')]);
  assert.equal(imp.status, 0, imp.stderr);
  path = imp.stdout.split('\t')[1];
  a = await startServer(dirA);
  b = await startServer(dirB);
});

after(async () => {
  // A clean stop (exit 0: no leak or sanitizer report) of each node.
  for (const n of [a, b]) {
    if (n && n.proc.exitCode === null && n.proc.signalCode === null) await n.stop();
  }
  if (top) rmSync(top, { recursive: true, force: true });
  if (base) psql(`DROP DATABASE IF EXISTS ${dbname} WITH (FORCE)`);
});

async function comment(node, body) {
  const page = await get(node.url + path);
  assert.equal(page.status, 200);
  const r = await postForm(node.url + '/comment', {
    ...formFields(page.body), name: 'Node reader', email: '', body, website: '',
  });
  assert.equal(r.status, 303, r.body);
  const m = /#c(\d+)$/.exec(r.headers.get('location'));
  assert.ok(m, r.headers.get('location'));
  return m[1];
}

test('a comment posted on node A shows on node B within 500 ms', async () => {
  const id = await comment(a, 'Seen from the other node.');
  const ms = await within(500, 'comment on B', async () => {
    const p = await get(b.url + path);
    return p.status === 200 && p.body.includes(`id="c${id}"`);
  });
  assert.ok(ms <= 500);
  const post = formFields((await get(b.url + path)).body).post;
  const feed = await get(`${b.url}/feeds/${post}/comments/default`);
  assert.equal(feed.status, 200);
  assert.match(feed.body, /Seen from the other node/);
});

test('a post published through node B is on A\'s front page and feed', async () => {
  const file = join(top, 'news.txt');
  writeFileSync(file, '2024-03-02\nHarbour lights relit\n'
    + 'The old lighthouse shines again after forty years.\nKEYWORDS :\nHarbour\n');
  const imp = gazette(['-C', dirB, 'import', file]);
  assert.equal(imp.status, 0, imp.stderr);
  await within(500, 'front page of A', async () => {
    const p = await get(a.url + '/');
    return p.status === 200 && p.body.includes('Harbour lights relit');
  });
  await within(500, 'feed of A', async () => {
    const f = await get(a.url + '/feeds/posts/default');
    return f.status === 200 && f.body.includes('Harbour lights relit');
  });
  const label = await get(a.url + '/search/label/Harbour');
  assert.equal(label.status, 200);
  assert.match(label.body, /Harbour lights relit/);
});

test('node A killed with SIGKILL mid-write: B serves, nothing acknowledged is lost', async () => {
  const acked = [];
  let stop = false;
  const writers = Array.from({ length: 4 }, async (_, w) => {
    for (let i = 0; !stop; i++) {
      try {
        acked.push(await comment(a, `Load ${w}-${i}`));
      } catch { return; } // the node died under us: fine, not acknowledged
    }
  });
  await within(10000, 'acknowledged writes', async () => acked.length >= 20);
  a.proc.kill('SIGKILL');
  stop = true;
  await Promise.all(writers);
  assert.ok(acked.length >= 20);
  const home = await get(b.url + '/');
  assert.equal(home.status, 200);
  const page = await get(b.url + path);
  assert.equal(page.status, 200);
  const missing = acked.filter((id) => !page.body.includes(`id="c${id}"`));
  assert.deepEqual(missing, [], `acknowledged but lost: ${missing.join(' ')}`);
  const n = Number(psql('SELECT count(*) FROM comments', url).split('\n').pop());
  assert.ok(n >= acked.length);
  a = await startServer(dirA);
});

// Nobody can write while the database is down, so a page a node already
// holds in its cache is still exactly right: it keeps being served.
// Anything that needs the database gets a 503 that says why.
test('PostgreSQL stopped: both nodes answer 503 and recover by themselves', async () => {
  for (const n of [a, b])
    await get(n.url + path);
  pgctl('stop');
  try {
    for (const n of [a, b]) {
      const h = await get(n.url + '/healthz');
      assert.equal(h.status, 503);
      // Another query string is another cache entry: a miss.
      const s = await get(n.url + path + '?outage=1');
      assert.equal(s.status, 503);
      assert.match(s.body, /database/i);
      assert.match(s.body, /<html/i);
      const p = await get(n.url + path);
      assert.equal(p.status, 200);
      assert.equal(p.headers.get('x-cache'), 'hit');
    }
  } finally {
    pgctl('start');
  }
  for (const n of [a, b]) {
    await within(10000, 'recovery', async () => (await get(n.url + '/healthz')).status === 200);
    const p = await get(n.url + path);
    assert.equal(p.status, 200);
  }
  // Writes work again too, and reach the other node.
  const id = await comment(b, 'After the outage.');
  await within(500, 'comment after the outage', async () => {
    const p = await get(a.url + path);
    return p.body.includes(`id="c${id}"`);
  });
});
