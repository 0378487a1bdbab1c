// A site's own templates replace the built-in ones; a broken one stops
// the server at start with the file and line, never a broken page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  gazette, makeSite, removeSite, startServer, get, postForm, formFields, fixtures,
} from './helpers.mjs';

test('a template in DIR/templates overrides the built-in one', async () => {
  const dir = makeSite();
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'templates', 'error.mustache'),
    '<h1 class="mine">{{title}}</h1>\n<p>{{message}}</p>\n');
  const srv = await startServer(dir);
  try {
    const r = await get(srv.url + '/no/such/page');
    assert.equal(r.status, 404);
    assert.match(r.body, /<h1 class="mine">Page not found<\/h1>/);
    assert.match(r.body, /<html lang="en">/, 'still inside the built-in layout');
  } finally {
    await srv.stop();
    removeSite(dir);
  }
});

test('a broken template is refused at start with its line', () => {
  const dir = makeSite();
  try {
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'templates', 'post.mustache'), '<p>ok</p>\n{{#post}}\nno end\n');
    const r = gazette(['-C', dir, 'serve', '--listen', '127.0.0.1:1']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /templates\/post\.mustache: line \d+: /);
  } finally {
    removeSite(dir);
  }
});

test('a form token expires', async () => {
  const dir = makeSite({ conf: '[comments]\nmin_seconds = 0' });
  const imp = gazette(['-C', dir, 'import', join(fixtures, 'seed', 'en-homoglyph.txt')]);
  const path = imp.stdout.split('\t')[1];
  const t0 = 1900000000;
  let srv = await startServer(dir, [], { GAZETTE_NOW: String(t0) });
  let f;
  try {
    f = formFields((await get(srv.url + path)).body);
    assert.match(f.token, new RegExp(`^${t0}\\.`));
  } finally {
    await srv.stop();
  }
  srv = await startServer(dir, [], { GAZETTE_NOW: String(t0 + 3 * 24 * 3600) });
  try {
    const r = await postForm(srv.url + '/comment', { ...f, name: 'Late', body: 'Hello', website: '' });
    assert.equal(r.status, 403);
    assert.match(r.body, /expired/);
  } finally {
    await srv.stop();
    removeSite(dir);
  }
});
