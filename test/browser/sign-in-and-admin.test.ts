import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type TestBrowser } from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { insertUser } from '../support/users.js';

/** Console noise a signed-out first visit legitimately produces (the session probe's 401). */
const expected401 = (message: string) => /401/.test(message);

describe('signing in and the admin screens, in Chromium', () => {
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

  it('renders the react-admin app from the API origin, signed out: the login form', async () => {
    const { page } = browser;
    await page.goto(api.baseUrl + '/');
    await expect(page.title()).resolves.toBe('Recovery Desk');
    await page.locator('input[name="username"]').waitFor({ timeout: 20_000 });
    await expect(page.locator('input[name="password"]').count()).resolves.toBe(1);
    await browser.screenshot('login');
    // Only the expected 401 of the session probe may be reported.
    expect(browser.errors.filter((e) => !expected401(e))).toEqual([]);
  });

  it('rejects a wrong password on the login form with the server’s message', async () => {
    const { page } = browser;
    const user = await insertUser(api, ['finance']);
    await page.goto(api.baseUrl + '/');
    await page.fill('input[name="username"]', user.email);
    await page.fill('input[name="password"]', 'definitely wrong');
    await page.click('button[type="submit"]');
    await page.getByText('Invalid email or password').waitFor();
  });

  it('signs an admin in to the dashboard, which shows live health', async () => {
    const { page } = browser;
    const admin = await insertUser(api, ['admin'], { email: 'ada.admin@example.test' });
    await page.goto(api.baseUrl + '/');
    await page.fill('input[name="username"]', admin.email);
    await page.fill('input[name="password"]', admin.password);
    await page.click('button[type="submit"]');
    await page.getByTestId('dashboard').waitFor();
    await page.getByTestId('health-card').getByText('database', { exact: false }).first().waitFor();
    await browser.screenshot('dashboard-admin');
    // Admin menus follow the permission matrix.
    await expect(page.getByRole('menuitem', { name: /users/i }).count()).resolves.toBeGreaterThan(0);
  });

  it('lists users from the API and shows the audit trail of the sign-in', async () => {
    const { page } = browser;
    await page.goto(api.baseUrl + '/#/users');
    await page.getByText('ada.admin@example.test').first().waitFor();
    const { rows } = await api.db.query(`SELECT count(*)::int AS n FROM app_user`);
    await page
      .getByText(new RegExp(`of ${rows[0].n}\\b`))
      .first()
      .waitFor();
    await browser.screenshot('users-list');

    await page.goto(api.baseUrl + '/#/audit-log');
    await page.getByText('auth.login').first().waitFor();
    await browser.screenshot('audit-log');
    expect(browser.errors.filter((e) => !expected401(e))).toEqual([]);
  });

  it('deactivates a user only with a reason, in a dialog that names them', async () => {
    const { page } = browser;
    const errorsBefore = browser.errors.length;
    const user = await insertUser(api, ['finance']);
    await page.goto(`${api.baseUrl}/#/users/${user.id}`);
    await page.locator('input[name="active"]').uncheck();
    await page.getByTestId('user-save-deactivate').click();
    const dialog = page.getByTestId('user-deactivate-dialog');
    await dialog.getByText(`Deactivate ${user.email}?`).waitFor();
    await dialog.getByTestId('user-deactivate-dialog-confirm').click();
    await dialog.getByText('Required').waitFor(); // refused in the browser: nothing sent
    const active = async () =>
      (await api.db.query<{ active: boolean }>(`SELECT active FROM app_user WHERE id = $1`, [user.id])).rows[0]!.active;
    expect(await active()).toBe(true);
    await dialog.getByTestId('user-deactivate-dialog-reason').fill('left the company');
    await dialog.getByTestId('user-deactivate-dialog-confirm').click();
    await page.waitForURL(new RegExp(`#/users/${user.id}/show`));
    expect(await active()).toBe(false);
    const { rows } = await api.db.query<{ reason: string }>(
      `SELECT reason FROM audit_log WHERE action = 'users.edit' AND target_id = $1 ORDER BY at DESC LIMIT 1`,
      [user.id],
    );
    expect(rows[0]?.reason).toBe('left the company');
    expect(browser.errors.slice(errorsBefore)).toEqual([]);
  });

  it('hides admin-only menus from a finance user', async () => {
    const { page } = browser;
    const finance = await insertUser(api, ['finance']);
    // Sign out through the user menu, as a person would.
    await page.getByRole('button', { name: /profile/i }).click();
    await page.getByRole('menuitem', { name: /logout/i }).click();
    await page.locator('input[name="username"]').waitFor();
    await page.fill('input[name="username"]', finance.email);
    await page.fill('input[name="password"]', finance.password);
    await page.click('button[type="submit"]');
    await page.getByTestId('dashboard').waitFor();
    await page.getByRole('menuitem', { name: /audit/i }).first().waitFor();
    await expect(page.getByRole('menuitem', { name: /users/i }).count()).resolves.toBe(0);
  });
});
