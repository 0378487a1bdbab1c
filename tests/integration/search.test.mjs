// Search through the one text pipeline: stems, look-alike letters,
// several scripts, the query language, and odd queries answered kindly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  gazette, makeSite, removeSite, startServer, get, fixtures, seedFile, haveSeed,
} from './helpers.mjs';

let dir, srv;
const paths = {};

before(async () => {
  dir = makeSite({ locale: 'es' });
  const files = { en: 'en-homoglyph.txt', es: 'es-comments.txt', ru: 'ru.txt', ko: 'ko.txt', zh: 'zh.txt' };
  for (const [k, f] of Object.entries(files)) {
    const r = gazette(['-C', dir, 'import', join(fixtures, 'seed', f)]);
    assert.equal(r.status, 0, r.stderr);
    paths[k] = r.stdout.split('\t')[1];
  }
  if (haveSeed) {
    const r = gazette(['-C', dir, 'import', seedFile]);
    assert.equal(r.status, 0, r.stderr);
    paths.seed = r.stdout.split('\t')[1];
  }
  srv = await startServer(dir);
});

after(async () => {
  await srv.stop();
  removeSite(dir);
});

async function search(q, extra = '') {
  const r = await get(`${srv.url}/search?q=${encodeURIComponent(q)}${extra}`);
  assert.equal(r.status, 200, q);
  return r.body;
}

