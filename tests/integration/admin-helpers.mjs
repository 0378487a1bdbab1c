// Shared by the admin tests: accounts made with the CLI, and a small
// client that signs in over HTTP and keeps its session cookie.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { gazette, get } from './helpers.mjs';

// Adds a user with the password on standard input (not a terminal).
export function addUser(dir, name, password, role = 'owner') {
  const r = gazette(['-C', dir, 'user', 'add', '--role', role, name], { input: `${password}\n` });
  assert.equal(r.status, 0, r.stderr);
  return r;
}

// The hidden value of a field in a page's first form that has it.
export function field(html, name) {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  return m ? m[1] : null;
}

// RFC 6238 code for a base32 secret at time t (seconds), as an app makes it.
export function totp(secret, t) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(t / 30)));
  const mac = createHmac('sha1', key).update(msg).digest();
  const off = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(off) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// A browser-less admin user: a cookie and the session's CSRF token.
export class AdminClient {
  constructor(url) {
    this.url = url;
    this.cookie = '';
    this.csrf = null;
  }

  async get(path, opts = {}) {
    const r = await get(this.url + path, { ...opts, headers: { cookie: this.cookie, ...(opts.headers || {}) } });
    const csrf = field(r.body, 'csrf');
    if (csrf) this.csrf = csrf;
    return r;
  }

  // POSTs a form; the session's CSRF token is added unless given.
  async post(path, fields, { csrf = true } = {}) {
    const body = new URLSearchParams(csrf && this.csrf ? { csrf: this.csrf, ...fields } : fields);
    return this.get(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }

  // Signs in; returns the login answer (303 on success).
  async login(name, password, code) {
    const page = await get(this.url + '/admin/login');
    const fields = { token: field(page.body, 'token'), name, password, next: '/admin/' };
    if (code) fields.code = code;
    const r = await get(this.url + '/admin/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    const set = r.headers.get('set-cookie');
    if (r.status === 303 && set) this.cookie = set.split(';')[0];
    if (r.status === 303) await this.get('/admin/');
    return r;
  }

  // Saves a post through the editor; returns its id.
  async savePost(fields, id = 'new') {
    const r = await this.post(`/admin/posts/${id}`, { action: 'publish', labels: '', ...fields });
    assert.equal(r.status, 303, r.body);
    return Number(/\/admin\/posts\/(\d+)/.exec(r.headers.get('location'))[1]);
  }
}
