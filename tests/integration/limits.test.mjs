// Slow and greedy clients: a silent connection is dropped after the
// configured timeout, a thousand idle connections do not keep another
// client from being served, the connection limits hold, oversized
// requests get a 4xx, and pipelined requests are answered in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import {
  makeSite, removeSite, startServer, get, gazette,
} from './helpers.mjs';

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

test('a thousand idle connections from another address leave others served', async () => {
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

// Sends raw bytes on a new connection; resolves with everything the
// server sent until it closed the connection (or waitMs passed).
function raw(port, bytes, waitMs = 15000) {
  return new Promise((ok, fail) => {
    const s = connect({ port, host: '127.0.0.1' });
    const chunks = [];
    const timer = setTimeout(() => { s.destroy(); ok({ data: Buffer.concat(chunks).toString('latin1'), closed: false }); }, waitMs);
    s.on('connect', () => s.write(bytes));
    s.on('data', (d) => chunks.push(d));
    s.on('error', () => {});
    s.on('close', () => { clearTimeout(timer); ok({ data: Buffer.concat(chunks).toString('latin1'), closed: true }); });
    s.on('timeout', fail);
  });
}

function statusOf(data) {
  const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
  return m ? Number(m[1]) : 0;
}

// Every status line in a stream of responses, in order.
function statuses(data) {
  return [...data.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
}

async function withServer(conf, fn) {
  const dir = makeSite({ conf });
  const srv = await startServer(dir);
  try {
    await fn(srv, dir);
  } finally {
    await srv.stop();
    removeSite(dir);
  }
}

test('an oversized request line gets 414, and the server goes on', async () => {
  await withServer('', async (srv) => {
    const r = await raw(srv.port, `GET /${'a'.repeat(20000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.equal(statusOf(r.data), 414, r.data.slice(0, 200));
    // The search page answers an overlong query itself, saying why.
    const q = await raw(srv.port, `GET /search?q=${'b'.repeat(20000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.equal(statusOf(q.data), 200, q.data.slice(0, 200));
    assert.match(q.data, /the query is too long/);
    assert.ok(!q.data.includes('b'.repeat(100)), 'the query is not echoed');
    assert.equal((await get(srv.url + '/healthz')).status, 200);
  });
});

test('oversized headers get 431 and the connection is closed', async () => {
  await withServer('', async (srv) => {
    let h = '';
    for (let i = 0; i < 40; i++) h += `X-Filler-${i}: ${'v'.repeat(1000)}\r\n`;
    const r = await raw(srv.port, `GET / HTTP/1.1\r\nHost: x\r\n${h}\r\n`);
    assert.equal(statusOf(r.data), 431, r.data.slice(0, 200));
    assert.ok(r.closed);
    assert.equal((await get(srv.url + '/healthz')).status, 200);
  });
});

test('a huge body gets 413, announced or chunked, and stores nothing', async () => {
  await withServer('', async (srv, dir) => {
    const head = 'POST /comment HTTP/1.1\r\nHost: x\r\n' +
      'Content-Type: application/x-www-form-urlencoded\r\n';
    const announced = await raw(srv.port, `${head}Content-Length: 10000000\r\n\r\n${'a'.repeat(4096)}`);
    assert.equal(statusOf(announced.data), 413, announced.data.slice(0, 200));
    assert.match(announced.data, /too large/);
    const chunk = `10000\r\n${'body='.padEnd(65536, 'a')}\r\n`;
    const chunked = await raw(srv.port, `${head}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk.repeat(4)}0\r\n\r\n`);
    assert.equal(statusOf(chunked.data), 413, chunked.data.slice(0, 200));
    const list = gazette(['-C', dir, 'comment', 'list']);
    assert.equal(list.status, 0, list.stderr);
    assert.equal(list.stdout, '');
  });
});

test('a body shorter than its Content-Length times out cleanly', async () => {
  await withServer('[server]\ntimeout = 2\n[comments]\nmin_seconds = 0\nmoderation = none', async (srv, dir) => {
    const body = 'name=Short&body=never+finished';
    const r = await raw(srv.port, 'POST /comment HTTP/1.1\r\nHost: x\r\n' +
      'Content-Type: application/x-www-form-urlencoded\r\n' +
      `Content-Length: ${body.length + 100}\r\n\r\n${body}`);
    assert.ok(r.closed, 'the server closed the connection');
    assert.equal(r.data, '', 'no response to a request that never ended');
    // A new connection: the timeout also closed fetch's pooled one.
    const h = await raw(srv.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(statusOf(h.data), 200);
    assert.equal(gazette(['-C', dir, 'comment', 'list']).stdout, '');
  });
});

test('a thousand idle connections from the same address leave it served', async () => {
  // Behind a proxy every reader has one address: per_address = 0.
  await withServer('[server]\nper_address = 0\nconnections = 1024', async (srv) => {
    const idle = [];
    try {
      for (let i = 0; i < 1000; i++) {
        const s = await open(srv.port);
        assert.ok(s, `connection ${i} opened`);
        s.on('error', () => {});
        idle.push(s);
      }
      for (const p of ['/healthz', '/', '/search?q=x']) {
        const r = await get(srv.url + p, { signal: AbortSignal.timeout(10000) });
        assert.equal(r.status, 200, p);
      }
    } finally {
      for (const s of idle) s.destroy();
    }
  });
});

// Resolves true when the server closes s without answering; the bound
// is generous for a server under valgrind on a busy machine.
function closedBy(s, ms = 30000) {
  return new Promise((ok) => {
    const timer = setTimeout(() => ok(false), ms);
    s.on('close', () => { clearTimeout(timer); ok(true); });
    s.on('data', () => {});
  });
}

test('per_address caps one address, and others are still served', async () => {
  await withServer('[server]\nper_address = 4', async (srv) => {
    const idle = [];
    try {
      // Five at once: the worker threads may accept them out of order,
      // so whichever comes fifth to the server is the one refused.
      for (let i = 0; i < 5; i++) idle.push(await open(srv.port, '127.0.0.2'));
      assert.ok(idle.every((s) => s));
      const closed = idle.map(() => false);
      await Promise.race(idle.map((s, i) => closedBy(s).then((c) => { closed[i] = c; })));
      await new Promise((ok) => setTimeout(ok, 200));
      assert.equal(closed.filter(Boolean).length, 1, 'one of five was refused');
      assert.equal((await get(srv.url + '/healthz')).status, 200);
    } finally {
      for (const s of idle) s.destroy();
    }
  });
});

// Resolves with what s receives within ms (a bound, not a measurement).
function received(s, ms) {
  return new Promise((ok) => {
    let data = '';
    const timer = setTimeout(() => ok(data), ms);
    s.on('data', (d) => { data += d.toString('latin1'); });
    s.on('close', () => { clearTimeout(timer); ok(data); });
  });
}

test('connections caps the total; a waiting client is served once one leaves', async () => {
  await withServer('[server]\nconnections = 6\nper_address = 0\nthreads = 1', async (srv) => {
    const idle = [];
    try {
      for (let i = 0; i < 6; i++) idle.push(await open(srv.port, '127.0.0.3'));
      assert.ok(idle.every((s) => s));
      // The kernel still completes the handshake; the server does not
      // take the seventh connection until one of the six is gone.
      const extra = await open(srv.port);
      assert.ok(extra);
      extra.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      assert.equal(await received(extra, 1500), '', 'not served while six are open');
      const later = received(extra, 30000);
      idle.pop().destroy();
      assert.match(await later, /^HTTP\/1\.1 200 /);
      extra.destroy();
    } finally {
      for (const s of idle) s.destroy();
    }
  });
});

test('pipelined requests are answered in order on one connection', async () => {
  await withServer('', async (srv) => {
    const req = (p, last) => `GET ${p} HTTP/1.1\r\nHost: x\r\n${last ? 'Connection: close\r\n' : ''}\r\n`;
    const r = await raw(srv.port, req('/healthz') + req('/nope') + req('/?page=%') +
      req('/') + req('/static/none', true));
    assert.deepEqual(statuses(r.data), [200, 404, 400, 200, 404]);
    assert.ok(r.closed);
  });
});

test('bad [server] limits are refused with the line', () => {
  for (const [key, value] of [['per_address', '-1'], ['connections', '0'],
    ['connections', '5000'], ['sandbox', 'maybe'], ['user', 'a b']]) {
    const dir = makeSite({ conf: `[server]\n${key} = ${value}` });
    try {
      const r = gazette(['-C', dir, 'post', 'list']);
      assert.equal(r.status, 1, `${key} = ${value}`);
      assert.match(r.stderr, new RegExp(`gazette\\.conf:\\d+: server\\.${key}: bad value`));
    } finally {
      removeSite(dir);
    }
  }
});
