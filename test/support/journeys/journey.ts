import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { TestBrowser } from '../browser.js';
import { testEnv } from '../test-env.js';

/**
 * What every role journey shares: screenshots (some of which are the README's,
 * regenerated with UPDATE_SCREENSHOTS=1), the menu a person clicks, the money
 * the UI's one formatter prints, and the console noise a first visit may make.
 */

/** Where the README's screenshots live; written only when UPDATE_SCREENSHOTS=1. */
export const readmeShotsDir = join(testEnv.repoRoot, 'docs', 'screenshots');
const updateReadmeShots = process.env.UPDATE_SCREENSHOTS === '1';

/**
 * Full-page screenshot from the top, nothing focused (the app bar hides on
 * scroll), into test/artifacts. With `readme`, and UPDATE_SCREENSHOTS=1, one
 * window of it is also saved as docs/screenshots/<name>.png (the window from
 * the top, or from `at` when given): one screen, not the whole page, so the
 * README's images stay small. Notifications are hidden for that copy only.
 */
export async function shot(browser: TestBrowser, name: string, options: { readme?: boolean; at?: Locator } = {}) {
  const { page } = browser;
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  await browser.screenshot(name);
  if (!options.readme || !updateReadmeShots) return;
  mkdirSync(readmeShotsDir, { recursive: true });
  if (options.at) await options.at.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({
    path: join(readmeShotsDir, `${name}.png`),
    style: '.MuiSnackbar-root { visibility: hidden !important; }',
  });
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** A dialog in full: a taller window for the shot, so nothing inside it scrolls. */
export async function dialogShot(browser: TestBrowser, name: string, options: { readme?: boolean; height?: number } = {}) {
  await browser.page.setViewportSize({ width: 1366, height: options.height ?? 1200 });
  await shot(browser, name, options);
  await browser.page.setViewportSize({ width: 1366, height: 850 });
}

/** Opens a page from the side menu, as a person would (the label is the menu's text). */
export async function openFromMenu(page: Page, label: string | RegExp) {
  await page.getByRole('menuitem', { name: label }).first().click();
}

/** What the UI's one money formatter prints for these minor units (locale `en`). */
export function money(amountMinor: number, currency: string) {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
}

/** Console errors other than the session probe's 401 on a signed-out first visit. */
export const unexpectedErrors = (errors: string[]) => errors.filter((e) => !/401/.test(e));

/** The id in a react-admin show URL (`#/<resource>/<id>/show`). */
export function idFromUrl(page: Page, resource: string): string {
  const match = new RegExp(`#/${resource}/([^/?]+)/show`).exec(page.url());
  if (!match) throw new Error(`${page.url()} is not a ${resource} page`);
  return decodeURIComponent(match[1]!);
}
