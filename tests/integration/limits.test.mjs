// Slow and greedy clients: a silent connection is dropped after the
// configured timeout, and a thousand idle connections from one address
// do not keep another client from being served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { makeSite, removeSite, startServer, get } from './helpers.mjs';

function open(port, localAddress) {
  return new Promise((ok) => {
    const s = connect({ port, host: '127.0.0.1', localAddress });
    s.on('connect', () => ok(s));
    s.on('error', () => ok(null));
  });
}

test('a client that stops halfway through its headers is dropped', async () => {
  const dir = makeSite({ conf: '[server]\ntimeout = 2' });
  const srv = await startServer(dir);
  try {
    const s = await open(srv.port);
    assert.ok(s);
    s.write('GET / HTTP/1.1\r\nHost: x\r\n');
    const closed = await new Promise((ok) => {
      const timer = setTimeout(() => ok(false), 15000);
      s.on('close', () => { clearTimeout(timer); ok(true); });
      s.on('data', () => {});
    });
    assert.ok(closed, 'the server closed the stalled connection');
  } finally {
    await srv.stop();
    removeSite(dir);
  }
});

test('a thousand idle connections from one address leave others served', async () => {
  const dir = makeSite();
  const srv = await startServer(dir);
  const idle = [];
  try {
    for (let i = 0; i < 1000; i++) {
      // Another loopback address: the per-address limit is what holds.
      const s = await open(srv.port, '127.0.0.2');
      if (s) {
        s.on('error', () => {});
        idle.push(s);
      }
    }
    assert.ok(idle.length > 0);
    const r = await get(srv.url + '/healthz', { signal: AbortSignal.timeout(10000) });
    assert.equal(r.status, 200);
    assert.equal((await get(srv.url + '/')).status, 200);
  } finally {
    for (const s of idle) s.destroy();
    await srv.stop();
    removeSite(dir);
  }
});
