// gazette backup: a consistent copy made while the server takes
// comments, which opens as the same site.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  gazette, makeSite, removeSite, startServer, get, postForm, formFields, fixtures,
} from './helpers.mjs';

test('a backup taken under load holds every comment acknowledged before it', async () => {
  const dir = makeSite({ conf: '[comments]\nmin_seconds = 0\nrate = 0\nmoderation = none' });
  for (const f of ['en-homoglyph.txt', 'es-comments.txt', 'ru.txt']) {
    assert.equal(gazette(['-C', dir, 'import', join(fixtures, 'seed', f)]).status, 0);
  }
  const path = gazette(['-C', dir, 'post', 'list']).stdout.split('\n')[0].split('\t')[3];
  const srv = await startServer(dir);
  const backup = join(dir, '..', 'backup.db');
  try {
    const form = formFields((await get(srv.url + path)).body);
    const acked = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop && i < 400; i++) {
        const r = await postForm(srv.url + '/comment', { ...form, name: `W${i}`, body: `load ${i}`, website: '' });
        if (r.status === 303) acked.push(/#c(\d+)$/.exec(r.headers.get('location'))[1]);
      }
    })();
    // Until the writer is under way: a slow server (valgrind's) needs
    // longer than a fast one, so wait for acknowledgements, not a time.
    for (let t = 0; acked.length < 3 && t < 600; t++) {
      await new Promise((ok) => setTimeout(ok, 50));
    }
    const before = acked.slice();
    const b = gazette(['-C', dir, 'backup', backup]);
    stop = true;
    await writer;
    assert.equal(b.status, 0, b.stderr);
    assert.equal(b.stdout, `backed up\t${backup}\n`);
    assert.ok(before.length > 0, 'comments were being written');

    const copy = (args) => gazette(['-C', dir, '--db', `sqlite:${backup}`, ...args]);
    assert.equal(copy(['post', 'list']).stdout, gazette(['-C', dir, 'post', 'list']).stdout);
    const ids = new Set(copy(['comment', 'list', '--json']).stdout.trim().split('\n')
      .map((l) => JSON.parse(l).id));
    for (const id of before) assert.ok(ids.has(id), `comment ${id} is in the backup`);

    const again = gazette(['-C', dir, 'backup', backup]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /exists/);
    assert.ok(!existsSync(backup + '.tmp'));
    assert.equal(gazette(['-C', dir, 'backup']).status, 2);
  } finally {
    await srv.stop();
    removeSite(dir);
  }
});
