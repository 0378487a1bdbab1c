// The admin in a real browser (Debian's chromium through playwright-core):
// sign in, write a post, take a suggested label with one click, publish it
// and see it on the site, schedule another, moderate a reader's comment,
// and check the admin and public pages with axe-core.  Screenshots of the
// main screens, wide and on a phone, go to build/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeSite, removeSite, startServer, get } from './helpers.mjs';
import { haveBrowser, launchBrowser, screenshot, axeViolations } from './browser.mjs';
import { addUser } from './admin-helpers.mjs';

const NOW = 1790000000; // 2026-09-21 14:13:20 UTC, the server's fixed clock
const skip = haveBrowser ? false : 'chromium is not installed';
let dir, srv, browser, desk, phone;

async function noSeriousViolations(page, what) {
  const v = await axeViolations(page);
  assert.deepEqual(v.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `${what}: axe found serious problems`);
}

async function signIn(ctx) {
  const page = await ctx.newPage();
  await page.goto(srv.url + '/admin/');
  if (/\/admin\/$/.test(page.url())) return page; // signed in before
  assert.match(page.url(), /\/admin\/login$/);
  await page.fill('#name', 'olivia');
  await page.fill('#password', 'owner-password-1');
  await Promise.all([page.waitForURL(/\/admin\/$/), page.click('button.primary')]);
  return page;
}

before(async () => {
  if (skip) return;
  dir = makeSite({ conf: '[comments]\nmin_seconds = 0\nrate = 0\nmoderation = all' });
  addUser(dir, 'olivia', 'owner-password-1', 'owner');
  srv = await startServer(dir, [], { GAZETTE_NOW: String(NOW) });
  browser = await launchBrowser();
  desk = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  if (dir) removeSite(dir);
});

test('sign in, write, take a suggested label, publish, see it on the site', { skip }, async () => {
  const login = await phone.newPage();
  await login.goto(srv.url + '/admin/login');
  await noSeriousViolations(login, 'login');
  await screenshot(login, 'admin-login-phone');
  await login.close();

  const page = await signIn(desk);
  await page.click('text=Write a new post');
  await page.fill('#title', 'North Korea and Russia sign an arms deal');
  await page.fill('#source', 'Kim Jong Un met Vladimir Putin at a space port in the Russian far east.\n\n'
    + 'North Korea has shells and rockets; Russia has technology and grain. '
    + 'Officials in Seoul and Tokyo watched the North Korea talks closely.');
  await page.click('button[value="preview"]');
  await page.waitForSelector('.preview .prose p');
  const chip = page.locator('.chips button', { hasText: 'North Korea' }).first();
  await chip.click();
  await page.waitForSelector('.preview');
  assert.equal(await page.inputValue('#labels'), 'North Korea');
  // The script renders the preview while one types (CSP allows only it).
  await page.locator('#source').press('End');
  await page.locator('#source').type('\n\nA **live** line.');
  await page.waitForSelector('.preview .prose strong:has-text("live")');
  await page.fill('#labels', (await page.inputValue('#labels')) + ', World');
  await noSeriousViolations(page, 'editor');
  await screenshot(page, 'admin-editor');
  await Promise.all([page.waitForURL(/saved=1/), page.click('button[value="publish"]')]);
  assert.match(await page.textContent('.notice'), /Saved\./);
  await Promise.all([page.waitForNavigation(), page.click('.notice a')]);
  assert.match(page.url(), /\/2026\/09\/north-korea-and-russia-sign-arms-deal\.html$/);
  assert.equal(await page.textContent('h1'), 'North Korea and Russia sign an arms deal');
  assert.ok(await page.locator('a[href="/search/label/North%20Korea"]').count() > 0, 'the chip became a label');
  await noSeriousViolations(page, 'public post');
  await screenshot(page, 'site-post');
  await page.close();
});

test('schedule a post: listed as scheduled, not on the site yet', { skip }, async () => {
  const page = await signIn(desk);
  await page.goto(srv.url + '/admin/posts/new');
  await page.fill('#title', 'Morning briefing for Tuesday');
  await page.fill('#source', 'What to watch today.');
  await page.fill('#when', '2026-09-22T07:30');
  await Promise.all([page.waitForURL(/saved=1/), page.click('button[value="schedule"]')]);
  assert.match(await page.textContent('.notice'), /goes live on September 22, 2026 at 7:30/);
  assert.equal(await page.textContent('.head .badge'), 'scheduled');
  assert.equal((await get(srv.url + '/2026/09/morning-briefing-for-tuesday.html')).status, 404);
  await page.goto(srv.url + '/admin/posts');
  assert.match(await page.textContent('table.list'), /Morning briefing for Tuesday\s*scheduled/);
  await noSeriousViolations(page, 'posts list');
  await screenshot(page, 'admin-posts');
  await page.close();
});

test('a reader comments; the owner approves it from the queue', { skip }, async () => {
  const reader = await desk.browser().newContext();
  const rp = await reader.newPage();
  await rp.goto(srv.url + '/2026/09/north-korea-and-russia-sign-arms-deal.html');
  await rp.fill('#cf-name', 'Marta from Busan');
  await rp.fill('#cf-body', 'Seoul will not like this at all.');
  await Promise.all([rp.waitForNavigation(), rp.click('#comment-form button[type="submit"]')]);
  assert.match(rp.url(), /\/comment\/held/);
  await reader.close();

  const page = await signIn(phone);
  await page.goto(srv.url + '/admin/comments');
  const card = page.locator('.comment-card', { hasText: 'Marta from Busan' });
  assert.equal(await card.count(), 1);
  await noSeriousViolations(page, 'comments queue');
  await screenshot(page, 'admin-comments-phone');
  await Promise.all([page.waitForURL(/done=1/), card.locator('button', { hasText: 'Approve' }).click()]);
  assert.match(await page.textContent('.notice'), /Done: 1/);
  const pub = await get(srv.url + '/2026/09/north-korea-and-russia-sign-arms-deal.html');
  assert.match(pub.body, /Seoul will not like this at all\./);
  await page.close();
});

test('dashboard, editor, stats and labels on a phone; public front page', { skip }, async () => {
  const page = await signIn(phone);
  await noSeriousViolations(page, 'dashboard');
  await screenshot(page, 'admin-dashboard-phone');
  await page.goto(srv.url + '/admin/posts/new');
  await page.fill('#title', 'A draft on the phone');
  await noSeriousViolations(page, 'editor on a phone');
  await screenshot(page, 'admin-editor-phone');
  await page.goto(srv.url + '/admin/stats');
  assert.ok(await page.locator('svg.chart').count() === 1);
  await noSeriousViolations(page, 'stats');
  await screenshot(page, 'admin-stats-phone');
  await page.goto(srv.url + '/admin/labels');
  await noSeriousViolations(page, 'labels');
  await screenshot(page, 'admin-labels-phone');
  await page.goto(srv.url + '/admin/users');
  await noSeriousViolations(page, 'accounts');
  await screenshot(page, 'admin-users-phone');
  await page.goto(srv.url + '/admin/tokens');
  await noSeriousViolations(page, 'API tokens');
  const wide = await signIn(desk);
  await wide.goto(srv.url + '/admin/stats');
  await screenshot(wide, 'admin-stats');
  await wide.goto(srv.url + '/admin/comments?status=approved');
  await screenshot(wide, 'admin-comments');
  await wide.goto(srv.url + '/');
  await noSeriousViolations(wide, 'front page');
  await page.close();
  await wide.close();
});
