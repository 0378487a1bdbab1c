// Shared by the integration tests: make a site in a fresh folder, run
// the real binary on a free 127.0.0.1 port, and talk to it over HTTP.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, appendFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '..', '..');
export const bin = process.env.GAZETTE_BIN || join(root, 'gazette');
export const fixtures = join(root, 'tests', 'fixtures');
// The seed page lives beside the project (not in it) when available.
export const seedFile = resolve(root, '..', 'shared', 'seed', 'article.txt');
export const haveSeed = existsSync(seedFile);

const env = { ...process.env, TZ: 'UTC', LC_ALL: 'C' };

// Runs the CLI; returns { status, stdout, stderr }.
export function gazette(args, opts = {}) {
  const r = spawnSync(bin, args, { encoding: 'utf8', env, timeout: 60000, ...opts });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A new site folder; conf is INI text appended to gazette.conf.
export function makeSite({ locale = 'en', timezone = 'UTC', conf = '' } = {}) {
  const dir = join(mkdtempSync(join(tmpdir(), 'gazette-test-')), 'site');
  const r = gazette(['init', '--locale', locale, '--timezone', timezone, dir]);
  if (r.status !== 0) throw new Error(`init failed: ${r.stderr}`);
  if (conf) appendFileSync(join(dir, 'gazette.conf'), '\n' + conf + '\n');
  return dir;
}

export function removeSite(dir) {
  rmSync(dirname(dir), { recursive: true, force: true });
}

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// Starts `gazette serve` on the site; resolves once /healthz answers.
// extraEnv adds variables (GAZETTE_NOW fixes the server's clock).
export async function startServer(dir, extraArgs = [], extraEnv = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(bin, ['-C', dir, 'serve', '--listen', `127.0.0.1:${port}`, ...extraArgs],
    { env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((ok) => proc.on('exit', (code, signal) => ok({ code, signal })));
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) break;
    try {
      const r = await fetch(url + '/healthz');
      if (r.status === 200) {
        return {
          url, proc, port,
          stderr: () => stderr,
          async stop() {
            proc.kill('SIGTERM');
            const e = await exited;
            if (e.code !== 0) throw new Error(`server exited ${e.code} ${e.signal}: ${stderr}`);
          },
        };
      }
    } catch { /* not up yet */ }
    await new Promise((ok) => setTimeout(ok, 50));
  }
  proc.kill('SIGKILL');
  throw new Error(`server did not start: ${stderr}`);
}

// GET (or another method) without following redirects.
export async function get(url, opts = {}) {
  const r = await fetch(url, { redirect: 'manual', ...opts });
  return { status: r.status, headers: r.headers, body: await r.text() };
}

// POSTs a urlencoded form without following redirects.
export async function postForm(url, fields) {
  return get(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

export function escapeHtml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

// The hidden fields of the comment form on a post page.
export function formFields(html) {
  const token = /name="token" value="([^"]+)"/.exec(html);
  const post = /name="post" value="(\d+)"/.exec(html);
  if (!token || !post) throw new Error('no comment form on the page');
  return { token: token[1], post: post[1] };
}
