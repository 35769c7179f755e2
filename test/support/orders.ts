import { createHmac } from 'node:crypto';
import type { Test } from 'supertest';
import { generateOrders, type GeneratedOrder } from '../../backend/src/fleet-generator/generate-orders.js';
import type { TestApp } from './test-app.js';

/** The demo/test defaults of the platform credentials (APP_MODE=test accepts them). */
export const platformApiKey = 'demo-only-platform-api-key';
export const platformWebhookSecret = 'demo-only-platform-webhook-secret';

export const asPlatform = <T extends Test>(request: T): T => request.set('Authorization', `Bearer ${platformApiKey}`);

/** A valid order in the platform's JSON shape, with overrides. */
export function sampleOrder(overrides: Record<string, unknown> = {}) {
  return {
    source: 'test-store',
    externalId: `T-${Math.random().toString(36).slice(2, 10)}`,
    placedAt: '2026-11-20T10:00:00Z',
    currency: 'USD',
    customer: { externalId: 'CUST-1', email: 'ada@example.com', name: 'Ada Ito' },
    device: { id: 'PRN-0000001', model: 'InkJet 3000', firmwareVersion: '4.2.1' },
    lines: [
      { sku: 'TONER-BK-3000', quantity: 2, unitPriceMinor: 3499, unitCostMinor: 1100 },
      { sku: 'PAPER-A4-500', quantity: 1, unitPriceMinor: 899, unitCostMinor: 300 },
    ],
    shippingChargedMinor: 499,
    shippingLabelCostMinor: 420,
    paymentReference: 'pi_test123',
    fulfilment: { state: 'unfulfilled' },
    shipTo: { name: 'Ada Ito', line1: '12 Main St', city: 'Austin', postalCode: '73301', country: 'US' },
    ...overrides,
  };
}

export function generated(count: number, seed = 42): GeneratedOrder[] {
  return [...generateOrders({ seed, orders: count, now: new Date('2026-11-20T00:00:00Z') })];
}

export const toNdjson = (orders: unknown[]) => orders.map((o) => JSON.stringify(o)).join('\n') + '\n';

/** Loads orders the way the shops send them (bulk NDJSON as the platform); fails the test on anything but 200. */
export const ingestOrders = (api: TestApp, orders: unknown[]) =>
  asPlatform(api.http.post('/api/orders/bulk')).set('Content-Type', 'application/x-ndjson').send(toNdjson(orders)).expect(200);

export function signWebhook(body: string, timestamp = Math.floor(Date.now() / 1000), secret = platformWebhookSecret) {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { 'X-Platform-Timestamp': String(timestamp), 'X-Platform-Signature': `v1=${signature}`, 'Content-Type': 'application/json' };
}

export async function orderCounts(api: TestApp) {
  const { rows } = await api.db.query<{ orders: number; lines: number; customers: number; devices: number }>(
    `SELECT (SELECT count(*) FROM orders)::int AS orders, (SELECT count(*) FROM order_line)::int AS lines,
            (SELECT count(*) FROM customer)::int AS customers, (SELECT count(*) FROM device)::int AS devices`,
  );
  return rows[0]!;
}
