// The four feeds of the seed site (Atom, RSS, JSON Feed and a label's
// feed), read by a real feed parser (@extractus/feed-extractor, given the
// documents we fetched: no network): the seed post must be an item with
// its title, link, date and labels as categories.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { extractFromXml, extractFromJson } from '@extractus/feed-extractor';
import {
  gazette, makeSite, removeSite, startServer, get, seedFile, haveSeed,
} from './helpers.mjs';

const SITE_URL = 'https://seed.example';
let dir, srv, seed;

// What the seed file says, read from it: title, date, labels.
function readSeed() {
  const lines = readFileSync(seedFile, 'utf8').split('\n');
  const k = lines.findIndex((l) => /^\s*keywords\s*:\s*$/i.test(l));
  const labels = [];
  for (const l of lines.slice(k + 1)) {
    if (/^\s*(comentarios|comments)\s*$/i.test(l)) break;
    if (l.trim() !== '') labels.push(l.trim());
  }
  return { title: lines[1].trim(), labels };
}

before(async () => {
  if (!haveSeed) return;
  dir = makeSite({ conf: `[site]\nurl = ${SITE_URL}\n` });
  const imp = gazette(['-C', dir, 'import', seedFile]);
  assert.equal(imp.status, 0, imp.stderr);
  const [, path] = imp.stdout.split('\t');
  const list = gazette(['-C', dir, 'post', 'list']).stdout.trim().split('\t');
  seed = { ...readSeed(), path, date: list[2] };
  srv = await startServer(dir);
});

after(async () => {
  if (srv) await srv.stop();
  if (dir) removeSite(dir);
});

// Keeps every category an entry has, whatever the format calls it.
function categories(entry) {
  const c = entry.category ?? entry.tags ?? [];
  return (Array.isArray(c) ? c : [c]).map((x) =>
    typeof x === 'string' ? x : (x['@_term'] ?? x['#text'] ?? ''));
}

function checkItem(feed, what) {
  const item = feed.entries.find((e) => e.title === seed.title);
  assert.ok(item, `${what}: no item titled ${seed.title} in ` +
    JSON.stringify(feed.entries.map((e) => e.title)));
  assert.equal(item.link, SITE_URL + seed.path, `${what}: link`);
  assert.ok(item.published, `${what}: no date`);
  assert.equal(new Date(item.published).toISOString().slice(0, 10), seed.date,
    `${what}: date`);
  assert.deepEqual(item.labels.slice().sort(), seed.labels.slice().sort(),
    `${what}: labels`);
}

const opts = { getExtraEntryFields: (e) => ({ labels: categories(e) }) };

const feeds = [
  ['Atom', '/feeds/posts/default', 'xml'],
  ['RSS', '/feeds/posts/default?alt=rss', 'xml'],
  ['JSON Feed', '/feed.json', 'json'],
];

for (const [what, path, kind] of feeds) {
  test(`the ${what} feed parses with the seed post as an item`,
    { skip: !haveSeed && 'no seed file beside the project' }, async () => {
      const r = await get(srv.url + path);
      assert.equal(r.status, 200);
      const feed = kind === 'xml' ? extractFromXml(r.body, opts) :
        extractFromJson(JSON.parse(r.body), opts);
      checkItem(feed, what);
    });
}

test('a label feed parses with the seed post as an item',
  { skip: !haveSeed && 'no seed file beside the project' }, async () => {
    const label = seed.labels[seed.labels.length - 1];
    const r = await get(srv.url + '/feeds/posts/default/-/' +
      encodeURIComponent(label));
    assert.equal(r.status, 200);
    const feed = extractFromXml(r.body, opts);
    assert.match(feed.title, new RegExp(label));
    checkItem(feed, 'label feed');
  });
