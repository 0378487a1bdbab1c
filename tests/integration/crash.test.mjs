// Crash safety: `gazette serve` is killed with SIGKILL at a random moment
// while comments arrive over HTTP, `gazette import` adds posts and the
// CLI moderates, CRASH_ROUNDS times (3 by default; `make test-crash`
// runs 20).  After each kill the database passes PRAGMA integrity_check
// and everything acknowledged is there: every comment answered with a
// 303, every post whose import exited 0, every moderation whose command
// exited 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  bin, gazette, makeSite, removeSite, startServer, get, formFields,
} from './helpers.mjs';

const rounds = Number(process.env.CRASH_ROUNDS || 3);
const env = { ...process.env, TZ: 'UTC', LC_ALL: 'C' };
const haveSqlite3 = spawnSync('sqlite3', ['-version']).status === 0;

// Runs the CLI without blocking the event loop; resolves { status, stdout, stderr }.
function gazetteAsync(args) {
  return new Promise((ok) => {
    const p = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (status) => ok({ status, stdout, stderr }));
  });
}

// One comment over HTTP; true when the server acknowledged it (303).
async function postComment(url, fields) {
  try {
    const r = await fetch(url + '/comment', {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      signal: AbortSignal.timeout(5000),
    });
    await r.arrayBuffer();
    return r.status === 303;
  } catch {
    return false; // killed under it: not acknowledged
  }
}

// Every comment (id -> { status, body }) in the site, read by the CLI.
function comments(dir) {
  const r = gazette(['-C', dir, 'comment', 'list', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const m = new Map();
  for (const l of r.stdout.split('\n').filter(Boolean)) {
    const c = JSON.parse(l);
    m.set(Number(c.id), c);
  }
  return m;
}

function integrity(dir) {
  const r = spawnSync('sqlite3', [join(dir, 'gazette.db'), 'PRAGMA integrity_check;'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test(`SIGKILL under a mixed write load loses nothing acknowledged (${rounds} rounds)`,
  { skip: !haveSqlite3, timeout: 60000 + rounds * 30000 }, async () => {
    const dir = makeSite({ conf: '[comments]\nmin_seconds = 0\nrate = 0\nmoderation = none' });
    const tmp = mkdtempSync(join(tmpdir(), 'gazette-crash-'));
    let srv = null;
    const acked = [];     // comment bodies answered 303
    const posts = [];     // paths of imports that exited 0
    const moderated = new Map(); // comment excerpt -> status set by the CLI
    try {
      const first = join(tmp, 'first.txt');
      writeFileSync(first, '2024-06-01\nThe first post\nIt is here before any crash.\n');
      const imp = gazette(['-C', dir, 'import', first]);
      assert.equal(imp.status, 0, imp.stderr);
      const path = imp.stdout.split('\t')[1];
      posts.push(path);

      for (let round = 0; round < rounds; round++) {
        srv = await startServer(dir);
        const f = formFields((await get(srv.url + path)).body);
        let stop = false;
        const writers = [];
        // Four readers' worth of comments at once.
        for (let w = 0; w < 4; w++) {
          writers.push((async () => {
            for (let i = 0; !stop; i++) {
              const body = `crash r${round} w${w} n${i}`;
              if (await postComment(srv.url, { ...f, name: `W${w}`, body, website: '' })) acked.push(body);
              else if (stop) break;
            }
          })());
        }
        // Imports of new posts, one after another.
        writers.push((async () => {
          for (let i = 0; !stop; i++) {
            const file = join(tmp, `r${round}-${i}.txt`);
            writeFileSync(file, `2024-07-0${1 + (i % 9)}\nCrash round ${round} post ${i}\nWritten while the server may die.\nLabels:\ncrash\n`);
            const r = await gazetteAsync(['-C', dir, 'import', file]);
            if (r.status === 0) posts.push(r.stdout.split('\t')[1]);
          }
        })());
        // Moderation from the CLI on comments already acknowledged.
        writers.push((async () => {
          while (!stop) {
            const c = [...comments(dir).values()].find((x) => x.status === 'approved' && !moderated.has(x.excerpt));
            if (c) {
              const r = await gazetteAsync(['-C', dir, 'comment', 'spam', c.id]);
              if (r.status === 0) moderated.set(c.excerpt, 'spam');
            }
            await new Promise((ok) => setTimeout(ok, 50));
          }
        })());
        // Kill at a random moment, then let the writers notice.
        await new Promise((ok) => setTimeout(ok, 300 + Math.random() * 1200));
        srv.proc.kill('SIGKILL');
        await new Promise((ok) => srv.proc.on('exit', ok));
        stop = true;
        await Promise.all(writers);
        srv = null;

        assert.equal(integrity(dir), 'ok', `round ${round}: integrity_check`);
        const all = comments(dir);
        const bodies = new Map([...all.values()].map((c) => [c.excerpt, c.status]));
        for (const b of acked) assert.ok(bodies.has(b), `round ${round}: acknowledged comment "${b}" is lost`);
        for (const [b, s] of moderated) assert.equal(bodies.get(b), s, `round ${round}: moderation of "${b}"`);
        assert.ok(acked.length > 0, `round ${round}: some comments were acknowledged`);
      }
      // Every imported post is served after the last restart.
      srv = await startServer(dir);
      for (const p of posts) assert.equal((await get(srv.url + p)).status, 200, p);
      assert.ok(posts.length > rounds, `posts imported: ${posts.length}`);
    } finally {
      if (srv) await srv.stop();
      removeSite(dir);
      rmSync(tmp, { recursive: true, force: true });
    }
  });
