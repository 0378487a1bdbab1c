// The comment form, end to end: token, moderation, threads, and every
// way a bad submission is refused with nothing stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  gazette, makeSite, removeSite, startServer, get, postForm, formFields, fixtures,
} from './helpers.mjs';

let dir, srv, path;

function pendingCount() {
  return gazette(['-C', dir, 'comment', 'list']).stdout.trim().split('\n').filter(Boolean).length;
}

before(async () => {
  dir = makeSite({ conf: '[comments]\nmin_seconds = 0\nrate = 0' });
  const imp = gazette(['-C', dir, 'import', join(fixtures, 'seed', 'en-homoglyph.txt')]);
  assert.equal(imp.status, 0, imp.stderr);
  path = imp.stdout.split('\t')[1];
  srv = await startServer(dir);
});

after(async () => {
  await srv.stop();
  removeSite(dir);
});

async function form() {
  const page = await get(srv.url + path);
  assert.equal(page.status, 200);
  return formFields(page.body);
}

test('a first comment is held, then shown once approved', async () => {
  const before = pendingCount();
  const f = await form();
  const r = await postForm(srv.url + '/comment', {
    ...f, name: 'Ada', email: 'ada@example.org', body: 'First!\n\nSee https://example.org/x.', website: '',
  });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/comment\/held\?post=\d+$/);
  const held = await get(srv.url + r.headers.get('location'));
  assert.equal(held.status, 200);
  assert.match(held.body, /held for moderation/i);

  const list = gazette(['-C', dir, 'comment', 'list', '--status', 'pending']);
  assert.equal(list.status, 0);
  const row = list.stdout.trim().split('\n').find((l) => l.includes('\tAda\t'));
  assert.ok(row, list.stdout);
  const [id, status, postId, name, excerpt] = row.split('\t');
  assert.equal(status, 'pending');
  assert.equal(postId, f.post);
  assert.equal(name, 'Ada');
  assert.match(excerpt, /^First! See https:\/\/example.org\/x\.$/);
  assert.equal(pendingCount(), before + 1);

  let page = await get(srv.url + path);
  assert.ok(!page.body.includes(`id="c${id}"`), 'a held comment is not shown');

  assert.equal(gazette(['-C', dir, 'comment', 'approve', id]).status, 0);
  page = await get(srv.url + path);
  assert.ok(page.body.includes(`id="c${id}"`), 'the approved comment is shown');
  assert.ok(page.body.includes('<a href="https://example.org/x" rel="nofollow ugc">https://example.org/x</a>'));
  assert.match(page.body, /<p>First!<\/p>/);

  // The same name and email go straight through now.
  const f2 = await form();
  const r2 = await postForm(srv.url + '/comment', {
    ...f2, name: 'Ada', email: 'ADA@example.org', body: 'Again, <b>with</b> markup.', website: '',
  });
  assert.equal(r2.status, 303);
  const m = /^(\/\d{4}\/\d{2}\/[^#]+)#c(\d+)$/.exec(r2.headers.get('location'));
  assert.ok(m, r2.headers.get('location'));
  assert.equal(m[1], path);
  page = await get(srv.url + path);
  assert.ok(page.body.includes(`id="c${m[2]}"`));
  assert.ok(page.body.includes('Again, &lt;b&gt;with&lt;/b&gt; markup.'), 'comment text is escaped');

  // A reply nests under its parent.
  const f3 = await form();
  const r3 = await postForm(srv.url + '/comment', {
    ...f3, parent: id, name: 'Ada', email: 'ada@example.org', body: 'A reply.', website: '',
  });
  assert.equal(r3.status, 303);
  const replyId = /#c(\d+)$/.exec(r3.headers.get('location'))[1];
  page = await get(srv.url + path);
  const parentAt = page.body.indexOf(`id="c${id}"`);
  const repliesAt = page.body.indexOf('<ol class="replies">', parentAt);
  const replyAt = page.body.indexOf(`id="c${replyId}"`);
  assert.ok(parentAt >= 0 && repliesAt > parentAt && replyAt > repliesAt, 'reply under its parent');

  // The reply link works without JavaScript.
  const rf = await get(srv.url + path + `?reply=${id}`);
  assert.match(rf.body, new RegExp(`name="parent" value="${id}"`));
});

test('spam and delete from the command line', async () => {
  const f = await form();
  const r = await postForm(srv.url + '/comment', { ...f, name: 'Bob', body: 'Buy now', website: '' });
  assert.equal(r.status, 303);
  const row = gazette(['-C', dir, 'comment', 'list', '--json']).stdout.trim().split('\n')
    .map((l) => JSON.parse(l)).find((c) => c.name === 'Bob');
  assert.ok(row);
  assert.equal(row.status, 'pending');
  assert.equal(gazette(['-C', dir, 'comment', 'spam', row.id]).status, 0);
  const spam = gazette(['-C', dir, 'comment', 'list', '--status', 'spam']);
  assert.ok(spam.stdout.includes(`${row.id}\tspam\t`));
  assert.equal(gazette(['-C', dir, 'comment', 'delete', row.id]).status, 0);
  assert.ok(!gazette(['-C', dir, 'comment', 'list']).stdout.includes('\tBob\t'));
  const missing = gazette(['-C', dir, 'comment', 'approve', '999999']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^gazette: comment 999999: no such comment/m);
  assert.equal(gazette(['-C', dir, 'comment', 'approve', 'x']).status, 2);
});

test('bad submissions are refused with a reason and store nothing', async () => {
  const f = await form();
  const good = { ...f, name: 'Eve', email: '', url: '', body: 'Hello', website: '' };
  const cases = [
    ['forged token', { ...good, token: f.token.replace(/.$/, (c) => (c === '0' ? '1' : '0')) }, 403, /not valid/],
    ['token for another post', { ...good, post: String(Number(f.post) + 1) }, 403, /not valid/],
    ['expired token', { ...good, token: '1000.' + f.token.split('.')[1] }, 403, /not valid|expired/],
    ['missing token', { ...good, token: '' }, 400, /token is missing/],
    ['honeypot filled', { ...good, website: 'http://spam.example' }, 400, /website/],
    ['no name', { ...good, name: '  ' }, 400, /name/],
    ['name too long', { ...good, name: 'n'.repeat(81) }, 400, /name/],
    ['empty body', { ...good, body: ' \n ' }, 400, /empty/],
    ['body too long', { ...good, body: 'x'.repeat(9000) }, 400, /longer/],
    ['control character', { ...good, body: 'a\u0001b' }, 400, /control/],
    ['bad web address', { ...good, url: 'javascript:alert(1)' }, 400, /web address/],
    ['bad email', { ...good, email: 'not an email' }, 400, /email/],
    ['no post', { ...good, post: 'abc' }, 400, /post/],
    ['unknown parent', { ...good, parent: '999999' }, 400, /answer/],
  ];
  const before = pendingCount();
  for (const [what, fields, status, reason] of cases) {
    const r = await postForm(srv.url + '/comment', fields);
    assert.equal(r.status, status, what);
    assert.match(r.body, reason, what);
    assert.match(r.headers.get('content-type'), /text\/html/, what);
  }
  assert.equal(pendingCount(), before, 'nothing stored');
});

test('malformed form bodies get a 4xx', async () => {
  const before = pendingCount();
  const raw = async (body, type = 'application/x-www-form-urlencoded') => (await fetch(srv.url + '/comment', {
    method: 'POST', redirect: 'manual', headers: { 'content-type': type }, body,
  })).status;
  assert.equal(await raw('name=%ZZ'), 400);
  assert.equal(await raw('name=%00'), 400);
  assert.equal(await raw('name=%C3%28'), 400);
  assert.equal(await raw('{"name":1}', 'application/json'), 415);
  assert.equal(await raw('body=' + 'x'.repeat(70000)), 413);
  const f = await form();
  assert.equal(await raw(new URLSearchParams({ ...f, name: 'Zed', body: 'x', website: '' })
    .toString() + '&x=%ZZ'), 400, 'a good form with one bad escape');
  assert.equal(pendingCount(), before, 'nothing stored');
});

test('the time trap and the rate limit', async () => {
  const d = makeSite({ conf: '[comments]\nmin_seconds = 3600\nrate = 2\nmoderation = none' });
  const imp = gazette(['-C', d, 'import', join(fixtures, 'seed', 'en-homoglyph.txt')]);
  const p = imp.stdout.split('\t')[1];
  const s = await startServer(d);
  try {
    const before = gazette(['-C', d, 'comment', 'list']).stdout;
    const f = formFields((await get(s.url + p)).body);
    const r = await postForm(s.url + '/comment', { ...f, name: 'Fast', body: 'Too quick', website: '' });
    assert.equal(r.status, 429);
    assert.match(r.body, /too quickly/);
    assert.equal(gazette(['-C', d, 'comment', 'list']).stdout, before, 'nothing stored');
  } finally {
    await s.stop();
    removeSite(d);
  }
  const d2 = makeSite({ conf: '[comments]\nmin_seconds = 0\nrate = 2\nmoderation = none' });
  const imp2 = gazette(['-C', d2, 'import', join(fixtures, 'seed', 'en-homoglyph.txt')]);
  const p2 = imp2.stdout.split('\t')[1];
  const s2 = await startServer(d2);
  try {
    const count = () => gazette(['-C', d2, 'comment', 'list']).stdout.trim().split('\n').length;
    const before = count();
    const f = formFields((await get(s2.url + p2)).body);
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await postForm(s2.url + '/comment', { ...f, name: 'R', body: `n${i}`, website: '' })).status);
    }
    assert.deepEqual(statuses, [303, 303, 429]);
    assert.equal(count(), before + 2);
  } finally {
    await s2.stop();
    removeSite(d2);
  }
});
