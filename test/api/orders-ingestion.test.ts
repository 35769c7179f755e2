import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { asPlatform, generated, orderCounts, sampleOrder, toNdjson } from '../support/orders.js';

describe('order ingestion: single orders', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api?.close());

  it('needs the platform key (a user session is not enough)', async () => {
    await api.http.post('/api/orders').send(sampleOrder()).expect(401);
    await api.http.post('/api/orders').set('Authorization', 'Bearer wrong-key').send(sampleOrder()).expect(401);
  });

  it('creates, then treats an identical re-send as unchanged and a changed one as an update in place', async () => {
    const order = sampleOrder({ externalId: 'IDEMP-1' });
    const created = await asPlatform(api.http.post('/api/orders')).send(order).expect(201);
    expect(created.body.outcome).toBe('created');
    const again = await asPlatform(api.http.post('/api/orders')).send(order).expect(200);
    expect(again.body).toEqual({ id: created.body.id, outcome: 'unchanged' });
    const changed = await asPlatform(api.http.post('/api/orders'))
      .send({ ...order, lines: [{ sku: 'TONER-CMY-3000', quantity: 1, unitPriceMinor: 5999, unitCostMinor: 2000 }] })
      .expect(200);
    expect(changed.body).toEqual({ id: created.body.id, outcome: 'updated' });
    const { rows } = await api.db.query(
      `SELECT total_minor, subtotal_minor, cost_of_goods_minor, skus, line_count FROM orders WHERE external_id = 'IDEMP-1'`,
    );
    expect(rows).toEqual([{ total_minor: 6498, subtotal_minor: 5999, cost_of_goods_minor: 2000, skus: ['TONER-CMY-3000'], line_count: 1 }]);
    const lines = await api.db.query(`SELECT sku FROM order_line l JOIN orders o ON o.id = l.order_id WHERE o.external_id = 'IDEMP-1'`);
    expect(lines.rows).toEqual([{ sku: 'TONER-CMY-3000' }]);
  });

  it('computes totals and cost of goods in integer minor units, in JPY too', async () => {
    const order = sampleOrder({
      externalId: 'JPY-1',
      currency: 'JPY',
      lines: [{ sku: 'WATER-FILTER-FC', quantity: 3, unitPriceMinor: 5999, unitCostMinor: 1800 }],
      shippingChargedMinor: 750,
      totalMinor: 18747,
    });
    await asPlatform(api.http.post('/api/orders')).send(order).expect(201);
    const { rows } = await api.db.query(`SELECT currency, total_minor, cost_of_goods_minor FROM orders WHERE external_id = 'JPY-1'`);
    expect(rows).toEqual([{ currency: 'JPY', total_minor: 18747, cost_of_goods_minor: 5400 }]);
  });

  it.each([
    ['an unknown currency', { currency: 'XYZ' }, 'currency', /ISO 4217/],
    [
      'a negative quantity',
      { lines: [{ sku: 'A', quantity: -1, unitPriceMinor: 100, unitCostMinor: 50 }] },
      'lines.0.quantity',
      /at least 1/,
    ],
    [
      'a fractional amount',
      { lines: [{ sku: 'A', quantity: 1, unitPriceMinor: 12.5, unitCostMinor: 50 }] },
      'lines.0.unitPriceMinor',
      /integer amount of minor units/,
    ],
    ['totals that do not add up', { totalMinor: 1 }, 'totalMinor', /add up to 8396/],
    ['no lines', { lines: [] }, 'lines', /at least one line/],
    ['a bad placed-at', { placedAt: 'yesterday' }, 'placedAt', /ISO 8601/],
    ['a bad country', { shipTo: { name: 'A', line1: 'B', city: 'C', postalCode: '1', country: 'usa' } }, 'shipTo.country', /alpha-2/],
    ['an unknown field', { coupon: 'FREE' }, 'coupon', /not a known field/],
    ['a bad payment reference', { paymentReference: 'card-1234' }, 'paymentReference', /PaymentIntent/],
  ])('rejects %s with 400 naming the field, writing nothing', async (_what, override, field, message) => {
    const before = await orderCounts(api);
    const res = await asPlatform(api.http.post('/api/orders')).send(sampleOrder(override)).expect(400);
    expect(res.body.fields).toEqual(expect.arrayContaining([{ field, message: expect.stringMatching(message) }]));
    expect(await orderCounts(api)).toEqual(before);
  });

  it('writes one audit row per ingest with the platform as actor', async () => {
    await asPlatform(api.http.post('/api/orders'))
      .send(sampleOrder({ externalId: 'AUDIT-1' }))
      .expect(201);
    const { rows } = await api.db.query(
      `SELECT actor_id, actor_email, action, target_id, summary FROM audit_log WHERE target_id = 'test-store/AUDIT-1'`,
    );
    expect(rows).toEqual([
      {
        actor_id: null,
        actor_email: 'machine:platform',
        action: 'orders.ingest',
        target_id: 'test-store/AUDIT-1',
        summary: { created: 1, updated: 0, unchanged: 0 },
      },
    ]);
  });
});

