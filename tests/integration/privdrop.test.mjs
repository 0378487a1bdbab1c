// Least privilege, seen from outside: `gazette serve` started as root
// with [server] user drops to that user once bound, runs under a seccomp
// filter, and still serves and stores comments; a site folder the user
// cannot write is refused at start, not half served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import {
  gazette, makeSite, removeSite, startServer, get, postForm, formFields,
} from './helpers.mjs';

const isRoot = process.getuid?.() === 0;
let nobody = null;
try {
  const [, , uid, gid] = execFileSync('getent', ['passwd', 'nobody'], { encoding: 'utf8' }).trim().split(':');
  nobody = { uid: Number(uid), gid: Number(gid) };
} catch { /* no such user here */ }

// The Uid, Gid, Groups, NoNewPrivs and Seccomp lines of a process.
function status(pid) {
  const s = {};
  for (const l of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
    const m = /^(\w+):\s*(.*)$/.exec(l);
    if (m) s[m[1]] = m[2];
  }
  return s;
}

// A port nothing of ours listens on; serve stops before it matters.
function randomListen() {
  return `127.0.0.1:${20000 + Math.floor(Math.random() * 40000)}`;
}

// Until the server has logged that it serves (its log may trail /healthz).
async function logged(srv) {
  for (let i = 0; i < 200 && !/serving /.test(srv.stderr()); i++) {
    await new Promise((ok) => setTimeout(ok, 50));
  }
  return srv.stderr();
}

const sandboxOff = /sandbox: off (in this AddressSanitizer build|under valgrind)/;

function chownTree(dir, uid, gid) {
  chownSync(dir, uid, gid);
  for (const f of readdirSync(dir)) chownSync(join(dir, f), uid, gid);
}

test('as root with [server] user, serve drops to it and sandboxes itself', { skip: !isRoot || !nobody }, async () => {
  const dir = makeSite({ conf: '[server]\nuser = nobody\n[comments]\nmin_seconds = 0\nmoderation = none' });
  const srv = { stop: async () => {} };
  try {
    const file = join(dirname(dir), 'p.txt');
    execFileSync('sh', ['-c', `printf '2024-05-06\\nHarbour news\\nBoats.\\n' > '${file}'`]);
    const r = gazette(['-C', dir, 'import', file]);
    assert.equal(r.status, 0, r.stderr);
    const path = r.stdout.split('\t')[1];
    chmodSync(dirname(dir), 0o711);
    chownTree(dir, nobody.uid, nobody.gid);
    Object.assign(srv, await startServer(dir));
    const log = await logged(srv);
    const st = status(srv.proc.pid);
    assert.equal(st.Uid.split(/\s+/).join(' '), Array(4).fill(nobody.uid).join(' '));
    assert.equal(st.Gid.split(/\s+/).join(' '), Array(4).fill(nobody.gid).join(' '));
    assert.equal(st.Groups.trim(), String(nobody.gid));
    if (sandboxOff.test(log)) {
      assert.equal(st.Seccomp, '0');
    } else {
      assert.equal(st.Seccomp, '2', 'a seccomp filter is installed');
      assert.equal(st.NoNewPrivs, '1');
    }
    assert.match(log, /running as user nobody/);
    // It still serves and stores.
    const f = formFields((await get(srv.url + path)).body);
    const c = await postForm(srv.url + '/comment', { ...f, name: 'Ina', body: 'Stored as nobody', website: '' });
    assert.equal(c.status, 303);
    assert.match((await get(srv.url + path)).body, /Stored as nobody/);
  } finally {
    await srv.stop();
    removeSite(dir);
  }
});

test('a site folder the user cannot write is refused at start', { skip: !isRoot || !nobody }, () => {
  const dir = makeSite({ conf: '[server]\nuser = nobody' });
  try {
    chmodSync(dirname(dir), 0o711);
    const r = gazette(['-C', dir, 'serve', '--listen', randomListen()]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /user nobody cannot write the site folder \(chown it to nobody\)/);
  } finally {
    removeSite(dir);
  }
});

test('an unknown user is refused with the key', () => {
  const dir = makeSite({ conf: '[server]\nuser = no-such-user-here' });
  try {
    const r = gazette(['-C', dir, 'serve', '--listen', randomListen()]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /server\.user: no user "no-such-user-here"/);
  } finally {
    removeSite(dir);
  }
});

test('sandbox = off leaves the filter out; on (the default) installs it', async () => {
  for (const [conf, want] of [['', '2'], ['[server]\nsandbox = off', '0']]) {
    const dir = makeSite({ conf });
    const srv = await startServer(dir);
    try {
      const off = sandboxOff.test(await logged(srv));
      assert.equal(status(srv.proc.pid).Seccomp, off ? '0' : want, conf);
      assert.equal((await get(srv.url + '/')).status, 200);
    } finally {
      await srv.stop();
      removeSite(dir);
    }
  }
});
