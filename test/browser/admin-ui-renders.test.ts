import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type TestBrowser } from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('admin UI in Chromium', () => {
  let api: TestApp;
  let browser: TestBrowser;
  beforeAll(async () => {
    api = await startTestApp();
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('renders the react-admin app from the API origin', async () => {
    const { page } = browser;
    await page.goto(api.baseUrl + '/');
    await expect(page.title()).resolves.toBe('Recovery Desk');
    // Not signed in yet: react-admin shows its login form.
    await page.locator('input[name="username"]').waitFor({ timeout: 20_000 });
    await expect(page.locator('input[name="password"]').count()).resolves.toBe(1);
    await browser.screenshot('login');
    // Only the expected 401 of the session probe may be reported.
    expect(browser.errors.filter((e) => !/401/.test(e))).toEqual([]);
  });
});
