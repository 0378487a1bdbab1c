// Comments that stay clean: nested threads, the scorer's verdicts with
// their reasons, closed posts, comment feeds, and no acknowledged comment
// lost when the server is killed mid-burst.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  gazette, makeSite, removeSite, startServer, get, postForm, formFields, fixtures, root,
} from './helpers.mjs';

function importFixture(dir, name) {
  const r = gazette(['-C', dir, 'import', join(fixtures, 'seed', name)]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\t')[1];
}

async function comment(srv, path, fields) {
  const f = formFields((await get(srv.url + path)).body);
  return postForm(srv.url + '/comment', { ...f, website: '', ...fields });
}

function listJson(dir) {
  return gazette(['-C', dir, 'comment', 'list', '--json']).stdout.trim().split('\n')
    .filter(Boolean).map((l) => JSON.parse(l));
}

test('a reply thread three deep renders nested and valid', async () => {
  const dir = makeSite({ conf: '[comments]\nmin_seconds = 0\nrate = 0\nmoderation = none\ndepth = 3' });
  const path = importFixture(dir, 'en-homoglyph.txt');
  const srv = await startServer(dir);
  try {
    const ids = [];
    let parent = '';
    for (const body of ['Level one.', 'Level two.', 'Level three.', 'Level four, shown at three.']) {
      const r = await comment(srv, path, { name: 'Nia', body, parent });
      assert.equal(r.status, 303, body);
      const id = /#c(\d+)$/.exec(r.headers.get('location'))[1];
      ids.push(id);
      parent = id;
    }
    const html = (await get(srv.url + path)).body;
    const at = ids.map((id) => html.indexOf(`id="c${id}"`));
    assert.ok(at.every((x) => x > 0) && at[0] < at[1] && at[1] < at[2] && at[2] < at[3]);
    // Depth 3: the fourth sits beside the third, inside the second's replies.
    const between = (a, b) => html.slice(at[a], at[b]).split('<ol class="replies">').length - 1;
    assert.equal(between(0, 1), 1);
    assert.equal(between(1, 2), 1);
    assert.equal(between(2, 3), 0, 'the fourth reply is not nested deeper than three');
    const vnu = join(root, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
    const tmp = mkdtempSync(join(tmpdir(), 'gazette-thread-'));
    writeFileSync(join(tmp, 'thread.html'), html);
    const v = spawnSync('java', ['-jar', vnu, '--errors-only', join(tmp, 'thread.html')], { encoding: 'utf8' });
    rmSync(tmp, { recursive: true, force: true });
    assert.equal(v.status, 0, v.stderr);
    assert.ok(existsSync(vnu));
  } finally {
    await srv.stop();
    removeSite(dir);
  }
});

test('spam is held or filed with its reasons, an ordinary Russian comment passes', async () => {
  const dir = makeSite({ conf: '[comments]\nmin_seconds = 0\nrate = 0\nmoderation = none\n[spam]\nblocklist = casino' });
  const path = importFixture(dir, 'ru.txt');
  const srv = await startServer(dir);
  try {
    const ru = await comment(srv, path, {
      name: 'Ирина', body: 'Спасибо за новость! Обязательно придём на набережную в субботу вместе с детьми.',
    });
    assert.equal(ru.status, 303);
    assert.match(ru.headers.get('location'), /#c\d+$/, 'the Russian comment is published');

    const links = await comment(srv, path, {
      name: 'Best Deals', url: 'http://cheap.example',
      body: 'Great post! http://a.example/1 http://b.example/2 http://c.example/3 http://d.example/4',
    });
    assert.equal(links.status, 303);
    assert.match(links.headers.get('location'), /^\/comment\/held/);

    const mixed = await comment(srv, path, {
      name: 'Promo', body: 'Cheap v\u0456agra and c\u0430sino bonus, best l\u043eans today',
    });
    assert.equal(mixed.status, 303);
    assert.match(mixed.headers.get('location'), /^\/comment\/held/);

    const rows = listJson(dir);
    const byName = (n) => rows.find((c) => c.name === n);
    assert.equal(byName('Ирина').status, 'approved');
    assert.notEqual(byName('Best Deals').status, 'approved');
    assert.match(byName('Best Deals').reasons, /link/);
    assert.notEqual(byName('Promo').status, 'approved');
    assert.match(byName('Promo').reasons, /mix/);
    const log = gazette(['-C', dir, 'comment', 'log']);
    assert.equal(log.status, 0, log.stderr);
    assert.match(log.stdout, /\t(hold|reject)\tscorer\t/);
    assert.match(log.stdout, /\tpass\tscorer\t/);

    const page = (await get(srv.url + path)).body;
    assert.ok(page.includes('Ирина'));
    assert.ok(!page.includes('Best Deals') && !page.includes('Promo'), 'held comments are not shown');
  } finally {
    await srv.stop();
    removeSite(dir);
  }
});

test('comment feeds: a post\'s approved comments, the owner\'s queue', async () => {
  const dir = makeSite({ conf: '[comments]\nmin_seconds = 0\nrate = 0\nmoderation = all' });
  const path = importFixture(dir, 'es-comments.txt');
  const srv = await startServer(dir);
  try {
    const r = await comment(srv, path, { name: 'Queued <x>', body: 'Waiting for approval & more' });
    assert.equal(r.status, 303);
    const id = /post=(\d+)/.exec(r.headers.get('location'))[1];
    const feed = await get(`${srv.url}/feeds/${id}/comments/default`);
    assert.equal(feed.status, 200);
    assert.match(feed.headers.get('content-type'), /^application\/atom\+xml/);
    assert.match(feed.body, /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    assert.ok(feed.body.split('<entry>').length - 1 >= 2, 'the imported comments are there');
    assert.ok(!feed.body.includes('Waiting for approval'), 'held ones are not');
    const page = (await get(srv.url + path)).body;
    assert.match(page, new RegExp(`<link rel="alternate" type="application/atom\\+xml" href="/feeds/${id}/comments/default">`));

    const queue = /moderation queue feed: \S+?(\/feeds\/moderation\/[0-9a-f]+)/.exec(srv.stderr());
    assert.ok(queue, srv.stderr());
    const q = await get(srv.url + queue[1]);
    assert.equal(q.status, 200);
    assert.ok(q.body.includes('Queued &lt;x&gt;'), 'names are escaped');
    assert.ok(q.body.includes('Waiting for approval &amp;amp; more'));
    assert.equal((await get(srv.url + '/feeds/moderation/' + '0'.repeat(32))).status, 404);
    assert.equal((await get(srv.url + '/feeds/99999/comments/default')).status, 404);
  } finally {
    await srv.stop();
    removeSite(dir);
  }
});

test('a post with comments closed shows no form and takes none', async () => {
  const dir = makeSite({ conf: '[comments]\nmin_seconds = 0\nrate = 0\nmoderation = none' });
  const path = importFixture(dir, 'en-homoglyph.txt');
  const srv = await startServer(dir);
  try {
    const f = formFields((await get(srv.url + path)).body);
    const r = gazette(['-C', dir, 'post', 'comments', path, 'closed']);
    assert.equal(r.status, 0, r.stderr);
    const page = (await get(srv.url + path)).body;
    assert.ok(!page.includes('<form id="comment-form"'));
    assert.match(page, /class="comments-closed"/);
    const p = await postForm(srv.url + '/comment', { ...f, name: 'Late', body: 'Too late', website: '' });
    assert.equal(p.status, 403);
    assert.match(p.body, /closed/);
  } finally {
    await srv.stop();
    removeSite(dir);
  }
});

test('SIGKILL in a burst of comments loses no acknowledged one', async () => {
  const dir = makeSite({ conf: '[comments]\nmin_seconds = 0\nrate = 0\nmoderation = none' });
  const path = importFixture(dir, 'en-homoglyph.txt');
  let srv = await startServer(dir, ['--threads', '4']);
  const acked = new Set();
  try {
    const f = formFields((await get(srv.url + path)).body);
    const send = async (i) => {
      try {
        const r = await postForm(srv.url + '/comment', { ...f, name: `Burst ${i}`, body: `Burst comment ${i}`, website: '' });
        const m = r.status === 303 && /#c(\d+)$/.exec(r.headers.get('location') || '');
        if (m) acked.add(m[1]);
      } catch { /* the server died under it: not acknowledged */ }
    };
    const all = [];
    for (let i = 0; i < 120; i++) {
      all.push(send(i));
      // Kill once the burst has some acknowledged (a slow server, such
      // as one under valgrind, may have none 5 ms in).
      if (i === 60) {
        const kill = () => (acked.size > 0 ? srv.proc.kill('SIGKILL') : setTimeout(kill, 2));
        setTimeout(kill, 5);
      }
      if (i % 10 === 9) await new Promise((ok) => setTimeout(ok, 2));
    }
    await Promise.all(all);
    assert.ok(acked.size > 0, 'some comments were acknowledged before the kill');
  } finally {
    srv.proc.kill('SIGKILL');
  }
  srv = await startServer(dir);
  try {
    const ids = new Set(listJson(dir).map((c) => c.id));
    for (const id of acked) assert.ok(ids.has(id), `acknowledged comment ${id} is there`);
    const page = (await get(srv.url + path)).body;
    for (const id of acked) assert.ok(page.includes(`id="c${id}"`));
  } finally {
    await srv.stop();
    removeSite(dir);
  }
});
