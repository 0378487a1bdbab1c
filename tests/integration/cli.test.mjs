// The command line as scripts use it: exit codes, messages, formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { gazette, makeSite, removeSite, fixtures } from './helpers.mjs';

test('help, version and usage errors', () => {
  let r = gazette(['--version']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^gazette \d+\.\d+\.\d+\n$/);
  r = gazette(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /usage: gazette/);
  for (const cmd of ['init', 'import', 'serve', 'demo', 'post', 'comment']) {
    r = gazette([cmd, '--help']);
    assert.equal(r.status, 0, cmd);
    assert.match(r.stdout, /usage: gazette/, cmd);
  }
  r = gazette([]);
  assert.equal(r.status, 2);
  r = gazette(['frobnicate']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^gazette: usage: unknown command "frobnicate"/);
  r = gazette(['serve', '--threads', 'lots']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^gazette: serve: --threads/);
  r = gazette(['post', 'list', '--status', 'weird']);
  assert.equal(r.status, 2);
});

test('init makes a site and refuses to overwrite it', () => {
  const dir = makeSite({ locale: 'es', timezone: 'Europe/Madrid' });
  try {
    const conf = readFileSync(join(dir, 'gazette.conf'), 'utf8');
    assert.match(conf, /locale = es/);
    assert.match(conf, /timezone = Europe\/Madrid/);
    assert.ok(readdirSync(dir).includes('gazette.db'));
    const again = gazette(['init', dir]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /^gazette: .*already holds a site/);
    assert.equal(gazette(['init', '--locale', 'xx', dir + '2']).status, 2);
  } finally {
    removeSite(dir);
  }
});

test('config errors name the line', () => {
  const dir = makeSite({ conf: '[site]\ncolour = blue' });
  try {
    const r = gazette(['-C', dir, 'post', 'list']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /gazette\.conf:\d+: unknown key "colour" in \[site\]/);
  } finally {
    removeSite(dir);
  }
  const d2 = makeSite({ conf: '[comments]\nmoderation = sometimes' });
  try {
    const r = gazette(['-C', d2, 'post', 'list']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /gazette\.conf:\d+: comments\.moderation: bad value "sometimes"/);
  } finally {
    removeSite(d2);
  }
  const none = mkdtempSync(join(tmpdir(), 'gazette-nosite-'));
  try {
    const r = gazette(['-C', none, 'post', 'list']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /gazette\.conf/);
  } finally {
    rmSync(none, { recursive: true });
  }
});

test('import, list, show, delete', () => {
  const dir = makeSite({ locale: 'es' });
  try {
    const files = ['en-homoglyph.txt', 'es-comments.txt', 'ru.txt', 'ko.txt', 'iso-date.txt']
      .map((f) => join(fixtures, 'seed', f));
    const r = gazette(['-C', dir, 'import', ...files]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, files.length);
    for (const l of lines) assert.match(l, /^created\t\/\d{4}\/\d{2}\/[a-z0-9-]+\.html\t(en|es|ru|ko|-)\t/);
    const langs = lines.map((l) => l.split('\t')[2]);
    assert.deepEqual(langs.slice(0, 4), ['en', 'es', 'ru', 'ko']);

    const list = gazette(['-C', dir, 'post', 'list']).stdout.trim().split('\n');
    assert.equal(list.length, files.length);
    for (const l of list) assert.match(l, /^\d+\tpublished\t\d{4}-\d{2}-\d{2}\t\/\d{4}\/\d{2}\/[^\t]+\.html\t.+$/);
    const json = gazette(['-C', dir, 'post', 'list', '--json']).stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(json.length, files.length);
    const first = json[0];
    for (const spec of [first.id, first.url, first.url.split('/').pop().replace('.html', '')]) {
      const show = gazette(['-C', dir, 'post', 'show', spec]);
      assert.equal(show.status, 0, spec);
      assert.match(show.stdout, new RegExp(`^id: ${first.id}$`, 'm'));
    }
    const del = gazette(['-C', dir, 'post', 'delete', first.id]);
    assert.equal(del.status, 0);
    const missing = gazette(['-C', dir, 'post', 'show', first.id]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no such post/);
  } finally {
    removeSite(dir);
  }
});

test('malformed imports are refused with file and line, nothing written', () => {
  const dir = makeSite();
  try {
    for (const [f, why] of [
      ['bad-utf8.txt', /bad-utf8\.txt:\d+: .*UTF-8/],
      ['no-title.txt', /no-title\.txt:2: .*title/],
      ['bad-date.txt', /bad-date\.txt:1: .*date/],
      ['empty.txt', /empty\.txt:\d+: /],
      ['nul-byte.txt', /nul-byte\.txt:\d+: /],
    ]) {
      const r = gazette(['-C', dir, 'import', join(fixtures, 'seed', f)]);
      assert.equal(r.status, 1, f);
      assert.match(r.stderr, why, f);
      assert.equal(r.stdout, '', f);
    }
    assert.equal(gazette(['-C', dir, 'post', 'list']).stdout, '');
    const unknown = gazette(['-C', dir, 'import', join(fixtures, 'seed', 'missing.txt')]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /missing\.txt/);
  } finally {
    removeSite(dir);
  }
});
