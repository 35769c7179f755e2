import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { generated, ingestOrders } from '../support/orders.js';
import { userWithRoles, type TestUser } from '../support/users.js';

describe('orders, devices and customers read API', () => {
  let api: TestApp;
  let agent: TestUser;
  const fleet = generated(2000, 11);
  beforeAll(async () => {
    api = await startTestApp();
    agent = await userWithRoles(api, ['support_agent']);
    await ingestOrders(
      api,
      fleet.map((g) => g.order),
    );
  });
  afterAll(() => api?.close());

  const list = async (query: string) => (await agent.as(api.http.get(`/api/orders?${query}`)).expect(200)).body;

  it('pages through orders newest first with an exact total', async () => {
    const first = await list('_perPage=50');
    expect(first.total).toBe(fleet.length);
    expect(first.data).toHaveLength(50);
    const times = first.data.map((o: { placedAt: string }) => Date.parse(o.placedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const second = await list('_perPage=50&_page=2');
    expect(second.data[0].id).not.toBe(first.data[49].id);
    expect(Date.parse(second.data[0].placedAt)).toBeLessThanOrEqual(times[49]);
  });

  it('filters by state, model and firmware, SKU, currency with an amount range, and dates, matching the data', async () => {
    const expected = (pick: (o: (typeof fleet)[number]['order']) => boolean) => fleet.filter((g) => pick(g.order)).length;
    expect((await list('fulfilmentState=in_transit&fulfilmentState=label_created')).total).toBe(
      expected((o) => ['in_transit', 'label_created'].includes(o.fulfilment.state)),
    );
    expect((await list('model=InkJet%203000&firmware=4.2.1')).total).toBe(
      expected((o) => o.device.model === 'InkJet 3000' && o.device.firmwareVersion === '4.2.1'),
    );
    expect((await list('sku=FUSER-KIT-3000')).total).toBe(expected((o) => o.lines.some((l) => l.sku === 'FUSER-KIT-3000')));
    const total = (o: (typeof fleet)[number]['order']) =>
      o.lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0) + o.shippingChargedMinor;
    expect((await list('currency=USD&totalMin=5000&totalMax=40000')).total).toBe(
      expected((o) => o.currency === 'USD' && total(o) >= 5000 && total(o) <= 40000),
    );
    expect((await list('placedFrom=2026-11-18&placedTo=2026-11-19')).total).toBe(
      expected((o) => o.placedAt >= '2026-11-18' && o.placedAt < '2026-11-20'),
    );
  });

  it('sorts by total within a currency', async () => {
    const page = await list('currency=EUR&_sort=totalMinor&_order=DESC&_perPage=20');
    const totals = page.data.map((o: { totalMinor: number }) => o.totalMinor);
    expect(totals.every((t: number) => Number.isInteger(t))).toBe(true);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
  });

  it('refuses an amount range without a currency and reversed ranges, naming the field', async () => {
    const res = await agent.as(api.http.get('/api/orders?totalMin=100')).expect(400);
    expect(res.body.fields).toEqual([{ field: 'currency', message: expect.stringMatching(/cannot be compared/) }]);
    const reversed = await agent.as(api.http.get('/api/orders?currency=USD&totalMin=500&totalMax=100')).expect(400);
    expect(reversed.body.fields[0].field).toBe('totalMax');
    const badState = await agent.as(api.http.get('/api/orders?fulfilmentState=lost')).expect(400);
    expect(badState.body.fields[0].field).toMatch(/^fulfilmentState/);
  });

  it('shows one order with its lines, device and customer', async () => {
    const sample = fleet.find((g) => g.order.lines.length === 1)!.order;
    const found = await list(`q=${sample.externalId}`);
    expect(found.total).toBe(1);
    const order = (await agent.as(api.http.get(`/api/orders/${found.data[0].id}`)).expect(200)).body;
    expect(order).toMatchObject({
      externalId: sample.externalId,
      currency: sample.currency,
      deviceId: sample.device.id,
      customerEmail: sample.customer.email,
    });
    expect(order.lines).toEqual([
      { lineNo: 1, ...sample.lines[0], totalMinor: sample.lines[0]!.quantity * sample.lines[0]!.unitPriceMinor },
    ]);
    await agent.as(api.http.get(`/api/orders/${randomUUID()}`)).expect(404);
    await agent.as(api.http.get('/api/orders/not-an-id')).expect(404);
  });

  it('lists devices with their order counts and customers with theirs', async () => {
    const device = fleet[0]!.order.device;
    const devices = (await agent.as(api.http.get(`/api/devices?q=${device.id}`)).expect(200)).body;
    expect(devices.data[0]).toMatchObject({
      id: device.id,
      model: device.model,
      state: 'active',
      orderCount: fleet.filter((g) => g.order.device.id === device.id).length,
    });
    await agent.as(api.http.get(`/api/devices/${device.id}`)).expect(200);
    await agent.as(api.http.get('/api/devices/NOPE-1')).expect(404);
    const customers = (await agent.as(api.http.get(`/api/customers?q=${encodeURIComponent(fleet[0]!.order.customer.email)}`)).expect(200))
      .body;
    expect(customers.total).toBe(1);
    expect(customers.data[0].orderCount).toBe(
      fleet.filter((g) => g.order.customer.externalId === fleet[0]!.order.customer.externalId).length,
    );
  });
});