describe('order ingestion: bulk NDJSON', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp({ INGEST_MAX_BYTES: '4mb' });
  });
  afterAll(() => api?.close());

  it('lands the good lines in batches and reports each bad one by line number', async () => {
    const orders = generated(4500).map((g) => g.order);
    const lines = toNdjson(orders).split('\n');
    lines.splice(10, 0, '{not json');
    lines.splice(20, 0, JSON.stringify({ ...orders[0], externalId: 'BAD-CUR', currency: 'ZZZ' }));
    const res = await asPlatform(api.http.post('/api/orders/bulk'))
      .set('Content-Type', 'application/x-ndjson')
      .send(lines.join('\n'))
      .expect(200);
    expect(res.body).toMatchObject({
      mode: 'valid-only',
      lines: 4502,
      created: 4500,
      updated: 0,
      unchanged: 0,
      rejected: 2,
      committed: true,
    });
    expect(res.body.errors).toEqual([
      { line: 11, field: '(line)', message: expect.stringMatching(/not valid JSON/) },
      { line: 21, field: 'currency', message: expect.stringMatching(/ISO 4217/) },
    ]);
    expect((await orderCounts(api)).orders).toBe(4500);

    // The same file again changes nothing.
    const again = await asPlatform(api.http.post('/api/orders/bulk'))
      .set('Content-Type', 'application/x-ndjson')
      .send(lines.join('\n'))
      .expect(200);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 4500, rejected: 2 });
    expect((await orderCounts(api)).orders).toBe(4500);
  });

  it('writes nothing in all-or-nothing mode when one line is bad (422)', async () => {
    const before = await orderCounts(api);
    const orders = generated(300, 7).map((g) => ({ ...g.order, source: 'aon' }));
    const body = toNdjson([...orders, { ...orders[0], externalId: 'X', lines: [] }]);
    const res = await asPlatform(api.http.post('/api/orders/bulk?mode=all-or-nothing'))
      .set('Content-Type', 'application/x-ndjson')
      .send(body)
      .expect(422);
    expect(res.body).toMatchObject({ committed: false, created: 0, rejected: 1, lines: 301 });
    expect(res.body.errors[0]).toMatchObject({ line: 301, field: 'lines' });
    expect(await orderCounts(api)).toEqual(before);
    // Without the bad line, all land.
    const ok = await asPlatform(api.http.post('/api/orders/bulk?mode=all-or-nothing'))
      .set('Content-Type', 'application/x-ndjson')
      .send(toNdjson(orders))
      .expect(200);
    expect(ok.body).toMatchObject({ committed: true, created: 300 });
  });

  it('answers 415 for a non-NDJSON body and 413 beyond the limit, writing nothing', async () => {
    const before = await orderCounts(api);
    await asPlatform(api.http.post('/api/orders/bulk')).set('Content-Type', 'text/csv').send('a,b').expect(415);
    const big = toNdjson(generated(9000, 9).map((g) => ({ ...g.order, source: 'too-big' })));
    expect(big.length).toBeGreaterThan(4 * 1024 * 1024);
    const res = await asPlatform(api.http.post('/api/orders/bulk?mode=all-or-nothing'))
      .set('Content-Type', 'application/x-ndjson')
      .send(big);
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/bulk import limit/);
    expect(await orderCounts(api)).toEqual(before);
  });

  it('rejects an unknown mode with 400 naming it', async () => {
    const res = await asPlatform(api.http.post('/api/orders/bulk?mode=yolo'))
      .set('Content-Type', 'application/x-ndjson')
      .send('')
      .expect(400);
    expect(res.body.fields[0].field).toBe('mode');
  });
});
