import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, signInThroughUi, type TestBrowser } from '../support/browser.js';
import { idFromUrl, openFromMenu, shot, unexpectedErrors } from '../support/journeys/journey.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { signIn, userWithRoles, type TestUser } from '../support/users.js';

interface AuditEntry {
  action: string;
  actorEmail: string;
  targetId: string | null;
  reason: string | null;
  summary: Record<string, unknown> | null;
}

/**
 * The admin's journey, start to finish, through the UI only: creates a user
 * for a new finance colleague, then raises a detection threshold. The API
 * must show both took effect (the colleague can sign in with exactly the
 * roles given; the next detection pass reads the new threshold), and the
 * audit log, on screen and in the API, records both under the admin's name
 * with the reasons given.
 */
describe('journey of an admin, in Chromium', () => {
  let api: TestApp;
  let browser: TestBrowser;
  let admin: TestUser;
  const colleague = { email: 'fiona.finance@example.test', fullName: 'Fiona Finance', password: 'a long enough passphrase 42' };

  beforeAll(async () => {
    api = await startTestApp({ LOGIN_MAX_ATTEMPTS_PER_IP: '100000' });
    admin = await userWithRoles(api, ['admin']);
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  const get = <T = any>(path: string) =>
    admin
      .as(api.http.get(path))
      .expect(200)
      .then((res) => res.body as T);

  it('signs in and creates a user for a new finance colleague', async () => {
    const { page } = browser;
    await signInThroughUi(page, api.baseUrl, admin.email, admin.password);
    await shot(browser, 'journey-admin-dashboard');
    await openFromMenu(page, 'Users');
    await page.getByText(admin.email).first().waitFor();
    await page.getByRole('link', { name: 'New user' }).click();
    await page.locator('input[name="email"]').fill(colleague.email);
    await page.locator('input[name="fullName"]').fill(colleague.fullName);
    await page.getByRole('combobox', { name: /roles/i }).click();
    await page.getByRole('option', { name: 'Finance', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.locator('input[name="password"]').fill(colleague.password);
    await page.locator('textarea[name="reason"]').fill('Fiona joins the finance team');
    await shot(browser, 'journey-admin-user-create');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/#\/users\/[^/]+\/show/);
    const id = idFromUrl(page, 'users');

    // It took effect: the API has the user with exactly that role, and the colleague can sign in.
    expect(await get(`/api/users/${id}`)).toMatchObject({
      email: colleague.email,
      fullName: colleague.fullName,
      roles: ['finance'],
      active: true,
    });
    await page.getByText(colleague.fullName).first().waitFor();
    const token = await signIn(api, colleague.email, colleague.password);
    const me = await api.http.get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body.user).toMatchObject({ email: colleague.email, roles: ['finance'] });
    expect(me.body.allowedActions).toContain('finance-report.export');
    expect(me.body.allowedActions).not.toContain('users.list');

    // The list shows the API's count.
    await openFromMenu(page, 'Users');
    const users = await get<{ total: number }>('/api/users?_perPage=1');
    expect(users.total).toBe(2);
    await page.getByText(colleague.email).first().waitFor();
    await page
      .getByText(new RegExp(`of ${users.total}\\b`))
      .first()
      .waitFor();
  });

  it('raises the fleet-burst rule’s device threshold, with a reason', async () => {
    const { page } = browser;
    const before = await get<{ thresholds: Record<string, number> }>('/api/detection-rules/fleet-burst');
    expect(before.thresholds.minDevices).toBe(5);
    await openFromMenu(page, 'Detection rules');
    const list = page.getByTestId('detection-rules-list');
    await list.getByText('Fleet burst').click();
    await page.waitForURL(/#\/detection-rules\/fleet-burst$/);
    const input = page.getByTestId('threshold-minDevices');
    await expect.poll(() => input.inputValue()).toBe('5');
    await input.fill('8');
    await page.locator('textarea[name="reason"]').fill('one site runs five kiosks legitimately');
    await shot(browser, 'detection-rule-edit', { readme: true });
    await page.getByTestId('detection-rule-save').click();
    await page.waitForURL(/#\/detection-rules$/);

    // It took effect: the API (which the next detection pass reads) has the new threshold, the list shows it.
    const after = await get<{ thresholds: Record<string, number> }>('/api/detection-rules/fleet-burst');
    expect(after.thresholds).toEqual({ ...before.thresholds, minDevices: 8 });
    const row = list.locator('tr', { hasText: 'Fleet burst' });
    await row.locator('[data-threshold="minDevices"]').getByText('8').waitFor();
  });

  it('finds both changes in the audit log, as the API records them', async () => {
    const { page } = browser;
    const log = await get<{ data: AuditEntry[] }>(`/api/audit-log?actorEmail=${encodeURIComponent(admin.email)}&_perPage=50`);
    const created = log.data.find((e) => e.action === 'users.create')!;
    const tuned = log.data.find((e) => e.action === 'detection-rules.edit')!;
    expect(created).toMatchObject({ actorEmail: admin.email, reason: 'Fiona joins the finance team' });
    expect(tuned).toMatchObject({ actorEmail: admin.email, targetId: 'fleet-burst', reason: 'one site runs five kiosks legitimately' });

    await openFromMenu(page, /audit/i);
    await page.locator('input[name="actorEmail"]').fill(admin.email);
    for (const entry of [created, tuned]) {
      const row = page.locator('tbody tr', { hasText: entry.action });
      await row.first().waitFor();
      expect(await row.count()).toBe(1);
      expect(await row.innerText()).toContain(entry.reason!);
    }
    // Newest first: the threshold change, then the new user.
    const actions = await page.locator('tbody tr td:nth-child(3)').allInnerTexts();
    expect(actions.indexOf('detection-rules.edit')).toBeLessThan(actions.indexOf('users.create'));
    await shot(browser, 'journey-admin-audit-log');
    expect(unexpectedErrors(browser.errors)).toEqual([]);
  });
});
