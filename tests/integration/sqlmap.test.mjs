// Database injection, tried from outside: Debian's sqlmap, in batch mode
// with a bounded level and time, against the three places a reader's
// text reaches a query (the search box, the label URL and the comment
// form), on a server bound to 127.0.0.1.  Every parameter must come out
// "not injectable".  The comment form is attacked with a valid token, so
// sqlmap's requests reach the store and are written (many comments).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  gazette, makeSite, removeSite, startServer, get, formFields,
} from './helpers.mjs';

// The status of a GET on a connection of its own.
function statusFresh(url) {
  return new Promise((ok, fail) => {
    httpGet(url, { agent: false }, (r) => { r.resume(); ok(r.statusCode); }).on('error', fail);
  });
}

const haveSqlmap = spawnSync('sqlmap', ['--version'], { encoding: 'utf8' }).status === 0;

// Runs sqlmap; returns its output, after checking it tested and found nothing.
function sqlmap(out, args, params) {
  const r = spawnSync('sqlmap', ['--batch', '--level', '2', '--risk', '1',
    '--technique', 'BEUST', '--time-sec', '1', '--timeout', '5', '--retries', '0',
    '--disable-coloring', '--flush-session', '--output-dir', out,
    '--answers', 'follow=Y', ...args],
  { encoding: 'utf8', timeout: 120000, env: { ...process.env, HOME: out } });
  const text = r.stdout + r.stderr;
  assert.equal(r.error, undefined, String(r.error));
  assert.doesNotMatch(text, /identified the following injection point|is vulnerable|appears to be .* injectable/i, text);
  assert.doesNotMatch(text, /CRITICAL/, text);
  for (const p of params) {
    assert.match(text, new RegExp(`parameter '${p.replace(/[*#]/g, '\\$&')}' does not seem to be injectable`), text);
  }
  assert.match(text, /all tested parameters do not appear to be injectable/);
  return text;
}

test('sqlmap finds no injection in search, labels or the comment form', { skip: !haveSqlmap, timeout: 300000 }, async () => {
  const dir = makeSite({ conf: '[comments]\nmin_seconds = 0\nrate = 0\nmoderation = none' });
  const tmp = mkdtempSync(join(tmpdir(), 'gazette-sqlmap-'));
  const srv = { stop: async () => {} };
  try {
    const file = join(tmp, 'ships.txt');
    writeFileSync(file, '2024-01-02\nA post about ships\nShips sail at dawn.\nLabels:\nsea\nharbour night\n');
    const imp = gazette(['-C', dir, 'import', file]);
    assert.equal(imp.status, 0, imp.stderr);
    const path = imp.stdout.split('\t')[1];
    Object.assign(srv, await startServer(dir));
    const f = formFields((await get(srv.url + path)).body);

    sqlmap(tmp, ['-u', `${srv.url}/search?q=ships`, '-p', 'q'], ['q']);
    sqlmap(tmp, ['-u', `${srv.url}/search/label/sea*`], ['#1*']);
    const before = gazette(['-C', dir, 'comment', 'list']).stdout.split('\n').length;
    sqlmap(tmp, ['-u', `${srv.url}/comment`, '--data',
      `post=${f.post}&name=Ann&email=a%40example.org&url=http%3A%2F%2Fexample.org` +
      `&body=Nice+ships&token=${encodeURIComponent(f.token)}&website=`,
    '-p', 'post,name,email,url,body'], ['post', 'name', 'email', 'url', 'body']);
    // The attack went through the form to the store.
    const after = gazette(['-C', dir, 'comment', 'list']).stdout.split('\n').length;
    assert.ok(after > before + 50, `comments stored: ${before} -> ${after}`);
    // And the site still answers as before (on new connections: the
    // ones fetch pooled may have timed out during the attack).
    assert.equal(await statusFresh(srv.url + '/search?q=ships'), 200);
    assert.equal(await statusFresh(srv.url + path), 200);
  } finally {
    await srv.stop();
    removeSite(dir);
    rmSync(tmp, { recursive: true, force: true });
  }
});
