// Shared by the browser tests: Debian's chromium driven by playwright-core,
// headless, with a fresh profile each launch so no test sees another's
// cookies or storage.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { root } from './helpers.mjs';

const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
export const haveBrowser = existsSync(executablePath);

export async function launchBrowser() {
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu',
      '--disable-background-networking'],
  });
}

// Screenshots land in build/screenshots/ for a person to look at.
export const screenshotDir = join(root, 'build', 'screenshots');

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

// Runs axe-core in the page; returns the serious and critical violations.
// Evaluated through the debugging protocol, not a <script> tag, so the
// pages' strict Content-Security-Policy need not be turned off for it.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function axeViolations(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => globalThis.axe.run());
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
