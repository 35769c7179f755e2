import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { orderCounts, sampleOrder, signWebhook } from '../support/orders.js';

describe('signed platform webhook', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api?.close());

  const send = (event: unknown, headers?: Record<string, string>) => {
    const body = JSON.stringify(event);
    return api.http
      .post('/api/webhooks/platform')
      .set(headers ?? signWebhook(body))
      .send(body);
  };

  it('creates an order from order.created and processes each event id once', async () => {
    const event = { id: 'evt_1', type: 'order.created', data: { order: sampleOrder({ externalId: 'WH-1' }) } };
    const first = await send(event).expect(200);
    expect(first.body).toMatchObject({ received: 'evt_1', duplicate: false, outcome: 'created' });
    const again = await send(event).expect(200);
    expect(again.body).toEqual({ received: 'evt_1', duplicate: true });
    expect((await orderCounts(api)).orders).toBe(1);
  });

  it('applies fulfilment changes to the order', async () => {
    const res = await send({
      id: 'evt_2',
      type: 'order.fulfilment_changed',
      data: { source: 'test-store', externalId: 'WH-1', fulfilment: { state: 'in_transit', carrier: 'UPS', trackingNumber: '1Z999' } },
    }).expect(200);
    expect(res.body.duplicate).toBe(false);
    const { rows } = await api.db.query(`SELECT fulfilment_state, carrier, tracking_number FROM orders WHERE external_id = 'WH-1'`);
    expect(rows).toEqual([{ fulfilment_state: 'in_transit', carrier: 'UPS', tracking_number: '1Z999' }]);
  });

  it('answers 404 for a fulfilment change of an unknown order and keeps the event retryable', async () => {
    const event = {
      id: 'evt_3',
      type: 'order.fulfilment_changed',
      data: { source: 'test-store', externalId: 'NOPE', fulfilment: { state: 'delivered' } },
    };
    await send(event).expect(404);
    const { rows } = await api.db.query(`SELECT count(*)::int AS n FROM platform_event WHERE id = 'evt_3'`);
    expect(rows[0].n).toBe(0);
  });

  it.each([
    ['a forged signature', (body: string) => ({ ...signWebhook(body, undefined, 'not-the-secret-at-all') }), /does not match/],
    ['a stale timestamp', (body: string) => signWebhook(body, Math.floor(Date.now() / 1000) - 301), /more than 300 s/],
    [
      'a missing signature',
      () => ({ 'Content-Type': 'application/json', 'X-Platform-Timestamp': String(Math.floor(Date.now() / 1000)) }),
      /missing/,
    ],
  ])('refuses %s with 401 and writes nothing', async (_what, headersFor, message) => {
    const before = await orderCounts(api);
    const body = JSON.stringify({ id: 'evt_forged', type: 'order.created', data: { order: sampleOrder({ externalId: 'FORGED' }) } });
    const res = await api.http.post('/api/webhooks/platform').set(headersFor(body)).send(body).expect(401);
    expect(res.body.message).toMatch(message);
    expect(await orderCounts(api)).toEqual(before);
  });

  it('refuses a body altered after signing', async () => {
    const signed = JSON.stringify({ id: 'evt_4', type: 'order.created', data: { order: sampleOrder({ externalId: 'WH-4' }) } });
    const tampered = signed.replace('"quantity":2', '"quantity":20');
    await api.http.post('/api/webhooks/platform').set(signWebhook(signed)).send(tampered).expect(401);
  });

  it('rejects an unknown event type with 400, writing nothing', async () => {
    const before = await orderCounts(api);
    const res = await send({ id: 'evt_5', type: 'order.deleted', data: {} }).expect(400);
    expect(res.body.fields[0].field).toBe('type');
    expect(await orderCounts(api)).toEqual(before);
  });
});
