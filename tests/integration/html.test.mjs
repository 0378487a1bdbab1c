// Every kind of page is valid HTML5, checked by the Nu HTML Checker
// (vnu.jar from the npm package vnu-jar, run with Debian's Java).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  gazette, makeSite, removeSite, startServer, get, fixtures, root,
} from './helpers.mjs';

const vnu = join(root, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

test('pages are valid HTML', async () => {
  assert.ok(existsSync(vnu), 'vnu.jar is installed by scripts/deps (npm ci)');
  const dir = makeSite({ locale: 'es' });
  const out = mkdtempSync(join(tmpdir(), 'gazette-html-'));
  const imp = gazette(['-C', dir, 'import', join(fixtures, 'seed', 'es-comments.txt'),
    join(fixtures, 'seed', 'en-homoglyph.txt')]);
  assert.equal(imp.status, 0, imp.stderr);
  const path = imp.stdout.split('\n')[0].split('\t')[1];
  const srv = await startServer(dir);
  try {
    const pages = {
      front: '/', post: path, reply: `${path}?reply=1`, year: '/2023/', month: path.slice(0, 9),
      label: '/search/label/barrio', notfound: '/nope', held: '/comment/held?post=1', bad: '/?page=x',
    };
    const files = [];
    for (const [name, p] of Object.entries(pages)) {
      const r = await get(srv.url + p);
      assert.match(r.headers.get('content-type'), /^text\/html/, p);
      const f = join(out, `${name}.html`);
      writeFileSync(f, r.body);
      files.push(f);
    }
    const v = spawnSync('java', ['-jar', vnu, '--errors-only', '--format', 'text', ...files],
      { encoding: 'utf8', timeout: 120000 });
    assert.equal(v.status, 0, v.stderr + v.stdout);
  } finally {
    await srv.stop();
    removeSite(dir);
    rmSync(out, { recursive: true, force: true });
  }
});
