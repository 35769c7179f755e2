import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, signInThroughUi, type TestBrowser } from '../support/browser.js';
import { generated, ingestOrders } from '../support/orders.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { userWithRoles, type TestUser } from '../support/users.js';

describe('orders screens in Chromium', () => {
  let api: TestApp;
  let browser: TestBrowser;
  let agent: TestUser;
  const fleet = generated(400, 3);
  beforeAll(async () => {
    api = await startTestApp();
    await ingestOrders(
      api,
      fleet.map((g) => g.order),
    );
    agent = await userWithRoles(api, ['support_agent']);
    browser = await openBrowser();
    await signInThroughUi(browser.page, api.baseUrl, agent.email, agent.password);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  const apiTotal = async (query: string) => (await agent.as(api.http.get(`/api/orders?${query}`)).expect(200)).body.total as number;

  it('lists all orders with the exact total from the server', async () => {
    const { page } = browser;
    await page.goto(`${api.baseUrl}/#/orders`);
    await page.getByTestId('orders-list').waitFor();
    await page
      .getByText(new RegExp(`of ${fleet.length}\\b`))
      .first()
      .waitFor();
    await browser.screenshot('orders-list');
  });

  it('filters by fulfilment state and model, showing what the API counts', async () => {
    const { page } = browser;
    const filter = encodeURIComponent(JSON.stringify({ fulfilmentState: ['in_transit'], model: 'InkJet 3000' }));
    await page.goto(`${api.baseUrl}/#/orders?filter=${filter}`);
    const expected = await apiTotal('fulfilmentState=in_transit&model=InkJet%203000');
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(fleet.length);
    await page
      .getByText(new RegExp(`of ${expected}\\b`))
      .first()
      .waitFor();
    await browser.screenshot('orders-filtered');
  });

  it('opens an order and shows its total formatted from minor units', async () => {
    const { page } = browser;
    const sample = fleet.find((g) => g.order.currency === 'JPY')!.order;
    const { body } = await agent.as(api.http.get(`/api/orders?q=${sample.externalId}`)).expect(200);
    const order = body.data[0];
    await page.goto(`${api.baseUrl}/#/orders/${order.id}/show`);
    await page.getByTestId('order-show').waitFor();
    // JPY has no minor unit: the total in minor units is the yen amount.
    const shown = await page.getByTestId('order-total').innerText();
    expect(shown.replace(/[^\d]/g, '')).toBe(String(order.totalMinor));
    expect(shown).toMatch(/¥|JPY/);
    await browser.screenshot('order-show');
    expect(browser.errors.filter((e) => !/401/.test(e))).toEqual([]);
  });

  it('imports a CSV after a preview that names the bad row', async () => {
    const { page } = browser;
    const header =
      'source,external_id,placed_at,currency,customer_id,customer_email,customer_name,device_id,device_model,firmware_version,ship_name,ship_line1,ship_line2,ship_city,ship_region,ship_postal_code,ship_country,shipping_charged,shipping_label_cost,payment_reference,fulfilment_state,carrier,tracking_number,sku,quantity,unit_price,unit_cost';
    const good =
      'csv,UI-1,2026-11-20T10:00:00Z,USD,C-9,c9@example.com,C Nine,PRN-9,InkJet 3000,4.2.1,C Nine,9 Main St,,Austin,,73301,US,4.99,3.50,pi_ui1,unfulfilled,,,TONER-BK-3000,1,34.99,11.00';
    const bad =
      'csv,UI-2,2026-11-20T10:00:00Z,USD,C-9,c9@example.com,C Nine,PRN-9,InkJet 3000,4.2.1,C Nine,9 Main St,,Austin,,73301,US,4.99,3.50,pi_ui2,unfulfilled,,,TONER-BK-3000,1,34.999,11.00';
    const file = join(mkdtempSync(join(tmpdir(), 'rd-csv-')), 'orders.csv');
    writeFileSync(file, [header, good, bad].join('\n'));

    await page.goto(`${api.baseUrl}/#/orders/import`);
    await page.getByTestId('csv-import-page').waitFor();
    await page.getByTestId('csv-file-input').setInputFiles(file);
    await page.getByTestId('csv-preview-button').click();
    const errors = page.getByTestId('csv-preview-errors');
    await errors.getByText('unit_price').first().waitFor();
    await errors.getByText('has 3 decimals but USD has 2').waitFor();
    await expect(errors.getByText(/integer amount of minor units/).count()).resolves.toBe(0);
    await browser.screenshot('csv-preview');
    expect(await apiTotal('q=UI-')).toBe(0); // the preview wrote nothing

    await page.getByTestId('csv-import-valid-button').click();
    await page.getByTestId('csv-import-done-notification').waitFor();
    expect(await apiTotal('q=UI-')).toBe(1);
  });
});
