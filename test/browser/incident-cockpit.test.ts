import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compromisedFirmware } from '../../backend/src/fleet-generator/generate-orders.js';
import { openBrowser, signInThroughUi, type TestBrowser } from '../support/browser.js';
import { generated, ingestOrders } from '../support/orders.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { userWithRoles, type TestUser } from '../support/users.js';

interface CurrencyValue {
  currency: string;
  orders: number;
  totalMinor: number;
}

describe('incident cockpit in Chromium', () => {
  let api: TestApp;
  let browser: TestBrowser;
  let commander: TestUser;
  let incidentId: string;
  const fleet = generated(600, 11);
  const attack = { model: compromisedFirmware.model, firmware: compromisedFirmware.firmwareVersion };

  beforeAll(async () => {
    api = await startTestApp();
    await ingestOrders(
      api,
      fleet.map((g) => g.order),
    );
    commander = await userWithRoles(api, ['incident_commander']);
    // Declared through the API from an order filter, with the count the API itself reports.
    const query = new URLSearchParams(attack).toString();
    const matching = (await commander.as(api.http.get(`/api/orders?${query}&_perPage=1`)).expect(200)).body.total as number;
    expect(matching).toBeGreaterThan(1);
    const declared = await commander
      .as(api.http.post('/api/incidents'))
      .send({ title: 'InkJet 3000 firmware 4.2.1 ordering fuser kits', severity: 'high', orderFilter: attack, expectedCount: matching })
      .expect(201);
    incidentId = declared.body.id;
    browser = await openBrowser();
    await signInThroughUi(browser.page, api.baseUrl, commander.email, commander.password);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  const incident = async () => (await commander.as(api.http.get(`/api/incidents/${incidentId}`)).expect(200)).body;
  /** Full-page screenshot from the top, nothing focused (the app bar hides on scroll). */
  async function shot(name: string) {
    await browser.page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });
    await browser.screenshot(name);
  }

  /** The cockpit's member figures and value rows must be the API's, to the order and the minor unit. */
  async function expectFiguresOf(body: { members: Record<string, number>; value: Record<string, CurrencyValue[]> }) {
    const { page } = browser;
    for (const state of ['suspected', 'confirmed', 'excluded']) {
      await page.locator(`[data-testid="incident-figure-${state}"][data-value="${body.members[state]}"]`).waitFor();
    }
    for (const state of ['confirmed', 'suspected'] as const) {
      for (const v of body.value[state]) {
        const cell = page.locator(`[data-testid="incident-value-row"][data-currency="${v.currency}"] td[data-state="${state}"]`);
        await expect(cell.getAttribute('data-minor')).resolves.toBe(String(v.totalMinor));
      }
    }
  }

  it('lists the incident and opens its cockpit with the API’s figures', async () => {
    const { page } = browser;
    const body = await incident();
    await page.goto(`${api.baseUrl}/#/incidents`);
    await page.getByTestId('incidents-list').waitFor();
    await page.getByText(body.reference).first().waitFor();
    await shot('incidents-list');
    await page.getByText(body.reference).first().click();

    await page.getByTestId('incident-show').waitFor();
    expect(await page.getByTestId('incident-reference').innerText()).toBe(body.reference);
    expect(await page.getByTestId('incident-status').innerText()).toBe('Declared');
    expect(await page.getByTestId('incident-severity').innerText()).toBe('High');
    expect(await page.getByTestId('incident-commander').innerText()).toContain(commander.email);
    await expectFiguresOf(body);
    expect(body.members.suspected).toBeGreaterThan(0);
    expect(body.value.suspected.length).toBeGreaterThan(0);
    await page.locator(`[data-testid="incident-figure-devices"][data-value="${body.devices}"]`).waitFor();
    // Only the lifecycle's next step is offered.
    await page.getByTestId('incident-transition-triage').waitFor();
    await expect(page.locator('[data-testid^="incident-transition-"][data-testid$="remediating"]').count()).resolves.toBe(0);
    await expect
      .poll(() => page.getByTestId('incident-members-table').locator('tbody tr').count())
      .toBe(Math.min(25, body.members.suspected));
    await shot('incident-cockpit');

    // Devices behind the orders, each linking to its page; the summary as a same-origin download.
    await page.getByTestId('incident-tab-devices').click();
    await expect.poll(() => page.getByTestId('incident-device-row').count()).toBe(body.devices);
    const firstDevice = page.getByTestId('incident-device-row').first();
    const deviceId = await firstDevice.getAttribute('data-device-id');
    expect(await firstDevice.locator('a').first().getAttribute('href')).toBe(`#/devices/${encodeURIComponent(deviceId!)}/show`);
    await shot('incident-devices');
    await page.getByTestId('incident-tab-summary').click();
    const download = page.getByTestId('incident-summary-download');
    expect(await download.getAttribute('href')).toBe(`/api/incidents/${incidentId}/summary.md`);
    expect(await download.getAttribute('download')).toBe(`${body.reference}-summary.md`);
  });

  it('confirms all orders matching a filter after showing the API’s exact count', async () => {
    const { page } = browser;
    const before = await incident();
    // The currency holding most of the incident's orders: a filter that matches some members, not all.
    const currency = [...before.value.suspected].sort((a: CurrencyValue, b: CurrencyValue) => b.orders - a.orders)[0].currency as string;
    const filter = { ...attack, currency };
    const counted = (
      await commander.as(api.http.get(`/api/incidents/${incidentId}/members/count?${new URLSearchParams(filter)}`)).expect(200)
    ).body;
    expect(counted.count).toBeGreaterThan(0);

    await page.goto(`${api.baseUrl}/#/incidents/${incidentId}/show`);
    await page.getByTestId('incident-members-by-filter').click();
    const dialog = page.getByTestId('incident-members-filter-dialog');
    await dialog.waitFor();
    // A person who clicks into a field while the dialog is still opening keeps their place: the
    // dialog's "focus the first field" (on its 225 ms enter transition's end) must not take it.
    await dialog.locator('input[name="model"]').focus();
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('model');
    await dialog.locator('input[name="model"]').fill(filter.model);
    await dialog.locator('input[name="firmware"]').fill(filter.firmware);
    await dialog.locator('input[name="currency"]').fill(currency);
    await dialog.locator(`[data-testid="incident-members-count"][data-count="${counted.count}"]`).waitFor();
    expect(await dialog.getByTestId('incident-dialog-confirm').innerText()).toContain(`${counted.count}`);
    await dialog.getByTestId('incident-reason-input').fill('same fuser kit to the same three addresses');
    await browser.screenshot('incident-members-by-filter');
    await dialog.getByTestId('incident-dialog-confirm').click();
    await dialog.waitFor({ state: 'detached' });

    const after = await incident();
    expect(after.members.confirmed).toBe(counted.count);
    expect(after.members.suspected).toBe(before.members.suspected - counted.count);
    await expectFiguresOf(after);

    // Bulk triage of a selection: exclude one row with a reason; the toolbar and the dialog say it is this page's one row.
    await page.getByTestId('incident-members-table').locator('tbody tr input[type="checkbox"]').first().check();
    await page.getByText(/^1 selected on this page \(\d+ match\)$/).waitFor();
    await page.getByTestId('incident-members-bulk-exclude').click();
    const bulk = page.getByTestId('incident-members-bulk-dialog');
    expect(await bulk.getByTestId('incident-members-bulk-scope').getAttribute('data-scope')).toBe('page');
    expect(await bulk.getByTestId('incident-dialog-confirm').innerText()).toMatch(/Exclude 1 order$/i);
    // The dialog puts the keyboard in its reason field.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('incident-reason-input');
    await bulk.getByTestId('incident-reason-input').fill('customer confirmed they ordered it');
    await bulk.getByTestId('incident-dialog-confirm').click();
    await bulk.waitFor({ state: 'detached' });
    const excluded = await incident();
    expect(excluded.members.excluded).toBe(1);
    await expectFiguresOf(excluded);

    // "Select all N matching" is an explicit choice, and the confirmation names all N; Escape closes it unchanged.
    const total = excluded.members.suspected + excluded.members.confirmed + excluded.members.excluded;
    const table = page.getByTestId('incident-members-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(Math.min(25, total));
    await table.locator('thead input[type="checkbox"]').check();
    if (total > 25) {
      expect(await page.getByTestId('bulk-select-all-matching').innerText()).toMatch(
        new RegExp(`Select all ${total.toLocaleString('en')} matching`, 'i'),
      );
      await page.getByTestId('bulk-select-all-matching').click();
    }
    await page.getByText(`All ${total.toLocaleString('en')} matching selected`).waitFor();
    await page.getByTestId('incident-members-bulk-suspect').click();
    const all = page.getByTestId('incident-members-bulk-dialog');
    expect(await all.getByTestId('incident-members-bulk-scope').getAttribute('data-scope')).toBe('all');
    expect(await all.getByTestId('incident-dialog-confirm').innerText()).toMatch(
      new RegExp(`Suspect ${total.toLocaleString('en')} orders?$`, 'i'),
    );
    await page.keyboard.press('Escape');
    await all.waitFor({ state: 'detached' });
    expect((await incident()).members).toEqual(excluded.members);
  });

  it('moves declared → triage and posts an update that shows on the timeline', async () => {
    const { page } = browser;
    await page.goto(`${api.baseUrl}/#/incidents/${incidentId}/show?tab=timeline`);
    await page.getByTestId('incident-transition-triage').click();
    const dialog = page.getByTestId('incident-transition-dialog');
    await dialog.getByTestId('incident-reason-input').fill('support confirmed the pattern');
    await dialog.getByTestId('incident-dialog-confirm').click();
    await page.locator('[data-testid="incident-show"][data-status="triage"]').waitFor();
    expect((await incident()).status).toBe('triage');
    // Next steps from triage: remediating, or resolved as a false alarm.
    await page.getByTestId('incident-transition-remediating').waitFor();
    await page.getByTestId('incident-transition-resolved').waitFor();

    const message = `Carrier asked to intercept ${Date.now()}`;
    await page.getByTestId('incident-update-input').fill(message);
    await page.getByTestId('incident-update-submit').click();
    const newest = page.getByTestId('incident-timeline-event').first();
    await newest.getByText(message).waitFor();
    const timeline = (await commander.as(api.http.get(`/api/incidents/${incidentId}/timeline?_perPage=100`)).expect(200)).body;
    expect(timeline.data[0]).toMatchObject({ kind: 'update', message });
    await expect.poll(() => page.getByTestId('incident-timeline-event').count()).toBe(timeline.total);
    await shot('incident-timeline');
  });

  it('declares from the orders list filter, showing the exact count first', async () => {
    const { page } = browser;
    const filter = { model: 'FreshCube' };
    const expected = (await commander.as(api.http.get(`/api/orders?model=FreshCube&_perPage=1`)).expect(200)).body.total as number;
    expect(expected).toBeGreaterThan(0);
    await page.goto(`${api.baseUrl}/#/orders?filter=${encodeURIComponent(JSON.stringify(filter))}`);
    await page.getByTestId('orders-declare-incident-button').click();
    await page.locator(`[data-testid="incident-declare-count"][data-count="${expected}"]`).waitFor();
    await page.locator('input[name="title"]').fill('FreshCube filters ordered twice');
    await page.getByRole('combobox', { name: 'Severity' }).click();
    await page.getByRole('option', { name: 'Medium' }).click();
    await shot('incident-declare');
    await page.getByTestId('incident-declare-submit').click();
    const dialog = page.getByTestId('incident-declare-dialog');
    await dialog.locator(`[data-testid="incident-declare-confirm-count"][data-count="${expected}"]`).waitFor();
    await dialog.getByTestId('incident-dialog-confirm').click();
    await page.getByTestId('incident-show').waitFor();
    await page.locator(`[data-testid="incident-figure-suspected"][data-value="${expected}"]`).waitFor();
    expect(await page.getByTestId('incident-title').innerText()).toBe('FreshCube filters ordered twice');
    expect(browser.errors.filter((e) => !/401/.test(e))).toEqual([]);
  });
});
