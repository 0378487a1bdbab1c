// What any client sees of the server: statuses, headers, routing,
// normalization and the limits, on a small site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import {
  gazette, makeSite, removeSite, startServer, get, fixtures,
} from './helpers.mjs';

let dir, srv, path;

before(async () => {
  dir = makeSite({ locale: 'es' });
  const imp = gazette(['-C', dir, 'import', join(fixtures, 'seed', 'es-comments.txt')]);
  assert.equal(imp.status, 0, imp.stderr);
  path = imp.stdout.split('\t')[1];
  srv = await startServer(dir, ['--threads', '2']);
});

after(async () => {
  await srv.stop();
  removeSite(dir);
});

// Sends raw bytes and returns the raw response text.
function raw(bytes) {
  return new Promise((ok, fail) => {
    const s = connect(srv.port, '127.0.0.1');
    let out = '';
    s.on('data', (d) => { out += d; });
    s.on('end', () => ok(out));
    s.on('error', fail);
    s.write(bytes);
    setTimeout(() => s.end(), 500);
  });
}

test('pages have the right headers', async () => {
  const r = await get(srv.url + path);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(r.headers.get('last-modified'), /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  assert.ok(r.headers.get('cache-control'));
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  const h = await get(srv.url + path, { method: 'HEAD' });
  assert.equal(h.status, 200);
  assert.equal(h.body, '');
});

test('unknown paths get a themed 404 in the site language', async () => {
  for (const p of ['/nope', '/2023/09/nope.html', '/2023/13/', '/search/label/Nothing%20Here', '/static/nope.css']) {
    const r = await get(srv.url + p);
    assert.equal(r.status, 404, p);
    assert.match(r.body, /<html lang="es">/, p);
    assert.match(r.body, /<h1>[^<]+<\/h1>/, p);
  }
});

test('an unknown method gets 405 with Allow', async () => {
  let r = await get(srv.url + '/', { method: 'DELETE' });
  assert.equal(r.status, 405);
  assert.equal(r.headers.get('allow'), 'GET, HEAD');
  r = await get(srv.url + '/comment');
  assert.equal(r.status, 405);
  assert.equal(r.headers.get('allow'), 'POST');
  r = await get(srv.url + '/', { method: 'POST' });
  assert.equal(r.status, 405);
});

test('bad parameters get a 400 that says why', async () => {
  for (const [p, why] of [
    ['/?page=0', /page/], ['/?page=abc', /page/], ['/?page=100001', /page/],
    ['/?x=%ZZ', /escape/], ['/?x=%00', /NUL/], ['/%E0%A4', /UTF-8/], [path + '?reply=x', /reply/],
  ]) {
    const r = await get(srv.url + p);
    assert.equal(r.status, 400, p);
    assert.match(r.body, why, p);
  }
});

test('paths are normalized before routing', async () => {
  let r = await get(srv.url + '/static/../static/./style.css');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/css/);
  r = await get(srv.url + '//2023//');
  assert.equal(r.status, 200);
  for (const p of ['/static/%2e%2e/gazette.conf', '/static/..%2Fgazette.db', '/static/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd']) {
    r = await get(srv.url + p);
    assert.equal(r.status, 404, p);
    assert.ok(!r.body.includes('[site]'), p);
  }
  const t = await raw('GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.ok(!t.includes('root:'), 'nothing outside the site');
});

test('pagination and archives', async () => {
  const r = await get(srv.url + '/?page=2');
  assert.equal(r.status, 404, 'past the last page');
  assert.equal((await get(srv.url + '/2023/')).status, 200);
  assert.equal((await get(srv.url + '/1999/')).status, 200);
});

test('healthz and static files', async () => {
  const r = await get(srv.url + '/healthz');
  assert.equal(r.status, 200);
  assert.equal(r.body, 'ok\n');
  const css = await get(srv.url + '/static/style.css');
  assert.equal(css.status, 200);
  assert.match(css.body, /font-family/);
});

test('oversized requests are refused', async () => {
  const longUrl = await get(srv.url + '/' + 'a'.repeat(5000));
  assert.ok([400, 414].includes(longUrl.status), String(longUrl.status));
  const big = await raw(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(40000)}\r\nConnection: close\r\n\r\n`);
  assert.match(big, /^HTTP\/1\.1 4\d\d/);
  const trunc = await raw('POST /comment HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
    'Content-Length: 100\r\nConnection: close\r\n\r\nname=a');
  assert.ok(!/^HTTP\/1\.1 [23]/.test(trunc), 'a short body is not accepted');
});

test('keep-alive: several requests on one connection', async () => {
  const out = await raw('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(out.match(/HTTP\/1\.1 200/g).length, 2);
});

test('a write from the command line shows at once', async () => {
  const before = await get(srv.url + '/');
  assert.ok(before.body.includes(path));
  const del = gazette(['-C', dir, 'post', 'delete', path]);
  assert.equal(del.status, 0, del.stderr);
  assert.equal((await get(srv.url + path)).status, 404);
  assert.ok(!(await get(srv.url + '/')).body.includes(path));
  const imp = gazette(['-C', dir, 'import', join(fixtures, 'seed', 'es-comments.txt')]);
  assert.equal(imp.status, 0);
  assert.equal((await get(srv.url + path)).status, 200);
});