async function searchJson(q) {
  const r = await get(`${srv.url}/api/v1/search?q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200, q);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  return JSON.parse(r.body);
}

function finds(body, path) {
  return body.includes(`<a href="${path}">`);
}

test('the seed post is found through case, stems and look-alike letters', { skip: !haveSeed && 'no seed page' }, async () => {
  for (const q of ['a lot in common', 'ammunitions', 'KOREA', '\u0420utin', 'Putin', '"North Korea"']) {
    assert.ok(finds(await search(q), paths.seed), q);
  }
});

test('words in every script find their posts', async () => {
  const cases = [
    ['harbour', 'en'], // the fixture spells it with a Cyrillic а
    ['ferry', 'en'], ['FERRIES', 'en'],
    ['фестиваля', 'ru'], ['концерт', 'ru'], // inflected forms
    ['도서관이', 'ko'],
    ['图书馆', 'zh'],
    ['domingo', 'es'],
  ];
  for (const [q, k] of cases) {
    const j = await searchJson(q);
    assert.ok(j.results.some((h) => h.path === paths[k]), `${q} finds the ${k} post: ${JSON.stringify(j)}`);
  }
});

test('results are ranked, counted, highlighted and escaped', async () => {
  const body = await search('ferry');
  assert.match(body, /<p class="count">[^<]*: \d+<\/p>/);
  assert.match(body, /<mark>[^<]+<\/mark>/);
  const j = await searchJson('ferry');
  assert.ok(j.total >= 1);
  assert.ok(j.results[0].snippet.includes('\u0002'));
  const xss = await search('<script>alert(1)</script>');
  assert.ok(!xss.includes('<script>alert(1)'), 'the query is escaped');
});

test('phrases, exclusions and the label filter', async () => {
  let j = await searchJson('ferry -harbour');
  assert.ok(!j.results.some((h) => h.path === paths.en), 'excluded');
  j = await searchJson('label:ferries ferry');
  assert.ok(j.results.some((h) => h.path === paths.en));
  j = await searchJson('label:Казань ferry');
  assert.equal(j.total, 0);
  j = await searchJson('"ferry quiet"');
  assert.ok(!j.results.some((h) => h.path === paths.en), 'a phrase keeps its order');
});

test('odd queries get a normal page with a message', async () => {
  for (const q of ['', '   ', '---', '""', '-ferry', 'x'.repeat(5000), 'a '.repeat(100)]) {
    const body = await search(q);
    assert.match(body, /<p class="notice">/, JSON.stringify(q.slice(0, 20)));
  }
  const bad = await get(`${srv.url}/search?q=%ZZ`);
  assert.equal(bad.status, 200);
  assert.match(bad.body, /<p class="notice">/);
  const page = await get(`${srv.url}/search?q=ferry&page=banana`);
  assert.equal(page.status, 200);
});

test('did you mean a close label or title word', async () => {
  let j = await searchJson('feries');
  assert.equal(j.total, 0);
  assert.equal(j.did_you_mean, 'ferries');
  j = await searchJson('coastal townz');
  assert.equal(j.total, 0);
  assert.equal(j.did_you_mean, 'coastal towns');
  j = await searchJson('quiet comebak');
  assert.equal(j.total, 0);
  assert.equal(j.did_you_mean, 'quiet comeback');
  const body = await search('feries');
  assert.match(body, /class="did-you-mean">[^<]*<a href="\/search\?q=ferries">ferries<\/a>/);
  j = await searchJson('zzzzqqq');
  assert.equal(j.did_you_mean, null);
});

test('every page has a search box', async () => {
  const r = await get(srv.url + '/');
  assert.match(r.body, /<form class="search" role="search" method="get" action="\/search">/);
});

test('label spellings meet on one page', async () => {
  const r = await get(srv.url + '/search/label/FERRIES');
  assert.equal(r.status, 301);
  assert.equal(r.headers.get('location'), '/search/label/ferries');
  const ok = await get(srv.url + '/search/label/ferries');
  assert.equal(ok.status, 200);
  assert.ok(ok.body.includes(paths.en));
  const sp = await get(srv.url + '/search/label/coastal%20%20Towns');
  assert.equal(sp.status, 301);
});

test('labels from the command line', () => {
  const list = gazette(['-C', dir, 'labels', 'list']);
  assert.equal(list.status, 0);
  assert.match(list.stdout, /^1\tferries\tferries$/m);
  let r = gazette(['-C', dir, 'labels', 'rename', 'Ferries', 'Ferry lines']);
  assert.equal(r.status, 0, r.stderr);
  r = gazette(['-C', dir, 'labels', 'merge', 'transport', 'ferry LINES']);
  assert.equal(r.status, 0, r.stderr);
  const after = gazette(['-C', dir, 'labels', 'list']).stdout;
  assert.match(after, /\tFerry lines\t/);
  assert.ok(!/\ttransport\t/.test(after));
  assert.equal(gazette(['-C', dir, 'labels', 'rename', 'nope', 'x']).status, 1);
  assert.equal(gazette(['-C', dir, 'labels', 'rename', 'nope']).status, 2);
  r = gazette(['-C', dir, 'reindex']);
  assert.equal(r.status, 0, r.stderr);
});

test('keyword suggestions for the seed put Russia and North Korea near the top', { skip: !haveSeed && 'no seed page' }, async () => {
  const { readFileSync, writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  // With the site's labels: the ones the text supports come first.
  let r = gazette(['-C', dir, 'keywords', 'suggest', paths.seed]);
  assert.equal(r.status, 0, r.stderr);
  let rows = r.stdout.trim().split('\n').map((l) => l.split('\t'));
  for (const row of rows) assert.match(row[0], /^\d\.\d{3}$/);
  let top = rows.slice(0, 5).map((row) => row[1]);
  assert.ok(top.includes('Russia') && top.includes('North Korea'), top.join(', '));
  assert.equal(rows[0][2], 'existing');

  // Without any labels: found from the text alone.
  const d = makeSite({ locale: 'es' });
  const tmp = mkdtempSync(join(tmpdir(), 'gazette-kw-'));
  try {
    const text = readFileSync(seedFile, 'utf8').replace(/\nKEYWORDS :[\s\S]*$/, '\n');
    writeFileSync(join(tmp, 'nolabels.txt'), text);
    for (const f of ['en-homoglyph.txt', 'es-comments.txt', 'ru.txt']) {
      gazette(['-C', d, 'import', join(fixtures, 'seed', f)]);
    }
    r = gazette(['-C', d, 'import', '--suggest-labels', join(tmp, 'nolabels.txt')]);
    assert.equal(r.status, 0, r.stderr);
    rows = r.stdout.trim().split('\n').filter((l) => l.startsWith('suggest\t')).map((l) => l.split('\t'));
    top = rows.slice(0, 5).map((row) => row[3]);
    assert.ok(top.includes('Russia') && top.includes('North Korea'), top.join(', '));
    assert.ok(rows.every((row) => row[4] === 'new'));
    const j = gazette(['-C', d, 'keywords', 'suggest', '--json', '--limit', '3', rows[0][1]]);
    const lines = j.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 3);
    assert.ok('score' in lines[0] && 'keyword' in lines[0]);
  } finally {
    removeSite(d);
    rmSync(tmp, { recursive: true, force: true });
  }
  assert.equal(gazette(['-C', dir, 'keywords', 'suggest', '/no/such.html']).status, 1);
  assert.equal(gazette(['-C', dir, 'keywords', 'suggest']).status, 2);
});
