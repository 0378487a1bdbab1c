// Observability: /metrics in the Prometheus text format counts what the
// server sent (by route and status, cache hits and misses, latency,
// comment outcomes), and the access log has one combined-format line per
// response, to a file or to stderr.  Also the [cache] and access_log keys.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import {
  gazette, makeSite, removeSite, startServer, get, postForm, formFields,
} from './helpers.mjs';

let dir, srv, log, path;

before(async () => {
  dir = makeSite({ conf: '[comments]\nmoderation = none\nmin_seconds = 0\nrate = 0' });
  log = join(dirname(dir), 'access.log');
  // The [server] section is already in the file: append keys to it.
  const conf = join(dir, 'gazette.conf');
  writeFileSync(conf, readFileSync(conf, 'utf8').replace('[server]\n',
    `[server]\naccess_log = ${log}\n`) + '\n[cache]\nsize = 8M\n');
  const f = join(dirname(dir), 'post.txt');
  writeFileSync(f, '2024-02-03\nTram line opens\nThe first tram ran at six.\nKEYWORDS :\nTransport\n');
  const r = gazette(['-C', dir, 'import', f]);
  assert.equal(r.status, 0, r.stderr);
  path = r.stdout.split('\t')[1];
  srv = await startServer(dir);
});

after(async () => {
  await srv.stop();
  removeSite(dir);
});

// The samples of a Prometheus text page: "name{labels}" -> value.
function samples(text) {
  const m = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    assert.ok(i > 0, `bad sample line: ${line}`);
    const v = Number(line.slice(i + 1));
    assert.ok(Number.isFinite(v), `bad value: ${line}`);
    m.set(line.slice(0, i), v);
  }
  return m;
}

test('/metrics counts requests, cache use, latency and comments', async () => {
  const before = samples((await get(srv.url + '/metrics')).body);
  const page = await get(srv.url + path);	// a miss
  await get(srv.url + path);	// a hit
  await get(srv.url + path);	// a hit
  await get(srv.url + '/no/such/page');
  const f = formFields(page.body);
  const c = await postForm(srv.url + '/comment', { ...f, name: 'Ana', body: 'Nice.', website: '' });
  assert.equal(c.status, 303);
  const bad = await postForm(srv.url + '/comment', { ...f, name: '', body: '', website: '' });
  assert.equal(bad.status, 400);

  const r = await get(srv.url + '/metrics');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  assert.equal(r.headers.get('x-cache'), null, '/metrics is never cached');
  assert.match(r.body, /^# TYPE gazette_http_requests_total counter$/m);
  assert.match(r.body, /^# TYPE gazette_http_request_duration_seconds histogram$/m);
  const s = samples(r.body);
  const d = (k) => (s.get(k) ?? 0) - (before.get(k) ?? 0);
  assert.equal(d('gazette_http_requests_total{route="post",status="200"}'), 3);
  assert.equal(d('gazette_http_requests_total{route="none",status="404"}'), 1);
  assert.equal(d('gazette_http_requests_total{route="comment",status="303"}'), 1);
  assert.equal(d('gazette_http_requests_total{route="comment",status="400"}'), 1);
  assert.ok(d('gazette_cache_hits_total') >= 2);
  assert.ok(d('gazette_cache_misses_total') >= 1);
  assert.equal(d('gazette_comments_total{outcome="published"}'), 1);
  assert.equal(d('gazette_comments_total{outcome="refused"}'), 1);
  assert.equal(s.get('gazette_cache_budget_bytes'), 8 * 1024 * 1024);
  // The comment dropped the post's page (and the lists showing it).
  assert.ok(d('gazette_cache_invalidations_total') >= 1);
  assert.ok(s.has('gazette_cache_entries'));
  assert.ok(s.has('gazette_cache_bytes'));
  assert.ok(s.has('gazette_cache_evictions_total'));
  assert.ok(s.has('gazette_store_errors_total'));
  // The histogram is cumulative and ends with every request.
  const buckets = [...s].filter(([k]) => k.startsWith('gazette_http_request_duration_seconds_bucket'));
  assert.ok(buckets.length > 5);
  for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i][1] >= buckets[i - 1][1]);
  assert.equal(buckets.at(-1)[0], 'gazette_http_request_duration_seconds_bucket{le="+Inf"}');
  assert.equal(buckets.at(-1)[1], s.get('gazette_http_request_duration_seconds_count'));
  // The six requests and the first /metrics.
  assert.equal(d('gazette_http_request_duration_seconds_count'), 7);
});

