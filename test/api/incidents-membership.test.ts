import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleOrder, ingestOrders } from '../support/orders.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tableCounts, userWithRoles, type TestUser } from '../support/users.js';

const incidentTables = ['incident', 'incident_order', 'incident_event', 'audit_log'];

/** Orders of one device model, an hour apart; half of them unfulfilled, half in transit. */
function fleetOrders(model: string, count: number) {
  return Array.from({ length: count }, (_, i) =>
    sampleOrder({
      externalId: `${model}-${i}`,
      placedAt: new Date(Date.parse('2026-11-21T08:00:00Z') + i * 3_600_000).toISOString(),
      device: { id: `${model}-DEV-${i % 3}`, model, firmwareVersion: '2.0.0' },
      fulfilment: { state: i % 2 ? 'in_transit' : 'unfulfilled' },
    }),
  );
}

describe('incident membership and the orders list incident filters', () => {
  let api: TestApp;
  let commander: TestUser;
  let agent: TestUser;
  let incidentId: string;
  let otherIncidentId: string;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    api = await startTestApp({ LOGIN_MAX_ATTEMPTS_PER_IP: '10000' });
    [commander, agent] = await Promise.all([userWithRoles(api, ['incident_commander']), userWithRoles(api, ['support_agent'])]);
    const orders = [...fleetOrders('Kilo', 10), ...fleetOrders('Lima', 6), ...fleetOrders('Mike', 4)];
    await ingestOrders(api, orders);
    const { rows } = await api.db.query<{ id: string; external_id: string }>(`SELECT id, external_id FROM orders`);
    for (const row of rows) ids.set(row.external_id, row.id);
    const declare = (model: string, count: number) =>
      commander
        .as(api.http.post('/api/incidents'))
        .send({ title: `${model} attack`, severity: 'high', orderFilter: { model, fulfilmentState: 'unfulfilled' }, expectedCount: count })
        .expect(201);
    incidentId = (await declare('Kilo', 5)).body.id;
    otherIncidentId = (await declare('Mike', 2)).body.id;
  });
  afterAll(() => api?.close());

  const members = (body: Record<string, unknown>, as: TestUser = agent, id = incidentId) =>
    as.as(api.http.post(`/api/incidents/${id}/members`)).send(body);
  const memberOrders = async (query = '') =>
    (await agent.as(api.http.get(`/api/incidents/${incidentId}/orders?_perPage=100&${query}`)).expect(200)).body;

  it('confirms a selection of orders by id, with one timeline event and one audit row carrying the reason', async () => {
    const chosen = [ids.get('Kilo-0')!, ids.get('Kilo-2')!, ids.get('Kilo-1')!];
    const res = await members({ action: 'confirm', orderIds: chosen, reason: 'payment fingerprints match' }).expect(200);
    // Kilo-0 and Kilo-2 were suspected (unfulfilled); Kilo-1 is new.
    expect(res.body).toEqual({
      action: 'confirm',
      status: 'confirmed',
      matched: 3,
      added: 1,
      changed: 2,
      unchanged: 0,
      members: { suspected: 3, confirmed: 3, excluded: 0 },
    });
    const confirmed = await memberOrders('status=confirmed');
    expect(confirmed.total).toBe(3);
    expect(confirmed.data[0]).toMatchObject({
      status: 'confirmed',
      reason: 'payment fingerprints match',
      changedByEmail: agent.email,
      externalId: expect.stringMatching(/^Kilo-/),
      currency: 'USD',
      totalMinor: 8396,
      fulfilmentState: expect.any(String),
      deviceId: expect.stringMatching(/^Kilo-DEV-/),
      placedAt: expect.any(String),
    });
    const events = (await agent.as(api.http.get(`/api/incidents/${incidentId}/timeline?kind=membership`)).expect(200)).body;
    expect(events.total).toBe(1);
    expect(events.data[0]).toMatchObject({ message: expect.stringMatching(/^Confirmed 3 orders \(1 added, 2 changed, 0 unchanged\)/) });
    const audit = await api.db.query(`SELECT reason, summary FROM audit_log WHERE action = 'incidents.members'`);
    expect(audit.rows).toEqual([
      { reason: 'payment fingerprints match', summary: expect.objectContaining({ matched: 3, added: 1, changed: 2 }) },
    ]);
  });

  it('acts on all orders matching a filter only with the exact count confirmed, shown first by the count route', async () => {
    const count = (await agent.as(api.http.get(`/api/incidents/${incidentId}/members/count?model=Kilo`)).expect(200)).body;
    expect(count).toEqual({ count: 10, inThisIncident: 6, inOtherOpenIncidents: 0 });
    const before = await tableCounts(api, incidentTables);
    const stale = await members({ action: 'suspect', filter: { model: 'Kilo' }, expectedCount: 9, reason: 'whole model' }).expect(409);
    expect(stale.body.message).toMatch(/^The filter now matches 10 orders, not 9/);
    const noCount = await members({ action: 'suspect', filter: { model: 'Kilo' }, reason: 'whole model' }).expect(400);
    expect(noCount.body.fields[0].field).toBe('expectedCount');
    expect(await tableCounts(api, incidentTables)).toEqual(before);

    const res = await members({
      action: 'suspect',
      filter: { model: 'Kilo', fulfilmentState: ['in_transit'] },
      expectedCount: 5,
      reason: 'in transit too',
    }).expect(200);
    expect(res.body).toMatchObject({
      matched: 5,
      added: 4,
      changed: 1,
      unchanged: 0,
      members: { suspected: 8, confirmed: 2, excluded: 0 },
    });
  });

  it('refuses a filter that matches nothing with 400, changing nothing', async () => {
    const before = await tableCounts(api, incidentTables);
    const res = await members({ action: 'confirm', filter: { model: 'November' }, expectedCount: 0, reason: 'typo' }).expect(400);
    expect(res.body.message).toMatch(/matches no orders/);
    expect(res.body.fields).toEqual([{ field: 'filter', message: 'matches no orders' }]);
    expect(await tableCounts(api, incidentTables)).toEqual(before);
  });

  it('requires a reason (400 naming reason) and exactly one way of choosing orders', async () => {
    const res = await members({ action: 'confirm', orderIds: [ids.get('Kilo-3')!] }).expect(400);
    expect(res.body.fields).toEqual([{ field: 'reason', message: expect.stringMatching(/is required/) }]);
    const both = await members({
      action: 'confirm',
      orderIds: [ids.get('Kilo-3')!],
      filter: { model: 'Kilo' },
      expectedCount: 10,
      reason: 'both',
    }).expect(400);
    expect(both.body.fields[0].field).toBe('orderIds');
    const unknown = await members({ action: 'confirm', orderIds: ['00000000-0000-4000-8000-000000000000'], reason: 'who?' }).expect(400);
    expect(unknown.body.fields[0]).toMatchObject({
      field: 'orderIds',
      message: expect.stringContaining('00000000-0000-4000-8000-000000000000'),
    });
  });

  it('excludes an order keeping the reason, and excluded orders leave the value and device figures', async () => {
    await members({ action: 'exclude', orderIds: [ids.get('Kilo-4')!], reason: 'customer confirmed they ordered it' }).expect(200);
    const excluded = await memberOrders('status=excluded');
    expect(excluded.data).toEqual([expect.objectContaining({ id: ids.get('Kilo-4'), reason: 'customer confirmed they ordered it' })]);
    const incident = (await agent.as(api.http.get(`/api/incidents/${incidentId}`)).expect(200)).body;
    expect(incident.members).toEqual({ suspected: 7, confirmed: 2, excluded: 1 });
    expect(incident.value.suspected).toEqual([{ currency: 'USD', orders: 7, totalMinor: 7 * 8396 }]);
    expect(incident.value.confirmed).toEqual([{ currency: 'USD', orders: 2, totalMinor: 2 * 8396 }]);
    expect(incident.devices).toBe(3);
  });

  it('refuses orders of another open incident with 409 naming them, but lets them be excluded here', async () => {
    const mike = ids.get('Mike-0')!; // in the Mike incident
    const before = await tableCounts(api, incidentTables);
    const res = await members({ action: 'suspect', orderIds: [mike, ids.get('Lima-0')!], reason: 'same pattern' }).expect(409);
    expect(res.body.message).toContain(`1 of these orders is already in another open incident`);
    expect(res.body.message).toContain(`${mike} (INC-0002)`);
    expect(await tableCounts(api, incidentTables)).toEqual(before);
    await members({ action: 'exclude', orderIds: [mike], reason: 'belongs to the Mike incident' }).expect(200);
  });

  it('filters the orders list by incident membership and by "in no open incident"', async () => {
    const list = async (query: string) => (await agent.as(api.http.get(`/api/orders?_perPage=100&${query}`)).expect(200)).body;
    const inIncident = await list(`incidentId=${incidentId}`);
    expect(inIncident.total).toBe(9); // 10 Kilo orders less the excluded one
    expect(inIncident.data.every((o: { externalId: string }) => o.externalId.startsWith('Kilo-'))).toBe(true);
    const free = await list('inNoIncident=true');
    // 20 orders: 9 here, 2 in the Mike incident (Mike-0 is only excluded here).
    expect(free.total).toBe(9);
    expect(free.data.map((o: { externalId: string }) => o.externalId)).toContain('Kilo-4');
    expect((await list('inNoIncident=true&model=Lima')).total).toBe(6);
    expect((await agent.as(api.http.get('/api/orders?incidentId=nope')).expect(400)).body.fields[0].field).toBe('incidentId');
    // The same filter keys drive the count route.
    const count = (await agent.as(api.http.get(`/api/incidents/${otherIncidentId}/members/count?inNoIncident=true&model=Mike`)).expect(200))
      .body;
    expect(count.count).toBe(2);
  });

  it('keeps finance out of membership changes (403 naming the action)', async () => {
    const finance = await userWithRoles(api, ['finance']);
    const res = await members({ action: 'confirm', orderIds: [ids.get('Kilo-5')!], reason: 'finance tries' }, finance).expect(403);
    expect(res.body.message).toContain('"incidents.members"');
    await finance.as(api.http.get(`/api/incidents/${incidentId}/orders`)).expect(200);
  });
});
