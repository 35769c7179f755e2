import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { orderCounts } from '../support/orders.js';
import { tableCounts, userWithRoles, type TestUser } from '../support/users.js';

const header =
  'source,external_id,placed_at,currency,customer_id,customer_email,customer_name,device_id,device_model,firmware_version,' +
  'ship_name,ship_line1,ship_line2,ship_city,ship_region,ship_postal_code,ship_country,shipping_charged,shipping_label_cost,' +
  'payment_reference,fulfilment_state,carrier,tracking_number,sku,quantity,unit_price,unit_cost';
const row = (id: string, overrides: Partial<Record<string, string>> = {}) => {
  const cells: Record<string, string> = {
    source: 'csv',
    external_id: id,
    placed_at: '2026-11-20T10:00:00Z',
    currency: 'USD',
    customer_id: 'C-1',
    customer_email: 'a@example.com',
    customer_name: 'A',
    device_id: 'PRN-1',
    device_model: 'InkJet 3000',
    firmware_version: '4.2.1',
    ship_name: 'A',
    ship_line1: '1 Main St',
    ship_line2: '',
    ship_city: 'Austin',
    ship_region: '',
    ship_postal_code: '73301',
    ship_country: 'US',
    shipping_charged: '4.99',
    shipping_label_cost: '3.50',
    payment_reference: 'pi_csv1',
    fulfilment_state: 'unfulfilled',
    carrier: '',
    tracking_number: '',
    sku: 'TONER-BK-3000',
    quantity: '2',
    unit_price: '34.99',
    unit_cost: '11.00',
    ...overrides,
  };
  return header
    .split(',')
    .map((column) => cells[column])
    .join(',');
};

describe('CSV import with preview', () => {
  let api: TestApp;
  let agent: TestUser;
  const csv = [
    header,
    row('OK-1'),
    row('OK-1', { sku: 'PAPER-A4-500', quantity: '1', unit_price: '8.99', unit_cost: '3.00' }),
    row('BAD-1', { currency: 'USD', unit_price: '12.999' }),
    row('BAD-2', { quantity: 'two', ship_country: 'USA' }),
    row('OK-2', { currency: 'JPY', unit_price: '5200', unit_cost: '1700', shipping_charged: '750', shipping_label_cost: '500' }),
  ].join('\n');

  beforeAll(async () => {
    api = await startTestApp({ CSV_IMPORT_MAX_BYTES: '64kb' });
    agent = await userWithRoles(api, ['support_agent']);
  });
  afterAll(() => api?.close());

  it('previews: counts, every bad row and column, totals per currency — and writes nothing', async () => {
    const before = await tableCounts(api, ['orders', 'audit_log']);
    const res = await agent.as(api.http.post('/api/orders/import?mode=preview')).set('Content-Type', 'text/csv').send(csv).expect(200);
    expect(res.body).toMatchObject({ mode: 'preview', rows: 5, orders: 4, validOrders: 2, rejectedOrders: 2, errorsTruncated: false });
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { row: 3, field: 'unit_price', message: 'has 3 decimals but USD has 2' },
        { row: 4, field: 'quantity', message: 'must be a whole number' },
        { row: 4, field: 'ship_country', message: expect.stringMatching(/alpha-2/) },
      ]),
    );
    expect(res.body.currencies).toEqual([
      { currency: 'JPY', orders: 1, totalMinor: 2 * 5200 + 750 },
      { currency: 'USD', orders: 1, totalMinor: 2 * 3499 + 899 + 499 },
    ]);
    expect(await tableCounts(api, ['orders', 'audit_log'])).toEqual(before);
  });

  it('imports only the valid orders when asked, and audits it with the reason', async () => {
    const res = await agent
      .as(api.http.post('/api/orders/import?mode=valid-only&reason=backfill%20from%20store%20export'))
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(200);
    expect(res.body).toMatchObject({ mode: 'valid-only', created: 2, updated: 0, rejected: 2 });
    const { rows } = await api.db.query(
      `SELECT external_id, total_minor, line_count, shipping_label_cost_minor FROM orders ORDER BY external_id`,
    );
    expect(rows).toEqual([
      { external_id: 'OK-1', total_minor: 7897 + 499, line_count: 2, shipping_label_cost_minor: 350 },
      { external_id: 'OK-2', total_minor: 11150, line_count: 1, shipping_label_cost_minor: 500 },
    ]);
    const audit = await api.db.query(`SELECT actor_id, reason FROM audit_log WHERE action = 'orders.import'`);
    expect(audit.rows).toEqual([{ actor_id: agent.id, reason: 'backfill from store export' }]);
  });

  it('names missing and unknown columns of the header', async () => {
    const res = await agent
      .as(api.http.post('/api/orders/import?mode=preview'))
      .set('Content-Type', 'text/csv')
      .send('source,external_id,colour\nx,y,red')
      .expect(200);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { row: 0, field: 'colour', message: 'is not a known column' },
        { row: 0, field: 'currency', message: 'is a required column and is missing' },
      ]),
    );
  });

  it('refuses finance (403), empty files (400) and files over the limit (413), writing nothing', async () => {
    const finance = await userWithRoles(api, ['finance']);
    const before = await orderCounts(api);
    const denied = await finance
      .as(api.http.post('/api/orders/import?mode=valid-only'))
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(403);
    expect(denied.body.message).toMatch(/"orders.import"/);
    await agent.as(api.http.post('/api/orders/import?mode=preview')).set('Content-Type', 'text/csv').send('  ').expect(400);
    const huge = [header, ...Array.from({ length: 400 }, (_, i) => row(`BIG-${i}`))].join('\n');
    const res = await agent.as(api.http.post('/api/orders/import?mode=valid-only')).set('Content-Type', 'text/csv').send(huge).expect(413);
    expect(res.body.message).toMatch(/exceeds the limit/);
    expect(await orderCounts(api)).toEqual(before);
  });
});