test('the access log has one combined-format line per response', async () => {
  await get(srv.url + path + '?x="quoted"', {
    headers: { 'user-agent': 'probe/1.0 "x"', referer: 'http://example.org/from' },
  });
  await get(srv.url + '/missing', { method: 'HEAD' });
  // The line is written once the response is out: give it a moment.
  let lines = [];
  for (let i = 0; i < 50; i++) {
    lines = readFileSync(log, 'utf8').trim().split('\n');
    if (lines.some((l) => l.includes('"HEAD /missing'))) break;
    await new Promise((ok) => setTimeout(ok, 20));
  }
  const combined = /^(\S+) - - \[(\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000)\] "([^"]*)" (\d{3}) (\d+) "((?:[^"\\]|\\x[0-9a-f]{2})*)" "((?:[^"\\]|\\x[0-9a-f]{2})*)"$/;
  for (const l of lines) assert.match(l, combined);
  const probe = lines.find((l) => l.includes('probe/1.0'));
  assert.ok(probe, lines.join('\n'));
  const m = combined.exec(probe);
  assert.equal(m[1], '127.0.0.1');
  assert.equal(m[3], `GET ${path}?x=%22quoted%22 HTTP/1.1`);
  assert.equal(m[4], '200');
  assert.ok(Number(m[5]) > 100);
  assert.equal(m[6], 'http://example.org/from');
  assert.equal(m[7], 'probe/1.0 \\x22x\\x22');
  const head = combined.exec(lines.find((l) => l.includes('"HEAD /missing')));
  assert.equal(head[4], '404');
  assert.equal(head[5], '0');
});

test('access_log = - writes to stderr; [cache] size = 0 turns the cache off', async () => {
  const d2 = makeSite({ conf: '[cache]\nsize = 0' });
  const conf = join(d2, 'gazette.conf');
  writeFileSync(conf, readFileSync(conf, 'utf8').replace('[server]\n', '[server]\naccess_log = -\n'));
  const s2 = await startServer(d2);
  try {
    const a = await get(s2.url + '/');
    const b = await get(s2.url + '/');
    assert.equal(a.status, 200);
    assert.equal(b.headers.get('x-cache'), null);
    assert.equal(b.headers.get('etag'), null);
    await new Promise((ok) => setTimeout(ok, 50));
    assert.match(s2.stderr(), /^127\.0\.0\.1 - - \[[^\]]+\] "GET \/ HTTP\/1\.1" 200 \d+ "-" "[^"]*"$/m);
  } finally {
    await s2.stop();
    removeSite(d2);
  }
});

test('bad cache and access log settings are refused with the line', () => {
  for (const [conf, msg] of [
    ['[cache]\nsize = 12X', /gazette\.conf:\d+: cache\.size: bad value "12X"/],
    ['[cache]\nsize = 99999G', /cache\.size: bad value/],
    ['[cache]\ncolour = red', /unknown key "colour" in \[cache\]/],
  ]) {
    const d = makeSite({ conf });
    try {
      const r = gazette(['-C', d, 'serve', '--listen', '127.0.0.1:1']);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, msg);
    } finally {
      removeSite(d);
    }
  }
  const d = makeSite();
  try {
    const conf = join(d, 'gazette.conf');
    writeFileSync(conf, readFileSync(conf, 'utf8').replace('[server]\n',
      `[server]\naccess_log = ${join(d, 'no', 'such', 'dir', 'a.log')}\n`));
    const r = gazette(['-C', d, 'serve', '--listen', '127.0.0.1:1']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /server\.access_log: .*a\.log: No such file or directory/);
  } finally {
    removeSite(d);
  }
});
